package rootcause

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The evaluations on the shared development data. Run them with
//
//	go test -run Eval -v ./crm/rootcause
//
// They log accuracy, macro-F1 and the per-category confusion, and assert
// floors a little below the figures measured when they were written, so
// that a regression fails. The data are read in place; the tests skip
// when they are absent.

const (
	cvFolds = 5
	cvSeed  = 1
)

func labelsOf(ex []Example) []string {
	out := make([]string, len(ex))
	for i, e := range ex {
		out[i] = e.Label
	}
	return out
}

// splitSeed fixes the split of each claims file into a working half
// (fold 0: the only half whose aggregate confusion was looked at while
// the lexicon was extended) and a held-out half (fold 1: untouched).
const splitSeed = 20260527

// halves splits claims into the working and the held-out half,
// stratified by code.
func halves(cs []claim) (work, heldOut []claim) {
	labels := make([]string, len(cs))
	for i, c := range cs {
		labels[i] = c.Code
	}
	folds := stratifiedFolds(labels, 2, splitSeed)
	for _, i := range folds[0] {
		work = append(work, cs[i])
	}
	for _, i := range folds[1] {
		heldOut = append(heldOut, cs[i])
	}
	return work, heldOut
}

// evalRules categorises every claim with the default rules, no
// training, and reports the metrics and how the review flag splits
// accuracy.
func evalRules(t *testing.T, name string, cs []claim) metrics {
	c := Default()
	truth := make([]string, len(cs))
	pred := make([]string, len(cs))
	var sure, sureRight, review, reviewRight int
	for i, cl := range cs {
		r := c.Categorize(cl.Text, Facts{})
		truth[i], pred[i] = cl.Code, r.Code()
		right := pred[i] == truth[i]
		if r.NeedsReview {
			review++
			if right {
				reviewRight++
			}
		} else {
			sure++
			if right {
				sureRight++
			}
		}
	}
	m := newMetrics(truth, pred)
	t.Logf("rules only, no training, %s: %s", name, m.report())
	t.Logf("calibration: %d confident results, %.0f%% right; %d flagged for review, %.0f%% right",
		sure, pct(sureRight, sure), review, pct(reviewRight, review))
	return m
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// Rules alone, per language, on the whole development file, on its
// working and held-out halves, and on the claims written for these
// tests (ownClaims). The goal in the issue is macro-F1 0.75 per
// language; the floors sit just below the figures measured, so that a
// regression fails.
func TestEvalRules(t *testing.T) {
	cases := []struct {
		lang, file                     string
		full, fullAcc, work, held, own float64
	}{
		{"ru", "ru-dev.jsonl", 0.55, 0.555, 0.58, 0.52, 0.86},
		{"en", "en-dev.jsonl", 0.59, 0.60, 0.48, 0.68, 0.84},
	}
	for _, tt := range cases {
		t.Run(tt.lang, func(t *testing.T) {
			cs := loadClaims(t, tt.file)
			work, held := halves(cs)
			full := evalRules(t, tt.file+" (all)", cs)
			w := evalRules(t, tt.file+" (working half)", work)
			h := evalRules(t, tt.file+" (held-out half)", held)
			o := evalRules(t, tt.lang+" own claims", ownClaims[tt.lang])
			t.Logf("SUMMARY %s macro-F1/accuracy: all %.3f/%.3f, working half %.3f/%.3f, held-out half %.3f/%.3f, own %.3f/%.3f",
				tt.lang, full.macroF1(), full.accuracy(), w.macroF1(), w.accuracy(), h.macroF1(), h.accuracy(),
				o.macroF1(), o.accuracy())
			assert.GreaterOrEqual(t, full.macroF1(), tt.full)
			assert.GreaterOrEqual(t, full.accuracy(), tt.fullAcc)
			assert.GreaterOrEqual(t, w.macroF1(), tt.work)
			assert.GreaterOrEqual(t, h.macroF1(), tt.held)
			assert.GreaterOrEqual(t, o.macroF1(), tt.own)
		})
	}
}

func skipSlow(t *testing.T) {
	if raceEnabled {
		t.Skip("model evaluation skipped under the race detector (it checks quality, not concurrency)")
	}
	if testing.Short() {
		t.Skip("model evaluation skipped in -short mode")
	}
}

// cfpbL2Grid are the penalties the inner cross-validation chooses from.
var cfpbL2Grid = []float64{3e-4, 1e-3, 3e-3, 1e-2}

// CFPB complaints: 5-fold stratified cross-validation, fixed seed; the
// regularisation of the last model is chosen inside each training fold.
func TestEvalCFPB(t *testing.T) {
	skipSlow(t)
	ex := loadCFPB(t)
	truth := labelsOf(ex)
	cases := []struct {
		name         string
		opt          TrainOptions
		minF1, minAc float64
	}{
		{"naive Bayes, unigrams, alpha 1", TrainOptions{Kind: NaiveBayes, NGrams: 1, Alpha: 1}, 0.70, 0.71},
		{"complement naive Bayes, unigrams+bigrams, alpha 0.3",
			TrainOptions{Kind: ComplementNB, NGrams: 2, Alpha: 0.3}, 0.74, 0.74},
		{"logistic regression, TF-IDF unigrams+bigrams (min df 2), balanced, L2 1e-3",
			TrainOptions{Kind: LogisticRegression, NGrams: 2, MinDF: 2, Balanced: true}, 0.76, 0.765},
		{"logistic regression, TF-IDF unigrams+bigrams (min df 2), balanced, L2 by inner 3-fold CV",
			TrainOptions{Kind: LogisticRegression, NGrams: 2, MinDF: 2, Balanced: true, L2Grid: cfpbL2Grid}, 0.765, 0.77},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			pred, folds := crossValidateFolds(t, ex, cvFolds, cvSeed, tt.opt, modelTop)
			m := newMetrics(truth, pred)
			lo, hi := foldRange(truth, pred, folds)
			t.Logf("CFPB %s, %d-fold CV: %s", tt.name, cvFolds, m.report())
			t.Logf("per-fold macro-F1 from %.3f to %.3f", lo, hi)
			assert.GreaterOrEqual(t, m.macroF1(), tt.minF1)
			assert.GreaterOrEqual(t, m.accuracy(), tt.minAc)
		})
	}
}

// Claims: the trainable model alone and blended with the rules (default
// weight 0.5), 5-fold stratified cross-validation per language and on
// both files together.
func TestEvalClaimsModel(t *testing.T) {
	skipSlow(t)
	ru := claimExamples(loadClaims(t, "ru-dev.jsonl"))
	en := claimExamples(loadClaims(t, "en-dev.jsonl"))
	both := append(append([]Example(nil), ru...), en...)
	blended := func(m *Model, text string) string {
		c, err := New(Config{Model: m})
		if err != nil {
			t.Fatal(err)
		}
		return c.Categorize(text, Facts{}).Code()
	}
	cases := []struct {
		name               string
		ex                 []Example
		opt                TrainOptions
		minModel, minBlend float64
	}{
		{"ru, logistic regression", ru, TrainOptions{}, 0.58, 0.56},
		{"en, logistic regression", en, TrainOptions{}, 0.32, 0.53},
		{"ru+en, logistic regression", both, TrainOptions{}, 0.45, 0.55},
		{"ru, naive Bayes", ru, TrainOptions{Kind: NaiveBayes}, 0.50, 0.56},
		{"en, naive Bayes", en, TrainOptions{Kind: NaiveBayes}, 0.30, 0.37},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			truth := labelsOf(tt.ex)
			model := newMetrics(truth, crossValidate(t, tt.ex, cvFolds, cvSeed, tt.opt, modelTop))
			blend := newMetrics(truth, crossValidate(t, tt.ex, cvFolds, cvSeed, tt.opt, blended))
			t.Logf("claims %s, %d-fold CV, model alone: accuracy %.3f, macro-F1 %.3f", tt.name, cvFolds,
				model.accuracy(), model.macroF1())
			t.Logf("claims %s, %d-fold CV, rules + model (weight 0.5): %s", tt.name, cvFolds, blend.report())
			assert.GreaterOrEqual(t, model.macroF1(), tt.minModel)
			assert.GreaterOrEqual(t, blend.macroF1(), tt.minBlend)
		})
	}
}
