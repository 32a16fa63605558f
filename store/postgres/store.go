package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// The store implements every Store interface of the crm package.
var _ crm.Store = (*Store)(nil)

const (
	// batchSize is how many rows a listing reads per query.
	batchSize = 200
	// maxAttempts bounds the runs of a write that meets a serialization
	// failure or a deadlock.
	maxAttempts = 5
)

// Store keeps crmkit's records in PostgreSQL. Create it with New over a
// pool whose schema Migrate has brought up to date; the zero value is not
// ready for use. It is safe for concurrent use, except a Store returned by
// WithTx, which belongs to its transaction.
type Store struct {
	pool *pgxpool.Pool
	tx   pgx.Tx // set by WithTx: every method runs in the host's transaction
}

// New returns a store over pool. It does not touch the database: call
// Migrate first (once per start is enough), or apply Migrations with a
// tool of your own and then call ReindexMatchKeys.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool}
}

// WithTx returns a store whose methods run in tx, the host's own
// transaction, so that crmkit's writes commit or roll back with the
// host's: a host that records an order and logs the call about it in one
// transaction passes that transaction here.
//
// The host owns tx: crmkit never commits or rolls it back. Each write of
// the returned store runs inside a savepoint of its own, so a refused
// write (store.ErrConflict, store.ErrDuplicate, ...) writes nothing and
// leaves tx usable. Serialization failures and deadlocks are not retried
// here — they doom the host's whole transaction, which only the host can
// run again. Listings read through tx batch by batch, between which the
// caller's loop body may use tx too. Like tx itself, the returned store
// must not be used by two goroutines at once.
//
// tx may be any pgx.Tx: one from a pgxpool.Pool, a pgx.Conn, or a nested
// transaction (savepoint). Its connection must see the crmkit schema.
func (s *Store) WithTx(tx pgx.Tx) *Store {
	return &Store{pool: s.pool, tx: tx}
}

// querier is what the store runs statements on: the pool, a transaction
// it began, or the host's transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// reader returns where reads run.
func (s *Store) reader() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.pool
}

// write runs the statements fn queues on b (with the callbacks that
// check their results) as one transaction, and translates its error.
//
// On the pool, the batch begins the transaction itself (one round trip
// for BEGIN and every statement), and COMMIT follows once every callback
// has accepted its result. COMMIT is sent only then, so a write whose
// context ends while it runs is never committed behind the caller's back.
// A serialization failure or a deadlock runs the write again, up to
// maxAttempts times: fn queues all a write needs, so it is safe to repeat.
//
// On a store bound to a host transaction (WithTx), the batch runs once
// inside a savepoint instead.
func (s *Store) write(ctx context.Context, op string, fn func(b *pgx.Batch)) error {
	return s.writeTx(ctx, op, pgx.TxOptions{}, fn)
}

// writeTx is write with the options of the store's own transaction.
func (s *Store) writeTx(ctx context.Context, op string, opts pgx.TxOptions, fn func(b *pgx.Batch)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.tx != nil {
		return translate(ctx, op, inTx(ctx, s.tx, func(tx pgx.Tx) error {
			b := &pgx.Batch{}
			fn(b)
			return tx.SendBatch(ctx, b).Close()
		}))
	}
	var err error
	for attempt := 1; ; attempt++ {
		err = s.attempt(ctx, opts, fn)
		if err == nil || attempt == maxAttempts || !retryable(err) {
			break
		}
		if werr := backoff(ctx, attempt); werr != nil {
			err = werr
			break
		}
	}
	return translate(ctx, op, err)
}

// attempt runs one try of a write on the pool.
func (s *Store) attempt(ctx context.Context, opts pgx.TxOptions, fn func(b *pgx.Batch)) error {
	b := &pgx.Batch{}
	b.BeginTx(opts)
	fn(b)
	br := s.pool.SendBatch(ctx, b)
	err := br.Close()
	tx := br.Tx()
	if err != nil {
		if tx != nil {
			rollback(ctx, tx)
		}
		return err
	}
	return tx.Commit(ctx)
}

// beginner starts a transaction: a pool, a connection, or a transaction
// (which starts a savepoint).
type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// inTx runs fn in a transaction begun on db, committing when fn returns
// nil and rolling back otherwise.
func inTx(ctx context.Context, db beginner, fn func(tx pgx.Tx) error) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// A panic in fn (a host's outbox handler) must not leave the
		// transaction open: its locks would hold the claimed events and
		// its connection would never return to the pool.
		if p := recover(); p != nil {
			rollback(ctx, tx)
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		rollback(ctx, tx)
		return err
	}
	return tx.Commit(ctx)
}

// rollback ends tx, even when ctx is done: a rollback must reach the
// server for the connection (or the host's transaction, for a savepoint)
// to be usable again. If it cannot, pgx closes the connection, which
// rolls the transaction back all the same.
func rollback(ctx context.Context, tx pgx.Tx) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_ = tx.Rollback(ctx)
}

// backoff waits a little before attempt+1, with jitter, so that writers
// that deadlocked do not meet again.
func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6)))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// expectOne is the callback of a statement that must change one row.
func expectOne(entity string, id fmt.Stringer) func(pgconn.CommandTag) error {
	return func(tag pgconn.CommandTag) error {
		if tag.RowsAffected() != 1 {
			return store.Conflict(entity, id.String())
		}
		return nil
	}
}

// isDomain reports errors of the crm package that pass through unchanged.
func isDomain(err error) bool {
	return errors.Is(err, crm.ErrDelegation) || errors.Is(err, ErrSchemaTooNew)
}

// fetchFunc reads at most n records of a listing that come after cur.
type fetchFunc[T any] func(ctx context.Context, q querier, cur store.Cursor, n int) ([]T, error)

// listing streams the records fetch reads, batch by batch: it runs a
// query, reads its rows, closes them and only then hands the records to
// the caller, so no connection or cursor is held while the caller's loop
// body runs (which may call the store again, even on a pool of one
// connection). Each batch resumes after the key of the previous batch's
// last record, which is what keeps a listing exact while others insert.
func listing[T any](ctx context.Context, s *Store, op string, p store.Page, key func(T) store.Cursor, fetch fetchFunc[T]) iter.Seq2[T, error] {
	if p.Limit < 0 {
		return store.Fail[T](fmt.Errorf("%w: negative page limit %d", ErrInvalid, p.Limit))
	}
	return func(yield func(T, error) bool) {
		var zero T
		cur, left := p.After, p.Limit
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			want := batchSize
			if p.Limit > 0 && left < want {
				want = left
			}
			batch, err := fetch(ctx, s.reader(), cur, want)
			if err != nil {
				yield(zero, translate(ctx, op, err))
				return
			}
			for i, v := range batch {
				if i > 0 {
					if err := ctx.Err(); err != nil {
						yield(zero, err)
						return
					}
				}
				if !yield(v, nil) {
					return
				}
			}
			if p.Limit > 0 {
				if left -= len(batch); left == 0 {
					return
				}
			}
			if len(batch) < want {
				return
			}
			cur = key(batch[len(batch)-1])
		}
	}
}

// collect reads every row of rows with scan, then closes them. expect is
// how many rows there may be, at most (0: unknown).
func collect[T any](rows pgx.Rows, err error, expect int, scan func(pgx.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]T, 0, min(expect, batchSize))
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// corrupt reports a stored record this package cannot read back.
func corrupt(entity string, id fmt.Stringer, err error) error {
	return &Error{Op: "read " + entity, Detail: fmt.Sprintf("%s %s: stored document unreadable: %v", entity, id, err)}
}

// getByID reads one record by id with query (whose only parameter is the
// id): a missing row is store.ErrNotFound for what, other failures are
// translated, and a context that has already ended reads nothing.
func getByID[T any](ctx context.Context, s *Store, what, query string, id uuid.UUID, scan func(pgx.Row) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	v, err := scan(s.reader().QueryRow(ctx, query, pgid(id)))
	if errors.Is(err, pgx.ErrNoRows) {
		return zero, store.NotFound(what, id.String())
	}
	if err != nil {
		return zero, translate(ctx, "get "+what, err)
	}
	return v, nil
}
