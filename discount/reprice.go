package discount

import (
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// Repricing is what Engine.RepriceReturn needs beside the frozen record
// of the sale.
type Repricing struct {
	// Sold is the cart as it was priced at the sale: the same lines in
	// the same order, its At (validity windows are judged then), customer,
	// coupons and manual discounts.
	Sold Cart
	// Before holds, per line of the frozen record, the quantity returned
	// by earlier credit notes, in the sold unit; nil means nothing, and
	// lines past its end returned nothing.
	Before []decimal.Decimal
	// Lines are the quantities returned now. Their Returned is ignored:
	// Before says what each line returned before.
	Lines []ReturnLine
	// Usage judges limits as they stood for the sale, typically
	// ExcludingUses(ledger, frozen.Uses). Nil means nothing used.
	Usage Usage
}

// RepriceReturn prices a return on terms that claw back what the kept
// goods no longer earn, as B2B supply contracts often say: volume
// breaks, buy-X-get-Y and order thresholds are judged again on what the
// client keeps, as if the order had been for that alone. e must be an
// engine of the rule set the sale was priced with (re-pricing the sold
// cart must give the frozen lines and adjustments exactly, else the
// error (reason not_the_sale) names the first line that differs, or the
// adjustments; the cart's At, currency and customer id and the engine's
// rounding must be the record's).
//
// The returned lines are priced pro rata, exactly as PriceReturn does
// (Lines, List, Discount, Net). Then the kept goods — the sold
// quantities less everything returned up to a point — are re-priced,
// and for each rule the sale applied the kept goods' pro-rata share of
// what it gave is compared with what it gives them now, on the lines it
// gave a discount to at the sale. A difference
// within rounding counts as none: nothing for a line nothing was
// returned from (its share is exact) or a line returned whole, two minor
// units for a line returned in part (the share and the re-priced amount
// are rounded separately), three when its list amount is itself rounded
// (a quantity in kg), and for an order discount one more, and one for
// each line returned whole (its share's rounding no longer cancels out);
// a real loss is hidden only within these few minor units per line
// returned, whatever the size of the order. The rest — losses and gains
// — adds up over the sale's rules, and the clawback at that point is
// that sum when it is positive, else zero. So the kept goods pay what
// they would have paid had they been the order, on the sale's terms: one
// promotion redistributed among them (an order discount, a shared
// budget) counts as it would have, and so does a loss of one rule that
// raises another (a larger base for a compounding discount). But a rule
// the sale did not apply (one that applies now because the order is
// smaller), or a rule's discount on a line it did not reach at the sale,
// offsets nothing, and the clawback is never negative: a return never
// earns the kept goods a discount they did not have.
//
// The note's Clawback is the clawback after this return less the
// clawback before it, and Due = Net − Clawback, which is negative when
// the client owes more than the returned goods are worth. Because every
// figure is a difference of totals up to a point, successive returns add
// up to the same amounts whatever the steps, and returning everything
// gives back exactly what was paid. Shortfalls say, rule by rule, what
// the clawback so far is made of, and Lost why the kept goods lose a
// discount entirely, line by line. Free items the sale granted outside
// the cart are the host's to reclaim (compare the FreeItems of pricing
// the kept goods).
//
// Errors are *InputError; a *RuleError or *TieError of re-pricing is
// returned as it is.
func (e *Engine) RepriceReturn(f Frozen, in Repricing) (*CreditNote, error) {
	before, err := returnedBefore(f, in.Before)
	if err != nil {
		return nil, err
	}
	lines := slices.Clone(in.Lines)
	for i := range lines {
		if l := lines[i].Line; l >= 0 && l < len(before) {
			lines[i].Returned = before[l]
		}
	}
	note, err := PriceReturn(f, lines)
	if err != nil {
		return nil, err
	}
	sale, err := e.checkSale(f, in)
	if err != nil {
		return nil, err
	}
	after := slices.Clone(before)
	for _, l := range lines {
		after[l.Line] = after[l.Line].Add(l.Quantity)
	}
	cBefore, _, _, err := e.clawbackAt(f, sale, in, before)
	if err != nil {
		return nil, err
	}
	cAfter, kept, shortfalls, err := e.clawbackAt(f, sale, in, after)
	if err != nil {
		return nil, err
	}
	note.Clawback = sub(cAfter, cBefore)
	note.Due = sub(note.Net, note.Clawback)
	note.Shortfalls = shortfalls
	note.Lost = lostDiscounts(f, kept)
	return note, nil
}

// returnedBefore checks Repricing.Before against the sale and returns it
// with an entry for every line.
func returnedBefore(f Frozen, given []decimal.Decimal) ([]decimal.Decimal, error) {
	if len(given) > len(f.Lines) {
		return nil, &InputError{Field: "before", Reason: ReasonOutOfRange, Value: strconv.Itoa(len(given)),
			Detail: "more entries than the sale has lines (" + strconv.Itoa(len(f.Lines)) + ")"}
	}
	before := make([]decimal.Decimal, len(f.Lines))
	for i, b := range given {
		field := "before[" + strconv.Itoa(i) + "]"
		switch {
		case !saneDecimal(b):
			return nil, &InputError{Field: field, Reason: ReasonOutOfRange, Value: formatNumber(b)}
		case b.IsNegative():
			return nil, &InputError{Field: field, Reason: ReasonNegative, Value: formatNumber(b)}
		case b.Cmp(f.Lines[i].Quantity) > 0:
			return nil, &InputError{Field: field, Reason: ReasonOutOfRange, Value: formatNumber(b),
				Detail: "more than was sold (" + formatNumber(f.Lines[i].Quantity) + ")"}
		}
		before[i] = b
	}
	return before, nil
}

// checkSale re-prices the sold cart and compares it with the frozen
// record, line by line and adjustment by adjustment; it returns the
// re-priced sale.
func (e *Engine) checkSale(f Frozen, in Repricing) (*PricedCart, error) {
	if len(in.Sold.Lines) != len(f.Lines) {
		return nil, &InputError{Field: "sold.lines", Reason: ReasonNotTheSale, Value: strconv.Itoa(len(in.Sold.Lines)),
			Detail: "the sale had " + strconv.Itoa(len(f.Lines)) + " lines"}
	}
	if in.Sold.Currency != f.Currency {
		return nil, &InputError{Field: "sold.currency", Reason: ReasonNotTheSale, Value: in.Sold.Currency.Code()}
	}
	// The moment, the customer and the rounding are part of the sale's
	// terms even where the sold lines happen to price the same without
	// them: the kept goods are re-priced on them.
	if !in.Sold.At.Equal(f.At) {
		return nil, &InputError{Field: "sold.at", Reason: ReasonNotTheSale, Value: in.Sold.At.Format(time.RFC3339Nano),
			Detail: "the sale was priced at " + f.At.Format(time.RFC3339Nano)}
	}
	if in.Sold.Customer.ID != f.Customer {
		return nil, &InputError{Field: "sold.customer.id", Reason: ReasonNotTheSale, Value: in.Sold.Customer.ID,
			Detail: "the sale's customer was " + strconv.Quote(shorten(f.Customer))}
	}
	if e.opts.Rounding != f.Rounding {
		return nil, &InputError{Field: "options.rounding", Reason: ReasonNotTheSale, Value: e.opts.Rounding.String(),
			Detail: "the sale was rounded " + f.Rounding.String()}
	}
	pc, err := e.Price(in.Sold, in.Usage)
	if err != nil {
		return nil, err
	}
	for i, fl := range f.Lines {
		pl := pc.Lines[i]
		if pl.ID != fl.ID || pl.SKU != fl.SKU || !pl.Quantity.Equal(fl.Quantity) ||
			!pl.List.Equal(fl.List) || !pl.Discount.Equal(fl.Discount) || !pl.Net.Equal(fl.Net) {
			return nil, &InputError{Field: "sold.lines[" + strconv.Itoa(i) + "]", Reason: ReasonNotTheSale, Value: pl.SKU,
				Detail: "priced " + pl.Net.String() + " net for " + formatNumber(pl.Quantity) + ", the sale " +
					fl.Net.String() + " for " + formatNumber(fl.Quantity) + " (another rule set, cart or usage)"}
		}
	}
	same := len(pc.Adjustments) == len(f.Adjustments)
	for i := 0; same && i < len(f.Adjustments); i++ {
		a, fa := pc.Adjustments[i], f.Adjustments[i]
		same = a.Rule == fa.Rule && a.Line == fa.Line && a.Amount.Equal(fa.Amount)
	}
	if !same {
		return nil, &InputError{Field: "sold", Reason: ReasonNotTheSale,
			Detail: "the discounts differ from the sale's adjustments (another rule set, cart or usage)"}
	}
	return pc, nil
}

// clawbackAt returns the clawback once the quantities returned (per
// frozen line) are returned, the kept goods as re-priced, and the
// shortfalls it is made of (see RepriceReturn).
func (e *Engine) clawbackAt(f Frozen, sale *PricedCart, in Repricing, returned []decimal.Decimal) (money.Amount, *PricedCart, []Shortfall, error) {
	keep := in.Sold
	keep.Lines = slices.Clone(in.Sold.Lines)
	for i, fl := range f.Lines {
		keep.Lines[i].Quantity = fl.Quantity.Sub(returned[i])
	}
	kept, err := e.Price(keep, in.Usage)
	if err != nil {
		return money.Amount{}, nil, nil, err
	}
	shortfalls := shortfallsOf(f, in.Sold, sale, kept, returned)
	c := money.Zero(f.Currency)
	for _, sf := range shortfalls {
		c = add(c, sf.Short)
	}
	if c.IsNegative() {
		c = money.Zero(f.Currency)
	}
	return c, kept, shortfalls, nil
}

// shortfallsOf compares, rule by rule of the sale, the kept goods'
// pro-rata share of what the rule gave with what it gives them re-priced
// (kept), on the lines it reached at the sale, and returns the rules
// whose difference is beyond rounding. Rounding is bounded by roundingOf,
// summed over the rule's amounts: every rounding point between the
// sale's amount and the re-priced one (the pro-rata share, the re-priced
// amount or order share, a list amount of a fractional quantity, which
// the discount passes on) is less than one minor unit off, and a line
// untouched by the returns has neither.
func shortfallsOf(f Frozen, sold Cart, sale, kept *PricedCart, returned []decimal.Decimal) []Shortfall {
	zero := money.Zero(f.Currency)
	keptShare := func(a money.Amount, line int) money.Amount {
		q := f.Lines[line].Quantity
		if q.IsZero() {
			return a
		}
		return sub(a, mulDiv(a, returned[line], q, f.Rounding))
	}
	// roundingOf is how many minor units rounding alone can make the
	// kept share of an amount the sale gave a line and what re-pricing
	// gives it differ by.
	roundingOf := func(line int, order bool) int64 {
		q, x := f.Lines[line].Quantity, returned[line]
		switch {
		case x.IsZero():
			return 0 // the line is as it was sold: its share is exact, and so is its list amount
		case x.Cmp(q) >= 0:
			if order {
				return 1 // the order share's own rounding no longer cancels out over the kept lines
			}
			return 0 // nothing kept, nothing given
		}
		n := int64(2) // the share's rounding, and the re-priced amount's (or the order share's)
		price := sold.Lines[line].ListPrice.Decimal()
		if !f.Lines[line].List.Decimal().Equal(price.Mul(q)) || !price.Mul(q.Sub(x)).Equal(price.Mul(q.Sub(x)).Round(f.Currency.MinorUnits())) {
			n++ // a rounded list amount, which the discount is a part of
		}
		return n
	}
	type tally struct {
		name       string
		share, now money.Amount
		within     int64        // minor units of rounding
		lines      map[int]bool // the lines the sale gave the rule's discount to
	}
	var order []string
	byRule := map[string]*tally{}
	for _, a := range sale.Adjustments {
		t := byRule[a.Rule]
		if t == nil {
			t = &tally{name: a.RuleName, share: zero, now: zero, lines: map[int]bool{}}
			byRule[a.Rule] = t
			order = append(order, a.Rule)
		}
		if a.Line >= 0 {
			t.share, t.within = add(t.share, keptShare(a.Amount, a.Line)), t.within+roundingOf(a.Line, false)
			t.lines[a.Line] = t.lines[a.Line] || !a.Amount.IsZero()
			continue
		}
		t.within++ // the order discount's rounding, at the sale and re-priced
		for _, sh := range a.Shares {
			t.share, t.within = add(t.share, keptShare(sh.Amount, sh.Line)), t.within+roundingOf(sh.Line, true)
			t.lines[sh.Line] = t.lines[sh.Line] || !sh.Amount.IsZero()
		}
	}
	// What the sale's rules give the kept goods now, on the lines the
	// sale gave them to: a rule's discount on another line is one the
	// sale did not give.
	for _, a := range kept.Adjustments {
		t := byRule[a.Rule]
		switch {
		case t == nil:
		case a.Line >= 0:
			if t.lines[a.Line] {
				t.now = add(t.now, a.Amount)
			}
		default:
			for _, sh := range a.Shares {
				if t.lines[sh.Line] {
					t.now = add(t.now, sh.Amount)
				}
			}
		}
	}
	// Rule by rule, a difference within rounding is none; the rest, a
	// loss or a gain, counts: had the kept goods been the order, a loss of
	// one rule could have raised another (a larger base for a compounding
	// discount, a budget or cap left for them).
	var out []Shortfall
	for _, rule := range order {
		t := byRule[rule]
		short := sub(t.share, t.now)
		within, _ := money.FromMinor(t.within, f.Currency)
		if d, err := short.Abs().Cmp(within); err == nil && d > 0 {
			out = append(out, Shortfall{Rule: rule, RuleName: t.name, Share: t.share, Now: t.now, Short: short})
		}
	}
	return out
}

// lostDiscounts lists, per discount of the sale (a rule's adjustment
// on a line, or on the order) that the kept goods lose entirely, the
// re-priced kept cart's rejections of that rule there (no_effect when
// the rule no longer even matches). A line returned whole keeps nothing
// and loses nothing; nor does an order of which nothing is kept.
func lostDiscounts(f Frozen, kept *PricedCart) []Rejection {
	var out []Rejection
	type key struct {
		rule string
		line int
	}
	anyKept := slices.ContainsFunc(kept.Lines, func(l PricedLine) bool { return l.Quantity.IsPositive() })
	if !anyKept {
		return nil
	}
	// The kept cart's discounts and rejections by rule and line, so that
	// a cart of many lines is not scanned once per discount of the sale.
	given := make(map[key]bool, len(kept.Adjustments))
	for _, x := range kept.Adjustments {
		if !x.Amount.IsZero() {
			given[key{x.Rule, x.Line}] = true
		}
	}
	rejected := make(map[key][]int, len(kept.NotApplied))
	for i, r := range kept.NotApplied {
		k := key{r.Rule, r.Line}
		rejected[k] = append(rejected[k], i)
	}
	seen := map[key]bool{}
	orderRejects := map[string]bool{} // rules whose order-wide rejections are listed already
	for _, a := range f.Adjustments {
		k := key{a.Rule, a.Line}
		if seen[k] || a.Amount.IsZero() {
			continue
		}
		seen[k] = true
		if a.Line >= 0 && !kept.Lines[a.Line].Quantity.IsPositive() || given[k] {
			continue
		}
		n := len(out)
		for _, i := range rejected[k] {
			out = append(out, kept.NotApplied[i])
		}
		if len(out) == n && a.Line >= 0 && !orderRejects[a.Rule] {
			// A line rule may be refused for the whole cart (a limit).
			for _, i := range rejected[key{a.Rule, -1}] {
				out = append(out, kept.NotApplied[i])
				orderRejects[a.Rule] = true
			}
		}
		if explained := len(out) > n || a.Line >= 0 && orderRejects[a.Rule]; !explained {
			r := Rejection{Rule: a.Rule, Reason: NoEffect, Line: a.Line}
			if a.Line >= 0 {
				r.SKU = f.Lines[a.Line].SKU
			}
			out = append(out, r)
		}
	}
	return out
}

// ExcludingUses returns usage less uses, each key's counter never below
// zero: the counters as they stood for an order before its own uses
// (Frozen.Uses) were committed, which is how RepriceReturn judges the
// limits of the sale. A nil usage is read as nothing used.
func ExcludingUses(usage Usage, uses []Use) Usage {
	return excludingUses{usage: usage, uses: slices.Clone(uses)}
}

type excludingUses struct {
	usage Usage
	uses  []Use
}

func (x excludingUses) Counter(k UsageKey) Counter {
	var c Counter
	if x.usage != nil {
		c = x.usage.Counter(k)
	}
	for _, u := range x.uses {
		if u.Key != k {
			continue
		}
		c.Uses--
		if !c.Spent.IsZero() && c.Spent.Currency() == u.Amount.Currency() {
			c.Spent = sub(c.Spent, u.Amount)
		}
	}
	if c.Uses < 0 {
		c.Uses = 0
	}
	if c.Spent.IsNegative() {
		c.Spent = money.Zero(c.Spent.Currency())
	}
	return c
}
