package memory

import (
	"context"
	"errors"
	"sync"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm"
)

// The store implements every Store interface of the crm package.
var _ crm.Store = (*Store)(nil)

// ErrInvalid reports a request the store refuses because it would break
// the store's own integrity rather than a rule of the contract: a record
// or event with a nil id, a redacted client copy (crm.Client.Redacted
// set: storing it would erase the confidential fields it lacks), an
// UpdateClient that changes MergedInto, a merge whose two halves do not
// fit together, a negative page limit. Errors wrapping it say what is
// wrong. A service never causes one; a bug in a caller does. Nothing is
// written.
var ErrInvalid = errors.New("memory: invalid request")

// batchSize is how many records a listing reads per hold of the lock.
const batchSize = 256

// Store keeps crmkit's records in memory. Create it with New; the zero
// value is not ready for use. It is safe for concurrent use.
type Store struct {
	mu sync.RWMutex

	// Clients.
	clients   map[uuid.UUID]*clientRecord
	clientIDs []uuid.UUID                  // every client id, sorted
	byOwner   map[uuid.UUID][]uuid.UUID    // owner -> client ids, sorted
	byKey     map[crm.MatchKey][]uuid.UUID // match key -> live client ids, sorted
	byINN     map[crm.MatchKey]uuid.UUID   // Client.UniqueINNKey -> its holder

	// Interactions.
	interactions       map[uuid.UUID]*crm.Interaction
	clientInteractions map[uuid.UUID][]*crm.Interaction // by client, sorted by (At, ID)

	// Events. A stored event is never changed, so the logs and timelines
	// share pointers; moving an event to another client stores a new one.
	eventIDs  map[uuid.UUID]struct{}
	log       []*crm.Event               // every event, in the order written
	global    []*crm.Event               // events of no client (delegations), in the order written
	timelines map[uuid.UUID][]*crm.Event // by client, sorted by (At, ID)

	// Delegations.
	delegations   map[uuid.UUID]*crm.Delegation
	delegationIDs []uuid.UUID               // sorted
	byPrincipal   map[uuid.UUID][]uuid.UUID // principal -> delegation ids, sorted
	byDeputy      map[uuid.UUID][]uuid.UUID // deputy -> delegation ids, sorted

	// Complaints (complaints.go); the maps are made on the first write.
	complaints       map[uuid.UUID]*crm.Complaint
	complaintOrder   []*crm.Complaint               // every complaint, sorted by (ReceivedAt, ID)
	clientComplaints map[uuid.UUID][]*crm.Complaint // by client, sorted by (ReceivedAt, ID)

	// Loyalty accounts and ledgers (loyalty.go); created on first write.
	loyalty loyaltyState
}

// New returns an empty store.
func New() *Store {
	return &Store{
		clients:            make(map[uuid.UUID]*clientRecord),
		byOwner:            make(map[uuid.UUID][]uuid.UUID),
		byKey:              make(map[crm.MatchKey][]uuid.UUID),
		byINN:              make(map[crm.MatchKey]uuid.UUID),
		interactions:       make(map[uuid.UUID]*crm.Interaction),
		clientInteractions: make(map[uuid.UUID][]*crm.Interaction),
		eventIDs:           make(map[uuid.UUID]struct{}),
		timelines:          make(map[uuid.UUID][]*crm.Event),
		delegations:        make(map[uuid.UUID]*crm.Delegation),
		byPrincipal:        make(map[uuid.UUID][]uuid.UUID),
		byDeputy:           make(map[uuid.UUID][]uuid.UUID),
	}
}

// Stats counts what a store holds.
type Stats struct {
	Clients      int // including merged tombstones
	Interactions int
	Events       int // every event, on a timeline or not
	GlobalEvents int // events of no client, such as delegation events
	Delegations  int
}

// Stats returns the number of records of each kind.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{
		Clients:      len(s.clients),
		Interactions: len(s.interactions),
		Events:       len(s.log),
		GlobalEvents: len(s.global),
		Delegations:  len(s.delegations),
	}
}

// Events returns copies of every event stored, timeline or not, in the
// order they were written, each as it was written (an event later moved to
// a merge survivor's timeline appears here with its original ClientID).
// It returns nil if ctx is done.
func (s *Store) Events(ctx context.Context) []crm.Event {
	if ctx.Err() != nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]crm.Event, len(s.log))
	for i, e := range s.log {
		out[i] = e.Clone()
	}
	return out
}
