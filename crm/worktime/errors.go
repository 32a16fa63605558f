package worktime

import (
	"errors"
	"github.com/crmkit/crmkit/internal/lang"
)

// ErrInvalid matches every *Error: a calendar, period or date that cannot
// be used.
var ErrInvalid = errors.New("worktime: invalid calendar")

// Reason is a stable, machine-readable code for why an input was refused.
// Codes never change meaning between releases; messages may be reworded.
type Reason string

// Reason codes.
const (
	ReasonRequired       Reason = "required"         // a required value is missing (the location)
	ReasonOutOfRange     Reason = "out_of_range"     // a time of day outside 00:00–24:00, a year outside 1–9999
	ReasonEndBeforeStart Reason = "end_before_start" // a period that ends at or before it starts
	ReasonOverlap        Reason = "overlap"          // two periods of one day overlap
	ReasonBadDate        Reason = "bad_date"         // a date that does not exist (31 April)
	ReasonDuplicate      Reason = "duplicate"        // a date listed twice
	ReasonConflict       Reason = "conflict"         // a date both a holiday and an extra working day
	ReasonNoWorkingTime  Reason = "no_working_time"  // a week without any working time
	ReasonBadFormat      Reason = "bad_format"       // text that is not "HH:MM-HH:MM" or "YYYY-MM-DD"
	ReasonTooMany        Reason = "too_many"         // more periods or dates than the limits allow
)

// Error reports an input the package refuses. Field is the path of the
// field at fault ("week[monday][1]", "holidays[3]", "location"), Value
// the offending value (shortened) and Reason a stable code.
type Error struct {
	Field  string
	Value  string
	Reason Reason
	Detail string // an optional English explanation
}

func newError(field string, reason Reason, value string) *Error {
	return &Error{Field: field, Reason: reason, Value: shorten(value)}
}

func (e *Error) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *Error) Code() string { return string(e.Reason) }

// Is makes the error match ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// Message returns the message in the language of tag: Russian for "ru",
// English otherwise.
func (e *Error) Message(tag string) string {
	en, ru := reasonText(e.Reason)
	return lang.FieldMessage(tag, "worktime", e.Field, en, ru, e.Value, e.Detail, "")
}

func reasonText(r Reason) (en, ru string) {
	switch r {
	case ReasonRequired:
		return "is required", "обязательно"
	case ReasonOutOfRange:
		return "is out of range", "вне допустимого диапазона"
	case ReasonEndBeforeStart:
		return "ends at or before its start", "заканчивается не позже начала"
	case ReasonOverlap:
		return "overlaps another period of the day", "пересекается с другим периодом того же дня"
	case ReasonBadDate:
		return "is not a calendar date", "несуществующая календарная дата"
	case ReasonDuplicate:
		return "is given twice", "указано дважды"
	case ReasonConflict:
		return "is both a holiday and a working day", "одновременно выходной и рабочий день"
	case ReasonNoWorkingTime:
		return "has no working time at all", "не содержит рабочего времени"
	case ReasonBadFormat:
		return "is malformed", "неверный формат"
	case ReasonTooMany:
		return "has too many entries", "слишком много значений"
	}
	return "is invalid", "недопустимое значение"
}

// shorten bounds a value quoted in an error (see lang.Shorten).
func shorten(s string) string { return lang.Shorten(s, 64) }
