package credit

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// Mode is what a credit policy does when a rule fires on an order.
type Mode string

// Modes of a credit policy.
const (
	// ModeOff: no credit control; orders are confirmed without a check.
	ModeOff Mode = "off"
	// ModeWarn: the order is confirmed and the warning shown.
	ModeWarn Mode = "warn"
	// ModeHold: the order waits for a credit controller's release.
	ModeHold Mode = "hold"
	// ModeBlock: the order is refused unless a credit controller overrides.
	ModeBlock Mode = "block"
)

// Valid reports whether m is one of the modes.
func (m Mode) Valid() bool {
	return m == ModeOff || m == ModeWarn || m == ModeHold || m == ModeBlock
}

// Policy is the credit policy for a client: its limit, the overdue
// triggers and what happens when one fires.
type Policy struct {
	Mode Mode
	// Limit is the credit limit. The zero Amount (no currency) sets no
	// limit, and only the overdue rules apply; to give no credit at all,
	// set money.Zero(currency).
	Limit money.Amount
	// OverdueThreshold fires the overdue rule when the overdue amount is
	// strictly greater; the zero Amount (no currency) disables it, and
	// money.Zero(currency) fires on any overdue amount.
	OverdueThreshold money.Amount
	// MaxDaysOverdue fires the overdue rule when any invoice is overdue by
	// more than this many days; 0 disables it.
	MaxDaysOverdue int
}

// Validate checks the policy: a known mode, a limit and a threshold that
// are not negative and in one currency, MaxDaysOverdue not negative.
// field prefixes the names in errors.
func (p Policy) Validate(field string) error {
	if field != "" {
		field += "."
	}
	if !p.Mode.Valid() {
		if p.Mode == "" {
			return invalid(field+"mode", CodeRequired, "")
		}
		return invalid(field+"mode", CodeUnknownValue, string(p.Mode))
	}
	if present(p.Limit) && p.Limit.IsNegative() {
		return invalid(field+"limit", CodeNegative, p.Limit.String())
	}
	if present(p.OverdueThreshold) {
		if p.OverdueThreshold.IsNegative() {
			return invalid(field+"overdue_threshold", CodeNegative, p.OverdueThreshold.String())
		}
		if present(p.Limit) && p.Limit.Currency() != p.OverdueThreshold.Currency() {
			return invalidf(field+"overdue_threshold", CodeCurrency, p.OverdueThreshold.String(), "the limit is in "+p.Limit.Currency().Code(), "лимит в валюте "+p.Limit.Currency().Code())
		}
	}
	if p.MaxDaysOverdue < 0 {
		return invalid(field+"max_days_overdue", CodeNegative, strconv.Itoa(p.MaxDaysOverdue))
	}
	return nil
}

// Level says where a client's policy came from.
type Level string

// Levels of policy, most specific first.
const (
	LevelClient  Level = "client"
	LevelGroup   Level = "group"
	LevelDefault Level = "default"
)

// Policies holds the credit policies of a company: one per client, else
// one per client group, else the company default. The most specific
// policy applies whole; fields are not merged across levels.
type Policies struct {
	Default Policy
	Groups  map[string]Policy // by client group
	Clients map[string]Policy // by client id
}

// Resolve returns the policy for the client in group (group may be empty)
// and where it came from. The policy found is validated; an invalid one is
// an *InputError naming it ("policies.groups[\"retail\"].mode").
func (ps Policies) Resolve(clientID, group string) (Policy, Level, error) {
	if p, ok := ps.Clients[clientID]; ok && clientID != "" {
		return p, LevelClient, p.Validate("policies.clients[" + strconv.Quote(shorten(clientID)) + "]")
	}
	if p, ok := ps.Groups[group]; ok && group != "" {
		return p, LevelGroup, p.Validate("policies.groups[" + strconv.Quote(shorten(group)) + "]")
	}
	return ps.Default, LevelDefault, ps.Default.Validate("policies.default")
}

// Profile is what is known about a client's credit standing: the inputs
// of limit recommendations and of the solvency check. Any part may be nil.
type Profile struct {
	ClientID string
	// Currency is the currency limits are set in; required by
	// RecommendLimit and AssessSolvency.
	Currency   money.Currency
	Score      *Score
	Financials *Analysis
	Payments   *PaymentBehaviour
}

// Recommendation is one method's credit limit with its reasoning.
type Recommendation struct {
	Method  string
	Limit   money.Amount
	Reasons []Reason
}

// LimitMethod recommends a credit limit. Recommend returns an
// *UnavailableError when the profile lacks what the method needs and an
// *InputError when the method's configuration is invalid.
type LimitMethod interface {
	Name() string
	Recommend(p Profile) (Recommendation, error)
}

// ShareOfNetWorth recommends Share × net worth (book equity). A net worth
// that is not positive recommends zero.
type ShareOfNetWorth struct {
	Share decimal.Decimal // in (0, 1]
}

// Name returns "share_of_net_worth".
func (m ShareOfNetWorth) Name() string { return "share_of_net_worth" }

// Recommend implements LimitMethod.
func (m ShareOfNetWorth) Recommend(p Profile) (Recommendation, error) {
	if err := checkShare(m.Name(), m.Share); err != nil {
		return Recommendation{}, err
	}
	if p.Financials == nil {
		return Recommendation{}, unavailable(m.Name(), CodeMissing, "financials")
	}
	if !p.Financials.NetWorth.OK() {
		return Recommendation{}, unavailable(m.Name(), CodeMissing, FieldEquity)
	}
	return shareOf(m.Name(), m.Share, p.Financials.NetWorth.Amount, p.Currency, "net worth", "собственного капитала")
}

// ShareOfWorkingCapital recommends Share × working capital (current
// assets − current liabilities). Working capital that is not positive
// recommends zero.
type ShareOfWorkingCapital struct {
	Share decimal.Decimal // in (0, 1]
}

// Name returns "share_of_working_capital".
func (m ShareOfWorkingCapital) Name() string { return "share_of_working_capital" }

// Recommend implements LimitMethod.
func (m ShareOfWorkingCapital) Recommend(p Profile) (Recommendation, error) {
	if err := checkShare(m.Name(), m.Share); err != nil {
		return Recommendation{}, err
	}
	if p.Financials == nil {
		return Recommendation{}, unavailable(m.Name(), CodeMissing, "financials")
	}
	if !p.Financials.WorkingCapital.OK() {
		return Recommendation{}, p.Financials.WorkingCapital.Err
	}
	return shareOf(m.Name(), m.Share, p.Financials.WorkingCapital.Amount, p.Currency, "working capital", "оборотного капитала")
}

func checkShare(method string, share decimal.Decimal) error {
	if err := boundedDec(method+".share", share); err != nil {
		return err
	}
	if !share.IsPositive() || share.GreaterThan(decimal.NewFromInt(1)) {
		return invalidf(method+".share", CodeOutOfRange, share.String(), "a share lies in (0, 1]", "доля должна быть в (0, 1]")
	}
	return nil
}

func shareOf(method string, share decimal.Decimal, basis money.Amount, cur money.Currency, en, ru string) (Recommendation, error) {
	if basis.Currency() != cur {
		return Recommendation{}, invalidf("financials", CodeCurrency, basis.String(), "limits are set in "+cur.Code(), "лимиты устанавливаются в валюте "+cur.Code())
	}
	pctEN, pctRU := fmtDec(share.Mul(decimal.NewFromInt(100)), 2)
	if !basis.IsPositive() {
		return Recommendation{Method: method, Limit: money.Zero(cur), Reasons: []Reason{{Code: method + "_not_positive",
			EN: fmt.Sprintf("%s is %s: no credit on it", en, basis.Format("en")),
			RU: fmt.Sprintf("размер %s %s: кредит под него не даётся", ru, basis.Format("ru"))}}}, nil
	}
	limit := basis.Mul(share)
	return Recommendation{Method: method, Limit: limit, Reasons: []Reason{{Code: method,
		EN: fmt.Sprintf("%s%% of %s %s = %s", pctEN, en, basis.Format("en"), limit.Format("en")),
		RU: fmt.Sprintf("%s%% %s %s = %s", pctRU, ru, basis.Format("ru"), limit.Format("ru"))}}}, nil
}

// IndexAdjustment is a factor applied to a limit when the payment index is
// at least MinIndex.
type IndexAdjustment struct {
	MinIndex decimal.Decimal
	Factor   decimal.Decimal
}

// DefaultIndexAdjustments returns the default adjustments: the full
// multiple at an index of 80 and above (paying on terms), 0.75 from 70,
// 0.5 from 60, 0.25 from 50, nothing below 50. Each call returns a new
// slice, so a host changing its copy changes no one else's default.
func DefaultIndexAdjustments() []IndexAdjustment { return slices.Clone(defaultIndexAdjustments) }

var defaultIndexAdjustments = []IndexAdjustment{
	{decimal.NewFromInt(80), decimal.NewFromInt(1)},
	{decimal.NewFromInt(70), decimal.RequireFromString("0.75")},
	{decimal.NewFromInt(60), decimal.RequireFromString("0.5")},
	{decimal.NewFromInt(50), decimal.RequireFromString("0.25")},
}

// PurchasesMultiple recommends Multiple × the average monthly purchases,
// times the factor of the first adjustment whose MinIndex the payment
// index reaches (adjustments are tried from the highest MinIndex down;
// below every MinIndex the factor is 0). Without a payment index (nothing
// paid or overdue yet) the factor is WithoutIndex.
type PurchasesMultiple struct {
	Multiple     decimal.Decimal   // positive, at most 120
	Adjustments  []IndexAdjustment // nil: DefaultIndexAdjustments
	WithoutIndex decimal.Decimal   // 0..1
}

// Name returns "purchases_multiple".
func (m PurchasesMultiple) Name() string { return "purchases_multiple" }

// Recommend implements LimitMethod.
func (m PurchasesMultiple) Recommend(p Profile) (Recommendation, error) {
	name := m.Name()
	if err := boundedDec(name+".multiple", m.Multiple); err != nil {
		return Recommendation{}, err
	}
	if err := boundedDec(name+".without_index", m.WithoutIndex); err != nil {
		return Recommendation{}, err
	}
	if !m.Multiple.IsPositive() || m.Multiple.GreaterThan(decimal.NewFromInt(120)) {
		return Recommendation{}, invalid(name+".multiple", CodeOutOfRange, m.Multiple.String())
	}
	if m.WithoutIndex.IsNegative() || m.WithoutIndex.GreaterThan(decimal.NewFromInt(1)) {
		return Recommendation{}, invalid(name+".without_index", CodeOutOfRange, m.WithoutIndex.String())
	}
	adj := m.Adjustments
	if adj == nil {
		adj = defaultIndexAdjustments
	}
	for i, a := range adj {
		if err := boundedDec(fmt.Sprintf("%s.adjustments[%d].min_index", name, i), a.MinIndex); err != nil {
			return Recommendation{}, err
		}
		if err := boundedDec(fmt.Sprintf("%s.adjustments[%d].factor", name, i), a.Factor); err != nil {
			return Recommendation{}, err
		}
		if a.Factor.IsNegative() || a.Factor.GreaterThan(decimal.NewFromInt(1)) {
			return Recommendation{}, invalid(fmt.Sprintf("%s.adjustments[%d].factor", name, i), CodeOutOfRange, a.Factor.String())
		}
	}
	if p.Payments == nil || p.Payments.Invoices == 0 {
		return Recommendation{}, unavailable(name, CodeNoData, "payment_history")
	}
	avg := p.Payments.AvgMonthlyPurchases
	if avg.Currency() != p.Currency {
		return Recommendation{}, invalidf("payments.avg_monthly_purchases", CodeCurrency, avg.String(), "limits are set in "+p.Currency.Code(), "лимиты устанавливаются в валюте "+p.Currency.Code())
	}
	factor := m.WithoutIndex
	var why Reason
	if p.Payments.Index.OK() {
		idx := p.Payments.Index.Value
		factor = decimal.Zero
		best := decimal.Decimal{}
		found := false
		for _, a := range adj {
			if idx.GreaterThanOrEqual(a.MinIndex) && (!found || a.MinIndex.GreaterThan(best)) {
				best, factor, found = a.MinIndex, a.Factor, true
			}
		}
		cuts := make([]decimal.Decimal, len(adj))
		for i, a := range adj {
			cuts[i] = a.MinIndex
		}
		iEN, iRU := fmtAgainst(idx, 0, cuts...)
		fEN, fRU := fmtDec(factor, 4)
		why = Reason{Code: "payment_adjustment",
			EN: fmt.Sprintf("payment index %s: factor %s", iEN, fEN),
			RU: fmt.Sprintf("индекс платёжной дисциплины %s: коэффициент %s", iRU, fRU)}
	} else {
		fEN, fRU := fmtDec(factor, 4)
		why = Reason{Code: "payment_adjustment_no_index",
			EN: fmt.Sprintf("no payment index yet: factor %s", fEN),
			RU: fmt.Sprintf("индекса платёжной дисциплины ещё нет: коэффициент %s", fRU)}
	}
	limit := avg.Mul(m.Multiple).Mul(factor)
	mEN, mRU := fmtDec(m.Multiple, 4)
	return Recommendation{Method: name, Limit: limit, Reasons: []Reason{
		{Code: name,
			EN: fmt.Sprintf("%s × average monthly purchases %s", mEN, avg.Format("en")),
			RU: fmt.Sprintf("%s × средние закупки в месяц %s", mRU, avg.Format("ru"))},
		why,
	}}, nil
}

// GradeTable recommends the limit set for the client's risk grade.
type GradeTable struct {
	Limits map[string]money.Amount // by grade
}

// Name returns "grade_table".
func (m GradeTable) Name() string { return "grade_table" }

// Recommend implements LimitMethod. A grade missing from the table is an
// *InputError naming it.
func (m GradeTable) Recommend(p Profile) (Recommendation, error) {
	if p.Score == nil || p.Score.Grade == "" {
		return Recommendation{}, unavailable(m.Name(), CodeMissing, "grade")
	}
	g := p.Score.Grade
	limit, ok := m.Limits[g]
	field := "grade_table.limits[" + strconv.Quote(shorten(g)) + "]"
	if !ok {
		return Recommendation{}, invalid(field, CodeRequired, g)
	}
	if limit.Currency() != p.Currency {
		return Recommendation{}, invalidf(field, CodeCurrency, limit.String(), "limits are set in "+p.Currency.Code(), "лимиты устанавливаются в валюте "+p.Currency.Code())
	}
	if limit.IsNegative() {
		return Recommendation{}, invalid(field, CodeNegative, limit.String())
	}
	return Recommendation{Method: m.Name(), Limit: limit, Reasons: []Reason{{Code: m.Name(),
		EN: fmt.Sprintf("risk grade %s: limit %s", g, limit.Format("en")),
		RU: fmt.Sprintf("класс риска %s: лимит %s", g, limit.Format("ru"))}}}, nil
}

// LimitOptions shape the final recommendation.
type LimitOptions struct {
	// Step: recommendations are rounded down to a multiple of Step (for
	// example 1000); zero means the currency's minor unit.
	Step decimal.Decimal
	// Max caps the recommendation; the zero Amount sets no cap.
	Max money.Amount
}

// LimitAdvice is the recommended limit: the lowest of the methods that
// could recommend one, rounded down, capped.
type LimitAdvice struct {
	// Limit is the recommended limit; the zero Amount (no currency) when no
	// method could recommend (see Unavailable).
	Limit money.Amount
	// Method is the method whose recommendation was chosen, or "max" when
	// the cap applied.
	Method          string
	Recommendations []Recommendation // rounded, in the order of the methods
	Unavailable     []error          // the *UnavailableError of each method that could not recommend
	Reasons         []Reason
}

// OK reports whether a limit was recommended.
func (a LimitAdvice) OK() bool { return present(a.Limit) }

// RecommendLimit runs the methods on the profile and recommends the lowest
// of their limits (the most prudent), each rounded down to the step and
// capped by opts.Max. A method that lacks data is listed in Unavailable;
// invalid configuration, a missing currency or a currency mismatch is an
// *InputError.
func RecommendLimit(p Profile, opts LimitOptions, methods ...LimitMethod) (LimitAdvice, error) {
	if p.Currency.IsZero() {
		return LimitAdvice{}, invalid("profile.currency", CodeRequired, "")
	}
	if len(methods) == 0 {
		return LimitAdvice{}, invalid("methods", CodeRequired, "")
	}
	if err := boundedDec("options.step", opts.Step); err != nil {
		return LimitAdvice{}, err
	}
	step := opts.Step
	if step.IsZero() {
		step = decimal.New(1, -p.Currency.MinorUnits())
	}
	if step.IsNegative() {
		return LimitAdvice{}, invalid("options.step", CodeNegative, step.String())
	}
	if present(opts.Max) {
		if opts.Max.Currency() != p.Currency {
			return LimitAdvice{}, invalid("options.max", CodeCurrency, opts.Max.String())
		}
		if opts.Max.IsNegative() {
			return LimitAdvice{}, invalid("options.max", CodeNegative, opts.Max.String())
		}
	}
	var adv LimitAdvice
	best := -1
	for i, m := range methods {
		if m == nil {
			return LimitAdvice{}, invalid(fmt.Sprintf("methods[%d]", i), CodeRequired, "")
		}
		r, err := m.Recommend(p)
		if err != nil {
			if u, ok := err.(*UnavailableError); ok {
				adv.Unavailable = append(adv.Unavailable, u)
				adv.Reasons = append(adv.Reasons, Reason{Code: m.Name() + "_unavailable", EN: u.Message("en"), RU: u.Message("ru")})
				continue
			}
			return LimitAdvice{}, err
		}
		r.Limit = roundDownTo(r.Limit, step)
		adv.Recommendations = append(adv.Recommendations, r)
		if best < 0 || r.Limit.Decimal().LessThan(adv.Recommendations[best].Limit.Decimal()) {
			best = len(adv.Recommendations) - 1
		}
	}
	if best < 0 {
		adv.Reasons = append(adv.Reasons, Reason{Code: CodeNoLimitRecommended, EN: "no method could recommend a limit", RU: "ни один метод не смог рекомендовать лимит"})
		return adv, nil
	}
	chosen := adv.Recommendations[best]
	adv.Limit, adv.Method = chosen.Limit, chosen.Method
	adv.Reasons = append(adv.Reasons, chosen.Reasons...)
	if len(adv.Recommendations) > 1 {
		adv.Reasons = append(adv.Reasons, Reason{Code: "lowest_of_methods",
			EN: fmt.Sprintf("the lowest of %d recommendations: %s (%s)", len(adv.Recommendations), chosen.Limit.Format("en"), chosen.Method),
			RU: fmt.Sprintf("наименьшая из %d рекомендаций: %s (%s)", len(adv.Recommendations), chosen.Limit.Format("ru"), chosen.Method)})
	}
	if present(opts.Max) && adv.Limit.Decimal().GreaterThan(opts.Max.Decimal()) {
		adv.Limit, adv.Method = opts.Max, "max"
		adv.Reasons = append(adv.Reasons, Reason{Code: "limit_capped",
			EN: fmt.Sprintf("capped at the maximum %s", opts.Max.Format("en")),
			RU: fmt.Sprintf("ограничено максимумом %s", opts.Max.Format("ru"))})
	}
	return adv, nil
}

// roundDownTo rounds a non-negative amount down to a multiple of step.
func roundDownTo(a money.Amount, step decimal.Decimal) money.Amount {
	if !a.IsPositive() {
		return money.Zero(a.Currency())
	}
	q, _ := a.Decimal().QuoRem(step, 0)
	out, err := money.FromDecimal(q.Mul(step), a.Currency())
	if err != nil {
		return money.Zero(a.Currency())
	}
	return out
}

// Bounds on a host-built decimal parameter (a share, a step, a multiple, a
// threshold): comparing or rounding a decimal with an extreme exponent
// makes shopspring/decimal build a power of ten with that many digits.
const (
	maxParamExp    = 30
	maxParamDigits = 40
)

// boundedDec refuses a decimal whose exponent or number of digits is
// beyond any real parameter, before anything compares or rounds it.
func boundedDec(field string, d decimal.Decimal) error {
	if e := d.Exponent(); e < -maxParamExp || e > maxParamExp || d.NumDigits() > maxParamDigits {
		return invalidf(field, CodeOutOfRange, fmt.Sprintf("%de%d", d.Sign(), d.Exponent()),
			fmt.Sprintf("at most %d digits and an exponent within ±%d", maxParamDigits, maxParamExp),
			fmt.Sprintf("не больше %d цифр и показатель степени в пределах ±%d", maxParamDigits, maxParamExp))
	}
	return nil
}
