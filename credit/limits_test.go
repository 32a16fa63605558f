package credit

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/money"
)

// payingProfile: the history of TestPaymentsHandComputed (average monthly
// purchases 19,166.67, index 66.42), the doc company, a score graded B.
func payingProfile(t *testing.T) Profile {
	t.Helper()
	history := []Invoice{
		docInvoice(),
		{Amount: rub("60000"), IssuedOn: d(2026, 5, 1), DueOn: d(2026, 5, 31), Payments: []Payment{{On: d(2026, 5, 25), Amount: rub("20000")}}},
		{Amount: rub("40000"), IssuedOn: d(2026, 6, 15), DueOn: d(2026, 7, 15)},
		{Amount: rub("30000"), IssuedOn: d(2025, 9, 10), DueOn: d(2025, 10, 10), Payments: []Payment{{On: d(2025, 10, 10), Amount: rub("30000")}}},
	}
	pb, err := AnalyzePayments(history, testAt, PaymentOptions{})
	require.NoError(t, err)
	an, err := AnalyzeStatements(docCompany())
	require.NoError(t, err)
	return Profile{ClientID: "c1", Currency: money.RUB, Score: &Score{Total: 545, Grade: "B"}, Financials: &an, Payments: &pb}
}

func TestLimitMethods(t *testing.T) {
	p := payingProfile(t)
	grades := GradeTable{Limits: map[string]money.Amount{"A": rub("100000"), "B": rub("30000"), "C": rub("0")}}
	tests := []struct {
		name  string
		m     LimitMethod
		limit string
		codes []string
	}{
		{"10% of net worth 400", ShareOfNetWorth{Share: dec("0.1")}, "40", []string{"share_of_net_worth"}},
		{"50% of working capital 200", ShareOfWorkingCapital{Share: dec("0.5")}, "100", []string{"share_of_working_capital"}},
		// 19,166.67 × 2 × 0.5 (index 66.42 is at least 60)
		{"purchases multiple", PurchasesMultiple{Multiple: dec("2")}, "19166.67", []string{"purchases_multiple", "payment_adjustment"}},
		{"purchases multiple, own adjustments", PurchasesMultiple{Multiple: dec("3"), Adjustments: []IndexAdjustment{{dec("0"), dec("0.2")}, {dec("66"), dec("0.9")}}}, "51750.009", []string{"purchases_multiple", "payment_adjustment"}},
		{"grade table", grades, "30000", []string{"grade_table"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.m.Recommend(p)
			require.NoError(t, err)
			assert.Equal(t, tc.m.Name(), r.Method)
			assert.True(t, r.Limit.Equal(rub(tc.limit)), r.Limit.String())
			assert.Equal(t, tc.codes, codesOf(r.Reasons))
			for _, why := range r.Reasons {
				assert.NotEmpty(t, why.RU)
			}
		})
	}
	r, err := ShareOfNetWorth{Share: dec("0.1")}.Recommend(p)
	require.NoError(t, err)
	assert.Equal(t, "10% of net worth RUB 400.00 = RUB 40.00", r.Reasons[0].EN)
	assert.Equal(t, "10% собственного капитала 400,00\u00a0₽ = 40,00\u00a0₽", r.Reasons[0].RU)
}

func TestLimitMethodsWithoutData(t *testing.T) {
	p := payingProfile(t)
	neg := docCompany()
	neg.Equity = rub("-10")
	negAn, err := AnalyzeStatements(neg)
	require.NoError(t, err)

	r, err := ShareOfNetWorth{Share: dec("0.1")}.Recommend(Profile{Currency: money.RUB, Financials: &negAn})
	require.NoError(t, err)
	assert.True(t, r.Limit.Equal(rub("0")))
	assert.Equal(t, "share_of_net_worth_not_positive", r.Reasons[0].Code)

	empty, err := AnalyzePayments(nil, testAt, PaymentOptions{})
	require.NoError(t, err)
	unavailableCases := []struct {
		name string
		m    LimitMethod
		p    Profile
	}{
		{"no financials", ShareOfNetWorth{Share: dec("0.1")}, Profile{Currency: money.RUB}},
		{"no equity", ShareOfNetWorth{Share: dec("0.1")}, Profile{Currency: money.RUB, Financials: &Analysis{NetWorth: AmountFigure{Err: unavailable("net_worth", CodeMissing, FieldEquity)}}}},
		{"no history", PurchasesMultiple{Multiple: dec("2")}, Profile{Currency: money.RUB, Payments: &empty}},
		{"no grade", GradeTable{}, Profile{Currency: money.RUB, Score: &Score{Total: 1}}},
	}
	for _, tc := range unavailableCases {
		_, err := tc.m.Recommend(tc.p)
		assert.ErrorIs(t, err, ErrUnavailable, tc.name)
	}
	invalidCases := []struct {
		name  string
		m     LimitMethod
		field string
	}{
		{"share above 1", ShareOfNetWorth{Share: dec("1.5")}, "share_of_net_worth.share"},
		{"zero share", ShareOfWorkingCapital{}, "share_of_working_capital.share"},
		{"zero multiple", PurchasesMultiple{}, "purchases_multiple.multiple"},
		{"factor above 1", PurchasesMultiple{Multiple: dec("1"), Adjustments: []IndexAdjustment{{dec("0"), dec("2")}}}, "purchases_multiple.adjustments[0].factor"},
		{"grade not in the table", GradeTable{Limits: map[string]money.Amount{"A": rub("1")}}, `grade_table.limits["B"]`},
		{"grade limit in dollars", GradeTable{Limits: map[string]money.Amount{"B": money.MustParse("1", money.USD)}}, `grade_table.limits["B"]`},
	}
	for _, tc := range invalidCases {
		_, err := tc.m.Recommend(p)
		var ie *InputError
		require.ErrorAs(t, err, &ie, tc.name)
		assert.Equal(t, tc.field, ie.Field, tc.name)
	}
}

func TestRecommendLimit(t *testing.T) {
	p := payingProfile(t)
	methods := []LimitMethod{PurchasesMultiple{Multiple: dec("2")}, ShareOfWorkingCapital{Share: dec("0.5")}, GradeTable{Limits: map[string]money.Amount{"B": rub("30000")}}}
	adv, err := RecommendLimit(p, LimitOptions{}, methods...)
	require.NoError(t, err)
	require.True(t, adv.OK())
	assert.True(t, adv.Limit.Equal(rub("100")))
	assert.Equal(t, "share_of_working_capital", adv.Method)
	assert.Len(t, adv.Recommendations, 3)
	assert.Contains(t, codesOf(adv.Reasons), "lowest_of_methods")

	// rounded down to 1,000 each; the grade table is the lowest
	adv, err = RecommendLimit(p, LimitOptions{Step: dec("1000")}, methods[0], methods[2])
	require.NoError(t, err)
	assert.True(t, adv.Recommendations[0].Limit.Equal(rub("19000")))
	assert.True(t, adv.Limit.Equal(rub("19000")))
	assert.Equal(t, "purchases_multiple", adv.Method)

	adv, err = RecommendLimit(p, LimitOptions{Max: rub("5000")}, methods[0], methods[2])
	require.NoError(t, err)
	assert.True(t, adv.Limit.Equal(rub("5000")))
	assert.Equal(t, "max", adv.Method)

	// a method without data is reported, the others still recommend
	noFin := p
	noFin.Financials = nil
	adv, err = RecommendLimit(noFin, LimitOptions{}, methods...)
	require.NoError(t, err)
	assert.Len(t, adv.Unavailable, 1)
	assert.True(t, adv.Limit.Equal(rub("19166.67")))

	adv, err = RecommendLimit(Profile{Currency: money.RUB}, LimitOptions{}, methods[1])
	require.NoError(t, err)
	assert.False(t, adv.OK())
	assert.Contains(t, codesOf(adv.Reasons), CodeNoLimitRecommended)

	_, err = RecommendLimit(Profile{}, LimitOptions{}, methods...)
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = RecommendLimit(p, LimitOptions{})
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = RecommendLimit(p, LimitOptions{Max: money.MustParse("1", money.USD)}, methods...)
	assert.ErrorIs(t, err, ErrInvalidInput)
	usd := p
	usd.Currency = money.USD
	_, err = RecommendLimit(usd, LimitOptions{}, methods[1])
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, CodeCurrency, ie.Code())
}

func TestPoliciesResolve(t *testing.T) {
	ps := Policies{
		Default: Policy{Mode: ModeHold},
		Groups:  map[string]Policy{"retail": {Mode: ModeWarn}},
		Clients: map[string]Policy{"c1": {Mode: ModeOff}},
	}
	for _, tc := range []struct {
		client, group string
		mode          Mode
		level         Level
	}{
		{"c1", "retail", ModeOff, LevelClient},
		{"c2", "retail", ModeWarn, LevelGroup},
		{"c2", "", ModeHold, LevelDefault},
		{"", "", ModeHold, LevelDefault},
	} {
		p, level, err := ps.Resolve(tc.client, tc.group)
		require.NoError(t, err)
		assert.Equal(t, tc.mode, p.Mode)
		assert.Equal(t, tc.level, level)
	}
	_, _, err := Policies{}.Resolve("c", "g")
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "policies.default.mode", ie.Field)
}

// The defaults are handed out as copies: a host changing the slice it got
// changes neither the package's default nor the next caller's.
func TestDefaultsAreCopies(t *testing.T) {
	adj := DefaultIndexAdjustments()
	adj[0].Factor = decimal.NewFromInt(9)
	assert.True(t, DefaultIndexAdjustments()[0].Factor.Equal(decimal.NewFromInt(1)))
	assert.True(t, defaultIndexAdjustments[0].Factor.Equal(decimal.NewFromInt(1)))
	scale := DefaultIndexScale()
	scale[0].Index = 0
	assert.Equal(t, 100, DefaultIndexScale()[0].Index)
	assert.Equal(t, 100, defaultIndexScale[0].Index)
}
