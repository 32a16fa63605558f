package loyalty

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/internal/strictjson"
	"github.com/crmkit/crmkit/money"
)

// maxProgrammeJSON bounds the size of a programme document.
const maxProgrammeJSON = 4 << 20

// The JSON shape of a programme. Numbers of points, factors and
// percentages are JSON strings ("1.5"), never JSON numbers, so no decoder
// reads them as floats; amounts are money's {"amount","currency"}
// objects; dates are "YYYY-MM-DD"; day counts and places are integers.
type wireProgramme struct {
	ID          string       `json:"id"`
	Name        string       `json:"name,omitempty"`
	Currency    string       `json:"currency"`
	ValidFrom   string       `json:"valid_from"`
	ValidTo     string       `json:"valid_to,omitempty"`
	PointPlaces int32        `json:"point_places,omitempty"`
	Rounding    string       `json:"rounding,omitempty"`
	ExpiryDays  int          `json:"expiry_days,omitempty"`
	Earn        *wireEarn    `json:"earn,omitempty"`
	Redeem      *wireRedeem  `json:"redeem,omitempty"`
	Tiers       *wireTiers   `json:"tiers,omitempty"`
	Bonuses     *wireBonuses `json:"bonuses,omitempty"`
	Returns     *wireReturns `json:"returns,omitempty"`
}

type wireEarn struct {
	Rate         *wireRate        `json:"rate,omitempty"`
	PerOrder     string           `json:"per_order,omitempty"`
	PerSKU       []wireSKU        `json:"per_sku,omitempty"`
	Multipliers  []wireMultiplier `json:"multipliers,omitempty"`
	MinOrder     json.RawMessage  `json:"min_order,omitempty"`
	ExcludedSKUs []string         `json:"excluded_skus,omitempty"`
}

type wireRate struct {
	Points   string          `json:"points"`
	ForEvery json.RawMessage `json:"for_every"`
}

type wireSKU struct {
	SKU    string `json:"sku"`
	Points string `json:"points"`
}

type wireMultiplier struct {
	Category string  `json:"category,omitempty"`
	Tag      string  `json:"tag,omitempty"`
	Tier     string  `json:"tier,omitempty"`
	Factor   *string `json:"factor"`
}

type wireRedeem struct {
	PointValue      json.RawMessage `json:"point_value,omitempty"`
	MinPoints       string          `json:"min_points,omitempty"`
	MaxSharePercent *string         `json:"max_share_percent,omitempty"`
	ValueRounding   string          `json:"value_rounding,omitempty"`
}

type wireTiers struct {
	Metric    string         `json:"metric,omitempty"`
	Window    *wireWindow    `json:"window,omitempty"`
	Downgrade *wireDowngrade `json:"downgrade,omitempty"`
	Crossing  string         `json:"crossing,omitempty"`
	Levels    []wireTier     `json:"levels,omitempty"`
}

type wireWindow struct {
	Kind string `json:"kind"`
	Days int    `json:"days,omitempty"`
}

type wireDowngrade struct {
	Kind      string `json:"kind"`
	GraceDays int    `json:"grace_days,omitempty"`
}

type wireTier struct {
	Code      string          `json:"code"`
	Name      string          `json:"name,omitempty"`
	NameRU    string          `json:"name_ru,omitempty"`
	MinSpend  json.RawMessage `json:"min_spend,omitempty"`
	MinPoints string          `json:"min_points,omitempty"`
}

type wireBonuses struct {
	Welcome    string        `json:"welcome,omitempty"`
	Birthday   *wireBirthday `json:"birthday,omitempty"`
	Referral   *wireReferral `json:"referral,omitempty"`
	ExpiryDays int           `json:"expiry_days,omitempty"`
}

type wireBirthday struct {
	Points     string `json:"points"`
	DaysBefore int    `json:"days_before,omitempty"`
	DaysAfter  int    `json:"days_after,omitempty"`
}

type wireReferral struct {
	Referrer string `json:"referrer,omitempty"`
	Referred string `json:"referred,omitempty"`
}

type wireReturns struct {
	AllowDebt bool   `json:"allow_debt,omitempty"`
	Cancel    string `json:"cancel,omitempty"`
}

// DecodeProgramme reads a programme from JSON strictly and validates it.
// Unknown fields, numbers where strings are expected (and the reverse),
// trailing data and documents over 4 MiB are refused; every failure is a
// *ValidationError naming the field by its JSON path.
//
//	{
//	  "id": "retail-2026", "currency": "RUB", "valid_from": "2026-01-01",
//	  "expiry_days": 365,
//	  "earn": {"rate": {"points": "1", "for_every": {"amount": "100", "currency": "RUB"}}},
//	  "redeem": {"point_value": {"amount": "1", "currency": "RUB"}, "max_share_percent": "30"}
//	}
func DecodeProgramme(data []byte) (Programme, error) {
	if len(data) > maxProgrammeJSON {
		return Programme{}, invalidf("", ReasonTooLong, "", "a programme document is at most %d bytes", maxProgrammeJSON)
	}
	if err := checkKeys(data); err != nil {
		return Programme{}, err
	}
	var w wireProgramme
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Programme{}, jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Programme{}, invalidf("", ReasonMalformed, "", "trailing data after the programme")
	}
	p, err := w.programme()
	if err != nil {
		return Programme{}, err
	}
	if err := p.Validate(); err != nil {
		return Programme{}, err
	}
	return p, nil
}

// jsonError turns an encoding/json error into a *ValidationError.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var v *ValidationError
	switch {
	case errors.As(err, &v):
		return v
	case errors.As(err, &syntax):
		return &ValidationError{Reason: ReasonMalformed, Detail: fmt.Sprintf("not JSON at byte %d", syntax.Offset), Err: nil}
	case errors.As(err, &typ):
		return invalidf(typ.Field, ReasonMalformed, typ.Value, "want a JSON %s", jsonKind(typ.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalid(name, ReasonUnknownField, "")
	}
	return &ValidationError{Reason: ReasonMalformed, Detail: "not a JSON programme object"}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "int", "int32", "int64":
		return "integer"
	case "bool":
		return "boolean"
	case "slice":
		return "array"
	}
	return "object"
}

// programme converts the wire form, naming the field of any value that
// does not parse.
func (w wireProgramme) programme() (Programme, error) {
	p := Programme{ID: w.ID, Name: w.Name, PointPlaces: w.PointPlaces, Rounding: PointRounding(w.Rounding), ExpiryDays: w.ExpiryDays}
	var err error
	if w.Currency != "" {
		if p.Currency, err = money.ParseCurrency(w.Currency); err != nil {
			return Programme{}, &ValidationError{Field: "currency", Reason: ReasonCurrency, Value: shorten(w.Currency), Err: err}
		}
	}
	if p.ValidFrom, err = wireDate("valid_from", w.ValidFrom); err != nil {
		return Programme{}, err
	}
	if p.ValidTo, err = wireDate("valid_to", w.ValidTo); err != nil {
		return Programme{}, err
	}
	d := &decoder{}
	if e := w.Earn; e != nil {
		if e.Rate != nil {
			p.Earn.Rate.Points = d.dec("earn.rate.points", e.Rate.Points, true)
			p.Earn.Rate.ForEvery = d.amount("earn.rate.for_every", e.Rate.ForEvery)
		}
		p.Earn.PerOrder = d.dec("earn.per_order", e.PerOrder, false)
		for i, s := range e.PerSKU {
			p.Earn.PerSKU = append(p.Earn.PerSKU, SKUPoints{SKU: s.SKU, Points: d.dec(fmt.Sprintf("earn.per_sku[%d].points", i), s.Points, true)})
		}
		for i, m := range e.Multipliers {
			field := fmt.Sprintf("earn.multipliers[%d].factor", i)
			if m.Factor == nil {
				d.fail(invalid(field, ReasonRequired, ""))
				break
			}
			p.Earn.Multipliers = append(p.Earn.Multipliers, Multiplier{Category: m.Category, Tag: m.Tag, Tier: m.Tier, Factor: d.dec(field, *m.Factor, true)})
		}
		p.Earn.MinOrder = d.amount("earn.min_order", e.MinOrder)
		p.Earn.ExcludedSKUs = e.ExcludedSKUs
	}
	if r := w.Redeem; r != nil {
		p.Redeem.PointValue = d.amount("redeem.point_value", r.PointValue)
		p.Redeem.MinPoints = d.dec("redeem.min_points", r.MinPoints, false)
		if r.MaxSharePercent != nil {
			p.Redeem.MaxSharePercent = d.dec("redeem.max_share_percent", *r.MaxSharePercent, true)
			if d.err == nil && p.Redeem.MaxSharePercent.Sign() <= 0 {
				d.fail(invalidf("redeem.max_share_percent", ReasonNotPositive, *r.MaxSharePercent, "omit the field for no cap"))
			}
		}
		if r.ValueRounding != "" {
			mode, err := money.ParseRoundingMode(r.ValueRounding)
			if err != nil {
				d.fail(&ValidationError{Field: "redeem.value_rounding", Reason: ReasonUnknownValue, Value: shorten(r.ValueRounding), Err: err})
			}
			p.Redeem.ValueRounding = mode
		}
	}
	if t := w.Tiers; t != nil {
		p.Tiers.Metric, p.Tiers.Crossing = TierMetric(t.Metric), Crossing(t.Crossing)
		if t.Window != nil {
			if t.Window.Kind == "" {
				d.fail(invalid("tiers.window.kind", ReasonRequired, ""))
			}
			p.Tiers.Window = Window{Kind: WindowKind(t.Window.Kind), Days: t.Window.Days}
		}
		if t.Downgrade != nil {
			if t.Downgrade.Kind == "" {
				d.fail(invalid("tiers.downgrade.kind", ReasonRequired, ""))
			}
			p.Tiers.Downgrade = Downgrade{Kind: DowngradeKind(t.Downgrade.Kind), GraceDays: t.Downgrade.GraceDays}
		}
		for i, l := range t.Levels {
			field := fmt.Sprintf("tiers.levels[%d]", i)
			p.Tiers.Levels = append(p.Tiers.Levels, Tier{
				Code: l.Code, Name: l.Name, NameRU: l.NameRU,
				MinSpend:  d.amount(field+".min_spend", l.MinSpend),
				MinPoints: d.dec(field+".min_points", l.MinPoints, false),
			})
		}
	}
	if b := w.Bonuses; b != nil {
		p.Bonuses.Welcome = d.dec("bonuses.welcome", b.Welcome, false)
		p.Bonuses.ExpiryDays = b.ExpiryDays
		if b.Birthday != nil {
			p.Bonuses.Birthday = BirthdayBonus{
				Points:     d.dec("bonuses.birthday.points", b.Birthday.Points, true),
				DaysBefore: b.Birthday.DaysBefore, DaysAfter: b.Birthday.DaysAfter,
			}
		}
		if b.Referral != nil {
			p.Bonuses.Referral = ReferralBonus{
				Referrer: d.dec("bonuses.referral.referrer", b.Referral.Referrer, false),
				Referred: d.dec("bonuses.referral.referred", b.Referral.Referred, false),
			}
		}
	}
	if r := w.Returns; r != nil {
		p.Returns = ReturnRules{AllowDebt: r.AllowDebt, Cancel: CancelPolicy(r.Cancel)}
	}
	if d.err != nil {
		return Programme{}, d.err
	}
	return p, nil
}

// decoder parses values of the wire form, keeping the first error.
type decoder struct{ err error }

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// dec parses a decimal string; "" is zero unless required.
func (d *decoder) dec(field, s string, required bool) decimal.Decimal {
	if s == "" {
		if required {
			d.fail(invalid(field, ReasonRequired, ""))
		}
		return decimal.Decimal{}
	}
	v, ok := parseDec(s)
	if !ok {
		d.fail(invalidf(field, ReasonMalformed, s, "a decimal string such as \"1.5\", at most %d digits before the point and %d after", maxIntDigits, maxFracDigits))
	}
	return v
}

// amount parses a money object; absent or null is the zero Amount.
func (d *decoder) amount(field string, raw json.RawMessage) money.Amount {
	if len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return money.Amount{}
	}
	var a money.Amount
	if err := a.UnmarshalJSON(raw); err != nil {
		d.fail(&ValidationError{Field: field, Reason: ReasonMalformed, Err: err})
	}
	return a
}

func wireDate(field, s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	d, err := ParseDate(s)
	if err != nil {
		var v *ValidationError
		if errors.As(err, &v) {
			v.Field = field
		}
		return Date{}, err
	}
	return d, nil
}

// MarshalJSON encodes the programme in the shape DecodeProgramme reads.
// Zero and default values are left out; numbers are exact strings,
// whatever the decimal package's global settings.
func (p Programme) MarshalJSON() ([]byte, error) {
	w := wireProgramme{
		ID: p.ID, Name: p.Name, Currency: p.Currency.Code(), ValidFrom: p.ValidFrom.String(), ValidTo: p.ValidTo.String(),
		PointPlaces: p.PointPlaces, Rounding: string(p.Rounding), ExpiryDays: p.ExpiryDays,
	}
	str := func(d decimal.Decimal) string {
		if d.IsZero() {
			return ""
		}
		return fmtDec(d)
	}
	amount := func(a money.Amount) json.RawMessage {
		if a.Currency().IsZero() {
			return nil
		}
		b, _ := a.MarshalJSON()
		return b
	}
	e := p.Earn
	if !e.Rate.IsZero() || !e.PerOrder.IsZero() || len(e.PerSKU) > 0 || len(e.Multipliers) > 0 || !e.MinOrder.Currency().IsZero() || len(e.ExcludedSKUs) > 0 {
		we := &wireEarn{PerOrder: str(e.PerOrder), MinOrder: amount(e.MinOrder), ExcludedSKUs: e.ExcludedSKUs}
		if !e.Rate.IsZero() {
			we.Rate = &wireRate{Points: fmtDec(e.Rate.Points), ForEvery: amount(e.Rate.ForEvery)}
		}
		for _, s := range e.PerSKU {
			we.PerSKU = append(we.PerSKU, wireSKU{SKU: s.SKU, Points: fmtDec(s.Points)})
		}
		for _, m := range e.Multipliers {
			f := fmtDec(m.Factor)
			we.Multipliers = append(we.Multipliers, wireMultiplier{Category: m.Category, Tag: m.Tag, Tier: m.Tier, Factor: &f})
		}
		w.Earn = we
	}
	r := p.Redeem
	if !r.PointValue.Currency().IsZero() || !r.MinPoints.IsZero() || !r.MaxSharePercent.IsZero() || r.ValueRounding != money.HalfUp {
		wr := &wireRedeem{PointValue: amount(r.PointValue), MinPoints: str(r.MinPoints)}
		if !r.MaxSharePercent.IsZero() {
			s := fmtDec(r.MaxSharePercent)
			wr.MaxSharePercent = &s
		}
		if r.ValueRounding != money.HalfUp {
			wr.ValueRounding = r.ValueRounding.String()
		}
		w.Redeem = wr
	}
	t := p.Tiers
	if t.Metric != "" || t.Window != (Window{}) || t.Downgrade != (Downgrade{}) || t.Crossing != "" || len(t.Levels) > 0 {
		wt := &wireTiers{Metric: string(t.Metric), Crossing: string(t.Crossing)}
		if t.Window != (Window{}) {
			wt.Window = &wireWindow{Kind: string(t.Window.Kind), Days: t.Window.Days}
		}
		if t.Downgrade != (Downgrade{}) {
			wt.Downgrade = &wireDowngrade{Kind: string(t.Downgrade.Kind), GraceDays: t.Downgrade.GraceDays}
		}
		for _, l := range t.Levels {
			wt.Levels = append(wt.Levels, wireTier{Code: l.Code, Name: l.Name, NameRU: l.NameRU, MinSpend: amount(l.MinSpend), MinPoints: str(l.MinPoints)})
		}
		w.Tiers = wt
	}
	b := p.Bonuses
	if !b.Welcome.IsZero() || !b.Birthday.Points.IsZero() || b.Birthday.DaysBefore != 0 || b.Birthday.DaysAfter != 0 || !b.Referral.Referrer.IsZero() || !b.Referral.Referred.IsZero() || b.ExpiryDays != 0 {
		wb := &wireBonuses{Welcome: str(b.Welcome), ExpiryDays: b.ExpiryDays}
		if !b.Birthday.Points.IsZero() || b.Birthday.DaysBefore != 0 || b.Birthday.DaysAfter != 0 {
			wb.Birthday = &wireBirthday{Points: fmtDec(b.Birthday.Points), DaysBefore: b.Birthday.DaysBefore, DaysAfter: b.Birthday.DaysAfter}
		}
		if !b.Referral.Referrer.IsZero() || !b.Referral.Referred.IsZero() {
			wb.Referral = &wireReferral{Referrer: str(b.Referral.Referrer), Referred: str(b.Referral.Referred)}
		}
		w.Bonuses = wb
	}
	if p.Returns != (ReturnRules{}) {
		w.Returns = &wireReturns{AllowDebt: p.Returns.AllowDebt, Cancel: string(p.Returns.Cancel)}
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes and validates a programme as DecodeProgramme does.
func (p *Programme) UnmarshalJSON(data []byte) error {
	decoded, err := DecodeProgramme(data)
	if err != nil {
		return err
	}
	*p = decoded
	return nil
}

// checkKeys refuses what encoding/json lets through: a key given twice
// (the last would win), a key spelt other than exactly as the field's
// JSON name (matched case-insensitively) and a value of the wrong JSON
// kind, naming the field by its JSON path. Syntax errors are left to the
// decoder.
func checkKeys(data []byte) error {
	p := strictjson.Check(data, reflect.TypeFor[wireProgramme]())
	if p == nil {
		return nil
	}
	switch p.Kind {
	case strictjson.Duplicate:
		return invalid(p.Path, ReasonDuplicate, "")
	case strictjson.UnknownField:
		return invalid(p.Path, ReasonUnknownField, "")
	case strictjson.WrongType:
		return invalidf(p.Path, ReasonMalformed, p.Token, "want a JSON %s", p.Want)
	}
	return invalidf(p.Path, ReasonMalformed, "", "nested too deeply")
}
