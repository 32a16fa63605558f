package discount_test

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

// exact renders a value with every decimal as its coefficient and
// exponent, so that two results compare equal only if every amount has
// the same representation, not just the same value.
func exact(x any) string {
	var b strings.Builder
	writeExact(&b, reflect.ValueOf(x))
	return b.String()
}

var (
	decimalType = reflect.TypeOf(decimal.Decimal{})
	amountType  = reflect.TypeOf(money.Amount{})
)

func writeExact(b *strings.Builder, v reflect.Value) {
	switch v.Type() {
	case decimalType:
		d := v.Interface().(decimal.Decimal)
		fmt.Fprintf(b, "%se%d", d.Coefficient(), d.Exponent())
		return
	case amountType:
		a := v.Interface().(money.Amount)
		b.WriteString(a.Currency().Code() + " ")
		writeExact(b, reflect.ValueOf(a.Decimal()))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type().PkgPath() != "github.com/crmkit/crmkit/discount" {
			fmt.Fprint(b, v.Interface()) // time.Time, money.Currency
			return
		}
		b.WriteString("{")
		for i := 0; i < v.NumField(); i++ {
			b.WriteString(v.Type().Field(i).Name + ":")
			writeExact(b, v.Field(i))
			b.WriteString(" ")
		}
		b.WriteString("}")
	case reflect.Slice:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteString("[")
		for i := 0; i < v.Len(); i++ {
			writeExact(b, v.Index(i))
			b.WriteString(", ")
		}
		b.WriteString("]")
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteString("&")
		writeExact(b, v.Elem())
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			fmt.Fprintf(b, "%v=", k)
			writeExact(b, v.MapIndex(k))
		}
	default:
		fmt.Fprint(b, v.Interface())
	}
}

// samePricing prices c with e and with its reference and fails unless
// the results (or errors) and their explanations are identical.
func samePricing(t tb, e *discount.Engine, c discount.Cart, u discount.Usage) {
	t.Helper()
	got, err := e.Price(c, u)
	want, refErr := discount.ReferenceEngine(e).Price(c, u)
	if err != nil || refErr != nil {
		if fmt.Sprint(err) != fmt.Sprint(refErr) {
			t.Errorf("errors differ: %v / reference %v", err, refErr)
			t.FailNow()
		}
		return
	}
	if g, w := exact(*got), exact(*want); g != w {
		t.Errorf("pricing differs from the reference:\n got %s\nwant %s", g, w)
		t.FailNow()
	}
	for _, tag := range []string{"en", "ru"} {
		if g, w := exact(got.Explain(tag)), exact(want.Explain(tag)); g != w {
			t.Errorf("explanations (%s) differ from the reference:\n got %s\nwant %s", tag, g, w)
			t.FailNow()
		}
	}
}

// The engine (index, integer arithmetic, integer allocation) must price
// exactly as the straightforward evaluation does: every rule tried on
// every line, every number on money's decimal path.
func TestMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 20).Draw(t, "rules")
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
		if rapid.IntRange(0, 4).Draw(t, "big") == 0 {
			// Past the size where SKU selectors are looked up in a map.
			if len(c.Lines) == 0 {
				c.Lines = append(c.Lines, discount.Line{SKU: "A", Category: genPaths["A"], Brand: "bosch",
					Quantity: decimal.NewFromInt(2), ListPrice: rub("10")})
			}
			for k := len(c.Lines); len(c.Lines) < 70; {
				c.Lines = append(c.Lines, c.Lines[len(c.Lines)%k])
			}
		}
		samePricing(t, e, c, genUsage(t, rules))
	})
}

// The benchmark's rule base, where the index matters most.
func TestBenchMatchesReference(t *testing.T) {
	for _, n := range []int{1000, 20000} {
		rs := benchRules(n)
		for _, opts := range []discount.Options{
			{MinMargin: decimal.NewFromInt(5)},
			{Ties: discount.TieFirstInOrder, Rounding: money.HalfEven},
			{Rounding: money.Down, MinMargin: decimal.NewFromInt(40)},
		} {
			e, err := discount.NewEngine(rs, opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(strconv.Itoa(n), func(t *testing.T) {
				c := benchCart(n)
				samePricing(t, e, c, nil)
				c.Customer.Groups = append(c.Customer.Groups, "G1", "G7")
				c.Coupons = append(c.Coupons, "k3")
				samePricing(t, e, c, nil)
			})
		}
	}
}

// emptyToNil sets the empty slices of a result to nil, so that a result
// written into reused memory (PriceInto) compares with a fresh one.
func emptyToNil(pc discount.PricedCart) discount.PricedCart {
	if len(pc.FreeItems) == 0 {
		pc.FreeItems = nil
	}
	if len(pc.Approvals) == 0 {
		pc.Approvals = nil
	}
	adjs := make([]discount.Adjustment, len(pc.Adjustments))
	for i, a := range pc.Adjustments {
		if len(a.Shares) == 0 {
			a.Shares = nil
		}
		if len(a.Capped) == 0 {
			a.Capped = nil
		}
		adjs[i] = a
	}
	pc.Adjustments = adjs
	return pc
}

// PriceInto gives exactly what Price gives, whatever the reused result
// held before: a sequence of carts, some invalid, is priced into one
// PricedCart and each result is compared with a fresh Price.
func TestPriceIntoMatchesPrice(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 20).Draw(t, "rules")
		rules := make([]discount.Rule, n)
		for i := range rules {
			rules[i] = genRule(t, i)
		}
		e, err := discount.NewEngine(discount.RuleSet{Rules: rules}, genOptions(t))
		if err != nil {
			t.Fatalf("generated rules are valid: %v", err)
		}
		var dst discount.PricedCart
		var kept []string // results of earlier Price calls must never change
		var fresh []*discount.PricedCart
		for k := range rapid.IntRange(1, 5).Draw(t, "carts") {
			c := genCart(t)
			if rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("bad%d", k)) == 0 && len(c.Lines) > 0 {
				c.Lines[0].Quantity = decimal.NewFromInt(-1)
			}
			u := genUsage(t, rules)
			want, wantErr := e.Price(c, u)
			gotErr := e.PriceInto(&dst, c, u)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("cart %d: errors differ: %v / Price %v", k, gotErr, wantErr)
			}
			if wantErr != nil {
				if len(dst.Lines) != 0 || len(dst.Adjustments) != 0 || !dst.Net.IsZero() || !dst.At.IsZero() {
					t.Fatalf("cart %d: a failed PriceInto left a result behind", k)
				}
				continue
			}
			if g, w := exact(emptyToNil(dst)), exact(emptyToNil(*want)); g != w {
				t.Fatalf("cart %d: PriceInto differs from Price:\n got %s\nwant %s", k, g, w)
			}
			kept = append(kept, exact(*want))
			fresh = append(fresh, want)
		}
		for i, pc := range fresh {
			if exact(*pc) != kept[i] {
				t.Fatalf("the result of Price %d changed after later calls", i)
			}
		}
	})
}

// Repricing a cart into the same PricedCart allocates next to nothing:
// the point of PriceInto.
func TestPriceIntoReusesMemory(t *testing.T) {
	e, c := benchSetup(t, 1000)
	var dst discount.PricedCart
	require.NoError(t, e.PriceInto(&dst, c, nil))
	want, err := e.Price(c, nil)
	require.NoError(t, err)
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	allocs := testing.AllocsPerRun(20, func() {
		if err := e.PriceInto(&dst, c, nil); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, exact(emptyToNil(*want)), exact(emptyToNil(dst)))
	fresh := testing.AllocsPerRun(20, func() {
		if _, err := e.Price(c, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("allocations per cart: PriceInto %.0f, Price %.0f", allocs, fresh)
	assert.Less(t, allocs, fresh/2, "PriceInto should reuse the result's memory")
	assert.LessOrEqual(t, allocs, 2.0)
}
