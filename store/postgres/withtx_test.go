package postgres_test

import (
	"time"

	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// crmkit's writes through WithTx commit and roll back with the host's
// transaction; a refused write leaves that transaction usable.
func TestWithTx(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()

	// Rolled back with the host's work.
	tx, err := f.pool.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "CREATE TEMP TABLE host_orders (id int)")
	require.NoError(t, err)
	inTx := f.st.WithTx(tx)
	gone := client()
	require.NoError(t, inTx.CreateClient(ctx, gone, []crm.Event{event(gone.ID, crm.EventClientCreated, t0)}))
	got, err := inTx.GetClient(ctx, gone.ID)
	require.NoError(t, err, "the transaction sees its own write")
	assert.Equal(t, gone.ID, got.ID)
	_, err = f.st.GetClient(ctx, gone.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "others do not see an uncommitted write")
	require.NoError(t, tx.Rollback(ctx))
	_, err = f.st.GetClient(ctx, gone.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "rolled back with the host's transaction")
	n := 0
	require.NoError(t, f.pool.QueryRow(ctx, "SELECT count(*) FROM crmkit_outbox").Scan(&n))
	assert.Zero(t, n, "its outbox rows rolled back too")

	// Committed with the host's work, after a refused write in between.
	tx, err = f.pool.Begin(ctx)
	require.NoError(t, err)
	inTx = f.st.WithTx(tx)
	kept := client()
	require.NoError(t, inTx.CreateClient(ctx, kept, nil))
	dup := client()
	dup.TaxIDs = kept.TaxIDs
	require.ErrorIs(t, inTx.CreateClient(ctx, dup, []crm.Event{event(dup.ID, crm.EventClientCreated, t0)}), store.ErrDuplicate)
	stale := kept
	stale.Version = 7
	require.ErrorIs(t, inTx.UpdateClient(ctx, stale, nil), store.ErrConflict)
	_, err = tx.Exec(ctx, "SELECT 1")
	require.NoError(t, err, "a refused write leaves the host's transaction usable")
	in := interaction(kept.ID, t0.Add(time.Minute))
	require.NoError(t, inTx.AppendInteraction(ctx, in, []crm.Event{event(kept.ID, crm.EventInteractionLogged, in.At)}))
	// A listing on the transaction lets the loop body use it too.
	for c, err := range inTx.ListClients(ctx, crm.ClientFilter{}, store.Page{}) {
		require.NoError(t, err)
		c.Tags = append(c.Tags, "in tx")
		require.NoError(t, inTx.UpdateClient(ctx, c, nil))
	}
	require.NoError(t, tx.Commit(ctx))

	got, err = f.st.GetClient(ctx, kept.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Version(2), got.Version)
	assert.Contains(t, got.Tags, "in tx")
	assert.True(t, in.At.Equal(got.LastContactAt))
	_, err = f.st.GetClient(ctx, dup.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "the refused write wrote nothing")
	tl, err := store.Collect(f.st.Timeline(ctx, kept.ID, store.Page{}))
	require.NoError(t, err)
	assert.Len(t, tl, 1)
}

// UpdateComplaints in the host's transaction: a stale complaint refuses
// the whole write, which leaves the transaction usable and writes
// nothing; a current pair commits with the host's work.
func TestWithTxUpdateComplaints(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	c := client()
	require.NoError(t, f.st.CreateClient(ctx, c, nil))
	mk := func(at time.Time) crm.Complaint {
		return crm.Complaint{ID: ids(), ClientID: c.ID, Channel: crm.ChannelEmail, ReceivedAt: at, Status: crm.ComplaintReceived,
			Subject: "Бой при доставке", StatusLog: []crm.ComplaintStatusChange{{To: crm.ComplaintReceived, At: at}},
			AcknowledgeDue: at.Add(4 * time.Hour), ResolveDue: at.Add(40 * time.Hour), CreatedAt: at, UpdatedAt: at}
	}
	a, b := mk(t0), mk(t0.Add(time.Minute))
	require.NoError(t, f.st.CreateComplaint(ctx, a, nil))
	require.NoError(t, f.st.CreateComplaint(ctx, b, nil))
	a.Version, b.Version = 1, 1

	tx, err := f.pool.Begin(ctx)
	require.NoError(t, err)
	inTx := f.st.WithTx(tx)
	staleB := b
	staleB.Version = 5
	a2 := a
	a2.Subject = "changed"
	require.ErrorIs(t, inTx.UpdateComplaints(ctx, []crm.Complaint{a2, staleB}, []crm.Event{event(c.ID, crm.EventComplaintStatus, t0)}), store.ErrConflict)
	_, err = tx.Exec(ctx, "SELECT 1")
	require.NoError(t, err, "a refused write leaves the host's transaction usable")
	got, err := inTx.GetComplaint(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Version(1), got.Version, "nothing of the refused write is left in the transaction")

	require.NoError(t, inTx.UpdateComplaints(ctx, []crm.Complaint{a2, b}, nil))
	require.NoError(t, tx.Commit(ctx))
	got, err = f.st.GetComplaint(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "changed", got.Subject)
	got, err = f.st.GetComplaint(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Version(2), got.Version)
}
