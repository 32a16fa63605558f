package rootcause

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/internal/strictjson"
)

// A repeated key, or a key in another case, must be refused with an
// *Error matching ErrInvalidModel and naming the JSON path, never loaded
// with the last copy winning.
func TestLoadModelStrictKeysNamePath(t *testing.T) {
	base, err := json.Marshal(validModelJSON(t))
	require.NoError(t, err)
	doc := string(base)
	require.True(t, strings.HasPrefix(doc, "{"))
	with := func(extra string) []byte { return []byte("{" + extra + "," + doc[1:]) }
	cases := []struct {
		name   string
		data   []byte
		field  string
		reason Reason
	}{
		{"repeated kind", with(`"kind":"naive_bayes"`), "kind", ReasonDuplicate},
		{"repeated weights", with(`"weights":[]`), "weights", ReasonDuplicate},
		{"case-variant kind", with(`"KIND":"naive_bayes"`), "KIND", ReasonMalformedJSON},
		{"case-variant classes", with(`"Classes":["x","y"]`), "Classes", ReasonMalformedJSON},
		{"string weight", []byte(strings.Replace(doc, `"weights":[[`, `"weights":[["1",`, 1)), "weights[0][0]", ReasonMalformedJSON},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := LoadModel(c.data)
			require.ErrorIs(t, err, ErrInvalidModel, "loaded %v", m)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, c.reason, e.Reason, e.Error())
			assert.Equal(t, c.field, e.Field, e.Error())
			assert.NotEqual(t, e.Message("en"), e.Message("ru"))
		})
	}
}

// Every model Train writes still loads.
func TestLoadModelStrictKeysAcceptValid(t *testing.T) {
	for _, opt := range []TrainOptions{{Kind: NaiveBayes}, {Kind: LogisticRegression, NGrams: 1}, {Kind: ComplementNB},
		{Kind: LogisticRegression, NoStemming: true, MinWordRunes: 2, RawTF: true}, {Kind: NaiveBayes, NGrams: 2, MarkNegation: true}} {
		m, err := Train(trainSet, opt)
		require.NoError(t, err)
		data, err := json.Marshal(m)
		require.NoError(t, err)
		_, err = LoadModel(data)
		require.NoError(t, err, "%+v", opt)
	}
}

// The built-in corpus is embedded, not user input, and read without
// strictjson; this keeps its lines free of repeated or case-variant keys.
func TestBuiltinCorpusHasStrictKeys(t *testing.T) {
	type record struct {
		Code string `json:"code"`
		Text string `json:"text"`
	}
	names, err := fs.Glob(corpusFiles, "corpus/*.jsonl")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		data, err := fs.ReadFile(corpusFiles, name)
		require.NoError(t, err)
		for i, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			p := strictjson.Check(line, reflect.TypeFor[record]())
			assert.Nil(t, p, "%s:%d", name, i+1)
		}
	}
}
