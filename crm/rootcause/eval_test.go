package rootcause

import (
	"fmt"
	"os"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// evalWith categorises every claim with c and reports the metrics and
// how the review flag splits accuracy.
func evalWith(t *testing.T, c *Categorizer, name string, cs []claim) metrics {
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
	t.Logf("%s: %s", name, m.report())
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

// evalFloors are the floors (macro-F1, and accuracy on the whole file)
// a categoriser must reach on one language's sets.
type evalFloors struct {
	lang, file                               string
	full, fullAcc, work, held, own, indirect float64
}

// evalSets evaluates c on one language's whole development file, its
// working and held-out halves, and the claims written for these tests
// (ownClaims, and ownClaimsIndirect for the causes stated indirectly),
// logs the figures and asserts the floors. It returns the whole file.
func evalSets(t *testing.T, c *Categorizer, label string, f evalFloors) []claim {
	cs := loadClaims(t, f.file)
	work, held := halves(cs)
	full := evalWith(t, c, label+", "+f.file+" (all)", cs)
	w := evalWith(t, c, label+", "+f.file+" (working half)", work)
	h := evalWith(t, c, label+", "+f.file+" (held-out half)", held)
	o := evalWith(t, c, label+", "+f.lang+" own claims", ownClaims[f.lang])
	oi := evalWith(t, c, label+", "+f.lang+" own claims, indirect", ownClaimsIndirect[f.lang])
	t.Logf("SUMMARY %s %s macro-F1/accuracy: all %.3f/%.3f, working half %.3f/%.3f, held-out half %.3f/%.3f, own %.3f/%.3f, own indirect %.3f/%.3f",
		label, f.lang, full.macroF1(), full.accuracy(), w.macroF1(), w.accuracy(), h.macroF1(), h.accuracy(),
		o.macroF1(), o.accuracy(), oi.macroF1(), oi.accuracy())
	assert.GreaterOrEqual(t, full.macroF1(), f.full)
	assert.GreaterOrEqual(t, full.accuracy(), f.fullAcc)
	assert.GreaterOrEqual(t, w.macroF1(), f.work)
	assert.GreaterOrEqual(t, h.macroF1(), f.held)
	assert.GreaterOrEqual(t, o.macroF1(), f.own)
	assert.GreaterOrEqual(t, oi.macroF1(), f.indirect)
	return cs
}

// Rules alone, per language (see evalSets). The goal in the issue is
// macro-F1 0.75 per language; the floors sit just below the figures
// measured, so that a regression fails.
func TestEvalRules(t *testing.T) {
	for _, f := range []evalFloors{
		{"ru", "ru-dev.jsonl", 0.79, 0.79, 0.81, 0.77, 0.95, 0.88},
		{"en", "en-dev.jsonl", 0.78, 0.79, 0.78, 0.775, 0.99, 0.94},
	} {
		t.Run(f.lang, func(t *testing.T) { evalSets(t, RulesOnly(), "rules only, no training", f) })
	}
}

// The built-in categoriser (Default: the rules blended with the model
// trained on the built-in corpus), with no training by the host, on the
// same sets as TestEvalRules. The corpus was written without sight of
// the development files, so every set here is held out from the model;
// BuiltinTrainOptions() and BuiltinModelWeight were chosen on the working
// halves and the own claims (TestSelectBuiltin), never on the held-out
// halves. The goal in the issue is macro-F1 0.75 per language; the
// floors sit just below the figures measured.
func TestEvalBuiltin(t *testing.T) {
	skipSlow(t)
	for _, f := range []evalFloors{
		{"ru", "ru-dev.jsonl", 0.88, 0.885, 0.90, 0.865, 0.95, 0.905},
		{"en", "en-dev.jsonl", 0.92, 0.925, 0.90, 0.945, 0.99, 0.93},
	} {
		t.Run(f.lang, func(t *testing.T) {
			cs := evalSets(t, Default(), "built-in", f)
			// The model alone, for comparison.
			m := BuiltinModel()
			truth, pred := make([]string, len(cs)), make([]string, len(cs))
			for i, cl := range cs {
				truth[i], pred[i] = cl.Code, modelTop(m, cl.Text)
			}
			t.Logf("built-in model alone, %s (all): %s", f.file, newMetrics(truth, pred).report())
		})
	}
}

// A host that adds its own confirmed complaints to the built-in corpus:
// 5-fold stratified cross-validation on each development file, every
// model trained on the built-in corpus plus the other four folds, and
// blended with the rules as Default blends the built-in model.
func TestEvalBuiltinPlusHost(t *testing.T) {
	skipSlow(t)
	for _, tt := range []struct {
		file string
		min  float64
	}{{"ru-dev.jsonl", 0.80}, {"en-dev.jsonl", 0.82}} {
		ex := claimExamples(loadClaims(t, tt.file))
		blended := func(m *Model, text string) string {
			c, err := New(Config{Model: m, ModelWeight: BuiltinModelWeight})
			require.NoError(t, err)
			return c.Categorize(text, Facts{}).Code()
		}
		pred, _ := crossValidateExtra(t, ex, BuiltinCorpus(), cvFolds, cvSeed, BuiltinTrainOptions(), blended)
		m := newMetrics(labelsOf(ex), pred)
		t.Logf("SUMMARY built-in corpus + the host's claims (%s), %d-fold CV, blended: %s", tt.file, cvFolds, m.report())
		assert.GreaterOrEqual(t, m.macroF1(), tt.min)
	}
}

// The built-in corpus itself: 5-fold stratified cross-validation of
// the built-in model, per language.
func TestEvalBuiltinCorpusCV(t *testing.T) {
	skipSlow(t)
	for _, lang := range []string{"ru", "en"} {
		var ex []Example
		for _, e := range BuiltinCorpus() {
			if isCyrillicText(e.Text) == (lang == "ru") {
				ex = append(ex, e)
			}
		}
		m := newMetrics(labelsOf(ex), crossValidate(t, ex, cvFolds, cvSeed, BuiltinTrainOptions(), modelTop))
		t.Logf("built-in corpus %s (%d claims), %d-fold CV, model alone: %s", lang, len(ex), cvFolds, m.report())
		assert.GreaterOrEqual(t, m.macroF1(), 0.67)
	}
}

// isCyrillicText reports whether a text has more Cyrillic than Latin
// letters.
func isCyrillicText(s string) bool {
	var cyr, lat int
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			lat++
		}
	}
	return cyr > lat
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

// TestSelectBuiltin is how BuiltinTrainOptions() and BuiltinModelWeight
// were chosen: naive Bayes on the built-in corpus (both languages in one
// model) over a small grid, each blended with the rules and scored by
// the mean macro-F1 of the two working halves and the two sets of own
// claims (ownClaims with ownClaimsIndirect); the held-out halves are
// logged, never used. Negation marks were decided beforehand (the rules
// handle negation, so the model must too: without them "упаковка не
// повреждена" was evidence of damage); the grid without them is logged
// for comparison, and so is the model alone (weight 1). It takes a few
// minutes; run it with
//
//	CRMKIT_SELECT_BUILTIN=1 go test -run SelectBuiltin -v ./crm/rootcause
func TestSelectBuiltin(t *testing.T) {
	if os.Getenv("CRMKIT_SELECT_BUILTIN") == "" {
		t.Skip("set CRMKIT_SELECT_BUILTIN=1 to run the selection")
	}
	ruWork, ruHeld := halves(loadClaims(t, "ru-dev.jsonl"))
	enWork, enHeld := halves(loadClaims(t, "en-dev.jsonl"))
	score := func(c *Categorizer, cs []claim) float64 {
		truth, pred := make([]string, len(cs)), make([]string, len(cs))
		for i, cl := range cs {
			truth[i], pred[i] = cl.Code, c.Categorize(cl.Text, Facts{}).Code()
		}
		return newMetrics(truth, pred).macroF1()
	}
	corpus := BuiltinCorpus()
	bestScore, best := -1.0, ""
	var ruOwn, enOwn []claim
	ruOwn = append(append(ruOwn, ownClaims["ru"]...), ownClaimsIndirect["ru"]...)
	enOwn = append(append(enOwn, ownClaims["en"]...), ownClaimsIndirect["en"]...)
	for _, lex := range []struct {
		name string
		lex  *Lexicon
	}{{"hand", mustLexicon(t, HandTerms())}, {"hand+mined", DefaultLexicon()}} {
		for _, neg := range []bool{false, true} {
			for _, ng := range []int{1, 2} {
				for _, alpha := range []float64{0.1, 0.3, 0.5, 1} {
					for _, binary := range []bool{false, true} {
						m, err := Train(corpus, TrainOptions{Kind: NaiveBayes, NGrams: ng, Alpha: alpha, Binary: binary, MarkNegation: neg})
						require.NoError(t, err)
						for _, w := range []float64{0.4, 0.5, 0.6, 1} {
							c, err := New(Config{Lexicon: lex.lex, Model: m, ModelWeight: w})
							require.NoError(t, err)
							rw, ew := score(c, ruWork), score(c, enWork)
							ro, eo := score(c, ruOwn), score(c, enOwn)
							mean := (rw + ew + ro + eo) / 4
							name := fmt.Sprintf("lexicon %s, negation %v, ngrams %d, alpha %.1f, binary %v, weight %.1f", lex.name, neg, ng, alpha, binary, w)
							t.Logf("%s: working ru %.3f en %.3f own ru %.3f en %.3f mean %.3f | held-out ru %.3f en %.3f",
								name, rw, ew, ro, eo, mean, score(c, ruHeld), score(c, enHeld))
							if neg && w < 1 && mean > bestScore {
								bestScore, best = mean, name
							}
						}
					}
				}
			}
		}
	}
	t.Logf("BEST with negation marks and the rules blended in, on the working halves and the own claims: %s (mean macro-F1 %.3f)", best, bestScore)
}
