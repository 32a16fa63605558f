package money

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestISOTableSortedAndUnique(t *testing.T) {
	require.GreaterOrEqual(t, len(isoTable), 150, "ISO table looks truncated")

	seenCodes := make(map[string]bool, len(isoTable))
	seenNumeric := make(map[uint16]string, len(isoTable))
	for i, e := range isoTable {
		if i > 0 {
			assert.Less(t, isoTable[i-1].code, e.code,
				"table not sorted by code at index %d", i)
		}

		assert.False(t, seenCodes[e.code], "duplicate code %q", e.code)
		seenCodes[e.code] = true

		if prev, ok := seenNumeric[e.numeric]; ok {
			assert.Failf(t, "duplicate numeric code",
				"numeric %03d used by both %s and %s", e.numeric, prev, e.code)
		}
		seenNumeric[e.numeric] = e.code
	}
}

func TestISOTableEntriesWellFormed(t *testing.T) {
	for _, e := range isoTable {
		assert.Len(t, e.code, 3, "code %q must be three letters", e.code)
		for j := 0; j < len(e.code); j++ {
			c := e.code[j]
			assert.True(t, c >= 'A' && c <= 'Z',
				"code %q must be upper-case ASCII letters", e.code)
		}
		assert.GreaterOrEqual(t, e.minor, int8(0), "minor unit of %s", e.code)
		assert.LessOrEqual(t, e.minor, int8(4), "minor unit of %s", e.code)
		assert.NotZero(t, e.numeric, "numeric code of %s", e.code)
		assert.Less(t, e.numeric, uint16(1000), "numeric code of %s", e.code)
		assert.NotEmpty(t, e.name, "name of %s", e.code)
	}
}

func isoLookupForTest(code string) (isoEntry, bool) {
	for _, e := range isoTable {
		if e.code == code {
			return e, true
		}
	}
	return isoEntry{}, false
}

func TestISOTableKnownMinorUnits(t *testing.T) {
	tests := []struct {
		code  string
		minor int8
	}{
		// Three decimal places.
		{"BHD", 3}, {"IQD", 3}, {"JOD", 3}, {"KWD", 3},
		{"LYD", 3}, {"OMR", 3}, {"TND", 3},
		// Four decimal places.
		{"CLF", 4}, {"UYW", 4},
		// No minor unit.
		{"JPY", 0}, {"KRW", 0}, {"VND", 0}, {"ISK", 0}, {"CLP", 0},
		{"PYG", 0}, {"UGX", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
		{"BIF", 0}, {"DJF", 0}, {"GNF", 0}, {"KMF", 0}, {"RWF", 0},
		{"VUV", 0}, {"UYI", 0},
		// Two decimal places.
		{"RUB", 2}, {"USD", 2}, {"EUR", 2}, {"IDR", 2}, {"HUF", 2},
		{"COU", 2}, {"GBP", 2}, {"CNY", 2},
		{"VES", 2}, {"VED", 2}, {"SLE", 2}, {"MRU", 2}, {"STN", 2},
		{"ZWG", 2}, {"XCG", 2}, {"XAD", 2},
		{"BOV", 2}, {"CHE", 2}, {"CHW", 2}, {"MXV", 2}, {"USN", 2},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			e, ok := isoLookupForTest(tt.code)
			require.True(t, ok, "%s missing from isoTable", tt.code)
			assert.Equal(t, tt.minor, e.minor)
		})
	}
}

func TestISOTableKnownNumericCodes(t *testing.T) {
	tests := []struct {
		code    string
		numeric uint16
	}{
		{"RUB", 643},
		{"USD", 840},
		{"EUR", 978},
		{"JPY", 392},
		{"KWD", 414},
		{"BHD", 48},
		{"CLF", 990},
		{"GBP", 826},
		{"CNY", 156},
		{"XCG", 532},
		{"ZWG", 924},
		{"VED", 926},
		{"SLE", 925},
		{"UYW", 927},
		{"VES", 928},
		{"MRU", 929},
		{"STN", 930},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			e, ok := isoLookupForTest(tt.code)
			require.True(t, ok, "%s missing from isoTable", tt.code)
			assert.Equal(t, tt.numeric, e.numeric)
		})
	}
}

func TestISOTableExcludesWithdrawnAndNACodes(t *testing.T) {
	absent := []string{
		// Withdrawn (moved to ISO 4217 list three).
		"HRK", "SLL", "ZWL", "ANG", "CUC", "MRO", "STD", "VEF",
		"LTL", "LVL", "EEK", "BGN",
		// Listed in ISO 4217 list one, but with minor unit "N.A.".
		"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR",
		"XPD", "XPT", "XSU", "XTS", "XUA", "XXX",
	}
	for _, code := range absent {
		_, ok := isoLookupForTest(code)
		assert.False(t, ok, "%s must not be in isoTable", code)
	}
}
