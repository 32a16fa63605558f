package crm

import (
	"time"

	"github.com/crmkit/crmkit/civil"
)

// Date is a calendar date — a due date, a document's date — not an
// instant: no time zone can shift it. It is civil.Date, the date type
// every crmkit package shares (loyalty.Date, credit.Date and
// discount.Date are the same type). The zero Date means "not set".
type Date = civil.Date

// Birthday is a day of the year with an optional year of birth (see
// civil.Birthday): 29 February is allowed and falls on 28 February in
// common years.
type Birthday = civil.Birthday

// NewDate returns the date, or a *civil.ParseError if it does not exist
// (31 April, 29 February of a common year) or the year is outside 1..9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	return civil.NewDate(year, month, day)
}

// DateOf returns the calendar date of instant t as seen in loc.
func DateOf(t time.Time, loc *time.Location) Date { return civil.DateOf(t, loc) }

// ParseDate reads "YYYY-MM-DD"; anything else is a *civil.ParseError.
func ParseDate(s string) (Date, error) { return civil.ParseDate(s) }

// ParseBirthday reads "YYYY-MM-DD" or, without the year, "--MM-DD"
// (ISO 8601).
func ParseBirthday(s string) (Birthday, error) { return civil.ParseBirthday(s) }

// checkDate returns a *civil.ParseError unless d is a real date.
func checkDate(d Date) error {
	if d.Valid() {
		return nil
	}
	return &civil.ParseError{Input: d.String(), Reason: civil.ReasonNotADate}
}

// checkBirthday returns a *civil.ParseError unless b is a day of the year
// (and a real date when its year is known).
func checkBirthday(b Birthday) error {
	if b.Valid() {
		return nil
	}
	return &civil.ParseError{Input: b.String(), Reason: civil.ReasonNotADate}
}
