package money

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRoundEveryModeBothSigns(t *testing.T) {
	modes := []RoundingMode{HalfUp, HalfEven, Down, Up, Ceiling, Floor}
	// want lists results in the order of modes.
	cases := []struct {
		in   string
		cur  Currency
		want [6]string
	}{
		{"1.005", RUB, [6]string{"1.01", "1.00", "1.00", "1.01", "1.01", "1.00"}},
		{"-1.005", RUB, [6]string{"-1.01", "-1.00", "-1.00", "-1.01", "-1.00", "-1.01"}},
		{"1.015", RUB, [6]string{"1.02", "1.02", "1.01", "1.02", "1.02", "1.01"}},
		{"-1.015", RUB, [6]string{"-1.02", "-1.02", "-1.01", "-1.02", "-1.01", "-1.02"}},
		{"1.0049", RUB, [6]string{"1.00", "1.00", "1.00", "1.01", "1.01", "1.00"}},
		{"-1.0049", RUB, [6]string{"-1.00", "-1.00", "-1.00", "-1.01", "-1.00", "-1.01"}},
		{"1.0051", RUB, [6]string{"1.01", "1.01", "1.00", "1.01", "1.01", "1.00"}},
		{"-1.0051", RUB, [6]string{"-1.01", "-1.01", "-1.00", "-1.01", "-1.00", "-1.01"}},
		{"0.001", RUB, [6]string{"0.00", "0.00", "0.00", "0.01", "0.01", "0.00"}},
		{"-0.001", RUB, [6]string{"0.00", "0.00", "0.00", "-0.01", "0.00", "-0.01"}},
		{"7.25", RUB, [6]string{"7.25", "7.25", "7.25", "7.25", "7.25", "7.25"}},
		{"-7.25", RUB, [6]string{"-7.25", "-7.25", "-7.25", "-7.25", "-7.25", "-7.25"}},
		{"2.5", JPY, [6]string{"3", "2", "2", "3", "3", "2"}},
		{"-2.5", JPY, [6]string{"-3", "-2", "-2", "-3", "-2", "-3"}},
		{"3.5", JPY, [6]string{"4", "4", "3", "4", "4", "3"}},
		{"-3.5", JPY, [6]string{"-4", "-4", "-3", "-4", "-3", "-4"}},
		{"1.2345", MustCurrency("KWD"), [6]string{"1.235", "1.234", "1.234", "1.235", "1.235", "1.234"}},
		{"-1.2345", MustCurrency("KWD"), [6]string{"-1.235", "-1.234", "-1.234", "-1.235", "-1.234", "-1.235"}},
	}
	for _, tc := range cases {
		for i, m := range modes {
			t.Run(fmt.Sprintf("%s_%s_%s", tc.cur, tc.in, m), func(t *testing.T) {
				got := MustParse(tc.in, tc.cur).Round(m)
				requireAmount(t, MustParse(tc.want[i], tc.cur), got)
			})
		}
	}
}

func TestRoundTo(t *testing.T) {
	cases := []struct {
		in     string
		places int32
		mode   RoundingMode
		want   string
	}{
		{"1234.5678", 1, HalfUp, "1234.6"},
		{"1234.5678", 0, Floor, "1234"},
		{"1250", -2, HalfEven, "1200"},
		{"-1250", -2, HalfUp, "-1300"},
		{"1251", -2, Down, "1200"},
		{"1.5", 10, HalfUp, "1.5"}, // more places than the value has: unchanged
	}
	for _, tc := range cases {
		got := rub(tc.in).RoundTo(tc.places, tc.mode)
		requireAmount(t, rub(tc.want), got)
	}
	// An undefined mode, reachable only by conversion, rounds half-up.
	requireAmount(t, rub("1.01"), rub("1.005").Round(RoundingMode(99)))
	assert.True(t, Amount{}.Round(Up).IsZero())
}
