// Package money holds exact, currency-safe amounts for every other crmkit
// package.
//
// # Currencies
//
// A Currency is an active ISO 4217 code with its minor unit: RUB and USD
// have 2 decimal places, JPY 0, KWD and BHD 3, CLF 4. ParseCurrency is
// strict (three ASCII letters, case folded) and knows the whole current
// list; withdrawn codes such as HRK are refused.
//
// # Amounts
//
// An Amount is an immutable decimal value with its currency. It is built
// from a string (Parse), from minor units (FromMinor) or from a
// shopspring/decimal value (FromDecimal) — never from a float. Arithmetic
// is exact; mixing currencies is an error (*MismatchError), never a
// conversion. The zero Amount has no currency and combines with any, so a
// running total can start from it:
//
//	var total money.Amount
//	for _, line := range lines {
//		if total, err = total.Add(line.Net); err != nil { ... }
//	}
//
// Compare amounts with Equal or Cmp: 1.5 RUB and 1.50 RUB are equal.
//
// An amount whose digits fit in 64 bits — every ordinary price, total and
// allocation part — is held as a plain integer and an exponent, so building
// and combining such amounts costs no heap allocation; larger amounts fall
// back to shopspring/decimal transparently, with identical results.
//
// # Rounding
//
// Nothing is rounded behind the caller's back. Round brings an amount to
// its currency's minor unit and RoundTo to any number of places, with a
// named RoundingMode: HalfUp (the zero value), HalfEven, Down, Up, Ceiling
// or Floor. The RoundingMode documentation has a table of examples for
// positive and negative values.
//
// # Allocation
//
// Allocate splits an amount over weights and Split into n equal parts, so
// that the parts always add up to the (rounded) amount exactly: an order
// discount spread over its lines, an invoice over instalments. It is the
// largest-remainder method with ties broken by position, so each part is
// within one minor unit of its exact share and the result is deterministic.
//
//	parts, _ := money.MustParse("100", money.RUB).Split(3, money.HalfUp)
//	// 33.34, 33.33, 33.33
//
// # Text and JSON
//
// JSON is {"amount":"1234.50","currency":"RUB"} with the number as a
// string; decoding is strict and every failure names the field. String
// gives "RUB 1234.50" for logs; Format gives "RUB 1,234.50" in English and
// "1 234,50 ₽" (with non-breaking spaces) in Russian.
//
// # Errors
//
// Every error matches a sentinel (ErrUnknownCurrency, ErrCurrencyMismatch,
// ErrInvalidAmount, ErrInvalidAllocation, ErrNoCurrency,
// ErrInvalidRoundingMode) with errors.Is, and the typed errors carry a
// stable Code and a Message in English or Russian.
//
// # Independence from decimal's settings
//
// shopspring/decimal has package variables (DivisionPrecision,
// MarshalJSONWithoutQuotes, TrimTrailingZeros, ...). This package never
// assigns them and never relies on them, so a host may set them for its
// own code without changing any amount crmkit prints, parses or computes.
package money
