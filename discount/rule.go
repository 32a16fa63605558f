package discount

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// ScopeKind says what a rule applies to.
type ScopeKind string

// Scopes.
const (
	// ScopeLine: every line the target selector matches (every line when
	// the selector is empty). Quantity and amount conditions are measured
	// per line, or over all matching lines with Conditions.SumMatching.
	ScopeLine ScopeKind = "line"
	// ScopeOrder: the whole order. Quantity and amount conditions are
	// measured over the lines of the condition selector (all lines when
	// it is empty); the discount is spread over the lines.
	ScopeOrder ScopeKind = "order"
	// ScopeCross: quantity and amount conditions are measured over the
	// lines of the condition selector (which must be given); the reward
	// goes to the lines of the target selector that are not condition
	// lines (every other line when the target selector is empty).
	ScopeCross ScopeKind = "cross"
)

// Stacking says how a rule combines with the others. See the package
// documentation.
type Stacking string

// Stacking modes.
const (
	Exclusive   Stacking = "exclusive"
	Stop        Stacking = "stop"
	Additive    Stacking = "additive"
	Compounding Stacking = "compounding"
)

// AmountBasis says whether an amount condition (or a volume break by
// amount) is measured before or after the discounts of earlier rules.
type AmountBasis string

// Amount bases. The empty basis is BasisList.
const (
	BasisList AmountBasis = "list" // before discounts
	BasisNet  AmountBasis = "net"  // after the discounts of earlier rules
)

// ActionKind names what a rule gives.
type ActionKind string

// Action kinds.
const (
	// ActionPercentOff: Percent off the base.
	ActionPercentOff ActionKind = "percent_off"
	// ActionAmountOff: Amount off per stock unit, per line or per order
	// (Per).
	ActionAmountOff ActionKind = "amount_off"
	// ActionFixedPrice: the line costs Price per stock unit.
	ActionFixedPrice ActionKind = "fixed_price"
	// ActionVolume: the highest break reached (by quantity or amount)
	// sets a percent off or a price per stock unit for all units.
	ActionVolume ActionKind = "volume"
	// ActionBuyXGetY: for every Buy units bought, Get units are free (or
	// Percent off), cheapest or most expensive units first, at most
	// MaxApplications times.
	ActionBuyXGetY ActionKind = "buy_x_get_y"
	// ActionFreeItem: Quantity stock units of SKU are free: units of the
	// SKU in the cart first, the rest listed in PricedCart.FreeItems for
	// the host to add at no charge.
	ActionFreeItem ActionKind = "free_item"
)

// Per says what an amount off is counted per.
type Per string

// Amount-off units.
const (
	PerUnit  Per = "unit"  // per stock unit of each line
	PerLine  Per = "line"  // once per matching line
	PerOrder Per = "order" // once per order (scope order only)
)

// Measure says what volume breaks are measured by.
type Measure string

// Volume measures. The empty measure is ByQuantity.
const (
	ByQuantity Measure = "quantity"
	ByAmount   Measure = "amount"
)

// Pick says which units buy X get Y discounts first.
type Pick string

// Picks. The empty pick is Cheapest.
const (
	Cheapest      Pick = "cheapest"
	MostExpensive Pick = "most_expensive"
)

// Selector picks lines by product. Every list given must match (any SKU
// of SKUs, any category id in the line's path of Categories, any brand
// of Brands) and the SKU must not be in ExcludeSKUs. An empty selector
// matches every line.
type Selector struct {
	SKUs        []string
	Categories  []string
	Brands      []string
	ExcludeSKUs []string
}

// IsEmpty reports whether the selector has no list.
func (s Selector) IsEmpty() bool {
	return len(s.SKUs) == 0 && len(s.Categories) == 0 && len(s.Brands) == 0 && len(s.ExcludeSKUs) == 0
}

// Matches reports whether the line matches the selector.
func (s Selector) Matches(l *Line) bool { return s.matches(l) }

// matches is Matches without copying the selector.
func (s *Selector) matches(l *Line) bool {
	if len(s.SKUs) > 0 && !contains(s.SKUs, l.SKU) {
		return false
	}
	if len(s.Brands) > 0 && !contains(s.Brands, l.Brand) {
		return false
	}
	if len(s.Categories) > 0 {
		found := false
		for _, c := range l.Category {
			if contains(s.Categories, c) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return !contains(s.ExcludeSKUs, l.SKU)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Scope is what a rule applies to. See ScopeKind.
type Scope struct {
	Kind      ScopeKind
	Target    Selector // line and cross scopes; must be empty for order
	Condition Selector // cross (required) and order (optional); must be empty for line
}

// Conditions are what must hold for a rule to apply. Every condition
// given must hold; a list holds when any of its values matches.
type Conditions struct {
	Customers []string // customer ids
	Groups    []string
	Tiers     []string
	Tags      []string
	Contracts []string
	// ValidFrom and ValidTo bound the validity window, both inclusive,
	// judged in the cart's time zone. Zero means open.
	ValidFrom, ValidTo Date
	// MinQuantity and MaxQuantity bound the quantity in stock units,
	// both inclusive. Zero means no bound.
	MinQuantity, MaxQuantity decimal.Decimal
	// MinAmount and MaxAmount bound the amount, both inclusive, measured
	// as AmountBasis says. The zero Amount means no bound.
	MinAmount, MaxAmount money.Amount
	AmountBasis          AmountBasis
	// SumMatching measures a line rule's quantity and amount over all
	// matching lines together instead of per line. Cross and order rules
	// always measure over their condition lines together.
	SumMatching bool
	// Coupon is the code the customer must present (case and spaces
	// ignored).
	Coupon string
}

// Break is one volume break: from MinQuantity stock units (measure
// quantity) or from MinAmount (measure amount), Percent off or a Price
// per stock unit.
type Break struct {
	MinQuantity decimal.Decimal
	MinAmount   money.Amount
	Percent     decimal.Decimal
	Price       money.Amount
}

// Action is what a rule gives. Which fields apply depends on Kind; the
// others must be left empty.
type Action struct {
	Kind ActionKind
	// Percent: percent_off (above 0, at most 100); buy_x_get_y (the
	// discount on the "get" units, 0 meaning 100: free).
	Percent decimal.Decimal
	// Amount and Per: amount_off.
	Amount money.Amount
	Per    Per
	// Price per stock unit: fixed_price.
	Price money.Amount
	// By and Breaks (ascending): volume.
	By     Measure
	Breaks []Break
	// Buy, Get, MaxApplications (0: no cap) and Pick: buy_x_get_y, in
	// whole stock units.
	Buy, Get        int64
	MaxApplications int64
	Pick            Pick
	// SKU and Quantity (stock units, zero meaning 1): free_item.
	SKU      string
	Quantity decimal.Decimal
}

// Limit bounds the uses of a rule or coupon over all carts: at most
// MaxUses uses (0: no limit) and at most Budget of discount in total (the
// zero Amount: no budget).
type Limit struct {
	MaxUses int64
	Budget  money.Amount
}

// IsZero reports whether the limit bounds nothing.
func (l Limit) IsZero() bool { return l.MaxUses == 0 && l.Budget.Currency().IsZero() }

// Limits caps a rule: MaxDiscount in one cart (the zero Amount: no cap),
// Total over all carts, and PerCustomer for each customer.
type Limits struct {
	MaxDiscount money.Amount
	Total       Limit
	PerCustomer Limit
}

// Manual marks a discount granted by a manager.
type Manual struct {
	// GrantedBy is who granted it (a user id or name). Required.
	GrantedBy string
	// Authority is the granter's limit as a percent: an effective
	// discount above it is flagged for approval. Nil means no limit.
	Authority *decimal.Decimal
	// Reason is the manager's note, for people.
	Reason string
}

// Rule is one pricing rule. See the package documentation for the
// semantics and Validate for what is accepted.
type Rule struct {
	ID         string
	Name       string // for people; the id is shown when empty
	Priority   int    // higher runs first
	Stacking   Stacking
	Scope      Scope
	Conditions Conditions
	Action     Action
	Limits     Limits
	Manual     *Manual
}

// Coupon holds the limits of a coupon code over all carts, shared by
// every rule that requires the code. A code without a Coupon entry has no
// limits of its own.
type Coupon struct {
	Code        string
	Total       Limit
	PerCustomer Limit
}

// RuleSet is the rules and coupons an Engine is built from. Its JSON form
// is {"rules":[...],"coupons":[...]}.
type RuleSet struct {
	Rules   []Rule
	Coupons []Coupon
}

// label names the rule in errors: its id, or its position.
func label(id string, i int) string {
	if id != "" {
		return id
	}
	return "#" + strconv.Itoa(i)
}

// Validate checks the rule and returns a *RuleError naming the field at
// fault, or nil.
func (r *Rule) Validate() error {
	if err := r.validate(label(r.ID, 0)); err != nil {
		return err
	}
	return nil
}

type ruleChecker struct {
	label    string
	currency money.Currency
	err      *RuleError
}

func (c *ruleChecker) fail(field string, reason Reason, value string) {
	if c.err == nil {
		c.err = &RuleError{Rule: c.label, Field: field, Reason: reason, Value: value}
	}
}

func (c *ruleChecker) failf(field string, reason Reason, value, detail string) {
	if c.err == nil {
		c.err = &RuleError{Rule: c.label, Field: field, Reason: reason, Value: value, Detail: detail}
	}
}

// text checks a free-form string.
func (c *ruleChecker) text(field, s string, max int, required bool) {
	if s == "" {
		if required {
			c.fail(field, ReasonRequired, "")
		}
		return
	}
	if r := checkText(s, max); r != "" {
		c.fail(field, r, s)
	}
}

func (c *ruleChecker) list(field string, values []string) {
	for i, v := range values {
		c.text(field+"["+strconv.Itoa(i)+"]", v, maxIDLen, true)
	}
}

// number checks a decimal: sane, and at least zero (or above zero when
// positive is set).
func (c *ruleChecker) number(field string, d decimal.Decimal, positive bool) {
	switch {
	case !saneDecimal(d):
		c.fail(field, ReasonOutOfRange, formatNumber(d))
	case d.IsNegative():
		c.fail(field, ReasonNegative, formatNumber(d))
	case positive && d.IsZero():
		c.fail(field, ReasonNotPositive, formatNumber(d))
	}
}

// percent checks a percent above 0 (or at 0 when zeroOK) and at most 100.
func (c *ruleChecker) percent(field string, d decimal.Decimal, zeroOK bool) {
	c.number(field, d, !zeroOK)
	if d.Cmp(hundred) > 0 {
		c.failf(field, ReasonOutOfRange, formatNumber(d), "a percent is at most 100")
	}
}

// amount checks an optional amount: when given, sane, not negative (or
// positive), and in the rule's one currency.
func (c *ruleChecker) amount(field string, a money.Amount, positive bool) {
	if a.Currency().IsZero() {
		return
	}
	c.number(field, a.Decimal(), positive)
	if c.currency.IsZero() {
		c.currency = a.Currency()
	} else if a.Currency() != c.currency {
		c.failf(field, ReasonCurrencyMismatch, a.String(), "the rule's other amounts are in "+c.currency.Code())
	}
}

func (c *ruleChecker) selector(field string, s Selector) {
	c.list(field+".skus", s.SKUs)
	c.list(field+".categories", s.Categories)
	c.list(field+".brands", s.Brands)
	c.list(field+".exclude_skus", s.ExcludeSKUs)
}

func (r *Rule) validate(lbl string) *RuleError {
	c := &ruleChecker{label: lbl}
	c.text("id", r.ID, maxIDLen, true)
	c.text("name", r.Name, maxTextLen, false)
	switch r.Stacking {
	case Exclusive, Stop, Additive, Compounding:
	case "":
		c.fail("stacking", ReasonRequired, "")
	default:
		c.fail("stacking", ReasonUnknownValue, string(r.Stacking))
	}
	c.scope(&r.Scope)
	c.conditions(&r.Conditions)
	c.action(&r.Action, r.Scope.Kind)
	c.amount("limits.max_discount", r.Limits.MaxDiscount, true)
	c.limit("limits.total", r.Limits.Total)
	c.limit("limits.per_customer", r.Limits.PerCustomer)
	if m := r.Manual; m != nil {
		c.text("manual.granted_by", m.GrantedBy, maxIDLen, true)
		c.text("manual.reason", m.Reason, maxTextLen, false)
		if m.Authority != nil {
			c.percent("manual.authority", *m.Authority, true)
		}
	}
	return c.err
}

func (c *ruleChecker) limit(field string, l Limit) {
	if l.MaxUses < 0 {
		c.fail(field+".max_uses", ReasonNegative, strconv.FormatInt(l.MaxUses, 10))
	}
	c.amount(field+".budget", l.Budget, false)
}

func (c *ruleChecker) scope(s *Scope) {
	c.selector("scope.target", s.Target)
	c.selector("scope.condition", s.Condition)
	switch s.Kind {
	case ScopeLine:
		if !s.Condition.IsEmpty() {
			c.failf("scope.condition", ReasonNotAllowed, "", "a line rule's conditions are measured on its target lines; use scope cross")
		}
	case ScopeOrder:
		if !s.Target.IsEmpty() {
			c.failf("scope.target", ReasonNotAllowed, "", "an order rule applies to the whole order; use scope line with sum_matching")
		}
	case ScopeCross:
		if s.Condition.IsEmpty() {
			c.fail("scope.condition", ReasonRequired, "")
		}
	case "":
		c.fail("scope.kind", ReasonRequired, "")
	default:
		c.fail("scope.kind", ReasonUnknownValue, string(s.Kind))
	}
}

func (c *ruleChecker) conditions(k *Conditions) {
	c.list("conditions.customers", k.Customers)
	c.list("conditions.groups", k.Groups)
	c.list("conditions.tiers", k.Tiers)
	c.list("conditions.tags", k.Tags)
	c.list("conditions.contracts", k.Contracts)
	if !k.ValidFrom.IsZero() && !k.ValidFrom.Valid() {
		c.fail("conditions.valid_from", ReasonBadFormat, k.ValidFrom.String())
	}
	if !k.ValidTo.IsZero() && !k.ValidTo.Valid() {
		c.fail("conditions.valid_to", ReasonBadFormat, k.ValidTo.String())
	}
	if !k.ValidFrom.IsZero() && !k.ValidTo.IsZero() && k.ValidFrom.Compare(k.ValidTo) > 0 {
		c.failf("conditions.valid_from", ReasonMinAboveMax, k.ValidFrom.String(), "the window ends on "+k.ValidTo.String())
	}
	c.number("conditions.min_quantity", k.MinQuantity, false)
	c.number("conditions.max_quantity", k.MaxQuantity, false)
	if !k.MaxQuantity.IsZero() && k.MinQuantity.Cmp(k.MaxQuantity) > 0 {
		c.failf("conditions.min_quantity", ReasonMinAboveMax, formatNumber(k.MinQuantity), "the maximum is "+formatNumber(k.MaxQuantity))
	}
	c.amount("conditions.min_amount", k.MinAmount, false)
	c.amount("conditions.max_amount", k.MaxAmount, false)
	if !k.MaxAmount.Currency().IsZero() && !k.MaxAmount.IsZero() && !k.MinAmount.Currency().IsZero() &&
		cmpAmounts(k.MinAmount, k.MaxAmount) > 0 {
		c.failf("conditions.min_amount", ReasonMinAboveMax, k.MinAmount.String(), "the maximum is "+k.MaxAmount.String())
	}
	switch k.AmountBasis {
	case "", BasisList, BasisNet:
	default:
		c.fail("conditions.amount_basis", ReasonUnknownValue, string(k.AmountBasis))
	}
	if k.Coupon != "" {
		c.text("conditions.coupon", k.Coupon, maxCouponLen, true)
		if strings.TrimSpace(k.Coupon) == "" {
			c.fail("conditions.coupon", ReasonBadFormat, k.Coupon)
		}
	}
}

// actionFields lists which optional action fields are set, for the check
// that an action sets only the fields of its kind.
func actionFields(a *Action) []string {
	var set []string
	if !a.Percent.IsZero() {
		set = append(set, "percent")
	}
	if !a.Amount.Currency().IsZero() {
		set = append(set, "amount")
	}
	if a.Per != "" {
		set = append(set, "per")
	}
	if !a.Price.Currency().IsZero() {
		set = append(set, "price")
	}
	if a.By != "" {
		set = append(set, "by")
	}
	if len(a.Breaks) > 0 {
		set = append(set, "breaks")
	}
	if a.Buy != 0 {
		set = append(set, "buy")
	}
	if a.Get != 0 {
		set = append(set, "get")
	}
	if a.MaxApplications != 0 {
		set = append(set, "max_applications")
	}
	if a.Pick != "" {
		set = append(set, "pick")
	}
	if a.SKU != "" {
		set = append(set, "sku")
	}
	if !a.Quantity.IsZero() {
		set = append(set, "quantity")
	}
	return set
}

var allowedFields = map[ActionKind][]string{
	ActionPercentOff: {"percent"},
	ActionAmountOff:  {"amount", "per"},
	ActionFixedPrice: {"price"},
	ActionVolume:     {"by", "breaks"},
	ActionBuyXGetY:   {"buy", "get", "percent", "max_applications", "pick"},
	ActionFreeItem:   {"sku", "quantity"},
}

func (c *ruleChecker) action(a *Action, scope ScopeKind) {
	allowed, known := allowedFields[a.Kind]
	if !known {
		if a.Kind == "" {
			c.fail("action.kind", ReasonRequired, "")
		} else {
			c.fail("action.kind", ReasonUnknownValue, string(a.Kind))
		}
		return
	}
	for _, f := range actionFields(a) {
		if !contains(allowed, f) {
			c.failf("action."+f, ReasonNotAllowed, "", "not a field of a "+string(a.Kind)+" action")
			return
		}
	}
	lineOnly := func() {
		if scope == ScopeOrder {
			c.failf("action.kind", ReasonNotAllowed, string(a.Kind), "needs scope line or cross")
		}
	}
	switch a.Kind {
	case ActionPercentOff:
		c.percent("action.percent", a.Percent, false)
	case ActionAmountOff:
		if a.Amount.Currency().IsZero() {
			c.fail("action.amount", ReasonRequired, "")
		}
		c.amount("action.amount", a.Amount, true)
		switch a.Per {
		case PerUnit, PerLine:
			lineOnly()
		case PerOrder:
			if scope != ScopeOrder && scope != "" {
				c.failf("action.per", ReasonNotAllowed, string(a.Per), "an amount per order needs scope order")
			}
		case "":
			c.fail("action.per", ReasonRequired, "")
		default:
			c.fail("action.per", ReasonUnknownValue, string(a.Per))
		}
		if scope == ScopeOrder && a.Per != PerOrder && a.Per != "" {
			c.failf("action.per", ReasonNotAllowed, string(a.Per), "an order rule gives an amount per order")
		}
	case ActionFixedPrice:
		lineOnly()
		if a.Price.Currency().IsZero() {
			c.fail("action.price", ReasonRequired, "")
		}
		c.amount("action.price", a.Price, false)
	case ActionVolume:
		c.volume(a, scope)
	case ActionBuyXGetY:
		lineOnly()
		const maxUnits = 1_000_000
		if a.Buy <= 0 || a.Buy > maxUnits {
			c.failf("action.buy", ReasonOutOfRange, strconv.FormatInt(a.Buy, 10), "between 1 and 1000000 units")
		}
		if a.Get <= 0 || a.Get > maxUnits {
			c.failf("action.get", ReasonOutOfRange, strconv.FormatInt(a.Get, 10), "between 1 and 1000000 units")
		}
		if a.MaxApplications < 0 {
			c.fail("action.max_applications", ReasonNegative, strconv.FormatInt(a.MaxApplications, 10))
		}
		c.percent("action.percent", a.Percent, true)
		switch a.Pick {
		case "", Cheapest, MostExpensive:
		default:
			c.fail("action.pick", ReasonUnknownValue, string(a.Pick))
		}
	case ActionFreeItem:
		c.text("action.sku", a.SKU, maxIDLen, true)
		c.number("action.quantity", a.Quantity, false)
	}
}

func (c *ruleChecker) volume(a *Action, scope ScopeKind) {
	switch a.By {
	case "", ByQuantity, ByAmount:
	default:
		c.fail("action.by", ReasonUnknownValue, string(a.By))
		return
	}
	if len(a.Breaks) == 0 {
		c.fail("action.breaks", ReasonRequired, "")
		return
	}
	const maxBreaks = 100
	if len(a.Breaks) > maxBreaks {
		c.failf("action.breaks", ReasonOutOfRange, strconv.Itoa(len(a.Breaks)), "at most 100 breaks")
		return
	}
	for i, b := range a.Breaks {
		f := "action.breaks[" + strconv.Itoa(i) + "]."
		if a.By == ByAmount {
			if !b.MinQuantity.IsZero() {
				c.failf(f+"min_quantity", ReasonNotAllowed, "", "breaks by amount give min_amount")
			}
			if b.MinAmount.Currency().IsZero() {
				c.fail(f+"min_amount", ReasonRequired, "")
			}
			c.amount(f+"min_amount", b.MinAmount, true)
			if i > 0 && c.err == nil && cmpAmounts(b.MinAmount, a.Breaks[i-1].MinAmount) <= 0 {
				c.fail(f+"min_amount", ReasonNotAscending, b.MinAmount.String())
			}
		} else {
			if !b.MinAmount.Currency().IsZero() {
				c.failf(f+"min_amount", ReasonNotAllowed, "", "breaks by quantity give min_quantity")
			}
			c.number(f+"min_quantity", b.MinQuantity, true)
			if i > 0 && b.MinQuantity.Cmp(a.Breaks[i-1].MinQuantity) <= 0 {
				c.fail(f+"min_quantity", ReasonNotAscending, formatNumber(b.MinQuantity))
			}
		}
		hasPrice := !b.Price.Currency().IsZero()
		switch {
		case hasPrice && !b.Percent.IsZero():
			c.failf(f+"price", ReasonNotAllowed, "", "a break gives a percent or a price, not both")
		case hasPrice:
			if scope == ScopeOrder {
				c.failf(f+"price", ReasonNotAllowed, "", "an order rule's breaks give percents")
			}
			c.amount(f+"price", b.Price, false)
		default:
			c.percent(f+"percent", b.Percent, false)
		}
	}
}

// validateCoupon checks a coupon's code and limits.
func (cp *Coupon) validate(lbl string) *RuleError {
	c := &ruleChecker{label: lbl}
	c.text("code", cp.Code, maxCouponLen, true)
	if cp.Code != "" && strings.TrimSpace(cp.Code) == "" {
		c.fail("code", ReasonBadFormat, cp.Code)
	}
	c.limit("total", cp.Total)
	c.limit("per_customer", cp.PerCustomer)
	return c.err
}

// ruleCurrency returns the one currency of the rule's amounts, or the
// zero Currency when it has none (a percent rule without budgets).
func ruleCurrency(r *Rule) money.Currency {
	c := &ruleChecker{}
	c.amount("", r.Conditions.MinAmount, false)
	c.amount("", r.Conditions.MaxAmount, false)
	c.amount("", r.Action.Amount, false)
	c.amount("", r.Action.Price, false)
	for _, b := range r.Action.Breaks {
		c.amount("", b.MinAmount, false)
		c.amount("", b.Price, false)
	}
	c.amount("", r.Limits.MaxDiscount, false)
	c.amount("", r.Limits.Total.Budget, false)
	c.amount("", r.Limits.PerCustomer.Budget, false)
	return c.currency
}
