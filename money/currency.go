package money

import (
	"fmt"
	"strings"
)

// Currency is an active ISO 4217 currency. Values are comparable with ==;
// the zero Currency is "no currency" and belongs only to the zero Amount.
//
// Obtain one with ParseCurrency, MustCurrency (for literals) or one of the
// package variables such as RUB.
type Currency struct {
	e *isoEntry
}

// Frequently used currencies.
var (
	RUB = MustCurrency("RUB")
	USD = MustCurrency("USD")
	EUR = MustCurrency("EUR")
	CNY = MustCurrency("CNY")
	KZT = MustCurrency("KZT")
	BYN = MustCurrency("BYN")
	GBP = MustCurrency("GBP")
	JPY = MustCurrency("JPY")
)

// byCode indexes isoTable by alphabetic code.
var byCode = func() map[string]*isoEntry {
	m := make(map[string]*isoEntry, len(isoTable))
	for i := range isoTable {
		m[isoTable[i].code] = &isoTable[i]
	}
	return m
}()

// ParseCurrency returns the active ISO 4217 currency with the given
// alphabetic code. The code must be exactly three ASCII letters; case is
// folded, so "rub" and "RUB" are the same. Surrounding spaces are not
// trimmed. An unknown or malformed code fails with a *CurrencyError that
// names the input and matches ErrUnknownCurrency.
func ParseCurrency(code string) (Currency, error) {
	if len(code) != 3 {
		return Currency{}, &CurrencyError{Input: code, Reason: ReasonMalformedCurrency}
	}
	var buf [3]byte
	for i := 0; i < 3; i++ {
		c := code[i]
		switch {
		case c >= 'A' && c <= 'Z':
			buf[i] = c
		case c >= 'a' && c <= 'z':
			buf[i] = c - 'a' + 'A'
		default:
			return Currency{}, &CurrencyError{Input: code, Reason: ReasonMalformedCurrency}
		}
	}
	e, ok := byCode[string(buf[:])]
	if !ok {
		return Currency{}, &CurrencyError{Input: code, Reason: ReasonUnknownCurrency}
	}
	return Currency{e: e}, nil
}

// MustCurrency is ParseCurrency for codes written in the source: it panics
// on an unknown code. Never pass it user input; use ParseCurrency.
func MustCurrency(code string) Currency {
	c, err := ParseCurrency(code)
	if err != nil {
		panic(err)
	}
	return c
}

// Currencies returns every active ISO 4217 currency the package knows,
// sorted by code.
func Currencies() []Currency {
	out := make([]Currency, len(isoTable))
	for i := range isoTable {
		out[i] = Currency{e: &isoTable[i]}
	}
	return out
}

// Code returns the alphabetic code ("RUB"), or "" for the zero Currency.
func (c Currency) Code() string {
	if c.e == nil {
		return ""
	}
	return c.e.code
}

// Numeric returns the ISO 4217 numeric code (643 for RUB), or 0.
func (c Currency) Numeric() int {
	if c.e == nil {
		return 0
	}
	return int(c.e.numeric)
}

// MinorUnits returns the number of decimal places of the currency's minor
// unit: 2 for RUB, 0 for JPY, 3 for KWD, 4 for CLF. The zero Currency has 0.
func (c Currency) MinorUnits() int32 {
	if c.e == nil {
		return 0
	}
	return int32(c.e.minor)
}

// Name returns the currency's English name from the ISO 4217 list.
func (c Currency) Name() string {
	if c.e == nil {
		return ""
	}
	return c.e.name
}

// IsZero reports whether c is the zero Currency (no currency).
func (c Currency) IsZero() bool { return c.e == nil }

// String returns the alphabetic code.
func (c Currency) String() string { return c.Code() }

// MarshalText encodes the currency as its alphabetic code. The zero
// Currency cannot be encoded: it fails with ErrNoCurrency.
func (c Currency) MarshalText() ([]byte, error) {
	if c.e == nil {
		return nil, ErrNoCurrency
	}
	return []byte(c.e.code), nil
}

// UnmarshalText decodes an alphabetic code with the rules of ParseCurrency.
func (c *Currency) UnmarshalText(text []byte) error {
	parsed, err := ParseCurrency(string(text))
	if err != nil {
		return err
	}
	*c = parsed
	return nil
}

// GoString makes %#v print money.MustCurrency("RUB").
func (c Currency) GoString() string {
	if c.e == nil {
		return "money.Currency{}"
	}
	return fmt.Sprintf("money.MustCurrency(%q)", c.e.code)
}

// symbolRU is the sign written after the number in Russian formatting.
// Currencies not listed are written with their code.
func (c Currency) symbolRU() string {
	switch c.Code() {
	case "RUB":
		return "₽"
	case "USD":
		return "$"
	case "EUR":
		return "€"
	case "CNY":
		return "¥"
	case "GBP":
		return "£"
	case "KZT":
		return "₸"
	}
	return c.Code()
}

// sanitizeInput shortens and quotes raw input for error messages, so that
// a megabyte of garbage does not end up in a log line.
func sanitizeInput(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
