package credit

import (
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/money"
)

var (
	posInf = math.Inf(1)
	negInf = math.Inf(-1)
)

var testAt = time.Date(2026, time.June, 30, 12, 0, 0, 0, time.UTC)

func rub(s string) money.Amount { return money.MustParse(s, money.RUB) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// requireDec asserts that got equals want as a decimal.
func requireDec(t *testing.T, want string, got decimal.Decimal, msgs ...any) {
	t.Helper()
	require.Truef(t, dec(want).Equal(got), "want %s, got %s %v", want, got.String(), msgs)
}

// smallCard is the card of the package documentation.
func smallCard() Scorecard {
	return Scorecard{
		Name:       "doc",
		BasePoints: 500,
		Characteristics: []Characteristic{
			{Name: "utilisation", Kind: Numeric, MissingPoints: 10,
				Bins:   []Bin{Below(0.3, 40), Between(0.3, 0.7, 20), AtLeast(0.7, 0)},
				Reason: Reason{Code: "high_utilisation", EN: "High utilisation of the credit line", RU: "Высокая загрузка кредитной линии"}},
			{Name: "years", Kind: Numeric, Bins: []Bin{Below(2, 0), AtLeast(2, 30)}},
			{Name: "industry", Kind: Categorical, MissingPoints: -5,
				Bins: []Bin{OneOf(15, "retail", "wholesale"), OneOf(5, "construction"), OtherValues(0)}},
		},
		Grades: []GradeBand{
			{Grade: "A", Low: 560, High: posInf},
			{Grade: "B", Low: 530, High: 560},
			{Grade: "C", Low: negInf, High: 530},
		},
	}
}

func mustScorer(t testing.TB, c Scorecard) *Scorer {
	t.Helper()
	s, err := NewScorer(c)
	require.NoError(t, err)
	return s
}
