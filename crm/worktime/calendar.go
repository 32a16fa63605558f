package worktime

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crmkit/crmkit/civil"
)

// Date is a civil date — a holiday, an extra working day — not an
// instant: no time zone can shift it. It is civil.Date, the date type
// every crmkit package shares.
type Date = civil.Date

// DateOf returns the civil date of t in loc (UTC when loc is nil).
func DateOf(t time.Time, loc *time.Location) Date { return civil.DateOf(t, loc) }

// ParseDate reads "YYYY-MM-DD"; anything else is an *Error for field
// "date".
func ParseDate(s string) (Date, error) {
	d, err := civil.ParseDate(s)
	if err != nil {
		return Date{}, dateError("date", s, err)
	}
	return d, nil
}

// checkDate returns an *Error for field unless d is a real date of the
// years 1–9999.
func checkDate(field string, d Date) error {
	if d.Year < 1 || d.Year > 9999 {
		return newError(field, ReasonOutOfRange, d.String())
	}
	if !d.Valid() {
		return newError(field, ReasonBadDate, d.String())
	}
	return nil
}

// dateError turns civil's parse error into this package's, naming field.
func dateError(field, input string, err error) error {
	var pe *civil.ParseError
	if errors.As(err, &pe) && pe.Reason == civil.ReasonNotADate {
		return newError(field, ReasonBadDate, input)
	}
	return newError(field, ReasonBadFormat, input)
}

// dateOfDay is the inverse of Date.DayNumber.
func dateOfDay(n int64) Date { return civil.DateFromDayNumber(n) }

// weekdayOfDay returns the weekday of day number n (1970-01-01 was a Thursday).
func weekdayOfDay(n int64) time.Weekday {
	return time.Weekday(((n+4)%7 + 7) % 7)
}

// Period is a stretch of working time within one day: From and To are
// wall-clock times of day in the calendar's zone, as durations since
// midnight, with 0 <= From < To <= 24h. To of 24h is the end of the day.
type Period struct {
	From, To time.Duration
}

// Hours returns the period from fromH:fromM to toH:toM (24:00 is the end
// of the day). The result is checked by New, not here.
func Hours(fromH, fromM, toH, toM int) Period {
	return Period{
		From: time.Duration(fromH)*time.Hour + time.Duration(fromM)*time.Minute,
		To:   time.Duration(toH)*time.Hour + time.Duration(toM)*time.Minute,
	}
}

// Length returns the nominal length of the period (To - From).
func (p Period) Length() time.Duration { return p.To - p.From }

// String returns "HH:MM-HH:MM" (with seconds when the bounds have them).
func (p Period) String() string { return clockText(p.From) + "-" + clockText(p.To) }

func clockText(d time.Duration) string {
	neg := ""
	if d < 0 {
		neg, d = "-", -d
	}
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	if s != 0 || d%time.Second != 0 {
		return fmt.Sprintf("%s%02d:%02d:%02d", neg, h, m, s)
	}
	return fmt.Sprintf("%s%02d:%02d", neg, h, m)
}

// maxPeriodsText bounds the periods ParsePeriods reads.
const maxPeriodsText = MaxPeriodsPerDay

// ParsePeriods reads a day's working periods written as
// "09:00-13:00, 14:00-18:00" (a hyphen or an en dash between the bounds,
// commas or semicolons between periods, "24:00" for the end of the day).
// The empty string is a day off. Each period is checked on its own (From
// before To, both within 00:00–24:00); overlaps are New's to find.
func ParsePeriods(s string) ([]Period, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' })
	if len(parts) > maxPeriodsText {
		return nil, newError("periods", ReasonTooMany, s)
	}
	out := make([]Period, 0, len(parts))
	for i, part := range parts {
		field := "periods[" + strconv.Itoa(i) + "]"
		part = strings.TrimSpace(part)
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			from, to, ok = strings.Cut(part, "–")
		}
		if !ok {
			return nil, newError(field, ReasonBadFormat, part)
		}
		f, ok1 := parseClock(strings.TrimSpace(from))
		t, ok2 := parseClock(strings.TrimSpace(to))
		if !ok1 || !ok2 {
			return nil, newError(field, ReasonBadFormat, part)
		}
		p := Period{f, t}
		if err := p.check(field); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// parseClock reads "H:MM" or "HH:MM", 00:00 to 24:00.
func parseClock(s string) (time.Duration, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) {
		return 0, false
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func (p Period) check(field string) error {
	const day = 24 * time.Hour
	switch {
	case p.From < 0 || p.From > day:
		return newError(field+".from", ReasonOutOfRange, clockText(p.From))
	case p.To < 0 || p.To > day:
		return newError(field+".to", ReasonOutOfRange, clockText(p.To))
	case p.To <= p.From:
		return newError(field, ReasonEndBeforeStart, p.String())
	}
	return nil
}

// WorkingDay is a date that works with its own periods whatever its
// weekday or the holiday list says: a Saturday worked in exchange for a
// bridge day off, or a shortened working day before a holiday.
type WorkingDay struct {
	Date    Date
	Periods []Period
}

// Calendar says when people work. See New for the rules it must follow.
type Calendar struct {
	// Location is the time zone the periods and dates are read in.
	// Required.
	Location *time.Location
	// Week holds the working periods of each weekday, indexed by
	// time.Weekday (Week[time.Monday]); an empty day is a day off.
	Week [7][]Period
	// Holidays are dates with no working time.
	Holidays []Date
	// WorkingDays are dates with periods of their own, replacing their
	// weekday's.
	WorkingDays []WorkingDay
}

// Standard returns a calendar in loc with the same periods Monday to
// Friday and weekends off.
func Standard(loc *time.Location, periods ...Period) Calendar {
	c := Calendar{Location: loc}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		c.Week[wd] = slices.Clone(periods)
	}
	return c
}

// Limits on a calendar, which bound the work and memory of a Schedule.
const (
	MaxPeriodsPerDay = 48
	MaxDates         = 100000 // holidays and working days together
)

// Validate checks the calendar as New does.
func (c Calendar) Validate() error {
	_, err := New(c)
	return err
}

// checkDay checks a day's periods and returns them sorted.
func checkDay(field string, periods []Period) ([]Period, error) {
	if len(periods) > MaxPeriodsPerDay {
		return nil, newError(field, ReasonTooMany, strconv.Itoa(len(periods)))
	}
	for i, p := range periods {
		if err := p.check(field + "[" + strconv.Itoa(i) + "]"); err != nil {
			return nil, err
		}
	}
	idx := make([]int, len(periods))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return int(periods[a].From - periods[b].From) })
	out := make([]Period, len(periods))
	for k, i := range idx {
		out[k] = periods[i]
		if k > 0 && out[k].From < out[k-1].To {
			e := newError(field+"["+strconv.Itoa(i)+"]", ReasonOverlap, out[k].String())
			e.Detail = "overlaps " + out[k-1].String()
			return nil, e
		}
	}
	return out, nil
}

var weekdayFields = [7]string{"week[sunday]", "week[monday]", "week[tuesday]", "week[wednesday]", "week[thursday]", "week[friday]", "week[saturday]"}
