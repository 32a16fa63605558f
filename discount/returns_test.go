package discount_test

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

func TestFrozenRoundTrip(t *testing.T) {
	rs := ruleSet(t, `{"id":"c","stacking":"additive","scope":{"kind":"order"},"conditions":{"coupon":"X"},"action":{"kind":"percent_off","percent":"10"}}`)
	rs.Coupons = []discount.Coupon{{Code: "X", Total: discount.Limit{MaxUses: 5, Budget: rub("1000")}}}
	e, err := discount.NewEngine(rs, discount.Options{Rounding: money.HalfEven})
	require.NoError(t, err)
	c := cartOf(ln("A", "3", "33.33", id("l1")), ln("B", "2.5", "10", id("l2")))
	c.Coupons = []string{"x"}
	pc := priceOK(t, e, c, nil)
	b, err := json.Marshal(pc.Freeze())
	require.NoError(t, err)
	var f discount.Frozen
	require.NoError(t, json.Unmarshal(b, &f))
	b2, err := json.Marshal(f)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
	assert.Equal(t, money.HalfEven, f.Rounding)
	assert.Equal(t, "2.5", f.Lines[1].Quantity.String())
	require.Len(t, f.Uses, 4)
	assert.Equal(t, int64(5), f.Uses[2].Limit.MaxUses)
	assert.Equal(t, "RUB 1000.00", f.Uses[2].Limit.Budget.String())
	assert.Equal(t, discount.CodePercentOff, f.Adjustments[0].Code)

	for _, bad := range []string{
		`{"currency":"RUB","at":"2026-01-01T00:00:00Z","rounding":"half_up","lines":[{"sku":"A","quantity":"1","list":{"amount":"10","currency":"RUB"},"discount":{"amount":"1","currency":"RUB"},"net":{"amount":"8","currency":"RUB"}}]}`,
		`{"currency":"RUB","at":"2026-01-01T00:00:00Z","rounding":"half_up","lines":[{"sku":"A","quantity":"1e1","list":{"amount":"10","currency":"RUB"},"discount":{"amount":"1","currency":"RUB"},"net":{"amount":"9","currency":"RUB"}}]}`,
		`{"currency":"RUB","at":"2026-01-01T00:00:00Z","rounding":"half_up","lines":[{"sku":"A","quantity":"1","list":{"amount":"10","currency":"USD"},"discount":{"amount":"1","currency":"RUB"},"net":{"amount":"9","currency":"RUB"}}]}`,
		`{"currency":"RUB","at":"2026-01-01T00:00:00Z","rounding":"sideways","lines":[]}`,
		`{"currency":"RUB","lines":[],"extra":1}`,
		`{"lines":[]}`,
	} {
		var f discount.Frozen
		err := json.Unmarshal([]byte(bad), &f)
		var ie *discount.InputError
		assert.ErrorAs(t, err, &ie, bad)
	}
}

func TestPriceReturn(t *testing.T) {
	e := newEngine(t, discount.Options{},
		`{"id":"p","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`)
	pc := priceOK(t, e, cartOf(ln("A", "3", "33.33"), ln("B", "7", "1")), nil)
	// A: list 99.99, discount 10.00, net 89.99.
	f := pc.Freeze()
	var nets []money.Amount
	for _, step := range []struct{ q, before string }{{"1", "0"}, {"1", "1"}, {"1", "2"}} {
		note, err := discount.PriceReturn(f, []discount.ReturnLine{{Line: 0, Quantity: dec(step.q), Returned: dec(step.before)}})
		require.NoError(t, err)
		line := note.Lines[0]
		back, _ := line.List.Sub(line.Discount)
		assert.True(t, back.Equal(line.Net))
		nets = append(nets, line.Net)
	}
	assert.Equal(t, []string{"RUB 30.00", "RUB 29.99", "RUB 30.00"}, []string{nets[0].String(), nets[1].String(), nets[2].String()})
	sum, _ := money.Sum(nets...)
	assert.Equal(t, "RUB 89.99", sum.String(), "the steps add up to what was paid")

	whole, err := discount.PriceReturn(f, []discount.ReturnLine{{Line: 0, Quantity: dec("3")}, {Line: 1, Quantity: dec("7")}})
	require.NoError(t, err)
	assert.True(t, whole.Net.Equal(pc.Net))
	assert.True(t, whole.Discount.Equal(pc.Discount))

	for _, bad := range [][]discount.ReturnLine{
		{{Line: 2, Quantity: dec("1")}},
		{{Line: 0, Quantity: dec("0")}},
		{{Line: 0, Quantity: dec("-1")}},
		{{Line: 0, Quantity: dec("2"), Returned: dec("2")}},
		{{Line: 0, Quantity: dec("1"), Returned: dec("-1")}},
		{{Line: 0, Quantity: dec("1")}, {Line: 0, Quantity: dec("1")}},
		{{Line: 0, Quantity: decimal.New(1, 80)}},
	} {
		_, err := discount.PriceReturn(f, bad)
		var ie *discount.InputError
		assert.ErrorAs(t, err, &ie, "%+v", bad)
	}
	_, err = discount.PriceReturn(discount.Frozen{}, nil)
	assert.ErrorIs(t, err, discount.ErrInvalidInput)
}

// Returns are priced from the frozen cart even when today's rules differ.
func TestReturnIgnoresTodaysRules(t *testing.T) {
	old := newEngine(t, discount.Options{}, `{"id":"p","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"50"}}`)
	pc := priceOK(t, old, cartOf(ln("A", "2", "100")), nil)
	b, _ := json.Marshal(pc.Freeze())
	var f discount.Frozen
	require.NoError(t, json.Unmarshal(b, &f))
	note, err := discount.PriceReturn(f, []discount.ReturnLine{{Line: 0, Quantity: dec("1")}})
	require.NoError(t, err)
	assert.Equal(t, "RUB 50.00", note.Net.String(), "half of what was paid, not today's price")
}
