package credit

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Limits on a scorecard's size, so that a hostile card cannot make the
// decoder or the scorer do unbounded work.
const (
	MaxCharacteristics = 1000    // characteristics on one card
	MaxBins            = 1000    // bins of one characteristic, or grade bands
	MaxCategories      = 10000   // category values of one characteristic
	MaxNameLen         = 200     // bytes in a name, category value or reason code
	MaxTextLen         = 1000    // bytes in a reason text
	MaxPoints          = 1e9     // absolute value of any points figure
	MaxReasonCount     = 100     // the card's ReasonCount
	MaxScorecardJSON   = 4 << 20 // bytes of scorecard JSON
)

// DefaultReasonCount is the number of reason codes a score carries when
// the card does not say.
const DefaultReasonCount = 4

// MissingBin is the Bin index of a CharacteristicScore that fell into the
// characteristic's bin for missing values.
const MissingBin = -1

// Kind says whether a characteristic's values are numbers or categories.
type Kind string

// Kinds of characteristic.
const (
	// Numeric: bins are half-open ranges [Low, High).
	Numeric Kind = "numeric"
	// Categorical: bins are sets of values.
	Categorical Kind = "categorical"
)

// Bin is one band of a characteristic with the points it gives.
//
// A numeric bin holds the values x with Low <= x < High; math.Inf(-1) and
// math.Inf(1) leave an end open (Below, Between and AtLeast build bins).
// A categorical bin holds the values listed in Values, compared exactly;
// a bin with Other set holds every value not listed in another bin (at
// most one per characteristic). Low and High stay zero on categorical
// bins.
type Bin struct {
	Low, High float64
	Values    []string
	Other     bool
	Points    float64
}

// Below returns the numeric bin (-inf, high).
func Below(high, points float64) Bin {
	return Bin{Low: math.Inf(-1), High: high, Points: points}
}

// Between returns the numeric bin [low, high).
func Between(low, high, points float64) Bin { return Bin{Low: low, High: high, Points: points} }

// AtLeast returns the numeric bin [low, +inf).
func AtLeast(low, points float64) Bin { return Bin{Low: low, High: math.Inf(1), Points: points} }

// OneOf returns a categorical bin holding values.
func OneOf(points float64, values ...string) Bin { return Bin{Values: values, Points: points} }

// OtherValues returns the categorical bin for every value not listed in
// another bin.
func OtherValues(points float64) Bin { return Bin{Other: true, Points: points} }

// Characteristic is one input of a scorecard: its bins, the points for a
// missing value, and the reason given when it lowers a score.
type Characteristic struct {
	// Name is the key of the value in the inputs and the default reason
	// code ("utilisation", "years_in_business").
	Name string
	Kind Kind
	Bins []Bin
	// MissingPoints are the points when the value is missing: every
	// characteristic has a bin for missing values.
	MissingPoints float64
	// Reason is the reason code and texts reported when this
	// characteristic is among those that cost the most points. Code
	// defaults to Name; without texts a message with the points is made.
	// EN and RU are given both or neither.
	Reason Reason
}

// GradeBand maps the scores Low <= score < High to a risk grade.
type GradeBand struct {
	Grade     string
	Low, High float64
}

// Scorecard is a points scorecard as data: base points plus, for each
// characteristic, the points of the bin its value falls in. Risk grades
// come from score bands. It is usually decoded from JSON
// (DecodeScorecard) and compiled into a Scorer (NewScorer).
type Scorecard struct {
	Name       string
	BasePoints float64
	// ReasonCount is how many reason codes a score carries; 0 means
	// DefaultReasonCount.
	ReasonCount     int
	Characteristics []Characteristic
	// Grades, if any, must cover every score the card can give without a
	// gap or an overlap.
	Grades []GradeBand
}

// Value is the value of one characteristic for the client being scored: a
// number, a category, or missing (the zero Value).
type Value struct {
	kind uint8 // 0 missing, 1 number, 2 category
	num  float64
	cat  string
}

// Number returns a numeric value. NaN and infinities are refused by the
// scorer with an *InputError.
func Number(x float64) Value { return Value{kind: 1, num: x} }

// Category returns a categorical value.
func Category(s string) Value { return Value{kind: 2, cat: s} }

// Missing is the missing value (the zero Value): the characteristic scores
// its MissingPoints.
var Missing = Value{}

// IsMissing reports whether the value is missing.
func (v Value) IsMissing() bool { return v.kind == 0 }

// Number returns the numeric value and true, or 0 and false.
func (v Value) Number() (float64, bool) { return v.num, v.kind == 1 }

// Category returns the category and true, or "" and false.
func (v Value) Category() (string, bool) { return v.cat, v.kind == 2 }

// String returns the number, the quoted category, or "missing".
func (v Value) String() string {
	switch v.kind {
	case 1:
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	case 2:
		return strconv.Quote(v.cat)
	}
	return "missing"
}

// Score is the result of scoring one client.
type Score struct {
	Card  string  // the scorecard's Name
	Total float64 // BasePoints plus the points of every characteristic
	Base  float64
	// Min and Max are the lowest and highest totals the card can give.
	Min, Max float64
	// Grade is the risk grade of Total, or "" when the card has no grades.
	Grade string
	// Points has one entry per characteristic, in the card's order.
	Points []CharacteristicScore
	// Reasons are the characteristics that lost the most points against
	// their maximum, the largest loss first (ties in the card's order);
	// characteristics that lost nothing are never reasons.
	Reasons []Reason
}

// CharacteristicScore is the points one characteristic gave.
type CharacteristicScore struct {
	Name  string
	Value Value
	// Bin is the index in the characteristic's Bins (as given on the
	// card) of the bin the value fell in, or MissingBin.
	Bin    int
	Points float64
	// Max is the most points the characteristic can give (over all its
	// bins and the missing bin).
	Max float64
}

// Lost returns Max - Points: what the value cost against the best bin.
func (c CharacteristicScore) Lost() float64 { return c.Max - c.Points }

// Scorer scores clients on a validated, compiled scorecard. It is
// immutable and safe for concurrent use.
type Scorer struct {
	card     Scorecard
	chars    []compiledChar
	index    map[string]int
	reasons  int
	min, max float64
	grades   []GradeBand // sorted by Low
}

type compiledChar struct {
	name      string
	kind      Kind
	lows      []float64 // numeric bins sorted by Low
	highs     []float64
	points    []float64
	bin       []int          // original index of each sorted bin
	cats      map[string]int // category -> original bin index
	catPoints []float64      // points of each categorical bin, by original index
	other     int            // original index of the Other bin, or -1
	missing   float64
	min       float64
	max       float64
	reason    Reason
	// binReason[j] is the reason reported when the value fell in bin j
	// (original index), missingReason when it was missing: made once, at
	// compile time, so that scoring writes no text.
	binReason     []Reason
	missingReason Reason
}

// NewScorer validates the card and compiles it. The card is copied: later
// changes to it do not affect the scorer.
func NewScorer(card Scorecard) (*Scorer, error) {
	if err := card.Validate(); err != nil {
		return nil, err
	}
	card = card.clone()
	s := &Scorer{card: card, index: make(map[string]int, len(card.Characteristics)), reasons: card.ReasonCount}
	if s.reasons == 0 {
		s.reasons = DefaultReasonCount
	}
	s.min, s.max = card.BasePoints, card.BasePoints
	for i, ch := range card.Characteristics {
		c := compiledChar{name: ch.Name, kind: ch.Kind, other: -1, missing: ch.MissingPoints, reason: ch.Reason}
		if c.reason.Code == "" {
			c.reason.Code = ch.Name
		}
		c.min, c.max = ch.MissingPoints, ch.MissingPoints
		for _, b := range ch.Bins {
			c.min, c.max = min(c.min, b.Points), max(c.max, b.Points)
		}
		if ch.Kind == Numeric {
			order := sortedBins(ch.Bins)
			for _, j := range order {
				c.lows = append(c.lows, ch.Bins[j].Low)
				c.highs = append(c.highs, ch.Bins[j].High)
				c.points = append(c.points, ch.Bins[j].Points)
				c.bin = append(c.bin, j)
			}
		} else {
			c.cats = make(map[string]int)
			c.catPoints = make([]float64, len(ch.Bins))
			for j, b := range ch.Bins {
				c.catPoints[j] = b.Points
				if b.Other {
					c.other = j
				}
				for _, v := range b.Values {
					c.cats[v] = j
				}
			}
		}
		c.binReason = make([]Reason, len(ch.Bins))
		for j, b := range ch.Bins {
			c.binReason[j] = c.reasonFor(b.Points, false)
		}
		c.missingReason = c.reasonFor(ch.MissingPoints, true)
		s.min += c.min
		s.max += c.max
		s.chars = append(s.chars, c)
		s.index[ch.Name] = i
	}
	s.grades = slices.Clone(card.Grades)
	slices.SortFunc(s.grades, func(a, b GradeBand) int { return cmp.Compare(a.Low, b.Low) })
	return s, nil
}

// Card returns a copy of the scorecard.
func (s *Scorer) Card() Scorecard { return s.card.clone() }

// Range returns the lowest and highest totals the card can give.
func (s *Scorer) Range() (lo, hi float64) { return s.min, s.max }

// Score scores one client. inputs maps characteristic names to values; a
// characteristic absent from inputs is missing. A name that is not on the
// card, a number that is NaN or infinite, a category for a numeric
// characteristic (or the reverse), an unknown category (when the
// characteristic has no Other bin) and a number outside every bin are
// refused with an *InputError naming the input.
func (s *Scorer) Score(inputs map[string]Value) (Score, error) {
	res := Score{Card: s.card.Name, Base: s.card.BasePoints, Min: s.min, Max: s.max, Points: make([]CharacteristicScore, len(s.chars))}
	total := s.card.BasePoints
	matched := 0
	for i := range s.chars {
		c := &s.chars[i]
		v, ok := inputs[c.name]
		if ok {
			matched++
		}
		bin, pts, err := c.score(v)
		if err != nil {
			return Score{}, err
		}
		res.Points[i] = CharacteristicScore{Name: c.name, Value: v, Bin: bin, Points: pts, Max: c.max}
		total += pts
	}
	if matched < len(inputs) {
		var unknown []string
		for k := range inputs {
			if _, ok := s.index[k]; !ok {
				unknown = append(unknown, k)
			}
		}
		slices.Sort(unknown)
		return Score{}, invalid(inputField(unknown[0]), CodeUnknownInput, "")
	}
	res.Total = total
	res.Grade = s.grade(total)
	res.Reasons = s.reasonsFor(res.Points)
	return res, nil
}

func inputField(name string) string { return "inputs[" + strconv.Quote(shorten(name)) + "]" }

func (c *compiledChar) score(v Value) (bin int, pts float64, err error) {
	switch v.kind {
	case 0:
		return MissingBin, c.missing, nil
	case 1:
		if c.kind != Numeric {
			return 0, 0, invalidf(inputField(c.name), CodeWrongKind, v.String(), "the characteristic is categorical", "характеристика категориальная")
		}
		x := v.num
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, 0, invalid(inputField(c.name), CodeNotFinite, v.String())
		}
		// the last bin whose Low <= x
		j := sort.Search(len(c.lows), func(k int) bool { return c.lows[k] > x }) - 1
		if j < 0 || x >= c.highs[j] {
			return 0, 0, invalid(inputField(c.name), CodeOutsideBins, v.String())
		}
		return c.bin[j], c.points[j], nil
	default:
		if c.kind != Categorical {
			return 0, 0, invalidf(inputField(c.name), CodeWrongKind, v.cat, "the characteristic is numeric", "характеристика числовая")
		}
		j, ok := c.cats[v.cat]
		if !ok {
			if c.other < 0 {
				return 0, 0, invalid(inputField(c.name), CodeUnknownCat, v.cat)
			}
			j = c.other
		}
		return j, c.catPoints[j], nil
	}
}

func (s *Scorer) grade(total float64) string {
	for _, g := range s.grades {
		if g.Low <= total && total < g.High {
			return g.Grade
		}
	}
	return ""
}

func (s *Scorer) reasonsFor(points []CharacteristicScore) []Reason {
	idx := make([]int, 0, len(points))
	for i, p := range points {
		if p.Lost() > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(points[b].Lost(), points[a].Lost()) })
	if len(idx) > s.reasons {
		idx = idx[:s.reasons]
	}
	out := make([]Reason, len(idx))
	for k, i := range idx {
		c := &s.chars[i]
		if b := points[i].Bin; b == MissingBin {
			out[k] = c.missingReason
		} else {
			out[k] = c.binReason[b]
		}
	}
	return out
}

// reasonFor is the reason of a characteristic that scored pts: the card's
// texts when it has them, else a message with the points.
func (c *compiledChar) reasonFor(pts float64, missing bool) Reason {
	r := c.reason
	if r.EN != "" {
		return r
	}
	if missing {
		r.EN = fmt.Sprintf("%s: missing, %s of %s possible points", c.name, fltEN(pts, 2), fltEN(c.max, 2))
		r.RU = fmt.Sprintf("%s: нет данных, %s из %s возможных баллов", c.name, fltRU(pts, 2), fltRU(c.max, 2))
	} else {
		r.EN = fmt.Sprintf("%s: %s of %s possible points", c.name, fltEN(pts, 2), fltEN(c.max, 2))
		r.RU = fmt.Sprintf("%s: %s из %s возможных баллов", c.name, fltRU(pts, 2), fltRU(c.max, 2))
	}
	return r
}

// sortedBins returns the indexes of numeric bins ordered by Low (then
// High, so that validation sees the same order every time).
func sortedBins(bins []Bin) []int {
	order := make([]int, len(bins))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(bins[a].Low, bins[b].Low); c != 0 {
			return c
		}
		return cmp.Compare(bins[a].High, bins[b].High)
	})
	return order
}

func (c Scorecard) clone() Scorecard {
	out := c
	out.Characteristics = make([]Characteristic, len(c.Characteristics))
	for i, ch := range c.Characteristics {
		ch.Bins = slices.Clone(ch.Bins)
		for j := range ch.Bins {
			ch.Bins[j].Values = slices.Clone(ch.Bins[j].Values)
		}
		out.Characteristics[i] = ch
	}
	out.Grades = slices.Clone(c.Grades)
	return out
}

// Validate checks the card: every characteristic has a unique, non-empty
// name, a known kind and at least one bin; numeric bins have finite or
// open ends with Low < High and neither a gap nor an overlap between them;
// categorical bins list non-empty values, no value twice, at most one
// Other bin; every points figure is finite and within MaxPoints; grade
// bands, if any, are contiguous and cover every score the card can give.
// Errors are *ScorecardError naming the characteristic.
func (c Scorecard) Validate() error {
	if len(c.Name) > MaxNameLen || !utf8.ValidString(c.Name) {
		return cardErr("", "name", CodeTooLarge, "", "")
	}
	if err := checkPoints("", "base_points", c.BasePoints); err != nil {
		return err
	}
	if c.ReasonCount < 0 || c.ReasonCount > MaxReasonCount {
		return cardErr("", "reason_count", CodeOutOfRange, fmt.Sprintf("must be 0..%d", MaxReasonCount), fmt.Sprintf("допустимо 0..%d", MaxReasonCount))
	}
	if len(c.Characteristics) == 0 {
		return cardErr("", "characteristics", CodeRequired, "", "")
	}
	if len(c.Characteristics) > MaxCharacteristics {
		return cardErr("", "characteristics", CodeTooLarge, fmt.Sprintf("more than %d", MaxCharacteristics), fmt.Sprintf("больше %d", MaxCharacteristics))
	}
	seen := make(map[string]bool, len(c.Characteristics))
	lo, hi := c.BasePoints, c.BasePoints
	for i, ch := range c.Characteristics {
		path := fmt.Sprintf("characteristics[%d]", i)
		if ch.Name == "" {
			return cardErr("", path+".name", CodeRequired, "", "")
		}
		if len(ch.Name) > MaxNameLen || !utf8.ValidString(ch.Name) {
			return cardErr(ch.Name, path+".name", CodeTooLarge, "", "")
		}
		if seen[ch.Name] {
			return cardErr(ch.Name, path+".name", CodeDuplicate, "", "")
		}
		seen[ch.Name] = true
		if err := ch.validate(path); err != nil {
			return err
		}
		cmin, cmax := ch.MissingPoints, ch.MissingPoints
		for _, b := range ch.Bins {
			cmin, cmax = min(cmin, b.Points), max(cmax, b.Points)
		}
		lo += cmin
		hi += cmax
	}
	return validateGrades(c.Grades, lo, hi)
}

// elem returns path[i].
func elem(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func pointsOK(p float64) bool { return !math.IsNaN(p) && !math.IsInf(p, 0) && math.Abs(p) <= MaxPoints }

func checkPoints(char, path string, p float64) error {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return cardErr(char, path, CodeNotFinite, "", "")
	}
	if math.Abs(p) > MaxPoints {
		return cardErr(char, path, CodeOutOfRange, fmt.Sprintf("points must be within ±%g", float64(MaxPoints)), fmt.Sprintf("баллы должны быть в пределах ±%g", float64(MaxPoints)))
	}
	return nil
}

func (ch Characteristic) validate(path string) error {
	if err := checkPoints(ch.Name, path+".missing.points", ch.MissingPoints); err != nil {
		return err
	}
	r := ch.Reason
	if len(r.Code) > MaxNameLen || !utf8.ValidString(r.Code) {
		return cardErr(ch.Name, path+".reason.code", CodeTooLarge, "", "")
	}
	if (r.EN == "") != (r.RU == "") {
		return cardErr(ch.Name, path+".reason", CodeRequired, "give both en and ru texts, or neither", "нужны оба текста, en и ru, или ни одного")
	}
	if len(r.EN) > MaxTextLen || len(r.RU) > MaxTextLen || !utf8.ValidString(r.EN) || !utf8.ValidString(r.RU) {
		return cardErr(ch.Name, path+".reason", CodeTooLarge, "", "")
	}
	if len(ch.Bins) == 0 {
		return cardErr(ch.Name, path+".bins", CodeRequired, "", "")
	}
	if len(ch.Bins) > MaxBins {
		return cardErr(ch.Name, path+".bins", CodeTooLarge, fmt.Sprintf("more than %d", MaxBins), fmt.Sprintf("больше %d", MaxBins))
	}
	for j, b := range ch.Bins {
		if !pointsOK(b.Points) {
			return checkPoints(ch.Name, elem(path+".bins", j)+".points", b.Points)
		}
	}
	switch ch.Kind {
	case Numeric:
		return validateRanges(ch.Name, path+".bins", rangesOfBins(ch.Bins), "bin")
	case Categorical:
		return ch.validateCategories(path)
	case "":
		return cardErr(ch.Name, path+".kind", CodeRequired, "", "")
	default:
		return cardErr(ch.Name, path+".kind", CodeUnknownValue, fmt.Sprintf("%q is neither numeric nor categorical", shorten(string(ch.Kind))), fmt.Sprintf("%q — не numeric и не categorical", shorten(string(ch.Kind))))
	}
}

func (ch Characteristic) validateCategories(path string) error {
	owner := make(map[string]int)
	other := -1
	count := 0
	for j, b := range ch.Bins {
		bp := func() string { return elem(path+".bins", j) } // built only for an error
		if b.Low != 0 || b.High != 0 {
			return cardErr(ch.Name, bp(), CodeWrongKind, "a categorical bin has no low or high", "у категориального интервала нет границ low и high")
		}
		if b.Other {
			if other >= 0 {
				return cardErr(ch.Name, bp()+".other", CodeBinsOverlap, fmt.Sprintf("bins %d and %d are both the other-values bin", other, j), fmt.Sprintf("интервалы %d и %d оба помечены как прочие значения", other, j))
			}
			if len(b.Values) > 0 {
				return cardErr(ch.Name, bp()+".values", CodeInconsistent, "the other-values bin lists no values", "в интервале прочих значений не перечисляют значения")
			}
			other = j
			continue
		}
		if len(b.Values) == 0 {
			return cardErr(ch.Name, bp()+".values", CodeRequired, "", "")
		}
		count += len(b.Values)
		if count > MaxCategories {
			return cardErr(ch.Name, bp()+".values", CodeTooLarge, fmt.Sprintf("more than %d values", MaxCategories), fmt.Sprintf("больше %d значений", MaxCategories))
		}
		for k, v := range b.Values {
			vp := func() string { return elem(bp()+".values", k) }
			if v == "" {
				return cardErr(ch.Name, vp(), CodeRequired, "", "")
			}
			if len(v) > MaxNameLen || !utf8.ValidString(v) {
				return cardErr(ch.Name, vp(), CodeTooLarge, "", "")
			}
			if prev, dup := owner[v]; dup {
				return cardErr(ch.Name, vp(), CodeBinsOverlap, fmt.Sprintf("value %q is in bins %d and %d", shorten(v), prev, j), fmt.Sprintf("значение %q входит в интервалы %d и %d", shorten(v), prev, j))
			}
			owner[v] = j
		}
	}
	return nil
}

type span struct{ low, high float64 }

func rangesOfBins(bins []Bin) []span {
	out := make([]span, len(bins))
	for i, b := range bins {
		if len(b.Values) > 0 || b.Other {
			out[i] = span{math.NaN(), math.NaN()} // refused below as not numeric
			continue
		}
		out[i] = span{b.Low, b.High}
	}
	return out
}

// validateRanges checks half-open ranges for NaN, empty ranges, gaps and
// overlaps. what is "bin" or "grade" (for messages).
func validateRanges(name, path string, rs []span, what string) error {
	for j, r := range rs {
		if math.IsNaN(r.low) || math.IsNaN(r.high) {
			return cardErr(name, elem(path, j), CodeWrongKind, "a numeric "+what+" needs numeric bounds and no category values", "числовому интервалу нужны числовые границы без категорий")
		}
		if math.IsInf(r.low, 1) || math.IsInf(r.high, -1) || !(r.low < r.high) {
			return cardErr(name, elem(path, j), CodeBinEmpty,
				fmt.Sprintf("[%s, %s) holds no value", bound(r.low), bound(r.high)),
				fmt.Sprintf("[%s, %s) не содержит ни одного значения", bound(r.low), bound(r.high)))
		}
	}
	order := make([]int, len(rs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(rs[a].low, rs[b].low); c != 0 {
			return c
		}
		return cmp.Compare(rs[a].high, rs[b].high)
	})
	for k := 1; k < len(order); k++ {
		a, b := order[k-1], order[k]
		switch {
		case rs[a].high < rs[b].low:
			return cardErr(name, path, CodeBinsGap,
				fmt.Sprintf("no %s holds [%s, %s) (between %ss %d and %d)", what, bound(rs[a].high), bound(rs[b].low), what, a, b),
				fmt.Sprintf("значения [%s, %s) не входят ни в один интервал (между %d и %d)", bound(rs[a].high), bound(rs[b].low), a, b))
		case rs[a].high > rs[b].low:
			return cardErr(name, path, CodeBinsOverlap,
				fmt.Sprintf("%ss %d [%s, %s) and %d [%s, %s) overlap", what, a, bound(rs[a].low), bound(rs[a].high), b, bound(rs[b].low), bound(rs[b].high)),
				fmt.Sprintf("интервалы %d [%s, %s) и %d [%s, %s) пересекаются", a, bound(rs[a].low), bound(rs[a].high), b, bound(rs[b].low), bound(rs[b].high)))
		}
	}
	return nil
}

func bound(x float64) string {
	switch {
	case math.IsInf(x, -1):
		return "-inf"
	case math.IsInf(x, 1):
		return "+inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func validateGrades(grades []GradeBand, lo, hi float64) error {
	if len(grades) == 0 {
		return nil
	}
	if len(grades) > MaxBins {
		return cardErr("", "grades", CodeTooLarge, fmt.Sprintf("more than %d", MaxBins), fmt.Sprintf("больше %d", MaxBins))
	}
	seen := make(map[string]bool, len(grades))
	rs := make([]span, len(grades))
	for i, g := range grades {
		p := func() string { return elem("grades", i) + ".grade" }
		if g.Grade == "" {
			return cardErr("", p(), CodeRequired, "", "")
		}
		if len(g.Grade) > MaxNameLen || !utf8.ValidString(g.Grade) {
			return cardErr(g.Grade, p(), CodeTooLarge, "", "")
		}
		if seen[g.Grade] {
			return cardErr(g.Grade, p(), CodeDuplicate, "", "")
		}
		seen[g.Grade] = true
		rs[i] = span{g.Low, g.High}
	}
	for i, r := range rs {
		if err := validateRanges(grades[i].Grade, "grades", []span{r}, "grade"); err != nil {
			err.(*ScorecardError).Path = fmt.Sprintf("grades[%d]", i)
			return err
		}
	}
	if err := validateRanges("", "grades", rs, "grade"); err != nil {
		return err
	}
	first, last := rs[0], rs[0]
	for _, r := range rs[1:] {
		if r.low < first.low {
			first = r
		}
		if r.high > last.high {
			last = r
		}
	}
	if first.low > lo || !(hi < last.high) {
		return cardErr("", "grades", CodeGradesCoverage,
			fmt.Sprintf("grades span [%s, %s) but the card gives scores from %s to %s", bound(first.low), bound(last.high), bound(lo), bound(hi)),
			fmt.Sprintf("классы покрывают [%s, %s), а карта даёт баллы от %s до %s", bound(first.low), bound(last.high), bound(lo), bound(hi)))
	}
	return nil
}
