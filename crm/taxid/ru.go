package taxid

import "unicode/utf8"

// Weights of the INN check digits. A check digit is the weighted sum of
// the preceding digits taken modulo 11 and then modulo 10.
var (
	inn10Weights = [...]int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn11Weights = [...]int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12Weights = [...]int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

// ValidateINN checks a Russian taxpayer number (ИНН) and returns its
// length: 10 for a legal entity, 12 for an individual or a sole
// proprietor. The input is not trimmed. On failure it returns 0 and an
// [*Error] with Kind [KindINN].
func ValidateINN(s string) (length int, err error) {
	if e := checkDigits(KindINN, s, 10, 12); e != nil {
		return 0, e
	}
	if len(s) == 10 {
		if weightedCheck(s, inn10Weights[:]) != s[9]-'0' {
			return 0, newError(KindINN, s, ReasonBadChecksum)
		}
		return 10, nil
	}
	if weightedCheck(s, inn11Weights[:]) != s[10]-'0' ||
		weightedCheck(s, inn12Weights[:]) != s[11]-'0' {
		return 0, newError(KindINN, s, ReasonBadChecksum)
	}
	return 12, nil
}

// ValidateKPP checks a Russian tax registration reason code (КПП): 4
// digits (tax office), 2 characters each a digit or a capital Latin letter
// A-Z (reason), 3 digits (sequence number). There is no check digit. The
// input is not trimmed. On failure it returns an [*Error] with Kind
// [KindKPP].
func ValidateKPP(s string) error {
	if s == "" {
		return newError(KindKPP, s, ReasonEmpty)
	}
	// Count characters rather than bytes so that a look-alike Cyrillic
	// letter is reported as a format problem, not a length problem.
	if utf8.RuneCountInString(s) != 9 {
		return newError(KindKPP, s, ReasonBadLength)
	}
	if len(s) != 9 { // nine characters, but some of them are not ASCII
		return newError(KindKPP, s, ReasonBadFormat)
	}
	for i := 0; i < 9; i++ {
		c := s[i]
		ok := isDigit(c)
		if i == 4 || i == 5 {
			ok = ok || (c >= 'A' && c <= 'Z')
		}
		if !ok {
			return newError(KindKPP, s, ReasonBadFormat)
		}
	}
	return nil
}

// ValidateOGRN checks the 13-digit primary state registration number of a
// Russian legal entity (ОГРН): the first 12 digits, read as a number,
// modulo 11 and then modulo 10 must equal the last digit. The input is not
// trimmed. On failure it returns an [*Error] with Kind [KindOGRN].
func ValidateOGRN(s string) error {
	return validateRegNumber(KindOGRN, s, 13, 11)
}

// ValidateOGRNIP checks the 15-digit primary state registration number of
// a Russian sole proprietor (ОГРНИП): the first 14 digits, read as a
// number, modulo 13 and then modulo 10 must equal the last digit. The
// input is not trimmed. On failure it returns an [*Error] with Kind
// [KindOGRNIP].
func ValidateOGRNIP(s string) error {
	return validateRegNumber(KindOGRNIP, s, 15, 13)
}

func validateRegNumber(kind Kind, s string, length int, modulus uint64) error {
	if e := checkDigits(kind, s, length, length); e != nil {
		return e
	}
	var rem uint64
	for i := 0; i < length-1; i++ {
		rem = (rem*10 + uint64(s[i]-'0')) % modulus
	}
	if byte(rem%10) != s[length-1]-'0' {
		return newError(kind, s, ReasonBadChecksum)
	}
	return nil
}

// checkDigits performs the checks shared by the all-digit identifiers: s
// must be non-empty, all ASCII digits, of length a or b, and not all zeros.
func checkDigits(kind Kind, s string, a, b int) *Error {
	if s == "" {
		return newError(kind, s, ReasonEmpty)
	}
	zeros := true
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return newError(kind, s, ReasonNotDigits)
		}
		if s[i] != '0' {
			zeros = false
		}
	}
	if len(s) != a && len(s) != b {
		return newError(kind, s, ReasonBadLength)
	}
	if zeros {
		return newError(kind, s, ReasonAllZeros)
	}
	return nil
}

// weightedCheck returns the check digit computed over the leading
// len(weights) digits of s, which must all be ASCII digits.
func weightedCheck(s string, weights []int) byte {
	sum := 0
	for i, w := range weights {
		sum += w * int(s[i]-'0')
	}
	return byte(sum % 11 % 10)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
