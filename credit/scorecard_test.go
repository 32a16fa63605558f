package credit

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScoreHandComputed(t *testing.T) {
	s := mustScorer(t, smallCard())
	lo, hi := s.Range()
	assert.Equal(t, 495.0, lo) // 500 + 0 + 0 + (-5)
	assert.Equal(t, 585.0, hi) // 500 + 40 + 30 + 15

	tests := []struct {
		name    string
		in      map[string]Value
		total   float64
		grade   string
		bins    []int
		reasons []string
	}{
		{"doc example", map[string]Value{"utilisation": Number(0.82), "years": Number(5), "industry": Category("retail")},
			545, "B", []int{2, 1, 0}, []string{"high_utilisation"}},
		{"everything missing", nil,
			505, "C", []int{MissingBin, MissingBin, MissingBin}, []string{"high_utilisation", "years", "industry"}},
		{"best bins", map[string]Value{"utilisation": Number(0.1), "years": Number(2), "industry": Category("wholesale")},
			585, "A", []int{0, 1, 0}, []string{}},
		{"lower bound is in the bin", map[string]Value{"utilisation": Number(0.3), "years": Number(1.999), "industry": Category("construction")},
			525, "C", []int{1, 0, 1}, []string{"years", "high_utilisation", "industry"}},
		{"upper bound is not", map[string]Value{"utilisation": Number(0.7), "years": Number(-3), "industry": Category("mining")},
			500, "C", []int{2, 0, 2}, []string{"high_utilisation", "years", "industry"}},
		{"explicit missing", map[string]Value{"utilisation": Missing, "years": Number(1e300), "industry": Category("retail")},
			555, "B", []int{MissingBin, 1, 0}, []string{"high_utilisation"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := s.Score(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.total, sc.Total)
			assert.Equal(t, tc.grade, sc.Grade)
			require.Len(t, sc.Points, 3)
			sum := sc.Base
			for i, p := range sc.Points {
				assert.Equal(t, tc.bins[i], p.Bin, p.Name)
				sum += p.Points
			}
			assert.Equal(t, sc.Total, sum)
			codes := []string{}
			for _, r := range sc.Reasons {
				codes = append(codes, r.Code)
				assert.NotEmpty(t, r.Message("en"))
				assert.NotEmpty(t, r.Message("ru"))
			}
			assert.Equal(t, tc.reasons, codes)
		})
	}
}

func TestScoreReasonTexts(t *testing.T) {
	s := mustScorer(t, smallCard())
	sc, err := s.Score(map[string]Value{"utilisation": Number(0.5), "years": Number(1)})
	require.NoError(t, err)
	// utilisation lost 20, years 30, industry (missing, -5) 20: years first, then the tie in card order
	require.Len(t, sc.Reasons, 3)
	assert.Equal(t, Reason{Code: "years", EN: "years: 0 of 30 possible points", RU: "years: 0 из 30 возможных баллов"}, sc.Reasons[0])
	assert.Equal(t, "Высокая загрузка кредитной линии", sc.Reasons[1].Message("ru-RU"))
	assert.Equal(t, "High utilisation of the credit line", sc.Reasons[1].Message("en"))
	assert.Equal(t, "industry: нет данных, -5 из 15 возможных баллов", sc.Reasons[2].Message("ru"))
	assert.Equal(t, 20.0, sc.Points[0].Lost())
}

func TestScoreReasonCount(t *testing.T) {
	card := Scorecard{BasePoints: 0}
	for i := range 7 {
		card.Characteristics = append(card.Characteristics, Characteristic{
			Name: string(rune('a' + i)), Kind: Numeric, Bins: []Bin{Below(0, 0), AtLeast(0, float64(10+i))}})
	}
	s := mustScorer(t, card)
	sc, err := s.Score(nil) // every characteristic missing: 0 points, lost 10+i
	require.NoError(t, err)
	require.Len(t, sc.Reasons, DefaultReasonCount)
	assert.Equal(t, []string{"g", "f", "e", "d"}, codesOf(sc.Reasons))

	card.ReasonCount = 2
	s = mustScorer(t, card)
	sc, err = s.Score(nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"g", "f"}, codesOf(sc.Reasons))
}

func codesOf(rs []Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

func TestScoreBadInput(t *testing.T) {
	s := mustScorer(t, smallCard())
	closed := smallCard()
	closed.Characteristics[1].Bins = []Bin{Between(0, 2, 0), Between(2, 100, 30)}
	closed.Characteristics[2].Bins = closed.Characteristics[2].Bins[:2]
	sClosed := mustScorer(t, closed)
	tests := []struct {
		name   string
		s      *Scorer
		in     map[string]Value
		field  string
		reason string
	}{
		{"unknown characteristic", s, map[string]Value{"years": Number(1), "utilization": Number(0.2)}, `inputs["utilization"]`, CodeUnknownInput},
		{"NaN", s, map[string]Value{"utilisation": Number(math.NaN())}, `inputs["utilisation"]`, CodeNotFinite},
		{"+Inf", s, map[string]Value{"utilisation": Number(math.Inf(1))}, `inputs["utilisation"]`, CodeNotFinite},
		{"category for numeric", s, map[string]Value{"years": Category("five")}, `inputs["years"]`, CodeWrongKind},
		{"number for categorical", s, map[string]Value{"industry": Number(3)}, `inputs["industry"]`, CodeWrongKind},
		{"unknown category", sClosed, map[string]Value{"industry": Category("mining")}, `inputs["industry"]`, CodeUnknownCat},
		{"below every bin", sClosed, map[string]Value{"years": Number(-1)}, `inputs["years"]`, CodeOutsideBins},
		{"above every bin", sClosed, map[string]Value{"years": Number(100)}, `inputs["years"]`, CodeOutsideBins},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.s.Score(tc.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidInput)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tc.field, ie.Field)
			assert.Equal(t, tc.reason, ie.Code())
			assert.Contains(t, ie.Message("ru"), "поле "+tc.field)
		})
	}
}

func TestScorecardValidation(t *testing.T) {
	mod := func(f func(*Scorecard)) Scorecard {
		c := smallCard()
		f(&c)
		return c
	}
	tests := []struct {
		name   string
		card   Scorecard
		char   string
		path   string
		reason string
	}{
		{"gap", mod(func(c *Scorecard) {
			c.Characteristics[0].Bins = []Bin{Below(0.3, 40), Between(0.4, 0.7, 20), AtLeast(0.7, 0)}
		}),
			"utilisation", "characteristics[0].bins", CodeBinsGap},
		{"overlap", mod(func(c *Scorecard) {
			c.Characteristics[0].Bins = []Bin{Below(0.3, 40), Between(0.25, 0.7, 20), AtLeast(0.7, 0)}
		}),
			"utilisation", "characteristics[0].bins", CodeBinsOverlap},
		{"two open lows overlap", mod(func(c *Scorecard) { c.Characteristics[1].Bins = []Bin{Below(2, 0), Below(3, 1), AtLeast(3, 30)} }),
			"years", "characteristics[1].bins", CodeBinsOverlap},
		{"overlap given out of order", mod(func(c *Scorecard) { c.Characteristics[1].Bins = []Bin{AtLeast(1, 30), Below(2, 0)} }),
			"years", "characteristics[1].bins", CodeBinsOverlap},
		{"empty bin", mod(func(c *Scorecard) { c.Characteristics[1].Bins = []Bin{Below(2, 0), Between(2, 2, 5), AtLeast(2, 30)} }),
			"years", "characteristics[1].bins[1]", CodeBinEmpty},
		{"NaN bound", mod(func(c *Scorecard) { c.Characteristics[1].Bins[0].High = math.NaN() }),
			"years", "characteristics[1].bins[0]", CodeWrongKind},
		{"values on numeric", mod(func(c *Scorecard) { c.Characteristics[1].Bins[0].Values = []string{"x"} }),
			"years", "characteristics[1].bins[0]", CodeWrongKind},
		{"bounds on categorical", mod(func(c *Scorecard) { c.Characteristics[2].Bins[0].High = 3 }),
			"industry", "characteristics[2].bins[0]", CodeWrongKind},
		{"category twice", mod(func(c *Scorecard) { c.Characteristics[2].Bins[1].Values = []string{"construction", "retail"} }),
			"industry", "characteristics[2].bins[1].values[1]", CodeBinsOverlap},
		{"two other bins", mod(func(c *Scorecard) { c.Characteristics[2].Bins[1] = OtherValues(3) }),
			"industry", "characteristics[2].bins[2].other", CodeBinsOverlap},
		{"empty value set", mod(func(c *Scorecard) { c.Characteristics[2].Bins[1].Values = nil }),
			"industry", "characteristics[2].bins[1].values", CodeRequired},
		{"empty category", mod(func(c *Scorecard) { c.Characteristics[2].Bins[1].Values = []string{""} }),
			"industry", "characteristics[2].bins[1].values[0]", CodeRequired},
		{"duplicate name", mod(func(c *Scorecard) { c.Characteristics[2].Name = "years" }),
			"years", "characteristics[2].name", CodeDuplicate},
		{"no name", mod(func(c *Scorecard) { c.Characteristics[1].Name = "" }),
			"", "characteristics[1].name", CodeRequired},
		{"no kind", mod(func(c *Scorecard) { c.Characteristics[1].Kind = "" }),
			"years", "characteristics[1].kind", CodeRequired},
		{"unknown kind", mod(func(c *Scorecard) { c.Characteristics[1].Kind = "ordinal" }),
			"years", "characteristics[1].kind", CodeUnknownValue},
		{"no bins", mod(func(c *Scorecard) { c.Characteristics[1].Bins = nil }),
			"years", "characteristics[1].bins", CodeRequired},
		{"NaN points", mod(func(c *Scorecard) { c.Characteristics[1].Bins[1].Points = math.NaN() }),
			"years", "characteristics[1].bins[1].points", CodeNotFinite},
		{"huge points", mod(func(c *Scorecard) { c.Characteristics[1].MissingPoints = 2e9 }),
			"years", "characteristics[1].missing.points", CodeOutOfRange},
		{"infinite base", mod(func(c *Scorecard) { c.BasePoints = math.Inf(1) }),
			"", "base_points", CodeNotFinite},
		{"half a reason", mod(func(c *Scorecard) { c.Characteristics[1].Reason = Reason{EN: "Young company"} }),
			"years", "characteristics[1].reason", CodeRequired},
		{"no characteristics", Scorecard{}, "", "characteristics", CodeRequired},
		{"negative reason count", mod(func(c *Scorecard) { c.ReasonCount = -1 }), "", "reason_count", CodeOutOfRange},
		{"grade gap", mod(func(c *Scorecard) { c.Grades[1].Low = 540 }), "", "grades", CodeBinsGap},
		{"grade overlap", mod(func(c *Scorecard) { c.Grades[1].High = 570 }), "", "grades", CodeBinsOverlap},
		{"grades do not cover the top", mod(func(c *Scorecard) { c.Grades[0].High = 585 }), "", "grades", CodeGradesCoverage},
		{"grades do not cover the bottom", mod(func(c *Scorecard) { c.Grades[2].Low = 500 }), "", "grades", CodeGradesCoverage},
		{"duplicate grade", mod(func(c *Scorecard) { c.Grades[2].Grade = "A" }), "A", "grades[2].grade", CodeDuplicate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.card.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidScorecard)
			assert.ErrorIs(t, err, ErrInvalidInput)
			var se *ScorecardError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.char, se.Characteristic)
			assert.Equal(t, tc.path, se.Path)
			assert.Equal(t, tc.reason, se.Code())
			if tc.char != "" {
				assert.Contains(t, se.Error(), tc.char)
				assert.Contains(t, se.Message("ru"), tc.char)
			}
			_, err = NewScorer(tc.card)
			assert.Error(t, err)
		})
	}
}

func TestScorecardGapMessage(t *testing.T) {
	c := smallCard()
	c.Characteristics[0].Bins = []Bin{Below(0.3, 40), Between(0.4, 0.7, 20), AtLeast(0.7, 0)}
	err := c.Validate()
	assert.EqualError(t, err, `credit: scorecard: characteristics[0].bins (characteristic "utilisation") has a gap between bins: no bin holds [0.3, 0.4) (between bins 0 and 1)`)
}

func TestScorerIsACopy(t *testing.T) {
	c := smallCard()
	s := mustScorer(t, c)
	c.Characteristics[0].Bins[0].Points = 1000
	c.Characteristics[2].Bins[0].Values[0] = "mining"
	sc, err := s.Score(map[string]Value{"utilisation": Number(0.1), "industry": Category("retail")})
	require.NoError(t, err)
	assert.Equal(t, 40.0, sc.Points[0].Points)
	assert.Equal(t, 15.0, sc.Points[2].Points)
	assert.Equal(t, 40.0, s.Card().Characteristics[0].Bins[0].Points)
}

const docCardJSON = `{
  "name": "smb-2026",
  "base_points": 500,
  "reason_count": 4,
  "characteristics": [
    {"name": "utilisation", "kind": "numeric",
     "reason": {"code": "high_utilisation", "en": "High utilisation", "ru": "Высокая загрузка лимита"},
     "bins": [{"high": 0.3, "points": 40}, {"low": 0.3, "high": 0.7, "points": 20}, {"low": 0.7, "points": 0}],
     "missing": {"points": 10}},
    {"name": "industry", "kind": "categorical",
     "bins": [{"values": ["retail", "wholesale"], "points": 15}, {"other": true, "points": 5}],
     "missing": {"points": 0}}
  ],
  "grades": [{"grade": "A", "low": 560}, {"grade": "B", "low": 530, "high": 560}, {"grade": "C", "high": 530}]
}`

func TestDecodeScorecard(t *testing.T) {
	card, err := DecodeScorecard([]byte(docCardJSON))
	require.NoError(t, err)
	assert.Equal(t, "smb-2026", card.Name)
	require.Len(t, card.Characteristics, 2)
	u := card.Characteristics[0]
	assert.Equal(t, Numeric, u.Kind)
	assert.Equal(t, []Bin{Below(0.3, 40), Between(0.3, 0.7, 20), AtLeast(0.7, 0)}, u.Bins)
	assert.Equal(t, 10.0, u.MissingPoints)
	assert.Equal(t, "high_utilisation", u.Reason.Code)
	assert.Equal(t, []Bin{OneOf(15, "retail", "wholesale"), OtherValues(5)}, card.Characteristics[1].Bins)
	assert.Equal(t, GradeBand{Grade: "C", Low: negInf, High: 530}, card.Grades[2])

	// round trip
	out, err := json.Marshal(card)
	require.NoError(t, err)
	back, err := DecodeScorecard(out)
	require.NoError(t, err)
	assert.Equal(t, card, back)

	var viaUnmarshal Scorecard
	require.NoError(t, json.Unmarshal([]byte(docCardJSON), &viaUnmarshal))
	assert.Equal(t, card, viaUnmarshal)

	s := mustScorer(t, card)
	sc, err := s.Score(map[string]Value{"utilisation": Number(0.82), "industry": Category("bank")})
	require.NoError(t, err)
	assert.Equal(t, 505.0, sc.Total)
	assert.Equal(t, "C", sc.Grade)
}

func TestDecodeScorecardErrors(t *testing.T) {
	replace := func(old, new string) string {
		require.Contains(t, docCardJSON, old)
		return strings.Replace(docCardJSON, old, new, 1)
	}
	tests := []struct {
		name   string
		data   string
		char   string
		path   string
		reason string
	}{
		{"empty", "", "", "", CodeMalformedJSON},
		{"not JSON", "{", "", "", CodeMalformedJSON},
		{"syntax", `{"characteristics": [,]}`, "", "", CodeMalformedJSON},
		{"trailing data", docCardJSON + " {}", "", "", CodeMalformedJSON},
		{"null", "null", "", "characteristics", CodeRequired},
		{"array", "[]", "", "", CodeWrongJSONType},
		{"unknown field", replace(`"reason_count": 4`, `"reason_cuont": 4`), "", "reason_cuont", CodeUnknownField},
		{"wrong type", replace(`"low": 0.3, "high": 0.7`, `"low": "0.3", "high": 0.7`), "utilisation", "characteristics[0].bins[1].low", CodeWrongJSONType},
		{"number too large", replace(`"points": 40`, `"points": 1e999`), "utilisation", "characteristics[0].bins[0].points", CodeWrongJSONType},
		{"unknown field in a bin", replace(`{"high": 0.3, "points": 40}`, `{"hgih": 0.3, "points": 40}`), "utilisation", "characteristics[0].bins[0].hgih", CodeUnknownField},
		{"unknown field in a characteristic", replace(`"kind": "categorical"`, `"kind": "categorical", "weight": 2`), "industry", "characteristics[1].weight", CodeUnknownField},
		{"wrong type of name", replace(`"name": "industry"`, `"name": 7`), "", "characteristics[1].name", CodeWrongJSONType},
		{"bins not an array", replace(`[{"values": ["retail", "wholesale"], "points": 15}, {"other": true, "points": 5}]`, `{"a": 1}`), "industry", "characteristics[1].bins", CodeWrongJSONType},
		{"no missing bin", replace(`,
     "missing": {"points": 10}`, ``), "utilisation", "characteristics[0].missing", CodeRequired},
		{"no missing points", replace(`"missing": {"points": 10}`, `"missing": {}`), "utilisation", "characteristics[0].missing.points", CodeRequired},
		{"no bin points", replace(`{"high": 0.3, "points": 40}`, `{"high": 0.3}`), "utilisation", "characteristics[0].bins[0].points", CodeRequired},
		{"gap", replace(`{"low": 0.3, "high": 0.7, "points": 20}`, `{"low": 0.35, "high": 0.7, "points": 20}`), "utilisation", "characteristics[0].bins", CodeBinsGap},
		{"overlap", replace(`{"low": 0.7, "points": 0}`, `{"low": 0.6, "points": 0}`), "utilisation", "characteristics[0].bins", CodeBinsOverlap},
		{"low on categorical", replace(`{"other": true, "points": 5}`, `{"other": true, "low": 1, "points": 5}`), "industry", "characteristics[1].bins[1]", CodeWrongKind},
		{"values on numeric", replace(`{"high": 0.3, "points": 40}`, `{"high": 0.3, "values": ["a"], "points": 40}`), "utilisation", "characteristics[0].bins[0]", CodeWrongKind},
		{"category in two bins", replace(`{"other": true, "points": 5}`, `{"values": ["retail"], "points": 5}`), "industry", "characteristics[1].bins[1].values[0]", CodeBinsOverlap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeScorecard([]byte(tc.data))
			require.Error(t, err)
			var se *ScorecardError
			require.ErrorAs(t, err, &se, err.Error())
			assert.ErrorIs(t, err, ErrInvalidScorecard)
			assert.Equal(t, tc.reason, se.Code(), se.Error())
			assert.Equal(t, tc.path, se.Path, se.Error())
			assert.Equal(t, tc.char, se.Characteristic)
			assert.NotEmpty(t, se.Message("ru"))
		})
	}
	_, err := DecodeScorecard([]byte(strings.Repeat(" ", MaxScorecardJSON+1)))
	var se *ScorecardError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, CodeTooLarge, se.Code())
}

func TestMarshalInvalidCard(t *testing.T) {
	c := smallCard()
	c.Characteristics[0].Bins[0].Points = math.NaN()
	_, err := json.Marshal(c)
	assert.ErrorIs(t, err, ErrInvalidScorecard)
}
