package normalize

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/crmkit/crmkit/internal/lang"
)

// Reason is a stable, machine-readable code saying why an input was
// rejected. The string values are part of the API: they may be stored,
// logged or sent to clients and will not change.
type Reason string

// The reasons reported by this package.
const (
	// ReasonEmpty: the input is empty or contains only white space (or, for
	// names, nothing that survives normalisation).
	ReasonEmpty Reason = "empty"
	// ReasonTooLong: the input is longer than the limit of its normaliser
	// (MaxEmailLen, MaxPhoneLen, MaxNameLen).
	ReasonTooLong Reason = "too_long"
	// ReasonBadEmail: the input is not an e-mail address this package accepts.
	ReasonBadEmail Reason = "bad_email"
	// ReasonBadPhone: the input is not a valid phone number.
	ReasonBadPhone Reason = "bad_phone"
	// ReasonBadRegion: the default region is not a supported ISO 3166-1
	// alpha-2 code, or it is missing while the number has no leading '+'.
	ReasonBadRegion Reason = "bad_region"
	// ReasonInvalidUTF8: the input is not valid UTF-8.
	ReasonInvalidUTF8 Reason = "invalid_utf8"
)

// Field names used in Error.Field.
const (
	FieldEmail = "email" // reported by Email
	FieldPhone = "phone" // reported by Phone
	FieldName  = "name"  // reported by OrgNameStrict and PersonNameStrict
)

// maxErrorInput is how many bytes of the raw input an Error keeps.
const maxErrorInput = 100

// Error is the error type returned by every normaliser of this package.
// Use errors.As to get at it, or ReasonOf to read just the code.
type Error struct {
	// Field names the normaliser that failed: FieldEmail, FieldPhone or
	// FieldName.
	Field string
	// Input is the raw input as given, cut to at most 100 bytes (never in
	// the middle of a valid UTF-8 sequence). It may be invalid UTF-8 when
	// Reason is ReasonInvalidUTF8.
	Input string
	// Reason says why the input was rejected.
	Reason Reason
}

// newError builds an *Error, keeping a bounded private copy of the input so
// that an error never pins a huge input string in memory.
func newError(field, raw string, code Reason) *Error {
	in := raw
	if len(in) > maxErrorInput {
		cut := maxErrorInput
		// Step back to the start of a rune so that a valid multi-byte
		// character is never split (at most UTFMax-1 steps).
		for i := 0; i < utf8.UTFMax-1 && cut > 0 && !utf8.RuneStart(in[cut]); i++ {
			cut--
		}
		in = strings.Clone(in[:cut])
	}
	return &Error{Field: field, Input: in, Reason: code}
}

// Error returns an English description, for logs and developers, such as
//
//	normalize: email "ivan@": not a valid e-mail address
func (e *Error) Error() string {
	return fmt.Sprintf("normalize: %s %q: %s", e.Field, e.Input, e.messageEN())
}

func (e *Error) messageEN() string {
	switch e.Reason {
	case ReasonEmpty:
		return "empty"
	case ReasonTooLong:
		switch e.Field {
		case FieldEmail:
			return fmt.Sprintf("longer than %d bytes", MaxEmailLen)
		case FieldPhone:
			return fmt.Sprintf("longer than %d bytes", MaxPhoneLen)
		case FieldName:
			return fmt.Sprintf("longer than %d characters", MaxNameLen)
		}
		return "too long"
	case ReasonBadEmail:
		return "not a valid e-mail address"
	case ReasonBadPhone:
		return "not a valid phone number"
	case ReasonBadRegion:
		return "no country code in the number and no usable default region"
	case ReasonInvalidUTF8:
		return "not valid UTF-8"
	}
	return "invalid value (" + string(e.Reason) + ")"
}

// Code returns the stable reason code, as a string.
func (e *Error) Code() string { return string(e.Reason) }

// Message returns the message in the language of tag: for "ru" a short
// Russian message suitable for an end user, such as "Некорректный адрес
// электронной почты." (it does not repeat the input); otherwise the
// English Error text.
func (e *Error) Message(tag string) string {
	if lang.IsRussian(tag) {
		return e.messageRU()
	}
	return e.Error()
}

func (e *Error) messageRU() string {
	switch e.Reason {
	case ReasonEmpty:
		switch e.Field {
		case FieldEmail:
			return "Адрес электронной почты не указан."
		case FieldPhone:
			return "Номер телефона не указан."
		case FieldName:
			return "Имя или название не указано."
		}
		return "Значение не указано."
	case ReasonTooLong:
		switch e.Field {
		case FieldEmail:
			return fmt.Sprintf("Адрес электронной почты слишком длинный (допускается не более %d байт).", MaxEmailLen)
		case FieldPhone:
			return fmt.Sprintf("Номер телефона слишком длинный (допускается не более %d байт).", MaxPhoneLen)
		case FieldName:
			return fmt.Sprintf("Имя или название слишком длинное (допускается не более %d символов).", MaxNameLen)
		}
		return "Значение слишком длинное."
	case ReasonBadEmail:
		return "Некорректный адрес электронной почты."
	case ReasonBadPhone:
		return "Некорректный номер телефона."
	case ReasonBadRegion:
		return "Не удалось определить страну номера: укажите номер в международном формате (с «+» и кодом страны)."
	case ReasonInvalidUTF8:
		switch e.Field {
		case FieldEmail:
			return "Адрес электронной почты содержит недопустимые символы (ошибка кодировки)."
		case FieldPhone:
			return "Номер телефона содержит недопустимые символы (ошибка кодировки)."
		case FieldName:
			return "Имя или название содержит недопустимые символы (ошибка кодировки)."
		}
		return "Значение содержит недопустимые символы (ошибка кодировки)."
	}
	return "Некорректное значение."
}

// ReasonOf returns the Reason of the *Error inside err (found with
// errors.As), or "" when err is nil or carries no *Error.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}
