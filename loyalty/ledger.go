package loyalty

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// Store keeps loyalty accounts and their ledgers. store/memory implements
// it; store/storetest.RunLoyalty checks an implementation.
//
// Atomicity lives in the store: Post applies a posting under the
// account's lock (or in one transaction with the account's row locked) by
// calling the pure Apply on the account's state and writing what it
// returns, all or nothing. So every backend shares the lot arithmetic, and
// the guarantee that a balance never goes negative holds however many
// callers redeem at once. Every method takes a context first and honours
// its cancellation; reads return copies.
type Store interface {
	// CreateAccount stores a new account at version 1. Its Version must
	// be store.NoVersion and its ledger fields zero; its dates must be
	// calendar dates (an error matching ErrInvalid, a *ValidationError
	// naming the field, as Account.CheckDates reports). A taken id is
	// store.ErrDuplicate.
	CreateAccount(ctx context.Context, a Account) error
	// Account returns the account, or store.ErrNotFound.
	Account(ctx context.Context, id string) (Account, error)
	// Post applies the posting to its account atomically and returns what
	// it wrote. In one critical section the store
	//
	//   - finds the account (store.ErrNotFound if there is none);
	//   - looks the posting's Key up among the account's postings: if it
	//     was posted with the same Fingerprint, returns that first Result
	//     again with Replayed set and writes nothing; with another
	//     Fingerprint, fails with a *KeyReuseError;
	//   - reads what the posting's Needs ask for into a State — the
	//     Order's entries and reservation, the lots of the Order, the
	//     points available on the posting's Date, the lots past their
	//     expiry, the soonest-expiring usable lots up to the points to be
	//     drawn — and calls Apply(State, posting);
	//   - writes the Outcome — account, entries, lot changes, reservation
	//     — and remembers the key with its Fingerprint and Result.
	//
	// When Apply fails, or the context is done, nothing is written and the
	// key is not remembered.
	Post(ctx context.Context, p Posting) (Result, error)
	// Balance summarises the account as of a date with Summarise.
	Balance(ctx context.Context, id string, q BalanceQuery) (Balance, error)
	// Qualifying sums the qualifying spend and points of the account's
	// entries dated from from through to, both inclusive; a zero from
	// means since the beginning (see QualifyingOf).
	Qualifying(ctx context.Context, id string, from, to Date) (Qualifying, error)
	// Reservation returns the reservation of the account's order, or
	// store.ErrNotFound.
	Reservation(ctx context.Context, id, order string) (Reservation, error)
	// Entries streams the account's entries in sequence order, starting
	// after sequence number after (0 for the beginning). An unknown
	// account has none.
	Entries(ctx context.Context, id string, after int64) iter.Seq2[Entry, error]
	// Lots streams every lot of the account, emptied ones included, in
	// redemption order (CompareLots). An unknown account has none.
	Lots(ctx context.Context, id string) iter.Seq2[Lot, error]
	// Accounts streams the accounts matching f, ordered by id.
	Accounts(ctx context.Context, f AccountFilter) iter.Seq2[Account, error]
}

// AccountFilter selects accounts to list.
type AccountFilter struct {
	// Programme, when set, keeps the accounts of that programme.
	Programme string
	// After resumes the listing after this account id ("" for the start).
	After string
	// Limit caps the number of accounts listed (0: no limit).
	Limit int
}

// Account is a client's loyalty account: who it is, its tier, and running
// totals of its ledger. The ledger is the truth; the totals are kept in
// step by every posting (Balance is always the sum of the entries'
// Points, Reserved of their Reserved, Debt of their Debt).
type Account struct {
	// ID is the host's opaque id of the client's account (a crm client id
	// as text, for instance). At most 200 bytes.
	ID string
	// Programme is the id of the programme the account belongs to.
	Programme string
	// Opened is the day the account was opened.
	Opened Date
	// ReferredBy is the id of the account of the client who referred this
	// one, if any; both earn the referral bonus after this client's first
	// paid order.
	ReferredBy string
	// Tier is the code of the client's tier and TierSince the day they
	// reached it.
	Tier      string
	TierSince Date
	// Balance is the points the client owns: in lots plus reserved.
	Balance decimal.Decimal
	// Reserved is the part of Balance held for open reservations.
	Reserved decimal.Decimal
	// Debt is the points owed from returns of orders whose points were
	// spent, repaid from later earnings.
	Debt decimal.Decimal
	// PaidOrders counts the orders the client paid for (not counting
	// orders returned in full); FirstOrder and LastOrder are their dates.
	// A client with two or more is a repeat client.
	PaidOrders            int
	FirstOrder, LastOrder Date
	// LastEarned is the latest day on which a lot was created: a balance
	// as of that day or later has no points earned after it, which spares
	// Summarise a look at every lot.
	LastEarned Date
	// LastSeq is the sequence number of the account's last entry.
	LastSeq int64
	// Version counts the postings that wrote entries.
	Version   store.Version
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Repeat reports whether the client has paid for two orders or more.
func (a Account) Repeat() bool { return a.PaidOrders >= 2 }

// CheckDates reports the first of the account's dates that is set but is
// not a calendar date (30 February, month 13) as a *ValidationError
// naming its field: opened, tier_since, first_order, last_order or
// last_earned. Stores refuse such an account in CreateAccount.
func (a Account) CheckDates() error {
	for _, d := range []struct {
		field string
		date  Date
	}{{"opened", a.Opened}, {"tier_since", a.TierSince}, {"first_order", a.FirstOrder},
		{"last_order", a.LastOrder}, {"last_earned", a.LastEarned}} {
		if !d.date.IsZero() && !d.date.Valid() {
			return invalid(d.field, ReasonBadDate, d.date.String())
		}
	}
	return nil
}

// Lot is a parcel of points earned on one day with one expiry. Points
// are used from lots; a lot never goes below zero.
type Lot struct {
	// ID is the sequence number of the entry that created the lot.
	ID int64
	// Earned is the day the points were earned.
	Earned Date
	// Expires is the last day the points can be used; zero means never.
	Expires Date
	// Points is what the lot was created with; Remaining what is left in
	// it; Expired what expiry took from it.
	Points    decimal.Decimal
	Remaining decimal.Decimal
	Expired   decimal.Decimal
	// Order is the order that earned the lot, if any; Source why it was
	// earned.
	Order  string
	Source Source
}

// UsableOn reports whether the lot's points can be used on d: earned on
// or before d and not expired (the expiry day itself is usable).
func (l Lot) UsableOn(d Date) bool {
	return !l.Earned.After(d) && (l.Expires.IsZero() || !d.After(l.Expires))
}

// ExpiredOn reports whether the lot has expired by d: it has an expiry
// and d is after it.
func (l Lot) ExpiredOn(d Date) bool { return !l.Expires.IsZero() && d.After(l.Expires) }

// CompareLots orders lots for redemption: the soonest expiry first, lots
// that never expire last; then by the day earned, then by id.
func CompareLots(a, b Lot) int {
	switch {
	case a.Expires.IsZero() != b.Expires.IsZero():
		if a.Expires.IsZero() {
			return 1
		}
		return -1
	case a.Expires != b.Expires:
		return a.Expires.Compare(b.Expires)
	case a.Earned != b.Earned:
		return a.Earned.Compare(b.Earned)
	}
	return cmpInt64(a.ID, b.ID)
}

// SortLots sorts lots into redemption order.
func SortLots(lots []Lot) { slices.SortFunc(lots, CompareLots) }

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Source says why points were earned.
type Source string

// The sources of earned points.
const (
	SourcePurchase Source = "purchase"
	SourceWelcome  Source = "welcome"
	SourceBirthday Source = "birthday"
	SourceReferral Source = "referral" // the referred client's bonus
	SourceReferrer Source = "referrer" // the referring client's bonus
	SourceAdjust   Source = "adjust"   // a positive adjustment
)

func (s Source) valid() bool {
	switch s {
	case SourcePurchase, SourceWelcome, SourceBirthday, SourceReferral, SourceReferrer:
		return true
	}
	return false
}

// EntryKind is the kind of a ledger entry.
type EntryKind string

// The kinds of ledger entries. Points is the entry's change to the
// balance, Reserved to the reserved points, Debt to the debt.
const (
	// EntryEarn: points earned (+Points), creating Lot.
	EntryEarn EntryKind = "earn"
	// EntryRedeem: points spent (−Points, from Draws); a capture of a
	// reservation also lowers Reserved (its points were drawn when
	// reserved).
	EntryRedeem EntryKind = "redeem"
	// EntryExpire: points that expired (−Points, from Draws).
	EntryExpire EntryKind = "expire"
	// EntryAdjust: a correction by hand: +Points creating Lot, or −Points
	// from Draws.
	EntryAdjust EntryKind = "adjust"
	// EntryReverse: a return. Reversing earned points (Reverses is
	// EntryEarn): −Points taken back, +Debt when that is recorded.
	// Reversing a redemption (Reverses is EntryRedeem): +Points given
	// back to the lots they came from.
	EntryReverse EntryKind = "reverse"
	// EntryReserve: points held for an order (+Reserved, drawn from lots).
	EntryReserve EntryKind = "reserve"
	// EntryRelease: reserved points given back to their lots (−Reserved).
	EntryRelease EntryKind = "release"
	// EntryRepay: debt repaid from newly earned points (−Points, −Debt).
	EntryRepay EntryKind = "repay"
	// EntryTier: the client moved from TierFrom to TierTo.
	EntryTier EntryKind = "tier"
)

// Draw is a change to one lot: negative when points were taken from it,
// positive when they were given back.
type Draw struct {
	Lot    int64
	Points decimal.Decimal
}

// Entry is one line of an account's ledger. Entries are never changed or
// removed.
type Entry struct {
	Account string
	// Seq numbers the account's entries from 1, in the order written.
	Seq  int64
	Kind EntryKind
	// Key is the idempotency key of the posting that wrote the entry.
	Key string
	// Date is the business day of the entry; At when it was recorded; By
	// who asked for it.
	Date  Date
	At    time.Time
	By    string
	Order string
	// Source is why earned points were earned; Note a free comment
	// (adjustments).
	Source Source
	Note   string
	// Points, Reserved and Debt are the entry's changes to the account's
	// balance, reserved points and debt.
	Points   decimal.Decimal
	Reserved decimal.Decimal
	Debt     decimal.Decimal
	// Lot is the lot an earn or a positive adjustment created, and
	// Expires its expiry.
	Lot     int64
	Expires Date
	// Draws are the lot changes the entry made, in the order made.
	Draws []Draw
	// Total is, on a purchase, the order's amount before points; on the
	// reversal of a purchase, minus the amount returned. Paid is the money
	// paid on a purchase.
	Total money.Amount
	Paid  money.Amount
	// Qualifying and TierPoints are the entry's changes to the qualifying
	// spend and qualifying points of the tier metric.
	Qualifying money.Amount
	TierPoints decimal.Decimal
	// MetricDate is, on the reversal of a purchase, the purchase's day:
	// the tier metric counts the reversal on that day (from the day it was
	// posted, Date), so that a return takes the spend out of the window
	// the purchase counted in, never out of a later one. Zero otherwise.
	MetricDate Date
	// Value is the money value of redeemed points.
	Value money.Amount
	// Reverses is, on a reverse entry, the kind of entry it reverses.
	// Target is the points that return asked to reverse (earned points
	// taken back, or redeemed points given back); Dropped the part of
	// Target that was not, because those points had expired; Forgiven the
	// part of earned points that could not be taken back and was not
	// recorded as debt.
	Reverses EntryKind
	Target   decimal.Decimal
	Dropped  decimal.Decimal
	Forgiven decimal.Decimal
	// TierFrom and TierTo are the tiers of a tier change.
	TierFrom, TierTo string
}

// metricDay is the day the tier metric counts the entry on.
func (e *Entry) metricDay() Date {
	if !e.MetricDate.IsZero() {
		return e.MetricDate
	}
	return e.Date
}

// Clone returns a deep copy of the entry.
func (e Entry) Clone() Entry {
	e.Draws = slices.Clone(e.Draws)
	return e
}

// ReservationStatus is the state of a reservation.
type ReservationStatus string

// The reservation states.
const (
	ReservationOpen     ReservationStatus = "open"
	ReservationCaptured ReservationStatus = "captured"
	ReservationReleased ReservationStatus = "released"
)

// Reservation is points held for an order between placing and paying.
// Its points are drawn from lots when reserved, so they cannot expire or
// be spent twice meanwhile.
type Reservation struct {
	Order  string
	Key    string // the posting that made it
	Date   Date
	Points decimal.Decimal
	// Draws are the lot changes of the reservation (negative).
	Draws  []Draw
	Status ReservationStatus
	// Captured is the points captured; CapturedDraws the lots they came
	// from (the soonest-expiring draws first).
	Captured      decimal.Decimal
	CapturedDraws []Draw
}

// Clone returns a deep copy of the reservation.
func (r Reservation) Clone() Reservation {
	r.Draws = slices.Clone(r.Draws)
	r.CapturedDraws = slices.Clone(r.CapturedDraws)
	return r
}

// Result is what a posting wrote: the account after it and its entries
// (none when there was nothing to do). A posting repeated with the same
// key returns the first Result again, with Replayed set.
type Result struct {
	Account  Account
	Entries  []Entry
	Replayed bool
}

// Clone returns a deep copy of the result.
func (r Result) Clone() Result {
	r.Entries = slices.Clone(r.Entries)
	for i := range r.Entries {
		r.Entries[i] = r.Entries[i].Clone()
	}
	return r
}

// Points returns the sum of the Points of the result's entries.
func (r Result) Points() decimal.Decimal {
	var t tally
	for _, e := range r.Entries {
		t.add(e.Points)
	}
	return t.total()
}

// State is what Apply needs to know of an account for one posting: the
// account and the parts of its ledger the posting's Needs ask for. The
// store builds it under the account's lock. Apply never modifies it.
//
// A State need not hold every lot. Apply draws on the usable lots in
// redemption order and stops as soon as it has what it needs, so the
// store passes the lots up to the point where Needs.Draw is covered; a
// store that keeps its lots in memory may pass all of them with points
// left instead (a slice costs nothing to pass). Apply checks what it is
// given: a posting that would have to look past the lots it was given
// is refused with RuleStateIncomplete rather than decided on part of the
// account.
type State struct {
	Account Account
	// Available is, when Needs.Available asks for it, the points usable
	// on the posting's Date: the Available of the account's Balance as
	// of that day (Summarise, SummariseIndexed or SummariseSums give it).
	// Apply refuses a deduction above it without looking at a lot.
	Available decimal.Decimal
	// Lots are lots of the account in redemption order (CompareLots),
	// none twice. They hold what Needs.Expired and Needs.Draw ask for:
	// every lot with points left that expired before the posting's Date,
	// and the lots usable on that Date with points left up to the one
	// whose running total reaches the draw. They may hold more — emptied
	// lots, lots not usable on the Date, lots beyond the draw — provided
	// that no lot usable on the Date with points left that sorts before
	// the last of them is missing.
	Lots []Lot
	// OrderLots are, when Needs.OrderLots asks for them, the lots the
	// Order's entries or reservation created or drew on, emptied ones
	// included, in any order (OrderLotIDs lists their ids). Those that
	// Lots holds may be left out.
	OrderLots []Lot
	// Reservation is the posting Order's reservation, if it has one.
	Reservation *Reservation
	// OrderEntries are the entries of the posting's Order, in sequence
	// order (none when the posting has no Order).
	OrderEntries []Entry
}

// Outcome is what Apply decided: the store writes all of it or nothing.
type Outcome struct {
	// Account is the account after the posting.
	Account Account
	// Entries are the new entries, numbered from the account's LastSeq+1.
	Entries []Entry
	// Lots are the lots the posting changed, in redemption order, then
	// the lots it created, in the order created.
	Lots []LotChange
	// Reservation is the Order's reservation when the posting created or
	// changed it.
	Reservation *Reservation
	// Result is what Post returns (and returns again for a repeated key).
	Result Result
}

// LotChange is a lot after a posting: a lot of the State changed (New
// false; the store finds it by its id, or by its place in redemption
// order, which a change never moves), or a new lot, which the store
// inserts in redemption order.
type LotChange struct {
	Lot Lot
	New bool
}

// Qualifying is a sum of the tier metric's two measures.
type Qualifying struct {
	Spend  money.Amount
	Points decimal.Decimal
}

// QualifyingOf sums the qualifying spend and points of the entries posted
// on or before to whose metric day (MetricDate, else Date) is on or after
// from (a zero from means no lower bound): what a store's Qualifying
// returns.
func QualifyingOf(entries []Entry, from, to Date) Qualifying {
	var spend, points tally
	var cur money.Currency
	for i := range entries {
		e := &entries[i]
		if e.Qualifying.IsZero() && e.TierPoints.IsZero() {
			continue
		}
		if e.Date.After(to) || (!from.IsZero() && e.metricDay().Before(from)) {
			continue
		}
		if cur.IsZero() {
			cur = e.Qualifying.Currency()
		}
		spend.add(e.Qualifying.Decimal())
		points.add(e.TierPoints)
	}
	q := Qualifying{Points: points.total()}
	if !cur.IsZero() {
		q.Spend, _ = money.FromDecimal(spend.total(), cur)
	}
	return q
}
