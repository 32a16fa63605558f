package rootcause

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/crmkit/crmkit/internal/lang"
)

// Sentinel errors. Every error the package returns matches one of them
// with errors.Is; the *Error carries the details.
var (
	// ErrInvalidTaxonomy: a taxonomy cannot be built from the categories given.
	ErrInvalidTaxonomy = errors.New("rootcause: invalid taxonomy")
	// ErrInvalidLexicon: a rule term cannot be compiled.
	ErrInvalidLexicon = errors.New("rootcause: invalid lexicon")
	// ErrInvalidConfig: a Categorizer cannot be built from the Config given.
	ErrInvalidConfig = errors.New("rootcause: invalid configuration")
	// ErrInvalidModel: a model document is malformed or inconsistent.
	ErrInvalidModel = errors.New("rootcause: invalid model")
	// ErrInvalidTraining: examples or options cannot train a model.
	ErrInvalidTraining = errors.New("rootcause: invalid training input")
	// ErrInvalidPareto: records or options cannot make a Pareto analysis.
	ErrInvalidPareto = errors.New("rootcause: invalid Pareto input")
)

// Reason is a stable, machine-readable code for why an input was refused.
// Codes never change meaning between releases; messages may be reworded.
type Reason string

// Reason codes used by the package's errors.
const (
	ReasonEmpty            Reason = "empty"
	ReasonDuplicate        Reason = "duplicate"
	ReasonUnknownCode      Reason = "code_unknown"
	ReasonBadPattern       Reason = "pattern_invalid"
	ReasonOutOfRange       Reason = "out_of_range"
	ReasonMalformedJSON    Reason = "json_malformed"
	ReasonTooLarge         Reason = "too_large"
	ReasonUnknownFormat    Reason = "format_unknown"
	ReasonBadVersion       Reason = "version_unsupported"
	ReasonUnknownKind      Reason = "kind_unknown"
	ReasonShapeMismatch    Reason = "shape_mismatch"
	ReasonNotFinite        Reason = "value_not_finite"
	ReasonTooFewClasses    Reason = "too_few_classes"
	ReasonBadPeriod        Reason = "period_invalid"
	ReasonCurrencyMismatch Reason = "currency_mismatch"
)

// Error reports an input the package refuses. Kind is the sentinel it
// matches (ErrInvalidModel, ...), Field the path of the field at fault
// ("classes[3]", "terms[12].pattern"), Value the offending value
// (shortened), Detail an optional English explanation, Err the underlying
// error if any (for example a *money.MismatchError).
type Error struct {
	Kind   error
	Reason Reason
	Field  string
	Value  string
	Detail string
	Err    error
}

func newError(kind error, reason Reason, field, value, detail string) *Error {
	return &Error{Kind: kind, Reason: reason, Field: field, Value: shorten(value), Detail: detail}
}

func (e *Error) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *Error) Code() string { return string(e.Reason) }

// Is makes the error match its Kind.
func (e *Error) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Message returns the message in the language of tag: Russian for "ru"
// tags, English otherwise.
func (e *Error) Message(tag string) string {
	en, ru := reasonText(e.Reason)
	kindEN, kindRU := kindText(e.Kind)
	msgEN, msgRU := "rootcause: "+kindEN, "rootcause: "+kindRU
	if e.Field != "" {
		msgEN += ": " + e.Field
		msgRU += ": поле " + e.Field
	}
	msgEN += " " + en
	msgRU += ": " + ru
	if e.Value != "" {
		msgEN += fmt.Sprintf(" (%q)", e.Value)
		msgRU += fmt.Sprintf(" (%q)", e.Value)
	}
	if e.Detail != "" {
		msgEN += ": " + e.Detail
		msgRU += ": " + e.Detail
	}
	if e.Err != nil {
		type localized interface{ Message(string) string }
		if l, ok := e.Err.(localized); ok {
			msgEN += ": " + l.Message("en")
			msgRU += ": " + l.Message("ru")
		} else {
			msgEN += ": " + e.Err.Error()
			msgRU += ": " + e.Err.Error()
		}
	}
	return lang.Pick(tag, msgEN, msgRU)
}

func kindText(kind error) (en, ru string) {
	switch kind {
	case ErrInvalidTaxonomy:
		return "invalid taxonomy", "неверная таксономия"
	case ErrInvalidLexicon:
		return "invalid lexicon", "неверный словарь правил"
	case ErrInvalidConfig:
		return "invalid configuration", "неверная конфигурация"
	case ErrInvalidModel:
		return "invalid model", "неверная модель"
	case ErrInvalidTraining:
		return "invalid training input", "неверные данные для обучения"
	case ErrInvalidPareto:
		return "invalid Pareto input", "неверные данные для анализа Парето"
	}
	return "invalid input", "неверные данные"
}

func reasonText(r Reason) (en, ru string) {
	switch r {
	case ReasonEmpty:
		return "is empty", "пусто"
	case ReasonDuplicate:
		return "is a duplicate", "повторяется"
	case ReasonUnknownCode:
		return "names an unknown category", "ссылается на неизвестную категорию"
	case ReasonBadPattern:
		return "is not a valid pattern", "недопустимый шаблон"
	case ReasonOutOfRange:
		return "is out of range", "вне допустимого диапазона"
	case ReasonMalformedJSON:
		return "is not well-formed JSON", "некорректный JSON"
	case ReasonTooLarge:
		return "is too large", "слишком большой размер"
	case ReasonUnknownFormat:
		return "is not a crmkit root-cause model", "не является моделью причин crmkit"
	case ReasonBadVersion:
		return "has an unsupported version", "неподдерживаемая версия"
	case ReasonUnknownKind:
		return "has an unknown model kind", "неизвестный вид модели"
	case ReasonShapeMismatch:
		return "has the wrong size", "неверный размер"
	case ReasonNotFinite:
		return "holds a value that is not a finite number", "содержит нечисловое или бесконечное значение"
	case ReasonTooFewClasses:
		return "needs at least two classes", "нужно не менее двух классов"
	case ReasonBadPeriod:
		return "is not a valid period", "неверный период"
	case ReasonCurrencyMismatch:
		return "mixes currencies", "смешивает валюты"
	}
	return "is invalid", "недопустимое значение"
}

// shorten keeps at most 64 runes of s, valid UTF-8, for error messages.
func shorten(s string) string {
	const max = 64
	if len(s) <= max && utf8.ValidString(s) {
		return s
	}
	out := make([]rune, 0, max)
	for _, r := range s {
		if len(out) == max {
			return string(out) + "…"
		}
		out = append(out, r)
	}
	return string(out)
}
