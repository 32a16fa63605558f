package worktime

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// zones mixes zones without DST, with DST at night, and with clocks that
// jump at midnight: forward (Santiago, Havana, Asuncion, Beirut, Tehran,
// Cairo), back to 23:00 of the day before (Santiago, Asuncion, Beirut,
// Tehran, Cairo) or back to a second midnight (Havana, Amman).
var zones = []string{
	"Europe/Berlin", "Europe/Moscow", "America/New_York", "Australia/Lord_Howe", "UTC", "Asia/Kolkata",
	"America/Santiago", "America/Havana", "America/Asuncion", "Asia/Beirut", "Asia/Tehran", "Africa/Cairo", "Asia/Amman",
}

// genSchedule draws a valid calendar: a zone with or without DST, random
// periods per weekday (at least one somewhere), holidays and extra
// working days around 2020–2030.
func genSchedule(t *rapid.T) *Schedule {
	loc, err := time.LoadLocation(rapid.SampledFrom(zones).Draw(t, "zone"))
	if err != nil {
		t.Fatal(err)
	}
	day := func(label string) []Period {
		n := rapid.IntRange(0, 3).Draw(t, label+"_n")
		var out []Period
		at := time.Duration(0)
		for range n {
			from := at + time.Duration(rapid.IntRange(0, 8*60).Draw(t, label+"_gap"))*time.Minute
			to := from + time.Duration(rapid.IntRange(1, 10*60).Draw(t, label+"_len"))*time.Minute
			if to > 24*time.Hour {
				break
			}
			out = append(out, Period{from, to})
			at = to
		}
		return out
	}
	c := Calendar{Location: loc}
	for wd := range c.Week {
		c.Week[wd] = day("wd")
	}
	if rapid.Bool().Draw(t, "ensure") || noWork(c) {
		c.Week[time.Wednesday] = []Period{Hours(9, 0, 17, 0)}
	}
	seen := map[Date]bool{}
	for range rapid.IntRange(0, 20).Draw(t, "holidays") {
		d := DateOf(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(0, 3650).Draw(t, "h")), time.UTC)
		if !seen[d] {
			seen[d] = true
			c.Holidays = append(c.Holidays, d)
		}
	}
	for range rapid.IntRange(0, 5).Draw(t, "extra") {
		d := DateOf(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(0, 3650).Draw(t, "w")), time.UTC)
		if !seen[d] {
			seen[d] = true
			c.WorkingDays = append(c.WorkingDays, WorkingDay{d, []Period{Hours(10, 0, 15, 0)}})
		}
	}
	s, err := New(c)
	if err != nil {
		t.Fatalf("generated calendar refused: %v", err)
	}
	return s
}

// genInstant draws an instant in mid-2019 to mid-2031, half the time
// within a day and a half of one of the schedule's clock changes, where
// the day edges move.
func genInstant(t *rapid.T, s *Schedule, label string) time.Time {
	at := time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rapid.Int64Range(0, 12*365*24*3600).Draw(t, label)) * time.Second)
	if rapid.Bool().Draw(t, label+"_near_change") {
		if _, change := at.In(s.Location()).ZoneBounds(); !change.IsZero() {
			at = change.Add(time.Duration(rapid.Int64Range(-36*60, 36*60).Draw(t, label+"_minutes")) * time.Minute)
		}
	}
	return at
}

func genDuration(t *rapid.T, label string) time.Duration {
	switch rapid.IntRange(0, 2).Draw(t, label+"_scale") {
	case 0:
		return time.Duration(rapid.Int64Range(1, 3600*1e9).Draw(t, label))
	case 1:
		return time.Duration(rapid.Int64Range(1, 200*3600).Draw(t, label)) * time.Second
	}
	return time.Duration(rapid.Int64Range(1, 20000).Draw(t, label)) * time.Hour
}

// Between(start, Add(start, d)) == d: the two functions agree.
func TestPropertyBetweenInvertsAdd(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSchedule(t)
		start := genInstant(t, s, "start")
		d := genDuration(t, "d")
		end := s.Add(start, d)
		if got := s.Between(start, end); got != d {
			t.Fatalf("Between(%s, Add(%s, %s) = %s) = %s", start, start, d, end, got)
		}
		if end.Before(start) {
			t.Fatalf("Add went backwards: %s -> %s", start, end)
		}
	})
}

// Add is monotonic in the duration and in the start.
func TestPropertyAddMonotonic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSchedule(t)
		start := genInstant(t, s, "start")
		d1, d2 := genDuration(t, "d1"), genDuration(t, "d2")
		if d1 > d2 {
			d1, d2 = d2, d1
		}
		if a, b := s.Add(start, d1), s.Add(start, d2); a.After(b) {
			t.Fatalf("Add(s, %s) = %s after Add(s, %s) = %s", d1, a, d2, b)
		}
		later := start.Add(time.Duration(rapid.Int64Range(0, 30*24*3600).Draw(t, "shift")) * time.Second)
		if a, b := s.Add(start, d1), s.Add(later, d1); a.After(b) {
			t.Fatalf("Add(%s, d) = %s after Add(%s, d) = %s", start, a, later, b)
		}
	})
}

// The arithmetic week skips agree with a day-by-day walk, and Between is
// additive.
func TestPropertyBetweenMatchesWalk(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSchedule(t)
		a, b := genInstant(t, s, "a"), genInstant(t, s, "b")
		if b.Before(a) {
			a, b = b, a
		}
		if got, want := s.Between(a, b), naiveBetween(s, a, b); got != want {
			t.Fatalf("Between(%s, %s) = %s, day walk says %s", a, b, got, want)
		}
		m := a.Add(b.Sub(a) / 3)
		if s.Between(a, m)+s.Between(m, b) != s.Between(a, b) {
			t.Fatalf("Between is not additive at %s", m)
		}
		if s.Between(b, a) != -s.Between(a, b) {
			t.Fatal("Between is not antisymmetric")
		}
	})
}

// A deadline lies in working time or at the end of a period, never in a
// gap: the instant just before it is working time.
func TestPropertyDeadlineInWorkingTime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSchedule(t)
		start := genInstant(t, s, "start")
		end := s.Add(start, genDuration(t, "d"))
		if !s.Working(end.Add(-time.Nanosecond)) {
			t.Fatalf("the instant before deadline %s is not working time", end)
		}
		if n := s.Next(start); n.Before(start) || !s.Working(n) {
			t.Fatalf("Next(%s) = %s", start, n)
		}
	})
}

func noWork(c Calendar) bool {
	for _, ps := range c.Week {
		if len(ps) > 0 {
			return false
		}
	}
	return true
}
