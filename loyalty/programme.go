package loyalty

import (
	"fmt"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// Programme is the definition of a loyalty programme: how purchases earn
// points, what points are worth, when they expire, the tiers and the
// bonuses. It is plain data; NewRules validates it and compiles it into
// the Rules every calculation uses. Field comments give the JSON names in
// brackets; DecodeProgramme reads that JSON strictly.
type Programme struct {
	// ID identifies the programme [id]. Accounts remember the programme
	// they belong to. Required, at most 100 bytes.
	ID string
	// Name is for people [name]. At most 200 bytes.
	Name string
	// Currency is the currency of every amount in the programme and of
	// every order it earns on [currency]. Required.
	Currency money.Currency
	// ValidFrom and ValidTo bound the days on which purchases and bonuses
	// earn points, both inclusive [valid_from, valid_to]. ValidFrom is
	// required; a zero ValidTo means no end. Points already earned stay
	// usable after the programme ends, until they expire.
	ValidFrom, ValidTo Date
	// PointPlaces is the number of decimal places points have [point_places]:
	// 0 (the default) for whole points, at most MaxPlaces.
	PointPlaces int32
	// Rounding brings computed points to PointPlaces [rounding]: Truncate
	// (the default) or HalfUp.
	Rounding PointRounding
	// ExpiryDays is how long earned points last [expiry_days]: points
	// earned on day D expire after day D+ExpiryDays and can be used
	// through that day. 0 (the default) means points never expire.
	ExpiryDays int
	Earn       EarnRules   // [earn]
	Redeem     RedeemRules // [redeem]
	Tiers      TierRules   // [tiers]
	Bonuses    Bonuses     // [bonuses]
	Returns    ReturnRules // [returns]
}

// SpendRate is the points earned for money spent, written so it cannot be
// read the wrong way round: Points for every ForEvery paid. {Points: 1,
// ForEvery: 100 RUB} is one point for every 100 roubles; {Points: 5,
// ForEvery: 100 RUB} is 5 % back when a point is worth a rouble. The
// rate is proportional: 150 RUB earn 1.5 points before rounding.
type SpendRate struct {
	Points   decimal.Decimal // [points]
	ForEvery money.Amount    // [for_every]
}

// IsZero reports whether no rate is set (the programme earns only fixed
// points).
func (r SpendRate) IsZero() bool { return r.Points.IsZero() && r.ForEvery.IsZero() }

// EarnRules say how a purchase earns points. Earning is always on the
// amount actually paid: line amounts net of every discount, less the money
// value of the points redeemed on the order (spread over the lines in
// proportion to their amounts).
type EarnRules struct {
	// Rate earns points in proportion to the money paid [rate].
	Rate SpendRate
	// PerOrder is a fixed number of points for every order that earns
	// (paid amount above zero and not below MinOrder) [per_order].
	PerOrder decimal.Decimal
	// PerSKU gives fixed points for each unit of an article bought [per_sku].
	PerSKU []SKUPoints
	// Multipliers scale the rate-based points of a line by its category,
	// its tags, or the client's tier [multipliers]. Every multiplier that
	// matches applies, multiplied together; a factor of 0 excludes.
	Multipliers []Multiplier
	// MinOrder is the smallest paid amount that earns anything
	// [min_order]. Zero: no minimum.
	MinOrder money.Amount
	// ExcludedSKUs never earn: neither rate-based nor fixed points
	// [excluded_skus].
	ExcludedSKUs []string
}

// SKUPoints gives Points for each unit of SKU bought.
type SKUPoints struct {
	SKU    string          // [sku]
	Points decimal.Decimal // [points]
}

// Multiplier scales the rate-based points that match it. Exactly one of
// Category, Tag and Tier is set. A Factor of 0 excludes: a line of that
// category or with that tag earns nothing at all (fixed SKU points
// included), and a client in that tier earns nothing on purchases.
type Multiplier struct {
	Category string          // [category]
	Tag      string          // [tag]
	Tier     string          // [tier] a tier code
	Factor   decimal.Decimal // [factor] 0 to 1000
}

// RedeemRules say what points are worth and how they pay for an order.
type RedeemRules struct {
	// PointValue is the money one point pays for [point_value]. Zero
	// means points cannot be redeemed.
	PointValue money.Amount
	// MinPoints is the fewest points a redemption may use [min_points].
	MinPoints decimal.Decimal
	// MaxSharePercent caps the part of an order's amount that points may
	// pay, in percent: 30 means at most 30 % [max_share_percent]. Zero (or
	// absent in JSON) means no cap: points may pay the whole order.
	MaxSharePercent decimal.Decimal
	// ValueRounding brings the money value of points to the currency's
	// minor unit [value_rounding]. The zero value is money.HalfUp.
	ValueRounding money.RoundingMode
}

// TierMetric is what tier thresholds measure.
type TierMetric string

// The tier metrics.
const (
	// MetricSpend: qualifying spend, the money paid on lines that earn,
	// less returns. The default.
	MetricSpend TierMetric = "spend"
	// MetricPoints: qualifying points, the points purchases earn before
	// the tier multiplier, less returns. Bonuses and adjustments do not
	// qualify.
	MetricPoints TierMetric = "points"
)

// WindowKind is the period over which the tier metric is measured.
type WindowKind string

// The tier windows.
const (
	// WindowLifetime: everything since the account was opened. The default.
	WindowLifetime WindowKind = "lifetime"
	// WindowCalendarYear: from 1 January of the date's year through the date.
	WindowCalendarYear WindowKind = "calendar_year"
	// WindowRolling: the Days days ending with the date.
	WindowRolling WindowKind = "rolling_days"
)

// Window is the period of the tier metric.
type Window struct {
	Kind WindowKind // [kind]
	Days int        // [days] for WindowRolling: 1 to 3660
}

// DowngradeKind is when a client who no longer qualifies loses a tier.
type DowngradeKind string

// The downgrade rules.
const (
	// DowngradeNever: tiers only go up. The default.
	DowngradeNever DowngradeKind = "never"
	// DowngradeAtPeriodEnd: a tier is kept until the end of the period in
	// which it was reached and reviewed at each period end against the
	// period just ended: each 1 January for WindowCalendarYear, every Days
	// days after the tier was reached for WindowRolling. Not allowed with
	// WindowLifetime, which has no period end.
	DowngradeAtPeriodEnd DowngradeKind = "period_end"
	// DowngradeAfterGrace: a client whose metric has stayed below the
	// tier's threshold for GraceDays days drops to the tier they qualify for.
	DowngradeAfterGrace DowngradeKind = "grace"
)

// Downgrade is the downgrade rule.
type Downgrade struct {
	Kind      DowngradeKind // [kind]
	GraceDays int           // [grace_days] for DowngradeAfterGrace: 0 to 3660
}

// Crossing is how a purchase that crosses a tier threshold earns.
type Crossing string

// The crossing rules.
const (
	// CrossingSplit: the part of the purchase below the threshold earns at
	// the old tier's multiplier and the part from the threshold on at the
	// new one's. The default.
	CrossingSplit Crossing = "split"
	// CrossingWhole: the whole purchase earns at the new tier's multiplier.
	CrossingWhole Crossing = "whole"
)

// TierRules define the tiers. With no Levels the programme has no tiers.
type TierRules struct {
	Metric    TierMetric // [metric]
	Window    Window     // [window]
	Downgrade Downgrade  // [downgrade]
	Crossing  Crossing   // [crossing]
	// Levels lists the tiers from the lowest, whose threshold must be 0,
	// with strictly increasing thresholds [levels]. A client is in the
	// highest tier whose threshold their metric reaches: thresholds are
	// inclusive.
	Levels []Tier
}

// Tier is one level of the programme. Its rate multiplier, if any, is a
// Multiplier naming its Code.
type Tier struct {
	Code   string // [code] stable id, at most 50 bytes
	Name   string // [name] for people, in English
	NameRU string // [name_ru] for people, in Russian; Name when empty
	// MinSpend is the threshold with MetricSpend [min_spend]; MinPoints
	// with MetricPoints [min_points]. The other stays zero.
	MinSpend  money.Amount
	MinPoints decimal.Decimal
}

// Bonuses are points granted for events rather than purchases.
type Bonuses struct {
	// Welcome points are granted when an account is opened [welcome].
	Welcome decimal.Decimal
	// Birthday is the birthday bonus [birthday].
	Birthday BirthdayBonus
	// Referral is the referral bonus [referral].
	Referral ReferralBonus
	// ExpiryDays is how long bonus points last [expiry_days]; 0 means the
	// programme's ExpiryDays.
	ExpiryDays int
}

// BirthdayBonus grants Points once a year, on any day from DaysBefore days
// before the birthday to DaysAfter days after it. A 29 February birthday
// falls on 28 February in common years.
type BirthdayBonus struct {
	Points     decimal.Decimal // [points]
	DaysBefore int             // [days_before] 0 to 90
	DaysAfter  int             // [days_after] 0 to 90
}

// ReferralBonus is granted after the referred client's first paid order:
// Referred points to the new client, and Referrer points to the client
// who referred them, unless the referrer's account was opened after the
// referred client's or was itself referred by them (no loops).
type ReferralBonus struct {
	Referrer decimal.Decimal // [referrer]
	Referred decimal.Decimal // [referred]
}

// CancelPolicy decides a cancellation whose points can no longer be taken
// back in full because they were spent.
type CancelPolicy string

// The cancellation policies.
const (
	// CancelRefuse refuses such a cancellation (the host settles it by
	// hand). The default.
	CancelRefuse CancelPolicy = "refuse"
	// CancelDebt cancels and records the points not taken back as debt,
	// repaid from later earnings.
	CancelDebt CancelPolicy = "debt"
)

// ReturnRules decide returns and cancellations.
type ReturnRules struct {
	// AllowDebt: a partial return whose points were already spent records
	// what cannot be taken back as debt, repaid from later earnings.
	// Without it (the default) what cannot be taken back is forgiven; the
	// balance never goes negative either way [allow_debt].
	AllowDebt bool
	// Cancel is the policy for cancelling a whole order [cancel].
	Cancel CancelPolicy
}

// Limits on a programme's size and values.
const (
	maxIDLen       = 100
	maxNameLen     = 200
	maxCodeLen     = 100
	maxListLen     = 10000
	maxLevels      = 50
	maxDays        = 36600
	maxWindowDays  = 3660
	maxBonusWindow = 90
	maxFactor      = 1000
)

// Validate checks the programme and returns the first problem as a
// *ValidationError naming the field by its JSON path.
func (p Programme) Validate() error {
	_, err := NewRules(p)
	return err
}

// validate checks everything but cross-references that need compiled
// tables (done by NewRules).
func (p Programme) validate() error {
	if err := text("id", p.ID, maxIDLen, true); err != nil {
		return err
	}
	if err := text("name", p.Name, maxNameLen, false); err != nil {
		return err
	}
	if p.Currency.IsZero() {
		return invalid("currency", ReasonRequired, "")
	}
	if p.ValidFrom.IsZero() {
		return invalid("valid_from", ReasonRequired, "")
	}
	if !p.ValidFrom.Valid() {
		return invalid("valid_from", ReasonBadDate, p.ValidFrom.String())
	}
	if !p.ValidTo.IsZero() {
		if !p.ValidTo.Valid() {
			return invalid("valid_to", ReasonBadDate, p.ValidTo.String())
		}
		if p.ValidTo.Before(p.ValidFrom) {
			return invalidf("valid_to", ReasonConflict, p.ValidTo.String(), "the programme ends before it starts (%s)", p.ValidFrom)
		}
	}
	if p.PointPlaces < 0 || p.PointPlaces > MaxPlaces {
		return invalidf("point_places", ReasonRange, fmt.Sprint(p.PointPlaces), "0 to %d", MaxPlaces)
	}
	if !p.Rounding.valid() {
		return invalid("rounding", ReasonUnknownValue, string(p.Rounding))
	}
	if p.ExpiryDays < 0 || p.ExpiryDays > maxDays {
		return invalidf("expiry_days", ReasonRange, fmt.Sprint(p.ExpiryDays), "0 to %d", maxDays)
	}
	for _, check := range []func() error{p.validateEarn, p.validateRedeem, p.validateTiers, p.validateBonuses} {
		if err := check(); err != nil {
			return err
		}
	}
	switch p.Returns.Cancel {
	case "", CancelRefuse, CancelDebt:
	default:
		return invalid("returns.cancel", ReasonUnknownValue, string(p.Returns.Cancel))
	}
	return nil
}

func (p Programme) validateEarn() error {
	e := p.Earn
	if !e.Rate.IsZero() {
		if err := bounded("earn.rate.points", e.Rate.Points); err != nil {
			return err
		}
		if e.Rate.Points.Sign() <= 0 {
			return invalid("earn.rate.points", ReasonNotPositive, fmtDec(e.Rate.Points))
		}
		if err := p.positiveAmount("earn.rate.for_every", e.Rate.ForEvery); err != nil {
			return err
		}
	}
	if err := p.points("earn.per_order", e.PerOrder); err != nil {
		return err
	}
	if len(e.PerSKU) > maxListLen {
		return invalid("earn.per_sku", ReasonTooMany, fmt.Sprint(len(e.PerSKU)))
	}
	if len(e.ExcludedSKUs) > maxListLen {
		return invalid("earn.excluded_skus", ReasonTooMany, fmt.Sprint(len(e.ExcludedSKUs)))
	}
	excluded := make(map[string]bool, len(e.ExcludedSKUs))
	for i, sku := range e.ExcludedSKUs {
		field := fmt.Sprintf("earn.excluded_skus[%d]", i)
		if err := text(field, sku, maxCodeLen, true); err != nil {
			return err
		}
		if excluded[sku] {
			return invalid(field, ReasonDuplicate, sku)
		}
		excluded[sku] = true
	}
	seen := make(map[string]bool, len(e.PerSKU))
	for i, sp := range e.PerSKU {
		field := fmt.Sprintf("earn.per_sku[%d]", i)
		if err := text(field+".sku", sp.SKU, maxCodeLen, true); err != nil {
			return err
		}
		if seen[sp.SKU] {
			return invalid(field+".sku", ReasonDuplicate, sp.SKU)
		}
		if excluded[sp.SKU] {
			return invalidf(field+".sku", ReasonConflict, sp.SKU, "the SKU is also excluded from earning")
		}
		seen[sp.SKU] = true
		if sp.Points.Sign() <= 0 {
			return invalid(field+".points", ReasonNotPositive, fmtDec(sp.Points))
		}
		if err := p.points(field+".points", sp.Points); err != nil {
			return err
		}
	}
	if len(e.Multipliers) > maxListLen {
		return invalid("earn.multipliers", ReasonTooMany, fmt.Sprint(len(e.Multipliers)))
	}
	targets := make(map[string]bool, len(e.Multipliers))
	for i, m := range e.Multipliers {
		field := fmt.Sprintf("earn.multipliers[%d]", i)
		set := 0
		var key string
		for _, part := range []struct{ name, value string }{{"category", m.Category}, {"tag", m.Tag}, {"tier", m.Tier}} {
			if part.value == "" {
				continue
			}
			set++
			key = part.name + "\x00" + part.value
			if err := text(field+"."+part.name, part.value, maxCodeLen, true); err != nil {
				return err
			}
		}
		if set != 1 {
			return invalidf(field, ReasonConflict, "", "set exactly one of category, tag and tier")
		}
		if targets[key] {
			return invalid(field, ReasonDuplicate, m.Category+m.Tag+m.Tier)
		}
		targets[key] = true
		if err := bounded(field+".factor", m.Factor); err != nil {
			return err
		}
		if m.Factor.Sign() < 0 {
			return invalid(field+".factor", ReasonNegative, fmtDec(m.Factor))
		}
		if m.Factor.GreaterThan(decimal.NewFromInt(maxFactor)) {
			return invalidf(field+".factor", ReasonRange, fmtDec(m.Factor), "at most %d", maxFactor)
		}
	}
	if !e.MinOrder.IsZero() {
		if err := p.positiveAmount("earn.min_order", e.MinOrder); err != nil {
			return err
		}
	}
	return nil
}

func (p Programme) validateRedeem() error {
	r := p.Redeem
	if !r.PointValue.IsZero() {
		if err := p.positiveAmount("redeem.point_value", r.PointValue); err != nil {
			return err
		}
	}
	if err := p.points("redeem.min_points", r.MinPoints); err != nil {
		return err
	}
	if err := bounded("redeem.max_share_percent", r.MaxSharePercent); err != nil {
		return err
	}
	if r.MaxSharePercent.Sign() < 0 || r.MaxSharePercent.GreaterThan(decimal.NewFromInt(100)) {
		return invalidf("redeem.max_share_percent", ReasonRange, fmtDec(r.MaxSharePercent), "above 0 and at most 100")
	}
	if !r.ValueRounding.Valid() {
		return invalid("redeem.value_rounding", ReasonUnknownValue, r.ValueRounding.String())
	}
	return nil
}

func (p Programme) validateTiers() error {
	t := p.Tiers
	switch t.Metric {
	case "", MetricSpend, MetricPoints:
	default:
		return invalid("tiers.metric", ReasonUnknownValue, string(t.Metric))
	}
	switch t.Window.Kind {
	case "", WindowLifetime, WindowCalendarYear:
		if t.Window.Days != 0 {
			return invalidf("tiers.window.days", ReasonConflict, fmt.Sprint(t.Window.Days), "only a rolling window has days")
		}
	case WindowRolling:
		if t.Window.Days < 1 || t.Window.Days > maxWindowDays {
			return invalidf("tiers.window.days", ReasonRange, fmt.Sprint(t.Window.Days), "1 to %d", maxWindowDays)
		}
	default:
		return invalid("tiers.window.kind", ReasonUnknownValue, string(t.Window.Kind))
	}
	switch t.Downgrade.Kind {
	case "", DowngradeNever:
	case DowngradeAtPeriodEnd:
		if t.Window.Kind == "" || t.Window.Kind == WindowLifetime {
			return invalidf("tiers.downgrade.kind", ReasonConflict, string(t.Downgrade.Kind), "a lifetime window has no period end")
		}
	case DowngradeAfterGrace:
		if t.Downgrade.GraceDays < 0 || t.Downgrade.GraceDays > maxWindowDays {
			return invalidf("tiers.downgrade.grace_days", ReasonRange, fmt.Sprint(t.Downgrade.GraceDays), "0 to %d", maxWindowDays)
		}
	default:
		return invalid("tiers.downgrade.kind", ReasonUnknownValue, string(t.Downgrade.Kind))
	}
	if t.Downgrade.Kind != DowngradeAfterGrace && t.Downgrade.GraceDays != 0 {
		return invalidf("tiers.downgrade.grace_days", ReasonConflict, fmt.Sprint(t.Downgrade.GraceDays), "only the grace rule has grace days")
	}
	switch t.Crossing {
	case "", CrossingSplit, CrossingWhole:
	default:
		return invalid("tiers.crossing", ReasonUnknownValue, string(t.Crossing))
	}
	if len(t.Levels) > maxLevels {
		return invalid("tiers.levels", ReasonTooMany, fmt.Sprint(len(t.Levels)))
	}
	codes := make(map[string]bool, len(t.Levels))
	var prev decimal.Decimal
	for i, l := range t.Levels {
		field := fmt.Sprintf("tiers.levels[%d]", i)
		if err := text(field+".code", l.Code, 50, true); err != nil {
			return err
		}
		if codes[l.Code] {
			return invalid(field+".code", ReasonDuplicate, l.Code)
		}
		codes[l.Code] = true
		if err := text(field+".name", l.Name, maxNameLen, false); err != nil {
			return err
		}
		if err := text(field+".name_ru", l.NameRU, maxNameLen, false); err != nil {
			return err
		}
		var threshold decimal.Decimal
		if t.Metric == MetricPoints {
			if !l.MinSpend.IsZero() {
				return invalidf(field+".min_spend", ReasonConflict, l.MinSpend.String(), "tiers measured in points have min_points")
			}
			if err := bounded(field+".min_points", l.MinPoints); err != nil {
				return err
			}
			if l.MinPoints.Sign() < 0 {
				return invalid(field+".min_points", ReasonNegative, fmtDec(l.MinPoints))
			}
			threshold = l.MinPoints
		} else {
			if !l.MinPoints.IsZero() {
				return invalidf(field+".min_points", ReasonConflict, fmtDec(l.MinPoints), "tiers measured in spend have min_spend")
			}
			if !l.MinSpend.IsZero() && l.MinSpend.Currency() != p.Currency {
				return invalidf(field+".min_spend", ReasonCurrency, l.MinSpend.String(), "want %s", p.Currency)
			}
			if l.MinSpend.IsNegative() {
				return invalid(field+".min_spend", ReasonNegative, l.MinSpend.String())
			}
			threshold = l.MinSpend.Decimal()
		}
		thresholdField := field + ".min_spend"
		if t.Metric == MetricPoints {
			thresholdField = field + ".min_points"
		}
		if i == 0 && !threshold.IsZero() {
			return invalidf(thresholdField, ReasonConflict, fmtDec(threshold), "the lowest tier starts at 0")
		}
		if i > 0 && threshold.Cmp(prev) <= 0 {
			return invalidf(thresholdField, ReasonConflict, fmtDec(threshold), "thresholds must increase from tier to tier")
		}
		prev = threshold
	}
	return nil
}

func (p Programme) validateBonuses() error {
	b := p.Bonuses
	for _, f := range []struct {
		name string
		v    decimal.Decimal
	}{
		{"bonuses.welcome", b.Welcome},
		{"bonuses.birthday.points", b.Birthday.Points},
		{"bonuses.referral.referrer", b.Referral.Referrer},
		{"bonuses.referral.referred", b.Referral.Referred},
	} {
		if err := p.points(f.name, f.v); err != nil {
			return err
		}
	}
	if b.Birthday.DaysBefore < 0 || b.Birthday.DaysBefore > maxBonusWindow {
		return invalidf("bonuses.birthday.days_before", ReasonRange, fmt.Sprint(b.Birthday.DaysBefore), "0 to %d", maxBonusWindow)
	}
	if b.Birthday.DaysAfter < 0 || b.Birthday.DaysAfter > maxBonusWindow {
		return invalidf("bonuses.birthday.days_after", ReasonRange, fmt.Sprint(b.Birthday.DaysAfter), "0 to %d", maxBonusWindow)
	}
	if b.ExpiryDays < 0 || b.ExpiryDays > maxDays {
		return invalidf("bonuses.expiry_days", ReasonRange, fmt.Sprint(b.ExpiryDays), "0 to %d", maxDays)
	}
	return nil
}

// points checks a number of points set in the programme: not negative,
// within the programme's precision.
func (p Programme) points(field string, v decimal.Decimal) error {
	if err := bounded(field, v); err != nil {
		return err
	}
	if v.Sign() < 0 {
		return invalid(field, ReasonNegative, fmtDec(v))
	}
	if !fits(v, p.PointPlaces) {
		return invalidf(field, ReasonPrecision, fmtDec(v), "at most %d decimal places", p.PointPlaces)
	}
	return nil
}

// positiveAmount checks an amount of the programme: in its currency and
// above zero.
func (p Programme) positiveAmount(field string, a money.Amount) error {
	if a.Currency().IsZero() && a.IsZero() {
		return invalid(field, ReasonRequired, "")
	}
	if a.Currency() != p.Currency {
		return invalidf(field, ReasonCurrency, a.String(), "want %s", p.Currency)
	}
	if !a.IsPositive() {
		return invalid(field, ReasonNotPositive, a.String())
	}
	return nil
}

// text checks a code or name: valid UTF-8 without control characters, at
// most max bytes, and present when required.
func text(field, s string, max int, required bool) error {
	if s == "" {
		if required {
			return invalid(field, ReasonRequired, "")
		}
		return nil
	}
	if len(s) > max {
		return invalidf(field, ReasonTooLong, s, "at most %d bytes", max)
	}
	if !utf8.ValidString(s) {
		return invalid(field, ReasonMalformed, s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return invalidf(field, ReasonMalformed, s, "control characters are not allowed")
		}
	}
	return nil
}

// bounded checks that v is within what DecodeProgramme reads (parseDec),
// so that every valid programme encodes to JSON that decodes again.
func bounded(field string, v decimal.Decimal) error {
	if int64(v.NumDigits())+int64(v.Exponent()) > maxIntDigits || !fits(v, maxFracDigits) {
		return invalidf(field, ReasonRange, "", "at most %d digits before the point and %d after", maxIntDigits, maxFracDigits)
	}
	return nil
}
