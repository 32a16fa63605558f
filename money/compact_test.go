package money

import (
	"encoding/json"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The tests in this file check the compact form of Amount against a
// reference that does the same operation on shopspring/decimal alone, as
// the package did before the compact form existed.

// genCoef draws a coefficient: small, near the int64 limits, or beyond
// them (so that the decimal form is exercised too).
func genCoef(t *rapid.T, label string) *big.Int {
	switch rapid.IntRange(0, 5).Draw(t, label+"_kind") {
	case 0:
		return big.NewInt(rapid.Int64Range(-1000, 1000).Draw(t, label))
	case 1:
		return big.NewInt(rapid.Int64Range(-1e15, 1e15).Draw(t, label))
	case 2:
		return big.NewInt(rapid.Int64().Draw(t, label))
	case 3: // within a few thousand of ±2^63 and ±10^18, on either side
		base := rapid.SampledFrom([]string{"9223372036854775807", "-9223372036854775808", "1000000000000000000", "-1000000000000000000", "9999999999999999999", "-9999999999999999999"}).Draw(t, label+"_base")
		b, _ := new(big.Int).SetString(base, 10)
		return b.Add(b, big.NewInt(rapid.Int64Range(-3000, 3000).Draw(t, label)))
	case 4: // 19 to 30 digits
		digits := rapid.StringMatching(`[1-9][0-9]{18,29}`).Draw(t, label)
		b, _ := new(big.Int).SetString(digits, 10)
		if rapid.Bool().Draw(t, label+"_neg") {
			b.Neg(b)
		}
		return b
	default: // powers of ten and their neighbours
		b := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(rapid.IntRange(0, 20).Draw(t, label+"_pow"))), nil)
		b.Add(b, big.NewInt(rapid.Int64Range(-1, 1).Draw(t, label)))
		if rapid.Bool().Draw(t, label+"_neg") {
			b.Neg(b)
		}
		return b
	}
}

func genDecimal(t *rapid.T, label string) decimal.Decimal {
	exp := rapid.Int32Range(-12, 4).Draw(t, label+"_exp")
	return decimal.NewFromBigInt(genCoef(t, label), exp)
}

func genAnyCurrency(t *rapid.T) Currency {
	return rapid.SampledFrom(Currencies()).Draw(t, "currency")
}

// requireSame asserts that got holds exactly ref (value and exponent) in
// currency c, in the canonical form, and prints as ref did before.
func requireSame(t *rapid.T, got Amount, ref decimal.Decimal, c Currency, what string) {
	t.Helper()
	d := got.Decimal()
	if d.Cmp(ref) != 0 || d.Exponent() != ref.Exponent() {
		t.Fatalf("%s: got %s (exp %d), want %s (exp %d)", what, d.String(), d.Exponent(), ref.String(), ref.Exponent())
	}
	if got.c != c {
		t.Fatalf("%s: currency %v, want %v", what, got.c, c)
	}
	_, fits := decInt64(ref)
	if fits != (got.big == nil) {
		t.Fatalf("%s: %s is not in its canonical form (compact %v)", what, ref.String(), got.big == nil)
	}
	if !c.IsZero() {
		if want := c.Code() + " " + fixed(ref, c.MinorUnits()); got.String() != want {
			t.Fatalf("%s: String %q, want %q", what, got.String(), want)
		}
	}
}

// refMinor is Minor as it was done on decimal alone.
func refMinor(d decimal.Decimal, minor int32) (int64, bool) {
	if d.IsZero() {
		return 0, true
	}
	if d.Exponent() > 18 {
		return 0, false
	}
	scaled := d.Shift(minor)
	if !scaled.IsInteger() {
		return 0, false
	}
	bi := scaled.BigInt()
	if !bi.IsInt64() {
		return 0, false
	}
	return bi.Int64(), true
}

func TestCompactUnaryProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genAnyCurrency(t)
		ref := genDecimal(t, "a")
		a := fromDec(ref, c)
		requireSame(t, a, ref, c, "fromDec")
		b, err := FromDecimal(ref, c)
		require.NoError(t, err)
		requireSame(t, b, ref, c, "FromDecimal")

		requireSame(t, a.Neg(), ref.Neg(), c, "Neg")
		requireSame(t, a.Abs(), ref.Abs(), c, "Abs")
		assert.Equal(t, ref.Sign(), a.Sign(), "Sign")
		assert.Equal(t, ref.IsZero(), a.IsZero(), "IsZero")
		assert.Equal(t, ref.Sign() < 0, a.IsNegative(), "IsNegative")
		assert.Equal(t, ref.Sign() > 0, a.IsPositive(), "IsPositive")

		units, ok := a.Minor()
		wantUnits, wantOK := refMinor(ref, c.MinorUnits())
		if units != wantUnits || ok != wantOK {
			t.Fatalf("Minor of %s %s: %d %v, want %d %v", ref.String(), c, units, ok, wantUnits, wantOK)
		}

		places := rapid.Int32Range(-4, 14).Draw(t, "places")
		for m := RoundingMode(0); m <= 6; m++ { // 6 is undefined: half-up
			requireSame(t, a.RoundTo(places, m), roundDecimal(ref, places, m), c, "RoundTo "+m.String())
			requireSame(t, a.Round(m), roundDecimal(ref, c.MinorUnits(), m), c, "Round "+m.String())
		}

		n := rapid.SampledFrom([]int64{0, 1, -1, 2, 3, 10, 1000, -7, math.MaxInt64, math.MinInt64}).Draw(t, "n")
		if rapid.Bool().Draw(t, "random_n") {
			n = rapid.Int64().Draw(t, "n2")
		}
		requireSame(t, a.MulInt(n), ref.Mul(decimal.NewFromInt(n)), c, "MulInt")
		f := genDecimal(t, "factor")
		requireSame(t, a.Mul(f), ref.Mul(f), c, "Mul")

		js, err := json.Marshal(a)
		require.NoError(t, err)
		assert.Equal(t, `{"amount":"`+fixed(ref, c.MinorUnits())+`","currency":"`+c.Code()+`"}`, string(js))
		var back Amount
		require.NoError(t, json.Unmarshal(js, &back))
		assert.True(t, back.Equal(a))
		assert.Equal(t, a.String(), back.String())
	})
}

func TestCompactBinaryProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genAnyCurrency(t)
		ra, rb := genDecimal(t, "a"), genDecimal(t, "b")
		if rapid.IntRange(0, 4).Draw(t, "same_exp") == 0 {
			rb = decimal.NewFromBigInt(rb.Coefficient(), ra.Exponent())
		}
		a, b := fromDec(ra, c), fromDec(rb, c)
		if rapid.IntRange(0, 9).Draw(t, "zero_left") == 0 {
			a, ra = Amount{}, decimal.Decimal{}
		}

		sum, err := a.Add(b)
		require.NoError(t, err)
		requireSame(t, sum, ra.Add(rb), c, "Add")
		diff, err := a.Sub(b)
		require.NoError(t, err)
		requireSame(t, diff, ra.Sub(rb), c, "Sub")
		back, err := b.Sub(a)
		require.NoError(t, err)
		requireSame(t, back, rb.Sub(ra), c, "Sub reversed")

		got, err := a.Cmp(b)
		require.NoError(t, err)
		assert.Equal(t, ra.Cmp(rb), got, "Cmp")
		assert.Equal(t, ra.Cmp(rb) == 0, a.Equal(b), "Equal")
		assert.Equal(t, rb.Cmp(ra) == 0, b.Equal(a), "Equal reversed")
	})
}

// refAllocate is Allocate done on decimal and math/big alone.
func refAllocate(d decimal.Decimal, c Currency, weights []decimal.Decimal, mode RoundingMode) []decimal.Decimal {
	minExp := int64(0)
	for _, w := range weights {
		if w.Sign() != 0 {
			minExp = min(minExp, int64(w.Exponent()))
		}
	}
	rounded := roundDecimal(d, c.MinorUnits(), mode)
	total := rounded.Shift(c.MinorUnits()).BigInt()
	negative := total.Sign() < 0
	total.Abs(total)
	units := allocateBig(total, weights, int32(-minExp))
	out := make([]decimal.Decimal, len(units))
	for i := range units {
		if negative {
			units[i].Neg(&units[i])
		}
		out[i] = decimal.NewFromBigInt(&units[i], -c.MinorUnits())
	}
	return out
}

func TestCompactAllocateProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genAnyCurrency(t)
		ref := genDecimal(t, "a")
		a := fromDec(ref, c)
		mode := RoundingMode(rapid.IntRange(0, 5).Draw(t, "mode"))
		n := rapid.IntRange(1, 8).Draw(t, "n")
		weights := make([]decimal.Decimal, n)
		for i := range weights {
			weights[i] = decimal.New(rapid.Int64Range(0, 1e6).Draw(t, "w"), rapid.Int32Range(-3, 2).Draw(t, "wexp"))
		}
		if rapid.Bool().Draw(t, "huge_weight") {
			weights[n-1] = decimal.NewFromBigInt(new(big.Int).Abs(genCoef(t, "hw")), 0)
		}
		weights[0] = weights[0].Add(decimal.New(1, -3)) // never all zero
		parts, err := a.Allocate(weights, mode)
		require.NoError(t, err)
		want := refAllocate(ref, c, weights, mode)
		require.Len(t, parts, len(want))
		for i := range parts {
			requireSame(t, parts[i], want[i], c, "Allocate part")
		}

		ws := make([]decimal.Decimal, n)
		for i := range ws {
			ws[i] = decimal.NewFromInt(1)
		}
		split, err := a.Split(n, mode)
		require.NoError(t, err)
		want = refAllocate(ref, c, ws, mode)
		for i := range split {
			requireSame(t, split[i], want[i], c, "Split part")
		}

		amounts := make([]Amount, n)
		for i := range amounts {
			amounts[i] = fromDec(weights[i], c)
		}
		byAmounts, err := a.AllocateAmounts(amounts, mode)
		require.NoError(t, err)
		want = refAllocate(ref, c, weights, mode)
		for i := range byAmounts {
			requireSame(t, byAmounts[i], want[i], c, "AllocateAmounts part")
		}
	})
}

// refParse is the strict grammar's value computed with decimal alone.
func refParse(s string) decimal.Decimal {
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimLeft(s, "+-")
	intPart, frac, _ := strings.Cut(body, ".")
	coef, _ := new(big.Int).SetString(intPart+frac, 10)
	if neg {
		coef.Neg(coef)
	}
	return decimal.NewFromBigInt(coef, -int32(len(frac)))
}

func TestCompactParseProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genAnyCurrency(t)
		s := rapid.StringMatching(`[+-]?0{0,3}[0-9]{1,24}(\.[0-9]{1,24})?`).Draw(t, "s")
		a, err := Parse(s, c)
		require.NoError(t, err)
		requireSame(t, a, refParse(s), c, "Parse "+s)
		again, err := Parse(a.plain(), c)
		require.NoError(t, err)
		assert.Equal(t, a.String(), again.String())
		assert.True(t, again.Equal(a))
	})
}

func TestCompactEdgeCases(t *testing.T) {
	minInt, _ := FromMinor(math.MinInt64, RUB)
	maxInt, _ := FromMinor(math.MaxInt64, RUB)
	one, _ := FromMinor(1, RUB)
	tests := []struct {
		name string
		got  func() (Amount, error)
		want string
	}{
		{"MinInt64 negated leaves the compact form", func() (Amount, error) { return minInt.Neg(), nil }, "RUB 92233720368547758.08"},
		{"MinInt64 abs", func() (Amount, error) { return minInt.Abs(), nil }, "RUB 92233720368547758.08"},
		{"MaxInt64 + 0.01 overflows into decimal", func() (Amount, error) { return maxInt.Add(one) }, "RUB 92233720368547758.08"},
		{"MinInt64 − 0.01", func() (Amount, error) { return minInt.Sub(one) }, "RUB -92233720368547758.09"},
		{"MaxInt64 × 2", func() (Amount, error) { return maxInt.MulInt(2), nil }, "RUB 184467440737095516.14"},
		{"back into the compact form", func() (Amount, error) { s, _ := maxInt.Add(one); return s.Sub(one) }, "RUB 92233720368547758.07"},
		{"rescaling overflows", func() (Amount, error) { return maxInt.Add(MustParse("0.001", RUB)) }, "RUB 92233720368547758.071"},
		{"MinInt64 rounded", func() (Amount, error) { return minInt.RoundTo(0, HalfUp), nil }, "RUB -92233720368547758.00"},
		{"MinInt64 rounded up", func() (Amount, error) { return minInt.RoundTo(0, Up), nil }, "RUB -92233720368547759.00"},
		{"trailing zeros kept to the minor unit", func() (Amount, error) { return MustParse("1234.5000", RUB), nil }, "RUB 1234.50"},
		{"positive exponent", func() (Amount, error) { return FromDecimal(decimal.New(12, 3), JPY) }, "JPY 12000"},
		{"zero with places", func() (Amount, error) { return MustParse("-0.000", RUB), nil }, "RUB 0.00"},
		{"tiny", func() (Amount, error) { return MustParse("-0.000000000000000000000001", RUB), nil }, "RUB -0.000000000000000000000001"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.got()
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.String())
			_, fits := decInt64(got.Decimal())
			assert.Equal(t, fits, got.big == nil, "canonical form")
		})
	}
}

// TestCompactAllocationFree pins the point of the compact form: ordinary
// amounts cost no heap allocation.
func TestCompactAllocationFree(t *testing.T) {
	x, y := MustParse("1234.56", RUB), MustParse("7.89", RUB)
	tests := []struct {
		name string
		op   func()
	}{
		{"Add", func() { sinkAmount, _ = x.Add(y) }},
		{"Sub", func() { sinkAmount, _ = x.Sub(y) }},
		{"Parse", func() { sinkAmount, _ = Parse("1234567.89", RUB) }},
		{"FromMinor", func() { sinkAmount, _ = FromMinor(12345, RUB) }},
		{"FromDecimal", func() { sinkAmount, _ = FromDecimal(decimal.Decimal{}, RUB) }},
		{"Round", func() { sinkAmount = x.Mul(decimal.Decimal{}).RoundTo(1, HalfEven) }},
		{"MulInt", func() { sinkAmount = x.MulInt(3) }},
		{"Neg", func() { sinkAmount = x.Neg() }},
		{"Cmp", func() { _, _ = x.Cmp(y) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Zero(t, testing.AllocsPerRun(100, tc.op))
		})
	}
}
