package loyalty_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/loyalty"
)

// lotsState is an account with n lots of 10 to 99 points earned over a
// year, nine in ten expiring a year after they were earned and the rest
// never; spent lots are emptied from the soonest-expiring end.
func lotsState(n, spent int) loyalty.State {
	lots := make([]loyalty.Lot, n)
	var bal decimal.Decimal
	start := day(2025, 3, 1)
	for i := range lots {
		pt := decimal.NewFromInt(int64(10 + i%90))
		earned := start.AddDays(i % 365)
		l := loyalty.Lot{ID: int64(i + 1), Earned: earned, Points: pt, Remaining: pt, Source: loyalty.SourcePurchase}
		if i%10 != 0 {
			l.Expires = earned.AddDays(365)
		}
		lots[i] = l
	}
	loyalty.SortLots(lots)
	for i := range lots {
		if i < spent {
			lots[i].Remaining = decimal.Decimal{}
		}
		bal = bal.Add(lots[i].Remaining)
	}
	last := start.AddDays(364)
	a := loyalty.Account{ID: "a", Balance: bal, LastEarned: last, LastSeq: int64(n), Version: 1}
	avail := loyalty.Summarise(a, lots, loyalty.BalanceQuery{AsOf: day(2026, 3, 1)}).Available
	return loyalty.State{Account: a, Available: avail, Lots: lots}
}

// The balance as of a day over 10,000 lots, with the points expiring in
// the next 30 days (about 800 lots, in 30 groups); "past day" asks about a
// day before the last lot was earned: Summarise scans every lot's date
// for the points earned after it, SummariseIndexed ("past day, indexed",
// what store/memory does) sums them over the days of an EarnedIndex.
// Goal: under 200 µs.
func BenchmarkBalance10000Lots(b *testing.B) {
	for _, c := range []struct {
		name    string
		q       loyalty.BalanceQuery
		indexed bool
	}{
		{"today", loyalty.BalanceQuery{AsOf: day(2026, 3, 1), ExpiringThrough: day(2026, 3, 31)}, false},
		{"today without expiring", loyalty.BalanceQuery{AsOf: day(2026, 3, 1)}, false},
		{"past day", loyalty.BalanceQuery{AsOf: day(2025, 9, 1)}, false},
		{"past day, indexed", loyalty.BalanceQuery{AsOf: day(2025, 9, 1)}, true},
		{"past day with expiring, indexed", loyalty.BalanceQuery{AsOf: day(2025, 9, 1), ExpiringThrough: day(2026, 3, 31)}, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := lotsState(10_000, 0)
			var x *loyalty.EarnedIndex
			if c.indexed {
				x = &loyalty.EarnedIndex{}
				for _, l := range s.Lots {
					x.Update(loyalty.Lot{}, l)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				bal := loyalty.SummariseIndexed(s.Account, s.Lots, x, c.q)
				if bal.Available.Sign() <= 0 {
					b.Fatal("no points")
				}
			}
		})
	}
}

// A redemption over 10,000 lots: the common case draws on the first few;
// "after 9,000 spent" walks past emptied lots; "refused" walks them all
// and sums what is available. Goal: under 200 µs.
func BenchmarkRedeem10000Lots(b *testing.B) {
	for _, c := range []struct {
		name   string
		spent  int
		points int64
		ok     bool
	}{
		{"fresh", 0, 150, true},
		{"after 9,000 spent", 9_000, 150, true},
		{"refused", 0, 10_000_000, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := lotsState(10_000, c.spent)
			p := loyalty.Posting{Account: "a", Key: "k", Fingerprint: "f", Kind: loyalty.PostRedeem, Date: day(2026, 3, 1), Points: decimal.NewFromInt(c.points)}
			b.ReportAllocs()
			for b.Loop() {
				_, err := loyalty.Apply(s, p)
				if (err == nil) != c.ok {
					b.Fatal(err)
				}
			}
		})
	}
}

// Computing an order's points: ten lines, multipliers, a tier crossing.
func BenchmarkEarn(b *testing.B) {
	p := tiered(retail())
	p.Earn.Multipliers = append(p.Earn.Multipliers, loyalty.Multiplier{Category: "coffee", Factor: pts("2")}, loyalty.Multiplier{Tag: "promo", Factor: pts("1.5")})
	r := mustRules(b, p)
	o := loyalty.Order{ID: "o", Date: purchaseDay, PointsPaid: rub("300")}
	for i := range 10 {
		o.Lines = append(o.Lines, loyalty.Line{SKU: fmt.Sprint("sku", i), Category: "coffee", Tags: []string{"promo"}, Amount: rub("1234.50")})
	}
	st := loyalty.Standing{Tier: "base", Metric: pts("45000")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Earn(o, st); err != nil {
			b.Fatal(err)
		}
	}
}
