package loyalty_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/loyalty"
)

// ledgerModel is an account kept whole in memory, for comparing Apply
// given every lot with Apply given only what the posting Needs.
type ledgerModel struct {
	acct         loyalty.Account
	lots         []loyalty.Lot // every lot, in redemption order
	entries      []loyalty.Entry
	reservations map[string]*loyalty.Reservation
}

func (m *ledgerModel) orderEntries(order string) []loyalty.Entry {
	var out []loyalty.Entry
	for _, e := range m.entries {
		if order != "" && e.Order == order {
			out = append(out, e)
		}
	}
	return out
}

// full is the state with every lot, the order's entries and reservation
// whatever the posting, and what is available worked out by Summarise.
func (m *ledgerModel) full(p loyalty.Posting) loyalty.State {
	s := loyalty.State{Account: m.acct, Lots: slices.Clone(m.lots), OrderEntries: m.orderEntries(p.Order)}
	if p.Order != "" {
		s.Reservation = m.reservations[p.Order]
	}
	s.Available = loyalty.Summarise(m.acct, m.lots, loyalty.BalanceQuery{AsOf: p.Date}).Available
	return s
}

// narrow is the state a database store builds: exactly what the posting
// Needs, with the usable lots cut where their running total reaches the
// draw; extra adds lots the contract allows but does not ask for (the
// emptied and unusable lots up to the last one given, and some beyond).
func (m *ledgerModel) narrow(p loyalty.Posting, extra bool) loyalty.State {
	n := p.Needs()
	s := loyalty.State{Account: m.acct}
	if n.Order {
		s.OrderEntries = m.orderEntries(p.Order)
		s.Reservation = m.reservations[p.Order]
	}
	if n.OrderLots {
		for _, id := range loyalty.OrderLotIDs(s.OrderEntries, s.Reservation) {
			i := slices.IndexFunc(m.lots, func(l loyalty.Lot) bool { return l.ID == id })
			if i >= 0 {
				s.OrderLots = append(s.OrderLots, m.lots[i])
			}
		}
		slices.Reverse(s.OrderLots) // any order will do
	}
	if n.Available {
		s.Available = loyalty.Summarise(m.acct, m.lots, loyalty.BalanceQuery{AsOf: p.Date}).Available
	}
	need := n.DrawFor(s.OrderEntries)
	var total decimal.Decimal
	last := -1
	for i, l := range m.lots {
		switch {
		case l.Remaining.Sign() <= 0:
		case n.Expired && l.ExpiredOn(p.Date):
			s.Lots = append(s.Lots, l)
			last = i
		case need.Sign() > 0 && total.LessThan(need) && l.UsableOn(p.Date):
			s.Lots = append(s.Lots, l)
			total = total.Add(l.Remaining)
			last = i
		}
	}
	if extra && last >= 0 {
		// Everything up to the last lot given, and two lots more.
		s.Lots = slices.Clone(m.lots[:min(last+3, len(m.lots))])
	}
	return s
}

// apply writes an outcome into the model.
func (m *ledgerModel) apply(t *rapid.T, out loyalty.Outcome) {
	m.acct = out.Account
	for _, c := range out.Lots {
		if c.New {
			i, _ := slices.BinarySearchFunc(m.lots, c.Lot, loyalty.CompareLots)
			m.lots = slices.Insert(m.lots, i, c.Lot)
			continue
		}
		i, ok := slices.BinarySearchFunc(m.lots, c.Lot, loyalty.CompareLots)
		if !ok {
			t.Fatalf("the outcome changes lot %d, which the account does not have", c.Lot.ID)
		}
		m.lots[i] = c.Lot
	}
	m.entries = append(m.entries, out.Entries...)
	if r := out.Reservation; r != nil {
		m.reservations[r.Order] = r
	}
}

// Given only what a posting Needs — the usable lots up to the draw, the
// lots past their expiry, the lots of its order — Apply decides exactly
// what it decides given every lot, for every kind of posting, and the
// ledger keeps its invariants: the balance is the sum of the entries, no
// lot goes below zero, expiring twice changes nothing.
func TestApplyNeedsOnlyWhatItAsks(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		m := &ledgerModel{acct: loyalty.Account{ID: "a", Version: 1}, reservations: map[string]*loyalty.Reservation{}}
		start := day(2026, 3, 1)
		orders := []string{"o0"}
		for step := range rapid.IntRange(1, 60).Draw(rt, "steps") {
			date := start.AddDays(rapid.IntRange(0, 40).Draw(rt, "day"))
			points := decimal.NewFromInt(rapid.Int64Range(1, 200).Draw(rt, "points"))
			order := rapid.SampledFrom(orders).Draw(rt, "order")
			var expires loyalty.Date
			if life := rapid.IntRange(-1, 20).Draw(rt, "life"); life >= 0 {
				expires = date.AddDays(life)
			}
			p := loyalty.Posting{Account: "a", Key: fmt.Sprint("k", step), Fingerprint: "f", Date: date, Order: order}
			switch rapid.IntRange(0, 10).Draw(rt, "kind") {
			case 0, 1:
				p.Order = fmt.Sprint("o", len(orders))
				orders = append(orders, p.Order)
				total := rub(fmt.Sprint(points.IntPart() * 100))
				p.Kind, p.Source, p.Points, p.Expires = loyalty.PostEarn, loyalty.SourcePurchase, points, expires
				p.Total, p.Paid, p.Qualifying, p.TierPoints = total, total, total, points
			case 2:
				p.Kind, p.Source, p.Points, p.Expires, p.Order = loyalty.PostEarn, loyalty.SourceWelcome, points, expires, ""
			case 3:
				p.Kind, p.Points = loyalty.PostRedeem, points
			case 4:
				p.Kind, p.Points = loyalty.PostReserve, points
			case 5:
				p.Kind, p.Points = loyalty.PostCapture, points
			case 6:
				p.Kind = loyalty.PostRelease
			case 7:
				p.Kind, p.Order = loyalty.PostExpire, ""
			case 8:
				p.Kind, p.Total = loyalty.PostReturn, rub(fmt.Sprint(points.IntPart()*10))
				p.Shortfall = rapid.SampledFrom([]loyalty.Shortfall{loyalty.ShortfallForgive, loyalty.ShortfallDebt, loyalty.ShortfallRefuse}).Draw(rt, "shortfall")
			case 9:
				p.Kind = loyalty.PostCancel
				p.Shortfall = rapid.SampledFrom([]loyalty.Shortfall{loyalty.ShortfallForgive, loyalty.ShortfallDebt, loyalty.ShortfallRefuse}).Draw(rt, "shortfall")
			case 10:
				p.Kind, p.Points, p.Order = loyalty.PostAdjust, points.Neg(), ""
			}
			want, werr := loyalty.Apply(m.full(p), p)
			for _, extra := range []bool{false, true} {
				got, err := loyalty.Apply(m.narrow(p, extra), p)
				if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
					rt.Fatalf("step %d (%s, extra %v): given every lot: %v; given what it needs: %v", step, p.Kind, extra, werr, err)
				}
				if !reflect.DeepEqual(want, got) {
					rt.Fatalf("step %d (%s, extra %v): outcomes differ:\nevery lot:  %+v\nwhat it needs: %+v", step, p.Kind, extra, want, got)
				}
			}
			if werr != nil {
				if !errors.Is(werr, loyalty.ErrInvalid) && !errors.Is(werr, loyalty.ErrRefused) && !errors.Is(werr, loyalty.ErrInsufficientPoints) {
					rt.Fatalf("step %d: %v", step, werr)
				}
				if errors.Is(werr, loyalty.ErrRefused) {
					var re *loyalty.RuleError
					if errors.As(werr, &re) && re.Rule == loyalty.RuleStateIncomplete {
						rt.Fatalf("step %d: a complete state was refused as incomplete: %v", step, werr)
					}
				}
				continue
			}
			m.apply(rt, want)
			checkModel(rt, m)
			if p.Kind == loyalty.PostExpire {
				again := p
				again.Key = p.Key + "-again"
				out, err := loyalty.Apply(m.narrow(again, false), again)
				if err != nil || len(out.Entries) != 0 || len(out.Lots) != 0 {
					rt.Fatalf("expiring twice on %s wrote %v (%v)", date, out.Entries, err)
				}
			}
		}
	})
}

// checkModel checks the ledger's invariants.
func checkModel(t *rapid.T, m *ledgerModel) {
	var bal, res, inLots decimal.Decimal
	for _, e := range m.entries {
		bal, res = bal.Add(e.Points), res.Add(e.Reserved)
	}
	if !bal.Equal(m.acct.Balance) || !res.Equal(m.acct.Reserved) {
		t.Fatalf("balance %s reserved %s, entries sum to %s and %s", m.acct.Balance, m.acct.Reserved, bal, res)
	}
	if m.acct.Balance.Sign() < 0 {
		t.Fatalf("negative balance %s", m.acct.Balance)
	}
	for _, l := range m.lots {
		if l.Remaining.Sign() < 0 {
			t.Fatalf("lot %d below zero: %s", l.ID, l.Remaining)
		}
		inLots = inLots.Add(l.Remaining)
	}
	if !inLots.Add(m.acct.Reserved).Equal(m.acct.Balance) {
		t.Fatalf("lots hold %s, reserved %s, balance %s", inLots, m.acct.Reserved, m.acct.Balance)
	}
}

// What each kind of posting needs.
func TestPostingNeeds(t *testing.T) {
	ten := pts("10")
	cases := []struct {
		name string
		p    loyalty.Posting
		want loyalty.Needs
	}{
		{"purchase", loyalty.Posting{Kind: loyalty.PostEarn, Source: loyalty.SourcePurchase, Order: "o"}, loyalty.Needs{Order: true}},
		{"bonus", loyalty.Posting{Kind: loyalty.PostEarn, Source: loyalty.SourceWelcome}, loyalty.Needs{}},
		{"redeem", loyalty.Posting{Kind: loyalty.PostRedeem, Points: ten, Order: "o"}, loyalty.Needs{Available: true, Draw: ten}},
		{"reserve", loyalty.Posting{Kind: loyalty.PostReserve, Points: ten, Order: "o"}, loyalty.Needs{Order: true, Available: true, Draw: ten}},
		{"capture", loyalty.Posting{Kind: loyalty.PostCapture, Points: ten, Order: "o"}, loyalty.Needs{Order: true, OrderLots: true}},
		{"release", loyalty.Posting{Kind: loyalty.PostRelease, Order: "o"}, loyalty.Needs{Order: true, OrderLots: true}},
		{"expire", loyalty.Posting{Kind: loyalty.PostExpire}, loyalty.Needs{Expired: true}},
		{"credit", loyalty.Posting{Kind: loyalty.PostAdjust, Points: ten}, loyalty.Needs{}},
		{"debit", loyalty.Posting{Kind: loyalty.PostAdjust, Points: ten.Neg()}, loyalty.Needs{Available: true, Draw: ten}},
		{"return", loyalty.Posting{Kind: loyalty.PostReturn, Order: "o"}, loyalty.Needs{Order: true, OrderLots: true, DrawEarned: true}},
		{"cancel", loyalty.Posting{Kind: loyalty.PostCancel, Order: "o"}, loyalty.Needs{Order: true, OrderLots: true, DrawEarned: true}},
		{"tier", loyalty.Posting{Kind: loyalty.PostTier, Tier: "gold"}, loyalty.Needs{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.p.Needs()
			assert.Truef(t, c.want.Draw.Equal(got.Draw), "draw %s, want %s", got.Draw, c.want.Draw)
			got.Draw, c.want.Draw = decimal.Decimal{}, decimal.Decimal{}
			assert.Equal(t, c.want, got)
		})
	}
	order := []loyalty.Entry{
		{Seq: 3, Kind: loyalty.EntryRedeem, Order: "o", Points: pts("-5"), Draws: []loyalty.Draw{{Lot: 1, Points: pts("-5")}}},
		{Seq: 4, Kind: loyalty.EntryEarn, Source: loyalty.SourcePurchase, Order: "o", Points: pts("42"), Lot: 4},
	}
	n := loyalty.Posting{Kind: loyalty.PostReturn, Order: "o"}.Needs()
	equalDec(t, "42", n.DrawFor(order), "a return draws at most what the order earned")
	equalDec(t, "0", n.DrawFor(nil), "an order that earned nothing")
	r := &loyalty.Reservation{Order: "o", Draws: []loyalty.Draw{{Lot: 2, Points: pts("-1")}, {Lot: 1, Points: pts("-1")}}, CapturedDraws: []loyalty.Draw{{Lot: 7, Points: pts("-1")}}}
	assert.Equal(t, []int64{1, 4, 2, 7}, loyalty.OrderLotIDs(order, r), "each lot once, in the order met")
}

// A state without the lots of the order a capture releases to is refused
// as incomplete, not decided on part of the account.
func TestApplyRefusesAnIncompleteState(t *testing.T) {
	s := loyalty.State{
		Account:     loyalty.Account{ID: "a", Balance: pts("30"), Reserved: pts("30"), LastSeq: 2, Version: 3},
		Reservation: &loyalty.Reservation{Order: "o", Points: pts("30"), Status: loyalty.ReservationOpen, Draws: []loyalty.Draw{{Lot: 1, Points: pts("-30")}}},
	}
	p := loyalty.Posting{Account: "a", Key: "k", Fingerprint: "f", Kind: loyalty.PostRelease, Order: "o", Date: day(2026, 3, 1)}
	_, err := loyalty.Apply(s, p)
	var re *loyalty.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleStateIncomplete, re.Rule)

	s.OrderLots = []loyalty.Lot{{ID: 1, Earned: day(2026, 1, 1), Points: pts("30")}}
	out, err := loyalty.Apply(s, p)
	require.NoError(t, err, "with the order's lot the release goes through")
	require.Len(t, out.Lots, 1)
	equalDec(t, "30", out.Lots[0].Lot.Remaining)
	assert.False(t, out.Lots[0].New)
}

// A redemption refused for want of points looks at no lot: the state's
// Available decides.
func TestRedeemRefusedOnAvailable(t *testing.T) {
	s := loyalty.State{Account: loyalty.Account{ID: "a", Balance: pts("100"), LastSeq: 1, Version: 2}, Available: pts("40")}
	p := loyalty.Posting{Account: "a", Key: "k", Fingerprint: "f", Kind: loyalty.PostRedeem, Points: pts("50"), Date: day(2026, 3, 1)}
	_, err := loyalty.Apply(s, p)
	var pe *loyalty.PointsError
	require.ErrorAs(t, err, &pe)
	equalDec(t, "40", pe.Available)
	equalDec(t, "50", pe.Requested)
}

// Account.CheckDates names the first date that is not a calendar date.
func TestAccountCheckDates(t *testing.T) {
	bad := loyalty.Date{Year: 2026, Month: 2, Day: 30}
	for _, c := range []struct {
		field string
		set   func(*loyalty.Account)
	}{
		{"opened", func(a *loyalty.Account) { a.Opened = bad }},
		{"tier_since", func(a *loyalty.Account) { a.TierSince = bad }},
		{"first_order", func(a *loyalty.Account) { a.FirstOrder = bad }},
		{"last_order", func(a *loyalty.Account) { a.LastOrder = bad }},
		{"last_earned", func(a *loyalty.Account) { a.LastEarned = loyalty.Date{Year: 2026, Month: 13, Day: 1} }},
	} {
		t.Run(c.field, func(t *testing.T) {
			a := loyalty.Account{ID: "a", Opened: day(2026, 3, 1)}
			c.set(&a)
			err := a.CheckDates()
			require.ErrorIs(t, err, loyalty.ErrInvalid)
			var ve *loyalty.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, c.field, ve.Field)
			assert.Equal(t, loyalty.ReasonBadDate, ve.Reason)
		})
	}
	assert.NoError(t, loyalty.Account{ID: "a", Opened: day(2024, 2, 29)}.CheckDates())
	assert.NoError(t, loyalty.Account{ID: "a"}.CheckDates(), "unset dates are fine")
}
