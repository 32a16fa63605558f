package discount_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

// tenPercentFrom100 is a volume term: 10% off a line of 100 units or more.
const tenPercentFrom100 = `{"id":"vol","name":"Volume","stacking":"additive","scope":{"kind":"line"},"conditions":{"min_quantity":"100"},"action":{"kind":"percent_off","percent":"10"}}`

// returnNow is a return of q units of line 0.
func returnNow(q string) []discount.ReturnLine {
	return []discount.ReturnLine{{Line: 0, Quantity: dec(q)}}
}

func repriceOK(t *testing.T, e *discount.Engine, f discount.Frozen, sold discount.Cart, before []decimal.Decimal, now []discount.ReturnLine) *discount.CreditNote {
	t.Helper()
	note, err := e.RepriceReturn(f, discount.Repricing{Sold: sold, Before: before, Lines: now})
	require.NoError(t, err)
	due, err := note.Net.Sub(note.Clawback)
	require.NoError(t, err)
	require.True(t, due.Equal(note.Due), "Due = Net − Clawback")
	return note
}

func TestRepriceReturnClawsBackVolumeDiscount(t *testing.T) {
	e := newEngine(t, discount.Options{}, tenPercentFrom100)
	sold := cartOf(ln("A", "100", "10"))
	f := priceOK(t, e, sold, nil).Freeze() // 1000 list, 100 off, 900 paid

	// 40 back: they are worth 360 pro rata, but the 60 kept now cost 600
	// instead of their 540 share: 60 clawed back, 300 due.
	note := repriceOK(t, e, f, sold, nil, returnNow("40"))
	assert.Equal(t, "RUB 360.00", note.Net.String())
	assert.Equal(t, "RUB 60.00", note.Clawback.String())
	assert.Equal(t, "RUB 300.00", note.Due.String())
	require.Len(t, note.Lost, 1)
	assert.Equal(t, "vol", note.Lost[0].Rule)
	assert.Equal(t, discount.MinQuantityNotReached, note.Lost[0].Reason)
	assert.Contains(t, note.Lost[0].Message("ru"), "Volume")
	require.Len(t, note.Shortfalls, 1)
	sf := note.Shortfalls[0]
	assert.Equal(t, "vol", sf.Rule)
	assert.Equal(t, []string{"RUB 60.00", "RUB 0.00", "RUB 60.00"}, []string{sf.Share.String(), sf.Now.String(), sf.Short.String()})
	assert.Equal(t, "clawback", sf.Code())
	assert.Equal(t, "Volume: the goods kept get RUB 0.00 of it against their share of RUB 60.00 at the sale", sf.Message("en"))
	assert.Contains(t, sf.Message("ru"), "оставшийся товар получает")

	// The other 60 follow: the clawback is given back, and the two notes
	// add up to what was paid.
	rest := repriceOK(t, e, f, sold, []decimal.Decimal{dec("40")}, returnNow("60"))
	assert.Equal(t, "RUB 540.00", rest.Net.String())
	assert.Equal(t, "RUB -60.00", rest.Clawback.String())
	assert.Equal(t, "RUB 600.00", rest.Due.String())
	total, err := note.Due.Add(rest.Due)
	require.NoError(t, err)
	assert.True(t, total.Equal(f.Lines[0].Net), "everything returned gives back exactly what was paid: %s", total)

	// PriceReturn keeps the discount: Due is Net.
	pro, err := discount.PriceReturn(f, returnNow("40"))
	require.NoError(t, err)
	assert.True(t, pro.Due.Equal(pro.Net))
	assert.True(t, pro.Clawback.IsZero())
}

// One unit back costs the other 99 their volume discount: the client owes.
func TestRepriceReturnCanLeaveTheClientOwing(t *testing.T) {
	e := newEngine(t, discount.Options{}, tenPercentFrom100)
	sold := cartOf(ln("A", "100", "10"))
	f := priceOK(t, e, sold, nil).Freeze()
	note := repriceOK(t, e, f, sold, nil, returnNow("1"))
	assert.Equal(t, "RUB 9.00", note.Net.String())
	assert.Equal(t, "RUB 99.00", note.Clawback.String())
	assert.Equal(t, "RUB -90.00", note.Due.String())
}

// A smaller order that earns another break keeps it: the kept 60 get the
// 5% the lower break gives, and only the difference is clawed back.
func TestRepriceReturnKeepsALowerBreak(t *testing.T) {
	e := newEngine(t, discount.Options{},
		`{"id":"v","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"volume","breaks":[
			{"min_quantity":"50","percent":"5"},{"min_quantity":"100","percent":"10"}]}}`)
	sold := cartOf(ln("A", "100", "10"))
	f := priceOK(t, e, sold, nil).Freeze()
	note := repriceOK(t, e, f, sold, nil, returnNow("40"))
	assert.Equal(t, "RUB 30.00", note.Clawback.String(), "60 kept at 570 instead of 540")
	assert.Empty(t, note.Lost, "the rule still gives the kept goods a discount")
	require.Len(t, note.Shortfalls, 1, "the partial loss is explained")
	assert.Equal(t, "RUB 30.00", note.Shortfalls[0].Now.String())
	assert.Equal(t, "RUB 60.00", note.Shortfalls[0].Share.String())
}

// A return never earns the kept goods a discount the sale did not give:
// a rule for small orders that now applies gives nothing back.
func TestRepriceReturnGrantsNothingNew(t *testing.T) {
	e := newEngine(t, discount.Options{},
		`{"id":"small","stacking":"additive","scope":{"kind":"line"},"conditions":{"max_quantity":"50"},"action":{"kind":"percent_off","percent":"10"}}`)
	sold := cartOf(ln("A", "100", "10"))
	f := priceOK(t, e, sold, nil).Freeze()
	note := repriceOK(t, e, f, sold, nil, returnNow("60"))
	assert.True(t, note.Clawback.IsZero())
	assert.True(t, note.Due.Equal(note.Net), "pro rata: %s", note.Due)
}

// Order-level thresholds are judged on what is kept, across lines.
func TestRepriceReturnOrderThreshold(t *testing.T) {
	e := newEngine(t, discount.Options{},
		`{"id":"o","name":"Big order","stacking":"additive","scope":{"kind":"order"},"conditions":{"min_amount":{"amount":"1000","currency":"RUB"}},"action":{"kind":"percent_off","percent":"5"}}`)
	sold := cartOf(ln("A", "10", "60", id("a")), ln("B", "10", "50", id("b"))) // 1100, 55 off
	f := priceOK(t, e, sold, nil).Freeze()
	note, err := e.RepriceReturn(f, discount.Repricing{Sold: sold, Lines: []discount.ReturnLine{{Line: 1, Quantity: dec("5")}}})
	require.NoError(t, err)
	// B's 5 units are worth 237.50 pro rata; the kept 850 no longer reach
	// 1000 and pay 850 instead of their 807.50 share.
	assert.Equal(t, "RUB 237.50", note.Net.String())
	assert.Equal(t, "RUB 42.50", note.Clawback.String())
	assert.Equal(t, "RUB 195.00", note.Due.String())
	require.Len(t, note.Lost, 1)
	assert.Equal(t, discount.MinAmountNotReached, note.Lost[0].Reason)
}

// The engine and cart must price the sale as it was priced.
func TestRepriceReturnRefusesAnotherSale(t *testing.T) {
	e := newEngine(t, discount.Options{}, tenPercentFrom100)
	sold := cartOf(ln("A", "100", "10"))
	f := priceOK(t, e, sold, nil).Freeze()
	check := func(name string, e *discount.Engine, in discount.Repricing, field string) {
		t.Helper()
		_, err := e.RepriceReturn(f, in)
		var ie *discount.InputError
		require.ErrorAs(t, err, &ie, name)
		assert.Equal(t, field, ie.Field, name)
		assert.NotEmpty(t, ie.Message("ru"), name)
	}
	other := newEngine(t, discount.Options{}, `{"id":"vol","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"5"}}`)
	check("today's rules", other, discount.Repricing{Sold: sold, Lines: returnNow("1")}, "sold.lines[0]")
	check("another price", e, discount.Repricing{Sold: cartOf(ln("A", "100", "11")), Lines: returnNow("1")}, "sold.lines[0]")
	check("another line count", e, discount.Repricing{Sold: cartOf(ln("A", "100", "10"), ln("B", "1", "1")), Lines: returnNow("1")}, "sold.lines")
	check("before too long", e, discount.Repricing{Sold: sold, Before: []decimal.Decimal{dec("1"), dec("1")}, Lines: returnNow("1")}, "before")
	check("before negative", e, discount.Repricing{Sold: sold, Before: []decimal.Decimal{dec("-1")}, Lines: returnNow("1")}, "before[0]")
	check("before above the sale", e, discount.Repricing{Sold: sold, Before: []decimal.Decimal{dec("101")}, Lines: returnNow("1")}, "before[0]")
	check("more than is left", e, discount.Repricing{Sold: sold, Before: []decimal.Decimal{dec("99")}, Lines: returnNow("2")}, "lines[0].quantity")
	_, err := e.RepriceReturn(f, discount.Repricing{Sold: sold, Lines: returnNow("1")})
	require.NoError(t, err, "the sale's own engine and cart")
}

// A per-customer limit the sale used up: judged without the sale's own
// use (ExcludingUses), the sale prices as it did.
func TestRepriceReturnExcludingUses(t *testing.T) {
	e := newEngine(t, discount.Options{},
		`{"id":"once","stacking":"additive","scope":{"kind":"line"},"conditions":{"min_quantity":"100"},"action":{"kind":"percent_off","percent":"10"},"limits":{"per_customer":{"max_uses":1}}}`)
	sold := cartOf(ln("A", "100", "10"))
	pc := priceOK(t, e, sold, nil)
	ledger := discount.NewMemoryLedger()
	require.NoError(t, ledger.Commit(t.Context(), "order-1", pc.Uses))
	f := pc.Freeze()

	_, err := e.RepriceReturn(f, discount.Repricing{Sold: sold, Lines: returnNow("40"), Usage: ledger})
	var ie *discount.InputError
	require.ErrorAs(t, err, &ie, "with the sale's own use counted the rule is exhausted")
	assert.Equal(t, discount.ReasonNotTheSale, ie.Reason)

	note, err := e.RepriceReturn(f, discount.Repricing{Sold: sold, Lines: returnNow("40"), Usage: discount.ExcludingUses(ledger, f.Uses)})
	require.NoError(t, err)
	assert.Equal(t, "RUB 60.00", note.Clawback.String())

	// ExcludingUses never goes below zero.
	c := discount.ExcludingUses(nil, f.Uses).Counter(f.Uses[0].Key)
	assert.Zero(t, c.Uses)
	assert.False(t, c.Spent.IsNegative())
}

// Whatever the steps, the credit notes of a sequence of returns add up
// to the pro-rata value of what was returned less the clawback at the
// end (path independence), no step's clawback makes the total clawback
// negative, and returning everything gives back exactly what was paid.
func TestRepriceReturnProperties(t *testing.T) {
	e := newEngine(t, discount.Options{},
		`{"id":"v","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"volume","breaks":[
			{"min_quantity":"10","percent":"3"},{"min_quantity":"40","percent":"7"}]}}`,
		`{"id":"o","stacking":"compounding","scope":{"kind":"order"},"conditions":{"min_amount":{"amount":"2000","currency":"RUB"}},"action":{"kind":"percent_off","percent":"2"}}`,
		`{"id":"b","stacking":"additive","scope":{"kind":"line","target":{"skus":["C"]}},"action":{"kind":"buy_x_get_y","buy":3,"get":1}}`)
	rapid.Check(t, func(t *rapid.T) {
		skus := []string{"A", "B", "C"}
		var lines []discount.Line
		for i, sku := range skus {
			q := rapid.IntRange(0, 60).Draw(t, "qty")
			p := rapid.SampledFrom([]string{"9.99", "10", "33.33", "125.5"}).Draw(t, "price")
			lines = append(lines, ln(sku, decimal.NewFromInt(int64(q)).String(), p, id(string(rune('a'+i)))))
		}
		sold := cartOf(lines...)
		pc, err := e.Price(sold, nil)
		require.NoError(t, err)
		f := pc.Freeze()
		before := make([]decimal.Decimal, len(lines))
		for i := range before {
			before[i] = decimal.Zero
		}
		total, clawed := money.Zero(money.RUB), money.Zero(money.RUB)
		for step := 0; step < 6; step++ {
			var now []discount.ReturnLine
			for i, l := range lines {
				left := l.Quantity.Sub(before[i])
				if left.IsZero() {
					continue
				}
				q := rapid.IntRange(0, int(left.IntPart())).Draw(t, "q")
				if step == 5 {
					q = int(left.IntPart()) // the last step returns the rest
				}
				if q > 0 {
					now = append(now, discount.ReturnLine{Line: i, Quantity: decimal.NewFromInt(int64(q))})
				}
			}
			if len(now) == 0 {
				continue
			}
			note, err := e.RepriceReturn(f, discount.Repricing{Sold: sold, Before: before, Lines: now})
			require.NoError(t, err)
			total, _ = total.Add(note.Due)
			clawed, _ = clawed.Add(note.Clawback)
			require.False(t, clawed.IsNegative(), "the clawback so far is never negative: %s", clawed)
			for _, r := range now {
				before[r.Line] = before[r.Line].Add(r.Quantity)
			}
			// Path independence: one return of everything so far gives the same.
			var all []discount.ReturnLine
			for i, b := range before {
				if b.IsPositive() {
					all = append(all, discount.ReturnLine{Line: i, Quantity: b})
				}
			}
			once, err := e.RepriceReturn(f, discount.Repricing{Sold: sold, Lines: all})
			require.NoError(t, err)
			require.True(t, once.Due.Equal(total), "one return %s, the steps %s", once.Due, total)
			require.True(t, once.Clawback.Equal(clawed))
			// The shortfalls explain the clawback so far.
			explained := money.Zero(money.RUB)
			for _, sf := range note.Shortfalls {
				explained, _ = explained.Add(sf.Short)
				require.False(t, sf.Short.IsZero())
			}
			if explained.IsNegative() {
				explained = money.Zero(money.RUB)
			}
			require.True(t, explained.Equal(clawed), "shortfalls add up to %s, clawback so far %s", explained, clawed)
		}
		require.True(t, total.Equal(pc.Net), "everything returned: %s back, %s paid", total, pc.Net)
	})
}
