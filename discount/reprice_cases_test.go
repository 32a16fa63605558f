package discount_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

// A discount the sale did not give — a rule that applies only because the
// order is smaller — never pays for a discount the kept goods lose; a
// rule the sale applied is judged as a whole over the kept goods.
func TestRepriceReturnJudgesRuleByRule(t *testing.T) {
	t.Run("a small-order rule on another line", func(t *testing.T) {
		e := newEngine(t, discount.Options{}, tenPercentFrom100,
			`{"id":"small","stacking":"additive","scope":{"kind":"line"},"conditions":{"max_quantity":"50"},"action":{"kind":"percent_off","percent":"10"}}`)
		// A: 100 units, 10% volume (900 paid). B: 80 units, no discount (800 paid).
		sold := cartOf(ln("A", "100", "10", id("a")), ln("B", "80", "10", id("b")))
		f := priceOK(t, e, sold, nil).Freeze()
		// 40 of A and 40 of B back. The kept 60 of A lose their volume
		// discount (60); the kept 40 of B now match "small", which the
		// sale never gave them.
		note, err := e.RepriceReturn(f, discount.Repricing{Sold: sold,
			Lines: []discount.ReturnLine{{Line: 0, Quantity: dec("40")}, {Line: 1, Quantity: dec("40")}}})
		require.NoError(t, err)
		assert.Equal(t, "RUB 60.00", note.Clawback.String(),
			"B's new small-order discount (40) must not pay for A's lost volume discount")
	})
	t.Run("a budget freed for another line", func(t *testing.T) {
		e := newEngine(t, discount.Options{},
			`{"id":"c","stacking":"additive","scope":{"kind":"line"},"conditions":{"min_quantity":"100"},"action":{"kind":"percent_off","percent":"10"},"limits":{"total":{"budget":{"amount":"150","currency":"RUB"}}}}`)
		sold := cartOf(ln("A", "100", "10", id("a")), ln("B", "100", "10", id("b")))
		ledger := discount.NewMemoryLedger()
		pc := priceOK(t, e, sold, ledger)
		require.Equal(t, "RUB 75.00", pc.Lines[1].Discount.String(), "the budget is shared: 75 each")
		require.NoError(t, ledger.Commit(t.Context(), "order-1", pc.Uses))
		f := pc.Freeze()
		// 40 of A back: the kept goods' share of the promotion was 45 + 75
		// = 120; re-priced, B alone reaches 100 units and gets 100 of the
		// budget. One promotion, judged as a whole: 20 clawed back, what
		// the kept goods would have lost had they been the order.
		note, err := e.RepriceReturn(f, discount.Repricing{Sold: sold, Lines: returnNow("40"),
			Usage: discount.ExcludingUses(ledger, f.Uses)})
		require.NoError(t, err)
		assert.Equal(t, "RUB 20.00", note.Clawback.String())
	})
}

// With nothing lost — no rule at all, or one flat discount that the kept
// goods still get at the same rate — re-pricing the kept goods rounds
// differently from their pro-rata share; that kopeck is not a clawback.
func TestRepriceReturnRoundingAloneClawsBackNothing(t *testing.T) {
	t.Run("no rule applies", func(t *testing.T) {
		e := newEngine(t, discount.Options{},
			`{"id":"other","stacking":"additive","scope":{"kind":"line","target":{"skus":["OTHER"]}},"action":{"kind":"percent_off","percent":"10"}}`)
		sold := cartOf(ln("CHEESE", "1", "50.03")) // 1 kg, 50.03 paid
		f := priceOK(t, e, sold, nil).Freeze()
		note := repriceOK(t, e, f, sold, nil, returnNow("0.5"))
		assert.Empty(t, note.Lost)
		assert.True(t, note.Clawback.IsZero(), "no discount anywhere, yet clawback %s (net %s, due %s)", note.Clawback, note.Net, note.Due)
	})
	t.Run("a flat contract discount kept", func(t *testing.T) {
		e := newEngine(t, discount.Options{},
			`{"id":"contract","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"3"}}`)
		sold := cartOf(ln("A", "5", "10.70")) // 53.50 − 1.61 = 51.89
		f := priceOK(t, e, sold, nil).Freeze()
		note := repriceOK(t, e, f, sold, nil, returnNow("1"))
		assert.Empty(t, note.Lost)
		assert.True(t, note.Clawback.IsZero(), "the kept 4 keep their 3%%, yet clawback %s", note.Clawback)
	})
}

// A sold cart at another moment, an engine with another rounding mode or
// another customer is refused even where the sale's lines happen to
// price the same: the kept goods would be re-priced on other terms.
func TestRepriceReturnRefusesAnotherAtRoundingOrCustomer(t *testing.T) {
	notTheSale := func(t *testing.T, err error, field string) {
		t.Helper()
		var ie *discount.InputError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, discount.ReasonNotTheSale, ie.Reason)
		assert.Equal(t, field, ie.Field)
		assert.NotEmpty(t, ie.Message("en"))
		assert.Contains(t, ie.Message("ru"), "поле "+field)
	}
	t.Run("another moment", func(t *testing.T) {
		// 10% from 100 units all year; 5% from 50 to 99 units in April only.
		e := newEngine(t, discount.Options{}, tenPercentFrom100,
			`{"id":"april","stacking":"additive","scope":{"kind":"line"},"conditions":{"valid_from":"2026-04-01","valid_to":"2026-04-30","min_quantity":"50","max_quantity":"99"},"action":{"kind":"percent_off","percent":"5"}}`)
		sold := cartOf(ln("A", "100", "10")) // 15 March
		f := priceOK(t, e, sold, nil).Freeze()
		right := repriceOK(t, e, f, sold, nil, returnNow("40"))
		require.Equal(t, "RUB 60.00", right.Clawback.String())

		now := sold
		now.At = time.Date(2026, 4, 10, 12, 0, 0, 0, time.UTC) // the cart rebuilt at the return
		note, err := e.RepriceReturn(f, discount.Repricing{Sold: now, Lines: returnNow("40")})
		if err == nil {
			t.Fatalf("accepted a sold cart of another moment: clawback %s instead of %s (the April rule the sale never had)",
				note.Clawback, right.Clawback)
		}
		notTheSale(t, err, "sold.at")
	})
	t.Run("another rounding mode", func(t *testing.T) {
		rules := []string{
			`{"id":"v","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"volume","breaks":[
				{"min_quantity":"50","percent":"5"},{"min_quantity":"200","percent":"10"}]}}`}
		e := newEngine(t, discount.Options{}, rules...) // half up
		down := newEngine(t, discount.Options{Rounding: money.Down}, rules...)
		sold := cartOf(ln("A", "200", "0.10")) // 20.00 − 2.00: the same in every mode
		f := priceOK(t, e, sold, nil).Freeze()
		right := repriceOK(t, e, f, sold, nil, returnNow("99"))
		note, err := down.RepriceReturn(f, discount.Repricing{Sold: sold, Lines: returnNow("99")})
		if err == nil {
			t.Fatalf("accepted an engine rounding down for a sale rounded half up: clawback %s instead of %s",
				note.Clawback, right.Clawback)
		}
		notTheSale(t, err, "options.rounding")
	})
	t.Run("another customer", func(t *testing.T) {
		e := newEngine(t, discount.Options{}, tenPercentFrom100)
		sold := cartOf(ln("A", "100", "10"))
		f := priceOK(t, e, sold, nil).Freeze()
		other := sold
		other.Customer.ID = "cust-2"
		_, err := e.RepriceReturn(f, discount.Repricing{Sold: other, Lines: returnNow("40")})
		notTheSale(t, err, "sold.customer.id")
	})
}

// Lost is judged per discount of the sale, line by line: a line that
// loses its discount while the same rule still gives one on another line
// is explained, lines that never had the rule's discount are not listed,
// and when everything is returned nothing is lost.
func TestRepriceReturnLostPerLine(t *testing.T) {
	e := newEngine(t, discount.Options{}, tenPercentFrom100)
	t.Run("the rule still applies on another line", func(t *testing.T) {
		sold := cartOf(ln("A", "100", "10", id("a")), ln("B", "100", "10", id("b")))
		f := priceOK(t, e, sold, nil).Freeze()
		note := repriceOK(t, e, f, sold, nil, returnNow("40"))
		require.Equal(t, "RUB 60.00", note.Clawback.String())
		require.Len(t, note.Lost, 1, "the 60 clawed back must be explained: A's kept 60 lose the volume discount")
		assert.Equal(t, "vol", note.Lost[0].Rule)
		assert.Equal(t, 0, note.Lost[0].Line)
		assert.Equal(t, discount.MinQuantityNotReached, note.Lost[0].Reason)
	})
	t.Run("a line that never had the discount", func(t *testing.T) {
		sold := cartOf(ln("A", "100", "10", id("a")), ln("B", "10", "10", id("b")))
		f := priceOK(t, e, sold, nil).Freeze()
		note := repriceOK(t, e, f, sold, nil, returnNow("40"))
		require.Len(t, note.Lost, 1, "B never had the volume discount: %v", note.Lost)
		assert.Equal(t, 0, note.Lost[0].Line)
	})
	t.Run("everything returned", func(t *testing.T) {
		sold := cartOf(ln("A", "100", "10", id("a")), ln("B", "100", "10", id("b")))
		f := priceOK(t, e, sold, nil).Freeze()
		note, err := e.RepriceReturn(f, discount.Repricing{Sold: sold,
			Lines: []discount.ReturnLine{{Line: 0, Quantity: dec("100")}, {Line: 1, Quantity: dec("100")}}})
		require.NoError(t, err)
		assert.Empty(t, note.Lost, "nothing is kept, so nothing is lost")
	})
	t.Run("a line returned whole", func(t *testing.T) {
		sold := cartOf(ln("A", "100", "10", id("a")), ln("B", "100", "10", id("b")))
		f := priceOK(t, e, sold, nil).Freeze()
		note := repriceOK(t, e, f, sold, []decimal.Decimal{dec("0"), dec("60")}, returnNow("100"))
		// B's kept 40 lost the discount with the earlier return; A is
		// returned whole and keeps nothing: the note still explains B.
		require.Len(t, note.Lost, 1, "%v", note.Lost)
		assert.Equal(t, 1, note.Lost[0].Line)
	})
}

// The stricter check still accepts the record as stored: a Frozen read
// back from JSON, with the cart's At in another time zone.
func TestRepriceReturnAcceptsAStoredRecord(t *testing.T) {
	e := newEngine(t, discount.Options{}, tenPercentFrom100)
	sold := cartOf(ln("A", "100", "10"))
	msk := time.FixedZone("MSK", 3*3600)
	sold.At, sold.Location = sold.At.In(msk), msk
	f := priceOK(t, e, sold, nil).Freeze()
	data, err := json.Marshal(f)
	require.NoError(t, err)
	var back discount.Frozen
	require.NoError(t, json.Unmarshal(data, &back))
	note := repriceOK(t, e, back, sold, nil, returnNow("40"))
	assert.Equal(t, "RUB 60.00", note.Clawback.String())
}
