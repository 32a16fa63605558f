package rootcause

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultFactRules(t *testing.T) {
	cases := []struct {
		name  string
		facts Facts
		id    string
		code  Code
	}{
		{"late", Facts{DaysLate: 3}, "days_late", LateDelivery},
		{"short received", Facts{Shipped: Qty(100), Received: Qty(92)}, "received_vs_shipped", WrongQuantity},
		{"over received", Facts{Shipped: Qty(100), Received: Qty(120)}, "received_vs_shipped", WrongQuantity},
		{"short shipped", Facts{Ordered: Qty(100), Shipped: Qty(80), Received: Qty(80)}, "shipped_vs_ordered", WrongQuantity},
		{"received vs ordered", Facts{Ordered: Qty(10), Received: Qty(9)}, "received_vs_ordered", WrongQuantity},
		{"wrong item", Facts{WrongItemReceived: true}, "wrong_item", WrongItem},
		{"documents", Facts{DocumentDiscrepancy: true}, "document_discrepancy", DocumentError},
		{"price", Facts{PriceDiscrepancy: true}, "price_discrepancy", PriceError},
		{"damage", Facts{DamageNotedOnDelivery: true}, "damage_on_delivery", TransitDamage},
		{"packaging", Facts{PackagingInadequate: true}, "packaging_inadequate", Packaging},
		{"storage", Facts{StorageViolation: true}, "storage_violation", CustomerMisuse},
		{"misuse", Facts{MisuseFound: true}, "misuse_found", CustomerMisuse},
		{"defect", Facts{DefectConfirmed: true}, "defect_confirmed", ProductDefect},
		{"spec", Facts{SpecDeviation: true}, "spec_deviation", SpecMismatch},
		{"expired", Facts{ShelfLifeLeftPercent: Qty(0)}, "expired", Expiry},
		{"short shelf life", Facts{ShelfLifeLeftPercent: Qty(30)}, "short_shelf_life", Expiry},
		{"contract shelf life", Facts{ShelfLifeLeftPercent: Qty(70), RequiredShelfLifePercent: 80}, "short_shelf_life", Expiry},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			// Facts override neutral text.
			r := RulesOnly().Categorize("Просим разобраться.", tt.facts)
			b := r.Best()
			assert.Equal(t, tt.code, b.Code)
			assert.False(t, r.NeedsReview)
			var ids []string
			for _, e := range b.Evidence {
				if e.Kind == EvidenceFact {
					ids = append(ids, e.Pattern)
					assert.NotEmpty(t, e.Text)
					assert.NotEmpty(t, e.TextRU)
				}
			}
			assert.Contains(t, ids, tt.id)
		})
	}
}

func TestFactsIgnoredWhenNonsense(t *testing.T) {
	for _, f := range []Facts{
		{},
		{DaysLate: -3},
		{Shipped: Qty(math.NaN()), Received: Qty(5)},
		{Shipped: Qty(math.Inf(1)), Received: Qty(5)},
		{Shipped: Qty(-1), Received: Qty(5)},
		{Shipped: Quantity{Value: 10}, Received: Qty(5)}, // shipped unknown
		{Shipped: Qty(10), Received: Qty(10)},
		{Ordered: Qty(10), Shipped: Qty(12), Received: Qty(12)},
		{ShelfLifeLeftPercent: Qty(90)},
		{ShelfLifeLeftPercent: Qty(40), RequiredShelfLifePercent: 30},
		{ShelfLifeLeftPercent: Qty(math.NaN())},
	} {
		r := RulesOnly().Categorize("", f)
		for _, s := range r.Ranked {
			assert.Zero(t, s.FactScore, "%+v fired for %s", f, s.Code)
		}
	}
}

func TestFactsAreStrongEvidence(t *testing.T) {
	text := "Коробки разбиты, вмятины на корпусе."
	r := RulesOnly().Categorize(text, Facts{DaysLate: 4})
	assert.Equal(t, TransitDamage, r.Best().Code, "two strong terms still beat one fact")
	r = RulesOnly().Categorize("Коробки пришли.", Facts{DaysLate: 4})
	assert.Equal(t, LateDelivery, r.Best().Code)
	assert.Greater(t, r.Best().Confidence, 0.7)

	custom := []FactRule{{ID: "hot", Code: CustomerMisuse, Weight: 2, Check: func(f Facts) (bool, string, string) {
		return f.StorageViolation, "stored hot", "хранили в жаре"
	}}}
	c, err := New(Config{FactRules: custom})
	require.NoError(t, err)
	r = c.Categorize("", Facts{StorageViolation: true, DaysLate: 10})
	assert.Equal(t, CustomerMisuse, r.Best().Code)
	assert.Equal(t, 2.0, r.Best().FactScore)

	none, err := New(Config{FactRules: []FactRule{}})
	require.NoError(t, err)
	r = none.Categorize("", Facts{DaysLate: 10})
	assert.Equal(t, Other, r.Best().Code)
}
