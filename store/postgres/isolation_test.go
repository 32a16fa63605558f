package postgres_test

import (
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/postgres"
)

// A delegation's overlap check is atomic with its write whatever the
// isolation level of the transaction it runs in. Here the host's
// REPEATABLE READ transaction took its snapshot before another process
// stored an overlapping delegation: the host's write must not store a
// second one (it fails with a serialization failure for the host to
// retry).
func TestDelegationOverlapInRepeatableReadTx(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	principal := ids()
	from := t0.Add(24 * time.Hour)
	d1 := crm.Delegation{ID: ids(), Principal: principal, Deputy: ids(), From: from, To: from.Add(72 * time.Hour), CreatedAt: t0, CreatedBy: actor}
	d2 := crm.Delegation{ID: ids(), Principal: principal, Deputy: ids(), From: from.Add(24 * time.Hour), To: from.Add(96 * time.Hour), CreatedAt: t0, CreatedBy: actor}
	require.True(t, d1.Overlaps(d2))

	tx, err := f.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, "SELECT count(*) FROM crmkit_clients") // the snapshot is taken
	require.NoError(t, err)

	require.NoError(t, f.st.CreateDelegation(ctx, d1, nil)) // another process

	err = f.st.WithTx(tx).CreateDelegation(ctx, d2, nil)
	if err == nil {
		err = tx.Commit(ctx)
	}
	require.Error(t, err, "the overlapping delegation must be refused")
	var pe *postgres.Error
	assert.ErrorAs(t, err, &pe, "a serialization failure for the host to retry")
	all, err := store.Collect(f.st.ListDelegations(ctx, crm.DelegationFilter{Principal: principal}, store.Page{}))
	require.NoError(t, err)
	assert.Len(t, all, 1)
}

// With REPEATABLE READ as the database's default, the store's own
// transactions still store exactly one of concurrent overlapping
// delegations; the serialization failures of the others are retried and
// end as overlap errors.
func TestDelegationOverlapRepeatableReadDefault(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	st := postgres.New(f.poolWith(t, 16, map[string]string{"default_transaction_isolation": "repeatable read"}))
	principal := ids()
	from := t0.Add(24 * time.Hour)
	const n = 12
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			d := crm.Delegation{ID: ids(), Principal: principal, Deputy: ids(),
				From: from.Add(time.Duration(i) * time.Minute), To: from.Add(48 * time.Hour), CreatedAt: t0, CreatedBy: actor}
			errs[i] = st.CreateDelegation(ctx, d, nil)
		}()
	}
	close(start)
	wg.Wait()
	stored := 0
	for _, err := range errs {
		if err == nil {
			stored++
		}
	}
	all, err := store.Collect(st.ListDelegations(ctx, crm.DelegationFilter{Principal: principal}, store.Page{}))
	require.NoError(t, err)
	assert.Equal(t, 1, stored, "exactly one of %d overlapping creates succeeds; errors: %v", n, errs)
	assert.Len(t, all, 1)
}

// Migration 0007 gives complaints on hold their hold's start as
// held_since: run its backfill on rows whose held_since was cleared.
func TestComplaintHeldSinceBackfill(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	w := newParityWorld(t, f.st)
	cp, err := w.svc.ReceiveComplaint(ctx, w.actor, crm.NewComplaint{ClientID: w.cl.ID, Channel: crm.ChannelEmail,
		ReceivedAt: w.clk.Now(), Subject: "s", Description: "Коробки пришли смятыми"})
	require.NoError(t, err)
	held, err := w.svc.HoldComplaint(ctx, w.actor, cp.ID, "ждём фото")
	require.NoError(t, err)
	h, ok := held.Hold()
	require.True(t, ok)
	_, err = f.pool.Exec(ctx, "UPDATE crmkit_complaints SET held_since = NULL")
	require.NoError(t, err)

	migration, err := fs.ReadFile(postgres.Migrations(), "0007_complaint_held_since.sql")
	require.NoError(t, err)
	text := string(migration)
	backfill := text[strings.Index(text, "UPDATE"):strings.Index(text, "-- Overdue listings")]
	_, err = f.pool.Exec(ctx, backfill)
	require.NoError(t, err)
	var since time.Time
	require.NoError(t, f.pool.QueryRow(ctx, "SELECT held_since FROM crmkit_complaints WHERE id = $1", cp.ID).Scan(&since))
	assert.True(t, h.From.Equal(since), "held_since %s, hold from %s", since, h.From)
}
