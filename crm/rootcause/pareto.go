package rootcause

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/civil"
	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/money"
)

// Record is one categorised claim for Pareto analysis.
type Record struct {
	Cause    Code
	Cost     money.Amount // what the claim cost; zero if unknown
	At       time.Time    // when the claim was registered
	ClientID string
	Product  string
	// Party is who answers for the claim; empty means the usual party of
	// the cause's category in the taxonomy.
	Party Party
}

// Dimension is what a Pareto analysis groups claims by.
type Dimension string

// The dimensions.
const (
	ByCause   Dimension = "cause"
	ByClient  Dimension = "client"
	ByProduct Dimension = "product"
	ByParty   Dimension = "party"
)

// Measure is what a Pareto analysis ranks groups by.
type Measure string

// The measures.
const (
	ByCount Measure = "count" // number of claims
	ByCost  Measure = "cost"  // sum of claim costs
)

// Period is the half-open interval [From, To). A zero From or To leaves
// that side open.
type Period struct {
	From, To time.Time
}

// Contains reports whether t is in the period.
func (p Period) Contains(t time.Time) bool {
	return (p.From.IsZero() || !t.Before(p.From)) && (p.To.IsZero() || t.Before(p.To))
}

// Previous returns the period before p: when p spans whole calendar
// months (From is the first instant of the first of a month — midnight,
// or the jump where the clocks skip it — and To that of a later month,
// in From's location) it is the same number of months
// before — the previous month, quarter or year; otherwise it is the
// same duration ending where p begins. Both bounds of p must be set;
// otherwise it returns the zero Period, which ComparePareto refuses.
func (p Period) Previous() Period {
	if p.From.IsZero() || p.To.IsZero() || !p.To.After(p.From) {
		return Period{}
	}
	if months, ok := wholeMonths(p); ok {
		loc := p.From.Location()
		return Period{From: monthStart(p.From, loc).AddMonths(-months).Start(loc), To: p.From}
	}
	return Period{From: p.From.Add(-p.To.Sub(p.From)), To: p.From}
}

// Month returns the calendar month as a Period in loc (UTC when nil).
func Month(year int, month time.Month, loc *time.Location) Period {
	if loc == nil {
		loc = time.UTC
	}
	first := civil.MustDate(year, month, 1)
	return Period{From: first.Start(loc), To: first.AddMonths(1).Start(loc)}
}

// monthStart is the first day of the month t is in, read in loc; for the
// first instant of a month (which is not midnight where the clocks skip
// it) that is the month itself.
func monthStart(t time.Time, loc *time.Location) civil.Date {
	d := civil.DateOf(t, loc)
	return civil.MustDate(d.Year, d.Month, 1)
}

func wholeMonths(p Period) (int, bool) {
	loc := p.From.Location()
	from, to := monthStart(p.From, loc), monthStart(p.To, loc)
	if !from.Start(loc).Equal(p.From) || !to.Start(loc).Equal(p.To) {
		return 0, false
	}
	months := (to.Year-from.Year)*12 + int(to.Month-from.Month)
	return months, months > 0
}

func (p Period) valid() bool { return p.From.IsZero() || p.To.IsZero() || p.To.After(p.From) }

// ParetoOptions tune Pareto. The zero value ranks causes by cost over
// all records, with an 80% target for the cut.
type ParetoOptions struct {
	// Dimension groups the records; "" means ByCause.
	Dimension Dimension
	// Measure ranks the groups; "" means ByCost.
	Measure Measure
	// Period keeps the records whose At it contains.
	Period Period
	// Target is the cumulative share the cut aims at, in (0, 1]; 0 means 0.8.
	Target float64
	// MaxGroups keeps at most this many named groups and folds the rest
	// into "other"; 0 means all.
	MaxGroups int
	// Taxonomy names the causes, says which cause is "other" (its
	// fallback) and supplies the party of a record without one; nil means
	// DefaultTaxonomy.
	Taxonomy *Taxonomy
}

// ParetoRow is one group of a Pareto analysis.
type ParetoRow struct {
	// Key is the cause code, client id, product or party; "" for the
	// "other" row of clients, products and parties.
	Key string
	// NameEN and NameRU name a cause from the taxonomy (and "Other" /
	// "Прочее" for the other row); for other dimensions they are Key.
	NameEN, NameRU string
	Count          int
	Cost           money.Amount
	// Share is the group's share of the total measure, 0–1.
	Share float64
	// Cumulative is the share of this row and every row above it.
	Cumulative float64
	// Vital marks the rows of the cut (the "vital few").
	Vital bool
	// Other marks the row of everything without a key, with the
	// fallback cause, or folded by MaxGroups. It is always last.
	Other bool
}

// ParetoReport is a Pareto analysis: groups sorted by the measure (ties
// by the other measure, then by key), "other" last, with shares and the
// cut.
type ParetoReport struct {
	Dimension Dimension
	Measure   Measure
	Period    Period
	Target    float64
	Rows      []ParetoRow
	// Groups is the number of named groups (rows that are not "other").
	Groups     int
	TotalCount int
	TotalCost  money.Amount
	// CutGroups is the number of leading named groups whose cumulative
	// share is closest to Target (ties: fewer groups), and CutShare their
	// actual share — reported as it is, not rounded to the target.
	CutGroups int
	CutShare  float64
}

// Code returns a stable code for the report's kind: "pareto_cause_cost",
// "pareto_client_count", ...
func (r ParetoReport) Code() string { return "pareto_" + string(r.Dimension) + "_" + string(r.Measure) }

// Message states the cut in the language of tag: "3 of 11 causes = 78%
// of cost" / "3 из 11 причин = 78% затрат".
func (r ParetoReport) Message(tag string) string {
	nounEN, nounRU := "causes", "причин"
	switch r.Dimension {
	case ByClient:
		nounEN, nounRU = "clients", "клиентов"
	case ByProduct:
		nounEN, nounRU = "products", "товаров"
	case ByParty:
		nounEN, nounRU = "parties", "ответственных"
	}
	whatEN, whatRU := "of cost", "затрат"
	if r.Measure == ByCount {
		whatEN, whatRU = "of claims", "претензий"
	}
	if r.Groups == 0 || r.CutGroups == 0 {
		return lang.Pick(tag, "no "+nounEN+" to rank", "нет "+nounRU+" для анализа")
	}
	pct := math.Round(r.CutShare * 100)
	if r.Groups%10 == 1 && r.Groups%100 != 11 { // "из 21 причины": genitive singular
		nounRU = map[Dimension]string{ByClient: "клиента", ByProduct: "товара", ByParty: "ответственного"}[r.Dimension]
		if nounRU == "" {
			nounRU = "причины"
		}
	}
	return lang.Pick(tag,
		fmt.Sprintf("%d of %d %s = %.0f%% %s", r.CutGroups, r.Groups, nounEN, pct, whatEN),
		fmt.Sprintf("%d из %d %s = %.0f%% %s", r.CutGroups, r.Groups, nounRU, pct, whatRU))
}

// Pareto ranks the records' groups by count or cost. Costs are summed
// exactly with money: every non-zero cost must be in one currency (a
// mismatch is an error that also matches money.ErrCurrencyMismatch), and
// no cost may be negative. Errors match ErrInvalidPareto.
func Pareto(records []Record, opt ParetoOptions) (ParetoReport, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return ParetoReport{}, err
	}
	return pareto(records, opt, opt.Period)
}

func (o ParetoOptions) withDefaults() (ParetoOptions, error) {
	bad := func(reason Reason, field, value string) (ParetoOptions, error) {
		return o, newError(ErrInvalidPareto, reason, field, value, "")
	}
	switch o.Dimension {
	case "":
		o.Dimension = ByCause
	case ByCause, ByClient, ByProduct, ByParty:
	default:
		return bad(ReasonOutOfRange, "dimension", string(o.Dimension))
	}
	switch o.Measure {
	case "":
		o.Measure = ByCost
	case ByCount, ByCost:
	default:
		return bad(ReasonOutOfRange, "measure", string(o.Measure))
	}
	if o.Target == 0 {
		o.Target = 0.8
	}
	if !(o.Target > 0 && o.Target <= 1) {
		return bad(ReasonOutOfRange, "target", fmt.Sprint(o.Target))
	}
	if o.MaxGroups < 0 {
		return bad(ReasonOutOfRange, "max_groups", fmt.Sprint(o.MaxGroups))
	}
	if !o.Period.valid() {
		return bad(ReasonBadPeriod, "period", "")
	}
	if o.Taxonomy == nil {
		o.Taxonomy = DefaultTaxonomy()
	}
	return o, nil
}

type paretoGroup struct {
	key   string
	count int
	cost  money.Amount
}

func pareto(records []Record, opt ParetoOptions, period Period) (ParetoReport, error) {
	rep := ParetoReport{Dimension: opt.Dimension, Measure: opt.Measure, Period: period, Target: opt.Target}
	index := make(map[string]int)
	var groups []paretoGroup
	var other paretoGroup
	var hasOther bool
	for i, r := range records {
		if !period.Contains(r.At) {
			continue
		}
		if r.Cost.IsNegative() {
			return ParetoReport{}, newError(ErrInvalidPareto, ReasonOutOfRange, fmt.Sprintf("records[%d].cost", i),
				r.Cost.String(), "a cost is not negative")
		}
		cost := r.Cost
		if cost.IsZero() {
			cost = money.Amount{} // a zero cost has no currency to mix up
		}
		total, err := rep.TotalCost.Add(cost)
		if err != nil {
			return ParetoReport{}, &Error{Kind: ErrInvalidPareto, Reason: ReasonCurrencyMismatch,
				Field: fmt.Sprintf("records[%d].cost", i), Err: err}
		}
		rep.TotalCost = total
		rep.TotalCount++
		key, isOther := opt.key(r)
		g := &other
		if isOther {
			hasOther = true
		} else {
			j, ok := index[key]
			if !ok {
				j = len(groups)
				index[key] = j
				groups = append(groups, paretoGroup{key: key})
			}
			g = &groups[j]
		}
		g.count++
		g.cost, _ = g.cost.Add(cost) // one currency: checked on the total above
	}
	byCount := func(a, b paretoGroup) int { return cmp.Compare(b.count, a.count) }
	byCost := func(a, b paretoGroup) int { return b.cost.Decimal().Cmp(a.cost.Decimal()) }
	first, second := byCost, byCount
	if opt.Measure == ByCount {
		first, second = byCount, byCost
	}
	slices.SortFunc(groups, func(a, b paretoGroup) int {
		if c := first(a, b); c != 0 {
			return c
		}
		if c := second(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.key, b.key)
	})
	if opt.MaxGroups > 0 && len(groups) > opt.MaxGroups {
		for _, g := range groups[opt.MaxGroups:] {
			other.count += g.count
			other.cost, _ = other.cost.Add(g.cost)
		}
		hasOther = true
		groups = groups[:opt.MaxGroups]
	}
	rep.Groups = len(groups)
	if hasOther {
		other.key = opt.otherKey()
		groups = append(groups, other)
	}

	// Shares, exact in decimal until the final conversion.
	totalCount := decimal.NewFromInt(int64(rep.TotalCount))
	totalCost := rep.TotalCost.Decimal()
	cumulative := decimal.Zero
	bestDiff := math.Inf(1)
	for i, g := range groups {
		value, total := g.cost.Decimal(), totalCost
		if opt.Measure == ByCount {
			value, total = decimal.NewFromInt(int64(g.count)), totalCount
		}
		row := ParetoRow{Key: g.key, Count: g.count, Cost: g.cost, Other: i >= rep.Groups}
		row.NameEN, row.NameRU = opt.names(g.key, row.Other)
		if !total.IsZero() {
			cumulative = cumulative.Add(value)
			row.Share = value.DivRound(total, 12).InexactFloat64()
			row.Cumulative = cumulative.DivRound(total, 12).InexactFloat64()
			if !row.Other && value.IsPositive() { // a group that adds nothing is never vital
				if d := math.Abs(row.Cumulative - opt.Target); d < bestDiff-1e-12 {
					bestDiff = d
					rep.CutGroups, rep.CutShare = i+1, row.Cumulative
				}
			}
		}
		rep.Rows = append(rep.Rows, row)
	}
	for i := range rep.CutGroups {
		rep.Rows[i].Vital = true
	}
	return rep, nil
}

// key returns the group of a record, or reports that it belongs to "other".
func (o ParetoOptions) key(r Record) (string, bool) {
	var k string
	switch o.Dimension {
	case ByCause:
		if r.Cause == o.Taxonomy.Fallback().Code {
			return "", true
		}
		k = string(r.Cause)
	case ByClient:
		k = r.ClientID
	case ByProduct:
		k = r.Product
	case ByParty:
		k = string(r.Party)
		if k == "" {
			if c, ok := o.Taxonomy.Category(r.Cause); ok {
				k = string(c.Party)
			}
		}
	}
	return k, k == ""
}

func (o ParetoOptions) otherKey() string {
	if o.Dimension == ByCause {
		return string(o.Taxonomy.Fallback().Code)
	}
	return ""
}

func (o ParetoOptions) names(key string, other bool) (en, ru string) {
	if other {
		return "Other", "Прочее"
	}
	if o.Dimension == ByCause {
		if c, ok := o.Taxonomy.Category(Code(key)); ok {
			return c.NameEN, c.NameRU
		}
	}
	return key, key
}

// ParetoChange compares one group between two periods. A group absent
// from a period has a zero row there and rank 0.
type ParetoChange struct {
	Key                   string
	Current, Previous     ParetoRow
	CurrentRank, PrevRank int // 1-based among named groups; 0 when absent or "other"
	CountDelta            int
	CostDelta             money.Amount
	ShareDelta            float64
}

// ParetoComparison is a Pareto analysis of one period set against the
// period before it.
type ParetoComparison struct {
	Current, Previous ParetoReport
	// Changes follow the current period's rows, then the groups found only
	// in the previous period in its order; "other" is always last.
	Changes []ParetoChange
}

// ComparePareto analyses the current and the previous period with the
// same options (opt.Period is ignored) and lists the change of every
// group. Use Period.Previous for the period of the same length before.
// With MaxGroups, a group named in one period but folded into "other" in
// the other keeps its own figures there (with rank 0): it is not absent,
// and "other"'s change compares the folded totals, which include it.
func ComparePareto(records []Record, opt ParetoOptions, current, previous Period) (ParetoComparison, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return ParetoComparison{}, err
	}
	for _, p := range []struct {
		name string
		p    Period
	}{{"current", current}, {"previous", previous}} {
		if !p.p.valid() || p.p == (Period{}) {
			return ParetoComparison{}, newError(ErrInvalidPareto, ReasonBadPeriod, p.name, "", "")
		}
	}
	var cmpRep ParetoComparison
	if cmpRep.Current, err = pareto(records, opt, current); err != nil {
		return ParetoComparison{}, err
	}
	if cmpRep.Previous, err = pareto(records, opt, previous); err != nil {
		return ParetoComparison{}, err
	}
	// With MaxGroups, a group named in one period may be folded into
	// "other" in the other: it is not absent there, so its own figures
	// come from the unfolded analysis.
	var curAll, prevAll map[string]ParetoRow
	if opt.MaxGroups > 0 {
		unfolded := opt
		unfolded.MaxGroups = 0
		rows := func(p Period) (map[string]ParetoRow, error) {
			rep, err := pareto(records, unfolded, p)
			m := make(map[string]ParetoRow, len(rep.Rows))
			for _, r := range rep.Rows {
				if !r.Other {
					r.Vital = false
					m[r.Key] = r
				}
			}
			return m, err
		}
		if curAll, err = rows(current); err != nil {
			return ParetoComparison{}, err
		}
		if prevAll, err = rows(previous); err != nil {
			return ParetoComparison{}, err
		}
	}
	type at struct{ row, rank int }
	prev := make(map[string]at)
	var prevOther = -1
	for i, r := range cmpRep.Previous.Rows {
		if r.Other {
			prevOther = i
			continue
		}
		prev[r.Key] = at{i, i + 1}
	}
	change := func(cur ParetoRow, curRank int, p ParetoRow, prevRank int) (ParetoChange, error) {
		c := ParetoChange{Key: cur.Key, Current: cur, Previous: p, CurrentRank: curRank, PrevRank: prevRank,
			CountDelta: cur.Count - p.Count, ShareDelta: cur.Share - p.Share}
		if c.Key == "" {
			c.Key = p.Key
		}
		var err error
		if c.CostDelta, err = cur.Cost.Sub(p.Cost); err != nil {
			return c, &Error{Kind: ErrInvalidPareto, Reason: ReasonCurrencyMismatch, Field: "periods", Err: err}
		}
		return c, nil
	}
	seen := make(map[string]bool)
	var otherChange *ParetoChange
	for i, r := range cmpRep.Current.Rows {
		var p ParetoRow
		prevRank := 0
		if r.Other {
			if prevOther >= 0 {
				p = cmpRep.Previous.Rows[prevOther]
			}
		} else if a, ok := prev[r.Key]; ok {
			p, prevRank = cmpRep.Previous.Rows[a.row], a.rank
			seen[r.Key] = true
		} else if folded, ok := prevAll[r.Key]; ok {
			p = folded
		}
		rank := i + 1
		if r.Other {
			rank = 0
		}
		c, err := change(r, rank, p, prevRank)
		if err != nil {
			return ParetoComparison{}, err
		}
		if r.Other {
			otherChange = &c
			continue
		}
		cmpRep.Changes = append(cmpRep.Changes, c)
	}
	for i, r := range cmpRep.Previous.Rows {
		if r.Other || seen[r.Key] {
			continue
		}
		cur, ok := curAll[r.Key]
		if !ok {
			cur = ParetoRow{Key: r.Key, NameEN: r.NameEN, NameRU: r.NameRU}
		}
		c, err := change(cur, 0, r, i+1)
		if err != nil {
			return ParetoComparison{}, err
		}
		cmpRep.Changes = append(cmpRep.Changes, c)
	}
	if otherChange == nil && prevOther >= 0 {
		p := cmpRep.Previous.Rows[prevOther]
		c, err := change(ParetoRow{Key: p.Key, NameEN: p.NameEN, NameRU: p.NameRU, Other: true}, 0, p, 0)
		if err != nil {
			return ParetoComparison{}, err
		}
		otherChange = &c
	}
	if otherChange != nil {
		cmpRep.Changes = append(cmpRep.Changes, *otherChange)
	}
	return cmpRep, nil
}
