package money

import (
	"cmp"
	"math"
	"math/big"
	"math/bits"
	"slices"

	"github.com/shopspring/decimal"
)

// maxWeightDigits bounds how far apart the decimal places of the weights
// may be (and how large a weight may be), so that hostile input cannot
// make the library build numbers with millions of digits.
const maxWeightDigits = 100

// Allocate splits the amount over parts in proportion to weights, so that
// the parts add up exactly to the amount rounded to the currency's minor
// unit with mode.
//
// It is the largest-remainder method: each part first gets its exact share
// rounded toward zero to a whole minor unit, and the minor units left over
// go one each to the parts with the largest remainders; equal remainders
// are broken by position, earlier first. So every part is within one minor
// unit of its exact share, a part with weight zero gets zero, and the
// result does not depend on anything but the inputs. A negative amount is
// split as its absolute value and every part negated, so -0.01 over two
// equal weights is [-0.01, 0.00].
//
// Weights are any non-negative decimals (quantities, line amounts,
// percentages); they need not sum to 1 or 100. No weights, a negative
// weight, all weights zero, or weights spanning more than 100 digits fail
// with an *AllocationError.
func (a Amount) Allocate(weights []decimal.Decimal, mode RoundingMode) ([]Amount, error) {
	if len(weights) == 0 {
		return nil, &AllocationError{Reason: ReasonNoWeights, Index: -1}
	}
	minExp, maxExp := int64(0), int64(0)
	allZero := true
	for i, w := range weights {
		switch w.Sign() {
		case -1:
			return nil, &AllocationError{Reason: ReasonNegativeWeight, Index: i}
		case 0:
			continue
		}
		allZero = false
		exp := int64(w.Exponent())
		minExp, maxExp = min(minExp, exp), max(maxExp, exp+int64(w.NumDigits()))
		if maxExp-minExp > maxWeightDigits {
			return nil, &AllocationError{Reason: ReasonWeightRange, Index: i}
		}
	}
	if allZero {
		return nil, &AllocationError{Reason: ReasonZeroWeights, Index: -1}
	}
	scale := int32(-minExp) // weights × 10^scale are whole numbers
	rounded := a.Round(mode)
	negative := rounded.Sign() < 0
	if total, ok := rounded.wholeMinor(); ok {
		if units, ok := allocateSmall(total, weights, scale); ok {
			return a.partsFromUint64(units, negative), nil
		}
	}
	return a.partsFromBig(allocateBig(a.minorUnitsBig(rounded.dec()), weights, scale), negative), nil
}

// AllocateAmounts splits the amount in proportion to other amounts, such
// as an order discount over the net amounts of its lines. The weights'
// currencies are not checked against the amount's: they only give
// proportions. Negative weights fail as in Allocate.
func (a Amount) AllocateAmounts(weights []Amount, mode RoundingMode) ([]Amount, error) {
	ds := make([]decimal.Decimal, len(weights))
	for i, w := range weights {
		ds[i] = w.dec()
	}
	return a.Allocate(ds, mode)
}

// Split divides the amount into n parts as equal as the minor unit allows,
// adding up exactly to the amount rounded with mode; the earlier parts
// take the leftover minor units. 100.00 into 3 is [33.34, 33.33, 33.33].
// n must be positive.
func (a Amount) Split(n int, mode RoundingMode) ([]Amount, error) {
	if n <= 0 {
		return nil, &AllocationError{Reason: ReasonBadPartCount, Index: -1}
	}
	rounded := a.Round(mode)
	negative := rounded.Sign() < 0
	if total, ok := rounded.wholeMinor(); ok {
		base, extra := total/uint64(n), total%uint64(n)
		units := make([]uint64, n)
		for i := range units {
			units[i] = base
			if uint64(i) < extra {
				units[i]++
			}
		}
		return a.partsFromUint64(units, negative), nil
	}
	total := a.minorUnitsBig(rounded.dec())
	base, rest := new(big.Int).QuoRem(total, big.NewInt(int64(n)), new(big.Int))
	extra := int(rest.Int64()) // rest < n, so it fits
	units := make([]big.Int, n)
	for i := range units {
		units[i].Set(base)
		if i < extra {
			units[i].Add(&units[i], big.NewInt(1))
		}
	}
	return a.partsFromBig(units, negative), nil
}

// wholeMinor returns |a| in minor units of its currency when that is a
// whole number that fits in 63 bits.
func (a Amount) wholeMinor() (uint64, bool) {
	if a.big != nil {
		return wholeUint64(*a.big, a.c.MinorUnits())
	}
	v, ok := minorCompact(a.coef, a.exp, a.c.MinorUnits())
	if !ok || v == math.MinInt64 {
		return 0, false
	}
	return abs64(v), true
}

// wholeUint64 returns |d| × 10^shift when it is a whole number that fits
// in 63 bits (so that it also fits an int64 once signed again).
func wholeUint64(d decimal.Decimal, shift int32) (uint64, bool) {
	exp := int64(d.Exponent()) + int64(shift)
	if exp < 0 || exp > 18 || d.NumDigits() > 18 {
		return 0, false
	}
	coef := d.CoefficientInt64()
	if coef < 0 {
		coef = -coef
	}
	hi, lo := bits.Mul64(uint64(coef), pow10[exp])
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	return lo, true
}

// pow10[k] is 10^k, up to 10^19 (the largest power of ten in a uint64).
var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// allocateSmall is the common case in 64-bit arithmetic: the total and the
// sum of the scaled weights fit in 63 bits. The product total × weight may
// not, so it is taken as 128 bits and divided by the weight sum.
func allocateSmall(total uint64, weights []decimal.Decimal, scale int32) ([]uint64, bool) {
	ws := make([]uint64, len(weights))
	var ok bool
	var sum uint64
	for i, w := range weights {
		if w.IsZero() {
			continue // gets nothing, whatever its exponent (which the scale ignores)
		}
		if ws[i], ok = wholeUint64(w, scale); !ok {
			return nil, false
		}
		if sum += ws[i]; sum > math.MaxInt64 {
			return nil, false
		}
	}
	units := make([]uint64, len(ws))
	rem := make([]uint64, len(ws))
	var given uint64
	for i, w := range ws {
		hi, lo := bits.Mul64(total, w)
		// hi < sum because total×w ≤ total×sum < 2^64×sum: Div64 cannot overflow.
		units[i], rem[i] = bits.Div64(hi, lo, sum)
		given += units[i]
	}
	if left := total - given; left > 0 {
		for _, i := range byRemainder(len(rem), func(i, j int) int { return cmp.Compare(rem[j], rem[i]) })[:left] {
			units[i]++
		}
	}
	return units, true
}

// allocateBig is allocateSmall for totals or weights beyond 64 bits.
func allocateBig(total *big.Int, weights []decimal.Decimal, scale int32) []big.Int {
	ws := make([]*big.Int, len(weights))
	sum := new(big.Int)
	for i, w := range weights {
		if w.IsZero() {
			ws[i] = new(big.Int) // whatever its exponent, which the scale ignores
			continue
		}
		ws[i] = w.Shift(scale).BigInt() // exact: scale covers every decimal of w
		sum.Add(sum, ws[i])
	}
	units := make([]big.Int, len(ws))
	rem := make([]big.Int, len(ws))
	given := new(big.Int)
	product := new(big.Int)
	for i, w := range ws {
		product.Mul(total, w)
		units[i].QuoRem(product, sum, &rem[i])
		given.Add(given, &units[i])
	}
	left := new(big.Int).Sub(total, given).Int64() // fewer than len(weights)
	for _, i := range byRemainder(len(rem), func(i, j int) int { return rem[j].Cmp(&rem[i]) })[:left] {
		units[i].Add(&units[i], big.NewInt(1))
	}
	return units
}

// byRemainder returns the indices 0..n-1 ordered by cmp (largest remainder
// first), equal remainders keeping their positions.
func byRemainder(n int, cmp func(i, j int) int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, cmp)
	return order
}

// minorUnitsBig returns |rounded| in minor units of a's currency.
func (a Amount) minorUnitsBig(rounded decimal.Decimal) *big.Int {
	units := rounded.Shift(a.c.MinorUnits()).BigInt()
	return units.Abs(units)
}

func (a Amount) partsFromUint64(units []uint64, negative bool) []Amount {
	exp := -a.c.MinorUnits()
	parts := make([]Amount, len(units))
	for i, u := range units {
		v := int64(u) // fits: every part is at most the total, below 2^63
		if negative {
			v = -v
		}
		parts[i] = Amount{coef: v, exp: exp, c: a.c}
	}
	return parts
}

func (a Amount) partsFromBig(units []big.Int, negative bool) []Amount {
	exp := -a.c.MinorUnits()
	parts := make([]Amount, len(units))
	for i := range units {
		u := &units[i]
		if negative {
			u.Neg(u)
		}
		parts[i] = fromDec(decimal.NewFromBigInt(u, exp), a.c)
	}
	return parts
}
