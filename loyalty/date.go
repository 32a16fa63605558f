package loyalty

import (
	"errors"
	"time"

	"github.com/crmkit/crmkit/civil"
)

// Date is a calendar date — the day points were earned, the last day they
// can be used, a purchase date — not an instant, so no time zone can shift
// it. The zero Date means "not set"; as an expiry it means "never".
//
// It is civil.Date, the date type every crmkit package shares, so a
// crm.Date is a loyalty.Date without conversion. A Service turns the
// instants its clock gives into dates in its Options.Location.
type Date = civil.Date

// NewDate returns the date, or a *ValidationError if it does not exist
// (31 April, 29 February of a common year) or the year is outside 1..9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{Year: year, Month: month, Day: day}
	if !d.Valid() {
		return Date{}, invalid("date", ReasonBadDate, d.String())
	}
	return d, nil
}

// MustDate is NewDate for literals in source code and tests: it panics on
// a date that does not exist. Never pass it user input.
func MustDate(year int, month time.Month, day int) Date { return civil.MustDate(year, month, day) }

// DateOf returns the calendar date of instant t as seen in loc (UTC when
// loc is nil).
func DateOf(t time.Time, loc *time.Location) Date { return civil.DateOf(t, loc) }

// ParseDate reads "YYYY-MM-DD". A malformed or impossible date is a
// *ValidationError with field "date".
func ParseDate(s string) (Date, error) {
	d, err := civil.ParseDate(s)
	if err != nil {
		var pe *civil.ParseError
		if errors.As(err, &pe) && pe.Reason == civil.ReasonNotADate {
			return Date{}, invalid("date", ReasonBadDate, s)
		}
		return Date{}, invalid("date", ReasonMalformed, s)
	}
	return d, nil
}

// Birthday is a day of the year with an optional year of birth
// (civil.Birthday, the same type as crm.Birthday). 29 February is allowed;
// in common years it falls on 28 February.
type Birthday = civil.Birthday

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}
