package discount_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

type priceCase struct {
	name    string
	opts    discount.Options
	rules   []string
	cart    discount.Cart
	usage   discount.Usage
	want    []string // per line discount
	reasons []string // NotApplied as rule:reason[:sku][:by=rule]
	check   func(t *testing.T, pc *discount.PricedCart)
}

func runCases(t *testing.T, cases []priceCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, tc.opts, tc.rules...)
			pc := priceOK(t, e, tc.cart, tc.usage)
			assert.Equal(t, rubs(tc.want...), discounts(pc))
			assert.Equal(t, tc.reasons, reasons(pc))
			if tc.check != nil {
				tc.check(t, pc)
			}
		})
	}
}

func TestActionKinds(t *testing.T) {
	runCases(t, []priceCase{
		{
			name:  "percent off a line",
			rules: []string{`{"id":"p","stacking":"additive","scope":{"kind":"line","target":{"skus":["A"]}},"action":{"kind":"percent_off","percent":"10"}}`},
			cart:  cartOf(ln("A", "10", "100"), ln("B", "1", "50")),
			want:  []string{"100", "0"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				require.Len(t, pc.Adjustments, 1)
				a := pc.Adjustments[0]
				assert.Equal(t, "p", a.Rule)
				assert.Equal(t, discount.ScopeLine, a.Scope)
				assert.Equal(t, rub("1000").String(), a.Base.String())
				assert.Equal(t, "RUB 900.00", pc.Lines[0].Net.String())
				assert.Equal(t, "RUB 950.00", pc.Net.String())
			},
		},
		{
			name:  "percent keeps fractional percents exact",
			rules: []string{`{"id":"p","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"12.5"}}`},
			cart:  cartOf(ln("A", "3", "33.33")),
			want:  []string{"12.50"}, // 99.99 × 0.125 = 12.49875 -> 12.50
		},
		{
			name:  "amount off per stock unit with a unit conversion",
			rules: []string{`{"id":"u","stacking":"additive","scope":{"kind":"line","target":{"skus":["BOX"]}},"action":{"kind":"amount_off","per":"unit","amount":{"amount":"1","currency":"RUB"}}}`},
			cart:  cartOf(ln("BOX", "2", "120", factor("12"))),
			want:  []string{"24"}, // 2 boxes of 12 = 24 stock units
		},
		{
			name:    "amount off per line, never below zero",
			rules:   []string{`{"id":"l","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"300","currency":"RUB"}}}`},
			cart:    cartOf(ln("A", "1", "1000"), ln("B", "1", "200")),
			want:    []string{"300", "200"},
			reasons: nil,
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, []discount.Cap{discount.CapFloor}, pc.Adjustments[1].Capped)
				assert.True(t, pc.Lines[1].Net.IsZero())
			},
		},
		{
			name:  "amount off per order, spread by net",
			rules: []string{`{"id":"o","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"amount_off","per":"order","amount":{"amount":"500","currency":"RUB"}}}`},
			cart:  cartOf(ln("A", "1", "600"), ln("B", "1", "300"), ln("C", "1", "100")),
			want:  []string{"300", "150", "50"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				require.Len(t, pc.Adjustments, 1)
				assert.Equal(t, -1, pc.Adjustments[0].Line)
				assert.Equal(t, "RUB 1000.00", pc.Adjustments[0].Base.String())
				assert.Len(t, pc.Adjustments[0].Shares, 3)
			},
		},
		{
			name:  "order discount shares add up exactly",
			rules: []string{`{"id":"o","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"amount_off","per":"order","amount":{"amount":"100","currency":"RUB"}}}`},
			cart:  cartOf(ln("A", "1", "333.33"), ln("B", "1", "333.33"), ln("C", "1", "333.34")),
			want:  []string{"33.33", "33.33", "33.34"},
		},
		{
			name:    "fixed price per stock unit; a line already cheaper gets nothing",
			rules:   []string{`{"id":"f","stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"fixed_price","price":{"amount":"90","currency":"RUB"}}}`},
			cart:    cartOf(ln("A", "10", "100"), ln("B", "5", "80")),
			want:    []string{"100", "0"},
			reasons: []string{"f:no_effect:B"},
		},
		{
			name: "volume break by quantity per line, with a hint to the next break",
			rules: []string{`{"id":"v","name":"Volume","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"volume","breaks":[
				{"min_quantity":"10","percent":"5"},{"min_quantity":"50","percent":"10"}]}}`},
			cart:    cartOf(ln("A", "30", "10"), ln("B", "5", "10")),
			want:    []string{"15", "0"},
			reasons: []string{"v:min_quantity_not_reached:B"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				require.Len(t, pc.Hints, 2)
				assert.Equal(t, "Add 20 more units of A to get a volume discount of 10% (Volume)", pc.Hints[0].Message("en"))
				assert.Equal(t, "Добавьте ещё 5 ед. B, чтобы получить скидку за объём 5% (Volume)", pc.Hints[1].Message("ru"))
			},
		},
		{
			name: "volume break by amount on the order",
			rules: []string{`{"id":"v","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"volume","by":"amount","breaks":[
				{"min_amount":{"amount":"1000","currency":"RUB"},"percent":"2"},{"min_amount":{"amount":"5000","currency":"RUB"},"percent":"5"}]}}`},
			cart: cartOf(ln("A", "1", "3000"), ln("B", "1", "1000")),
			want: []string{"60", "20"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				require.Len(t, pc.Hints, 1)
				assert.Equal(t, "RUB 1000.00", pc.Hints[0].Amount.String())
				assert.Equal(t, discount.CodeHintAmount, pc.Hints[0].Code())
			},
		},
		{
			name: "volume price break",
			rules: []string{`{"id":"v","stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"volume","breaks":[
				{"min_quantity":"10","price":{"amount":"9","currency":"RUB"}}]}}`},
			cart: cartOf(ln("A", "20", "10")),
			want: []string{"20"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, discount.CodeVolumePrice, pc.Adjustments[0].Code())
			},
		},
		{
			name:  "buy 2 get 1 pooled, cheapest unit free",
			rules: []string{`{"id":"b","stacking":"additive","scope":{"kind":"line"},"conditions":{"sum_matching":true},"action":{"kind":"buy_x_get_y","buy":2,"get":1}}`},
			cart:  cartOf(ln("A", "3", "100"), ln("B", "2", "50")),
			want:  []string{"0", "50"},
		},
		{
			// A line of quantity 0 (a placeholder) gives no unit and must not
			// change which unit is the cheapest.
			name:  "buy 2 get 1 pooled, a zero-quantity line in between",
			rules: []string{`{"id":"b","stacking":"additive","scope":{"kind":"line"},"conditions":{"sum_matching":true},"action":{"kind":"buy_x_get_y","buy":2,"get":1}}`},
			cart:  cartOf(ln("A", "3", "100"), ln("Z", "0", "10"), ln("B", "2", "50")),
			want:  []string{"0", "0", "50"},
		},
		{
			name:  "buy 2 get 1 pooled, most expensive, a fractional and a zero line",
			rules: []string{`{"id":"b","stacking":"additive","scope":{"kind":"line"},"conditions":{"sum_matching":true},"action":{"kind":"buy_x_get_y","buy":2,"get":1,"pick":"most_expensive"}}`},
			cart:  cartOf(ln("Z", "0", "500"), ln("A", "3", "100"), ln("H", "0.5", "900"), ln("B", "2", "50")),
			want:  []string{"0", "100", "0", "0"},
		},
		{
			name:  "buy 2 get 1 pooled, most expensive unit free",
			rules: []string{`{"id":"b","stacking":"additive","scope":{"kind":"line"},"conditions":{"sum_matching":true},"action":{"kind":"buy_x_get_y","buy":2,"get":1,"pick":"most_expensive"}}`},
			cart:  cartOf(ln("A", "3", "100"), ln("B", "2", "50")),
			want:  []string{"100", "0"},
		},
		{
			name:    "buy 2 get 1 per line",
			rules:   []string{`{"id":"b","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"buy_x_get_y","buy":2,"get":1}}`},
			cart:    cartOf(ln("A", "3", "100"), ln("B", "2", "50")),
			want:    []string{"100", "0"},
			reasons: []string{"b:min_quantity_not_reached:B"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				require.Len(t, pc.Hints, 1)
				assert.Equal(t, "Add 1 more unit of B to get the offer \"buy 2, get 1 free\" (b)", pc.Hints[0].Message("en"))
			},
		},
		{
			name:  "buy 2 get 1 repeats up to the cap",
			rules: []string{`{"id":"b","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"buy_x_get_y","buy":2,"get":1,"max_applications":2}}`},
			cart:  cartOf(ln("A", "9", "10")),
			want:  []string{"20"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, "2", pc.Adjustments[0].Units.String())
			},
		},
		{
			name:  "buy 2 get 1 at half price",
			rules: []string{`{"id":"b","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"buy_x_get_y","buy":2,"get":1,"percent":"50"}}`},
			cart:  cartOf(ln("A", "3", "100")),
			want:  []string{"50"},
		},
		{
			name: "buy 2 drills, get a battery free (cross)",
			rules: []string{`{"id":"x","stacking":"additive","scope":{"kind":"cross","condition":{"skus":["DRILL"]},"target":{"skus":["BATT"]}},
				"action":{"kind":"buy_x_get_y","buy":2,"get":1}}`},
			cart: cartOf(ln("DRILL", "4", "1000"), ln("BATT", "3", "30")),
			want: []string{"0", "60"},
		},
		{
			name:    "cross rule without its condition lines",
			rules:   []string{`{"id":"x","stacking":"additive","scope":{"kind":"cross","condition":{"skus":["DRILL"]},"target":{"skus":["BATT"]}},"action":{"kind":"percent_off","percent":"50"}}`},
			cart:    cartOf(ln("BATT", "3", "30")),
			want:    []string{"0"},
			reasons: []string{"x:condition_lines_missing"},
		},
		{
			name: "free item already in the cart",
			rules: []string{`{"id":"g","stacking":"additive","scope":{"kind":"line","target":{"skus":["DRILL"]}},
				"action":{"kind":"free_item","sku":"GIFT","quantity":"1"}}`},
			cart: cartOf(ln("DRILL", "1", "1000"), ln("GIFT", "2", "10")),
			want: []string{"0", "10"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Empty(t, pc.FreeItems)
				assert.Equal(t, "g: free item: 1 unit GIFT — RUB 10.00", pc.Adjustments[0].Message("en"))
			},
		},
		{
			name: "free item to add",
			rules: []string{`{"id":"g","name":"Gift","stacking":"additive","scope":{"kind":"order"},"conditions":{"min_amount":{"amount":"500","currency":"RUB"}},
				"action":{"kind":"free_item","sku":"GIFT"}}`},
			cart: cartOf(ln("DRILL", "1", "1000")),
			want: []string{"0"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				require.Len(t, pc.FreeItems, 1)
				assert.Equal(t, "GIFT", pc.FreeItems[0].SKU)
				assert.Equal(t, "Add 1 unit of GIFT free of charge (Gift)", pc.FreeItems[0].Message("en"))
				assert.Equal(t, "Добавьте 1 ед. GIFT бесплатно (Gift)", pc.FreeItems[0].Message("ru"))
				require.Len(t, pc.Uses, 2) // the rule was used, with no money
				assert.True(t, pc.Uses[0].Amount.IsZero())
			},
		},
	})
}

func TestStacking(t *testing.T) {
	const (
		a10c = `{"id":"a","priority":20,"stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`
		b5c  = `{"id":"b","priority":10,"stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"5"}}`
		a10a = `{"id":"a","priority":20,"stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`
		b5a  = `{"id":"b","priority":10,"stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"5"}}`
		c5a  = `{"id":"c","priority":5,"stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"5"}}`
	)
	runCases(t, []priceCase{
		{name: "compounding", rules: []string{a10c, b5c}, cart: cartOf(ln("A", "1", "1000")), want: []string{"145"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, "RUB 900.00", pc.Adjustments[1].Base.String())
			}},
		{name: "additive", rules: []string{a10a, b5a}, cart: cartOf(ln("A", "1", "1000")), want: []string{"150"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, "RUB 1000.00", pc.Adjustments[1].Base.String())
			}},
		{name: "compounding then additive", rules: []string{a10c, b5a, c5a}, cart: cartOf(ln("A", "1", "1000")), want: []string{"200"}},
		{
			name: "exclusive keeps its lines to itself",
			rules: []string{
				`{"id":"x","priority":20,"stacking":"exclusive","scope":{"kind":"line","target":{"categories":["drills"]}},"action":{"kind":"percent_off","percent":"15"}}`,
				`{"id":"y","priority":10,"stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"5"}}`,
			},
			cart:    cartOf(ln("DRILL", "1", "1000", cat("tools", "drills")), ln("SAW", "1", "500", cat("tools", "saws"))),
			want:    []string{"150", "25"},
			reasons: []string{"y:lost_on_priority:DRILL:by=x"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, `y: not applied to DRILL — rule "x" takes precedence`, pc.NotApplied[0].Message("en"))
				assert.Equal(t, `y: не применено к DRILL — приоритет у правила «x»`, pc.NotApplied[0].Message("ru"))
			},
		},
		{
			name: "exclusive loses to an earlier rule",
			rules: []string{
				`{"id":"x","priority":10,"stacking":"exclusive","scope":{"kind":"line","target":{"categories":["drills"]}},"action":{"kind":"percent_off","percent":"15"}}`,
				`{"id":"y","priority":20,"stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"5"}}`,
			},
			cart:    cartOf(ln("DRILL", "1", "1000", cat("tools", "drills")), ln("SAW", "1", "500", cat("tools", "saws"))),
			want:    []string{"50", "25"},
			reasons: []string{"x:lost_on_priority:DRILL:by=y"},
		},
		{
			name: "exclusive order coupon skips lines on promotion",
			rules: []string{
				`{"id":"promo","priority":10,"stacking":"compounding","scope":{"kind":"line","target":{"skus":["A"]}},"action":{"kind":"percent_off","percent":"10"}}`,
				`{"id":"coupon","priority":10,"stacking":"exclusive","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"20"}}`,
			},
			cart:    cartOf(ln("A", "1", "100"), ln("B", "1", "100")),
			want:    []string{"10", "20"},
			reasons: []string{"coupon:lost_on_priority:A:by=promo"},
		},
		{
			name: "stop keeps later rules off its lines, including order rules",
			rules: []string{
				`{"id":"s","priority":20,"stacking":"stop","scope":{"kind":"line","target":{"skus":["A"]}},"action":{"kind":"percent_off","percent":"10"}}`,
				`{"id":"t","priority":10,"stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"5"}}`,
				`{"id":"o","priority":99,"stacking":"compounding","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"10"}}`,
			},
			cart:    cartOf(ln("A", "1", "1000"), ln("B", "1", "1000")),
			want:    []string{"100", "145"},
			reasons: []string{"t:lost_on_priority:A:by=s", "o:lost_on_priority:A:by=s"},
		},
		{
			name: "equal priority runs in id order",
			rules: []string{
				`{"id":"b","stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"50","currency":"RUB"}}}`,
				`{"id":"a","stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`,
			},
			cart: cartOf(ln("A", "1", "1000")),
			want: []string{"150"}, // a: 100 on 1000, then b: 50
		},
		{
			name: "line rules run before order rules whatever the priority",
			rules: []string{
				`{"id":"o","priority":100,"stacking":"compounding","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"10"}}`,
				`{"id":"l","priority":1,"stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"100","currency":"RUB"}}}`,
			},
			cart: cartOf(ln("A", "1", "1000")),
			want: []string{"190"}, // 100, then 10% of 900
		},
		{
			name: "additive order rules sum on the order base",
			rules: []string{
				`{"id":"l","priority":1,"stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`,
				`{"id":"o1","priority":2,"stacking":"additive","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"10"}}`,
				`{"id":"o2","priority":1,"stacking":"additive","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"10"}}`,
			},
			cart: cartOf(ln("A", "1", "1000")),
			want: []string{"280"}, // 100; then 90 and 90 on the order base 900
		},
	})
}

func TestTiePolicies(t *testing.T) {
	rules := []string{
		`{"id":"a-excl","priority":10,"stacking":"exclusive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`,
		`{"id":"b-add","priority":10,"stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"15"}}`,
	}
	runCases(t, []priceCase{
		{name: "best for the customer", rules: rules, cart: cartOf(ln("A", "1", "1000")), want: []string{"150"},
			reasons: []string{"a-excl:lost_tie:A:by=b-add"}},
		{name: "first in order", opts: discount.Options{Ties: discount.TieFirstInOrder}, rules: rules,
			cart: cartOf(ln("A", "1", "1000")), want: []string{"100"}, reasons: []string{"b-add:lost_tie:A:by=a-excl"}},
		{name: "best keeps id order on equal totals", rules: []string{
			`{"id":"a","priority":10,"stacking":"exclusive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`,
			`{"id":"b","priority":10,"stacking":"exclusive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`,
		}, cart: cartOf(ln("A", "1", "1000")), want: []string{"100"}, reasons: []string{"b:lost_tie:A:by=a"}},
		{name: "different priorities are not ties", opts: discount.Options{Ties: discount.TieAsError}, rules: []string{
			`{"id":"a","priority":11,"stacking":"exclusive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`,
			`{"id":"b","priority":10,"stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"15"}}`,
		}, cart: cartOf(ln("A", "1", "1000")), want: []string{"100"}, reasons: []string{"b:lost_on_priority:A:by=a"}},
	})
	e := newEngine(t, discount.Options{Ties: discount.TieAsError}, rules...)
	_, err := e.Price(cartOf(ln("A", "1", "1000")), nil)
	var te *discount.TieError
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, discount.ErrTie)
	assert.Equal(t, "b-add", te.Rule)
	assert.Equal(t, "a-excl", te.Other)
	assert.Equal(t, "tie", te.Code())
	assert.Contains(t, te.Message("ru"), "одинаковый приоритет")
}

func TestFloors(t *testing.T) {
	pct10 := `{"id":"p","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`
	runCases(t, []priceCase{
		{name: "minimum margin", opts: discount.Options{MinMargin: dec("10")}, rules: []string{pct10},
			cart: cartOf(ln("A", "10", "100", cost("85"))), want: []string{"55.55"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, []discount.Cap{discount.CapFloor}, pc.Adjustments[0].Capped)
				assert.Contains(t, pc.Adjustments[0].Message("en"), "(limited by the minimum price)")
			}},
		{name: "cost without a minimum margin", rules: []string{pct10},
			cart: cartOf(ln("A", "1", "100", cost("95"))), want: []string{"5"}},
		{name: "floor price", rules: []string{pct10},
			cart: cartOf(ln("A", "10", "100", floor("95"))), want: []string{"50"}},
		{name: "a line at its floor is reported", rules: []string{pct10},
			cart: cartOf(ln("A", "1", "100", floor("100")), ln("B", "1", "100")), want: []string{"0", "10"},
			reasons: []string{"p:floor_reached:A"}},
		{name: "order share cut at a floor goes to the other lines",
			rules: []string{`{"id":"o","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"20"}}`},
			cart:  cartOf(ln("A", "1", "100", floor("95")), ln("B", "1", "100")), want: []string{"5", "35"}},
		{name: "order discount cut to what the floors allow",
			rules: []string{`{"id":"o","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"amount_off","per":"order","amount":{"amount":"500","currency":"RUB"}}}`},
			cart:  cartOf(ln("A", "1", "100", floor("90")), ln("B", "1", "100", cost("70"))), want: []string{"10", "30"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, []discount.Cap{discount.CapFloor}, pc.Adjustments[0].Capped)
			}},
	})
}

func TestCapsAndLimits(t *testing.T) {
	budgetRule := `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"},
		"limits":{"total":{"max_uses":5,"budget":{"amount":"1000","currency":"RUB"}}}}`
	runCases(t, []priceCase{
		{name: "rule maximum spread in proportion",
			rules: []string{`{"id":"m","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"},"limits":{"max_discount":{"amount":"90","currency":"RUB"}}}`},
			cart:  cartOf(ln("A", "1", "1000"), ln("B", "1", "500")), want: []string{"60", "30"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, []discount.Cap{discount.CapRuleMax}, pc.Adjustments[0].Capped)
			}},
		{name: "budget partly left", rules: []string{budgetRule},
			usage: usage{{Rule: "r"}: {Uses: 4, Spent: rub("950")}},
			cart:  cartOf(ln("A", "1", "1000")), want: []string{"50"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, []discount.Cap{discount.CapBudget}, pc.Adjustments[0].Capped)
				assert.Contains(t, pc.Adjustments[0].Message("ru"), "ограничено остатком бюджета")
			}},
		{name: "budget used up", rules: []string{budgetRule},
			usage: usage{{Rule: "r"}: {Uses: 4, Spent: rub("1000")}},
			cart:  cartOf(ln("A", "1", "1000")), want: []string{"0"}, reasons: []string{"r:limit_exhausted"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.True(t, pc.NotApplied[0].Budget)
				assert.Equal(t, `r: not applied — the budget of rule "r" is used up`, pc.NotApplied[0].Message("en"))
			}},
		{name: "uses used up", rules: []string{budgetRule},
			usage: usage{{Rule: "r"}: {Uses: 5, Spent: rub("10")}},
			cart:  cartOf(ln("A", "1", "1000")), want: []string{"0"}, reasons: []string{"r:limit_exhausted"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.False(t, pc.NotApplied[0].Budget)
				assert.Equal(t, `r: не применено — исчерпан лимит использований правила "r"`, pc.NotApplied[0].Message("ru"))
			}},
		{name: "per-customer limit reached",
			rules: []string{`{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"},"limits":{"per_customer":{"max_uses":1}}}`},
			usage: usage{{Rule: "r", Customer: "cust-1"}: {Uses: 1}},
			cart:  cartOf(ln("A", "1", "1000")), want: []string{"0"}, reasons: []string{"r:limit_exhausted"}},
		{name: "per-customer limit without a customer",
			rules: []string{`{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"},"limits":{"per_customer":{"max_uses":1}}}`},
			cart:  discount.Cart{Currency: money.RUB, At: t0, Lines: []discount.Line{ln("A", "1", "1000")}},
			want:  []string{"0"}, reasons: []string{"r:customer_required"}},
	})
}

func TestCoupons(t *testing.T) {
	rs := ruleSet(t,
		`{"id":"c1","stacking":"additive","scope":{"kind":"order"},"conditions":{"coupon":"spring"},"action":{"kind":"percent_off","percent":"10"}}`,
		`{"id":"c2","stacking":"additive","scope":{"kind":"line","target":{"skus":["A"]}},"conditions":{"coupon":"SPRING"},"action":{"kind":"percent_off","percent":"5"}}`)
	rs.Coupons = []discount.Coupon{{Code: "Spring", Total: discount.Limit{MaxUses: 100}, PerCustomer: discount.Limit{MaxUses: 1}}}
	e, err := discount.NewEngine(rs, discount.Options{})
	require.NoError(t, err)

	c := cartOf(ln("A", "1", "1000"))
	pc := priceOK(t, e, c, nil)
	assert.Equal(t, rubs("0"), discounts(pc))
	assert.Empty(t, pc.NotApplied, "a coupon not presented is never revealed")
	assert.Empty(t, pc.Hints)

	c.Coupons = []string{"  sPrInG "}
	pc = priceOK(t, e, c, nil)
	assert.Equal(t, rubs("145"), discounts(pc)) // 50 on the line, then 10% of the order base 950
	var keys []discount.UsageKey
	for _, u := range pc.Uses {
		keys = append(keys, u.Key)
	}
	assert.Equal(t, []discount.UsageKey{
		{Rule: "c2"}, {Rule: "c2", Customer: "cust-1"},
		{Rule: "c1"}, {Rule: "c1", Customer: "cust-1"},
		{Coupon: "SPRING"}, {Coupon: "SPRING", Customer: "cust-1"},
	}, keys)
	assert.Equal(t, "RUB 145.00", pc.Uses[4].Amount.String(), "one coupon use carries both rules' discounts")
	assert.Equal(t, int64(1), pc.Uses[5].Limit.MaxUses)

	pc = priceOK(t, e, c, usage{{Coupon: "SPRING", Customer: "cust-1"}: {Uses: 1}})
	assert.Equal(t, rubs("0"), discounts(pc))
	assert.Equal(t, []string{"c2:limit_exhausted", "c1:limit_exhausted"}, reasons(pc))
	assert.Contains(t, pc.NotApplied[0].Message("en"), `coupon "SPRING" for customer "cust-1"`)
}

func TestCouponBudgetSharedInCart(t *testing.T) {
	rs := ruleSet(t,
		`{"id":"c1","priority":2,"stacking":"additive","scope":{"kind":"line"},"conditions":{"coupon":"X"},"action":{"kind":"percent_off","percent":"10"}}`,
		`{"id":"c2","priority":1,"stacking":"additive","scope":{"kind":"line"},"conditions":{"coupon":"X"},"action":{"kind":"percent_off","percent":"10"}}`)
	rs.Coupons = []discount.Coupon{{Code: "X", Total: discount.Limit{Budget: rub("150")}}}
	e, err := discount.NewEngine(rs, discount.Options{})
	require.NoError(t, err)
	c := cartOf(ln("A", "1", "1000"))
	c.Coupons = []string{"x"}
	pc := priceOK(t, e, c, nil)
	assert.Equal(t, rubs("150"), discounts(pc)) // 100, then the 50 left of the coupon's budget
	assert.Equal(t, []discount.Cap{discount.CapBudget}, pc.Adjustments[1].Capped)
}

func TestConditions(t *testing.T) {
	runCases(t, []priceCase{
		{name: "minimum quantity with a hint",
			rules: []string{`{"id":"d","name":"Drill sale","stacking":"additive","scope":{"kind":"line","target":{"skus":["DRILL-1"]}},"conditions":{"min_quantity":"10"},"action":{"kind":"percent_off","percent":"10"}}`},
			cart:  cartOf(ln("DRILL-1", "7", "100")), want: []string{"0"}, reasons: []string{"d:min_quantity_not_reached:DRILL-1"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				require.Len(t, pc.Hints, 1)
				assert.Equal(t, "Add 3 more units of DRILL-1 to get 10% off (Drill sale)", pc.Hints[0].Message("en"))
				assert.Equal(t, "Добавьте ещё 3 ед. DRILL-1, чтобы получить скидку 10% (Drill sale)", pc.Hints[0].Message("ru"))
			}},
		{name: "minimum quantity at the boundary is inclusive",
			rules: []string{`{"id":"d","stacking":"additive","scope":{"kind":"line"},"conditions":{"min_quantity":"10","max_quantity":"20"},"action":{"kind":"percent_off","percent":"10"}}`},
			cart:  cartOf(ln("A", "10", "10"), ln("B", "20", "10"), ln("C", "20.5", "10")), want: []string{"10", "20", "0"},
			reasons: []string{"d:max_quantity_exceeded:C"}},
		{name: "quantity summed over matching lines in stock units",
			rules: []string{`{"id":"d","stacking":"additive","scope":{"kind":"line","target":{"brands":["bosch"]}},"conditions":{"min_quantity":"24","sum_matching":true},"action":{"kind":"percent_off","percent":"10"}}`},
			cart:  cartOf(ln("A", "1", "120", brand("bosch"), factor("12")), ln("B", "12", "10", brand("bosch")), ln("C", "100", "1", brand("makita"))),
			want:  []string{"12", "12", "0"}},
		{name: "category subtree",
			rules: []string{`{"id":"d","stacking":"additive","scope":{"kind":"line","target":{"categories":["power"],"exclude_skus":["B"]}},"action":{"kind":"percent_off","percent":"10"}}`},
			cart:  cartOf(ln("A", "1", "100", cat("tools", "power", "drills")), ln("B", "1", "100", cat("tools", "power", "saws")), ln("C", "1", "100", cat("tools", "hand"))),
			want:  []string{"10", "0", "0"}},
		{name: "minimum amount before discounts",
			rules: []string{
				`{"id":"l","priority":1,"stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`,
				`{"id":"o","stacking":"compounding","scope":{"kind":"order"},"conditions":{"min_amount":{"amount":"1000","currency":"RUB"}},"action":{"kind":"amount_off","per":"order","amount":{"amount":"45","currency":"RUB"}}}`,
			},
			cart: cartOf(ln("A", "1", "1050")), want: []string{"150"}},
		{name: "minimum amount after earlier discounts",
			rules: []string{
				`{"id":"l","priority":1,"stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`,
				`{"id":"o","stacking":"compounding","scope":{"kind":"order"},"conditions":{"min_amount":{"amount":"1000","currency":"RUB"},"amount_basis":"net"},"action":{"kind":"amount_off","per":"order","amount":{"amount":"45","currency":"RUB"}}}`,
			},
			cart: cartOf(ln("A", "1", "1050")), want: []string{"105"}, reasons: []string{"o:min_amount_not_reached"},
			check: func(t *testing.T, pc *discount.PricedCart) {
				assert.Equal(t, "Add RUB 55.00 more to get RUB 45.00 off the order (o)", pc.Hints[0].Message("en"))
			}},
		{name: "customer conditions",
			rules: []string{
				`{"id":"g","stacking":"additive","scope":{"kind":"line"},"conditions":{"groups":["wholesale","vip"],"tiers":["gold"]},"action":{"kind":"percent_off","percent":"1"}}`,
				`{"id":"t","stacking":"additive","scope":{"kind":"line"},"conditions":{"tags":["blacklist"]},"action":{"kind":"percent_off","percent":"2"}}`,
				`{"id":"k","stacking":"additive","scope":{"kind":"line"},"conditions":{"contracts":["C-1"],"customers":["cust-1"]},"action":{"kind":"percent_off","percent":"4"}}`,
				`{"id":"k2","stacking":"additive","scope":{"kind":"line"},"conditions":{"contracts":["C-2"]},"action":{"kind":"percent_off","percent":"8"}}`,
			},
			cart: func() discount.Cart {
				c := cartOf(ln("A", "1", "100"))
				c.Customer = discount.Customer{ID: "cust-1", Groups: []string{"retail", "vip"}, Tier: "gold", Tags: []string{"new"}, Contract: "C-1"}
				return c
			}(),
			want: []string{"5"}},
		{name: "rounding half even",
			opts:  discount.Options{Rounding: money.HalfEven},
			rules: []string{`{"id":"p","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`},
			cart:  cartOf(ln("A", "1", "1.25"), ln("B", "1", "1.35")), want: []string{"0.12", "0.14"}},
		{name: "rounding half up",
			rules: []string{`{"id":"p","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`},
			cart:  cartOf(ln("A", "1", "1.25"), ln("B", "1", "1.35")), want: []string{"0.13", "0.14"}},
		{name: "rules in another currency do not match",
			rules: []string{`{"id":"usd","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"1","currency":"USD"}}}`},
			cart:  cartOf(ln("A", "1", "100")), want: []string{"0"}},
	})
}

func TestManualDiscounts(t *testing.T) {
	e := newEngine(t, discount.Options{})
	manual := func(id, pct, auth string) discount.Rule {
		a := dec(auth)
		return discount.Rule{ID: id, Name: "Deal", Stacking: discount.Compounding, Scope: discount.Scope{Kind: discount.ScopeLine},
			Action: discount.Action{Kind: discount.ActionPercentOff, Percent: dec(pct)},
			Manual: &discount.Manual{GrantedBy: "Ivanov", Authority: &a}}
	}
	c := cartOf(ln("A", "1", "1000"))
	c.Manual = []discount.Rule{manual("m", "12", "10")}
	pc := priceOK(t, e, c, nil)
	assert.Equal(t, rubs("120"), discounts(pc))
	require.Len(t, pc.Approvals, 1)
	ap := pc.Approvals[0]
	assert.Equal(t, "12", ap.Percent.String())
	assert.Equal(t, discount.CodeApprovalRequired, ap.Code())
	assert.Equal(t, `Manual discount "Deal" by Ivanov is 12% (RUB 120.00 of RUB 1,000.00), above the authority of 10%: it needs approval`, ap.Message("en"))
	assert.True(t, pc.Adjustments[0].NeedsApproval)
	assert.Equal(t, "Manual discount by Ivanov. Deal: 12% off A — RUB 120.00 (needs approval)", pc.Adjustments[0].Message("en"))
	assert.Empty(t, pc.Uses, "manual discounts of a cart are not counted")

	c.Manual = []discount.Rule{manual("m", "10", "10")}
	pc = priceOK(t, e, c, nil)
	assert.Equal(t, rubs("100"), discounts(pc))
	assert.Empty(t, pc.Approvals, "at the limit is allowed")

	c.Manual = []discount.Rule{manual("m", "10.01", "10")}
	pc = priceOK(t, e, c, nil)
	assert.Len(t, pc.Approvals, 1, "just above the limit is flagged")

	bad := manual("m", "10", "10")
	bad.Manual = nil
	c.Manual = []discount.Rule{bad}
	_, err := e.Price(c, nil)
	var ie *discount.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "manual[0].manual", ie.Field)
}

func TestCartErrors(t *testing.T) {
	e := newEngine(t, discount.Options{}, `{"id":"p","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`)
	cases := []struct {
		name   string
		mutate func(*discount.Cart)
		field  string
		reason discount.Reason
	}{
		{"no currency", func(c *discount.Cart) { c.Currency = money.Currency{} }, "currency", discount.ReasonRequired},
		{"no moment", func(c *discount.Cart) { c.At = time.Time{} }, "at", discount.ReasonRequired},
		{"negative quantity", func(c *discount.Cart) { c.Lines[0].Quantity = dec("-1") }, "lines[0].quantity", discount.ReasonNegative},
		{"negative price", func(c *discount.Cart) { c.Lines[0].ListPrice = rub("-1") }, "lines[0].list_price", discount.ReasonNegative},
		{"price in another currency", func(c *discount.Cart) { c.Lines[0].ListPrice = money.MustParse("1", money.USD) }, "lines[0].list_price", discount.ReasonCurrencyMismatch},
		{"cost in another currency", func(c *discount.Cart) { c.Lines[0].Cost = money.MustParse("1", money.USD) }, "lines[0].cost", discount.ReasonCurrencyMismatch},
		{"missing price", func(c *discount.Cart) { c.Lines[0].ListPrice = money.Amount{} }, "lines[0].list_price", discount.ReasonRequired},
		{"negative factor", func(c *discount.Cart) { c.Lines[0].Factor = dec("-12") }, "lines[0].factor", discount.ReasonNotPositive},
		{"missing sku", func(c *discount.Cart) { c.Lines[0].SKU = "" }, "lines[0].sku", discount.ReasonRequired},
		{"duplicate line id", func(c *discount.Cart) { c.Lines[0].ID, c.Lines[1].ID = "x", "x" }, "lines[1].id", discount.ReasonDuplicate},
		{"category twice in a path", func(c *discount.Cart) { c.Lines[0].Category = []string{"a", "b", "a"} }, "lines[0].category[2]", discount.ReasonCategoryContradiction},
		{"category with two parents", func(c *discount.Cart) {
			c.Lines[0].Category = []string{"tools", "drills"}
			c.Lines[1].Category = []string{"garden", "drills"}
		}, "lines[1].category[1]", discount.ReasonCategoryContradiction},
		{"root category under a parent elsewhere", func(c *discount.Cart) {
			c.Lines[0].Category = []string{"tools", "drills"}
			c.Lines[1].Category = []string{"drills"}
		}, "lines[1].category[0]", discount.ReasonCategoryContradiction},
		{"empty category", func(c *discount.Cart) { c.Lines[0].Category = []string{""} }, "lines[0].category[0]", discount.ReasonRequired},
		{"blank coupon", func(c *discount.Cart) { c.Coupons = []string{" "} }, "coupons[0]", discount.ReasonRequired},
		{"control character", func(c *discount.Cart) { c.Customer.Tier = "a\x00" }, "customer.tier", discount.ReasonBadFormat},
		{"huge number", func(c *discount.Cart) { c.Lines[0].Quantity = dec("1e60") }, "lines[0].quantity", discount.ReasonOutOfRange},
		// Lists are bounded, so that a hostile cart is refused at once
		// (checking a path or de-duplicating coupons is quadratic).
		{"too many coupons", func(c *discount.Cart) { c.Coupons = many("K", 257) }, "coupons", discount.ReasonTooLong},
		{"too many customer groups", func(c *discount.Cart) { c.Customer.Groups = many("g", 257) }, "customer.groups", discount.ReasonTooLong},
		{"too many customer tags", func(c *discount.Cart) { c.Customer.Tags = many("t", 257) }, "customer.tags", discount.ReasonTooLong},
		{"too deep a category path", func(c *discount.Cart) { c.Lines[1].Category = many("c", 33) }, "lines[1].category", discount.ReasonTooLong},
		{"too many manual discounts", func(c *discount.Cart) { c.Manual = make([]discount.Rule, 257) }, "manual", discount.ReasonTooLong},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := cartOf(ln("A", "1", "100"), ln("B", "1", "100"))
			tc.mutate(&c)
			_, err := e.Price(c, nil)
			var ie *discount.InputError
			require.ErrorAs(t, err, &ie)
			assert.ErrorIs(t, err, discount.ErrInvalidInput)
			assert.Equal(t, tc.field, ie.Field)
			assert.Equal(t, tc.reason, ie.Reason)
			assert.Equal(t, string(tc.reason), ie.Code())
			assert.NotEmpty(t, ie.Message("ru"))
			assert.True(t, errors.Is(err, discount.ErrInvalidInput))
		})
	}
}

func TestEmptyCart(t *testing.T) {
	e := newEngine(t, discount.Options{}, `{"id":"o","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"10"}}`)
	pc := priceOK(t, e, cartOf(), nil)
	assert.True(t, pc.Net.IsZero())
	assert.Equal(t, money.RUB, pc.Net.Currency())
	pc = priceOK(t, e, cartOf(ln("A", "0", "100")), nil)
	assert.Equal(t, []string{"o:floor_reached"}, reasons(pc))
}

// One engine prices many carts at once; each result equals the one
// priced alone.
func TestConcurrentPricing(t *testing.T) {
	e, err := discount.NewEngine(benchRules(1000), discount.Options{})
	require.NoError(t, err)
	carts := []discount.Cart{benchCart(1000), cartOf(ln("S1", "3", "10")), cartOf()}
	want := make([]string, len(carts))
	for i, c := range carts {
		want[i] = dump(e.Price(c, nil))
	}
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 30; i++ {
				k := (g + i) % len(carts)
				if got := dump(e.Price(carts[k], nil)); got != want[k] {
					t.Errorf("cart %d priced differently under concurrency", k)
					return
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}

// many returns n distinct strings prefix0, prefix1, ...
func many(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i)
	}
	return out
}

// The largest lists a cart may carry are priced, and priced quickly.
func TestCartListsAtTheirBounds(t *testing.T) {
	e := newEngine(t, discount.Options{}, `{"id":"p","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`)
	c := cartOf(ln("A", "1", "100"), ln("B", "1", "100"))
	c.Coupons, c.Customer.Groups, c.Customer.Tags = many("K", 256), many("g", 256), many("t", 256)
	c.Lines[0].Category = many("c", 32)
	pc := priceOK(t, e, c, nil)
	assert.Equal(t, rubs("10", "10"), discounts(pc))
}
