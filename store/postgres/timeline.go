package postgres

import (
	"context"
	"iter"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

const eventColumns = "id, client_id, kind, at, recorded_at, actor, on_behalf_of, subject, data"

// eventScan reads events from eventColumns (of crmkit_events or
// crmkit_outbox), reusing its scan targets from row to row.
type eventScan struct {
	id                                 pgid
	client, actor, onBehalfOf, subject pgtype.UUID
	at                                 time.Time
	recorded                           pgtype.Timestamptz
	kind                               string
	data                               []byte
	dest                               []any
}

func newEventScan() *eventScan {
	s := &eventScan{}
	s.dest = []any{&s.id, &s.client, &s.kind, &s.at, &s.recorded, &s.actor, &s.onBehalfOf, &s.subject, &s.data}
	return s
}

// scan reads one row; extra scan targets (such as the outbox's seq) come
// first.
func (s *eventScan) scan(row pgx.Row, extra ...any) (crm.Event, error) {
	dest := s.dest
	if len(extra) > 0 {
		dest = append(extra, s.dest...)
	}
	s.data = nil
	if err := row.Scan(dest...); err != nil {
		return crm.Event{}, err
	}
	e := crm.Event{
		ID:         uuid.UUID(s.id),
		ClientID:   fromNullUUID(s.client),
		Kind:       crm.EventKind(s.kind),
		At:         readInstant(s.at),
		RecordedAt: fromTstz(s.recorded),
		Actor:      fromNullUUID(s.actor),
		OnBehalfOf: fromNullUUID(s.onBehalfOf),
		Subject:    fromNullUUID(s.subject),
	}
	if len(s.data) > 0 && string(s.data) != "null" {
		m, err := decodeData(s.data)
		if err != nil {
			return crm.Event{}, corrupt("event", e.ID, err)
		}
		e.Data = m
	}
	return e, nil
}

// Timeline streams the client's events ordered by At, then id (the order
// of store.CompareKeys: PostgreSQL compares uuids byte by byte too), after
// p.After in p.Order, reading 200 at a time from the index on (client_id,
// at, id). A client with no events, or none at all, has an empty
// timeline. Events of no client (delegations) appear on no timeline.
// After a merge, the merged client's earlier events are on the survivor's
// timeline.
func (s *Store) Timeline(ctx context.Context, client uuid.UUID, p store.Page) iter.Seq2[crm.Event, error] {
	return listing(ctx, s, "timeline", p, crm.Event.Cursor,
		func(ctx context.Context, q querier, cur store.Cursor, n int) ([]crm.Event, error) {
			sql, args := timePage("SELECT "+eventColumns+" FROM crmkit_events WHERE client_id = $1",
				[]any{pgid(client)}, cur, p.Order, n)
			rows, err := q.Query(ctx, sql, args...)
			es := newEventScan()
			return collect(rows, err, n, func(r pgx.Rows) (crm.Event, error) { return es.scan(r) })
		})
}
