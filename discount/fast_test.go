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
