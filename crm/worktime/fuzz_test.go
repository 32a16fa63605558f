package worktime

import (
	"testing"
	"time"
)

// FuzzCalendar builds calendars from arbitrary period text and dates and
// runs Add and Between on whatever New accepts: no panic, no endless
// loop, and the two agree.
func FuzzCalendar(f *testing.F) {
	f.Add("09:00-17:00", "10:00-12:00,13:00-14:00", "2026-01-01", int64(3600e9), int64(1772900000), uint8(1))
	f.Add("00:00-24:00", "", "2026-03-29", int64(1), int64(1774740000), uint8(0))
	f.Add("", "", "", int64(1<<62), int64(0), uint8(2))
	f.Add("23:59-24:00", "02:00-03:00", "9999-12-31", int64(1<<63-1), int64(253402000000), uint8(3))
	// Chile skips Sunday's midnight: Saturday 7 September 2024 23:30 plus
	// ten minutes; Lebanon skips it east of Greenwich.
	f.Add("00:00-24:00", "00:00-24:00", "", int64(10*60e9), int64(1725766200), uint8(4))
	f.Add("00:00-24:00", "00:00-24:00", "", int64(400*3600e9), int64(1616846400), uint8(5))
	locs := []*time.Location{time.UTC}
	for _, name := range []string{"Europe/Berlin", "Europe/Moscow", "Australia/Lord_Howe", "America/Santiago", "Asia/Beirut"} {
		if loc, err := time.LoadLocation(name); err == nil {
			locs = append(locs, loc)
		}
	}
	f.Fuzz(func(t *testing.T, weekday, saturday, holiday string, d, unix int64, zone uint8) {
		c := Calendar{Location: locs[int(zone)%len(locs)]}
		ps, err := ParsePeriods(weekday)
		if err != nil {
			return
		}
		for wd := time.Monday; wd <= time.Friday; wd++ {
			c.Week[wd] = ps
		}
		if c.Week[time.Saturday], err = ParsePeriods(saturday); err != nil {
			return
		}
		if h, err := ParseDate(holiday); err == nil {
			c.Holidays = []Date{h}
		}
		s, err := New(c)
		if err != nil {
			return
		}
		start := time.Unix(unix%(300*365*86400), 0)
		end := s.Add(start, time.Duration(d))
		if d > 0 && end.Before(s.Horizon()) {
			if got := s.Between(start, end); got != time.Duration(d) {
				t.Fatalf("Between(start, Add(start, %d)) = %d", d, got)
			}
		}
	})
}

// FuzzParsePeriods: any text is parsed or refused with an *Error, and
// what parses prints back to itself.
func FuzzParsePeriods(f *testing.F) {
	for _, s := range []string{"09:00-13:00, 14:00-18:00", "00:00–24:00", "9:00-10:00;", "-", "24:00-24:00", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ParsePeriods(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		for _, p := range ps {
			again, err := ParsePeriods(p.String())
			if err != nil || len(again) != 1 || again[0] != p {
				t.Fatalf("%s does not round-trip: %v %v", p, again, err)
			}
		}
	})
}
