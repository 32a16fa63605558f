package rootcause

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Term is one rule of a lexicon: a word or phrase that points to a
// category.
//
// Pattern is one or more words separated by spaces, written as a person
// would ("не пришла в срок", "packing list"); it is normalised like a
// complaint (lower case, ё as е, hyphens split words, "n't" is "not").
// A word ending in * matches any normalised word that begins with it
// ("разбит*" matches "разбитые"; at least three letters before the *);
// the word # matches any number ("вместо #", "# days late"; "1,5" and
// "1.5" are one number); any other word matches words with the same
// Snowball stem ("damaged" matches "damage" and "damages"). The words of a phrase must follow one
// another within one clause.
//
// Weight is the evidence the term carries, in natural-log odds (see
// Categorizer): a positive finite number up to 20; the default lexicon
// uses 1 (a hint) to 3 (all but names the cause).
//
// A term preceded by a negation in its clause ("не", "нет", "без",
// "not", "no", "without", ... up to three words before) or followed by
// one ("повреждений нет", "damage: none") does not count, unless
// KeepNegated is set: "нет сертификата" is still about documents. In
// DefaultTerms every PACKAGING and DOCUMENT_ERROR term keeps negation:
// such complaints are often about something missing ("без маркировки",
// "no packing list").
type Term struct {
	Code        Code
	Pattern     string
	Weight      float64
	KeepNegated bool
}

// termGroup is the compact source form of the default lexicons.
type termGroup struct {
	code        Code
	weight      float64
	keepNegated bool
	patterns    []string
}

// absenceCauses are the causes whose complaint is that something is
// missing: a label, a marking or protective packing ("no corner
// protectors", "без маркировки"), a document or a field of one ("no
// certificate", "без счёта-фактуры"). A negated cue of theirs still
// names the cause, so every default term of theirs keeps negation.
var absenceCauses = map[Code]bool{Packaging: true, DocumentError: true}

// DefaultTerms returns a copy of the default lexicon: the hand-written
// terms (HandTerms), then the terms mined from the built-in corpus
// (lexicon_mined.go), each Russian first, then English. A host may edit
// the copy and compile it with NewLexicon.
func DefaultTerms() []Term {
	return append(HandTerms(), flattenTerms(lexiconRUMined, lexiconENMined)...)
}

// HandTerms returns a copy of the hand-written terms of the default
// lexicon, without the mined ones: for a host that wants every piece of
// evidence to be a term a person chose.
func HandTerms() []Term {
	return flattenTerms(lexiconRU, lexiconRUDescriptive, lexiconRUBroad, lexiconRUCover, lexiconEN, lexiconENDescriptive,
		lexiconENBroad, lexiconENCover)
}

// flattenTerms expands term groups into terms.
func flattenTerms(lexicons ...[]termGroup) []Term {
	var out []Term
	for _, groups := range lexicons {
		for _, g := range groups {
			for _, p := range g.patterns {
				out = append(out, Term{Code: g.code, Pattern: p, Weight: g.weight,
					KeepNegated: g.keepNegated || absenceCauses[g.code]})
			}
		}
	}
	return out
}

var defaultLexicon = sync.OnceValue(func() *Lexicon {
	l, err := NewLexicon(DefaultTerms())
	if err != nil {
		panic(err) // a literal in lexicon_*.go is wrong: caught by the tests
	}
	return l
})

// DefaultLexicon returns the compiled default lexicon (shared, immutable).
func DefaultLexicon() *Lexicon { return defaultLexicon() }

// Limits of a lexicon.
const (
	maxTerms        = 100_000
	maxPatternBytes = 256
	maxPatternWords = 8
	maxTermWeight   = 20
	minPrefixRunes  = 3
)

// matcher is one word of a compiled pattern.
type matcher struct {
	text   string // a stem, or a prefix of the normalised word
	prefix bool
	number bool // "#": any number
}

func (m matcher) matches(t *token) bool {
	switch {
	case m.number:
		return isNumber(t.surface)
	case m.prefix:
		return strings.HasPrefix(t.surface, m.text)
	}
	return t.stem == m.text
}

// lexEntry is a term attached to a compiled phrase.
type lexEntry struct {
	term        int32
	code        Code
	weight      float64
	keepNegated bool
}

type phrase struct {
	words   []matcher
	entries []lexEntry
}

// Lexicon is a compiled, immutable set of Terms, safe for concurrent use.
// Build one with NewLexicon.
type Lexicon struct {
	terms      []Term
	phrases    []phrase
	exact      map[string][]int32 // stem of the first word → phrases (but those in exact2)
	exact2     map[string][]int32 // stems of the first two words, "a\x00b" → phrases that start with two stems
	exactPre   map[string][]int32 // stem of the first word and the first 3 bytes of a second-word prefix, "a\x01pre" → phrases
	prefix     map[string][]int32 // prefix of the first word → phrases
	prefixLens map[[3]byte][]int  // first three bytes of a first-word prefix → its byte lengths, ascending
	number     []int32            // phrases that start with #
}

// NewLexicon compiles terms: each pattern is normalised and stemmed once,
// and phrases are indexed by their first word. Errors match
// ErrInvalidLexicon and name the term at fault: a code that is not a
// valid code, an empty or malformed pattern, a weight that is not in
// (0, 20], or the same pattern twice for one code. Whether the codes
// exist in a taxonomy is checked by New.
func NewLexicon(terms []Term) (*Lexicon, error) {
	if len(terms) == 0 {
		return nil, newError(ErrInvalidLexicon, ReasonEmpty, "terms", "", "")
	}
	if len(terms) > maxTerms {
		return nil, newError(ErrInvalidLexicon, ReasonTooLarge, "terms", "", fmt.Sprintf("at most %d terms", maxTerms))
	}
	az := getAnalyzer()
	defer putAnalyzer(az)
	l := &Lexicon{
		terms:      append([]Term(nil), terms...),
		exact:      make(map[string][]int32),
		exact2:     make(map[string][]int32),
		exactPre:   make(map[string][]int32),
		prefix:     make(map[string][]int32),
		prefixLens: make(map[[3]byte][]int),
	}
	byKey := make(map[string]int32)
	seen := make(map[string]bool)
	for i, t := range terms {
		field := fmt.Sprintf("terms[%d]", i)
		if !validCode(string(t.Code)) {
			return nil, newError(ErrInvalidLexicon, ReasonUnknownCode, field+".code", string(t.Code), "")
		}
		if !(t.Weight > 0 && t.Weight <= maxTermWeight) { // also refuses NaN
			return nil, newError(ErrInvalidLexicon, ReasonOutOfRange, field+".weight", fmt.Sprint(t.Weight),
				"a weight is in (0, 20]")
		}
		words, err := compilePattern(az, t.Pattern)
		if err != nil {
			err.Field = field + ".pattern"
			return nil, err
		}
		key := patternKey(words)
		if seen[string(t.Code)+"\x00"+key] {
			return nil, newError(ErrInvalidLexicon, ReasonDuplicate, field+".pattern", t.Pattern, "")
		}
		seen[string(t.Code)+"\x00"+key] = true
		id, ok := byKey[key]
		if !ok {
			id = int32(len(l.phrases))
			byKey[key] = id
			l.phrases = append(l.phrases, phrase{words: words})
			first := words[0]
			if first.number {
				l.number = append(l.number, id)
			} else if first.prefix {
				l.prefix[first.text] = append(l.prefix[first.text], id)
				head := [3]byte{first.text[0], first.text[1], first.text[2]}
				if !slices.Contains(l.prefixLens[head], len(first.text)) {
					l.prefixLens[head] = append(l.prefixLens[head], len(first.text))
				}
			} else if len(words) >= 2 && !words[1].prefix && !words[1].number {
				k2 := first.text + "\x00" + words[1].text
				l.exact2[k2] = append(l.exact2[k2], id)
			} else if len(words) >= 2 && words[1].prefix {
				// a prefix has at least three letters, so three bytes
				kp := first.text + "\x01" + words[1].text[:3]
				l.exactPre[kp] = append(l.exactPre[kp], id)
			} else {
				l.exact[first.text] = append(l.exact[first.text], id)
			}
		}
		l.phrases[id].entries = append(l.phrases[id].entries,
			lexEntry{term: int32(i), code: t.Code, weight: t.Weight, keepNegated: t.KeepNegated})
	}
	for _, lens := range l.prefixLens {
		slices.Sort(lens)
	}
	return l, nil
}

// Terms returns a copy of the terms the lexicon was compiled from.
func (l *Lexicon) Terms() []Term { return append([]Term(nil), l.terms...) }

func compilePattern(az *analyzer, pattern string) ([]matcher, *Error) {
	bad := func(detail string) ([]matcher, *Error) {
		return nil, newError(ErrInvalidLexicon, ReasonBadPattern, "", pattern, detail)
	}
	if strings.TrimSpace(pattern) == "" {
		return nil, newError(ErrInvalidLexicon, ReasonEmpty, "", "", "")
	}
	if len(pattern) > maxPatternBytes || !utf8.ValidString(pattern) {
		return bad(fmt.Sprintf("a pattern is valid UTF-8 of at most %d bytes", maxPatternBytes))
	}
	var words []matcher
	for _, field := range strings.Fields(pattern) {
		if field == "#" {
			words = append(words, matcher{number: true})
			continue
		}
		body, isPrefix := strings.CutSuffix(field, "*")
		if strings.Contains(body, "*") {
			return bad("* may only end a word")
		}
		a := az.analyze(body, maxPatternBytes)
		if len(a.tokens) == 0 {
			return bad("a word has no letters or digits")
		}
		for k, t := range a.tokens {
			if isPrefix && k == len(a.tokens)-1 {
				if utf8.RuneCountInString(t.surface) < minPrefixRunes {
					return bad(fmt.Sprintf("a prefix has at least %d letters", minPrefixRunes))
				}
				words = append(words, matcher{text: t.surface, prefix: true})
			} else {
				words = append(words, matcher{text: t.stem})
			}
		}
	}
	if len(words) > maxPatternWords {
		return bad(fmt.Sprintf("a pattern has at most %d words", maxPatternWords))
	}
	return words, nil
}

func patternKey(words []matcher) string {
	var b strings.Builder
	for _, w := range words {
		if w.number {
			b.WriteString("#\x00")
			continue
		}
		if w.prefix {
			b.WriteByte('^')
		} else {
			b.WriteByte('=')
		}
		b.WriteString(w.text)
		b.WriteByte(0)
	}
	return b.String()
}

// match is a phrase found in a text: tokens [start, end).
type match struct {
	phrase     int32
	start, end int32
}

// scan finds phrases left to right, longest first: at each token the
// longest phrase that starts there wins (every phrase of that length that
// matches is kept: they cover the same words) and scanning resumes after
// it, so a word counts for one phrase only. The consumed flags mark the
// words inside matches, which are then no longer negation cues.
func (l *Lexicon) scan(toks []token, out []match, consumed []bool) []match {
	var keyBuf [128]byte
	for i := 0; i < len(toks); {
		mark := len(out)
		best := 0
		t := &toks[i]
		out, best = l.try(l.exact[t.stem], toks, i, out, mark, best)
		if i+1 < len(toks) && len(l.exact2) > 0 {
			key := append(append(append(keyBuf[:0], t.stem...), 0), toks[i+1].stem...)
			if ids, ok := l.exact2[string(key)]; ok {
				out, best = l.try(ids, toks, i, out, mark, best)
			}
		}
		if i+1 < len(toks) && len(toks[i+1].surface) >= 3 && len(l.exactPre) > 0 {
			key := append(append(append(keyBuf[:0], t.stem...), 1), toks[i+1].surface[:3]...)
			if ids, ok := l.exactPre[string(key)]; ok {
				out, best = l.try(ids, toks, i, out, mark, best)
			}
		}
		if len(l.number) > 0 && isNumber(t.surface) {
			out, best = l.try(l.number, toks, i, out, mark, best)
		}
		var lens []int
		if len(t.surface) >= 3 {
			lens = l.prefixLens[[3]byte{t.surface[0], t.surface[1], t.surface[2]}]
		}
		for _, n := range lens {
			if n > len(t.surface) {
				break
			}
			if n < len(t.surface) && !utf8.RuneStart(t.surface[n]) {
				continue
			}
			if ids, ok := l.prefix[t.surface[:n]]; ok {
				out, best = l.try(ids, toks, i, out, mark, best)
			}
		}
		if best == 0 {
			i++
			continue
		}
		for k := i; k < i+best; k++ {
			consumed[k] = true
		}
		i += best
	}
	return out
}

func (l *Lexicon) try(ids []int32, toks []token, i int, out []match, mark, best int) ([]match, int) {
	for _, id := range ids {
		n := l.matchAt(id, toks, i)
		if n == 0 || n < best {
			continue
		}
		if n > best {
			out = out[:mark]
			best = n
		}
		out = append(out, match{phrase: id, start: int32(i), end: int32(i + n)})
	}
	return out, best
}

func (l *Lexicon) matchAt(id int32, toks []token, i int) int {
	words := l.phrases[id].words
	if i+len(words) > len(toks) {
		return 0
	}
	clause := toks[i].clause
	for k := range words {
		t := &toks[i+k]
		if t.clause != clause || !words[k].matches(t) {
			return 0
		}
	}
	return len(words)
}

// Negation cues. A pre-cue negates a term up to negationWindow words
// after it in the same clause; a post-cue negates a term up to two words
// before it.
const negationWindow = 3

var (
	preNegation = map[string]bool{
		"не": true, "нет": true, "без": true, "ни": true,
		"никакой": true, "никакая": true, "никакое": true, "никакие": true, "никакого": true, "никаких": true,
		"никакому": true, "никаким": true, "никакими": true, "никакую": true,
		"not": true, "no": true, "never": true, "without": true, "nor": true, "neither": true, "none": true, "non": true,
	}
	// determiners and prepositions whose negation reaches every member of
	// a list, even when a lexicon phrase has taken them in ("no damage or
	// dents", "без повреждений и вмятин")
	distributiveNegation = map[string]bool{"no": true, "without": true, "без": true, "ни": true, "nor": true, "neither": true}
	postNegation         = map[string]bool{"нет": true, "none": true}
	// after "не"/"not"/"no", these make a post-cue: "повреждений не обнаружено"
	notFoundPrefixes = []string{"обнаруж", "выявл", "замеч", "зафиксир", "найд", "наблюд", "found", "observ",
		"detect", "notic", "seen", "visibl", "evident", "present"}
	// a pre-cue does not reach past these words
	negationStops = map[string]bool{
		"the": true, "this": true, "these": true, "those": true, "our": true, "your": true, "their": true,
		"we": true, "they": true, "it": true, "мы": true, "вы": true, "они": true, "это": true, "этот": true,
		"эти": true, "эта": true,
	}
)

const absencePrefix = "отсутств" // "отсутствуют", "отсутствие": both a pre- and a post-cue

func isPreNegation(t *token) bool {
	return preNegation[t.surface] || strings.HasPrefix(t.surface, absencePrefix)
}

func isPostNegation(toks []token, j int) bool {
	t := &toks[j]
	if postNegation[t.surface] || strings.HasPrefix(t.surface, absencePrefix) {
		return true
	}
	if (t.surface == "не" || t.surface == "not" || t.surface == "no") && j+1 < len(toks) && toks[j+1].clause == t.clause {
		next := toks[j+1].surface
		for _, p := range notFoundPrefixes {
			if strings.HasPrefix(next, p) {
				return true
			}
		}
	}
	return false
}

// negated reports whether a negation governs the match. consumed marks
// the tokens inside other matches (nil: none).
func negated(toks []token, consumed []bool, m match) bool {
	clause := toks[m.start].clause
	for j, seen := int(m.start)-1, 0; j >= 0 && seen < negationWindow; j-- {
		t := &toks[j]
		if t.clause != clause {
			break
		}
		if consumed != nil && consumed[j] {
			if distributiveNegation[t.surface] {
				return true // "no damage or dents": the "no" of the phrase "no damage" governs "dents" too
			}
			continue // another term ("no dents or scratches")
		}
		seen++
		if isPreNegation(t) {
			return true
		}
		if negationStops[t.surface] {
			break
		}
	}
	for j := int(m.end); j < len(toks) && j < int(m.end)+2; j++ {
		if toks[j].clause != clause {
			// "damage: none", "повреждения — нет": a cue just after a colon or dash
			if j == int(m.end) && toks[j].colon && (consumed == nil || !consumed[j]) && isPostNegation(toks, j) {
				return true
			}
			break
		}
		if (consumed == nil || !consumed[j]) && isPostNegation(toks, j) {
			return true
		}
	}
	return false
}

// validWeight reports whether w is a finite number in [lo, hi].
func validWeight(w, lo, hi float64) bool {
	return !math.IsNaN(w) && w >= lo && w <= hi
}
