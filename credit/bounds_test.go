package credit

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/money"
)

// A host-built decimal with an extreme exponent as a share, step,
// multiple, index threshold, rule threshold or trend tolerance is refused
// with an *InputError naming the field, before anything compares or
// rounds it (which used to take 10–47 seconds).
func TestExtremeExponentsRefused(t *testing.T) {
	p := payingProfile(t)
	tiny := decimal.New(1, -30000000)
	nw := ShareOfNetWorth{Share: dec("0.1")}
	cases := []struct {
		name, field string
		call        func() error
	}{
		{"share", "share_of_net_worth.share", func() error { _, err := ShareOfNetWorth{Share: tiny}.Recommend(p); return err }},
		{"step", "options.step", func() error { _, err := RecommendLimit(p, LimitOptions{Step: tiny}, nw); return err }},
		{"multiple", "purchases_multiple.multiple", func() error { _, err := PurchasesMultiple{Multiple: tiny}.Recommend(p); return err }},
		{"min index", "purchases_multiple.adjustments[0].min_index", func() error {
			_, err := PurchasesMultiple{Multiple: dec("2"), Adjustments: []IndexAdjustment{{tiny, dec("1")}}}.Recommend(p)
			return err
		}},
		{"rule threshold", "policy.rules[0].threshold", func() error {
			_, err := AssessSolvency(p, SolvencyPolicy{Rules: []SolvencyRule{{When: WhenScoreBelow, Threshold: tiny, Then: VerdictDecline}},
				LimitMethods: []LimitMethod{nw}}, testAt)
			return err
		}},
		{"trend tolerance", "options.trend_tolerance", func() error {
			_, err := AnalyzePayments([]Invoice{docInvoice()}, testAt, PaymentOptions{TrendTolerance: tiny})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ie *InputError
			require.ErrorAs(t, tc.call(), &ie)
			assert.Equal(t, tc.field, ie.Field)
			assert.Equal(t, CodeOutOfRange, ie.Code())
			assert.NotEmpty(t, ie.Message("ru"))
		})
	}
}

// Explanations never print a deciding figure on the wrong side of its
// cut-off: more places are shown when rounding would make them meet.
func TestExplanationsDoNotContradictTheNumbers(t *testing.T) {
	// Payment index 79.67: one invoice paid on the due date (80), one a day late (79.33).
	history := []Invoice{
		{Amount: rub("10000"), IssuedOn: d(2026, 4, 1), DueOn: d(2026, 5, 1), Payments: []Payment{{On: d(2026, 5, 1), Amount: rub("10000")}}},
		{Amount: rub("10000"), IssuedOn: d(2026, 4, 1), DueOn: d(2026, 5, 1), Payments: []Payment{{On: d(2026, 5, 2), Amount: rub("10000")}}},
	}
	pb, err := AnalyzePayments(history, testAt, PaymentOptions{})
	require.NoError(t, err)
	requireDec(t, "79.67", pb.Index.Value)
	r, err := PurchasesMultiple{Multiple: dec("2")}.Recommend(Profile{Currency: money.RUB, Payments: &pb})
	require.NoError(t, err)
	assert.True(t, r.Limit.Equal(pb.AvgMonthlyPurchases.Mul(dec("2")).Mul(dec("0.75"))))
	assert.Equal(t, "payment index 79.7: factor 0.75", r.Reasons[1].EN)
	assert.Equal(t, "payment index 79.7 (80 = pays on terms)", pb.Reasons()[0].EN)

	// Altman Z″ = 1.05 × 248/100 = 2.604: safe, above 2.60.
	s := Statements{TotalAssets: rub("348"), CurrentAssets: rub("10"), CurrentLiabilities: rub("10"),
		TotalLiabilities: rub("100"), Equity: rub("248"), RetainedEarnings: rub("0"), EBIT: rub("0")}
	a, err := AnalyzeStatements(s)
	require.NoError(t, err)
	require.Equal(t, ZoneSafe, a.Altman.Zone)
	assert.Contains(t, a.Altman.Reason().EN, "2.604")

	// "score below 600" fires on 599.999.
	dcs, err := AssessSolvency(Profile{Currency: money.RUB, Score: &Score{Total: 599.999}},
		SolvencyPolicy{Rules: []SolvencyRule{{When: WhenScoreBelow, Threshold: dec("600"), Then: VerdictDecline}},
			LimitMethods: []LimitMethod{GradeTable{}}}, testAt)
	require.NoError(t, err)
	require.Equal(t, VerdictDecline, dcs.Verdict)
	assert.Contains(t, dcs.Reasons[0].EN, "599.999 below 600")
}
