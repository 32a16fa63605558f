package loyalty

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/store"
)

// Apply computes what posting p does to the account in state s: the pure
// heart of every store's Post. It reads only its arguments, never
// modifies them, and gives the same Outcome for the same input, so the
// memory and PostgreSQL stores write the same thing. It fails — and the
// store writes nothing — when the posting is malformed (*ValidationError),
// when IfVersion is stale (store.ErrConflict), when the account cannot
// cover a deduction (*PointsError) or when a rule forbids it (*RuleError).
//
// What each kind writes:
//
//   - PostEarn: an earn entry and a lot of Points (none for 0 points); a
//     repay entry drawing on the new lot while the account owes debt; a
//     tier entry when Tier names another tier. A purchase (Source
//     SourcePurchase) is refused when the order already earned, and
//     counts as a paid order when Paid is above zero.
//   - PostRedeem: a redeem entry drawing Points from the lots usable on
//     Date, soonest expiry first, never-expiring lots last.
//   - PostReserve: a reserve entry drawing Points the same way, held for
//     the Order in a new reservation.
//   - PostCapture: a redeem entry spending Points of the reservation (the
//     soonest-expiring of its draws); the rest is released.
//   - PostRelease: a release entry giving the reserved points back to
//     their lots; what goes back to a lot already past its expiry expires
//     at once (an expire entry): released points are never revived.
//   - PostExpire: one expire entry taking what remains in every lot
//     whose expiry is before Date. Repeating it changes nothing.
//   - PostAdjust: an adjust entry creating a lot (positive Points) or
//     drawing like a redemption (negative).
//   - PostReturn and PostCancel: see the package documentation on
//     returns.
//   - PostTier: a tier entry, unless the account is already in Tier.
func Apply(s State, p Posting) (Outcome, error) {
	if err := p.Validate(); err != nil {
		return Outcome{}, err
	}
	if s.Account.ID != p.Account {
		return Outcome{}, refused(RuleStateIncomplete, "account", "state of account %q given for a posting to %q", shorten(s.Account.ID), shorten(p.Account))
	}
	if p.IfVersion != 0 && p.IfVersion != s.Account.Version {
		return Outcome{}, store.Conflict("loyalty account", p.Account)
	}
	w := newWork(s, p)
	var err error
	switch p.Kind {
	case PostEarn:
		err = w.earn()
	case PostRedeem:
		err = w.redeem()
	case PostReserve:
		err = w.reserve()
	case PostCapture:
		err = w.capture()
	case PostRelease:
		err = w.releaseOrder()
	case PostExpire:
		w.expire()
	case PostAdjust:
		err = w.adjust()
	case PostReturn, PostCancel:
		err = w.giveBack()
	case PostTier:
		w.tier(p.Tier)
	}
	if err != nil {
		return Outcome{}, err
	}
	return w.outcome(), nil
}

// work is one Apply in progress. Lots are addressed by ref: an index
// into s.Lots; len(s.Lots)+k for the k-th of extra, the order's lots that
// s.Lots does not hold; or -1-k for the k-th lot the posting creates.
type work struct {
	s       State
	p       Posting
	acct    Account
	extra   []Lot       // order lots missing from s.Lots, in redemption order
	changed map[int]Lot // ref -> the lot as changed (refs >= 0)
	touched []int       // changed refs in the order first changed
	fresh   []Lot
	byID    map[int64]int // lot id -> ref, for the order's lots and lots looked up
	entries []Entry
	res     *Reservation

	// need is how many points the run of usable lots in s.Lots was meant
	// to cover (Needs.DrawFor); covers caches whether it does.
	need   decimal.Decimal
	covers int // 0 not yet known, 1 it does (s.Lots may end there), -1 it does not (s.Lots holds every usable lot)
}

func newWork(s State, p Posting) *work {
	w := &work{s: s, p: p, acct: s.Account}
	w.need = p.Needs().DrawFor(s.OrderEntries)
	if len(s.OrderLots) == 0 {
		return w
	}
	// Index the order's lots: those s.Lots holds by their place there
	// (found by binary search, redemption order being by lot), the rest
	// in extra, sorted into redemption order.
	w.byID = make(map[int64]int, len(s.OrderLots))
	for _, l := range s.OrderLots {
		if _, dup := w.byID[l.ID]; dup {
			continue
		}
		if i, ok := slices.BinarySearchFunc(s.Lots, l, CompareLots); ok {
			w.byID[l.ID] = i
			continue
		}
		w.byID[l.ID] = -1 // placed below
		w.extra = append(w.extra, l)
	}
	if len(w.extra) > 0 {
		SortLots(w.extra)
		for k, l := range w.extra {
			w.byID[l.ID] = len(s.Lots) + k
		}
	}
	return w
}

// base returns the lot ref as the state gave it.
func (w *work) base(ref int) Lot {
	if ref >= len(w.s.Lots) {
		return w.extra[ref-len(w.s.Lots)]
	}
	return w.s.Lots[ref]
}

func (w *work) get(ref int) Lot {
	if ref < 0 {
		return w.fresh[-1-ref]
	}
	if w.changed != nil {
		if l, ok := w.changed[ref]; ok {
			return l
		}
	}
	return w.base(ref)
}

// peek is get without a copy when the lot is unchanged: for walks over
// many lots, most of which are passed over.
func (w *work) peek(ref int) *Lot {
	if w.changed != nil {
		if l, ok := w.changed[ref]; ok {
			return &l
		}
	}
	if ref >= len(w.s.Lots) {
		return &w.extra[ref-len(w.s.Lots)]
	}
	return &w.s.Lots[ref]
}

func (w *work) set(ref int, l Lot) {
	if ref < 0 {
		w.fresh[-1-ref] = l
		return
	}
	if w.changed == nil {
		w.changed = make(map[int]Lot)
	}
	if _, ok := w.changed[ref]; !ok {
		w.touched = append(w.touched, ref)
	}
	w.changed[ref] = l
}

// ref finds a lot by id: among the order's lots and the lots the posting
// created, else by a look through s.Lots (for a store that passed the
// order's lots there rather than in OrderLots).
func (w *work) ref(id int64) (int, error) {
	if r, ok := w.byID[id]; ok {
		return r, nil
	}
	for k, l := range w.fresh {
		if l.ID == id {
			return -1 - k, nil
		}
	}
	for i := range w.s.Lots {
		if w.s.Lots[i].ID == id {
			if w.byID == nil {
				w.byID = make(map[int64]int)
			}
			w.byID[id] = i
			return i, nil
		}
	}
	return 0, refused(RuleStateIncomplete, "lots", "lot %d of account %q is missing from the state", id, shorten(w.p.Account))
}

// mayEnd reports whether s.Lots may stop short of the account's usable
// lots: when the points usable on the posting's date that they held, as
// given, reach the draw the store was asked for. A walk that would go on
// past them needs lots it was not given.
func (w *work) mayEnd() bool {
	if w.covers == 0 {
		var t tally
		for i := range w.s.Lots {
			if l := &w.s.Lots[i]; l.Remaining.Sign() > 0 && l.UsableOn(w.p.Date) {
				t.add(l.Remaining)
			}
		}
		w.covers = -1
		if t.total().Cmp(w.need) >= 0 {
			w.covers = 1
		}
	}
	return w.covers > 0
}

// incomplete is the refusal of a walk that ran past the lots given.
func (w *work) incomplete() error {
	return refused(RuleStateIncomplete, "lots", "account %q: the lots given cover %s points usable on %s, and the posting needs lots beyond them",
		shorten(w.p.Account), fmtDec(w.need), w.p.Date)
}

// walk calls f with the refs of the state's lots (s.Lots and the order's
// other lots) in redemption order until f returns false. past is true
// for a lot that sorts after the last of s.Lots.
func (w *work) walk(f func(ref int, past bool) bool) {
	n := len(w.s.Lots)
	i, k := 0, 0
	for i < n || k < len(w.extra) {
		if i < n && (k == len(w.extra) || CompareLots(w.s.Lots[i], w.extra[k]) < 0) {
			if !f(i, false) {
				return
			}
			i++
			continue
		}
		if !f(n+k, i == n) {
			return
		}
		k++
	}
}

// seq returns the sequence number the next entry gets.
func (w *work) seq() int64 { return w.acct.LastSeq + int64(len(w.entries)) + 1 }

// add appends an entry, filling in what every entry of the posting shares.
func (w *work) add(e Entry) {
	e.Account, e.Seq, e.Key = w.p.Account, w.seq(), w.p.Key
	e.Date, e.At, e.By = w.p.Date, w.p.At, w.p.By
	if e.Order == "" {
		e.Order = w.p.Order
	}
	e.Points, e.Reserved, e.Debt = normalize(e.Points), normalize(e.Reserved), normalize(e.Debt)
	w.entries = append(w.entries, e)
}

// newLot creates a lot of points earned on the posting's date; its id is
// the sequence number of the entry about to be added.
func (w *work) newLot(points decimal.Decimal, expires Date, source Source) int {
	if w.p.Date.After(w.acct.LastEarned) {
		w.acct.LastEarned = w.p.Date
	}
	w.fresh = append(w.fresh, Lot{
		ID: w.seq(), Earned: w.p.Date, Expires: expires,
		Points: points, Remaining: points, Order: w.p.Order, Source: source,
	})
	if w.byID != nil {
		w.byID[w.seq()] = -len(w.fresh)
	}
	return -len(w.fresh)
}

// draw takes up to need points from the lots usable on the posting's
// date, soonest expiry first. It returns the draws (negative) and what
// it took; with all set, taking less than need leaves the lots unchanged.
// It fails with RuleStateIncomplete when it would need lots the state
// may not hold.
func (w *work) draw(need decimal.Decimal, all bool) ([]Draw, decimal.Decimal, error) {
	if need.Sign() <= 0 {
		return nil, decimal.Decimal{}, nil
	}
	date := w.p.Date
	var draws []Draw
	type change struct {
		ref int
		lot Lot
	}
	var changes []change
	left := need
	// The state's lots and the order's other lots, merged in redemption
	// order (a loop rather than walk: a draw may pass many spent lots).
	n := len(w.s.Lots)
	for i, k := 0, 0; left.Sign() > 0 && (i < n || k < len(w.extra)); {
		ref, past := i, false
		if i < n && (k == len(w.extra) || CompareLots(w.s.Lots[i], w.extra[k]) < 0) {
			i++
		} else {
			ref, past = n+k, i == n
			k++
		}
		if l := w.peek(ref); l.Remaining.Sign() <= 0 || !l.UsableOn(date) {
			continue
		}
		if past && w.mayEnd() {
			return nil, decimal.Decimal{}, w.incomplete()
		}
		lot := w.get(ref)
		take := lot.Remaining
		if take.Cmp(left) > 0 {
			take = left
		}
		lot.Remaining = normalize(lot.Remaining.Sub(take))
		changes = append(changes, change{ref, lot})
		draws = append(draws, Draw{Lot: lot.ID, Points: normalize(take.Neg())})
		left = left.Sub(take)
	}
	if left.Sign() > 0 && w.mayEnd() {
		// Every lot given was used, and there may be more.
		return nil, decimal.Decimal{}, w.incomplete()
	}
	taken := normalize(need.Sub(left))
	if all && left.Sign() > 0 {
		return nil, taken, nil
	}
	for _, c := range changes {
		w.set(c.ref, c.lot)
	}
	return draws, taken, nil
}

// drawAll takes exactly need points or fails with a *PointsError. It runs
// first in its posting, so what is available is the state's Available,
// and a refusal looks at no lot.
func (w *work) drawAll(need decimal.Decimal) ([]Draw, error) {
	if avail := w.s.Available; avail.Cmp(need) < 0 {
		return nil, &PointsError{Account: w.p.Account, Requested: need, Available: normalize(avail)}
	}
	draws, taken, err := w.draw(need, true)
	if err != nil {
		return nil, err
	}
	if taken.Cmp(need) < 0 {
		// The account's totals disagree with its lots; trust the lots.
		return nil, &PointsError{Account: w.p.Account, Requested: need, Available: taken}
	}
	return draws, nil
}

func (w *work) earn() error {
	p := w.p
	if p.Source == SourcePurchase {
		for _, e := range w.s.OrderEntries {
			if e.Kind == EntryEarn && e.Source == SourcePurchase {
				return refused(RuleOrderEarned, "order", "order %q earned in entry %d", shorten(p.Order), e.Seq)
			}
		}
	}
	e := Entry{
		Kind: EntryEarn, Source: p.Source, Points: p.Points,
		Total: p.Total, Paid: p.Paid, Qualifying: p.Qualifying, TierPoints: normalize(p.TierPoints),
	}
	lot := 0
	if p.Points.Sign() > 0 {
		lot = w.newLot(normalize(p.Points), p.Expires, p.Source)
		e.Lot, e.Expires = w.get(lot).ID, p.Expires
	}
	w.add(e)
	if lot != 0 && w.acct.Debt.Sign() > 0 {
		l := w.get(lot)
		repay := minDec(w.acct.Debt, l.Remaining)
		l.Remaining = normalize(l.Remaining.Sub(repay))
		w.set(lot, l)
		w.add(Entry{Kind: EntryRepay, Points: repay.Neg(), Debt: repay.Neg(), Draws: []Draw{{Lot: l.ID, Points: normalize(repay.Neg())}}})
	}
	if p.Source == SourcePurchase && p.Paid.IsPositive() {
		w.acct.PaidOrders++
		if w.acct.FirstOrder.IsZero() || p.Date.Before(w.acct.FirstOrder) {
			w.acct.FirstOrder = p.Date
		}
		if p.Date.After(w.acct.LastOrder) {
			w.acct.LastOrder = p.Date
		}
	}
	if p.Tier != "" {
		w.tier(p.Tier)
	}
	return nil
}

func (w *work) tier(to string) {
	if to == w.acct.Tier {
		return
	}
	w.add(Entry{Kind: EntryTier, TierFrom: w.acct.Tier, TierTo: to})
	w.acct.Tier, w.acct.TierSince = to, w.p.Date
}

func (w *work) redeem() error {
	draws, err := w.drawAll(w.p.Points)
	if err != nil {
		return err
	}
	w.add(Entry{Kind: EntryRedeem, Points: w.p.Points.Neg(), Draws: draws, Value: w.p.Value})
	return nil
}

func (w *work) reserve() error {
	if r := w.s.Reservation; r != nil {
		return refused(RuleReservationExists, "order", "order %q has a reservation (%s) made by key %q", shorten(w.p.Order), r.Status, shorten(r.Key))
	}
	draws, err := w.drawAll(w.p.Points)
	if err != nil {
		return err
	}
	w.add(Entry{Kind: EntryReserve, Reserved: w.p.Points, Draws: draws})
	w.res = &Reservation{
		Order: w.p.Order, Key: w.p.Key, Date: w.p.Date, Points: normalize(w.p.Points),
		Draws: slices.Clone(draws), Status: ReservationOpen,
	}
	return nil
}

// openReservation returns the order's reservation if it is open.
func (w *work) openReservation() (Reservation, error) {
	r := w.s.Reservation
	if r == nil {
		return Reservation{}, refused(RuleNoReservation, "order", "order %q", shorten(w.p.Order))
	}
	if r.Status != ReservationOpen {
		return Reservation{}, refused(RuleReservationClosed, "order", "order %q: reservation %s", shorten(w.p.Order), r.Status)
	}
	return r.Clone(), nil
}

func (w *work) capture() error {
	r, err := w.openReservation()
	if err != nil {
		return err
	}
	if w.p.Points.Cmp(r.Points) > 0 {
		return invalidf("points", ReasonExceeds, fmtDec(w.p.Points), "the order has %s reserved", fmtDec(r.Points))
	}
	captured, rest := splitDraws(r.Draws, w.p.Points)
	w.add(Entry{Kind: EntryRedeem, Points: w.p.Points.Neg(), Reserved: w.p.Points.Neg(), Value: w.p.Value})
	if len(rest) > 0 {
		if err := w.release(rest); err != nil {
			return err
		}
	}
	r.Status, r.Captured, r.CapturedDraws = ReservationCaptured, normalize(w.p.Points), captured
	w.res = &r
	return nil
}

func (w *work) releaseOrder() error {
	r, err := w.openReservation()
	if err != nil {
		return err
	}
	if err := w.release(r.Draws); err != nil {
		return err
	}
	r.Status = ReservationReleased
	w.res = &r
	return nil
}

// release gives reserved points back to the lots they were drawn from,
// the latest draw first. Points going back to a lot past its expiry on
// the posting's date expire at once.
func (w *work) release(draws []Draw) error {
	var back, gone []Draw
	var total, expired decimal.Decimal
	for i := len(draws) - 1; i >= 0; i-- {
		d := draws[i]
		ref, err := w.ref(d.Lot)
		if err != nil {
			return err
		}
		amount := d.Points.Neg()
		l := w.get(ref)
		back = append(back, Draw{Lot: d.Lot, Points: amount})
		total = total.Add(amount)
		if l.ExpiredOn(w.p.Date) {
			l.Expired = normalize(l.Expired.Add(amount))
			gone = append(gone, Draw{Lot: d.Lot, Points: d.Points})
			expired = expired.Add(amount)
		} else {
			l.Remaining = normalize(l.Remaining.Add(amount))
		}
		w.set(ref, l)
	}
	w.add(Entry{Kind: EntryRelease, Reserved: total.Neg(), Draws: back})
	if expired.Sign() > 0 {
		w.add(Entry{Kind: EntryExpire, Points: expired.Neg(), Draws: gone})
	}
	return nil
}

// splitDraws splits negative draws into the first n points and the rest.
func splitDraws(draws []Draw, n decimal.Decimal) (first, rest []Draw) {
	left := n
	for _, d := range draws {
		amount := d.Points.Neg()
		switch {
		case left.Sign() <= 0:
			rest = append(rest, d)
		case amount.Cmp(left) <= 0:
			first = append(first, d)
			left = left.Sub(amount)
		default:
			first = append(first, Draw{Lot: d.Lot, Points: normalize(left.Neg())})
			rest = append(rest, Draw{Lot: d.Lot, Points: normalize(amount.Sub(left).Neg())})
			left = decimal.Decimal{}
		}
	}
	return first, rest
}

func (w *work) expire() {
	var draws []Draw
	var t tally
	w.walk(func(ref int, _ bool) bool {
		if l := w.peek(ref); !l.ExpiredOn(w.p.Date) {
			// Lots past their expiry come first in redemption order: the
			// rest cannot expire.
			return false
		} else if l.Remaining.Sign() <= 0 {
			return true
		}
		l := w.get(ref)
		draws = append(draws, Draw{Lot: l.ID, Points: normalize(l.Remaining.Neg())})
		t.add(l.Remaining)
		l.Expired = normalize(l.Expired.Add(l.Remaining))
		l.Remaining = decimal.Decimal{}
		w.set(ref, l)
		return true
	})
	if len(draws) > 0 {
		w.add(Entry{Kind: EntryExpire, Points: t.total().Neg(), Draws: draws})
	}
}

func (w *work) adjust() error {
	p := w.p
	if p.Points.Sign() > 0 {
		lot := w.newLot(normalize(p.Points), p.Expires, SourceAdjust)
		w.add(Entry{Kind: EntryAdjust, Source: SourceAdjust, Points: p.Points, Lot: w.get(lot).ID, Expires: p.Expires, Note: p.Note})
		return nil
	}
	draws, err := w.drawAll(p.Points.Neg())
	if err != nil {
		return err
	}
	w.add(Entry{Kind: EntryAdjust, Points: p.Points, Draws: draws, Note: p.Note})
	return nil
}

// outcome assembles what the store writes.
func (w *work) outcome() Outcome {
	a := w.acct
	if len(w.entries) > 0 {
		var bal, res, debt tally
		bal.add(a.Balance)
		res.add(a.Reserved)
		debt.add(a.Debt)
		for _, e := range w.entries {
			bal.add(e.Points)
			res.add(e.Reserved)
			debt.add(e.Debt)
		}
		a.Balance, a.Reserved, a.Debt = bal.total(), res.total(), debt.total()
		a.LastSeq += int64(len(w.entries))
		a.Version = a.Version.Next()
		a.UpdatedAt = w.p.At
	}
	out := Outcome{Account: a, Entries: w.entries, Reservation: w.res}
	if n := len(w.touched) + len(w.fresh); n > 0 {
		out.Lots = make([]LotChange, 0, n)
	}
	slices.SortFunc(w.touched, func(x, y int) int { return CompareLots(w.base(x), w.base(y)) })
	for _, ref := range w.touched {
		out.Lots = append(out.Lots, LotChange{Lot: w.changed[ref]})
	}
	for _, l := range w.fresh {
		out.Lots = append(out.Lots, LotChange{Lot: l, New: true})
	}
	out.Result = Result{Account: a, Entries: w.entries}.Clone()
	return out
}

// String describes a lot change for test failures.
func (c LotChange) String() string {
	state := "changed"
	if c.New {
		state = "new"
	}
	return fmt.Sprintf("lot %d (%s): %s of %s left", c.Lot.ID, state, fmtDec(c.Lot.Remaining), fmtDec(c.Lot.Points))
}
