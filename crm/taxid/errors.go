package taxid

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/crmkit/crmkit/internal/lang"
)

// Reason is a stable, machine-readable code telling why an identifier was
// rejected. The string values will not change between releases.
type Reason string

// Reason codes.
const (
	// ReasonEmpty means the value is empty.
	ReasonEmpty Reason = "empty"
	// ReasonNotDigits means the value contains something other than the ASCII
	// digits 0-9.
	ReasonNotDigits Reason = "not_digits"
	// ReasonBadLength means the value has the wrong number of digits or
	// characters.
	ReasonBadLength Reason = "bad_length"
	// ReasonBadChecksum means a check digit does not match.
	ReasonBadChecksum Reason = "bad_checksum"
	// ReasonBadFormat means the value does not have the required shape (KPP), or
	// contains control characters or invalid UTF-8 (KindOther).
	ReasonBadFormat Reason = "bad_format"
	// ReasonBadCountry means the country is not two ASCII letters.
	ReasonBadCountry Reason = "bad_country"
	// ReasonAllZeros means the value consists of zeros only.
	ReasonAllZeros Reason = "all_zeros"
	// ReasonBadKind means the kind is unknown, or not allowed for the country.
	ReasonBadKind Reason = "bad_kind"
)

// maxErrorInput is how many bytes of the input an Error keeps.
const maxErrorInput = 4 * MaxOtherLength // 256: any acceptable value fits

// Error reports an invalid identifier. The validators and [Parse] return
// it as *Error; use [errors.As] to get at it.
type Error struct {
	// Kind is the kind of identifier that was being checked.
	Kind Kind
	// Input is the rejected input: the value, or the country code when
	// Reason is ReasonBadCountry; of a longer input, its first 256 bytes
	// (cut at a rune boundary), so that no error quotes a huge input.
	Input string
	// Reason tells why the input was rejected.
	Reason Reason
}

func newError(kind Kind, input string, code Reason) *Error {
	if len(input) > maxErrorInput {
		// Never quote a hostile, huge input in full (as normalize does).
		cut := maxErrorInput
		// Back to the start of a rune, at most UTFMax-1 bytes (invalid
		// UTF-8 may hold no rune start at all).
		for i := 0; i < utf8.UTFMax-1 && !utf8.RuneStart(input[cut]); i++ {
			cut--
		}
		input = strings.Clone(input[:cut])
	}
	return &Error{Kind: kind, Input: input, Reason: code}
}

// Error returns an English description of the problem.
func (e *Error) Error() string {
	if e == nil {
		return "taxid: <nil>"
	}
	name := kindNameEN(e.Kind)
	switch e.Reason {
	case ReasonEmpty:
		return "taxid: " + name + " is empty"
	case ReasonBadCountry:
		return fmt.Sprintf("taxid: invalid country code %q for %s: want two ASCII letters (ISO 3166-1 alpha-2)", e.Input, name)
	case ReasonBadKind:
		return fmt.Sprintf("taxid: identifier kind %q is unknown or not allowed for this country (value %q)", string(e.Kind), e.Input)
	}
	return fmt.Sprintf("taxid: invalid %s %q: %s", name, e.Input, reasonEN(e.Kind, e.Reason))
}

// Code returns the stable reason code, as a string.
func (e *Error) Code() string {
	if e == nil {
		return ""
	}
	return string(e.Reason)
}

// Message returns the description in the language of tag: Russian for
// "ru" (and "ru-RU", ...), suitable for end users; English otherwise.
func (e *Error) Message(tag string) string {
	if lang.IsRussian(tag) {
		return e.messageRU()
	}
	return e.Error()
}

func (e *Error) messageRU() string {
	if e == nil {
		return ""
	}
	name := kindNameRU(e.Kind)
	switch e.Reason {
	case ReasonEmpty:
		return "не указан " + name
	case ReasonBadCountry:
		return fmt.Sprintf("некорректный код страны %q: ожидаются две латинские буквы (ISO 3166-1 alpha-2)", e.Input)
	case ReasonBadKind:
		return fmt.Sprintf("вид идентификатора %q неизвестен или недопустим для этой страны (значение %q)", string(e.Kind), e.Input)
	}
	return fmt.Sprintf("некорректный %s %q: %s", name, e.Input, reasonRU(e.Kind, e.Reason))
}

func kindNameEN(k Kind) string {
	switch k {
	case KindINN, KindKPP, KindOGRN, KindOGRNIP:
		return string(k)
	default:
		return "identifier"
	}
}

func kindNameRU(k Kind) string {
	switch k {
	case KindINN:
		return "ИНН"
	case KindKPP:
		return "КПП"
	case KindOGRN:
		return "ОГРН"
	case KindOGRNIP:
		return "ОГРНИП"
	default:
		return "идентификатор"
	}
}

func reasonEN(k Kind, r Reason) string {
	switch r {
	case ReasonNotDigits:
		return "only the digits 0-9 are allowed"
	case ReasonBadLength:
		switch k {
		case KindINN:
			return "must have 10 or 12 digits"
		case KindKPP:
			return "must have 9 characters"
		case KindOGRN:
			return "must have 13 digits"
		case KindOGRNIP:
			return "must have 15 digits"
		case KindOther:
			return fmt.Sprintf("must be at most %d characters long", MaxOtherLength)
		}
		return "wrong length"
	case ReasonBadChecksum:
		return "check digit does not match"
	case ReasonBadFormat:
		if k == KindKPP {
			return "must be 4 digits, then 2 digits or capital Latin letters, then 3 digits"
		}
		return "contains control characters or is not valid UTF-8"
	case ReasonAllZeros:
		return "must not consist of zeros only"
	default:
		return "invalid value"
	}
}

func reasonRU(k Kind, r Reason) string {
	switch r {
	case ReasonNotDigits:
		return "допускаются только цифры 0-9"
	case ReasonBadLength:
		switch k {
		case KindINN:
			return "должен содержать 10 или 12 цифр"
		case KindKPP:
			return "должен содержать 9 символов"
		case KindOGRN:
			return "должен содержать 13 цифр"
		case KindOGRNIP:
			return "должен содержать 15 цифр"
		case KindOther:
			return fmt.Sprintf("должен быть не длиннее %d символов", MaxOtherLength)
		}
		return "неверная длина"
	case ReasonBadChecksum:
		return "не сходится контрольное число"
	case ReasonBadFormat:
		if k == KindKPP {
			return "ожидаются 4 цифры, затем 2 цифры или заглавные латинские буквы, затем 3 цифры"
		}
		return "содержит управляющие символы или недопустимую кодировку"
	case ReasonAllZeros:
		return "не может состоять из одних нулей"
	default:
		return "недопустимое значение"
	}
}
