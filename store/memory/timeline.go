package memory

import (
	"context"
	"fmt"
	"iter"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

func eventCursor(e *crm.Event) store.Cursor { return e.Cursor() }

// Timeline streams the client's events ordered by At, then ID (the order
// of store.CompareKeys), after p.After in p.Order. A client with no
// events, or none at all, has an empty timeline. Events of no client
// (delegations) appear on no timeline. After a merge, the merged client's
// earlier events are on the survivor's timeline.
func (s *Store) Timeline(ctx context.Context, client uuid.UUID, p store.Page) iter.Seq2[crm.Event, error] {
	return listing(ctx, s, p, func(cur store.Cursor, want int) ([]crm.Event, store.Cursor, bool) {
		events := s.timelines[client]
		out := make([]crm.Event, 0, min(want, len(events)))
		last := cur
		walk(events, eventCursor, cur, p.Order, func(e *crm.Event) bool {
			out = append(out, e.Clone())
			last = e.Cursor()
			return len(out) < want
		})
		return out, last, len(out) == want
	})
}

// prepareEvents copies the events of a write, before the lock is taken,
// and refuses nil ids and ids given twice.
func prepareEvents(events []crm.Event) ([]*crm.Event, error) {
	if len(events) == 0 {
		return nil, nil
	}
	out := make([]*crm.Event, len(events))
	for i, e := range events {
		if e.ID == uuid.Nil {
			return nil, fmt.Errorf("%w: event %d has no id", ErrInvalid, i)
		}
		for _, earlier := range out[:i] {
			if earlier.ID == e.ID {
				return nil, store.Duplicate("event", "id", e.ID.String())
			}
		}
		c := e.Clone()
		out[i] = &c
	}
	return out, nil
}

// checkEvents reports why events cannot be stored: an id already taken,
// or a client that does not exist. The client being created by the same
// write, if any, is newClient. The caller holds the lock.
func (s *Store) checkEvents(events []*crm.Event, newClient uuid.UUID) error {
	for _, e := range events {
		if _, taken := s.eventIDs[e.ID]; taken {
			return store.Duplicate("event", "id", e.ID.String())
		}
		if e.ClientID != uuid.Nil && e.ClientID != newClient && s.clients[e.ClientID] == nil {
			return store.NotFound("client", e.ClientID.String())
		}
	}
	return nil
}

// addEvents stores events that checkEvents accepted: each goes to the
// log, and to its client's timeline or, if it has none, to the global log.
// The caller holds the write lock.
func (s *Store) addEvents(events []*crm.Event) {
	for _, e := range events {
		s.eventIDs[e.ID] = struct{}{}
		s.log = append(s.log, e)
		if e.ClientID == uuid.Nil {
			s.global = append(s.global, e)
			continue
		}
		s.timelines[e.ClientID] = insertSorted(s.timelines[e.ClientID], e, eventCursor)
	}
}

// moveTimeline puts the events of client from on the timeline of client
// to, as copies whose ClientID is to. The originals stay in the logs as
// they were written. The caller holds the write lock.
func (s *Store) moveTimeline(from, to uuid.UUID) {
	moved := s.timelines[from]
	if len(moved) == 0 {
		return
	}
	copies := make([]*crm.Event, len(moved))
	for i, e := range moved {
		c := *e // Data is shared: stored events are never changed
		c.ClientID = to
		copies[i] = &c
	}
	s.timelines[to] = mergeSorted(s.timelines[to], copies, eventCursor)
	delete(s.timelines, from)
}
