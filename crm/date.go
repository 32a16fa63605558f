package crm

import (
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar date — a birthday, a due date — not an instant: no
// time zone can shift it. The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date, or an error if it does not exist (31 April,
// 29 February of a common year) or the year is outside 1..9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{Year: year, Month: month, Day: day}
	if err := d.check(); err != nil {
		return Date{}, err
	}
	return d, nil
}

// DateOf returns the calendar date of instant t as seen in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("crm: date %q is not YYYY-MM-DD", shorten(s))
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:])
	if err1 != nil || err2 != nil || err3 != nil || !allDigits(s[:4]+s[5:7]+s[8:]) {
		return Date{}, fmt.Errorf("crm: date %q is not YYYY-MM-DD", shorten(s))
	}
	return NewDate(y, time.Month(m), d)
}

func (d Date) check() error {
	if d.Year < 1 || d.Year > 9999 {
		return fmt.Errorf("crm: year %d is out of range", d.Year)
	}
	if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > daysIn(d.Month, d.Year) {
		return fmt.Errorf("crm: %04d-%02d-%02d is not a calendar date", d.Year, int(d.Month), d.Day)
	}
	return nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText encodes the date as String does.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes "YYYY-MM-DD" (or "" for the zero Date).
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// Start returns the first instant of the date in loc.
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(d.Start(time.UTC).AddDate(0, 0, n), time.UTC)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	}
	return cmpInt(d.Day, e.Day)
}

// DaysUntil returns the number of days from d to e (negative if e is earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.Start(time.UTC).Sub(d.Start(time.UTC)).Hours() / 24)
}

// Birthday is a day of the year with an optional year of birth: many
// clients tell their birthday but not their age. 29 February is allowed
// when the year is unknown or a leap year.
type Birthday struct {
	Year  int // 0 when unknown
	Month time.Month
	Day   int
}

// IsZero reports whether the birthday is unset.
func (b Birthday) IsZero() bool { return b == Birthday{} }

func (b Birthday) check() error {
	if b.Year == 0 {
		if b.Month < time.January || b.Month > time.December || b.Day < 1 || b.Day > daysIn(b.Month, 2000) {
			return fmt.Errorf("crm: --%02d-%02d is not a day of the year", int(b.Month), b.Day)
		}
		return nil
	}
	return Date(b).check()
}

// ParseBirthday reads "YYYY-MM-DD" or, without the year, "--MM-DD"
// (ISO 8601).
func ParseBirthday(s string) (Birthday, error) {
	if len(s) == 7 && s[:2] == "--" && s[4] == '-' && allDigits(s[2:4]+s[5:]) {
		m, _ := strconv.Atoi(s[2:4])
		d, _ := strconv.Atoi(s[5:])
		b := Birthday{Month: time.Month(m), Day: d}
		return b, b.check()
	}
	d, err := ParseDate(s)
	if err != nil {
		return Birthday{}, err
	}
	return Birthday(d), nil
}

// String returns "YYYY-MM-DD", "--MM-DD" without a year, or "".
func (b Birthday) String() string {
	switch {
	case b.IsZero():
		return ""
	case b.Year == 0:
		return fmt.Sprintf("--%02d-%02d", int(b.Month), b.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", b.Year, int(b.Month), b.Day)
}

// MarshalText encodes the birthday as String does.
func (b Birthday) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText decodes what MarshalText writes.
func (b *Birthday) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*b = Birthday{}
		return nil
	}
	parsed, err := ParseBirthday(string(text))
	if err != nil {
		return err
	}
	*b = parsed
	return nil
}

// In returns the date the birthday falls on in year. A 29 February
// birthday falls on 28 February in common years.
func (b Birthday) In(year int) Date {
	day := b.Day
	if b.Month == time.February && day == 29 && daysIn(time.February, year) == 28 {
		day = 28
	}
	return Date{Year: year, Month: b.Month, Day: day}
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
