package loyalty

import (
	"slices"
	"sort"

	"github.com/shopspring/decimal"
)

// Movement is one change of the tier metric: a purchase adds, a return
// subtracts.
type Movement struct {
	Date   Date
	Spend  decimal.Decimal // qualifying spend, in the programme's currency
	Points decimal.Decimal // qualifying points
}

// MovementOf returns the entry's change of the tier metric, and whether it
// has one. A return's movement is dated on its purchase's day
// (Entry.MetricDate): callers pass only the entries posted by the day they
// judge.
func MovementOf(e Entry) (Movement, bool) {
	if e.Qualifying.IsZero() && e.TierPoints.IsZero() {
		return Movement{}, false
	}
	return Movement{Date: e.metricDay(), Spend: e.Qualifying.Decimal(), Points: e.TierPoints}, true
}

// TierReview is the outcome of reviewing a client's tier on a day.
type TierReview struct {
	// From is the client's tier; To the tier they should be in. Change
	// reports whether they differ.
	From, To string
	Change   bool
	// Reason is why the tier changes: "upgrade", "period_end", "grace",
	// "unknown_tier" (the account's tier is not one of the programme's);
	// "" when it does not.
	Reason string
	// Metric is the client's tier metric over the window ending on the
	// review's day, and Qualified the tier it reaches.
	Metric    decimal.Decimal
	Qualified string
	// BelowSince is, under the grace rule, the first day of the stretch
	// in which the metric has been below the tier's threshold (zero when
	// it is not below).
	BelowSince Date
}

// ReviewTier decides a client's tier on day asOf from the account and the
// movements of its tier metric (in any order). It is pure and, once its
// decision is posted (the account's TierSince becomes asOf), reviewing
// again on the same day decides no change: tier review is an explicit,
// idempotent function of the as-of date.
//
// The client moves up at once to the highest tier their metric reaches.
// Below their tier's threshold, they move down per the programme's
// downgrade rule: never; at period end (at the first review on or after
// each 1 January, or every Days days after TierSince for a rolling
// window, to the higher of the tier the period just ended qualifies for
// and the tier the current metric qualifies for); or after a grace
// period (once the metric has been below the threshold for GraceDays
// days in a row, to the tier the current metric qualifies for).
func (r *Rules) ReviewTier(a Account, moves []Movement, asOf Date) TierReview {
	if len(r.levels) == 0 {
		return TierReview{From: a.Tier, To: a.Tier}
	}
	s := r.newSeries(moves)
	metric := s.metricAt(asOf)
	c := r.tierIndex(a.Tier)
	q := r.qualified(metric)
	rv := TierReview{From: a.Tier, To: a.Tier, Metric: normalize(metric), Qualified: r.levels[q].Code}
	to := func(i int, reason string) TierReview {
		rv.To, rv.Change, rv.Reason = r.levels[i].Code, r.levels[i].Code != a.Tier, reason
		if !rv.Change {
			rv.Reason = ""
		}
		return rv
	}
	if _, known := r.byCode[a.Tier]; !known {
		return to(q, "unknown_tier")
	}
	if q > c {
		return to(q, "upgrade")
	}
	if q == c {
		return rv
	}
	since := a.TierSince
	if since.IsZero() {
		since = a.Opened
	}
	dg := r.p.Tiers.Downgrade
	switch dg.Kind {
	case DowngradeAtPeriodEnd:
		var ended Date // the last day of the period just ended
		switch r.p.Tiers.Window.Kind {
		case WindowCalendarYear:
			if jan1 := (Date{Year: asOf.Year, Month: 1, Day: 1}); since.Before(jan1) {
				ended = jan1.AddDays(-1)
			}
		case WindowRolling:
			n := r.p.Tiers.Window.Days
			if k := since.DaysUntil(asOf) / n; k >= 1 {
				ended = since.AddDays(k*n - 1)
			}
		}
		if ended.IsZero() {
			return rv
		}
		if target := max(r.qualified(s.metricAt(ended)), q); target < c {
			return to(target, "period_end")
		}
	case DowngradeAfterGrace:
		rv.BelowSince = s.lastReaching(r.levels[c].threshold, since, asOf).AddDays(1)
		if rv.BelowSince.DaysUntil(asOf) >= dg.GraceDays {
			return to(q, "grace")
		}
	}
	return rv
}

// series answers "what was the metric over the window ending on day e"
// from movements sorted by date with running sums.
type series struct {
	r     *Rules
	dates []Date
	sums  []decimal.Decimal // sums[i]: total of moves[0..i]
}

func (r *Rules) newSeries(moves []Movement) series {
	sorted := slices.Clone(moves)
	slices.SortStableFunc(sorted, func(a, b Movement) int { return a.Date.Compare(b.Date) })
	s := series{r: r, dates: make([]Date, len(sorted)), sums: make([]decimal.Decimal, len(sorted))}
	var run decimal.Decimal
	for i, m := range sorted {
		v := m.Spend
		if r.p.Tiers.Metric == MetricPoints {
			v = m.Points
		}
		run = run.Add(v)
		s.dates[i], s.sums[i] = m.Date, run
	}
	return s
}

// through returns the total of the movements dated on or before d.
func (s series) through(d Date) decimal.Decimal {
	i := sort.Search(len(s.dates), func(i int) bool { return s.dates[i].After(d) })
	if i == 0 {
		return decimal.Decimal{}
	}
	return s.sums[i-1]
}

// metricAt returns the metric over the window that ends on e.
func (s series) metricAt(e Date) decimal.Decimal {
	total := s.through(e)
	if start := s.r.windowStart(e); !start.IsZero() {
		total = total.Sub(s.through(start.AddDays(-1)))
	}
	return total
}

// lastReaching returns the latest day in [from, to] on which the metric
// reached threshold, or the day before from when there is none. The
// metric changes only on the days a movement enters or leaves the window
// (and on 1 January for a calendar-year window), so only those days and
// from need to be looked at.
func (s series) lastReaching(threshold decimal.Decimal, from, to Date) Date {
	cands := []Date{from}
	add := func(d Date) {
		if d.After(from) && !d.After(to) {
			cands = append(cands, d)
		}
	}
	for _, d := range s.dates {
		add(d)
		if s.r.p.Tiers.Window.Kind == WindowRolling {
			add(d.AddDays(s.r.p.Tiers.Window.Days))
		}
	}
	if s.r.p.Tiers.Window.Kind == WindowCalendarYear {
		for y := from.Year + 1; y <= to.Year; y++ {
			add(Date{Year: y, Month: 1, Day: 1})
		}
	}
	slices.SortFunc(cands, Date.Compare)
	cands = slices.Compact(cands)
	for i := len(cands) - 1; i >= 0; i-- {
		if s.metricAt(cands[i]).Cmp(threshold) >= 0 {
			if i == len(cands)-1 {
				return to
			}
			return cands[i+1].AddDays(-1)
		}
	}
	return from.AddDays(-1)
}
