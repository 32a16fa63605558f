package loyalty

import (
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// orderHistory is what a return needs to know of the order's past.
type orderHistory struct {
	purchase *Entry
	redeemed []Draw // the order's redemptions, in the order drawn (negative)
	// back holds, per draw of redeemed, what earlier returns gave back of
	// it (or dropped, its lot having expired)
	back       []decimal.Decimal
	returned   decimal.Decimal
	target     decimal.Decimal // earned points the earlier returns asked to reverse
	effective  decimal.Decimal // of which not dropped as expired
	refunded   decimal.Decimal // redeemed points the earlier returns asked to give back
	qualifying decimal.Decimal // qualifying spend already reversed
	tierPoints decimal.Decimal // qualifying points already reversed
}

func (w *work) history() orderHistory {
	var h orderHistory
	for i := range w.s.OrderEntries {
		e := &w.s.OrderEntries[i]
		switch {
		case e.Kind == EntryEarn && e.Source == SourcePurchase:
			h.purchase = e
		case e.Kind == EntryRedeem && e.Reserved.IsZero():
			h.redeemed = append(h.redeemed, e.Draws...)
		case e.Kind == EntryRedeem:
			// The capture of the order's reservation: the captured draws
			// take their place among the order's redemptions here, so that
			// a return before the capture is replayed against the draws it
			// knew.
			if r := w.s.Reservation; r != nil && r.Status == ReservationCaptured {
				h.redeemed = append(h.redeemed, r.CapturedDraws...)
			}
		case e.Kind == EntryReverse && e.Reverses == EntryEarn:
			h.returned = h.returned.Sub(e.Total.Decimal())
			h.target = h.target.Add(e.Target)
			h.effective = h.effective.Add(e.Target.Sub(e.Dropped))
			h.qualifying = h.qualifying.Sub(e.Qualifying.Decimal())
			h.tierPoints = h.tierPoints.Sub(e.TierPoints)
		case e.Kind == EntryReverse && e.Reverses == EntryRedeem:
			h.refunded = h.refunded.Add(e.Target)
			// That return gave back from the latest of the draws known then.
			h.back = padDecimals(h.back, len(h.redeemed))
			left := e.Target
			for i := len(h.redeemed) - 1; i >= 0 && left.Sign() > 0; i-- {
				if piece := minDec(h.redeemed[i].Points.Neg().Sub(h.back[i]), left); piece.Sign() > 0 {
					h.back[i] = h.back[i].Add(piece)
					left = left.Sub(piece)
				}
			}
		}
	}
	h.back = padDecimals(h.back, len(h.redeemed))
	return h
}

// padDecimals extends ds with zeros to length n.
func padDecimals(ds []decimal.Decimal, n int) []decimal.Decimal {
	for len(ds) < n {
		ds = append(ds, decimal.Decimal{})
	}
	return ds
}

// giveBack applies a return (PostReturn) or a cancellation (PostCancel)
// of the posting's order.
//
// The order's purchase entry recorded its Total (the amount before
// points), the points it earned and the lot they went into. A return of
// amount R, with everything returned so far adding up to C, undoes the
// share C/Total of the order — computed on the running total, so that
// partial returns add up to exactly the whole when the whole is returned:
//
//  1. Redeemed points: that share of the points the order redeemed is
//     given back to the lots they came from, the latest drawn first.
//     Points whose lot has expired by the posting's date are not given
//     back (Dropped): expired points are never revived.
//  2. Earned points: that share of what the order earned is taken back,
//     first from the order's own lot, then from the other usable lots
//     (soonest expiry first). Points of the order's lot that expired are
//     not taken again (Dropped). What the balance cannot cover follows
//     Shortfall: forgiven, recorded as debt, or the return is refused.
//  3. The tier metric loses the same share of the order's qualifying
//     spend and points, counted on the purchase's day (MetricDate): a
//     return lowers the window the purchase counted in, never a later
//     one. Tiers do not change here; downgrades follow the programme's
//     rule at the next review.
//
// Earned and redeemed points are truncated to Places on the running
// share, qualifying spend rounded half-up to the minor unit. A
// cancellation returns whatever of the order is left. An order returned
// in full no longer counts as a paid order.
func (w *work) giveBack() error {
	p := w.p
	h := w.history()
	if h.purchase == nil {
		if p.Kind == PostCancel && len(h.redeemed) > 0 {
			return w.cancelRedemptions(h)
		}
		return refused(RuleOrderNotEarned, "order", "order %q has no purchase in account %q", shorten(p.Order), shorten(p.Account))
	}
	total := h.purchase.Total
	left := total.Decimal().Sub(h.returned)
	if left.Sign() <= 0 {
		return refused(RuleOrderReturned, "order", "order %q", shorten(p.Order))
	}
	amount := left
	if p.Kind == PostReturn {
		if p.Total.Currency() != total.Currency() {
			return invalidf("total", ReasonCurrency, p.Total.String(), "the order was in %s", total.Currency())
		}
		amount = p.Total.Decimal()
		if amount.Cmp(left) > 0 {
			return invalidf("total", ReasonExceeds, p.Total.String(), "only %s %s of the order is left to return", fmtDec(left), total.Currency())
		}
	}
	returned := h.returned.Add(amount)
	full := returned.Equal(total.Decimal())
	share := func(of decimal.Decimal, places int32, r PointRounding) decimal.Decimal {
		if full {
			return of
		}
		return divide(of.Mul(returned), total.Decimal(), places, r)
	}

	// 1. Give back the redeemed points.
	var redeemed decimal.Decimal
	for _, d := range h.redeemed {
		redeemed = redeemed.Sub(d.Points)
	}
	if refund := share(redeemed, p.Places, Truncate).Sub(h.refunded); refund.Sign() > 0 {
		if err := w.refund(h.redeemed, h.back, refund); err != nil {
			return err
		}
	}

	// 2. Take back the earned points.
	earned := h.purchase.Points
	target := maxDec(share(earned, p.Places, Truncate).Sub(h.target), decimal.Decimal{})
	notExpired := earned
	ownLot := 0
	hasLot := h.purchase.Lot != 0
	if hasLot {
		ref, err := w.ref(h.purchase.Lot)
		if err != nil {
			return err
		}
		ownLot = ref
		notExpired = earned.Sub(w.get(ref).Expired)
	}
	effective := minDec(h.target.Add(target), notExpired).Sub(h.effective)
	effective = minDec(maxDec(effective, decimal.Decimal{}), target)
	dropped := target.Sub(effective)

	var draws []Draw
	var taken decimal.Decimal
	if hasLot && effective.Sign() > 0 {
		l := w.get(ownLot)
		if a := minDec(effective, l.Remaining); a.Sign() > 0 {
			l.Remaining = normalize(l.Remaining.Sub(a))
			w.set(ownLot, l)
			draws = append(draws, Draw{Lot: l.ID, Points: normalize(a.Neg())})
			taken = a
		}
	}
	var debt, forgiven decimal.Decimal
	if rest := effective.Sub(taken); rest.Sign() > 0 {
		more, got, err := w.draw(rest, false)
		if err != nil {
			return err
		}
		draws = append(draws, more...)
		taken = taken.Add(got)
		if short := rest.Sub(got); short.Sign() > 0 {
			switch p.Shortfall {
			case ShortfallRefuse:
				return refused(RuleCancelSpent, "order", "%s of the order's points were spent and the balance has only %s", fmtDec(short.Add(got)), fmtDec(got))
			case ShortfallDebt:
				debt = short
			default:
				forgiven = short
			}
		}
	}

	// 3. The tier metric.
	cur := total.Currency()
	qualifying := share(h.purchase.Qualifying.Decimal(), cur.MinorUnits(), HalfUp).Sub(h.qualifying)
	tierPoints := share(h.purchase.TierPoints, p.Places, Truncate).Sub(h.tierPoints)
	qAmount, _ := money.FromDecimal(normalize(qualifying.Neg()), cur)
	if h.purchase.Qualifying.IsZero() {
		qAmount = money.Amount{}
	}
	totalAmount, _ := money.FromDecimal(normalize(amount.Neg()), cur)

	w.add(Entry{
		Kind: EntryReverse, Reverses: EntryEarn, Points: taken.Neg(), Debt: debt, Draws: draws,
		Total: totalAmount, Qualifying: qAmount, TierPoints: normalize(tierPoints.Neg()), MetricDate: h.purchase.Date,
		Target: normalize(target), Dropped: normalize(dropped), Forgiven: normalize(forgiven),
	})
	if full && h.purchase.Paid.IsPositive() && w.acct.PaidOrders > 0 {
		w.acct.PaidOrders--
	}
	return nil
}

// cancelRedemptions cancels an order that redeemed points but was never
// recorded as a purchase (cancelled before it was, or placed after the
// programme's window): every redeemed point not yet given back goes back
// to its lot, as a return of the whole order would give it.
func (w *work) cancelRedemptions(h orderHistory) error {
	var redeemed decimal.Decimal
	for _, d := range h.redeemed {
		redeemed = redeemed.Sub(d.Points)
	}
	left := redeemed.Sub(h.refunded)
	if left.Sign() <= 0 {
		return refused(RuleOrderReturned, "order", "order %q", shorten(w.p.Order))
	}
	return w.refund(h.redeemed, h.back, left)
}

// refund gives amount redeemed points back, walking the order's draws
// from the latest and leaving out of each what earlier returns gave back
// of it (done, per draw).
func (w *work) refund(drawn []Draw, done []decimal.Decimal, amount decimal.Decimal) error {
	var back []Draw
	var restored, forfeited decimal.Decimal
	left := amount
	for i := len(drawn) - 1; i >= 0 && left.Sign() > 0; i-- {
		piece := drawn[i].Points.Neg().Sub(done[i])
		if piece.Sign() <= 0 {
			continue
		}
		piece = minDec(piece, left)
		left = left.Sub(piece)
		ref, err := w.ref(drawn[i].Lot)
		if err != nil {
			return err
		}
		l := w.get(ref)
		if l.ExpiredOn(w.p.Date) {
			forfeited = forfeited.Add(piece)
			continue
		}
		l.Remaining = normalize(l.Remaining.Add(piece))
		w.set(ref, l)
		back = append(back, Draw{Lot: l.ID, Points: normalize(piece)})
		restored = restored.Add(piece)
	}
	w.add(Entry{Kind: EntryReverse, Reverses: EntryRedeem, Points: restored, Draws: back, Target: normalize(amount), Dropped: normalize(forfeited)})
	return nil
}
