package loyalty

import (
	"math"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"
)

// MaxPlaces is the most decimal places a programme may give its points.
const MaxPlaces = 6

// Bounds on decimal numbers read from text (programme JSON, points), so
// that hostile input cannot make the package build enormous numbers.
const (
	maxIntDigits  = 15
	maxFracDigits = 12
)

// PointRounding says how a computed number of points is brought to the
// programme's precision. The zero value is Truncate.
type PointRounding string

// The point roundings.
const (
	// Truncate drops the digits beyond the programme's precision (toward
	// zero): 12.99 points are 12 in a whole-point programme. The default.
	Truncate PointRounding = "truncate"
	// HalfUp rounds to the nearest, ties away from zero: 12.5 → 13.
	HalfUp PointRounding = "half_up"
)

func (r PointRounding) valid() bool { return r == "" || r == Truncate || r == HalfUp }

// roundPoints brings d to places with r.
func roundPoints(d decimal.Decimal, places int32, r PointRounding) decimal.Decimal {
	if d.Exponent() >= -places {
		return d
	}
	if tiny(d, places) {
		// Below a tenth of the last place: both roundings give zero, and
		// rescaling a far-off exponent would take as long as its digits.
		return decimal.Decimal{}
	}
	if r == HalfUp {
		return d.Round(places)
	}
	return d.Truncate(places)
}

// divide returns num/den brought to places with r, exactly (no
// intermediate rounding). den must not be zero.
func divide(num, den decimal.Decimal, places int32, r PointRounding) decimal.Decimal {
	if r == HalfUp {
		return normalize(num.DivRound(den, places))
	}
	q, _ := num.QuoRem(den, places)
	return normalize(q)
}

// fits reports whether d has no more than places decimals (trailing
// zeros aside).
func fits(d decimal.Decimal, places int32) bool {
	if d.Exponent() >= -places {
		return true
	}
	if int64(d.NumDigits()) <= -int64(d.Exponent())-int64(places) {
		// The coefficient has fewer digits than the zeros it would need
		// beyond places, so only zero fits (and a far-off exponent is
		// not rescaled digit by digit).
		return d.IsZero()
	}
	return d.Truncate(places).Equal(d)
}

// tiny reports whether |d| < 10^-(places+1): every digit of d lies more
// than one place beyond places.
func tiny(d decimal.Decimal, places int32) bool {
	return int64(d.NumDigits())+int64(d.Exponent()) < -int64(places)
}

// normalize strips trailing zeros from the coefficient, so that equal
// values print alike (12.500 → 12.5) whatever computed them.
func normalize(d decimal.Decimal) decimal.Decimal {
	if d.Exponent() >= 0 || d.IsZero() {
		if d.IsZero() {
			return decimal.Decimal{}
		}
		return d
	}
	if d.NumDigits() <= 18 {
		c, e := d.CoefficientInt64(), d.Exponent()
		if c%10 != 0 {
			return d
		}
		for e < 0 && c%10 == 0 {
			c /= 10
			e++
		}
		return decimal.New(c, e)
	}
	c, e := d.Coefficient(), d.Exponent()
	ten, q, r := big.NewInt(10), new(big.Int), new(big.Int)
	for e < 0 {
		q.QuoRem(c, ten, r)
		if r.Sign() != 0 {
			break
		}
		c.Set(q)
		e++
	}
	return decimal.NewFromBigInt(c, e)
}

// fmtDec prints d exactly, without exponent and without trailing zeros,
// whatever the decimal package's global settings: "12", "12.5", "-0.001".
func fmtDec(d decimal.Decimal) string {
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

// parseDec reads a strict decimal: an optional minus sign, digits, and
// optionally a point and digits. No exponent, no spaces, no plus sign; at
// most maxIntDigits significant digits before the point and maxFracDigits
// after. ok is false for anything else.
func parseDec(s string) (d decimal.Decimal, ok bool) {
	body := s
	neg := false
	if strings.HasPrefix(body, "-") {
		neg, body = true, body[1:]
	}
	intPart, frac, hasPoint := strings.Cut(body, ".")
	if !allDigits(intPart) || (hasPoint && !allDigits(frac)) {
		return decimal.Decimal{}, false
	}
	if len(strings.TrimLeft(intPart, "0")) > maxIntDigits || len(frac) > maxFracDigits {
		return decimal.Decimal{}, false
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	exp := -int32(len(frac))
	if len(digits) <= 18 {
		var v int64
		for i := 0; i < len(digits); i++ {
			v = v*10 + int64(digits[i]-'0')
		}
		if neg {
			v = -v
		}
		return normalize(decimal.New(v, exp)), true
	}
	coef, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return decimal.Decimal{}, false
	}
	if neg {
		coef.Neg(coef)
	}
	return decimal.NewFromBigInt(coef, exp), true
}

// pow10 holds 10^0 .. 10^18.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// units returns d in millionths (10^-MaxPlaces) when that is exact and
// fits an int64 with room to add: the fast path of sums over many lots.
func units(d decimal.Decimal) (int64, bool) {
	exp := d.Exponent() + MaxPlaces
	if exp < 0 || exp > 18 {
		return 0, d.IsZero()
	}
	if d.NumDigits()+int(exp) > 17 {
		return 0, false
	}
	return d.CoefficientInt64() * pow10[exp], true
}

// tally adds decimals fast: in int64 millionths while every term fits,
// in decimal arithmetic after the first that does not. Its zero value is
// zero.
type tally struct {
	u    int64
	d    decimal.Decimal
	slow bool
}

func (t *tally) add(x decimal.Decimal) {
	if !t.slow {
		if u, ok := units(x); ok {
			// Each term is below 10^17 and the running sum is kept within
			// ±MaxInt64/2, so the addition cannot overflow.
			if s := t.u + u; s > -math.MaxInt64/2 && s < math.MaxInt64/2 {
				t.u = s
				return
			}
		}
		t.slow = true
		t.d = decimal.New(t.u, -MaxPlaces)
	}
	t.d = t.d.Add(x)
}

func (t *tally) sub(x decimal.Decimal) { t.add(x.Neg()) }

// addUnits adds u millionths.
func (t *tally) addUnits(u int64) {
	if !t.slow {
		if s := t.u + u; s > -math.MaxInt64/2 && s < math.MaxInt64/2 {
			t.u = s
			return
		}
		t.slow = true
		t.d = decimal.New(t.u, -MaxPlaces)
	}
	t.d = t.d.Add(decimal.New(u, -MaxPlaces))
}

func (t *tally) total() decimal.Decimal {
	if t.slow {
		return normalize(t.d)
	}
	return normalize(decimal.New(t.u, -MaxPlaces))
}

func minDec(a, b decimal.Decimal) decimal.Decimal {
	if a.Cmp(b) <= 0 {
		return a
	}
	return b
}

func maxDec(a, b decimal.Decimal) decimal.Decimal {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

// pointsEN writes a number of points for English messages: "1 point",
// "12,000 points", "2.5 points".
func pointsEN(d decimal.Decimal) string {
	n := numberEN(d)
	if d.Equal(decimal.NewFromInt(1)) {
		return n + " point"
	}
	return n + " points"
}

// pointsRU writes a number of points for Russian messages with the right
// plural: "1 балл", "3 балла", "12 000 баллов", "2,5 балла".
func pointsRU(d decimal.Decimal) string {
	return numberRU(d) + "\u00a0" + pluralRU(d, "балл", "балла", "баллов")
}

// pluralRU picks the Russian form for a count: one (1, 21, 101), few (2–4,
// 22–24) or many (0, 5–20, 25…); fractions take the "few" form (2,5 балла).
func pluralRU(d decimal.Decimal, one, few, many string) string {
	if !d.IsInteger() {
		return few
	}
	n := new(big.Int).Mod(new(big.Int).Abs(d.BigInt()), big.NewInt(100)).Int64()
	switch {
	case n%10 == 1 && n != 11:
		return one
	case n%10 >= 2 && n%10 <= 4 && (n < 12 || n > 14):
		return few
	}
	return many
}

func numberEN(d decimal.Decimal) string {
	s := fmtDec(d)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	out := sign + group(intPart, ",")
	if hasFrac {
		out += "." + frac
	}
	return out
}

func numberRU(d decimal.Decimal) string {
	s := fmtDec(d)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	out := sign + group(intPart, "\u00a0")
	if hasFrac {
		out += "," + frac
	}
	return out
}

// group inserts sep between groups of three digits, from the right; four
// digit numbers are grouped too (1,000 and 1 000).
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteString(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
