package normalize

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text folds free text into a form suitable for comparison and
// duplicate detection. It is the base of OrgName and PersonName and is
// exported for fields that need the same treatment (cities, job titles,
// tags...).
//
// Text:
//   - drops bytes that are not valid UTF-8;
//   - drops invisible format characters (Unicode category Cf: soft hyphen,
//     zero-width space and joiners, BOM, bidirectional marks);
//   - treats every white-space or control character (tab, newline, NBSP
//     U+00A0, thin space U+2009, ideographic space...) as a word break,
//     collapses runs of them to one ASCII space and trims both ends;
//   - lower-cases (simple Unicode case mapping, unicode.ToLower);
//   - brings the result to Unicode NFC (golang.org/x/text/unicode/norm),
//     so a letter typed with a combining accent equals the precomposed
//     letter ("и"+U+0306 -> "й");
//   - folds "ё" to "е" (Russian writes them interchangeably).
//
// Punctuation and symbols are kept. Text is idempotent, never panics, runs
// in linear time and has no length limit of its own; the number of runes
// never grows.
func Text(raw string) string {
	if isFoldedASCII(raw) {
		return raw
	}
	return foldNFC(raw, true)
}

// foldNFC brings s to NFC, folds it, and — when removing characters left
// a combining mark beside a letter — composes and folds once more, so that
// the result is both NFC and folded ("е" + U+0308 becomes "ё", then "е").
func foldNFC(s string, text bool) string {
	out := string(appendFold(make([]byte, 0, len(s)), norm.NFC.String(s), text))
	if !norm.NFC.IsNormalString(out) {
		out = string(appendFold(make([]byte, 0, len(out)), norm.NFC.String(out), text))
	}
	return out
}

// isFoldedASCII reports whether s is ASCII and already in the form Text
// produces, so that Text can return it without allocating.
func isFoldedASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80, c < 0x20, c == 0x7f, 'A' <= c && c <= 'Z':
			return false
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
		}
	}
	return true
}

// appendFold appends the folded form of s to dst. With text set it applies
// all of Text's rules; without it only lower-casing and composition are
// done (used for e-mail addresses, where s is known to be valid UTF-8).
func appendFold(dst []byte, s string, text bool) []byte {
	base := len(dst)
	space := false
	// eOpen: the last letter written is "е" and a combining diaeresis
	// written now would compose with it into "ё" (only marks of a lower
	// combining class came between). Text folds "ё" to "е", so such a
	// diaeresis is dropped: otherwise NFC would make "ё" of the result
	// again ("Ё" + U+0308 folds to "е" + U+0308), and once per extra
	// diaeresis.
	eOpen := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if text && eOpen && !space && r == diaeresis {
			// (a pending space would separate it from the "е")
			continue
		}
		if text {
			switch {
			case r < utf8.RuneSelf:
				if r <= ' ' || r == 0x7f {
					space = true
					continue
				}
			case isCyrillicBlock(r):
				// Fast path: no spaces, controls or format characters here.
			case r == utf8.RuneError && size == 1:
				continue // invalid byte
			case unicode.IsSpace(r) || unicode.IsControl(r):
				space = true
				continue
			case unicode.Is(unicode.Cf, r), isInvisible(r):
				continue
			}
		}
		r = foldRune(r, text)
		if space {
			if len(dst) > base {
				dst = append(dst, ' ')
			}
			space, eOpen = false, false
		}
		dst = utf8.AppendRune(dst, r)
		if r == 'е' {
			eOpen = true
		} else if eOpen && r >= 0x0300 {
			var b [utf8.UTFMax]byte
			ccc := norm.NFC.Properties(b[:utf8.EncodeRune(b[:], r)]).CCC()
			eOpen = ccc > 0 && ccc < diaeresisCCC
		} else {
			eOpen = false
		}
	}
	return dst
}

// diaeresis is U+0308 COMBINING DIAERESIS, of canonical combining class
// diaeresisCCC.
const (
	diaeresis    = '\u0308'
	diaeresisCCC = 230
)

// isCyrillicBlock reports whether r is in the basic Cyrillic block
// U+0400..U+04FF (letters, a few combining marks and one symbol).
func isCyrillicBlock(r rune) bool { return r >= 0x0400 && r <= 0x04FF }

// foldRune lower-cases r and, when yo is set, maps "ё" to "е".
func foldRune(r rune, yo bool) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r >= 'А' && r <= 'Я':
		return r + ('а' - 'А')
	case r >= 'а' && r <= 'я':
		return r
	}
	r = unicode.ToLower(r)
	if yo && r == 'ё' {
		r = 'е'
	}
	return r
}

// latinToCyrillic maps the Latin letters that look like Cyrillic ones once
// lower-cased (most are look-alikes in upper case: A B C E H K M O P T X Y)
// to their Cyrillic twins; other entries are 0.
var latinToCyrillic = [utf8.RuneSelf]rune{
	'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'k': 'к',
	'm': 'м', 'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у',
}

// cyrillicToLatin is the inverse of latinToCyrillic; 0 if r has no twin.
func cyrillicToLatin(r rune) rune {
	switch r {
	case 'а':
		return 'a'
	case 'в':
		return 'b'
	case 'с':
		return 'c'
	case 'е':
		return 'e'
	case 'н':
		return 'h'
	case 'к':
		return 'k'
	case 'м':
		return 'm'
	case 'о':
		return 'o'
	case 'р':
		return 'p'
	case 'т':
		return 't'
	case 'х':
		return 'x'
	case 'у':
		return 'y'
	}
	return 0
}

// isCyrillicLetter reports whether r is a Cyrillic letter.
func isCyrillicLetter(r rune) bool {
	if isCyrillicBlock(r) {
		return r < 0x0482 || r > 0x0489 // U+0482..U+0489: a sign and marks
	}
	return unicode.Is(unicode.Cyrillic, r) && unicode.IsLetter(r)
}

// fixMixedScript repairs a single word (already folded by Text) that mixes
// Latin and Cyrillic letters, which in practice is a typing accident or a
// look-alike substitution ("OOО" typed with two Latin O's, "Ромaшка" with a
// Latin a). If every letter of the minority script has a look-alike in the
// majority script, those letters are replaced (ties go to Cyrillic);
// otherwise the word is returned unchanged. Words in a single script are
// never touched, so Latin and Cyrillic words stay distinct.
func fixMixedScript(w string) string {
	var lat, cyr int
	latOK, cyrOK := true, true
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' {
				lat++
				latOK = latOK && latinToCyrillic[r] != 0
			}
		case isCyrillicLetter(r):
			cyr++
			cyrOK = cyrOK && cyrillicToLatin(r) != 0
		case unicode.Is(unicode.Latin, r):
			lat++
			latOK = false
		}
	}
	if lat == 0 || cyr == 0 {
		return w
	}
	toCyrillic := latOK && (cyr >= lat || !cyrOK)
	if !toCyrillic && !cyrOK {
		return w
	}
	out := make([]rune, 0, len(w))
	for _, r := range w {
		if toCyrillic && r < utf8.RuneSelf && latinToCyrillic[r] != 0 {
			r = latinToCyrillic[r]
		} else if !toCyrillic {
			if l := cyrillicToLatin(r); l != 0 {
				r = l
			}
		}
		out = append(out, r)
	}
	// A replaced letter may now combine with a following accent.
	return Text(string(out))
}

// isInvisible reports whether r is a default-ignorable code point outside
// category Cf: variation selectors, the combining grapheme joiner and the
// Hangul fillers, which render as nothing.
func isInvisible(r rune) bool {
	return unicode.Is(unicode.Variation_Selector, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}
