package rootcause

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/crmkit/crmkit/internal/strictjson"
)

// ModelKind names a trainable model.
type ModelKind string

// The model kinds.
const (
	// NaiveBayes is multinomial naive Bayes over feature counts (or
	// presence, with TrainOptions.Binary) with additive smoothing.
	NaiveBayes ModelKind = "naive_bayes"
	// LogisticRegression is multinomial logistic regression over TF-IDF
	// features (sublinear term frequency 1+ln tf, or the raw count with
	// TrainOptions.RawTF; smoothed idf ln((1+n)/(1+df))+1; rows scaled to
	// unit length), L2-regularised, fitted by L-BFGS.
	LogisticRegression ModelKind = "logistic_regression"
	// ComplementNB is complement naive Bayes (Rennie et al., 2003): each
	// class is scored by how unlike the other classes' word counts the
	// text is, with the per-class weights normalised to unit L1 norm. It
	// is steadier than NaiveBayes when classes differ in size and with
	// bigrams. Its probabilities rank well but are not calibrated. Saved
	// models of this kind are format version 2.
	ComplementNB ModelKind = "complement_naive_bayes"
)

// Example is one labelled text to learn from: a complaint and the code
// of its confirmed cause (or any label, for other taxonomies).
type Example struct {
	Text  string
	Label string
}

// TrainOptions tune Train. The zero value trains a logistic regression
// on stemmed unigrams and bigrams with the defaults below.
type TrainOptions struct {
	// Kind is the model; "" means LogisticRegression.
	Kind ModelKind
	// NGrams is 1 (stemmed words) or 2 (words and adjacent pairs within a
	// clause); 0 means 2.
	NGrams int
	// MinDF drops features found in fewer examples; 0 means 1 (keep all).
	MinDF int
	// MaxFeatures keeps at most this many features, the most frequent
	// first; 0 means 500,000.
	MaxFeatures int
	// Alpha is naive Bayes' additive smoothing; 0 means 0.1.
	Alpha float64
	// Binary makes naive Bayes count a feature once per text; with another
	// kind it is refused.
	Binary bool
	// L2 is the logistic regression's penalty: Train minimises the mean
	// (class-weighted) log loss plus L2/2 times the sum of squared
	// weights (intercepts are not penalised). 0 means 1e-3. Toolkits that
	// put C on the summed loss instead (C·Σloss + ½‖W‖², as
	// scikit-learn does) correspond to L2 = 1/(C·n) for n examples.
	L2 float64
	// MaxIter bounds L-BFGS iterations; 0 means 300.
	MaxIter int
	// L2Grid, for logistic regression, lists candidate penalties; when it
	// has two or more, Train chooses among them by an inner stratified
	// cross-validation on the training examples alone (InnerFolds
	// folds, best macro-F1, ties to the larger penalty) and then fits
	// every example with the one chosen; L2 is then ignored. Candidates
	// are in (0, 1000].
	L2Grid []float64
	// InnerFolds is the number of folds of that inner cross-validation,
	// 2 to 10; 0 means 3.
	InnerFolds int
	// Balanced weights classes inversely to their frequency (for naive
	// Bayes: uniform class priors).
	Balanced bool
	// NoStemming makes the features the normalised words themselves
	// rather than their Snowball stems. Use it when the host's text is
	// already normalised by its own pipeline, or when stems merge words
	// that tell the classes apart. Saved models that use it are format
	// version 3.
	NoStemming bool
	// MinWordRunes drops words shorter than this many letters or digits
	// from the features (bigrams then join the words either side); 0
	// means 1 (keep every word), at most 40. 2 matches the usual "two or
	// more word characters" token pattern of other toolkits. Saved models
	// that use it are format version 3.
	MinWordRunes int
	// RawTF, for logistic regression, weighs a feature by its raw count
	// in the text times its idf instead of by (1 + ln count) times its
	// idf. Saved models that use it are format version 3.
	RawTF bool
	// MarkNegation makes a word governed by a negation — by the rules'
	// cues: "не", "нет", "без", "not", "no", "without", ... up to three
	// words before it in its clause, or "нет"/"не обнаружено" just after
	// it — a feature of its own, the term with "¬" in front, so that
	// "упаковка не повреждена" is not evidence of damage but can be
	// evidence of something else. Saved models that use it are format
	// version 4.
	MarkNegation bool
}

// Defaults and limits of models.
const (
	defaultAlpha       = 0.1
	defaultL2          = 1e-3
	defaultMaxIter     = 300
	defaultMaxFeatures = 500_000
	modelFormat        = "crmkit.rootcause.model"
	modelVersion       = 4 // the newest version read; the oldest version that holds a model is written
	defaultInnerFolds  = 3
	// MaxModelBytes is the largest model document LoadModel and ReadModel accept.
	MaxModelBytes    = 256 << 20
	maxModelClasses  = 1024
	maxModelTerms    = 4_000_000
	maxClassBytes    = 128
	maxTermBytes     = 512
	maxModelMagitude = 1e6
	// gradTol is the largest gradient component (of the mean loss plus
	// penalty) at which L-BFGS stops.
	gradTol = 1e-6
)

// Model is a trained text classifier over stemmed (or, with
// TrainOptions.NoStemming, whole) word n-grams: multinomial or complement
// naive Bayes or logistic regression. It is immutable and safe for
// concurrent use. Train one with Train, save it with json.Marshal (or
// MarshalJSON) and load it with LoadModel or ReadModel.
type Model struct {
	kind      ModelKind
	ngrams    int
	binary    bool
	unstemmed bool // features are words, not stems
	minRunes  int  // words shorter than this are not features (0 or 1: all)
	rawTF     bool // logistic regression: raw counts, not 1 + ln count
	negation  bool // negated words are features of their own ("¬" + term)
	// fit records how L-BFGS ended (logistic regression just trained;
	// not saved).
	fit     fitReport
	classes []string
	terms   []string
	vocab   map[string]int32
	idf     []float64 // logistic regression only
	bias    []float64 // per class: log prior (naive Bayes) or intercept
	weights []float64 // term-major: weights[t*K+k]
}

// Kind returns the model's kind.
func (m *Model) Kind() ModelKind { return m.kind }

// Classes returns the class labels, in the model's order.
func (m *Model) Classes() []string { return append([]string(nil), m.classes...) }

// NumFeatures returns the size of the model's vocabulary.
func (m *Model) NumFeatures() int { return len(m.terms) }

// Prediction is a class with its probability.
type Prediction struct {
	Class       string
	Probability float64
}

// Predict returns every class with its probability for the text (at most
// DefaultMaxTextBytes of it), most probable first; ties keep the model's
// class order.
func (m *Model) Predict(text string) []Prediction {
	az := getAnalyzer()
	defer putAnalyzer(az)
	a := az.analyze(text, DefaultMaxTextBytes)
	p := m.probabilities(a.tokens, &az.model)
	out := make([]Prediction, len(m.classes))
	for k, c := range m.classes {
		out[k] = Prediction{Class: c, Probability: p[k]}
	}
	slices.SortStableFunc(out, func(a, b Prediction) int { return cmp.Compare(b.Probability, a.Probability) })
	return out
}

// featureTerm is the unigram feature of a token — its stem (or its
// word, for a model without stemming), or "#" for a number — and whether
// the token is a feature at all (words shorter than the model's minimum
// are not).
func (m *Model) featureTerm(t *token) (string, bool) {
	if m.minRunes > 1 && utf8.RuneCountInString(t.surface) < m.minRunes {
		return "", false
	}
	switch {
	case isNumber(t.surface):
		return "#", true
	case m.unstemmed:
		return t.surface, true
	}
	return t.stem, true
}

// features calls emit with each feature of the tokens, one per
// occurrence: every kept token's term and, for bigram models, the pair
// of each kept token with the previous kept token of the same clause,
// joined by a space. A plain term comes as word (key nil); a bigram, and
// with MarkNegation a negated term ("¬" + term), comes as key, a scratch
// buffer emit must not keep.
func (m *Model) features(toks []token, fb *featBuf, emit func(word string, key []byte)) {
	keyBuf, negBuf, prevBuf := fb.key[:0], fb.neg[:0], fb.prev[:0]
	var prev []byte
	prevClause := int32(-1)
	for i := range toks {
		word, ok := m.featureTerm(&toks[i])
		if !ok {
			continue
		}
		var neg []byte
		if m.negation && !isPreNegation(&toks[i]) && negated(toks, nil, match{start: int32(i), end: int32(i + 1)}) {
			neg = append(append(negBuf, negationMark...), word...)
			emit("", neg)
		} else {
			emit(word, nil)
		}
		if m.ngrams >= 2 && prevClause == toks[i].clause {
			key := append(append(keyBuf, prev...), ' ')
			if neg != nil {
				key = append(key, neg...)
			} else {
				key = append(key, word...)
			}
			emit("", key)
		}
		if neg != nil {
			prev = append(prevBuf, neg...)
		} else {
			prev = append(prevBuf, word...)
		}
		prevClause = toks[i].clause
	}
}

// negationMark prefixes a negated term (TrainOptions.MarkNegation).
const negationMark = "¬"

// featBuf holds features' scratch buffers, so that building the
// features of a text does not allocate.
type featBuf struct {
	key, neg, prev [256]byte
}

// modelScratch is what scoring a text with a model works in; analyzer
// keeps one per pooled analyzer.
type modelScratch struct {
	feat      featBuf
	ids, idx  []int32
	val, p    []float64
	explained []int
	top       [][maxModelEvidence]contrib
}

// sparseVec is a feature vector: values at vocabulary ids.
type sparseVec struct {
	idx []int32
	val []float64
}

// contrib is a feature's contribution to a class, for explain.
type contrib struct {
	term  int32
	score float64
}

// featureIDs appends the vocabulary ids of the text's features (one per
// occurrence) and returns them sorted.
func (m *Model) featureIDs(toks []token, fb *featBuf, dst []int32) []int32 {
	m.features(toks, fb, func(word string, bigram []byte) {
		var id int32
		var ok bool
		if bigram != nil {
			id, ok = m.vocab[string(bigram)]
		} else {
			id, ok = m.vocab[word]
		}
		if ok {
			dst = append(dst, id)
		}
	})
	slices.Sort(dst)
	return dst
}

// vector turns sorted feature ids into (id, value) pairs: counts (or 1
// when binary) for naive Bayes, unit-length TF-IDF for logistic
// regression.
func (m *Model) vector(ids []int32, idx []int32, val []float64) ([]int32, []float64) {
	for i := 0; i < len(ids); {
		j := i
		for j < len(ids) && ids[j] == ids[i] {
			j++
		}
		c := float64(j - i)
		switch {
		case m.kind == LogisticRegression && m.rawTF:
			c *= m.idf[ids[i]]
		case m.kind == LogisticRegression:
			c = (1 + math.Log(c)) * m.idf[ids[i]]
		case m.binary:
			c = 1
		}
		idx, val = append(idx, ids[i]), append(val, c)
		i = j
	}
	if m.kind == LogisticRegression {
		var n float64
		for _, v := range val {
			n += v * v
		}
		if n > 0 {
			n = 1 / math.Sqrt(n)
			for i := range val {
				val[i] *= n
			}
		}
	}
	return idx, val
}

// probabilities returns the class probabilities of the tokens (one per
// class), in sc.p; sc.idx and sc.val then hold the text's feature
// vector, for explain.
func (m *Model) probabilities(toks []token, sc *modelScratch) []float64 {
	sc.ids = m.featureIDs(toks, &sc.feat, sc.ids[:0])
	sc.idx, sc.val = m.vector(sc.ids, sc.idx[:0], sc.val[:0])
	sc.p = resize(sc.p, len(m.classes))
	return m.softmax(sc.idx, sc.val, sc.p)
}

func (m *Model) softmax(idx []int32, val []float64, p []float64) []float64 {
	K := len(m.classes)
	copy(p, m.bias)
	for i, id := range idx {
		row := m.weights[int(id)*K : int(id)*K+K]
		for k := range row {
			p[k] += val[i] * row[k]
		}
	}
	softmaxInPlace(p)
	return p
}

func softmaxInPlace(z []float64) {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, v)
	}
	var sum float64
	for i, v := range z {
		z[i] = math.Exp(v - mx)
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
}

// maxModelEvidence is how many model features are reported per category.
const maxModelEvidence = 3

// explain calls add with, for each requested class (classes[c]), up to
// maxModelEvidence features of the vector in sc that speak most for it
// over the average class: value × (weight for the class − mean weight
// of the feature), largest first (ties: earlier feature).
func (m *Model) explain(sc *modelScratch, classes []int, add func(c int, e Evidence)) {
	K := len(m.classes)
	top := resize(sc.top, len(classes))
	sc.top = top
	for i, id := range sc.idx {
		row := m.weights[int(id)*K : int(id)*K+K]
		var mean float64
		for _, w := range row {
			mean += w
		}
		mean /= float64(K)
		for c, k := range classes {
			s := sc.val[i] * (row[k] - mean)
			t := &top[c]
			if s <= t[maxModelEvidence-1].score {
				continue
			}
			j := maxModelEvidence - 1
			for j > 0 && s > t[j-1].score {
				t[j] = t[j-1]
				j--
			}
			t[j] = contrib{id, s}
		}
	}
	for c := range classes {
		for _, x := range top[c] {
			if x.score <= 0 {
				break
			}
			term := m.terms[x.term]
			add(c, Evidence{Kind: EvidenceModel, Pattern: term, Text: term, TextRU: term, Weight: x.score})
		}
	}
}

// Train learns a model from labelled examples. Classes are the distinct
// labels, sorted. Each text is read like a complaint (at most
// DefaultMaxTextBytes). Training is deterministic: the same examples and
// options give the same model. Errors match ErrInvalidTraining.
func Train(examples []Example, opt TrainOptions) (*Model, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(examples) == 0 {
		return nil, newError(ErrInvalidTraining, ReasonEmpty, "examples", "", "")
	}
	labels := make(map[string]int)
	for i, ex := range examples {
		if strings.TrimSpace(ex.Label) == "" {
			return nil, newError(ErrInvalidTraining, ReasonEmpty, fmt.Sprintf("examples[%d].label", i), "", "")
		}
		if len(ex.Label) > maxClassBytes || !utf8.ValidString(ex.Label) {
			return nil, newError(ErrInvalidTraining, ReasonOutOfRange, fmt.Sprintf("examples[%d].label", i), ex.Label,
				fmt.Sprintf("a label is valid UTF-8 of at most %d bytes", maxClassBytes))
		}
		labels[ex.Label]++
	}
	if len(labels) < 2 {
		return nil, newError(ErrInvalidTraining, ReasonTooFewClasses, "examples", "", "")
	}
	if len(labels) > maxModelClasses {
		return nil, newError(ErrInvalidTraining, ReasonTooLarge, "examples", "", fmt.Sprintf("at most %d classes", maxModelClasses))
	}
	if opt.Kind == LogisticRegression && len(opt.L2Grid) >= 2 {
		opt.L2 = selectL2(examples, opt)
	}
	m := &Model{kind: opt.Kind, ngrams: opt.NGrams, binary: opt.Binary && opt.Kind == NaiveBayes,
		unstemmed: opt.NoStemming, minRunes: opt.MinWordRunes, rawTF: opt.RawTF && opt.Kind == LogisticRegression,
		negation: opt.MarkNegation}
	if m.minRunes == 1 {
		m.minRunes = 0
	}
	for c := range labels {
		m.classes = append(m.classes, c)
	}
	slices.Sort(m.classes)
	classIndex := make(map[string]int, len(m.classes))
	for k, c := range m.classes {
		classIndex[c] = k
	}

	// Extract features: per example, its distinct terms and their counts.
	type docTerms struct {
		terms  []string
		counts []int
	}
	docs := make([]docTerms, len(examples))
	df := make(map[string]int)
	index := make(map[string]int)
	az := getAnalyzer()
	for i, ex := range examples {
		a := az.analyze(ex.Text, DefaultMaxTextBytes)
		d := &docs[i]
		d.terms = make([]string, 0, opt.NGrams*len(a.tokens))
		d.counts = make([]int, 0, opt.NGrams*len(a.tokens))
		clear(index)
		m.features(a.tokens, &az.model.feat, func(word string, bigram []byte) {
			j, ok := 0, false
			if bigram != nil {
				j, ok = index[string(bigram)]
			} else {
				j, ok = index[word]
			}
			if ok {
				d.counts[j]++
				return
			}
			switch {
			case bigram != nil:
				word = string(bigram)
			case m.unstemmed:
				word = strings.Clone(word) // not a slice of the whole text
			}
			index[word] = len(d.terms)
			d.terms, d.counts = append(d.terms, word), append(d.counts, 1)
		})
		for _, t := range d.terms {
			df[t]++
		}
	}
	putAnalyzer(az)

	// Choose the vocabulary: df ≥ MinDF, at most MaxFeatures by df, then sorted.
	for t, n := range df {
		if n >= opt.MinDF {
			m.terms = append(m.terms, t)
		}
	}
	if len(m.terms) > opt.MaxFeatures {
		slices.SortFunc(m.terms, func(a, b string) int {
			if c := cmp.Compare(df[b], df[a]); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		m.terms = m.terms[:opt.MaxFeatures]
	}
	slices.Sort(m.terms)
	m.vocab = make(map[string]int32, len(m.terms))
	for i, t := range m.terms {
		m.vocab[t] = int32(i)
	}
	K, V := len(m.classes), len(m.terms)
	m.bias = make([]float64, K)
	m.weights = make([]float64, V*K)

	// Per-example sparse vectors in vocabulary order.
	ys := make([]int, len(examples))
	vecs := make([]sparseVec, len(examples))
	if m.kind == LogisticRegression {
		m.idf = make([]float64, V)
		n := float64(len(examples))
		for i, t := range m.terms {
			m.idf[i] = math.Log((1+n)/(1+float64(df[t]))) + 1
		}
	}
	for i, ex := range examples {
		ys[i] = classIndex[ex.Label]
		var ids []int32
		for j, t := range docs[i].terms {
			if id, ok := m.vocab[t]; ok {
				for range docs[i].counts[j] {
					ids = append(ids, id)
				}
			}
		}
		slices.Sort(ids)
		vecs[i].idx, vecs[i].val = m.vector(ids, nil, nil)
		docs[i] = docTerms{}
	}
	classWeight := make([]float64, K)
	for k, c := range m.classes {
		classWeight[k] = 1
		if opt.Balanced {
			classWeight[k] = float64(len(examples)) / (float64(K) * float64(labels[c]))
		}
	}
	if m.kind != LogisticRegression {
		m.trainNB(vecs, ys, labels, opt)
	} else {
		m.trainLR(vecs, ys, classWeight, opt)
	}
	return m, nil
}

func (o TrainOptions) withDefaults() (TrainOptions, error) {
	bad := func(field string, v any) (TrainOptions, error) {
		return o, newError(ErrInvalidTraining, ReasonOutOfRange, "options."+field, fmt.Sprint(v), "")
	}
	switch o.Kind {
	case "":
		o.Kind = LogisticRegression
	case NaiveBayes, LogisticRegression, ComplementNB:
	default:
		return o, newError(ErrInvalidTraining, ReasonUnknownKind, "options.kind", string(o.Kind), "")
	}
	switch o.NGrams {
	case 0:
		o.NGrams = 2
	case 1, 2:
	default:
		return bad("ngrams", o.NGrams)
	}
	if o.MinDF < 0 {
		return bad("min_df", o.MinDF)
	}
	o.MinDF = max(o.MinDF, 1)
	if o.MaxFeatures < 0 || o.MaxFeatures > maxModelTerms {
		return bad("max_features", o.MaxFeatures)
	}
	if o.MaxFeatures == 0 {
		o.MaxFeatures = defaultMaxFeatures
	}
	if !validWeight(o.Alpha, 0, 1e3) {
		return bad("alpha", o.Alpha)
	}
	if o.Alpha == 0 {
		o.Alpha = defaultAlpha
	}
	if !validWeight(o.L2, 0, 1e3) {
		return bad("l2", o.L2)
	}
	if o.L2 == 0 {
		o.L2 = defaultL2
	}
	if o.MaxIter < 0 || o.MaxIter > 100_000 {
		return bad("max_iter", o.MaxIter)
	}
	if o.MaxIter == 0 {
		o.MaxIter = defaultMaxIter
	}
	if len(o.L2Grid) > 100 {
		return bad("l2_grid", len(o.L2Grid))
	}
	for _, l2 := range o.L2Grid {
		if !validWeight(l2, 0, 1e3) || l2 == 0 {
			return bad("l2_grid", l2)
		}
	}
	if o.MinWordRunes < 0 || o.MinWordRunes > maxStemRunes {
		return bad("min_word_runes", o.MinWordRunes)
	}
	if o.Binary && o.Kind != NaiveBayes {
		return bad("binary", o.Binary) // counts once per text for naive Bayes only; not silently ignored
	}
	if o.RawTF && o.Kind != LogisticRegression {
		return bad("raw_tf", o.RawTF)
	}
	switch {
	case o.InnerFolds == 0:
		o.InnerFolds = defaultInnerFolds
	case o.InnerFolds < 2 || o.InnerFolds > 10:
		return bad("inner_folds", o.InnerFolds)
	}
	return o, nil
}

func (m *Model) trainNB(vecs []sparseVec, ys []int, labels map[string]int, opt TrainOptions) {
	K, V := len(m.classes), len(m.terms)
	total := make([]float64, K)
	for i, v := range vecs {
		k := ys[i]
		for j, id := range v.idx {
			m.weights[int(id)*K+k] += v.val[j]
			total[k] += v.val[j]
		}
	}
	n := float64(len(vecs))
	if m.kind == ComplementNB {
		m.complement(total, opt.Alpha)
		return
	}
	for k, c := range m.classes {
		denom := math.Log(total[k] + opt.Alpha*float64(V))
		for t := range V {
			m.weights[t*K+k] = math.Log(m.weights[t*K+k]+opt.Alpha) - denom
		}
		if opt.Balanced {
			m.bias[k] = -math.Log(float64(K))
		} else {
			m.bias[k] = math.Log(float64(labels[c]) / n)
		}
	}
}

// complement turns the per-class feature counts held in m.weights into
// complement naive Bayes weights: for class k and term t, the smoothed
// log share of t in the counts of every other class, negated (a term
// frequent elsewhere speaks against k) and scaled so that each class's
// weights have unit L1 norm (times a fixed gain, so that softmax
// probabilities are not all but uniform). total holds each class's
// count; class priors are not used.
func (m *Model) complement(total []float64, alpha float64) {
	const gain = 100
	K, V := len(m.classes), len(m.terms)
	termTotal := make([]float64, V)
	var all float64
	for t := range V {
		for k := range K {
			termTotal[t] += m.weights[t*K+k]
		}
		all += termTotal[t]
	}
	col := make([]float64, V)
	for k := range K {
		denom := math.Log(all - total[k] + alpha*float64(V))
		var norm float64
		for t := range V {
			col[t] = math.Log(termTotal[t]-m.weights[t*K+k]+alpha) - denom
			norm += math.Abs(col[t])
		}
		if norm == 0 {
			norm = 1
		}
		for t := range V {
			m.weights[t*K+k] = -gain * col[t] / norm
		}
		m.bias[k] = 0
	}
}

// selectL2 chooses the logistic regression's penalty among opt.L2Grid by
// an inner stratified cross-validation on examples alone: each label's
// examples, in input order, are dealt round-robin into opt.InnerFolds
// folds; each candidate is trained on all folds but one and scored on
// that one; the candidate with the best macro-F1 over the pooled
// predictions wins, ties going to the larger penalty (the simpler
// model). It is deterministic.
func selectL2(examples []Example, opt TrainOptions) float64 {
	k := opt.InnerFolds
	fold := make([]int, len(examples))
	seen := make(map[string]int)
	for i, ex := range examples {
		fold[i] = seen[ex.Label] % k
		seen[ex.Label]++
	}
	grid := slices.Clone(opt.L2Grid)
	slices.Sort(grid)
	inner := opt
	inner.L2Grid = nil
	bestL2, bestF1 := grid[len(grid)-1], math.Inf(-1)
	for gi := len(grid) - 1; gi >= 0; gi-- {
		inner.L2 = grid[gi]
		pred := make([]string, len(examples))
		for f := range k {
			var train []Example
			for i, ex := range examples {
				if fold[i] != f {
					train = append(train, ex)
				}
			}
			m, err := Train(train, inner)
			if err != nil { // a fold with one class: predict its label
				for i := range examples {
					if fold[i] == f && len(train) > 0 {
						pred[i] = train[0].Label
					}
				}
				continue
			}
			for i, ex := range examples {
				if fold[i] == f {
					pred[i] = m.Predict(ex.Text)[0].Class
				}
			}
		}
		if f1 := macroF1(examples, pred); f1 > bestF1 {
			bestL2, bestF1 = grid[gi], f1
		}
	}
	return bestL2
}

// macroF1 is the mean F1 over the labels of examples, pred[i] being the
// prediction for examples[i].
func macroF1(examples []Example, pred []string) float64 {
	tp := make(map[string]int)
	fp := make(map[string]int)
	fn := make(map[string]int)
	for i, ex := range examples {
		if pred[i] == ex.Label {
			tp[ex.Label]++
			continue
		}
		fn[ex.Label]++
		fp[pred[i]]++
	}
	var labels []string
	for _, ex := range examples {
		labels = append(labels, ex.Label)
	}
	slices.Sort(labels)
	labels = slices.Compact(labels) // a fixed order: the float sum is then reproducible
	var sum float64
	for _, l := range labels {
		if d := 2*tp[l] + fp[l] + fn[l]; d > 0 {
			sum += 2 * float64(tp[l]) / float64(d)
		}
	}
	return sum / float64(len(labels))
}

func (m *Model) trainLR(vecs []sparseVec, ys []int, classWeight []float64, opt TrainOptions) {
	K, V := len(m.classes), len(m.terms)
	var wsum float64
	for _, y := range ys {
		wsum += classWeight[y]
	}
	theta := make([]float64, V*K+K)
	z := make([]float64, K)
	fg := func(x, g []float64) float64 {
		W, b := x[:V*K], x[V*K:]
		gW, gb := g[:V*K], g[V*K:]
		clear(g)
		var loss float64
		for i, v := range vecs {
			copy(z, b)
			for j, id := range v.idx {
				row := W[int(id)*K : int(id)*K+K]
				for k := range row {
					z[k] += v.val[j] * row[k]
				}
			}
			mx := math.Inf(-1)
			for _, zk := range z {
				mx = math.Max(mx, zk)
			}
			var sum float64
			for k := range z {
				z[k] = math.Exp(z[k] - mx)
				sum += z[k]
			}
			y, cw := ys[i], classWeight[ys[i]]
			loss -= cw * (math.Log(z[y] / sum))
			for k := range z {
				z[k] = cw * z[k] / sum
			}
			z[y] -= cw
			for j, id := range v.idx {
				row := gW[int(id)*K : int(id)*K+K]
				for k := range row {
					row[k] += v.val[j] * z[k]
				}
			}
			for k := range z {
				gb[k] += z[k]
			}
		}
		inv := 1 / wsum
		loss *= inv
		scale(inv, g)
		var reg float64
		for i, w := range W {
			reg += w * w
			gW[i] += opt.L2 * w
		}
		return loss + opt.L2/2*reg
	}
	m.fit = minimizeLBFGS(fg, theta, opt.MaxIter, gradTol)
	copy(m.weights, theta[:V*K])
	copy(m.bias, theta[V*K:])
}

// modelDoc is the JSON form of a model:
//
//	{"format": "crmkit.rootcause.model", "version": 1 | 2 | 3 | 4,
//	 "kind": "naive_bayes" | "logistic_regression" | "complement_naive_bayes",
//	 "ngrams": 1 | 2, "binary": bool (naive Bayes only),
//	 "unstemmed": bool,                // version 3: features are words, not stems
//	 "min_word_runes": 2..40,          // version 3: shorter words are not features
//	 "raw_tf": bool,                   // version 3, logistic regression: raw counts
//	 "negation": bool,                 // version 4: negated words are "¬" + term
//	 "classes": [label, ...],
//	 "terms": [feature, ...],          // sorted, unique; a bigram is "term term"
//	 "idf": [float per term],          // logistic regression only
//	 "bias": [float per class],
//	 "weights": [[float per class] per term]}
//
// Version 2 added the kind complement_naive_bayes; version 3 added the
// three feature fields (absent: stems, every word, 1 + ln count);
// version 4 added negation marks. A model is written in the oldest
// version that holds it — version 1 unless it is complement naive Bayes
// (2), uses a version 3 field (3) or marks negation (4) — so that older
// readers still read it, and every version is read.
type modelDoc struct {
	Format       string      `json:"format"`
	Version      int         `json:"version"`
	Kind         ModelKind   `json:"kind"`
	NGrams       int         `json:"ngrams"`
	Binary       bool        `json:"binary,omitempty"`
	Unstemmed    bool        `json:"unstemmed,omitempty"`
	MinWordRunes int         `json:"min_word_runes,omitempty"`
	RawTF        bool        `json:"raw_tf,omitempty"`
	Negation     bool        `json:"negation,omitempty"`
	Classes      []string    `json:"classes"`
	Terms        []string    `json:"terms"`
	IDF          []float64   `json:"idf,omitempty"`
	Bias         []float64   `json:"bias"`
	Weights      [][]float64 `json:"weights"`
}

// MarshalJSON writes the model in its versioned JSON format (see
// LoadModel). Saving and loading gives back the same model.
func (m *Model) MarshalJSON() ([]byte, error) {
	K := len(m.classes)
	doc := modelDoc{
		Format: modelFormat, Version: 1, Kind: m.kind, NGrams: m.ngrams, Binary: m.binary,
		Unstemmed: m.unstemmed, MinWordRunes: m.minRunes, RawTF: m.rawTF, Negation: m.negation,
		Classes: m.classes, Terms: m.terms, IDF: m.idf, Bias: m.bias,
		Weights: make([][]float64, len(m.terms)),
	}
	for t := range m.terms {
		doc.Weights[t] = m.weights[t*K : t*K+K]
	}
	if m.kind == ComplementNB {
		doc.Version = 2
	}
	if m.unstemmed || m.minRunes > 1 || m.rawTF {
		doc.Version = 3
	}
	if m.negation {
		doc.Version = 4
	}
	if doc.Terms == nil {
		doc.Terms = []string{}
	}
	return json.Marshal(doc)
}

// UnmarshalJSON reads a model like LoadModel.
func (m *Model) UnmarshalJSON(data []byte) error {
	loaded, err := LoadModel(data)
	if err != nil {
		return err
	}
	*m = *loaded
	return nil
}

// ReadModel reads a model document of at most MaxModelBytes from r.
func ReadModel(r io.Reader) (*Model, error) { return readModel(r, MaxModelBytes) }

func readModel(r io.Reader, limit int64) (*Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &Error{Kind: ErrInvalidModel, Reason: ReasonMalformedJSON, Err: err}
	}
	return loadModel(data, limit)
}

// modelProblem turns what strictjson refuses in a model document into an
// *Error matching ErrInvalidModel: a key given twice is a duplicate; a
// key not spelt exactly as a field (another case, an unknown name), a
// value of the wrong JSON kind or nesting too deep is malformed JSON.
func modelProblem(p *strictjson.Problem) *Error {
	switch p.Kind {
	case strictjson.Duplicate:
		return newError(ErrInvalidModel, ReasonDuplicate, p.Path, p.Token, "the key is given twice")
	case strictjson.UnknownField:
		return newError(ErrInvalidModel, ReasonMalformedJSON, p.Path, p.Token, "unknown field (field names are case-sensitive)")
	case strictjson.WrongType:
		return newError(ErrInvalidModel, ReasonMalformedJSON, p.Path, p.Token, "want a JSON "+p.Want+", got "+p.Got)
	}
	return newError(ErrInvalidModel, ReasonMalformedJSON, p.Path, "", "nested too deeply")
}

// LoadModel reads a model saved by MarshalJSON and checks it whole: the
// format name and version (1 to 4; the feature options of versions 3
// and 4 only from those versions on), the kind, unknown fields, at least two unique
// classes, unique non-empty terms, every array of the right length and
// every number finite and within ±1e6 (idf positive). Errors match
// ErrInvalidModel and name the field at fault.
func LoadModel(data []byte) (*Model, error) { return loadModel(data, MaxModelBytes) }

func loadModel(data []byte, limit int64) (*Model, error) {
	bad := func(reason Reason, field, value, detail string) (*Model, error) {
		return nil, newError(ErrInvalidModel, reason, field, value, detail)
	}
	if int64(len(data)) > limit {
		return bad(ReasonTooLarge, "", "", fmt.Sprintf("at most %d bytes", limit))
	}
	if p := strictjson.Check(data, reflect.TypeFor[modelDoc]()); p != nil {
		return nil, modelProblem(p)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc modelDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, &Error{Kind: ErrInvalidModel, Reason: ReasonMalformedJSON, Detail: shorten(err.Error())}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return bad(ReasonMalformedJSON, "", "", "data after the model")
	}
	if doc.Format != modelFormat {
		return bad(ReasonUnknownFormat, "format", doc.Format, "")
	}
	if doc.Version < 1 || doc.Version > modelVersion {
		return bad(ReasonBadVersion, "version", fmt.Sprint(doc.Version), fmt.Sprintf("this library reads versions 1 to %d", modelVersion))
	}
	switch {
	case doc.Kind == ComplementNB && doc.Version < 2:
		return bad(ReasonUnknownKind, "kind", string(doc.Kind), "complement naive Bayes needs version 2")
	case doc.Kind != NaiveBayes && doc.Kind != LogisticRegression && doc.Kind != ComplementNB:
		return bad(ReasonUnknownKind, "kind", string(doc.Kind), "")
	}
	if doc.NGrams != 1 && doc.NGrams != 2 {
		return bad(ReasonOutOfRange, "ngrams", fmt.Sprint(doc.NGrams), "1 or 2")
	}
	if doc.Binary && doc.Kind != NaiveBayes {
		return bad(ReasonOutOfRange, "binary", "true", "only naive Bayes counts presence")
	}
	if (doc.Unstemmed || doc.MinWordRunes != 0 || doc.RawTF) && doc.Version < 3 {
		return bad(ReasonBadVersion, "version", fmt.Sprint(doc.Version), "unstemmed, min_word_runes and raw_tf need version 3")
	}
	if doc.Negation && doc.Version < 4 {
		return bad(ReasonBadVersion, "version", fmt.Sprint(doc.Version), "negation needs version 4")
	}
	if doc.MinWordRunes != 0 && (doc.MinWordRunes < 2 || doc.MinWordRunes > maxStemRunes) {
		return bad(ReasonOutOfRange, "min_word_runes", fmt.Sprint(doc.MinWordRunes), fmt.Sprintf("2 to %d, or absent", maxStemRunes))
	}
	if doc.RawTF && doc.Kind != LogisticRegression {
		return bad(ReasonOutOfRange, "raw_tf", "true", "only logistic regression uses TF-IDF")
	}
	K, V := len(doc.Classes), len(doc.Terms)
	if K < 2 {
		return bad(ReasonTooFewClasses, "classes", "", "")
	}
	if K > maxModelClasses {
		return bad(ReasonTooLarge, "classes", "", fmt.Sprintf("at most %d", maxModelClasses))
	}
	seen := make(map[string]bool, K)
	for i, c := range doc.Classes {
		field := fmt.Sprintf("classes[%d]", i)
		switch {
		case strings.TrimSpace(c) == "":
			return bad(ReasonEmpty, field, "", "")
		case len(c) > maxClassBytes || !utf8.ValidString(c):
			return bad(ReasonOutOfRange, field, c, fmt.Sprintf("valid UTF-8 of at most %d bytes", maxClassBytes))
		case seen[c]:
			return bad(ReasonDuplicate, field, c, "")
		}
		seen[c] = true
	}
	if V > maxModelTerms {
		return bad(ReasonTooLarge, "terms", "", fmt.Sprintf("at most %d", maxModelTerms))
	}
	m := &Model{kind: doc.Kind, ngrams: doc.NGrams, binary: doc.Binary, unstemmed: doc.Unstemmed,
		minRunes: doc.MinWordRunes, rawTF: doc.RawTF, negation: doc.Negation, classes: doc.Classes, terms: doc.Terms,
		vocab: make(map[string]int32, V), bias: doc.Bias}
	for i, t := range doc.Terms {
		field := fmt.Sprintf("terms[%d]", i)
		switch {
		case t == "":
			return bad(ReasonEmpty, field, "", "")
		case len(t) > maxTermBytes || !utf8.ValidString(t):
			return bad(ReasonOutOfRange, field, t, fmt.Sprintf("valid UTF-8 of at most %d bytes", maxTermBytes))
		}
		if _, dup := m.vocab[t]; dup {
			return bad(ReasonDuplicate, field, t, "")
		}
		m.vocab[t] = int32(i)
	}
	finite := func(field string, xs []float64, positive bool) error {
		for i, x := range xs {
			if math.IsNaN(x) || math.Abs(x) > maxModelMagitude || (positive && !(x > 0)) {
				_, err := bad(ReasonNotFinite, fmt.Sprintf("%s[%d]", field, i), fmt.Sprint(x), "")
				return err
			}
		}
		return nil
	}
	if len(doc.Bias) != K {
		return bad(ReasonShapeMismatch, "bias", "", fmt.Sprintf("%d values for %d classes", len(doc.Bias), K))
	}
	if err := finite("bias", doc.Bias, false); err != nil {
		return nil, err
	}
	if doc.Kind == LogisticRegression {
		if len(doc.IDF) != V {
			return bad(ReasonShapeMismatch, "idf", "", fmt.Sprintf("%d values for %d terms", len(doc.IDF), V))
		}
		if err := finite("idf", doc.IDF, true); err != nil {
			return nil, err
		}
		m.idf = doc.IDF
	} else if doc.IDF != nil {
		return bad(ReasonShapeMismatch, "idf", "", "naive Bayes has no idf")
	}
	if len(doc.Weights) != V {
		return bad(ReasonShapeMismatch, "weights", "", fmt.Sprintf("%d rows for %d terms", len(doc.Weights), V))
	}
	for t, row := range doc.Weights {
		if len(row) != K {
			return bad(ReasonShapeMismatch, fmt.Sprintf("weights[%d]", t), "", fmt.Sprintf("%d values for %d classes", len(row), K))
		}
	}
	// Only now, with V×K values present in the document, is V×K worth allocating.
	m.weights = make([]float64, V*K)
	for t, row := range doc.Weights {
		field := fmt.Sprintf("weights[%d]", t)
		if err := finite(field, row, false); err != nil {
			return nil, err
		}
		copy(m.weights[t*K:], row)
	}
	return m, nil
}
