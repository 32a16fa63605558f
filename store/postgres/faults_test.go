package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/postgres"
)

// blockedWrite starts a CreateClient of a client with many events and
// stops it in the middle: another transaction holds an uncommitted event
// with the id of the write's last event, so the write has inserted the
// client, its keys and most of its events when it waits on the unique
// index. It returns the client, the write's pid, a channel with the
// write's error, and a function that ends the blocking transaction.
func blockedWrite(t *testing.T, f fixture, ctx context.Context, configure ...func(*pgxpool.Config)) (crm.Client, int32, <-chan error, func()) {
	t.Helper()
	app := "crmkit-fault-" + uuid.NewString()[:8]
	st := postgres.New(f.poolWith(t, 2, map[string]string{"application_name": app}, configure...))
	c := client()
	var events []crm.Event
	for i := range 500 {
		events = append(events, event(c.ID, crm.EventClientUpdated, t0.Add(time.Duration(i)*time.Second)))
	}
	blocker, err := f.pool.Begin(t.Context())
	require.NoError(t, err)
	_, err = blocker.Exec(t.Context(), "INSERT INTO crmkit_events (id, kind, at) VALUES ($1, 'blocker', now())", events[len(events)-1].ID)
	require.NoError(t, err)
	release := func() { _ = blocker.Rollback(context.Background()) }
	t.Cleanup(release)

	done := make(chan error, 1)
	go func() { done <- st.CreateClient(ctx, c, events) }()

	// Wait until the write waits on the blocker.
	var pid int32
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := f.pool.QueryRow(t.Context(), `SELECT pid FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, app).Scan(&pid)
		if err == nil {
			break
		}
		require.Truef(t, time.Now().Before(deadline), "the write never blocked: %v", err)
		time.Sleep(10 * time.Millisecond)
	}
	return c, pid, done, release
}

// nothingOf asserts that no trace of the client is stored: no row, no
// keys, no events, no outbox rows.
func nothingOf(t *testing.T, f fixture, c crm.Client, what string) {
	t.Helper()
	ctx := t.Context()
	_, err := f.st.GetClient(ctx, c.ID)
	assert.ErrorIsf(t, err, store.ErrNotFound, "%s: the client was written", what)
	matches, err := f.st.FindByKeys(ctx, c.MatchKeys())
	require.NoError(t, err)
	assert.Emptyf(t, matches, "%s: its keys were written", what)
	for _, table := range []string{"crmkit_clients", "crmkit_client_keys", "crmkit_events", "crmkit_outbox"} {
		var n int
		require.NoError(t, f.pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n))
		assert.Zerof(t, n, "%s: %d rows in %s", what, n, table)
	}
}

// waitGone waits until the backend pid has ended or gone idle: whatever
// it was going to commit is committed by then.
func waitGone(t *testing.T, f fixture, pid int32) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		require.NoError(t, f.pool.QueryRow(t.Context(),
			"SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state <> 'idle'", pid).Scan(&n))
		if n == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("backend %d still busy", pid)
}

// A write whose context is cancelled in the middle writes nothing — not
// even once the lock it waited on is released and the server could finish
// its statements: COMMIT is sent only after every result came back. It
// holds whether pgx reacts to the cancellation by closing the connection
// (its default) or by sending the server a cancel request.
func TestCancelMidWriteWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		name      string
		configure []func(*pgxpool.Config)
	}{
		{"connection closed", nil},
		{"cancel request", []func(*pgxpool.Config){func(cfg *pgxpool.Config) {
			cfg.ConnConfig.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
				return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 5 * time.Second}
			}
		}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			ctx, cancel := context.WithCancel(t.Context())
			c, pid, done, release := blockedWrite(t, f, ctx, tc.configure...)
			cancel()
			select {
			case err := <-done:
				require.ErrorIs(t, err, context.Canceled)
			case <-time.After(20 * time.Second):
				t.Fatal("the cancelled write did not return")
			}
			release()
			waitGone(t, f, pid)
			nothingOf(t, f, c, "a cancelled write")
		})
	}
}

// A write whose connection is killed in the middle writes nothing, and
// the store goes on working with the pool's other connections.
func TestKilledConnectionWritesNothing(t *testing.T) {
	f := newFixture(t)
	c, pid, done, release := blockedWrite(t, f, t.Context())
	var killed bool
	require.NoError(t, f.pool.QueryRow(t.Context(), "SELECT pg_terminate_backend($1)", pid).Scan(&killed))
	require.True(t, killed)
	select {
	case err := <-done:
		require.Error(t, err)
		assert.ErrorIs(t, err, postgres.ErrBackend, "a lost connection is a backend error: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("the write on a killed connection did not return")
	}
	release()
	waitGone(t, f, pid)
	nothingOf(t, f, c, "a write on a killed connection")

	again := client()
	require.NoError(t, f.st.CreateClient(t.Context(), again, nil), "the store works after a connection was killed")
}

// Two processes (two pools) change one client at once, each by
// read-modify-write with a retry on ErrConflict, and append interactions
// to it meanwhile: no update is lost, and LastContactAt is the latest.
func TestTwoPoolsNoLostUpdate(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	stores := []*postgres.Store{
		postgres.New(f.poolWith(t, 4, map[string]string{"application_name": "process-a"})),
		postgres.New(f.poolWith(t, 4, map[string]string{"application_name": "process-b"})),
	}
	c := client()
	require.NoError(t, f.st.CreateClient(ctx, c, nil))
	const writers = 12 // per process
	var wg sync.WaitGroup
	errs := make(chan error, 4*writers)
	var latest time.Time
	for p, st := range stores {
		for w := range writers {
			tag := fmt.Sprintf("p%d-w%02d", p, w)
			wg.Go(func() { errs <- addTag(ctx, st, c.ID, tag) })
			at := t0.Add(time.Duration(p*writers+w) * time.Minute)
			if at.After(latest) {
				latest = at
			}
			wg.Go(func() {
				in := interaction(c.ID, at)
				errs <- st.AppendInteraction(ctx, in, []crm.Event{event(c.ID, crm.EventInteractionLogged, at)})
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got, err := f.st.GetClient(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Version(1+2*writers), got.Version, "every update stored, each at the next version")
	assert.Len(t, got.Tags, 1+2*writers, "no tag lost: %v", got.Tags)
	assert.True(t, latest.Equal(got.LastContactAt), "LastContactAt %s, want %s", got.LastContactAt, latest)
	tl, err := store.Collect(f.st.Timeline(ctx, c.ID, store.Page{}))
	require.NoError(t, err)
	assert.Len(t, tl, 4*writers, "every write's event stored once")
}

// addTag adds a tag by read-modify-write, retrying on ErrConflict.
func addTag(ctx context.Context, st *postgres.Store, id uuid.UUID, tag string) error {
	for range 1000 {
		c, err := st.GetClient(ctx, id)
		if err != nil {
			return err
		}
		c.Tags = append(slices.Clone(c.Tags), tag)
		err = st.UpdateClient(ctx, c, []crm.Event{event(id, crm.EventClientUpdated, t0)})
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
		time.Sleep(time.Duration(len(tag)) * 50 * time.Microsecond)
	}
	return fmt.Errorf("too many conflicts adding %s", tag)
}

// Under SERIALIZABLE, a write that meets a concurrent update fails with a
// serialization failure (40001); the store runs it again, which here
// succeeds, since the other transaction did not change the version.
func TestSerializationFailureIsRetried(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	serializable := f.poolWith(t, 4, map[string]string{
		"default_transaction_isolation": "serializable",
		"application_name":              "crmkit-serializable",
	})
	st := postgres.New(serializable)
	c := client()
	require.NoError(t, st.CreateClient(ctx, c, nil))

	// Another transaction touches the client's row and holds it.
	other, err := serializable.Begin(ctx)
	require.NoError(t, err)
	defer other.Rollback(context.Background()) //nolint:errcheck
	_, err = other.Exec(ctx, "UPDATE crmkit_clients SET last_contact_at = $2 WHERE id = $1", c.ID, t0)
	require.NoError(t, err)

	u := c.Clone()
	u.Version = 1
	u.Tags = []string{"retried"}
	done := make(chan error, 1)
	go func() { done <- st.UpdateClient(ctx, u, []crm.Event{event(c.ID, crm.EventClientUpdated, t0)}) }()
	waitForLockWaiter(t, serializable, "crmkit-serializable")
	require.NoError(t, other.Commit(ctx))

	select {
	case err := <-done:
		require.NoError(t, err, "the serialization failure was retried")
	case <-time.After(20 * time.Second):
		t.Fatal("the update did not return")
	}
	got, err := st.GetClient(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Version(2), got.Version)
	assert.Equal(t, []string{"retried"}, got.Tags)
	assert.True(t, t0.Equal(got.LastContactAt), "the other transaction's change is kept")
}

func waitForLockWaiter(t *testing.T, pool *pgxpool.Pool, app string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, app).Scan(&n))
		if n > 0 {
			return
		}
		require.True(t, time.Now().Before(deadline), "no writer ever waited for the lock")
		time.Sleep(10 * time.Millisecond)
	}
}
