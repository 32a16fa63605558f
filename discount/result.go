package discount

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// PricedCart is the result of pricing a cart: every line's list amount,
// discount and net amount, and the account of every decision. For every
// line List − Discount = Net exactly, and the totals are the sums of the
// lines.
type PricedCart struct {
	Currency money.Currency
	At       time.Time
	Rounding money.RoundingMode
	Customer string // the customer id, for the record
	Lines    []PricedLine
	// Totals over the lines.
	List, Discount, Net money.Amount
	// Adjustments in the order they were applied: one per line for line
	// and cross rules, one per order rule (with its shares per line).
	Adjustments []Adjustment
	// NotApplied lists, in rule order, every rule that matched the
	// customer, date and coupons but gave nothing to a line it targets
	// (Line is that line) or to the cart (Line is -1), with the reason.
	// A rule may apply to some lines and be listed here for others.
	NotApplied []Rejection
	// Hints tell what would unlock a discount ("add 3 more units").
	Hints []Hint
	// FreeItems are items granted for free that are not (or not enough)
	// in the cart: the host adds them at no charge.
	FreeItems []FreeItem
	// Approvals lists manual discounts above the granter's authority.
	Approvals []Approval
	// Uses is what committing this cart consumes of the usage counters.
	Uses []Use
}

// PricedLine is one priced line.
type PricedLine struct {
	ID            string
	SKU           string
	Quantity      decimal.Decimal // in the sold unit
	Unit          string
	StockQuantity decimal.Decimal
	ListPrice     money.Amount // per sold unit, as given
	// List is ListPrice × Quantity rounded to the minor unit; Discount
	// the sum of the adjustments on the line (and its shares of order
	// discounts); Net = List − Discount.
	List, Discount, Net money.Amount
}

// Cap names why an adjustment was cut below what its rule computed.
type Cap string

// Caps.
const (
	CapFloor   Cap = "floor"    // the line's floor price, minimum margin, or zero
	CapRuleMax Cap = "rule_max" // the rule's maximum discount per cart
	CapBudget  Cap = "budget"   // what remains of a budget
)

// Terms describe what a rule gives, for explanations and hints.
type Terms struct {
	Kind    ActionKind
	Percent decimal.Decimal // percent_off, a volume percent, buy_x_get_y
	// Amount: amount_off's amount, or a price per stock unit (fixed_price,
	// a volume price).
	Amount money.Amount
	Per    Per
	// Buy and Get: buy_x_get_y.
	Buy, Get int64
	// SKU and Quantity: free_item.
	SKU      string
	Quantity decimal.Decimal
	// FromQuantity or FromAmount: the volume break.
	FromQuantity decimal.Decimal
	FromAmount   money.Amount
}

// Share is the part of an order adjustment that falls on one line.
type Share struct {
	Line   int
	Amount money.Amount
}

// Adjustment is one discount applied by one rule: on one line (Line is
// its index) for line and cross rules, on the order (Line is -1, Shares
// give the parts per line) for order rules.
type Adjustment struct {
	Rule     string
	RuleName string
	Scope    ScopeKind
	Stacking Stacking
	Line     int
	SKU      string // the line's SKU, or "" for the order
	// Amount is the discount; Base the amount it was computed on (the
	// list amount for additive rules, the amount earlier rules left for
	// the others).
	Amount, Base money.Amount
	Shares       []Share
	Terms        Terms
	// Units is the number of stock units discounted by buy_x_get_y and
	// free_item.
	Units  decimal.Decimal
	Capped []Cap
	Coupon string
	// GrantedBy is set for manual discounts; NeedsApproval when the
	// discount is above the granter's authority.
	GrantedBy     string
	NeedsApproval bool
}

// RejectReason is why a rule that matched gave nothing.
type RejectReason string

// Reject reasons.
const (
	LostOnPriority        RejectReason = "lost_on_priority"
	LostTie               RejectReason = "lost_tie"
	LimitExhausted        RejectReason = "limit_exhausted"
	CustomerRequired      RejectReason = "customer_required"
	MinQuantityNotReached RejectReason = "min_quantity_not_reached"
	MinAmountNotReached   RejectReason = "min_amount_not_reached"
	MaxQuantityExceeded   RejectReason = "max_quantity_exceeded"
	MaxAmountExceeded     RejectReason = "max_amount_exceeded"
	FloorReached          RejectReason = "floor_reached"
	RuleMaxReached        RejectReason = "rule_max_reached"
	NoEffect              RejectReason = "no_effect"
	ConditionLinesMissing RejectReason = "condition_lines_missing"
)

// Rejection is a rule that matched but did not apply.
type Rejection struct {
	Rule     string
	RuleName string
	Reason   RejectReason
	// Line is the line the reason refers to, or -1.
	Line int
	SKU  string
	// By is the rule that kept this one off (lost_on_priority, lost_tie).
	By string
	// Key is the counter that ran out (limit_exhausted); Budget is true
	// when its budget ran out rather than its number of uses.
	Key    UsageKey
	Budget bool
}

// Hint says what would unlock a discount: Quantity more stock units, or
// Amount more, of Line (or of the matching lines together when Line is
// -1).
type Hint struct {
	Rule     string
	RuleName string
	Line     int
	SKU      string
	Quantity decimal.Decimal
	Amount   money.Amount
	Terms    Terms
}

// FreeItem is an item granted for free that the host should add to the
// order at no charge.
type FreeItem struct {
	Rule     string
	RuleName string
	SKU      string
	Quantity decimal.Decimal // stock units
}

// Approval flags a manual discount above its granter's authority.
type Approval struct {
	Rule      string
	RuleName  string
	GrantedBy string
	// Amount and Base: the discount and what it was computed on; Percent
	// is Amount / Base × 100 rounded half-up to two places, for people
	// (the check itself is exact).
	Amount, Base money.Amount
	Percent      decimal.Decimal
	Authority    decimal.Decimal
}
