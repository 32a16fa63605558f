package money

import (
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// This file holds the integer arithmetic behind the compact form of an
// Amount (coef × 10^exp in an int64 and an int32). Every helper reports
// whether it could give the exact answer in 64 bits; when it cannot, the
// caller falls back to shopspring/decimal, so the two forms always give
// the same results, exponents included.

// fromDec returns d as an amount in currency c, in the compact form when
// its coefficient fits in an int64.
func fromDec(d decimal.Decimal, c Currency) Amount {
	if v, ok := decInt64(d); ok {
		return Amount{coef: v, exp: d.Exponent(), c: c}
	}
	p := new(decimal.Decimal) // allocated only here, not for the compact form
	*p = d
	return Amount{big: p, c: c}
}

// decInt64 returns d's coefficient when it fits in an int64, without
// allocating.
func decInt64(d decimal.Decimal) (int64, bool) {
	if d.NumDigits() > 19 {
		return 0, false
	}
	// Below 10^19 < 2^64 the coefficient's low 64 bits are its magnitude,
	// so CoefficientInt64 is exact exactly when the sign survives it.
	v := d.CoefficientInt64()
	return v, sign64(v) == d.Sign()
}

// dec returns the amount's value as a decimal; the compact form allocates
// a new one.
func (a Amount) dec() decimal.Decimal {
	if a.big != nil {
		return *a.big
	}
	if a.coef == 0 && a.exp == 0 {
		return decimal.Decimal{}
	}
	return decimal.New(a.coef, a.exp)
}

func sign64(v int64) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}

func cmpInt(x, y int) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func cmpInt64(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// abs64 returns |v| as a uint64 (exact for math.MinInt64 too).
func abs64(v int64) uint64 {
	if v < 0 {
		return -uint64(v)
	}
	return uint64(v)
}

// signed returns the int64 with magnitude u and the sign of neg, when it
// fits.
func signed(u uint64, neg bool) (int64, bool) {
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u), true // -(1<<63) wraps to math.MinInt64, as wanted
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

// add64 returns x + y when it does not overflow.
func add64(x, y int64) (int64, bool) {
	s := x + y
	if (x >= 0) == (y >= 0) && (s >= 0) != (x >= 0) {
		return 0, false
	}
	return s, true
}

// sub64 returns x − y when it does not overflow.
func sub64(x, y int64) (int64, bool) {
	s := x - y
	if (x >= 0) != (y >= 0) && (s >= 0) != (x >= 0) {
		return 0, false
	}
	return s, true
}

// mul64 returns x × y when it does not overflow.
func mul64(x, y int64) (int64, bool) {
	hi, lo := bits.Mul64(abs64(x), abs64(y))
	if hi != 0 {
		return 0, false
	}
	return signed(lo, (x < 0) != (y < 0))
}

// scaleUp returns v × 10^k (k ≥ 0) when it fits.
func scaleUp(v int64, k int64) (int64, bool) {
	if v == 0 || k == 0 {
		return v, true
	}
	if k > 18 {
		return 0, false
	}
	hi, lo := bits.Mul64(abs64(v), pow10[k])
	if hi != 0 {
		return 0, false
	}
	return signed(lo, v < 0)
}

// align brings two compact amounts to the smaller of their exponents, as
// decimal's Add does, and returns their coefficients there.
func align(a, b Amount) (x, y int64, exp int32, ok bool) {
	switch {
	case a.exp == b.exp:
		return a.coef, b.coef, a.exp, true
	case a.exp < b.exp:
		y, ok = scaleUp(b.coef, int64(b.exp)-int64(a.exp))
		return a.coef, y, a.exp, ok
	default:
		x, ok = scaleUp(a.coef, int64(a.exp)-int64(b.exp))
		return x, b.coef, b.exp, ok
	}
}

// minorCompact is Minor for the compact form: coef × 10^(exp+minor) when
// that is a whole number that fits in an int64.
func minorCompact(coef int64, exp, minor int32) (int64, bool) {
	if coef == 0 {
		return 0, true
	}
	shift := int64(exp) + int64(minor)
	if shift >= 0 {
		return scaleUp(coef, shift)
	}
	if -shift > 18 {
		return 0, false // |coef| < 10^19 cannot be a multiple of 10^19 or more
	}
	p := int64(pow10[-shift])
	if coef%p != 0 {
		return 0, false
	}
	return coef / p, true
}

// roundCompact rounds coef × 10^exp to places decimals with mode, for
// exp < -places. The result's exponent is -places, as with decimal's
// rounding methods; ok is false only if the result does not fit.
func roundCompact(coef int64, exp, places int32, mode RoundingMode) (int64, bool) {
	k := -int64(places) - int64(exp) // digits dropped, at least 1
	mag := abs64(coef)
	var q, r uint64
	// r is compared with half = 5 × 10^(k-1); for k ≥ 20 the whole
	// coefficient (below 10^19) is dropped and is less than half.
	less, tie := true, false
	if k <= 19 {
		p := pow10[k]
		q, r = mag/p, mag%p
		half := p / 2
		less, tie = r < half, r == half
	} else {
		q, r = 0, mag
	}
	up := false
	switch mode {
	case HalfEven:
		up = !less && (!tie || q%2 == 1)
	case Down:
	case Up:
		up = r != 0
	case Ceiling:
		up = r != 0 && coef > 0
	case Floor:
		up = r != 0 && coef < 0
	default:
		up = !less
	}
	if up {
		q++
	}
	return signed(q, coef < 0)
}

// plainCompact is plain for the compact form with a modest exponent; ok
// is false for exponents it leaves to the decimal path.
func plainCompact(coef int64, exp, minPlaces int32) (string, bool) {
	if exp < -60 || exp > 60 {
		return "", false
	}
	var buf [24]byte
	digits := strconv.AppendUint(buf[:0], abs64(coef), 10)
	var b strings.Builder
	b.Grow(len(digits) + 4 + int(max(minPlaces, -exp, exp)))
	if coef < 0 {
		b.WriteByte('-')
	}
	places := int32(0)
	switch {
	case exp >= 0:
		b.Write(digits)
		if coef != 0 {
			for range exp {
				b.WriteByte('0')
			}
		}
	default:
		scale := int(-exp)
		var intPart, frac []byte
		if len(digits) > scale {
			intPart, frac = digits[:len(digits)-scale], digits[len(digits)-scale:]
		} else {
			intPart = []byte{'0'}
			frac = digits
		}
		b.Write(intPart)
		// Leading zeros of the fraction, then its digits without the
		// trailing zeros.
		lead := scale - len(frac)
		end := len(frac)
		for end > 0 && frac[end-1] == '0' {
			end--
		}
		if end > 0 {
			b.WriteByte('.')
			for range lead {
				b.WriteByte('0')
			}
			b.Write(frac[:end])
			places = int32(lead + end)
		}
	}
	if places < minPlaces {
		if places == 0 {
			b.WriteByte('.')
		}
		for range minPlaces - places {
			b.WriteByte('0')
		}
	}
	return b.String(), true
}
