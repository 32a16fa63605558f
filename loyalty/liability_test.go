package loyalty_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
)

func TestLiability(t *testing.T) {
	p := retail()
	p.ExpiryDays = 30
	p.Redeem.PointValue = money.MustParse("0.35", money.RUB)
	p.Redeem.MinPoints = pts("1")
	p.Returns.AllowDebt = true
	e := newEnv(t, p)
	e.open("a")
	e.open("b")
	e.open("c")
	e.open("other") // counted, empty
	e.on(day(2026, 3, 1))
	e.earn("a", order("a1", "10000")) // 100 through 31 March
	e.earn("a", order("a2", "5000"))  // 50 through 31 March: a is a repeat client
	e.on(day(2026, 3, 20))
	e.earn("b", order("b1", "3333")) // 33 through 19 April
	_, err := e.svc.Reserve(e.ctx, op("b", "hold"), loyalty.Redemption{Order: "b2", Points: pts("10"), OrderAmount: rub("100")})
	require.NoError(t, err)
	e.earn("c", order("c1", "1000")) // 10
	_, err = e.svc.Redeem(e.ctx, op("c", "spend"), loyalty.Redemption{Points: pts("10"), OrderAmount: rub("100")})
	require.NoError(t, err)
	_, err = e.svc.Return(e.ctx, op("c", "ret"), "c1", rub("1000"))
	require.NoError(t, err) // 10 points of debt

	l, err := e.svc.Liability(e.ctx, day(2026, 4, 1))
	require.NoError(t, err)
	assert.Equal(t, 4, l.Accounts)
	equalDec(t, "33", l.Points, "a's 150 expired on 31 March")
	equalDec(t, "23", l.Available)
	equalDec(t, "10", l.Reserved)
	equalDec(t, "150", l.Expired)
	equalDec(t, "10", l.Debt)
	assert.True(t, rub("11.55").Equal(l.Value), "33 × 0.35 = %s", l.Value)
	assert.Equal(t, 2, l.Buyers, "c's only order was returned")
	assert.Equal(t, 1, l.Repeat)

	l, err = e.svc.Liability(e.ctx, day(2026, 3, 31))
	require.NoError(t, err)
	equalDec(t, "183", l.Points, "on 31 March a's points are still usable")
	assert.True(t, rub("64.05").Equal(l.Value))
}
