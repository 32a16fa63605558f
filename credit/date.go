package credit

import (
	"fmt"
	"time"
)

// Date is a calendar date — an invoice's issue or due date, the day a
// payment arrived — not an instant, so no time zone can shift it. It has
// the same fields as crm.Date, so a host converts with a struct literal.
// The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date, or an *InputError if it does not exist
// (31 April, 29 February of a common year) or the year is outside 1..9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{Year: year, Month: month, Day: day}
	if !d.Valid() {
		return Date{}, invalid("date", CodeBadDate, fmt.Sprintf("%04d-%02d-%02d", year, int(month), day))
	}
	return d, nil
}

// MustDate is NewDate for literals in source code and tests: it panics on
// a date that does not exist. Never use it on input.
func MustDate(year int, month time.Month, day int) Date {
	d, err := NewDate(year, month, day)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the calendar date of instant t as seen in loc (UTC when
// loc is nil).
func DateOf(t time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real calendar date in years 1..9999.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// day returns the number of days since 1970-01-01 (negative before it);
// midnight UTC is a whole number of days from the epoch, so the division
// is exact.
func (d Date) day() int64 {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// DaysUntil returns the number of days from d to e: positive when e is
// later.
func (d Date) DaysUntil(e Date) int64 { return e.day() - d.day() }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.day() < e.day() }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.day() > e.day() }

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date {
	y, m, dd := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC).Date()
	return Date{Year: y, Month: m, Day: dd}
}

// AddMonths returns the date n months after d, with the day clamped to
// the end of the month (31 March minus one month is 28 or 29 February).
func (d Date) AddMonths(n int) Date {
	total := d.Year*12 + int(d.Month) - 1 + n
	y, m := total/12, time.Month(total%12+1)
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	day := min(d.Day, last)
	return Date{Year: y, Month: m, Day: day}
}
