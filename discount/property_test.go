package discount_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

// The product universe of generated carts: each SKU has one category
// path and one brand, so that paths never contradict each other.
var (
	genSKUs   = []string{"A", "B", "C", "D", "E"}
	genPaths  = map[string][]string{"A": {"tools", "power"}, "B": {"tools", "power", "drills"}, "C": {"tools", "hand"}, "D": {"garden"}, "E": {"garden", "hoses"}}
	genBrands = map[string]string{"A": "bosch", "B": "bosch", "C": "makita", "D": "makita", "E": ""}
	genCats   = []string{"tools", "power", "drills", "hand", "garden", "hoses"}
)

func genDecimal(t *rapid.T, label string, maxUnits int64, places int32) decimal.Decimal {
	return decimal.New(rapid.Int64Range(0, maxUnits).Draw(t, label), -rapid.Int32Range(0, places).Draw(t, label+"_places"))
}

func genMoney(t *rapid.T, label string, maxUnits int64) money.Amount {
	a, _ := money.FromDecimal(genDecimal(t, label, maxUnits, 2), money.RUB)
	return a
}

func genPercent(t *rapid.T, label string) decimal.Decimal {
	return decimal.New(rapid.Int64Range(1, 10000).Draw(t, label), -2) // 0.01 .. 100
}

func genSelector(t *rapid.T, label string, allowEmpty bool) discount.Selector {
	var s discount.Selector
	for s.IsEmpty() {
		switch rapid.IntRange(0, 3).Draw(t, label+"_kind") {
		case 0:
			s.SKUs = rapid.SliceOfNDistinct(rapid.SampledFrom(genSKUs), 1, 3, rapid.ID[string]).Draw(t, label+"_skus")
		case 1:
			s.Categories = rapid.SliceOfNDistinct(rapid.SampledFrom(genCats), 1, 2, rapid.ID[string]).Draw(t, label+"_cats")
		case 2:
			s.Brands = []string{rapid.SampledFrom([]string{"bosch", "makita"}).Draw(t, label+"_brand")}
		}
		if rapid.Bool().Draw(t, label+"_exclude") {
			s.ExcludeSKUs = []string{rapid.SampledFrom(genSKUs).Draw(t, label+"_excl")}
		}
		if allowEmpty {
			break
		}
	}
	return s
}

func genRule(t *rapid.T, i int) discount.Rule {
	l := "r" + strconv.Itoa(i)
	r := discount.Rule{
		ID:       l,
		Priority: rapid.IntRange(0, 3).Draw(t, l+"_prio"),
		Stacking: rapid.SampledFrom([]discount.Stacking{discount.Exclusive, discount.Stop, discount.Additive, discount.Compounding}).Draw(t, l+"_stack"),
	}
	switch rapid.IntRange(0, 5).Draw(t, l+"_scope") {
	case 0, 1, 2:
		r.Scope = discount.Scope{Kind: discount.ScopeLine, Target: genSelector(t, l+"_target", true)}
	case 3:
		r.Scope = discount.Scope{Kind: discount.ScopeCross, Target: genSelector(t, l+"_target", true), Condition: genSelector(t, l+"_cond", false)}
	default:
		r.Scope = discount.Scope{Kind: discount.ScopeOrder}
		if rapid.Bool().Draw(t, l+"_ordercond") {
			r.Scope.Condition = genSelector(t, l+"_cond", false)
		}
	}
	k := &r.Conditions
	if rapid.IntRange(0, 3).Draw(t, l+"_hasgroup") == 0 {
		k.Groups = []string{rapid.SampledFrom([]string{"wholesale", "retail"}).Draw(t, l+"_group")}
	}
	if rapid.IntRange(0, 3).Draw(t, l+"_hasminq") == 0 {
		k.MinQuantity = genDecimal(t, l+"_minq", 20, 1)
	}
	if rapid.IntRange(0, 4).Draw(t, l+"_hasmaxq") == 0 {
		k.MaxQuantity = k.MinQuantity.Add(genDecimal(t, l+"_maxq", 30, 0)).Add(decimal.NewFromInt(1))
	}
	if rapid.IntRange(0, 3).Draw(t, l+"_hasmina") == 0 {
		k.MinAmount = genMoney(t, l+"_mina", 200000)
	}
	if rapid.Bool().Draw(t, l+"_net") {
		k.AmountBasis = discount.BasisNet
	}
	k.SumMatching = rapid.Bool().Draw(t, l+"_sum")
	if rapid.IntRange(0, 4).Draw(t, l+"_hascoupon") == 0 {
		k.Coupon = rapid.SampledFrom([]string{"C1", "c2"}).Draw(t, l+"_coupon")
	}
	order := r.Scope.Kind == discount.ScopeOrder
	kinds := []discount.ActionKind{discount.ActionPercentOff, discount.ActionAmountOff, discount.ActionVolume, discount.ActionFreeItem}
	if !order {
		kinds = append(kinds, discount.ActionFixedPrice, discount.ActionBuyXGetY)
	}
	a := &r.Action
	a.Kind = rapid.SampledFrom(kinds).Draw(t, l+"_kind")
	switch a.Kind {
	case discount.ActionPercentOff:
		a.Percent = genPercent(t, l+"_pct")
	case discount.ActionAmountOff:
		a.Amount = genMoney(t, l+"_amt", 100000)
		if a.Amount.IsZero() {
			a.Amount = rub("0.01")
		}
		a.Per = discount.PerOrder
		if !order {
			a.Per = rapid.SampledFrom([]discount.Per{discount.PerUnit, discount.PerLine}).Draw(t, l+"_per")
		}
	case discount.ActionFixedPrice:
		a.Price = genMoney(t, l+"_price", 100000)
	case discount.ActionVolume:
		n := rapid.IntRange(1, 3).Draw(t, l+"_nbreaks")
		byAmount := rapid.Bool().Draw(t, l+"_byamount")
		if byAmount {
			a.By = discount.ByAmount
		}
		var q decimal.Decimal
		for j := 0; j < n; j++ {
			q = q.Add(decimal.NewFromInt(rapid.Int64Range(1, 10).Draw(t, l+"_step")))
			b := discount.Break{}
			if byAmount {
				b.MinAmount, _ = money.FromDecimal(q.Mul(decimal.NewFromInt(100)), money.RUB)
			} else {
				b.MinQuantity = q
			}
			if !order && rapid.Bool().Draw(t, l+"_bprice") {
				b.Price = genMoney(t, l+"_bp", 50000)
			} else {
				b.Percent = genPercent(t, l+"_bpct")
			}
			a.Breaks = append(a.Breaks, b)
		}
	case discount.ActionBuyXGetY:
		a.Buy = rapid.Int64Range(1, 4).Draw(t, l+"_buy")
		a.Get = rapid.Int64Range(1, 3).Draw(t, l+"_get")
		a.MaxApplications = rapid.Int64Range(0, 3).Draw(t, l+"_maxapp")
		if rapid.Bool().Draw(t, l+"_bxpct") {
			a.Percent = genPercent(t, l+"_bxp")
		}
		a.Pick = rapid.SampledFrom([]discount.Pick{"", discount.Cheapest, discount.MostExpensive}).Draw(t, l+"_pick")
	case discount.ActionFreeItem:
		a.SKU = rapid.SampledFrom(genSKUs).Draw(t, l+"_freesku")
		a.Quantity = genDecimal(t, l+"_freeq", 3, 0)
	}
	if rapid.IntRange(0, 4).Draw(t, l+"_hasmax") == 0 {
		r.Limits.MaxDiscount = mustAdd(t, genMoney(t, l+"_maxd", 50000), rub("0.01"))
	}
	if rapid.IntRange(0, 4).Draw(t, l+"_hasbudget") == 0 {
		r.Limits.Total = discount.Limit{MaxUses: rapid.Int64Range(0, 3).Draw(t, l+"_maxuses"), Budget: genMoney(t, l+"_budget", 100000)}
	}
	if rapid.IntRange(0, 5).Draw(t, l+"_hasmanual") == 0 {
		auth := genPercent(t, l+"_auth")
		r.Manual = &discount.Manual{GrantedBy: "m", Authority: &auth}
	}
	return r
}

func genCart(t *rapid.T) discount.Cart {
	c := discount.Cart{Currency: money.RUB, At: t0, Customer: discount.Customer{ID: "cust"}}
	if rapid.Bool().Draw(t, "group") {
		c.Customer.Groups = []string{"wholesale"}
	}
	if rapid.Bool().Draw(t, "coupon") {
		c.Coupons = []string{rapid.SampledFrom([]string{"c1", "C2", "c3"}).Draw(t, "code")}
	}
	n := rapid.IntRange(0, 6).Draw(t, "lines")
	for i := 0; i < n; i++ {
		l := "l" + strconv.Itoa(i)
		sku := rapid.SampledFrom(genSKUs).Draw(t, l+"_sku")
		line := discount.Line{SKU: sku, Category: genPaths[sku], Brand: genBrands[sku],
			Quantity:  genDecimal(t, l+"_q", 30, 1),
			ListPrice: genMoney(t, l+"_price", 500000)}
		if rapid.Bool().Draw(t, l+"_factor") {
			line.Factor = decimal.NewFromInt(rapid.Int64Range(1, 12).Draw(t, l+"_f"))
		}
		if rapid.Bool().Draw(t, l+"_cost") {
			line.Cost = genMoney(t, l+"_c", 500000)
		}
		if rapid.IntRange(0, 3).Draw(t, l+"_floor") == 0 {
			line.FloorPrice = genMoney(t, l+"_fl", 500000)
		}
		c.Lines = append(c.Lines, line)
	}
	return c
}

func genOptions(t *rapid.T) discount.Options {
	return discount.Options{
		Rounding:  money.RoundingMode(rapid.IntRange(0, 5).Draw(t, "rounding")),
		Ties:      discount.TiePolicy(rapid.IntRange(0, 2).Draw(t, "ties")),
		MinMargin: genDecimal(t, "margin", 99, 0),
	}
}

func genUsage(t *rapid.T, rules []discount.Rule) usage {
	u := usage{}
	for _, r := range rules {
		if rapid.IntRange(0, 3).Draw(t, r.ID+"_used") == 0 {
			u[discount.UsageKey{Rule: r.ID}] = discount.Counter{Uses: rapid.Int64Range(0, 4).Draw(t, r.ID+"_uses"), Spent: genMoney(t, r.ID+"_spent", 100000)}
		}
	}
	return u
}

// dump renders everything a priced cart says, for comparisons.
func dump(pc *discount.PricedCart, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprintf("%+v", *pc)
}

func TestPriceProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 12).Draw(t, "rules")
		rules := make([]discount.Rule, n)
		for i := range rules {
			rules[i] = genRule(t, i)
		}
		opts := genOptions(t)
		e, err := discount.NewEngine(discount.RuleSet{Rules: rules}, opts)
		if err != nil {
			t.Fatalf("generated rules are valid: %v", err)
		}
		c := genCart(t)
		u := genUsage(t, rules)
		pc, err := e.Price(c, u)
		if err != nil {
			if opts.Ties == discount.TieAsError && errors.Is(err, discount.ErrTie) {
				return
			}
			t.Fatalf("price: %v", err)
		}
		checkInvariants(t, c, pc)

		// Determinism: the same input gives the same output.
		again, err2 := e.Price(c, u)
		if dump(pc, nil) != dump(again, err2) {
			t.Fatal("pricing the same cart twice differs")
		}

		// Shuffle invariance: the order of rules in the input does not
		// matter.
		perm := rapid.Permutation(rules).Draw(t, "perm")
		e2, err := discount.NewEngine(discount.RuleSet{Rules: perm}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := dump(e2.Price(c, u)); got != dump(pc, nil) {
			t.Fatalf("shuffled rules price differently:\n%s\n%s", got, dump(pc, nil))
		}

		// Every adjustment is explained in both languages, with a code.
		en, ru := pc.Explain("en"), pc.Explain("ru")
		if len(en) != len(ru) {
			t.Fatal("explanations differ in number")
		}
		for i := range en {
			if en[i].Code == "" || en[i].Text == "" || ru[i].Text == "" || en[i].Code != ru[i].Code {
				t.Fatalf("explanation %d is incomplete: %+v / %+v", i, en[i], ru[i])
			}
		}

		// Manual discounts are flagged exactly when above the authority.
		flagged := map[string]bool{}
		for _, ap := range pc.Approvals {
			flagged[ap.Rule] = true
			if ap.Amount.Decimal().Mul(decimal.NewFromInt(100)).Cmp(ap.Base.Decimal().Mul(ap.Authority)) <= 0 {
				t.Fatalf("approval for %s at or below the authority", ap.Rule)
			}
		}
		for _, a := range pc.Adjustments {
			if a.NeedsApproval != flagged[a.Rule] {
				t.Fatalf("adjustment of %s: needs approval %v, flagged %v", a.Rule, a.NeedsApproval, flagged[a.Rule])
			}
		}

		// A frozen cart round-trips and a full return gives back exactly
		// what was paid.
		checkFullReturn(t, pc)
	})
}

func checkFullReturn(t *rapid.T, pc *discount.PricedCart) {
	f := pc.Freeze()
	var lines []discount.ReturnLine
	for i, l := range f.Lines {
		if !l.Quantity.IsPositive() {
			continue
		}
		// Return in two steps: a part, then the rest.
		part := l.Quantity.Div(decimal.NewFromInt(3)).Truncate(1)
		if part.IsPositive() {
			note, err := discount.PriceReturn(f, []discount.ReturnLine{{Line: i, Quantity: part}})
			if err != nil {
				t.Fatal(err)
			}
			rest, err := discount.PriceReturn(f, []discount.ReturnLine{{Line: i, Quantity: l.Quantity.Sub(part), Returned: part}})
			if err != nil {
				t.Fatal(err)
			}
			sum, _ := note.Net.Add(rest.Net)
			if !sum.Equal(l.Net) {
				t.Fatalf("line %d: partial returns give %s, paid %s", i, sum, l.Net)
			}
			for _, cl := range append(note.Lines, rest.Lines...) {
				if cl.Net.IsNegative() || cl.Discount.IsNegative() || cl.List.IsNegative() {
					t.Fatalf("negative refund %+v", cl)
				}
			}
		}
		lines = append(lines, discount.ReturnLine{Line: i, Quantity: l.Quantity})
	}
	note, err := discount.PriceReturn(f, lines)
	if err != nil {
		t.Fatal(err)
	}
	var paid money.Amount
	for _, l := range f.Lines {
		paid, _ = paid.Add(l.Net)
	}
	if !note.Net.Equal(paid) && !(note.Net.IsZero() && paid.IsZero()) {
		t.Fatalf("a full return gives %s, paid %s", note.Net, paid)
	}
}
