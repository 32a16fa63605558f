package rootcause

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Training is deterministic with an L2Grid too: two penalties with
// identical inner predictions score exactly alike (macro-F1 is summed in
// a fixed label order, not a map's), so the tie always goes to the larger
// penalty and the same examples and options give the same model.
func TestTrainWithL2GridIsDeterministic(t *testing.T) {
	words := []string{"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"}
	var ex []Example
	for i := range 90 {
		text := words[(i*7)%12] + " " + words[(i*5+3)%12] + " " + words[(i*11+1)%12]
		ex = append(ex, Example{Text: text, Label: fmt.Sprintf("L%d", (i*3+i/7)%5)})
	}
	opt := TrainOptions{NGrams: 1, L2Grid: []float64{0.001, 0.0011}}
	first, err := Train(ex, opt)
	require.NoError(t, err)
	want, err := json.Marshal(first)
	require.NoError(t, err)
	for i := range 60 {
		m, err := Train(ex, opt)
		require.NoError(t, err)
		got, err := json.Marshal(m)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "run %d: same examples and options gave a different model", i)
	}
}

// Months tile time where the clocks skip midnight on the 1st (Paraguay,
// 1 October 2023: 00:00 became 01:00): October holds its last day and
// ends where November starts, September's previous period is August
// exactly, and October's Pareto counts a claim of 31 October.
func TestMonthWhereMidnightIsSkipped(t *testing.T) {
	loc, err := time.LoadLocation("America/Asuncion")
	require.NoError(t, err)
	oct := Month(2023, time.October, loc)
	nov := Month(2023, time.November, loc)
	claim := time.Date(2023, time.October, 31, 12, 0, 0, 0, loc)
	assert.True(t, oct.Contains(claim) || nov.Contains(claim), "a claim of 31 October is in neither October %v..%v nor November", oct.From, oct.To)
	assert.True(t, oct.Contains(claim), "31 October is not in October (To = %v)", oct.To)
	assert.True(t, oct.To.Equal(nov.From), "October ends at %v, November starts at %v", oct.To, nov.From)

	sep, aug := Month(2023, time.September, loc), Month(2023, time.August, loc)
	prev := sep.Previous()
	assert.True(t, prev.From.Equal(aug.From) && prev.To.Equal(aug.To), "September's previous period is %v..%v, want August %v..%v", prev.From, prev.To, aug.From, aug.To)

	// Pareto for October misses the claim.
	rep, err := Pareto([]Record{{Cause: TransitDamage, Cost: rubles("100"), At: claim}}, ParetoOptions{Period: oct})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.TotalCount, "October's Pareto lost the claim of 31 October")
}

// With MaxGroups, a group folded into "other" in one period is compared
// with what it really had there: PRODUCT_DEFECT went from 5 claims in
// January to 4 in February (folded into other), LATE_DELIVERY from 1
// (folded in January) to 10.
func TestCompareParetoFoldedGroupIsNotAbsent(t *testing.T) {
	janP, febP := Month(2026, time.January, nil), Month(2026, time.February, nil)
	var recs []Record
	add := func(c Code, n int, p Period) {
		for i := range n {
			recs = append(recs, Record{Cause: c, Cost: rubles("100"), At: p.From.AddDate(0, 0, i)})
		}
	}
	add(TransitDamage, 10, janP)
	add(ProductDefect, 5, janP)
	add(LateDelivery, 1, janP)
	add(LateDelivery, 10, febP)
	add(TransitDamage, 5, febP)
	add(ProductDefect, 4, febP)
	c, err := ComparePareto(recs, ParetoOptions{Measure: ByCount, MaxGroups: 2}, febP, janP)
	require.NoError(t, err)
	byKey := map[string]ParetoChange{}
	for _, ch := range c.Changes {
		byKey[ch.Key] = ch
	}
	assert.Equal(t, -1, byKey[string(ProductDefect)].CountDelta, "PRODUCT_DEFECT went 5 -> 4")
	assert.Equal(t, 9, byKey[string(LateDelivery)].CountDelta, "LATE_DELIVERY went 1 -> 10")
}

// The cut ("vital few") never includes a named group that contributes
// nothing: with every named cause at zero cost no row is vital (by the
// documented tie rule, zero groups are as close to the target as one), so
// the message is not "1 of 2 causes = 0% of cost".
func TestParetoCutHasNoZeroShareGroup(t *testing.T) {
	recs := []Record{{Cause: TransitDamage, At: jan}, {Cause: ProductDefect, At: jan}, {Cause: Other, Cost: rubles("100"), At: jan}}
	rep, err := Pareto(recs, ParetoOptions{})
	require.NoError(t, err)
	for _, r := range rep.Rows {
		assert.False(t, r.Vital && r.Share == 0, "row %s is vital with share 0", r.Key)
	}
	assert.NotEqual(t, "1 of 2 causes = 0% of cost", rep.Message("en"))
}

// "из 21" takes the genitive singular: "1 из 21 причины", not "причин".
func TestParetoMessageRussianAgreement(t *testing.T) {
	var recs []Record
	for i := range 21 {
		recs = append(recs, Record{Cause: Code(fmt.Sprintf("C%02d", i)), At: jan})
	}
	rep, err := Pareto(recs, ParetoOptions{Measure: ByCount, Target: 0.05})
	require.NoError(t, err)
	assert.Equal(t, "1 из 21 причины = 5% претензий", rep.Message("ru"))
}

// Binary applies to naive Bayes only; with another kind it is refused,
// not silently ignored (as RawTF is for any kind but logistic regression).
func TestTrainBinaryOnlyForNaiveBayes(t *testing.T) {
	ex := []Example{{Text: "damaged box", Label: "A"}, {Text: "late delivery", Label: "B"}}
	for _, kind := range []ModelKind{ComplementNB, LogisticRegression} {
		_, err := Train(ex, TrainOptions{Kind: kind, Binary: true})
		require.Error(t, err, kind)
	}
	_, err := Train(ex, TrainOptions{Kind: NaiveBayes, Binary: true})
	require.NoError(t, err)
}
