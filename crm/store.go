package crm

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/store"
)

// Store is everything the client base keeps. store/memory and
// store/postgres implement it; store/storetest checks an implementation
// against the contract of the store package and the rules below.
type Store interface {
	ClientStore
	InteractionStore
	ComplaintStore
	TimelineStore
	DelegationStore
}

// ClientStore keeps client cards with their contacts.
//
// Unique keys: a client id; and, among live (not merged) clients that are
// not AcceptedDuplicate, the Russian INN (Client.UniqueINNKey) — two such
// clients with the same INN are refused with store.ErrDuplicate, field
// "inn". Uniqueness is judged on the state after the write, so a merge may
// hand the tombstone's INN to the survivor.
type ClientStore interface {
	// CreateClient stores a new client (c.Version is store.NoVersion; the
	// stored copy has version 1) together with the events that record it.
	CreateClient(ctx context.Context, c Client, events []Event) error
	// GetClient returns a copy of the client, merged or not.
	GetClient(ctx context.Context, id uuid.UUID) (Client, error)
	// UpdateClient replaces the client if c.Version is still the stored
	// version (else store.ErrConflict), storing c.Version.Next(), and
	// appends the events. LastContactAt is the store's to keep: the value
	// in c is ignored.
	UpdateClient(ctx context.Context, c Client, events []Event) error
	// MergeClients writes the survivor and the merged tombstone (each with
	// the version it was read at) and moves the merged client's
	// interactions, complaints and timeline events to the survivor, all at
	// once. Each complaint moved gets the survivor's ClientID and its next
	// version, so that a writer holding the old copy meets a conflict and
	// reads it again.
	MergeClients(ctx context.Context, survivor, merged Client, events []Event) error
	// ListClients streams the clients that match f, ordered by id.
	ListClients(ctx context.Context, f ClientFilter, p store.Page) iter.Seq2[Client, error]
	// FindByKeys returns the live clients having any of the keys, one
	// KeyMatch per client and key, in no particular order. Its cost
	// depends on the number of matches, not on the number of clients.
	FindByKeys(ctx context.Context, keys []MatchKey) ([]KeyMatch, error)
}

// InteractionStore keeps the append-only interaction log.
type InteractionStore interface {
	// AppendInteraction stores a new interaction with its events. The
	// client must exist (else store.ErrNotFound) and must not have been
	// merged into another (else store.ErrConflict: the caller reads again
	// and appends to the survivor); an id already used is
	// store.ErrDuplicate. When in.Reached() and in.At is later than the
	// client's LastContactAt, the store moves LastContactAt to in.At in
	// the same write, without changing the client's version. A correction
	// (in.Corrects set) supersedes the entry it names: LastContactAt
	// becomes the latest At of the client's interactions that reached it
	// and that no other interaction corrects (zero when there is none),
	// so a contact logged by mistake stops counting.
	AppendInteraction(ctx context.Context, in Interaction, events []Event) error
	// GetInteraction returns a copy of the interaction.
	GetInteraction(ctx context.Context, id uuid.UUID) (Interaction, error)
	// ListInteractions streams a client's interactions ordered by At,
	// then id.
	ListInteractions(ctx context.Context, client uuid.UUID, p store.Page) iter.Seq2[Interaction, error]
}

// ComplaintStore keeps complaints. A complaint belongs to a client; its
// events go on that client's timeline in the same write.
type ComplaintStore interface {
	// CreateComplaint stores a new complaint (c.Version is store.NoVersion;
	// the stored copy has version 1) with its events. The client must
	// exist (else store.ErrNotFound) and must not have been merged into
	// another (else store.ErrConflict: the caller reads the client again
	// and files the complaint with the survivor); a taken id is
	// store.ErrDuplicate.
	CreateComplaint(ctx context.Context, c Complaint, events []Event) error
	// GetComplaint returns a copy of the complaint.
	GetComplaint(ctx context.Context, id uuid.UUID) (Complaint, error)
	// UpdateComplaint replaces the complaint if c.Version is still the
	// stored version (else store.ErrConflict), storing c.Version.Next(), and
	// appends the events. The complaint stays with its client: a c whose
	// ClientID differs from the stored one is refused (a merge moves
	// complaints, bumping their versions).
	UpdateComplaint(ctx context.Context, c Complaint, events []Event) error
	// UpdateComplaints is UpdateComplaint for several complaints (at least
	// one, each at most once) in one atomic write: either every complaint
	// is still at its c.Version and all are replaced, each storing
	// c.Version.Next(), with the events appended, or nothing is written
	// (store.ErrConflict, store.ErrNotFound, or an error wrapping the
	// store's invalid-request error for a complaint moved to another
	// client or listed twice). A complaint written unchanged only moves
	// its version: that is how a move that depends on another complaint's
	// state (a duplicate and its original) conflicts with a concurrent
	// change of that complaint.
	UpdateComplaints(ctx context.Context, cs []Complaint, events []Event) error
	// ListComplaints streams the complaints that match f ordered by
	// ReceivedAt, then id.
	ListComplaints(ctx context.Context, f ComplaintFilter, p store.Page) iter.Seq2[Complaint, error]
}

// TimelineStore reads client timelines. Events are written by the other
// stores' methods, in the same write as the change they record.
type TimelineStore interface {
	// Timeline streams a client's events ordered by At, then id.
	Timeline(ctx context.Context, client uuid.UUID, p store.Page) iter.Seq2[Event, error]
}

// DelegationStore keeps delegations.
type DelegationStore interface {
	// CreateDelegation stores a new delegation (version 1) with its
	// events. A delegation of the same principal whose window overlaps
	// (see Delegation.Overlaps) is refused with a *DelegationError
	// (DelegationOverlap), checked atomically with the write.
	CreateDelegation(ctx context.Context, d Delegation, events []Event) error
	// GetDelegation returns a copy of the delegation.
	GetDelegation(ctx context.Context, id uuid.UUID) (Delegation, error)
	// UpdateDelegation replaces the delegation if d.Version is current.
	UpdateDelegation(ctx context.Context, d Delegation, events []Event) error
	// ListDelegations streams the delegations that match f, by id.
	ListDelegations(ctx context.Context, f DelegationFilter, p store.Page) iter.Seq2[Delegation, error]
}

// ClientFilter selects clients in a listing. Empty fields select all.
type ClientFilter struct {
	Owners        []uuid.UUID // owned by any of these
	IDs           []uuid.UUID // any of these ids
	Stages        []Stage
	Tiers         []Tier
	Tag           string    // carrying this tag (folded like Card.Tags)
	UpdatedSince  time.Time // updated at or after
	IncludeMerged bool      // also list merged tombstones
}

// Match reports whether c passes the filter. Stores may use it; a SQL
// store expresses the same rules in its query.
func (f ClientFilter) Match(c Client) bool {
	switch {
	case !f.IncludeMerged && c.IsMerged():
		return false
	case len(f.Owners) > 0 && !slices.Contains(f.Owners, c.Owner):
		return false
	case len(f.IDs) > 0 && !slices.Contains(f.IDs, c.ID):
		return false
	case len(f.Stages) > 0 && !slices.Contains(f.Stages, c.Stage):
		return false
	case len(f.Tiers) > 0 && !slices.Contains(f.Tiers, c.Tier):
		return false
	case f.Tag != "" && !slices.Contains(c.Tags, FoldTag(f.Tag)):
		return false
	case !f.UpdatedSince.IsZero() && c.UpdatedAt.Before(f.UpdatedSince):
		return false
	}
	return true
}

// DelegationFilter selects delegations. Empty fields select all.
type DelegationFilter struct {
	Principal uuid.UUID
	Deputy    uuid.UUID
	ActiveAt  time.Time // in force at this instant
}

// Match reports whether d passes the filter.
func (f DelegationFilter) Match(d Delegation) bool {
	switch {
	case f.Principal != uuid.Nil && d.Principal != f.Principal:
		return false
	case f.Deputy != uuid.Nil && d.Deputy != f.Deputy:
		return false
	case !f.ActiveAt.IsZero() && !d.ActiveAt(f.ActiveAt):
		return false
	}
	return true
}
