package rootcause

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var trainSet = []Example{
	{"коробки разбиты при перевозке", "damage"},
	{"груз повреждён перевозчиком, вмятины", "damage"},
	{"pallet crushed by the carrier", "damage"},
	{"cartons dented in transit", "damage"},
	{"поставка опоздала на неделю", "late"},
	{"груз задержали на 5 дней", "late"},
	{"delivery was late again", "late"},
	{"shipment delayed by two weeks", "late"},
	{"цена в счёте выше согласованной", "price"},
	{"скидка не применена к счёту", "price"},
	{"price on invoice is wrong", "price"},
	{"we were overcharged for freight", "price"},
}

func TestTrainAndPredict(t *testing.T) {
	for _, kind := range []ModelKind{NaiveBayes, LogisticRegression, ComplementNB} {
		t.Run(string(kind), func(t *testing.T) {
			m, err := Train(trainSet, TrainOptions{Kind: kind})
			require.NoError(t, err)
			assert.Equal(t, kind, m.Kind())
			assert.Equal(t, []string{"damage", "late", "price"}, m.Classes())
			assert.Positive(t, m.NumFeatures())
			for text, want := range map[string]string{
				"вмятины на коробках после перевозки": "damage",
				"опять опоздала поставка":             "late",
				"the invoice price is wrong":          "price",
			} {
				p := m.Predict(text)
				require.Len(t, p, 3)
				assert.Equal(t, want, p[0].Class, text)
				sum := 0.0
				for i, x := range p {
					sum += x.Probability
					if i > 0 {
						assert.LessOrEqual(t, x.Probability, p[i-1].Probability)
					}
				}
				assert.InDelta(t, 1, sum, 1e-9)
			}
			// Empty text gives the prior.
			p := m.Predict("")
			assert.InDelta(t, 1.0/3, p[0].Probability, 0.05)
		})
	}
}

func TestTrainDeterministicAndRoundTrip(t *testing.T) {
	for _, opt := range []TrainOptions{
		{Kind: NaiveBayes, NGrams: 1, Alpha: 1},
		{Kind: NaiveBayes, Binary: true, Balanced: true},
		{Kind: LogisticRegression, Balanced: true, MinDF: 1},
		{Kind: LogisticRegression, NGrams: 1, L2: 0.01, MaxIter: 50, MaxFeatures: 10},
		{Kind: LogisticRegression, NoStemming: true, MinWordRunes: 3, RawTF: true},
		{Kind: NaiveBayes, NoStemming: true, MinWordRunes: 2},
		{Kind: ComplementNB, MinWordRunes: 4},
	} {
		a, err := Train(trainSet, opt)
		require.NoError(t, err)
		b, err := Train(trainSet, opt)
		require.NoError(t, err)
		ja, err := json.Marshal(a)
		require.NoError(t, err)
		jb, err := json.Marshal(b)
		require.NoError(t, err)
		assert.Equal(t, string(ja), string(jb), "training is deterministic")
		if opt.MaxFeatures > 0 {
			assert.LessOrEqual(t, a.NumFeatures(), opt.MaxFeatures)
		}

		loaded, err := LoadModel(ja)
		require.NoError(t, err)
		again, err := json.Marshal(loaded)
		require.NoError(t, err)
		assert.Equal(t, string(ja), string(again))
		for _, ex := range trainSet {
			assert.Equal(t, a.Predict(ex.Text), loaded.Predict(ex.Text))
		}
		var viaJSON Model
		require.NoError(t, json.Unmarshal(ja, &viaJSON))
		assert.Equal(t, a.Predict("late"), viaJSON.Predict("late"))
		read, err := ReadModel(bytes.NewReader(ja))
		require.NoError(t, err)
		assert.Equal(t, a.Classes(), read.Classes())
	}
}

func TestTrainErrors(t *testing.T) {
	two := []Example{{"a", "x"}, {"b", "y"}}
	cases := []struct {
		name   string
		ex     []Example
		opt    TrainOptions
		reason Reason
		field  string
	}{
		{"no examples", nil, TrainOptions{}, ReasonEmpty, "examples"},
		{"empty label", []Example{{"a", " "}}, TrainOptions{}, ReasonEmpty, "examples[0].label"},
		{"bad label", []Example{{"a", "\xff"}}, TrainOptions{}, ReasonOutOfRange, "examples[0].label"},
		{"one class", []Example{{"a", "x"}, {"b", "x"}}, TrainOptions{}, ReasonTooFewClasses, "examples"},
		{"kind", two, TrainOptions{Kind: "svm"}, ReasonUnknownKind, "options.kind"},
		{"ngrams", two, TrainOptions{NGrams: 3}, ReasonOutOfRange, "options.ngrams"},
		{"min df", two, TrainOptions{MinDF: -1}, ReasonOutOfRange, "options.min_df"},
		{"max features", two, TrainOptions{MaxFeatures: -1}, ReasonOutOfRange, "options.max_features"},
		{"alpha", two, TrainOptions{Alpha: math.NaN()}, ReasonOutOfRange, "options.alpha"},
		{"l2", two, TrainOptions{L2: -1}, ReasonOutOfRange, "options.l2"},
		{"max iter", two, TrainOptions{MaxIter: -1}, ReasonOutOfRange, "options.max_iter"},
		{"l2 grid", two, TrainOptions{L2Grid: []float64{1e-3, 0}}, ReasonOutOfRange, "options.l2_grid"},
		{"l2 grid nan", two, TrainOptions{L2Grid: []float64{math.NaN()}}, ReasonOutOfRange, "options.l2_grid"},
		{"inner folds", two, TrainOptions{InnerFolds: 1}, ReasonOutOfRange, "options.inner_folds"},
		{"min word runes", two, TrainOptions{MinWordRunes: -1}, ReasonOutOfRange, "options.min_word_runes"},
		{"min word runes big", two, TrainOptions{MinWordRunes: 41}, ReasonOutOfRange, "options.min_word_runes"},
		{"raw tf NB", two, TrainOptions{Kind: NaiveBayes, RawTF: true}, ReasonOutOfRange, "options.raw_tf"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Train(tt.ex, tt.opt)
			require.ErrorIs(t, err, ErrInvalidTraining)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tt.reason, e.Reason)
			assert.Equal(t, tt.field, e.Field)
		})
	}
	// Texts with no words still train (on the prior).
	m, err := Train([]Example{{"", "x"}, {"!!!", "y"}, {"", "y"}}, TrainOptions{})
	require.NoError(t, err)
	assert.Equal(t, "y", m.Predict("anything")[0].Class)
}

func validModelJSON(t *testing.T) map[string]any {
	m, err := Train(trainSet, TrainOptions{Kind: LogisticRegression, NGrams: 1, MaxFeatures: 5})
	require.NoError(t, err)
	data, err := json.Marshal(m)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	return doc
}

func TestLoadModelErrors(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(d map[string]any)
		reason Reason
		field  string
	}{
		{"format", func(d map[string]any) { d["format"] = "other" }, ReasonUnknownFormat, "format"},
		{"version", func(d map[string]any) { d["version"] = 5 }, ReasonBadVersion, "version"},
		{"version 0", func(d map[string]any) { d["version"] = 0 }, ReasonBadVersion, "version"},
		{"complement in version 1", func(d map[string]any) { d["kind"] = "complement_naive_bayes"; delete(d, "idf") },
			ReasonUnknownKind, "kind"},
		{"kind", func(d map[string]any) { d["kind"] = "svm" }, ReasonUnknownKind, "kind"},
		{"ngrams", func(d map[string]any) { d["ngrams"] = 5 }, ReasonOutOfRange, "ngrams"},
		{"binary LR", func(d map[string]any) { d["binary"] = true }, ReasonOutOfRange, "binary"},
		{"one class", func(d map[string]any) { d["classes"] = []any{"a"} }, ReasonTooFewClasses, "classes"},
		{"empty class", func(d map[string]any) { d["classes"].([]any)[1] = "" }, ReasonEmpty, "classes[1]"},
		{"dup class", func(d map[string]any) { d["classes"].([]any)[1] = d["classes"].([]any)[0] }, ReasonDuplicate, "classes[1]"},
		{"long class", func(d map[string]any) { d["classes"].([]any)[0] = strings.Repeat("x", 200) }, ReasonOutOfRange, "classes[0]"},
		{"empty term", func(d map[string]any) { d["terms"].([]any)[0] = "" }, ReasonEmpty, "terms[0]"},
		{"dup term", func(d map[string]any) { d["terms"].([]any)[1] = d["terms"].([]any)[0] }, ReasonDuplicate, "terms[1]"},
		{"bias size", func(d map[string]any) { d["bias"] = []any{1.0} }, ReasonShapeMismatch, "bias"},
		{"bias huge", func(d map[string]any) { d["bias"].([]any)[0] = 1e300 }, ReasonNotFinite, "bias[0]"},
		{"idf size", func(d map[string]any) { d["idf"] = []any{1.0} }, ReasonShapeMismatch, "idf"},
		{"idf zero", func(d map[string]any) { d["idf"].([]any)[0] = 0.0 }, ReasonNotFinite, "idf[0]"},
		{"nb idf", func(d map[string]any) { d["kind"] = "naive_bayes" }, ReasonShapeMismatch, "idf"},
		{"weights rows", func(d map[string]any) { d["weights"] = []any{} }, ReasonShapeMismatch, "weights"},
		{"weights cols", func(d map[string]any) { d["weights"].([]any)[2] = []any{1.0} }, ReasonShapeMismatch, "weights[2]"},
		{"weight huge", func(d map[string]any) { d["weights"].([]any)[0].([]any)[1] = -2e6 }, ReasonNotFinite, "weights[0][1]"},
		{"unstemmed in version 1", func(d map[string]any) { d["unstemmed"] = true }, ReasonBadVersion, "version"},
		{"raw tf in version 2", func(d map[string]any) { d["version"] = 2; d["raw_tf"] = true }, ReasonBadVersion, "version"},
		{"min word runes in version 1", func(d map[string]any) { d["min_word_runes"] = 2 }, ReasonBadVersion, "version"},
		{"negation in version 3", func(d map[string]any) { d["version"] = 3; d["negation"] = true }, ReasonBadVersion, "version"},
		{"min word runes 1", func(d map[string]any) { d["version"] = 3; d["min_word_runes"] = 1 }, ReasonOutOfRange, "min_word_runes"},
		{"min word runes 41", func(d map[string]any) { d["version"] = 3; d["min_word_runes"] = 41 }, ReasonOutOfRange, "min_word_runes"},
		{"raw tf NB", func(d map[string]any) {
			d["version"] = 3
			d["raw_tf"] = true
			d["kind"] = "naive_bayes"
			delete(d, "idf")
		},
			ReasonOutOfRange, "raw_tf"},
		{"unknown field", func(d map[string]any) { d["extra"] = 1 }, ReasonMalformedJSON, "extra"},
		{"wrong type", func(d map[string]any) { d["terms"] = "x" }, ReasonMalformedJSON, "terms"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			doc := validModelJSON(t)
			tt.edit(doc)
			data, err := json.Marshal(doc)
			require.NoError(t, err)
			_, err = LoadModel(data)
			require.ErrorIs(t, err, ErrInvalidModel)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tt.reason, e.Reason, err.Error())
			assert.Equal(t, tt.field, e.Field)
			assert.NotEmpty(t, e.Message("ru"))
		})
	}
	for name, data := range map[string]string{
		"empty":    "",
		"garbage":  "\x00\xff",
		"array":    "[]",
		"trailing": `{"format":"crmkit.rootcause.model"} {}`,
		"null":     "null",
	} {
		_, err := LoadModel([]byte(data))
		assert.ErrorIs(t, err, ErrInvalidModel, name)
	}
	_, err := readModel(strings.NewReader(strings.Repeat(" ", 101)), 100)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ReasonTooLarge, e.Reason)
	_, err = ReadModel(errReader{})
	assert.ErrorIs(t, err, ErrInvalidModel)
	var m Model
	assert.ErrorIs(t, m.UnmarshalJSON([]byte("{}")), ErrInvalidModel)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

// TestModelVersions: naive Bayes and logistic regression models are
// still written as version 1 (readable by older readers), complement
// naive Bayes as version 2, models with a feature option of version 3 as
// version 3, and every version loads back to the same predictions.
func TestModelVersions(t *testing.T) {
	cases := []struct {
		name    string
		opt     TrainOptions
		version float64
	}{
		{"naive Bayes", TrainOptions{Kind: NaiveBayes}, 1},
		{"logistic regression", TrainOptions{Kind: LogisticRegression}, 1},
		{"min word runes 1 is the default", TrainOptions{Kind: LogisticRegression, MinWordRunes: 1}, 1},
		{"complement naive Bayes", TrainOptions{Kind: ComplementNB}, 2},
		{"unstemmed", TrainOptions{Kind: NaiveBayes, NoStemming: true}, 3},
		{"min word runes", TrainOptions{Kind: ComplementNB, MinWordRunes: 2}, 3},
		{"raw tf", TrainOptions{Kind: LogisticRegression, RawTF: true}, 3},
		{"negation", TrainOptions{Kind: NaiveBayes, MarkNegation: true}, 4},
		{"negation and bigrams", TrainOptions{Kind: LogisticRegression, MarkNegation: true}, 4},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Train(trainSet, tt.opt)
			require.NoError(t, err)
			data, err := json.Marshal(m)
			require.NoError(t, err)
			var doc map[string]any
			require.NoError(t, json.Unmarshal(data, &doc))
			assert.Equal(t, tt.version, doc["version"])
			back, err := LoadModel(data)
			require.NoError(t, err)
			assert.Equal(t, m.Predict("груз разбит, цена выше"), back.Predict("груз разбит, цена выше"))
			// A document may also say a newer version than it needs.
			for v := int(tt.version) + 1; v <= modelVersion; v++ {
				doc["version"] = v
				data2, err := json.Marshal(doc)
				require.NoError(t, err)
				_, err = LoadModel(data2)
				assert.NoError(t, err)
			}
		})
	}
}

// MarkNegation makes a negated word a feature of its own, in unigrams
// and in bigrams; the negation cue itself stays a plain feature, and a
// word outside the negation's reach (another clause, past the window)
// stays plain.
func TestMarkNegation(t *testing.T) {
	ex := []Example{
		{"упаковка не повреждена, товар повреждён", "a"},
		{"the box was not damaged but the unit is", "b"},
	}
	terms := func(opt TrainOptions) []string {
		m, err := Train(ex, opt)
		require.NoError(t, err)
		return m.terms
	}
	uni := terms(TrainOptions{Kind: NaiveBayes, NGrams: 1, MarkNegation: true})
	assert.Contains(t, uni, "¬поврежд")
	assert.Contains(t, uni, "поврежд", "the second clause is not negated")
	assert.Contains(t, uni, "не")
	assert.Contains(t, uni, "¬damag")
	assert.Contains(t, uni, "not")
	assert.NotContains(t, uni, "¬not")
	bi := terms(TrainOptions{Kind: NaiveBayes, NGrams: 2, MarkNegation: true})
	assert.Contains(t, bi, "не ¬поврежд")
	assert.Contains(t, bi, "упаковк не")
	plain := terms(TrainOptions{Kind: NaiveBayes, NGrams: 1})
	assert.NotContains(t, strings.Join(plain, " "), "¬")

	m, err := Train(ex, TrainOptions{Kind: NaiveBayes, NGrams: 1, MarkNegation: true})
	require.NoError(t, err)
	data, err := json.Marshal(m)
	require.NoError(t, err)
	back, err := LoadModel(data)
	require.NoError(t, err)
	assert.Equal(t, m.Predict("не повреждена"), back.Predict("не повреждена"))
}

// TestFeatureOptions: NoStemming keeps words whole, MinWordRunes drops
// short words (and bigrams join the words either side of them), and
// RawTF weighs a repeated word by its count.
func TestFeatureOptions(t *testing.T) {
	ex := []Example{{"the parcels arrived damaged x damaged", "damage"}, {"paid twice on the invoice", "price"}}
	terms := func(opt TrainOptions) []string {
		m, err := Train(ex, opt)
		require.NoError(t, err)
		return m.terms
	}
	stemmed := terms(TrainOptions{NGrams: 1})
	assert.Contains(t, stemmed, "parcel")
	assert.Contains(t, stemmed, "x")
	assert.NotContains(t, stemmed, "parcels")
	words := terms(TrainOptions{NGrams: 1, NoStemming: true})
	assert.Contains(t, words, "parcels")
	assert.NotContains(t, words, "parcel")
	long := terms(TrainOptions{NGrams: 2, NoStemming: true, MinWordRunes: 2})
	assert.NotContains(t, long, "x")
	assert.Contains(t, long, "damaged damaged", "a bigram joins the words either side of a dropped one")
	assert.Contains(t, long, "on the")

	count := func(opt TrainOptions) float64 {
		m, err := Train(ex, opt)
		require.NoError(t, err)
		a := getAnalyzer()
		defer putAnalyzer(a)
		ids := m.featureIDs(a.analyze("damaged damaged damaged parcels", DefaultMaxTextBytes).tokens, new(featBuf), nil)
		idx, val := m.vector(ids, nil, nil)
		require.Len(t, idx, 2)
		return val[0] / val[1] // "damaged" over "parcels": same idf
	}
	assert.InDelta(t, 3, count(TrainOptions{NGrams: 1, NoStemming: true, RawTF: true}), 1e-12)
	assert.InDelta(t, 1+math.Log(3), count(TrainOptions{NGrams: 1, NoStemming: true}), 1e-12)
}

// TestLRConverges: L-BFGS ends at the optimum of the penalised loss (its
// gradient is about zero) well within the iteration budget.
func TestLRConverges(t *testing.T) {
	m, err := Train(trainSet, TrainOptions{L2: 1e-2})
	require.NoError(t, err)
	assert.Less(t, m.fit.gradMax, 1e-5)
	assert.Less(t, m.fit.iterations, defaultMaxIter)
}

// TestSelectL2 checks the inner cross-validation: deterministic, picks a
// candidate of the grid, and Train with a grid equals Train with the
// penalty it chose.
func TestSelectL2(t *testing.T) {
	ex := append(append([]Example(nil), trainSet...), trainSet...)
	opt, err := TrainOptions{L2Grid: []float64{1e-4, 1e-2, 1}}.withDefaults()
	require.NoError(t, err)
	l2 := selectL2(ex, opt)
	assert.Contains(t, opt.L2Grid, l2)
	assert.Equal(t, l2, selectL2(ex, opt))
	a, err := Train(ex, TrainOptions{L2Grid: opt.L2Grid})
	require.NoError(t, err)
	b, err := Train(ex, TrainOptions{L2: l2})
	require.NoError(t, err)
	assert.Equal(t, a.Predict("цена выше"), b.Predict("цена выше"))
}

func TestMacroF1(t *testing.T) {
	ex := []Example{{"", "a"}, {"", "a"}, {"", "b"}, {"", "b"}}
	assert.InDelta(t, 1.0, macroF1(ex, []string{"a", "a", "b", "b"}), 1e-12)
	assert.InDelta(t, (2.0/3+0.8)/2, macroF1(ex, []string{"a", "a", "a", "b"}), 1e-12)
}

// A model document that declares many classes and terms but carries no
// weights is refused before the weight matrix (terms × classes) is
// allocated: what a refused model costs is bounded by its size, not by
// the dimensions it claims.
func TestLoadModelChecksShapesBeforeAllocating(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"format":"crmkit.rootcause.model","version":1,"kind":"naive_bayes","ngrams":1,"classes":[`)
	for k := range 1024 {
		if k > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"c%d"`, k)
	}
	b.WriteString(`],"terms":[`)
	for i := range 20000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"t%d"`, i)
	}
	b.WriteString(`],"bias":[],"weights":[]}`)
	doc := []byte(b.String())

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := LoadModel(doc)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrInvalidModel)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("input %d bytes, allocated %d bytes", len(doc), allocated)
	// 1024 × 20000 weights would be 164 MB; the document is 176 KB.
	assert.Less(t, allocated, uint64(64*len(doc)), "a refused model cost far more memory than its size")
}
