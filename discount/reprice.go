package discount

import (
	"slices"
	"strconv"

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
// first line that differs).
//
// The returned lines are priced pro rata, exactly as PriceReturn does
// (Lines, List, Discount, Net). Then the kept goods — the sold
// quantities less everything returned up to a point — are re-priced, and
// the clawback at that point is
//
//	max(0, re-priced net of the kept goods − their pro-rata share of what was paid)
//
// so a return never earns the kept goods a discount they did not have
// (a rule that now applies because the order is smaller gives nothing
// back). The note's Clawback is the clawback after this return less the
// clawback before it, and Due = Net − Clawback, which is negative when
// the client owes more than the returned goods are worth. Because every
// figure is a difference of totals up to a point, successive returns add
// up to the same amounts whatever the steps, and returning everything
// gives back exactly what was paid. Lost explains the discounts the kept
// goods lose. Free items the sale granted outside the cart are the
// host's to reclaim (compare the FreeItems of pricing the kept goods).
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
	if err := e.checkSale(f, in); err != nil {
		return nil, err
	}
	after := slices.Clone(before)
	for _, l := range lines {
		after[l.Line] = after[l.Line].Add(l.Quantity)
	}
	cBefore, _, err := e.clawbackAt(f, in, before)
	if err != nil {
		return nil, err
	}
	cAfter, kept, err := e.clawbackAt(f, in, after)
	if err != nil {
		return nil, err
	}
	note.Clawback = sub(cAfter, cBefore)
	note.Due = sub(note.Net, note.Clawback)
	note.Lost = lostDiscounts(f, kept)
	return note, nil
}

// checkSale re-prices the sold cart and compares it with the frozen
// record, line by line.
func (e *Engine) checkSale(f Frozen, in Repricing) error {
	if len(in.Sold.Lines) != len(f.Lines) {
		return &InputError{Field: "sold.lines", Reason: ReasonNotTheSale, Value: strconv.Itoa(len(in.Sold.Lines)),
			Detail: "the sale had " + strconv.Itoa(len(f.Lines)) + " lines"}
	}
	if in.Sold.Currency != f.Currency {
		return &InputError{Field: "sold.currency", Reason: ReasonNotTheSale, Value: in.Sold.Currency.Code()}
	}
	pc, err := e.Price(in.Sold, in.Usage)
	if err != nil {
		return err
	}
	for i, fl := range f.Lines {
		pl := pc.Lines[i]
		if pl.ID != fl.ID || pl.SKU != fl.SKU || !pl.Quantity.Equal(fl.Quantity) ||
			!pl.List.Equal(fl.List) || !pl.Discount.Equal(fl.Discount) || !pl.Net.Equal(fl.Net) {
			return &InputError{Field: "sold.lines[" + strconv.Itoa(i) + "]", Reason: ReasonNotTheSale, Value: pl.SKU,
				Detail: "priced " + pl.Net.String() + " net for " + formatNumber(pl.Quantity) + ", the sale " +
					fl.Net.String() + " for " + formatNumber(fl.Quantity) + " (another rule set, cart or usage)"}
		}
	}
	return nil
}

// clawbackAt returns the clawback once the quantities returned (per
// frozen line) are returned, and the kept goods as re-priced.
func (e *Engine) clawbackAt(f Frozen, in Repricing, returned []decimal.Decimal) (money.Amount, *PricedCart, error) {
	keep := in.Sold
	keep.Lines = slices.Clone(in.Sold.Lines)
	share := money.Zero(f.Currency) // the kept goods' pro-rata share of what was paid
	for i, fl := range f.Lines {
		keep.Lines[i].Quantity = fl.Quantity.Sub(returned[i])
		kept := fl.Net
		if !fl.Quantity.IsZero() {
			kept = sub(fl.Net, mulDiv(fl.Net, returned[i], fl.Quantity, f.Rounding))
		}
		share = add(share, kept)
	}
	pc, err := e.Price(keep, in.Usage)
	if err != nil {
		return money.Amount{}, nil, err
	}
	c := sub(pc.Net, share)
	if c.IsNegative() {
		c = money.Zero(f.Currency)
	}
	return c, pc, nil
}

// lostDiscounts lists the rejections, in the re-priced kept cart, of
// the rules that gave a discount at the sale and give none now.
func lostDiscounts(f Frozen, kept *PricedCart) []Rejection {
	var out []Rejection
	seen := map[string]bool{}
	for _, a := range f.Adjustments {
		if seen[a.Rule] || a.Amount.IsZero() {
			continue
		}
		seen[a.Rule] = true
		if slices.ContainsFunc(kept.Adjustments, func(k Adjustment) bool { return k.Rule == a.Rule && !k.Amount.IsZero() }) {
			continue
		}
		n := len(out)
		for _, r := range kept.NotApplied {
			if r.Rule == a.Rule {
				out = append(out, r)
			}
		}
		if len(out) == n {
			out = append(out, Rejection{Rule: a.Rule, Reason: NoEffect, Line: -1})
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
