package money

import (
	"errors"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"
)

// Bounds on an amount string, so that hostile input cannot make the
// library build an enormous number: at most 40 digits before the point and
// 24 after — far beyond any real amount — and so at most 72 characters.
// Whatever Parse accepts, String prints in a form Parse accepts again.
const (
	maxIntDigits  = 40
	maxFracDigits = 24
	maxAmountLen  = 1 + maxIntDigits + 1 + maxFracDigits + 6 // sign, point, a few leading zeros
)

// Amount is an exact, immutable sum of money in one currency.
//
// The zero Amount is zero with no currency. It combines with an amount of
// any currency — Amount{}.Add(x) is x — so a sum can start from it. Every
// other Amount carries a currency, and an Amount without a currency is
// always zero.
//
// Amounts are never built from floats. Arithmetic is exact; nothing is
// rounded unless Round or RoundTo is called. Compare amounts with Equal or
// Cmp, never with ==, because 1.5 and 1.50 are equal amounts with different
// representations.
type Amount struct {
	d decimal.Decimal
	c Currency
}

// Zero returns a zero amount in currency c.
func Zero(c Currency) Amount { return Amount{c: c} }

// Parse reads a decimal string such as "1234.50", "-0.5" or "+7" as an
// amount in currency c. The grammar is strict: an optional sign, at least
// one digit, and optionally a point followed by at least one digit. No
// exponents, spaces, thousands separators or commas; at most 40 digits
// before the point (leading zeros aside) and 24 after. Decimal places
// beyond the currency's minor unit are kept exactly (a unit price may have
// more places than the currency).
func Parse(s string, c Currency) (Amount, error) {
	if c.IsZero() {
		return Amount{}, &AmountError{Field: "currency", Reason: ReasonNoCurrency, Err: ErrNoCurrency}
	}
	d, err := parseDecimal(s)
	if err != nil {
		return Amount{}, err
	}
	return Amount{d: d, c: c}, nil
}

// ParseCode is Parse with the currency given as an ISO 4217 code.
func ParseCode(amount, currency string) (Amount, error) {
	c, err := ParseCurrency(currency)
	if err != nil {
		reason := ReasonUnknownCurrency
		var ce *CurrencyError
		if errors.As(err, &ce) {
			reason = ce.Reason
		}
		return Amount{}, &AmountError{Field: "currency", Input: currency, Reason: reason, Err: err}
	}
	return Parse(amount, c)
}

// MustParse is Parse for literals in source code and tests: it panics on
// bad input. Never pass it user input.
func MustParse(s string, c Currency) Amount {
	a, err := Parse(s, c)
	if err != nil {
		panic(err)
	}
	return a
}

// FromMinor returns the amount of units minor units of c: FromMinor(12345,
// RUB) is 123.45 RUB, FromMinor(500, JPY) is 500 JPY. It fails only when c
// is the zero Currency.
func FromMinor(units int64, c Currency) (Amount, error) {
	if c.IsZero() {
		return Amount{}, &CurrencyError{Reason: ReasonNoCurrency}
	}
	return Amount{d: decimal.New(units, -c.MinorUnits()), c: c}, nil
}

// FromDecimal returns d as an amount in currency c, exactly. It fails
// only when c is the zero Currency.
func FromDecimal(d decimal.Decimal, c Currency) (Amount, error) {
	if c.IsZero() {
		return Amount{}, &CurrencyError{Reason: ReasonNoCurrency}
	}
	return Amount{d: d, c: c}, nil
}

// Currency returns the amount's currency (the zero Currency for the zero
// Amount).
func (a Amount) Currency() Currency { return a.c }

// Decimal returns the amount's exact value.
func (a Amount) Decimal() decimal.Decimal { return a.d }

// Minor returns the amount in minor units of its currency (12345 for
// 123.45 RUB). ok is false when the amount is not a whole number of minor
// units or does not fit in an int64; round it first.
func (a Amount) Minor() (units int64, ok bool) {
	if a.d.IsZero() {
		return 0, true
	}
	if a.d.Exponent() > 18 {
		return 0, false // at least 10^19: beyond int64 (and Shift could overflow)
	}
	scaled := a.d.Shift(a.c.MinorUnits())
	if !scaled.IsInteger() {
		return 0, false
	}
	bi := scaled.BigInt()
	if !bi.IsInt64() {
		return 0, false
	}
	return bi.Int64(), true
}

// IsZero reports whether the amount is zero, whatever its currency.
func (a Amount) IsZero() bool { return a.d.IsZero() }

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int { return a.d.Sign() }

// IsNegative reports whether the amount is below zero.
func (a Amount) IsNegative() bool { return a.d.Sign() < 0 }

// IsPositive reports whether the amount is above zero.
func (a Amount) IsPositive() bool { return a.d.Sign() > 0 }

// Neg returns -a.
func (a Amount) Neg() Amount { return Amount{d: a.d.Neg(), c: a.c} }

// Abs returns |a|.
func (a Amount) Abs() Amount { return Amount{d: a.d.Abs(), c: a.c} }

// Mul returns a × factor, exactly (no rounding): a price times a quantity,
// an amount times a rate. Round the result where a rule says so.
func (a Amount) Mul(factor decimal.Decimal) Amount { return Amount{d: a.d.Mul(factor), c: a.c} }

// MulInt returns a × n, exactly.
func (a Amount) MulInt(n int64) Amount { return a.Mul(decimal.NewFromInt(n)) }

// Add returns a + b. Amounts in different currencies fail with a
// *MismatchError; the zero Amount takes the other's currency.
func (a Amount) Add(b Amount) (Amount, error) {
	c, err := common("add", a, b)
	if err != nil {
		return Amount{}, err
	}
	return Amount{d: a.d.Add(b.d), c: c}, nil
}

// Sub returns a − b, with the currency rules of Add.
func (a Amount) Sub(b Amount) (Amount, error) {
	c, err := common("subtract", a, b)
	if err != nil {
		return Amount{}, err
	}
	return Amount{d: a.d.Sub(b.d), c: c}, nil
}

// Cmp compares a and b: -1 if a < b, 0 if equal, +1 if a > b. Amounts in
// different currencies cannot be compared and fail with a *MismatchError.
func (a Amount) Cmp(b Amount) (int, error) {
	if _, err := common("compare", a, b); err != nil {
		return 0, err
	}
	return a.d.Cmp(b.d), nil
}

// Equal reports whether a and b are the same sum in the same currency:
// 1.5 RUB equals 1.50 RUB; 0 RUB equals the zero Amount; 1 RUB never
// equals 1 USD.
func (a Amount) Equal(b Amount) bool {
	if _, err := common("compare", a, b); err != nil {
		return false
	}
	return a.d.Equal(b.d)
}

// Sum adds amounts of one currency; an empty list gives the zero Amount.
func Sum(amounts ...Amount) (Amount, error) {
	var total Amount
	for _, x := range amounts {
		var err error
		if total, err = total.Add(x); err != nil {
			return Amount{}, err
		}
	}
	return total, nil
}

// common returns the currency two operands share. An operand with no
// currency is zero by the type's invariant and adopts the other's.
func common(op string, a, b Amount) (Currency, error) {
	switch {
	case a.c == b.c:
		return a.c, nil
	case a.c.IsZero():
		return b.c, nil
	case b.c.IsZero():
		return a.c, nil
	}
	return Currency{}, &MismatchError{Op: op, Left: a.c, Right: b.c}
}

// String returns the code and the number with at least the currency's
// minor places and no grouping: "RUB 1234.50", "JPY 500", "RUB -0.125".
// The zero Amount prints as "0". For people, use Format.
func (a Amount) String() string {
	if a.c.IsZero() {
		return "0"
	}
	return a.c.Code() + " " + a.plain()
}

// plain returns the number with at least the currency's minor places and
// as many more as the value needs, never in exponent form, independent of
// the decimal package's global settings.
func (a Amount) plain() string {
	return fixed(a.d, a.c.MinorUnits())
}

// fixed prints d with at least minPlaces decimals, exactly.
func fixed(d decimal.Decimal, minPlaces int32) string {
	places := int32(0)
	if exp := d.Exponent(); exp < 0 {
		places = -exp
	}
	s := d.StringFixed(places) // exact: places covers every digit of d
	if places > 0 {
		trimmed := strings.TrimRight(s, "0")
		places -= int32(len(s) - len(trimmed))
		s = strings.TrimSuffix(trimmed, ".")
	}
	if places < minPlaces {
		if places == 0 {
			s += "."
		}
		s += strings.Repeat("0", int(minPlaces-places))
	}
	return s
}

// parseDecimal reads the strict amount grammar described at Parse,
// without the decimal package's global settings.
func parseDecimal(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, &AmountError{Reason: ReasonEmptyAmount}
	}
	if len(s) > maxAmountLen {
		return decimal.Decimal{}, &AmountError{Input: s, Reason: ReasonAmountTooLong}
	}
	bad := func() (decimal.Decimal, error) {
		return decimal.Decimal{}, &AmountError{Input: s, Reason: ReasonMalformedAmount}
	}
	body := s
	neg := false
	switch body[0] {
	case '-':
		neg = true
		body = body[1:]
	case '+':
		body = body[1:]
	}
	intPart, fracPart, hasPoint := strings.Cut(body, ".")
	if intPart == "" || (hasPoint && fracPart == "") || !allDigits(intPart) || !allDigits(fracPart) {
		return bad()
	}
	if len(strings.TrimLeft(intPart, "0")) > maxIntDigits || len(fracPart) > maxFracDigits {
		return decimal.Decimal{}, &AmountError{Input: s, Reason: ReasonAmountTooLong}
	}
	digits := intPart + fracPart
	exp := -int32(len(fracPart))
	var d decimal.Decimal
	if len(digits) <= 18 {
		var v int64
		for i := 0; i < len(digits); i++ {
			v = v*10 + int64(digits[i]-'0')
		}
		d = decimal.New(v, exp)
	} else {
		coef, ok := new(big.Int).SetString(digits, 10)
		if !ok {
			return bad()
		}
		d = decimal.NewFromBigInt(coef, exp)
	}
	if neg {
		d = d.Neg()
	}
	return d, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
