package credit

import (
	"math"
	"strconv"
)

// Scaling turns odds into points on the usual scorecard scale:
//
//	score = Offset + Factor·ln(good:bad odds) = Offset − Factor·ln(bad:good odds)
//	Factor = PDO / ln 2
//	Offset = BaseScore − Factor·ln(base good:bad odds)
//
// so every PDO ("points to double the odds") points the good:bad odds
// double, and the base score sits at the base odds. Higher scores are
// safer. The probability of default is PD = bad / (bad + good) =
// 1 / (1 + exp((score − Offset) / Factor)).
//
// The function names say which way the odds run: GoodBad for good:bad
// (50 means 50 good clients for each bad one) and BadGood for bad:good
// (0.02 is the same odds).
type Scaling struct {
	Offset float64
	Factor float64
}

// NewScalingGoodBad returns the scaling that gives baseScore at good:bad
// odds baseOdds and adds pdo points each time the odds double. All three
// must be finite, baseOdds and pdo positive.
func NewScalingGoodBad(baseScore, baseOdds, pdo float64) (Scaling, error) {
	if err := finitePositive("base_odds", baseOdds); err != nil {
		return Scaling{}, err
	}
	if err := finitePositive("pdo", pdo); err != nil {
		return Scaling{}, err
	}
	if math.IsNaN(baseScore) || math.IsInf(baseScore, 0) {
		return Scaling{}, invalid("base_score", CodeNotFinite, strconv.FormatFloat(baseScore, 'g', -1, 64))
	}
	factor := pdo / math.Ln2
	s := Scaling{Factor: factor, Offset: baseScore - factor*math.Log(baseOdds)}
	if math.IsInf(s.Offset, 0) || math.IsInf(s.Factor, 0) || s.Factor == 0 {
		return Scaling{}, invalid("pdo", CodeOutOfRange, strconv.FormatFloat(pdo, 'g', -1, 64))
	}
	return s, nil
}

// NewScalingBadGood is NewScalingGoodBad with the base odds given as
// bad:good (1:50 is 0.02).
func NewScalingBadGood(baseScore, baseOdds, pdo float64) (Scaling, error) {
	if err := finitePositive("base_odds", baseOdds); err != nil {
		return Scaling{}, err
	}
	inv := 1 / baseOdds
	if math.IsInf(inv, 0) || inv == 0 {
		return Scaling{}, invalid("base_odds", CodeOutOfRange, strconv.FormatFloat(baseOdds, 'g', -1, 64))
	}
	return NewScalingGoodBad(baseScore, inv, pdo)
}

func finitePositive(field string, x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return invalid(field, CodeNotFinite, strconv.FormatFloat(x, 'g', -1, 64))
	}
	if x <= 0 {
		return invalid(field, CodeNotPositive, strconv.FormatFloat(x, 'g', -1, 64))
	}
	return nil
}

func (s Scaling) check() error {
	if math.IsNaN(s.Offset) || math.IsInf(s.Offset, 0) {
		return invalid("scaling.offset", CodeNotFinite, strconv.FormatFloat(s.Offset, 'g', -1, 64))
	}
	return finitePositive("scaling.factor", s.Factor)
}

// PDO returns the points that double the odds (Factor·ln 2).
func (s Scaling) PDO() float64 { return s.Factor * math.Ln2 }

// ScoreFromGoodBadOdds returns the score at good:bad odds.
func (s Scaling) ScoreFromGoodBadOdds(odds float64) (float64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if err := finitePositive("odds", odds); err != nil {
		return 0, err
	}
	return s.finiteScore(s.Offset + s.Factor*math.Log(odds))
}

// ScoreFromBadGoodOdds returns the score at bad:good odds.
func (s Scaling) ScoreFromBadGoodOdds(odds float64) (float64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if err := finitePositive("odds", odds); err != nil {
		return 0, err
	}
	return s.finiteScore(s.Offset - s.Factor*math.Log(odds))
}

// GoodBadOdds returns the good:bad odds at score. Odds too large or too
// small for a float64 are refused with an *InputError.
func (s Scaling) GoodBadOdds(score float64) (float64, error) {
	return s.odds(score, 1)
}

// BadGoodOdds returns the bad:good odds at score.
func (s Scaling) BadGoodOdds(score float64) (float64, error) {
	return s.odds(score, -1)
}

func (s Scaling) odds(score, sign float64) (float64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if math.IsNaN(score) || math.IsInf(score, 0) {
		return 0, invalid("score", CodeNotFinite, strconv.FormatFloat(score, 'g', -1, 64))
	}
	o := math.Exp(sign * (score - s.Offset) / s.Factor)
	if o == 0 || math.IsInf(o, 0) || math.IsNaN(o) {
		return 0, invalid("score", CodeOutOfRange, strconv.FormatFloat(score, 'g', -1, 64))
	}
	return o, nil
}

// ScoreFromPD returns the score at probability of default pd, which must
// lie strictly between 0 and 1: ln(bad:good) = ln(pd) − ln(1 − pd).
func (s Scaling) ScoreFromPD(pd float64) (float64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if math.IsNaN(pd) || math.IsInf(pd, 0) {
		return 0, invalid("pd", CodeNotFinite, strconv.FormatFloat(pd, 'g', -1, 64))
	}
	if !(pd > 0 && pd < 1) {
		return 0, invalidf("pd", CodeOutOfRange, strconv.FormatFloat(pd, 'g', -1, 64), "a probability of default must lie strictly between 0 and 1", "вероятность дефолта должна быть строго между 0 и 1")
	}
	logit := math.Log(pd) - math.Log1p(-pd)
	return s.finiteScore(s.Offset - s.Factor*logit)
}

// PD returns the probability of default at score:
// 1 / (1 + exp((score − Offset) / Factor)). A score so far out that the
// probability is 0 or 1 in a float64 (and so could not be turned back
// into a score) is refused with an *InputError.
func (s Scaling) PD(score float64) (float64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if math.IsNaN(score) || math.IsInf(score, 0) {
		return 0, invalid("score", CodeNotFinite, strconv.FormatFloat(score, 'g', -1, 64))
	}
	z := (score - s.Offset) / s.Factor // ln(good:bad)
	var pd float64
	if z >= 0 {
		e := math.Exp(-z)
		pd = e / (1 + e)
	} else {
		pd = 1 / (1 + math.Exp(z))
	}
	if !(pd > 0 && pd < 1) {
		return 0, invalidf("score", CodeOutOfRange, strconv.FormatFloat(score, 'g', -1, 64), "the probability of default is 0 or 1 at float64 precision", "вероятность дефолта равна 0 или 1 с точностью float64")
	}
	return pd, nil
}

func (s Scaling) finiteScore(x float64) (float64, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, invalid("score", CodeOutOfRange, strconv.FormatFloat(x, 'g', -1, 64))
	}
	return x, nil
}
