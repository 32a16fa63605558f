package loyalty_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

func TestEarnIsIdempotent(t *testing.T) {
	e := newEnv(t, retail())
	e.open("c")
	first := e.earn("c", order("o1", "1000"))
	again := e.earn("c", order("o1", "1000"))
	assert.True(t, again.Replayed)
	assert.Equal(t, first.Entries, again.Entries)
	equalDec(t, "10", e.account("c").Balance)

	_, err := e.svc.Earn(e.ctx, op("c", "earn:o1"), order("o1", "2000"))
	require.ErrorIs(t, err, loyalty.ErrKeyReused, "the same key for another order")
	_, err = e.svc.Earn(e.ctx, op("c", "earn:o1-again"), order("o1", "1000"))
	var re *loyalty.RuleError
	require.ErrorAs(t, err, &re, "another key for the same order")
	assert.Equal(t, loyalty.RuleOrderEarned, re.Rule)
	equalDec(t, "10", e.account("c").Balance)
}

func TestServiceBadInput(t *testing.T) {
	p := retail()
	e := newEnv(t, p)
	e.open("c")
	e.adjust("c", "seed", "1000")
	field := func(err error) string {
		var v *loyalty.ValidationError
		if errors.As(err, &v) {
			return v.Field + "/" + string(v.Reason)
		}
		var r *loyalty.RuleError
		if errors.As(err, &r) {
			return "rule/" + string(r.Rule)
		}
		return err.Error()
	}
	tomorrow := order("o", "100")
	tomorrow.Date = day(2026, 3, 3)
	usd := money.MustParse("100", money.USD)
	cases := []struct {
		name string
		call func() error
		want string
	}{
		{"a key the Service keeps for itself", func() error {
			_, err := e.svc.Earn(e.ctx, op("c", "loyalty:welcome"), order("o", "100"))
			return err
		}, "key/reserved"},
		{"no key", func() error { _, err := e.svc.Earn(e.ctx, op("c", ""), order("o", "100")); return err }, "key/required"},
		{"no account", func() error { _, err := e.svc.Earn(e.ctx, op("", "k"), order("o", "100")); return err }, "account/required"},
		{"a purchase dated tomorrow", func() error { _, err := e.svc.Earn(e.ctx, op("c", "k"), tomorrow); return err }, "date/in_future"},
		{"zero points", func() error {
			_, err := e.svc.Redeem(e.ctx, op("c", "k"), loyalty.Redemption{Points: pts("0"), OrderAmount: rub("1000")})
			return err
		}, "points/not_positive"},
		{"fractional points", func() error {
			_, err := e.svc.Redeem(e.ctx, op("c", "k"), loyalty.Redemption{Points: pts("100.5"), OrderAmount: rub("1000")})
			return err
		}, "points/precision"},
		{"below the minimum", func() error {
			_, err := e.svc.Redeem(e.ctx, op("c", "k"), loyalty.Redemption{Points: pts("99"), OrderAmount: rub("1000")})
			return err
		}, "rule/below_min_points"},
		{"above the maximum share", func() error {
			_, err := e.svc.Redeem(e.ctx, op("c", "k"), loyalty.Redemption{Points: pts("301"), OrderAmount: rub("1000")})
			return err
		}, "rule/max_share_exceeded"},
		{"an order amount in dollars", func() error {
			_, err := e.svc.Redeem(e.ctx, op("c", "k"), loyalty.Redemption{Points: pts("100"), OrderAmount: usd})
			return err
		}, "order_amount/currency"},
		{"no order amount", func() error {
			_, err := e.svc.Redeem(e.ctx, op("c", "k"), loyalty.Redemption{Points: pts("100")})
			return err
		}, "order_amount/required"},
		{"a reservation without order", func() error {
			_, err := e.svc.Reserve(e.ctx, op("c", "k"), loyalty.Redemption{Points: pts("100"), OrderAmount: rub("1000")})
			return err
		}, "order/required"},
		{"a return in dollars", func() error { _, err := e.svc.Return(e.ctx, op("c", "k"), "o", usd); return err }, "amount/currency"},
		{"a negative return", func() error { _, err := e.svc.Return(e.ctx, op("c", "k"), "o", rub("-1")); return err }, "amount/not_positive"},
		{"a zero adjustment", func() error { _, err := e.svc.Adjust(e.ctx, op("c", "k"), pts("0"), ""); return err }, "points/not_positive"},
		{"an adjustment too precise", func() error { _, err := e.svc.Adjust(e.ctx, op("c", "k"), pts("0.1"), ""); return err }, "points/precision"},
		{"an adjustment at a far-off exponent", func() error {
			_, err := e.svc.Adjust(e.ctx, op("c", "k"), decimal.New(1, -30_000_000), "")
			return err
		}, "points/precision"},
		{"an absurd adjustment", func() error {
			_, err := e.svc.Adjust(e.ctx, op("c", "k"), pts("1e30"), "")
			return err
		}, "points/out_of_range"},
		{"a capture of nothing", func() error { _, err := e.svc.Capture(e.ctx, op("c", "k"), "o", pts("0")); return err }, "points/not_positive"},
		{"an invalid as-of date", func() error {
			_, err := e.svc.Balance(e.ctx, "c", loyalty.Date{Year: 2026, Month: 2, Day: 29})
			return err
		}, "as_of/bad_date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, field(c.call()))
		})
	}
	equalDec(t, "1000", e.account("c").Balance, "nothing was written")
	assert.Len(t, e.entries("c"), 1)

	_, err := e.svc.Earn(e.ctx, op("ghost", "k"), order("o", "100"))
	require.ErrorIs(t, err, store.ErrNotFound)

	noRedeem := retail()
	noRedeem.Redeem = loyalty.RedeemRules{}
	e2 := newEnv(t, noRedeem)
	e2.open("c")
	_, err = e2.svc.Redeem(e2.ctx, op("c", "k"), loyalty.Redemption{Points: pts("1"), OrderAmount: rub("1")})
	var re *loyalty.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleRedemptionOff, re.Rule)
}

func TestAccountsOfAnotherProgramme(t *testing.T) {
	e := newEnv(t, retail())
	e.open("c")
	other := retail()
	other.ID = "wholesale"
	svc2, err := loyalty.NewService(e.st, other, loyalty.Options{})
	require.NoError(t, err)
	_, err = svc2.Earn(e.ctx, op("c", "k"), order("o", "100"))
	var re *loyalty.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleOtherProgramme, re.Rule)
	l, err := svc2.Liability(e.ctx, day(2026, 3, 2))
	require.NoError(t, err)
	assert.Equal(t, 0, l.Accounts)
}

func TestReserveThroughTheService(t *testing.T) {
	e := newEnv(t, retail())
	e.open("c")
	e.adjust("c", "seed", "500")
	rec, err := e.svc.Reserve(e.ctx, op("c", "hold"), loyalty.Redemption{Order: "o1", Points: pts("300"), OrderAmount: rub("1000")})
	require.NoError(t, err)
	assert.True(t, rub("300").Equal(rec.Value))
	equalDec(t, "200", e.balance("c", e.svc.Today()).Available)
	rec, err = e.svc.Capture(e.ctx, op("c", "pay"), "o1", pts("250"))
	require.NoError(t, err)
	assert.True(t, rub("250").Equal(rec.Value))
	equalDec(t, "250", rec.Account.Balance)
	equalDec(t, "0", rec.Account.Reserved)

	_, err = e.svc.Reserve(e.ctx, op("c", "hold2"), loyalty.Redemption{Order: "o2", Points: pts("200"), OrderAmount: rub("1000")})
	require.NoError(t, err)
	rec, err = e.svc.Release(e.ctx, op("c", "drop2"), "o2")
	require.NoError(t, err)
	equalDec(t, "250", rec.Account.Balance)
	equalDec(t, "250", e.balance("c", e.svc.Today()).Available)
	e.check("c")
}

func TestExpireAll(t *testing.T) {
	p := retail()
	p.ExpiryDays = 10
	e := newEnv(t, p)
	for _, id := range []string{"a", "b", "c"} {
		e.open(id)
	}
	e.earn("a", order("a1", "1000"))
	e.earn("b", order("b1", "2000"))
	sw, err := e.svc.ExpireAll(e.ctx, day(2026, 3, 12))
	require.NoError(t, err)
	assert.Equal(t, 3, sw.Accounts)
	assert.Equal(t, 0, sw.Changed, "usable through 12 March")
	sw, err = e.svc.ExpireAll(e.ctx, day(2026, 3, 13))
	require.NoError(t, err)
	assert.Equal(t, 2, sw.Changed)
	equalDec(t, "-30", sw.Points)
	sw, err = e.svc.ExpireAll(e.ctx, day(2026, 3, 13))
	require.NoError(t, err)
	assert.Equal(t, 0, sw.Changed, "expiring twice changes nothing")
	for _, id := range []string{"a", "b", "c"} {
		e.check(id)
		equalDec(t, "0", e.account(id).Balance)
	}
}

func TestBalanceAsOf(t *testing.T) {
	p := retail()
	p.ExpiryDays = 20
	e := newEnv(t, p)
	e.open("c")
	e.earn("c", order("o1", "10000")) // 100 through 22 March
	e.on(day(2026, 3, 10))
	e.earn("c", order("o2", "5000")) // 50 through 30 March
	b := e.balance("c", day(2026, 3, 10))
	equalDec(t, "150", b.Points)
	equalDec(t, "150", b.Available)
	require.Len(t, b.Expiring, 2)
	assert.Equal(t, loyalty.Expiring{On: day(2026, 3, 22), Points: pts("100")}.On, b.Expiring[0].On)
	equalDec(t, "100", b.Expiring[0].Points)
	b = e.balance("c", day(2026, 3, 25))
	equalDec(t, "50", b.Available, "what will be left on 25 March")
	equalDec(t, "100", b.Expired)
	equalDec(t, "150", b.Points, "not written off yet")
	equalDec(t, "50", b.Outstanding())
}

// Fifty clients' cashiers redeem from one account at once; the account
// never goes below zero and every success is in the ledger.
func TestConcurrentRedemptionsThroughTheService(t *testing.T) {
	p := retail()
	p.Redeem.MinPoints = pts("1")
	e := newEnv(t, p)
	e.open("c")
	e.adjust("c", "seed", "1000")
	var ok, short atomic.Int64
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.svc.Redeem(e.ctx, op("c", "r"+string(rune('A'+i))), loyalty.Redemption{Points: pts("30"), OrderAmount: rub("1000")})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, loyalty.ErrInsufficientPoints):
				short.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(33), ok.Load())
	assert.Equal(t, int64(17), short.Load())
	equalDec(t, "10", e.account("c").Balance)
	e.check("c")
}

// A retry of an order without a date, after midnight, is the same request.
func TestEarnRetryAfterMidnight(t *testing.T) {
	e := newEnv(t, retail())
	e.open("c")
	e.on(day(2026, 3, 2))
	o := order("o1", "1000")
	first := e.earn("c", o)
	e.on(day(2026, 3, 3))
	again := e.earn("c", o)
	assert.True(t, again.Replayed)
	assert.Equal(t, first.Entries, again.Entries)
	assert.Equal(t, day(2026, 3, 2), again.Entries[0].Date)
}

// Expire is idempotent without missing what later postings make due: a
// cancelled redemption gives points back to a lot whose last day is
// before the day already expired, and the next run as of that day writes
// them off (a replay of the first run would not).
func TestExpireAfterLaterPostings(t *testing.T) {
	p := retail()
	p.ExpiryDays = 5
	p.Redeem.MinPoints = pts("1")
	p.Redeem.MaxSharePercent = pts("100")
	e := newEnv(t, p)
	e.open("c")
	e.earn("c", order("o1", "0.01")) // a purchase that earns nothing
	e.adjust("c", "gift", "100")     // usable through 7 March
	e.on(day(2026, 3, 5))
	_, err := e.svc.Redeem(e.ctx, op("c", "spend"), loyalty.Redemption{Order: "o1", Points: pts("40"), OrderAmount: rub("100000")})
	require.NoError(t, err)

	res, err := e.svc.Expire(e.ctx, "c", day(2026, 3, 8))
	require.NoError(t, err)
	require.Len(t, res.Entries, 1)
	equalDec(t, "-60", res.Entries[0].Points)
	again, err := e.svc.Expire(e.ctx, "c", day(2026, 3, 8))
	require.NoError(t, err)
	assert.Empty(t, again.Entries, "expiring twice changes nothing")

	_, err = e.svc.Cancel(e.ctx, op("c", "cancel"), "o1")
	require.NoError(t, err)
	res, err = e.svc.Expire(e.ctx, "c", day(2026, 3, 8))
	require.NoError(t, err)
	require.Len(t, res.Entries, 1, "the points given back are past their last day as of 8 March")
	equalDec(t, "-40", res.Entries[0].Points)
	res, err = e.svc.Expire(e.ctx, "c", day(2026, 3, 8))
	require.NoError(t, err)
	assert.Empty(t, res.Entries)
	equalDec(t, "0", e.account("c").Balance)
	e.check("c")
}

// sameDayTierReviews opens account "c" on a tiered programme without a
// grace period, on 2 March 2026, for several tier reviews on one day.
func sameDayTierReviews(t *testing.T) (*env, loyalty.Date) {
	t.Helper()
	p := tiered(retail())
	p.Tiers.Downgrade = loyalty.Downgrade{Kind: loyalty.DowngradeAfterGrace, GraceDays: 0}
	e := newEnv(t, p)
	d := day(2026, 3, 2)
	e.on(d)
	e.open("c")
	return e, d
}

// A second tier review on the same day, after a return, decides from the
// account as it is now: it must neither fail on the day's key nor replay
// the first review's posting.
func TestEvaluateTierTwiceOnADay(t *testing.T) {
	e, d := sameDayTierReviews(t)
	e.earn("c", order("o1", "100000"))
	e.earn("c", order("o2", "60000"))
	require.Equal(t, "gold", e.account("c").Tier)

	e.ret("c", "r1", "o2", "20000") // 140 000: silver
	rv, _, err := e.svc.EvaluateTier(e.ctx, "c", d)
	require.NoError(t, err)
	require.Equal(t, "silver", rv.To)
	rv, res, err := e.svc.EvaluateTier(e.ctx, "c", d)
	require.NoError(t, err)
	assert.False(t, rv.Change, "nothing posted since: no change")
	assert.Empty(t, res.Entries)

	e.ret("c", "r2", "o1", "100000") // 40 000: base
	rv, _, err = e.svc.EvaluateTier(e.ctx, "c", d)
	require.NoError(t, err, "a second review on the same day after a return")
	assert.Equal(t, "base", rv.To)
	assert.Equal(t, "base", e.account("c").Tier)
	e.check("c")
}

// The same decision as an earlier review of the day (silver, then back
// to gold by a purchase, then silver again by a return) is posted, not
// replayed: a replay would leave the client in gold.
func TestEvaluateTierSameDecisionLaterOnADay(t *testing.T) {
	e, d := sameDayTierReviews(t)
	e.earn("c", order("o1", "160000"))
	require.Equal(t, "gold", e.account("c").Tier)
	e.ret("c", "r1", "o1", "60000") // 100 000: silver
	rv, _, err := e.svc.EvaluateTier(e.ctx, "c", d)
	require.NoError(t, err)
	require.Equal(t, "silver", rv.To)
	require.Equal(t, "silver", e.account("c").Tier)

	e.earn("c", order("o2", "50000")) // 150 000: gold again
	require.Equal(t, "gold", e.account("c").Tier)
	e.ret("c", "r2", "o2", "50000") // 100 000: silver
	rv, res, err := e.svc.EvaluateTier(e.ctx, "c", d)
	require.NoError(t, err)
	assert.Equal(t, "silver", rv.To)
	assert.False(t, res.Replayed, "posted, not a replay of the first review")
	assert.Equal(t, "silver", e.account("c").Tier)
	e.check("c")
}
