package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region most callers of this package pass to Phone:
// numbers written without a country code are taken to be Russian.
const DefaultRegion = "RU"

// MaxPhoneLen is the longest raw input, in bytes, that Phone accepts. It
// leaves room for formatting and an extension; the E.164 result itself is
// at most 16 bytes.
const MaxPhoneLen = 64

// Phone validates a phone number and returns it in E.164 form, such as
// "+79161234567". Parsing and validation are done by
// github.com/nyaruka/phonenumbers (a port of Google's libphonenumber).
//
// defaultRegion is an ISO 3166-1 alpha-2 code ("RU", "DE"; case does not
// matter) telling which country a number written without "+country code"
// belongs to; national prefixes are handled per country, so with "RU" the
// Russian habit "8 (916) 123-45-67" gives "+79161234567". An empty region or
// "ZZ" means "unknown": then only numbers starting with '+' are accepted and
// others fail with ReasonBadRegion. Any other unsupported region code fails
// with ReasonBadRegion even when the number starts with '+', to expose the
// caller's mistake.
//
// The number must be valid (phonenumbers.IsValidNumber: a real numbering
// range of its country), not merely of a possible length, and fit E.164:
// at most 15 digits with the country code.
//
// An extension ("+7 495 123-45-67 доб. 123", "ext. 12", "#12", ";ext=12")
// is recognised and dropped: the result identifies the line, which is what
// duplicate detection needs. Callers that must keep extensions should store
// them separately. A leading "tel:" is allowed. Any other letter makes the
// input invalid: vanity numbers ("1-800-FLOWERS") and labels ("тел.",
// "mob:") are rejected rather than guessed at.
//
// On failure the error is an *Error with Field "phone" and Code
// ReasonTooLong, ReasonInvalidUTF8, ReasonEmpty, ReasonBadRegion or
// ReasonBadPhone. White space of any kind (tabs, NBSP, thin spaces) and
// invisible format characters may appear anywhere. Phone never panics: a
// panic inside the parsing library is recovered and reported as
// ReasonBadPhone.
func Phone(raw string, defaultRegion string) (string, error) {
	if len(raw) > MaxPhoneLen {
		return "", newError(FieldPhone, raw, ReasonTooLong)
	}
	if !utf8.ValidString(raw) {
		return "", newError(FieldPhone, raw, ReasonInvalidUTF8)
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", newError(FieldPhone, raw, ReasonEmpty)
	}
	region, ok := phoneRegion(defaultRegion)
	if !ok {
		return "", newError(FieldPhone, raw, ReasonBadRegion)
	}
	s = cleanPhoneSpaces(s)
	if len(s) >= 4 && strings.EqualFold(s[:4], "tel:") {
		s = s[4:]
	}
	number := s
	if strings.IndexFunc(number, unicode.IsLetter) >= 0 {
		// "(доб. 123)": the parser does not see an extension marker inside
		// brackets; brackets carry no meaning for it, so drop them.
		number = strings.TrimSpace(strings.NewReplacer("(", " ", ")", " ").Replace(number))
		// Letters are allowed only in an extension marker ("доб.", "ext").
		// The parser drops extensions by itself; splitting here is only
		// needed for this check, so it is skipped when there are no letters.
		number, _ = phonenumbers.MaybeSeparateExtensionFromPhone(number)
		if strings.IndexFunc(number, unicode.IsLetter) >= 0 {
			return "", newError(FieldPhone, raw, ReasonBadPhone)
		}
	}
	if region == "" && !startsWithPlus(number) {
		return "", newError(FieldPhone, raw, ReasonBadRegion)
	}
	e164, ok := parseE164(number, region)
	if !ok {
		return "", newError(FieldPhone, raw, ReasonBadPhone)
	}
	return e164, nil
}

// phoneRegion upper-cases a region code and checks that the library knows
// it. "" and "ZZ" give "" (no region) and ok.
func phoneRegion(r string) (string, bool) {
	r = strings.ToUpper(strings.TrimSpace(r))
	if r == "" || r == "ZZ" {
		return "", true
	}
	if len(r) != 2 || !supportedRegions[r] {
		return "", false
	}
	return r, true
}

// supportedRegions is read once: phonenumbers.GetSupportedRegions builds a
// new map on every call.
var supportedRegions = phonenumbers.GetSupportedRegions()

// cleanPhoneSpaces writes every white-space character (tab, thin space...)
// as an ASCII space and drops invisible format characters such as the
// zero-width space, since the parser only knows a few separators.
func cleanPhoneSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

// startsWithPlus reports whether the first '+' or digit of s is a plus sign
// (ASCII or full-width), as opposed to a digit.
func startsWithPlus(s string) bool {
	for _, r := range s {
		switch {
		case r == '+' || r == '＋':
			return true
		case unicode.IsDigit(r):
			return false
		}
	}
	return false
}

// parseE164 parses and validates number, turning any panic of the library
// into a failure.
func parseE164(number, region string) (e164 string, ok bool) {
	defer func() {
		if recover() != nil {
			e164, ok = "", false
		}
	}()
	n, err := phonenumbers.Parse(number, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	e164 = phonenumbers.Format(n, phonenumbers.E164)
	if len(e164) > maxE164Len {
		// The metadata of a few countries allows national numbers that do
		// not fit E.164 (more than 15 digits in all); they cannot be dialled
		// from abroad or stored as E.164, so they are rejected.
		return "", false
	}
	return e164, true
}

// maxE164Len is '+' and at most 15 digits (ITU-T E.164).
const maxE164Len = 1 + 15
