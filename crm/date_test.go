package crm_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
)

func TestDate(t *testing.T) {
	cases := []struct {
		in string
		ok bool
	}{
		{"2024-02-29", true}, {"2023-02-29", false}, {"2026-02-31", false}, {"2026-04-31", false},
		{"2026-12-31", true}, {"0000-01-01", false}, {"2026-13-01", false}, {"2026-1-01", false},
		{"2026-01-00", false}, {"abcd-01-01", false}, {"", false}, {"2026-01-01T00:00", false}, {"+026-01-01", false},
	}
	for _, tc := range cases {
		d, err := crm.ParseDate(tc.in)
		if !tc.ok {
			assert.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.in, d.String())
	}
	d, _ := crm.NewDate(2026, time.February, 28)
	assert.Equal(t, "2026-03-01", d.AddDays(1).String())
	assert.Equal(t, 1, d.DaysUntil(d.AddDays(1)))
	assert.Equal(t, -30, d.DaysUntil(d.AddDays(-30)))
	assert.Equal(t, -1, d.Compare(d.AddDays(1)))
	// A date is not an instant: 23:30 in Moscow on 1 March is 1 March, whatever UTC says.
	msk := time.FixedZone("MSK", 3*3600)
	inst := time.Date(2026, 2, 28, 21, 30, 0, 0, time.UTC)
	assert.Equal(t, "2026-03-01", crm.DateOf(inst, msk).String())
	assert.Equal(t, "2026-02-28", crm.DateOf(inst, time.UTC).String())
}

func TestBirthday(t *testing.T) {
	cases := []struct {
		in string
		ok bool
	}{
		{"--02-29", true}, {"2024-02-29", true}, {"2023-02-29", false}, {"--02-30", false},
		{"--04-31", false}, {"--13-01", false}, {"1980-07-15", true}, {"--7-15", false}, {"02-29", false},
	}
	for _, tc := range cases {
		b, err := crm.ParseBirthday(tc.in)
		if !tc.ok {
			assert.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.in, b.String())
		var back crm.Birthday
		require.NoError(t, back.UnmarshalText([]byte(b.String())))
		assert.Equal(t, b, back)
	}
	leap, _ := crm.ParseBirthday("--02-29")
	assert.Equal(t, "2027-02-28", leap.In(2027).String(), "29 February is celebrated on 28 February in common years")
	assert.Equal(t, "2028-02-29", leap.In(2028).String())
}

func FuzzParseBirthday(f *testing.F) {
	for _, s := range []string{"--02-29", "2024-02-29", "1980-13-01", "", "--", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := crm.ParseBirthday(s)
		if err != nil {
			return
		}
		back, err := crm.ParseBirthday(b.String())
		if err != nil || back != b {
			t.Fatalf("%q -> %v does not round-trip: %v", s, b, err)
		}
	})
}
