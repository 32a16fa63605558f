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
// tests (ownClaims, and ownClaimsIndirect for the causes stated
// indirectly). The goal in the issue is macro-F1 0.75 per
// language; the floors sit just below the figures measured, so that a
// regression fails.
func TestEvalRules(t *testing.T) {
	cases := []struct {
		lang, file                               string
		full, fullAcc, work, held, own, indirect float64
	}{
		{"ru", "ru-dev.jsonl", 0.585, 0.59, 0.615, 0.55, 0.875, 0.90},
		{"en", "en-dev.jsonl", 0.62, 0.625, 0.54, 0.69, 0.95, 0.94},
	}
	for _, tt := range cases {
		t.Run(tt.lang, func(t *testing.T) {
			cs := loadClaims(t, tt.file)
			work, held := halves(cs)
			full := evalRules(t, tt.file+" (all)", cs)
			w := evalRules(t, tt.file+" (working half)", work)
			h := evalRules(t, tt.file+" (held-out half)", held)
			o := evalRules(t, tt.lang+" own claims", ownClaims[tt.lang])
			oi := evalRules(t, tt.lang+" own claims, indirect", ownClaimsIndirect[tt.lang])
			t.Logf("SUMMARY %s macro-F1/accuracy: all %.3f/%.3f, working half %.3f/%.3f, held-out half %.3f/%.3f, own %.3f/%.3f, own indirect %.3f/%.3f",
				tt.lang, full.macroF1(), full.accuracy(), w.macroF1(), w.accuracy(), h.macroF1(), h.accuracy(),
				o.macroF1(), o.accuracy(), oi.macroF1(), oi.accuracy())
			assert.GreaterOrEqual(t, full.macroF1(), tt.full)
			assert.GreaterOrEqual(t, full.accuracy(), tt.fullAcc)
			assert.GreaterOrEqual(t, w.macroF1(), tt.work)
			assert.GreaterOrEqual(t, h.macroF1(), tt.held)
			assert.GreaterOrEqual(t, o.macroF1(), tt.own)
			assert.GreaterOrEqual(t, oi.macroF1(), tt.indirect)
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

// heldOutSeed fixes the single stratified 80/20 split reported beside
// the cross-validation, for comparison with single-split figures.
const heldOutSeed = 42

// sklearnL2 is scikit-learn's default penalty (C = 1 on the summed log
// loss, ½‖W‖²) expressed on our mean loss, for n training examples:
// 1/(C·n).
func sklearnL2(n int) float64 { return 1 / float64(n) }

// heldOut trains on a stratified 80% of the examples (seed heldOutSeed)
// and returns the truth and predictions on the other 20%, and the model.
func heldOut(t *testing.T, ex []Example, opt TrainOptions) (truth, pred []string, m *Model) {
	folds := stratifiedFolds(labelsOf(ex), 5, heldOutSeed)
	var train []Example
	for _, f := range folds[1:] {
		for _, i := range f {
			train = append(train, ex[i])
		}
	}
	m, err := Train(train, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range folds[0] {
		truth, pred = append(truth, ex[i].Label), append(pred, modelTop(m, ex[i].Text))
	}
	return truth, pred, m
}

// CFPB complaints: 5-fold stratified cross-validation (seed cvSeed), and
// one stratified 80/20 split (seed heldOutSeed).
//
// The "scikit-learn defaults" rows reproduce, with the feature options,
// the textbook baselines the goals in the issue quote (MultinomialNB with
// alpha 1 on unigram counts; TfidfVectorizer with raw tf, smoothed idf
// and unit rows, then LogisticRegression with C = 1): words of two or
// more characters, not stemmed. On the same folds scikit-learn itself
// gives the same figures (macro-F1 0.713 and 0.749). Over ten
// cross-validation seeds its logistic regression averages 0.758, and
// over twenty random 80/20 splits 0.737 with a standard deviation of
// 0.04 (from 0.63 to 0.83): the 0.75 and 0.81 of the issue are single
// lucky held-out splits, not what these baselines reach on this data.
//
// The regularisation of the L2Grid rows is chosen inside each training
// fold; nothing here was chosen on the outer test folds.
func TestEvalCFPB(t *testing.T) {
	skipSlow(t)
	ex := loadCFPB(t)
	truth := labelsOf(ex)
	nTrain := len(ex) * (cvFolds - 1) / cvFolds
	cases := []struct {
		name                   string
		opt                    TrainOptions
		minF1, minAc, minHeldF float64
	}{
		{"naive Bayes, unigrams, alpha 1", TrainOptions{Kind: NaiveBayes, NGrams: 1, Alpha: 1}, 0.70, 0.71, 0.68},
		{"scikit-learn defaults: naive Bayes, unstemmed words of 2+ characters, alpha 1",
			TrainOptions{Kind: NaiveBayes, NGrams: 1, Alpha: 1, NoStemming: true, MinWordRunes: 2}, 0.705, 0.715, 0.70},
		{"complement naive Bayes, unigrams+bigrams, alpha 0.3",
			TrainOptions{Kind: ComplementNB, NGrams: 2, Alpha: 0.3}, 0.74, 0.74, 0.70},
		{"scikit-learn defaults: logistic regression, TF-IDF raw tf, unstemmed words of 2+ characters, C=1",
			TrainOptions{Kind: LogisticRegression, NGrams: 1, NoStemming: true, MinWordRunes: 2, RawTF: true,
				L2: sklearnL2(nTrain)}, 0.74, 0.75, 0.715},
		{"logistic regression, TF-IDF unigrams+bigrams (min df 2), balanced, L2 1e-3",
			TrainOptions{Kind: LogisticRegression, NGrams: 2, MinDF: 2, Balanced: true}, 0.76, 0.765, 0.715},
		{"logistic regression, TF-IDF unigrams+bigrams (min df 2), balanced, L2 by inner 3-fold CV",
			TrainOptions{Kind: LogisticRegression, NGrams: 2, MinDF: 2, Balanced: true, L2Grid: cfpbL2Grid}, 0.765, 0.77, 0.725},
		{"logistic regression, unstemmed, TF-IDF unigrams+bigrams (min df 2), balanced, L2 by inner 3-fold CV",
			TrainOptions{Kind: LogisticRegression, NGrams: 2, MinDF: 2, Balanced: true, NoStemming: true,
				L2Grid: cfpbL2Grid}, 0.76, 0.76, 0.725},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			pred, folds := crossValidateFolds(t, ex, cvFolds, cvSeed, tt.opt, modelTop)
			m := newMetrics(truth, pred)
			lo, hi := foldRange(truth, pred, folds)
			ht, hp, model := heldOut(t, ex, tt.opt)
			h := newMetrics(ht, hp)
			t.Logf("CFPB %s, %d-fold CV (seed %d): %s", tt.name, cvFolds, cvSeed, m.report())
			t.Logf("per-fold macro-F1 from %.3f to %.3f", lo, hi)
			t.Logf("SUMMARY %s: CV accuracy %.3f, macro-F1 %.3f; held-out 80/20 (seed %d) accuracy %.3f, macro-F1 %.3f",
				tt.name, m.accuracy(), m.macroF1(), heldOutSeed, h.accuracy(), h.macroF1())
			if model.kind == LogisticRegression {
				t.Logf("held-out fit: %d L-BFGS iterations, largest gradient component %.1e", model.fit.iterations, model.fit.gradMax)
				assert.Less(t, model.fit.gradMax, 1e-4, "the optimiser reached the optimum")
			}
			assert.GreaterOrEqual(t, m.macroF1(), tt.minF1)
			assert.GreaterOrEqual(t, m.accuracy(), tt.minAc)
			assert.GreaterOrEqual(t, h.macroF1(), tt.minHeldF)
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
