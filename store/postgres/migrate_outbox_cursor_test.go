package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"

	"github.com/crmkit/crmkit/store/postgres"
	"github.com/crmkit/crmkit/store/postgres/internal/pgtest"
)

// schemaPool returns a pool on schema whose connections run with the
// given run-time parameters.
func schemaPool(tb testing.TB, schema string, maxConns int32, params map[string]string) *pgxpool.Pool {
	tb.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.DSN(tb))
	require.NoError(tb, err)
	cfg.MaxConns = maxConns
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	for k, v := range params {
		cfg.ConnConfig.RuntimeParams[k] = v
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(tb, err)
	tb.Cleanup(pool.Close)
	return pool
}

// Migrate is documented as safe to run from several processes at once;
// the store supports hosts whose default isolation is REPEATABLE READ
// (doc.go). Two processes start Migrate on an empty schema while a third
// holds the migration lock, so both wait on it; then it is released.
func TestMigrateConcurrentlyAtRepeatableRead(t *testing.T) {
	ctx := t.Context()
	admin, schema := pgtest.Schema(t, 1)
	const migrateLock int64 = 0x63726d6b6974 // migrate.go
	conn, err := admin.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLock)
	require.NoError(t, err)

	rr := map[string]string{"default_transaction_isolation": "repeatable read"}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		p := schemaPool(t, schema, 1, rr) // a "process" each
		wg.Go(func() { errs[i] = postgres.Migrate(ctx, p) })
	}
	require.Eventually(t, func() bool {
		var waiting int
		_ = conn.QueryRow(ctx, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").Scan(&waiting)
		return waiting == 2
	}, 10*time.Second, 10*time.Millisecond)
	_, err = conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", migrateLock)
	require.NoError(t, err)
	wg.Wait()
	for i, err := range errs {
		require.NoErrorf(t, err, "concurrent Migrate %d", i)
	}
}

// A handler that panics (a broker client bug, recovered by the host's
// worker supervisor) must not leave its claim held: delivery is
// documented as at least once, so the events are claimed again by a
// later call, and no connection stays checked out of the pool.
func TestClaimOutboxHandlerPanicReleasesClaim(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	c := client()
	e := event(c.ID, crm.EventClientCreated, t0)
	require.NoError(t, f.st.CreateClient(ctx, c, []crm.Event{e}))

	// The poller's own pool; not closed by the test, because
	// pgxpool.Pool.Close would wait forever for the leaked connection.
	cfg, err := pgxpool.ParseConfig(pgtest.DSN(t))
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = f.schema
	cfg.ConnConfig.RuntimeParams["application_name"] = "crmkit-panic-test"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { // let the schema be dropped
		_, _ = f.pool.Exec(context.Background(),
			"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'crmkit-panic-test'")
	})
	poller := postgres.New(pool)

	func() {
		defer func() { _ = recover() }()
		_, _ = poller.ClaimOutbox(ctx, 10, func(context.Context, []crm.Event) error { panic("broker client bug") })
	}()

	n, err := poller.ClaimOutbox(ctx, 10, func(context.Context, []crm.Event) error { return nil })
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the event whose handler panicked is claimed again")
	assert.Equal(t, int32(0), pool.Stat().AcquiredConns(), "no connection is left checked out")
}

// Through WithTx on a host transaction at REPEATABLE READ that read the
// clients first, a merge would miss an event committed in between (a
// savepoint cannot change the isolation): it is refused with ErrInvalid,
// and at READ COMMITTED the same merge moves everything.
func TestMergeWithTxRefusedAtRepeatableRead(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	survivor, merged := client(), client()
	require.NoError(t, f.st.CreateClient(ctx, survivor, nil))
	require.NoError(t, f.st.CreateClient(ctx, merged, nil))

	tx, err := f.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	require.NoError(t, err)
	defer tx.Rollback(context.Background())
	inTx := f.st.WithTx(tx)
	s, err := inTx.GetClient(ctx, survivor.ID)
	require.NoError(t, err)
	m, err := inTx.GetClient(ctx, merged.ID)
	require.NoError(t, err)

	// Meanwhile another process logs an unanswered call with the client.
	in := interaction(merged.ID, t0.Add(time.Minute))
	in.Outcome = crm.OutcomeNoAnswer
	late := event(merged.ID, crm.EventInteractionLogged, in.At)
	require.NoError(t, f.st.AppendInteraction(ctx, in, []crm.Event{late}))

	s.MergedFrom, m.MergedInto = []uuid.UUID{m.ID}, s.ID
	err = inTx.MergeClients(ctx, s, m, nil)
	require.ErrorIs(t, err, postgres.ErrInvalid, "a merge that would leave the new event behind is refused")
	// The host's transaction is still usable, and at READ COMMITTED the
	// same merge moves everything.
	require.NoError(t, tx.Rollback(ctx))
	rc, err := f.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	require.NoError(t, err)
	defer rc.Rollback(context.Background())
	inRC := f.st.WithTx(rc)
	s, err = inRC.GetClient(ctx, survivor.ID)
	require.NoError(t, err)
	m, err = inRC.GetClient(ctx, merged.ID)
	require.NoError(t, err)
	s.MergedFrom, m.MergedInto = []uuid.UUID{m.ID}, s.ID
	require.NoError(t, inRC.MergeClients(ctx, s, m, nil))
	require.NoError(t, rc.Commit(ctx))

	tl, err := store.Collect(f.st.Timeline(ctx, survivor.ID, store.Page{}))
	require.NoError(t, err)
	ids := make([]uuid.UUID, len(tl))
	for i, e := range tl {
		ids[i] = e.ID
	}
	assert.Contains(t, ids, late.ID, "the merged client's event is on the survivor's timeline")
	got, err := f.st.GetInteraction(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, survivor.ID, got.ClientID, "the interaction moved to the survivor")
}

// A timeline cursor far beyond any stored time neither fails (22008,
// which would abort a host's transaction) nor wraps around in pgx's
// encoding: it compares like any later instant.
func TestTimelineCursorFarFuture(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	c := client()
	require.NoError(t, f.st.CreateClient(ctx, c, []crm.Event{event(c.ID, crm.EventClientCreated, t0)}))

	for _, year := range []int{300000, 586570} {
		cur, err := store.ParseCursor(fmt.Sprintf("%d.000000000_%s", time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), uuid.Nil))
		require.NoError(t, err)
		asc, err := store.Collect(f.st.Timeline(ctx, c.ID, store.Page{After: cur}))
		assert.NoErrorf(t, err, "year %d ascending", year)
		assert.Emptyf(t, asc, "year %d: nothing comes after a cursor later than every event", year)
		desc, err := store.Collect(f.st.Timeline(ctx, c.ID, store.Page{After: cur, Order: store.Descending}))
		assert.NoErrorf(t, err, "year %d descending", year)
		assert.Lenf(t, desc, 1, "year %d: every event comes before it", year)
	}

	tx, err := f.pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(context.Background())
	cur := store.Cursor{At: time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)}
	_, _ = store.Collect(f.st.WithTx(tx).Timeline(ctx, c.ID, store.Page{After: cur}))
	_, err = tx.Exec(ctx, "SELECT 1")
	assert.NoError(t, err, "the host's transaction is still usable after the read")
}
