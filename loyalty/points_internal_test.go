package loyalty

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"
)

func TestParseAndFormatDecimals(t *testing.T) {
	good := map[string]string{
		"0": "0", "-0": "0", "007": "7", "1.50": "1.5", "-2.000": "-2", "0.000001": "0.000001",
		"123456789012345": "123456789012345", "1.123456789012": "1.123456789012",
	}
	for in, want := range good {
		d, ok := parseDec(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, fmtDec(d), in)
	}
	for _, in := range []string{"", "-", ".5", "5.", "+1", "1e3", " 1", "1 ", "1,5", "0x10", "1234567890123456", "1.1234567890123", "--1", "1.2.3"} {
		_, ok := parseDec(in)
		assert.False(t, ok, in)
	}
}

func TestTallyMatchesDecimalArithmetic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 50).Draw(t, "n")
		var fast tally
		var slow decimal.Decimal
		for i := range n {
			coef := rapid.Int64Range(-math.MaxInt64/4, math.MaxInt64/4).Draw(t, "coef")
			exp := rapid.Int32Range(-9, 6).Draw(t, "exp")
			x := decimal.New(coef, exp)
			if i%2 == 0 {
				x = decimal.New(coef%100000, exp)
			}
			fast.add(x)
			slow = slow.Add(x)
		}
		if !fast.total().Equal(slow) {
			t.Fatalf("tally %s, decimal %s", fast.total(), slow)
		}
	})
}

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"12.500", "12.5"}, {"100", "100"}, {"0.000", "0"}, {"-3.10", "-3.1"},
		{"123456789012345678901234567890.500", "123456789012345678901234567890.5"},
	} {
		d := normalize(decimal.RequireFromString(c.in))
		assert.Equal(t, c.want, fmtDec(d))
		assert.True(t, d.Equal(decimal.RequireFromString(c.in)))
	}
	assert.Equal(t, int32(-1), normalize(decimal.RequireFromString("12.500")).Exponent())
}

func TestDivide(t *testing.T) {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	assert.Equal(t, "42", fmtDec(divide(d("300"), d("7"), 0, Truncate)))
	assert.Equal(t, "42.86", fmtDec(divide(d("300"), d("7"), 2, HalfUp)))
	assert.Equal(t, "1", fmtDec(divide(d("1.999999999"), d("1"), 0, Truncate)), "no rounding before truncating")
	assert.Equal(t, "-1", fmtDec(divide(d("-1.5"), d("1"), 0, Truncate)), "toward zero")
}

// fits and roundPoints agree with plain decimal arithmetic, the shortcuts
// for far-off exponents included, and stay fast at extreme exponents.
func TestFitsAndRoundAtAnyExponent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := decimal.New(rapid.Int64Range(-1e12, 1e12).Draw(t, "coef"), rapid.Int32Range(-40, 10).Draw(t, "exp"))
		places := rapid.Int32Range(0, 6).Draw(t, "places")
		if want := d.Truncate(places).Equal(d); fits(d, places) != want {
			t.Fatalf("fits(%s, %d) = %v", d, places, !want)
		}
		for _, r := range []PointRounding{Truncate, HalfUp} {
			want := d.Truncate(places)
			if r == HalfUp {
				want = d.Round(places)
			}
			if got := roundPoints(d, places, r); !got.Equal(want) {
				t.Fatalf("roundPoints(%s, %d, %s) = %s, want %s", d, places, r, got, want)
			}
		}
	})
	far := decimal.New(1, -30_000_000)
	assert.False(t, fits(far, 2))
	assert.True(t, fits(decimal.New(0, -30_000_000), 2))
	assert.True(t, roundPoints(far, 2, HalfUp).IsZero())
	assert.True(t, roundPoints(far.Neg(), 0, Truncate).IsZero())
}
