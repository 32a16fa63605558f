package rootcause

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// The built-in corpus: complaints written for crmkit, in Russian and in
// English, labelled with the codes of DefaultTaxonomy. One file per code
// and language, "<CODE>.<lang>.jsonl", one {"code","text"} object per
// line.
//
//go:embed corpus/*.jsonl
var corpusFiles embed.FS

// BuiltinTrainOptions returns the options the built-in model is trained
// with: multinomial naive Bayes on stemmed unigrams and bigrams, each
// counted once per complaint, additive smoothing 0.3, negated words as
// features of their own. Naive Bayes
// gives sharp probabilities, which blend well with the rules' (see
// Default). They were chosen on half of the development claims and on
// claims written for the tests, never on the other half (BENCHMARKS.md).
func BuiltinTrainOptions() TrainOptions {
	return TrainOptions{Kind: NaiveBayes, NGrams: 2, Alpha: 0.3, Binary: true, MarkNegation: true}
}

// BuiltinModelWeight is the built-in model's share when Default blends
// it with the rules (Config.ModelWeight).
const BuiltinModelWeight = 0.5

// BuiltinCorpus returns the built-in corpus, in a fixed order (by file
// name, then line): complaints written for crmkit by hands other than
// the lexicon's, covering every code of DefaultTaxonomy in both
// languages. A host can add its own confirmed complaints to it and
// train a model of its own:
//
//	m, err := rootcause.Train(append(rootcause.BuiltinCorpus(), mine...), rootcause.BuiltinTrainOptions())
//
// The slice is new on every call.
func BuiltinCorpus() []Example {
	return slices.Clone(builtinCorpus())
}

var builtinCorpus = sync.OnceValue(func() []Example {
	ex, err := readCorpus(corpusFiles, "corpus")
	if err != nil {
		panic(err) // the embedded corpus is malformed: caught by the tests
	}
	return ex
})

// readCorpus reads every "*.jsonl" file of dir in fsys, in name order.
// The code in a file's name must match the code on each of its lines.
func readCorpus(fsys fs.FS, dir string) ([]Example, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []Example
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		code, _, _ := strings.Cut(path.Base(name), ".")
		for i, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			var rec struct {
				Code string `json:"code"`
				Text string `json:"text"`
			}
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&rec); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
			}
			if rec.Code != code || strings.TrimSpace(rec.Text) == "" {
				return nil, fmt.Errorf("%s:%d: code %q and a text expected, got %q", name, i+1, code, rec.Code)
			}
			out = append(out, Example{Text: rec.Text, Label: rec.Code})
		}
	}
	return out, nil
}

// BuiltinModel returns the model trained on BuiltinCorpus with
// BuiltinTrainOptions(). It is trained once, on first use (a quarter of
// a second), and shared; call it at start-up to take that cost early.
func BuiltinModel() *Model { return builtinModel() }

var builtinModel = sync.OnceValue(func() *Model {
	m, err := Train(builtinCorpus(), BuiltinTrainOptions())
	if err != nil {
		panic(err) // caught by the tests
	}
	return m
})
