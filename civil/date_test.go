package civil

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestParseDate(t *testing.T) {
	cases := []struct {
		in     string
		want   Date
		reason Reason
	}{
		{"2026-11-27", Date{2026, time.November, 27}, ""},
		{"2024-02-29", Date{2024, time.February, 29}, ""},
		{"0001-01-01", Date{1, time.January, 1}, ""},
		{"9999-12-31", Date{9999, time.December, 31}, ""},
		{"2026-02-29", Date{}, ReasonNotADate},
		{"1900-02-29", Date{}, ReasonNotADate},
		{"2026-04-31", Date{}, ReasonNotADate},
		{"2026-13-01", Date{}, ReasonNotADate},
		{"2026-00-10", Date{}, ReasonNotADate},
		{"0000-01-01", Date{}, ReasonNotADate},
		{"2026-1-01", Date{}, ReasonMalformed},
		{"26-11-27", Date{}, ReasonMalformed},
		{"2026/11/27", Date{}, ReasonMalformed},
		{"+026-11-27", Date{}, ReasonMalformed},
		{"2026-11-2x", Date{}, ReasonMalformed},
		{"２０２６-11-27", Date{}, ReasonMalformed},
		{"", Date{}, ReasonMalformed},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseDate(c.in)
			if c.reason == "" {
				require.NoError(t, err)
				assert.Equal(t, c.want, got)
				assert.Equal(t, c.in, got.String())
				return
			}
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, c.reason, pe.Reason)
			assert.Equal(t, string(c.reason), pe.Code())
			assert.ErrorIs(t, err, ErrInvalid)
			assert.NotEmpty(t, pe.Message("ru"))
			assert.NotEqual(t, pe.Message("en"), pe.Message("ru"))
		})
	}
}

func TestNewDate(t *testing.T) {
	_, err := NewDate(2026, time.February, 29)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, ReasonNotADate, pe.Reason)
	assert.Contains(t, pe.Error(), "2026-02-29")

	d, err := NewDate(2028, time.February, 29)
	require.NoError(t, err)
	assert.Equal(t, "2028-02-29", d.String())
	assert.Panics(t, func() { MustDate(2026, time.April, 31) })
}

func TestZeroAndText(t *testing.T) {
	var d Date
	assert.True(t, d.IsZero())
	assert.Equal(t, "", d.String())

	type doc struct {
		D Date     `json:"d"`
		B Birthday `json:"b"`
	}
	raw, err := json.Marshal(doc{D: MustDate(2026, time.March, 8), B: Birthday{Month: time.February, Day: 29}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"d":"2026-03-08","b":"--02-29"}`, string(raw))
	var back doc
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, MustDate(2026, time.March, 8), back.D)
	assert.Equal(t, Birthday{Month: time.February, Day: 29}, back.B)

	require.NoError(t, json.Unmarshal([]byte(`{"d":"","b":""}`), &back))
	assert.True(t, back.D.IsZero())
	assert.True(t, back.B.IsZero())
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"d":"2026-02-30"}`), &back), ErrInvalid)
	// Out-of-range literal fields still print what is there.
	assert.Equal(t, "12345-1-1", Date{12345, 1, 1}.String())
}

func TestDateOfAndStart(t *testing.T) {
	moscow, err := time.LoadLocation("Europe/Moscow")
	require.NoError(t, err)
	// 22:30 UTC on 31 December is already 1 January in Moscow.
	at := time.Date(2025, time.December, 31, 22, 30, 0, 0, time.UTC)
	assert.Equal(t, MustDate(2026, time.January, 1), DateOf(at, moscow))
	assert.Equal(t, MustDate(2025, time.December, 31), DateOf(at, nil))
	start := MustDate(2026, time.January, 1).Start(moscow)
	assert.Equal(t, time.Date(2025, time.December, 31, 21, 0, 0, 0, time.UTC), start.UTC())
	assert.Equal(t, time.UTC, MustDate(2026, time.January, 1).Start(nil).Location())
}

// Where the clocks jump at midnight, a date starts at its first instant,
// not at time.Date's reading of a midnight that does not exist or happens
// twice.
func TestStartWhereClocksJumpAtMidnight(t *testing.T) {
	cases := []struct {
		name string
		zone string
		date Date
		want time.Time // in UTC
	}{
		{"Brazil springs forward over midnight", "America/Sao_Paulo", MustDate(2018, time.November, 4), time.Date(2018, time.November, 4, 3, 0, 0, 0, time.UTC)},
		{"Cuba springs forward over midnight", "America/Havana", MustDate(2024, time.March, 10), time.Date(2024, time.March, 10, 5, 0, 0, 0, time.UTC)},
		{"Chile springs forward over midnight", "America/Santiago", MustDate(2024, time.September, 8), time.Date(2024, time.September, 8, 4, 0, 0, 0, time.UTC)},
		{"Lebanon springs forward over midnight east of Greenwich", "Asia/Beirut", MustDate(2021, time.March, 28), time.Date(2021, time.March, 27, 22, 0, 0, 0, time.UTC)},
		{"Chile falls back at midnight: the day before is 25 hours", "America/Santiago", MustDate(2024, time.April, 7), time.Date(2024, time.April, 7, 4, 0, 0, 0, time.UTC)},
		{"Cuba has midnight twice: the first", "America/Havana", MustDate(2024, time.November, 3), time.Date(2024, time.November, 3, 4, 0, 0, 0, time.UTC)},
		{"Jordan has midnight twice east of Greenwich: the first", "Asia/Amman", MustDate(2021, time.October, 29), time.Date(2021, time.October, 28, 21, 0, 0, 0, time.UTC)},
		{"Newfoundland went back from 00:01 to 23:01 of the day before", "America/St_Johns", MustDate(2010, time.November, 7), time.Date(2010, time.November, 7, 2, 30, 0, 0, time.UTC)},
		{"Samoa skipped 30 December 2011: it starts with the 31st", "Pacific/Apia", MustDate(2011, time.December, 30), time.Date(2011, time.December, 30, 10, 0, 0, 0, time.UTC)},
		{"an ordinary midnight", "Europe/Berlin", MustDate(2026, time.March, 29), time.Date(2026, time.March, 28, 23, 0, 0, 0, time.UTC)},
		{"a midnight where Go misreports the zone's bounds (golang/go#81583)", "Europe/Berlin", MustDate(2041, time.January, 1), time.Date(2040, time.December, 31, 23, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			loc, err := time.LoadLocation(c.zone)
			require.NoError(t, err)
			start := c.date.Start(loc)
			assert.Truef(t, c.want.Equal(start), "Start = %s, want %s", start, c.want.In(loc))
			assert.Equal(t, loc, start.Location())
			assert.False(t, DateOf(start, loc).Before(c.date), "Start lies on the date (or a later one, if the date was skipped)")
			assert.True(t, DateOf(start.Add(-time.Nanosecond), loc).Before(c.date), "the instant before Start lies on an earlier date")
		})
	}
	loc, err := time.LoadLocation("Pacific/Apia")
	require.NoError(t, err)
	assert.True(t, MustDate(2011, time.December, 31).Start(loc).Equal(MustDate(2011, time.December, 30).Start(loc)))
}

// startZones are zones whose clocks jump at or across midnight, and a
// few whose clocks do not.
var startZones = []string{
	"America/Santiago", "America/Havana", "America/Asuncion", "America/Sao_Paulo", "America/St_Johns",
	"Asia/Beirut", "Asia/Tehran", "Asia/Amman", "Africa/Cairo", "Pacific/Apia",
	"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC",
}

// Start is the first instant whose date is the date or later, on dates
// around clock changes.
func TestPropertyStartIsFirstInstant(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc, err := time.LoadLocation(rapid.SampledFrom(startZones).Draw(t, "zone"))
		require.NoError(t, err)
		at := time.Date(1970, time.January, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rapid.Int64Range(0, 130*365*24).Draw(t, "hour")) * time.Hour)
		// Aim at the date of the next clock change, or a day near it.
		if _, end := at.In(loc).ZoneBounds(); !end.IsZero() {
			at = end
		}
		d := DateOf(at, loc).AddDays(rapid.IntRange(-2, 2).Draw(t, "days"))
		start := d.Start(loc)
		if got := DateOf(start, loc); got.Before(d) {
			t.Fatalf("Start(%s) = %s lies on %s", d, start, got)
		}
		if got := DateOf(start.Add(-time.Nanosecond), loc); !got.Before(d) {
			t.Fatalf("the instant before Start(%s) = %s lies on %s", d, start, got)
		}
		// Nothing earlier reads the date: no clock goes back two days.
		for u := start.Add(-50 * time.Hour); u.Before(start); u = u.Add(time.Minute) {
			if got := DateOf(u, loc); !got.Before(d) {
				t.Fatalf("%s, before Start(%s) = %s, lies on %s", u.In(loc), d, start, got)
			}
		}
		if next := d.AddDays(1).Start(loc); next.Before(start) {
			t.Fatalf("Start(%s) = %s is before Start(%s) = %s", d.AddDays(1), next, d, start)
		}
	})
}

func TestArithmeticTable(t *testing.T) {
	d := MustDate(2026, time.January, 31)
	assert.Equal(t, MustDate(2026, time.February, 28), d.AddMonths(1))
	assert.Equal(t, MustDate(2028, time.February, 29), MustDate(2028, time.January, 31).AddMonths(1))
	assert.Equal(t, MustDate(2025, time.December, 31), d.AddMonths(-1))
	assert.Equal(t, MustDate(2024, time.November, 30), MustDate(2026, time.January, 30).AddMonths(-14))
	assert.Equal(t, MustDate(2026, time.March, 1), MustDate(2026, time.February, 28).AddDays(1))
	assert.Equal(t, 30, MustDate(2026, time.March, 1).DaysUntil(MustDate(2026, time.March, 31)))
	assert.Equal(t, -365, MustDate(2026, time.March, 1).DaysUntil(MustDate(2025, time.March, 1)))
	assert.Equal(t, time.Friday, MustDate(2026, time.November, 27).Weekday())
	assert.Equal(t, int64(0), MustDate(1970, time.January, 1).DayNumber())
	assert.True(t, MustDate(2026, 1, 1).Before(MustDate(2026, 1, 2)))
	assert.True(t, MustDate(2026, 1, 2).After(MustDate(2026, 1, 1)))
}

// genDate draws a valid date anywhere in 1..9999.
func genDate() *rapid.Generator[Date] {
	return rapid.Custom(func(t *rapid.T) Date {
		y := rapid.IntRange(1, 9999).Draw(t, "year")
		m := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
		day := rapid.IntRange(1, DaysIn(m, y)).Draw(t, "day")
		return Date{y, m, day}
	})
}

// The day-number arithmetic agrees with the time package everywhere.
func TestPropertyAgreesWithTime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := genDate().Draw(t, "d")
		n := rapid.IntRange(-100000, 100000).Draw(t, "n")
		ref := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
		got := d.AddDays(n)
		want := DateOf(ref, time.UTC)
		if want.Year >= 1 && want.Year <= 9999 {
			assert.Equal(t, want, got)
			assert.Equal(t, n, d.DaysUntil(got))
			assert.Equal(t, ref.Weekday(), got.Weekday())
		}
		assert.Equal(t, d, DateFromDayNumber(d.DayNumber()))
		assert.Equal(t, time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Weekday(), d.Weekday())
	})
}

func TestPropertyOrderAndText(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genDate().Draw(t, "a"), genDate().Draw(t, "b")
		assert.Equal(t, cmpInt(int(a.DayNumber()), int(b.DayNumber())), a.Compare(b))
		back, err := ParseDate(a.String())
		require.NoError(t, err)
		assert.Equal(t, a, back)
		m := a.AddMonths(rapid.IntRange(-240, 240).Draw(t, "months"))
		if m.Year >= 1 && m.Year <= 9999 {
			assert.True(t, m.Valid(), "%v", m)
			assert.LessOrEqual(t, m.Day, a.Day)
		}
	})
}

func TestBirthday(t *testing.T) {
	leapling := Birthday{Month: time.February, Day: 29}
	assert.Equal(t, MustDate(2026, time.February, 28), leapling.In(2026))
	assert.Equal(t, MustDate(2028, time.February, 29), leapling.In(2028))
	assert.Equal(t, MustDate(2100, time.February, 28), leapling.In(2100))

	cases := []struct {
		in   string
		want Birthday
		ok   bool
	}{
		{"--02-29", leapling, true},
		{"--12-31", Birthday{Month: 12, Day: 31}, true},
		{"1984-02-29", Birthday{1984, 2, 29}, true},
		{"1985-02-29", Birthday{}, false},
		{"--02-30", Birthday{}, false},
		{"--13-01", Birthday{}, false},
		{"--1-01", Birthday{}, false},
		{"02-29", Birthday{}, false},
	}
	for _, c := range cases {
		got, err := ParseBirthday(c.in)
		if !c.ok {
			assert.ErrorIs(t, err, ErrInvalid, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got)
		assert.Equal(t, c.in, got.String())
	}
}

func TestErrorShortensInput(t *testing.T) {
	long := strings.Repeat("Ж", 60) // 120 bytes
	_, err := ParseDate(long)
	var pe *ParseError
	require.True(t, errors.As(err, &pe))
	msg := pe.Message("ru")
	assert.Contains(t, msg, strings.Repeat("Ж", 20)+"…")
	assert.NotContains(t, msg, strings.Repeat("Ж", 21))
	assert.True(t, utf8.ValidString(pe.Message("en")))
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-27", "2024-02-29", "--02-29", "", "9999-12-31", "0000-00-00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDate(s); err == nil {
			require.True(t, d.Valid())
			require.Equal(t, s, d.String())
			require.Equal(t, d, DateFromDayNumber(d.DayNumber()))
		} else {
			require.ErrorIs(t, err, ErrInvalid)
		}
		if b, err := ParseBirthday(s); err == nil {
			require.True(t, b.Valid())
			require.Equal(t, s, b.String())
		} else {
			require.ErrorIs(t, err, ErrInvalid)
		}
	})
}

func BenchmarkAddDays(b *testing.B) {
	b.ReportAllocs()
	d := MustDate(2026, time.November, 27)
	for i := 0; b.Loop(); i++ {
		d = d.AddDays(i%3 - 1)
	}
}

func BenchmarkParseDate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ParseDate("2026-11-27")
	}
}
