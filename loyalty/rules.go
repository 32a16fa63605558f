package loyalty

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// Rules is a validated programme compiled for calculation. Its methods
// are pure: they read nothing but their arguments and the programme. It is
// immutable and safe for concurrent use.
type Rules struct {
	p        Programme
	category map[string]decimal.Decimal
	tag      map[string]decimal.Decimal
	sku      map[string]decimal.Decimal
	excluded map[string]bool
	levels   []level
	byCode   map[string]int
}

// level is a compiled tier.
type level struct {
	Tier
	threshold decimal.Decimal // in the metric's unit
	factor    decimal.Decimal // the tier's multiplier (1 when none is set)
}

var one = decimal.NewFromInt(1)

// NewRules validates the programme and compiles it. A programme that does
// not hold together fails with a *ValidationError naming the field.
func NewRules(p Programme) (*Rules, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	p = p.clone()
	r := &Rules{
		p:        p,
		category: map[string]decimal.Decimal{},
		tag:      map[string]decimal.Decimal{},
		sku:      make(map[string]decimal.Decimal, len(p.Earn.PerSKU)),
		excluded: make(map[string]bool, len(p.Earn.ExcludedSKUs)),
		byCode:   make(map[string]int, len(p.Tiers.Levels)),
	}
	for _, s := range p.Earn.ExcludedSKUs {
		r.excluded[s] = true
	}
	for _, s := range p.Earn.PerSKU {
		r.sku[s.SKU] = s.Points
	}
	for i, t := range p.Tiers.Levels {
		threshold := t.MinSpend.Decimal()
		if p.Tiers.Metric == MetricPoints {
			threshold = t.MinPoints
		}
		r.levels = append(r.levels, level{Tier: t, threshold: threshold, factor: one})
		r.byCode[t.Code] = i
	}
	for i, m := range p.Earn.Multipliers {
		switch {
		case m.Category != "":
			r.category[m.Category] = m.Factor
		case m.Tag != "":
			r.tag[m.Tag] = m.Factor
		default:
			idx, ok := r.byCode[m.Tier]
			if !ok {
				return nil, invalidf(fmt.Sprintf("earn.multipliers[%d].tier", i), ReasonUnknownValue, m.Tier, "not a tier code of tiers.levels")
			}
			r.levels[idx].factor = m.Factor
		}
	}
	return r, nil
}

// Programme returns a copy of the programme the rules were compiled from.
func (r *Rules) Programme() Programme { return r.p.clone() }

// Currency returns the programme's currency.
func (r *Rules) Currency() money.Currency { return r.p.Currency }

// Places returns the programme's point precision.
func (r *Rules) Places() int32 { return r.p.PointPlaces }

// HasTiers reports whether the programme has tiers.
func (r *Rules) HasTiers() bool { return len(r.levels) > 0 }

// Tiers returns the programme's tiers, lowest first.
func (r *Rules) Tiers() []Tier {
	out := make([]Tier, len(r.levels))
	for i, l := range r.levels {
		out[i] = l.Tier
	}
	return out
}

// LowestTier returns the code of the lowest tier, or "" without tiers.
func (r *Rules) LowestTier() string {
	if len(r.levels) == 0 {
		return ""
	}
	return r.levels[0].Code
}

// InWindow reports whether purchases and bonuses dated d earn points.
func (r *Rules) InWindow(d Date) bool {
	return !d.Before(r.p.ValidFrom) && (r.p.ValidTo.IsZero() || !d.After(r.p.ValidTo))
}

// checkWindow returns a *ValidationError for field unless d is in the
// programme's window.
func (r *Rules) checkWindow(field string, d Date) error {
	if !d.Valid() {
		return invalid(field, ReasonBadDate, d.String())
	}
	if !r.InWindow(d) {
		to := "open-ended"
		if !r.p.ValidTo.IsZero() {
			to = r.p.ValidTo.String()
		}
		return invalidf(field, ReasonOutsideWindow, d.String(), "the programme runs from %s to %s", r.p.ValidFrom, to)
	}
	return nil
}

// Expiry returns the expiry of points earned on d: ExpiryDays after d, or
// the zero Date (never) when the programme's points do not expire.
func (r *Rules) Expiry(earned Date) Date {
	if r.p.ExpiryDays == 0 {
		return Date{}
	}
	return earned.AddDays(r.p.ExpiryDays)
}

// BonusExpiry returns the expiry of bonus points granted on d.
func (r *Rules) BonusExpiry(granted Date) Date {
	if r.p.Bonuses.ExpiryDays > 0 {
		return granted.AddDays(r.p.Bonuses.ExpiryDays)
	}
	return r.Expiry(granted)
}

// tierIndex returns the index of the tier code; an unknown or empty code
// counts as the lowest tier.
func (r *Rules) tierIndex(code string) int {
	if i, ok := r.byCode[code]; ok {
		return i
	}
	return 0
}

// known reports whether code is a tier of the programme.
func (r *Rules) known(code string) bool {
	_, ok := r.byCode[code]
	return ok
}

// qualified returns the index of the highest tier whose threshold metric
// reaches (thresholds are inclusive).
func (r *Rules) qualified(metric decimal.Decimal) int {
	best := 0
	for i, l := range r.levels {
		if metric.Cmp(l.threshold) >= 0 {
			best = i
		}
	}
	return best
}

// windowStart returns the first day of the tier window ending on d, or
// the zero Date for a lifetime window.
func (r *Rules) windowStart(d Date) Date {
	switch r.p.Tiers.Window.Kind {
	case WindowCalendarYear:
		return Date{Year: d.Year, Month: 1, Day: 1}
	case WindowRolling:
		return d.AddDays(1 - r.p.Tiers.Window.Days)
	}
	return Date{}
}

// WindowStart returns the first day of the tier window that ends on d
// (the zero Date for a lifetime window): the from date of the
// Store.Qualifying query that gives a Standing.
func (r *Rules) WindowStart(d Date) Date { return r.windowStart(d) }

// metricOf returns the tier metric of a qualifying total.
func (r *Rules) metricOf(q Qualifying) decimal.Decimal {
	if r.p.Tiers.Metric == MetricPoints {
		return q.Points
	}
	return q.Spend.Decimal()
}

// value returns the money value of points, rounded to the minor unit.
func (r *Rules) value(points decimal.Decimal) money.Amount {
	if r.p.Redeem.PointValue.IsZero() {
		return money.Zero(r.p.Currency)
	}
	return r.p.Redeem.PointValue.Mul(points).Round(r.p.Redeem.ValueRounding)
}

// clone returns a deep copy of the programme.
func (p Programme) clone() Programme {
	p.Earn.PerSKU = slices.Clone(p.Earn.PerSKU)
	p.Earn.Multipliers = slices.Clone(p.Earn.Multipliers)
	p.Earn.ExcludedSKUs = slices.Clone(p.Earn.ExcludedSKUs)
	p.Tiers.Levels = slices.Clone(p.Tiers.Levels)
	return p
}
