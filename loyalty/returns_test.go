package loyalty_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
)

func op(acct, key string) loyalty.Op { return loyalty.Op{Account: acct, Key: key, By: "cashier"} }

func TestReturnReversesInProportion(t *testing.T) {
	e := newEnv(t, retail())
	e.open("c")
	e.earn("c", order("o1", "10000")) // 100 points
	// Three partial returns add up to exactly what was earned.
	for i, c := range []struct{ amount, points, balance string }{
		{"3333.33", "-33", "67"}, {"3333.33", "-33", "34"}, {"3333.34", "-34", "0"},
	} {
		rec, err := e.svc.Return(e.ctx, op("c", "ret"+string(rune('1'+i))), "o1", rub(c.amount))
		require.NoError(t, err)
		rev := rec.Entries[len(rec.Entries)-1]
		assert.Equal(t, loyalty.EntryReverse, rev.Kind)
		assert.Equal(t, loyalty.EntryEarn, rev.Reverses)
		equalDec(t, c.points, rev.Points, "return %d", i)
		equalDec(t, c.balance, rec.Account.Balance, "return %d", i)
		e.check("c")
	}
	a := e.account("c")
	assert.Equal(t, 0, a.PaidOrders, "an order returned in full is no longer a paid order")
	q, err := e.st.Qualifying(e.ctx, "c", loyalty.Date{}, day(2026, 12, 31))
	require.NoError(t, err)
	assert.True(t, q.Spend.IsZero(), "the qualifying spend is reversed too: %s", q.Spend)

	_, err = e.svc.Return(e.ctx, op("c", "ret4"), "o1", rub("1"))
	var re *loyalty.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleOrderReturned, re.Rule)
}

func TestReturnBadInput(t *testing.T) {
	e := newEnv(t, retail())
	e.open("c")
	e.earn("c", order("o1", "1000"))
	_, err := e.svc.Return(e.ctx, op("c", "r"), "o1", rub("1000.01"))
	var v *loyalty.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "total", v.Field)
	assert.Equal(t, loyalty.ReasonExceeds, v.Reason)
	_, err = e.svc.Return(e.ctx, op("c", "r"), "o1", rub("0"))
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "amount", v.Field)
	_, err = e.svc.Return(e.ctx, op("c", "r"), "nope", rub("1"))
	var re *loyalty.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleOrderNotEarned, re.Rule)
}

// Points spent elsewhere are taken from the rest of the balance, never
// below zero; without debt the shortfall is forgiven.
func TestReturnOfSpentPointsForgiven(t *testing.T) {
	e := newEnv(t, retail())
	e.open("c")
	e.earn("c", order("o1", "20000")) // 200
	e.earn("c", order("o2", "5000"))  // 50
	_, err := e.svc.Redeem(e.ctx, op("c", "spend"), loyalty.Redemption{Points: pts("230"), OrderAmount: rub("700")})
	require.ErrorIs(t, err, loyalty.ErrRefused, "points may pay 30 % of 700 RUB, 210")
	_, err = e.svc.Redeem(e.ctx, op("c", "spend"), loyalty.Redemption{Points: pts("230"), OrderAmount: rub("10000")})
	require.NoError(t, err)
	equalDec(t, "20", e.account("c").Balance)

	rec, err := e.svc.Return(e.ctx, op("c", "ret"), "o1", rub("20000"))
	require.NoError(t, err)
	rev := rec.Entries[0]
	equalDec(t, "200", rev.Target)
	equalDec(t, "-20", rev.Points, "what is left is taken back")
	equalDec(t, "180", rev.Forgiven)
	equalDec(t, "0", rev.Debt)
	equalDec(t, "0", rec.Account.Balance)
	e.check("c")
}

func TestReturnOfSpentPointsAsDebt(t *testing.T) {
	p := retail()
	p.Returns.AllowDebt = true
	e := newEnv(t, p)
	e.open("c")
	e.earn("c", order("o1", "20000")) // 200
	_, err := e.svc.Redeem(e.ctx, op("c", "spend"), loyalty.Redemption{Points: pts("150"), OrderAmount: rub("10000")})
	require.NoError(t, err)

	rec, err := e.svc.Return(e.ctx, op("c", "ret"), "o1", rub("20000"))
	require.NoError(t, err)
	rev := rec.Entries[0]
	equalDec(t, "-50", rev.Points)
	equalDec(t, "150", rev.Debt)
	equalDec(t, "0", rec.Account.Balance)
	equalDec(t, "150", rec.Account.Debt)
	e.check("c")

	// Later earnings repay the debt first.
	rec = e.earn("c", order("o2", "10000")) // 100
	require.Len(t, rec.Entries, 2)
	assert.Equal(t, loyalty.EntryRepay, rec.Entries[1].Kind)
	equalDec(t, "-100", rec.Entries[1].Points)
	equalDec(t, "0", rec.Account.Balance)
	equalDec(t, "50", rec.Account.Debt)
	rec = e.earn("c", order("o3", "8000")) // 80
	equalDec(t, "30", rec.Account.Balance)
	equalDec(t, "0", rec.Account.Debt)

	bal := e.balance("c", e.svc.Today())
	equalDec(t, "30", bal.Available)
}

func TestCancelPolicy(t *testing.T) {
	setup := func(t *testing.T, policy loyalty.CancelPolicy) *env {
		p := retail()
		p.Returns.Cancel = policy
		e := newEnv(t, p)
		e.open("c")
		e.earn("c", order("o1", "20000")) // 200
		_, err := e.svc.Redeem(e.ctx, op("c", "spend"), loyalty.Redemption{Points: pts("150"), OrderAmount: rub("10000")})
		require.NoError(t, err)
		return e
	}
	t.Run("refuse", func(t *testing.T) {
		e := setup(t, loyalty.CancelRefuse)
		before := e.entries("c")
		_, err := e.svc.Cancel(e.ctx, op("c", "cancel"), "o1")
		var re *loyalty.RuleError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, loyalty.RuleCancelSpent, re.Rule)
		assert.Equal(t, before, e.entries("c"), "a refused cancellation writes nothing")
		// A partial return is not a cancellation: it forgives.
		rec, err := e.svc.Return(e.ctx, op("c", "ret"), "o1", rub("10000"))
		require.NoError(t, err)
		equalDec(t, "-50", rec.Entries[0].Points)
		equalDec(t, "50", rec.Entries[0].Forgiven)
	})
	t.Run("debt", func(t *testing.T) {
		e := setup(t, loyalty.CancelDebt)
		rec, err := e.svc.Cancel(e.ctx, op("c", "cancel"), "o1")
		require.NoError(t, err)
		equalDec(t, "150", rec.Account.Debt)
		equalDec(t, "0", rec.Account.Balance)
		e.check("c")
	})
	t.Run("refuse, but the balance covers it", func(t *testing.T) {
		e := setup(t, loyalty.CancelRefuse)
		e.earn("c", order("o2", "20000")) // 200 more: 250 in all
		rec, err := e.svc.Cancel(e.ctx, op("c", "cancel"), "o1")
		require.NoError(t, err)
		equalDec(t, "50", rec.Account.Balance)
		e.check("c")
	})
}

// Points of the order that expired are not taken back again, and points
// the order redeemed from a lot that has expired since are not given back.
func TestReturnNeverRevivesExpiredPoints(t *testing.T) {
	p := retail()
	p.ExpiryDays = 30
	e := newEnv(t, p)
	e.open("c")
	e.on(day(2026, 3, 2))
	e.earn("c", order("o1", "10000")) // 100, usable through 1 April
	_, err := e.svc.Expire(e.ctx, "c", day(2026, 4, 2))
	require.NoError(t, err)
	equalDec(t, "0", e.account("c").Balance)

	e.on(day(2026, 4, 3))
	e.earn("c", order("o2", "5000")) // 50 fresh points
	rec, err := e.svc.Return(e.ctx, op("c", "ret"), "o1", rub("10000"))
	require.NoError(t, err)
	rev := rec.Entries[0]
	equalDec(t, "100", rev.Target)
	equalDec(t, "100", rev.Dropped, "they had expired")
	equalDec(t, "0", rev.Points, "the fresh points are not touched")
	equalDec(t, "50", rec.Account.Balance)
	e.check("c")
}

func TestReturnGivesRedeemedPointsBack(t *testing.T) {
	p := retail()
	p.Redeem.MaxSharePercent = pts("50")
	p.Redeem.MinPoints = pts("1")
	e := newEnv(t, p)
	e.open("c")
	e.adjust("c", "seed", "300")
	// Order o2: 1000 RUB, 300 paid with points, 700 in money.
	_, err := e.svc.Redeem(e.ctx, op("c", "pay-o2"), loyalty.Redemption{Order: "o2", Points: pts("300"), OrderAmount: rub("1000")})
	require.NoError(t, err)
	o := order("o2", "1000")
	o.PointsPaid = rub("300")
	rec := e.earn("c", o)
	equalDec(t, "7", rec.Earning.Points, "earned on the 700 paid")

	// Returning half gives back half the points paid and takes back
	// half of those earned (truncated: 3).
	rec, err = e.svc.Return(e.ctx, op("c", "ret1"), "o2", rub("500"))
	require.NoError(t, err)
	require.Len(t, rec.Entries, 2)
	assert.Equal(t, loyalty.EntryRedeem, rec.Entries[0].Reverses)
	equalDec(t, "150", rec.Entries[0].Points)
	equalDec(t, "-3", rec.Entries[1].Points)
	equalDec(t, "154", rec.Account.Balance) // 7 + 150 - 3
	rec, err = e.svc.Cancel(e.ctx, op("c", "ret2"), "o2")
	require.NoError(t, err)
	equalDec(t, "150", rec.Entries[0].Points)
	equalDec(t, "-4", rec.Entries[1].Points)
	equalDec(t, "300", rec.Account.Balance)
	e.check("c")
}

func TestReturnDropsRefundFromExpiredLot(t *testing.T) {
	p := retail()
	p.ExpiryDays = 10
	p.Redeem.MaxSharePercent = pts("100")
	p.Redeem.MinPoints = pts("1")
	e := newEnv(t, p)
	e.open("c")
	e.adjust("c", "seed", "100") // usable through 12 March
	_, err := e.svc.Redeem(e.ctx, op("c", "pay"), loyalty.Redemption{Order: "o1", Points: pts("100"), OrderAmount: rub("1000")})
	require.NoError(t, err)
	o := order("o1", "1000")
	o.PointsPaid = rub("100")
	e.earn("c", o) // 9 points on 900, through 12 March
	e.on(day(2026, 3, 20))
	rec, err := e.svc.Cancel(e.ctx, op("c", "cancel"), "o1")
	require.NoError(t, err)
	refund := rec.Entries[0]
	equalDec(t, "100", refund.Target)
	equalDec(t, "100", refund.Dropped, "the seed lot expired on 12 March")
	equalDec(t, "0", refund.Points)
	equalDec(t, "-9", rec.Entries[1].Points, "the order's own points were still in their lot")
	equalDec(t, "0", rec.Account.Balance)
	e.check("c")
}

// An order paid partly by a redemption and partly by a reservation
// captured between two partial returns: each return gives points back to
// the draws it knew, so every lot ends with what was drawn from it, no
// more (the second return used to give lot A 150 of its 100 points).
func TestRefundAfterCaptureBetweenReturns(t *testing.T) {
	e := newEnv(t, retail())
	e.on(day(2026, 3, 1))
	e.open("c")
	e.earn("c", order("a", "10000")) // lot A: 100
	e.on(day(2026, 3, 10))
	e.earn("c", order("b", "10000")) // lot B: 100
	e.on(day(2026, 3, 20))
	_, err := e.svc.Redeem(e.ctx, op("c", "redeem"), loyalty.Redemption{Order: "o", Points: pts("100"), OrderAmount: rub("1000")})
	require.NoError(t, err) // from lot A
	_, err = e.svc.Reserve(e.ctx, op("c", "reserve"), loyalty.Redemption{Order: "o", Points: pts("100"), OrderAmount: rub("1000")})
	require.NoError(t, err) // from lot B
	o := order("o", "1000")
	o.PointsPaid = rub("200")
	e.earn("c", o)
	_, err = e.svc.Return(e.ctx, op("c", "ret1"), "o", rub("500"))
	require.NoError(t, err)
	e.check("c")
	_, err = e.svc.Capture(e.ctx, op("c", "capture"), "o", pts("100"))
	require.NoError(t, err)
	e.check("c")
	_, err = e.svc.Return(e.ctx, op("c", "ret2"), "o", rub("500"))
	require.NoError(t, err)
	e.check("c")
	for _, l := range e.lots("c") {
		if l.Order == "a" || l.Order == "b" {
			equalDec(t, "100", l.Remaining, "lot of order %s gets back what was drawn from it", l.Order)
		}
	}
}

// A purchase of last year returned this year lowers last year's spend, not
// this year's: a client who buys 60 000 RUB this year has spent 60 000 RUB
// this year and reaches Silver.
func TestReturnCountsInThePurchasesWindow(t *testing.T) {
	e := newEnv(t, tiered(retail()))
	e.on(day(2026, 12, 20))
	e.open("c")
	e.earn("c", order("dec", "60000"))
	require.Equal(t, "silver", e.account("c").Tier)
	e.on(day(2027, 1, 10))
	_, err := e.svc.Return(e.ctx, op("c", "ret"), "dec", rub("60000"))
	require.NoError(t, err)

	e.on(day(2027, 2, 1))
	q, err := e.st.Qualifying(e.ctx, "c", e.svc.Rules().WindowStart(day(2027, 2, 1)), day(2027, 2, 1))
	require.NoError(t, err)
	assert.True(t, q.Spend.IsZero(), "spend in 2027 so far is %s", q.Spend)
	e.earn("c", order("feb", "60000"))
	review, _, err := e.svc.EvaluateTier(e.ctx, "c", day(2027, 2, 1))
	require.NoError(t, err)
	assert.Equal(t, "60000", review.Metric.String(), "the client spent 60 000 RUB in 2027")
	assert.Equal(t, "silver", e.account("c").Tier)

	// A review as of a day before the return was posted does not see it.
	q, err = e.st.Qualifying(e.ctx, "c", day(2026, 1, 1), day(2026, 12, 31))
	require.NoError(t, err)
	assert.Equal(t, "60000", q.Spend.Decimal().String(), "2026 as known on 31 December")
	q, err = e.st.Qualifying(e.ctx, "c", day(2026, 1, 1), day(2027, 1, 10))
	require.NoError(t, err)
	assert.True(t, q.Spend.IsZero(), "2026 as known once the return is posted: %s", q.Spend)
}

// An order paid with points but never recorded as a purchase (cancelled
// before shipment, or placed after the programme's window, when Earn
// refuses it) can be cancelled: its points go back. A partial return
// still needs the purchase, and a second cancellation finds nothing left.
func TestCancelOrderWithoutPurchase(t *testing.T) {
	p := retail()
	p.ValidTo = day(2026, 6, 30)
	e := newEnv(t, p)
	e.on(day(2026, 3, 2))
	e.open("c")
	e.earn("c", order("old", "20000")) // 200 points
	e.on(day(2026, 7, 15))
	_, err := e.svc.Redeem(e.ctx, op("c", "pay"), loyalty.Redemption{Order: "o", Points: pts("150"), OrderAmount: rub("1000")})
	require.NoError(t, err, "points may be spent after the window")
	o := order("o", "1000")
	o.PointsPaid = rub("150")
	_, err = e.svc.Earn(e.ctx, op("c", "earn:o"), o)
	require.Error(t, err, "the order is outside the window")
	equalDec(t, "50", e.account("c").Balance)

	_, err = e.svc.Return(e.ctx, op("c", "ret"), "o", rub("500"))
	var re *loyalty.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleOrderNotEarned, re.Rule, "a partial return needs the purchase's total")

	res, err := e.svc.Cancel(e.ctx, op("c", "cancel"), "o")
	require.NoError(t, err)
	require.Len(t, res.Entries, 1)
	equalDec(t, "150", res.Entries[0].Points)
	equalDec(t, "200", e.account("c").Balance)
	e.check("c")

	_, err = e.svc.Cancel(e.ctx, op("c", "cancel again"), "o")
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleOrderReturned, re.Rule)
	equalDec(t, "200", e.account("c").Balance)
}
