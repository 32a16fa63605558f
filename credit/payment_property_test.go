package credit

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/money"
)

// genHistory draws up to six invoices of the last 400 days, each with up
// to three partial payments.
func genHistory(t *rapid.T) []Invoice {
	n := rapid.IntRange(1, 6).Draw(t, "n")
	today := DateOf(testAt, nil)
	var out []Invoice
	for i := 0; i < n; i++ {
		issued := today.AddDays(-rapid.IntRange(0, 400).Draw(t, "issued"))
		due := issued.AddDays(rapid.IntRange(0, 60).Draw(t, "terms"))
		amt := int64(rapid.IntRange(1, 1000).Draw(t, "amt")) * 100
		inv := Invoice{Amount: money.MustParse(decimal.NewFromInt(amt).String(), money.RUB), IssuedOn: issued, DueOn: due}
		left := amt
		k := rapid.IntRange(0, 3).Draw(t, "k")
		for j := 0; j < k && left > 0; j++ {
			pay := int64(rapid.IntRange(1, int(left)).Draw(t, "pay"))
			left -= pay
			on := issued.AddDays(rapid.IntRange(0, 300).Draw(t, "on"))
			inv.Payments = append(inv.Payments, Payment{On: on, Amount: money.MustParse(decimal.NewFromInt(pay).String(), money.RUB)})
		}
		out = append(out, inv)
	}
	return out
}

// The payment analysis does not depend on the order of the invoices or of
// their payments.
func TestPaymentsOrderInvariantProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t)
		a, err := AnalyzePayments(h, testAt, PaymentOptions{})
		if err != nil {
			t.Fatal(err)
		}
		perm := rapid.Permutation(h).Draw(t, "perm")
		for i := range perm {
			perm[i].Payments = rapid.Permutation(perm[i].Payments).Draw(t, "pp")
		}
		b, err := AnalyzePayments(perm, testAt, PaymentOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, pair := range [][2]Figure{{a.Index, b.Index}, {a.DSO, b.DSO}, {a.AvgDaysBeyondTerms, b.AvgDaysBeyondTerms}, {a.LateShare, b.LateShare}, {a.LongestDelay, b.LongestDelay}, {a.Trend.Recent, b.Trend.Recent}} {
			if pair[0].OK() != pair[1].OK() || !pair[0].Value.Equal(pair[1].Value) {
				t.Fatalf("differs %v %v", pair[0], pair[1])
			}
		}
		if !a.OverdueAmount.Equal(b.OverdueAmount) || a.MaxDaysOverdue != b.MaxDaysOverdue || a.Trend.Direction != b.Trend.Direction {
			t.Fatal("differs")
		}
	})
}

// Paying earlier (within the 12-month window) never worsens the payment
// index, the average delay or the share paid late.
func TestPayingEarlierNeverWorsensProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t)
		a, err := AnalyzePayments(h, testAt, PaymentOptions{})
		if err != nil {
			t.Fatal(err)
		}
		i := rapid.IntRange(0, len(h)-1).Draw(t, "i")
		if len(h[i].Payments) == 0 {
			t.Skip()
		}
		j := rapid.IntRange(0, len(h[i].Payments)-1).Draw(t, "j")
		today := DateOf(testAt, nil)
		old := h[i].Payments[j].On
		if old.After(today) || !old.After(today.AddMonths(-12)) {
			t.Skip()
		}
		k := rapid.IntRange(1, 30).Draw(t, "k")
		nw := old.AddDays(-k)
		if !nw.After(today.AddMonths(-12)) {
			t.Skip()
		}
		h2 := make([]Invoice, len(h))
		copy(h2, h)
		h2[i].Payments = append([]Payment(nil), h[i].Payments...)
		h2[i].Payments[j].On = nw
		b, err := AnalyzePayments(h2, testAt, PaymentOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Index.OK() && b.Index.Value.LessThan(a.Index.Value) {
			t.Fatalf("index worse %v -> %v", a.Index.Value, b.Index.Value)
		}
		if a.AvgDaysBeyondTerms.OK() && b.AvgDaysBeyondTerms.Value.GreaterThan(a.AvgDaysBeyondTerms.Value) {
			t.Fatalf("delay worse")
		}
		if a.LateShare.OK() && b.LateShare.OK() && b.LateShare.Value.GreaterThan(a.LateShare.Value) {
			t.Fatalf("late share worse %v -> %v", a.LateShare.Value, b.LateShare.Value)
		}
	})
}
