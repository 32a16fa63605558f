package credit

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// Invoice is one invoice of the client's own history with the payments
// made against it.
type Invoice struct {
	ID       string
	Amount   money.Amount // positive
	IssuedOn Date
	DueOn    Date // on or after IssuedOn
	Payments []Payment
}

// Payment is money received against an invoice.
type Payment struct {
	On     Date
	Amount money.Amount // positive
}

// PaymentHistorySource gives a client's invoices and payments. crm (or a
// host's ledger) implements it.
type PaymentHistorySource interface {
	PaymentHistory(ctx context.Context, clientID string, at time.Time) ([]Invoice, error)
}

// IndexPoint is one anchor of the payment index scale: paying
// DaysBeyondTerms days after the due date (negative: before) scores Index.
type IndexPoint struct {
	DaysBeyondTerms int
	Index           int
}

// DefaultIndexScale returns the default map of days beyond terms to the
// 0–100 payment index: 80 is paying on the due date, 100 paying 30 days
// early, 50 paying 30 days late, 20 paying 120 days late, 0 paying 180
// days late or more. Between anchors the index is linear; beyond the ends
// it is flat. Each call returns a new slice, so a host changing its copy
// changes no one else's default.
func DefaultIndexScale() []IndexPoint { return slices.Clone(defaultIndexScale) }

var defaultIndexScale = []IndexPoint{
	{-30, 100}, {-10, 90}, {0, 80}, {15, 70}, {22, 60}, {30, 50}, {60, 40}, {90, 30}, {120, 20}, {180, 0},
}

// PaymentOptions tune the payment analysis. The zero value uses the
// defaults.
type PaymentOptions struct {
	// Location gives the calendar date of the instant judged (UTC if nil).
	Location *time.Location
	// DSODays is the period of sales DSO is measured against (default 90).
	DSODays int
	// WindowMonths is the look-back of the delay measures, the index and
	// the average monthly purchases (default 12).
	WindowMonths int
	// TrendMonths is the length of each of the two periods the trend
	// compares (default 3: the last three months against the three before).
	TrendMonths int
	// TrendTolerance is the change of the index, in points, below which
	// the trend is stable (default 5).
	TrendTolerance decimal.Decimal
	// Scale maps days beyond terms to the index (default
	// DefaultIndexScale). Days must increase, indexes lie in 0..100 and
	// must not rise, and the scale must give 80 at 0 days.
	Scale []IndexPoint
}

func (o PaymentOptions) withDefaults() (PaymentOptions, error) {
	if o.DSODays == 0 {
		o.DSODays = 90
	}
	if o.WindowMonths == 0 {
		o.WindowMonths = 12
	}
	if o.TrendMonths == 0 {
		o.TrendMonths = 3
	}
	if err := boundedDec("options.trend_tolerance", o.TrendTolerance); err != nil {
		return o, err
	}
	if o.TrendTolerance.IsZero() {
		o.TrendTolerance = decimal.NewFromInt(5)
	}
	if o.Scale == nil {
		o.Scale = defaultIndexScale
	}
	switch {
	case o.DSODays < 0 || o.DSODays > 3660:
		return o, invalid("options.dso_days", CodeOutOfRange, fmt.Sprint(o.DSODays))
	case o.WindowMonths < 0 || o.WindowMonths > 120:
		return o, invalid("options.window_months", CodeOutOfRange, fmt.Sprint(o.WindowMonths))
	case o.TrendMonths < 0 || o.TrendMonths > 60:
		return o, invalid("options.trend_months", CodeOutOfRange, fmt.Sprint(o.TrendMonths))
	case o.TrendTolerance.IsNegative():
		return o, invalid("options.trend_tolerance", CodeNegative, o.TrendTolerance.String())
	case len(o.Scale) == 0:
		return o, invalid("options.scale", CodeRequired, "")
	}
	for i, p := range o.Scale {
		if p.Index < 0 || p.Index > 100 {
			return o, invalid(fmt.Sprintf("options.scale[%d].index", i), CodeOutOfRange, fmt.Sprint(p.Index))
		}
		if i > 0 && (p.DaysBeyondTerms <= o.Scale[i-1].DaysBeyondTerms || p.Index > o.Scale[i-1].Index) {
			return o, invalidf(fmt.Sprintf("options.scale[%d]", i), CodeInconsistent, "", "days must increase and the index must not rise", "дни должны возрастать, а индекс не расти")
		}
	}
	if !indexAt(o.Scale, 0).Equal(decimal.NewFromInt(80)) {
		return o, invalidf("options.scale", CodeInconsistent, "", "paying on terms must score 80", "оплата в срок должна давать 80")
	}
	return o, nil
}

// indexAt interpolates the scale at days beyond terms.
func indexAt(scale []IndexPoint, days int64) decimal.Decimal {
	if days <= int64(scale[0].DaysBeyondTerms) {
		return decimal.NewFromInt(int64(scale[0].Index))
	}
	for i := 1; i < len(scale); i++ {
		a, b := scale[i-1], scale[i]
		if days <= int64(b.DaysBeyondTerms) {
			// a.Index + (b.Index − a.Index)·(days − a.Days)/(b.Days − a.Days)
			num := decimal.NewFromInt(int64(b.Index-a.Index) * (days - int64(a.DaysBeyondTerms)))
			return decimal.NewFromInt(int64(a.Index)).Add(num.DivRound(decimal.NewFromInt(int64(b.DaysBeyondTerms-a.DaysBeyondTerms)), RatioPlaces))
		}
	}
	return decimal.NewFromInt(int64(scale[len(scale)-1].Index))
}

// Names of the payment figures.
const (
	FigureDSO                = "dso"
	FigureAvgDaysBeyondTerms = "avg_days_beyond_terms"
	FigureLongestDelay       = "longest_delay_days"
	FigureLateShare          = "late_share"
	FigurePaymentIndex       = "payment_index"
)

// Direction is the way the payment index moves.
type Direction string

// Directions of the trend.
const (
	TrendUnknown   Direction = "unknown" // a period has no data
	TrendImproving Direction = "improving"
	TrendStable    Direction = "stable"
	TrendWorsening Direction = "worsening"
)

// Trend compares the payment index of the recent period with the one
// before it.
type Trend struct {
	Recent, Previous Figure
	Change           decimal.Decimal // Recent − Previous, when both are defined
	Direction        Direction
}

// PaymentBehaviour is how a client pays, from its own history.
//
// An invoice's history is cut into items: each payment is a settled item
// (its amount, paid on its date), and what is unpaid at the as-of date
// is one open item. An item's days beyond terms are its payment date (or,
// for an open item, the as-of date) minus the due date; its delay is that
// number when positive and 0 otherwise. Open items not yet due are
// excluded from delay measures: nobody knows yet when they will be paid.
//
// Days figures (DSO, average days beyond terms) and the index are rounded
// half away from zero to 2 places, the late share to 4.
type PaymentBehaviour struct {
	AsOf     Date
	Currency money.Currency
	// Invoices is the number of invoices issued on or before AsOf.
	Invoices int
	// OpenReceivables is what is unpaid on every invoice; OverdueAmount
	// the part of it past its due date; MaxDaysOverdue the days past due of
	// the most overdue open invoice (0 if none).
	OpenReceivables money.Amount
	OverdueAmount   money.Amount
	MaxDaysOverdue  int
	// AvgMonthlyPurchases is the total invoiced in the window divided by
	// its months, rounded half up to the minor unit.
	AvgMonthlyPurchases money.Amount
	// DSO = open receivables / invoiced in the last DSODays days × DSODays.
	DSO Figure
	// AvgDaysBeyondTerms is the amount-weighted average delay of the
	// items settled in the window and the open overdue items.
	AvgDaysBeyondTerms Figure
	// LongestDelay is the longest delay, in days, among the same items.
	LongestDelay Figure
	// LateShare is the share of invoices paid late: among invoices fully
	// paid in the window and open overdue invoices, those whose last
	// payment came after the due date or that are still overdue.
	LateShare Figure
	// Index is the 0–100 payment index (80 = pays on terms), the
	// amount-weighted average of each item's index on the scale.
	Index Figure
	Trend Trend
}

type payItem struct {
	amount decimal.Decimal
	on     Date // payment date, or as-of for an open item
	days   int64
}

// AnalyzePayments computes the client's payment behaviour as of the
// calendar date of at. Invoices issued after that date and payments dated
// after it are ignored (they have not happened yet). Invalid history — a
// non-positive amount, another currency, an impossible date, a due date
// before the issue date, payments exceeding the invoice — is an
// *InputError naming the invoice ("invoices[3].payments[0].amount").
// An empty history is not an error: every figure is unavailable.
func AnalyzePayments(invoices []Invoice, at time.Time, opts PaymentOptions) (PaymentBehaviour, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return PaymentBehaviour{}, err
	}
	today := DateOf(at, o.Location)
	pb := PaymentBehaviour{AsOf: today}
	cur, err := validateHistory(invoices)
	if err != nil {
		return PaymentBehaviour{}, err
	}
	pb.Currency = cur
	zero := decimal.Zero
	open, overdue, sales, purchases := zero, zero, zero, zero
	windowStart := today.AddMonths(-o.WindowMonths)
	recentStart := today.AddMonths(-o.TrendMonths)
	prevStart := today.AddMonths(-2 * o.TrendMonths)
	dsoStart := today.AddDays(-o.DSODays)
	var window, recent, previous []payItem
	lateInvoices, judgedInvoices := 0, 0
	for _, inv := range invoices {
		if inv.IssuedOn.After(today) {
			continue
		}
		pb.Invoices++
		amount := inv.Amount.Decimal()
		if inv.IssuedOn.After(dsoStart) {
			sales = sales.Add(amount)
		}
		if inv.IssuedOn.After(windowStart) {
			purchases = purchases.Add(amount)
		}
		paid := zero
		var last Date
		for _, p := range inv.Payments {
			if p.On.After(today) {
				continue
			}
			paid = paid.Add(p.Amount.Decimal())
			if last.IsZero() || p.On.After(last) {
				last = p.On
			}
			it := payItem{amount: p.Amount.Decimal(), on: p.On, days: int64(inv.DueOn.DaysUntil(p.On))}
			if p.On.After(windowStart) {
				window = append(window, it)
			}
			switch {
			case p.On.After(recentStart):
				recent = append(recent, it)
			case p.On.After(prevStart):
				previous = append(previous, it)
			}
		}
		rest := amount.Sub(paid)
		if rest.IsPositive() {
			open = open.Add(rest)
			if today.After(inv.DueOn) {
				days := int64(inv.DueOn.DaysUntil(today))
				overdue = overdue.Add(rest)
				pb.MaxDaysOverdue = max(pb.MaxDaysOverdue, int(days))
				it := payItem{amount: rest, on: today, days: days}
				window = append(window, it)
				recent = append(recent, it)
				judgedInvoices++
				lateInvoices++
			}
		} else if last.After(windowStart) {
			judgedInvoices++
			if last.After(inv.DueOn) {
				lateInvoices++
			}
		}
	}
	if pb.Invoices == 0 {
		noData := func(name string) Figure { return Figure{Name: name, Err: unavailable(name, CodeNoData, "invoices")} }
		pb.DSO, pb.AvgDaysBeyondTerms, pb.LongestDelay = noData(FigureDSO), noData(FigureAvgDaysBeyondTerms), noData(FigureLongestDelay)
		pb.LateShare, pb.Index = noData(FigureLateShare), noData(FigurePaymentIndex)
		pb.Trend = Trend{Recent: noData(FigurePaymentIndex), Previous: noData(FigurePaymentIndex), Direction: TrendUnknown}
		return pb, nil
	}
	pb.OpenReceivables = mustAmount(open, cur)
	pb.OverdueAmount = mustAmount(overdue, cur)
	pb.AvgMonthlyPurchases = mustAmount(purchases.DivRound(decimal.NewFromInt(int64(o.WindowMonths)), cur.MinorUnits()), cur)

	if sales.IsZero() {
		pb.DSO = Figure{Name: FigureDSO, Err: unavailable(FigureDSO, CodeZeroDenominator, fmt.Sprintf("sales_last_%d_days", o.DSODays))}
	} else {
		pb.DSO = Figure{Name: FigureDSO, Value: open.Mul(decimal.NewFromInt(int64(o.DSODays))).DivRound(sales, 2)}
	}
	pb.AvgDaysBeyondTerms = avgDelay(window)
	pb.LongestDelay = longestDelay(window)
	if judgedInvoices == 0 {
		pb.LateShare = Figure{Name: FigureLateShare, Err: unavailable(FigureLateShare, CodeNoData, "invoices_paid_or_overdue_in_window")}
	} else {
		pb.LateShare = Figure{Name: FigureLateShare, Value: decimal.NewFromInt(int64(lateInvoices)).DivRound(decimal.NewFromInt(int64(judgedInvoices)), 4)}
	}
	pb.Index = paymentIndex(window, o.Scale)
	pb.Trend = Trend{Recent: paymentIndex(recent, o.Scale), Previous: paymentIndex(previous, o.Scale), Direction: TrendUnknown}
	if pb.Trend.Recent.OK() && pb.Trend.Previous.OK() {
		pb.Trend.Change = pb.Trend.Recent.Value.Sub(pb.Trend.Previous.Value)
		switch {
		case pb.Trend.Change.GreaterThanOrEqual(o.TrendTolerance) && pb.Trend.Change.IsPositive():
			pb.Trend.Direction = TrendImproving
		case pb.Trend.Change.Neg().GreaterThanOrEqual(o.TrendTolerance) && pb.Trend.Change.IsNegative():
			pb.Trend.Direction = TrendWorsening
		default:
			pb.Trend.Direction = TrendStable
		}
	}
	return pb, nil
}

func mustAmount(d decimal.Decimal, c money.Currency) money.Amount {
	a, err := money.FromDecimal(d, c)
	if err != nil { // c is a validated currency: cannot happen
		return money.Amount{}
	}
	return a
}

func validateHistory(invoices []Invoice) (money.Currency, error) {
	var cur money.Currency
	for i, inv := range invoices {
		f := fmt.Sprintf("invoices[%d]", i)
		if !present(inv.Amount) {
			return cur, invalid(f+".amount", CodeRequired, "")
		}
		if cur.IsZero() {
			cur = inv.Amount.Currency()
		}
		if inv.Amount.Currency() != cur {
			return cur, invalidf(f+".amount", CodeCurrency, inv.Amount.String(), "the history is in "+cur.Code(), "история в валюте "+cur.Code())
		}
		if !inv.Amount.IsPositive() {
			return cur, invalid(f+".amount", CodeNotPositive, inv.Amount.String())
		}
		if !inv.IssuedOn.Valid() {
			return cur, invalid(f+".issued_on", CodeBadDate, inv.IssuedOn.String())
		}
		if !inv.DueOn.Valid() {
			return cur, invalid(f+".due_on", CodeBadDate, inv.DueOn.String())
		}
		if inv.DueOn.Before(inv.IssuedOn) {
			return cur, invalidf(f+".due_on", CodeInconsistent, inv.DueOn.String(), "before the issue date "+inv.IssuedOn.String(), "раньше даты выставления "+inv.IssuedOn.String())
		}
		paid := decimal.Zero
		for j, p := range inv.Payments {
			pf := fmt.Sprintf("%s.payments[%d]", f, j)
			if !p.On.Valid() {
				return cur, invalid(pf+".on", CodeBadDate, p.On.String())
			}
			if !present(p.Amount) {
				return cur, invalid(pf+".amount", CodeRequired, "")
			}
			if p.Amount.Currency() != cur {
				return cur, invalidf(pf+".amount", CodeCurrency, p.Amount.String(), "the history is in "+cur.Code(), "история в валюте "+cur.Code())
			}
			if !p.Amount.IsPositive() {
				return cur, invalid(pf+".amount", CodeNotPositive, p.Amount.String())
			}
			paid = paid.Add(p.Amount.Decimal())
		}
		if paid.GreaterThan(inv.Amount.Decimal()) {
			return cur, invalidf(f+".payments", CodeInconsistent, paid.String(), "payments exceed the invoice amount "+inv.Amount.String(), "оплачено больше суммы счёта "+inv.Amount.String())
		}
	}
	return cur, nil
}

func avgDelay(items []payItem) Figure {
	num, den := decimal.Zero, decimal.Zero
	for _, it := range items {
		num = num.Add(it.amount.Mul(decimal.NewFromInt(max(it.days, 0))))
		den = den.Add(it.amount)
	}
	if den.IsZero() {
		return Figure{Name: FigureAvgDaysBeyondTerms, Err: unavailable(FigureAvgDaysBeyondTerms, CodeNoData, "payments_in_window")}
	}
	return Figure{Name: FigureAvgDaysBeyondTerms, Value: num.DivRound(den, 2)}
}

func longestDelay(items []payItem) Figure {
	if len(items) == 0 {
		return Figure{Name: FigureLongestDelay, Err: unavailable(FigureLongestDelay, CodeNoData, "payments_in_window")}
	}
	longest := int64(0)
	for _, it := range items {
		longest = max(longest, it.days)
	}
	return Figure{Name: FigureLongestDelay, Value: decimal.NewFromInt(longest)}
}

func paymentIndex(items []payItem, scale []IndexPoint) Figure {
	num, den := decimal.Zero, decimal.Zero
	for _, it := range items {
		num = num.Add(it.amount.Mul(indexAt(scale, it.days)))
		den = den.Add(it.amount)
	}
	if den.IsZero() {
		return Figure{Name: FigurePaymentIndex, Err: unavailable(FigurePaymentIndex, CodeNoData, "payments_in_period")}
	}
	return Figure{Name: FigurePaymentIndex, Value: num.DivRound(den, 2)}
}

// Reasons explains the behaviour: the payment index, the longest delay,
// the overdue amount and the trend, each with a stable code.
func (pb PaymentBehaviour) Reasons() []Reason {
	var out []Reason
	if pb.Index.OK() {
		en, ru := fmtAgainst(pb.Index.Value, 0, decimal.NewFromInt(80))
		out = append(out, Reason{Code: "payment_index",
			EN: fmt.Sprintf("payment index %s (80 = pays on terms)", en),
			RU: fmt.Sprintf("индекс платёжной дисциплины %s (80 — платит в срок)", ru)})
	} else {
		out = append(out, Reason{Code: "payment_history_unavailable", EN: "no payment history to judge", RU: "нет истории платежей для оценки"})
	}
	if pb.LongestDelay.OK() && pb.LongestDelay.Value.IsPositive() {
		n := pb.LongestDelay.Value.IntPart()
		out = append(out, Reason{Code: "longest_delay",
			EN: fmt.Sprintf("longest delay in the window: %d %s", n, daysEN(n)),
			RU: fmt.Sprintf("наибольшая просрочка за период: %d %s", n, daysRU(n))})
	}
	if pb.OverdueAmount.IsPositive() {
		out = append(out, Reason{Code: "overdue_now",
			EN: fmt.Sprintf("%s overdue now, the oldest by %d %s", pb.OverdueAmount.Format("en"), pb.MaxDaysOverdue, daysEN(int64(pb.MaxDaysOverdue))),
			RU: fmt.Sprintf("сейчас просрочено %s, самое старое — на %d %s", pb.OverdueAmount.Format("ru"), pb.MaxDaysOverdue, daysRU(int64(pb.MaxDaysOverdue)))})
	}
	switch pb.Trend.Direction {
	case TrendImproving, TrendWorsening:
		en, ru := fmtDec(pb.Trend.Change.Abs(), 0)
		if pb.Trend.Direction == TrendImproving {
			out = append(out, Reason{Code: "payment_trend_improving",
				EN: fmt.Sprintf("payments improving: index up %s points", en),
				RU: fmt.Sprintf("платёжная дисциплина улучшается: индекс вырос на %s", ru)})
		} else {
			out = append(out, Reason{Code: "payment_trend_worsening",
				EN: fmt.Sprintf("payments worsening: index down %s points", en),
				RU: fmt.Sprintf("платёжная дисциплина ухудшается: индекс снизился на %s", ru)})
		}
	}
	return slices.Clip(out)
}
