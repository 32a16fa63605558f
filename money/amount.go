package money

import (
	"errors"
	"math"
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
	// An amount is held in one of two forms. The compact form, used
	// whenever the value fits, is coef × 10^exp with big nil; it needs no
	// heap memory. Otherwise big holds the value and coef and exp are
	// zero. The form is canonical (a value that fits is never held in big),
	// so two amounts with the same value and exponent have the same fields.
	coef int64
	big  *decimal.Decimal
	exp  int32
	c    Currency
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
	return parseAmount(s, c)
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
	return Amount{coef: units, exp: -c.MinorUnits(), c: c}, nil
}

// FromDecimal returns d as an amount in currency c, exactly. It fails
// only when c is the zero Currency. As with Mul, an exponent far from
// zero is kept and makes later arithmetic write out that many digits.
func FromDecimal(d decimal.Decimal, c Currency) (Amount, error) {
	if c.IsZero() {
		return Amount{}, &CurrencyError{Reason: ReasonNoCurrency}
	}
	return fromDec(d, c), nil
}

// Currency returns the amount's currency (the zero Currency for the zero
// Amount).
func (a Amount) Currency() Currency { return a.c }

// Decimal returns the amount's exact value, with the exponent the amount
// was built with.
func (a Amount) Decimal() decimal.Decimal { return a.dec() }

// Minor returns the amount in minor units of its currency (12345 for
// 123.45 RUB). ok is false when the amount is not a whole number of minor
// units or does not fit in an int64; round it first.
func (a Amount) Minor() (units int64, ok bool) {
	if a.big == nil {
		return minorCompact(a.coef, a.exp, a.c.MinorUnits())
	}
	d := *a.big
	if d.IsZero() {
		return 0, true
	}
	if d.Exponent() > 18 {
		return 0, false // at least 10^19: beyond int64 (and Shift could overflow)
	}
	scaled := d.Shift(a.c.MinorUnits())
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
func (a Amount) IsZero() bool { return a.Sign() == 0 }

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int {
	if a.big != nil {
		return a.big.Sign()
	}
	return sign64(a.coef)
}

// IsNegative reports whether the amount is below zero.
func (a Amount) IsNegative() bool { return a.Sign() < 0 }

// IsPositive reports whether the amount is above zero.
func (a Amount) IsPositive() bool { return a.Sign() > 0 }

// Neg returns -a.
func (a Amount) Neg() Amount {
	if a.big == nil && a.coef != math.MinInt64 {
		return Amount{coef: -a.coef, exp: a.exp, c: a.c}
	}
	return fromDec(a.dec().Neg(), a.c)
}

// Abs returns |a|.
func (a Amount) Abs() Amount {
	if a.big != nil {
		return fromDec(a.big.Abs(), a.c)
	}
	if a.coef >= 0 {
		return a
	}
	return a.Neg()
}

// Mul returns a × factor, exactly (no rounding): a price times a quantity,
// an amount times a rate. Round the result where a rule says so.
//
// The product keeps every digit, so its exponent is a's plus the
// factor's. A factor the host builds with an exponent far from zero
// (decimal.New(1, -1_000_000_000)) is accepted, but rounding it, adding
// it to an ordinary amount or printing it then has to write out that many
// digits; bound such factors where they come in (this library's own
// parsers and decoders never produce them).
func (a Amount) Mul(factor decimal.Decimal) Amount {
	if a.big == nil {
		if f, ok := decInt64(factor); ok {
			exp := int64(a.exp) + int64(factor.Exponent())
			if p, ok := mul64(a.coef, f); ok && exp >= math.MinInt32 && exp <= math.MaxInt32 {
				return Amount{coef: p, exp: int32(exp), c: a.c}
			}
		}
	}
	return fromDec(a.dec().Mul(factor), a.c)
}

// MulInt returns a × n, exactly.
func (a Amount) MulInt(n int64) Amount {
	if a.big == nil {
		if p, ok := mul64(a.coef, n); ok {
			return Amount{coef: p, exp: a.exp, c: a.c}
		}
	}
	return a.Mul(decimal.NewFromInt(n))
}

// Add returns a + b. Amounts in different currencies fail with a
// *MismatchError; the zero Amount takes the other's currency.
func (a Amount) Add(b Amount) (Amount, error) {
	c, err := common("add", a, b)
	if err != nil {
		return Amount{}, err
	}
	if a.big == nil && b.big == nil {
		if x, y, exp, ok := align(a, b); ok {
			if s, ok := add64(x, y); ok {
				return Amount{coef: s, exp: exp, c: c}, nil
			}
		}
	}
	return fromDec(a.dec().Add(b.dec()), c), nil
}

// Sub returns a − b, with the currency rules of Add.
func (a Amount) Sub(b Amount) (Amount, error) {
	c, err := common("subtract", a, b)
	if err != nil {
		return Amount{}, err
	}
	if a.big == nil && b.big == nil {
		if x, y, exp, ok := align(a, b); ok {
			if s, ok := sub64(x, y); ok {
				return Amount{coef: s, exp: exp, c: c}, nil
			}
		}
	}
	return fromDec(a.dec().Sub(b.dec()), c), nil
}

// Cmp compares a and b: -1 if a < b, 0 if equal, +1 if a > b. Amounts in
// different currencies cannot be compared and fail with a *MismatchError.
func (a Amount) Cmp(b Amount) (int, error) {
	if _, err := common("compare", a, b); err != nil {
		return 0, err
	}
	return a.cmp(b), nil
}

// Equal reports whether a and b are the same sum in the same currency:
// 1.5 RUB equals 1.50 RUB; 0 RUB equals the zero Amount; 1 RUB never
// equals 1 USD.
func (a Amount) Equal(b Amount) bool {
	if _, err := common("compare", a, b); err != nil {
		return false
	}
	return a.cmp(b) == 0
}

// cmp compares the values of a and b, whatever their currencies.
func (a Amount) cmp(b Amount) int {
	if a.big == nil && b.big == nil {
		if sa, sb := sign64(a.coef), sign64(b.coef); sa != sb || sa == 0 {
			return cmpInt(sa, sb)
		}
		if x, y, _, ok := align(a, b); ok {
			return cmpInt64(x, y)
		}
	}
	return a.dec().Cmp(b.dec())
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
	if a.big == nil {
		if s, ok := plainCompact(a.coef, a.exp, a.c.MinorUnits()); ok {
			return s
		}
	}
	return fixed(a.dec(), a.c.MinorUnits())
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

// parseAmount reads the strict amount grammar described at Parse as an
// amount in currency c, without the decimal package's global settings.
func parseAmount(s string, c Currency) (Amount, error) {
	if s == "" {
		return Amount{}, &AmountError{Reason: ReasonEmptyAmount}
	}
	if len(s) > maxAmountLen {
		return Amount{}, &AmountError{Input: s, Reason: ReasonAmountTooLong}
	}
	bad := func() (Amount, error) {
		return Amount{}, &AmountError{Input: s, Reason: ReasonMalformedAmount}
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
		return Amount{}, &AmountError{Input: s, Reason: ReasonAmountTooLong}
	}
	exp := -int32(len(fracPart))
	if len(intPart)+len(fracPart) <= 18 {
		var v int64
		for _, part := range [2]string{intPart, fracPart} {
			for i := 0; i < len(part); i++ {
				v = v*10 + int64(part[i]-'0')
			}
		}
		if neg {
			v = -v
		}
		return Amount{coef: v, exp: exp, c: c}, nil
	}
	coef, ok := new(big.Int).SetString(intPart+fracPart, 10)
	if !ok {
		return bad()
	}
	if neg {
		coef.Neg(coef)
	}
	return fromDec(decimal.NewFromBigInt(coef, exp), c), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
