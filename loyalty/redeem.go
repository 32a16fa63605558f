package loyalty

import (
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// CanRedeem reports whether the programme lets points pay for orders.
func (r *Rules) CanRedeem() bool { return !r.p.Redeem.PointValue.IsZero() }

// Value returns the money value of points: points × PointValue, rounded
// to the currency's minor unit with ValueRounding. Without a point value
// it is zero.
func (r *Rules) Value(points decimal.Decimal) money.Amount { return r.value(points) }

// RedeemLimit is the most an order may be paid with points.
type RedeemLimit struct {
	// Points is the most points the order may take, within what is
	// available; Value their money value.
	Points decimal.Decimal
	Value  money.Amount
	// ByShare is the most points the programme's maximum share allows,
	// whatever the client has.
	ByShare decimal.Decimal
	// MinPoints is the programme's minimum per redemption; Enough
	// reports whether Points reaches it.
	MinPoints decimal.Decimal
	Enough    bool
}

// MaxRedeemable returns the most points an order of amount (after
// discounts, before points) may take from available points: capped by
// MaxSharePercent of the amount (rounded down to the minor unit), by what
// is available, and truncated to the programme's precision. It fails with
// a *RuleError when points cannot be redeemed at all, and a
// *ValidationError for an amount that is not a positive amount of the
// programme's currency.
func (r *Rules) MaxRedeemable(amount money.Amount, available decimal.Decimal) (RedeemLimit, error) {
	if !r.CanRedeem() {
		return RedeemLimit{}, refused(RuleRedemptionOff, "points", "the programme has no point value")
	}
	if err := r.orderAmount(amount); err != nil {
		return RedeemLimit{}, err
	}
	byShare := divide(r.maxPayable(amount).Decimal(), r.p.Redeem.PointValue.Decimal(), r.p.PointPlaces, Truncate)
	points := byShare
	if available.Sign() < 0 {
		available = decimal.Decimal{}
	}
	points = minDec(points, roundPoints(available, r.p.PointPlaces, Truncate))
	lim := RedeemLimit{
		Points: normalize(points), ByShare: normalize(byShare), MinPoints: normalize(r.p.Redeem.MinPoints),
	}
	lim.Enough = points.Sign() > 0 && points.Cmp(r.p.Redeem.MinPoints) >= 0
	lim.Value = r.value(points)
	return lim, nil
}

// CheckRedemption validates a redemption of points on an order of amount
// (after discounts, before points) against the programme — positive,
// within the precision, at least MinPoints, within MaxSharePercent — and
// returns the points' money value. Whether the client has the points is
// for the ledger to decide.
func (r *Rules) CheckRedemption(points decimal.Decimal, amount money.Amount) (money.Amount, error) {
	if !r.CanRedeem() {
		return money.Amount{}, refused(RuleRedemptionOff, "points", "the programme has no point value")
	}
	if err := r.pointsOK("points", points, true); err != nil {
		return money.Amount{}, err
	}
	if err := r.orderAmount(amount); err != nil {
		return money.Amount{}, err
	}
	if points.Cmp(r.p.Redeem.MinPoints) < 0 {
		return money.Amount{}, refused(RuleBelowMinPoints, "points", "%s asked, the minimum is %s", fmtDec(points), fmtDec(r.p.Redeem.MinPoints))
	}
	value := r.value(points)
	if max := r.maxPayable(amount); value.Decimal().Cmp(max.Decimal()) > 0 {
		return money.Amount{}, refused(RuleMaxShare, "points", "%s are worth %s, points may pay at most %s of %s", fmtDec(points), value, max, amount)
	}
	return value, nil
}

// maxPayable is the part of amount points may pay, rounded down to the
// minor unit.
func (r *Rules) maxPayable(amount money.Amount) money.Amount {
	pct := r.p.Redeem.MaxSharePercent
	if pct.IsZero() {
		pct = decimal.NewFromInt(100)
	}
	return amount.Mul(pct).Mul(decimal.New(1, -2)).Round(money.Down)
}

// orderAmount checks an order amount given for a redemption.
func (r *Rules) orderAmount(a money.Amount) error {
	if a.Currency().IsZero() {
		return invalid("order_amount", ReasonRequired, "")
	}
	if a.Currency() != r.p.Currency {
		return invalidf("order_amount", ReasonCurrency, a.String(), "want %s", r.p.Currency)
	}
	if !a.IsPositive() {
		return invalid("order_amount", ReasonNotPositive, a.String())
	}
	return nil
}

// pointsOK checks a number of points given by a caller: within the
// programme's precision, and positive when asked (else not zero).
func (r *Rules) pointsOK(field string, points decimal.Decimal, positive bool) error {
	switch {
	case positive && points.Sign() <= 0:
		return invalid(field, ReasonNotPositive, fmtDec(points))
	case points.IsZero():
		return invalid(field, ReasonNotPositive, "0")
	case points.Abs().Exponent()+int32(points.Abs().NumDigits()) > maxIntDigits:
		return invalid(field, ReasonRange, fmtDec(points))
	case !fits(points, r.p.PointPlaces):
		return invalidf(field, ReasonPrecision, fmtDec(points), "at most %d decimal places", r.p.PointPlaces)
	}
	return nil
}
