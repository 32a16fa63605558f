package loyalty_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/loyalty"
)

func TestDates(t *testing.T) {
	_, err := loyalty.NewDate(2026, time.February, 29)
	require.ErrorIs(t, err, loyalty.ErrInvalid)
	_, err = loyalty.NewDate(2028, time.February, 29)
	require.NoError(t, err)
	for _, bad := range []string{"", "2026-1-01", "2026-13-01", "2026-04-31", "20260401", "2026-04-0x", "0000-01-01"} {
		_, err := loyalty.ParseDate(bad)
		assert.ErrorIs(t, err, loyalty.ErrInvalid, bad)
	}
	d, err := loyalty.ParseDate("2026-03-31")
	require.NoError(t, err)
	assert.Equal(t, "2026-03-31", d.String())
	assert.Equal(t, day(2026, 4, 30), d.AddDays(30))
	assert.Equal(t, day(2025, 12, 31), day(2026, 1, 1).AddDays(-1))
	assert.Equal(t, 366, day(2028, 1, 1).DaysUntil(day(2029, 1, 1)))
	assert.Equal(t, -1, day(2026, 3, 1).DaysUntil(day(2026, 2, 28)))
	assert.True(t, day(2026, 3, 1).Before(day(2026, 3, 2)))
	assert.Equal(t, day(2026, 3, 2), loyalty.DateOf(time.Date(2026, 3, 1, 22, 30, 0, 0, time.UTC), time.FixedZone("MSK", 3*3600)))
	assert.Equal(t, "", loyalty.Date{}.String())

	js, err := json.Marshal(struct{ D loyalty.Date }{d})
	require.NoError(t, err)
	assert.Equal(t, `{"D":"2026-03-31"}`, string(js))
	var back struct{ D loyalty.Date }
	require.NoError(t, json.Unmarshal(js, &back))
	assert.Equal(t, d, back.D)
}

// AddDays and DaysUntil agree with the time package over four centuries.
func TestDayArithmeticProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		from := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(0, 146097*2).Draw(t, "from"))
		n := rapid.IntRange(-100000, 100000).Draw(t, "n")
		d := loyalty.DateOf(from, time.UTC)
		want := loyalty.DateOf(from.AddDate(0, 0, n), time.UTC)
		if got := d.AddDays(n); got != want {
			t.Fatalf("%s + %d = %s, want %s", d, n, got, want)
		}
		if got := d.DaysUntil(want); got != n {
			t.Fatalf("%s to %s is %d days, want %d", d, want, got, n)
		}
	})
}
