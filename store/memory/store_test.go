package memory_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// Every refused write leaves the store exactly as it was: no record, no
// event, no index entry.
func TestFailedWritesChangeNothing(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	a := mustCreate(t, st, client("7707083893"))
	b := mustCreate(t, st, client("7736207543"))
	in := interaction(a.ID, t0, crm.OutcomeReached)
	require.NoError(t, st.AppendInteraction(ctx, in, []crm.Event{event(a.ID, crm.EventInteractionLogged, t0)}))
	a, _ = st.GetClient(ctx, a.ID)
	principal := newID()
	d := delegation(principal, t0, t0.Add(time.Hour))
	require.NoError(t, st.CreateDelegation(ctx, d, nil))
	d.Version = 1
	takenEvent := st.Events(ctx)[0]

	newEvent := func(c uuid.UUID) []crm.Event { return []crm.Event{event(c, crm.EventClientUpdated, t0)} }
	cases := []struct {
		name  string
		write func() error
		kind  error
	}{
		{"create with a taken INN", func() error {
			c := client("7707083893")
			return st.CreateClient(ctx, c, newEvent(c.ID))
		}, store.ErrDuplicate},
		{"create with a taken event id", func() error {
			c := client("7710140679")
			return st.CreateClient(ctx, c, []crm.Event{event(c.ID, crm.EventClientCreated, t0), takenEvent})
		}, store.ErrDuplicate},
		{"create with an event about a stranger", func() error {
			c := client("7710140679")
			return st.CreateClient(ctx, c, []crm.Event{event(c.ID, crm.EventClientCreated, t0), event(newID(), crm.EventClientCreated, t0)})
		}, store.ErrNotFound},
		{"update at a stale version", func() error {
			c := a
			c.Version--
			c.Contacts[0].Phones = []string{"+79990000001"}
			return st.UpdateClient(ctx, c, newEvent(c.ID))
		}, store.ErrConflict},
		{"update taking an INN", func() error {
			c := a.Clone()
			c.TaxIDs = b.TaxIDs
			c.ShortName = "new name"
			return st.UpdateClient(ctx, c, newEvent(c.ID))
		}, store.ErrDuplicate},
		{"update with a taken event id", func() error {
			c := a.Clone()
			c.ShortName = "new name"
			return st.UpdateClient(ctx, c, []crm.Event{event(c.ID, crm.EventClientUpdated, t0), takenEvent})
		}, store.ErrDuplicate},
		{"interaction with a taken id", func() error {
			again := interaction(a.ID, t0.Add(time.Hour), crm.OutcomeReached)
			again.ID = in.ID
			return st.AppendInteraction(ctx, again, newEvent(a.ID))
		}, store.ErrDuplicate},
		{"interaction with a taken event id", func() error {
			return st.AppendInteraction(ctx, interaction(a.ID, t0.Add(time.Hour), crm.OutcomeReached), []crm.Event{takenEvent})
		}, store.ErrDuplicate},
		{"interaction of a stranger", func() error {
			return st.AppendInteraction(ctx, interaction(newID(), t0.Add(time.Hour), crm.OutcomeReached), nil)
		}, store.ErrNotFound},
		{"merge at a stale version", func() error {
			m := b
			m.MergedInto = a.ID
			m.Version++
			return st.MergeClients(ctx, a, m, newEvent(a.ID))
		}, store.ErrConflict},
		{"merge with a taken event id", func() error {
			m := b
			m.MergedInto = a.ID
			return st.MergeClients(ctx, a, m, []crm.Event{takenEvent})
		}, store.ErrDuplicate},
		{"overlapping delegation", func() error {
			return st.CreateDelegation(ctx, delegation(principal, t0, t0.Add(time.Hour)), []crm.Event{event(uuid.Nil, crm.EventDelegationCreated, t0)})
		}, crm.ErrDelegation},
		{"delegation update at a stale version", func() error {
			stale := d
			stale.Version = 5
			return st.UpdateDelegation(ctx, stale, []crm.Event{event(uuid.Nil, crm.EventDelegationCancelled, t0)})
		}, store.ErrConflict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := takeSnapshot(t, st)
			err := tc.write()
			assert.ErrorIs(t, err, tc.kind)
			assert.Equal(t, before, takeSnapshot(t, st))
		})
	}
}

func TestContextDone(t *testing.T) {
	st := memory.New()
	c := mustCreate(t, st, client(""))
	d := delegation(newID(), t0, t0.Add(time.Hour))
	require.NoError(t, st.CreateDelegation(t.Context(), d, nil))
	before := takeSnapshot(t, st)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	in := interaction(c.ID, t0, crm.OutcomeReached)
	calls := map[string]func() error{
		"CreateClient":      func() error { return st.CreateClient(ctx, client(""), nil) },
		"GetClient":         func() error { _, err := st.GetClient(ctx, c.ID); return err },
		"UpdateClient":      func() error { return st.UpdateClient(ctx, c, nil) },
		"MergeClients":      func() error { return st.MergeClients(ctx, c, c, nil) },
		"FindByKeys":        func() error { _, err := st.FindByKeys(ctx, c.MatchKeys()); return err },
		"AppendInteraction": func() error { return st.AppendInteraction(ctx, in, nil) },
		"GetInteraction":    func() error { _, err := st.GetInteraction(ctx, in.ID); return err },
		"CreateDelegation":  func() error { return st.CreateDelegation(ctx, delegation(newID(), t0, t0), nil) },
		"GetDelegation":     func() error { _, err := st.GetDelegation(ctx, d.ID); return err },
		"UpdateDelegation":  func() error { return st.UpdateDelegation(ctx, d, nil) },
		"ListClients": func() error {
			_, err := store.Collect(st.ListClients(ctx, crm.ClientFilter{}, store.Page{}))
			return err
		},
		"ListInteractions": func() error {
			_, err := store.Collect(st.ListInteractions(ctx, c.ID, store.Page{}))
			return err
		},
		"Timeline": func() error {
			_, err := store.Collect(st.Timeline(ctx, c.ID, store.Page{}))
			return err
		},
		"ListDelegations": func() error {
			_, err := store.Collect(st.ListDelegations(ctx, crm.DelegationFilter{}, store.Page{}))
			return err
		},
	}
	for name, call := range calls {
		assert.ErrorIs(t, call(), context.Canceled, name)
	}
	assert.Nil(t, st.Events(ctx))
	assert.Equal(t, before, takeSnapshot(t, st))
}

// A listing checks the context between records and ends with its error,
// yielded once with the zero value.
func TestListingStopsWhenContextEnds(t *testing.T) {
	st := memory.New()
	for range 5 {
		mustCreate(t, st, client(""))
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var got []crm.Client
	var errs []error
	for c, err := range st.ListClients(ctx, crm.ClientFilter{}, store.Page{}) {
		if err != nil {
			errs = append(errs, err)
			assert.Zero(t, c.ID)
			continue
		}
		got = append(got, c)
		if len(got) == 2 {
			cancel()
		}
	}
	assert.Len(t, got, 2)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
}

// The caller's loop body may write to the store: listings do not hold the
// lock while yielding.
func TestListingCallerMayWrite(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	for range 600 { // more than one batch
		mustCreate(t, st, client(""))
	}
	n := 0
	for c, err := range st.ListClients(ctx, crm.ClientFilter{}, store.Page{}) {
		require.NoError(t, err)
		c.ShortName = "seen"
		require.NoError(t, st.UpdateClient(ctx, c, []crm.Event{event(c.ID, crm.EventClientUpdated, t0)}))
		for range st.Timeline(ctx, c.ID, store.Page{}) {
			break // and stop a nested listing early
		}
		n++
	}
	assert.Equal(t, 600, n)
	for c, err := range st.ListClients(ctx, crm.ClientFilter{}, store.Page{}) {
		require.NoError(t, err)
		assert.Equal(t, "seen", c.ShortName)
	}
}

func TestNegativeLimit(t *testing.T) {
	st := memory.New()
	_, err := store.Collect(st.Timeline(t.Context(), newID(), store.Page{Limit: -1}))
	assert.ErrorIs(t, err, memory.ErrInvalid)
}

// Many goroutines reading, updating, logging and listing at once: run
// with -race. Every successful update is counted, so the final version
// proves none was lost.
func TestConcurrentUse(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	var clients []uuid.UUID
	for range 20 {
		clients = append(clients, mustCreate(t, st, client("")).ID)
	}
	const workers, rounds = 8, 200
	var mu sync.Mutex
	updates := map[uuid.UUID]int{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for i := range rounds {
				id := clients[r.IntN(len(clients))]
				switch r.IntN(4) {
				case 0:
					c, err := st.GetClient(ctx, id)
					if !assert.NoError(t, err) {
						return
					}
					c.ShortName = fmt.Sprintf("w%d-%d", w, i)
					err = st.UpdateClient(ctx, c, []crm.Event{event(id, crm.EventClientUpdated, t0)})
					if err == nil {
						mu.Lock()
						updates[id]++
						mu.Unlock()
					} else {
						assert.ErrorIs(t, err, store.ErrConflict)
					}
				case 1:
					assert.NoError(t, st.AppendInteraction(ctx, interaction(id, t0.Add(time.Duration(r.IntN(1000))*time.Minute), crm.OutcomeReached), nil))
				case 2:
					for _, err := range st.Timeline(ctx, id, store.Page{Order: store.Descending, Limit: 10}) {
						assert.NoError(t, err)
					}
				default:
					_, err := st.FindByKeys(ctx, []crm.MatchKey{{Kind: crm.MatchPhone, Value: "+79160000001"}})
					assert.NoError(t, err)
					for _, err := range st.ListClients(ctx, crm.ClientFilter{}, store.Page{Limit: 5}) {
						assert.NoError(t, err)
					}
				}
			}
		})
	}
	wg.Wait()
	for _, id := range clients {
		c, err := st.GetClient(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, store.Version(1+updates[id]), c.Version)
		assert.Len(t, collect(t, st.Timeline(ctx, id, store.Page{})), 1+updates[id])
	}
}
