package discount_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

// tb is what both *testing.T and *rapid.T offer.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
}

var t0 = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

func rub(s string) money.Amount { return money.MustParse(s, money.RUB) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

type lineOpt func(*discount.Line)

func cat(path ...string) lineOpt { return func(l *discount.Line) { l.Category = path } }
func brand(b string) lineOpt     { return func(l *discount.Line) { l.Brand = b } }
func cost(s string) lineOpt      { return func(l *discount.Line) { l.Cost = rub(s) } }
func floor(s string) lineOpt     { return func(l *discount.Line) { l.FloorPrice = rub(s) } }
func factor(s string) lineOpt    { return func(l *discount.Line) { l.Factor = dec(s) } }
func id(s string) lineOpt        { return func(l *discount.Line) { l.ID = s } }

// ln is a line of qty units of sku at price RUB each.
func ln(sku, qty, price string, opts ...lineOpt) discount.Line {
	l := discount.Line{SKU: sku, Quantity: dec(qty), ListPrice: rub(price)}
	for _, o := range opts {
		o(&l)
	}
	return l
}

func cartOf(lines ...discount.Line) discount.Cart {
	return discount.Cart{Currency: money.RUB, At: t0, Lines: lines, Customer: discount.Customer{ID: "cust-1"}}
}

// ruleSet decodes rules written as JSON objects.
func ruleSet(t testing.TB, rules ...string) discount.RuleSet {
	t.Helper()
	rs, err := discount.DecodeRules([]byte(`{"rules":[` + strings.Join(rules, ",") + `]}`))
	require.NoError(t, err)
	return rs
}

func newEngine(t testing.TB, opts discount.Options, rules ...string) *discount.Engine {
	t.Helper()
	e, err := discount.NewEngine(ruleSet(t, rules...), opts)
	require.NoError(t, err)
	return e
}

// priceOK prices and checks the invariants every priced cart must hold.
func priceOK(t testing.TB, e *discount.Engine, c discount.Cart, u discount.Usage) *discount.PricedCart {
	t.Helper()
	pc, err := e.Price(c, u)
	require.NoError(t, err)
	checkInvariants(t, c, pc)
	return pc
}

// checkInvariants: list − discount = net per line and in total; nothing
// negative; every line at or above its floor; adjustments and order
// shares add up to the line discounts; every amount in minor units.
func checkInvariants(t tb, c discount.Cart, pc *discount.PricedCart) {
	t.Helper()
	require.Len(t, pc.Lines, len(c.Lines))
	perLine := make([]money.Amount, len(pc.Lines))
	for _, a := range pc.Adjustments {
		require.True(t, a.Amount.IsPositive(), "adjustment %s is not positive", a.Amount)
		if a.Line >= 0 {
			perLine[a.Line] = mustAdd(t, perLine[a.Line], a.Amount)
			continue
		}
		var sum money.Amount
		for _, sh := range a.Shares {
			perLine[sh.Line] = mustAdd(t, perLine[sh.Line], sh.Amount)
			sum = mustAdd(t, sum, sh.Amount)
		}
		require.True(t, sum.Equal(a.Amount), "order shares %s do not add up to %s", sum, a.Amount)
	}
	var list, disc, net money.Amount
	for i, l := range pc.Lines {
		for _, a := range []money.Amount{l.List, l.Discount, l.Net} {
			require.False(t, a.IsNegative(), "line %d has a negative amount %s", i, a)
			_, ok := a.Minor()
			require.True(t, ok, "line %d amount %s is not in minor units", i, a)
		}
		back, err := l.List.Sub(l.Discount)
		require.NoError(t, err)
		require.True(t, back.Equal(l.Net), "line %d: %s − %s ≠ %s", i, l.List, l.Discount, l.Net)
		require.True(t, perLine[i].Equal(l.Discount) || (perLine[i].IsZero() && l.Discount.IsZero()),
			"line %d: adjustments %s ≠ discount %s", i, perLine[i], l.Discount)
		cl := c.Lines[i]
		if !cl.FloorPrice.Currency().IsZero() {
			fl := cl.FloorPrice.Mul(cl.Quantity)
			if cmp, _ := fl.Cmp(l.List); cmp <= 0 {
				cmp, err := l.Net.Cmp(fl)
				require.NoError(t, err)
				require.GreaterOrEqual(t, cmp, 0, "line %d net %s below its floor %s", i, l.Net, fl)
			}
		}
		if !cl.Cost.Currency().IsZero() {
			cs := cl.Cost.Mul(cl.Quantity)
			if cmp, _ := cs.Cmp(l.List); cmp <= 0 {
				cmp, err := l.Net.Cmp(cs)
				require.NoError(t, err)
				require.GreaterOrEqual(t, cmp, 0, "line %d net %s below its cost %s", i, l.Net, cs)
			}
		}
		list, disc, net = mustAdd(t, list, l.List), mustAdd(t, disc, l.Discount), mustAdd(t, net, l.Net)
	}
	require.True(t, list.Equal(pc.List) || list.IsZero() && pc.List.IsZero())
	require.True(t, disc.Equal(pc.Discount) || disc.IsZero() && pc.Discount.IsZero())
	require.True(t, net.Equal(pc.Net) || net.IsZero() && pc.Net.IsZero())
}

func mustAdd(t tb, a, b money.Amount) money.Amount {
	t.Helper()
	s, err := a.Add(b)
	require.NoError(t, err)
	return s
}

// discounts returns each line's discount as text.
func discounts(pc *discount.PricedCart) []string {
	out := make([]string, len(pc.Lines))
	for i, l := range pc.Lines {
		out[i] = l.Discount.Round(money.HalfUp).String()
	}
	return out
}

func rubs(ss ...string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = rub(s).String()
	}
	return out
}

// reasons returns "rule:reason:line" for every rejection.
func reasons(pc *discount.PricedCart) []string {
	var out []string
	for _, r := range pc.NotApplied {
		s := r.Rule + ":" + string(r.Reason)
		if r.Line >= 0 {
			s += ":" + r.SKU
		}
		if r.By != "" {
			s += ":by=" + r.By
		}
		out = append(out, s)
	}
	return out
}

// usage is a fixed Usage snapshot for tests.
type usage map[discount.UsageKey]discount.Counter

func (u usage) Counter(k discount.UsageKey) discount.Counter { return u[k] }
