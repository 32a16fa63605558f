package discount

import (
	"cmp"
	"math"
	"math/bits"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// The engine keeps every running amount in whole minor units of the
// cart's currency (int64): list amounts are rounded when a line is read,
// and every adjustment is rounded when it is computed, so sums,
// differences and comparisons are exact integer arithmetic. A cart whose
// line amounts could overflow that is refused (maxLineMinor).
//
// The one computation that needs a rounding — a product and quotient of
// a few decimals (a percent of a base, an amount per unit times a
// quantity, a share of a line) — takes an integer path when the numbers
// fit in 62 bits, and otherwise money's decimal path (mulDiv). Both round
// with the cart's money.RoundingMode and give the same result; a
// property test checks that.
//
// The same integer path splits an order discount (or a capped rule's
// total) over lines (split: money's largest-remainder allocation, on
// whole minor units), and compares and subtracts quantities (cmpFdec,
// subFdec) when they fit; property tests check each against money and
// decimal, and the whole engine against a reference that prices every
// cart on the decimal path without the index (reference_test.go).

// maxLineMinor bounds a line's list amount: 10^14 minor units (a
// trillion roubles). With at most maxLines lines every sum stays far
// from overflowing int64.
const (
	maxLineMinor = int64(1e14)
	maxLines     = 10_000
	bigMinor     = math.MaxInt64 / 4 // stands for "more than any line can take"
	fitBits      = 62
)

var pow10 = func() [19]uint64 {
	var p [19]uint64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// fdec is a non-negative decimal c × 10^e whose coefficient fits in 62
// bits; ok is false for numbers that do not (or are negative).
type fdec struct {
	c  uint64
	e  int32
	ok bool
}

func toFdec(d decimal.Decimal) fdec {
	if d.Sign() < 0 || d.NumDigits() > 18 {
		return fdec{}
	}
	return fdec{c: uint64(d.CoefficientInt64()), e: d.Exponent(), ok: true}
}

// minorFdec is v minor units of a currency with the given minor places,
// as a decimal in currency units.
func minorFdec(v int64, minor int32) fdec {
	return fdec{c: uint64(v), e: -minor, ok: v >= 0}
}

var facHundred = fac(hundred)

// mul64 multiplies, reporting false when the product needs more than 62
// bits.
func mul64(a, b uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	return lo, hi == 0 && lo>>fitBits == 0
}

// factor is a non-negative decimal operand of calc, with its integer
// form. A factor of v minor units builds its decimal only when needed.
type factor struct {
	f       fdec
	d       decimal.Decimal
	minorV  int64
	isMinor bool
}

func fac(d decimal.Decimal) factor { return factor{f: toFdec(d), d: d} }

// minorFac is v minor units of the cart's currency as a factor.
func (p *pricing) minorFac(v int64) factor {
	return factor{f: minorFdec(v, p.minor), minorV: v, isMinor: true}
}

func (x factor) dec(minor int32) decimal.Decimal {
	if x.isMinor {
		return decimal.New(x.minorV, -minor)
	}
	return x.d
}

// calc returns round(Π num / Π den) in minor units of the cart's
// currency with mode: on the integer path when every number fits, else
// with money's decimals. Operands are non-negative; a zero denominator
// gives 0.
func (p *pricing) calc(mode money.RoundingMode, num, den []factor) int64 {
	if !p.e.ref {
		if v, ok := ratio(num, den, p.minor, mode); ok {
			return v
		}
	}
	x, y := one, one
	for _, n := range num {
		x = x.Mul(n.dec(p.minor))
	}
	for _, d := range den {
		y = y.Mul(d.dec(p.minor))
	}
	if y.Sign() <= 0 {
		return 0
	}
	a, _ := money.FromDecimal(x, p.cur)
	return toMinor(mulDiv(a, one, y, mode))
}

// ratio returns round(Π num / Π den) in minor units (minor places) with
// mode, on the integer path; ok is false when a number does not fit, and
// the caller must take the decimal path.
func ratio(num, den []factor, minor int32, mode money.RoundingMode) (int64, bool) {
	n, d := uint64(1), uint64(1)
	exp := int64(minor)
	var ok bool
	for _, x := range num {
		if !x.f.ok {
			return 0, false
		}
		if n, ok = mul64(n, x.f.c); !ok {
			return 0, false
		}
		exp += int64(x.f.e)
	}
	for _, x := range den {
		if !x.f.ok || x.f.c == 0 {
			return 0, false
		}
		if d, ok = mul64(d, x.f.c); !ok {
			return 0, false
		}
		exp -= int64(x.f.e)
	}
	switch {
	case exp > 18 || exp < -18:
		return 0, false
	case exp > 0:
		if n, ok = mul64(n, pow10[exp]); !ok {
			return 0, false
		}
	case exp < 0:
		if d, ok = mul64(d, pow10[-exp]); !ok {
			return 0, false
		}
	}
	return min(int64(quoRound(n, d, mode)), bigMinor), true
}

// quoRound returns n / d rounded to a whole number with mode, for n ≥ 0
// and d > 0 (below 2^62). For non-negative values Ceiling is Up and
// Floor is Down.
func quoRound(n, d uint64, mode money.RoundingMode) uint64 {
	q, r := n/d, n%d
	if r == 0 {
		return q
	}
	switch mode {
	case money.Down, money.Floor:
		return q
	case money.Up, money.Ceiling:
		return q + 1
	case money.HalfEven:
		if twice := 2 * r; twice > d || (twice == d && q%2 == 1) {
			return q + 1
		}
		return q
	}
	if 2*r >= d { // HalfUp (and any undefined mode, as money does)
		return q + 1
	}
	return q
}

// toMinor returns a rounded amount in minor units, or bigMinor when it
// is too large to matter (every use is capped by a line's amount).
func toMinor(a money.Amount) int64 {
	v, ok := a.Minor()
	if !ok || v > bigMinor {
		return bigMinor
	}
	return v
}

// allocBuf holds the working slices of split, reused between calls.
type allocBuf struct {
	rem   []uint64
	order []int
}

// split divides total minor units (≥ 0) over weights in proportion,
// writing the parts to out (as long as weights), exactly as money's
// Allocate does for an amount of whole minor units: each part gets its
// exact share rounded toward zero, and the units left over go one each
// to the parts with the largest remainders, equal remainders earlier
// first. Weights are non-negative, not all zero, and add up to less than
// 2^63 (the engine's weights are line amounts, at most maxLines ×
// maxLineMinor), so the integer path is exact: total × weight is taken
// as 128 bits and divided by the sum. A property test checks it against
// money.
func (b *allocBuf) split(total int64, weights, out []int64) {
	var sum uint64
	for _, w := range weights {
		sum += uint64(w)
	}
	b.rem = grow(b.rem, len(weights))[:len(weights)]
	var given uint64
	for i, w := range weights {
		hi, lo := bits.Mul64(uint64(total), uint64(w))
		// hi < sum because total × w ≤ total × sum < 2^64 × sum.
		q, r := bits.Div64(hi, lo, sum)
		out[i], b.rem[i] = int64(q), r
		given += q
	}
	left := uint64(total) - given // fewer than the parts with a remainder
	if left == 0 {
		return
	}
	b.order = grow(b.order, len(weights))
	for i := range weights {
		b.order = append(b.order, i)
	}
	rem, order := b.rem, b.order
	if len(order) <= 32 {
		// Insertion sort, larger remainders first, stable.
		for k := 1; k < len(order); k++ {
			x := order[k]
			j := k
			for ; j > 0 && rem[order[j-1]] < rem[x]; j-- {
				order[j] = order[j-1]
			}
			order[j] = x
		}
	} else {
		slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(rem[j], rem[i]) })
	}
	for _, i := range order[:left] {
		out[i]++
	}
}

// align returns a and b as whole numbers at the smaller of their
// exponents, and that exponent; ok is false when either does not fit in
// 62 bits so aligned (or is not an fdec).
func align(a, b fdec) (x, y uint64, e int32, ok bool) {
	if !a.ok || !b.ok {
		return 0, 0, 0, false
	}
	e = min(a.e, b.e)
	da, db := int64(a.e)-int64(e), int64(b.e)-int64(e)
	if da > 18 || db > 18 {
		return 0, 0, 0, false
	}
	var okA, okB bool
	x, okA = mul64(a.c, pow10[da])
	y, okB = mul64(b.c, pow10[db])
	return x, y, e, okA && okB
}

// cmpFdec compares a and b exactly; ok is false when the integer path
// does not apply and the caller must compare decimals.
func cmpFdec(a, b fdec) (int, bool) {
	x, y, _, ok := align(a, b)
	return cmp.Compare(x, y), ok
}

// subFdec returns a − b as a decimal represented exactly as a.Sub(b)
// would be (the coefficient at the smaller exponent); ok is false when
// the integer path does not apply.
func subFdec(a, b fdec) (decimal.Decimal, bool) {
	x, y, e, ok := align(a, b)
	if !ok {
		return decimal.Decimal{}, false
	}
	v := int64(x) - int64(y) // both below 2^62
	if e == 0 && v >= 0 && v < int64(len(smallInts)) {
		return smallInts[v], true
	}
	return decimal.New(v, e), true
}

// smallInts are the whole numbers 0..63 as decimals (exponent 0), built
// once: the differences quantity hints report are mostly small whole
// numbers, and decimals are never changed in place, so results share
// them as they share the cart's own decimals.
var smallInts = func() (s [64]decimal.Decimal) {
	for i := range s {
		s[i] = decimal.New(int64(i), 0)
	}
	return s
}()

// split divides total minor units over weights into parts: on the
// integer path (allocBuf.split), or for a reference engine with money's
// Allocate.
func (p *pricing) split(total int64, weights, parts []int64) {
	if !p.e.ref {
		p.sc.alloc.split(total, weights, parts)
		return
	}
	ws := make([]decimal.Decimal, len(weights))
	for i, w := range weights {
		ws[i] = decimal.NewFromInt(w)
	}
	out, err := p.money(total).Allocate(ws, p.mode)
	if err != nil {
		panic(err) // the callers' weights are valid
	}
	for i, a := range out {
		parts[i] = toMinor(a)
	}
}
