package storetest

import (
	"errors"
	"iter"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// snapshot is what a set of clients looks like from outside: the cards,
// their timelines and interactions, and what FindByKeys finds for a set
// of keys. A refused write must leave it as it was.
type snapshot struct {
	clients      map[uuid.UUID]crm.Client // absent: not found
	timelines    map[uuid.UUID][]crm.Event
	interactions map[uuid.UUID][]crm.Interaction
	matches      []crm.KeyMatch
}

// watch names what a snapshot looks at.
type watch struct {
	ids  []uuid.UUID
	keys []crm.MatchKey
}

func (k *kit) snapshot(w watch) snapshot {
	k.t.Helper()
	s := snapshot{
		clients:      map[uuid.UUID]crm.Client{},
		timelines:    map[uuid.UUID][]crm.Event{},
		interactions: map[uuid.UUID][]crm.Interaction{},
	}
	for _, id := range w.ids {
		c, err := k.s.GetClient(k.ctx, id)
		if !errors.Is(err, store.ErrNotFound) {
			require.NoError(k.t, err, "setup: GetClient failed")
			s.clients[id] = c
		}
		s.timelines[id] = collectTolerant(k.t, k.s.Timeline(k.ctx, id, store.Page{}))
		s.interactions[id] = collectTolerant(k.t, k.s.ListInteractions(k.ctx, id, store.Page{}))
	}
	s.matches = k.findKeys(w.keys...)
	return s
}

// collectTolerant drains a listing of one client, taking ErrNotFound (the
// contract leaves open whether an unknown client's listing is empty or
// not found) as empty.
func collectTolerant[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	out, err := store.Collect(seq)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	require.NoError(t, err, "setup: listing failed")
	return out
}

// unchanged asserts that the failed write left the watched records as
// the snapshot shows them.
func (k *kit) unchanged(before snapshot, w watch, write string) {
	k.t.Helper()
	t := k.t
	after := k.snapshot(w)
	const rule = "contract: a failed write writes nothing"
	for _, id := range w.ids {
		b, had := before.clients[id]
		a, has := after.clients[id]
		switch {
		case !had && has:
			assert.Failf(t, rule, "%s failed, yet client %s now exists", write, id)
		case had && !has:
			assert.Failf(t, rule, "%s failed, yet client %s is gone", write, id)
		case had:
			sameClient(t, b, a, "%s — %s failed, yet client %s changed", rule, write, id)
		}
		same(t, before.timelines[id], after.timelines[id],
			"%s — %s failed, yet the timeline of client %s changed", rule, write, id)
		same(t, before.interactions[id], after.interactions[id],
			"%s — %s failed, yet the interactions of client %s changed", rule, write, id)
	}
	assert.ElementsMatchf(t, before.matches, after.matches,
		"%s — %s failed, yet FindByKeys finds something else (its index entries were written)", rule, write)
}
