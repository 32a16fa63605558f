package credit

import (
	"time"

	"github.com/crmkit/crmkit/civil"
)

// Date is a calendar date — an invoice's issue or due date, the day a
// payment arrived — not an instant, so no time zone can shift it. It is
// civil.Date, the date type every crmkit package shares, so crm.Date and
// loyalty.Date are the same type. The zero Date means "not set".
type Date = civil.Date

// NewDate returns the date, or an *InputError (field "date") if it does
// not exist (31 April, 29 February of a common year) or the year is
// outside 1..9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	d, err := civil.NewDate(year, month, day)
	if err != nil {
		return Date{}, invalid("date", CodeBadDate, Date{Year: year, Month: month, Day: day}.String())
	}
	return d, nil
}

// MustDate is NewDate for literals in source code and tests: it panics on
// a date that does not exist. Never use it on input.
func MustDate(year int, month time.Month, day int) Date { return civil.MustDate(year, month, day) }

// DateOf returns the calendar date of instant t as seen in loc (UTC when
// loc is nil).
func DateOf(t time.Time, loc *time.Location) Date { return civil.DateOf(t, loc) }
