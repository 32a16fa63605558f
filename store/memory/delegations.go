package memory

import (
	"context"
	"fmt"
	"iter"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// CreateDelegation stores a new delegation with version 1 (d.Version must
// be store.NoVersion, else store.ErrConflict) and its events. An id
// already used is store.ErrDuplicate. When another delegation of the same
// principal overlaps d (crm.Delegation.Overlaps), nothing is written and
// the error is a *crm.DelegationError with reason crm.DelegationOverlap;
// the check and the write happen under one lock.
func (s *Store) CreateDelegation(ctx context.Context, d crm.Delegation, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d.ID == uuid.Nil {
		return fmt.Errorf("%w: delegation has no id", ErrInvalid)
	}
	if d.Version != store.NoVersion {
		return store.Conflict("delegation", d.ID.String())
	}
	evs, err := prepareEvents(events)
	if err != nil {
		return err
	}
	stored := d.Clone()
	stored.Version = store.NoVersion.Next()

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.delegations[d.ID] != nil {
		return store.Duplicate("delegation", "id", d.ID.String())
	}
	if err := s.checkOverlap(&stored); err != nil {
		return err
	}
	if err := s.checkEvents(evs, uuid.Nil); err != nil {
		return err
	}
	s.delegations[d.ID] = &stored
	s.delegationIDs = addID(s.delegationIDs, d.ID)
	addToIndex(s.byPrincipal, d.Principal, d.ID)
	addToIndex(s.byDeputy, d.Deputy, d.ID)
	s.addEvents(evs)
	return nil
}

// GetDelegation returns a copy of the delegation.
func (s *Store) GetDelegation(ctx context.Context, id uuid.UUID) (crm.Delegation, error) {
	if err := ctx.Err(); err != nil {
		return crm.Delegation{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	d := s.delegations[id]
	if d == nil {
		return crm.Delegation{}, store.NotFound("delegation", id.String())
	}
	return d.Clone(), nil
}

// UpdateDelegation replaces the delegation if d.Version is the stored
// version (else store.ErrConflict), storing d.Version.Next(), and appends
// the events. The new window must not overlap another delegation of the
// same principal (else a *crm.DelegationError, crm.DelegationOverlap).
func (s *Store) UpdateDelegation(ctx context.Context, d crm.Delegation, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d.ID == uuid.Nil {
		return fmt.Errorf("%w: delegation has no id", ErrInvalid)
	}
	evs, err := prepareEvents(events)
	if err != nil {
		return err
	}
	stored := d.Clone()
	stored.Version = d.Version.Next()

	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.delegations[d.ID]
	if old == nil {
		return store.NotFound("delegation", d.ID.String())
	}
	if old.Version != d.Version {
		return store.Conflict("delegation", d.ID.String())
	}
	if err := s.checkOverlap(&stored); err != nil {
		return err
	}
	if err := s.checkEvents(evs, uuid.Nil); err != nil {
		return err
	}
	if old.Principal != stored.Principal {
		removeFromIndex(s.byPrincipal, old.Principal, d.ID)
		addToIndex(s.byPrincipal, stored.Principal, d.ID)
	}
	if old.Deputy != stored.Deputy {
		removeFromIndex(s.byDeputy, old.Deputy, d.ID)
		addToIndex(s.byDeputy, stored.Deputy, d.ID)
	}
	s.delegations[d.ID] = &stored
	s.addEvents(evs)
	return nil
}

// ListDelegations streams the delegations that f matches
// (crm.DelegationFilter.Match), ordered by id, after p.After in p.Order.
// With f.Principal or f.Deputy set it reads only their delegations.
func (s *Store) ListDelegations(ctx context.Context, f crm.DelegationFilter, p store.Page) iter.Seq2[crm.Delegation, error] {
	return listing(ctx, s, p, func(cur store.Cursor, want int) ([]crm.Delegation, store.Cursor, bool) {
		source := s.delegationIDs
		switch {
		case f.Principal != uuid.Nil:
			source = s.byPrincipal[f.Principal]
		case f.Deputy != uuid.Nil:
			source = s.byDeputy[f.Deputy]
		}
		candidates := candidateIDs([][]uuid.UUID{source}, cur, p.Order, batchSize)
		out := make([]crm.Delegation, 0, min(want, len(candidates)))
		last := cur
		for _, id := range candidates {
			last = idCursor(id)
			if d := s.delegations[id]; d != nil && f.Match(*d) {
				out = append(out, d.Clone())
				if len(out) == want {
					return out, last, true
				}
			}
		}
		return out, last, len(candidates) == batchSize
	})
}

// checkOverlap refuses d when another delegation of its principal
// overlaps it. The caller holds the lock.
func (s *Store) checkOverlap(d *crm.Delegation) error {
	for _, id := range s.byPrincipal[d.Principal] {
		if other := s.delegations[id]; id != d.ID && other != nil && d.Overlaps(*other) {
			return &crm.DelegationError{Reason: crm.DelegationOverlap}
		}
	}
	return nil
}
