package loyalty

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// Order is a purchase as loyalty sees it: lines with the amounts the
// client owes for them after every discount, and the money value of the
// points redeemed on the order.
type Order struct {
	// ID is the host's order id; returns and the earn posting's key refer
	// to it. Required, at most 200 bytes.
	ID string
	// Date is the day of the purchase. A Service fills in today when it is
	// zero; Rules.Earn requires it.
	Date Date
	// Lines are the order's lines; at least one, at most 1000.
	Lines []Line
	// PointsPaid is the money value of the points redeemed on the order
	// (zero when none). It is spread over the lines in proportion to their
	// amounts and does not earn: do not subtract it from Line.Amount.
	PointsPaid money.Amount
}

// Line is one line of an order.
type Line struct {
	SKU      string
	Category string
	Tags     []string
	// Quantity is the number of units, for fixed points per SKU; zero
	// counts as one.
	Quantity decimal.Decimal
	// Amount is what the client owes for the line after every discount,
	// before points. Not negative; in the programme's currency.
	Amount money.Amount
}

// Standing is where a client stands before an order: their tier and their
// tier metric over the window that ends on the order's date (see
// Rules.WindowStart and Store.Qualifying).
type Standing struct {
	Tier   string
	Metric decimal.Decimal
}

// Earning is what an order earns, with how it was computed.
type Earning struct {
	// Points is what the order earns, at the programme's precision.
	Points decimal.Decimal
	// Exact is the points before rounding, to 12 decimal places.
	Exact decimal.Decimal
	// Total is the order's amount before points; Paid what was paid in
	// money: Total less PointsPaid.
	Total money.Amount
	Paid  money.Amount
	// Qualifying is the money paid on lines that earn: the order's
	// contribution to a spend metric.
	Qualifying money.Amount
	// TierPoints is the points the order earns before the tier multiplier:
	// its contribution to a points metric.
	TierPoints decimal.Decimal
	// RatePoints and FixedPoints split Exact into the points earned on the
	// money paid (after every multiplier) and the fixed points (per SKU
	// and per order).
	RatePoints  decimal.Decimal
	FixedPoints decimal.Decimal
	// PerOrder is the fixed points per order granted.
	PerOrder decimal.Decimal
	// BelowMinimum is set when the order paid less than the programme's
	// minimum and so earned nothing; Short is what was missing.
	BelowMinimum bool
	Short        money.Amount
	// OutsideWindow is set when the order is dated outside the
	// programme's window (Rules.Quote only; Rules.Earn refuses).
	OutsideWindow bool
	// Lines explain each line.
	Lines []LineEarning
	// Tier is the client's tier before the order, NewTier after it (the
	// same unless the order crosses a threshold). Segments are the parts
	// of the order earning at each tier's multiplier.
	Tier     string
	NewTier  string
	Segments []TierSegment
}

// LineEarning explains one line.
type LineEarning struct {
	Index int
	SKU   string
	// Paid is the line's amount less its share of PointsPaid.
	Paid money.Amount
	// Factor is the product of the category and tag multipliers that
	// matched (1 when none did).
	Factor decimal.Decimal
	// Excluded says why the line earns nothing: "excluded_sku",
	// "category" or "tag" (a multiplier of 0); "" when it earns.
	Excluded string
	// SKUPoints is the line's fixed points; Points its rate points at the
	// order's tier multiplier plus SKUPoints, truncated — the share of
	// Earning.Points the line contributes (the shares may add up to a
	// little less than the total, which is rounded once).
	SKUPoints decimal.Decimal
	Points    decimal.Decimal
}

// TierSegment is the part of an order's tier metric that earned at one
// tier's multiplier.
type TierSegment struct {
	Tier   string
	Metric decimal.Decimal
	Factor decimal.Decimal
}

const (
	maxLines   = 1000
	maxTags    = 50
	exactPlace = 12
)

// Earn computes what the order earns for a client in standing s. It is
// pure. The order must be dated within the programme's window; a
// malformed order fails with a *ValidationError naming the field
// ("lines[2].amount").
//
// The computation, in order:
//
//  1. PointsPaid is spread over the lines in proportion to their amounts
//     (money.AllocateAmounts, to the minor unit); each line's paid amount
//     is its amount less its share. Earning is on these paid amounts.
//  2. A line earns nothing if its SKU is excluded or a matching category
//     or tag multiplier is 0. Otherwise its weight is its paid amount
//     times the product of every matching category and tag multiplier,
//     and its fixed points are the SKU's points times the quantity.
//  3. If the order paid nothing, or less than the programme's minimum, or
//     the client's tier has a multiplier of 0, it earns nothing.
//  4. Rate points are weight × Rate.Points / Rate.ForEvery, times the tier
//     multiplier. When the order's contribution to the tier metric
//     crosses a threshold, CrossingSplit (the default) applies each tier's
//     multiplier to the part of the contribution within that tier, and
//     CrossingWhole applies the new tier's multiplier to all of it.
//  5. The points are rate points plus fixed points plus PerOrder, computed
//     exactly and rounded once to PointPlaces with the programme's
//     Rounding (truncated by default).
func (r *Rules) Earn(o Order, s Standing) (Earning, error) {
	e, err := r.earn(o, s)
	if err != nil {
		return Earning{}, err
	}
	if e.OutsideWindow {
		return Earning{}, r.checkWindow("date", o.Date)
	}
	return e, nil
}

// Quote is Earn for an order that is not placed yet: an order dated
// outside the window is not an error but earns nothing, with
// OutsideWindow set. The order's ID may be empty.
func (r *Rules) Quote(o Order, s Standing) (Earning, error) {
	if o.ID == "" {
		o.ID = "quote"
	}
	return r.earn(o, s)
}

func (r *Rules) earn(o Order, s Standing) (Earning, error) {
	cur := r.p.Currency
	if err := text("id", o.ID, maxOrderLen, true); err != nil {
		return Earning{}, err
	}
	if o.Date.IsZero() {
		return Earning{}, invalid("date", ReasonRequired, "")
	}
	if !o.Date.Valid() {
		return Earning{}, invalid("date", ReasonBadDate, o.Date.String())
	}
	if len(o.Lines) == 0 {
		return Earning{}, invalid("lines", ReasonRequired, "")
	}
	if len(o.Lines) > maxLines {
		return Earning{}, invalidf("lines", ReasonTooMany, fmt.Sprint(len(o.Lines)), "at most %d", maxLines)
	}
	amounts := make([]money.Amount, len(o.Lines))
	var total decimal.Decimal
	for i, l := range o.Lines {
		field := fmt.Sprintf("lines[%d]", i)
		if err := r.lineOK(field, l); err != nil {
			return Earning{}, err
		}
		amounts[i] = l.Amount
		total = total.Add(l.Amount.Decimal())
	}
	totalAmount, _ := money.FromDecimal(normalize(total), cur)
	paidParts := make([]decimal.Decimal, len(o.Lines))
	for i, a := range amounts {
		paidParts[i] = a.Decimal()
	}
	if !o.PointsPaid.IsZero() {
		if o.PointsPaid.Currency() != cur {
			return Earning{}, invalidf("points_paid", ReasonCurrency, o.PointsPaid.String(), "want %s", cur)
		}
		if o.PointsPaid.IsNegative() {
			return Earning{}, invalid("points_paid", ReasonNegative, o.PointsPaid.String())
		}
		if !o.PointsPaid.Round(money.HalfUp).Equal(o.PointsPaid) {
			return Earning{}, invalidf("points_paid", ReasonPrecision, o.PointsPaid.String(), "a whole number of %s minor units", cur)
		}
		if o.PointsPaid.Decimal().Cmp(total) > 0 {
			return Earning{}, invalidf("points_paid", ReasonExceeds, o.PointsPaid.String(), "more than the order's total %s", totalAmount)
		}
		parts, err := o.PointsPaid.AllocateAmounts(amounts, money.HalfUp)
		if err != nil {
			return Earning{}, &ValidationError{Field: "points_paid", Reason: ReasonMalformed, Value: o.PointsPaid.String(), Err: err}
		}
		for i, part := range parts {
			paidParts[i] = maxDec(paidParts[i].Sub(part.Decimal()), decimal.Decimal{})
		}
	}

	e := Earning{Total: totalAmount, Tier: s.Tier, NewTier: s.Tier}
	var paid, qualifying, weight, fixed decimal.Decimal
	e.Lines = make([]LineEarning, len(o.Lines))
	weights := make([]decimal.Decimal, len(o.Lines))
	for i, l := range o.Lines {
		le := LineEarning{Index: i, SKU: l.SKU, Factor: one}
		le.Paid, _ = money.FromDecimal(normalize(paidParts[i]), cur)
		paid = paid.Add(paidParts[i])
		le.Factor, le.Excluded = r.lineFactor(l)
		if le.Excluded == "" {
			weights[i] = paidParts[i].Mul(le.Factor)
			weight = weight.Add(weights[i])
			qualifying = qualifying.Add(paidParts[i])
			if pts, ok := r.sku[l.SKU]; ok && l.SKU != "" {
				qty := l.Quantity
				if qty.IsZero() {
					qty = one
				}
				le.SKUPoints = normalize(pts.Mul(qty))
				fixed = fixed.Add(le.SKUPoints)
			}
		}
		e.Lines[i] = le
	}
	e.Paid, _ = money.FromDecimal(normalize(paid), cur)
	e.Qualifying, _ = money.FromDecimal(normalize(qualifying), cur)
	e.OutsideWindow = !r.InWindow(o.Date)

	earns := paid.Sign() > 0 && !e.OutsideWindow
	if min := r.p.Earn.MinOrder; !min.IsZero() && paid.Cmp(min.Decimal()) < 0 {
		e.BelowMinimum, earns = true, false
		e.Short, _ = money.FromDecimal(normalize(min.Decimal().Sub(paid)), cur)
	}
	current := r.tierIndex(s.Tier)
	if len(r.levels) > 0 {
		current = max(current, r.qualified(s.Metric))
		if r.levels[current].factor.IsZero() {
			earns = false
		}
	}
	if !earns {
		weight, fixed = decimal.Decimal{}, decimal.Decimal{}
		for i := range e.Lines {
			e.Lines[i].SKUPoints = decimal.Decimal{}
			weights[i] = decimal.Decimal{}
		}
	} else {
		e.PerOrder = normalize(r.p.Earn.PerOrder)
		fixed = fixed.Add(e.PerOrder)
	}
	e.FixedPoints = normalize(fixed)

	// Rate points before the tier multiplier: weight × points / for_every.
	rate := r.p.Earn.Rate
	rateNum, rateDen := decimal.Decimal{}, one
	if !rate.IsZero() {
		rateNum, rateDen = weight.Mul(rate.Points), rate.ForEvery.Decimal()
	}
	e.TierPoints = divide(rateNum.Add(fixed.Mul(rateDen)), rateDen, r.p.PointPlaces, Truncate)

	// The tier segments and their multipliers.
	delta := e.Qualifying.Decimal()
	if r.p.Tiers.Metric == MetricPoints {
		delta = e.TierPoints
	}
	factorSum, factorDen := r.segments(&e, current, s.Metric, delta)

	// points = rateNum × factorSum / (rateDen × factorDen) + fixed
	num := rateNum.Mul(factorSum).Add(fixed.Mul(rateDen).Mul(factorDen))
	den := rateDen.Mul(factorDen)
	e.Exact = divide(num, den, exactPlace, Truncate)
	e.Points = divide(num, den, r.p.PointPlaces, r.p.Rounding)
	e.RatePoints = normalize(e.Exact.Sub(e.FixedPoints))
	for i := range e.Lines {
		lineNum := weights[i].Mul(rate.Points).Mul(factorSum)
		if rate.IsZero() {
			lineNum = decimal.Decimal{}
		}
		lineNum = lineNum.Add(e.Lines[i].SKUPoints.Mul(den))
		e.Lines[i].Points = divide(lineNum, den, r.p.PointPlaces, Truncate)
	}
	return e, nil
}

// segments fills in the tier segments of an order whose contribution to
// the metric is delta, for a client in tier current with metric before.
// It returns the multiplier as a fraction sum/den: Σ(segment × factor) /
// delta, or the tier's factor / 1 when there is nothing to split.
func (r *Rules) segments(e *Earning, current int, before, delta decimal.Decimal) (sum, den decimal.Decimal) {
	if len(r.levels) == 0 {
		return one, one
	}
	at := func(metric decimal.Decimal) int { return max(current, r.qualified(metric)) }
	end := before.Add(delta)
	last := at(end)
	e.NewTier = r.levels[last].Code
	if delta.Sign() <= 0 || r.levels[current].factor.IsZero() {
		e.Segments = []TierSegment{{Tier: r.levels[current].Code, Metric: normalize(delta), Factor: r.levels[current].factor}}
		return r.levels[current].factor, one
	}
	if r.p.Tiers.Crossing == CrossingWhole {
		f := r.levels[last].factor
		e.Segments = []TierSegment{{Tier: r.levels[last].Code, Metric: normalize(delta), Factor: f}}
		return delta.Mul(f), delta
	}
	pos, tier := before, at(before)
	for j := tier + 1; j < len(r.levels); j++ {
		th := r.levels[j].threshold
		if th.Cmp(pos) <= 0 {
			tier = j
			continue
		}
		if th.Cmp(end) > 0 {
			break
		}
		e.Segments = append(e.Segments, TierSegment{Tier: r.levels[tier].Code, Metric: normalize(th.Sub(pos)), Factor: r.levels[tier].factor})
		sum = sum.Add(th.Sub(pos).Mul(r.levels[tier].factor))
		pos, tier = th, j
	}
	if rest := end.Sub(pos); rest.Sign() > 0 {
		e.Segments = append(e.Segments, TierSegment{Tier: r.levels[tier].Code, Metric: normalize(rest), Factor: r.levels[tier].factor})
		sum = sum.Add(rest.Mul(r.levels[tier].factor))
	}
	return sum, delta
}

// lineFactor returns the product of the line's category and tag
// multipliers, and why it is excluded ("" when it earns).
func (r *Rules) lineFactor(l Line) (decimal.Decimal, string) {
	if l.SKU != "" && r.excluded[l.SKU] {
		return decimal.Decimal{}, "excluded_sku"
	}
	f := one
	if c, ok := r.category[l.Category]; ok && l.Category != "" {
		if c.IsZero() {
			return decimal.Decimal{}, "category"
		}
		f = f.Mul(c)
	}
	for i, t := range l.Tags {
		if seenBefore(l.Tags[:i], t) {
			continue
		}
		if m, ok := r.tag[t]; ok {
			if m.IsZero() {
				return decimal.Decimal{}, "tag"
			}
			f = f.Mul(m)
		}
	}
	return normalize(f), ""
}

func seenBefore(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lineOK validates one order line.
func (r *Rules) lineOK(field string, l Line) error {
	if err := text(field+".sku", l.SKU, maxCodeLen, false); err != nil {
		return err
	}
	if err := text(field+".category", l.Category, maxCodeLen, false); err != nil {
		return err
	}
	if len(l.Tags) > maxTags {
		return invalidf(field+".tags", ReasonTooMany, fmt.Sprint(len(l.Tags)), "at most %d", maxTags)
	}
	for j, t := range l.Tags {
		if err := text(fmt.Sprintf("%s.tags[%d]", field, j), t, maxCodeLen, true); err != nil {
			return err
		}
	}
	if l.Quantity.Sign() < 0 {
		return invalid(field+".quantity", ReasonNegative, fmtDec(l.Quantity))
	}
	if l.Quantity.NumDigits() > 30 || l.Quantity.Exponent() < -maxFracDigits || l.Quantity.Exponent() > maxIntDigits {
		return invalid(field+".quantity", ReasonRange, fmtDec(l.Quantity))
	}
	if l.Amount.Currency().IsZero() {
		return nil // the zero Amount: a free line
	}
	if l.Amount.Currency() != r.p.Currency {
		return invalidf(field+".amount", ReasonCurrency, l.Amount.String(), "want %s", r.p.Currency)
	}
	if l.Amount.IsNegative() {
		return invalid(field+".amount", ReasonNegative, l.Amount.String())
	}
	if d := l.Amount.Decimal(); d.NumDigits() > 40 || d.Exponent() < -24 {
		return invalid(field+".amount", ReasonRange, l.Amount.String())
	}
	return nil
}
