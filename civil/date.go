package civil

import (
	"strconv"
	"time"
)

// Date is a calendar date. The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date, or a *ParseError if it does not exist
// (31 April, 29 February of a common year) or the year is outside 1..9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{Year: year, Month: month, Day: day}
	if !d.Valid() {
		return Date{}, &ParseError{Input: d.String(), Reason: ReasonNotADate}
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

// ParseDate reads "YYYY-MM-DD". Anything else — another layout, a date
// that does not exist — is a *ParseError.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !allDigits(s[:4]) || !allDigits(s[5:7]) || !allDigits(s[8:]) {
		return Date{}, &ParseError{Input: s, Reason: ReasonMalformed}
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:])
	date := Date{Year: y, Month: time.Month(m), Day: d}
	if !date.Valid() {
		return Date{}, &ParseError{Input: s, Reason: ReasonNotADate}
	}
	return date, nil
}

// Valid reports whether d is a real calendar date with a year in 1..9999.
func (d Date) Valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= DaysIn(d.Month, d.Year)
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String returns "YYYY-MM-DD", or "" for the zero Date. Fields out of
// range (a Date built as a literal) are printed as numbers, so the text
// still shows what was there.
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

// Start returns the first instant of the date in loc (UTC when nil): the
// first instant whose date in loc is d or later. That is midnight, unless
// the clocks jump at midnight: where they skip it (00:00 becomes 01:00),
// the date starts at the jump, and where midnight happens twice (01:00
// goes back to 00:00), at its first occurrence. A date the zone skips
// altogether (Samoa's 30 December 2011) starts where the next one does.
func (d Date) Start(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
	midnight := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	from, to := t.ZoneBounds()
	settled := from.IsZero() || t.Sub(from) >= maxJump
	if settled && (to.IsZero() || to.Sub(t) >= maxJump) {
		// No clock change anywhere near: midnight exists, once.
		return t
	}
	if _, offset := t.Zone(); t.Unix()+int64(offset) == midnight.Unix() {
		// t reads midnight. It is the first instant to read the date
		// unless an earlier period, which can only be the one just before
		// t's, read midnight or later before the clocks went back.
		if settled {
			return t
		}
		before := from.Add(-time.Nanosecond)
		_, prevOffset := before.Zone()
		if prevFrom, _ := before.ZoneBounds(); from.Unix()+int64(prevOffset) <= midnight.Unix() && (prevFrom.IsZero() || t.Sub(prevFrom) >= maxJump) {
			return t
		}
	}
	// Walk the zone's periods back from well after midnight to well before
	// it. Within one period the wall clock runs evenly, so the first
	// instant in it that reads d or later is the later of the period's
	// start and the instant its offset makes midnight. The walk uses only
	// the start of each period: Go reports a wrong end for some (see
	// https://github.com/golang/go/issues/81583).
	earliest := midnight.Add(-maxJump)
	at := midnight.Add(maxJump).In(loc) // the last instant of the period looked at
	first := at
	for {
		from, _ := at.ZoneBounds()
		_, offset := at.Zone()
		c := midnight.Add(-time.Duration(offset) * time.Second)
		if !from.IsZero() && c.Before(from) {
			c = from
		}
		if !c.After(at) {
			first = c
		}
		if from.IsZero() || !from.After(earliest) || from.After(at) {
			return first.In(loc)
		}
		at = from.Add(-time.Nanosecond)
	}
}

// maxJump is more than any jump of the wall clock at a change of a time
// zone's offset (the largest, Samoa's in 2011, skipped a day), and more
// than the largest offset: an instant that far from every change reads
// the time time.Date was asked for, and no instant that far before a
// midnight reads a later time.
const maxJump = 48 * time.Hour

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date {
	if n == 0 {
		return d
	}
	return fromDayNumber(d.DayNumber() + int64(n))
}

// AddMonths returns the date n months later (earlier for negative n),
// with the day clamped to the end of the month: 31 January plus one
// month is 28 or 29 February.
func (d Date) AddMonths(n int) Date {
	total := d.Year*12 + int(d.Month) - 1 + n
	y, m := total/12, time.Month(total%12+1)
	if total%12 < 0 {
		y, m = y-1, m+12
	}
	return Date{Year: y, Month: m, Day: min(d.Day, DaysIn(m, y))}
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
func (d Date) DaysUntil(e Date) int { return int(e.DayNumber() - d.DayNumber()) }

// Weekday returns the day of the week of the date.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (d.DayNumber() + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// DayNumber counts days from 1970-01-01 (day 0) in the proleptic Gregorian
// calendar; dates before it are negative. It is the date as one integer,
// for indexes and arithmetic.
func (d Date) DayNumber() int64 {
	// Howard Hinnant's days_from_civil: shift the year to start in March so
	// that the leap day is the last day of the shifted year.
	y, m := int64(d.Year), int64(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + int64(d.Day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// DateFromDayNumber is the inverse of Date.DayNumber.
func DateFromDayNumber(n int64) Date { return fromDayNumber(n) }

func fromDayNumber(z int64) Date {
	z += 719468
	era := floorDiv(z, 146097)
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

// DaysIn returns the number of days of month m in year.
func DaysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if IsLeap(year) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// IsLeap reports whether year is a Gregorian leap year.
func IsLeap(year int) bool { return year%4 == 0 && (year%100 != 0 || year%400 == 0) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func pad(dst []byte, v int) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = byte('0' + v%10)
		v /= 10
	}
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
