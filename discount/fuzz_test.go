package discount_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

// FuzzDecodeRules feeds arbitrary bytes to DecodeRules. It must never
// panic; it refuses with a *RuleError, or accepts rules whose encoding
// decodes to the same encoding and that build an engine.
func FuzzDecodeRules(f *testing.F) {
	f.Add([]byte(sampleRules))
	f.Add([]byte(`{"rules":[]}`))
	f.Add([]byte(`{"rules":[{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}]}`))
	f.Add([]byte(`{"rules":[{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"volume","breaks":[{"min_quantity":"1","percent":"1"},{"min_quantity":"0.5","percent":"2"}]}}]}`))
	f.Add([]byte(`{"rules":[{"id":"\u0000","stacking":"x"}],"coupons":[{"code":""}]}`))
	f.Add([]byte(`{"rules":[{"id":"r","conditions":{"min_quantity":"99999999999999999999999999999999999999999"}}]}`))
	f.Add([]byte(`nul`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := discount.DecodeRules(data)
		if err != nil {
			var re *discount.RuleError
			if !errors.As(err, &re) || !errors.Is(err, discount.ErrInvalidRule) {
				t.Fatalf("error is not a *RuleError: %T %v", err, err)
			}
			if re.Code() == "" || re.Message("ru") == "" || re.Error() == "" {
				t.Fatal("error without code or message")
			}
			return
		}
		first, err := json.Marshal(rs)
		if err != nil {
			t.Fatal(err)
		}
		back, err := discount.DecodeRules(first)
		if err != nil {
			t.Fatalf("encoding %s does not decode: %v", first, err)
		}
		second, err := json.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		if string(first) != string(second) {
			t.Fatalf("round trip changed the rules:\n%s\n%s", first, second)
		}
		e, err := discount.NewEngine(rs, discount.Options{})
		if err != nil {
			t.Fatalf("decoded rules do not build an engine: %v", err)
		}
		// Price something against them: it must not panic.
		c := cartOf(ln("A", "3", "100", cat("tools", "drills"), brand("bosch")), ln("B", "2.5", "10.55"))
		c.Coupons = []string{"SPRING"}
		if pc, err := e.Price(c, nil); err == nil {
			checkInvariants(t, c, pc)
		} else if !errors.Is(err, discount.ErrTie) {
			t.Fatalf("price: %v", err)
		}
	})
}

// FuzzPrice prices carts built from arbitrary values against rules
// decoded from arbitrary JSON. Whatever the input, Price never panics,
// refuses with a typed error, or gives a cart where money is conserved,
// nothing is negative, and pricing again gives the same result.
func FuzzPrice(f *testing.F) {
	rule := `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`
	f.Add(`{"rules":[`+rule+`]}`, "A", "tools/drills", "3", "100.50", "1", "", "B", "2", "9.99", "spring", int64(0), 3)
	f.Add(sampleRules, "A", "drills", "10", "1000", "12", "850", "B", "0", "0", "SPRING", int64(1774990740), 3)
	f.Add(`{"rules":[{"id":"b","stacking":"exclusive","scope":{"kind":"line"},"conditions":{"sum_matching":true},"action":{"kind":"buy_x_get_y","buy":1,"get":1}},`+rule+`]}`,
		"A", "a/b/a", "-1", "1e3", "0", "-5", "A", "1", "1", "", int64(-1), -100)
	// Quantities whose exponents lie far apart, summed for a minimum
	// quantity (this once indexed past a table of powers of ten).
	f.Add(`{"rules":[{"id":"o","stacking":"compounding","scope":{"kind":"order"},"conditions":{"min_quantity":"5"},"action":{"kind":"percent_off","percent":"5"}}]}`,
		"A", "tools", "1e10", "0.01", "", "", "B", "0.000000001", "1000", "", int64(0), 0)
	f.Fuzz(func(t *testing.T, rules, sku1, path1, qty1, price1, factor1, cost1, sku2, qty2, price2, coupon string, at int64, zone int) {
		rs, err := discount.DecodeRules([]byte(rules))
		if err != nil {
			return
		}
		opts := discount.Options{Ties: discount.TiePolicy(uint(zone) % 3), Rounding: money.RoundingMode(uint(zone) % 6)}
		e, err := discount.NewEngine(rs, opts)
		if err != nil {
			t.Fatalf("decoded rules do not build an engine: %v", err)
		}
		num := func(s string) decimal.Decimal {
			d, err := decimal.NewFromString(s)
			if err != nil || len(s) > 30 {
				return decimal.Zero
			}
			return d
		}
		amount := func(s string) money.Amount {
			if len(s) > 30 {
				return money.Amount{}
			}
			a, err := money.Parse(s, money.RUB)
			if err != nil {
				return money.Amount{}
			}
			return a
		}
		c := discount.Cart{
			Currency: money.RUB,
			At:       time.Unix(at%(1<<40), 0),
			Location: time.FixedZone("Z", (zone%(24*60))*60),
			Customer: discount.Customer{ID: "c", Groups: []string{"wholesale"}},
			Lines: []discount.Line{
				{SKU: sku1, Category: strings.Split(path1, "/"), Quantity: num(qty1), Factor: num(factor1), ListPrice: amount(price1), Cost: amount(cost1)},
				{SKU: sku2, Quantity: num(qty2), ListPrice: amount(price2)},
			},
		}
		if coupon != "" {
			c.Coupons = []string{coupon}
		}
		if at == math.MinInt64 {
			c.At = time.Time{}
		}
		pc, err := e.Price(c, nil)
		if err != nil {
			var ie *discount.InputError
			if !errors.As(err, &ie) && !errors.Is(err, discount.ErrTie) {
				t.Fatalf("unexpected error %T: %v", err, err)
			}
			return
		}
		checkInvariants(t, c, pc)
		again, err := e.Price(c, nil)
		if dump(pc, nil) != dump(again, err) {
			t.Fatal("pricing twice differs")
		}
		// Into a reused result, twice: the same as Price.
		var dst discount.PricedCart
		for range 2 {
			if err := e.PriceInto(&dst, c, nil); err != nil || dump(&dst, nil) != dump(pc, nil) {
				t.Fatalf("PriceInto differs from Price (%v)", err)
			}
		}
		for _, x := range pc.Explain("ru") {
			if x.Text == "" {
				t.Fatal("empty explanation")
			}
		}
		// A return of some of line 0 (after some returned before), priced
		// on clawback terms: a typed error or a consistent note; and all
		// of it, in one return, gives back exactly what was paid.
		f := pc.Freeze()
		in := discount.Repricing{Sold: c, Before: []decimal.Decimal{num(cost1)},
			Lines: []discount.ReturnLine{{Line: 0, Quantity: num(factor1)}}}
		if note, err := e.RepriceReturn(f, in); err != nil {
			var ie *discount.InputError
			if !errors.As(err, &ie) && !errors.Is(err, discount.ErrTie) {
				t.Fatalf("RepriceReturn: unexpected error %T: %v", err, err)
			}
		} else if due, _ := note.Net.Sub(note.Clawback); !due.Equal(note.Due) {
			t.Fatalf("Due %s is not Net %s − Clawback %s", note.Due, note.Net, note.Clawback)
		}
		var all []discount.ReturnLine
		for i, l := range pc.Lines {
			if l.Quantity.IsPositive() {
				all = append(all, discount.ReturnLine{Line: i, Quantity: l.Quantity})
			}
		}
		if len(all) > 0 {
			note, err := e.RepriceReturn(f, discount.Repricing{Sold: c, Lines: all})
			if err != nil {
				t.Fatalf("returning everything: %v", err)
			}
			if !note.Due.Equal(pc.Net) {
				t.Fatalf("returning everything gives back %s, %s was paid", note.Due, pc.Net)
			}
		}
	})
}

// FuzzPriceGenerated drives the rule and cart generators of the property
// tests from the fuzzer's bytes.
func FuzzPriceGenerated(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(func(t *rapid.T) {
		rules := make([]discount.Rule, rapid.IntRange(0, 8).Draw(t, "rules"))
		for i := range rules {
			rules[i] = genRule(t, i)
		}
		e, err := discount.NewEngine(discount.RuleSet{Rules: rules}, genOptions(t))
		if err != nil {
			t.Fatal(err)
		}
		c := genCart(t)
		pc, err := e.Price(c, genUsage(t, rules))
		if err != nil {
			if !errors.Is(err, discount.ErrTie) {
				t.Fatal(err)
			}
			return
		}
		checkInvariants(t, c, pc)
	}))
}
