package credit

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/money"
)

// Verdict is the outcome of a solvency check.
type Verdict string

// Verdicts, from the most favourable.
const (
	// VerdictApprove: sell on credit, up to the limit in the decision.
	VerdictApprove Verdict = "approve"
	// VerdictPrepayment: sell, but only against prepayment.
	VerdictPrepayment Verdict = "prepayment"
	// VerdictDecline: do not take the client on.
	VerdictDecline Verdict = "decline"
)

// Severity orders verdicts: approve 0, prepayment 1, decline 2 (-1 for an
// unknown verdict).
func (v Verdict) Severity() int {
	switch v {
	case VerdictApprove:
		return 0
	case VerdictPrepayment:
		return 1
	case VerdictDecline:
		return 2
	}
	return -1
}

// Condition is what a solvency rule looks at.
type Condition string

// Conditions. A condition on a figure that is unavailable does not fire;
// the *Unavailable conditions say what missing data means.
const (
	WhenScoreBelow          Condition = "score_below"            // score total < Threshold
	WhenGradeIn             Condition = "grade_in"               // risk grade is one of Grades
	WhenScoreUnavailable    Condition = "score_unavailable"      // no score
	WhenAltmanZone          Condition = "altman_zone"            // the Altman zone is Zone
	WhenAltmanUnavailable   Condition = "altman_unavailable"     // no statements, or the Altman score cannot be computed
	WhenPaymentIndexBelow   Condition = "payment_index_below"    // payment index < Threshold
	WhenLongestDelayAbove   Condition = "longest_delay_above"    // longest delay in days > Threshold
	WhenLateShareAbove      Condition = "late_share_above"       // share of invoices paid late > Threshold (0..1)
	WhenPaymentsWorsening   Condition = "payments_worsening"     // the payment index trend is worsening
	WhenPaymentsUnavailable Condition = "payments_unavailable"   // no payment index
	WhenOverdueAbove        Condition = "overdue_amount_above"   // overdue amount > Threshold (in the profile's currency)
	WhenDebtToEquityAbove   Condition = "debt_to_equity_above"   // debt-to-equity > Threshold, or equity not positive
	WhenCurrentRatioBelow   Condition = "current_ratio_below"    // current ratio < Threshold
	WhenInterestCoverBelow  Condition = "interest_cover_below"   // interest coverage < Threshold
	WhenReturnOnAssetsBelow Condition = "return_on_assets_below" // return on assets < Threshold
)

// SolvencyRule is one piece of the configuration of a solvency check:
// when the condition holds, the verdict is at least Then.
type SolvencyRule struct {
	// Name is the stable code reported when the rule fires (defaults to
	// the condition).
	Name      string
	When      Condition
	Threshold decimal.Decimal // for the *Below and *Above conditions
	Grades    []string        // for WhenGradeIn
	Zone      Zone            // for WhenAltmanZone
	Then      Verdict
}

// SolvencyPolicy says how the scorecard, the financial analysis and the
// payment behaviour combine: every rule that fires sets a verdict, and
// the most severe one wins (approve when none fires). An approval carries
// the limit RecommendLimit gives with LimitMethods and Limits; when no
// method can recommend a limit, or the limit is zero, the verdict becomes
// NoLimit (prepayment when empty).
type SolvencyPolicy struct {
	Rules        []SolvencyRule
	LimitMethods []LimitMethod
	Limits       LimitOptions
	NoLimit      Verdict
}

// Validate checks the policy: each rule has a known condition, the
// parameters it needs and a verdict; at least one limit method.
func (p SolvencyPolicy) Validate() error {
	if len(p.LimitMethods) == 0 {
		return invalid("policy.limit_methods", CodeRequired, "")
	}
	if p.NoLimit != "" && p.NoLimit.Severity() < 1 {
		return invalidf("policy.no_limit", CodeUnknownValue, string(p.NoLimit), "prepayment or decline", "prepayment или decline")
	}
	for i, r := range p.Rules {
		f := fmt.Sprintf("policy.rules[%d]", i)
		if err := boundedDec(f+".threshold", r.Threshold); err != nil {
			return err
		}
		if r.Then.Severity() < 0 {
			return invalid(f+".then", CodeUnknownValue, string(r.Then))
		}
		switch r.When {
		case WhenScoreBelow, WhenOverdueAbove, WhenDebtToEquityAbove, WhenCurrentRatioBelow, WhenInterestCoverBelow, WhenReturnOnAssetsBelow:
		case WhenPaymentIndexBelow:
			if r.Threshold.IsNegative() || r.Threshold.GreaterThan(decimal.NewFromInt(100)) {
				return invalid(f+".threshold", CodeOutOfRange, r.Threshold.String())
			}
		case WhenLongestDelayAbove:
			if r.Threshold.IsNegative() {
				return invalid(f+".threshold", CodeNegative, r.Threshold.String())
			}
		case WhenLateShareAbove:
			if r.Threshold.IsNegative() || r.Threshold.GreaterThan(decimal.NewFromInt(1)) {
				return invalid(f+".threshold", CodeOutOfRange, r.Threshold.String())
			}
		case WhenGradeIn:
			if len(r.Grades) == 0 {
				return invalid(f+".grades", CodeRequired, "")
			}
		case WhenAltmanZone:
			if r.Zone != ZoneDistress && r.Zone != ZoneGrey && r.Zone != ZoneSafe {
				return invalid(f+".zone", CodeUnknownValue, string(r.Zone))
			}
		case WhenScoreUnavailable, WhenAltmanUnavailable, WhenPaymentsWorsening, WhenPaymentsUnavailable:
		case "":
			return invalid(f+".when", CodeRequired, "")
		default:
			return invalid(f+".when", CodeUnknownValue, string(r.When))
		}
	}
	return nil
}

// SolvencyDecision is the verdict of a solvency check with its reasons.
type SolvencyDecision struct {
	ClientID string
	At       time.Time
	Verdict  Verdict
	// Limit is the credit limit of an approval (the zero Amount otherwise).
	Limit  money.Amount
	Advice LimitAdvice
	// Fired are the names of the rules that fired, in the policy's order.
	Fired []string
	// Reasons: the rules that fired, then the evidence (score, Altman,
	// payments), then the limit's reasoning.
	Reasons []Reason
}

// Code returns "solvency_" + the verdict.
func (d SolvencyDecision) Code() string { return "solvency_" + string(d.Verdict) }

// Message returns a one-line summary in the language of tag.
func (d SolvencyDecision) Message(tag string) string {
	switch d.Verdict {
	case VerdictApprove:
		return lang.Pick(tag, "approved with a credit limit of "+d.Limit.Format("en"), "одобрено с кредитным лимитом "+d.Limit.Format("ru"))
	case VerdictPrepayment:
		return lang.Pick(tag, "approved on prepayment only", "одобрено только на условиях предоплаты")
	}
	return lang.Pick(tag, "declined", "отказано")
}

// Explain returns the summary and the reasons, one per line.
func (d SolvencyDecision) Explain(tag string) string {
	return d.Message(tag) + "\n" + Explain(d.Reasons, tag)
}

// AssessSolvency combines what the profile holds — a score, a financial
// analysis, payment behaviour, any of them nil — into a verdict by the
// policy's rules. Invalid policy or profile is an *InputError.
func AssessSolvency(p Profile, policy SolvencyPolicy, at time.Time) (SolvencyDecision, error) {
	if err := policy.Validate(); err != nil {
		return SolvencyDecision{}, err
	}
	if p.Currency.IsZero() {
		return SolvencyDecision{}, invalid("profile.currency", CodeRequired, "")
	}
	d := SolvencyDecision{ClientID: p.ClientID, At: at, Verdict: VerdictApprove}
	for _, r := range policy.Rules {
		fired, why, err := r.eval(p)
		if err != nil {
			return SolvencyDecision{}, err
		}
		if !fired {
			continue
		}
		name := r.Name
		if name == "" {
			name = string(r.When)
		}
		d.Fired = append(d.Fired, name)
		why.Code = name
		d.Reasons = append(d.Reasons, why)
		if r.Then.Severity() > d.Verdict.Severity() {
			d.Verdict = r.Then
		}
	}
	d.Reasons = append(d.Reasons, evidence(p)...)
	if d.Verdict != VerdictApprove {
		return d, nil
	}
	adv, err := RecommendLimit(p, policy.Limits, policy.LimitMethods...)
	if err != nil {
		return SolvencyDecision{}, err
	}
	d.Advice = adv
	d.Reasons = append(d.Reasons, adv.Reasons...)
	noLimit := policy.NoLimit
	if noLimit == "" {
		noLimit = VerdictPrepayment
	}
	switch {
	case !adv.OK():
		d.Verdict = noLimit
		d.Reasons = append(d.Reasons, Reason{Code: CodeNoLimitRecommended, EN: "no credit limit could be recommended", RU: "кредитный лимит рекомендовать не удалось"})
	case !adv.Limit.IsPositive():
		d.Verdict = noLimit
		d.Reasons = append(d.Reasons, Reason{Code: "limit_zero", EN: "the recommended credit limit is zero", RU: "рекомендованный кредитный лимит равен нулю"})
	default:
		d.Limit = adv.Limit
	}
	return d, nil
}

func (r SolvencyRule) eval(p Profile) (bool, Reason, error) {
	thEN, thRU := fmtDec(r.Threshold, 4)
	verdictEN, verdictRU := verdictText(r.Then)
	mk := func(en, ru string) Reason {
		return Reason{EN: en + " → " + verdictEN, RU: ru + " → " + verdictRU}
	}
	switch r.When {
	case WhenScoreBelow, WhenGradeIn:
		if p.Score == nil {
			return false, Reason{}, nil
		}
		if r.When == WhenGradeIn {
			if !slices.Contains(r.Grades, p.Score.Grade) || p.Score.Grade == "" {
				return false, Reason{}, nil
			}
			return true, mk("risk grade "+p.Score.Grade, "класс риска "+p.Score.Grade), nil
		}
		if math.IsNaN(p.Score.Total) || math.IsInf(p.Score.Total, 0) {
			return false, Reason{}, invalid("profile.score.total", CodeNotFinite, fmt.Sprint(p.Score.Total))
		}
		if !decimal.NewFromFloat(p.Score.Total).LessThan(r.Threshold) {
			return false, Reason{}, nil
		}
		sEN, sRU := fmtAgainst(decimal.NewFromFloat(p.Score.Total), 2, r.Threshold)
		return true, mk(fmt.Sprintf("score %s below %s", sEN, thEN), fmt.Sprintf("балл %s ниже %s", sRU, thRU)), nil
	case WhenScoreUnavailable:
		return p.Score == nil, mk("no score", "нет скорингового балла"), nil
	case WhenAltmanZone:
		if p.Financials == nil || !p.Financials.Altman.OK() || p.Financials.Altman.Zone != r.Zone {
			return false, Reason{}, nil
		}
		ar := p.Financials.Altman.Reason()
		return true, mk(ar.EN, ar.RU), nil
	case WhenAltmanUnavailable:
		if p.Financials != nil && p.Financials.Altman.OK() {
			return false, Reason{}, nil
		}
		if p.Financials == nil {
			return true, mk("no financial statements", "нет финансовой отчётности"), nil
		}
		ar := p.Financials.Altman.Reason()
		return true, mk(ar.EN, ar.RU), nil
	case WhenPaymentIndexBelow:
		if p.Payments == nil || !p.Payments.Index.OK() || !p.Payments.Index.Value.LessThan(r.Threshold) {
			return false, Reason{}, nil
		}
		en, ru := fmtDec(p.Payments.Index.Value, 2)
		return true, mk("payment index "+en+" below "+thEN, "индекс платёжной дисциплины "+ru+" ниже "+thRU), nil
	case WhenLongestDelayAbove:
		if p.Payments == nil || !p.Payments.LongestDelay.OK() || !p.Payments.LongestDelay.Value.GreaterThan(r.Threshold) {
			return false, Reason{}, nil
		}
		n := p.Payments.LongestDelay.Value.IntPart()
		return true, mk(fmt.Sprintf("longest delay %d %s, more than %s", n, daysEN(n), thEN), fmt.Sprintf("наибольшая просрочка %d %s, больше %s", n, daysRU(n), thRU)), nil
	case WhenLateShareAbove:
		if p.Payments == nil || !p.Payments.LateShare.OK() || !p.Payments.LateShare.Value.GreaterThan(r.Threshold) {
			return false, Reason{}, nil
		}
		en, ru := fmtDec(p.Payments.LateShare.Value.Mul(decimal.NewFromInt(100)), 1)
		pEN, pRU := fmtDec(r.Threshold.Mul(decimal.NewFromInt(100)), 1)
		return true, mk(fmt.Sprintf("%s%% of invoices paid late, more than %s%%", en, pEN), fmt.Sprintf("%s%% счетов оплачено с опозданием, больше %s%%", ru, pRU)), nil
	case WhenPaymentsWorsening:
		if p.Payments == nil || p.Payments.Trend.Direction != TrendWorsening {
			return false, Reason{}, nil
		}
		en, ru := fmtDec(p.Payments.Trend.Change.Abs(), 2)
		return true, mk("payment index down "+en+" points", "индекс платёжной дисциплины снизился на "+ru), nil
	case WhenPaymentsUnavailable:
		if p.Payments != nil && p.Payments.Index.OK() {
			return false, Reason{}, nil
		}
		return true, mk("no payment history to judge", "нет истории платежей для оценки"), nil
	case WhenOverdueAbove:
		if p.Payments == nil || !present(p.Payments.OverdueAmount) {
			return false, Reason{}, nil
		}
		if p.Payments.OverdueAmount.Currency() != p.Currency {
			return false, Reason{}, invalid("profile.payments.overdue_amount", CodeCurrency, p.Payments.OverdueAmount.String())
		}
		if !p.Payments.OverdueAmount.Decimal().GreaterThan(r.Threshold) {
			return false, Reason{}, nil
		}
		return true, mk(fmt.Sprintf("overdue %s, more than %s", p.Payments.OverdueAmount.Format("en"), thEN), fmt.Sprintf("просрочено %s, больше %s", p.Payments.OverdueAmount.Format("ru"), thRU)), nil
	case WhenDebtToEquityAbove:
		if p.Financials == nil {
			return false, Reason{}, nil
		}
		f := p.Financials.Ratio(RatioDebtToEquity)
		if !f.OK() {
			if u, ok := f.Err.(*UnavailableError); ok && u.Reason == CodeNotPositive {
				return true, mk("equity is not positive", "собственный капитал не положителен"), nil
			}
			return false, Reason{}, nil
		}
		if !f.Value.GreaterThan(r.Threshold) {
			return false, Reason{}, nil
		}
		en, ru := fmtAgainst(f.Value, 2, r.Threshold)
		return true, mk("debt-to-equity "+en+" above "+thEN, "отношение долга к капиталу "+ru+" выше "+thRU), nil
	case WhenCurrentRatioBelow, WhenInterestCoverBelow, WhenReturnOnAssetsBelow:
		if p.Financials == nil {
			return false, Reason{}, nil
		}
		name, en, ru := RatioCurrent, "current ratio", "коэффициент текущей ликвидности"
		switch r.When {
		case WhenInterestCoverBelow:
			name, en, ru = RatioInterestCoverage, "interest coverage", "покрытие процентов"
		case WhenReturnOnAssetsBelow:
			name, en, ru = RatioReturnOnAssets, "return on assets", "рентабельность активов"
		}
		f := p.Financials.Ratio(name)
		if !f.OK() || !f.Value.LessThan(r.Threshold) {
			return false, Reason{}, nil
		}
		vEN, vRU := fmtAgainst(f.Value, 2, r.Threshold)
		return true, mk(en+" "+vEN+" below "+thEN, ru+" "+vRU+" ниже "+thRU), nil
	}
	return false, Reason{}, nil
}

func verdictText(v Verdict) (en, ru string) {
	switch v {
	case VerdictApprove:
		return "approve", "одобрить"
	case VerdictPrepayment:
		return "prepayment only", "только предоплата"
	}
	return "decline", "отказать"
}

// evidence lists what the decision saw, whether or not a rule fired on it.
func evidence(p Profile) []Reason {
	var out []Reason
	if s := p.Score; s != nil {
		en, ru := fltEN(s.Total, 2), fltRU(s.Total, 2)
		r := Reason{Code: "score", EN: "score " + en, RU: "скоринговый балл " + ru}
		if s.Grade != "" {
			r.EN += ", risk grade " + s.Grade
			r.RU += ", класс риска " + s.Grade
		}
		if len(s.Reasons) > 0 {
			codes := make([]string, len(s.Reasons))
			for i, sr := range s.Reasons {
				codes[i] = sr.Code
			}
			r.EN += "; lowered most by " + strings.Join(codes, ", ")
			r.RU += "; сильнее всего снижают " + strings.Join(codes, ", ")
		}
		out = append(out, r)
	}
	if p.Financials != nil {
		out = append(out, p.Financials.Altman.Reason())
	}
	if p.Payments != nil {
		out = append(out, p.Payments.Reasons()...)
	}
	return out
}

// StatementsSource gives a client's latest financial statements as of an
// instant, or nil when there are none.
type StatementsSource interface {
	Statements(ctx context.Context, clientID string, at time.Time) (*Statements, error)
}

// Assessor gathers a client's data from sources and runs the solvency
// check. Every source is optional: without one, that part of the profile
// is missing and the policy's *Unavailable rules decide what that means.
type Assessor struct {
	Scorer     *Scorer
	Statements StatementsSource
	History    PaymentHistorySource
	Payments   PaymentOptions
	Policy     SolvencyPolicy
	Currency   money.Currency
}

// Assess scores the client on inputs (when there is a Scorer), analyses
// its statements and payment history (when there are sources) and
// decides. Source failures are *SourceError; bad data is an *InputError.
func (a Assessor) Assess(ctx context.Context, clientID string, inputs map[string]Value, at time.Time) (SolvencyDecision, error) {
	p := Profile{ClientID: clientID, Currency: a.Currency}
	if a.Scorer != nil {
		s, err := a.Scorer.Score(inputs)
		if err != nil {
			return SolvencyDecision{}, err
		}
		p.Score = &s
	}
	if a.Statements != nil {
		st, err := a.Statements.Statements(ctx, clientID, at)
		if err != nil {
			return SolvencyDecision{}, &SourceError{Source: "statements", ClientID: clientID, Err: err}
		}
		if st != nil {
			an, err := AnalyzeStatements(*st)
			if err != nil {
				return SolvencyDecision{}, err
			}
			p.Financials = &an
		}
	}
	if a.History != nil {
		inv, err := a.History.PaymentHistory(ctx, clientID, at)
		if err != nil {
			return SolvencyDecision{}, &SourceError{Source: "payment_history", ClientID: clientID, Err: err}
		}
		pb, err := AnalyzePayments(inv, at, a.Payments)
		if err != nil {
			return SolvencyDecision{}, err
		}
		p.Payments = &pb
	}
	return AssessSolvency(p, a.Policy, at)
}
