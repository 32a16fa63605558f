package memory

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sort"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/store"
)

// The store implements the loyalty package's Store.
var _ loyalty.Store = (*Store)(nil)

// loyaltyState holds the loyalty accounts. Its maps are made on the first
// write, so New need not know about it; reads of a store that never had
// an account see nil maps, which read as empty.
type loyaltyState struct {
	accounts map[string]*loyaltyAccount
	ids      []string // every account id, sorted
}

// loyaltyAccount is one account with its ledger.
type loyaltyAccount struct {
	acct         loyalty.Account
	lots         []loyalty.Lot // every lot, in redemption order
	live         int           // lots[:live] have no points left
	earned       loyalty.EarnedIndex
	entries      []loyalty.Entry  // entries[i].Seq == i+1
	byOrder      map[string][]int // order -> indices into entries
	reservations map[string]*loyalty.Reservation
	posted       map[string]*loyaltyPosted // idempotency key -> first result
}

// loyaltyPosted remembers a posting's key: its fingerprint and the result
// it returned.
type loyaltyPosted struct {
	fingerprint string
	result      loyalty.Result
}

// CreateAccount stores a new loyalty account at version 1. The account
// must carry NoVersion and empty ledger totals (else ErrInvalid); a taken
// id is store.ErrDuplicate.
func (s *Store) CreateAccount(ctx context.Context, a loyalty.Account) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch {
	case a.ID == "":
		return fmt.Errorf("%w: loyalty account has no id", ErrInvalid)
	case a.Version != store.NoVersion:
		return fmt.Errorf("%w: a new loyalty account carries version %d", ErrInvalid, a.Version)
	case !a.Balance.IsZero() || !a.Reserved.IsZero() || !a.Debt.IsZero() || a.LastSeq != 0 || a.PaidOrders != 0:
		return fmt.Errorf("%w: a new loyalty account has ledger totals; post entries instead", ErrInvalid)
	}
	if err := a.CheckDates(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	a.Version = 1
	s.mu.Lock()
	defer s.mu.Unlock()
	ls := &s.loyalty
	if ls.accounts == nil {
		ls.accounts = make(map[string]*loyaltyAccount)
	}
	if ls.accounts[a.ID] != nil {
		return store.Duplicate("loyalty account", "id", a.ID)
	}
	ls.accounts[a.ID] = &loyaltyAccount{
		acct:         a,
		byOrder:      make(map[string][]int),
		reservations: make(map[string]*loyalty.Reservation),
		posted:       make(map[string]*loyaltyPosted),
	}
	i, _ := slices.BinarySearch(ls.ids, a.ID)
	ls.ids = slices.Insert(ls.ids, i, a.ID)
	return nil
}

// loyaltyAccount returns the account's record; the caller holds the lock.
func (s *Store) loyaltyAccount(id string) (*loyaltyAccount, error) {
	if a := s.loyalty.accounts[id]; a != nil {
		return a, nil
	}
	return nil, store.NotFound("loyalty account", id)
}

// Account returns the loyalty account.
func (s *Store) Account(ctx context.Context, id string) (loyalty.Account, error) {
	if err := ctx.Err(); err != nil {
		return loyalty.Account{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.loyaltyAccount(id)
	if err != nil {
		return loyalty.Account{}, err
	}
	return a.acct, nil
}

// Post applies a posting to its account under the store's lock: the key
// is looked up first (a repeat returns the first result; another
// fingerprint is a *loyalty.KeyReuseError), then loyalty.Apply decides
// on the account's state and its outcome is written whole. A posting
// that fails writes nothing and leaves its key free.
func (s *Store) Post(ctx context.Context, p loyalty.Posting) (loyalty.Result, error) {
	if err := ctx.Err(); err != nil {
		return loyalty.Result{}, err
	}
	if err := p.Validate(); err != nil {
		return loyalty.Result{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.loyaltyAccount(p.Account)
	if err != nil {
		return loyalty.Result{}, err
	}
	if prev := a.posted[p.Key]; prev != nil {
		if prev.fingerprint != p.Fingerprint {
			return loyalty.Result{}, &loyalty.KeyReuseError{Account: p.Account, Key: p.Key}
		}
		res := prev.result.Clone()
		res.Replayed = true
		return res, nil
	}
	// Apply is given what the posting needs (loyalty.Posting.Needs). The
	// lots are every lot from the first with points left: a slice of
	// what is kept, so passing them costs nothing, and Apply stops
	// walking them as soon as it has what it needs. The lots of an order
	// are found by their place in redemption order, known from the entry
	// that created each.
	needs := p.Needs()
	state := loyalty.State{Account: a.acct, Lots: a.lots[a.live:]}
	if needs.Order {
		state.Reservation = a.reservations[p.Order]
		for _, i := range a.byOrder[p.Order] {
			state.OrderEntries = append(state.OrderEntries, a.entries[i])
		}
	}
	if needs.OrderLots {
		for _, id := range loyalty.OrderLotIDs(state.OrderEntries, state.Reservation) {
			if i, ok := a.findLot(id); ok {
				state.OrderLots = append(state.OrderLots, a.lots[i])
			}
		}
	}
	if needs.Available {
		state.Available = loyalty.SummariseIndexed(a.acct, a.lots[a.live:], &a.earned, loyalty.BalanceQuery{AsOf: p.Date}).Available
	}
	out, err := loyalty.Apply(state, p)
	if err != nil {
		return loyalty.Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return loyalty.Result{}, err
	}
	// Find every changed lot before changing anything, so that a bad
	// outcome cannot leave half a write.
	at := make([]int, len(out.Lots))
	for k, c := range out.Lots {
		if c.New {
			continue
		}
		i, ok := slices.BinarySearchFunc(a.lots, c.Lot, loyalty.CompareLots)
		if !ok {
			return loyalty.Result{}, fmt.Errorf("%w: posting %q changes lot %d, which the account does not have", ErrInvalid, p.Key, c.Lot.ID)
		}
		at[k] = i
	}
	a.acct = out.Account
	for k, c := range out.Lots {
		if !c.New {
			i := at[k]
			a.earned.Update(a.lots[i], c.Lot)
			a.lots[i] = c.Lot
			if i < a.live && c.Lot.Remaining.Sign() > 0 {
				a.live = i
			}
		}
	}
	for _, c := range out.Lots {
		if c.New {
			i, _ := slices.BinarySearchFunc(a.lots, c.Lot, loyalty.CompareLots)
			a.lots = slices.Insert(a.lots, i, c.Lot)
			a.earned.Update(loyalty.Lot{}, c.Lot)
			switch {
			case i > a.live:
			case c.Lot.Remaining.Sign() > 0:
				a.live = i
			default:
				a.live++ // an empty lot joins the emptied prefix
			}
		}
	}
	for a.live < len(a.lots) && a.lots[a.live].Remaining.Sign() <= 0 {
		a.live++
	}
	for _, e := range out.Entries {
		a.entries = append(a.entries, e.Clone())
		if e.Order != "" {
			a.byOrder[e.Order] = append(a.byOrder[e.Order], len(a.entries)-1)
		}
	}
	if out.Reservation != nil {
		r := out.Reservation.Clone()
		a.reservations[r.Order] = &r
	}
	a.posted[p.Key] = &loyaltyPosted{fingerprint: p.Fingerprint, result: out.Result.Clone()}
	return out.Result.Clone(), nil
}

// findLot returns the place of lot id in a.lots. A lot's place in
// redemption order is fixed by its expiry, the day it was earned and its
// id, and the entry that created it (whose sequence number is the id)
// records the first two; a binary search does the rest.
func (a *loyaltyAccount) findLot(id int64) (int, bool) {
	if id < 1 || id > int64(len(a.entries)) {
		return 0, false
	}
	e := &a.entries[id-1]
	i, ok := slices.BinarySearchFunc(a.lots, loyalty.Lot{ID: id, Earned: e.Date, Expires: e.Expires}, loyalty.CompareLots)
	if ok {
		return i, true
	}
	// Not where the entry says (it cannot happen for lots Apply made):
	// look through them all.
	for i := range a.lots {
		if a.lots[i].ID == id {
			return i, true
		}
	}
	return 0, false
}

// Balance summarises the account as of q.AsOf (loyalty.Summarise).
func (s *Store) Balance(ctx context.Context, id string, q loyalty.BalanceQuery) (loyalty.Balance, error) {
	if err := ctx.Err(); err != nil {
		return loyalty.Balance{}, err
	}
	if !q.AsOf.Valid() {
		return loyalty.Balance{}, fmt.Errorf("%w: balance as of %q", ErrInvalid, q.AsOf)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.loyaltyAccount(id)
	if err != nil {
		return loyalty.Balance{}, err
	}
	// The emptied prefix adds nothing to a balance; the index of points
	// by day earned spares a balance as of a past day a walk over every
	// lot.
	return loyalty.SummariseIndexed(a.acct, a.lots[a.live:], &a.earned, q), nil
}

// Qualifying sums the account's tier metric over [from, to]
// (loyalty.QualifyingOf).
func (s *Store) Qualifying(ctx context.Context, id string, from, to loyalty.Date) (loyalty.Qualifying, error) {
	if err := ctx.Err(); err != nil {
		return loyalty.Qualifying{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.loyaltyAccount(id)
	if err != nil {
		return loyalty.Qualifying{}, err
	}
	return loyalty.QualifyingOf(a.entries, from, to), nil
}

// Reservation returns a copy of the order's reservation.
func (s *Store) Reservation(ctx context.Context, id, order string) (loyalty.Reservation, error) {
	if err := ctx.Err(); err != nil {
		return loyalty.Reservation{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.loyaltyAccount(id)
	if err != nil {
		return loyalty.Reservation{}, err
	}
	r := a.reservations[order]
	if r == nil {
		return loyalty.Reservation{}, store.NotFound("reservation", order)
	}
	return r.Clone(), nil
}

// Entries streams the account's entries after sequence number after, a
// batch per hold of the read lock.
func (s *Store) Entries(ctx context.Context, id string, after int64) iter.Seq2[loyalty.Entry, error] {
	return func(yield func(loyalty.Entry, error) bool) {
		next := max(after, 0)
		for {
			if err := ctx.Err(); err != nil {
				yield(loyalty.Entry{}, err)
				return
			}
			s.mu.RLock()
			var batch []loyalty.Entry
			if a := s.loyalty.accounts[id]; a != nil && next < int64(len(a.entries)) {
				end := min(next+batchSize, int64(len(a.entries)))
				batch = make([]loyalty.Entry, 0, end-next)
				for _, e := range a.entries[next:end] {
					batch = append(batch, e.Clone())
				}
			}
			s.mu.RUnlock()
			if len(batch) == 0 {
				return
			}
			for _, e := range batch {
				if !yield(e, nil) {
					return
				}
			}
			next = batch[len(batch)-1].Seq
		}
	}
}

// Lots streams copies of every lot of the account in redemption order,
// as they stood when the listing began.
func (s *Store) Lots(ctx context.Context, id string) iter.Seq2[loyalty.Lot, error] {
	return func(yield func(loyalty.Lot, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(loyalty.Lot{}, err)
			return
		}
		s.mu.RLock()
		var lots []loyalty.Lot
		if a := s.loyalty.accounts[id]; a != nil {
			lots = slices.Clone(a.lots)
		}
		s.mu.RUnlock()
		for _, l := range lots {
			if err := ctx.Err(); err != nil {
				yield(loyalty.Lot{}, err)
				return
			}
			if !yield(l, nil) {
				return
			}
		}
	}
}

// Accounts streams the accounts matching f in id order, a batch per hold
// of the read lock; accounts created meanwhile after the last id read are
// listed too.
func (s *Store) Accounts(ctx context.Context, f loyalty.AccountFilter) iter.Seq2[loyalty.Account, error] {
	if f.Limit < 0 {
		return store.Fail[loyalty.Account](fmt.Errorf("%w: negative limit %d", ErrInvalid, f.Limit))
	}
	return func(yield func(loyalty.Account, error) bool) {
		after, started, left := f.After, f.After != "", f.Limit
		for {
			if err := ctx.Err(); err != nil {
				yield(loyalty.Account{}, err)
				return
			}
			s.mu.RLock()
			ids := s.loyalty.ids
			i := 0
			if started {
				i = sort.Search(len(ids), func(i int) bool { return ids[i] > after })
			}
			var batch []loyalty.Account
			looked := 0
			for ; i < len(ids) && looked < batchSize; i++ {
				looked++
				after, started = ids[i], true
				if a := s.loyalty.accounts[ids[i]]; f.Programme == "" || a.acct.Programme == f.Programme {
					batch = append(batch, a.acct)
				}
			}
			more := i < len(ids)
			s.mu.RUnlock()
			for _, a := range batch {
				if !yield(a, nil) {
					return
				}
				if f.Limit > 0 {
					if left--; left == 0 {
						return
					}
				}
			}
			if !more {
				return
			}
		}
	}
}
