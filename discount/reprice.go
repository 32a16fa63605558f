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
// cart must give the frozen lines exactly, else the error names the
// first line that differs; the cart's At and customer id and the
// engine's rounding must be the record's).
//
// The returned lines are priced pro rata, exactly as PriceReturn does
// (Lines, List, Discount, Net). Then the kept goods — the sold
// quantities less everything returned up to a point — are re-priced, and
// the clawback at that point adds up, rule by rule of the sale,
//
//	max(0, the kept goods' pro-rata share of what the rule gave − what it gives them re-priced)
//
// leaving out a shortfall within rounding (at most one minor unit per
// line the rule's discount was spread over: rounding the share and the
// re-priced discount separately differs by no more). A rule is judged as
// a whole over the kept goods, so one promotion redistributed among them
// (an order discount, a shared budget) is what they would have got had
// they been the order; but a rule that gives them more than their share,
// or that the sale did not apply (one that applies now because the order
// is smaller), offsets nothing: a return never earns the kept goods a
// discount they did not have. The note's Clawback is the clawback after this return less the
// clawback before it, and Due = Net − Clawback, which is negative when
// the client owes more than the returned goods are worth. Because every
// figure is a difference of totals up to a point, successive returns add
// up to the same amounts whatever the steps, and returning everything
// gives back exactly what was paid. Lost explains the discounts the kept
// goods lose, line by line. Free items the sale granted outside the cart
// are the host's to reclaim (compare the FreeItems of pricing the kept
// goods).
//
// Errors are *InputError; a *RuleError or *TieError of re-pricing is
// returned as it is.
func (e *Engine) RepriceReturn(f Frozen, in Repricing) (*CreditNote, error) {
	if len(in.Before) > len(f.Lines) {
		return nil, &InputError{Field: "before", Reason: ReasonOutOfRange, Value: strconv.Itoa(len(in.Before)),
			Detail: "more entries than the sale has lines (" + strconv.Itoa(len(f.Lines)) + ")"}
	}
	before := make([]decimal.Decimal, len(f.Lines))
	for i, b := range in.Before {
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
	cBefore, _, err := e.clawbackAt(f, sale, in, before)
	if err != nil {
		return nil, err
	}
	cAfter, kept, err := e.clawbackAt(f, sale, in, after)
	if err != nil {
		return nil, err
	}
	note.Clawback = sub(cAfter, cBefore)
	note.Due = sub(note.Net, note.Clawback)
	note.Lost = lostDiscounts(f, kept)
	return note, nil
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
// frozen line) are returned, and the kept goods as re-priced. Rule by
// rule of the sale, the kept goods' pro-rata share of what the rule gave
// is compared with what it gives them re-priced; a shortfall is clawed
// back unless it is within rounding — one minor unit for each line the
// rule's discount was spread over, the most that rounding the share and
// the re-priced discount separately can make them differ by. A rule that
// gives the kept goods more than their share, or a rule the sale did not
// apply, offsets nothing.
func (e *Engine) clawbackAt(f Frozen, sale *PricedCart, in Repricing, returned []decimal.Decimal) (money.Amount, *PricedCart, error) {
	keep := in.Sold
	keep.Lines = slices.Clone(in.Sold.Lines)
	for i, fl := range f.Lines {
		keep.Lines[i].Quantity = fl.Quantity.Sub(returned[i])
	}
	pc, err := e.Price(keep, in.Usage)
	if err != nil {
		return money.Amount{}, nil, err
	}
	zero := money.Zero(f.Currency)
	keptShare := func(a money.Amount, line int) money.Amount {
		q := f.Lines[line].Quantity
		if q.IsZero() {
			return a
		}
		return sub(a, mulDiv(a, returned[line], q, f.Rounding))
	}
	type tally struct {
		share, now money.Amount
		lines      int64
	}
	var order []string
	byRule := map[string]*tally{}
	for _, a := range sale.Adjustments {
		t := byRule[a.Rule]
		if t == nil {
			t = &tally{share: zero, now: zero}
			byRule[a.Rule] = t
			order = append(order, a.Rule)
		}
		if a.Line >= 0 {
			t.share, t.lines = add(t.share, keptShare(a.Amount, a.Line)), t.lines+1
			continue
		}
		for _, sh := range a.Shares {
			t.share, t.lines = add(t.share, keptShare(sh.Amount, sh.Line)), t.lines+1
		}
	}
	for _, a := range pc.Adjustments {
		if t := byRule[a.Rule]; t != nil {
			t.now = add(t.now, a.Amount)
		}
	}
	c := zero
	for _, rule := range order {
		t := byRule[rule]
		short := sub(t.share, t.now)
		within, _ := money.FromMinor(t.lines, f.Currency)
		if d, err := short.Cmp(within); err == nil && d > 0 {
			c = add(c, short)
		}
	}
	return c, pc, nil
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
	seen := map[key]bool{}
	orderRejects := map[string]bool{} // rules whose order-wide rejections are listed already
	anyKept := slices.ContainsFunc(kept.Lines, func(l PricedLine) bool { return l.Quantity.IsPositive() })
	for _, a := range f.Adjustments {
		k := key{a.Rule, a.Line}
		if seen[k] || a.Amount.IsZero() {
			continue
		}
		seen[k] = true
		if !anyKept || a.Line >= 0 && !kept.Lines[a.Line].Quantity.IsPositive() {
			continue
		}
		if slices.ContainsFunc(kept.Adjustments, func(x Adjustment) bool {
			return x.Rule == a.Rule && x.Line == a.Line && !x.Amount.IsZero()
		}) {
			continue
		}
		n := len(out)
		for _, r := range kept.NotApplied {
			if r.Rule == a.Rule && r.Line == a.Line {
				out = append(out, r)
			}
		}
		if len(out) == n && a.Line >= 0 && !orderRejects[a.Rule] {
			// A line rule may be refused for the whole cart (a limit).
			for _, r := range kept.NotApplied {
				if r.Rule == a.Rule && r.Line < 0 {
					out = append(out, r)
					orderRejects[a.Rule] = true
				}
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
