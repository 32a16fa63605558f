package loyalty

import (
	"slices"
	"sort"

	"github.com/shopspring/decimal"
)

// BalanceQuery asks for an account's balance as of a day.
type BalanceQuery struct {
	// AsOf is the day the balance is judged on (required).
	AsOf Date
	// ExpiringThrough, when not zero, lists the points that expire from
	// AsOf through that day in Balance.Expiring.
	ExpiringThrough Date
}

// Balance is an account's points as of a day.
//
// The ledger is append-only, so a balance "as of" a day is a statement of
// the lots as they stand, judged on that day: lots whose expiry is before
// AsOf count as expired even when no expiry run has written them off yet,
// and lots earned after AsOf as not yet usable. Ask for today or a later
// day ("what will be left on 1 March if nothing else happens"); postings
// already made after AsOf are not undone.
type Balance struct {
	Account string
	AsOf    Date
	// Points is the ledger balance: the sum of every entry's Points, which
	// is Available + Reserved + Expired + Pending.
	Points decimal.Decimal
	// Available is what can be redeemed on AsOf.
	Available decimal.Decimal
	// Reserved is held for open reservations.
	Reserved decimal.Decimal
	// Expired is in lots past their expiry on AsOf that no expiry run has
	// written off yet.
	Expired decimal.Decimal
	// Pending is in lots earned after AsOf.
	Pending decimal.Decimal
	// Debt is owed from returns.
	Debt decimal.Decimal
	// Expiring lists the points that expire from AsOf through the query's
	// ExpiringThrough, soonest first, one line per expiry day.
	Expiring []Expiring
}

// Outstanding is the points the client still has a claim to on AsOf:
// the balance less what has expired.
func (b Balance) Outstanding() decimal.Decimal {
	return normalize(b.Available.Add(b.Reserved).Add(b.Pending))
}

// Expiring is an amount of points whose last usable day is On.
type Expiring struct {
	On     Date
	Points decimal.Decimal
}

// Summarise computes an account's balance as of q.AsOf from its lots,
// which must be in redemption order (CompareLots), and its totals, which
// must be those of its ledger (as every Store keeps them): what a store's
// Balance returns. Lots without points left do not change the result, so
// a store may leave out any of them.
//
// It touches few lots: those already past their expiry form a prefix of
// the redemption order, found by binary search; the points expiring soon
// follow it. The points earned after AsOf need no look at the lots when
// AsOf is on or after the account's LastEarned (a balance as of today);
// for a past day they are summed over every lot, in a tight loop — a
// store that keeps an EarnedIndex passes it to SummariseIndexed instead,
// which sums them over days.
func Summarise(a Account, lots []Lot, q BalanceQuery) Balance {
	return SummariseSums(a, sumLots(a, lots, nil, q), q)
}

// SummariseIndexed is Summarise with the points earned after q.AsOf taken
// from x, an index of the same lots by day earned, rather than summed
// over the lots: the result is the same, and a balance as of a past day
// costs a sum over the days after it instead of a look at every lot.
// A nil x makes it Summarise.
func SummariseIndexed(a Account, lots []Lot, x *EarnedIndex, q BalanceQuery) Balance {
	return SummariseSums(a, sumLots(a, lots, x, q), q)
}

// Sums are what a balance as of a day needs to know of an account's lots
// beyond the account's totals. A store that can sum its lots where they
// are (a database, in SQL) computes them and calls SummariseSums; lots
// without points left count for nothing in any of them.
type Sums struct {
	// Expired is the points left in lots whose expiry is before AsOf.
	Expired decimal.Decimal
	// Pending is the points left in lots earned after AsOf.
	Pending decimal.Decimal
	// Expiring is, when the query has an ExpiringThrough, the points left
	// in lots earned on or before AsOf whose expiry falls from AsOf through
	// ExpiringThrough: one line per expiry day, soonest first, no line
	// without points.
	Expiring []Expiring
}

// SummariseSums computes the balance of account a as of q.AsOf from its
// totals and the sums s of its lots: what is available is the balance
// less what is reserved, expired and not yet earned.
func SummariseSums(a Account, s Sums, q BalanceQuery) Balance {
	var avail tally
	avail.add(a.Balance)
	avail.sub(a.Reserved)
	avail.sub(s.Expired)
	avail.sub(s.Pending)
	var expiring []Expiring
	if len(s.Expiring) > 0 {
		expiring = make([]Expiring, len(s.Expiring))
		for i, e := range s.Expiring {
			expiring[i] = Expiring{On: e.On, Points: normalize(e.Points)}
		}
	}
	return Balance{
		Account:   a.ID,
		AsOf:      q.AsOf,
		Points:    normalize(a.Balance),
		Available: avail.total(),
		Reserved:  normalize(a.Reserved),
		Expired:   normalize(s.Expired),
		Pending:   normalize(s.Pending),
		Debt:      normalize(a.Debt),
		Expiring:  expiring,
	}
}

// sumLots computes the Sums of lots in redemption order, with the points
// earned after AsOf from x when it is not nil.
func sumLots(a Account, lots []Lot, x *EarnedIndex, q BalanceQuery) Sums {
	asOf := q.AsOf
	first := sort.Search(len(lots), func(i int) bool { return !lots[i].ExpiredOn(asOf) })
	var expired, pending tally
	for i := 0; i < first; i++ {
		if l := &lots[i]; l.Remaining.Sign() > 0 {
			expired.add(l.Remaining)
		}
	}
	// A lot earned after AsOf expires after AsOf too (an expiry is never
	// before the day earned), so it lies beyond the expired prefix.
	if a.LastEarned.IsZero() || a.LastEarned.After(asOf) {
		if x != nil {
			pending.add(x.After(asOf))
		} else {
			for i := first; i < len(lots); i++ {
				if l := &lots[i]; l.Remaining.Sign() > 0 && l.Earned.After(asOf) {
					pending.add(l.Remaining)
				}
			}
		}
	}
	s := Sums{Expired: expired.total(), Pending: pending.total()}
	if !q.ExpiringThrough.IsZero() {
		var soon tally
		var soonDay Date
		for i := first; i < len(lots); i++ {
			l := &lots[i]
			if l.Expires.IsZero() || l.Expires.After(q.ExpiringThrough) {
				break
			}
			if l.Remaining.Sign() <= 0 || l.Earned.After(asOf) {
				continue
			}
			if l.Expires != soonDay {
				if !soonDay.IsZero() {
					s.Expiring = append(s.Expiring, Expiring{On: soonDay, Points: soon.total()})
				}
				soon, soonDay = tally{}, l.Expires
			}
			soon.add(l.Remaining)
		}
		if !soonDay.IsZero() {
			s.Expiring = append(s.Expiring, Expiring{On: soonDay, Points: soon.total()})
		}
	}
	return s
}

// EarnedIndex holds the points left in an account's lots by the day they
// were earned, so that the points earned after a day are a sum over days
// rather than over lots (SummariseIndexed). A store keeps one per account
// in step with its lots by calling Update for every lot a posting creates
// or changes. The zero value is an empty index; it is not safe for
// concurrent writes (a store updates it under the account's lock).
type EarnedIndex struct {
	days   []Date  // ascending
	points []tally // points left in the lots earned on days[i]
}

// Update records that a lot changed from before to after; before is the
// zero Lot for a new lot.
func (x *EarnedIndex) Update(before, after Lot) {
	if !before.Earned.IsZero() && before.Remaining.Sign() != 0 {
		x.bucket(before.Earned).sub(before.Remaining)
	}
	if !after.Earned.IsZero() && after.Remaining.Sign() != 0 {
		x.bucket(after.Earned).add(after.Remaining)
	}
}

// bucket returns the sum of day d, adding it when missing.
func (x *EarnedIndex) bucket(d Date) *tally {
	i, found := slices.BinarySearchFunc(x.days, d, Date.Compare)
	if !found {
		x.days = slices.Insert(x.days, i, d)
		x.points = slices.Insert(x.points, i, tally{})
	}
	return &x.points[i]
}

// After returns the points left in the lots earned after d.
func (x *EarnedIndex) After(d Date) decimal.Decimal {
	i, found := slices.BinarySearchFunc(x.days, d, Date.Compare)
	if found {
		i++
	}
	var t tally
	for j := i; j < len(x.points); j++ {
		if p := &x.points[j]; p.slow {
			t.add(p.d)
		} else {
			t.addUnits(p.u)
		}
	}
	return t.total()
}
