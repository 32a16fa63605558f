package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of Email, in bytes of UTF-8.
const (
	// MaxEmailLen is the longest input Email accepts, counted on the raw
	// input including surrounding white space, and also the longest
	// normalised address (RFC 5321 path limit minus the angle brackets).
	MaxEmailLen = 254
	// MaxEmailLocalLen is the longest local part (before '@').
	MaxEmailLocalLen = 64
	// MaxEmailDomainLen is the longest domain (after '@').
	MaxEmailDomainLen = 253
	// MaxEmailLabelLen is the longest domain label (between dots).
	MaxEmailLabelLen = 63
)

// Email validates an e-mail address and returns its canonical form: white
// space around it trimmed and the whole address lower-cased.
//
// The whole address, local part included, is lower-cased even though RFC
// 5321 allows a server to treat the local part as case-sensitive: no mail
// provider that matters does, users type addresses in any case, and the
// result is used as a duplicate-detection key, where "Ivan@Mail.ru" and
// "ivan@mail.ru" must collide. Letters followed by a combining accent are
// also composed (NFC-like, see Text). Nothing else is rewritten: dots and
// "+tags" in the local part are kept, because their meaning is
// provider-specific.
//
// Accepted syntax (a practical subset of RFC 5321/5322 with RFC 6531
// internationalisation):
//   - exactly one '@';
//   - a local part of 1..64 bytes made of ASCII letters and digits, the
//     characters !#$%&'*+/=?^_`{|}~.- and any non-ASCII letter or digit
//     (a combining mark is allowed after a letter or digit); it neither
//     starts nor ends with '.' and has no "..";
//   - a domain of 1..253 bytes with at least two dot-separated labels; each
//     label has 1..63 bytes of letters, digits and '-', non-ASCII letters
//     included ("пример.рф"), and neither starts nor ends with '-'; the
//     last label (TLD) is not all digits.
//
// Rejected on purpose: display names ("Ivan <ivan@example.com>"), quoted
// local parts, comments, IP-literal domains ("[192.0.2.1]"), a trailing
// dot after the domain and inputs longer than MaxEmailLen bytes.
// Internationalised domains are kept in the form given: "пример.рф" and
// its ASCII (Punycode) form "xn--e1afmkfd.xn--p1ai" are not unified.
//
// On failure the error is an *Error with Field "email" and Code
// ReasonTooLong, ReasonInvalidUTF8, ReasonEmpty or ReasonBadEmail.
func Email(raw string) (string, error) {
	if len(raw) > MaxEmailLen {
		return "", newError(FieldEmail, raw, ReasonTooLong)
	}
	if !utf8.ValidString(raw) {
		return "", newError(FieldEmail, raw, ReasonInvalidUTF8)
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", newError(FieldEmail, raw, ReasonEmpty)
	}
	addr := foldEmail(s)
	if len(addr) > MaxEmailLen {
		// Lower-casing some non-ASCII letters makes them longer.
		return "", newError(FieldEmail, raw, ReasonTooLong)
	}
	at := strings.IndexByte(addr, '@')
	if at < 0 || strings.IndexByte(addr[at+1:], '@') >= 0 ||
		!validLocalPart(addr[:at]) || !validDomain(addr[at+1:]) {
		return "", newError(FieldEmail, raw, ReasonBadEmail)
	}
	return addr, nil
}

// foldEmail lower-cases s and composes accents; s must be valid UTF-8.
func foldEmail(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return foldNFC(s, false)
		}
	}
	return strings.ToLower(s)
}

// isAtext reports whether c is one of the ASCII characters allowed in a
// dot-atom local part (RFC 5322 atext) or a dot.
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+/=?^_`{|}~.-", c) >= 0
}

func validLocalPart(s string) bool {
	if len(s) == 0 || len(s) > MaxEmailLocalLen || s[0] == '.' || s[len(s)-1] == '.' ||
		strings.Contains(s, "..") {
		return false
	}
	prevWord := false // previous rune was a letter, digit or mark
	for _, r := range s {
		if r < utf8.RuneSelf {
			if !isAtext(byte(r)) {
				return false
			}
			prevWord = isASCIIAlnum(r)
			continue
		}
		if !unicodeWordRune(r, prevWord) {
			return false
		}
		prevWord = true
	}
	return true
}

func validDomain(s string) bool {
	if len(s) == 0 || len(s) > MaxEmailDomainLen {
		return false
	}
	labels := 0
	for label := range strings.SplitSeq(s, ".") {
		if !validLabel(label) {
			return false
		}
		labels++
	}
	if labels < 2 {
		return false
	}
	tld := s[strings.LastIndexByte(s, '.')+1:]
	for _, r := range tld {
		if !unicode.IsDigit(r) {
			return true
		}
	}
	return false // numeric TLD: an IP address or garbage
}

func validLabel(s string) bool {
	if len(s) == 0 || len(s) > MaxEmailLabelLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	prevWord := false
	for _, r := range s {
		if r < utf8.RuneSelf {
			if !isASCIIAlnum(r) && r != '-' {
				return false
			}
			prevWord = r != '-'
			continue
		}
		if !unicodeWordRune(r, prevWord) {
			return false
		}
		prevWord = true
	}
	return true
}

func isASCIIAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// unicodeWordRune reports whether the non-ASCII rune r may appear in an
// address: a letter or a decimal digit anywhere, a combining mark only right
// after a letter, digit or mark.
func unicodeWordRune(r rune, afterWord bool) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || (afterWord && unicode.IsMark(r))
}
