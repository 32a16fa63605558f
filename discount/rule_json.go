package discount

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/internal/strictjson"
	"github.com/crmkit/crmkit/money"
)

// The JSON form of rules. Numbers that are not counts (percents,
// quantities) are strings such as "12.5"; amounts are money's
// {"amount":"100.00","currency":"RUB"}; dates are "YYYY-MM-DD"; empty
// fields are left out. Decoding is strict: unknown fields are refused,
// and every error names the rule and the field.

type wireSelector struct {
	SKUs        []string `json:"skus,omitempty"`
	Categories  []string `json:"categories,omitempty"`
	Brands      []string `json:"brands,omitempty"`
	ExcludeSKUs []string `json:"exclude_skus,omitempty"`
}

type wireScope struct {
	Kind      string        `json:"kind"`
	Target    *wireSelector `json:"target,omitempty"`
	Condition *wireSelector `json:"condition,omitempty"`
}

type wireConditions struct {
	Customers   []string        `json:"customers,omitempty"`
	Groups      []string        `json:"groups,omitempty"`
	Tiers       []string        `json:"tiers,omitempty"`
	Tags        []string        `json:"tags,omitempty"`
	Contracts   []string        `json:"contracts,omitempty"`
	ValidFrom   string          `json:"valid_from,omitempty"`
	ValidTo     string          `json:"valid_to,omitempty"`
	MinQuantity string          `json:"min_quantity,omitempty"`
	MaxQuantity string          `json:"max_quantity,omitempty"`
	MinAmount   json.RawMessage `json:"min_amount,omitempty"`
	MaxAmount   json.RawMessage `json:"max_amount,omitempty"`
	AmountBasis string          `json:"amount_basis,omitempty"`
	SumMatching bool            `json:"sum_matching,omitempty"`
	Coupon      string          `json:"coupon,omitempty"`
}

type wireBreak struct {
	MinQuantity string          `json:"min_quantity,omitempty"`
	MinAmount   json.RawMessage `json:"min_amount,omitempty"`
	Percent     string          `json:"percent,omitempty"`
	Price       json.RawMessage `json:"price,omitempty"`
}

type wireAction struct {
	Kind            string          `json:"kind"`
	Percent         string          `json:"percent,omitempty"`
	Amount          json.RawMessage `json:"amount,omitempty"`
	Per             string          `json:"per,omitempty"`
	Price           json.RawMessage `json:"price,omitempty"`
	By              string          `json:"by,omitempty"`
	Breaks          []wireBreak     `json:"breaks,omitempty"`
	Buy             int64           `json:"buy,omitempty"`
	Get             int64           `json:"get,omitempty"`
	MaxApplications int64           `json:"max_applications,omitempty"`
	Pick            string          `json:"pick,omitempty"`
	SKU             string          `json:"sku,omitempty"`
	Quantity        string          `json:"quantity,omitempty"`
}

type wireLimit struct {
	MaxUses int64           `json:"max_uses,omitempty"`
	Budget  json.RawMessage `json:"budget,omitempty"`
}

type wireLimits struct {
	MaxDiscount json.RawMessage `json:"max_discount,omitempty"`
	Total       *wireLimit      `json:"total,omitempty"`
	PerCustomer *wireLimit      `json:"per_customer,omitempty"`
}

type wireManual struct {
	GrantedBy string `json:"granted_by"`
	Authority string `json:"authority,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

type wireRule struct {
	ID         string          `json:"id"`
	Name       string          `json:"name,omitempty"`
	Priority   int             `json:"priority,omitempty"`
	Stacking   string          `json:"stacking"`
	Scope      wireScope       `json:"scope"`
	Conditions *wireConditions `json:"conditions,omitempty"`
	Action     wireAction      `json:"action"`
	Limits     *wireLimits     `json:"limits,omitempty"`
	Manual     *wireManual     `json:"manual,omitempty"`
}

type wireCoupon struct {
	Code        string     `json:"code"`
	Total       *wireLimit `json:"total,omitempty"`
	PerCustomer *wireLimit `json:"per_customer,omitempty"`
}

// ---- encoding

func numOut(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return formatNumber(d)
}

func amountOut(a money.Amount) json.RawMessage {
	if a.Currency().IsZero() {
		return nil
	}
	b, _ := a.MarshalJSON() // never fails for an amount with a currency
	return b
}

func selectorOut(s Selector) *wireSelector {
	if s.IsEmpty() {
		return nil
	}
	return &wireSelector{SKUs: s.SKUs, Categories: s.Categories, Brands: s.Brands, ExcludeSKUs: s.ExcludeSKUs}
}

func limitOut(l Limit) *wireLimit {
	if l.IsZero() {
		return nil
	}
	return &wireLimit{MaxUses: l.MaxUses, Budget: amountOut(l.Budget)}
}

func (r *Rule) wire() wireRule {
	w := wireRule{
		ID: r.ID, Name: r.Name, Priority: r.Priority, Stacking: string(r.Stacking),
		Scope: wireScope{Kind: string(r.Scope.Kind), Target: selectorOut(r.Scope.Target), Condition: selectorOut(r.Scope.Condition)},
	}
	k := &r.Conditions
	wc := wireConditions{
		Customers: k.Customers, Groups: k.Groups, Tiers: k.Tiers, Tags: k.Tags, Contracts: k.Contracts,
		ValidFrom: k.ValidFrom.String(), ValidTo: k.ValidTo.String(),
		MinQuantity: numOut(k.MinQuantity), MaxQuantity: numOut(k.MaxQuantity),
		MinAmount: amountOut(k.MinAmount), MaxAmount: amountOut(k.MaxAmount),
		AmountBasis: string(k.AmountBasis), SumMatching: k.SumMatching, Coupon: k.Coupon,
	}
	if !isEmptyConditions(&wc) {
		w.Conditions = &wc
	}
	a := &r.Action
	w.Action = wireAction{
		Kind: string(a.Kind), Percent: numOut(a.Percent), Amount: amountOut(a.Amount), Per: string(a.Per),
		Price: amountOut(a.Price), By: string(a.By), Buy: a.Buy, Get: a.Get, MaxApplications: a.MaxApplications,
		Pick: string(a.Pick), SKU: a.SKU, Quantity: numOut(a.Quantity),
	}
	for _, b := range a.Breaks {
		w.Action.Breaks = append(w.Action.Breaks, wireBreak{
			MinQuantity: numOut(b.MinQuantity), MinAmount: amountOut(b.MinAmount),
			Percent: numOut(b.Percent), Price: amountOut(b.Price),
		})
	}
	l := &r.Limits
	if !l.MaxDiscount.Currency().IsZero() || !l.Total.IsZero() || !l.PerCustomer.IsZero() {
		w.Limits = &wireLimits{MaxDiscount: amountOut(l.MaxDiscount), Total: limitOut(l.Total), PerCustomer: limitOut(l.PerCustomer)}
	}
	if m := r.Manual; m != nil {
		w.Manual = &wireManual{GrantedBy: m.GrantedBy, Reason: m.Reason}
		if m.Authority != nil {
			w.Manual.Authority = formatNumber(*m.Authority)
		}
	}
	return w
}

func isEmptyConditions(c *wireConditions) bool {
	return len(c.Customers)+len(c.Groups)+len(c.Tiers)+len(c.Tags)+len(c.Contracts) == 0 &&
		c.ValidFrom == "" && c.ValidTo == "" && c.MinQuantity == "" && c.MaxQuantity == "" &&
		c.MinAmount == nil && c.MaxAmount == nil && c.AmountBasis == "" && !c.SumMatching && c.Coupon == ""
}

// MarshalJSON encodes the rule in its JSON form.
func (r Rule) MarshalJSON() ([]byte, error) {
	return json.Marshal(r.wire())
}

// MarshalJSON encodes the coupon in its JSON form.
func (cp Coupon) MarshalJSON() ([]byte, error) {
	return json.Marshal(wireCoupon{Code: cp.Code, Total: limitOut(cp.Total), PerCustomer: limitOut(cp.PerCustomer)})
}

// MarshalJSON encodes the rule set as {"rules":[...],"coupons":[...]}.
func (rs RuleSet) MarshalJSON() ([]byte, error) {
	out := struct {
		Rules   []Rule   `json:"rules"`
		Coupons []Coupon `json:"coupons,omitempty"`
	}{Rules: rs.Rules, Coupons: rs.Coupons}
	if out.Rules == nil {
		out.Rules = []Rule{}
	}
	return json.Marshal(out)
}

// ---- decoding

// maxRuleJSON bounds the size of one rule's JSON.
const maxRuleJSON = 1 << 20

// DecodeRules reads a rule set from its JSON form
// ({"rules":[...],"coupons":[...]}) and validates every rule and coupon.
// Rule ids and coupon codes must be unique. Every failure is a
// *RuleError that names the rule (its id, or "#N" for the N-th rule,
// counted from 0) and the field.
func DecodeRules(data []byte) (RuleSet, error) {
	var top struct {
		Rules   []json.RawMessage `json:"rules"`
		Coupons []json.RawMessage `json:"coupons"`
	}
	if err := strictUnmarshal(data, &top); err != nil {
		return RuleSet{}, jsonError("", "", err)
	}
	rs := RuleSet{Rules: make([]Rule, 0, len(top.Rules))}
	seen := make(map[string]int, len(top.Rules))
	for i, raw := range top.Rules {
		r, err := decodeRule(raw, i)
		if err != nil {
			return RuleSet{}, err
		}
		if j, dup := seen[r.ID]; dup {
			return RuleSet{}, &RuleError{Rule: r.ID, Field: "id", Reason: ReasonDuplicate, Value: r.ID,
				Detail: "rule #" + strconv.Itoa(j) + " has the same id"}
		}
		seen[r.ID] = i
		rs.Rules = append(rs.Rules, r)
	}
	codes := make(map[string]bool, len(top.Coupons))
	for i, raw := range top.Coupons {
		cp, err := decodeCoupon(raw, i)
		if err != nil {
			return RuleSet{}, err
		}
		code := normCoupon(cp.Code)
		if codes[code] {
			return RuleSet{}, &RuleError{Rule: "coupon " + cp.Code, Field: "code", Reason: ReasonDuplicate, Value: cp.Code}
		}
		codes[code] = true
		rs.Coupons = append(rs.Coupons, cp)
	}
	// The checks NewEngine makes across rules and coupons: a rule's
	// amounts and its coupon's budgets share one currency.
	for i := range rs.Rules {
		if err := checkCouponCurrency(&rs.Rules[i], rs.Coupons); err != nil {
			return RuleSet{}, err
		}
	}
	return rs, nil
}

// UnmarshalJSON decodes and validates a rule set, as DecodeRules.
func (rs *RuleSet) UnmarshalJSON(data []byte) error {
	decoded, err := DecodeRules(data)
	if err != nil {
		return err
	}
	*rs = decoded
	return nil
}

// UnmarshalJSON decodes and validates one rule.
func (r *Rule) UnmarshalJSON(data []byte) error {
	decoded, err := decodeRule(data, 0)
	if err != nil {
		return err
	}
	*r = decoded
	return nil
}

// strictUnmarshal decodes one JSON value, refusing unknown fields, keys
// given twice or in another case, and trailing data.
func strictUnmarshal(data []byte, v any) error {
	if len(data) > maxRuleJSON*64 {
		return errTooLarge
	}
	if p := strictjson.Check(data, reflect.TypeOf(v)); p != nil {
		return p
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTrailing
	}
	return nil
}

var (
	errTooLarge = errors.New("too large")
	errTrailing = errors.New("trailing data")
)

// jsonError turns an encoding/json error into a *RuleError naming the
// field where possible.
func jsonError(rule, prefix string, err error) *RuleError {
	var te *json.UnmarshalTypeError
	var p *strictjson.Problem
	switch {
	case errors.As(err, &p):
		return problemError(rule, prefix, p)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "(value)"
		}
		return &RuleError{Rule: rule, Field: prefix + field, Reason: ReasonBadFormat, Value: te.Value}
	case errors.Is(err, errTooLarge):
		return &RuleError{Rule: rule, Field: strings.TrimSuffix(prefix, "."), Reason: ReasonTooLong}
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		if unq, uerr := strconv.Unquote(name); uerr == nil {
			name = unq
		}
		return &RuleError{Rule: rule, Field: prefix + name, Reason: ReasonUnknownField}
	}
	field := strings.TrimSuffix(prefix, ".")
	if field == "" {
		field = "(json)"
	}
	return &RuleError{Rule: rule, Field: field, Reason: ReasonMalformedJSON}
}

// problemError turns what strictjson refuses into a *RuleError: a key
// given twice is a duplicate, a key not spelt exactly as a field is an
// unknown field, a value of the wrong JSON kind a bad format.
func problemError(rule, prefix string, p *strictjson.Problem) *RuleError {
	field := prefix + p.Path
	if p.Path == "" {
		field = strings.TrimSuffix(prefix, ".")
	}
	if field == "" {
		field = "(value)"
	}
	switch p.Kind {
	case strictjson.Duplicate:
		return &RuleError{Rule: rule, Field: field, Reason: ReasonDuplicate, Value: p.Token, Detail: "the key is given twice"}
	case strictjson.UnknownField:
		return &RuleError{Rule: rule, Field: field, Reason: ReasonUnknownField}
	case strictjson.WrongType:
		return &RuleError{Rule: rule, Field: field, Reason: ReasonBadFormat, Value: p.Token, Detail: "want a JSON " + p.Want}
	}
	return &RuleError{Rule: rule, Field: field, Reason: ReasonMalformedJSON, Detail: "nested too deeply"}
}

// ruleLabel finds a rule's id in its raw JSON for error messages, or
// falls back to its position. Only a single "id" key spelt exactly so
// names the rule: with a second one, or a case variant, which one
// encoding/json would keep is no name to trust.
func ruleLabel(raw []byte, i int) string {
	fallback := "#" + strconv.Itoa(i)
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fallback
	}
	id, found := "", false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fallback
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return fallback
		}
		if !strings.EqualFold(key, "id") {
			continue
		}
		if key != "id" || found || json.Unmarshal(value, &id) != nil {
			return fallback
		}
		found = true
	}
	if id != "" && checkText(id, maxIDLen) == "" {
		return id
	}
	return fallback
}

// fieldDecoder converts wire values to rule values, keeping the first
// error with its field path.
type fieldDecoder struct {
	rule string
	err  *RuleError
}

func (d *fieldDecoder) number(field, s string) decimal.Decimal {
	if s == "" || d.err != nil {
		return decimal.Decimal{}
	}
	v, reason := parseNumber(s)
	if reason != "" {
		d.err = &RuleError{Rule: d.rule, Field: field, Reason: reason, Value: s}
	}
	return v
}

func (d *fieldDecoder) amount(field string, raw json.RawMessage) money.Amount {
	if len(raw) == 0 || d.err != nil {
		return money.Amount{}
	}
	if string(bytes.TrimSpace(raw)) == "null" {
		return money.Amount{}
	}
	var a money.Amount
	if err := a.UnmarshalJSON(raw); err != nil {
		d.err = &RuleError{Rule: d.rule, Field: field, Reason: ReasonBadFormat, Err: err}
		return money.Amount{}
	}
	return a
}

func (d *fieldDecoder) date(field, s string) Date {
	if s == "" || d.err != nil {
		return Date{}
	}
	v, err := ParseDate(s)
	if err != nil {
		d.err = &RuleError{Rule: d.rule, Field: field, Reason: ReasonBadFormat, Value: s}
	}
	return v
}

func (d *fieldDecoder) selector(w *wireSelector) Selector {
	if w == nil {
		return Selector{}
	}
	return Selector{SKUs: w.SKUs, Categories: w.Categories, Brands: w.Brands, ExcludeSKUs: w.ExcludeSKUs}
}

func (d *fieldDecoder) limit(field string, w *wireLimit) Limit {
	if w == nil {
		return Limit{}
	}
	return Limit{MaxUses: w.MaxUses, Budget: d.amount(field+".budget", w.Budget)}
}

func decodeRule(raw []byte, i int) (Rule, error) {
	lbl := ruleLabel(raw, i)
	if len(raw) > maxRuleJSON {
		return Rule{}, &RuleError{Rule: lbl, Field: "(rule)", Reason: ReasonTooLong}
	}
	var w wireRule
	if err := strictUnmarshal(raw, &w); err != nil {
		return Rule{}, jsonError(lbl, "", err)
	}
	d := &fieldDecoder{rule: lbl}
	r := Rule{
		ID: w.ID, Name: w.Name, Priority: w.Priority, Stacking: Stacking(w.Stacking),
		Scope: Scope{Kind: ScopeKind(w.Scope.Kind), Target: d.selector(w.Scope.Target), Condition: d.selector(w.Scope.Condition)},
	}
	if c := w.Conditions; c != nil {
		r.Conditions = Conditions{
			Customers: c.Customers, Groups: c.Groups, Tiers: c.Tiers, Tags: c.Tags, Contracts: c.Contracts,
			ValidFrom:   d.date("conditions.valid_from", c.ValidFrom),
			ValidTo:     d.date("conditions.valid_to", c.ValidTo),
			MinQuantity: d.number("conditions.min_quantity", c.MinQuantity),
			MaxQuantity: d.number("conditions.max_quantity", c.MaxQuantity),
			MinAmount:   d.amount("conditions.min_amount", c.MinAmount),
			MaxAmount:   d.amount("conditions.max_amount", c.MaxAmount),
			AmountBasis: AmountBasis(c.AmountBasis), SumMatching: c.SumMatching, Coupon: c.Coupon,
		}
	}
	a := &w.Action
	r.Action = Action{
		Kind:    ActionKind(a.Kind),
		Percent: d.number("action.percent", a.Percent),
		Amount:  d.amount("action.amount", a.Amount), Per: Per(a.Per),
		Price: d.amount("action.price", a.Price), By: Measure(a.By),
		Buy: a.Buy, Get: a.Get, MaxApplications: a.MaxApplications, Pick: Pick(a.Pick),
		SKU: a.SKU, Quantity: d.number("action.quantity", a.Quantity),
	}
	for j, b := range a.Breaks {
		f := "action.breaks[" + strconv.Itoa(j) + "]."
		r.Action.Breaks = append(r.Action.Breaks, Break{
			MinQuantity: d.number(f+"min_quantity", b.MinQuantity),
			MinAmount:   d.amount(f+"min_amount", b.MinAmount),
			Percent:     d.number(f+"percent", b.Percent),
			Price:       d.amount(f+"price", b.Price),
		})
	}
	if l := w.Limits; l != nil {
		r.Limits = Limits{
			MaxDiscount: d.amount("limits.max_discount", l.MaxDiscount),
			Total:       d.limit("limits.total", l.Total),
			PerCustomer: d.limit("limits.per_customer", l.PerCustomer),
		}
	}
	if m := w.Manual; m != nil {
		r.Manual = &Manual{GrantedBy: m.GrantedBy, Reason: m.Reason}
		if m.Authority != "" {
			auth := d.number("manual.authority", m.Authority)
			r.Manual.Authority = &auth
		}
	}
	if d.err != nil {
		return Rule{}, d.err
	}
	if err := r.validate(lbl); err != nil {
		return Rule{}, err
	}
	return r, nil
}

func decodeCoupon(raw []byte, i int) (Coupon, error) {
	lbl := "coupon #" + strconv.Itoa(i)
	var w wireCoupon
	if err := strictUnmarshal(raw, &w); err != nil {
		return Coupon{}, jsonError(lbl, "", err)
	}
	if w.Code != "" && checkText(w.Code, maxCouponLen) == "" {
		lbl = "coupon " + w.Code
	}
	d := &fieldDecoder{rule: lbl}
	cp := Coupon{Code: w.Code, Total: d.limit("total", w.Total), PerCustomer: d.limit("per_customer", w.PerCustomer)}
	if d.err != nil {
		return Coupon{}, d.err
	}
	if err := cp.validate(lbl); err != nil {
		return Coupon{}, err
	}
	return cp, nil
}

// checkCouponCurrency refuses a rule whose amounts are in another
// currency than a budget of the coupon it requires (as NewEngine does).
func checkCouponCurrency(r *Rule, coupons []Coupon) error {
	if r.Conditions.Coupon == "" {
		return nil
	}
	code := normCoupon(r.Conditions.Coupon)
	for i := range coupons {
		if normCoupon(coupons[i].Code) == code {
			return checkCouponBudgets(r, ruleCurrency(r), &coupons[i])
		}
	}
	return nil
}

// checkCouponBudgets refuses a coupon budget in another currency than
// cur, the currency of rule r's amounts (none: any currency).
func checkCouponBudgets(r *Rule, cur money.Currency, def *Coupon) error {
	for _, b := range [...]money.Amount{def.Total.Budget, def.PerCustomer.Budget} {
		if !b.Currency().IsZero() && !cur.IsZero() && b.Currency() != cur {
			return &RuleError{Rule: r.ID, Field: "conditions.coupon", Reason: ReasonCurrencyMismatch,
				Value: r.Conditions.Coupon, Detail: "the coupon's budget is in " + b.Currency().Code()}
		}
	}
	return nil
}
