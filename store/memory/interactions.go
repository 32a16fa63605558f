package memory

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

func interactionCursor(in *crm.Interaction) store.Cursor { return in.Cursor() }

// AppendInteraction stores a new interaction with its events. The client
// must exist (else store.ErrNotFound); an interaction or event id already
// used is store.ErrDuplicate. When in.Reached() and in.At is later than
// the client's LastContactAt, LastContactAt moves to in.At in the same
// write; the client's Version and UpdatedAt stay as they are.
func (s *Store) AppendInteraction(ctx context.Context, in crm.Interaction, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if in.ID == uuid.Nil {
		return fmt.Errorf("%w: interaction has no id", ErrInvalid)
	}
	evs, err := prepareEvents(events)
	if err != nil {
		return err
	}
	stored := in.Clone()

	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.clients[in.ClientID]
	if rec == nil {
		return store.NotFound("client", in.ClientID.String())
	}
	if rec.c.IsMerged() {
		// The client was merged away after the caller read it: the caller
		// must read again and append to the survivor.
		return store.Conflict("client", in.ClientID.String())
	}
	if s.interactions[in.ID] != nil {
		return store.Duplicate("interaction", "id", in.ID.String())
	}
	if err := s.checkEvents(evs, uuid.Nil); err != nil {
		return err
	}
	s.interactions[in.ID] = &stored
	s.clientInteractions[in.ClientID] = insertSorted(s.clientInteractions[in.ClientID], &stored, interactionCursor)
	if in.Corrects != uuid.Nil {
		// A correction supersedes an entry: the last contact is the latest
		// reaching entry still in force.
		rec.c.LastContactAt = lastContact(s.clientInteractions[in.ClientID])
	} else if in.Reached() && in.At.After(rec.c.LastContactAt) {
		// Readers only ever see clones made under the lock, so the stored
		// client may change in place.
		rec.c.LastContactAt = in.At
	}
	s.addEvents(evs)
	return nil
}

// GetInteraction returns a copy of the interaction.
func (s *Store) GetInteraction(ctx context.Context, id uuid.UUID) (crm.Interaction, error) {
	if err := ctx.Err(); err != nil {
		return crm.Interaction{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	in := s.interactions[id]
	if in == nil {
		return crm.Interaction{}, store.NotFound("interaction", id.String())
	}
	return in.Clone(), nil
}

// ListInteractions streams the client's interactions ordered by At, then
// ID, after p.After in p.Order. An unknown client has none. After a merge,
// the merged client's interactions are listed under the survivor.
func (s *Store) ListInteractions(ctx context.Context, client uuid.UUID, p store.Page) iter.Seq2[crm.Interaction, error] {
	return listing(ctx, s, p, func(cur store.Cursor, want int) ([]crm.Interaction, store.Cursor, bool) {
		list := s.clientInteractions[client]
		out := make([]crm.Interaction, 0, min(want, len(list)))
		last := cur
		walk(list, interactionCursor, cur, p.Order, func(in *crm.Interaction) bool {
			out = append(out, in.Clone())
			last = in.Cursor()
			return len(out) < want
		})
		return out, last, len(out) == want
	})
}

// moveInteractions hands the interactions of client from to client to,
// setting their ClientID. The caller holds the write lock.
func (s *Store) moveInteractions(from, to uuid.UUID) {
	moved := s.clientInteractions[from]
	if len(moved) == 0 {
		return
	}
	for _, in := range moved {
		in.ClientID = to
	}
	s.clientInteractions[to] = mergeSorted(s.clientInteractions[to], moved, interactionCursor)
	delete(s.clientInteractions, from)
}

// lastContact returns the time of the latest reaching interaction that no
// other entry corrects.
func lastContact(list []*crm.Interaction) time.Time {
	corrected := map[uuid.UUID]bool{}
	for _, in := range list {
		if in.Corrects != uuid.Nil {
			corrected[in.Corrects] = true
		}
	}
	var last time.Time
	for _, in := range list {
		if !corrected[in.ID] && in.Reached() && in.At.After(last) {
			last = in.At
		}
	}
	return last
}
