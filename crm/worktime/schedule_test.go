package worktime

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func mustNew(t testing.TB, c Calendar) *Schedule {
	t.Helper()
	s, err := New(c)
	require.NoError(t, err)
	return s
}

// nineToFive is 09:00–17:00 Monday to Friday.
func nineToFive(loc *time.Location) Calendar { return Standard(loc, Hours(9, 0, 17, 0)) }

func TestAddTable(t *testing.T) {
	msk := mustLoad(t, "Europe/Moscow")
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, msk) }
	plain := mustNew(t, nineToFive(msk))
	lunch := Standard(msk, Hours(9, 0, 13, 0), Hours(14, 0, 18, 0))
	// Russia, 2026: 1–8 January are holidays; say Saturday 3 January is
	// worked in exchange, shortened to 09:00–16:00.
	ru := lunch
	for d := 1; d <= 8; d++ {
		if d != 3 {
			ru.Holidays = append(ru.Holidays, Date{Year: 2026, Month: time.January, Day: d})
		}
	}
	ru.WorkingDays = []WorkingDay{{Date{Year: 2026, Month: time.January, Day: 3}, []Period{Hours(9, 0, 16, 0)}}}
	ruS := mustNew(t, ru)

	cases := []struct {
		name  string
		s     *Schedule
		start time.Time
		d     time.Duration
		want  time.Time
	}{
		{"the issue's example: Saturday 10:00 + 1h is Monday 10:00", plain, at(2026, 3, 7, 10, 0), time.Hour, at(2026, 3, 9, 10, 0)},
		{"within a period", plain, at(2026, 3, 2, 10, 0), 2 * time.Hour, at(2026, 3, 2, 12, 0)},
		{"exactly to the end of the day stays at 17:00", plain, at(2026, 3, 2, 9, 0), 8 * time.Hour, at(2026, 3, 2, 17, 0)},
		{"one minute more rolls to the next morning", plain, at(2026, 3, 2, 9, 0), 8*time.Hour + time.Minute, at(2026, 3, 3, 9, 1)},
		{"before opening counts from opening", plain, at(2026, 3, 2, 7, 30), 30 * time.Minute, at(2026, 3, 2, 9, 30)},
		{"after closing counts from the next morning", plain, at(2026, 3, 2, 18, 0), time.Hour, at(2026, 3, 3, 10, 0)},
		{"Friday afternoon over the weekend", plain, at(2026, 3, 6, 16, 0), 2 * time.Hour, at(2026, 3, 9, 10, 0)},
		{"five business days is a calendar week", plain, at(2026, 3, 4, 11, 0), 40 * time.Hour, at(2026, 3, 11, 11, 0)},
		{"lunch break is skipped", ruS, at(2026, 3, 2, 12, 0), 2 * time.Hour, at(2026, 3, 2, 15, 0)},
		{"ending at lunch stays at 13:00", ruS, at(2026, 3, 2, 12, 0), time.Hour, at(2026, 3, 2, 13, 0)},
		{"new-year holidays with a worked Saturday", ruS, at(2025, 12, 31, 17, 0), 2 * time.Hour, at(2026, 1, 3, 10, 0)},
		{"the worked Saturday is short", ruS, at(2026, 1, 3, 15, 0), 2 * time.Hour, at(2026, 1, 9, 10, 0)},
		{"zero adds nothing", plain, at(2026, 3, 7, 10, 0), 0, at(2026, 3, 7, 10, 0)},
		{"negative adds nothing", plain, at(2026, 3, 7, 10, 0), -time.Hour, at(2026, 3, 7, 10, 0)},
		{"start in another zone", plain, time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC), time.Hour, at(2026, 3, 2, 10, 0)},
		{"a year of business time ends on a Friday at 17:00", plain, at(2026, 3, 2, 9, 0), 52 * 40 * time.Hour, at(2027, 2, 26, 17, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.s.Add(c.start, c.d)
			assert.Truef(t, c.want.Equal(got), "Add(%s, %s) = %s, want %s", c.start, c.d, got, c.want)
			if c.d > 0 {
				assert.Equal(t, c.d, c.s.Between(c.start, got), "Between agrees with Add")
			}
		})
	}
}

func TestDST(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	// A night shift 22:00–06:00 (two periods) every day, so the clock
	// changes fall inside working time.
	c := Calendar{Location: berlin}
	for wd := range c.Week {
		c.Week[wd] = []Period{Hours(0, 0, 6, 0), Hours(22, 0, 24, 0)}
	}
	s := mustNew(t, c)
	// Spring forward: 29 March 2026, 02:00 -> 03:00. The night 28/29
	// March has 7 working hours instead of 8.
	from := time.Date(2026, 3, 28, 22, 0, 0, 0, berlin)
	to := time.Date(2026, 3, 29, 6, 0, 0, 0, berlin)
	assert.Equal(t, 7*time.Hour, s.Between(from, to))
	assert.True(t, to.Equal(s.Add(from, 7*time.Hour)), "7 real hours reach 06:00 wall time")
	// Fall back: 25 October 2026, 03:00 -> 02:00. 9 working hours.
	from = time.Date(2026, 10, 24, 22, 0, 0, 0, berlin)
	to = time.Date(2026, 10, 25, 6, 0, 0, 0, berlin)
	assert.Equal(t, 9*time.Hour, s.Between(from, to))
	assert.True(t, to.Equal(s.Add(from, 9*time.Hour)))

	// Office hours are untouched by a night-time change: Friday 16:00 +
	// 2h is Monday 10:00 across the spring change.
	office := mustNew(t, nineToFive(berlin))
	got := office.Add(time.Date(2026, 3, 27, 16, 0, 0, 0, berlin), 2*time.Hour)
	assert.True(t, time.Date(2026, 3, 30, 10, 0, 0, 0, berlin).Equal(got), "got %s", got)

	// A period whose start does not exist that night (02:30) is read as
	// time.Date reads it, and nothing is counted twice.
	odd := Calendar{Location: berlin}
	for wd := range odd.Week {
		odd.Week[wd] = []Period{Hours(1, 0, 2, 30), Hours(2, 30, 4, 0)}
	}
	os := mustNew(t, odd)
	day := time.Date(2026, 3, 29, 0, 0, 0, 0, berlin)
	assert.Equal(t, 2*time.Hour, os.Between(day, day.Add(24*time.Hour)), "01:00–04:00 wall time is 2 real hours that night")
}

func TestMoscowHasNoDSTNow(t *testing.T) {
	msk := mustLoad(t, "Europe/Moscow")
	s := mustNew(t, nineToFive(msk))
	// Moscow kept summer time until 2011 and has been UTC+3 since 2014:
	// weeks skip arithmetically for centuries and agree with a day walk.
	start := time.Date(2015, 1, 5, 9, 0, 0, 0, msk)
	d := 500 * 52 * 40 * time.Hour
	got := s.Add(start, d)
	assert.Equal(t, d, s.Between(start, got))
	assert.Equal(t, d, naiveBetween(s, start, got))
	// 2010 still had DST in Moscow (28 March, 02:00 -> 03:00).
	night := Calendar{Location: msk}
	for wd := range night.Week {
		night.Week[wd] = []Period{Hours(0, 0, 6, 0)}
	}
	ns := mustNew(t, night)
	d0 := time.Date(2010, 3, 28, 0, 0, 0, 0, msk)
	assert.Equal(t, 5*time.Hour, ns.Between(d0, d0.Add(12*time.Hour)))
}

func TestCivilDatesDoNotShift(t *testing.T) {
	// A holiday is the whole local date, whatever zone the instants come in.
	for _, name := range []string{"Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Moscow", "UTC"} {
		loc := mustLoad(t, name)
		c := nineToFive(loc)
		c.Holidays = []Date{{Year: 2026, Month: time.March, Day: 9}}
		s := mustNew(t, c)
		mon := time.Date(2026, 3, 9, 12, 0, 0, 0, loc)
		assert.False(t, s.Working(mon), name)
		assert.False(t, s.Working(mon.UTC()), name)
		assert.True(t, s.Working(mon.AddDate(0, 0, 1)), name)
		assert.Equal(t, Date{Year: 2026, Month: time.March, Day: 9}, DateOf(mon.UTC(), loc), name)
	}
}

func TestValidate(t *testing.T) {
	msk := mustLoad(t, "Europe/Moscow")
	base := func() Calendar { return nineToFive(msk) }
	cases := []struct {
		name   string
		edit   func(*Calendar)
		field  string
		reason Reason
	}{
		{"nil location", func(c *Calendar) { c.Location = nil }, "location", ReasonRequired},
		{"end before start", func(c *Calendar) { c.Week[time.Monday] = []Period{Hours(17, 0, 9, 0)} }, "week[monday][0]", ReasonEndBeforeStart},
		{"empty period", func(c *Calendar) { c.Week[time.Monday] = []Period{Hours(9, 0, 9, 0)} }, "week[monday][0]", ReasonEndBeforeStart},
		{"after midnight", func(c *Calendar) { c.Week[time.Tuesday] = []Period{Hours(9, 0, 25, 0)} }, "week[tuesday][0].to", ReasonOutOfRange},
		{"negative", func(c *Calendar) { c.Week[time.Tuesday] = []Period{{From: -time.Hour, To: time.Hour}} }, "week[tuesday][0].from", ReasonOutOfRange},
		{"overlap", func(c *Calendar) {
			c.Week[time.Friday] = []Period{Hours(14, 0, 18, 0), Hours(9, 0, 14, 30)}
		}, "week[friday][0]", ReasonOverlap},
		{"no working time", func(c *Calendar) { c.Week = [7][]Period{} }, "week", ReasonNoWorkingTime},
		{"no working time but extra days", func(c *Calendar) {
			c.Week = [7][]Period{}
			c.WorkingDays = []WorkingDay{{Date{Year: 2026, Month: 1, Day: 3}, []Period{Hours(9, 0, 10, 0)}}}
		}, "week", ReasonNoWorkingTime},
		{"bad holiday", func(c *Calendar) { c.Holidays = []Date{{Year: 2026, Month: time.February, Day: 29}} }, "holidays[0]", ReasonBadDate},
		{"holiday out of range", func(c *Calendar) { c.Holidays = []Date{{Year: 0, Month: time.January, Day: 1}} }, "holidays[0]", ReasonOutOfRange},
		{"duplicate holiday", func(c *Calendar) { c.Holidays = []Date{{Year: 2026, Month: 1, Day: 1}, {Year: 2026, Month: 1, Day: 1}} }, "holidays[1]", ReasonDuplicate},
		{"holiday and working day", func(c *Calendar) {
			c.Holidays = []Date{{Year: 2026, Month: 1, Day: 3}}
			c.WorkingDays = []WorkingDay{{Date{Year: 2026, Month: 1, Day: 3}, []Period{Hours(9, 0, 10, 0)}}}
		}, "working_days[0].date", ReasonConflict},
		{"bad working-day period", func(c *Calendar) {
			c.WorkingDays = []WorkingDay{{Date{Year: 2026, Month: 1, Day: 3}, []Period{Hours(10, 0, 9, 0)}}}
		}, "working_days[0].periods[0]", ReasonEndBeforeStart},
		{"too many periods", func(c *Calendar) {
			c.Week[time.Monday] = make([]Period, MaxPeriodsPerDay+1)
		}, "week[monday]", ReasonTooMany},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cal := base()
			c.edit(&cal)
			err := cal.Validate()
			require.Error(t, err)
			require.ErrorIs(t, err, ErrInvalid)
			var we *Error
			require.True(t, errors.As(err, &we))
			assert.Equal(t, c.field, we.Field)
			assert.Equal(t, c.reason, we.Reason)
			assert.Equal(t, string(c.reason), we.Code())
			assert.Contains(t, we.Message("ru"), "поле "+c.field)
			assert.True(t, strings.HasPrefix(we.Error(), "worktime: "+c.field))
		})
	}
	// Touching periods, in any order, are fine.
	cal := base()
	cal.Week[time.Monday] = []Period{Hours(13, 0, 18, 0), Hours(9, 0, 13, 0)}
	require.NoError(t, cal.Validate())
}

func TestParse(t *testing.T) {
	ps, err := ParsePeriods(" 09:00-13:00, 14:00–18:00;22:00-24:00 ")
	require.NoError(t, err)
	assert.Equal(t, []Period{Hours(9, 0, 13, 0), Hours(14, 0, 18, 0), Hours(22, 0, 24, 0)}, ps)
	assert.Equal(t, "09:00-13:00", ps[0].String())
	ps, err = ParsePeriods("")
	require.NoError(t, err)
	assert.Empty(t, ps)
	for _, bad := range []string{"9-17", "09:00", "09:00-24:01", "25:00-26:00", "17:00-09:00", "aa:bb-cc:dd", "09:60-10:00", "+9:00-10:00"} {
		_, err := ParsePeriods(bad)
		assert.ErrorIs(t, err, ErrInvalid, bad)
	}
	d, err := ParseDate("2026-01-07")
	require.NoError(t, err)
	assert.Equal(t, Date{Year: 2026, Month: time.January, Day: 7}, d)
	assert.Equal(t, "2026-01-07", d.String())
	for _, bad := range []string{"2026-02-30", "2026-1-07", "20260107", "0000-01-01", "2026-13-01", "２０２６-01-01"} {
		_, err := ParseDate(bad)
		assert.ErrorIs(t, err, ErrInvalid, bad)
	}
}

func TestNextWorkingAndHorizon(t *testing.T) {
	msk := mustLoad(t, "Europe/Moscow")
	s := mustNew(t, nineToFive(msk))
	sat := time.Date(2026, 3, 7, 10, 0, 0, 0, msk)
	assert.True(t, time.Date(2026, 3, 9, 9, 0, 0, 0, msk).Equal(s.Next(sat)))
	mon := time.Date(2026, 3, 9, 11, 0, 0, 0, msk)
	assert.True(t, mon.Equal(s.Next(mon)))
	assert.True(t, s.Working(mon))
	assert.False(t, s.Working(sat))
	assert.Equal(t, 40*time.Hour, s.Weekly())
	assert.Equal(t, []Period{Hours(9, 0, 17, 0)}, s.Periods(Date{Year: 2026, Month: 3, Day: 9}))
	assert.Empty(t, s.Periods(Date{Year: 2026, Month: 3, Day: 7}))

	// The longest duration there is ends in bounded time, before the horizon.
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, msk)
	far := s.Add(start, time.Duration(1<<63-1))
	assert.True(t, far.Before(s.Horizon()))
	assert.Equal(t, time.Duration(1<<63-1), s.Between(start, far))
	// A calendar with one minute a week saturates at the horizon.
	tiny := Calendar{Location: mustLoad(t, "Europe/Berlin")}
	tiny.Week[time.Wednesday] = []Period{Hours(12, 0, 12, 1)}
	ts := mustNew(t, tiny)
	assert.True(t, ts.Horizon().Equal(ts.Add(start, time.Duration(1<<63-1))))
	assert.True(t, ts.Horizon().Equal(ts.Add(time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC), time.Hour)))
	assert.Equal(t, time.Duration(0), ts.Between(ts.Horizon(), ts.Horizon().Add(time.Hour)))
	assert.Equal(t, -time.Minute, ts.Between(time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)))
}

// naiveBetween walks day by day, never skipping weeks: the oracle for
// the arithmetic skips.
func naiveBetween(s *Schedule, a, b time.Time) time.Duration {
	var total time.Duration
	for day := s.dayOf(a); day <= s.dayOf(b); day++ {
		for _, iv := range s.intervals(day, nil, nil) {
			st, en := iv.start, iv.end
			if st.Before(a) {
				st = a
			}
			if en.After(b) {
				en = b
			}
			if en.After(st) {
				total += en.Sub(st)
			}
		}
	}
	return total
}

// roundTheClock is a calendar that works 24 hours a day, every day, in zone.
func roundTheClock(t *testing.T, zone string) *Schedule {
	t.Helper()
	c := Calendar{Location: mustLoad(t, zone)}
	for wd := range c.Week {
		c.Week[wd] = []Period{Hours(0, 0, 24, 0)}
	}
	return mustNew(t, c)
}

// Chile: Saturday 7 September 2024 24:00 (-04) becomes Sunday 01:00 (-03).
// The missing midnight must not be read as 23:00 of Saturday.
func TestMidnightSpringForwardWestOfGreenwich(t *testing.T) {
	s := roundTheClock(t, "America/Santiago")
	start := time.Date(2024, 9, 7, 23, 30, 0, 0, s.Location())
	due := s.Add(start, 10*time.Minute)
	assert.False(t, due.Before(start))
	assert.True(t, start.Add(10*time.Minute).Equal(due), "due %s", due)
	assert.True(t, s.Working(start))
	assert.Equal(t, 15*time.Minute, s.Between(start, start.Add(15*time.Minute)))
}

// Lebanon and Iran skip midnight east of Greenwich: the short week must
// not be skipped over at its nominal length.
func TestMidnightSpringForwardWeekSkip(t *testing.T) {
	for _, tc := range []struct {
		zone  string
		start time.Time
	}{
		{"Asia/Beirut", time.Date(2021, 3, 27, 12, 0, 0, 0, time.UTC)},
		{"Asia/Tehran", time.Date(2021, 3, 21, 12, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			s := roundTheClock(t, tc.zone)
			start := tc.start.In(s.Location())
			due := s.Add(start, 400*time.Hour)
			assert.Equal(t, 400*time.Hour, due.Sub(start))
			assert.Equal(t, 400*time.Hour, s.Between(start, start.Add(400*time.Hour)))
		})
	}
}

// Where the clocks jump at or across midnight, Working, Next, Between and
// Add agree with a minute-by-minute walk that reads each instant's wall
// clock. The calendars' periods start and end at 00:00, 24:00 or wall
// times no clock change in these cases skips or repeats, so the wall clock
// alone says whether a minute works.
func TestMidnightTransitionsMatchMinuteWalk(t *testing.T) {
	cases := []struct {
		name string
		zone string
		date Date // the date whose start or end the clocks jump over
	}{
		{"Chile springs forward over midnight", "America/Santiago", Date{Year: 2024, Month: time.September, Day: 8}},
		{"Chile falls back from midnight to 23:00", "America/Santiago", Date{Year: 2024, Month: time.April, Day: 7}},
		{"Cuba springs forward over midnight", "America/Havana", Date{Year: 2024, Month: time.March, Day: 10}},
		{"Cuba falls back to a second midnight", "America/Havana", Date{Year: 2024, Month: time.November, Day: 3}},
		{"Paraguay springs forward over midnight", "America/Asuncion", Date{Year: 2023, Month: time.October, Day: 1}},
		{"Paraguay falls back from midnight to 23:00", "America/Asuncion", Date{Year: 2024, Month: time.March, Day: 24}},
		{"Lebanon springs forward over midnight", "Asia/Beirut", Date{Year: 2021, Month: time.March, Day: 28}},
		{"Lebanon falls back from midnight to 23:00", "Asia/Beirut", Date{Year: 2021, Month: time.October, Day: 31}},
		{"Iran springs forward over midnight", "Asia/Tehran", Date{Year: 2021, Month: time.March, Day: 22}},
		{"Iran falls back from midnight to 23:00", "Asia/Tehran", Date{Year: 2021, Month: time.September, Day: 22}},
		{"Egypt springs forward over midnight", "Africa/Cairo", Date{Year: 2024, Month: time.April, Day: 26}},
		{"Egypt falls back from midnight to 23:00", "Africa/Cairo", Date{Year: 2024, Month: time.November, Day: 1}},
		{"Jordan falls back to a second midnight", "Asia/Amman", Date{Year: 2021, Month: time.October, Day: 29}},
		{"Newfoundland fell back from 00:01 to 23:01", "America/St_Johns", Date{Year: 2010, Month: time.November, Day: 7}},
		{"Samoa skipped a date", "Pacific/Apia", Date{Year: 2011, Month: time.December, Day: 30}},
		{"Germany springs forward at 02:00", "Europe/Berlin", Date{Year: 2026, Month: time.March, Day: 29}},
	}
	calendars := []struct {
		name  string
		build func(loc *time.Location) Calendar
	}{
		{"round the clock", func(loc *time.Location) Calendar {
			c := Calendar{Location: loc}
			for wd := range c.Week {
				c.Week[wd] = []Period{Hours(0, 0, 24, 0)}
			}
			return c
		}},
		{"night shifts and office hours", func(loc *time.Location) Calendar {
			c := Standard(loc, Hours(0, 0, 2, 0), Hours(9, 0, 17, 0), Hours(22, 0, 24, 0))
			c.Week[time.Saturday] = []Period{Hours(22, 0, 24, 0)}
			c.Week[time.Sunday] = []Period{Hours(0, 0, 2, 0)}
			return c
		}},
	}
	for _, tc := range cases {
		for _, cal := range calendars {
			t.Run(tc.name+"/"+cal.name, func(t *testing.T) {
				loc := mustLoad(t, tc.zone)
				c := cal.build(loc)
				s := mustNew(t, c)
				working := func(at time.Time) bool {
					wall := at.In(loc)
					date := DateOf(wall, loc)
					clock := time.Duration(wall.Hour())*time.Hour + time.Duration(wall.Minute())*time.Minute
					for _, p := range s.Periods(date) {
						if p.From <= clock && clock < p.To {
							return true
						}
					}
					return false
				}
				lo, hi := tc.date.AddDays(-2).Start(loc), tc.date.AddDays(3).Start(loc)
				var done time.Duration // the working time in [lo, at)
				next := hi             // the first working minute at or after at
				var minutes []time.Time
				for at := lo; at.Before(hi); at = at.Add(time.Minute) {
					minutes = append(minutes, at)
				}
				nextOf := make([]time.Time, len(minutes))
				for i := len(minutes) - 1; i >= 0; i-- {
					if working(minutes[i]) {
						next = minutes[i]
					}
					nextOf[i] = next
				}
				failures := 0
				check := func(ok bool, format string, args ...any) {
					if !ok && failures < 5 {
						failures++
						t.Errorf(format, args...)
					}
				}
				for i, at := range minutes {
					want := working(at)
					check(s.Working(at) == want, "Working(%s) = %v, the wall clock says %v", at, !want, want)
					check(s.Between(lo, at) == done, "Between(%s, %s) = %s, the walk says %s", lo, at, s.Between(lo, at), done)
					if nextOf[i].Before(hi) {
						check(s.Next(at).Equal(nextOf[i]), "Next(%s) = %s, the walk says %s", at, s.Next(at), nextOf[i])
					}
					if want {
						done += time.Minute
						end := at.Add(time.Minute)
						check(s.Add(lo, done).Equal(end), "Add(%s, %s) = %s, the walk says %s", lo, done, s.Add(lo, done), end)
						check(s.Between(at, end) == time.Minute, "Between(%s, %s) = %s", at, end, s.Between(at, end))
					}
				}
				assert.Equal(t, done, s.Between(lo, hi))
			})
		}
	}
}
