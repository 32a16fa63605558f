package civil

import (
	"errors"
	"strconv"

	"github.com/crmkit/crmkit/internal/lang"
)

// ErrInvalid matches every *ParseError with errors.Is.
var ErrInvalid = errors.New("civil: invalid date")

// Reason is a stable, machine-readable code.
type Reason string

// Reason codes of a *ParseError.
const (
	// ReasonMalformed: the text is not in the expected layout.
	ReasonMalformed Reason = "date_malformed"
	// ReasonNotADate: the layout is right but no such day exists
	// (2026-02-29, 2026-04-31, year 0).
	ReasonNotADate Reason = "date_not_a_date"
)

// ParseError reports a date that cannot be read or does not exist.
// Domain packages wrap it in their own validation errors, which name the
// field.
type ParseError struct {
	Input  string // the text (shortened to 40 bytes), or the fields as text
	Reason Reason
}

// Error returns the English message.
func (e *ParseError) Error() string { return "civil: " + e.Message("en") }

// Is lets errors.Is(err, ErrInvalid) match.
func (e *ParseError) Is(target error) bool { return target == ErrInvalid }

// Code returns the stable reason code.
func (e *ParseError) Code() string { return string(e.Reason) }

// Message returns the message in Russian for "ru" tags, English otherwise.
func (e *ParseError) Message(tag string) string {
	in := shorten(e.Input)
	if e.Reason == ReasonMalformed {
		return lang.Pick(tag,
			"date "+strconv.Quote(in)+" is not written as YYYY-MM-DD",
			"дата «"+in+"» записана не в виде ГГГГ-ММ-ДД")
	}
	return lang.Pick(tag,
		strconv.Quote(in)+" is not a calendar date",
		"«"+in+"» — такой даты нет в календаре")
}

// shorten bounds a value quoted in an error (see lang.Shorten).
func shorten(s string) string { return lang.Shorten(s, 40) }
