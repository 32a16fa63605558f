package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/postgres"
)

var lday = loyalty.MustDate(2026, 3, 2)

// ledger is an account as seen from outside: the account, its entries and
// its lots.
type ledger struct {
	acct    loyalty.Account
	entries []loyalty.Entry
	lots    []loyalty.Lot
}

func readLedger(t *testing.T, st *postgres.Store, id string) ledger {
	t.Helper()
	ctx := t.Context()
	a, err := st.Account(ctx, id)
	require.NoError(t, err)
	es, err := store.Collect(st.Entries(ctx, id, 0))
	require.NoError(t, err)
	lots, err := store.Collect(st.Lots(ctx, id))
	require.NoError(t, err)
	return ledger{acct: a, entries: es, lots: lots}
}

// credit posts an earning of points to the account.
func credit(t *testing.T, st *postgres.Store, id, key string, points string, expires loyalty.Date) loyalty.Result {
	t.Helper()
	res, err := st.Post(t.Context(), loyalty.Posting{Account: id, Key: key, Fingerprint: key, Kind: loyalty.PostEarn,
		Source: loyalty.SourceWelcome, Date: lday, At: t0, Points: dec(points), Places: 6, Expires: expires})
	require.NoError(t, err)
	return res
}

// A posting whose context is cancelled in the middle of its writes writes
// nothing, and leaves its key free: another transaction holds an
// uncommitted idempotency key row with the posting's key, so the posting
// has updated the account and its lots and inserted its entry when its
// last statement waits on the key's unique index. The cancellation comes
// then, and the blocker is rolled back only afterwards — when the server
// could have finished the posting's statements, but COMMIT was never sent.
// It holds whether pgx reacts to the cancellation by closing the
// connection (its default) or by sending the server a cancel request.
func TestLoyaltyCancelMidPostingWritesNothing(t *testing.T) {
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
			ctx := t.Context()
			require.NoError(t, f.st.CreateAccount(ctx, loyalty.Account{ID: "a", Programme: "p", Opened: lday}))
			credit(t, f.st, "a", "seed-1", "40", lday.AddDays(10))
			credit(t, f.st, "a", "seed-2", "60", loyalty.Date{})
			before := readLedger(t, f.st, "a")

			app := "crmkit-loyalty-fault-" + uuid.NewString()[:8]
			st := postgres.New(f.poolWith(t, 2, map[string]string{"application_name": app}, tc.configure...))
			blocker, err := f.pool.Begin(ctx)
			require.NoError(t, err)
			release := func() { _ = blocker.Rollback(context.Background()) }
			t.Cleanup(release)
			_, err = blocker.Exec(ctx, `INSERT INTO crmkit_loyalty_postings (account_id, key, fingerprint, first_seq, last_seq, account)
				VALUES ('a', 'pay-1', 'other', 0, -1, '{}')`)
			require.NoError(t, err)

			postCtx, cancel := context.WithCancel(ctx)
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := st.Post(postCtx, loyalty.Posting{Account: "a", Key: "pay-1", Fingerprint: "pay-1", Kind: loyalty.PostRedeem,
					Date: lday, At: t0, Points: dec("70")})
				done <- err
			}()
			pid := waitBlocked(t, f, app)
			cancel()
			select {
			case err := <-done:
				require.ErrorIs(t, err, context.Canceled)
			case <-time.After(20 * time.Second):
				t.Fatal("the cancelled posting did not return")
			}
			release()
			waitGone(t, f, pid)

			after := readLedger(t, f.st, "a")
			assert.Equal(t, before.acct.Version, after.acct.Version, "a cancelled posting changed the account")
			assert.Truef(t, before.acct.Balance.Equal(after.acct.Balance), "a cancelled posting changed the balance: %s", after.acct.Balance)
			assert.Len(t, after.entries, len(before.entries), "a cancelled posting wrote entries")
			require.Len(t, after.lots, len(before.lots))
			for i := range before.lots {
				assert.Truef(t, before.lots[i].Remaining.Equal(after.lots[i].Remaining), "a cancelled posting drew on lot %d", before.lots[i].ID)
			}
			res, err := f.st.Post(ctx, loyalty.Posting{Account: "a", Key: "pay-1", Fingerprint: "pay-1", Kind: loyalty.PostRedeem,
				Date: lday, At: t0, Points: dec("70")})
			require.NoError(t, err, "a cancelled posting leaves its key free")
			assert.False(t, res.Replayed)
			assert.Truef(t, dec("30").Equal(res.Account.Balance), "balance %s after the redemption", res.Account.Balance)
		})
	}
}

// waitBlocked waits until a backend of the application waits on a lock,
// and returns its pid.
func waitBlocked(t *testing.T, f fixture, app string) int32 {
	t.Helper()
	var pid int32
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := f.pool.QueryRow(t.Context(), `SELECT pid FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, app).Scan(&pid)
		if err == nil {
			return pid
		}
		require.Truef(t, time.Now().Before(deadline), "the posting never blocked: %v", err)
		time.Sleep(10 * time.Millisecond)
	}
}

// A posting whose connection is killed in the middle writes nothing, and
// the store goes on posting on the pool's other connections.
func TestLoyaltyKilledPostingWritesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	require.NoError(t, f.st.CreateAccount(ctx, loyalty.Account{ID: "a", Programme: "p", Opened: lday}))
	credit(t, f.st, "a", "seed", "100", loyalty.Date{})
	before := readLedger(t, f.st, "a")
	app := "crmkit-loyalty-kill-" + uuid.NewString()[:8]
	st := postgres.New(f.poolWith(t, 2, map[string]string{"application_name": app}))
	blocker, err := f.pool.Begin(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = blocker.Rollback(context.Background()) })
	_, err = blocker.Exec(ctx, `INSERT INTO crmkit_loyalty_postings (account_id, key, fingerprint, first_seq, last_seq, account)
		VALUES ('a', 'k', 'other', 0, -1, '{}')`)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := st.Post(ctx, loyalty.Posting{Account: "a", Key: "k", Fingerprint: "k", Kind: loyalty.PostRedeem, Date: lday, At: t0, Points: dec("10")})
		done <- err
	}()
	pid := waitBlocked(t, f, app)
	var killed bool
	require.NoError(t, f.pool.QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&killed))
	require.True(t, killed)
	select {
	case err := <-done:
		require.ErrorIs(t, err, postgres.ErrBackend, "a killed connection is a backend error")
	case <-time.After(20 * time.Second):
		t.Fatal("the posting on a killed connection did not return")
	}
	_ = blocker.Rollback(ctx)
	after := readLedger(t, f.st, "a")
	assert.Equal(t, before.acct.Version, after.acct.Version)
	assert.Len(t, after.entries, len(before.entries))
	for i := range 3 {
		_, err := st.Post(ctx, loyalty.Posting{Account: "a", Key: fmt.Sprint("after-", i), Fingerprint: "f", Kind: loyalty.PostRedeem, Date: lday, At: t0, Points: dec("1")})
		require.NoError(t, err, "the store works on after a connection was killed")
	}
}
