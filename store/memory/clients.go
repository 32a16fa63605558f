package memory

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// clientRecord is a stored client with the index entries it owns, so that
// replacing it needs no recomputation of the old ones.
type clientRecord struct {
	c      crm.Client
	keys   []crm.MatchKey // in the duplicate-detection index: MatchKeys, none once merged
	inn    crm.MatchKey   // UniqueINNKey, if hasINN
	hasINN bool
}

// newRecord builds the stored form of c: a deep copy with its index
// entries. It needs no lock, so writers call it before taking one.
func newRecord(c crm.Client, version store.Version) *clientRecord {
	r := &clientRecord{c: c.Clone()}
	r.c.Version = version
	if !r.c.IsMerged() {
		// MatchKeys sorts its keys already; reindexKeys depends on it, so
		// make sure.
		r.keys = r.c.MatchKeys()
		slices.SortFunc(r.keys, compareMatchKeys)
		r.keys = slices.CompactFunc(r.keys, func(a, b crm.MatchKey) bool { return a == b })
	}
	r.inn, r.hasINN = r.c.UniqueINNKey()
	return r
}

// checkClient refuses a client the store cannot keep whatever it holds.
func checkClient(c crm.Client) error {
	if c.ID == uuid.Nil {
		return fmt.Errorf("%w: client has no id", ErrInvalid)
	}
	if len(c.Redacted) > 0 {
		// A redacted copy has confidential fields emptied; storing it would
		// erase them.
		return fmt.Errorf("%w: client %s is a redacted copy (%v); write the full client", ErrInvalid, c.ID, c.Redacted)
	}
	return nil
}

// CreateClient stores a new client with version 1, together with its
// events. c.Version must be store.NoVersion (else store.ErrConflict). The
// id, and the INN key of a live client that is not an accepted duplicate
// (crm.Client.UniqueINNKey), must be free (else store.ErrDuplicate, field
// "id" or "inn"). Each event must concern no client, this client or
// another stored one.
func (s *Store) CreateClient(ctx context.Context, c crm.Client, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkClient(c); err != nil {
		return err
	}
	if c.Version != store.NoVersion {
		return store.Conflict("client", c.ID.String())
	}
	evs, err := prepareEvents(events)
	if err != nil {
		return err
	}
	rec := newRecord(c, store.NoVersion.Next())

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.clients[c.ID] != nil {
		return store.Duplicate("client", "id", c.ID.String())
	}
	if err := s.checkINN(rec); err != nil {
		return err
	}
	if err := s.checkEvents(evs, c.ID); err != nil {
		return err
	}
	s.clients[c.ID] = rec
	s.clientIDs = addID(s.clientIDs, c.ID)
	addToIndex(s.byOwner, rec.c.Owner, c.ID)
	s.reindexKeys(c.ID, nil, rec.keys)
	if rec.hasINN {
		s.byINN[rec.inn] = c.ID
	}
	s.addEvents(evs)
	return nil
}

// GetClient returns a copy of the client, merged or not.
func (s *Store) GetClient(ctx context.Context, id uuid.UUID) (crm.Client, error) {
	if err := ctx.Err(); err != nil {
		return crm.Client{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec := s.clients[id]
	if rec == nil {
		return crm.Client{}, store.NotFound("client", id.String())
	}
	return rec.c.Clone(), nil
}

// UpdateClient replaces the client if c.Version is the stored version
// (else store.ErrConflict), storing c.Version.Next(), and appends the
// events. The stored LastContactAt is kept whatever c says. A client whose
// new INN key is held by another client is refused with store.ErrDuplicate
// (field "inn"). MergedInto cannot change here: use MergeClients.
func (s *Store) UpdateClient(ctx context.Context, c crm.Client, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkClient(c); err != nil {
		return err
	}
	evs, err := prepareEvents(events)
	if err != nil {
		return err
	}
	rec := newRecord(c, c.Version.Next())

	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.clients[c.ID]
	if old == nil {
		return store.NotFound("client", c.ID.String())
	}
	if old.c.Version != c.Version {
		return store.Conflict("client", c.ID.String())
	}
	if old.c.MergedInto != c.MergedInto {
		return fmt.Errorf("%w: UpdateClient cannot change MergedInto of client %s (%s to %s); use MergeClients",
			ErrInvalid, c.ID, old.c.MergedInto, c.MergedInto)
	}
	rec.c.LastContactAt = old.c.LastContactAt
	if err := s.checkINN(rec, c.ID); err != nil {
		return err
	}
	if err := s.checkEvents(evs, uuid.Nil); err != nil {
		return err
	}
	s.replaceClient(old, rec)
	s.addEvents(evs)
	return nil
}

// MergeClients writes the survivor and the merged tombstone, each of which
// must carry the version it was read at (else store.ErrConflict), and
// stores both with the next version. merged.MergedInto must be the
// survivor's id, and neither client may already be merged (else an error
// wrapping ErrInvalid). In the same write, every interaction, complaint
// and timeline event of the merged client moves to the survivor (its
// ClientID becomes the survivor's; a complaint also gets its next
// version), the merged client leaves the duplicate-detection index
// and the INN uniqueness check, the survivor's keys are recomputed, and
// the survivor's LastContactAt becomes the later of the two clients'.
// The events are then appended as given: an event about the merged client
// stays on the tombstone's timeline.
func (s *Store) MergeClients(ctx context.Context, survivor, merged crm.Client, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkClient(survivor); err != nil {
		return err
	}
	if err := checkClient(merged); err != nil {
		return err
	}
	switch {
	case survivor.ID == merged.ID:
		return fmt.Errorf("%w: client %s cannot be merged into itself", ErrInvalid, survivor.ID)
	case merged.MergedInto != survivor.ID:
		return fmt.Errorf("%w: merged client %s has MergedInto %s, not the survivor %s",
			ErrInvalid, merged.ID, merged.MergedInto, survivor.ID)
	case survivor.IsMerged():
		return fmt.Errorf("%w: survivor %s is itself merged into %s", ErrInvalid, survivor.ID, survivor.MergedInto)
	}
	evs, err := prepareEvents(events)
	if err != nil {
		return err
	}
	srec := newRecord(survivor, survivor.Version.Next())
	mrec := newRecord(merged, merged.Version.Next())

	s.mu.Lock()
	defer s.mu.Unlock()
	sold, mold := s.clients[survivor.ID], s.clients[merged.ID]
	switch {
	case sold == nil:
		return store.NotFound("client", survivor.ID.String())
	case mold == nil:
		return store.NotFound("client", merged.ID.String())
	case sold.c.Version != survivor.Version:
		return store.Conflict("client", survivor.ID.String())
	case mold.c.Version != merged.Version:
		return store.Conflict("client", merged.ID.String())
	case sold.c.IsMerged():
		return fmt.Errorf("%w: survivor %s is already merged into %s", ErrInvalid, survivor.ID, sold.c.MergedInto)
	case mold.c.IsMerged():
		return fmt.Errorf("%w: client %s is already merged into %s", ErrInvalid, merged.ID, mold.c.MergedInto)
	}
	srec.c.LastContactAt = sold.c.LastContactAt
	if mold.c.LastContactAt.After(srec.c.LastContactAt) {
		srec.c.LastContactAt = mold.c.LastContactAt
	}
	mrec.c.LastContactAt = mold.c.LastContactAt
	if err := s.checkINN(srec, survivor.ID, merged.ID); err != nil {
		return err
	}
	if err := s.checkEvents(evs, uuid.Nil); err != nil {
		return err
	}
	// The tombstone first, so that an INN key passing from it to the
	// survivor is released before it is taken.
	s.replaceClient(mold, mrec)
	s.replaceClient(sold, srec)
	s.moveInteractions(merged.ID, survivor.ID)
	s.moveComplaints(merged.ID, survivor.ID)
	s.moveTimeline(merged.ID, survivor.ID)
	s.addEvents(evs)
	return nil
}

// ListClients streams the clients that f matches (crm.ClientFilter.Match),
// ordered by id, after p.After in p.Order. With f.IDs or f.Owners set it
// reads only those clients.
func (s *Store) ListClients(ctx context.Context, f crm.ClientFilter, p store.Page) iter.Seq2[crm.Client, error] {
	ids, owners := sortedUnique(f.IDs), sortedUnique(f.Owners)
	return listing(ctx, s, p, func(cur store.Cursor, want int) ([]crm.Client, store.Cursor, bool) {
		var sources [][]uuid.UUID
		switch {
		case len(ids) > 0:
			sources = [][]uuid.UUID{ids}
		case len(owners) > 0:
			for _, o := range owners {
				sources = append(sources, s.byOwner[o])
			}
		default:
			sources = [][]uuid.UUID{s.clientIDs}
		}
		candidates := candidateIDs(sources, cur, p.Order, batchSize)
		out := make([]crm.Client, 0, min(want, len(candidates)))
		last := cur
		for _, id := range candidates {
			last = idCursor(id)
			if rec := s.clients[id]; rec != nil && f.Match(rec.c) {
				out = append(out, rec.c.Clone())
				if len(out) == want {
					return out, last, true
				}
			}
		}
		return out, last, len(candidates) == batchSize
	})
}

// FindByKeys returns one crm.KeyMatch for each live (not merged) client
// and each of the keys it has, in no particular order. It costs a map
// lookup per key plus the matches, whatever the number of clients.
func (s *Store) FindByKeys(ctx context.Context, keys []crm.MatchKey) ([]crm.KeyMatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var seen map[crm.MatchKey]struct{}
	if len(keys) > 16 {
		seen = make(map[crm.MatchKey]struct{}, len(keys))
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []crm.KeyMatch
	for i, k := range keys {
		if seen != nil {
			if _, dup := seen[k]; dup {
				continue
			}
			seen[k] = struct{}{}
		} else if slices.Contains(keys[:i], k) {
			continue
		}
		for _, id := range s.byKey[k] {
			out = append(out, crm.KeyMatch{ClientID: id, Key: k})
		}
	}
	return out, nil
}

// checkINN refuses rec when its unique INN key is held by a client other
// than those allowed (the client itself; in a merge, both halves). The
// caller holds the lock.
func (s *Store) checkINN(rec *clientRecord, allowed ...uuid.UUID) error {
	if !rec.hasINN {
		return nil
	}
	holder, taken := s.byINN[rec.inn]
	if taken && !slices.Contains(allowed, holder) {
		return store.Duplicate("client", "inn", rec.inn.Value)
	}
	return nil
}

// replaceClient puts rec in the place of old (the same client) and moves
// its index entries. The caller holds the write lock and has checked the
// INN key.
func (s *Store) replaceClient(old, rec *clientRecord) {
	id := rec.c.ID
	if old.c.Owner != rec.c.Owner {
		removeFromIndex(s.byOwner, old.c.Owner, id)
		addToIndex(s.byOwner, rec.c.Owner, id)
	}
	s.reindexKeys(id, old.keys, rec.keys)
	if old.hasINN && s.byINN[old.inn] == id {
		delete(s.byINN, old.inn)
	}
	if rec.hasINN {
		s.byINN[rec.inn] = id
	}
	s.clients[id] = rec
}

func compareMatchKeys(a, b crm.MatchKey) int {
	if d := strings.Compare(string(a.Kind), string(b.Kind)); d != 0 {
		return d
	}
	return strings.Compare(a.Value, b.Value)
}

// reindexKeys moves client id in the duplicate-detection index from the
// keys it had to the keys it has. Both lists are sorted and unique, as
// crm.Client.MatchKeys returns them; keys in both are left alone.
func (s *Store) reindexKeys(id uuid.UUID, had, has []crm.MatchKey) {
	for len(had) > 0 || len(has) > 0 {
		d := 0
		switch {
		case len(had) == 0:
			d = 1
		case len(has) == 0:
			d = -1
		default:
			d = compareMatchKeys(had[0], has[0])
		}
		switch {
		case d < 0:
			removeFromIndex(s.byKey, had[0], id)
			had = had[1:]
		case d > 0:
			addToIndex(s.byKey, has[0], id)
			has = has[1:]
		default:
			had, has = had[1:], has[1:]
		}
	}
}
