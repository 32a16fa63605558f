package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crmkit/crmkit/crm"
)

// ClaimOutbox publishes events from the outbox: it claims up to limit
// unpublished events, oldest first, hands them to handle, and marks them
// published when handle returns nil — all in one transaction. It returns
// how many events it published.
//
// The claim is SELECT ... FOR UPDATE SKIP LOCKED, so any number of
// processes may poll at once: each gets events no other poller holds.
// When handle fails, its error is returned unchanged, nothing is marked,
// and the same events are claimed again by a later call: delivery is at
// least once, and a consumer deduplicates by crm.Event.ID. With one
// poller, events come in the order their writes reached the outbox (its
// sequence, assigned at insert; two writes to one client that commit in
// the other order than they inserted come out in insert order); with
// several, each batch is in that order but batches may overlap in time.
// A handler that returns an error or panics releases its claim: the
// events are claimed again by a later call (at least once).
//
// Each event is as it was written: an event recorded before a merge keeps
// the ClientID of the merged client here, although its timeline entry
// moved to the survivor.
//
// handle runs while the transaction (and a connection of the pool) is
// held, so it should be quick: publish to a broker, not process. When
// there is nothing to publish, handle is not called. ClaimOutbox is not
// retried on serialization failures, since handle's effects cannot be
// undone. Called on a store from WithTx, it claims and marks in the
// host's transaction, inside a savepoint.
func (s *Store) ClaimOutbox(ctx context.Context, limit int, handle func(ctx context.Context, events []crm.Event) error) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if limit <= 0 {
		return 0, fmt.Errorf("%w: outbox claim limit %d", ErrInvalid, limit)
	}
	var db beginner = s.pool
	if s.tx != nil {
		db = s.tx
	}
	var handleErr error
	published := 0
	err := inTx(ctx, db, func(tx pgx.Tx) error {
		var seqs []int64
		rows, err := tx.Query(ctx, "SELECT seq, "+eventColumns+` FROM (
				SELECT seq, event_id AS id, client_id, kind, at, recorded_at, actor, on_behalf_of, subject, data
				FROM crmkit_outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
			) o ORDER BY seq`, limit)
		es := newEventScan()
		var seq int64
		events, err := collect(rows, err, limit, func(r pgx.Rows) (crm.Event, error) {
			e, err := es.scan(r, &seq)
			seqs = append(seqs, seq)
			return e, err
		})
		if err != nil || len(events) == 0 {
			return err
		}
		if handleErr = handle(ctx, events); handleErr != nil {
			return handleErr
		}
		if _, err := tx.Exec(ctx, "UPDATE crmkit_outbox SET published_at = now() WHERE seq = ANY($1)", seqs); err != nil {
			return err
		}
		published = len(events)
		return nil
	})
	if handleErr != nil {
		return 0, handleErr
	}
	if err != nil {
		return 0, translate(ctx, "claim outbox", err)
	}
	return published, nil
}

// PurgeOutbox deletes the events published before the given instant from
// the outbox (never from timelines) and returns how many it deleted. A
// host that keeps no history of what it published calls it now and then.
func (s *Store) PurgeOutbox(ctx context.Context, publishedBefore time.Time) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	tag, err := s.reader().Exec(ctx, "DELETE FROM crmkit_outbox WHERE published_at < $1", publishedBefore)
	if err != nil {
		return 0, translate(ctx, "purge outbox", err)
	}
	return tag.RowsAffected(), nil
}
