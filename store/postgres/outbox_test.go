package postgres_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
)

// Events land in the outbox in the order written, as written; ClaimOutbox
// publishes them once, keeps them when the handler fails, and hands
// concurrent pollers disjoint batches.
func TestOutbox(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	var written []uuid.UUID
	survivor, merged := client(), client()
	for _, c := range []crm.Client{survivor, merged} {
		e := event(c.ID, crm.EventClientCreated, t0)
		require.NoError(t, f.st.CreateClient(ctx, c, []crm.Event{e}))
		written = append(written, e.ID)
	}
	for i := range 5 {
		in := interaction(merged.ID, t0.Add(time.Duration(i)*time.Minute))
		e := event(merged.ID, crm.EventInteractionLogged, in.At)
		require.NoError(t, f.st.AppendInteraction(ctx, in, []crm.Event{e}))
		written = append(written, e.ID)
	}
	s, m := survivor.Clone(), merged.Clone()
	s.Version, m.Version = 1, 1
	s.MergedFrom, m.MergedInto = []uuid.UUID{m.ID}, s.ID
	es, em := event(s.ID, crm.EventClientMerged, t0), event(m.ID, crm.EventClientMergedInto, t0)
	require.NoError(t, f.st.MergeClients(ctx, s, m, []crm.Event{es, em}))
	written = append(written, es.ID, em.ID)

	// A failing handler publishes nothing.
	boom := errors.New("broker down")
	n, err := f.st.ClaimOutbox(ctx, 3, func(_ context.Context, events []crm.Event) error {
		assert.Len(t, events, 3)
		return boom
	})
	require.ErrorIs(t, err, boom, "the handler's error comes back unchanged")
	assert.Zero(t, n)

	var published []crm.Event
	for {
		n, err := f.st.ClaimOutbox(ctx, 3, func(_ context.Context, events []crm.Event) error {
			published = append(published, events...)
			return nil
		})
		require.NoError(t, err)
		if n == 0 {
			break
		}
	}
	got := make([]uuid.UUID, len(published))
	for i, e := range published {
		got[i] = e.ID
	}
	assert.Equal(t, written, got, "every event once, in the order written")
	for _, e := range published[2:7] {
		assert.Equal(t, merged.ID, e.ClientID, "the outbox keeps events as written, before the merge moved them")
		assert.Equal(t, map[string]string{"note": "test"}, e.Data)
	}
	calls := 0
	n, err = f.st.ClaimOutbox(ctx, 10, func(context.Context, []crm.Event) error { calls++; return nil })
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Zero(t, calls, "no call when there is nothing to publish")

	purged, err := f.st.PurgeOutbox(ctx, time.Now().Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, int64(len(written)), purged)
}

func TestOutboxConcurrentPollers(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	const events = 120
	var want []uuid.UUID
	for range events / 4 {
		c := client()
		var evs []crm.Event
		for range 4 {
			e := event(c.ID, crm.EventClientUpdated, t0)
			evs = append(evs, e)
			want = append(want, e.ID)
		}
		require.NoError(t, f.st.CreateClient(ctx, c, evs))
	}
	var mu sync.Mutex
	var got []uuid.UUID
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				n, err := f.st.ClaimOutbox(ctx, 7, func(_ context.Context, batch []crm.Event) error {
					time.Sleep(2 * time.Millisecond) // hold the claim while others poll
					mu.Lock()
					defer mu.Unlock()
					for _, e := range batch {
						got = append(got, e.ID)
					}
					return nil
				})
				if !assert.NoError(t, err) || n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	assert.Len(t, got, events, "each event published once")
	slices.SortFunc(got, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	slices.SortFunc(want, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	assert.Equal(t, want, got)
}
