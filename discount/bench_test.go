package discount_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

// benchRules models a rule base over a catalogue that grows with it: n
// SKUs, n/10 leaf categories under n/20 middle categories under 5 roots,
// and n/20 brands, customers, groups and coupons. Rule number i is of
// kind i % 20, and the k-th rule of a kind is filed under key k of that
// kind, so every key has about one rule whatever n is:
//
//	kinds 0-10  (55%) a line rule on one SKU: percent off, some additive,
//	                  a third with a minimum quantity, a few exclusive
//	kinds 11-12 (10%) a line rule on a leaf category: half expired, half
//	                  for another customer group
//	kind 13     (5%)  volume breaks on a middle category
//	kind 14     (5%)  a line rule on a brand, for another customer group
//	kind 15     (5%)  an order rule for one customer
//	kind 16     (5%)  a line rule for one customer group, with a cap
//	kind 17     (5%)  an order rule behind a coupon, with a budget
//	kind 18     (5%)  buy 2 of one SKU, get another at half price; most
//	                  lack their condition SKU in the cart
//	kind 19     (5%)  order volume breaks by amount for one group
//
// The cart (benchCart) has 20 lines, SKUs 0-19 with distinct categories
// and brands, a customer in group G0 and coupon K0. At any n the index
// yields 94 candidate rules for it, of which 54 pass the customer, group
// and date conditions; pricing applies 54 adjustments (the "adjustments"
// metric) and reports 22 rules not applied and 19 hints.
func benchRules(n int) discount.RuleSet {
	leaves, mids, brands, keys := n/10, n/20, n/20, n/20
	rules := make([]discount.Rule, 0, n)
	var count [20]int
	for i := 0; i < n; i++ {
		kind := i % 20
		group := kind // kinds 0-10 share one counter, and so do 11-12
		switch {
		case kind <= 10:
			group = 0
		case kind <= 12:
			group = 11
		}
		k := count[group]
		count[group]++
		id := "r" + strconv.Itoa(i)
		pct := decimal.NewFromInt(int64(k%15 + 1))
		r := discount.Rule{ID: id, Name: "Rule " + strconv.Itoa(i), Priority: k % 5, Stacking: discount.Compounding,
			Action: discount.Action{Kind: discount.ActionPercentOff, Percent: pct}}
		line := func(s discount.Selector) { r.Scope = discount.Scope{Kind: discount.ScopeLine, Target: s} }
		other := []string{"G" + strconv.Itoa((k+3)%keys)} // a group the bench customer is not in
		switch {
		case kind <= 10:
			line(discount.Selector{SKUs: []string{"S" + strconv.Itoa(k)}}) // the k-th SKU rule is on SKU k
			if k%4 == 0 {
				r.Stacking = discount.Additive
			}
			if k%3 == 0 {
				r.Conditions.MinQuantity = decimal.NewFromInt(5)
			}
			if k%50 == 7 {
				r.Stacking = discount.Exclusive
			}
		case kind <= 12:
			line(discount.Selector{Categories: []string{"L" + strconv.Itoa(k%leaves)}})
			if k%2 == 0 {
				r.Conditions.ValidTo = discount.MustDate(2025, 12, 31)
			} else {
				r.Conditions.Groups = other
			}
		case kind == 13:
			line(discount.Selector{Categories: []string{"M" + strconv.Itoa(k%mids)}})
			r.Stacking = discount.Additive
			r.Action = discount.Action{Kind: discount.ActionVolume, Breaks: []discount.Break{
				{MinQuantity: decimal.NewFromInt(3), Percent: decimal.NewFromInt(2)},
				{MinQuantity: decimal.NewFromInt(8), Percent: decimal.NewFromInt(4)},
			}}
		case kind == 14:
			line(discount.Selector{Brands: []string{"B" + strconv.Itoa(k%brands)}})
			r.Conditions.Groups = other
		case kind == 15:
			r.Scope = discount.Scope{Kind: discount.ScopeOrder}
			r.Conditions.Customers = []string{"C" + strconv.Itoa(k%keys)}
			r.Action.Percent = decimal.NewFromInt(2)
		case kind == 16:
			line(discount.Selector{})
			r.Conditions.Groups = []string{"G" + strconv.Itoa(k%keys)}
			r.Conditions.SumMatching = true
			r.Conditions.MinQuantity = decimal.NewFromInt(10)
			r.Limits.MaxDiscount = money.MustParse("5000", money.RUB)
		case kind == 17:
			r.Scope = discount.Scope{Kind: discount.ScopeOrder}
			r.Conditions.Coupon = "K" + strconv.Itoa(k%keys)
			r.Action = discount.Action{Kind: discount.ActionAmountOff, Per: discount.PerOrder, Amount: money.MustParse("500", money.RUB)}
			r.Limits.Total = discount.Limit{MaxUses: 1000, Budget: money.MustParse("100000", money.RUB)}
		case kind == 18:
			cond := 2*k + n/2 // usually not in the cart
			if k%5 == 0 {
				cond = 2 * k
			}
			r.Scope = discount.Scope{Kind: discount.ScopeCross,
				Condition: discount.Selector{SKUs: []string{"S" + strconv.Itoa(cond%n)}},
				Target:    discount.Selector{SKUs: []string{"S" + strconv.Itoa(2*k+1)}}}
			r.Stacking = discount.Additive
			r.Action = discount.Action{Kind: discount.ActionBuyXGetY, Buy: 2, Get: 1, Percent: decimal.NewFromInt(50)}
		default:
			r.Scope = discount.Scope{Kind: discount.ScopeOrder}
			r.Conditions.Groups = []string{"G" + strconv.Itoa(k%keys)}
			r.Action = discount.Action{Kind: discount.ActionVolume, By: discount.ByAmount, Breaks: []discount.Break{
				{MinAmount: money.MustParse("10000", money.RUB), Percent: decimal.NewFromInt(1)},
				{MinAmount: money.MustParse("100000", money.RUB), Percent: decimal.NewFromInt(3)},
			}}
		}
		rules = append(rules, r)
	}
	return discount.RuleSet{Rules: rules}
}

func benchCart(n int) discount.Cart {
	leaves, mids, brands := n/10, n/20, n/20
	c := discount.Cart{Currency: money.RUB, At: t0,
		Customer: discount.Customer{ID: "C0", Groups: []string{"G0"}, Tier: "gold"},
		Coupons:  []string{"K0"}}
	for s := 0; s < 20; s++ {
		leaf := s % leaves
		mid := leaf % mids
		l := discount.Line{
			ID:        "l" + strconv.Itoa(s),
			SKU:       "S" + strconv.Itoa(s),
			Category:  []string{"R" + strconv.Itoa(mid%5), "M" + strconv.Itoa(mid), "L" + strconv.Itoa(leaf)},
			Brand:     "B" + strconv.Itoa(s%brands),
			Quantity:  decimal.NewFromInt(int64(s%10 + 1)),
			ListPrice: money.MustParse(strconv.Itoa(100+s*237)+".50", money.RUB),
		}
		if s%3 == 0 {
			l.Cost = money.MustParse(strconv.Itoa(60+s*150), money.RUB)
		}
		c.Lines = append(c.Lines, l)
	}
	return c
}

var sinkPriced *discount.PricedCart

// benchSetup builds the benchmark's engine over n rules and its cart.
func benchSetup(tb testing.TB, n int) (*discount.Engine, discount.Cart) {
	tb.Helper()
	e, err := discount.NewEngine(benchRules(n), discount.Options{MinMargin: decimal.NewFromInt(5)})
	if err != nil {
		tb.Fatal(err)
	}
	return e, benchCart(n)
}

func BenchmarkPrice(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run("rules="+strconv.Itoa(n), func(b *testing.B) {
			e, c := benchSetup(b, n)
			pc, err := e.Price(c, nil)
			if err != nil {
				b.Fatal(err)
			}
			checkInvariants(b, c, pc)
			b.ReportMetric(float64(len(pc.Adjustments)), "adjustments")
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				sinkPriced, err = e.Price(c, nil)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNewEngine100000(b *testing.B) {
	rs := benchRules(100000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := discount.NewEngine(rs, discount.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeRules(b *testing.B) {
	data := []byte(sampleRules)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := discount.DecodeRules(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPriceInto reprices the cart into one PricedCart, as a pricing
// loop that keeps its result between calls does.
func BenchmarkPriceInto(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run("rules="+strconv.Itoa(n), func(b *testing.B) {
			e, c := benchSetup(b, n)
			var dst discount.PricedCart
			if err := e.PriceInto(&dst, c, nil); err != nil {
				b.Fatal(err)
			}
			checkInvariants(b, c, &dst)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := e.PriceInto(&dst, c, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRepriceReturn prices a return of half of every line of the
// 20-line benchmark cart at 1,000 rules on clawback terms: the sale, the
// kept goods before and the kept goods after are each priced once.
func BenchmarkRepriceReturn(b *testing.B) {
	e, c := benchSetup(b, 1000)
	pc, err := e.Price(c, nil)
	if err != nil {
		b.Fatal(err)
	}
	f := pc.Freeze()
	var lines []discount.ReturnLine
	for i, l := range c.Lines {
		if half := l.Quantity.Div(decimal.NewFromInt(2)).Floor(); half.IsPositive() {
			lines = append(lines, discount.ReturnLine{Line: i, Quantity: half})
		}
	}
	in := discount.Repricing{Sold: c, Lines: lines}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.RepriceReturn(f, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRepriceReturnLargeCart prices a return of a quarter of every
// line of a 10,000-line cart (the engine's limit) with a volume rule, an
// order threshold and buy-X-get-Y: every kept line loses its volume
// discount, so Lost has 10,000 entries. It costs a few pricings of the
// cart (Lost once looked each discount up in a scan of the kept cart).
func BenchmarkRepriceReturnLargeCart(b *testing.B) {
	rs, err := discount.DecodeRules([]byte(`{"rules":[` +
		`{"id":"vol","stacking":"additive","scope":{"kind":"line"},"conditions":{"min_quantity":"100"},"action":{"kind":"percent_off","percent":"10"}},` +
		`{"id":"o","stacking":"compounding","scope":{"kind":"order"},"conditions":{"min_amount":{"amount":"1000","currency":"RUB"}},"action":{"kind":"percent_off","percent":"2"}},` +
		`{"id":"b","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"buy_x_get_y","buy":3,"get":1}}]}`))
	if err != nil {
		b.Fatal(err)
	}
	e, err := discount.NewEngine(rs, discount.Options{})
	if err != nil {
		b.Fatal(err)
	}
	c := discount.Cart{Currency: money.RUB, At: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	var lines []discount.ReturnLine
	for i := range 10_000 {
		c.Lines = append(c.Lines, discount.Line{ID: "l" + strconv.Itoa(i), SKU: "S" + strconv.Itoa(i),
			Quantity: decimal.NewFromInt(120), ListPrice: money.MustParse("1.37", money.RUB)})
		lines = append(lines, discount.ReturnLine{Line: i, Quantity: decimal.NewFromInt(30)})
	}
	pc, err := e.Price(c, nil)
	if err != nil {
		b.Fatal(err)
	}
	f := pc.Freeze()
	in := discount.Repricing{Sold: c, Lines: lines}
	b.ReportAllocs()
	for b.Loop() {
		note, err := e.RepriceReturn(f, in)
		if err != nil || len(note.Lost) != 10_000 {
			b.Fatalf("lost %d, err %v", len(note.Lost), err)
		}
	}
}
