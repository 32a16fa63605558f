package crm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/crmkit/crmkit/internal/lang"
)

// Sentinel errors of the crm package. Every error a Service method returns
// for bad input or a refused action matches one of them with errors.Is;
// storage errors match the store package's kinds.
var (
	// ErrInvalid: an input failed validation. The *ValidationError names
	// the field.
	ErrInvalid = errors.New("crm: invalid input")
	// ErrForbidden: the actor may not do this. Reads that are refused
	// answer store.ErrNotFound instead, so as not to reveal that a record
	// exists.
	ErrForbidden = errors.New("crm: forbidden")
	// ErrTransition: a lifecycle change is not allowed from the current
	// stage. The *TransitionError lists the stages allowed next.
	ErrTransition = errors.New("crm: stage change not allowed")
	// ErrDelegation: a delegation cannot be created or used.
	ErrDelegation = errors.New("crm: delegation refused")
)

// Reason is a stable, machine-readable code. Codes never change meaning
// between releases; messages may be reworded.
type Reason string

// Validation reason codes.
const (
	ReasonRequired     Reason = "required"
	ReasonTooLong      Reason = "too_long"
	ReasonUnknownValue Reason = "unknown_value"
	ReasonBadFormat    Reason = "bad_format"
	ReasonBadChecksum  Reason = "bad_checksum"
	ReasonBadDate      Reason = "bad_date"
	ReasonInFuture     Reason = "in_future"
	ReasonNegative     Reason = "negative"
	ReasonNotFound     Reason = "not_found"
	ReasonDuplicate    Reason = "duplicate"
	ReasonConflict     Reason = "conflict"
	ReasonNotAllowed   Reason = "not_allowed"
	ReasonRange        Reason = "out_of_range"
	ReasonPrecision    Reason = "precision" // finer than the currency's minor unit
)

// ValidationError reports an input that cannot be accepted. Field is the
// path of the field at fault in the input ("contacts[1].phones[0]",
// "inn"), Value the offending value (shortened), Reason a stable code and
// Detail an optional English explanation of the specific rule.
type ValidationError struct {
	Field  string
	Value  string
	Reason Reason
	Detail string
	Err    error // the underlying error (for example a *taxid.Error), if any
}

func invalid(field string, reason Reason, value string) *ValidationError {
	return &ValidationError{Field: field, Reason: reason, Value: shorten(value)}
}

func invalidf(field string, reason Reason, value, detail string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Reason: reason, Value: shorten(value), Detail: fmt.Sprintf(detail, args...)}
}

func (e *ValidationError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *ValidationError) Code() string { return string(e.Reason) }

// Is makes the error match ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns the underlying error.
func (e *ValidationError) Unwrap() error { return e.Err }

// Message returns the message in the language of tag.
func (e *ValidationError) Message(tag string) string {
	type localized interface{ Message(string) string }
	if l, ok := e.Err.(localized); ok {
		return lang.Pick(tag, "crm: "+e.Field+": ", "crm: поле "+e.Field+": ") + l.Message(tag)
	}
	en, ru := reasonText(e.Reason)
	return lang.FieldMessage(tag, "crm", e.Field, en, ru, e.Value, e.Detail, "")
}

func reasonText(r Reason) (en, ru string) {
	switch r {
	case ReasonRequired:
		return "is required", "обязательно"
	case ReasonTooLong:
		return "is too long", "слишком длинное значение"
	case ReasonUnknownValue:
		return "has an unknown value", "неизвестное значение"
	case ReasonBadFormat:
		return "is malformed", "неверный формат"
	case ReasonBadChecksum:
		return "fails its checksum", "не сходится контрольная сумма"
	case ReasonBadDate:
		return "is not a real calendar date", "несуществующая календарная дата"
	case ReasonInFuture:
		return "is too far in the future", "слишком далеко в будущем"
	case ReasonNegative:
		return "must not be negative", "не может быть отрицательным"
	case ReasonNotFound:
		return "refers to something that does not exist", "ссылается на несуществующую запись"
	case ReasonDuplicate:
		return "is given twice", "указано дважды"
	case ReasonConflict:
		return "contradicts another field", "противоречит другому полю"
	case ReasonNotAllowed:
		return "is not allowed here", "здесь недопустимо"
	case ReasonRange:
		return "is out of range", "вне допустимого диапазона"
	case ReasonPrecision:
		return "is finer than the currency's minor unit", "точнее минимальной единицы валюты"
	}
	return "is invalid", "недопустимое значение"
}

// shorten bounds a value quoted in an error (see lang.Shorten).
func shorten(s string) string { return lang.Shorten(s, 80) }

// ForbiddenError reports an action the actor may not take.
type ForbiddenError struct {
	Actor  string // the acting user's id
	Action Action
	Reason Reason // ReasonNotAllowed, or a more specific code
}

func (e *ForbiddenError) Error() string { return e.Message("en") }

// Code returns "forbidden".
func (e *ForbiddenError) Code() string { return "forbidden" }

// Is makes the error match ErrForbidden.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// Message returns the message in the language of tag.
func (e *ForbiddenError) Message(tag string) string {
	return lang.Pick(tag,
		fmt.Sprintf("crm: user %s may not %s", e.Actor, e.Action.textEN()),
		fmt.Sprintf("crm: пользователю %s запрещено: %s", e.Actor, e.Action.textRU()))
}

// TransitionError reports a lifecycle change that is not allowed.
type TransitionError struct {
	From, To Stage
	Allowed  []Stage // the stages reachable from From
	Reason   Reason  // ReasonNotAllowed, or ReasonRequired when a lost reason or note is missing
	Field    string  // for ReasonRequired: "reason" or "note"
}

func (e *TransitionError) Error() string { return e.Message("en") }

// Code returns "transition_not_allowed" or "transition_incomplete".
func (e *TransitionError) Code() string {
	if e.Reason == ReasonRequired {
		return "transition_incomplete"
	}
	return "transition_not_allowed"
}

// Is makes the error match ErrTransition.
func (e *TransitionError) Is(target error) bool { return target == ErrTransition }

// Message returns the message in the language of tag.
func (e *TransitionError) Message(tag string) string {
	if e.Reason == ReasonRequired {
		return lang.Pick(tag,
			fmt.Sprintf("crm: moving to %s needs a %s", e.To, e.Field),
			fmt.Sprintf("crm: для перехода в стадию «%s» нужно указать %s", e.To.Name("ru"), fieldRU(e.Field)))
	}
	en := make([]string, len(e.Allowed))
	ru := make([]string, len(e.Allowed))
	for i, s := range e.Allowed {
		en[i], ru[i] = string(s), "«"+s.Name("ru")+"»"
	}
	if len(en) == 0 {
		en, ru = []string{"none"}, []string{"нет"}
	}
	return lang.Pick(tag,
		fmt.Sprintf("crm: cannot move from %s to %s; allowed next: %s", e.From, e.To, strings.Join(en, ", ")),
		fmt.Sprintf("crm: нельзя перейти из стадии «%s» в «%s»; допустимо: %s", e.From.Name("ru"), e.To.Name("ru"), strings.Join(ru, ", ")))
}

func fieldRU(f string) string {
	switch f {
	case "reason":
		return "причину"
	case "note":
		return "комментарий"
	}
	return f
}

// DelegationError reports a delegation that cannot be created or used.
type DelegationError struct {
	Reason Reason // see the DelegationReason* codes
}

// Delegation reason codes.
const (
	DelegationOverlap   Reason = "delegation_overlap"
	DelegationOnward    Reason = "delegation_onward"
	DelegationSelf      Reason = "delegation_self"
	DelegationCancelled Reason = "delegation_cancelled"
	DelegationEnded     Reason = "delegation_ended"
)

func (e *DelegationError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *DelegationError) Code() string { return string(e.Reason) }

// Is makes the error match ErrDelegation.
func (e *DelegationError) Is(target error) bool { return target == ErrDelegation }

// Message returns the message in the language of tag.
func (e *DelegationError) Message(tag string) string {
	switch e.Reason {
	case DelegationOverlap:
		return lang.Pick(tag, "crm: the principal already has a delegation overlapping this window",
			"crm: у сотрудника уже есть замещение, пересекающееся с этим периодом")
	case DelegationOnward:
		return lang.Pick(tag, "crm: a deputy cannot delegate the rights they hold as a deputy",
			"crm: замещающий не может передать полученные полномочия дальше")
	case DelegationSelf:
		return lang.Pick(tag, "crm: a user cannot be their own deputy", "crm: нельзя назначить замещающим самого себя")
	case DelegationCancelled:
		return lang.Pick(tag, "crm: the delegation is already cancelled", "crm: замещение уже отменено")
	case DelegationEnded:
		return lang.Pick(tag, "crm: the delegation has already ended", "crm: замещение уже завершилось")
	}
	return lang.Pick(tag, "crm: delegation refused", "crm: замещение отклонено")
}
