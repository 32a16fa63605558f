package credit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/money"
)

// ExposureParts are what a client owes or will owe, as of an instant,
// before the order being checked. Amounts left as the zero Amount (no
// currency) count as zero.
type ExposureParts struct {
	// OpenReceivables: invoiced and not yet paid.
	OpenReceivables money.Amount
	// UnbilledOrders: the part of confirmed orders not yet invoiced (and
	// not yet shipped).
	UnbilledOrders money.Amount
	// ShippedNotInvoiced: goods shipped but not yet invoiced.
	ShippedNotInvoiced money.Amount
	// OverdueAmount: the part of OpenReceivables past its due date.
	OverdueAmount money.Amount
	// MaxDaysOverdue: days past due of the most overdue open invoice.
	MaxDaysOverdue int
}

// ExposureSource gives a client's exposure. crm (or a host's ledger)
// implements it; the check calls it once per order.
type ExposureSource interface {
	Exposure(ctx context.Context, clientID string, at time.Time) (ExposureParts, error)
}

// Override is a credit controller's decision to let a held or blocked
// order through. The caller states who overrides and with which role; the
// package does not look users up.
type Override struct {
	By string // the user who overrides
	// CreditController: By is a credit controller.
	CreditController bool
	// DeputyOfCreditController: By is a deputy acting for the credit
	// controller OnBehalfOf.
	DeputyOfCreditController bool
	OnBehalfOf               string
	Note                     string
}

func (o *Override) validate() error {
	if o.By == "" {
		return invalid("override.by", CodeRequired, "")
	}
	if o.CreditController {
		return nil
	}
	if o.DeputyOfCreditController {
		if o.OnBehalfOf == "" {
			return invalidf("override.on_behalf_of", CodeRequired, "", "a deputy names the credit controller they act for", "заместитель указывает, за какого кредитного контролёра действует")
		}
		return nil
	}
	return &OverrideError{By: o.By, Reason: CodeOverrideNotAllowed}
}

// OrderCheck asks whether an order may be confirmed.
type OrderCheck struct {
	ClientID string
	Group    string       // the client's group, for the policy lookup
	Order    money.Amount // this order's amount; its currency is the check's
	Override *Override    // optional
}

// Outcome is what a credit check decides for an order.
type Outcome string

// Outcomes, from the mildest.
const (
	OutcomeApproved   Outcome = "approved"   // no rule fired, or the policy is off
	OutcomeWarned     Outcome = "warned"     // a rule fired; the policy warns
	OutcomeHeld       Outcome = "held"       // a rule fired; the order waits for release
	OutcomeBlocked    Outcome = "blocked"    // a rule fired; the order is refused
	OutcomeOverridden Outcome = "overridden" // held or blocked, and a credit controller overrode
)

// Severity orders outcomes: approved 0, warned 1, held 2, blocked 3;
// overridden is 0 (the order goes through).
func (o Outcome) Severity() int {
	switch o {
	case OutcomeWarned:
		return 1
	case OutcomeHeld:
		return 2
	case OutcomeBlocked:
		return 3
	}
	return 0
}

// Rule names a trigger of the exposure decision.
type Rule string

// Rules.
const (
	// RuleCreditLimit: exposure strictly greater than the limit.
	RuleCreditLimit Rule = "credit_limit"
	// RuleOverdueAmount: overdue amount strictly greater than the threshold.
	RuleOverdueAmount Rule = "overdue_amount"
	// RuleOverdueDays: an invoice overdue by more than the days allowed.
	RuleOverdueDays Rule = "overdue_days"
)

// Decision is the credit check of one order, with every number it used.
type Decision struct {
	ClientID string
	At       time.Time
	Mode     Mode
	Level    Level // where the policy came from (set by Checker; empty from Decide)
	Outcome  Outcome

	Parts ExposureParts
	Order money.Amount
	// Exposure = open receivables + unbilled orders + shipped not invoiced
	// + this order.
	Exposure money.Amount
	// Limit and Headroom (Limit − Exposure, negative when crossed) are the
	// zero Amount when the policy sets no limit.
	Limit    money.Amount
	Headroom money.Amount
	// OverdueThreshold and DaysOverdueAllowed are the policy's triggers
	// (zero Amount / 0 when disabled).
	OverdueThreshold   money.Amount
	DaysOverdueAllowed int

	Fired    []Rule    // the rules that fired, in the order limit, amount, days
	Override *Override // the override applied, if any
	Reasons  []Reason
}

// Allowed reports whether the order may be confirmed now: approved,
// warned or overridden.
func (d Decision) Allowed() bool {
	return d.Outcome == OutcomeApproved || d.Outcome == OutcomeWarned || d.Outcome == OutcomeOverridden
}

// Code returns "credit_" + the outcome: "credit_approved", "credit_warned",
// "credit_held", "credit_blocked", "credit_overridden".
func (d Decision) Code() string { return "credit_" + string(d.Outcome) }

// Message returns a one-line summary in the language of tag.
func (d Decision) Message(tag string) string {
	switch d.Outcome {
	case OutcomeWarned:
		return lang.Pick(tag, "credit check: the order may be confirmed, with a warning", "кредитный контроль: заказ можно подтвердить, с предупреждением")
	case OutcomeHeld:
		return lang.Pick(tag, "credit check: the order is held for a credit controller", "кредитный контроль: заказ ожидает решения кредитного контролёра")
	case OutcomeBlocked:
		return lang.Pick(tag, "credit check: the order is blocked", "кредитный контроль: заказ заблокирован")
	case OutcomeOverridden:
		return lang.Pick(tag, "credit check: the order is released by a credit controller's override", "кредитный контроль: заказ разрешён решением кредитного контролёра")
	}
	return lang.Pick(tag, "credit check: the order may be confirmed", "кредитный контроль: заказ можно подтвердить")
}

// Explain returns the summary and the reasons, one per line.
func (d Decision) Explain(tag string) string {
	return d.Message(tag) + "\n" + Explain(d.Reasons, tag)
}

// Checker runs the exposure decision with data from a source.
type Checker struct {
	Source   ExposureSource
	Policies Policies
}

// Check resolves the client's policy, asks the source for the exposure
// and decides. When the policy is off the source is not asked and the
// decision's parts are zero. A source failure (or a cancelled context) is
// a *SourceError; everything else is as Decide.
func (c Checker) Check(ctx context.Context, req OrderCheck, at time.Time) (Decision, error) {
	if req.ClientID == "" {
		return Decision{}, invalid("client_id", CodeRequired, "")
	}
	policy, level, err := c.Policies.Resolve(req.ClientID, req.Group)
	if err != nil {
		return Decision{}, err
	}
	var parts ExposureParts
	if policy.Mode != ModeOff {
		if c.Source == nil {
			return Decision{}, invalid("source", CodeRequired, "")
		}
		if err := ctx.Err(); err != nil {
			return Decision{}, &SourceError{Source: "exposure", ClientID: req.ClientID, Err: err}
		}
		parts, err = c.Source.Exposure(ctx, req.ClientID, at)
		if err != nil {
			return Decision{}, &SourceError{Source: "exposure", ClientID: req.ClientID, Err: err}
		}
	}
	d, err := Decide(req, policy, parts, at)
	if err != nil {
		return Decision{}, err
	}
	d.Level = level
	return d, nil
}

// Decide is the exposure decision itself, on data already gathered:
//
//	exposure = open receivables + unbilled orders + shipped not invoiced + order
//
// The limit rule fires when exposure is strictly greater than the limit
// (equal passes). The overdue rule, independent of it, fires when the
// overdue amount is strictly greater than the threshold or an invoice is
// overdue by more than the days allowed. When a rule fires the policy's
// mode decides: warn, hold or block; off skips every rule. A held or
// blocked order is overridden when req.Override comes from a credit
// controller or a deputy acting for one; an override from anyone else is
// an *OverrideError. Negative or mixed-currency amounts, overdue above
// open receivables, and an invalid policy are *InputError naming the
// field.
func Decide(req OrderCheck, policy Policy, parts ExposureParts, at time.Time) (Decision, error) {
	if err := policy.Validate("policy"); err != nil {
		return Decision{}, err
	}
	if req.Override != nil {
		if err := req.Override.validate(); err != nil {
			return Decision{}, err
		}
	}
	if !present(req.Order) {
		return Decision{}, invalid("order", CodeRequired, "")
	}
	cur := req.Order.Currency()
	if req.Order.IsNegative() {
		return Decision{}, invalid("order", CodeNegative, req.Order.String())
	}
	norm := func(field string, a money.Amount) (money.Amount, error) {
		if !present(a) {
			return money.Zero(cur), nil
		}
		if a.Currency() != cur {
			return a, invalidf(field, CodeCurrency, a.String(), "the order is in "+cur.Code(), "заказ в валюте "+cur.Code())
		}
		if a.IsNegative() {
			return a, invalid(field, CodeNegative, a.String())
		}
		return a, nil
	}
	var err error
	p := parts
	if p.OpenReceivables, err = norm("exposure.open_receivables", p.OpenReceivables); err != nil {
		return Decision{}, err
	}
	if p.UnbilledOrders, err = norm("exposure.unbilled_orders", p.UnbilledOrders); err != nil {
		return Decision{}, err
	}
	if p.ShippedNotInvoiced, err = norm("exposure.shipped_not_invoiced", p.ShippedNotInvoiced); err != nil {
		return Decision{}, err
	}
	if p.OverdueAmount, err = norm("exposure.overdue_amount", p.OverdueAmount); err != nil {
		return Decision{}, err
	}
	if p.MaxDaysOverdue < 0 {
		return Decision{}, invalid("exposure.max_days_overdue", CodeNegative, strconv.Itoa(p.MaxDaysOverdue))
	}
	if p.OverdueAmount.Decimal().GreaterThan(p.OpenReceivables.Decimal()) {
		return Decision{}, invalidf("exposure.overdue_amount", CodeInconsistent, p.OverdueAmount.String(), "exceeds open receivables "+p.OpenReceivables.String(), "больше открытой дебиторской задолженности "+p.OpenReceivables.String())
	}
	if present(policy.Limit) && policy.Limit.Currency() != cur {
		return Decision{}, invalidf("policy.limit", CodeCurrency, policy.Limit.String(), "the order is in "+cur.Code(), "заказ в валюте "+cur.Code())
	}
	if present(policy.OverdueThreshold) && policy.OverdueThreshold.Currency() != cur {
		return Decision{}, invalidf("policy.overdue_threshold", CodeCurrency, policy.OverdueThreshold.String(), "the order is in "+cur.Code(), "заказ в валюте "+cur.Code())
	}

	exposure, _ := money.Sum(p.OpenReceivables, p.UnbilledOrders, p.ShippedNotInvoiced, req.Order) // one currency: checked
	d := Decision{
		ClientID: req.ClientID, At: at, Mode: policy.Mode, Outcome: OutcomeApproved,
		Parts: p, Order: req.Order, Exposure: exposure,
		Limit: policy.Limit, OverdueThreshold: policy.OverdueThreshold, DaysOverdueAllowed: policy.MaxDaysOverdue,
	}
	if present(policy.Limit) {
		d.Headroom, _ = policy.Limit.Sub(exposure)
	}
	if policy.Mode == ModeOff {
		d.Reasons = []Reason{{Code: "credit_control_off", EN: "credit control is off for this client", RU: "кредитный контроль для клиента отключён"}}
		return d, nil
	}

	// The limit rule.
	if present(policy.Limit) {
		if exposure.Decimal().GreaterThan(policy.Limit.Decimal()) {
			d.Fired = append(d.Fired, RuleCreditLimit)
			over := d.Headroom.Neg()
			d.Reasons = append(d.Reasons, Reason{Code: "limit_exceeded",
				EN: fmt.Sprintf("exposure %s exceeds the credit limit %s by %s (open receivables %s + unbilled orders %s + shipped not invoiced %s + this order %s)",
					exposure.Format("en"), policy.Limit.Format("en"), over.Format("en"),
					p.OpenReceivables.Format("en"), p.UnbilledOrders.Format("en"), p.ShippedNotInvoiced.Format("en"), req.Order.Format("en")),
				RU: fmt.Sprintf("кредитный риск %s превышает лимит %s на %s (открытая дебиторская задолженность %s + неотфактурованные заказы %s + отгружено без счёта %s + этот заказ %s)",
					exposure.Format("ru"), policy.Limit.Format("ru"), over.Format("ru"),
					p.OpenReceivables.Format("ru"), p.UnbilledOrders.Format("ru"), p.ShippedNotInvoiced.Format("ru"), req.Order.Format("ru"))})
		} else {
			d.Reasons = append(d.Reasons, Reason{Code: "within_limit",
				EN: fmt.Sprintf("exposure %s is within the credit limit %s (headroom %s)", exposure.Format("en"), policy.Limit.Format("en"), d.Headroom.Format("en")),
				RU: fmt.Sprintf("кредитный риск %s в пределах лимита %s (остаток %s)", exposure.Format("ru"), policy.Limit.Format("ru"), d.Headroom.Format("ru"))})
		}
	} else {
		d.Reasons = append(d.Reasons, Reason{Code: "no_limit",
			EN: fmt.Sprintf("no credit limit is set; exposure %s", exposure.Format("en")),
			RU: fmt.Sprintf("кредитный лимит не установлен; кредитный риск %s", exposure.Format("ru"))})
	}

	// The overdue rule.
	if present(policy.OverdueThreshold) && p.OverdueAmount.Decimal().GreaterThan(policy.OverdueThreshold.Decimal()) {
		d.Fired = append(d.Fired, RuleOverdueAmount)
		d.Reasons = append(d.Reasons, Reason{Code: "overdue_amount_exceeded",
			EN: fmt.Sprintf("overdue receivables %s exceed the threshold %s", p.OverdueAmount.Format("en"), policy.OverdueThreshold.Format("en")),
			RU: fmt.Sprintf("просроченная задолженность %s превышает порог %s", p.OverdueAmount.Format("ru"), policy.OverdueThreshold.Format("ru"))})
	}
	if policy.MaxDaysOverdue > 0 && p.MaxDaysOverdue > policy.MaxDaysOverdue {
		d.Fired = append(d.Fired, RuleOverdueDays)
		n, m := int64(p.MaxDaysOverdue), int64(policy.MaxDaysOverdue)
		d.Reasons = append(d.Reasons, Reason{Code: "overdue_days_exceeded",
			EN: fmt.Sprintf("an invoice is %d %s overdue, more than the %d %s allowed", n, daysEN(n), m, daysEN(m)),
			RU: fmt.Sprintf("счёт просрочен на %d %s, больше допустимых %d %s", n, daysRU(n), m, daysRU(m))})
	}
	if len(d.Fired) == 0 {
		return d, nil
	}

	switch policy.Mode {
	case ModeWarn:
		d.Outcome = OutcomeWarned
		d.Reasons = append(d.Reasons, Reason{Code: "mode_warn", EN: "the policy warns: the order may be confirmed", RU: "политика предупреждает: заказ можно подтвердить"})
	case ModeHold:
		d.Outcome = OutcomeHeld
		d.Reasons = append(d.Reasons, Reason{Code: "mode_hold", EN: "the policy holds the order for a credit controller", RU: "по политике заказ ожидает решения кредитного контролёра"})
	case ModeBlock:
		d.Outcome = OutcomeBlocked
		d.Reasons = append(d.Reasons, Reason{Code: "mode_block", EN: "the policy blocks the order", RU: "по политике заказ блокируется"})
	}
	if o := req.Override; o != nil && (d.Outcome == OutcomeHeld || d.Outcome == OutcomeBlocked) {
		ov := *o
		d.Override = &ov
		d.Outcome = OutcomeOverridden
		r := Reason{Code: "overridden",
			EN: fmt.Sprintf("overridden by credit controller %s", shorten(o.By)),
			RU: fmt.Sprintf("разрешено кредитным контролёром %s", shorten(o.By))}
		if !o.CreditController {
			r.EN = fmt.Sprintf("overridden by %s, deputy acting for credit controller %s", shorten(o.By), shorten(o.OnBehalfOf))
			r.RU = fmt.Sprintf("разрешено %s, заместителем кредитного контролёра %s", shorten(o.By), shorten(o.OnBehalfOf))
		}
		if o.Note != "" {
			r.EN += ": " + o.Note
			r.RU += ": " + o.Note
		}
		d.Reasons = append(d.Reasons, r)
	}
	return d, nil
}
