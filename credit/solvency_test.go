package credit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/money"
)

func testSolvencyPolicy() SolvencyPolicy {
	return SolvencyPolicy{
		Rules: []SolvencyRule{
			{When: WhenGradeIn, Grades: []string{"C"}, Then: VerdictDecline},
			{Name: "distress", When: WhenAltmanZone, Zone: ZoneDistress, Then: VerdictDecline},
			{When: WhenAltmanZone, Zone: ZoneGrey, Then: VerdictPrepayment},
			{When: WhenPaymentIndexBelow, Threshold: dec("50"), Then: VerdictPrepayment},
			{When: WhenLongestDelayAbove, Threshold: dec("90"), Then: VerdictDecline},
			{When: WhenScoreUnavailable, Then: VerdictPrepayment},
		},
		LimitMethods: []LimitMethod{
			PurchasesMultiple{Multiple: dec("2")},
			GradeTable{Limits: map[string]money.Amount{"A": rub("100000"), "B": rub("30000"), "C": rub("0")}},
		},
		Limits: LimitOptions{Step: dec("1000")},
	}
}

func TestAssessSolvency(t *testing.T) {
	good := payingProfile(t)
	gradeC := good
	gradeC.Score = &Score{Total: 480, Grade: "C"}
	distressed := good
	an, err := AnalyzeStatements(Statements{TotalAssets: rub("1000"), CurrentAssets: rub("200"), CurrentLiabilities: rub("400"),
		TotalLiabilities: rub("900"), Equity: rub("100"), RetainedEarnings: rub("-100"), EBIT: rub("-20"), Revenue: rub("800")})
	require.NoError(t, err)
	distressed.Financials = &an
	late := good
	latePB, err := AnalyzePayments([]Invoice{{Amount: rub("90000"), IssuedOn: d(2026, 1, 1), DueOn: d(2026, 1, 31)}}, testAt, PaymentOptions{})
	require.NoError(t, err) // 150 days overdue: index 10
	late.Payments = &latePB
	unknown := Profile{ClientID: "new", Currency: money.RUB}
	noLimit := good
	noLimit.Payments = nil
	noLimit.Score = &Score{Total: 600} // a card without grades

	tests := []struct {
		name    string
		p       Profile
		verdict Verdict
		limit   string
		fired   []string
	}{
		// 19,166.67 × 2 × 0.5 = 19,166.67 → 19,000; the grade table gives 30,000
		{"good payer", good, VerdictApprove, "19000", nil},
		{"grade C", gradeC, VerdictDecline, "", []string{"grade_in"}},
		{"distress", distressed, VerdictDecline, "", []string{"distress"}},
		{"pays very late", late, VerdictDecline, "", []string{"payment_index_below", "longest_delay_above"}},
		{"nothing known", unknown, VerdictPrepayment, "", []string{"score_unavailable"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sd, err := AssessSolvency(tc.p, testSolvencyPolicy(), testAt)
			require.NoError(t, err)
			assert.Equal(t, tc.verdict, sd.Verdict)
			assert.Equal(t, tc.fired, sd.Fired)
			assert.Equal(t, "solvency_"+string(tc.verdict), sd.Code())
			if tc.limit != "" {
				assert.True(t, sd.Limit.Equal(rub(tc.limit)), sd.Limit.String())
			} else {
				assert.True(t, sd.Limit.IsZero())
			}
			for i, name := range tc.fired {
				assert.Equal(t, name, sd.Reasons[i].Code)
			}
			assert.NotEmpty(t, sd.Explain("ru"))
			assert.NotEmpty(t, sd.Message("en"))
		})
	}

	sd, err := AssessSolvency(good, testSolvencyPolicy(), testAt)
	require.NoError(t, err)
	assert.Equal(t, "approved with a credit limit of RUB 19,000.00", sd.Message("en"))
	assert.Equal(t, []string{"score", "altman_safe", "payment_index", "longest_delay", "overdue_now", "payment_trend_worsening",
		"purchases_multiple", "payment_adjustment", "lowest_of_methods"}, codesOf(sd.Reasons))

	// no method can recommend: prepayment (the policy's NoLimit)
	sd, err = AssessSolvency(noLimit, testSolvencyPolicy(), testAt)
	require.NoError(t, err)
	assert.Equal(t, VerdictPrepayment, sd.Verdict)
	assert.Contains(t, codesOf(sd.Reasons), CodeNoLimitRecommended)
	policy := testSolvencyPolicy()
	policy.NoLimit = VerdictDecline
	sd, err = AssessSolvency(noLimit, policy, testAt)
	require.NoError(t, err)
	assert.Equal(t, VerdictDecline, sd.Verdict)

	// a zero limit is prepayment
	zero := good
	zero.Score = &Score{Total: 500, Grade: "C"}
	policy = testSolvencyPolicy()
	policy.Rules = nil
	sd, err = AssessSolvency(zero, policy, testAt)
	require.NoError(t, err)
	assert.Equal(t, VerdictPrepayment, sd.Verdict)
	assert.Contains(t, codesOf(sd.Reasons), "limit_zero")
}

func TestSolvencyConditions(t *testing.T) {
	p := payingProfile(t) // index 66.42, longest delay 30, late share 0.6667, worsening, overdue 40,000, D/E 1.5, current 1.67
	tests := []struct {
		rule  SolvencyRule
		fires bool
	}{
		{SolvencyRule{When: WhenScoreBelow, Threshold: dec("545.01")}, true},
		{SolvencyRule{When: WhenScoreBelow, Threshold: dec("545")}, false},
		{SolvencyRule{When: WhenGradeIn, Grades: []string{"A", "B"}}, true},
		{SolvencyRule{When: WhenAltmanZone, Zone: ZoneSafe}, true},
		{SolvencyRule{When: WhenAltmanUnavailable}, false},
		{SolvencyRule{When: WhenPaymentIndexBelow, Threshold: dec("66.42")}, false},
		{SolvencyRule{When: WhenPaymentIndexBelow, Threshold: dec("66.43")}, true},
		{SolvencyRule{When: WhenLongestDelayAbove, Threshold: dec("30")}, false},
		{SolvencyRule{When: WhenLongestDelayAbove, Threshold: dec("29")}, true},
		{SolvencyRule{When: WhenLateShareAbove, Threshold: dec("0.5")}, true},
		{SolvencyRule{When: WhenPaymentsWorsening}, true},
		{SolvencyRule{When: WhenPaymentsUnavailable}, false},
		{SolvencyRule{When: WhenOverdueAbove, Threshold: dec("40000")}, false},
		{SolvencyRule{When: WhenOverdueAbove, Threshold: dec("39999.99")}, true},
		{SolvencyRule{When: WhenDebtToEquityAbove, Threshold: dec("1.4")}, true},
		{SolvencyRule{When: WhenCurrentRatioBelow, Threshold: dec("2")}, true},
		{SolvencyRule{When: WhenInterestCoverBelow, Threshold: dec("5")}, false},
		{SolvencyRule{When: WhenReturnOnAssetsBelow, Threshold: dec("0.07")}, true},
		{SolvencyRule{When: WhenScoreUnavailable}, false},
	}
	for _, tc := range tests {
		tc.rule.Then = VerdictPrepayment
		policy := SolvencyPolicy{Rules: []SolvencyRule{tc.rule}, LimitMethods: []LimitMethod{GradeTable{Limits: map[string]money.Amount{"B": rub("1")}}}}
		sd, err := AssessSolvency(p, policy, testAt)
		require.NoError(t, err)
		assert.Equal(t, tc.fires, len(sd.Fired) == 1, "%s %s", tc.rule.When, tc.rule.Threshold)
		if tc.fires {
			assert.Equal(t, string(tc.rule.When), sd.Reasons[0].Code)
			assert.Contains(t, sd.Reasons[0].RU, "только предоплата")
		}
	}
}

func TestSolvencyPolicyValidation(t *testing.T) {
	lm := []LimitMethod{GradeTable{}}
	tests := []struct {
		name   string
		policy SolvencyPolicy
		field  string
	}{
		{"no methods", SolvencyPolicy{}, "policy.limit_methods"},
		{"approve as no-limit verdict", SolvencyPolicy{LimitMethods: lm, NoLimit: VerdictApprove}, "policy.no_limit"},
		{"no condition", SolvencyPolicy{LimitMethods: lm, Rules: []SolvencyRule{{Then: VerdictDecline}}}, "policy.rules[0].when"},
		{"unknown condition", SolvencyPolicy{LimitMethods: lm, Rules: []SolvencyRule{{When: "moon_phase", Then: VerdictDecline}}}, "policy.rules[0].when"},
		{"no verdict", SolvencyPolicy{LimitMethods: lm, Rules: []SolvencyRule{{When: WhenScoreUnavailable}}}, "policy.rules[0].then"},
		{"no grades", SolvencyPolicy{LimitMethods: lm, Rules: []SolvencyRule{{When: WhenGradeIn, Then: VerdictDecline}}}, "policy.rules[0].grades"},
		{"no zone", SolvencyPolicy{LimitMethods: lm, Rules: []SolvencyRule{{When: WhenAltmanZone, Then: VerdictDecline}}}, "policy.rules[0].zone"},
		{"index above 100", SolvencyPolicy{LimitMethods: lm, Rules: []SolvencyRule{{When: WhenPaymentIndexBelow, Threshold: dec("101"), Then: VerdictDecline}}}, "policy.rules[0].threshold"},
		{"share above 1", SolvencyPolicy{LimitMethods: lm, Rules: []SolvencyRule{{When: WhenLateShareAbove, Threshold: dec("50"), Then: VerdictDecline}}}, "policy.rules[0].threshold"},
	}
	for _, tc := range tests {
		_, err := AssessSolvency(Profile{Currency: money.RUB}, tc.policy, testAt)
		var ie *InputError
		require.ErrorAs(t, err, &ie, tc.name)
		assert.Equal(t, tc.field, ie.Field, tc.name)
	}
	_, err := AssessSolvency(Profile{}, testSolvencyPolicy(), testAt)
	assert.ErrorIs(t, err, ErrInvalidInput)
}

type fakeStatements struct {
	s   *Statements
	err error
}

func (f fakeStatements) Statements(context.Context, string, time.Time) (*Statements, error) {
	return f.s, f.err
}

type fakeHistory struct {
	inv []Invoice
	err error
}

func (f fakeHistory) PaymentHistory(context.Context, string, time.Time) ([]Invoice, error) {
	return f.inv, f.err
}

func TestAssessor(t *testing.T) {
	company := docCompany()
	a := Assessor{
		Scorer:     mustScorer(t, smallCard()),
		Statements: fakeStatements{s: &company},
		History:    fakeHistory{inv: []Invoice{docInvoice()}},
		Policy:     testSolvencyPolicy(),
		Currency:   money.RUB,
	}
	ctx := context.Background()
	sd, err := a.Assess(ctx, "c1", map[string]Value{"utilisation": Number(0.1), "years": Number(10), "industry": Category("retail")}, testAt)
	require.NoError(t, err)
	// grade A (585): 100,000; purchases 8,333.33 × 2 × 0.5 (index 65) = 8,333.33 → 8,000
	assert.Equal(t, VerdictApprove, sd.Verdict)
	assert.True(t, sd.Limit.Equal(rub("8000")), sd.Limit.String())

	_, err = a.Assess(ctx, "c1", map[string]Value{"colour": Category("red")}, testAt)
	assert.ErrorIs(t, err, ErrInvalidInput)

	broken := a
	broken.History = fakeHistory{err: errors.New("timeout")}
	_, err = broken.Assess(ctx, "c1", nil, testAt)
	var se *SourceError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "payment_history", se.Source)

	broken = a
	broken.Statements = fakeStatements{err: errors.New("no access")}
	_, err = broken.Assess(ctx, "c1", nil, testAt)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "statements", se.Source)

	bare := Assessor{Policy: testSolvencyPolicy(), Currency: money.RUB}
	sd, err = bare.Assess(ctx, "c1", nil, testAt)
	require.NoError(t, err)
	assert.Equal(t, VerdictPrepayment, sd.Verdict)
}
