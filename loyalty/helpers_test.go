package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

func rub(s string) money.Amount { return money.MustParse(s, money.RUB) }

func pts(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(y int, m time.Month, d int) loyalty.Date { return loyalty.MustDate(y, m, d) }

// equalDec asserts that two decimals are equal numbers.
func equalDec(t testing.TB, want string, got decimal.Decimal, msgAndArgs ...any) {
	t.Helper()
	require.Truef(t, pts(want).Equal(got), "want %s, got %s %v", want, got, msgAndArgs)
}

// retail is the programme most tests start from: 1 point for every
// 100 RUB, points last 365 days, a point pays 1 RUB, up to 30 % of an
// order, at least 100 points at a time.
func retail() loyalty.Programme {
	return loyalty.Programme{
		ID:         "retail",
		Name:       "Retail club",
		Currency:   money.RUB,
		ValidFrom:  day(2026, 1, 1),
		ExpiryDays: 365,
		Earn: loyalty.EarnRules{
			Rate: loyalty.SpendRate{Points: pts("1"), ForEvery: rub("100")},
		},
		Redeem: loyalty.RedeemRules{
			PointValue:      rub("1"),
			MinPoints:       pts("100"),
			MaxSharePercent: pts("30"),
		},
	}
}

// tiered adds spend tiers over the calendar year: Base from 0, Silver
// from 50 000 RUB (×1.5), Gold from 150 000 RUB (×2).
func tiered(p loyalty.Programme) loyalty.Programme {
	p.Tiers = loyalty.TierRules{
		Window: loyalty.Window{Kind: loyalty.WindowCalendarYear},
		Levels: []loyalty.Tier{
			{Code: "base", Name: "Base", NameRU: "Базовый"},
			{Code: "silver", Name: "Silver", NameRU: "Серебро", MinSpend: rub("50000")},
			{Code: "gold", Name: "Gold", NameRU: "Золото", MinSpend: rub("150000")},
		},
	}
	p.Earn.Multipliers = append(p.Earn.Multipliers,
		loyalty.Multiplier{Tier: "silver", Factor: pts("1.5")},
		loyalty.Multiplier{Tier: "gold", Factor: pts("2")})
	return p
}

func mustRules(t testing.TB, p loyalty.Programme) *loyalty.Rules {
	t.Helper()
	r, err := loyalty.NewRules(p)
	require.NoError(t, err)
	return r
}

// env is a Service over a memory store with a clock the test moves.
type env struct {
	t   *testing.T
	st  *memory.Store
	svc *loyalty.Service
	clk *clock.Stepping
	ctx context.Context
}

func newEnv(t *testing.T, p loyalty.Programme) *env {
	t.Helper()
	clk := clock.NewStepping(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), 0)
	st := memory.New()
	svc, err := loyalty.NewService(st, p, loyalty.Options{Clock: clock.Options{Now: clk.Now}})
	require.NoError(t, err)
	return &env{t: t, st: st, svc: svc, clk: clk, ctx: t.Context()}
}

// on moves the clock to 10:00 UTC of the day.
func (e *env) on(d loyalty.Date) { e.clk.Set(d.Start(time.UTC).Add(10 * time.Hour)) }

func (e *env) open(id string) loyalty.Account {
	e.t.Helper()
	rec, err := e.svc.Open(e.ctx, id, loyalty.Enrolment{})
	require.NoError(e.t, err)
	return rec.Account
}

// order is a one-line order of amount.
func order(id string, amount string) loyalty.Order {
	return loyalty.Order{ID: id, Lines: []loyalty.Line{{SKU: "sku-1", Category: "food", Amount: rub(amount)}}}
}

func (e *env) earn(acct string, o loyalty.Order) loyalty.Receipt {
	e.t.Helper()
	rec, err := e.svc.Earn(e.ctx, loyalty.Op{Account: acct, Key: "earn:" + o.ID}, o)
	require.NoError(e.t, err)
	e.check(acct)
	return rec
}

func (e *env) adjust(acct, key, points string) {
	e.t.Helper()
	_, err := e.svc.Adjust(e.ctx, loyalty.Op{Account: acct, Key: key}, pts(points), "test")
	require.NoError(e.t, err)
}

// ret returns amount of order on acct under key.
func (e *env) ret(acct, key, order, amount string) {
	e.t.Helper()
	_, err := e.svc.Return(e.ctx, loyalty.Op{Account: acct, Key: key}, order, rub(amount))
	require.NoError(e.t, err)
}

func (e *env) account(id string) loyalty.Account {
	e.t.Helper()
	a, err := e.st.Account(e.ctx, id)
	require.NoError(e.t, err)
	return a
}

func (e *env) balance(id string, asOf loyalty.Date) loyalty.Balance {
	e.t.Helper()
	b, err := e.svc.Balance(e.ctx, id, asOf)
	require.NoError(e.t, err)
	return b
}

func (e *env) entries(id string) []loyalty.Entry {
	e.t.Helper()
	out, err := store.Collect(e.st.Entries(e.ctx, id, 0))
	require.NoError(e.t, err)
	return out
}

func (e *env) lots(id string) []loyalty.Lot {
	e.t.Helper()
	out, err := store.Collect(e.st.Lots(e.ctx, id))
	require.NoError(e.t, err)
	return out
}

// check asserts the ledger's invariants for the account: the balance,
// reserved points and debt are the sums of the entries; the lots hold the
// balance less what is reserved; no lot is negative or above its points;
// each lot is its creation plus the draws on it.
func (e *env) check(id string) {
	e.t.Helper()
	checkLedger(e.t, e.account(id), e.entries(id), e.lots(id))
}

// tb is what checkLedger needs of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
}

func checkLedger(t tb, a loyalty.Account, entries []loyalty.Entry, lots []loyalty.Lot) {
	t.Helper()
	var bal, res, debt, inLots decimal.Decimal
	perLot := map[int64]decimal.Decimal{}
	for i, en := range entries {
		require.Equal(t, int64(i+1), en.Seq, "entries are numbered from 1 without gaps")
		bal, res, debt = bal.Add(en.Points), res.Add(en.Reserved), debt.Add(en.Debt)
		if en.Lot != 0 {
			perLot[en.Lot] = perLot[en.Lot].Add(en.Points)
		}
		for _, d := range en.Draws {
			perLot[d.Lot] = perLot[d.Lot].Add(d.Points)
		}
	}
	require.Truef(t, bal.Equal(a.Balance), "balance %s is the sum of the entries %s", a.Balance, bal)
	require.Truef(t, res.Equal(a.Reserved), "reserved %s is the sum of the entries %s", a.Reserved, res)
	require.Truef(t, debt.Equal(a.Debt), "debt %s is the sum of the entries %s", a.Debt, debt)
	require.GreaterOrEqual(t, a.Balance.Sign(), 0, "the balance never goes negative")
	require.GreaterOrEqual(t, a.Debt.Sign(), 0, "debt is never negative")
	for i, l := range lots {
		require.GreaterOrEqualf(t, l.Remaining.Sign(), 0, "lot %d went below zero: %s", l.ID, l.Remaining)
		require.Truef(t, l.Remaining.LessThanOrEqual(l.Points), "lot %d holds %s, more than its %s", l.ID, l.Remaining, l.Points)
		require.Truef(t, perLot[l.ID].Equal(l.Remaining), "lot %d holds %s, its entries say %s", l.ID, l.Remaining, perLot[l.ID])
		if i > 0 {
			require.LessOrEqual(t, loyalty.CompareLots(lots[i-1], l), 0, "lots are listed in redemption order")
		}
		inLots = inLots.Add(l.Remaining)
	}
	require.Truef(t, inLots.Add(a.Reserved).Equal(a.Balance), "lots %s + reserved %s make the balance %s", inLots, a.Reserved, a.Balance)
}
