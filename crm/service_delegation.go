package crm

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/store"
)

// NewDelegation is the input of Service.Delegate.
type NewDelegation struct {
	Principal uuid.UUID // the absent user; default: the actor
	Deputy    uuid.UUID
	From, To  time.Time   // the window [From, To)
	Clients   []uuid.UUID // limit to these clients; empty = all the principal's
	Reason    string      // vacation, sick leave, business trip...
}

// Delegate names a deputy for a principal's absence. A user may delegate
// their own work; a head of sales that of their team; an admin anyone's.
// A deputy cannot pass on rights they hold as a deputy; a user cannot be
// their own deputy; one principal's delegations may not overlap.
func (s *Service) Delegate(ctx context.Context, actor Actor, in NewDelegation) (Delegation, error) {
	if err := actor.validate(); err != nil {
		return Delegation{}, err
	}
	if in.Principal == uuid.Nil {
		in.Principal = actor.ID
	}
	in.From, in.To = instant(in.From), instant(in.To)
	switch {
	case in.Deputy == uuid.Nil:
		return Delegation{}, invalid("deputy", ReasonRequired, "")
	case in.Deputy == in.Principal:
		return Delegation{}, &DelegationError{Reason: DelegationSelf}
	case in.From.IsZero():
		return Delegation{}, invalid("from", ReasonRequired, "")
	case in.To.IsZero():
		return Delegation{}, invalid("to", ReasonRequired, "")
	case !in.To.After(in.From):
		return Delegation{}, invalidf("to", ReasonConflict, in.To.Format(time.RFC3339), "must be after from")
	case !in.To.After(s.now()):
		return Delegation{}, &DelegationError{Reason: DelegationEnded}
	}
	if in.Principal != actor.ID && !actor.Has(RoleAdmin) && !(actor.Has(RoleHeadOfSales) && actor.manages(in.Principal)) {
		// Acting for someone else: refuse, and say why when the actor is
		// that person's deputy (rights held as a deputy do not pass on).
		if ok, err := s.deputises(ctx, actor, in.Principal); err != nil {
			return Delegation{}, err
		} else if ok {
			return Delegation{}, &DelegationError{Reason: DelegationOnward}
		}
		return Delegation{}, forbidden(actor, ActionDelegate)
	}
	reason, err := checkText("reason", in.Reason, maxShortText, false)
	if err != nil {
		return Delegation{}, err
	}
	var clients []uuid.UUID
	for i, id := range in.Clients {
		if id == uuid.Nil {
			return Delegation{}, invalid(indexed("clients", i), ReasonRequired, "")
		}
		if !slices.Contains(clients, id) {
			clients = append(clients, id)
		}
	}
	now := s.now()
	d := Delegation{ID: s.newID(), Principal: in.Principal, Deputy: in.Deputy, From: in.From, To: in.To,
		Clients: clients, Reason: reason, CreatedAt: now, CreatedBy: actor.ID}
	ev := Event{ID: s.newID(), Kind: EventDelegationCreated, At: now, RecordedAt: now, Actor: actor.ID, Subject: d.ID,
		Data: map[string]string{"principal": d.Principal.String(), "deputy": d.Deputy.String(),
			"from": d.From.UTC().Format(time.RFC3339), "to": d.To.UTC().Format(time.RFC3339)}}
	if err := s.store.CreateDelegation(ctx, d, []Event{ev}); err != nil {
		return Delegation{}, err
	}
	d.Version = store.NoVersion.Next()
	return d, nil
}

// CancelDelegation ends a delegation early, from now on. The principal,
// their head of sales or an admin may cancel it; so may the deputy
// (handing the work back).
func (s *Service) CancelDelegation(ctx context.Context, actor Actor, id uuid.UUID) (Delegation, error) {
	if err := actor.validate(); err != nil {
		return Delegation{}, err
	}
	var result Delegation
	err := s.retry(ctx, func() error {
		d, err := s.store.GetDelegation(ctx, id)
		if err != nil {
			return err
		}
		if !seesDelegation(actor, d) {
			// Refused like a missing one: the actor may not know it exists.
			return store.NotFound("delegation", id.String())
		}
		if d.Principal != actor.ID && d.Deputy != actor.ID && !actor.Has(RoleAdmin) && !(actor.Has(RoleHeadOfSales) && actor.manages(d.Principal)) {
			return forbidden(actor, ActionDelegate)
		}
		now := s.now()
		if !d.CancelledAt.IsZero() {
			return &DelegationError{Reason: DelegationCancelled}
		}
		if !now.Before(d.To) {
			return &DelegationError{Reason: DelegationEnded}
		}
		d.CancelledAt, d.CancelledBy = now, actor.ID
		ev := Event{ID: s.newID(), Kind: EventDelegationCancelled, At: now, RecordedAt: now, Actor: actor.ID, Subject: d.ID,
			Data: map[string]string{"principal": d.Principal.String(), "deputy": d.Deputy.String()}}
		if err := s.store.UpdateDelegation(ctx, d, []Event{ev}); err != nil {
			return err
		}
		d.Version = d.Version.Next()
		result = d
		return nil
	})
	return result, err
}

// Delegations streams the delegations the actor may see: their own (as
// principal or deputy), their team's for a head of sales, everyone's for
// an admin or auditor.
func (s *Service) Delegations(ctx context.Context, actor Actor, f DelegationFilter, p store.Page) iter.Seq2[Delegation, error] {
	if err := actor.validate(); err != nil {
		return store.Fail[Delegation](err)
	}
	return func(yield func(Delegation, error) bool) {
		// The limit counts what the actor sees, not what the store reads:
		// delegations hidden from the actor must not shorten a page.
		limit, n := p.Limit, 0
		p.Limit = 0
		for d, err := range s.store.ListDelegations(ctx, f, p) {
			if err != nil {
				yield(Delegation{}, err)
				return
			}
			visible := seesDelegation(actor, d)
			if !visible {
				continue
			}
			if !yield(d, nil) {
				return
			}
			if n++; limit > 0 && n >= limit {
				return
			}
		}
	}
}

// seesDelegation reports whether actor may see delegation d: their own
// (as principal or deputy), their team's for a head of sales, everyone's
// for an admin or auditor. Credit controllers read every client, not who
// stands in for whom.
func seesDelegation(actor Actor, d Delegation) bool {
	return actor.Has(RoleAdmin) || actor.Has(RoleAuditor) || d.Principal == actor.ID || d.Deputy == actor.ID ||
		(actor.Has(RoleHeadOfSales) && actor.manages(d.Principal))
}
