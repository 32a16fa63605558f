package discount_test

import (
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

// A contract price per kg that the kept goods still get is not clawed
// back, although the list amounts and the contract amounts round
// differently at 3.034 kg and at 3.029 kg: the list amount's own rounding
// passes into the discount, and the tolerance allows for it.
func TestRepriceReturnContractPricePerKgKeptClawsBackNothing(t *testing.T) {
	e := newEngine(t, discount.Options{},
		`{"id":"contract","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"fixed_price","price":{"amount":"7.77","currency":"RUB"}}}`)
	sold := cartOf(ln("MEAT", "3.034", "8.09")) // 24.55 list, 23.57 at the contract price: 0.98 off
	f := priceOK(t, e, sold, nil).Freeze()
	require.Equal(t, "RUB 0.98", f.Lines[0].Discount.String())
	note := repriceOK(t, e, f, sold, nil, returnNow("0.005"))
	assert.Empty(t, note.Lost)
	assert.True(t, note.Clawback.IsZero(), "the kept 3.029 kg still get the contract price, yet clawback %s", note.Clawback)
}

// The same with a flat 7% rounded down (any directed mode): 5 kg at
// 17.60, 0.008 kg back. The kept 4.992 kg (87.85 list, 6.14 off) keep
// their 7%; their share of the 6.16 is 6.16, and the 0.02 between them
// is rounding, not a clawback.
func TestRepriceReturnFlatPercentRoundedDownClawsBackNothing(t *testing.T) {
	e := newEngine(t, discount.Options{Rounding: money.Down},
		`{"id":"contract","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"7"}}`)
	sold := cartOf(ln("CHEESE", "5", "17.60")) // 88.00, 6.16 off
	f := priceOK(t, e, sold, nil).Freeze()
	note := repriceOK(t, e, f, sold, nil, returnNow("0.008"))
	assert.Empty(t, note.Lost)
	assert.True(t, note.Clawback.IsZero(), "the kept 4.992 kg keep their 7%%, yet clawback %s", note.Clawback)
}

// Lines nothing was returned from add nothing to the tolerance (their
// shares are exact), so they cannot hide a real loss: 1,000 lines of a
// volume term, 1 unit of line 0 (100 × 1.00, 10.00 off) comes back, and
// the kept 99's loss of 9.90 is clawed back as it is when line 0 is the
// whole order.
func TestRepriceReturnUntouchedLinesDoNotHideARealLoss(t *testing.T) {
	e := newEngine(t, discount.Options{}, tenPercentFrom100)
	alone := cartOf(ln("A", "100", "1", id("l0")))
	fa := priceOK(t, e, alone, nil).Freeze()
	require.Equal(t, "RUB 9.90", repriceOK(t, e, fa, alone, nil, returnNow("1")).Clawback.String())

	lines := []discount.Line{ln("A", "100", "1", id("l0"))}
	for i := 1; i < 1000; i++ {
		lines = append(lines, ln("S"+strconv.Itoa(i), "100", "1", id("l"+strconv.Itoa(i))))
	}
	big := cartOf(lines...)
	fb := priceOK(t, e, big, nil).Freeze()
	note := repriceOK(t, e, fb, big, nil, returnNow("1"))
	require.Len(t, note.Lost, 1, "the kept 99 of line 0 lose the volume discount")
	assert.Equal(t, "RUB 9.90", note.Clawback.String(), "the same loss on the same line, in a larger order")
}

// The same with an order threshold over 200 lines of cheap goods: the
// whole 2% order discount (0.01 a line) is lost when one line comes back,
// Lost says so, and the kept lines' 1.99 share is clawed back.
func TestRepriceReturnLostOrderDiscountIsClawedBack(t *testing.T) {
	e := newEngine(t, discount.Options{},
		`{"id":"o","name":"Big order","stacking":"additive","scope":{"kind":"order"},"conditions":{"min_amount":{"amount":"100","currency":"RUB"}},"action":{"kind":"percent_off","percent":"2"}}`)
	var lines []discount.Line
	for i := 0; i < 200; i++ {
		lines = append(lines, ln("S"+strconv.Itoa(i), "1", "0.50", id("l"+strconv.Itoa(i))))
	}
	sold := cartOf(lines...) // 100.00, 2.00 off
	f := priceOK(t, e, sold, nil).Freeze()
	note := repriceOK(t, e, f, sold, nil, returnNow("1"))
	require.Len(t, note.Lost, 1)
	assert.Equal(t, discount.MinAmountNotReached, note.Lost[0].Reason)
	assert.Equal(t, "RUB 1.99", note.Clawback.String(), "the kept 199 lines lose their 1.99 share of the order discount")
}

// Compounding: losing the volume discount raises the base of a
// compounding order discount the kept goods still get. Re-priced as if
// they had been the order, the kept 60 pay 570; their pro-rata share of
// the sale is 513, so they owe 57: the lost volume discount (60) less the
// 3 more of the order discount the same loss gives them.
func TestRepriceReturnCompoundingDoesNotClawBackMoreThanTheRepricedCart(t *testing.T) {
	e := newEngine(t, discount.Options{}, tenPercentFrom100,
		`{"id":"o","stacking":"compounding","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"5"}}`)
	sold := cartOf(ln("A", "100", "10")) // 1000 − 100 − 45 = 855
	pc := priceOK(t, e, sold, nil)
	f := pc.Freeze()
	note := repriceOK(t, e, f, sold, nil, returnNow("40"))
	keptAlone := priceOK(t, e, cartOf(ln("A", "60", "10")), nil)
	require.Equal(t, "RUB 570.00", keptAlone.Net.String())
	paidForKept, err := pc.Net.Sub(note.Due)
	require.NoError(t, err)
	assert.Equal(t, "RUB 570.00", paidForKept.String(), "the client pays for the kept goods what they cost ordered alone")
	require.Len(t, note.Shortfalls, 2)
	assert.Equal(t, "RUB 60.00", note.Shortfalls[0].Short.String(), "the volume discount lost")
	assert.Equal(t, "RUB -3.00", note.Shortfalls[1].Short.String(), "more of the order discount on a larger base")
	assert.Equal(t, "offset", note.Shortfalls[1].Code())
}

// Rules that give the kept goods the same terms whatever they keep
// (flat percentages, a contract price, an amount per unit, stacked and
// on the order), every rounding mode, quantities in grams: rounding alone
// never claws back.
func TestRepriceReturnRoundingAloneNeverClawsBack(t *testing.T) {
	modes := []money.RoundingMode{money.HalfUp, money.HalfEven, money.Down, money.Up, money.Ceiling, money.Floor}
	rules := [][]string{
		{`{"id":"o","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"7"}}`},
		{`{"id":"o","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"33"}}`},
		{`{"id":"l","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`,
			`{"id":"o","stacking":"compounding","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"5"}}`},
		{`{"id":"l","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`,
			`{"id":"m","stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"5"}}`},
		{`{"id":"f","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"fixed_price","price":{"amount":"7.77","currency":"RUB"}}}`},
		{`{"id":"f","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"fixed_price","price":{"amount":"7.77","currency":"RUB"}}}`,
			`{"id":"m","stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"55"}}`,
			`{"id":"o","stacking":"compounding","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"45"}}`},
		{`{"id":"l","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"90"}}`,
			`{"id":"m","stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"95"}}`},
		{`{"id":"u","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"amount_off","amount":{"amount":"0.37","currency":"RUB"},"per":"unit"}}`},
		{`{"id":"o","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"99"}}`},
	}
	var engines [][]*discount.Engine
	for _, m := range modes {
		var row []*discount.Engine
		for _, rs := range rules {
			row = append(row, newEngine(t, discount.Options{Rounding: m}, rs...))
		}
		engines = append(engines, row)
	}
	rapid.Check(t, func(t *rapid.T) {
		mi := rapid.IntRange(0, len(modes)-1).Draw(t, "mode")
		ri := rapid.IntRange(0, len(rules)-1).Draw(t, "rules")
		e := engines[mi][ri]
		n := rapid.IntRange(1, 12).Draw(t, "n")
		var lines []discount.Line
		var now []discount.ReturnLine
		for i := 0; i < n; i++ {
			q := decimal.NewFromInt(int64(rapid.IntRange(1, 5000).Draw(t, "q"))).Shift(-3)
			p := decimal.NewFromInt(int64(rapid.IntRange(800, 100000).Draw(t, "p"))).Shift(-2)
			pa, _ := money.FromDecimal(p, money.RUB)
			lines = append(lines, discount.Line{SKU: string(rune('A' + i)), ID: string(rune('a' + i)), Quantity: q, ListPrice: pa})
			x := int64(rapid.IntRange(0, int(q.Shift(3).IntPart())).Draw(t, "x"))
			if x > 0 {
				now = append(now, discount.ReturnLine{Line: i, Quantity: decimal.NewFromInt(x).Shift(-3)})
			}
		}
		if len(now) == 0 {
			return
		}
		sold := cartOf(lines...)
		pc, err := e.Price(sold, nil)
		if err != nil {
			t.Fatal(err)
		}
		note, err := e.RepriceReturn(pc.Freeze(), discount.Repricing{Sold: sold, Lines: now})
		if err != nil {
			t.Fatal(err)
		}
		if note.Clawback.IsPositive() {
			t.Fatalf("rules %d mode %v: clawback %s", ri, modes[mi], note.Clawback)
		}
	})
}
