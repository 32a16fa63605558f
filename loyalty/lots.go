package loyalty

import (
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
// Balance returns.
//
// It touches few lots: those already past their expiry form a prefix of
// the redemption order, found by binary search; the points expiring soon
// follow it; and there are no lots earned after AsOf when AsOf is on or
// after the account's LastEarned (otherwise their dates are scanned).
// What is available is then the balance less what is reserved, expired
// and not yet earned. On 10,000 lots it takes microseconds.
func Summarise(a Account, lots []Lot, q BalanceQuery) Balance {
	first := sort.Search(len(lots), func(i int) bool { return !lots[i].ExpiredOn(q.AsOf) })
	var expired, pending tally
	for i := 0; i < first; i++ {
		if l := &lots[i]; l.Remaining.Sign() > 0 {
			expired.add(l.Remaining)
		}
	}
	anyPending := false
	for i := first; i < len(lots) && (a.LastEarned.IsZero() || a.LastEarned.After(q.AsOf)); i++ {
		if l := &lots[i]; l.Earned.After(q.AsOf) && l.Remaining.Sign() > 0 {
			pending.add(l.Remaining)
			anyPending = true
		}
	}
	var expiring []Expiring
	if !q.ExpiringThrough.IsZero() {
		var soon tally
		var soonDay Date
		for i := first; i < len(lots); i++ {
			l := &lots[i]
			if l.Expires.IsZero() || l.Expires.After(q.ExpiringThrough) {
				break
			}
			if l.Remaining.Sign() <= 0 || (anyPending && l.Earned.After(q.AsOf)) {
				continue
			}
			if l.Expires != soonDay {
				if !soonDay.IsZero() {
					expiring = append(expiring, Expiring{On: soonDay, Points: soon.total()})
				}
				soon, soonDay = tally{}, l.Expires
			}
			soon.add(l.Remaining)
		}
		if !soonDay.IsZero() {
			expiring = append(expiring, Expiring{On: soonDay, Points: soon.total()})
		}
	}
	var avail tally
	avail.add(a.Balance)
	avail.sub(a.Reserved)
	avail.sub(expired.total())
	avail.sub(pending.total())
	return Balance{
		Account:   a.ID,
		AsOf:      q.AsOf,
		Points:    normalize(a.Balance),
		Available: avail.total(),
		Reserved:  normalize(a.Reserved),
		Expired:   expired.total(),
		Pending:   pending.total(),
		Debt:      normalize(a.Debt),
		Expiring:  expiring,
	}
}
