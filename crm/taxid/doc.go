// Package taxid validates Russian company and person registration
// identifiers and carries tax identifiers of other countries.
//
// The Russian identifiers handled here are:
//
//   - INN (ИНН, идентификационный номер налогоплательщика, taxpayer
//     identification number). A legal entity has a 10-digit INN with one
//     check digit; an individual, including a sole proprietor, has a
//     12-digit INN with two check digits. See [ValidateINN].
//   - KPP (КПП, код причины постановки на учёт, tax registration reason
//     code). Nine characters: a 4-digit tax office code, a 2-character
//     reason code (digits or capital Latin letters A-Z) and a 3-digit
//     sequence number. It has no check digit, so only its shape is
//     verified. See [ValidateKPP].
//   - OGRN (ОГРН, основной государственный регистрационный номер, primary
//     state registration number) of a legal entity: 13 digits, the last of
//     which is a check digit. See [ValidateOGRN].
//   - OGRNIP (ОГРНИП, ОГРН индивидуального предпринимателя) of a sole
//     proprietor: 15 digits, the last of which is a check digit. See
//     [ValidateOGRNIP].
//
// The validators are strict: they do not trim or normalise their input,
// only the ASCII digits 0-9 count as digits, and a value made of zeros only
// is rejected even though it satisfies the checksum arithmetic. [Parse]
// is the lenient entry point: it trims surrounding white space, folds the
// country code to upper case and returns an [ID].
//
// Identifiers of other countries are stored with [KindOther] and kept as
// given, after trimming, as long as they are non-empty, at most
// [MaxOtherLength] characters long, valid UTF-8 and free of control
// characters. No country-specific rules are applied to validate them.
// For duplicate detection [ID.MatchValue] folds them, so that two
// spellings of one number match: only letters and digits count, case
// does not, the decimal digits of every script read as ASCII digits, and
// a leading country prefix (the country's own code, or "EL" for Greece)
// is dropped; the stored value does not change.
//
// Validation is structural only. A valid checksum does not mean that the
// identifier was ever issued; that can only be confirmed against the state
// registers (ЕГРЮЛ/ЕГРИП). Regional prefixes and the leading "sign" digit
// of OGRN and OGRNIP are not checked either. The check digits are reduced
// modulo 10 after the modulo 11 (or 13) step, so a number whose check
// digit is 0 (for OGRNIP also 1 or 2) may hide a single mistyped digit.
//
// Every failure is reported as an [*Error] carrying a stable [Reason] code
// that callers may switch on; [Error.Error] returns an English message and
// [Error.Message] with "ru" a Russian one suitable for end users.
//
// The functions never panic, whatever the input, including invalid UTF-8.
package taxid
