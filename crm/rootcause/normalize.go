package rootcause

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
)

// DefaultMaxTextBytes is how much of a text is read by default: the first
// 64 KiB (cut back to a whole UTF-8 sequence). Complaints are a few
// hundred bytes; the cap keeps time and memory bounded whatever a caller
// passes, and a result says when it applied (Result.Truncated).
const DefaultMaxTextBytes = 64 << 10

// maxTextBytesLimit is the largest cap a host may configure.
const maxTextBytesLimit = 1 << 20

// maxStemRunes: longer tokens are not words; they are kept as they are.
const maxStemRunes = 40

// script is the writing system of a token; it picks the stemmer.
type script uint8

const (
	scriptOther    script = iota // digits, mixed or other scripts: not stemmed
	scriptLatin                  // English stemmer
	scriptCyrillic               // Russian stemmer
)

// token is one normalised word of a text.
type token struct {
	start   int32  // byte offset of surface in the normalised text
	surface string // lower-cased, ё folded to е, homoglyphs resolved
	stem    string // Snowball stem of surface (surface itself when not stemmed)
	clause  int32  // clause number: punctuation and contrastive conjunctions start a new clause
	script  script
	colon   bool // the first word after a ':' or a dash ("damage: none")
}

// analysis is a normalised, tokenised text.
type analysis struct {
	norm      string // the normalised words, one space after each
	tokens    []token
	truncated bool
	cyrillic  int // tokens in Cyrillic script
	latin     int // tokens in Latin script
}

// language names the dominant script of the text: "ru", "en", "mixed"
// (both, neither more than twice the other) or "" (no words).
func (a *analysis) language() string {
	switch {
	case a.cyrillic == 0 && a.latin == 0:
		return ""
	case a.cyrillic > 2*a.latin:
		return "ru"
	case a.latin > 2*a.cyrillic:
		return "en"
	}
	return "mixed"
}

type tokenSpan struct {
	start, end int
	clause     int32
	script     script
	colon      bool
}

// analyzer holds the buffers of one analysis; analyzers are pooled.
type analyzer struct {
	buf  []byte
	word []rune
	// wordNum: word holds only digits and dots so far; wordDot: and a dot
	// (kept up to date so that reading a number is linear)
	wordNum, wordDot bool
	colon            bool // the next word follows a ':' or a dash
	spans            []tokenSpan
	toks             []token
	// scratch of the rules engine
	matches  []match
	consumed []bool
	state    []uint8        // per lexicon term: 0 unseen, 1 seen negated, 2 counted
	scores   []Score        // per category, while scoring
	best     []float64      // per category: heaviest term counted at the current words
	touched  []int32        // categories with a term at the current words
	evidence []termEvidence // term evidence found, in text order
	evCount  []int          // per category: term evidence found
	model    modelScratch
}

var analyzerPool = sync.Pool{New: func() any { return new(analyzer) }}

func getAnalyzer() *analyzer { return analyzerPool.Get().(*analyzer) }

func putAnalyzer(a *analyzer) {
	if cap(a.buf) > 2*DefaultMaxTextBytes || cap(a.toks) > 1<<15 || cap(a.matches) > 1<<14 || cap(a.evidence) > 1<<14 || cap(a.scores) > maxCategories || cap(a.best) > maxCategories ||
		cap(a.model.ids) > 1<<15 || cap(a.model.p) > maxModelClasses || cap(a.model.top) > maxModelClasses {
		return // do not keep buffers grown by a huge text
	}
	analyzerPool.Put(a)
}

// capText cuts text to at most limit bytes, at a rune boundary.
func capText(text string, limit int) (string, bool) {
	if len(text) <= limit {
		return text, false
	}
	cut := limit
	for i := 0; i < utf8.UTFMax && cut > 0 && !utf8.RuneStart(text[cut]); i++ {
		cut--
	}
	return text[:cut], true
}

// analyze normalises and tokenises text (at most limit bytes of it). A
// token is a run of letters and digits; an apostrophe between letters
// stays inside ("customer's"), and English "n't" becomes a separate
// "not". Letters are lower-cased, ё folded to е, combining marks dropped
// (a combining breve after и makes й), and a word mixing Cyrillic and
// Latin letters has its look-alike letters moved to the script of the
// majority ("пaллет" with a Latin a is "паллет"). Tokens in Cyrillic get
// the Russian Snowball stemmer, tokens in Latin the English one, others
// are kept as they are. The returned tokens are valid until the
// analyzer is reused.
func (az *analyzer) analyze(text string, limit int) analysis {
	text, truncated := capText(text, limit)
	az.buf = az.buf[:0]
	az.spans = az.spans[:0]
	az.word = az.word[:0]
	az.colon = false
	var clause int32
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			az.flush(clause)
		case isWordRune(r):
			if !isDigit(r) && len(az.word) > 0 && az.wordNum && az.wordDot {
				az.flush(clause) // "1,5кг" reads as "1.5" and "кг": a dot stays inside numbers only
			}
			if len(az.word) == 0 {
				az.wordNum, az.wordDot = true, false
			}
			az.wordNum = az.wordNum && isDigit(r)
			az.word = append(az.word, r)
		case unicode.Is(unicode.Mn, r):
			if r == 0x0306 && len(az.word) > 0 {
				switch az.word[len(az.word)-1] {
				case 'и':
					az.word[len(az.word)-1] = 'й'
				case 'И':
					az.word[len(az.word)-1] = 'Й'
				}
			}
			// other combining marks are dropped
		case (r == '.' || r == ',') && len(az.word) > 0 && az.wordNum && isDigit(az.word[len(az.word)-1]) && i < len(text) && isDigit(rune(text[i])):
			az.word = append(az.word, '.')
			az.wordDot = true // a decimal number: "1,8" and "1.8" are one token "1.8"
		case isApostrophe(r):
			if len(az.word) > 0 && i < len(text) {
				next, _ := utf8.DecodeRuneInString(text[i:])
				if unicode.IsLetter(next) {
					az.word = append(az.word, '\'')
					az.wordNum = false
					continue
				}
			}
			az.flush(clause)
		default:
			az.flush(clause)
			if isClauseBreak(r) {
				clause++
				az.colon = r == ':' || r == '—' || r == '–'
			}
		}
	}
	az.flush(clause)

	norm := string(az.buf)
	res := analysis{norm: norm, truncated: truncated}
	az.toks = az.toks[:0]
	var extra int32 // clauses started by conjunctions
	for _, sp := range az.spans {
		surface := norm[sp.start:sp.end]
		if clauseWords[surface] {
			extra++
		}
		t := token{start: int32(sp.start), surface: surface, stem: surface, clause: sp.clause + extra, script: sp.script, colon: sp.colon}
		switch sp.script {
		case scriptCyrillic:
			res.cyrillic++
			t.stem = stems.get(surface, sp.script)
		case scriptLatin:
			res.latin++
			t.stem = stems.get(surface, sp.script)
		}
		az.toks = append(az.toks, t)
	}
	res.tokens = az.toks
	return res
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isWordRune reports whether r belongs in a word: a letter or a digit.
// ASCII and the basic Cyrillic block are decided without tables.
func isWordRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	case r >= 'А' && r <= 'я' || r == 'Ё' || r == 'ё':
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// toLower lower-cases r and folds ё to е; ASCII and basic Cyrillic
// without tables.
func toLower(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r >= 'а' && r <= 'я':
		return r
	case r >= 'А' && r <= 'Я':
		return r + ('а' - 'А')
	case r == 'ё' || r == 'Ё':
		return 'е'
	}
	return unicode.ToLower(r)
}

// isNumber reports whether a normalised word is a number: ASCII digits,
// possibly with decimal points between them.
func isNumber(s string) bool {
	if s == "" || !isDigit(rune(s[0])) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && !isDigit(rune(c)) {
			return false
		}
	}
	return true
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', '`', '´':
		return true
	}
	return false
}

func isClauseBreak(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '"', '«', '»', '„', '“', '”',
		'\n', '\r', '—', '–', '…', '•', '|':
		return true
	}
	return false
}

// clauseWords start a new clause: a negation before them does not reach
// past them ("упаковка не повреждена, но товар разбит").
var clauseWords = map[string]bool{
	"но": true, "а": true, "однако": true, "зато": true, "хотя": true, "который": true, "которые": true,
	"которая": true, "которое": true, "что": true, "чтобы": true, "поэтому": true,
	"but": true, "however": true, "although": true, "though": true, "whereas": true, "yet": true,
	"which": true, "that": true, "so": true, "because": true, "while": true,
}

// flush writes the word being read as one or two tokens.
func (az *analyzer) flush(clause int32) {
	w := az.word
	if len(w) == 0 {
		return
	}
	az.word = az.word[:0]
	var cyr, lat, other int
	for i, r := range w {
		r = toLower(r)
		w[i] = r
		switch {
		case r == '\'':
		case r >= 'a' && r <= 'z':
			lat++
		case r >= 'а' && r <= 'я':
			cyr++
		case r < utf8.RuneSelf:
			other++ // digits
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			lat++
		default:
			other++
		}
	}
	sc := scriptOther
	if other == 0 && (cyr > 0 || lat > 0) {
		switch {
		case cyr > 0 && lat > 0:
			sc = resolveHomoglyphs(w, cyr >= lat)
		case cyr > 0:
			sc = scriptCyrillic
		case lat > 0:
			sc = scriptLatin
		}
	}
	if len(w) > maxStemRunes {
		sc = scriptOther
	}
	if sc == scriptLatin {
		if n := len(w); n >= 4 && w[n-3] == 'n' && w[n-2] == '\'' && w[n-1] == 't' {
			az.emit(w[:n-3], clause, sc)
			az.emit(runesNot, clause, sc)
			return
		}
		if len(w) == 6 && w[0] == 'c' && w[1] == 'a' && w[2] == 'n' && w[3] == 'n' && w[4] == 'o' && w[5] == 't' {
			az.emit(w[:3], clause, sc)
			az.emit(w[3:], clause, sc)
			return
		}
	}
	az.emit(w, clause, sc)
}

var runesNot = []rune("not")

func (az *analyzer) emit(w []rune, clause int32, sc script) {
	start := len(az.buf)
	for _, r := range w {
		az.buf = utf8.AppendRune(az.buf, r)
	}
	az.buf = append(az.buf, ' ')
	az.spans = append(az.spans, tokenSpan{start: start, end: len(az.buf) - 1, clause: clause, script: sc, colon: az.colon})
	az.colon = false
}

// Look-alike letters (lower case) between Latin and Cyrillic.
var (
	latinToCyrillic = map[rune]rune{
		'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'k': 'к', 'm': 'м',
		'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у',
	}
	cyrillicToLatin = map[rune]rune{
		'а': 'a', 'в': 'b', 'с': 'c', 'е': 'e', 'н': 'h', 'к': 'k', 'м': 'm',
		'о': 'o', 'р': 'p', 'т': 't', 'х': 'x', 'у': 'y', 'і': 'i',
	}
)

// resolveHomoglyphs moves look-alike letters of a mixed word to Cyrillic
// (toCyrillic) or Latin, and returns the word's script afterwards.
func resolveHomoglyphs(w []rune, toCyrillic bool) script {
	table := cyrillicToLatin
	if toCyrillic {
		table = latinToCyrillic
	}
	mixed := false
	for i, r := range w {
		if r2, ok := table[r]; ok {
			w[i] = r2
			continue
		}
		if r == '\'' {
			continue
		}
		if toCyrillic != unicode.Is(unicode.Cyrillic, r) {
			mixed = true
		}
	}
	switch {
	case mixed:
		return scriptOther
	case toCyrillic:
		return scriptCyrillic
	}
	return scriptLatin
}

// stemCache remembers stems of words seen, because Snowball costs a few
// microseconds a word and complaints repeat their vocabulary. It is safe
// for concurrent use (sharded, read-mostly locks), bounded (a shard is
// emptied when it reaches its share of stemCacheMax entries) and
// invisible in results: a stem is the same cached or not.
type stemCache struct {
	shards [stemShards]stemShard
}

type stemShard struct {
	mu sync.RWMutex
	m  map[string]string
	_  [40]byte // keep shards on separate cache lines
}

const (
	stemShards   = 32
	stemCacheMax = 1 << 15
)

var stems stemCache

func (c *stemCache) get(word string, sc script) string {
	sh := &c.shards[fnv32(word)%stemShards]
	sh.mu.RLock()
	s, ok := sh.m[word]
	sh.mu.RUnlock()
	if ok {
		return s
	}
	s = stemWord(word, sc)
	sh.mu.Lock()
	if sh.m == nil || len(sh.m) >= stemCacheMax/stemShards {
		sh.m = make(map[string]string, 64)
	}
	sh.m[strings.Clone(word)] = s
	sh.mu.Unlock()
	return s
}

// reset empties the cache (benchmarks use it to measure a cold cache).
func (c *stemCache) reset() {
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		sh.m = nil
		sh.mu.Unlock()
	}
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// stemWord runs the stemmer of the script. A stemmer that fails on an
// odd word leaves the word as it is.
func stemWord(word string, sc script) (stem string) {
	defer func() {
		if recover() != nil {
			stem = word
		}
	}()
	switch sc {
	case scriptCyrillic:
		return russian.Stem(word, true)
	case scriptLatin:
		return english.Stem(word, true)
	}
	return word
}
