package credit

import (
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// observe runs the package's decimal arithmetic and records every number
// and message it produces.
func observe(t *testing.T) []string {
	t.Helper()
	var out []string
	a, err := AnalyzeStatements(docCompany())
	require.NoError(t, err)
	for _, r := range a.Ratios {
		out = append(out, r.Name+"="+r.Value.StringFixed(RatioPlaces))
	}
	out = append(out, a.Altman.Z.StringFixed(20), a.Altman.Reason().EN, a.Altman.Reason().RU)
	pb := payingProfile(t).Payments
	for _, f := range []Figure{pb.DSO, pb.AvgDaysBeyondTerms, pb.LateShare, pb.Index, pb.Trend.Recent} {
		out = append(out, f.Name+"="+f.Value.StringFixed(10))
	}
	for _, r := range pb.Reasons() {
		out = append(out, r.EN, r.RU)
	}
	dd, err := Decide(OrderCheck{Order: rub("300000.5")}, Policy{Mode: ModeHold, Limit: rub("1000000"), OverdueThreshold: rub("10000")}, docParts(), testAt)
	require.NoError(t, err)
	for _, r := range dd.Reasons {
		out = append(out, r.EN, r.RU)
	}
	adv, err := RecommendLimit(payingProfile(t), LimitOptions{Step: dec("1000")}, PurchasesMultiple{Multiple: dec("2.5")}, ShareOfNetWorth{Share: dec("0.333")})
	require.NoError(t, err)
	out = append(out, adv.Limit.String())
	for _, r := range adv.Reasons {
		out = append(out, r.EN, r.RU)
	}
	return out
}

// TestIndependentOfDecimalGlobals: the package never relies on
// shopspring/decimal's package variables, so a host that sets them for its
// own code gets the same figures and messages.
func TestIndependentOfDecimalGlobals(t *testing.T) {
	before := observe(t)
	dp, trim, sci := decimal.DivisionPrecision, decimal.TrimTrailingZeros, decimal.UseScientificNotation
	t.Cleanup(func() {
		decimal.DivisionPrecision, decimal.TrimTrailingZeros, decimal.UseScientificNotation = dp, trim, sci
	})
	decimal.DivisionPrecision, decimal.TrimTrailingZeros, decimal.UseScientificNotation = 2, false, true
	assert.Equal(t, before, observe(t))
}

func TestScorerConcurrentUse(t *testing.T) {
	s := mustScorer(t, smallCard())
	want, err := s.Score(map[string]Value{"utilisation": Number(0.82), "years": Number(5)})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				got, err := s.Score(map[string]Value{"utilisation": Number(0.82), "years": Number(5)})
				if err != nil || got.Total != want.Total || len(got.Reasons) != len(want.Reasons) {
					t.Errorf("concurrent score differs: %v %v", got.Total, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
