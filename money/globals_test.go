package money

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// observe runs a fixed set of money operations and records every result
// as text.
func observe(t *testing.T) []string {
	t.Helper()
	var out []string
	record := func(s string) { out = append(out, s) }
	a := MustParse("1234.5000", RUB)
	b := MustParse("0.333", RUB)
	sum, err := a.Add(b)
	require.NoError(t, err)
	record(sum.String())
	record(a.Format("ru"))
	record(a.Format("en"))
	record(MustParse("1500", JPY).String())
	record(a.Mul(decimal.New(7, -2)).Round(HalfEven).String())
	parts, err := MustParse("100", RUB).Allocate([]decimal.Decimal{decimal.NewFromInt(1), decimal.NewFromInt(1), decimal.NewFromInt(1)}, HalfUp)
	require.NoError(t, err)
	for _, p := range parts {
		record(p.String())
	}
	js, err := json.Marshal(a)
	require.NoError(t, err)
	record(string(js))
	var back Amount
	require.NoError(t, json.Unmarshal([]byte(`{"amount":"12.5","currency":"USD"}`), &back))
	record(back.String())
	big, err := Parse("123456789012345678901234567890.5", RUB)
	require.NoError(t, err)
	record(big.String())
	record(MustParse("1200", RUB).RoundTo(-2, HalfUp).String())
	units, ok := MustParse("10.01", RUB).Minor()
	record(decimal.NewFromInt(units).StringFixed(0))
	record(map[bool]string{true: "ok", false: "not ok"}[ok])
	return out
}

// TestIndependentOfDecimalGlobals shows that money's results do not
// depend on shopspring/decimal's package variables: a host may set them
// for its own code without changing crmkit. The library never assigns
// them itself. The test does not run in parallel with others in the
// package (none of them call t.Parallel).
func TestIndependentOfDecimalGlobals(t *testing.T) {
	want := observe(t)

	saved := struct {
		div, pow, exp, maxExp int
		noQuotes, trim, sci   bool
	}{
		int(decimal.DivisionPrecision), int(decimal.PowPrecisionNegativeExponent), decimal.ExpMaxIterations,
		decimal.MaxDecodeExponent, decimal.MarshalJSONWithoutQuotes, decimal.TrimTrailingZeros, decimal.UseScientificNotation,
	}
	t.Cleanup(func() {
		decimal.DivisionPrecision = saved.div
		decimal.PowPrecisionNegativeExponent = saved.pow
		decimal.ExpMaxIterations = saved.exp
		decimal.MaxDecodeExponent = saved.maxExp
		decimal.MarshalJSONWithoutQuotes = saved.noQuotes
		decimal.TrimTrailingZeros = saved.trim
		decimal.UseScientificNotation = saved.sci
	})
	decimal.DivisionPrecision = 1
	decimal.PowPrecisionNegativeExponent = 1
	decimal.ExpMaxIterations = 1
	decimal.MaxDecodeExponent = 1
	decimal.MarshalJSONWithoutQuotes = true
	decimal.TrimTrailingZeros = false
	decimal.UseScientificNotation = true

	got := observe(t)
	assert.Equal(t, want, got)
}
