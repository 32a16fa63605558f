package loyalty_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
)

func spend(d loyalty.Date, amount string) loyalty.Movement {
	return loyalty.Movement{Date: d, Spend: pts(amount)}
}

func TestReviewTier(t *testing.T) {
	calendar := func(dg loyalty.Downgrade) *loyalty.Rules {
		p := tiered(retail())
		p.Tiers.Downgrade = dg
		return mustRules(t, p)
	}
	rolling := func(days int, dg loyalty.Downgrade) *loyalty.Rules {
		p := tiered(retail())
		p.Tiers.Window = loyalty.Window{Kind: loyalty.WindowRolling, Days: days}
		p.Tiers.Downgrade = dg
		return mustRules(t, p)
	}
	periodEnd := loyalty.Downgrade{Kind: loyalty.DowngradeAtPeriodEnd}
	grace30 := loyalty.Downgrade{Kind: loyalty.DowngradeAfterGrace, GraceDays: 30}
	silverSince := func(d loyalty.Date) loyalty.Account {
		return loyalty.Account{ID: "c", Opened: day(2025, 1, 1), Tier: "silver", TierSince: d}
	}
	cases := []struct {
		name   string
		rules  *loyalty.Rules
		acct   loyalty.Account
		moves  []loyalty.Movement
		asOf   loyalty.Date
		to     string
		reason string
	}{
		{"up as soon as the metric reaches", calendar(periodEnd),
			loyalty.Account{Tier: "base", TierSince: day(2026, 1, 1)},
			[]loyalty.Movement{spend(day(2026, 2, 1), "30000"), spend(day(2026, 2, 20), "20000")}, day(2026, 2, 20), "silver", "upgrade"},
		{"not before", calendar(periodEnd),
			loyalty.Account{Tier: "base", TierSince: day(2026, 1, 1)},
			[]loyalty.Movement{spend(day(2026, 2, 1), "30000"), spend(day(2026, 2, 20), "20000")}, day(2026, 2, 19), "base", ""},
		{"up two tiers at once", calendar(periodEnd),
			loyalty.Account{Tier: "base"}, []loyalty.Movement{spend(day(2026, 2, 1), "150000")}, day(2026, 2, 1), "gold", "upgrade"},
		{"never down", calendar(loyalty.Downgrade{}),
			silverSince(day(2025, 6, 1)), []loyalty.Movement{spend(day(2025, 6, 1), "60000")}, day(2027, 6, 1), "silver", ""},
		{"period end: kept through the year reached", calendar(periodEnd),
			silverSince(day(2025, 6, 1)), []loyalty.Movement{spend(day(2025, 6, 1), "60000"), spend(day(2025, 7, 1), "-30000")}, day(2025, 12, 31), "silver", ""},
		{"period end: reviewed on 1 January against the year just ended — kept", calendar(periodEnd),
			silverSince(day(2025, 6, 1)), []loyalty.Movement{spend(day(2025, 6, 1), "60000")}, day(2026, 1, 10), "silver", ""},
		{"period end: reviewed against a year below the threshold — down", calendar(periodEnd),
			silverSince(day(2025, 6, 1)), []loyalty.Movement{spend(day(2025, 6, 1), "60000"), spend(day(2026, 5, 1), "10000")}, day(2027, 1, 5), "base", "period_end"},
		{"period end: the current year can keep the tier", calendar(periodEnd),
			silverSince(day(2025, 6, 1)), []loyalty.Movement{spend(day(2025, 6, 1), "60000"), spend(day(2027, 1, 2), "55000")}, day(2027, 1, 5), "silver", ""},
		{"period end, rolling 90 days: not before the period ends", rolling(90, periodEnd),
			silverSince(day(2026, 1, 1)), []loyalty.Movement{spend(day(2026, 1, 1), "50000")}, day(2026, 3, 31), "silver", ""},
		{"period end, rolling 90 days: the period of 1 Jan – 31 Mar qualified", rolling(90, periodEnd),
			silverSince(day(2026, 1, 1)), []loyalty.Movement{spend(day(2026, 1, 1), "50000")}, day(2026, 4, 1), "silver", ""},
		{"period end, rolling 90 days: the next period did not", rolling(90, periodEnd),
			silverSince(day(2026, 1, 1)), []loyalty.Movement{spend(day(2026, 1, 1), "50000")}, day(2026, 6, 30), "base", "period_end"},
		{"grace: still within 30 days below", rolling(365, grace30),
			silverSince(day(2025, 1, 10)), []loyalty.Movement{spend(day(2025, 1, 10), "60000")}, day(2026, 2, 8), "silver", ""},
		{"grace: 30 days below", rolling(365, grace30),
			silverSince(day(2025, 1, 10)), []loyalty.Movement{spend(day(2025, 1, 10), "60000")}, day(2026, 2, 9), "base", "grace"},
		{"grace: requalifying resets the stretch", rolling(365, grace30),
			silverSince(day(2025, 1, 10)), []loyalty.Movement{spend(day(2025, 1, 10), "60000"), spend(day(2026, 1, 20), "50000")}, day(2026, 2, 9), "silver", ""},
		{"grace after a return on a lifetime window", mustRules(t, func() loyalty.Programme {
			p := tiered(retail())
			p.Tiers.Window = loyalty.Window{}
			p.Tiers.Downgrade = loyalty.Downgrade{Kind: loyalty.DowngradeAfterGrace, GraceDays: 0}
			return p
		}()), silverSince(day(2026, 1, 10)), []loyalty.Movement{spend(day(2026, 1, 10), "60000"), spend(day(2026, 2, 1), "-20000")}, day(2026, 2, 1), "base", "grace"},
		{"an unknown tier is corrected", calendar(periodEnd),
			loyalty.Account{Tier: "platinum"}, nil, day(2026, 2, 1), "base", "unknown_tier"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rv := c.rules.ReviewTier(c.acct, c.moves, c.asOf)
			assert.Equal(t, c.to, rv.To, "%+v", rv)
			assert.Equal(t, c.reason, rv.Reason, "%+v", rv)
			assert.Equal(t, c.to != c.acct.Tier, rv.Change)
			if rv.Change {
				// Once posted, reviewing again on the same day changes nothing.
				a := c.acct
				a.Tier, a.TierSince = rv.To, c.asOf
				again := c.rules.ReviewTier(a, c.moves, c.asOf)
				assert.False(t, again.Change, "review is idempotent: %+v", again)
			}
		})
	}
}

func TestReviewTierBelowSince(t *testing.T) {
	p := tiered(retail())
	p.Tiers.Window = loyalty.Window{Kind: loyalty.WindowRolling, Days: 30}
	p.Tiers.Downgrade = loyalty.Downgrade{Kind: loyalty.DowngradeAfterGrace, GraceDays: 100}
	r := mustRules(t, p)
	a := loyalty.Account{Tier: "silver", TierSince: day(2026, 1, 5)}
	rv := r.ReviewTier(a, []loyalty.Movement{spend(day(2026, 1, 5), "50000")}, day(2026, 3, 1))
	assert.Equal(t, day(2026, 2, 4), rv.BelowSince, "the purchase left the 30-day window on 4 February")
	assert.False(t, rv.Change)
}

func TestTierChangesAreLedgerEvents(t *testing.T) {
	p := tiered(retail())
	p.Tiers.Downgrade = loyalty.Downgrade{Kind: loyalty.DowngradeAtPeriodEnd}
	e := newEnv(t, p)
	e.open("c")
	rec := e.earn("c", order("o1", "60000"))
	equalDec(t, "650", rec.Earning.Points, "50 000 at ×1, 10 000 at ×1.5")
	assert.Equal(t, "silver", rec.Account.Tier)
	last := rec.Entries[len(rec.Entries)-1]
	assert.Equal(t, loyalty.EntryTier, last.Kind)
	assert.Equal(t, "base", last.TierFrom)
	assert.Equal(t, "silver", last.TierTo)

	// The next year's review keeps Silver (2026 qualified); the one after
	// drops it.
	rv, res, err := e.svc.EvaluateTier(e.ctx, "c", day(2027, 1, 4))
	require.NoError(t, err)
	assert.False(t, rv.Change)
	assert.Empty(t, res.Entries)
	rv, res, err = e.svc.EvaluateTier(e.ctx, "c", day(2028, 1, 3))
	require.NoError(t, err)
	assert.True(t, rv.Change)
	require.Len(t, res.Entries, 1)
	assert.Equal(t, "base", res.Entries[0].TierTo)
	rv, res, err = e.svc.EvaluateTier(e.ctx, "c", day(2028, 1, 3))
	require.NoError(t, err)
	assert.False(t, rv.Change, "evaluating twice changes nothing")
	assert.Empty(t, res.Entries)

	sw, err := e.svc.EvaluateTiers(e.ctx, day(2028, 1, 3))
	require.NoError(t, err)
	assert.Equal(t, loyalty.Sweep{Accounts: 1, Points: sw.Points}, sw)
	e.check("c")
}

// Concurrent purchases of one client each see the metric the others
// left: the version check makes the later ones recompute.
func TestConcurrentEarnsKeepTheTierMetric(t *testing.T) {
	e := newEnv(t, tiered(retail()))
	e.open("c")
	var wg sync.WaitGroup
	total := pts("0")
	var mu sync.Mutex
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := order("o"+string(rune('A'+i)), "5000")
			rec, err := e.svc.Earn(e.ctx, loyalty.Op{Account: "c", Key: "earn:" + o.ID}, o)
			if !assert.NoError(t, err) {
				return
			}
			mu.Lock()
			total = total.Add(rec.Earning.Points)
			mu.Unlock()
		}()
	}
	wg.Wait()
	// 100 000 RUB: 50 000 at ×1 (500 points) and 50 000 at ×1.5 (750).
	equalDec(t, "1250", total)
	a := e.account("c")
	equalDec(t, "1250", a.Balance)
	assert.Equal(t, "silver", a.Tier)
	assert.Equal(t, 20, a.PaidOrders)
	e.check("c")
}
