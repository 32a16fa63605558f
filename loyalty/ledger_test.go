package loyalty_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// ledger drives the memory store with raw postings, as a host with its
// own rules would.
type ledger struct {
	t    *testing.T
	st   *memory.Store
	acct string
	n    int
	day  loyalty.Date
}

func newLedger(t *testing.T) *ledger {
	st := memory.New()
	require.NoError(t, st.CreateAccount(t.Context(), loyalty.Account{ID: "a", Programme: "p", Opened: day(2026, 3, 1)}))
	return &ledger{t: t, st: st, acct: "a", day: day(2026, 3, 1)}
}

// post fills in what the test leaves out: account, a fresh key, a
// fingerprint, the ledger's day.
func (l *ledger) post(p loyalty.Posting) (loyalty.Result, error) {
	l.n++
	if p.Account == "" {
		p.Account = l.acct
	}
	if p.Key == "" {
		p.Key = fmt.Sprintf("k%d", l.n)
	}
	if p.Fingerprint == "" {
		p.Fingerprint = loyalty.Fingerprint(p.Key)
	}
	if p.Date.IsZero() {
		p.Date = l.day
	}
	p.At = p.Date.Start(time.UTC)
	return l.st.Post(l.t.Context(), p)
}

func (l *ledger) must(p loyalty.Posting) loyalty.Result {
	l.t.Helper()
	res, err := l.post(p)
	require.NoError(l.t, err)
	l.check()
	return res
}

// lot credits points earned on the ledger's day and returns the lot id.
func (l *ledger) lot(points string, expires loyalty.Date) int64 {
	l.t.Helper()
	res := l.must(loyalty.Posting{Kind: loyalty.PostEarn, Source: loyalty.SourceWelcome, Points: pts(points), Expires: expires})
	return res.Entries[0].Lot
}

func (l *ledger) check() {
	l.t.Helper()
	a, err := l.st.Account(l.t.Context(), l.acct)
	require.NoError(l.t, err)
	es, err := store.Collect(l.st.Entries(l.t.Context(), l.acct, 0))
	require.NoError(l.t, err)
	lots, err := store.Collect(l.st.Lots(l.t.Context(), l.acct))
	require.NoError(l.t, err)
	checkLedger(l.t, a, es, lots)
}

func (l *ledger) remaining() map[int64]string {
	l.t.Helper()
	lots, err := store.Collect(l.st.Lots(l.t.Context(), l.acct))
	require.NoError(l.t, err)
	out := map[int64]string{}
	for _, x := range lots {
		out[x.ID] = loyalty.FormatPoints(x.Remaining)
	}
	return out
}

func draws(ds []loyalty.Draw) string {
	s := ""
	for _, d := range ds {
		s += fmt.Sprintf("%d:%s ", d.Lot, loyalty.FormatPoints(d.Points))
	}
	return s
}

func TestRedemptionTakesSoonestExpiryFirst(t *testing.T) {
	l := newLedger(t)
	a := l.lot("100", day(2026, 4, 1))
	never := l.lot("200", loyalty.Date{})
	l.day = day(2026, 3, 2)
	b := l.lot("50", day(2026, 3, 15))
	l.day = day(2026, 3, 10)

	res := l.must(loyalty.Posting{Kind: loyalty.PostRedeem, Points: pts("120")})
	require.Len(t, res.Entries, 1)
	assert.Equal(t, loyalty.EntryRedeem, res.Entries[0].Kind)
	assert.Equal(t, fmt.Sprintf("%d:-50 %d:-70 ", b, a), draws(res.Entries[0].Draws))
	res = l.must(loyalty.Posting{Kind: loyalty.PostRedeem, Points: pts("100")})
	assert.Equal(t, fmt.Sprintf("%d:-30 %d:-70 ", a, never), draws(res.Entries[0].Draws), "non-expiring lots last")
	assert.Equal(t, map[int64]string{a: "0", b: "0", never: "130"}, l.remaining())
	equalDec(t, "130", res.Account.Balance)
}

func TestPointsUsableThroughTheExpiryDay(t *testing.T) {
	l := newLedger(t)
	l.lot("10", day(2026, 3, 15))
	l.day = day(2026, 3, 16)
	_, err := l.post(loyalty.Posting{Kind: loyalty.PostRedeem, Points: pts("10")})
	var pe *loyalty.PointsError
	require.ErrorAs(t, err, &pe)
	equalDec(t, "0", pe.Available)
	l.day = day(2026, 3, 15)
	l.must(loyalty.Posting{Kind: loyalty.PostRedeem, Points: pts("10")})
}

func TestFailedPostingWritesNothing(t *testing.T) {
	l := newLedger(t)
	l.lot("100", loyalty.Date{})
	before := l.remaining()
	acct, _ := l.st.Account(t.Context(), "a")

	_, err := l.post(loyalty.Posting{Key: "r", Kind: loyalty.PostRedeem, Points: pts("101")})
	require.ErrorIs(t, err, loyalty.ErrInsufficientPoints)
	var pe *loyalty.PointsError
	require.ErrorAs(t, err, &pe)
	equalDec(t, "101", pe.Requested)
	equalDec(t, "100", pe.Available)
	assert.Equal(t, "insufficient_points", pe.Code())
	assert.Contains(t, pe.Message("ru"), "100\u00a0баллов")

	after, _ := l.st.Account(t.Context(), "a")
	assert.Equal(t, acct, after)
	assert.Equal(t, before, l.remaining())
	// The key was not remembered: the same key with other content posts.
	l.must(loyalty.Posting{Key: "r", Kind: loyalty.PostRedeem, Points: pts("40")})
}

func TestRepeatedKey(t *testing.T) {
	l := newLedger(t)
	l.lot("100", loyalty.Date{})
	p := loyalty.Posting{Key: "once", Fingerprint: "f1", Kind: loyalty.PostRedeem, Points: pts("30")}
	first := l.must(p)
	again := l.must(p)
	assert.True(t, again.Replayed)
	assert.False(t, first.Replayed)
	assert.Equal(t, first.Entries, again.Entries)
	equalDec(t, "70", l.remainingAccount().Balance)

	p.Fingerprint, p.Points = "f2", pts("31")
	_, err := l.post(p)
	require.ErrorIs(t, err, loyalty.ErrKeyReused)
	require.ErrorIs(t, err, store.ErrDuplicate)
	var ke *loyalty.KeyReuseError
	require.ErrorAs(t, err, &ke)
	assert.Equal(t, "key_reused", ke.Code())
	equalDec(t, "70", l.remainingAccount().Balance)
}

func (l *ledger) remainingAccount() loyalty.Account {
	a, err := l.st.Account(l.t.Context(), l.acct)
	require.NoError(l.t, err)
	return a
}

func TestExpireIsIdempotent(t *testing.T) {
	l := newLedger(t)
	a := l.lot("100", day(2026, 3, 15))
	b := l.lot("50", day(2026, 3, 20))
	l.lot("7", loyalty.Date{})
	l.day = day(2026, 3, 10)
	l.must(loyalty.Posting{Kind: loyalty.PostRedeem, Points: pts("30")})

	res := l.must(loyalty.Posting{Kind: loyalty.PostExpire, Date: day(2026, 3, 16)})
	require.Len(t, res.Entries, 1)
	assert.Equal(t, loyalty.EntryExpire, res.Entries[0].Kind)
	equalDec(t, "-70", res.Entries[0].Points)
	assert.Equal(t, fmt.Sprintf("%d:-70 ", a), draws(res.Entries[0].Draws))

	res = l.must(loyalty.Posting{Kind: loyalty.PostExpire, Date: day(2026, 3, 16)})
	assert.Empty(t, res.Entries, "expiring twice changes nothing")
	assert.Equal(t, res.Account.Version, l.remainingAccount().Version)
	res = l.must(loyalty.Posting{Kind: loyalty.PostExpire, Date: day(2026, 3, 20)})
	assert.Empty(t, res.Entries, "20 March is still usable")
	res = l.must(loyalty.Posting{Kind: loyalty.PostExpire, Date: day(2026, 3, 21)})
	assert.Equal(t, fmt.Sprintf("%d:-50 ", b), draws(res.Entries[0].Draws))
	equalDec(t, "7", res.Account.Balance)
	lots, _ := store.Collect(l.st.Lots(t.Context(), "a"))
	for _, x := range lots {
		if x.ID == a {
			equalDec(t, "70", x.Expired)
		}
	}
}

func TestReserveCaptureRelease(t *testing.T) {
	l := newLedger(t)
	a := l.lot("100", day(2026, 4, 1))
	b := l.lot("50", day(2026, 3, 15))
	l.day = day(2026, 3, 10)

	res := l.must(loyalty.Posting{Kind: loyalty.PostReserve, Order: "o1", Points: pts("120")})
	e := res.Entries[0]
	assert.Equal(t, loyalty.EntryReserve, e.Kind)
	equalDec(t, "0", e.Points)
	equalDec(t, "120", e.Reserved)
	assert.Equal(t, fmt.Sprintf("%d:-50 %d:-70 ", b, a), draws(e.Draws))
	equalDec(t, "150", res.Account.Balance, "reserved points are still the client's")
	bal, err := l.st.Balance(t.Context(), "a", loyalty.BalanceQuery{AsOf: l.day})
	require.NoError(t, err)
	equalDec(t, "30", bal.Available)
	equalDec(t, "120", bal.Reserved)

	_, err = l.post(loyalty.Posting{Kind: loyalty.PostReserve, Order: "o1", Points: pts("1")})
	assert.ErrorIs(t, err, loyalty.ErrRefused)
	_, err = l.post(loyalty.Posting{Kind: loyalty.PostCapture, Order: "o1", Points: pts("121")})
	var v *loyalty.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, loyalty.ReasonExceeds, v.Reason)

	res = l.must(loyalty.Posting{Kind: loyalty.PostCapture, Order: "o1", Points: pts("100")})
	require.Len(t, res.Entries, 2)
	assert.Equal(t, loyalty.EntryRedeem, res.Entries[0].Kind)
	equalDec(t, "-100", res.Entries[0].Points)
	equalDec(t, "-100", res.Entries[0].Reserved)
	assert.Equal(t, loyalty.EntryRelease, res.Entries[1].Kind)
	equalDec(t, "-20", res.Entries[1].Reserved)
	assert.Equal(t, fmt.Sprintf("%d:20 ", a), draws(res.Entries[1].Draws), "the latest-expiring draw comes back")
	equalDec(t, "50", res.Account.Balance)
	assert.Equal(t, map[int64]string{a: "50", b: "0"}, l.remaining())

	r, err := l.st.Reservation(t.Context(), "a", "o1")
	require.NoError(t, err)
	assert.Equal(t, loyalty.ReservationCaptured, r.Status)
	equalDec(t, "100", r.Captured)
	assert.Equal(t, fmt.Sprintf("%d:-50 %d:-50 ", b, a), draws(r.CapturedDraws))

	_, err = l.post(loyalty.Posting{Kind: loyalty.PostRelease, Order: "o1"})
	var re *loyalty.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleReservationClosed, re.Rule)
	_, err = l.post(loyalty.Posting{Kind: loyalty.PostCapture, Order: "nope", Points: pts("1")})
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleNoReservation, re.Rule)
}

func TestReleasedPointsAreNeverRevived(t *testing.T) {
	l := newLedger(t)
	b := l.lot("50", day(2026, 3, 15))
	a := l.lot("10", loyalty.Date{})
	l.day = day(2026, 3, 10)
	l.must(loyalty.Posting{Kind: loyalty.PostReserve, Order: "o1", Points: pts("60")})
	l.day = day(2026, 3, 20)
	res := l.must(loyalty.Posting{Kind: loyalty.PostRelease, Order: "o1"})
	require.Len(t, res.Entries, 2)
	assert.Equal(t, loyalty.EntryRelease, res.Entries[0].Kind)
	assert.Equal(t, fmt.Sprintf("%d:10 %d:50 ", a, b), draws(res.Entries[0].Draws))
	assert.Equal(t, loyalty.EntryExpire, res.Entries[1].Kind)
	equalDec(t, "-50", res.Entries[1].Points)
	equalDec(t, "10", res.Account.Balance)
	assert.Equal(t, map[int64]string{a: "10", b: "0"}, l.remaining())
}

func TestAdjust(t *testing.T) {
	l := newLedger(t)
	res := l.must(loyalty.Posting{Kind: loyalty.PostAdjust, Points: pts("25"), Note: "goodwill"})
	assert.Equal(t, loyalty.EntryAdjust, res.Entries[0].Kind)
	assert.NotZero(t, res.Entries[0].Lot)
	_, err := l.post(loyalty.Posting{Kind: loyalty.PostAdjust, Points: pts("-30")})
	require.ErrorIs(t, err, loyalty.ErrInsufficientPoints)
	res = l.must(loyalty.Posting{Kind: loyalty.PostAdjust, Points: pts("-20")})
	equalDec(t, "5", res.Account.Balance)
}

func TestIfVersion(t *testing.T) {
	l := newLedger(t)
	l.lot("100", loyalty.Date{})
	v := l.remainingAccount().Version
	_, err := l.post(loyalty.Posting{Kind: loyalty.PostRedeem, Points: pts("1"), IfVersion: v - 1})
	require.ErrorIs(t, err, store.ErrConflict)
	l.must(loyalty.Posting{Kind: loyalty.PostRedeem, Points: pts("1"), IfVersion: v})
	assert.Equal(t, v+1, l.remainingAccount().Version)
}

func TestTierPosting(t *testing.T) {
	l := newLedger(t)
	res := l.must(loyalty.Posting{Kind: loyalty.PostTier, Tier: "gold"})
	require.Len(t, res.Entries, 1)
	assert.Equal(t, loyalty.EntryTier, res.Entries[0].Kind)
	assert.Equal(t, "gold", res.Entries[0].TierTo)
	assert.Equal(t, "gold", res.Account.Tier)
	assert.Equal(t, l.day, res.Account.TierSince)
	res = l.must(loyalty.Posting{Kind: loyalty.PostTier, Tier: "gold"})
	assert.Empty(t, res.Entries)
}

func TestPurchaseEarnsOnce(t *testing.T) {
	l := newLedger(t)
	p := loyalty.Posting{Kind: loyalty.PostEarn, Source: loyalty.SourcePurchase, Order: "o1", Points: pts("5"), Total: rub("500"), Paid: rub("500")}
	res := l.must(p)
	assert.Equal(t, 1, res.Account.PaidOrders)
	_, err := l.post(p)
	var re *loyalty.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleOrderEarned, re.Rule)
}

func TestPostingValidate(t *testing.T) {
	ok := loyalty.Posting{Account: "a", Key: "k", Fingerprint: "f", Kind: loyalty.PostRedeem, Date: day(2026, 3, 1), Points: pts("1")}
	require.NoError(t, ok.Validate())
	cases := []struct {
		name   string
		change func(*loyalty.Posting)
		field  string
		reason loyalty.Reason
	}{
		{"no account", func(p *loyalty.Posting) { p.Account = "" }, "account", loyalty.ReasonRequired},
		{"no key", func(p *loyalty.Posting) { p.Key = "" }, "key", loyalty.ReasonRequired},
		{"no fingerprint", func(p *loyalty.Posting) { p.Fingerprint = "" }, "fingerprint", loyalty.ReasonRequired},
		{"no date", func(p *loyalty.Posting) { p.Date = loyalty.Date{} }, "date", loyalty.ReasonRequired},
		{"no kind", func(p *loyalty.Posting) { p.Kind = "" }, "kind", loyalty.ReasonRequired},
		{"unknown kind", func(p *loyalty.Posting) { p.Kind = "gift" }, "kind", loyalty.ReasonUnknownValue},
		{"fractional points in a whole programme", func(p *loyalty.Posting) { p.Points = pts("1.5") }, "points", loyalty.ReasonPrecision},
		{"too many places", func(p *loyalty.Posting) { p.Places = 9 }, "places", loyalty.ReasonRange},
		{"zero redemption", func(p *loyalty.Posting) { p.Points = pts("0") }, "points", loyalty.ReasonNotPositive},
		{"negative redemption", func(p *loyalty.Posting) { p.Points = pts("-1") }, "points", loyalty.ReasonNotPositive},
		{"reserve without order", func(p *loyalty.Posting) { p.Kind = loyalty.PostReserve }, "order", loyalty.ReasonRequired},
		{"return of nothing", func(p *loyalty.Posting) { p.Kind, p.Order = loyalty.PostReturn, "o" }, "total", loyalty.ReasonNotPositive},
		{"purchase without order", func(p *loyalty.Posting) { p.Kind, p.Source = loyalty.PostEarn, loyalty.SourcePurchase }, "order", loyalty.ReasonRequired},
		{"earn without source", func(p *loyalty.Posting) { p.Kind = loyalty.PostEarn }, "source", loyalty.ReasonUnknownValue},
		{"bonus carrying amounts", func(p *loyalty.Posting) {
			p.Kind, p.Source, p.Total = loyalty.PostEarn, loyalty.SourceWelcome, rub("1")
		}, "source", loyalty.ReasonConflict},
		{"paid above total", func(p *loyalty.Posting) {
			p.Kind, p.Source, p.Order, p.Total, p.Paid = loyalty.PostEarn, loyalty.SourcePurchase, "o", rub("1"), rub("2")
		}, "paid", loyalty.ReasonExceeds},
		{"expiry before earning", func(p *loyalty.Posting) {
			p.Kind, p.Source, p.Expires = loyalty.PostEarn, loyalty.SourceWelcome, day(2026, 2, 28)
		}, "expires", loyalty.ReasonConflict},
		{"zero adjustment", func(p *loyalty.Posting) { p.Kind, p.Points = loyalty.PostAdjust, pts("0") }, "points", loyalty.ReasonNotPositive},
		{"tier on a redemption", func(p *loyalty.Posting) { p.Tier = "gold" }, "tier", loyalty.ReasonConflict},
		{"unknown shortfall", func(p *loyalty.Posting) { p.Shortfall = "maybe" }, "shortfall", loyalty.ReasonUnknownValue},
		{"negative version", func(p *loyalty.Posting) { p.IfVersion = -1 }, "if_version", loyalty.ReasonNegative},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ok
			c.change(&p)
			err := p.Validate()
			var v *loyalty.ValidationError
			require.True(t, errors.As(err, &v), "%v", err)
			assert.Equal(t, c.field, v.Field, v.Error())
			assert.Equal(t, c.reason, v.Reason, v.Error())
		})
	}
}

// Apply reads its state and never changes it, whatever the posting.
func TestApplyLeavesItsInputAlone(t *testing.T) {
	base := func() loyalty.State {
		return loyalty.State{
			Account: loyalty.Account{ID: "a", Balance: pts("160"), Reserved: pts("30"), Debt: pts("5"), LastSeq: 6, Version: 6},
			Lots: []loyalty.Lot{
				{ID: 2, Earned: day(2026, 1, 1), Expires: day(2026, 3, 1), Points: pts("50"), Remaining: pts("20"), Order: "o1", Source: loyalty.SourcePurchase},
				{ID: 1, Earned: day(2026, 1, 1), Points: pts("120"), Remaining: pts("110")},
			},
			Reservation: &loyalty.Reservation{Order: "o1", Points: pts("30"), Status: loyalty.ReservationOpen,
				Draws: []loyalty.Draw{{Lot: 2, Points: pts("-20")}, {Lot: 1, Points: pts("-10")}}},
			OrderEntries: []loyalty.Entry{
				{Seq: 2, Kind: loyalty.EntryEarn, Source: loyalty.SourcePurchase, Order: "o1", Points: pts("50"), Lot: 2, Total: rub("5000"), Paid: rub("5000"), Qualifying: rub("5000")},
				{Seq: 4, Kind: loyalty.EntryRedeem, Order: "o1", Points: pts("-10"), Draws: []loyalty.Draw{{Lot: 1, Points: pts("-10")}}},
			},
		}
	}
	postings := []loyalty.Posting{
		{Kind: loyalty.PostRedeem, Points: pts("100")},
		{Kind: loyalty.PostEarn, Source: loyalty.SourceWelcome, Points: pts("10"), Tier: "gold"},
		{Kind: loyalty.PostCapture, Order: "o1", Points: pts("10")},
		{Kind: loyalty.PostRelease, Order: "o1"},
		{Kind: loyalty.PostExpire},
		{Kind: loyalty.PostAdjust, Points: pts("-50")},
		{Kind: loyalty.PostReturn, Order: "o1", Total: rub("2500"), Shortfall: loyalty.ShortfallDebt},
		{Kind: loyalty.PostCancel, Order: "o1"},
		{Kind: loyalty.PostTier, Tier: "silver"},
	}
	for _, p := range postings {
		t.Run(string(p.Kind), func(t *testing.T) {
			p.Account, p.Key, p.Fingerprint, p.Date = "a", "k", "f", day(2026, 3, 10)
			s := base()
			_, _ = loyalty.Apply(s, p)
			assert.True(t, reflect.DeepEqual(base(), s), "Apply changed its input")
		})
	}
}
