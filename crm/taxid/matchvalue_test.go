package taxid_test

import (
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm/taxid"
)

// Digits of other scripts read as the ASCII digits they are, as
// full-width ones do: "١٢٣٤٥٦٧٨٩" (Arabic-Indic), "۱۲۳۴۵۶۷۸۹" (Persian)
// and "१२३४५६७८९" (Devanagari) are the number 123456789.
func TestMatchValueFoldsDigitsOfOtherScripts(t *testing.T) {
	for _, v := range []string{"١٢٣٤٥٦٧٨٩", "۱۲۳-۴۵۶-۷۸۹", "१२३४५६७८९", "EG ١٢٣٤٥٦٧٨٩"} {
		id, err := taxid.Parse("EG", taxid.KindOther, v)
		require.NoError(t, err)
		assert.Equal(t, "123456789", id.MatchValue(), v)
	}
}

// Every decimal digit folds to one ASCII digit.
func TestMatchValueEveryDecimalDigit(t *testing.T) {
	for _, r16 := range unicode.Nd.R16 {
		for r := rune(r16.Lo); r <= rune(r16.Hi); r += rune(r16.Stride) {
			checkDigit(t, r)
		}
	}
	for _, r32 := range unicode.Nd.R32 {
		for r := rune(r32.Lo); r <= rune(r32.Hi); r += rune(r32.Stride) {
			checkDigit(t, r)
		}
	}
}

func checkDigit(t *testing.T, r rune) {
	t.Helper()
	id := taxid.ID{Country: "US", Kind: taxid.KindOther, Value: string(r)}
	got := id.MatchValue()
	if len(got) != 1 || got[0] < '0' || got[0] > '9' {
		t.Errorf("MatchValue(%U) = %q, want one ASCII digit", r, got)
	}
}

// The ranges of unicode.Nd are whole runs of ten, as asciiDigit assumes.
func TestDecimalDigitRangesAreWholeRuns(t *testing.T) {
	for _, rg := range unicode.Nd.R16 {
		assert.Equal(t, uint16(1), rg.Stride)
		assert.Zero(t, (rg.Hi-rg.Lo+1)%10, "%U..%U", rg.Lo, rg.Hi)
	}
	for _, rg := range unicode.Nd.R32 {
		assert.Equal(t, uint32(1), rg.Stride)
		assert.Zero(t, (rg.Hi-rg.Lo+1)%10, "%U..%U", rg.Lo, rg.Hi)
	}
}
