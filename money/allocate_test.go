package money

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = dec(s)
	}
	return out
}

func requireParts(t *testing.T, cur Currency, want []string, got []Amount) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		require.Truef(t, MustParse(want[i], cur).Equal(got[i]), "part %d: want %s, got %s", i, want[i], got[i])
	}
}

func TestAllocate(t *testing.T) {
	cases := []struct {
		name    string
		total   Amount
		weights []decimal.Decimal
		mode    RoundingMode
		want    []string
	}{
		{"even", rub("100"), decs("1", "1"), HalfUp, []string{"50", "50"}},
		{"thirds, tie by position", rub("100"), decs("1", "1", "1"), HalfUp, []string{"33.34", "33.33", "33.33"}},
		{"largest remainder wins over position", rub("1.00"), decs("1", "2", "3"), HalfUp, []string{"0.17", "0.33", "0.50"}},
		{"zero weight gets zero", rub("10"), decs("0", "1", "0", "2"), HalfUp, []string{"0", "3.33", "0", "6.67"}},
		{"negative total", rub("-100"), decs("1", "1", "1"), HalfUp, []string{"-33.34", "-33.33", "-33.33"}},
		{"negative one kopeck", rub("-0.01"), decs("1", "1"), HalfUp, []string{"-0.01", "0"}},
		{"total rounded first (half-up)", rub("10.005"), decs("1", "1"), HalfUp, []string{"5.01", "5.00"}},
		{"total rounded first (down)", rub("10.005"), decs("1", "1"), Down, []string{"5.00", "5.00"}},
		{"decimal weights", rub("99.99"), decs("0.5", "0.25", "0.25"), HalfUp, []string{"49.99", "25", "25"}},
		{"weights with different scales", rub("10"), decs("1", "0.5"), HalfUp, []string{"6.67", "3.33"}},
		{"zero total", rub("0"), decs("1", "2"), HalfUp, []string{"0", "0"}},
		{"yen has no minor unit", MustParse("100", JPY), decs("1", "1", "1"), HalfUp, []string{"34", "33", "33"}},
		{"huge total beyond int64", rub("123456789012345678901234.56"), decs("1", "1", "1"), HalfUp,
			[]string{"41152263004115226300411.52", "41152263004115226300411.52", "41152263004115226300411.52"}},
		{"huge weights beyond int64", rub("1"), decs("100000000000000000000", "200000000000000000000"), HalfUp,
			[]string{"0.33", "0.67"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			parts, err := tc.total.Allocate(tc.weights, tc.mode)
			require.NoError(t, err)
			requireParts(t, tc.total.Currency(), tc.want, parts)
			sum, err := Sum(parts...)
			require.NoError(t, err)
			requireAmount(t, tc.total.Round(tc.mode), sum)
		})
	}
}

func TestAllocateErrors(t *testing.T) {
	cases := []struct {
		name    string
		weights []decimal.Decimal
		reason  Reason
		index   int
	}{
		{"none", nil, ReasonNoWeights, -1},
		{"negative", decs("1", "-1"), ReasonNegativeWeight, 1},
		{"all zero", decs("0", "0.00"), ReasonZeroWeights, -1},
	}
	for _, tc := range cases {
		_, err := rub("10").Allocate(tc.weights, HalfUp)
		var ae *AllocationError
		require.ErrorAs(t, err, &ae, tc.name)
		assert.Equal(t, tc.reason, ae.Reason)
		assert.Equal(t, tc.index, ae.Index)
		assert.ErrorIs(t, err, ErrInvalidAllocation)
		assert.NotEmpty(t, ae.Message("ru"))
	}
	_, err := rub("10").Split(0, HalfUp)
	assert.ErrorIs(t, err, ErrInvalidAllocation)
	_, err = rub("10").Split(-3, HalfUp)
	assert.ErrorIs(t, err, ErrInvalidAllocation)
}

func TestAllocateAmounts(t *testing.T) {
	discount := rub("10")
	lines := []Amount{rub("300"), rub("100"), rub("0"), rub("600")}
	parts, err := discount.AllocateAmounts(lines, HalfUp)
	require.NoError(t, err)
	requireParts(t, RUB, []string{"3", "1", "0", "6"}, parts)
}

func TestSplit(t *testing.T) {
	cases := []struct {
		total Amount
		n     int
		want  []string
	}{
		{rub("100"), 3, []string{"33.34", "33.33", "33.33"}},
		{rub("0.05"), 3, []string{"0.02", "0.02", "0.01"}},
		{rub("-0.05"), 3, []string{"-0.02", "-0.02", "-0.01"}},
		{rub("0.01"), 4, []string{"0.01", "0", "0", "0"}},
		{rub("10"), 1, []string{"10"}},
		{MustParse("7", JPY), 2, []string{"4", "3"}},
	}
	for _, tc := range cases {
		parts, err := tc.total.Split(tc.n, HalfUp)
		require.NoError(t, err)
		requireParts(t, tc.total.Currency(), tc.want, parts)
	}
	zero, err := Amount{}.Split(2, HalfUp)
	require.NoError(t, err)
	assert.True(t, zero[0].IsZero() && zero[1].IsZero())
}

// genAmount draws an amount of currency cur with up to 4 extra decimal
// places, so that rounding is exercised too.
func genAmount(t *rapid.T, cur Currency, label string) Amount {
	units := rapid.Int64Range(-1e15, 1e15).Draw(t, label)
	extra := rapid.Int32Range(0, 4).Draw(t, label+"_extra")
	return fromDec(decimal.New(units, -cur.MinorUnits()-extra), cur)
}

func genCurrency(t *rapid.T) Currency {
	return rapid.SampledFrom([]Currency{RUB, JPY, MustCurrency("KWD"), MustCurrency("CLF")}).Draw(t, "currency")
}

func TestAllocateProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := genCurrency(t)
		total := genAmount(t, cur, "total")
		mode := RoundingMode(rapid.IntRange(0, 5).Draw(t, "mode"))
		raw := rapid.SliceOfN(rapid.Int64Range(0, 1e6), 1, 40).Draw(t, "weights")
		scale := rapid.Int32Range(0, 3).Draw(t, "weight_scale")
		weights := make([]decimal.Decimal, len(raw))
		var wsum decimal.Decimal
		for i, w := range raw {
			weights[i] = decimal.New(w, -scale)
			wsum = wsum.Add(weights[i])
		}
		parts, err := total.Allocate(weights, mode)
		if wsum.IsZero() {
			if err == nil {
				t.Fatal("all-zero weights must fail")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		rounded := total.Round(mode)
		sum, err := Sum(parts...)
		if err != nil {
			t.Fatal(err)
		}
		if !sum.Equal(rounded) {
			t.Fatalf("parts sum to %s, want %s", sum, rounded)
		}
		unit := decimal.New(1, -cur.MinorUnits())
		for i, p := range parts {
			exact := rounded.Decimal().Mul(weights[i]).DivRound(wsum, 40)
			if p.Decimal().Sub(exact).Abs().Cmp(unit) >= 0 {
				t.Fatalf("part %d = %s is a minor unit or more from its share %s", i, p.Decimal(), exact)
			}
			if weights[i].IsZero() && !p.IsZero() {
				t.Fatalf("zero weight %d got %s", i, p)
			}
			if p.Sign()*rounded.Sign() < 0 {
				t.Fatalf("part %d has the wrong sign", i)
			}
			if p.Currency() != cur {
				t.Fatalf("part %d has currency %v", i, p.Currency())
			}
		}
	})
}

func TestSplitProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := genCurrency(t)
		total := genAmount(t, cur, "total")
		n := rapid.IntRange(1, 200).Draw(t, "n")
		parts, err := total.Split(n, HalfEven)
		if err != nil {
			t.Fatal(err)
		}
		sum, _ := Sum(parts...)
		if !sum.Equal(total.Round(HalfEven)) {
			t.Fatalf("sum %s != %s", sum, total.Round(HalfEven))
		}
		unit := decimal.New(1, -cur.MinorUnits())
		for i := 1; i < len(parts); i++ {
			// Earlier parts are never smaller in magnitude, and at most one unit apart.
			diff := parts[0].Decimal().Abs().Sub(parts[i].Decimal().Abs())
			if diff.Sign() < 0 || diff.Cmp(unit) > 0 {
				t.Fatalf("parts 0 and %d differ by %s", i, diff)
			}
		}
	})
}

func TestRoundProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := genCurrency(t)
		x := genAmount(t, cur, "x")
		mode := RoundingMode(rapid.IntRange(0, 5).Draw(t, "mode"))
		r := x.Round(mode)
		unit := decimal.New(1, -cur.MinorUnits())
		half := unit.Div(decimal.NewFromInt(2))
		dist := r.Decimal().Sub(x.Decimal()).Abs()

		if !r.Round(mode).Equal(r) {
			t.Fatal("rounding is not idempotent")
		}
		if _, ok := r.Minor(); !ok {
			t.Fatalf("%s is not a whole number of minor units", r)
		}
		if dist.Cmp(unit) >= 0 {
			t.Fatalf("%s moved a full unit to %s", x, r)
		}
		switch mode {
		case HalfUp, HalfEven:
			if dist.Cmp(half) > 0 {
				t.Fatalf("%s rounded to %s: more than half a unit", x, r)
			}
		case Down:
			if r.Decimal().Abs().Cmp(x.Decimal().Abs()) > 0 {
				t.Fatal("down grew the magnitude")
			}
		case Up:
			if r.Decimal().Abs().Cmp(x.Decimal().Abs()) < 0 {
				t.Fatal("up shrank the magnitude")
			}
		case Ceiling:
			if r.Decimal().Cmp(x.Decimal()) < 0 {
				t.Fatal("ceiling went down")
			}
		case Floor:
			if r.Decimal().Cmp(x.Decimal()) > 0 {
				t.Fatal("floor went up")
			}
		}
		// Symmetric modes commute with negation; ceiling and floor mirror each other.
		switch mode {
		case HalfUp, HalfEven, Down, Up:
			if !x.Neg().Round(mode).Equal(r.Neg()) {
				t.Fatal("not symmetric around zero")
			}
		case Ceiling:
			if !x.Neg().Round(Floor).Equal(r.Neg()) {
				t.Fatal("ceiling(x) != -floor(-x)")
			}
		}
	})
}

func TestParseRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := genCurrency(t)
		a := genAmount(t, cur, "a")
		back, err := Parse(a.plain(), cur)
		if err != nil {
			t.Fatal(err)
		}
		if !back.Equal(a) || back.String() != a.String() {
			t.Fatalf("round trip %s -> %s", a, back)
		}
	})
}

func TestAllocateExtremeExponents(t *testing.T) {
	weights := []decimal.Decimal{decimal.New(1, 2_000_000_000), decimal.New(1, -2_000_000_000)}
	_, err := rub("10").Allocate(weights, HalfUp)
	var ae *AllocationError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, ReasonWeightRange, ae.Reason)
	assert.NotEmpty(t, ae.Message("ru"))
	// Within range, a mix of scales still works.
	parts, err := rub("10").Allocate([]decimal.Decimal{decimal.New(1, 30), decimal.New(1, -30)}, HalfUp)
	require.NoError(t, err)
	requireParts(t, RUB, []string{"10", "0"}, parts)

	huge, err := FromDecimal(decimal.New(1, 2_000_000_000), RUB)
	require.NoError(t, err)
	_, ok := huge.Minor()
	assert.False(t, ok)
}

// A zero weight gets zero whatever its exponent: the span check ignores
// zeros, so their exponent must not reach the arithmetic either (a zero at
// exponent -10^8 used to make Allocate build 10^(10^8), for minutes).
func TestAllocateZeroWeightWithExtremeExponent(t *testing.T) {
	for _, zero := range []decimal.Decimal{decimal.New(0, -100_000_000), decimal.New(0, 100_000_000)} {
		parts, err := rub("100").Allocate([]decimal.Decimal{decimal.NewFromInt(1), zero, decimal.NewFromInt(3)}, HalfUp)
		require.NoError(t, err)
		requireParts(t, RUB, []string{"25", "0", "75"}, parts)

		big, err := FromDecimal(decimal.New(4, 30), RUB) // beyond 64 bits: the big.Int path
		require.NoError(t, err)
		parts, err = big.Allocate([]decimal.Decimal{zero, decimal.NewFromInt(1), decimal.NewFromInt(3)}, HalfUp)
		require.NoError(t, err)
		require.Len(t, parts, 3)
		assert.True(t, parts[0].IsZero())
		assert.True(t, parts[1].Equal(mustFrom(t, decimal.New(1, 30))), "got %s", parts[1])
		assert.True(t, parts[2].Equal(mustFrom(t, decimal.New(3, 30))), "got %s", parts[2])
	}
}

func mustFrom(t *testing.T, d decimal.Decimal) Amount {
	t.Helper()
	a, err := FromDecimal(d, RUB)
	require.NoError(t, err)
	return a
}
