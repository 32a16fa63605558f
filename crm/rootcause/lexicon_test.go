package rootcause

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// defaultTermProblems lists invalid and duplicate patterns and, with
// overlaps, pairs of one-word terms of one category that match the same
// words (one a prefix of the other, or a stem pattern whose own word the
// prefix matches) among the hand-written terms. Overlaps are harmless
// (only the heaviest term of a category counts on the same words) but
// show redundant entries; a mined word a hand-written prefix also matches
// is expected (see lexicon_mined_test.go).
func defaultTermProblems(overlaps bool) []string {
	az := getAnalyzer()
	defer putAnalyzer(az)
	type one struct {
		pattern string
		m       matcher
		surface string
	}
	byCode := map[Code][]one{}
	seen := map[string]string{}
	var out []string
	nHand := len(HandTerms())
	for i, t := range DefaultTerms() {
		words, err := compilePattern(az, t.Pattern)
		if err != nil {
			out = append(out, fmt.Sprintf("%s %q: %v", t.Code, t.Pattern, err))
			continue
		}
		key := string(t.Code) + "\x00" + patternKey(words)
		if prev, ok := seen[key]; ok {
			out = append(out, fmt.Sprintf("%s %q duplicates %q", t.Code, t.Pattern, prev))
			continue
		}
		seen[key] = t.Pattern
		if overlaps && i < nHand && len(words) == 1 && !words[0].number {
			surface := strings.TrimSuffix(t.Pattern, "*")
			if a := az.analyze(surface, maxPatternBytes); len(a.tokens) == 1 {
				surface = a.tokens[0].surface
			}
			byCode[t.Code] = append(byCode[t.Code], one{t.Pattern, words[0], surface})
		}
	}
	for code, terms := range byCode {
		for i, a := range terms {
			for _, b := range terms[i+1:] {
				overlap := false
				switch {
				case a.m.prefix && b.m.prefix:
					overlap = strings.HasPrefix(a.m.text, b.m.text) || strings.HasPrefix(b.m.text, a.m.text)
				case a.m.prefix:
					overlap = strings.HasPrefix(b.surface, a.m.text)
				case b.m.prefix:
					overlap = strings.HasPrefix(a.surface, b.m.text)
				}
				if overlap {
					out = append(out, fmt.Sprintf("%s %q overlaps %q", code, a.pattern, b.pattern))
				}
			}
		}
	}
	return out
}

// TestDefaultTermsValid: every default pattern compiles and none is
// given twice for one category; redundant overlaps are logged.
func TestDefaultTermsValid(t *testing.T) {
	assert.Empty(t, defaultTermProblems(false))
	for _, p := range defaultTermProblems(true) {
		t.Log(p)
	}
}

// DefaultTerms are the hand-written terms (HandTerms) followed by the
// mined ones, which are single words (no prefix patterns) with weights in
// [minedMinWeight, minedMaxWeight] on a grid of quarters, keeping
// negation exactly for the causes whose terms all keep it.
func TestDefaultTermsAreHandThenMined(t *testing.T) {
	all, hand := DefaultTerms(), HandTerms()
	require.Greater(t, len(all), len(hand))
	assert.Equal(t, hand, all[:len(hand)])
	for _, m := range all[len(hand):] {
		assert.NotContains(t, m.Pattern, "*", m.Pattern)
		assert.Len(t, strings.Fields(m.Pattern), 1, m.Pattern)
		assert.GreaterOrEqual(t, m.Weight, minedMinWeight, m.Pattern)
		assert.LessOrEqual(t, m.Weight, float64(minedMaxWeight), m.Pattern)
		assert.Zero(t, math.Mod(m.Weight*4, 1), m.Pattern)
		assert.Equal(t, absenceCauses[m.Code], m.KeepNegated, m.Pattern)
	}
}
