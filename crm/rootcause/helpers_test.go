package rootcause

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// dataPath is a file of the shared data, read in place.
func dataPath(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "..", "shared", "data"}, parts...)...)
}

type claim struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Text string `json:"text"`
}

// loadClaims reads a claims file or skips the test when it is absent.
func loadClaims(tb testing.TB, name string) []claim {
	tb.Helper()
	f, err := os.Open(dataPath("claims", name))
	if os.IsNotExist(err) {
		tb.Skipf("shared data %s not present: skipping", dataPath("claims", name))
	}
	require.NoError(tb, err)
	defer f.Close()
	var out []claim
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c claim
		require.NoError(tb, json.Unmarshal(sc.Bytes(), &c))
		out = append(out, c)
	}
	require.NoError(tb, sc.Err())
	return out
}

func claimExamples(cs []claim) []Example {
	out := make([]Example, len(cs))
	for i, c := range cs {
		out[i] = Example{Text: c.Text, Label: c.Code}
	}
	return out
}

// loadCFPB reads the CFPB complaints or skips the test when absent.
func loadCFPB(tb testing.TB) []Example {
	tb.Helper()
	data, err := os.ReadFile(dataPath("cfpb", "train.json"))
	if os.IsNotExist(err) {
		tb.Skipf("shared data %s not present: skipping", dataPath("cfpb", "train.json"))
	}
	require.NoError(tb, err)
	var rows []struct {
		Input  string `json:"input"`
		Output string `json:"output"`
	}
	require.NoError(tb, json.Unmarshal(data, &rows))
	out := make([]Example, len(rows))
	for i, r := range rows {
		out[i] = Example{Text: strings.TrimPrefix(r.Input, "Narrative: "), Label: r.Output}
	}
	return out
}

// metrics of a classification.
type metrics struct {
	labels    []string
	confusion map[string]map[string]int // truth → predicted → count
	n         int
	correct   int
}

func newMetrics(truth, pred []string) metrics {
	m := metrics{confusion: map[string]map[string]int{}, n: len(truth)}
	seen := map[string]bool{}
	for i := range truth {
		for _, l := range []string{truth[i], pred[i]} {
			if !seen[l] {
				seen[l] = true
				m.labels = append(m.labels, l)
			}
		}
		if m.confusion[truth[i]] == nil {
			m.confusion[truth[i]] = map[string]int{}
		}
		m.confusion[truth[i]][pred[i]]++
		if truth[i] == pred[i] {
			m.correct++
		}
	}
	slices.Sort(m.labels)
	return m
}

func (m metrics) accuracy() float64 { return float64(m.correct) / float64(m.n) }

// perClass returns precision, recall and F1 of a label.
func (m metrics) perClass(l string) (p, r, f float64) {
	tp := m.confusion[l][l]
	var predicted, actual int
	for _, t := range m.labels {
		predicted += m.confusion[t][l]
		actual += m.confusion[l][t]
	}
	if predicted > 0 {
		p = float64(tp) / float64(predicted)
	}
	if actual > 0 {
		r = float64(tp) / float64(actual)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// macroF1 averages F1 over the labels that occur in the truth.
func (m metrics) macroF1() float64 {
	var sum float64
	var n int
	for _, l := range m.labels {
		if len(m.confusion[l]) == 0 {
			continue
		}
		_, _, f := m.perClass(l)
		sum += f
		n++
	}
	return sum / float64(n)
}

func (m metrics) report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "accuracy %.3f, macro-F1 %.3f (n=%d)\n", m.accuracy(), m.macroF1(), m.n)
	fmt.Fprintf(&b, "%-16s %5s %5s %5s  confusions (truth → predicted)\n", "class", "P", "R", "F1")
	for _, l := range m.labels {
		p, r, f := m.perClass(l)
		var conf []string
		for _, q := range m.labels {
			if q != l && m.confusion[l][q] > 0 {
				conf = append(conf, fmt.Sprintf("%s:%d", q, m.confusion[l][q]))
			}
		}
		fmt.Fprintf(&b, "%-16s %5.2f %5.2f %5.2f  %s\n", l, p, r, f, strings.Join(conf, " "))
	}
	return b.String()
}

// stratifiedFolds deals the indices of each label, shuffled with the
// seed, round-robin into k folds.
func stratifiedFolds(labels []string, k int, seed uint64) [][]int {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	byLabel := map[string][]int{}
	var order []string
	for i, l := range labels {
		if _, ok := byLabel[l]; !ok {
			order = append(order, l)
		}
		byLabel[l] = append(byLabel[l], i)
	}
	slices.Sort(order)
	folds := make([][]int, k)
	next := 0
	for _, l := range order {
		idx := byLabel[l]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, i := range idx {
			folds[next%k] = append(folds[next%k], i)
			next++
		}
	}
	return folds
}

// crossValidate trains on k−1 folds and predicts the held-out fold with
// predict, for every fold; it returns the prediction for every example.
func crossValidate(tb testing.TB, examples []Example, k int, seed uint64, opt TrainOptions,
	predict func(m *Model, text string) string) []string {
	pred, _ := crossValidateFolds(tb, examples, k, seed, opt, predict)
	return pred
}

// crossValidateFolds is crossValidate that also returns the folds.
func crossValidateFolds(tb testing.TB, examples []Example, k int, seed uint64, opt TrainOptions,
	predict func(m *Model, text string) string) ([]string, [][]int) {
	tb.Helper()
	return crossValidateExtra(tb, examples, nil, k, seed, opt, predict)
}

// crossValidateExtra is crossValidateFolds with extra examples added to
// every training fold (and never tested on).
func crossValidateExtra(tb testing.TB, examples, extra []Example, k int, seed uint64, opt TrainOptions,
	predict func(m *Model, text string) string) ([]string, [][]int) {
	tb.Helper()
	labels := make([]string, len(examples))
	for i, e := range examples {
		labels[i] = e.Label
	}
	folds := stratifiedFolds(labels, k, seed)
	pred := make([]string, len(examples))
	for f := range folds {
		train := slices.Clone(extra)
		for g := range folds {
			if g != f {
				for _, i := range folds[g] {
					train = append(train, examples[i])
				}
			}
		}
		m, err := Train(train, opt)
		require.NoError(tb, err)
		for _, i := range folds[f] {
			pred[i] = predict(m, examples[i].Text)
		}
	}
	return pred, folds
}

// foldRange returns the lowest and highest macro-F1 over the folds.
func foldRange(truth, pred []string, folds [][]int) (lo, hi float64) {
	lo, hi = 1, 0
	for _, f := range folds {
		var tr, pr []string
		for _, i := range f {
			tr, pr = append(tr, truth[i]), append(pr, pred[i])
		}
		m := newMetrics(tr, pr).macroF1()
		lo, hi = min(lo, m), max(hi, m)
	}
	return lo, hi
}

func modelTop(m *Model, text string) string { return m.Predict(text)[0].Class }

// mustLexicon compiles terms or fails the test.
func mustLexicon(tb testing.TB, terms []Term) *Lexicon {
	tb.Helper()
	l, err := NewLexicon(terms)
	require.NoError(tb, err)
	return l
}
