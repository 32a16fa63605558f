package crm_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

func TestDelegation(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	other := w.create(t, w.manager1, company("Лютик", innYandex))

	// Vacation week: Monday 9 March to Monday 16 March.
	from := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 7)
	d, err := w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.deputy.ID, From: from, To: to, Reason: "vacation"})
	require.NoError(t, err)
	assert.Equal(t, w.manager1.ID, d.Principal)

	_, err = w.svc.GetClient(w.ctx, w.deputy, c.ID)
	assert.ErrorIs(t, err, crm.ErrForbidden, "before the window the deputy has no access")

	w.clock.Set(from.Add(10 * time.Hour))
	got, err := w.svc.GetClient(w.ctx, w.deputy, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID)
	it, err := w.svc.LogInteraction(w.ctx, w.deputy, crm.NewInteraction{ClientID: c.ID, Kind: crm.InteractionCall,
		Direction: crm.Outbound, At: from.Add(9 * time.Hour), Outcome: crm.OutcomeReached, Subject: "delivery dates"})
	require.NoError(t, err)
	assert.Equal(t, w.deputy.ID, it.RecordedBy)
	assert.Equal(t, w.manager1.ID, it.OnBehalfOf)
	moved, err := w.svc.ChangeStage(w.ctx, w.deputy, c.ID, crm.StageMove{To: crm.StageQualified})
	require.NoError(t, err)
	last := moved.StageLog[len(moved.StageLog)-1]
	assert.Equal(t, w.deputy.ID, last.By)
	assert.Equal(t, w.manager1.ID, last.OnBehalfOf)
	events, _ := store.Collect(w.svc.Timeline(w.ctx, w.deputy, c.ID, store.Page{}))
	for _, e := range events[1:] {
		assert.Equal(t, w.deputy.ID, e.Actor, e.Kind)
		assert.Equal(t, w.manager1.ID, e.OnBehalfOf, e.Kind)
	}
	listed, err := store.Collect(w.svc.ListClients(w.ctx, w.deputy, crm.ClientFilter{}, store.Page{}))
	require.NoError(t, err)
	assert.Len(t, listed, 2, "the deputy sees the principal's clients")

	t.Run("no overlapping delegations for one principal", func(t *testing.T) {
		_, err := w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.manager2.ID, From: to.Add(-time.Hour), To: to.AddDate(0, 0, 3)})
		var de *crm.DelegationError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, crm.DelegationOverlap, de.Reason)
		adjacent, err := w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.manager2.ID, From: to, To: to.AddDate(0, 0, 3)})
		require.NoError(t, err, "[a,b) and [b,c) do not overlap")
		_, err = w.svc.CancelDelegation(w.ctx, w.manager1, adjacent.ID)
		require.NoError(t, err)
	})
	t.Run("a deputy cannot delegate onward", func(t *testing.T) {
		_, err := w.svc.Delegate(w.ctx, w.deputy, crm.NewDelegation{Principal: w.manager1.ID, Deputy: w.outsider.ID, From: from.AddDate(0, 1, 0), To: from.AddDate(0, 1, 7)})
		var de *crm.DelegationError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, crm.DelegationOnward, de.Reason)
		// Delegating their own work passes only their own rights: not the principal's clients.
		own, err := w.svc.Delegate(w.ctx, w.deputy, crm.NewDelegation{Deputy: w.outsider.ID, From: from, To: to})
		require.NoError(t, err)
		_, err = w.svc.GetClient(w.ctx, w.outsider, c.ID)
		assert.ErrorIs(t, err, crm.ErrForbidden, "rights held as a deputy do not chain")
		_, err = w.svc.CancelDelegation(w.ctx, w.deputy, own.ID)
		require.NoError(t, err)
	})
	t.Run("bad delegations", func(t *testing.T) {
		_, err := w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.manager1.ID, From: from, To: to})
		assert.ErrorIs(t, err, crm.ErrDelegation)
		_, err = w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.manager2.ID, From: to, To: from})
		assert.ErrorIs(t, err, crm.ErrInvalid)
		_, err = w.svc.Delegate(w.ctx, w.manager2, crm.NewDelegation{Principal: w.manager1.ID, Deputy: w.manager2.ID, From: to, To: to.AddDate(0, 0, 1)})
		assert.ErrorIs(t, err, crm.ErrForbidden)
	})

	cancelled, err := w.svc.CancelDelegation(w.ctx, w.manager1, d.ID)
	require.NoError(t, err)
	assert.False(t, cancelled.CancelledAt.IsZero())
	_, err = w.svc.GetClient(w.ctx, w.deputy, c.ID)
	assert.ErrorIs(t, err, crm.ErrForbidden, "a cancelled delegation gives nothing")
	_, err = w.svc.CancelDelegation(w.ctx, w.manager1, d.ID)
	assert.ErrorIs(t, err, crm.ErrDelegation)

	t.Run("scope limited to a list of clients", func(t *testing.T) {
		_, err := w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.deputy.ID, From: w.clock.Peek(), To: to.AddDate(0, 0, 30), Clients: []uuid.UUID{other.ID}})
		require.NoError(t, err)
		_, err = w.svc.GetClient(w.ctx, w.deputy, other.ID)
		require.NoError(t, err)
		_, err = w.svc.GetClient(w.ctx, w.deputy, c.ID)
		assert.ErrorIs(t, err, crm.ErrForbidden)
		w.clock.Set(to.AddDate(0, 0, 30))
		_, err = w.svc.GetClient(w.ctx, w.deputy, other.ID)
		assert.ErrorIs(t, err, crm.ErrForbidden, "after the window the deputy has no access")
	})
}

func TestConcurrentOverlappingDelegations(t *testing.T) {
	w := newWorld(t)
	from := t0.Add(time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range 20 {
		wg.Go(func() {
			_, err := w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.deputy.ID,
				From: from.Add(time.Duration(i) * time.Minute), To: from.Add(48 * time.Hour)})
			if err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else {
				assert.ErrorIs(t, err, crm.ErrDelegation)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 1, ok)
}
