package credit

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A repeated key, or a key in another case, must be refused with a
// *ScorecardError naming the path and the characteristic, never decoded
// with the last copy winning.
func TestDecodeScorecardStrictKeysNamePath(t *testing.T) {
	replace := func(old, new string) string {
		require.Contains(t, docCardJSON, old)
		return strings.Replace(docCardJSON, old, new, 1)
	}
	tests := []struct {
		name, data, char, path, reason string
	}{
		{"repeated base points", replace(`"base_points": 500`, `"base_points": 500, "base_points": 0`), "", "base_points", CodeDuplicate},
		{"case-variant base points", replace(`"base_points": 500`, `"base_points": 500, "BASE_POINTS": 0`), "", "BASE_POINTS", CodeUnknownField},
		{"repeated bin points", replace(`{"high": 0.3, "points": 40}`, `{"high": 0.3, "points": 40, "points": -400}`), "utilisation", "characteristics[0].bins[0].points", CodeDuplicate},
		{"case-variant bin bound", replace(`{"low": 0.7, "points": 0}`, `{"low": 0.7, "Low": 0.1, "points": 0}`), "utilisation", "characteristics[0].bins[2].Low", CodeUnknownField},
		{"repeated missing points", replace(`"missing": {"points": 10}`, `"missing": {"points": 10, "points": 99}`), "utilisation", "characteristics[0].missing.points", CodeDuplicate},
		{"repeated reason code", replace(`"code": "high_utilisation"`, `"code": "high_utilisation", "code": "x"`), "utilisation", "characteristics[0].reason.code", CodeDuplicate},
		{"repeated name not trusted", replace(`"name": "industry"`, `"name": "industry", "name": "other"`), "", "characteristics[1].name", CodeDuplicate},
		{"case-variant name not trusted", replace(`"name": "industry"`, `"name": "industry", "Name": "other"`), "", "characteristics[1].Name", CodeUnknownField},
		{"repeated grade bound", replace(`{"grade": "A", "low": 560}`, `{"grade": "A", "low": 560, "low": 0}`), "", "grades[0].low", CodeDuplicate},
		{"repeated characteristics", replace(`"reason_count": 4,`, `"reason_count": 4, "characteristics": [],`), "", "characteristics", CodeDuplicate},
		{"string for points", replace(`{"other": true, "points": 5}`, `{"other": true, "points": "5"}`), "industry", "characteristics[1].bins[1].points", CodeWrongJSONType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			card, err := DecodeScorecard([]byte(tc.data))
			var se *ScorecardError
			require.ErrorAs(t, err, &se, "decoded as %+v", card)
			assert.ErrorIs(t, err, ErrInvalidScorecard)
			assert.Equal(t, tc.reason, se.Code(), se.Error())
			assert.Equal(t, tc.path, se.Path, se.Error())
			assert.Equal(t, tc.char, se.Characteristic, se.Error())
			assert.NotEqual(t, se.Message("en"), se.Message("ru"))
		})
	}
}

// Valid cards, the documented one and what MarshalJSON writes, still decode.
func TestDecodeScorecardStrictKeysAcceptValid(t *testing.T) {
	card, err := DecodeScorecard([]byte(docCardJSON))
	require.NoError(t, err)
	out, err := json.Marshal(card)
	require.NoError(t, err)
	back, err := DecodeScorecard(out)
	require.NoError(t, err, "%s", out)
	assert.Equal(t, card, back)
}
