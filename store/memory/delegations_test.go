package memory_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

func isOverlap(t *testing.T, err error) {
	t.Helper()
	var de *crm.DelegationError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, crm.DelegationOverlap, de.Reason)
	assert.ErrorIs(t, err, crm.ErrDelegation)
}

func TestDelegationOverlap(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	principal := newID()
	day := 24 * time.Hour
	first := delegation(principal, t0, t0.Add(7*day))
	require.NoError(t, st.CreateDelegation(ctx, first, nil))

	cases := []struct {
		name     string
		from, to time.Duration
		overlaps bool
	}{
		{"inside", day, 2 * day, true},
		{"straddling the start", -day, day, true},
		{"straddling the end", 6 * day, 8 * day, true},
		{"covering", -day, 8 * day, true},
		{"right after", 7 * day, 9 * day, false},
		{"right before", -2 * day, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := memory.New()
			require.NoError(t, st.CreateDelegation(ctx, first, nil))
			d := delegation(principal, t0.Add(tc.from), t0.Add(tc.to))
			err := st.CreateDelegation(ctx, d, []crm.Event{event(uuid.Nil, crm.EventDelegationCreated, t0)})
			if tc.overlaps {
				isOverlap(t, err)
				assert.Equal(t, memory.Stats{Delegations: 1}, st.Stats(), "nothing written")
				return
			}
			require.NoError(t, err)
			// Another principal's delegation in the same window is fine.
			require.NoError(t, st.CreateDelegation(ctx, delegation(newID(), t0, t0.Add(7*day)), nil))
		})
	}

	// A cancelled delegation ends at its cancellation.
	stored, err := st.GetDelegation(ctx, first.ID)
	require.NoError(t, err)
	stored.CancelledAt, stored.CancelledBy = t0.Add(2*day), principal
	require.NoError(t, st.UpdateDelegation(ctx, stored, []crm.Event{event(uuid.Nil, crm.EventDelegationCancelled, t0.Add(2*day))}))
	stored.Version++
	second := delegation(principal, t0.Add(3*day), t0.Add(5*day))
	require.NoError(t, st.CreateDelegation(ctx, second, nil))

	// Re-opening the first now overlaps the second; updating a delegation
	// never overlaps itself.
	reopened := stored
	reopened.CancelledAt = time.Time{}
	isOverlap(t, st.UpdateDelegation(ctx, reopened, nil))
	stored.Reason = "sick leave"
	require.NoError(t, st.UpdateDelegation(ctx, stored, nil))
}

func TestDelegationVersionsAndCopies(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	d := delegation(newID(), t0, t0.Add(time.Hour))
	want := d.Clone()
	want.Version = 1
	require.NoError(t, st.CreateDelegation(ctx, d, nil))
	d.Clients[0] = uuid.Nil
	got, err := st.GetDelegation(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	got.Clients[0] = uuid.Nil
	again, err := st.GetDelegation(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, want, again)

	assert.ErrorIs(t, st.CreateDelegation(ctx, want, nil), store.ErrConflict, "version must be NoVersion")
	d.Version = 0
	assert.ErrorIs(t, st.CreateDelegation(ctx, d, nil), store.ErrDuplicate)

	again.Reason = "changed"
	require.NoError(t, st.UpdateDelegation(ctx, again, nil))
	assert.ErrorIs(t, st.UpdateDelegation(ctx, again, nil), store.ErrConflict)
	got, err = st.GetDelegation(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Version(2), got.Version)
	assert.Equal(t, "changed", got.Reason)

	missing := delegation(newID(), t0, t0.Add(time.Hour))
	missing.Version = 1
	assert.ErrorIs(t, st.UpdateDelegation(ctx, missing, nil), store.ErrNotFound)
	_, err = st.GetDelegation(ctx, missing.ID)
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func TestListDelegations(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	alice, bob, deputy := newID(), newID(), newID()
	var all []crm.Delegation
	for i := range 6 {
		p := alice
		if i%2 == 1 {
			p = bob
		}
		from := t0.Add(time.Duration(i) * 24 * time.Hour)
		d := delegation(p, from, from.Add(24*time.Hour))
		if i < 3 {
			d.Deputy = deputy
		}
		require.NoError(t, st.CreateDelegation(ctx, d, nil))
		d.Version = 1
		all = append(all, d)
	}
	list := func(f crm.DelegationFilter, p store.Page) []uuid.UUID {
		return ids(collect(t, st.ListDelegations(ctx, f, p)))
	}
	assert.Equal(t, ids(all), list(crm.DelegationFilter{}, store.Page{}))
	assert.Equal(t, []uuid.UUID{all[0].ID, all[2].ID, all[4].ID}, list(crm.DelegationFilter{Principal: alice}, store.Page{}))
	assert.Equal(t, []uuid.UUID{all[2].ID, all[1].ID}, list(crm.DelegationFilter{Deputy: deputy}, store.Page{Order: store.Descending, Limit: 2}))
	assert.Equal(t, []uuid.UUID{all[1].ID}, list(crm.DelegationFilter{Deputy: deputy, ActiveAt: t0.Add(36 * time.Hour)}, store.Page{}))
	assert.Equal(t, []uuid.UUID{all[2].ID}, list(crm.DelegationFilter{Principal: alice, Deputy: deputy}, store.Page{After: all[0].Cursor()}))

	// Changing the deputy moves the delegation between deputies' lists.
	d := all[0]
	d.Deputy = newID()
	require.NoError(t, st.UpdateDelegation(ctx, d, nil))
	assert.Equal(t, []uuid.UUID{all[1].ID, all[2].ID}, list(crm.DelegationFilter{Deputy: deputy}, store.Page{}))
	assert.Equal(t, []uuid.UUID{all[0].ID}, list(crm.DelegationFilter{Deputy: d.Deputy}, store.Page{}))
}
