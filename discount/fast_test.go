package discount

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/money"
)

// The integer path of calc must round exactly as money does, in every
// mode: compare it with money's decimal path (mulDiv) on random operands.
func TestCalcMatchesMoneyRounding(t *testing.T) {
	currencies := []money.Currency{money.RUB, money.JPY, money.MustCurrency("KWD"), money.MustCurrency("CLF")}
	fastPath, runs := 0, 0
	defer func() {
		if runs > 0 && fastPath*2 < runs {
			t.Errorf("only %d of %d cases took the integer path", fastPath, runs)
		}
	}()
	rapid.Check(t, func(t *rapid.T) {
		runs++
		cur := rapid.SampledFrom(currencies).Draw(t, "currency")
		mode := money.RoundingMode(rapid.IntRange(0, 5).Draw(t, "mode"))
		p := &pricing{cur: cur, minor: cur.MinorUnits()}
		draw := func(label string, maxCoef int64) factor {
			d := decimal.New(rapid.Int64Range(0, maxCoef).Draw(t, label), -rapid.Int32Range(0, 6).Draw(t, label+"_exp"))
			return fac(d)
		}
		num := []factor{draw("a", 1e9), draw("b", 1e4)}
		if rapid.Bool().Draw(t, "minor") {
			num[0] = p.minorFac(rapid.Int64Range(0, 1e12).Draw(t, "m"))
		}
		den := []factor{draw("c", 1e6)}
		if den[0].d.IsZero() {
			den[0] = fac(decimal.NewFromInt(rapid.Int64Range(1, 1000).Draw(t, "c1")))
		}
		fast, ok := ratio(num, den, p.minor, mode)
		if !ok {
			return // too large for the integer path: calc takes the decimal path
		}
		fastPath++
		x := num[0].dec(p.minor).Mul(num[1].dec(p.minor))
		a, _ := money.FromDecimal(x, cur)
		slow := toMinor(mulDiv(a, one, den[0].dec(p.minor), mode))
		if fast != slow {
			t.Fatalf("%s × %s / %s in %s, %s: integer path %d, money %d",
				num[0].dec(p.minor), num[1].dec(p.minor), den[0].dec(p.minor), cur.Code(), mode, fast, slow)
		}
	})
}

func TestMulDivRoundsLikeMoney(t *testing.T) {
	// 1 / 3 of 0.05 RUB, and exact ties, in each mode.
	cases := []struct {
		amount, num, den string
		mode             money.RoundingMode
		want             string
	}{
		{"0.05", "1", "3", money.HalfUp, "0.02"},
		{"0.05", "1", "2", money.HalfUp, "0.03"},
		{"0.05", "1", "2", money.HalfEven, "0.02"},
		{"0.07", "1", "2", money.HalfEven, "0.04"},
		{"0.05", "1", "3", money.Up, "0.02"},
		{"0.05", "1", "3", money.Down, "0.01"},
		{"0.05", "1", "3", money.Ceiling, "0.02"},
		{"0.05", "1", "3", money.Floor, "0.01"},
		{"0.0500001", "1", "2", money.HalfEven, "0.03"}, // just above a tie
	}
	for _, c := range cases {
		got := mulDiv(money.MustParse(c.amount, money.RUB), decimal.RequireFromString(c.num), decimal.RequireFromString(c.den), c.mode)
		assert.Equal(t, money.MustParse(c.want, money.RUB).String(), got.String(), "%s × %s / %s %s", c.amount, c.num, c.den, c.mode)
	}
}

func TestQuoRound(t *testing.T) {
	for _, c := range []struct {
		n, d uint64
		mode money.RoundingMode
		want uint64
	}{
		{5, 2, money.HalfUp, 3}, {5, 2, money.HalfEven, 2}, {7, 2, money.HalfEven, 4}, {5, 2, money.Down, 2},
		{5, 2, money.Up, 3}, {5, 2, money.Ceiling, 3}, {5, 2, money.Floor, 2}, {4, 2, money.Up, 2},
		{1, 3, money.HalfUp, 0}, {2, 3, money.HalfUp, 1}, {2, 3, money.HalfEven, 1},
	} {
		assert.Equal(t, c.want, quoRound(c.n, c.d, c.mode), "%d/%d %s", c.n, c.d, c.mode)
	}
}

func TestNumbers(t *testing.T) {
	for _, s := range []string{"0", "12.5", "-3", "0.125", "100"} {
		d, r := parseNumber(s)
		assert.Empty(t, r, s)
		assert.Equal(t, s, formatNumber(d))
	}
	for s, want := range map[string]Reason{"": ReasonRequired, "1e3": ReasonBadFormat, "+1": ReasonBadFormat, ".5": ReasonBadFormat,
		"1.": ReasonBadFormat, "1,5": ReasonBadFormat, "12345678901234567890123456789012345678901": ReasonTooLong} {
		_, r := parseNumber(s)
		assert.Equal(t, want, r, s)
	}
	assert.Equal(t, "12,5", numberText(decimal.RequireFromString("12.50"), "ru"))
	assert.Equal(t, "0", formatNumber(decimal.RequireFromString("-0.00")))
}

// split must give exactly the parts money's Allocate gives for an amount
// of whole minor units: same largest remainders, same ties.
func TestSplitMatchesMoneyAllocate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := rapid.SampledFrom([]money.Currency{money.RUB, money.JPY, money.MustCurrency("KWD")}).Draw(t, "currency")
		mode := money.RoundingMode(rapid.IntRange(0, 5).Draw(t, "mode"))
		total := rapid.Int64Range(0, maxLineMinor).Draw(t, "total")
		if rapid.Bool().Draw(t, "small") {
			total = rapid.Int64Range(0, 50).Draw(t, "small_total")
		}
		maxW := rapid.SampledFrom([]int64{3, 1000, maxLineMinor}).Draw(t, "max_weight")
		weights := rapid.SliceOfN(rapid.Int64Range(0, maxW), 1, 40).Draw(t, "weights")
		var sum int64
		for _, w := range weights {
			sum += w
		}
		if sum == 0 {
			weights[0] = 1
		}
		parts := make([]int64, len(weights))
		var b allocBuf
		b.split(total, weights, parts)

		ws := make([]decimal.Decimal, len(weights))
		for i, w := range weights {
			ws[i] = decimal.NewFromInt(w)
		}
		amount, _ := money.FromMinor(total, cur)
		want, err := amount.Allocate(ws, mode)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if v, ok := want[i].Minor(); !ok || v != parts[i] {
				t.Fatalf("part %d of %d over %v: integer path %d, money %s", i, total, weights, parts[i], want[i])
			}
		}
	})
}

// The integer comparison and difference of quantities must agree with
// decimal's, down to the representation of the difference (which a hint
// reports).
func TestFdecMatchesDecimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		draw := func(label string) decimal.Decimal {
			return decimal.New(rapid.Int64Range(0, 1e15).Draw(t, label), rapid.Int32Range(-20, 5).Draw(t, label+"_exp"))
		}
		a, b := draw("a"), draw("b")
		if rapid.Bool().Draw(t, "equal") {
			b = a.Shift(0)
		}
		if c, ok := cmpFdec(toFdec(a), toFdec(b)); ok && c != a.Cmp(b) {
			t.Fatalf("cmp %s %s: integer %d, decimal %d", a, b, c, a.Cmp(b))
		}
		got, ok := subFdec(toFdec(a), toFdec(b))
		if !ok {
			return
		}
		want := a.Sub(b)
		if got.Cmp(want) != 0 || got.Exponent() != want.Exponent() || got.String() != want.String() {
			t.Fatalf("%s − %s: integer %s (exp %d), decimal %s (exp %d)", a, b, got, got.Exponent(), want, want.Exponent())
		}
	})
}
