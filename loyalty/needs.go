package loyalty

import "github.com/shopspring/decimal"

// Needs says what Apply needs to know of an account, beyond the Account
// itself, to carry out one posting: what a store reads into the State.
// Posting.Needs computes it from the posting alone, so a store can ask
// for exactly that, and no more, before it calls Apply.
//
// A posting rarely needs more than a few lots: an earning needs none (its
// lot is new), a redemption of n points needs the soonest-expiring usable
// lots up to n points, an expiry run the lots already past their expiry,
// a capture or a release the lots of one order. So a store that keeps its
// lots where they can be searched (an index by redemption order) reads a
// handful of rows per posting however many lots the account holds.
type Needs struct {
	// Order asks for State.OrderEntries and State.Reservation: the
	// entries and the reservation of the posting's Order. It is set only
	// for postings that have an Order.
	Order bool
	// OrderLots asks for State.OrderLots: every lot the Order's entries
	// or its reservation created or drew on, emptied ones included.
	OrderLots bool
	// Available asks for State.Available: the points usable on the
	// posting's Date.
	Available bool
	// Expired asks State.Lots to hold every lot with points left whose
	// expiry is before the posting's Date.
	Expired bool
	// Draw, when positive, asks State.Lots to hold the lots usable on the
	// posting's Date with points left, in redemption order, from the
	// soonest-expiring up to and including the first at which their
	// running total of points left reaches Draw — or all of them, when
	// together they hold less.
	Draw decimal.Decimal
	// DrawEarned says that Draw is not known from the posting: for a
	// return or a cancellation it is the points the Order's purchase
	// earned, which its entries tell. DrawFor computes it.
	DrawEarned bool
}

// DrawFor returns how many points the run of usable lots in State.Lots
// must cover: Draw, or, when DrawEarned is set, the points earned by the
// purchase among the order's entries (zero without one). A store calls
// it once it has the order's entries; Apply calls it to know how far the
// lots it was given reach.
func (n Needs) DrawFor(orderEntries []Entry) decimal.Decimal {
	if !n.DrawEarned {
		return n.Draw
	}
	for i := range orderEntries {
		if e := &orderEntries[i]; e.Kind == EntryEarn && e.Source == SourcePurchase {
			return e.Points
		}
	}
	return decimal.Decimal{}
}

// Needs returns what Apply needs to know of the account to carry out the
// posting (see the type). It does not validate the posting: a malformed
// one may need anything, and Apply refuses it before looking at the
// state.
func (p Posting) Needs() Needs {
	var n Needs
	order := p.Order != ""
	switch p.Kind {
	case PostEarn:
		// A purchase is refused when the order already earned.
		n.Order = order && p.Source == SourcePurchase
	case PostRedeem:
		n.Available, n.Draw = true, p.Points
	case PostReserve:
		n.Order, n.Available, n.Draw = order, true, p.Points
	case PostCapture, PostRelease:
		n.Order, n.OrderLots = order, order
	case PostExpire:
		n.Expired = true
	case PostAdjust:
		if p.Points.Sign() < 0 {
			n.Available, n.Draw = true, p.Points.Neg()
		}
	case PostReturn, PostCancel:
		n.Order, n.OrderLots, n.DrawEarned = order, order, order
	}
	return n
}

// OrderLotIDs returns the ids of the lots the order's entries and its
// reservation (r, which may be nil) created or drew on, each once, in the
// order first met: the lots Needs.OrderLots asks for.
func OrderLotIDs(orderEntries []Entry, r *Reservation) []int64 {
	var ids []int64
	var set map[int64]struct{} // once there are many ids
	add := func(id int64) {
		if id == 0 {
			return
		}
		if set != nil {
			if _, ok := set[id]; ok {
				return
			}
			set[id] = struct{}{}
		} else {
			for _, x := range ids {
				if x == id {
					return
				}
			}
			if len(ids) == 16 {
				set = make(map[int64]struct{}, 64)
				for _, x := range ids {
					set[x] = struct{}{}
				}
				set[id] = struct{}{}
			}
		}
		ids = append(ids, id)
	}
	for i := range orderEntries {
		e := &orderEntries[i]
		add(e.Lot)
		for _, d := range e.Draws {
			add(d.Lot)
		}
	}
	if r != nil {
		for _, d := range r.Draws {
			add(d.Lot)
		}
		for _, d := range r.CapturedDraws {
			add(d.Lot)
		}
	}
	return ids
}
