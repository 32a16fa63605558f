package discount_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

// A frozen record's uses and adjustments are checked like its lines: an
// amount in another currency, a negative amount or a negative max_uses is
// an *InputError, not something Adapter.Commit hands to the ledger.
func TestFrozenRefusesBadUsesAndAdjustments(t *testing.T) {
	const head = `{"currency":"RUB","at":"2026-01-01T00:00:00Z","rounding":"half_up","lines":[],`
	for name, tail := range map[string]string{
		"use in USD":          `"uses":[{"rule":"r","amount":{"amount":"5","currency":"USD"}}]}`,
		"negative use":        `"uses":[{"rule":"r","amount":{"amount":"-500","currency":"RUB"}}]}`,
		"budget in USD":       `"uses":[{"rule":"r","amount":{"amount":"5","currency":"RUB"},"budget":{"amount":"5","currency":"USD"}}]}`,
		"negative max_uses":   `"uses":[{"rule":"r","max_uses":-3,"amount":{"amount":"5","currency":"RUB"}}]}`,
		"adjustment in USD":   `"adjustments":[{"rule":"r","line":-1,"code":"percent_off","amount":{"amount":"5","currency":"USD"}}]}`,
		"adjustment off line": `"adjustments":[{"rule":"r","line":7,"code":"percent_off","amount":{"amount":"5","currency":"RUB"}}]}`,
	} {
		var f discount.Frozen
		err := json.Unmarshal([]byte(head+tail), &f)
		var ie *discount.InputError
		assert.ErrorAs(t, err, &ie, name)
	}
}

// A frozen record with a negative use, committed through the adapter,
// would give a rule's total budget back, and later carts would get more
// than the budget: it is refused.
func TestFrozenNegativeUseCannotBreakABudget(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, discount.Options{},
		`{"id":"b","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"},
		  "limits":{"total":{"budget":{"amount":"150","currency":"RUB"}}}}`)
	l := discount.NewMemoryLedger()
	a := &discount.Adapter{Engine: e, Usage: l, Ledger: l}
	bad := `{"currency":"RUB","at":"2026-01-01T00:00:00Z","rounding":"half_up","lines":[],
		"uses":[{"rule":"b","amount":{"amount":"-1000","currency":"RUB"},"budget":{"amount":"150","currency":"RUB"}}]}`
	var ie *discount.InputError
	require.ErrorAs(t, a.Commit(ctx, "evil", []byte(bad)), &ie, "a negative use is refused")
	given := money.Zero(money.RUB)
	for i := range 3 {
		pc := priceOK(t, e, cartOf(ln("A", "1", "1000")), l)
		require.NoError(t, l.Commit(ctx, "o"+string(rune('0'+i)), pc.Uses))
		given = mustAdd(t, given, pc.Discount)
	}
	over, _ := given.Cmp(rub("150"))
	assert.LessOrEqual(t, over, 0, "the budget of 150 gave %s", given)
	// The ledger itself refuses a negative use too.
	require.ErrorAs(t, l.Commit(ctx, "direct", []discount.Use{{Key: discount.UsageKey{Rule: "b"}, Amount: rub("-1")}}), &ie)
}

// Amounts below the minor unit in a frozen record are refused; otherwise
// returning the whole line refunds more than was paid.
func TestFrozenRefusesSubMinorAmounts(t *testing.T) {
	js := `{"currency":"RUB","at":"2026-01-01T00:00:00Z","rounding":"half_up","lines":[{"sku":"A","quantity":"3",
		"list":{"amount":"10.005","currency":"RUB"},"discount":{"amount":"0","currency":"RUB"},"net":{"amount":"10.005","currency":"RUB"}}]}`
	var f discount.Frozen
	err := json.Unmarshal([]byte(js), &f)
	if err == nil {
		note, err := discount.PriceReturn(f, []discount.ReturnLine{{Line: 0, Quantity: dec("3")}})
		require.NoError(t, err)
		over, _ := note.Net.Cmp(f.Lines[0].Net)
		assert.LessOrEqual(t, over, 0, "refund %s of a line that was paid %s", note.Net, f.Lines[0].Net)
	}
}

// Every cart Price accepts freezes into JSON that decodes again, a
// quantity of 40 significant digits (the engine's bound, 41 characters
// written) included, so that every order can be returned and committed.
func TestFrozenRoundTripLongQuantity(t *testing.T) {
	e := newEngine(t, discount.Options{})
	l := ln("A", "1", "0.01")
	l.Quantity = dec("1234567890.123456789012345678901234567891")
	pc := priceOK(t, e, cartOf(l), nil)
	b, err := json.Marshal(pc.Freeze())
	require.NoError(t, err)
	var f discount.Frozen
	require.NoError(t, json.Unmarshal(b, &f))
	assert.True(t, f.Lines[0].Quantity.Equal(l.Quantity))
}

// Adapter.Price refuses a moment outside the years its frozen JSON can
// write with an *InputError naming the field, like any bad request.
func TestAdapterPriceAtOutOfRangeIsInputError(t *testing.T) {
	a := &discount.Adapter{Engine: newEngine(t, discount.Options{})}
	_, err := a.Price(context.Background(), discount.PricingRequest{Currency: "RUB", At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		Lines: []discount.PricingLine{{SKU: "A", Quantity: "1", ListPrice: "10"}}})
	var ie *discount.InputError
	require.ErrorAs(t, err, &ie, "%T %v", err, err)
	assert.Equal(t, "at", ie.Field)
}

// A frozen record without its rounding mode is refused: otherwise a sale
// rounded half-even is silently refunded half-up.
func TestFrozenRequiresRounding(t *testing.T) {
	e := newEngine(t, discount.Options{Rounding: money.HalfEven})
	pc := priceOK(t, e, cartOf(ln("A", "2", "0.125")), nil) // list and net 0.25
	b, err := json.Marshal(pc.Freeze())
	require.NoError(t, err)
	stripped := strings.Replace(string(b), `"rounding":"half_even",`, "", 1)
	require.NotEqual(t, string(b), stripped)
	var f discount.Frozen
	err = json.Unmarshal([]byte(stripped), &f)
	var ie *discount.InputError
	if assert.ErrorAs(t, err, &ie, "decoded as rounding %v", f.Rounding) {
		return
	}
	note, err := discount.PriceReturn(f, []discount.ReturnLine{{Line: 0, Quantity: dec("1")}})
	require.NoError(t, err)
	assert.Equal(t, "RUB 0.12", note.Net.String(), "half of 0.25 rounded half-even as sold")
}
