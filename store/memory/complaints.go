package memory

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

func complaintCursor(c *crm.Complaint) store.Cursor { return c.Cursor() }

// checkComplaint refuses a complaint the store cannot keep: no id, or no
// ReceivedAt (its listing key).
func checkComplaint(c crm.Complaint) error {
	if c.ID == uuid.Nil {
		return fmt.Errorf("%w: complaint has no id", ErrInvalid)
	}
	if c.ReceivedAt.IsZero() {
		return fmt.Errorf("%w: complaint %s has no ReceivedAt", ErrInvalid, c.ID)
	}
	return nil
}

// CreateComplaint stores a new complaint with version 1, together with
// its events. c.Version must be store.NoVersion (else store.ErrConflict).
// The client must exist (else store.ErrNotFound) and be live (else
// store.ErrConflict); a complaint or event id already used is
// store.ErrDuplicate.
func (s *Store) CreateComplaint(ctx context.Context, c crm.Complaint, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkComplaint(c); err != nil {
		return err
	}
	if c.Version != store.NoVersion {
		return store.Conflict("complaint", c.ID.String())
	}
	evs, err := prepareEvents(events)
	if err != nil {
		return err
	}
	stored := c.Clone()
	stored.Version = store.NoVersion.Next()

	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.clients[c.ClientID]
	if rec == nil {
		return store.NotFound("client", c.ClientID.String())
	}
	if rec.c.IsMerged() {
		return store.Conflict("client", c.ClientID.String())
	}
	if s.complaints[c.ID] != nil {
		return store.Duplicate("complaint", "id", c.ID.String())
	}
	if err := s.checkEvents(evs, uuid.Nil); err != nil {
		return err
	}
	if s.complaints == nil {
		s.complaints = make(map[uuid.UUID]*crm.Complaint)
		s.clientComplaints = make(map[uuid.UUID][]*crm.Complaint)
	}
	s.complaints[c.ID] = &stored
	s.complaintOrder = insertSorted(s.complaintOrder, &stored, complaintCursor)
	s.clientComplaints[c.ClientID] = insertSorted(s.clientComplaints[c.ClientID], &stored, complaintCursor)
	s.addEvents(evs)
	return nil
}

// GetComplaint returns a copy of the complaint.
func (s *Store) GetComplaint(ctx context.Context, id uuid.UUID) (crm.Complaint, error) {
	if err := ctx.Err(); err != nil {
		return crm.Complaint{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.complaints[id]
	if c == nil {
		return crm.Complaint{}, store.NotFound("complaint", id.String())
	}
	return c.Clone(), nil
}

// UpdateComplaint replaces the complaint if c.Version is the stored
// version (else store.ErrConflict), storing c.Version.Next(), and appends
// the events. A c whose ClientID differs from the stored one is refused
// with an error wrapping ErrInvalid.
func (s *Store) UpdateComplaint(ctx context.Context, c crm.Complaint, events []crm.Event) error {
	return s.UpdateComplaints(ctx, []crm.Complaint{c}, events)
}

// UpdateComplaints replaces every complaint of cs, each only if its
// Version is the stored version, and appends the events, all under one
// lock: if any complaint is missing, stale or moved to another client,
// or listed twice, nothing is written.
func (s *Store) UpdateComplaints(ctx context.Context, cs []crm.Complaint, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(cs) == 0 {
		return fmt.Errorf("%w: UpdateComplaints needs at least one complaint", ErrInvalid)
	}
	stored := make([]crm.Complaint, len(cs))
	for i, c := range cs {
		if err := checkComplaint(c); err != nil {
			return err
		}
		for _, prev := range cs[:i] {
			if prev.ID == c.ID {
				return fmt.Errorf("%w: UpdateComplaints lists complaint %s twice", ErrInvalid, c.ID)
			}
		}
		stored[i] = c.Clone()
		stored[i].Version = c.Version.Next()
	}
	evs, err := prepareEvents(events)
	if err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	olds := make([]*crm.Complaint, len(cs))
	for i, c := range cs {
		old := s.complaints[c.ID]
		switch {
		case old == nil:
			return store.NotFound("complaint", c.ID.String())
		case old.Version != c.Version:
			return store.Conflict("complaint", c.ID.String())
		case old.ClientID != c.ClientID:
			return fmt.Errorf("%w: UpdateComplaint cannot move complaint %s from client %s to %s", ErrInvalid, c.ID, old.ClientID, c.ClientID)
		}
		olds[i] = old
	}
	if err := s.checkEvents(evs, uuid.Nil); err != nil {
		return err
	}
	for i := range stored {
		c := &stored[i]
		s.complaintOrder = replaceSorted(s.complaintOrder, olds[i], c)
		s.clientComplaints[c.ClientID] = replaceSorted(s.clientComplaints[c.ClientID], olds[i], c)
		s.complaints[c.ID] = c
	}
	s.addEvents(evs)
	return nil
}

// replaceSorted puts e in the place of old in s, which is sorted by
// complaintCursor, moving it if its key changed.
func replaceSorted(s []*crm.Complaint, old, e *crm.Complaint) []*crm.Complaint {
	i, found := slices.BinarySearchFunc(s, old.Cursor(), func(x *crm.Complaint, k store.Cursor) int {
		return compareCursors(x.Cursor(), k)
	})
	if found && old.Cursor() == e.Cursor() {
		s[i] = e
		return s
	}
	if found {
		s = slices.Delete(s, i, i+1)
	}
	return insertSorted(s, e, complaintCursor)
}

// ListComplaints streams the complaints f matches (crm.ComplaintFilter.
// Match), ordered by ReceivedAt, then id, after p.After in p.Order. With
// f.ClientID set it reads only that client's complaints.
func (s *Store) ListComplaints(ctx context.Context, f crm.ComplaintFilter, p store.Page) iter.Seq2[crm.Complaint, error] {
	return listing(ctx, s, p, func(cur store.Cursor, want int) ([]crm.Complaint, store.Cursor, bool) {
		list := s.complaintOrder
		if f.ClientID != uuid.Nil {
			list = s.clientComplaints[f.ClientID]
		}
		out := make([]crm.Complaint, 0, min(want, len(list)))
		last := cur
		looked := 0
		walk(list, complaintCursor, cur, p.Order, func(c *crm.Complaint) bool {
			looked++
			last = c.Cursor()
			if f.Match(*c) {
				out = append(out, c.Clone())
			}
			return len(out) < want && looked < batchSize
		})
		return out, last, len(out) == want || looked == batchSize
	})
}

// moveComplaints hands the complaints of client from to client to: each
// gets to as ClientID and its next version, so that a writer holding the
// old copy meets a conflict. The caller holds the write lock.
func (s *Store) moveComplaints(from, to uuid.UUID) {
	moved := s.clientComplaints[from]
	if len(moved) == 0 {
		return
	}
	for _, c := range moved {
		// Readers only ever see clones made under the lock, so the stored
		// complaint may change in place.
		c.ClientID = to
		c.Version = c.Version.Next()
	}
	s.clientComplaints[to] = mergeSorted(s.clientComplaints[to], moved, complaintCursor)
	delete(s.clientComplaints, from)
}
