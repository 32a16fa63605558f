package taxid

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind names the kind of an identifier.
type Kind string

// Identifier kinds.
const (
	// KindINN is a Russian taxpayer number (ИНН): 10 digits for a legal
	// entity, 12 digits for an individual or a sole proprietor.
	KindINN Kind = "INN"
	// KindKPP is a Russian tax registration reason code (КПП): 9 characters.
	KindKPP Kind = "KPP"
	// KindOGRN is the primary state registration number of a Russian legal
	// entity (ОГРН): 13 digits.
	KindOGRN Kind = "OGRN"
	// KindOGRNIP is the primary state registration number of a Russian sole
	// proprietor (ОГРНИП): 15 digits.
	KindOGRNIP Kind = "OGRNIP"
	// KindOther is an identifier of any country, kept as given (folded
	// for duplicate detection by [ID.MatchValue]).
	KindOther Kind = "OTHER"
)

// CountryRU is the ISO 3166-1 alpha-2 code of Russia, the only country
// whose identifiers are validated by kind.
const CountryRU = "RU"

// MaxOtherLength is the maximum length, in characters (runes), of a
// [KindOther] identifier value.
const MaxOtherLength = 64

// ID is a tax or registration identifier together with the country that
// issued it.
type ID struct {
	// Country is the ISO 3166-1 alpha-2 code in upper case, e.g. "RU".
	Country string
	// Kind tells what the identifier is.
	Kind Kind
	// Value is the identifier itself, without surrounding white space.
	Value string
}

// IsZero reports whether id is the zero ID.
func (id ID) IsZero() bool {
	return id == ID{}
}

// String returns the identifier as "COUNTRY:KIND:VALUE", for example
// "RU:INN:7707083893". The zero ID yields the empty string. Since neither
// the country nor the kind contains a colon, splitting the result into at
// most three parts on ":" recovers the fields.
func (id ID) String() string {
	if id.IsZero() {
		return ""
	}
	return id.Country + ":" + string(id.Kind) + ":" + id.Value
}

// Validate checks value as a Russian identifier of the given kind, without
// trimming it. It accepts [KindINN], [KindKPP], [KindOGRN] and
// [KindOGRNIP]; any other kind yields an error with [ReasonBadKind].
func Validate(kind Kind, value string) error {
	switch kind {
	case KindINN:
		_, err := ValidateINN(value)
		return err
	case KindKPP:
		return ValidateKPP(value)
	case KindOGRN:
		return ValidateOGRN(value)
	case KindOGRNIP:
		return ValidateOGRNIP(value)
	default:
		return newError(kind, value, ReasonBadKind)
	}
}

// Parse builds an [ID] from its parts.
//
// Surrounding white space is trimmed from country and value. The country
// must then consist of two ASCII letters; it is folded to upper case.
//
// For Russia ("RU") the value is validated according to kind with
// [ValidateINN], [ValidateKPP], [ValidateOGRN] or [ValidateOGRNIP];
// [KindOther] is accepted as well and follows the rules below.
//
// For any other country the kind must be [KindOther], since the Russian
// kinds are defined by Russian law only. The value is kept as given: it
// must be non-empty, valid UTF-8, at most [MaxOtherLength] characters long
// and free of control characters.
//
// On failure Parse returns the zero ID and an [*Error]. For
// [ReasonBadCountry] its Input is the country argument as passed; otherwise
// it is the trimmed value.
func Parse(country string, kind Kind, value string) (ID, error) {
	cc, ok := normalizeCountry(country)
	if !ok {
		return ID{}, newError(kind, country, ReasonBadCountry)
	}
	v := strings.TrimSpace(value)
	var err error
	switch {
	case kind == KindOther:
		err = validateOther(v)
	case cc != CountryRU:
		err = newError(kind, v, ReasonBadKind)
	default:
		err = Validate(kind, v)
	}
	if err != nil {
		return ID{}, err
	}
	return ID{Country: cc, Kind: kind, Value: v}, nil
}

// normalizeCountry trims s and returns it in upper case if it is exactly
// two ASCII letters.
func normalizeCountry(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 2 {
		return "", false
	}
	var b [2]byte
	for i := 0; i < 2; i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = c
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		default:
			return "", false
		}
	}
	return string(b[:]), true
}

// validateOther applies the rules for identifiers kept as given.
func validateOther(v string) error {
	if v == "" {
		return newError(KindOther, v, ReasonEmpty)
	}
	if !utf8.ValidString(v) {
		return newError(KindOther, v, ReasonBadFormat)
	}
	if utf8.RuneCountInString(v) > MaxOtherLength {
		return newError(KindOther, v, ReasonBadLength)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return newError(KindOther, v, ReasonBadFormat)
		}
	}
	return nil
}

// MatchValue returns the identifier folded for duplicate detection, so
// that two spellings of one number give one value. An identifier of a
// Russian kind is returned as stored (Parse has checked its exact form).
// A [KindOther] identifier, kept as given, is folded: MatchValue
//   - keeps only letters and digits, upper-casing the letters, reading
//     full-width forms as their ASCII letters and digits and the decimal
//     digits of other scripts ("١٢٣", "१२३") as ASCII digits, so spaces,
//     dots, dashes, slashes and the like do not count ("de 123.456.789"
//     and "DE123456789" fold alike);
//   - drops a leading country prefix — the country's own code, or "EL"
//     for Greece as in EU VAT numbers — when what follows still holds a
//     digit, so the VAT form "DE123456789" and the bare "123456789" of a
//     German client match.
//
// An identifier with no letter or digit at all folds to its stored value,
// never to "".
func (id ID) MatchValue() string {
	if id.Kind != KindOther {
		return id.Value
	}
	var b strings.Builder
	b.Grow(len(id.Value))
	for _, r := range id.Value {
		if r >= '！' && r <= '～' { // full-width ASCII forms
			r -= '！' - '!'
		}
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsLetter(r):
			b.WriteRune(unicode.ToUpper(r))
		case unicode.IsDigit(r):
			b.WriteByte(asciiDigit(r))
		}
	}
	s := b.String()
	if s == "" {
		return id.Value
	}
	for _, prefix := range countryPrefixes(id.Country) {
		rest, ok := strings.CutPrefix(s, prefix)
		if ok && strings.IndexFunc(rest, unicode.IsDigit) >= 0 {
			return rest
		}
	}
	return s
}

// asciiDigit returns the ASCII digit of the decimal digit r (Unicode
// category Nd). Unicode encodes the decimal digits of every script in
// runs of ten from zero to nine, so within each range of unicode.Nd (all
// of stride one, made of whole runs) r's value is its offset modulo ten.
func asciiDigit(r rune) byte {
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return byte('0' + (r-rune(rg.Lo))%10)
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return byte('0' + (r-rune(rg.Lo))%10)
		}
	}
	return '0' // not reached for a digit
}

// countryPrefixes are the prefixes that name country cc at the start of
// its identifiers: its ISO code and, for Greece, the "EL" of EU VAT
// numbers.
func countryPrefixes(cc string) []string {
	if cc == "GR" {
		return []string{"GR", "EL"}
	}
	return []string{cc}
}
