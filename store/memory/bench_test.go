package memory_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// benchClient is the i-th client of a benchmark store: its own INN, phone,
// e-mail and name.
func benchClient(id uuid.UUID, i int) crm.Client {
	c := crm.Client{ID: id, Owner: owner, Stage: crm.StageLead, CreatedAt: t0, UpdatedAt: t0}
	c.LegalName = fmt.Sprintf("ООО «Компания %d»", i)
	c.TaxIDs = []taxid.ID{{Country: taxid.CountryRU, Kind: taxid.KindINN, Value: fmt.Sprintf("%010d", i)}}
	c.Contacts = []crm.Contact{{
		ID: id, LastName: "Иванов", Primary: true,
		Phones: []string{fmt.Sprintf("+7916%07d", i)},
		Emails: []string{fmt.Sprintf("buyer%d@example.com", i)},
	}}
	return c
}

type benchStore struct {
	st  *memory.Store
	ids []uuid.UUID
}

var (
	benchStoresMu sync.Mutex
	benchStores   = map[int]*benchStore{}
)

// clientsStore returns a store holding n clients, built once per process.
func clientsStore(b *testing.B, n int) *benchStore {
	b.Helper()
	benchStoresMu.Lock()
	defer benchStoresMu.Unlock()
	if bs := benchStores[n]; bs != nil {
		return bs
	}
	bs := &benchStore{st: memory.New()}
	newID := clock.Sequential(uint32(1000 + n))
	ctx := context.Background()
	for i := range n {
		c := benchClient(newID(), i)
		if err := bs.st.CreateClient(ctx, c, []crm.Event{{ID: newID(), ClientID: c.ID, Kind: crm.EventClientCreated, At: t0}}); err != nil {
			b.Fatal(err)
		}
		bs.ids = append(bs.ids, c.ID)
	}
	benchStores[n] = bs
	return bs
}

// FindByKeys costs the same whatever the number of clients: the keys of a
// new card, two of which match one stored client.
func BenchmarkFindByKeys(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			bs := clientsStore(b, n)
			draft := benchClient(uuid.Nil, n/2)
			draft.LegalName = "ООО «Новая компания»"
			draft.Contacts[0].Emails = []string{"new@example.com"}
			keys := draft.MatchKeys()
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				got, err := bs.st.FindByKeys(ctx, keys)
				if err != nil || len(got) != 2 {
					b.Fatal(len(got), err)
				}
			}
		})
	}
}

// A page of 50 events of a client with 100,000 of them.
func BenchmarkTimelinePage(b *testing.B) {
	const n = 100_000
	st := memory.New()
	ctx := context.Background()
	newID := clock.Sequential(7)
	c := benchClient(newID(), 0)
	events := make([]crm.Event, n)
	for i := range events {
		events[i] = crm.Event{
			ID: newID(), ClientID: c.ID, Kind: crm.EventInteractionLogged,
			At: t0.Add(time.Duration(i) * time.Minute), Data: map[string]string{"kind": "call"},
		}
	}
	if err := st.CreateClient(ctx, c, events); err != nil {
		b.Fatal(err)
	}
	middle := events[n/2].Cursor()
	for _, bc := range []struct {
		name string
		page store.Page
	}{
		{"first/asc", store.Page{Limit: 50}},
		{"first/desc", store.Page{Limit: 50, Order: store.Descending}},
		{"middle/asc", store.Page{Limit: 50, After: middle}},
		{"middle/desc", store.Page{Limit: 50, After: middle, Order: store.Descending}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				count := 0
				for _, err := range st.Timeline(ctx, c.ID, bc.page) {
					if err != nil {
						b.Fatal(err)
					}
					count++
				}
				if count != 50 {
					b.Fatal(count)
				}
			}
		})
	}
}

// Readers and writers on 10,000 clients at once: nine reads for each
// read-modify-write; a write that loses a race (store.ErrConflict) counts
// as done.
func BenchmarkParallelReadWrite(b *testing.B) {
	bs := clientsStore(b, 10_000)
	ctx := context.Background()
	var seed uint64
	var seedMu sync.Mutex
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		seedMu.Lock()
		seed++
		r := rand.New(rand.NewPCG(seed, 42))
		seedMu.Unlock()
		for pb.Next() {
			id := bs.ids[r.IntN(len(bs.ids))]
			c, err := bs.st.GetClient(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			if r.IntN(10) != 0 {
				continue
			}
			c.Website = fmt.Sprintf("https://example.com/v%d", c.Version)
			if err := bs.st.UpdateClient(ctx, c, nil); err != nil && !errors.Is(err, store.ErrConflict) {
				b.Fatal(err)
			}
		}
	})
}

// A page of 50 clients out of 100,000, from a cursor in the middle.
func BenchmarkListClientsPage(b *testing.B) {
	bs := clientsStore(b, 100_000)
	ctx := context.Background()
	p := store.Page{Limit: 50, After: store.Cursor{ID: bs.ids[len(bs.ids)/2]}}
	b.ReportAllocs()
	for b.Loop() {
		count := 0
		for _, err := range bs.st.ListClients(ctx, crm.ClientFilter{}, p) {
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

// Creating a client with its event, into a store that grows.
func BenchmarkCreateClient(b *testing.B) {
	st := memory.New()
	ctx := context.Background()
	newID := clock.Sequential(9)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		c := benchClient(newID(), i)
		i++
		if err := st.CreateClient(ctx, c, []crm.Event{{ID: newID(), ClientID: c.ID, Kind: crm.EventClientCreated, At: t0}}); err != nil {
			b.Fatal(err)
		}
	}
}
