package civil

import (
	"strconv"
	"time"
)

// Birthday is a day of the year with an optional year of birth: many
// clients tell their birthday but not their age. 29 February is allowed
// when the year is unknown or a leap year; in common years it falls on
// 28 February (In).
type Birthday struct {
	Year  int // 0 when unknown
	Month time.Month
	Day   int
}

// IsZero reports whether the birthday is unset.
func (b Birthday) IsZero() bool { return b == Birthday{} }

// Valid reports whether the birthday is a day of the year (29 February
// included) and, when the year is known, a real date of that year.
func (b Birthday) Valid() bool {
	if b.Year != 0 {
		return Date(b).Valid()
	}
	return b.Month >= time.January && b.Month <= time.December && b.Day >= 1 && b.Day <= DaysIn(b.Month, 2000)
}

// ParseBirthday reads "YYYY-MM-DD" or, without the year, "--MM-DD"
// (ISO 8601). Anything else is a *ParseError.
func ParseBirthday(s string) (Birthday, error) {
	if len(s) == 7 && s[:2] == "--" && s[4] == '-' && allDigits(s[2:4]) && allDigits(s[5:]) {
		m, _ := strconv.Atoi(s[2:4])
		d, _ := strconv.Atoi(s[5:])
		b := Birthday{Month: time.Month(m), Day: d}
		if !b.Valid() {
			return Birthday{}, &ParseError{Input: s, Reason: ReasonNotADate}
		}
		return b, nil
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
	case b.Year != 0:
		return Date(b).String()
	case b.Month < 0 || b.Month > 99 || b.Day < 0 || b.Day > 99:
		return "--" + strconv.Itoa(int(b.Month)) + "-" + strconv.Itoa(b.Day)
	}
	var t [7]byte
	t[0], t[1], t[4] = '-', '-', '-'
	pad(t[2:4], int(b.Month))
	pad(t[5:7], b.Day)
	return string(t[:])
}

// MarshalText encodes the birthday as String does.
func (b Birthday) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText decodes what MarshalText writes ("" is the zero Birthday).
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
	if b.Month == time.February && day == 29 && !IsLeap(year) {
		day = 28
	}
	return Date{Year: year, Month: b.Month, Day: day}
}
