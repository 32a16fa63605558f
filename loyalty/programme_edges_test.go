package loyalty_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
)

// A programme that Validate accepts must encode to JSON that
// DecodeProgramme accepts back.
func TestValidProgrammeRoundTrips(t *testing.T) {
	mods := map[string]func(p *loyalty.Programme){
		"rate points with 13 places":    func(p *loyalty.Programme) { p.Earn.Rate.Points = pts("0.0000000000001") },
		"per-order points of 16 digits": func(p *loyalty.Programme) { p.Earn.PerOrder = pts("1000000000000000") },
		"welcome of 17 digits":          func(p *loyalty.Programme) { p.Bonuses.Welcome = pts("10000000000000000") },
		"factor with 13 places": func(p *loyalty.Programme) {
			p.Earn.Multipliers = []loyalty.Multiplier{{Tag: "x", Factor: pts("1.0000000000001")}}
		},
		"max share with 13 places": func(p *loyalty.Programme) { p.Redeem.MaxSharePercent = pts("30.0000000000001") },
	}
	for name, m := range mods {
		t.Run(name, func(t *testing.T) {
			p := retail()
			m(&p)
			if p.Validate() != nil {
				return // refusing it up front is fine too
			}
			out, err := json.Marshal(p)
			require.NoError(t, err)
			_, err = loyalty.DecodeProgramme(out)
			require.NoError(t, err, "Validate accepted it, MarshalJSON wrote %s", out)
		})
	}
}

// A referral loop — A says B referred them (B has no account yet), then
// B opens saying A referred them — pays each the referred bonus only,
// never the referrer bonus as well.
func TestReferralLoopPaysNoReferrerBonus(t *testing.T) {
	p := retail()
	p.Bonuses.Referral = loyalty.ReferralBonus{Referrer: pts("300"), Referred: pts("200")}
	e := newEnv(t, p)
	_, err := e.svc.Open(e.ctx, "A", loyalty.Enrolment{ReferredBy: "B"})
	require.NoError(t, err)
	_, err = e.svc.Open(e.ctx, "B", loyalty.Enrolment{ReferredBy: "A"})
	require.NoError(t, err)
	e.earn("A", order("a1", "1000"))
	e.earn("B", order("b1", "1000"))
	bonus := func(id string) string {
		return e.account(id).Balance.Sub(pts("10")).String() // less the 10 earned
	}
	assert.Equal(t, "200", bonus("A"), "the referred bonus only")
	assert.Equal(t, "200", bonus("B"), "the referred bonus only")
}

// With a cart that takes the client to Silver, NextTier is Gold and
// ToNext is what is missing after the cart.
func TestAdviseToNextAfterATierCrossingCart(t *testing.T) {
	r := mustRules(t, tiered(retail()))
	adv, err := r.Advise(loyalty.Account{ID: "c", Tier: "base"}, loyalty.Balance{},
		loyalty.Standing{Tier: "base", Metric: pts("49000")}, lines("2000"), day(2026, 3, 1))
	require.NoError(t, err)
	require.Equal(t, "gold", adv.NextTier)
	equalDec(t, "99000", adv.ToNext, "150 000 − (49 000 + 2 000)")
}
