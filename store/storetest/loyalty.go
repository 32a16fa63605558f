package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// LoyaltyHarness tells RunLoyalty how to get a store to check. It is
// separate from Harness so that a backend can be checked for the crm
// interfaces before it implements loyalty's.
type LoyaltyHarness struct {
	// NewStore returns a fresh, empty store; RunLoyalty calls it once per
	// subtest. Release what the store holds with t.Cleanup.
	NewStore func(t *testing.T) loyalty.Store
}

// RunLoyalty checks a loyalty.Store against the contract in the
// loyalty.Store and store package docs:
//
//   - accounts read back as created, at version 1; a taken id is
//     store.ErrDuplicate; an unknown account is store.ErrNotFound for every
//     method and has no entries or lots;
//   - a posting stores what loyalty.Apply decided: its entries, numbered
//     from 1, its lots in redemption order, the account's totals (the
//     balance is the sum of the entries), the order's reservation;
//   - idempotency keys: a repeated key posts once and returns the first
//     result, also under concurrent repeats; the same key with another
//     fingerprint is *loyalty.KeyReuseError (store.ErrDuplicate) and writes
//     nothing; keys are per account;
//   - a failed posting (too few points, a stale IfVersion, a malformed
//     posting, a refused rule, a cancelled context) writes nothing and
//     leaves its key free;
//   - 50 goroutines redeeming from one account never overdraw it, and
//     every success is in the ledger;
//   - the state given to Apply is complete: a return finds the order's
//     lots even when they are empty;
//   - the state given to Apply holds what the posting needs
//     (loyalty.Posting.Needs): a redemption over hundreds of lots, past
//     lots already spent, expired or not yet earned, draws exactly as
//     Apply given every lot would, and so does every posting of a random
//     sequence;
//   - an account whose dates are not calendar dates is refused with
//     loyalty.ErrInvalid naming the field;
//   - expiring twice changes nothing; reads return copies; Qualifying,
//     Entries, Lots and Accounts list what they promise; a random
//     sequence of postings keeps every ledger invariant.
func RunLoyalty(t *testing.T, h LoyaltyHarness) {
	t.Helper()
	if h.NewStore == nil {
		t.Fatal("storetest: LoyaltyHarness.NewStore is nil")
	}
	checks := []struct {
		rule string
		run  func(t *testing.T, k *loyaltyKit)
	}{
		{"an account reads back as created at version 1; a taken id is ErrDuplicate", loyaltyAccountRoundTrip},
		{"an account with a date that is not a calendar date is refused", loyaltyAccountDates},
		{"an unknown account is ErrNotFound and has no entries", loyaltyUnknownAccount},
		{"a posting stores its entries, lots and totals", loyaltyPostingStored},
		{"a repeated key posts once and returns the first result", loyaltyRepeatedKey},
		{"concurrent repeats of a key post once", loyaltyConcurrentRepeat},
		{"a key with other content is ErrKeyReused and writes nothing", loyaltyKeyReused},
		{"keys belong to their account", loyaltyKeysPerAccount},
		{"a failed posting writes nothing and leaves its key free", loyaltyFailedPosting},
		{"50 goroutines redeeming from one account never overdraw it", loyaltyConcurrentRedeem},
		{"redemption takes the soonest-expiring lots first and non-expiring last", loyaltyRedemptionOrder},
		{"a posting reads as many lots as it needs, however many there are", loyaltyManyLots},
		{"expiring twice changes nothing", loyaltyExpireTwice},
		{"reservations are kept with their order", loyaltyReservations},
		{"a return is given the order's emptied lots", loyaltyReturnState},
		{"reads return copies", loyaltyCopies},
		{"Qualifying sums the entries of the window", loyaltyQualifying},
		{"listings list what they promise", loyaltyListings},
		{"methods honour cancellation", loyaltyCancelled},
		{"random postings keep the ledger's invariants", loyaltyRandom},
	}
	for _, c := range checks {
		t.Run(c.rule, func(t *testing.T) {
			s := h.NewStore(t)
			if s == nil {
				t.Fatal("storetest: LoyaltyHarness.NewStore returned a nil store")
			}
			c.run(t, &loyaltyKit{t: t, s: s, ctx: t.Context()})
		})
	}
}

// loyaltyKit builds accounts and postings for the loyalty checks.
type loyaltyKit struct {
	t   *testing.T
	s   loyalty.Store
	ctx context.Context
	n   atomic.Int64
}

// lday is the business day of fixture postings.
var lday = loyalty.MustDate(2026, 3, 2)

func lpts(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func lrub(s string) money.Amount { return money.MustParse(s, money.RUB) }

// account creates an account of programme "p".
func (k *loyaltyKit) account(id string) loyalty.Account {
	k.t.Helper()
	a := loyalty.Account{ID: id, Programme: "p", Opened: lday, Tier: "base", TierSince: lday, CreatedAt: at(0), UpdatedAt: at(0)}
	require.NoError(k.t, k.s.CreateAccount(k.ctx, a), "setup: CreateAccount of a new account failed")
	return a
}

// posting completes p with a fresh key and fingerprint, the fixture day
// and a recording instant, where p leaves them empty.
func (k *loyaltyKit) posting(acct string, p loyalty.Posting) loyalty.Posting {
	n := k.n.Add(1)
	p.Account = acct
	if p.Key == "" {
		p.Key = fmt.Sprintf("key-%d", n)
	}
	if p.Fingerprint == "" {
		p.Fingerprint = loyalty.Fingerprint(p.Key, string(p.Kind), p.Order, loyalty.FormatPoints(p.Points))
	}
	if p.Date.IsZero() {
		p.Date = lday
	}
	if p.At.IsZero() {
		p.At = at(int(n))
	}
	return p
}

func (k *loyaltyKit) post(acct string, p loyalty.Posting) (loyalty.Result, error) {
	return k.s.Post(k.ctx, k.posting(acct, p))
}

func (k *loyaltyKit) mustPost(acct string, p loyalty.Posting) loyalty.Result {
	k.t.Helper()
	res, err := k.post(acct, p)
	require.NoError(k.t, err, "setup: a valid posting failed")
	return res
}

// credit posts a bonus of points expiring on expires (zero: never).
func (k *loyaltyKit) credit(acct, points string, expires loyalty.Date) int64 {
	k.t.Helper()
	res := k.mustPost(acct, loyalty.Posting{Kind: loyalty.PostEarn, Source: loyalty.SourceWelcome, Points: lpts(points), Expires: expires})
	return res.Entries[0].Lot
}

// purchase posts the earning of an order.
func (k *loyaltyKit) purchase(acct, order, points, total string) loyalty.Result {
	k.t.Helper()
	return k.mustPost(acct, loyalty.Posting{
		Kind: loyalty.PostEarn, Source: loyalty.SourcePurchase, Order: order, Points: lpts(points),
		Total: lrub(total), Paid: lrub(total), Qualifying: lrub(total), TierPoints: lpts(points),
	})
}

// ledgerState is an account as seen from outside.
type ledgerState struct {
	Account loyalty.Account
	Entries []loyalty.Entry
	Lots    []loyalty.Lot
}

func (k *loyaltyKit) state(acct string) ledgerState {
	k.t.Helper()
	a, err := k.s.Account(k.ctx, acct)
	require.NoError(k.t, err, "setup: Account of a stored account failed")
	es, err := store.Collect(k.s.Entries(k.ctx, acct, 0))
	require.NoError(k.t, err, "setup: Entries failed")
	lots, err := store.Collect(k.s.Lots(k.ctx, acct))
	require.NoError(k.t, err, "setup: Lots failed")
	return ledgerState{Account: a, Entries: es, Lots: lots}
}

// invariants checks what every ledger keeps: entries numbered from 1,
// totals that are the sums of the entries, lots in redemption order that
// never go below zero and hold the balance less what is reserved.
func invariants(t assert.TestingT, st ledgerState, when string) bool {
	var bal, res, debt, inLots decimal.Decimal
	for i, e := range st.Entries {
		if e.Seq != int64(i+1) {
			return assert.Fail(t, "contract: entries are numbered 1, 2, 3 in the order written", "%s: entry %d has Seq %d", when, i, e.Seq)
		}
		bal, res, debt = bal.Add(e.Points), res.Add(e.Reserved), debt.Add(e.Debt)
	}
	ok := assert.Truef(t, bal.Equal(st.Account.Balance), "contract: the balance is the sum of the entries — %s: balance %s, entries %s", when, st.Account.Balance, bal)
	ok = assert.Truef(t, res.Equal(st.Account.Reserved), "contract: Reserved is the sum of the entries — %s: %s vs %s", when, st.Account.Reserved, res) && ok
	ok = assert.Truef(t, debt.Equal(st.Account.Debt), "contract: Debt is the sum of the entries — %s: %s vs %s", when, st.Account.Debt, debt) && ok
	ok = assert.Equalf(t, int64(len(st.Entries)), st.Account.LastSeq, "contract: LastSeq is the last entry's number — %s", when) && ok
	ok = assert.GreaterOrEqualf(t, st.Account.Balance.Sign(), 0, "contract: the balance never goes negative — %s: %s", when, st.Account.Balance) && ok
	for i, l := range st.Lots {
		ok = assert.GreaterOrEqualf(t, l.Remaining.Sign(), 0, "contract: no lot goes below zero — %s: lot %d holds %s", when, l.ID, l.Remaining) && ok
		if i > 0 {
			ok = assert.LessOrEqualf(t, loyalty.CompareLots(st.Lots[i-1], l), 0, "contract: Lots lists lots in redemption order — %s", when) && ok
		}
		inLots = inLots.Add(l.Remaining)
	}
	return assert.Truef(t, inLots.Add(st.Account.Reserved).Equal(st.Account.Balance),
		"contract: the lots hold the balance less what is reserved — %s: lots %s, reserved %s, balance %s", when, inLots, st.Account.Reserved, st.Account.Balance) && ok
}

func loyaltyAccountRoundTrip(t *testing.T, k *loyaltyKit) {
	a := k.account("client-1")
	got, err := k.s.Account(k.ctx, "client-1")
	require.NoError(t, err, "contract: a created account can be read")
	a.Version = 1
	same(t, a, got, "contract: reads return what was written — Account differs from the account created")
	err = k.s.CreateAccount(k.ctx, loyalty.Account{ID: "client-1", Programme: "other"})
	require.ErrorIs(t, err, store.ErrDuplicate, "contract: a taken id is ErrDuplicate — CreateAccount of an existing id")
	got, _ = k.s.Account(k.ctx, "client-1")
	assert.Equal(t, "p", got.Programme, "contract: a failed write writes nothing — a duplicate CreateAccount replaced the account")
	err = k.s.CreateAccount(k.ctx, loyalty.Account{ID: "client-2", Programme: "p", Version: 3})
	require.Error(t, err, "contract: a create carrying a version is refused")
}

func loyaltyAccountDates(t *testing.T, k *loyaltyKit) {
	bad := loyalty.Date{Year: 2026, Month: 2, Day: 30}
	for _, c := range []struct {
		field string
		set   func(*loyalty.Account)
	}{
		{"opened", func(a *loyalty.Account) { a.Opened = bad }},
		{"tier_since", func(a *loyalty.Account) { a.TierSince = loyalty.Date{Year: 2026, Month: 13, Day: 1} }},
		{"first_order", func(a *loyalty.Account) { a.FirstOrder = bad }},
		{"last_order", func(a *loyalty.Account) { a.LastOrder = loyalty.Date{Year: 2025, Month: 2, Day: 29} }},
		{"last_earned", func(a *loyalty.Account) { a.LastEarned = bad }},
	} {
		t.Run(c.field, func(t *testing.T) {
			a := loyalty.Account{ID: "bad-" + c.field, Programme: "p", Opened: lday}
			c.set(&a)
			err := k.s.CreateAccount(k.ctx, a)
			require.ErrorIsf(t, err, loyalty.ErrInvalid, "contract: an account whose %s is not a calendar date is refused with loyalty.ErrInvalid", c.field)
			var ve *loyalty.ValidationError
			require.ErrorAs(t, err, &ve, "contract: the refusal of a bad date is a *loyalty.ValidationError")
			assert.Equal(t, c.field, ve.Field, "contract: the refusal of a bad date names the field")
			_, err = k.s.Account(k.ctx, a.ID)
			require.ErrorIs(t, err, store.ErrNotFound, "contract: a failed write writes nothing — a refused account was stored")
		})
	}
	require.NoError(t, k.s.CreateAccount(k.ctx, loyalty.Account{ID: "leap", Programme: "p", Opened: loyalty.MustDate(2024, 2, 29)}),
		"contract: a real 29 February is a calendar date")
}

func loyaltyUnknownAccount(t *testing.T, k *loyaltyKit) {
	_, err := k.s.Account(k.ctx, "ghost")
	require.ErrorIs(t, err, store.ErrNotFound, "contract: an unknown record is ErrNotFound — Account")
	_, err = k.post("ghost", loyalty.Posting{Kind: loyalty.PostExpire})
	require.ErrorIs(t, err, store.ErrNotFound, "contract: an unknown record is ErrNotFound — Post")
	_, err = k.s.Balance(k.ctx, "ghost", loyalty.BalanceQuery{AsOf: lday})
	require.ErrorIs(t, err, store.ErrNotFound, "contract: an unknown record is ErrNotFound — Balance")
	_, err = k.s.Qualifying(k.ctx, "ghost", loyalty.Date{}, lday)
	require.ErrorIs(t, err, store.ErrNotFound, "contract: an unknown record is ErrNotFound — Qualifying")
	k.account("a")
	_, err = k.s.Reservation(k.ctx, "a", "no-such-order")
	require.ErrorIs(t, err, store.ErrNotFound, "contract: an unknown record is ErrNotFound — Reservation")
	es, err := store.Collect(k.s.Entries(k.ctx, "ghost", 0))
	require.NoError(t, err)
	assert.Empty(t, es, "contract: an unknown account has no entries")
	lots, err := store.Collect(k.s.Lots(k.ctx, "ghost"))
	require.NoError(t, err)
	assert.Empty(t, lots, "contract: an unknown account has no lots")
}

func loyaltyPostingStored(t *testing.T, k *loyaltyKit) {
	k.account("a")
	res := k.purchase("a", "o1", "120", "12000")
	require.Len(t, res.Entries, 1)
	assert.False(t, res.Replayed)
	st := k.state("a")
	same(t, res.Entries, st.Entries, "contract: a posting stores the entries it returns")
	same(t, res.Account, st.Account, "contract: a posting stores the account it returns")
	assert.Equal(t, store.Version(2), st.Account.Version, "contract: each posting that writes entries stores the next version")
	assert.Equal(t, 1, st.Account.PaidOrders)
	require.Len(t, st.Lots, 1, "contract: an earning creates its lot")
	assert.Equal(t, res.Entries[0].Lot, st.Lots[0].ID)
	invariants(t, st, "after an earning")

	res = k.mustPost("a", loyalty.Posting{Kind: loyalty.PostRedeem, Order: "o2", Points: lpts("20"), Value: lrub("20")})
	st = k.state("a")
	same(t, res.Entries, st.Entries[1:], "contract: a posting stores the entries it returns")
	invariants(t, st, "after a redemption")
	assert.Truef(t, lpts("100").Equal(st.Account.Balance), "contract: a redemption lowers the balance — %s", st.Account.Balance)
	b, err := k.s.Balance(k.ctx, "a", loyalty.BalanceQuery{AsOf: lday})
	require.NoError(t, err)
	same(t, loyalty.Summarise(st.Account, st.Lots, loyalty.BalanceQuery{AsOf: lday}), b, "contract: Balance is loyalty.Summarise of the account and its lots")
}

func loyaltyRepeatedKey(t *testing.T, k *loyaltyKit) {
	k.account("a")
	k.credit("a", "100", loyalty.Date{})
	p := k.posting("a", loyalty.Posting{Kind: loyalty.PostRedeem, Points: lpts("30")})
	first, err := k.s.Post(k.ctx, p)
	require.NoError(t, err)
	p.At = at(500) // a retry is recorded later; the key decides
	again, err := k.s.Post(k.ctx, p)
	require.NoError(t, err, "contract: a repeated key with the same fingerprint succeeds")
	assert.True(t, again.Replayed, "contract: a repeated key returns the first result with Replayed set")
	same(t, first.Entries, again.Entries, "contract: a repeated key returns the first result")
	same(t, first.Account, again.Account, "contract: a repeated key returns the first result, account included")
	st := k.state("a")
	assert.Len(t, st.Entries, 2, "contract: a repeated key posts once")
	invariants(t, st, "after a repeated key")
}

func loyaltyConcurrentRepeat(t *testing.T, k *loyaltyKit) {
	k.account("a")
	k.credit("a", "1000", loyalty.Date{})
	p := k.posting("a", loyalty.Posting{Kind: loyalty.PostRedeem, Points: lpts("7")})
	var wg sync.WaitGroup
	var fresh atomic.Int64
	for range 20 {
		wg.Go(func() {
			res, err := k.s.Post(k.ctx, p)
			if assert.NoError(t, err, "contract: concurrent repeats of a key all succeed") && !res.Replayed {
				fresh.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(1), fresh.Load(), "contract: of concurrent repeats of a key exactly one posts")
	st := k.state("a")
	assert.Len(t, st.Entries, 2, "contract: concurrent repeats of a key post once")
	invariants(t, st, "after concurrent repeats")
}

func loyaltyKeyReused(t *testing.T, k *loyaltyKit) {
	k.account("a")
	k.credit("a", "100", loyalty.Date{})
	k.mustPost("a", loyalty.Posting{Key: "pay-1", Fingerprint: "first", Kind: loyalty.PostRedeem, Points: lpts("10")})
	before := k.state("a")
	_, err := k.post("a", loyalty.Posting{Key: "pay-1", Fingerprint: "second", Kind: loyalty.PostRedeem, Points: lpts("20")})
	require.ErrorIs(t, err, store.ErrDuplicate, "contract: the same key with another fingerprint is ErrDuplicate")
	require.ErrorIs(t, err, loyalty.ErrKeyReused, "contract: the same key with another fingerprint is loyalty.ErrKeyReused")
	var ke *loyalty.KeyReuseError
	require.ErrorAs(t, err, &ke, "contract: the same key with another fingerprint is a *loyalty.KeyReuseError")
	same(t, before, k.state("a"), "contract: a failed write writes nothing — a reused key changed the ledger")
}

func loyaltyKeysPerAccount(t *testing.T, k *loyaltyKit) {
	k.account("a")
	k.account("b")
	k.credit("a", "10", loyalty.Date{})
	k.credit("b", "10", loyalty.Date{})
	for _, acct := range []string{"a", "b"} {
		res, err := k.post(acct, loyalty.Posting{Key: "shared", Fingerprint: "f-" + acct, Kind: loyalty.PostRedeem, Points: lpts("3")})
		require.NoError(t, err, "contract: idempotency keys are per account — the same key on another account posts")
		assert.False(t, res.Replayed)
	}
}

func loyaltyFailedPosting(t *testing.T, k *loyaltyKit) {
	k.account("a")
	k.credit("a", "100", loyalty.Date{})
	k.mustPost("a", loyalty.Posting{Kind: loyalty.PostReserve, Order: "o1", Points: lpts("10")})
	before := k.state("a")
	failures := []struct {
		what string
		p    loyalty.Posting
		kind error
	}{
		{"an overdraw", loyalty.Posting{Key: "k", Kind: loyalty.PostRedeem, Points: lpts("91")}, loyalty.ErrInsufficientPoints},
		{"a stale IfVersion", loyalty.Posting{Key: "k", Kind: loyalty.PostRedeem, Points: lpts("1"), IfVersion: before.Account.Version - 1}, store.ErrConflict},
		{"a malformed posting", loyalty.Posting{Key: "k", Kind: loyalty.PostRedeem, Points: lpts("1.5")}, loyalty.ErrInvalid},
		{"a refused rule", loyalty.Posting{Key: "k", Kind: loyalty.PostReserve, Order: "o1", Points: lpts("1")}, loyalty.ErrRefused},
		{"a capture above the reservation", loyalty.Posting{Key: "k", Kind: loyalty.PostCapture, Order: "o1", Points: lpts("11")}, loyalty.ErrInvalid},
		{"a return of an order that never earned", loyalty.Posting{Key: "k", Kind: loyalty.PostReturn, Order: "o9", Total: lrub("1")}, loyalty.ErrRefused},
	}
	for _, f := range failures {
		_, err := k.post("a", f.p)
		require.ErrorIsf(t, err, f.kind, "contract: Post fails on %s", f.what)
		same(t, before, k.state("a"), "contract: a failed posting writes nothing — %s changed the ledger", f.what)
		r, err := k.s.Reservation(k.ctx, "a", "o1")
		require.NoError(t, err)
		assert.Equal(t, loyalty.ReservationOpen, r.Status, "contract: a failed posting writes nothing — %s changed the reservation", f.what)
	}
	res, err := k.post("a", loyalty.Posting{Key: "k", Fingerprint: "another", Kind: loyalty.PostRedeem, Points: lpts("5")})
	require.NoError(t, err, "contract: a failed posting leaves its key free")
	assert.False(t, res.Replayed)
}

func loyaltyConcurrentRedeem(t *testing.T, k *loyaltyKit) {
	k.account("a")
	k.credit("a", "40", loyalty.MustDate(2026, 3, 20))
	k.credit("a", "60", loyalty.Date{})
	var ok, short atomic.Int64
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			_, err := k.s.Post(k.ctx, k.posting("a", loyalty.Posting{Key: fmt.Sprint("r", i), Kind: loyalty.PostRedeem, Points: lpts("3")}))
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, loyalty.ErrInsufficientPoints):
				short.Add(1)
			default:
				assert.NoError(t, err, "contract: a redemption fails only for want of points")
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(33), ok.Load(), "contract: 100 points pay for 33 redemptions of 3 — no more, no fewer")
	assert.Equal(t, int64(17), short.Load())
	st := k.state("a")
	assert.Truef(t, lpts("1").Equal(st.Account.Balance), "contract: concurrent redemptions never overdraw — balance %s, want 1", st.Account.Balance)
	assert.Len(t, st.Entries, 2+33, "contract: every successful redemption is in the ledger")
	invariants(t, st, "after 50 concurrent redemptions")
}

func loyaltyRedemptionOrder(t *testing.T, k *loyaltyKit) {
	k.account("a")
	late := k.credit("a", "100", loyalty.MustDate(2026, 4, 1))
	never := k.credit("a", "200", loyalty.Date{})
	soon := k.credit("a", "50", loyalty.MustDate(2026, 3, 15))
	res := k.mustPost("a", loyalty.Posting{Kind: loyalty.PostRedeem, Points: lpts("170")})
	want := []loyalty.Draw{{Lot: soon, Points: lpts("-50")}, {Lot: late, Points: lpts("-100")}, {Lot: never, Points: lpts("-20")}}
	same(t, want, res.Entries[0].Draws, "contract: redemption takes the soonest-expiring lots first and non-expiring last")
	st := k.state("a")
	require.Len(t, st.Lots, 3)
	assert.Equal(t, []int64{soon, late, never}, []int64{st.Lots[0].ID, st.Lots[1].ID, st.Lots[2].ID}, "contract: Lots lists lots in redemption order")
	invariants(t, st, "after a redemption over three lots")
}

// loyaltyManyLots gives an account 300 lots — some spent, some past
// their expiry but not yet written off, some earned after the day of the
// postings, some never expiring — and checks that redemptions small and
// large, a refused one, a cancellation whose points were spent and an
// expiry run each write what loyalty.Apply decides when given every lot.
func loyaltyManyLots(t *testing.T, k *loyaltyKit) {
	k.account("a")
	for i := range 300 {
		p := loyalty.Posting{Kind: loyalty.PostEarn, Source: loyalty.SourceWelcome, Points: lpts(fmt.Sprint(1 + i%7)),
			Date: lday.AddDays(i % 40)}
		switch i % 5 {
		case 0: // never expires
		case 1:
			p.Expires = p.Date // expires the day earned: past its expiry on most days
		default:
			p.Expires = p.Date.AddDays(30 + i%11)
		}
		if i == 150 {
			p = loyalty.Posting{Kind: loyalty.PostEarn, Source: loyalty.SourcePurchase, Order: "big", Points: lpts("40"),
				Total: lrub("4000"), Paid: lrub("4000"), Qualifying: lrub("4000"), Date: lday, Expires: lday.AddDays(35)}
		}
		k.mustPost("a", p)
	}
	on := lday.AddDays(20)
	check := func(what string, p loyalty.Posting) {
		t.Helper()
		before := k.state("a")
		p = k.posting("a", p)
		p.Date = on
		want, werr := loyalty.Apply(k.fullState(before, p), p)
		got, err := k.s.Post(k.ctx, p)
		if werr != nil {
			require.Errorf(t, err, "contract: Post refuses what Apply refuses given every lot — %s", what)
			assert.Equal(t, werr.Error(), err.Error(), "contract: Post refuses as Apply does given every lot — %s", what)
			same(t, before, k.state("a"), "contract: a failed posting writes nothing — "+what)
			return
		}
		require.NoErrorf(t, err, "contract: Post posts what Apply posts given every lot — %s", what)
		same(t, want.Result.Entries, got.Entries, "contract: Post writes what Apply decides given every lot — "+what)
		invariants(t, k.state("a"), what)
	}
	check("a redemption of 1 point", loyalty.Posting{Kind: loyalty.PostRedeem, Points: lpts("1")})
	check("a redemption over many lots", loyalty.Posting{Kind: loyalty.PostRedeem, Points: lpts("250")})
	check("a refused redemption", loyalty.Posting{Kind: loyalty.PostRedeem, Points: lpts("100000")})
	check("a reservation", loyalty.Posting{Kind: loyalty.PostReserve, Order: "r1", Points: lpts("37")})
	check("a release", loyalty.Posting{Kind: loyalty.PostRelease, Order: "r1"})
	check("a redemption of all but 20 usable points", loyalty.Posting{Kind: loyalty.PostRedeem, Points: usableLess(t, k, on, "20")})
	check("a cancellation of spent points", loyalty.Posting{Kind: loyalty.PostCancel, Order: "big", Shortfall: loyalty.ShortfallDebt})
	check("an expiry run", loyalty.Posting{Kind: loyalty.PostExpire})
	check("a deduction", loyalty.Posting{Kind: loyalty.PostAdjust, Points: lpts("-3")})
}

// usableLess returns the points usable on day less less.
func usableLess(t *testing.T, k *loyaltyKit, day loyalty.Date, less string) decimal.Decimal {
	t.Helper()
	b, err := k.s.Balance(k.ctx, "a", loyalty.BalanceQuery{AsOf: day})
	require.NoError(t, err)
	return b.Available.Sub(lpts(less))
}

// fullState is the State of an account with every lot, its order's
// entries and reservation, and what is available worked out by
// loyalty.Summarise: what Apply is given by a store that hands it
// everything. st is the account read back.
func (k *loyaltyKit) fullState(st ledgerState, p loyalty.Posting) loyalty.State {
	k.t.Helper()
	s := loyalty.State{Account: st.Account, Lots: st.Lots}
	s.Available = loyalty.Summarise(st.Account, st.Lots, loyalty.BalanceQuery{AsOf: p.Date}).Available
	if p.Order != "" {
		for _, e := range st.Entries {
			if e.Order == p.Order {
				s.OrderEntries = append(s.OrderEntries, e)
			}
		}
		r, err := k.s.Reservation(k.ctx, p.Account, p.Order)
		switch {
		case err == nil:
			s.Reservation = &r
		case !errors.Is(err, store.ErrNotFound):
			require.NoError(k.t, err, "setup: Reservation failed")
		}
	}
	return s
}

func loyaltyExpireTwice(t *testing.T, k *loyaltyKit) {
	k.account("a")
	k.credit("a", "30", loyalty.MustDate(2026, 3, 10))
	k.credit("a", "5", loyalty.Date{})
	res := k.mustPost("a", loyalty.Posting{Kind: loyalty.PostExpire, Date: loyalty.MustDate(2026, 3, 11)})
	require.Len(t, res.Entries, 1, "an expiry run after the expiry day writes an expire entry")
	before := k.state("a")
	res = k.mustPost("a", loyalty.Posting{Kind: loyalty.PostExpire, Date: loyalty.MustDate(2026, 3, 11)})
	assert.Empty(t, res.Entries, "contract: expiring twice changes nothing")
	same(t, before, k.state("a"), "contract: expiring twice changes nothing")
	invariants(t, before, "after expiry")
}

func loyaltyReservations(t *testing.T, k *loyaltyKit) {
	k.account("a")
	k.credit("a", "100", loyalty.Date{})
	k.mustPost("a", loyalty.Posting{Kind: loyalty.PostReserve, Order: "o1", Points: lpts("40")})
	r, err := k.s.Reservation(k.ctx, "a", "o1")
	require.NoError(t, err, "contract: a reservation can be read")
	assert.Equal(t, loyalty.ReservationOpen, r.Status)
	assert.True(t, lpts("40").Equal(r.Points))
	invariants(t, k.state("a"), "after a reservation")
	k.mustPost("a", loyalty.Posting{Kind: loyalty.PostCapture, Order: "o1", Points: lpts("25")})
	r, err = k.s.Reservation(k.ctx, "a", "o1")
	require.NoError(t, err)
	assert.Equal(t, loyalty.ReservationCaptured, r.Status, "contract: a capture is stored on the reservation")
	assert.True(t, lpts("25").Equal(r.Captured))
	st := k.state("a")
	assert.Truef(t, lpts("75").Equal(st.Account.Balance), "a capture of 25 of 40 spends 25 — balance %s", st.Account.Balance)
	invariants(t, st, "after a capture")
}

func loyaltyReturnState(t *testing.T, k *loyaltyKit) {
	k.account("a")
	seed := k.credit("a", "100", loyalty.Date{})
	k.mustPost("a", loyalty.Posting{Kind: loyalty.PostRedeem, Order: "o1", Points: lpts("100")}) // empties the seed lot
	k.purchase("a", "o1", "10", "1000")
	k.mustPost("a", loyalty.Posting{Kind: loyalty.PostRedeem, Points: lpts("10")}) // empties the order's lot
	res, err := k.post("a", loyalty.Posting{Kind: loyalty.PostCancel, Order: "o1", Shortfall: loyalty.ShortfallDebt})
	require.NoError(t, err, "contract: Post gives Apply every lot the order's entries drew on or created, emptied ones included")
	require.Len(t, res.Entries, 2)
	same(t, []loyalty.Draw{{Lot: seed, Points: lpts("100")}}, res.Entries[0].Draws, "the redeemed points go back to their lot")
	st := k.state("a")
	assert.Truef(t, lpts("90").Equal(st.Account.Balance), "balance %s", st.Account.Balance)
	invariants(t, st, "after a cancellation")
}

func loyaltyCopies(t *testing.T, k *loyaltyKit) {
	k.account("a")
	k.credit("a", "30", loyalty.Date{})
	k.credit("a", "30", loyalty.Date{})
	res := k.mustPost("a", loyalty.Posting{Kind: loyalty.PostRedeem, Points: lpts("40")})
	before := k.state("a")
	res.Entries[0].Draws[0].Lot = 999
	for i := range before.Entries {
		before.Entries[i].Draws = append(before.Entries[i].Draws, loyalty.Draw{Lot: 7})
	}
	after := k.state("a")
	for _, e := range after.Entries {
		for _, d := range e.Draws {
			assert.NotEqual(t, int64(999), d.Lot, "contract: the store keeps its own copy — changing a returned Result changed the ledger")
			assert.NotEqual(t, int64(7), d.Lot, "contract: the store keeps its own copy — changing a listed entry changed the ledger")
		}
	}
	again, err := k.s.Post(k.ctx, k.posting("a", loyalty.Posting{Key: res.Entries[0].Key, Fingerprint: loyalty.Fingerprint(res.Entries[0].Key, string(loyalty.PostRedeem), "", "40"), Kind: loyalty.PostRedeem, Points: lpts("40")}))
	require.NoError(t, err)
	assert.NotEqual(t, int64(999), again.Entries[0].Draws[0].Lot, "contract: the store keeps its own copy of a posting's result")
}

func loyaltyQualifying(t *testing.T, k *loyaltyKit) {
	k.account("a")
	for i, d := range []loyalty.Date{loyalty.MustDate(2025, 12, 31), loyalty.MustDate(2026, 1, 1), loyalty.MustDate(2026, 2, 1)} {
		k.mustPost("a", loyalty.Posting{
			Kind: loyalty.PostEarn, Source: loyalty.SourcePurchase, Order: fmt.Sprint("o", i), Date: d, Points: lpts("10"),
			Total: lrub("1000"), Paid: lrub("1000"), Qualifying: lrub("1000"), TierPoints: lpts("10"),
		})
	}
	k.mustPost("a", loyalty.Posting{Kind: loyalty.PostReturn, Order: "o2", Total: lrub("400"), Date: loyalty.MustDate(2026, 2, 2)})
	q, err := k.s.Qualifying(k.ctx, "a", loyalty.MustDate(2026, 1, 1), loyalty.MustDate(2026, 12, 31))
	require.NoError(t, err)
	assert.Truef(t, lrub("1600").Equal(q.Spend), "contract: Qualifying sums the window's purchases less returns — spend %s, want 1600", q.Spend)
	assert.Truef(t, lpts("16").Equal(q.Points), "contract: Qualifying sums the window's points — %s, want 16", q.Points)
	q, err = k.s.Qualifying(k.ctx, "a", loyalty.Date{}, loyalty.MustDate(2026, 1, 1))
	require.NoError(t, err)
	assert.Truef(t, lrub("2000").Equal(q.Spend), "contract: a zero from has no lower bound and to is inclusive — spend %s, want 2000", q.Spend)

	// A return counts on its purchase's day (Entry.MetricDate), from the
	// day it is posted: last year's purchase returned this year lowers
	// last year's window, not this year's.
	k.mustPost("a", loyalty.Posting{Kind: loyalty.PostReturn, Order: "o0", Total: lrub("1000"), Date: loyalty.MustDate(2026, 3, 1)})
	q, err = k.s.Qualifying(k.ctx, "a", loyalty.MustDate(2026, 1, 1), loyalty.MustDate(2026, 12, 31))
	require.NoError(t, err)
	assert.Truef(t, lrub("1600").Equal(q.Spend),
		"contract: a return counts on its purchase's day — this year's spend %s after returning last year's order, want 1600", q.Spend)
	q, err = k.s.Qualifying(k.ctx, "a", loyalty.MustDate(2025, 1, 1), loyalty.MustDate(2026, 2, 28))
	require.NoError(t, err)
	assert.Truef(t, lrub("2600").Equal(q.Spend),
		"contract: Qualifying counts only entries posted by to — spend %s before the return was posted, want 2600", q.Spend)
	q, err = k.s.Qualifying(k.ctx, "a", loyalty.MustDate(2025, 1, 1), loyalty.MustDate(2026, 3, 1))
	require.NoError(t, err)
	assert.Truef(t, lrub("1600").Equal(q.Spend),
		"contract: a return counts on its purchase's day — spend %s since 2025 once the return is posted, want 1600", q.Spend)
}

func loyaltyListings(t *testing.T, k *loyaltyKit) {
	for _, id := range []string{"c", "a", "e", "b", "d"} {
		a := loyalty.Account{ID: id, Programme: "p", Opened: lday}
		if id == "b" || id == "d" {
			a.Programme = "q"
		}
		require.NoError(t, k.s.CreateAccount(k.ctx, a))
	}
	ids := func(f loyalty.AccountFilter) []string {
		var out []string
		for a, err := range k.s.Accounts(k.ctx, f) {
			require.NoError(t, err)
			out = append(out, a.ID)
		}
		return out
	}
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, ids(loyalty.AccountFilter{}), "contract: Accounts lists by id")
	assert.Equal(t, []string{"a", "c", "e"}, ids(loyalty.AccountFilter{Programme: "p"}), "contract: Accounts keeps the filter's programme")
	assert.Equal(t, []string{"c", "e"}, ids(loyalty.AccountFilter{Programme: "p", After: "a"}), "contract: Accounts resumes after an id")
	assert.Equal(t, []string{"b", "c"}, ids(loyalty.AccountFilter{After: "a", Limit: 2}), "contract: Accounts stops at Limit")

	for range 300 {
		k.credit("a", "1", loyalty.Date{})
	}
	var seqs []int64
	for e, err := range k.s.Entries(k.ctx, "a", 295) {
		require.NoError(t, err)
		seqs = append(seqs, e.Seq)
	}
	assert.Equal(t, []int64{296, 297, 298, 299, 300}, seqs, "contract: Entries resumes after a sequence number")
	n := 0
	for range k.s.Entries(k.ctx, "a", 0) {
		n++
		if n == 3 {
			break
		}
	}
	assert.Equal(t, 3, n, "contract: a listing stops when the caller breaks out of the loop")
}

func loyaltyCancelled(t *testing.T, k *loyaltyKit) {
	k.account("a")
	k.credit("a", "10", loyalty.Date{})
	before := k.state("a")
	ctx, cancel := context.WithCancel(k.ctx)
	cancel()
	_, err := k.s.Post(ctx, k.posting("a", loyalty.Posting{Kind: loyalty.PostRedeem, Points: lpts("1")}))
	require.ErrorIs(t, err, context.Canceled, "contract: methods honour cancellation — Post")
	require.ErrorIs(t, k.s.CreateAccount(ctx, loyalty.Account{ID: "z", Programme: "p"}), context.Canceled, "contract: methods honour cancellation — CreateAccount")
	_, err = k.s.Account(ctx, "a")
	require.ErrorIs(t, err, context.Canceled, "contract: methods honour cancellation — Account")
	_, err = k.s.Balance(ctx, "a", loyalty.BalanceQuery{AsOf: lday})
	require.ErrorIs(t, err, context.Canceled, "contract: methods honour cancellation — Balance")
	_, err = store.Collect(k.s.Entries(ctx, "a", 0))
	require.ErrorIs(t, err, context.Canceled, "contract: methods honour cancellation — Entries")
	_, err = store.Collect(k.s.Accounts(ctx, loyalty.AccountFilter{}))
	require.ErrorIs(t, err, context.Canceled, "contract: methods honour cancellation — Accounts")
	same(t, before, k.state("a"), "contract: a cancelled write writes nothing")
	_, err = k.s.Account(k.ctx, "z")
	require.ErrorIs(t, err, store.ErrNotFound, "contract: a cancelled CreateAccount writes nothing")
}

func loyaltyRandom(t *testing.T, k *loyaltyKit) {
	var accounts atomic.Int64
	rapid.Check(t, func(rt *rapid.T) {
		acct := fmt.Sprint("r", accounts.Add(1))
		require.NoError(rt, k.s.CreateAccount(k.ctx, loyalty.Account{ID: acct, Programme: "p", Opened: lday}))
		orders := []string{"o0"}
		for i := range rapid.IntRange(1, 30).Draw(rt, "steps") {
			points := decimal.NewFromInt(rapid.Int64Range(1, 300).Draw(rt, "points"))
			date := lday.AddDays(rapid.IntRange(0, 60).Draw(rt, "day"))
			order := rapid.SampledFrom(orders).Draw(rt, "order")
			var p loyalty.Posting
			switch rapid.IntRange(0, 8).Draw(rt, "kind") {
			case 0:
				order = fmt.Sprint("o", len(orders))
				orders = append(orders, order)
				total := lrub(fmt.Sprint(points.IntPart() * 100))
				p = loyalty.Posting{Kind: loyalty.PostEarn, Source: loyalty.SourcePurchase, Order: order, Points: points, Total: total, Paid: total, Qualifying: total, Expires: date.AddDays(20)}
			case 1:
				p = loyalty.Posting{Kind: loyalty.PostEarn, Source: loyalty.SourceWelcome, Points: points}
			case 2:
				p = loyalty.Posting{Kind: loyalty.PostRedeem, Order: order, Points: points}
			case 3:
				p = loyalty.Posting{Kind: loyalty.PostReserve, Order: order, Points: points}
			case 4:
				p = loyalty.Posting{Kind: loyalty.PostCapture, Order: order, Points: points}
			case 5:
				p = loyalty.Posting{Kind: loyalty.PostRelease, Order: order}
			case 6:
				p = loyalty.Posting{Kind: loyalty.PostExpire}
			case 7:
				p = loyalty.Posting{Kind: loyalty.PostReturn, Order: order, Total: lrub(fmt.Sprint(points.IntPart() * 10)),
					Shortfall: rapid.SampledFrom([]loyalty.Shortfall{loyalty.ShortfallForgive, loyalty.ShortfallDebt, loyalty.ShortfallRefuse}).Draw(rt, "shortfall")}
			case 8:
				p = loyalty.Posting{Kind: loyalty.PostAdjust, Points: points.Neg()}
			}
			p.Date = date
			p = k.posting(acct, p)
			before := k.state(acct)
			want, werr := loyalty.Apply(k.fullState(before, p), p)
			got, err := k.s.Post(k.ctx, p)
			if err != nil && !errors.Is(err, loyalty.ErrInsufficientPoints) && !errors.Is(err, loyalty.ErrRefused) && !errors.Is(err, loyalty.ErrInvalid) {
				rt.Fatalf("step %d: %v", i, err)
			}
			switch {
			case (err == nil) != (werr == nil):
				rt.Fatalf("contract: Post decides as Apply given every lot — step %d (%s): Post %v, Apply %v", i, p.Kind, err, werr)
			case err == nil && !same(rt, want.Result.Entries, got.Entries, "contract: Post writes what Apply decides given every lot — step %d (%s)", i, p.Kind):
				rt.FailNow()
			}
			if !invariants(rt, k.state(acct), fmt.Sprintf("after step %d (%s)", i, p.Kind)) {
				rt.FailNow()
			}
		}
	})
}
