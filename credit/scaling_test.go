package credit

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestScalingWorkedExample(t *testing.T) {
	s, err := NewScalingGoodBad(600, 50, 20)
	require.NoError(t, err)
	assert.InDelta(t, 28.853900817779268, s.Factor, 1e-12)
	assert.InDelta(t, 487.12287620450553, s.Offset, 1e-9)
	assert.InDelta(t, 20, s.PDO(), 1e-12)

	score, err := s.ScoreFromGoodBadOdds(100)
	require.NoError(t, err)
	assert.InDelta(t, 620, score, 1e-9)
	score, err = s.ScoreFromBadGoodOdds(1.0 / 25)
	require.NoError(t, err)
	assert.InDelta(t, 580, score, 1e-9)

	pd, err := s.PD(600)
	require.NoError(t, err)
	assert.InDelta(t, 1.0/51, pd, 1e-15)
	pd, err = s.PD(560)
	require.NoError(t, err)
	assert.InDelta(t, 1.0/13.5, pd, 1e-15)

	score, err = s.ScoreFromPD(1.0 / 51)
	require.NoError(t, err)
	assert.InDelta(t, 600, score, 1e-9)

	gb, err := s.GoodBadOdds(640)
	require.NoError(t, err)
	assert.InDelta(t, 200, gb, 1e-9)
	bg, err := s.BadGoodOdds(640)
	require.NoError(t, err)
	assert.InDelta(t, 1.0/200, bg, 1e-15)

	// the same scale, with the base odds given the other way round
	s2, err := NewScalingBadGood(600, 1.0/50, 20)
	require.NoError(t, err)
	assert.InDelta(t, s.Offset, s2.Offset, 1e-9)
	assert.InDelta(t, s.Factor, s2.Factor, 1e-12)
}

func TestScalingBadInput(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"zero pdo", second(NewScalingGoodBad(600, 50, 0)), "pdo"},
		{"negative pdo", second(NewScalingGoodBad(600, 50, -20)), "pdo"},
		{"NaN base score", second(NewScalingGoodBad(math.NaN(), 50, 20)), "base_score"},
		{"zero odds", second(NewScalingGoodBad(600, 0, 20)), "base_odds"},
		{"infinite odds", second(NewScalingBadGood(600, math.Inf(1), 20)), "base_odds"},
		{"tiny bad:good odds", second(NewScalingBadGood(600, 1e-320, 20)), "base_odds"},
	}
	s, _ := NewScalingGoodBad(600, 50, 20)
	more := []struct {
		name  string
		err   error
		field string
	}{
		{"PD 0", second(s.ScoreFromPD(0)), "pd"},
		{"PD 1", second(s.ScoreFromPD(1)), "pd"},
		{"PD NaN", second(s.ScoreFromPD(math.NaN())), "pd"},
		{"PD -0.1", second(s.ScoreFromPD(-0.1)), "pd"},
		{"score NaN", second(s.PD(math.NaN())), "score"},
		{"score far above", second(s.PD(1e6)), "score"},
		{"score far below", second(s.PD(-1e6)), "score"},
		{"odds overflow", second(s.GoodBadOdds(1e6)), "score"},
		{"negative odds", second(s.ScoreFromGoodBadOdds(-1)), "odds"},
		{"zero-value scaling", second(Scaling{}.PD(600)), "scaling.factor"},
	}
	for _, tc := range append(tests, more...) {
		t.Run(tc.name, func(t *testing.T) {
			require.Error(t, tc.err)
			var ie *InputError
			require.ErrorAs(t, tc.err, &ie)
			assert.Equal(t, tc.field, ie.Field)
		})
	}
}

func second[T any](_ T, err error) error { return err }

func TestScalingRoundTripProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := rapid.Float64Range(-1000, 1000).Draw(t, "base")
		odds := rapid.Float64Range(0.01, 1000).Draw(t, "odds")
		pdo := rapid.Float64Range(1, 100).Draw(t, "pdo")
		s, err := NewScalingGoodBad(base, odds, pdo)
		if err != nil {
			t.Fatal(err)
		}
		// PD -> score -> PD
		pd := rapid.Float64Range(1e-12, 1-1e-9).Draw(t, "pd")
		score, err := s.ScoreFromPD(pd)
		if err != nil {
			t.Fatal(err)
		}
		back, err := s.PD(score)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(back-pd) > 1e-9*pd && math.Abs(back-pd) > 1e-15 {
			t.Fatalf("pd %v -> score %v -> pd %v", pd, score, back)
		}
		// score -> PD -> score, for scores whose PD is well inside (0, 1)
		z := rapid.Float64Range(-20, 25).Draw(t, "ln_good_bad")
		score = s.Offset + s.Factor*z
		pd, err = s.PD(score)
		if err != nil {
			t.Fatal(err)
		}
		again, err := s.ScoreFromPD(pd)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(again-score) > 1e-6*s.Factor*(1+math.Abs(z)) {
			t.Fatalf("score %v -> pd %v -> score %v", score, pd, again)
		}
		// higher score, lower PD; odds agree with PD
		pdHigher, err := s.PD(score + 1)
		if err != nil {
			t.Fatal(err)
		}
		if !(pdHigher < pd) {
			t.Fatalf("PD did not fall with the score: %v then %v", pd, pdHigher)
		}
		bg, err := s.BadGoodOdds(score)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(bg/(1+bg)-pd) > 1e-12 {
			t.Fatalf("odds %v disagree with pd %v", bg, pd)
		}
		// PDO: adding PDO points doubles the good:bad odds
		gb1, _ := s.GoodBadOdds(score)
		gb2, err := s.GoodBadOdds(score + pdo)
		if err == nil && math.Abs(gb2/gb1-2) > 1e-9 {
			t.Fatalf("PDO does not double the odds: %v -> %v", gb1, gb2)
		}
	})
}
