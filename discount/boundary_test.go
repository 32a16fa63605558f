package discount_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
)

func TestValidityWindowInCartZone(t *testing.T) {
	moscow := time.FixedZone("MSK", 3*60*60)
	e := newEngine(t, discount.Options{},
		`{"id":"march","stacking":"additive","scope":{"kind":"line"},
		  "conditions":{"valid_from":"2026-03-01","valid_to":"2026-03-31"},"action":{"kind":"percent_off","percent":"10"}}`)
	cases := []struct {
		name  string
		at    time.Time
		loc   *time.Location
		apply bool
	}{
		{"last minute of the last day, Moscow (20:59 UTC)", time.Date(2026, 3, 31, 20, 59, 0, 0, time.UTC), moscow, true},
		{"last nanosecond of the last day, Moscow", time.Date(2026, 3, 31, 23, 59, 59, 999999999, moscow), moscow, true},
		{"first instant after the window, Moscow (21:00 UTC on 31 March)", time.Date(2026, 4, 1, 0, 0, 0, 0, moscow), moscow, false},
		{"the same instant judged in UTC is still 31 March", time.Date(2026, 3, 31, 21, 0, 0, 0, time.UTC), nil, true},
		{"first instant of the first day, Moscow (21:00 UTC on 28 February)", time.Date(2026, 2, 28, 21, 0, 0, 0, time.UTC), moscow, true},
		{"last instant before the window, Moscow", time.Date(2026, 2, 28, 23, 59, 59, 999999999, moscow), moscow, false},
		{"the same instant judged in UTC is still 28 February", time.Date(2026, 2, 28, 21, 0, 0, 0, time.UTC), nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := cartOf(ln("A", "1", "1000"))
			c.At, c.Location = tc.at, tc.loc
			pc := priceOK(t, e, c, nil)
			if tc.apply {
				assert.Equal(t, rubs("100"), discounts(pc))
			} else {
				assert.Equal(t, rubs("0"), discounts(pc))
				assert.Empty(t, pc.NotApplied, "a rule outside its window did not match")
			}
		})
	}
}

func TestSingleDayWindow(t *testing.T) {
	e := newEngine(t, discount.Options{},
		`{"id":"day","stacking":"additive","scope":{"kind":"line"},
		  "conditions":{"valid_from":"2026-11-27","valid_to":"2026-11-27"},"action":{"kind":"percent_off","percent":"10"}}`)
	for _, tc := range []struct {
		at    time.Time
		apply bool
	}{
		{time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 11, 27, 23, 59, 59, 0, time.UTC), true},
		{time.Date(2026, 11, 26, 23, 59, 59, 0, time.UTC), false},
		{time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), false},
	} {
		c := cartOf(ln("A", "1", "1000"))
		c.At = tc.at
		pc := priceOK(t, e, c, nil)
		assert.Equal(t, tc.apply, pc.Discount.IsPositive(), tc.at)
	}
}

func TestDates(t *testing.T) {
	d, err := discount.ParseDate("2028-02-29")
	require.NoError(t, err)
	assert.Equal(t, "2028-02-29", d.String())
	for _, bad := range []string{"2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-01-32", "0000-01-01", "2026-01-0a", ""} {
		_, err := discount.ParseDate(bad)
		assert.Error(t, err, bad)
	}
	_, err = discount.NewDate(2026, time.April, 31)
	assert.ErrorIs(t, err, discount.ErrInvalidInput)
	assert.Equal(t, discount.MustDate(2026, 3, 31), discount.DateOf(time.Date(2026, 3, 31, 20, 59, 0, 0, time.UTC), time.FixedZone("MSK", 3*3600)))
	assert.Equal(t, discount.MustDate(2026, 4, 1), discount.DateOf(time.Date(2026, 3, 31, 21, 0, 0, 0, time.UTC), time.FixedZone("MSK", 3*3600)))
	assert.Equal(t, -1, discount.MustDate(2026, 3, 31).Compare(discount.MustDate(2026, 4, 1)))
	var z discount.Date
	assert.True(t, z.IsZero())
	assert.Equal(t, "", z.String())
	require.NoError(t, z.UnmarshalText([]byte("2026-01-02")))
	assert.Equal(t, discount.MustDate(2026, 1, 2), z)
}

func TestLineBoundaries(t *testing.T) {
	// Amount conditions are inclusive at both ends.
	e := newEngine(t, discount.Options{},
		`{"id":"a","stacking":"additive","scope":{"kind":"order"},
		  "conditions":{"min_amount":{"amount":"1000","currency":"RUB"},"max_amount":{"amount":"2000","currency":"RUB"}},
		  "action":{"kind":"percent_off","percent":"10"}}`)
	for _, tc := range []struct {
		price string
		want  string
	}{{"999.99", "0"}, {"1000", "100"}, {"2000", "200"}, {"2000.01", "0"}} {
		pc := priceOK(t, e, cartOf(ln("A", "1", tc.price)), nil)
		assert.Equal(t, rubs(tc.want), discounts(pc), tc.price)
	}
}
