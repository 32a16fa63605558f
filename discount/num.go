package discount

import (
	"math/big"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/money"
)

// maxNumberLen bounds the length of a decimal string in JSON (quantities,
// factors, percents), so that hostile input cannot make the engine build
// enormous numbers.
const maxNumberLen = 40

// maxFrozenNumberLen bounds a quantity in a frozen record: what
// formatNumber writes for any number saneDecimal accepts (40 digits,
// up to 30 zeros or places, a sign and a point).
const maxFrozenNumberLen = maxDigits + maxExponent + 2

var (
	hundred = decimal.NewFromInt(100)
	one     = decimal.NewFromInt(1)
)

// parseNumber reads a decimal string strictly: an optional minus sign, at
// least one digit, optionally a point and at least one digit. No
// exponents, no spaces, no plus sign, at most 40 characters. It never
// depends on shopspring/decimal's package settings.
func parseNumber(s string) (decimal.Decimal, Reason) { return parseNumberN(s, maxNumberLen) }

// parseNumberN is parseNumber with at most maxLen characters.
func parseNumberN(s string, maxLen int) (decimal.Decimal, Reason) {
	if s == "" {
		return decimal.Decimal{}, ReasonRequired
	}
	if len(s) > maxLen {
		return decimal.Decimal{}, ReasonTooLong
	}
	body, neg := s, false
	if body[0] == '-' {
		body, neg = body[1:], true
	}
	intPart, frac, hasPoint := strings.Cut(body, ".")
	if intPart == "" || (hasPoint && frac == "") || !allDigits(intPart) || !allDigits(frac) {
		return decimal.Decimal{}, ReasonBadFormat
	}
	coef, ok := new(big.Int).SetString(intPart+frac, 10)
	if !ok {
		return decimal.Decimal{}, ReasonBadFormat
	}
	if neg {
		coef.Neg(coef)
	}
	return decimal.NewFromBigInt(coef, -int32(len(frac))), ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatNumber prints d exactly, without trailing zeros after the point
// and never in exponent form ("12.5", "3", "0.125"), independent of
// shopspring/decimal's package settings.
func formatNumber(d decimal.Decimal) string {
	places := int32(0)
	if exp := d.Exponent(); exp < 0 {
		places = -exp
	}
	s := d.StringFixed(places) // exact: places covers every digit of d
	if places > 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// numberText is formatNumber for people: a decimal comma in Russian.
func numberText(d decimal.Decimal, tag string) string {
	s := formatNumber(d)
	if lang.IsRussian(tag) {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// mulDiv returns a × num / den rounded to the currency's minor unit with
// mode, exactly: the quotient is taken one place beyond the minor unit
// and a non-zero remainder is kept as a sticky digit further down, so
// that money's rounding sees whether the true value lies above a tie.
// den must not be zero.
func mulDiv(a money.Amount, num, den decimal.Decimal, mode money.RoundingMode) money.Amount {
	cur := a.Currency()
	x := a.Decimal().Mul(num)
	minor := cur.MinorUnits()
	q, r := x.QuoRem(den, minor+1)
	if !r.IsZero() {
		sticky := decimal.New(1, -(minor + 2))
		if x.Sign()*den.Sign() < 0 {
			sticky = sticky.Neg()
		}
		q = q.Add(sticky)
	}
	out, _ := money.FromDecimal(q, cur) // cur is never zero here: callers pass priced amounts
	return out.Round(mode)
}

// cmpAmounts compares two amounts known to share a currency (or to be
// zero), ignoring the impossible mismatch.
func cmpAmounts(a, b money.Amount) int {
	return a.Decimal().Cmp(b.Decimal())
}

// sub returns a − b for amounts known to share a currency.
func sub(a, b money.Amount) money.Amount {
	out, _ := a.Sub(b)
	return out
}

// add returns a + b for amounts known to share a currency.
func add(a, b money.Amount) money.Amount {
	out, _ := a.Add(b)
	return out
}
