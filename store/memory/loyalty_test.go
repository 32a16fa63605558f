package memory_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/store/memory"
	"github.com/crmkit/crmkit/store/storetest"
)

// TestLoyaltyConformance runs the loyalty store conformance suite against
// a fresh memory store per check.
func TestLoyaltyConformance(t *testing.T) {
	storetest.RunLoyalty(t, storetest.LoyaltyHarness{
		NewStore: func(*testing.T) loyalty.Store { return memory.New() },
	})
}

var lday = loyalty.MustDate(2026, 3, 1)

// loyaltyStore returns a memory store with account "a" holding n lots of
// 10 to 99 points (times scale) earned over a year, nine in ten expiring
// a year later.
func loyaltyStore(b *testing.B, n int, scale int64) *memory.Store {
	b.Helper()
	st := memory.New()
	ctx := context.Background()
	if err := st.CreateAccount(ctx, loyalty.Account{ID: "a", Programme: "p"}); err != nil {
		b.Fatal(err)
	}
	start := loyalty.MustDate(2025, 3, 1)
	for i := range n {
		earned := start.AddDays(i % 365)
		p := loyalty.Posting{
			Account: "a", Key: fmt.Sprint("seed", i), Fingerprint: "seed", Kind: loyalty.PostEarn, Source: loyalty.SourceWelcome,
			Date: earned, Points: decimal.NewFromInt(int64(10+i%90) * scale),
		}
		if i%10 != 0 {
			p.Expires = earned.AddDays(365)
		}
		if _, err := st.Post(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

// Store.Balance over 10,000 lots: today with the points expiring within
// 30 days, and as of a past day (2025-09-01, half a year before the last
// lot was earned). Goal: under 200 µs.
func BenchmarkBalance10000LotsMemory(b *testing.B) {
	st := loyaltyStore(b, 10_000, 1)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		q    loyalty.BalanceQuery
	}{
		{"today", loyalty.BalanceQuery{AsOf: lday, ExpiringThrough: lday.AddDays(30)}},
		{"past day", loyalty.BalanceQuery{AsOf: loyalty.MustDate(2025, 9, 1)}},
		{"past day with expiring", loyalty.BalanceQuery{AsOf: loyalty.MustDate(2025, 9, 1), ExpiringThrough: lday.AddDays(30)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := st.Balance(ctx, "a", c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Store.Post of a 5-point redemption on an account of 10,000 lots: the
// lock, the idempotency key, Apply and the write. The lots hold a
// thousand times the usual points, so that no run drains them; "after
// 9,000 spent" first empties the 9,000 soonest-expiring lots. Goal: under
// 200 µs.
func BenchmarkRedeem10000LotsMemory(b *testing.B) {
	for _, c := range []struct {
		name  string
		spent int
	}{{"fresh", 0}, {"after 9,000 spent", 9_000}} {
		b.Run(c.name, func(b *testing.B) {
			st := loyaltyStore(b, 10_000, 1000)
			ctx := context.Background()
			if c.spent > 0 {
				var sum decimal.Decimal
				n := 0
				for l, err := range st.Lots(ctx, "a") {
					if err != nil {
						b.Fatal(err)
					}
					if n++; n > c.spent {
						break
					}
					sum = sum.Add(l.Remaining)
				}
				p := loyalty.Posting{Account: "a", Key: "spend", Fingerprint: "spend", Kind: loyalty.PostRedeem, Date: lday, Points: sum}
				if _, err := st.Post(ctx, p); err != nil {
					b.Fatal(err)
				}
			}
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				i++
				p := loyalty.Posting{Account: "a", Key: fmt.Sprint("r", i), Fingerprint: "r", Kind: loyalty.PostRedeem, Date: lday, Points: decimal.NewFromInt(5)}
				if _, err := st.Post(ctx, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Posting throughput: earn postings of a purchase each, on one account
// ("serial") and on one account per goroutine ("parallel").
func BenchmarkPostMemory(b *testing.B) {
	post := func(b *testing.B, st *memory.Store, acct string, i int) {
		p := loyalty.Posting{
			Account: acct, Key: fmt.Sprint("earn:", i), Fingerprint: fmt.Sprint(i), Kind: loyalty.PostEarn, Source: loyalty.SourcePurchase,
			Order: fmt.Sprint("o", i), Date: lday, Expires: lday.AddDays(365), Points: decimal.NewFromInt(12),
		}
		if _, err := st.Post(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("serial", func(b *testing.B) {
		st := memory.New()
		if err := st.CreateAccount(context.Background(), loyalty.Account{ID: "a", Programme: "p"}); err != nil {
			b.Fatal(err)
		}
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			i++
			post(b, st, "a", i)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		st := memory.New()
		var n atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			acct := fmt.Sprint("acct-", n.Add(1))
			if err := st.CreateAccount(context.Background(), loyalty.Account{ID: acct, Programme: "p"}); err != nil {
				b.Error(err)
				return
			}
			i := 0
			for pb.Next() {
				i++
				post(b, st, acct, i)
			}
		})
	})
}
