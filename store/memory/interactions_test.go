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

func TestAppendInteraction(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	c := mustCreate(t, st, client(""))

	in := interaction(c.ID, t0, crm.OutcomeReached)
	want := in.Clone()
	require.NoError(t, st.AppendInteraction(ctx, in, []crm.Event{event(c.ID, crm.EventInteractionLogged, in.At)}))
	in.Contacts[0] = uuid.Nil
	in.NextStep.Action = "changed"
	got, err := st.GetInteraction(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	got.Contacts[0] = uuid.Nil
	got.NextStep.Action = "changed"
	again, err := st.GetInteraction(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, want, again)

	_, err = st.GetInteraction(ctx, newID())
	assert.ErrorIs(t, err, store.ErrNotFound)

	// The same id again.
	var se *store.Error
	err = st.AppendInteraction(ctx, want, nil)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, store.ErrDuplicate, se.Kind)
	assert.Equal(t, "interaction", se.Entity)

	// An unknown client.
	err = st.AppendInteraction(ctx, interaction(newID(), t0, crm.OutcomeReached), nil)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, store.ErrNotFound, se.Kind)
	assert.Equal(t, "client", se.Entity)
}

func TestLastContactAt(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	c := mustCreate(t, st, client(""))

	cases := []struct {
		name string
		in   crm.Interaction
		want time.Time
	}{
		{"reached call moves it", interaction(c.ID, t0.Add(2*time.Hour), crm.OutcomeReached), t0.Add(2 * time.Hour)},
		{"an earlier call does not", interaction(c.ID, t0.Add(time.Hour), crm.OutcomeOrderTaken), t0.Add(2 * time.Hour)},
		{"no answer does not", interaction(c.ID, t0.Add(3*time.Hour), crm.OutcomeNoAnswer), t0.Add(2 * time.Hour)},
		{"a note does not", func() crm.Interaction {
			in := interaction(c.ID, t0.Add(4*time.Hour), crm.OutcomeOther)
			in.Kind = crm.InteractionNote
			return in
		}(), t0.Add(2 * time.Hour)},
		{"a later meeting does", func() crm.Interaction {
			in := interaction(c.ID, t0.Add(5*time.Hour), crm.OutcomeOther)
			in.Kind = crm.InteractionMeeting
			return in
		}(), t0.Add(5 * time.Hour)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, st.AppendInteraction(ctx, tc.in, nil))
			got, err := st.GetClient(ctx, c.ID)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.LastContactAt)
			assert.Equal(t, c.Version, got.Version, "no version bump")
			assert.Equal(t, c.UpdatedAt, got.UpdatedAt)
			assert.Equal(t, c.UpdatedBy, got.UpdatedBy)
		})
	}

	// An update built from a copy read before the interactions (same
	// version) cannot roll LastContactAt back.
	c.ShortName = "after"
	require.NoError(t, st.UpdateClient(ctx, c, nil))
	got, err := st.GetClient(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, t0.Add(5*time.Hour), got.LastContactAt)
}

func TestListInteractionsOrder(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	c := mustCreate(t, st, client(""))
	other := mustCreate(t, st, client(""))
	// Logged out of order: today's entry about yesterday's call lands in place.
	offsets := []int{5, 1, 3, 0, 4, 2}
	for _, h := range offsets {
		require.NoError(t, st.AppendInteraction(ctx, interaction(c.ID, t0.Add(time.Duration(h)*time.Hour), crm.OutcomeReached), nil))
	}
	require.NoError(t, st.AppendInteraction(ctx, interaction(other.ID, t0, crm.OutcomeReached), nil))
	// Two at the same instant are ordered by id.
	same1, same2 := interaction(c.ID, t0.Add(2*time.Hour), crm.OutcomeReached), interaction(c.ID, t0.Add(2*time.Hour), crm.OutcomeReached)
	require.NoError(t, st.AppendInteraction(ctx, same2, nil))
	require.NoError(t, st.AppendInteraction(ctx, same1, nil))

	all := collect(t, st.ListInteractions(ctx, c.ID, store.Page{}))
	require.Len(t, all, 8)
	for i := 1; i < len(all); i++ {
		assert.Negative(t, store.CompareKeys(all[i-1].At, all[i-1].ID, all[i].At, all[i].ID))
		assert.Equal(t, c.ID, all[i].ClientID)
	}

	// Pages of three, from the newest.
	var got []crm.Interaction
	p := store.Page{Order: store.Descending, Limit: 3}
	for {
		page := collect(t, st.ListInteractions(ctx, c.ID, p))
		if len(page) == 0 {
			break
		}
		got = append(got, page...)
		p.After = page[len(page)-1].Cursor()
	}
	require.Len(t, got, 8)
	for i := range got {
		assert.Equal(t, all[len(all)-1-i].ID, got[i].ID)
	}
	assert.Empty(t, collect(t, st.ListInteractions(ctx, newID(), store.Page{})))
}
