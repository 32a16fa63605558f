package discount

import (
	"errors"
	"fmt"
	"github.com/crmkit/crmkit/internal/lang"
	"strconv"
)

// Sentinel errors. Every error the package returns for bad input or a
// refused operation matches one of them with errors.Is; the typed errors
// below carry the details.
var (
	// ErrInvalidRule: a rule or coupon failed validation. The *RuleError
	// names the rule and the field.
	ErrInvalidRule = errors.New("discount: invalid rule")
	// ErrInvalidInput: a cart, a pricing request or a return failed
	// validation. The *InputError names the field.
	ErrInvalidInput = errors.New("discount: invalid input")
	// ErrTie: rules of equal priority exclude each other and the host's
	// TiePolicy is TieAsError. The *TieError names both rules.
	ErrTie = errors.New("discount: tie between rules that exclude each other")
	// ErrLimitExceeded: a ledger refused to commit uses beyond a limit.
	ErrLimitExceeded = errors.New("discount: usage limit exceeded")
	// ErrDuplicateRef: uses were already committed under this reference.
	ErrDuplicateRef = errors.New("discount: reference already committed")
	// ErrUnknownRef: no uses are committed under this reference.
	ErrUnknownRef = errors.New("discount: unknown reference")
)

// Reason is a stable, machine-readable code for why an input was refused.
// Codes never change meaning between releases; messages may be reworded.
type Reason string

// Reason codes of *RuleError and *InputError.
const (
	ReasonRequired              Reason = "required"
	ReasonNegative              Reason = "negative"
	ReasonNotPositive           Reason = "not_positive"
	ReasonBadFormat             Reason = "bad_format"
	ReasonUnknownValue          Reason = "unknown_value"
	ReasonCurrencyMismatch      Reason = "currency_mismatch"
	ReasonMinAboveMax           Reason = "min_above_max"
	ReasonCategoryContradiction Reason = "category_contradiction"
	ReasonDuplicate             Reason = "duplicate"
	ReasonOutOfRange            Reason = "out_of_range"
	ReasonTooLong               Reason = "too_long"
	ReasonNotAllowed            Reason = "not_allowed"
	ReasonNotAscending          Reason = "not_ascending"
	ReasonUnknownField          Reason = "unknown_field"
	ReasonMalformedJSON         Reason = "malformed_json"
	ReasonNotTheSale            Reason = "not_the_sale"
)

func reasonText(r Reason) (en, ru string) {
	switch r {
	case ReasonRequired:
		return "is required", "обязательно"
	case ReasonNegative:
		return "must not be negative", "не может быть отрицательным"
	case ReasonNotPositive:
		return "must be positive", "должно быть положительным"
	case ReasonBadFormat:
		return "is malformed", "неверный формат"
	case ReasonUnknownValue:
		return "has an unknown value", "неизвестное значение"
	case ReasonCurrencyMismatch:
		return "is in another currency", "в другой валюте"
	case ReasonMinAboveMax:
		return "is above the maximum", "больше максимума"
	case ReasonCategoryContradiction:
		return "contradicts another category path", "противоречит другому пути категорий"
	case ReasonDuplicate:
		return "is a duplicate", "повторяется"
	case ReasonOutOfRange:
		return "is out of range", "вне допустимого диапазона"
	case ReasonTooLong:
		return "is too long", "слишком длинное значение"
	case ReasonNotAllowed:
		return "is not allowed here", "здесь не допускается"
	case ReasonNotAscending:
		return "must be above the previous break", "должно быть больше предыдущей ступени"
	case ReasonUnknownField:
		return "is not a known field", "неизвестное поле"
	case ReasonMalformedJSON:
		return "is not valid JSON of the expected shape", "не является JSON ожидаемого вида"
	case ReasonNotTheSale:
		return "does not price as it did at the sale", "не даёт цен, по которым прошла продажа"
	}
	return "is invalid", "недопустимое значение"
}

// RuleError reports a rule or coupon that cannot be used. Rule is the
// rule's id (or "#N", its position, when it has none; "coupon X" for a
// coupon), Field the path of the field at fault ("action.percent",
// "conditions.valid_to"), Value the offending value (shortened).
type RuleError struct {
	Rule   string
	Field  string
	Reason Reason
	Value  string
	Detail string // an optional English explanation of the specific rule
	Err    error  // the underlying error, if any (for example a money error)
}

func (e *RuleError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *RuleError) Code() string { return string(e.Reason) }

// Is makes the error match ErrInvalidRule.
func (e *RuleError) Is(target error) bool { return target == ErrInvalidRule }

// Unwrap returns the underlying error.
func (e *RuleError) Unwrap() error { return e.Err }

// Message returns the message in the language of tag.
func (e *RuleError) Message(tag string) string {
	en, ru := fieldMessage(e.Field, e.Reason, e.Value, e.Detail, e.Err, tag)
	if e.Rule == "" {
		return lang.Pick(tag, "discount: rules: "+en, "discount: правила: "+ru)
	}
	rule := strconv.Quote(shorten(e.Rule))
	return lang.Pick(tag, "discount: rule "+rule+": "+en, "discount: правило "+rule+": "+ru)
}

// InputError reports a cart, pricing request or return that cannot be
// priced. Field is the path of the field at fault ("lines[2].quantity",
// "currency", "manual[0]").
type InputError struct {
	Field  string
	Reason Reason
	Value  string
	Detail string
	Err    error
}

func (e *InputError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *InputError) Code() string { return string(e.Reason) }

// Is makes the error match ErrInvalidInput.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// Message returns the message in the language of tag.
func (e *InputError) Message(tag string) string {
	en, ru := fieldMessage(e.Field, e.Reason, e.Value, e.Detail, e.Err, tag)
	return lang.Pick(tag, "discount: "+en, "discount: "+ru)
}

func fieldMessage(field string, reason Reason, value, detail string, err error, tag string) (en, ru string) {
	type localized interface{ Message(string) string }
	if l, ok := err.(localized); ok && reason != ReasonCurrencyMismatch {
		msg := l.Message(tag)
		return field + ": " + msg, "поле " + field + ": " + msg
	}
	en, ru = reasonText(reason)
	en = field + " " + en
	ru = "поле " + field + ": " + ru
	if value != "" {
		q := fmt.Sprintf(" (%q)", shorten(value))
		en += q
		ru += q
	}
	if detail != "" {
		en += ": " + detail
	}
	return en, ru
}

// TieError reports two rules of equal priority that exclude each other
// when the host's TiePolicy is TieAsError.
type TieError struct {
	Rule, Other string // the rule that was kept off, and the rule that kept it off
	Line        int    // the line they compete for, or -1 for the order
}

func (e *TieError) Error() string { return e.Message("en") }

// Code returns "tie".
func (e *TieError) Code() string { return "tie" }

// Is makes the error match ErrTie.
func (e *TieError) Is(target error) bool { return target == ErrTie }

// Message returns the message in the language of tag.
func (e *TieError) Message(tag string) string {
	a, b := strconv.Quote(shorten(e.Rule)), strconv.Quote(shorten(e.Other))
	return lang.Pick(tag,
		"discount: rules "+a+" and "+b+" have the same priority and exclude each other",
		"discount: правила "+a+" и "+b+" имеют одинаковый приоритет и исключают друг друга")
}

// LimitError reports a commit that would take a counter beyond its limit.
type LimitError struct {
	Key   UsageKey
	Limit Limit
	// Budget is true when the budget ran out, false when the number of
	// uses did.
	Budget bool
}

func (e *LimitError) Error() string { return e.Message("en") }

// Code returns "limit_exceeded".
func (e *LimitError) Code() string { return "limit_exceeded" }

// Is makes the error match ErrLimitExceeded.
func (e *LimitError) Is(target error) bool { return target == ErrLimitExceeded }

// Message returns the message in the language of tag.
func (e *LimitError) Message(tag string) string {
	what := e.Key.describe(tag)
	if e.Budget {
		return lang.Pick(tag,
			"discount: the budget of "+what+" ("+e.Limit.Budget.Format(tag)+") would be exceeded",
			"discount: будет превышен бюджет "+what+" ("+e.Limit.Budget.Format(tag)+")")
	}
	n := strconv.FormatInt(e.Limit.MaxUses, 10)
	return lang.Pick(tag,
		"discount: the usage limit of "+what+" ("+n+") would be exceeded",
		"discount: будет превышен лимит использований "+what+" ("+n+")")
}

// RefError reports a ledger reference that was already committed
// (ErrDuplicateRef) or is not known (ErrUnknownRef).
type RefError struct {
	Ref       string
	Duplicate bool
}

func (e *RefError) Error() string { return e.Message("en") }

// Code returns "ref_duplicate" or "ref_unknown".
func (e *RefError) Code() string {
	if e.Duplicate {
		return "ref_duplicate"
	}
	return "ref_unknown"
}

// Is makes the error match ErrDuplicateRef or ErrUnknownRef.
func (e *RefError) Is(target error) bool {
	if e.Duplicate {
		return target == ErrDuplicateRef
	}
	return target == ErrUnknownRef
}

// Message returns the message in the language of tag.
func (e *RefError) Message(tag string) string {
	ref := strconv.Quote(shorten(e.Ref))
	if e.Duplicate {
		return lang.Pick(tag, "discount: uses are already committed under "+ref,
			"discount: использования уже учтены под ссылкой "+ref)
	}
	return lang.Pick(tag, "discount: no uses are committed under "+ref,
		"discount: под ссылкой "+ref+" нет учтённых использований")
}

// shorten bounds a value quoted in an error (see lang.Shorten).
func shorten(s string) string { return lang.Shorten(s, 64) }
