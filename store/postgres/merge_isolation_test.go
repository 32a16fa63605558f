package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/postgres"
)

// waitForLockWaiters blocks until n sessions wait on a lock.
func waitForLockWaiters(t *testing.T, pool *pgxpool.Pool, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var waiting int
		require.NoError(t, pool.QueryRow(context.Background(),
			"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&waiting))
		if waiting >= n {
			return
		}
	}
	t.Fatalf("fewer than %d sessions waiting on a lock", n)
}

// Under REPEATABLE READ as the database default, a merge that waited for
// the merged client's row lock still moves the complaint or interaction
// a writer holding that lock committed meanwhile: MergeClients runs at
// READ COMMITTED.
func TestMergeRepeatableReadMovesEveryRecord(t *testing.T) {
	for _, kind := range []string{"complaint", "interaction"} {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t)
			ctx := t.Context()
			st := postgres.New(f.poolWith(t, 4, map[string]string{"default_transaction_isolation": "repeatable read"}))
			survivor, merged := client(), client()
			require.NoError(t, st.CreateClient(ctx, survivor, nil))
			require.NoError(t, st.CreateClient(ctx, merged, nil))
			survivor, _ = st.GetClient(ctx, survivor.ID)
			merged, _ = st.GetClient(ctx, merged.ID)

			// A third session holds the merged client's row so that the
			// two writers below queue up on it in a known order.
			gate, err := f.pool.Begin(ctx)
			require.NoError(t, err)
			_, err = gate.Exec(ctx, "SELECT 1 FROM crmkit_clients WHERE id = $1 FOR UPDATE", merged.ID)
			require.NoError(t, err)

			recordID := ids()
			written := make(chan error, 1)
			go func() {
				if kind == "complaint" {
					cp := crm.Complaint{ID: recordID, ClientID: merged.ID, Channel: crm.ChannelEmail, ReceivedAt: t0,
						Status: crm.ComplaintReceived, Description: "бой при доставке", Severity: crm.SeverityMedium,
						StatusLog: []crm.ComplaintStatusChange{{To: crm.ComplaintReceived, At: t0}}, CreatedAt: t0, UpdatedAt: t0}
					written <- st.CreateComplaint(ctx, cp, []crm.Event{event(merged.ID, crm.EventComplaintReceived, t0)})
					return
				}
				note := crm.Interaction{ID: recordID, ClientID: merged.ID, Kind: crm.InteractionNote, At: t0,
					Outcome: crm.OutcomeOther, Manager: actor, RecordedAt: t0, RecordedBy: actor}
				written <- st.AppendInteraction(ctx, note, []crm.Event{event(merged.ID, crm.EventInteractionLogged, t0)})
			}()
			waitForLockWaiters(t, f.pool, 1) // the writer's FOR SHARE waits

			tomb := merged
			tomb.MergedInto = survivor.ID
			mergeDone := make(chan error, 1)
			go func() { mergeDone <- st.MergeClients(ctx, survivor, tomb, nil) }()
			waitForLockWaiters(t, f.pool, 2) // the merge's FOR UPDATE waits, its snapshot taken

			require.NoError(t, gate.Commit(ctx)) // the writer goes first, then the merge
			require.NoError(t, <-written)
			require.NoError(t, <-mergeDone, "the merge succeeds")

			var owner uuid.UUID
			if kind == "complaint" {
				got, err := st.GetComplaint(ctx, recordID)
				require.NoError(t, err)
				owner = got.ClientID
			} else {
				got, err := st.GetInteraction(ctx, recordID)
				require.NoError(t, err)
				owner = got.ClientID
			}
			left, err := store.Collect(st.Timeline(ctx, merged.ID, store.Page{}))
			require.NoError(t, err)
			assert.Equal(t, survivor.ID, owner, "the record must move to the survivor with the merge")
			assert.Empty(t, left, "nothing may stay on the tombstone's timeline")
		})
	}
}
