package rootcause

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The embedded corpus covers every code of the default taxonomy in both
// languages, with no text twice.
func TestBuiltinCorpus(t *testing.T) {
	ex := BuiltinCorpus()
	require.NotEmpty(t, ex)
	perCode := map[string][2]int{}
	seen := map[string]bool{}
	for _, e := range ex {
		_, known := DefaultTaxonomy().Category(Code(e.Label))
		require.True(t, known, "unknown code %q", e.Label)
		assert.False(t, seen[e.Text], "text twice: %q", e.Text)
		seen[e.Text] = true
		n := perCode[e.Label]
		if isCyrillicText(e.Text) {
			n[0]++
		} else {
			n[1]++
		}
		perCode[e.Label] = n
	}
	for _, c := range DefaultTaxonomy().Categories() {
		n := perCode[string(c.Code)]
		assert.GreaterOrEqual(t, n[0], 90, "%s: Russian claims", c.Code)
		assert.GreaterOrEqual(t, n[1], 90, "%s: English claims", c.Code)
	}
	// A new slice each time: changing it does not reach the model.
	ex[0].Label = "CHANGED"
	assert.NotEqual(t, "CHANGED", BuiltinCorpus()[0].Label)
}

func TestReadCorpusErrors(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"bad json":        {"c/OTHER.en.jsonl": {Data: []byte(`{"code":"OTHER","text":`)}},
		"unknown field":   {"c/OTHER.en.jsonl": {Data: []byte(`{"code":"OTHER","text":"x","id":1}`)}},
		"code mismatch":   {"c/OTHER.en.jsonl": {Data: []byte(`{"code":"SERVICE","text":"x"}`)}},
		"empty text":      {"c/OTHER.en.jsonl": {Data: []byte(`{"code":"OTHER","text":"  "}`)}},
		"text not string": {"c/OTHER.en.jsonl": {Data: []byte(`{"code":"OTHER","text":5}`)}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := readCorpus(fsys, "c")
			assert.Error(t, err)
		})
	}
	ex, err := readCorpus(fstest.MapFS{
		"c/B.en.jsonl": {Data: []byte("{\"code\":\"B\",\"text\":\"second\"}\n\n")},
		"c/A.ru.jsonl": {Data: []byte("{\"code\":\"A\",\"text\":\"первый\"}\n")},
	}, "c")
	require.NoError(t, err)
	assert.Equal(t, []Example{{Text: "первый", Label: "A"}, {Text: "second", Label: "B"}}, ex)
}

// The built-in model is trained once and is the model Default blends.
func TestBuiltinModel(t *testing.T) {
	m := BuiltinModel()
	assert.Same(t, m, BuiltinModel())
	assert.Equal(t, NaiveBayes, m.Kind())
	assert.Len(t, m.Classes(), len(DefaultTaxonomy().Categories()))

	r := Default().Categorize("Поставку обещали к пятнице, прошла неделя — машины так и нет, бригада простаивает.", Facts{})
	assert.True(t, r.UsedModel)
	assert.Equal(t, LateDelivery, r.Best().Code)
	assert.Positive(t, r.Best().ModelProbability)
	assert.Positive(t, countKind(r.Best().Evidence, EvidenceModel), "model evidence is reported")
	assert.Positive(t, countKind(r.Best().Evidence, EvidenceTerm), "rule evidence is reported")

	rules := RulesOnly().Categorize("Поставку обещали к пятнице, прошла неделя — машины так и нет, бригада простаивает.", Facts{})
	assert.False(t, rules.UsedModel)
	assert.Same(t, RulesOnly(), RulesOnly())
}
