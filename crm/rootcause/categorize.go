package rootcause

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/crmkit/crmkit/internal/lang"
)

// EvidenceKind says where a piece of evidence comes from.
type EvidenceKind string

// The kinds of evidence.
const (
	EvidenceTerm  EvidenceKind = "term"  // a lexicon word or phrase found in the text
	EvidenceFact  EvidenceKind = "fact"  // a fact rule that fired
	EvidenceModel EvidenceKind = "model" // a feature the trained model weighed for the category
)

// Evidence is one reason for a category's score.
type Evidence struct {
	Kind EvidenceKind
	// Pattern is the lexicon pattern, the fact rule's ID, or the model
	// feature (a stem or "stem stem").
	Pattern string
	// Text is what was found: the normalised words of the text, the
	// fact's detail in English, or the model feature.
	Text string
	// TextRU is the fact's detail in Russian; for other kinds it is Text.
	TextRU string
	// Weight is the term's or fact's weight, or the model feature's
	// contribution (its value times its weight for the category above
	// the mean weight).
	Weight float64
	// Negated marks a term found under a negation ("не повреждена"): it
	// is reported but did not count.
	Negated bool
}

// Message describes the evidence in the language of tag.
func (e Evidence) Message(tag string) string {
	switch e.Kind {
	case EvidenceFact:
		return lang.Pick(tag, "fact: "+e.Text, "факт: "+e.TextRU) + fmt.Sprintf(" (+%.1f)", e.Weight)
	case EvidenceModel:
		return lang.Pick(tag, "model: ", "модель: ") + fmt.Sprintf("%q (+%.2f)", e.Text, e.Weight)
	}
	if e.Negated {
		return fmt.Sprintf("%q ", e.Text) + lang.Pick(tag, "(negated, not counted)", "(с отрицанием, не учтено)")
	}
	return fmt.Sprintf("%q (+%.1f)", e.Text, e.Weight)
}

// Score is a category's result for one complaint.
type Score struct {
	Code     Code
	Category Category
	// Confidence is the final probability of the category, 0–1; the
	// confidences of a Result sum to 1.
	Confidence float64
	// RuleScore is the sum of the weights of the category's terms found
	// in the text, the heaviest only where several match the same words
	// (plus the fallback's head start, for the fallback, and the
	// failure evidence credited to a customer-caused category).
	RuleScore float64
	// RuleProbability is the rules engine's probability alone.
	RuleProbability float64
	// ModelProbability is the trained model's probability (0 without a model).
	ModelProbability float64
	// FactScore is the sum of the weights of the fact rules that fired.
	FactScore float64
	// Evidence lists terms, facts and model features, in the order found
	// (at most 16 terms and 3 model features). Where several terms of
	// the category match the same words, only the one that decides the
	// score there is listed.
	Evidence []Evidence
}

// Result is the categorisation of one complaint.
type Result struct {
	// Ranked holds every category of the taxonomy, most confident first;
	// ties keep taxonomy order.
	Ranked []Score
	// NeedsReview is set when the best confidence is below the threshold.
	NeedsReview bool
	Threshold   float64
	// Language is the dominant script of the text: "ru", "en", "mixed" or
	// "" when it has no words.
	Language string
	// Truncated is set when only the first MaxTextBytes of the text were read.
	Truncated bool
	// Words is the number of words read.
	Words int
	// UsedModel is set when a trained model took part.
	UsedModel bool
}

// Best returns the most confident category (the zero Score if none).
func (r Result) Best() Score {
	if len(r.Ranked) == 0 {
		return Score{}
	}
	return r.Ranked[0]
}

// Code returns the code of the most confident category: the decision's
// stable, machine-readable reason code.
func (r Result) Code() string { return string(r.Best().Code) }

// Message states the decision in the language of tag: "Damage in transit
// (confidence 82%)", with "needs review" when it does.
func (r Result) Message(tag string) string {
	b := r.Best()
	pct := math.Round(b.Confidence * 100)
	en := fmt.Sprintf("%s (confidence %.0f%%)", b.Category.NameEN, pct)
	ru := fmt.Sprintf("%s (уверенность %.0f%%)", b.Category.NameRU, pct)
	if r.NeedsReview {
		en += ": needs review"
		ru += ": требуется проверка"
	}
	return lang.Pick(tag, en, ru)
}

// Config assembles a Categorizer. The zero Config gives RulesOnly:
// default taxonomy, lexicon and fact rules, no model; Default is
// Config{Model: BuiltinModel(), ModelWeight: BuiltinModelWeight}.
type Config struct {
	// Taxonomy is the set of categories; nil means DefaultTaxonomy.
	Taxonomy *Taxonomy
	// Lexicon holds the rule terms; nil means DefaultLexicon. Every
	// term's code must be in the taxonomy.
	Lexicon *Lexicon
	// FactRules are the rules on structured facts; nil means
	// DefaultFactRules, an empty non-nil slice means none.
	FactRules []FactRule
	// Model is an optional trained model; its classes must be codes of
	// the taxonomy (a taxonomy code it lacks gets probability 0 from it).
	Model *Model
	// ModelWeight is the model's share when text evidence is blended,
	// in (0, 1]; 0 means 0.5. Ignored without a model.
	ModelWeight float64
	// ReviewThreshold: a result whose best confidence is below it needs
	// review; in (0, 1]; 0 means 0.5.
	ReviewThreshold float64
	// FallbackBias is the head start of the fallback category (OTHER) in
	// the rules engine, so that a text without evidence lands there:
	// in (0, 20]; 0 means 1.
	FallbackBias float64
	// MaxTextBytes caps the text read, 1 byte to 1 MiB; 0 means
	// DefaultMaxTextBytes (64 KiB).
	MaxTextBytes int
}

// Categorizer ranks the root causes of complaints. It is immutable and
// safe for concurrent use.
//
// How a complaint is scored (everything is deterministic):
//
//  1. Text. The first MaxTextBytes of the text are normalised (lower
//     case, ё→е, look-alike Latin/Cyrillic letters resolved), split into
//     words and clauses, and each word is stemmed (Russian or English
//     Snowball by script). Lexicon phrases are found longest first; a
//     negated term does not count unless the term keeps negation; each
//     term counts once however often it appears.
//  2. Rules. A category's rule score r is the sum of its terms' weights,
//     except that where several terms of one category match the same
//     words (overlapping entries such as "разби*" and "разбит*"), only
//     the heaviest of them counts. A customer-caused category (such as
//     CUSTOMER_MISUSE) that has evidence of its own is then credited
//     with half the PRODUCT_DEFECT score, because a misuse claim
//     describes the failure it caused in the words of a defect claim
//     (see symptomShare). The fallback category gets FallbackBias on
//     top. The rules
//     probability is softmax(r) over the taxonomy: a weight is a log-odds
//     increment, so a weight-3 term makes its category e³ ≈ 20 times as
//     likely as a category with no evidence.
//  3. Model. With a trained model, the text probability is
//     (1−w)·P_rules + w·P_model, w = ModelWeight. Without one it is
//     P_rules.
//  4. Facts. Fact rules then act as strong, independent evidence: the
//     final confidence is proportional to P_text · e^(sum of the weights
//     of the category's fired fact rules). A default fact (weight 4)
//     multiplies its category's odds by about 55.
//  5. Review. The result needs review when the best confidence is below
//     ReviewThreshold.
//
// Calibration: with the default lexicon, no model and no facts, a text
// with no evidence gives OTHER about 18%; one weight-2 term gives its
// category about 35% (review); one weight-3 term about 59%; two weight-2
// terms about 80%. Measured on the development claims, the results of
// Default not flagged for review were right 93% (Russian) and 94%
// (English) of the time, the flagged ones 47% and 50%; with the rules
// alone, 86% and 92%, and 46% and 22%.
type Categorizer struct {
	tax          *Taxonomy
	lex          *Lexicon
	entryCat     [][]int32 // per phrase, per entry: taxonomy index
	facts        []FactRule
	factCat      []int
	model        *Model
	modelCat     []int // per model class: taxonomy index
	modelWeight  float64
	threshold    float64
	fallbackBias float64
	maxText      int
	defect       int // taxonomy index of ProductDefect, or -1
}

// symptomShare is the share of the product-defect rule score that a
// customer-caused category with its own evidence is credited with.
//
// A claim about misuse nearly always describes the failure the misuse
// caused ("лопнул", "stopped working"), in the very words of a defect
// claim; what sets it apart is the account of what the customer did. So
// failure words are evidence of a failure, not evidence against misuse:
// once a customer-caused category has evidence of its own, half of the
// failure evidence counts for it as well. Without evidence of its own it
// gets nothing, so a plain defect claim is unaffected.
const symptomShare = 0.5

// creditSymptoms applies symptomShare to the rule scores.
func (c *Categorizer) creditSymptoms(scores []Score) {
	if c.defect < 0 {
		return
	}
	symptoms := scores[c.defect].RuleScore
	if symptoms == 0 {
		return
	}
	for k := range scores {
		if k != c.defect && c.tax.cats[k].CustomerCaused && scores[k].RuleScore > 0 {
			scores[k].RuleScore += symptomShare * symptoms
		}
	}
}

// New checks the configuration and builds a Categorizer. Errors match
// ErrInvalidConfig and name the field at fault.
func New(cfg Config) (*Categorizer, error) {
	bad := func(reason Reason, field, value, detail string) (*Categorizer, error) {
		return nil, newError(ErrInvalidConfig, reason, field, value, detail)
	}
	c := &Categorizer{tax: cfg.Taxonomy, lex: cfg.Lexicon, model: cfg.Model}
	if c.tax == nil {
		c.tax = DefaultTaxonomy()
	}
	c.defect = -1
	if k, ok := c.tax.index[ProductDefect]; ok {
		c.defect = k
	}
	if c.lex == nil {
		c.lex = DefaultLexicon()
	}
	c.entryCat = make([][]int32, len(c.lex.phrases))
	for p, ph := range c.lex.phrases {
		c.entryCat[p] = make([]int32, len(ph.entries))
		for e, en := range ph.entries {
			k, ok := c.tax.index[en.code]
			if !ok {
				return bad(ReasonUnknownCode, fmt.Sprintf("lexicon.terms[%d].code", en.term), string(en.code), "")
			}
			c.entryCat[p][e] = int32(k)
		}
	}
	c.facts = cfg.FactRules
	if c.facts == nil {
		c.facts = DefaultFactRules()
	} else {
		c.facts = slices.Clone(c.facts)
	}
	ids := make(map[string]bool)
	for i, f := range c.facts {
		field := fmt.Sprintf("fact_rules[%d]", i)
		k, ok := c.tax.index[f.Code]
		switch {
		case strings.TrimSpace(f.ID) == "":
			return bad(ReasonEmpty, field+".id", "", "")
		case ids[f.ID]:
			return bad(ReasonDuplicate, field+".id", f.ID, "")
		case !ok:
			return bad(ReasonUnknownCode, field+".code", string(f.Code), "")
		case !(f.Weight > 0 && f.Weight <= maxTermWeight):
			return bad(ReasonOutOfRange, field+".weight", fmt.Sprint(f.Weight), "a weight is in (0, 20]")
		case f.Check == nil:
			return bad(ReasonEmpty, field+".check", "", "")
		}
		ids[f.ID] = true
		c.factCat = append(c.factCat, k)
	}
	if c.model != nil {
		for i, class := range c.model.classes {
			k, ok := c.tax.index[Code(class)]
			if !ok {
				return bad(ReasonUnknownCode, fmt.Sprintf("model.classes[%d]", i), class, "a model class must be a taxonomy code")
			}
			c.modelCat = append(c.modelCat, k)
		}
	}
	var err error
	if c.modelWeight, err = setting("model_weight", cfg.ModelWeight, 0.5, 0, 1); err != nil {
		return nil, err
	}
	if c.threshold, err = setting("review_threshold", cfg.ReviewThreshold, 0.5, 0, 1); err != nil {
		return nil, err
	}
	if c.fallbackBias, err = setting("fallback_bias", cfg.FallbackBias, 1, 0, maxTermWeight); err != nil {
		return nil, err
	}
	switch {
	case cfg.MaxTextBytes == 0:
		c.maxText = DefaultMaxTextBytes
	case cfg.MaxTextBytes < 0 || cfg.MaxTextBytes > maxTextBytesLimit:
		return bad(ReasonOutOfRange, "max_text_bytes", fmt.Sprint(cfg.MaxTextBytes), "1 byte to 1 MiB")
	default:
		c.maxText = cfg.MaxTextBytes
	}
	return c, nil
}

// setting returns v, or def when v is 0; v must be in (lo, hi].
func setting(field string, v, def, lo, hi float64) (float64, error) {
	if v == 0 {
		return def, nil
	}
	if !(v > lo && v <= hi) {
		return 0, newError(ErrInvalidConfig, ReasonOutOfRange, field, fmt.Sprint(v), fmt.Sprintf("in (%g, %g]", lo, hi))
	}
	return v, nil
}

var (
	defaultCategorizer = sync.OnceValue(func() *Categorizer {
		return mustNew(Config{Model: BuiltinModel(), ModelWeight: BuiltinModelWeight})
	})
	rulesOnlyCategorizer = sync.OnceValue(func() *Categorizer { return mustNew(Config{}) })
)

func mustNew(cfg Config) *Categorizer {
	c, err := New(cfg)
	if err != nil {
		panic(err) // the defaults are inconsistent: caught by the tests
	}
	return c
}

// Default returns the categoriser to use out of the box: the default
// taxonomy, lexicon and fact rules blended with BuiltinModel (weight
// BuiltinModelWeight). It needs no training by the host; the first call
// trains the built-in model (some tens of milliseconds). The value is
// shared.
func Default() *Categorizer { return defaultCategorizer() }

// RulesOnly returns the default rules without a model: every piece of
// text evidence is a lexicon term, and it is about twice as fast as
// Default, but less accurate on complaints worded in ways the lexicon
// does not foresee (BENCHMARKS.md). It is the same as New(Config{}).
// The value is shared.
func RulesOnly() *Categorizer { return rulesOnlyCategorizer() }

// Taxonomy returns the categoriser's taxonomy.
func (c *Categorizer) Taxonomy() *Taxonomy { return c.tax }

// maxEvidence bounds the evidence of each kind kept per category.
const maxEvidence = 16

// Categorize ranks the causes of one complaint. Any text is accepted —
// empty, huge, binary, mixed scripts — and only its first MaxTextBytes
// are read, so time and memory are bounded; facts with nonsense values
// are ignored.
func (c *Categorizer) Categorize(text string, facts Facts) Result {
	az := getAnalyzer()
	defer putAnalyzer(az)
	a := az.analyze(text, c.maxText)
	toks := a.tokens
	K := c.tax.Len()
	az.scores = resize(az.scores, K)
	scores := az.scores
	for k := range scores {
		scores[k].Code = c.tax.cats[k].Code
		scores[k].Category = c.tax.cats[k]
	}
	res := Result{Threshold: c.threshold, Language: a.language(), Truncated: a.truncated, Words: len(toks),
		UsedModel: c.model != nil}

	// 1–2. Rules.
	az.consumed = resize(az.consumed, len(toks))
	az.matches = c.lex.scan(toks, az.matches[:0], az.consumed)
	az.state = resize(az.state, len(c.lex.terms)) // zeroed: no term seen yet
	az.best = resize(az.best, K)
	az.evCount = resize(az.evCount, K)
	az.evidence = az.evidence[:0]
	for gi := 0; gi < len(az.matches); {
		// Matches that start at one word cover the same words (scan keeps
		// only the longest); of the terms of one category found there,
		// only the heaviest counts.
		gj := gi + 1
		for gj < len(az.matches) && az.matches[gj].start == az.matches[gi].start {
			gj++
		}
		neg := negated(toks, az.consumed, az.matches[gi])
		touched := az.touched[:0]
		groupEvidence := len(az.evidence)
		for _, m := range az.matches[gi:gj] {
			ph := &c.lex.phrases[m.phrase]
			for e, en := range ph.entries {
				st := &az.state[en.term]
				counted := !neg || en.keepNegated
				if *st == 2 || (*st == 1 && !counted) {
					continue
				}
				k := c.entryCat[m.phrase][e]
				if counted {
					*st = 2
					if az.best[k] == 0 {
						touched = append(touched, k)
					}
					az.best[k] = max(az.best[k], en.weight)
				} else {
					*st = 1
				}
				last := &toks[m.end-1]
				az.evidence = c.noteEvidence(az.evidence, groupEvidence, az.evCount, termEvidence{k: k, term: en.term,
					from: toks[m.start].start, to: last.start + int32(len(last.surface)), negated: !counted})
			}
		}
		for _, k := range touched {
			scores[k].RuleScore += az.best[k]
			az.best[k] = 0
		}
		az.touched = touched
		gi = gj
	}
	c.attachEvidence(az, a.norm, scores)
	c.creditSymptoms(scores)
	scores[c.tax.fallback].RuleScore += c.fallbackBias
	p := make([]float64, K)
	for k := range scores {
		p[k] = scores[k].RuleScore
	}
	softmaxInPlace(p)
	for k := range scores {
		scores[k].RuleProbability = p[k]
	}

	// 3. Model.
	if c.model != nil {
		ms := &az.model
		pm := c.model.probabilities(toks, ms)
		w := c.modelWeight
		for k := range p {
			p[k] *= 1 - w
		}
		explained := ms.explained[:0]
		for j, k := range c.modelCat {
			p[k] += w * pm[j]
			scores[k].ModelProbability = pm[j]
			if pm[j] >= 0.05 {
				explained = append(explained, j)
			}
		}
		ms.explained = explained
		c.model.explain(ms, explained, func(i int, ev Evidence) {
			k := c.modelCat[explained[i]]
			scores[k].Evidence = append(scores[k].Evidence, ev)
		})
	}

	// 4. Facts.
	fired := false
	for i, f := range c.facts {
		ok, en, ru := f.Check(facts)
		if !ok {
			continue
		}
		fired = true
		s := &scores[c.factCat[i]]
		s.FactScore += f.Weight
		s.Evidence = append(s.Evidence, Evidence{Kind: EvidenceFact, Pattern: f.ID, Text: en, TextRU: ru, Weight: f.Weight})
	}
	if fired {
		for k := range p {
			p[k] = math.Log(max(p[k], 1e-300)) + scores[k].FactScore
		}
		softmaxInPlace(p)
	}
	for k := range scores {
		scores[k].Confidence = p[k]
	}

	// 5. Rank and decide.
	var orderBuf [32]int
	order := orderBuf[:0]
	for k := range scores {
		order = append(order, k)
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b].Confidence, scores[a].Confidence) })
	res.Ranked = make([]Score, K)
	for i, k := range order {
		res.Ranked[i] = scores[k]
	}
	clear(scores) // drop references held by the pooled scratch
	res.NeedsReview = res.Ranked[0].Confidence < c.threshold
	return res
}

// termEvidence is a term found for the category at taxonomy index k:
// the words norm[from:to] of the normalised text.
type termEvidence struct {
	k, term  int32
	from, to int32
	negated  bool
}

// noteEvidence records te, a term found at the words of the current
// group of matches (ev[group:] holds the group's evidence so far). A
// category gets one piece of evidence for one set of words, the one that
// decides its score there: a counted term before a negated one, then the
// heavier, then the earlier in the lexicon — so a word that a
// hand-written and a mined term both match is reported once. At most maxEvidence pieces per category (count).
func (c *Categorizer) noteEvidence(ev []termEvidence, group int, count []int, te termEvidence) []termEvidence {
	for i := group; i < len(ev); i++ {
		if ev[i].k != te.k {
			continue
		}
		if ev[i].negated == te.negated {
			// the heavier; of equal weights the earlier term (in the
			// default lexicon, a hand-written one before a mined one)
			w, was := c.lex.terms[te.term].Weight, c.lex.terms[ev[i].term].Weight
			if w > was || w == was && te.term < ev[i].term {
				ev[i] = te
			}
		} else if ev[i].negated {
			ev[i] = te
		}
		return ev
	}
	if count[te.k] == maxEvidence {
		return ev
	}
	count[te.k]++
	return append(ev, te)
}

// attachEvidence hands each category its term evidence, in text order,
// from one allocation; the words found are slices of norm, the
// normalised text (a string of its own, not the analyzer's buffer). Each
// category's slice is capped at its length, so model and fact evidence
// appended later never write into another's.
func (c *Categorizer) attachEvidence(az *analyzer, norm string, scores []Score) {
	if len(az.evidence) == 0 {
		return
	}
	all := make([]Evidence, len(az.evidence))
	off := 0
	for k := range scores {
		n := az.evCount[k]
		scores[k].Evidence = all[off : off : off+n]
		off += n
	}
	for _, te := range az.evidence {
		found := norm[te.from:te.to]
		scores[te.k].Evidence = append(scores[te.k].Evidence, Evidence{Kind: EvidenceTerm,
			Pattern: c.lex.terms[te.term].Pattern, Text: found, TextRU: found, Weight: c.lex.terms[te.term].Weight,
			Negated: te.negated})
	}
}

func countKind(ev []Evidence, kind EvidenceKind) int {
	n := 0
	for _, e := range ev {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// resize returns s with length n, all zero.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}
