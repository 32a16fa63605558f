package money

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rub(s string) Amount { return MustParse(s, RUB) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// requireAmount asserts value and currency with Equal, never ==.
func requireAmount(t *testing.T, want, got Amount) {
	t.Helper()
	require.Truef(t, want.Equal(got), "want %s, got %s", want, got)
	require.Equal(t, want.Currency(), got.Currency())
}

func TestParseCurrency(t *testing.T) {
	cases := []struct {
		in     string
		code   string
		minor  int32
		reason Reason
	}{
		{in: "RUB", code: "RUB", minor: 2},
		{in: "rub", code: "RUB", minor: 2},
		{in: "uSd", code: "USD", minor: 2},
		{in: "JPY", code: "JPY", minor: 0},
		{in: "KWD", code: "KWD", minor: 3},
		{in: "BHD", code: "BHD", minor: 3},
		{in: "CLF", code: "CLF", minor: 4},
		{in: "", reason: ReasonMalformedCurrency},
		{in: "RU", reason: ReasonMalformedCurrency},
		{in: "RUBL", reason: ReasonMalformedCurrency},
		{in: " RUB", reason: ReasonMalformedCurrency},
		{in: "R1B", reason: ReasonMalformedCurrency},
		{in: "РУБ", reason: ReasonMalformedCurrency}, // Cyrillic, 6 bytes
		{in: "XYZ", reason: ReasonUnknownCurrency},
		{in: "HRK", reason: ReasonUnknownCurrency}, // withdrawn in 2023
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			c, err := ParseCurrency(tc.in)
			if tc.reason != "" {
				var ce *CurrencyError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.reason, ce.Reason)
				assert.Equal(t, tc.in, ce.Input)
				assert.ErrorIs(t, err, ErrUnknownCurrency)
				assert.Contains(t, err.Error(), tc.in)
				assert.NotEmpty(t, ce.Message("ru"))
				assert.True(t, c.IsZero())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.code, c.Code())
			assert.Equal(t, tc.minor, c.MinorUnits())
			assert.Equal(t, MustCurrency(tc.code), c, "currencies compare with ==")
		})
	}
}

func TestCurrencyAccessors(t *testing.T) {
	assert.Equal(t, 643, RUB.Numeric())
	assert.Equal(t, "RUB", RUB.String())
	assert.NotEmpty(t, RUB.Name())
	var zero Currency
	assert.True(t, zero.IsZero())
	assert.Equal(t, "", zero.Code())
	assert.Equal(t, int32(0), zero.MinorUnits())
	_, err := zero.MarshalText()
	assert.ErrorIs(t, err, ErrNoCurrency)
	var c Currency
	require.NoError(t, c.UnmarshalText([]byte("eur")))
	assert.Equal(t, EUR, c)
	assert.Error(t, c.UnmarshalText([]byte("EURO")))
	assert.Equal(t, EUR, c, "a failed decode leaves the value alone")
	assert.Equal(t, `money.MustCurrency("RUB")`, RUB.GoString())
	all := Currencies()
	assert.Greater(t, len(all), 150)
	assert.Panics(t, func() { MustCurrency("ZZZ") })
}

func TestParse(t *testing.T) {
	ok := []struct{ in, want string }{
		{"0", "RUB 0.00"},
		{"1234.50", "RUB 1234.50"},
		{"1234.5", "RUB 1234.50"},
		{"-0.5", "RUB -0.50"},
		{"+7", "RUB 7.00"},
		{"007.10", "RUB 7.10"},
		{"0.125", "RUB 0.125"},
		{"-0", "RUB 0.00"},
		{"123456789012345678901234567890.12", "RUB 123456789012345678901234567890.12"},
		{"0.000000000000000000000001", "RUB 0.000000000000000000000001"},
		{"1000000000000000000000000000000000000000", "RUB 1000000000000000000000000000000000000000.00"}, // 40 digits
		{"00000001.5", "RUB 1.50"},
	}
	for _, tc := range ok {
		a, err := Parse(tc.in, RUB)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, a.String(), tc.in)
	}
	bad := []struct {
		in     string
		reason Reason
	}{
		{"", ReasonEmptyAmount},
		{"abc", ReasonMalformedAmount},
		{"1,5", ReasonMalformedAmount},
		{"1 000", ReasonMalformedAmount},
		{"1e3", ReasonMalformedAmount},
		{".5", ReasonMalformedAmount},
		{"5.", ReasonMalformedAmount},
		{"-", ReasonMalformedAmount},
		{"--1", ReasonMalformedAmount},
		{" 1", ReasonMalformedAmount},
		{"1.2.3", ReasonMalformedAmount},
		{"NaN", ReasonMalformedAmount},
		{"Inf", ReasonMalformedAmount},
		{"١٢", ReasonMalformedAmount}, // Arabic-Indic digits
		{"1234567890123456789012345678901234567890123456789012345678901234567890", ReasonAmountTooLong},
		{"10000000000000000000000000000000000000000", ReasonAmountTooLong}, // 41 digits
		{"0.0000000000000000000000001", ReasonAmountTooLong},               // 25 places
	}
	for _, tc := range bad {
		_, err := Parse(tc.in, RUB)
		var ae *AmountError
		require.ErrorAs(t, err, &ae, tc.in)
		assert.Equal(t, tc.reason, ae.Reason, tc.in)
		assert.ErrorIs(t, err, ErrInvalidAmount)
		assert.NotEmpty(t, ae.Message("ru"))
	}
	_, err := Parse("1", Currency{})
	assert.ErrorIs(t, err, ErrNoCurrency)

	a, err := ParseCode("10.5", "usd")
	require.NoError(t, err)
	assert.Equal(t, "USD 10.50", a.String())
	_, err = ParseCode("10", "XXY")
	var ae *AmountError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "currency", ae.Field)
	assert.ErrorIs(t, err, ErrUnknownCurrency)
}

func TestFromMinorAndDecimal(t *testing.T) {
	cases := []struct {
		units int64
		cur   Currency
		want  string
	}{
		{12345, RUB, "123.45"},
		{-5, RUB, "-0.05"},
		{500, JPY, "500"},
		{1234, MustCurrency("KWD"), "1.234"},
		{1, MustCurrency("CLF"), "0.0001"},
	}
	for _, tc := range cases {
		a, err := FromMinor(tc.units, tc.cur)
		require.NoError(t, err)
		requireAmount(t, MustParse(tc.want, tc.cur), a)
		units, ok := a.Minor()
		assert.True(t, ok)
		assert.Equal(t, tc.units, units)
	}
	_, err := FromMinor(1, Currency{})
	assert.ErrorIs(t, err, ErrNoCurrency)

	a, err := FromDecimal(dec("1.5"), USD)
	require.NoError(t, err)
	requireAmount(t, MustParse("1.50", USD), a)
	_, err = FromDecimal(dec("1"), Currency{})
	assert.ErrorIs(t, err, ErrNoCurrency)

	_, ok := rub("0.125").Minor()
	assert.False(t, ok, "fractions of a kopeck have no minor-unit form")
	_, ok = rub("100000000000000000000").Minor()
	assert.False(t, ok, "beyond int64")
}

func TestArithmetic(t *testing.T) {
	cases := []struct {
		name       string
		a, b       Amount
		sum, diff  string
		cmp        int
		sumIsUSDOK bool
	}{
		{name: "plain", a: rub("10.10"), b: rub("0.90"), sum: "11.00", diff: "9.20", cmp: 1},
		{name: "negative", a: rub("-1.5"), b: rub("2"), sum: "0.50", diff: "-3.50", cmp: -1},
		{name: "scales differ", a: rub("1.5"), b: rub("1.50"), sum: "3", diff: "0", cmp: 0},
		{name: "zero Amount left", a: Amount{}, b: rub("3.33"), sum: "3.33", diff: "-3.33", cmp: -1},
		{name: "zero Amount right", a: rub("3.33"), b: Amount{}, sum: "3.33", diff: "3.33", cmp: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := tc.a.Add(tc.b)
			require.NoError(t, err)
			requireAmount(t, rub(tc.sum), s)
			d, err := tc.a.Sub(tc.b)
			require.NoError(t, err)
			requireAmount(t, rub(tc.diff), d)
			c, err := tc.a.Cmp(tc.b)
			require.NoError(t, err)
			assert.Equal(t, tc.cmp, c)
			assert.Equal(t, tc.cmp == 0, tc.a.Equal(tc.b))
		})
	}

	usd := MustParse("1", USD)
	for name, op := range map[string]func() error{
		"add": func() error { _, err := rub("1").Add(usd); return err },
		"sub": func() error { _, err := rub("1").Sub(usd); return err },
		"cmp": func() error { _, err := rub("1").Cmp(usd); return err },
	} {
		err := op()
		var me *MismatchError
		require.ErrorAs(t, err, &me, name)
		assert.ErrorIs(t, err, ErrCurrencyMismatch)
		assert.Equal(t, RUB, me.Left)
		assert.Equal(t, USD, me.Right)
		assert.Contains(t, me.Message("ru"), "RUB")
	}
	assert.False(t, rub("1").Equal(usd))
	assert.False(t, rub("0").Equal(MustParse("0", USD)), "zero roubles are not zero dollars")
	assert.True(t, Amount{}.Equal(rub("0")))

	requireAmount(t, rub("-2.5"), rub("2.5").Neg())
	requireAmount(t, rub("2.5"), rub("-2.5").Abs())
	requireAmount(t, rub("2.5"), rub("2.5").Abs())
	requireAmount(t, rub("3.7035"), rub("1.2345").Mul(dec("3")))
	requireAmount(t, rub("-0.25"), rub("0.5").Mul(dec("-0.5")))
	requireAmount(t, rub("300"), rub("100").MulInt(3))
	assert.True(t, Amount{}.Mul(dec("5")).IsZero())

	assert.True(t, rub("0.00").IsZero())
	assert.True(t, Amount{}.IsZero())
	assert.Equal(t, -1, rub("-0.01").Sign())
	assert.Equal(t, 0, rub("0").Sign())
	assert.Equal(t, 1, rub("0.01").Sign())
	assert.True(t, rub("-1").IsNegative())
	assert.True(t, rub("1").IsPositive())

	total, err := Sum(rub("1.10"), rub("2.20"), rub("3.30"))
	require.NoError(t, err)
	requireAmount(t, rub("6.60"), total)
	empty, err := Sum()
	require.NoError(t, err)
	assert.True(t, empty.IsZero())
	_, err = Sum(rub("1"), usd)
	assert.ErrorIs(t, err, ErrCurrencyMismatch)
}

func TestImmutable(t *testing.T) {
	a := rub("10")
	_, _ = a.Add(rub("5"))
	_ = a.Neg()
	_ = a.Mul(dec("3"))
	_ = a.Round(Up)
	_, _ = a.Allocate([]decimal.Decimal{dec("1"), dec("2")}, HalfUp)
	requireAmount(t, rub("10"), a)
}

func TestStringAndFormat(t *testing.T) {
	cases := []struct {
		a       Amount
		str, en string
		ru      string
		comment string
	}{
		{a: rub("1234.5"), str: "RUB 1234.50", en: "RUB 1,234.50", ru: "1\u00a0234,50\u00a0₽"},
		{a: rub("-1234567.891"), str: "RUB -1234567.891", en: "-RUB 1,234,567.891", ru: "-1\u00a0234\u00a0567,891\u00a0₽"},
		{a: rub("0"), str: "RUB 0.00", en: "RUB 0.00", ru: "0,00\u00a0₽"},
		{a: rub("999"), str: "RUB 999.00", en: "RUB 999.00", ru: "999,00\u00a0₽"},
		{a: rub("100000"), str: "RUB 100000.00", en: "RUB 100,000.00", ru: "100\u00a0000,00\u00a0₽"},
		{a: MustParse("1500", JPY), str: "JPY 1500", en: "JPY 1,500", ru: "1\u00a0500\u00a0JPY"},
		{a: MustParse("0.99", USD), str: "USD 0.99", en: "USD 0.99", ru: "0,99\u00a0$"},
		{a: MustParse("12.5", EUR), str: "EUR 12.50", en: "EUR 12.50", ru: "12,50\u00a0€"},
		{a: MustParse("1.5", MustCurrency("KWD")), str: "KWD 1.500", en: "KWD 1.500", ru: "1,500\u00a0KWD"},
		{a: Amount{}, str: "0", en: "0", ru: "0"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.str, tc.a.String())
		assert.Equal(t, tc.en, tc.a.Format("en"))
		assert.Equal(t, tc.en, tc.a.Format("de"), "non-Russian tags fall back to English")
		assert.Equal(t, tc.ru, tc.a.Format("ru"))
		assert.Equal(t, tc.ru, tc.a.Format("ru-RU"))
	}
}

func TestRoundingModeText(t *testing.T) {
	for _, m := range []RoundingMode{HalfUp, HalfEven, Down, Up, Ceiling, Floor} {
		text, err := m.MarshalText()
		require.NoError(t, err)
		var back RoundingMode
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, m, back)
		assert.True(t, m.Valid())
	}
	var zero RoundingMode
	assert.Equal(t, HalfUp, zero, "the zero mode is half-up")
	_, err := ParseRoundingMode("HALF_UP")
	assert.ErrorIs(t, err, ErrInvalidRoundingMode)
	_, err = RoundingMode(42).MarshalText()
	assert.ErrorIs(t, err, ErrInvalidRoundingMode)
	assert.Equal(t, "rounding_mode(42)", RoundingMode(42).String())
	assert.False(t, RoundingMode(42).Valid())
	var rme *RoundingModeError
	require.True(t, errors.As(err, &rme))
	assert.NotEmpty(t, rme.Message("ru"))
}
