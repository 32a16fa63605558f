package worktime

import (
	"testing"
	"time"
)

func benchSchedule(b *testing.B, zone string) *Schedule {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		b.Fatal(err)
	}
	c := Standard(loc, Hours(9, 0, 13, 0), Hours(14, 0, 18, 0))
	for d := 1; d <= 8; d++ {
		c.Holidays = append(c.Holidays, Date{Year: 2026, Month: time.January, Day: d})
	}
	s, err := New(c)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkAddSLA: a typical deadline, 16 business hours from a Friday
// afternoon.
func BenchmarkAddSLA(b *testing.B) {
	s := benchSchedule(b, "Europe/Moscow")
	start := time.Date(2026, 3, 6, 15, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Add(start, 16*time.Hour)
	}
}

// BenchmarkAddTenYears: ten years of business time in a DST zone, which
// skips whole weeks between clock changes.
func BenchmarkAddTenYears(b *testing.B) {
	s := benchSchedule(b, "Europe/Berlin")
	start := time.Date(2026, 3, 6, 15, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Add(start, 10*52*40*time.Hour)
	}
}

// BenchmarkAddMaxDuration: the longest duration there is.
func BenchmarkAddMaxDuration(b *testing.B) {
	s := benchSchedule(b, "Europe/Berlin")
	start := time.Date(2026, 3, 6, 15, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Add(start, time.Duration(1<<63-1))
	}
}

// BenchmarkBetweenWeek: the business time of a week and a half.
func BenchmarkBetweenWeek(b *testing.B) {
	s := benchSchedule(b, "Europe/Moscow")
	a := time.Date(2026, 3, 6, 15, 30, 0, 0, time.UTC)
	z := a.Add(10 * 24 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Between(a, z)
	}
}
