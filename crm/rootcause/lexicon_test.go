package rootcause

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// defaultTermProblems lists invalid and duplicate patterns and, with
// overlaps, pairs of one-word terms of one category that match the same
// words (one a prefix of the other, or a stem pattern whose own word the
// prefix matches). Overlaps are harmless (only the heaviest term of a
// category counts on the same words) but show redundant entries.
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
	for _, t := range DefaultTerms() {
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
		if overlaps && len(words) == 1 && !words[0].number {
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
