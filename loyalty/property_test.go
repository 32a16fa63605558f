package loyalty_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// expected reports whether err is one of the refusals a random operation
// may meet (anything else is a bug).
func expected(err error) bool {
	return err == nil || errors.Is(err, loyalty.ErrInvalid) || errors.Is(err, loyalty.ErrRefused) ||
		errors.Is(err, loyalty.ErrInsufficientPoints)
}

// Whatever the client and the operators do, in whatever order: the
// balance is the sum of the entries, no lot goes below zero, lots hold
// the balance less what is reserved, and expiring twice changes nothing.
func TestLedgerProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := tiered(retail())
		p.PointPlaces = int32(rapid.IntRange(0, 2).Draw(rt, "places"))
		p.ExpiryDays = rapid.SampledFrom([]int{0, 5, 30}).Draw(rt, "expiry")
		p.Redeem.MinPoints = pts("1")
		p.Redeem.MaxSharePercent = pts("100")
		p.Returns.AllowDebt = rapid.Bool().Draw(rt, "debt")
		p.Returns.Cancel = rapid.SampledFrom([]loyalty.CancelPolicy{loyalty.CancelRefuse, loyalty.CancelDebt}).Draw(rt, "cancel")
		p.Tiers.Downgrade = loyalty.Downgrade{Kind: loyalty.DowngradeAfterGrace, GraceDays: 10}
		p.Bonuses.Birthday = loyalty.BirthdayBonus{Points: pts("7"), DaysBefore: 5, DaysAfter: 5}

		clk := clock.NewStepping(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), 0)
		st := memory.New()
		svc, err := loyalty.NewService(st, p, loyalty.Options{Clock: clock.Options{Now: clk.Now}})
		if err != nil {
			rt.Fatal(err)
		}
		ctx := t.Context()
		if _, err := svc.Open(ctx, "c", loyalty.Enrolment{}); err != nil {
			rt.Fatal(err)
		}
		amount := func(label string) money.Amount {
			return money.MustParse(fmt.Sprintf("%d.%02d", rapid.IntRange(0, 30000).Draw(rt, label), rapid.IntRange(0, 99).Draw(rt, label+"-kop")), money.RUB)
		}
		points := func(label string) decimal.Decimal {
			return decimal.New(rapid.Int64Range(1, 40000).Draw(rt, label), -p.PointPlaces)
		}
		orders := []string{"o0"}
		order := func() string { return rapid.SampledFrom(orders).Draw(rt, "order") }
		n := 0
		key := func() loyalty.Op { n++; return loyalty.Op{Account: "c", Key: fmt.Sprint("k", n)} }

		steps := rapid.IntRange(1, 40).Draw(rt, "steps")
		for range steps {
			var err error
			switch rapid.IntRange(0, 10).Draw(rt, "op") {
			case 0, 1:
				id := fmt.Sprint("o", len(orders))
				orders = append(orders, id)
				o := loyalty.Order{ID: id, Lines: []loyalty.Line{{SKU: "x", Amount: amount("line1")}, {SKU: "y", Amount: amount("line2")}}}
				_, err = svc.Earn(ctx, key(), o)
			case 2:
				_, err = svc.Redeem(ctx, key(), loyalty.Redemption{Order: order(), Points: points("redeem"), OrderAmount: rub("100000")})
			case 3:
				_, err = svc.Reserve(ctx, key(), loyalty.Redemption{Order: order(), Points: points("reserve"), OrderAmount: rub("100000")})
			case 4:
				_, err = svc.Capture(ctx, key(), order(), points("capture"))
			case 5:
				_, err = svc.Release(ctx, key(), order())
			case 6:
				_, err = svc.Return(ctx, key(), order(), amount("return"))
			case 7:
				_, err = svc.Cancel(ctx, key(), order())
			case 8:
				pt := points("adjust")
				if rapid.Bool().Draw(rt, "minus") {
					pt = pt.Neg()
				}
				_, err = svc.Adjust(ctx, key(), pt, "")
			case 9:
				clk.Advance(time.Duration(rapid.IntRange(1, 20).Draw(rt, "days")) * 24 * time.Hour)
				_, err = svc.BirthdayBonus(ctx, "c", loyalty.Birthday{Month: time.March, Day: 20}, "")
			case 10:
				asOf := svc.Today().AddDays(rapid.IntRange(-3, 3).Draw(rt, "asOf"))
				if _, err = svc.Expire(ctx, "c", asOf); err == nil {
					// Expiring again on the same day, under another key, finds nothing.
					res, err := st.Post(ctx, loyalty.Posting{Account: "c", Key: fmt.Sprint("again", n), Fingerprint: "x", Kind: loyalty.PostExpire, Date: asOf})
					if err != nil || len(res.Entries) != 0 {
						rt.Fatalf("a second expiry on %s wrote %v (%v)", asOf, res.Entries, err)
					}
				}
				_, _, err = svc.EvaluateTier(ctx, "c", svc.Today())
			}
			if !expected(err) {
				rt.Fatalf("unexpected error: %v", err)
			}
			a, err := st.Account(ctx, "c")
			if err != nil {
				rt.Fatal(err)
			}
			es, _ := store.Collect(st.Entries(ctx, "c", 0))
			lots, _ := store.Collect(st.Lots(ctx, "c"))
			checkLedger(rt, a, es, lots)
			// The store's balance, which skips emptied lots and takes the
			// points earned after the day from its index, is Summarise
			// over every lot, as of any day.
			for _, shift := range []int{-60, -20, -3, 0, 7} {
				q := loyalty.BalanceQuery{AsOf: svc.Today().AddDays(shift), ExpiringThrough: svc.Today().AddDays(shift + 30)}
				got, err := st.Balance(ctx, "c", q)
				if err != nil {
					rt.Fatal(err)
				}
				if want := loyalty.Summarise(a, lots, q); !sameBalance(got, want) {
					rt.Fatalf("balance as of %s: store %+v, Summarise %+v", q.AsOf, got, want)
				}
			}
			b, _ := st.Balance(ctx, "c", loyalty.BalanceQuery{AsOf: svc.Today()})
			if !b.Available.Add(b.Reserved).Add(b.Expired).Add(b.Pending).Equal(b.Points) {
				rt.Fatalf("balance parts do not add up: %+v", b)
			}
		}
	})
}

// Apply is deterministic: the same state and posting give the same
// outcome, which is what lets two stores share it.
func TestApplyIsDeterministic(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var lots []loyalty.Lot
		var bal decimal.Decimal
		for i := range rapid.IntRange(0, 30).Draw(rt, "lots") {
			pt := decimal.NewFromInt(rapid.Int64Range(1, 1000).Draw(rt, "pts"))
			l := loyalty.Lot{ID: int64(i + 1), Earned: day(2026, 1, 1), Points: pt, Remaining: pt}
			if rapid.Bool().Draw(rt, "expires") {
				l.Expires = day(2026, 3, rapid.IntRange(1, 31).Draw(rt, "day"))
			}
			lots = append(lots, l)
			bal = bal.Add(pt)
		}
		loyalty.SortLots(lots)
		s := loyalty.State{Account: loyalty.Account{ID: "a", Balance: bal, LastSeq: int64(len(lots))}, Lots: lots}
		kind := rapid.SampledFrom([]loyalty.PostingKind{loyalty.PostRedeem, loyalty.PostExpire, loyalty.PostAdjust}).Draw(rt, "kind")
		p := loyalty.Posting{Account: "a", Key: "k", Fingerprint: "f", Kind: kind, Date: day(2026, 3, rapid.IntRange(1, 31).Draw(rt, "on")),
			Points: decimal.NewFromInt(rapid.Int64Range(1, 5000).Draw(rt, "want"))}
		if kind == loyalty.PostAdjust {
			p.Points = p.Points.Neg()
		}
		if kind == loyalty.PostExpire {
			p.Points = decimal.Decimal{}
		}
		s.Available = loyalty.Summarise(s.Account, lots, loyalty.BalanceQuery{AsOf: p.Date}).Available
		out1, err1 := loyalty.Apply(s, p)
		out2, err2 := loyalty.Apply(s, p)
		if !reflect.DeepEqual(out1, out2) || (err1 == nil) != (err2 == nil) {
			rt.Fatal("Apply gave two outcomes for one input")
		}
		if err1 == nil {
			var drawn decimal.Decimal
			for _, c := range out1.Lots {
				if c.Lot.Remaining.Sign() < 0 {
					rt.Fatalf("lot %d below zero", c.Lot.ID)
				}
				i := slices.IndexFunc(lots, func(l loyalty.Lot) bool { return l.ID == c.Lot.ID })
				if c.New || i < 0 {
					rt.Fatalf("lot %d is not one of the state's", c.Lot.ID)
				}
				drawn = drawn.Add(lots[i].Remaining.Sub(c.Lot.Remaining))
			}
			if !drawn.Equal(bal.Sub(out1.Account.Balance)) {
				rt.Fatalf("lots lost %s, the balance %s", drawn, bal.Sub(out1.Account.Balance))
			}
		}
	})
}

// sameBalance compares two balances number by number.
func sameBalance(a, b loyalty.Balance) bool {
	if a.Account != b.Account || a.AsOf != b.AsOf || len(a.Expiring) != len(b.Expiring) {
		return false
	}
	for i := range a.Expiring {
		if a.Expiring[i].On != b.Expiring[i].On || !a.Expiring[i].Points.Equal(b.Expiring[i].Points) {
			return false
		}
	}
	return a.Points.Equal(b.Points) && a.Available.Equal(b.Available) && a.Reserved.Equal(b.Reserved) &&
		a.Expired.Equal(b.Expired) && a.Pending.Equal(b.Pending) && a.Debt.Equal(b.Debt)
}

// SummariseIndexed, with an index kept in step with the lots through
// random changes, and SummariseSums, given sums made by hand, agree with
// Summarise as of any day.
func TestSummariseIndexedAgrees(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var x loyalty.EarnedIndex
		var lots []loyalty.Lot
		var bal decimal.Decimal
		start := day(2026, 1, 1)
		for i := range rapid.IntRange(0, 40).Draw(rt, "lots") {
			pt := decimal.New(rapid.Int64Range(1, 100000).Draw(rt, "pts"), -int32(rapid.IntRange(0, 2).Draw(rt, "places")))
			earned := start.AddDays(rapid.IntRange(0, 90).Draw(rt, "earned"))
			l := loyalty.Lot{ID: int64(i + 1), Earned: earned, Points: pt, Remaining: pt}
			if rapid.Bool().Draw(rt, "expires") {
				l.Expires = earned.AddDays(rapid.IntRange(0, 60).Draw(rt, "life"))
			}
			x.Update(loyalty.Lot{}, l)
			lots = append(lots, l)
		}
		// Spend some of the lots.
		for i := range lots {
			if rapid.Bool().Draw(rt, "spend") {
				before := lots[i]
				lots[i].Remaining = decimal.New(rapid.Int64Range(0, before.Remaining.Mul(decimal.New(100, 0)).IntPart()).Draw(rt, "left"), -2)
				if lots[i].Remaining.GreaterThan(before.Remaining) {
					lots[i].Remaining = before.Remaining
				}
				x.Update(before, lots[i])
			}
			bal = bal.Add(lots[i].Remaining)
		}
		loyalty.SortLots(lots)
		a := loyalty.Account{ID: "a", Balance: bal}
		if len(lots) > 0 && rapid.Bool().Draw(rt, "last earned known") {
			for _, l := range lots {
				if l.Earned.After(a.LastEarned) {
					a.LastEarned = l.Earned
				}
			}
		}
		q := loyalty.BalanceQuery{AsOf: start.AddDays(rapid.IntRange(-5, 160).Draw(rt, "asOf"))}
		if rapid.Bool().Draw(rt, "expiring") {
			q.ExpiringThrough = q.AsOf.AddDays(rapid.IntRange(0, 60).Draw(rt, "through"))
		}
		want := loyalty.Summarise(a, lots, q)
		if got := loyalty.SummariseIndexed(a, lots, &x, q); !sameBalance(got, want) {
			rt.Fatalf("indexed %+v, Summarise %+v", got, want)
		}
		// Emptied lots may be left out.
		var live []loyalty.Lot
		for _, l := range lots {
			if l.Remaining.Sign() > 0 {
				live = append(live, l)
			}
		}
		if got := loyalty.Summarise(a, live, q); !sameBalance(got, want) {
			rt.Fatalf("without emptied lots %+v, with %+v", got, want)
		}
		// The sums by hand.
		var sums loyalty.Sums
		for _, l := range lots {
			switch {
			case l.ExpiredOn(q.AsOf):
				sums.Expired = sums.Expired.Add(l.Remaining)
			case l.Earned.After(q.AsOf):
				sums.Pending = sums.Pending.Add(l.Remaining)
			case !q.ExpiringThrough.IsZero() && !l.Expires.IsZero() && !l.Expires.After(q.ExpiringThrough) && l.Remaining.Sign() > 0:
				if n := len(sums.Expiring); n > 0 && sums.Expiring[n-1].On == l.Expires {
					sums.Expiring[n-1].Points = sums.Expiring[n-1].Points.Add(l.Remaining)
				} else {
					sums.Expiring = append(sums.Expiring, loyalty.Expiring{On: l.Expires, Points: l.Remaining})
				}
			}
		}
		if got := loyalty.SummariseSums(a, sums, q); !sameBalance(got, want) {
			rt.Fatalf("from sums %+v, Summarise %+v", got, want)
		}
	})
}
