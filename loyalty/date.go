package loyalty

import (
	"strconv"
	"time"
)

// Date is a calendar date — the day points were earned, the last day they
// can be used, a purchase date — not an instant, so no time zone can shift
// it. The zero Date means "not set"; as an expiry it means "never".
//
// loyalty does not import crm, so it has its own date type. Its layout is
// that of crm.Date, so a host converts one into the other with a plain
// conversion: loyalty.Date(d) and crm.Date(d). A Service turns the
// instants its clock gives into dates in its Options.Location.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

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

// ParseDate reads "YYYY-MM-DD". A malformed or impossible date is a
// *ValidationError with field "date".
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !allDigits(s[:4]) || !allDigits(s[5:7]) || !allDigits(s[8:]) {
		return Date{}, invalid("date", ReasonMalformed, s)
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:])
	return NewDate(y, time.Month(m), d)
}

// Valid reports whether d is a real calendar date with a year in 1..9999.
func (d Date) Valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Month, d.Year)
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return strconv.Itoa(d.Year) + "-" + strconv.Itoa(int(d.Month)) + "-" + strconv.Itoa(d.Day)
	}
	var b [10]byte
	pad(b[0:4], d.Year)
	b[4] = '-'
	pad(b[5:7], int(d.Month))
	b[7] = '-'
	pad(b[8:10], d.Day)
	return string(b[:])
}

func pad(dst []byte, v int) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = byte('0' + v%10)
		v /= 10
	}
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

// Start returns the first instant of the date in loc (UTC when nil).
func (d Date) Start(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date {
	if n == 0 {
		return d
	}
	return fromDayNumber(d.dayNumber() + int64(n))
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

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// DaysUntil returns the number of days from d to e (negative if e is
// earlier): 2026-03-01 to 2026-03-31 is 30.
func (d Date) DaysUntil(e Date) int { return int(e.dayNumber() - d.dayNumber()) }

// dayNumber counts days from 1970-01-01 in the proleptic Gregorian
// calendar (Howard Hinnant's days_from_civil).
func (d Date) dayNumber() int64 {
	y, m := int64(d.Year), int64(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + int64(d.Day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// fromDayNumber is the inverse of dayNumber (civil_from_days).
func fromDayNumber(z int64) Date {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{Year: int(y), Month: time.Month(m), Day: int(day)}
}

// Birthday is a day of the year with an optional year of birth. Its
// layout is that of crm.Birthday, so loyalty.Birthday(b) converts one.
// 29 February is allowed; in common years it falls on 28 February.
type Birthday struct {
	Year  int // 0 when unknown; not used by the bonus rules
	Month time.Month
	Day   int
}

// Valid reports whether the month and day form a day of some year
// (29 February included).
func (b Birthday) Valid() bool {
	return b.Month >= time.January && b.Month <= time.December && b.Day >= 1 && b.Day <= daysIn(b.Month, 2000)
}

// In returns the date the birthday falls on in year: 29 February falls on
// 28 February in common years.
func (b Birthday) In(year int) Date {
	day := b.Day
	if b.Month == time.February && day == 29 && daysIn(time.February, year) == 28 {
		day = 28
	}
	return Date{Year: year, Month: b.Month, Day: day}
}

func daysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
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
	return len(s) > 0
}
