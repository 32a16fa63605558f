package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameLen is the longest input, in characters (runes; each invalid
// UTF-8 byte counts as one), that OrgName, PersonName and their Strict
// variants accept. It is counted in runes rather than bytes because
// normalisation never adds runes but lower-casing can add bytes, so every
// result is again an acceptable input.
const MaxNameLen = 1024

// nameTooLong reports whether raw exceeds MaxNameLen runes, without
// scanning huge inputs.
func nameTooLong(raw string) bool {
	if len(raw) <= MaxNameLen {
		return false
	}
	if len(raw) > MaxNameLen*utf8.UTFMax {
		return true
	}
	return utf8.RuneCountInString(raw) > MaxNameLen
}

// OrgName returns a duplicate-detection key for a company name: two
// spellings of the same organisation should give the same key.
//
// Starting from Text (lower case, "ё" -> "е", white space collapsed,
// invalid UTF-8 dropped), OrgName:
//   - removes quotes of every kind (" « » „ “ ” ‹ › and so on) and all
//     other punctuation (. , ; : ( ) - – — / \ & ! ? # and the rest of
//     Unicode's punctuation categories), treating them as word breaks;
//     symbols such as plus, dollar, "№" and emoji are kept;
//   - deletes rather than breaks at an apostrophe (' ’ ‘ ` ´ ʼ) standing
//     between two letters or digits, so "McDonald's" gives "mcdonalds" and
//     "Л'Этуаль" gives "лэтуаль", unless the part before it is a legal form
//     ("ООО'Ромашка'");
//   - joins initialisms: a run of single letters each followed by a dot
//     ("L.L.C.", "о.о.о.", "A.B.C.") loses its dots and becomes one word
//     ("llc", "ооо", "abc"); any other dot is a word break, so "Co.Ltd"
//     gives "co ltd" and "ромашка.ру" gives "ромашка ру";
//   - joins every run of two or more single-letter words, however they
//     were separated, so initials fold alike however they are spaced
//     ("И. И.", "И.И.", "И И" give "ии"; "A.B. C." gives "abc") — and so
//     do letters standing for words: "A & B" gives "ab", as "AB" does,
//     and "Я и Ты" gives "яи ты"; a lone letter stays a word ("Магазин у
//     дома");
//   - repairs words mixing Latin and Cyrillic look-alike letters ("OOО",
//     "Ромaшка"), see below;
//   - drops legal-form words and phrases anywhere in the name, matched as
//     whole words: ООО, OOO (Latin), ОАО, ЗАО, ПАО, АО, НАО, ИП, ТОО, ОДО,
//     ЧУП, УП, ГУП, МУП, ФГУП, НКО, АНО, LLC, LTD, LIMITED, INC,
//     INCORPORATED, CORP, CORPORATION, CO, COMPANY, GMBH, KG, AG, SA, SAS,
//     SRL, BV, PLC, LLP, JSC, PJSC, CJSC, OJSC and their spelled-out forms
//     ("общество с ограниченной ответственностью", "акционерное общество",
//     "публичное/закрытое/открытое/непубличное акционерное общество",
//     "индивидуальный предприниматель", "limited liability company" and
//     others). Dropping is repeated until nothing more matches. If nothing
//     would be left (a company literally called "АО"), the folded name is
//     returned without dropping;
//   - joins the remaining words with single spaces.
//
// There is no transliteration: "Romashka" and "Ромашка" stay different
// keys. Only a word that mixes the two alphabets is repaired, and only when
// every letter of the minority alphabet has a look-alike in the majority one
// (Latin a b c e h k m o p t x y and Cyrillic а в с е н к м о р т х у); ties
// go to Cyrillic.
//
// Examples: `ООО "Ромашка"`, `ооо «РОМАШКА»` and
// `Общество с ограниченной ответственностью "Ромашка"` all give "ромашка";
// `ПАО «Сбербанк»` gives "сбербанк"; `Ёлка, ЗАО` gives "елка".
//
// OrgName returns "" when nothing usable is left and when raw is longer
// than MaxNameLen runes; an empty key must not be used for matching. Use
// OrgNameStrict to get these cases as errors. OrgName is idempotent:
// OrgName(OrgName(x)) == OrgName(x).
func OrgName(raw string) string {
	if nameTooLong(raw) {
		return ""
	}
	return orgKey(raw)
}

// OrgNameStrict is OrgName reporting problems instead of hiding them: it
// fails with an *Error (Field "name") whose Code is ReasonTooLong for more
// than MaxNameLen runes, ReasonInvalidUTF8 for invalid UTF-8 and
// ReasonEmpty when the key would be empty.
func OrgNameStrict(raw string) (string, error) {
	if nameTooLong(raw) {
		return "", newError(FieldName, raw, ReasonTooLong)
	}
	if !utf8.ValidString(raw) {
		return "", newError(FieldName, raw, ReasonInvalidUTF8)
	}
	k := orgKey(raw)
	if k == "" {
		return "", newError(FieldName, raw, ReasonEmpty)
	}
	return k, nil
}

// PersonName returns a duplicate-detection key for a person's full name.
//
// Starting from Text (lower case, "ё" -> "е", white space collapsed,
// invalid UTF-8 dropped), PersonName:
//   - keeps a hyphen between two letters or digits, as in double surnames
//     ("Салтыков-Щедрин", "Jean-Paul"), writing any dash or hyphen
//     character there as ASCII '-'; elsewhere a dash is a word break;
//   - deletes an apostrophe between two letters or digits ("O'Brien" ->
//     "obrien", "Д'Артаньян" -> "дартаньян"); elsewhere it is a word break;
//   - turns all other punctuation, quotes and dots included, into word
//     breaks, so initials "И.И. Иванов" and "И. И. Иванов" both give
//     "и и иванов";
//   - repairs words mixing Latin and Cyrillic look-alike letters as OrgName
//     does;
//   - joins the words with single spaces.
//
// Word order is kept: "Иванов Иван" and "Иван Иванов" are different keys,
// because reordering would also merge different people; callers that want
// order-insensitive matching can sort the words of the key themselves. No
// titles or honorifics are removed and nothing is transliterated.
//
// PersonName returns "" when nothing usable is left and when raw is longer
// than MaxNameLen runes; see PersonNameStrict. It is idempotent.
func PersonName(raw string) string {
	if nameTooLong(raw) {
		return ""
	}
	return personKey(raw)
}

// PersonNameStrict is PersonName reporting problems as an *Error (Field
// "name") with Code ReasonTooLong, ReasonInvalidUTF8 or ReasonEmpty.
func PersonNameStrict(raw string) (string, error) {
	if nameTooLong(raw) {
		return "", newError(FieldName, raw, ReasonTooLong)
	}
	if !utf8.ValidString(raw) {
		return "", newError(FieldName, raw, ReasonInvalidUTF8)
	}
	k := personKey(raw)
	if k == "" {
		return "", newError(FieldName, raw, ReasonEmpty)
	}
	return k, nil
}

// isApostrophe reports whether r is an apostrophe or single quote.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '´', 'ʼ', 'ʹ', '‘', '’', '‚', '‛', '′', '＇':
		return true
	}
	return false
}

// isDash reports whether r is a hyphen, dash or minus sign.
func isDash(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '―', '−', '﹘', '﹣', '－':
		return true
	}
	return false
}

// isLetterOrDigit reports whether r is a letter or decimal digit. The
// apostrophe-like modifier letters (ʼ ʹ) are not counted as letters.
func isLetterOrDigit(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isApostrophe(r)
}

// ---- organisation names ----

func orgKey(raw string) string {
	s := Text(raw)
	if s == "" {
		return ""
	}
	words := joinInitials(orgWords(s))
	if len(words) == 0 {
		return ""
	}
	kept := joinInitials(dropLegalForms(words))
	if len(kept) == 0 {
		kept = words
	}
	// Dropping a form can bring single letters together ("А ООО Б"), and
	// joining them can make a form ("A G" is "AG"): repeat until neither
	// changes anything, so that the key is its own key.
	for {
		next := joinInitials(dropLegalForms(kept))
		if len(next) == 0 || equalWordLists(next, kept) {
			break
		}
		kept = next
	}
	return strings.Join(kept, " ")
}

// joinInitials joins runs of single-letter words into one word, so that
// initials written with spaces ("И. И.", "J. P.") fold like initials
// written without ("И.И.", "J.P.", joined by isInitialism). words may be
// modified.
func joinInitials(words []string) []string {
	out := words[:0]
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && isSingleLetter(words[j]) {
			j++
		}
		if j-i < 2 {
			out = append(out, words[i])
			i++
			continue
		}
		out = append(out, fixMixedScript(strings.Join(words[i:j], "")))
		i = j
	}
	return out
}

// isSingleLetter reports whether w is exactly one letter.
func isSingleLetter(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	return size == len(w) && size > 0 && unicode.IsLetter(r)
}

func equalWordLists(a, b []string) bool {
	return len(a) == len(b) && equalWords(a, b)
}

// InitialsName returns the "surname and initials" key of a person's name
// written out in full with a patronymic — a sole proprietor's card name
// as it appears in the register, or a private client's — so that it can
// be matched with the short form the same person goes by on documents:
// "ИП Иванов Иван Иванович", "Иванов Иван Иванович" and
// "Иван Иванович Иванов" all give "иванов ии", which is also what OrgName
// gives for "ИП Иванов И.И." and "ИП Иванов И. И.". A hyphenated surname
// keeps its parts ("Иванов-Петров Александр Борисович" gives
// "иванов петров аб"). The key is OrgName's key of the short form; when
// the initials spell a legal form, which OrgName would drop and leave the
// bare surname ("Иванов Алексей Олегович", "ИП Иванов А.О."), there is no
// key: a surname alone would match every client of that surname.
//
// The name must be letters only, with the patronymic (ending in -вич,
// -ич, -вна, -чна, -оглы, -кызы, -улы, -уулу, or -vich, -vna, -ichna in
// Latin script, at least five letters; or a father's name followed by
// "оглы", "кызы", "улы", "уулу", "ogly" or "kyzy") last or second of
// three, a given name of two or more letters beside it and a surname;
// the only legal form allowed is a sole proprietor's (ИП, индивидуальный
// предприниматель). For anything else, and for input OrgName refuses,
// InitialsName returns "".
func InitialsName(raw string) string {
	if nameTooLong(raw) {
		return ""
	}
	words := joinInitials(orgWords(Text(raw)))
	kept := make([]string, 0, len(words))
	for i := 0; i < len(words); {
		n := legalFormAt(words, i)
		if n == 0 {
			kept = append(kept, words[i])
			i++
			continue
		}
		if !isSoleProprietorForm(words[i : i+n]) {
			return ""
		}
		i += n
	}
	if len(kept) < 3 {
		return ""
	}
	for _, w := range kept {
		for _, r := range w {
			if !unicode.IsLetter(r) {
				return ""
			}
		}
	}
	var surname []string
	var given, patronymic string
	switch n := len(kept); {
	case n >= 4 && turkicPatronymicWords[kept[n-1]]: // "Гасан оглы"
		surname, given, patronymic = kept[:n-3], kept[n-3], kept[n-2]
	case isPatronymic(kept[n-1]):
		surname, given, patronymic = kept[:n-2], kept[n-2], kept[n-1]
	case n == 3 && isPatronymic(kept[1]):
		surname, given, patronymic = kept[2:], kept[0], kept[1]
	default:
		return ""
	}
	if utf8.RuneCountInString(given) < 2 || isPatronymic(given) {
		return ""
	}
	g, _ := utf8.DecodeRuneInString(given)
	p, _ := utf8.DecodeRuneInString(patronymic)
	// Initials that spell a legal form ("И.П.", "А.О.") would be dropped,
	// leaving the bare surname: a key every client of that surname has.
	if orgSingleForms[fixMixedScript(string(g)+string(p))] {
		return ""
	}
	// The key of the short form, exactly as OrgName reads it.
	return orgKey(strings.Join(surname, " ") + " " + string(g) + "." + string(p) + ".")
}

// isSoleProprietorForm reports whether the legal form is a sole
// proprietor's.
func isSoleProprietorForm(form []string) bool {
	return (len(form) == 1 && form[0] == "ип") ||
		(len(form) == 2 && form[0] == "индивидуальный" && form[1] == "предприниматель")
}

// turkicPatronymicWords are the words that follow the father's name in a
// patronymic written as two words ("Гасан оглы").
var turkicPatronymicWords = map[string]bool{"оглы": true, "кызы": true, "улы": true, "уулу": true, "ogly": true, "kyzy": true}

// patronymicEndings are the endings of patronymics (after folding);
// isPatronymic also wants five letters or more.
var patronymicEndings = []string{"ич", "вна", "чна", "оглы", "кызы", "улы", "уулу", "vich", "vna", "ichna"}

func isPatronymic(w string) bool {
	if utf8.RuneCountInString(w) < 5 {
		return false
	}
	for _, e := range patronymicEndings {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// isOrgBreak reports whether r separates words of an organisation name.
// Dots and apostrophes are not breaks here: they get their own rules.
func isOrgBreak(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r != '.' && r != '\'' && r != '`' && (r == ' ' || r == '-' || unicode.IsPunct(r))
	case isCyrillicBlock(r):
		return false // no punctuation in the block
	case isDash(r):
		return true
	}
	return !isApostrophe(r) && unicode.IsPunct(r)
}

// orgWords splits the Text-folded s into the words of an organisation name.
func orgWords(s string) []string {
	var words []string
	start := -1
	for i, r := range s {
		if isOrgBreak(r) {
			if start >= 0 {
				words = appendOrgChunk(words, s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		words = appendOrgChunk(words, s[start:])
	}
	return words
}

// appendOrgChunk handles the dots and apostrophes of a chunk of text that
// has no other break in it.
func appendOrgChunk(words []string, chunk string) []string {
	if isInitialism(chunk) {
		// One word per letter: joinInitials joins them, with any single
		// letters beside them ("A.B. C." as "A. B. C." and "A.B.C.").
		for _, r := range strings.ReplaceAll(chunk, ".", "") {
			words = append(words, string(r))
		}
		return words
	}
	for piece := range strings.SplitSeq(chunk, ".") {
		words = appendApostropheWords(words, piece)
	}
	return words
}

// isInitialism reports whether s is two or more single letters each
// followed by a dot, the last dot being optional: "l.l.c.", "a.b".
func isInitialism(s string) bool {
	letters := 0
	wantLetter := true
	for _, r := range s {
		if wantLetter {
			if !unicode.IsLetter(r) || isApostrophe(r) {
				return false
			}
			letters++
		} else if r != '.' {
			return false
		}
		wantLetter = !wantLetter
	}
	return letters >= 2
}

// appendApostropheWords splits piece at apostrophes, joining the two sides
// of an apostrophe that stands between letters or digits.
func appendApostropheWords(words []string, piece string) []string {
	i := strings.IndexFunc(piece, isApostrophe)
	if i < 0 {
		return appendOrgWord(words, piece)
	}
	var cur []byte
	for {
		part := piece
		if i >= 0 {
			part = piece[:i]
		}
		switch {
		case len(cur) == 0:
			cur = append(cur, part...)
		case part != "" && joinsAcrossApostrophe(cur, part):
			cur = append(cur, part...)
		default:
			words = appendOrgWord(words, string(cur))
			cur = append(cur[:0], part...)
		}
		if i < 0 {
			break
		}
		_, size := utf8.DecodeRuneInString(piece[i:])
		piece = piece[i+size:]
		i = strings.IndexFunc(piece, isApostrophe)
	}
	return appendOrgWord(words, string(cur))
}

// maxLegalFormLen bounds the length in bytes of a one-word legal form, so
// that joinsAcrossApostrophe does not look up long words.
const maxLegalFormLen = 32

func joinsAcrossApostrophe(before []byte, after string) bool {
	last, _ := utf8.DecodeLastRune(before)
	first, _ := utf8.DecodeRuneInString(after)
	if !isLetterOrDigit(last) || !isLetterOrDigit(first) {
		return false
	}
	return len(before) > maxLegalFormLen || !orgSingleForms[fixMixedScript(string(before))]
}

func appendOrgWord(words []string, w string) []string {
	if w == "" {
		return words
	}
	return append(words, fixMixedScript(w))
}

// orgSingleForms are one-word legal forms, as they look after folding;
// none is longer than maxLegalFormLen bytes.
var orgSingleForms = map[string]bool{
	// Russia, Kazakhstan, Belarus (Cyrillic).
	"ооо": true, "оао": true, "зао": true, "пао": true, "ао": true, "нао": true,
	"ип": true, "тоо": true, "одо": true, "чуп": true, "уп": true, "гуп": true,
	"муп": true, "фгуп": true, "нко": true, "ано": true,
	// "ООО" typed with Latin O's.
	"ooo": true,
	// International (Latin).
	"llc": true, "ltd": true, "limited": true, "inc": true, "incorporated": true,
	"corp": true, "corporation": true, "co": true, "company": true,
	"gmbh": true, "kg": true, "ag": true, "sa": true, "sas": true, "srl": true,
	"bv": true, "plc": true, "llp": true,
	"jsc": true, "pjsc": true, "cjsc": true, "ojsc": true,
}

// orgPhraseForms are spelled-out legal forms of several words.
var orgPhraseForms = [][]string{
	strings.Fields("общество с ограниченной ответственностью"),
	strings.Fields("общество с дополнительной ответственностью"),
	strings.Fields("товарищество с ограниченной ответственностью"),
	strings.Fields("акционерное общество"),
	strings.Fields("публичное акционерное общество"),
	strings.Fields("непубличное акционерное общество"),
	strings.Fields("закрытое акционерное общество"),
	strings.Fields("открытое акционерное общество"),
	strings.Fields("индивидуальный предприниматель"),
	strings.Fields("унитарное предприятие"),
	strings.Fields("частное унитарное предприятие"),
	strings.Fields("государственное унитарное предприятие"),
	strings.Fields("муниципальное унитарное предприятие"),
	strings.Fields("федеральное государственное унитарное предприятие"),
	strings.Fields("автономная некоммерческая организация"),
	strings.Fields("некоммерческая организация"),
	strings.Fields("limited liability company"),
	strings.Fields("limited liability partnership"),
	strings.Fields("public limited company"),
	strings.Fields("joint stock company"),
	strings.Fields("public joint stock company"),
	strings.Fields("closed joint stock company"),
	strings.Fields("open joint stock company"),
}

// orgPhrasesByFirst indexes orgPhraseForms by first word, longest first.
var orgPhrasesByFirst = func() map[string][][]string {
	m := make(map[string][][]string)
	for _, p := range orgPhraseForms {
		m[p[0]] = append(m[p[0]], p)
	}
	for _, ps := range m {
		for i := 1; i < len(ps); i++ { // insertion sort, longest first
			for j := i; j > 0 && len(ps[j]) > len(ps[j-1]); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
	}
	return m
}()

// legalFormAt returns how many words starting at words[i] form a legal
// form, or 0.
func legalFormAt(words []string, i int) int {
	for _, p := range orgPhrasesByFirst[words[i]] {
		if len(p) <= len(words)-i && equalWords(words[i:i+len(p)], p) {
			return len(p)
		}
	}
	if orgSingleForms[words[i]] {
		return 1
	}
	return 0
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// dropLegalForms removes legal forms from words until none is left (removing
// one can bring the parts of another together). words is not modified.
func dropLegalForms(words []string) []string {
	for {
		var out []string
		changed := false
		for i := 0; i < len(words); {
			if n := legalFormAt(words, i); n > 0 {
				i += n
				changed = true
				continue
			}
			out = append(out, words[i])
			i++
		}
		if !changed || len(out) == 0 {
			return out
		}
		words = out
	}
}

// ---- person names ----

func personKey(raw string) string {
	rs := []rune(Text(raw))
	var b strings.Builder
	b.Grow(len(rs))
	var word []rune
	flush := func() {
		if len(word) == 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		// Repair each hyphen-separated part on its own.
		for j, part := range strings.Split(string(word), "-") {
			if j > 0 {
				b.WriteByte('-')
			}
			b.WriteString(fixMixedScript(part))
		}
		word = word[:0]
	}
	for i, r := range rs {
		prev, next := rune(-1), rune(-1)
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		inside := len(word) > 0 && (isLetterOrDigit(prev) || unicode.IsMark(prev)) && isLetterOrDigit(next)
		switch {
		case r == ' ':
			flush()
		case isDash(r):
			if inside {
				word = append(word, '-')
			} else {
				flush()
			}
		case isApostrophe(r):
			if !inside {
				flush()
			}
		case unicode.IsPunct(r):
			flush()
		default:
			word = append(word, r)
		}
	}
	flush()
	return b.String()
}
