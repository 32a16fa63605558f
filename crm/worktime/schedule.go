package worktime

import (
	"slices"
	"strconv"
	"time"
)

// Schedule is a checked, compiled Calendar. It is immutable and safe for
// concurrent use.
type Schedule struct {
	loc     *time.Location
	week    [7][]Period
	weekly  time.Duration // the nominal working time of a week without special dates
	special []specialDay  // holidays and working days, sorted by day
	minDay  int64
	maxDay  int64
	horizon time.Time
}

// specialDay is a date whose periods replace its weekday's: none for a
// holiday.
type specialDay struct {
	day     int64
	periods []Period
}

// New checks the calendar and compiles it. The rules: a location is
// required; every period lies within 00:00–24:00 and ends after it
// starts; the periods of one day do not overlap (they may touch, and may
// be given in any order); at most MaxPeriodsPerDay periods a day; dates
// are real dates of the years 1–9999, none listed twice, none both a
// holiday and a working day, at most MaxDates of them; and the week has
// some working time (else nothing would ever fall due). A violation is an
// *Error naming the field.
func New(c Calendar) (*Schedule, error) {
	if c.Location == nil {
		return nil, newError("location", ReasonRequired, "")
	}
	s := &Schedule{loc: c.Location}
	for wd := range s.week {
		ps, err := checkDay(weekdayFields[wd], c.Week[wd])
		if err != nil {
			return nil, err
		}
		s.week[wd] = ps
		for _, p := range ps {
			s.weekly += p.Length()
		}
	}
	if s.weekly <= 0 {
		return nil, newError("week", ReasonNoWorkingTime, "")
	}
	if len(c.Holidays)+len(c.WorkingDays) > MaxDates {
		return nil, newError("holidays", ReasonTooMany, strconv.Itoa(len(c.Holidays)+len(c.WorkingDays)))
	}
	field := map[int64]string{}
	for i, d := range c.Holidays {
		f := "holidays[" + strconv.Itoa(i) + "]"
		if err := checkDate(f, d); err != nil {
			return nil, err
		}
		n := d.DayNumber()
		if _, dup := field[n]; dup {
			return nil, newError(f, ReasonDuplicate, d.String())
		}
		field[n] = f
		s.special = append(s.special, specialDay{day: n})
	}
	for i, w := range c.WorkingDays {
		f := "working_days[" + strconv.Itoa(i) + "]"
		if err := checkDate(f+".date", w.Date); err != nil {
			return nil, err
		}
		n := w.Date.DayNumber()
		if prev, dup := field[n]; dup {
			reason := ReasonDuplicate
			if prev[0] == 'h' {
				reason = ReasonConflict
			}
			return nil, newError(f+".date", reason, w.Date.String())
		}
		field[n] = f
		ps, err := checkDay(f+".periods", w.Periods)
		if err != nil {
			return nil, err
		}
		s.special = append(s.special, specialDay{day: n, periods: ps})
	}
	slices.SortFunc(s.special, func(a, b specialDay) int { return cmp64(a.day, b.day) })
	s.minDay = Date{Year: 1, Month: time.January, Day: 1}.DayNumber()
	s.maxDay = Date{Year: 9999, Month: time.December, Day: 31}.DayNumber()
	s.horizon = time.Date(10000, time.January, 1, 0, 0, 0, 0, s.loc)
	return s, nil
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Location returns the calendar's time zone.
func (s *Schedule) Location() *time.Location { return s.loc }

// Weekly returns the nominal working time of an ordinary week: the sum of
// the weekday periods.
func (s *Schedule) Weekly() time.Duration { return s.weekly }

// Horizon is the first instant of the year 10000 in the calendar's zone:
// Add never returns a later time, and Between counts nothing after it.
func (s *Schedule) Horizon() time.Time { return s.horizon }

// Periods returns the working periods of a date, sorted: its own if it is
// a holiday (none) or an extra working day, else its weekday's.
func (s *Schedule) Periods(d Date) []Period {
	if !d.Valid() {
		return nil
	}
	return slices.Clone(s.periodsOf(d.DayNumber()))
}

func (s *Schedule) periodsOf(day int64) []Period {
	if i, ok := slices.BinarySearchFunc(s.special, day, func(sd specialDay, n int64) int { return cmp64(sd.day, n) }); ok {
		return s.special[i].periods
	}
	return s.week[weekdayOfDay(day)]
}

// interval is a working period of one day as instants.
type interval struct{ start, end time.Time }

// dayStart remembers the first instant of one day, so that a walk over
// consecutive days works out the start of each only once.
type dayStart struct {
	day int64
	at  time.Time
}

// intervals returns the working intervals of a day as instants, in order,
// without overlaps. A day runs from its first instant to the next day's
// (civil.Date.Start), so a period from 00:00 starts when the day does and
// one to 24:00 ends when the next day starts, even where the clocks jump
// at midnight. Other bounds are wall times read as time.Date reads them,
// kept within the day; a period spanning a clock change may come out
// shorter, longer or empty. memo, when not nil, carries the next day's
// start from one call to the next.
func (s *Schedule) intervals(day int64, buf []interval, memo *dayStart) []interval {
	buf = buf[:0]
	ps := s.periodsOf(day)
	if len(ps) == 0 {
		return buf
	}
	d := dateOfDay(day)
	midnight := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, s.loc)
	if calm(midnight) {
		// The wall clock runs evenly from this midnight to the next.
		for _, p := range ps {
			buf = append(buf, interval{midnight.Add(p.From), midnight.Add(p.To)})
		}
		if memo != nil {
			*memo = dayStart{day + 1, midnight.Add(24 * time.Hour)}
		}
		return buf
	}
	var first time.Time
	if memo != nil && memo.day == day && !memo.at.IsZero() {
		first = memo.at
	} else {
		first = d.Start(s.loc)
	}
	next := d.AddDays(1).Start(s.loc)
	if memo != nil {
		*memo = dayStart{day + 1, next}
	}
	// Where one offset holds for the whole day, a wall time is the instant
	// that offset gives it; else time.Date reads it.
	var base time.Time
	if _, to := first.ZoneBounds(); to.IsZero() || !to.Before(next) {
		_, offset := first.Zone()
		base = time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Add(-time.Duration(offset) * time.Second).In(s.loc)
	}
	var prevEnd time.Time
	for _, p := range ps {
		st, en := s.wall(d, p.From, base, first, next), s.wall(d, p.To, base, first, next)
		if !prevEnd.IsZero() && st.Before(prevEnd) {
			st = prevEnd
		}
		if en.After(st) {
			buf = append(buf, interval{st, en})
			prevEnd = en
		}
	}
	return buf
}

// wall returns the instant of wall time w on date d, whose first instant
// is first and whose next date starts at next: first for 00:00, next for
// 24:00, else base+w when base (the instant the day's one offset makes
// midnight) is set, or time.Date's reading of the wall time, brought into
// [first, next].
func (s *Schedule) wall(d Date, w time.Duration, base, first, next time.Time) time.Time {
	var t time.Time
	switch {
	case w <= 0:
		return first
	case w >= 24*time.Hour:
		return next
	case !base.IsZero():
		t = base.Add(w)
	default:
		t = time.Date(d.Year, d.Month, d.Day, 0, 0, 0, int(w), s.loc)
	}
	switch {
	case t.Before(first):
		return first
	case t.After(next):
		return next
	}
	return t
}

// maxJump is more than any jump of the wall clock at a change of a time
// zone's offset (the largest, Samoa's in 2011, skipped a day).
const maxJump = 48 * time.Hour

// calm reports whether no change of t's zone offset lies within maxJump of
// t: then the wall clock runs evenly for two days either side, so t reads
// the wall time time.Date was asked for, and no earlier instant reads a
// later one.
func calm(t time.Time) bool {
	from, to := t.ZoneBounds()
	const jump = int64(maxJump / time.Second)
	return (from.IsZero() || t.Unix()-from.Unix() >= jump) && (to.IsZero() || to.Unix()-t.Unix() >= jump)
}

// dayOf returns the number of the day t belongs to: the last day that has
// started by t. That is t's date in the calendar's zone, except where the
// clocks went back across midnight and the end of the previous date comes
// again after the next one has started: those instants belong to the next
// day, which holds them between its bounds.
func (s *Schedule) dayOf(t time.Time) int64 {
	t = t.In(s.loc)
	y, m, dd := t.Date()
	day := Date{Year: y, Month: m, Day: dd}.DayNumber()
	if from, _ := t.ZoneBounds(); from.IsZero() || t.Unix()-from.Unix() >= int64(maxJump/time.Second) {
		return day
	}
	for !t.Before(dateOfDay(day + 1).Start(s.loc)) {
		day++
	}
	return day
}

// skippable returns how many whole weeks from the start of day may be
// counted at the nominal weekly time: weeks with no special date and no
// time-zone transition (the day before a transition is kept out too).
// When none may, retry is the first day worth asking again.
func (s *Schedule) skippable(day int64) (weeks, retry int64) {
	weeks, retry = (s.maxDay-day)/7, day+1
	i, _ := slices.BinarySearchFunc(s.special, day, func(sd specialDay, n int64) int { return cmp64(sd.day, n) })
	if i < len(s.special) {
		if w := (s.special[i].day - day) / 7; w < weeks {
			weeks, retry = w, s.special[i].day+1
		}
	}
	// The first transition after noon of the day before: that also finds
	// a jump at the very start of the day (where midnight does not exist,
	// the day starts at the jump) and is cheaper to look up than the
	// day's first instant. A transition found before the day only means
	// asking again a day later.
	d := dateOfDay(day)
	if _, end := time.Date(d.Year, d.Month, d.Day-1, 12, 0, 0, 0, s.loc).ZoneBounds(); !end.IsZero() {
		// The date end reads is never after the day end belongs to, so
		// the weeks counted stay clear of the transition.
		tday := DateOf(end, s.loc).DayNumber()
		if w := (tday - day - 1) / 7; w < weeks {
			weeks, retry = w, tday+1
		}
	}
	return max(weeks, 0), retry
}

// clamp brings t into [year 1, Horizon].
func (s *Schedule) clamp(t time.Time) time.Time {
	if first := time.Date(1, time.January, 1, 0, 0, 0, 0, s.loc); t.Before(first) {
		return first
	}
	if t.After(s.horizon) {
		return s.horizon
	}
	return t
}

// Add returns the instant at which d of business time has passed since
// start, in the calendar's zone. Counting starts at start if it lies in a
// working period, else at the start of the next one; a d that uses up a
// period exactly ends at the period's end. A d of zero or less returns
// start unchanged. The result is never after Horizon (a duration that
// would reach past the year 9999 returns Horizon).
func (s *Schedule) Add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	cur := s.clamp(start)
	if !cur.Before(s.horizon) {
		return s.horizon
	}
	var buf [8]interval
	var memo dayStart
	ivs := buf[:0]
	day := s.dayOf(cur)
	retry := day + 1
	for fresh := false; ; fresh = true {
		if fresh && d > s.weekly && day >= retry {
			var weeks int64
			weeks, retry = s.skippable(day)
			if weeks = min(weeks, int64((d-1)/s.weekly)); weeks > 0 {
				day += 7 * weeks
				d -= time.Duration(weeks) * s.weekly
				retry = day
			}
		}
		if day > s.maxDay {
			return s.horizon
		}
		ivs = s.intervals(day, ivs, &memo)
		for _, iv := range ivs {
			if !iv.end.After(cur) {
				continue
			}
			st := iv.start
			if cur.After(st) {
				st = cur
			}
			avail := iv.end.Sub(st)
			if d > avail {
				d -= avail
				continue
			}
			if out := st.Add(d); !out.After(s.horizon) {
				return out.In(s.loc)
			}
			return s.horizon
		}
		day++
		cur = time.Time{}
	}
}

// Between returns the business time between a and b: the working time in
// [a, b). It is negative when b is before a (minus the time from b to a).
// Only instants between the year 1 and Horizon count.
func (s *Schedule) Between(a, b time.Time) time.Duration {
	switch c := a.Compare(b); {
	case c == 0:
		return 0
	case c > 0:
		return -s.Between(b, a)
	}
	a, b = s.clamp(a), s.clamp(b)
	if !a.Before(b) {
		return 0
	}
	var buf [8]interval
	var memo dayStart
	ivs := buf[:0]
	var total time.Duration
	cur := a
	last := s.dayOf(b)
	retry := s.dayOf(a) + 1
	for day, fresh := s.dayOf(a), false; day <= last; day, fresh = day+1, true {
		if fresh && last-day >= 7 && day >= retry {
			var weeks int64
			weeks, retry = s.skippable(day)
			if weeks = min(weeks, (last-day)/7); weeks > 0 {
				total += time.Duration(weeks) * s.weekly
				day += 7 * weeks
				retry = day
			}
		}
		ivs = s.intervals(day, ivs, &memo)
		for _, iv := range ivs {
			st, en := iv.start, iv.end
			if st.Before(cur) {
				st = cur
			}
			if en.After(b) {
				en = b
			}
			if en.After(st) {
				total += en.Sub(st)
			}
		}
		cur = time.Time{}
	}
	return total
}

// Next returns the first working instant at or after t: t itself during
// working time, else the start of the next working period (Horizon if
// there is none before it).
func (s *Schedule) Next(t time.Time) time.Time {
	cur := s.clamp(t)
	var buf [8]interval
	var memo dayStart
	ivs := buf[:0]
	for day := s.dayOf(cur); day <= s.maxDay; day++ {
		ivs = s.intervals(day, ivs, &memo)
		for _, iv := range ivs {
			if !iv.end.After(cur) {
				continue
			}
			if cur.After(iv.start) {
				return cur.In(s.loc)
			}
			return iv.start
		}
	}
	return s.horizon
}

// Working reports whether t lies in a working period.
func (s *Schedule) Working(t time.Time) bool {
	if t.Before(time.Date(1, time.January, 1, 0, 0, 0, 0, s.loc)) || !t.Before(s.horizon) {
		return false
	}
	var buf [8]interval
	for _, iv := range s.intervals(s.dayOf(t), buf[:0], nil) {
		if !t.Before(iv.start) && t.Before(iv.end) {
			return true
		}
	}
	return false
}
