package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// The memory store's multi-row benchmarks, on PostgreSQL: a listing page
// and parallel readers and writers. They have no raw-pgx twin; they show
// what a host sees under load.

// A page of 50 clients out of 100,000, from a cursor in the middle.
func BenchmarkListClientsPage(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	clients := seedClients(b, pool, uuid.New(), 0, 100_000)
	ids := make([]uuid.UUID, len(clients))
	for i, c := range clients {
		ids[i] = c.ID
	}
	middle := ids[len(ids)/2]
	p := store.Page{Limit: 50, After: store.Cursor{ID: middle}}
	b.ReportAllocs()
	for b.Loop() {
		count := 0
		for _, err := range st.ListClients(ctx, crm.ClientFilter{}, p) {
			if err != nil {
				b.Fatal(err)
			}
			count++
		}
		if count != 50 {
			b.Fatal(count)
		}
	}
}

// Readers and writers on 10,000 clients at once, as for the memory store:
// nine reads for each read-modify-write; a write that loses a race
// (store.ErrConflict) counts as done. Eight goroutines per CPU, since each
// mostly waits on the server.
func BenchmarkParallelReadWrite(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	clients := seedClients(b, pool, uuid.New(), 0, 10_000)
	var seed uint64
	var seedMu sync.Mutex
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		seedMu.Lock()
		seed++
		r := rand.New(rand.NewPCG(seed, 42))
		seedMu.Unlock()
		for pb.Next() {
			id := clients[r.IntN(len(clients))].ID
			c, err := st.GetClient(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			if r.IntN(10) != 0 {
				continue
			}
			c.Website = fmt.Sprintf("https://example.com/v%d", c.Version)
			if err := st.UpdateClient(ctx, c, nil); err != nil && !errors.Is(err, store.ErrConflict) {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReindexMatchKeys re-derives the keys of 10,000 live clients,
// as the first Migrate after an upgrade of the key derivation does.
func BenchmarkReindexMatchKeys(b *testing.B) {
	const n = 10000
	_, pool := benchStore(b)
	seedClients(b, pool, uuid.New(), 0, n)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if _, err := pool.Exec(ctx, "UPDATE crmkit_settings SET value = 1 WHERE name = 'match_keys_version'"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		got, err := ReindexMatchKeys(ctx, pool)
		if err != nil || got != n {
			b.Fatalf("re-indexed %d of %d: %v", got, n, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/client")
}
