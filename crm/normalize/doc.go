// Package normalize turns contact points and names typed by people into
// canonical forms that can be validated, stored and used as
// duplicate-detection keys. It is written with Russian-speaking users in
// mind but is not limited to them.
//
// # Functions
//
//   - Email validates an e-mail address and lower-cases it.
//   - Phone validates a phone number and returns it in E.164 form
//     ("+79161234567"), using github.com/nyaruka/phonenumbers; numbers
//     without a country code are read in a default region (DefaultRegion,
//     "RU", for most callers).
//   - OrgName gives a key for a company name: case, "ё", quotes,
//     punctuation, legal forms (ООО, АО, LLC, GmbH...) and the spacing of
//     initials ("И. И.", "И.И.") do not matter.
//   - InitialsName gives the "surname + initials" key of a person's name
//     written out with a patronymic ("ИП Иванов Иван Иванович" gives
//     "иванов ии", as OrgName does for "ИП Иванов И.И."), or "" for any
//     other name.
//   - PersonName gives a key for a person's full name.
//   - Text is the general fold the name keys are built on: lower case,
//     "ё" -> "е", white space collapsed, invisible characters dropped.
//
// The functions that validate (Email, Phone, OrgNameStrict,
// PersonNameStrict) return an *Error carrying a stable Reason code
// ("empty", "too_long", "bad_email", "bad_phone", "bad_region",
// "invalid_utf8"), an English Error() text for logs and a Russian
// Message("ru") for end users. OrgName and PersonName return a plain string
// and use "" for "no usable key".
//
// # Safety
//
// No function panics, whatever the input: invalid UTF-8, control
// characters, huge strings. Work is bounded by limits checked before any
// parsing: MaxEmailLen (254 bytes), MaxPhoneLen (64 bytes) and MaxNameLen
// (1024 runes). Text has no limit but is linear. Every normaliser is
// idempotent: applied to its own output it returns that output unchanged,
// so stored values can be normalised again safely (and this is tested with
// property tests and fuzzing). InitialsName is the exception: given its
// own key, a short form, it returns "", while OrgName returns that key
// unchanged.
//
// # Choices
//
// E-mail addresses are lower-cased as a whole, local part included: in
// practice no provider treats mailboxes case-sensitively and the address is
// used as a duplicate key. Dots and "+tags" are kept because their meaning
// is provider-specific. Internationalised addresses ("иван@пример.рф") are
// accepted; quoted local parts, display names and IP-literal domains are
// not, and Punycode is not converted either way.
//
// Phone numbers must be valid (a real numbering range), not merely of a
// plausible length. Extensions ("доб. 123", "ext. 12") are recognised and
// dropped: the E.164 result identifies the line. Letters other than an
// extension marker or a leading "tel:" are rejected, so vanity numbers and
// labels such as "тел." must be stripped by the caller.
//
// Name keys never transliterate: "Romashka" and "Ромашка" stay distinct.
// Only words that mix Latin and Cyrillic look-alike letters (a frequent
// typing accident: "OOО" with Latin O's) are repaired to a single script.
// Accents typed as combining marks are composed with full Unicode NFC
// (golang.org/x/text/unicode/norm), so "й" and "ё" typed as two code
// points match their one-code-point forms. Organisation keys drop
// legal forms written anywhere in the name, as abbreviations ("ООО",
// "L.L.C.") or spelled out ("общество с ограниченной ответственностью").
// Dots inside an initialism are deleted ("A.B.C. Trading" -> "abc
// trading"), any other dot is a word break ("Co.Ltd" -> "co ltd"), and
// runs of single letters are joined however they are spaced ("A. B. C.
// Trading" -> "abc trading"). Person keys keep word order and in-word
// hyphens.
package normalize
