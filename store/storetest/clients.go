package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
)

// RunClients checks the ClientStore methods of crm.Store: CreateClient,
// GetClient, UpdateClient, MergeClients, ListClients and FindByKeys.
func RunClients(t *testing.T, h Harness) {
	t.Helper()
	runChecks(t, h, []check{
		{"a created client reads back as written at version 1", clientRoundTrip},
		{"an unknown client is ErrNotFound", clientNotFound},
		{"a taken client id is ErrDuplicate", clientTakenID},
		{"a live INN is unique", clientUniqueINN},
		{"accepted duplicates may share an INN", clientAcceptedDuplicate},
		{"a merged client's INN is free", clientMergedINNFree},
		{"INN uniqueness holds under concurrent creates", clientConcurrentINN},
		{"a create carries no version", clientCreateVersion},
		{"versions count writes 1 2 3", clientVersions},
		{"a stale version is ErrConflict and changes nothing", clientStaleVersion},
		{"a refused write writes nothing", clientRefusedWrites},
		{"the store keeps copies of values passed in", clientCopiesIn},
		{"reads return copies", clientCopiesOut},
		{"a later write never changes a value already returned", clientReturnedStays},
		{"listing by id resumes exactly after any cursor", clientListingCursors},
		{"listing by id ascending survives concurrent inserts", clientListingUnderInserts(store.Ascending)},
		{"listing by id descending survives concurrent inserts", clientListingUnderInserts(store.Descending)},
		{"filters select exactly the matching clients", clientFilters},
		{"FindByKeys returns exactly the live matches", clientFindByKeys},
		{"merge moves interactions and events to the survivor", clientMerge},
		{"a refused merge moves nothing", clientRefusedMerge},
		{"concurrent read-modify-write loses no update", clientNoLostUpdate},
		{"methods honour cancellation", clientCancelled},
	})
}

func clientRoundTrip(t *testing.T, k *kit) {
	c := k.client()
	created := k.event(c.ID, crm.EventClientCreated, at(0))
	require.NoError(t, k.s.CreateClient(k.ctx, c, []crm.Event{created}),
		"contract: a create of a new client succeeds")
	want := c.Clone()
	want.Version = 1
	got := k.mustGet(c.ID)
	sameClient(t, want, got,
		"contract: a create stores version 1 and reads return what was written — GetClient differs from the client created")
	listed := k.clients(crm.ClientFilter{})
	if assert.Len(t, listed, 1, "contract: a listing yields stored records — ListClients after one create") {
		sameClient(t, want, listed[0],
			"contract: listings return what was written — ListClients differs from the client created")
	}
}

func clientNotFound(t *testing.T, k *kit) {
	_, err := k.s.GetClient(k.ctx, k.newID())
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: an unknown record is ErrNotFound — GetClient of an unknown id")

	ghost := k.client()
	ghost.Version = 1
	err = k.s.UpdateClient(k.ctx, ghost, []crm.Event{k.event(ghost.ID, crm.EventClientUpdated, at(1))})
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: an unknown record is ErrNotFound — UpdateClient of an unknown id")
	_, err = k.s.GetClient(k.ctx, ghost.ID)
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: a failed write writes nothing — UpdateClient of an unknown id created it")

	live := k.mustCreate(k.client())
	w := watch{ids: []uuid.UUID{live.ID, ghost.ID}}
	before := k.snapshot(w)
	s, m, events := k.mergeArgs(live, ghost, at(5))
	err = k.s.MergeClients(k.ctx, s, m, events)
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: an unknown record is ErrNotFound — MergeClients with an unknown merged client")
	k.unchanged(before, w, "MergeClients with an unknown merged client")

	s, m, events = k.mergeArgs(ghost, live, at(5))
	err = k.s.MergeClients(k.ctx, s, m, events)
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: an unknown record is ErrNotFound — MergeClients with an unknown survivor")
	k.unchanged(before, w, "MergeClients with an unknown survivor")
}

func clientTakenID(t *testing.T, k *kit) {
	a := k.mustCreateLogged(k.client(), at(0))
	other := k.client()
	other.ID = a.ID
	w := watch{ids: []uuid.UUID{a.ID}, keys: other.MatchKeys()}
	before := k.snapshot(w)
	err := k.s.CreateClient(k.ctx, other, []crm.Event{k.event(a.ID, crm.EventClientCreated, at(1))})
	require.ErrorIs(t, err, store.ErrDuplicate,
		"contract: a taken id is ErrDuplicate — CreateClient with the id of a stored client")
	var se *store.Error
	if assert.ErrorAs(t, err, &se, "contract: contract errors are a *store.Error naming the record") {
		assert.Equal(t, "id", se.Field, "contract: ErrDuplicate names the unique key taken — a taken client id")
	}
	k.unchanged(before, w, "CreateClient with a taken id")
}

func clientUniqueINN(t *testing.T, k *kit) {
	a := k.mustCreate(k.client())

	// A second live client with the same INN is refused, and not written.
	b := withINN(k.client(), inn(a))
	w := watch{ids: []uuid.UUID{a.ID, b.ID}, keys: append(a.MatchKeys(), b.MatchKeys()...)}
	before := k.snapshot(w)
	err := k.s.CreateClient(k.ctx, b, []crm.Event{k.event(b.ID, crm.EventClientCreated, at(1))})
	require.ErrorIs(t, err, store.ErrDuplicate,
		"contract: a live INN is unique — CreateClient with the INN of a live client")
	var se *store.Error
	if assert.ErrorAs(t, err, &se, "contract: contract errors are a *store.Error naming the record") {
		assert.Equal(t, "inn", se.Field, `contract: a taken INN is ErrDuplicate with field "inn"`)
	}
	k.unchanged(before, w, "CreateClient with a taken INN")

	// The key is the country and the value: the same digits issued by
	// another country are another key.
	foreign := k.client()
	foreign.TaxIDs = []taxid.ID{{Country: "KZ", Kind: taxid.KindOther, Value: inn(a)}}
	require.NoError(t, k.s.CreateClient(k.ctx, foreign, nil),
		"contract: the INN key is country and value — a KZ tax id with the digits of a RU INN was refused")

	// A client keeping its own INN is not its own duplicate.
	edit := a.Clone()
	edit.ShortName = "Ромашка (головной офис)"
	require.NoError(t, k.s.UpdateClient(k.ctx, edit, nil),
		"contract: a live INN is unique — UpdateClient of a client keeping its own INN was refused")
	a = k.mustGet(a.ID)

	// Taking another client's INN by an update is refused too.
	c := k.mustCreate(k.client())
	taken := withINN(c, inn(a))
	taken.Contacts[0].Phones = []string{"+74950000001"}
	w = watch{ids: []uuid.UUID{a.ID, c.ID}, keys: append(a.MatchKeys(), taken.MatchKeys()...)}
	before = k.snapshot(w)
	err = k.s.UpdateClient(k.ctx, taken, []crm.Event{k.event(c.ID, crm.EventClientUpdated, at(2))})
	require.ErrorIs(t, err, store.ErrDuplicate,
		"contract: a live INN is unique — UpdateClient changing the INN to one a live client holds")
	k.unchanged(before, w, "UpdateClient to a taken INN")
}

func clientAcceptedDuplicate(t *testing.T, k *kit) {
	a := k.mustCreate(k.client())
	b := withINN(k.client(), inn(a))
	b.AcceptedDuplicate = true
	require.NoError(t, k.s.CreateClient(k.ctx, b, nil),
		"contract: accepted duplicates may share an INN — CreateClient with AcceptedDuplicate was refused")
	c := withINN(k.client(), inn(a))
	c.AcceptedDuplicate = true
	require.NoError(t, k.s.CreateClient(k.ctx, c, nil),
		"contract: accepted duplicates may share an INN — a second accepted duplicate was refused")

	// An accepted duplicate created first does not block a plain client.
	first := k.client()
	first.AcceptedDuplicate = true
	require.NoError(t, k.s.CreateClient(k.ctx, first, nil), "setup: CreateClient failed")
	plain := withINN(k.client(), inn(first))
	require.NoError(t, k.s.CreateClient(k.ctx, plain, nil),
		"contract: accepted duplicates may share an INN — a plain client with the INN of an accepted duplicate was refused")

	// Clearing the flag makes the INN unique again, so it is refused
	// while another live client holds it.
	cleared := k.mustGet(b.ID)
	cleared.AcceptedDuplicate = false
	w := watch{ids: []uuid.UUID{b.ID}}
	before := k.snapshot(w)
	err := k.s.UpdateClient(k.ctx, cleared, nil)
	require.ErrorIs(t, err, store.ErrDuplicate,
		"contract: a live INN is unique — UpdateClient clearing AcceptedDuplicate while a live client holds the INN")
	k.unchanged(before, w, "UpdateClient clearing AcceptedDuplicate")
}

func clientMergedINNFree(t *testing.T, k *kit) {
	survivor := k.mustCreate(k.client())
	merged := k.mustCreate(k.client())
	k.mustMerge(survivor, merged)

	o := k.mustCreate(k.client())
	require.NoError(t, k.s.UpdateClient(k.ctx, withINN(o, inn(merged)), nil),
		"contract: a merged client's INN is free — UpdateClient taking the INN of a merged client was refused")

	// The INN now belongs to o, a live client: the index still works.
	n := withINN(k.client(), inn(merged))
	err := k.s.CreateClient(k.ctx, n, nil)
	require.ErrorIs(t, err, store.ErrDuplicate,
		"contract: a live INN is unique — CreateClient with an INN a live client took over from a merged one")

	m2 := k.mustCreate(k.client())
	k.mustMerge(k.mustGet(survivor.ID), m2)
	require.NoError(t, k.s.CreateClient(k.ctx, withINN(k.client(), inn(m2)), nil),
		"contract: a merged client's INN is free — CreateClient with the INN of a merged client was refused")
}

func clientConcurrentINN(t *testing.T, k *kit) {
	const n = 20
	const shared = "7799999999"
	cs := make([]crm.Client, n)
	ids := make([]uuid.UUID, n)
	for i := range cs {
		cs[i] = withINN(k.client(), shared)
		ids[i] = cs[i].ID
	}
	errs := together(n, func(i int) error {
		return k.s.CreateClient(k.ctx, cs[i], []crm.Event{k.event(cs[i].ID, crm.EventClientCreated, at(0))})
	})
	won := 0
	for i, err := range errs {
		if err == nil {
			won++
			continue
		}
		assert.ErrorIsf(t, err, store.ErrDuplicate,
			"contract: a live INN is unique — concurrent create %d failed with something other than ErrDuplicate", i)
		_, gerr := k.s.GetClient(k.ctx, ids[i])
		assert.ErrorIsf(t, gerr, store.ErrNotFound,
			"contract: a failed write writes nothing — refused concurrent create %d stored its client", i)
	}
	assert.Equal(t, 1, won,
		"contract: a live INN is unique, checked atomically with the write — of %d concurrent creates with one INN, %d succeeded", n, won)
	assert.Len(t, k.findKeys(innKey(shared)), 1,
		"contract: a live INN is unique — FindByKeys finds more than one client with the INN after concurrent creates")
}

func clientCreateVersion(t *testing.T, k *kit) {
	c := k.client()
	c.Version = 3
	w := watch{ids: []uuid.UUID{c.ID}, keys: c.MatchKeys()}
	before := k.snapshot(w)
	err := k.s.CreateClient(k.ctx, c, []crm.Event{k.event(c.ID, crm.EventClientCreated, at(0))})
	require.Error(t, err, "contract: a create carries NoVersion — CreateClient of a client with version 3 was accepted")
	k.unchanged(before, w, "CreateClient with a version")
}

func clientVersions(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	require.Equal(t, store.Version(1), c.Version, "contract: a create stores version 1")
	for want := store.Version(2); want <= 4; want++ {
		c.Tags = append(c.Tags, fmt.Sprintf("v%d", want))
		c = k.mustUpdate(c)
		require.Equal(t, want, c.Version, "contract: each update stores Version.Next()")
	}
}

func clientStaleVersion(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	u := c.Clone()
	u.Tags = []string{"fresh"}
	k.mustUpdate(u)

	w := watch{ids: []uuid.UUID{c.ID}, keys: c.MatchKeys()}
	for _, v := range []store.Version{1, 7, store.NoVersion} {
		stale := c.Clone()
		stale.Version = v
		stale.Tags = []string{"stale"}
		stale.Contacts[0].Phones = []string{"+74950000002"}
		w.keys = append(w.keys, stale.MatchKeys()...)
		before := k.snapshot(w)
		err := k.s.UpdateClient(k.ctx, stale, []crm.Event{k.event(c.ID, crm.EventClientUpdated, at(3))})
		require.ErrorIsf(t, err, store.ErrConflict,
			"contract: a stale version is ErrConflict — UpdateClient with version %d when version 2 is stored", v)
		k.unchanged(before, w, fmt.Sprintf("UpdateClient with version %d", v))
	}
}

func clientRefusedWrites(t *testing.T, k *kit) {
	a := k.mustCreateLogged(k.client(), at(0))
	b := k.mustCreate(k.client())
	k.mustAppend(k.interaction(a, at(5)))
	a = k.mustGet(a.ID)
	fresh := k.client()
	w := watch{ids: []uuid.UUID{a.ID, b.ID, fresh.ID}, keys: append(a.MatchKeys(), b.MatchKeys()...)}
	// Every attempt gives its client a phone of its own, +7495000001x, so
	// that FindByKeys shows whether its index entries were written.
	for i := range 10 {
		w.keys = append(w.keys, crm.MatchKey{Kind: crm.MatchPhone, Value: fmt.Sprintf("+7495000001%d", i)})
	}
	newPhone := func(c crm.Client, phone string) crm.Client {
		c = c.Clone()
		c.Contacts[0].Phones = []string{phone}
		return c
	}

	type attempt struct {
		write string
		kind  error // nil: any error
		run   func() error
	}
	attempts := []attempt{
		{"CreateClient with a taken id", store.ErrDuplicate, func() error {
			c := newPhone(fresh, "+74950000011")
			c.ID = a.ID
			return k.s.CreateClient(k.ctx, c, []crm.Event{k.event(a.ID, crm.EventClientCreated, at(9))})
		}},
		{"CreateClient with a taken INN", store.ErrDuplicate, func() error {
			c := withINN(newPhone(fresh, "+74950000012"), inn(b))
			return k.s.CreateClient(k.ctx, c, []crm.Event{k.event(c.ID, crm.EventClientCreated, at(9))})
		}},
		{"CreateClient with a version", nil, func() error {
			c := newPhone(fresh, "+74950000013")
			c.Version = 1
			return k.s.CreateClient(k.ctx, c, []crm.Event{k.event(c.ID, crm.EventClientCreated, at(9))})
		}},
		{"UpdateClient with a stale version", store.ErrConflict, func() error {
			c := newPhone(a, "+74950000014")
			c.Version = a.Version + 5
			return k.s.UpdateClient(k.ctx, c, []crm.Event{k.event(a.ID, crm.EventClientUpdated, at(9))})
		}},
		{"UpdateClient to a taken INN", store.ErrDuplicate, func() error {
			c := withINN(newPhone(a, "+74950000015"), inn(b))
			return k.s.UpdateClient(k.ctx, c, []crm.Event{k.event(a.ID, crm.EventClientUpdated, at(9))})
		}},
		{"MergeClients with a stale survivor", store.ErrConflict, func() error {
			s, m, events := k.mergeArgs(newPhone(b, "+74950000016"), a, at(9))
			s.Version++
			return k.s.MergeClients(k.ctx, s, m, events)
		}},
		{"MergeClients with a stale merged client", store.ErrConflict, func() error {
			s, m, events := k.mergeArgs(newPhone(b, "+74950000017"), a, at(9))
			m.Version++
			return k.s.MergeClients(k.ctx, s, m, events)
		}},
	}
	for _, try := range attempts {
		before := k.snapshot(w)
		err := try.run()
		if try.kind == nil {
			require.Errorf(t, err, "contract: %s is refused", try.write)
		} else {
			require.ErrorIsf(t, err, try.kind, "contract: %s is refused with %v", try.write, try.kind)
		}
		k.unchanged(before, w, try.write)
	}
}

// keyMatchesOf is what FindByKeys should return over the given live
// clients: every (client, key) pair where the client has the key.
func keyMatchesOf(clients []crm.Client, keys []crm.MatchKey) []crm.KeyMatch {
	var out []crm.KeyMatch
	for _, c := range clients {
		if c.IsMerged() {
			continue
		}
		own := c.MatchKeys()
		var seen []crm.MatchKey
		for _, key := range keys {
			if slices.Contains(own, key) && !slices.Contains(seen, key) {
				seen = append(seen, key)
				out = append(out, crm.KeyMatch{ClientID: c.ID, Key: key})
			}
		}
	}
	return out
}

// scramble changes every slice, map and nested value of c in place.
func scramble(c *crm.Client) {
	c.Tags[0] = "scrambled"
	c.TaxIDs[0].Value = "0000000000"
	c.Addresses[0].City = "scrambled"
	c.Attributes["region"] = crm.TextAttr("scrambled")
	c.Attributes["scrambled"] = crm.FlagAttr(true)
	c.Contacts[0].LastName = "scrambled"
	c.Contacts[0].Phones[0] = "+70000000000"
	c.Contacts[0].Emails[0] = "scrambled@example.ru"
	c.StageLog[0].Reason = "scrambled"
	if len(c.MergedFrom) > 0 {
		c.MergedFrom[0] = uuid.Nil
	}
}

func clientCopiesIn(t *testing.T, k *kit) {
	const rule = "contract: the store keeps its own copy"
	c := k.client()
	ev := k.event(c.ID, crm.EventClientCreated, at(0))
	want, wantEv := c.Clone(), ev.Clone()
	want.Version = 1
	require.NoError(t, k.s.CreateClient(k.ctx, c, []crm.Event{ev}), "setup: CreateClient failed")
	scramble(&c)
	ev.Data["note"] = "scrambled"
	sameClient(t, want, k.mustGet(c.ID), rule+" — changing a client after CreateClient changed the stored one")
	same(t, []crm.Event{wantEv}, k.timeline(c.ID), rule+" — changing an event's Data after CreateClient changed the stored event")

	u := k.mustGet(c.ID)
	u.Tags = []string{"updated"}
	ev = k.event(c.ID, crm.EventClientUpdated, at(1))
	want, wantEv2 := u.Clone(), ev.Clone()
	want.Version = 2
	require.NoError(t, k.s.UpdateClient(k.ctx, u, []crm.Event{ev}), "setup: UpdateClient failed")
	scramble(&u)
	ev.Data["note"] = "scrambled"
	sameClient(t, want, k.mustGet(c.ID), rule+" — changing a client after UpdateClient changed the stored one")
	same(t, []crm.Event{wantEv, wantEv2}, k.timeline(c.ID), rule+" — changing an event's Data after UpdateClient changed the stored event")

	m := k.mustCreate(k.client())
	s, mm, events := k.mergeArgs(k.mustGet(c.ID), m, at(2))
	wantS, wantM := s.Clone(), mm.Clone()
	wantS.Version++
	wantM.Version++
	require.NoError(t, k.s.MergeClients(k.ctx, s, mm, events), "setup: MergeClients failed")
	scramble(&s)
	scramble(&mm)
	sameClient(t, wantS, k.mustGet(s.ID), rule+" — changing the survivor after MergeClients changed the stored one")
	sameClient(t, wantM, k.mustGet(mm.ID), rule+" — changing the merged client after MergeClients changed the stored one")
}

func clientCopiesOut(t *testing.T, k *kit) {
	const rule = "contract: reads return copies"
	c := k.mustCreateLogged(k.client(), at(0))
	ev := k.event(c.ID, crm.EventClientUpdated, at(1))
	u := c.Clone()
	u.Tags = append(u.Tags, "x")
	c = k.mustUpdate(u, ev)
	want := c.Clone()
	wantTimeline := k.timeline(c.ID)

	got := k.mustGet(c.ID)
	scramble(&got)
	sameClient(t, want, k.mustGet(c.ID), rule+" — changing a client returned by GetClient changed the stored one")

	listed := k.clients(crm.ClientFilter{})
	require.Len(t, listed, 1, "setup: ListClients after one create")
	scramble(&listed[0])
	sameClient(t, want, k.mustGet(c.ID), rule+" — changing a client returned by ListClients changed the stored one")

	events := k.timeline(c.ID)
	for _, e := range events {
		e.Data["note"] = "scrambled"
		e.Data["scrambled"] = "yes"
	}
	same(t, wantTimeline, k.timeline(c.ID), rule+" — changing an event's Data returned by Timeline changed the stored event")
}

func clientReturnedStays(t *testing.T, k *kit) {
	const rule = "contract: a later write never changes a value already returned"
	c := k.mustCreate(k.client())
	got := k.mustGet(c.ID)
	listed := k.clients(crm.ClientFilter{})
	snap, snapListed := got.Clone(), listed[0].Clone()

	u := got.Clone()
	u.Tags[0] = "changed"
	u.TaxIDs[0].Value = "7711111111"
	u.Contacts[0].Phones[0] = "+74950000003"
	u.Attributes["region"] = crm.TextAttr("spb")
	u.StageLog = append(u.StageLog, crm.StageChange{From: crm.StageLead, To: crm.StageQualified, At: at(1), By: k.user})
	u.Stage = crm.StageQualified
	k.mustUpdate(u)
	k.mustAppend(k.interaction(got, at(2)))

	sameClient(t, snap, got, rule+" — a client returned by GetClient changed after UpdateClient")
	sameClient(t, snapListed, listed[0], rule+" — a client returned by ListClients changed after UpdateClient")
}

func clientListingCursors(t *testing.T, k *kit) {
	var made []uuid.UUID
	for range 12 {
		made = append(made, k.mustCreate(k.client()).ID)
	}
	all := k.clients(crm.ClientFilter{})
	require.Equal(t, made, idsOf(all),
		"contract: ListClients is ordered by id — clients with increasing ids are not listed in that order")
	desc, err := store.Collect(k.s.ListClients(k.ctx, crm.ClientFilter{}, store.Page{Order: store.Descending}))
	require.NoError(t, err, "ListClients descending failed")
	want := slices.Clone(made)
	slices.Reverse(want)
	require.Equal(t, want, idsOf(desc), "contract: ListClients is ordered by id — descending is not the reverse of ascending")

	cursors := append(keysOf(all), store.Cursor{ID: idAt(0, 1)}, store.Cursor{ID: uuid.Max})
	resumesExactly(t, all, cursors, func(p store.Page) iter2[crm.Client] {
		return k.s.ListClients(k.ctx, crm.ClientFilter{}, p)
	})
	stopsEarly(t, k.s.ListClients(k.ctx, crm.ClientFilter{}, store.Page{}))
}

func clientListingUnderInserts(order store.Order) func(t *testing.T, k *kit) {
	return func(t *testing.T, k *kit) {
		const n = 95
		var before []store.Cursor
		for i := range uint64(n) {
			c := k.client()
			c.ID = idAt(seedMid, 2*(i+1))
			require.NoError(t, k.s.CreateClient(k.ctx, c, nil), "setup: CreateClient failed")
			before = append(before, c.Cursor())
		}
		listUnderInserts(t, listPlan[crm.Client]{
			sortKey: "id",
			order:   order,
			limit:   10,
			before:  before,
			list: func(p store.Page) iter2[crm.Client] {
				return k.s.ListClients(k.ctx, crm.ClientFilter{}, p)
			},
			insert: func(round int) ([]store.Cursor, error) {
				r := uint64(round)
				ids := []uuid.UUID{
					idAt(seedLow, r+1),                  // before every listed id
					idAt(seedMid, 2*((r*7)%n+1)+1),      // between two listed ids
					idAt(seedHigh, r+1),                 // after every listed id
					idAt(seedMid, 2*(((r+40)*7)%n+1)+1), // between two others
				}
				var keys []store.Cursor
				for _, id := range ids {
					c := k.client()
					c.ID = id
					if err := k.s.CreateClient(k.ctx, c, nil); err != nil {
						return keys, err
					}
					keys = append(keys, c.Cursor())
				}
				return keys, nil
			},
		})
	}
}

func clientFilters(t *testing.T, k *kit) {
	ownerA, ownerB := k.newID(), k.newID()
	mk := func(owner uuid.UUID, stage crm.Stage, tier crm.Tier, tags []string, updated time.Time) crm.Client {
		c := k.client()
		c.Owner, c.Stage, c.Tier, c.Tags, c.UpdatedAt = owner, stage, tier, tags, updated
		return k.mustCreate(c)
	}
	c1 := mk(ownerA, crm.StageLead, crm.TierStandard, []string{"opt"}, at(10))
	c2 := mk(ownerB, crm.StageCustomer, crm.TierKey, []string{"key account", "opt"}, at(20))
	c3 := mk(ownerA, crm.StageCustomer, crm.TierVIP, nil, at(30))
	c4 := mk(ownerB, crm.StageLead, crm.TierStandard, []string{"key account"}, at(40))
	k.mustMerge(c2, c4) // c4 becomes a tombstone; mergeArgs keeps UpdatedAt
	c2 = k.mustGet(c2.ID)
	require.Equal(t, at(20), c2.UpdatedAt.UTC(), "setup: merge kept UpdatedAt")

	ids := func(cs ...crm.Client) []uuid.UUID {
		out := []uuid.UUID{}
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	cases := []struct {
		name string
		f    crm.ClientFilter
		want []uuid.UUID
	}{
		{"empty filter lists live clients", crm.ClientFilter{}, ids(c1, c2, c3)},
		{"IncludeMerged lists tombstones too", crm.ClientFilter{IncludeMerged: true}, ids(c1, c2, c3, c4)},
		{"Owners one", crm.ClientFilter{Owners: []uuid.UUID{ownerA}}, ids(c1, c3)},
		{"Owners two", crm.ClientFilter{Owners: []uuid.UUID{ownerA, ownerB}}, ids(c1, c2, c3)},
		{"Owners unknown", crm.ClientFilter{Owners: []uuid.UUID{k.newID()}}, ids()},
		{"IDs", crm.ClientFilter{IDs: []uuid.UUID{c1.ID, c4.ID}}, ids(c1)},
		{"IDs with IncludeMerged", crm.ClientFilter{IDs: []uuid.UUID{c1.ID, c4.ID}, IncludeMerged: true}, ids(c1, c4)},
		{"Stages", crm.ClientFilter{Stages: []crm.Stage{crm.StageCustomer}}, ids(c2, c3)},
		{"Stages excludes tombstones", crm.ClientFilter{Stages: []crm.Stage{crm.StageLead}}, ids(c1)},
		{"Tiers", crm.ClientFilter{Tiers: []crm.Tier{crm.TierKey, crm.TierVIP}}, ids(c2, c3)},
		{"Tag", crm.ClientFilter{Tag: "key account"}, ids(c2)},
		{"Tag is folded", crm.ClientFilter{Tag: "  Key   ACCOUNT "}, ids(c2)},
		{"Tag with IncludeMerged", crm.ClientFilter{Tag: "key account", IncludeMerged: true}, ids(c2, c4)},
		{"UpdatedSince is inclusive", crm.ClientFilter{UpdatedSince: at(20)}, ids(c2, c3)},
		{"UpdatedSince with IncludeMerged", crm.ClientFilter{UpdatedSince: at(20), IncludeMerged: true}, ids(c2, c3, c4)},
		{"UpdatedSince in another zone", crm.ClientFilter{UpdatedSince: at(30).In(time.FixedZone("MSK", 3*3600))}, ids(c3)},
		{"fields combine with and", crm.ClientFilter{Owners: []uuid.UUID{ownerB}, Tiers: []crm.Tier{crm.TierStandard}, IncludeMerged: true}, ids(c4)},
	}
	for _, tc := range cases {
		got := k.clients(tc.f)
		assert.Equalf(t, tc.want, append([]uuid.UUID{}, idsOf(got)...),
			"contract: ListClients yields exactly the clients that match its filter, by id — filter case %q", tc.name)
		for i, c := range got {
			assert.Truef(t, tc.f.Match(c), "contract: ListClients yields only matching clients — case %q record %d", tc.name, i)
		}
		// Paging a filtered listing yields the same records.
		var paged []uuid.UUID
		cursor := store.Cursor{}
		for range maxPages {
			page, err := store.Collect(k.s.ListClients(k.ctx, tc.f, store.Page{After: cursor, Limit: 1}))
			require.NoError(t, err, "ListClients failed")
			if len(page) == 0 {
				break
			}
			require.Len(t, page, 1, "contract: a page holds at most Limit records")
			paged = append(paged, page[0].ID)
			cursor = page[0].Cursor()
		}
		assert.Equalf(t, tc.want, append([]uuid.UUID{}, paged...),
			"contract: resuming from a cursor yields exactly the records after it — filter case %q paged one by one", tc.name)
	}
}

func clientFindByKeys(t *testing.T, k *kit) {
	a := k.mustCreate(k.client())
	phone := keyOf(a, crm.MatchPhone)

	// b shares a's phone, twice (two contacts): one match per client and key.
	b := k.client()
	b.Contacts[0].Phones = []string{phone.Value}
	second := crm.Contact{ID: k.newID(), LastName: "Петров", Emails: []string{"second@example.ru"}, Phones: []string{phone.Value}}
	b.Contacts = append(b.Contacts, second)
	b = k.mustCreate(b)

	// c is an accepted duplicate of a's INN.
	c := withINN(k.client(), inn(a))
	c.AcceptedDuplicate = true
	c = k.mustCreate(c)

	// d shares a's phone and e-mail but is merged: never found.
	d := k.client()
	d.Contacts[0].Phones = []string{phone.Value}
	d.Contacts[0].Emails = []string{keyOf(a, crm.MatchEmail).Value}
	d = k.mustCreate(d)
	k.mustMerge(k.mustGet(b.ID), d)
	b = k.mustGet(b.ID)

	e := k.mustCreate(k.client()) // shares nothing
	live := []crm.Client{a, b, c, e}

	keys := []crm.MatchKey{
		phone,
		keyOf(a, crm.MatchEmail),
		keyOf(a, crm.MatchINN),
		keyOf(a, crm.MatchName),
		keyOf(b, crm.MatchEmail),
		{Kind: crm.MatchEmail, Value: "nobody@example.ru"},
		{Kind: crm.MatchPhone, Value: "+70000000001"},
		innKey("7700000000"),
		{Kind: crm.MatchName, Value: "никто"},
	}
	for _, key := range keys {
		got := k.findKeys(key)
		assert.ElementsMatchf(t, keyMatchesOf(live, []crm.MatchKey{key}), got,
			"contract: FindByKeys returns one match per live client and key — key %s %q", key.Kind, key.Value)
	}
	assert.ElementsMatch(t, keyMatchesOf(live, keys), k.findKeys(keys...),
		"contract: FindByKeys returns one match per live client and key — all keys at once")
	assert.Empty(t, k.findKeys(), "contract: FindByKeys of no keys finds nothing")
	for _, m := range k.findKeys(keys...) {
		assert.NotEqual(t, d.ID, m.ClientID, "contract: FindByKeys returns live clients only — it found a merged client")
	}

	// The index follows updates: a's old phone no longer finds it, the new one does.
	u := a.Clone()
	u.Contacts[0].Phones = []string{"+74950000004"}
	k.mustUpdate(u)
	newPhone := crm.MatchKey{Kind: crm.MatchPhone, Value: "+74950000004"}
	assert.ElementsMatch(t, []crm.KeyMatch{{ClientID: b.ID, Key: phone}}, k.findKeys(phone),
		"contract: FindByKeys follows updates — a client still matches a phone its update removed")
	assert.ElementsMatch(t, []crm.KeyMatch{{ClientID: a.ID, Key: newPhone}}, k.findKeys(newPhone),
		"contract: FindByKeys follows updates — a client does not match a phone its update added")
}

func clientMerge(t *testing.T, k *kit) {
	s := k.mustCreateLogged(k.client(), at(0))
	m := k.client()
	m.TaxIDs = nil // the survivor takes over m's INN below
	mINN := "7712345678"
	m = k.mustCreate(withINN(m, mINN), k.event(m.ID, crm.EventClientCreated, at(1)))
	is1 := k.interaction(s, at(5))
	im1 := k.interaction(m, at(3))
	im2 := k.interaction(m, at(7))
	im2.Kind, im2.Outcome = crm.InteractionNote, crm.OutcomeOther
	for _, in := range []crm.Interaction{is1, im1, im2} {
		k.mustAppend(in, k.logged(in))
	}
	s, m = k.mustGet(s.ID), k.mustGet(m.ID)
	sEvents, mEvents := k.timeline(s.ID), k.timeline(m.ID)
	require.Len(t, mEvents, 3, "setup: the merged client's timeline")

	sv, mv, events := k.mergeArgs(s, m, at(10))
	// The survivor takes over the INN of the client merged into it: the
	// INN is unique among live clients after the write, and m is merged.
	sv.TaxIDs = []taxid.ID{{Country: taxid.CountryRU, Kind: taxid.KindINN, Value: mINN}}
	require.NoError(t, k.s.MergeClients(k.ctx, sv, mv, events),
		"contract: MergeClients of two current clients succeeds, even when the survivor takes over the merged client's INN")

	gotS, gotM := k.mustGet(s.ID), k.mustGet(m.ID)
	assert.Equal(t, s.Version.Next(), gotS.Version, "contract: MergeClients stores the survivor at Version.Next()")
	assert.Equal(t, m.Version.Next(), gotM.Version, "contract: MergeClients stores the merged client at Version.Next()")
	wantS, wantM := sv.Clone(), mv.Clone()
	wantS.Version, wantM.Version = gotS.Version, gotM.Version
	wantS.LastContactAt, wantM.LastContactAt = gotS.LastContactAt, gotM.LastContactAt // the store's to keep
	sameClient(t, wantS, gotS, "contract: MergeClients writes the survivor as given")
	sameClient(t, wantM, gotM, "contract: MergeClients writes the merged tombstone as given")
	assert.True(t, gotM.IsMerged(), "contract: MergeClients writes the tombstone")

	// Interactions: m's are listed under the survivor, in (At, id) order,
	// and no longer under m.
	listed := k.interactions(s.ID)
	assert.ElementsMatch(t, []uuid.UUID{is1.ID, im1.ID, im2.ID}, idsOf(listed),
		"contract: MergeClients moves the merged client's interactions to the survivor")
	inOrder(t, listed, store.Ascending, "(At, id)")
	assert.Empty(t, k.interactions(m.ID),
		"contract: MergeClients moves the merged client's interactions — they are still listed under the merged client")
	for _, in := range []crm.Interaction{im1, im2} {
		_, err := k.s.GetInteraction(k.ctx, in.ID)
		assert.NoError(t, err, "contract: MergeClients moves interactions, it does not delete them")
	}

	// Events: every earlier event of both is on the survivor's timeline,
	// with the merge's own event, in (At, id) order.
	timeline := k.timeline(s.ID)
	inOrder(t, timeline, store.Ascending, "(At, id)")
	ids := eventIDs(timeline)
	for _, e := range append(slices.Clone(sEvents), mEvents...) {
		assert.Containsf(t, ids, e.ID,
			"contract: MergeClients moves the merged client's timeline events to the survivor — event %s (%s) is missing", e.ID, e.Kind)
	}
	assert.Contains(t, ids, events[0].ID, "contract: MergeClients stores its events — the survivor's merge event is missing")
	left := eventIDs(k.timeline(m.ID))
	for _, e := range mEvents {
		assert.NotContainsf(t, left, e.ID,
			"contract: MergeClients moves the merged client's timeline events — event %s (%s) is still on the merged client's timeline", e.ID, e.Kind)
	}
	// The tombstone's own merge event may stay on its timeline or move
	// with the rest; it must be stored once.
	n := 0
	for _, id := range append(ids, left...) {
		if id == events[1].ID {
			n++
		}
	}
	assert.Equal(t, 1, n, "contract: MergeClients stores its events — the merged client's merge event is stored %d times", n)

	// The INN now belongs to the survivor alone.
	assert.ElementsMatch(t, []crm.KeyMatch{{ClientID: s.ID, Key: innKey(mINN)}}, k.findKeys(innKey(mINN)),
		"contract: FindByKeys returns live clients only — after a merge the INN finds the survivor")
}

func clientRefusedMerge(t *testing.T, k *kit) {
	s := k.mustCreateLogged(k.client(), at(0))
	m := k.mustCreateLogged(k.client(), at(1))
	third := k.mustCreate(k.client())
	k.mustAppend(k.interaction(m, at(3)), k.event(m.ID, crm.EventInteractionLogged, at(3)))
	m = k.mustGet(m.ID)
	w := watch{ids: []uuid.UUID{s.ID, m.ID, third.ID}, keys: append(append(s.MatchKeys(), m.MatchKeys()...), third.MatchKeys()...)}

	// Stale survivor: s changed after it was read.
	oldS := s
	s = k.mustUpdate(func() crm.Client { c := s.Clone(); c.Tags = []string{"changed"}; return c }())
	before := k.snapshot(w)
	sv, mv, events := k.mergeArgs(oldS, m, at(10))
	require.ErrorIs(t, k.s.MergeClients(k.ctx, sv, mv, events), store.ErrConflict,
		"contract: a stale version is ErrConflict — MergeClients with a survivor changed since it was read")
	k.unchanged(before, w, "MergeClients with a stale survivor")

	// Stale merged client.
	oldM := m
	m = k.mustUpdate(func() crm.Client { c := m.Clone(); c.Tags = []string{"changed"}; return c }())
	before = k.snapshot(w)
	sv, mv, events = k.mergeArgs(s, oldM, at(10))
	require.ErrorIs(t, k.s.MergeClients(k.ctx, sv, mv, events), store.ErrConflict,
		"contract: a stale version is ErrConflict — MergeClients with a merged client changed since it was read")
	k.unchanged(before, w, "MergeClients with a stale merged client")

	// A survivor taking an INN a third live client holds.
	before = k.snapshot(w)
	sv, mv, events = k.mergeArgs(s, m, at(10))
	sv = withINN(sv, inn(third))
	require.ErrorIs(t, k.s.MergeClients(k.ctx, sv, mv, events), store.ErrDuplicate,
		"contract: a live INN is unique — MergeClients giving the survivor the INN of a third live client")
	k.unchanged(before, w, "MergeClients to a taken INN")
}

// addTag adds tag to the client by read-modify-write, retrying on
// ErrConflict as a service would.
func addTag(k *kit, id uuid.UUID, tag string) error {
	const attempts = 10000
	for attempt := range attempts {
		c, err := k.s.GetClient(k.ctx, id)
		if err != nil {
			return err
		}
		c.Tags = append(slices.Clone(c.Tags), tag)
		slices.Sort(c.Tags)
		ev := k.event(id, crm.EventClientUpdated, at(1))
		ev.Data = map[string]string{"fields": "tags", "tag": tag}
		err = k.s.UpdateClient(k.ctx, c, []crm.Event{ev})
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
		if attempt < 3 {
			runtime.Gosched()
		} else {
			time.Sleep(time.Duration(rand.IntN(50*min(attempt, 20))+1) * time.Microsecond)
		}
	}
	return fmt.Errorf("storetest: %d conflicts in a row adding tag %s", attempts, tag)
}

func clientNoLostUpdate(t *testing.T, k *kit) {
	const n = 50
	c := k.mustCreateLogged(k.client(), at(0))
	errs := together(n, func(i int) error { return addTag(k, c.ID, fmt.Sprintf("worker-%02d", i)) })
	for i, err := range errs {
		require.NoErrorf(t, err, "worker %d could not add its tag", i)
	}
	got := k.mustGet(c.ID)
	for i := range n {
		assert.Containsf(t, got.Tags, fmt.Sprintf("worker-%02d", i),
			"contract: a write based on a stale version is refused (no lost update) — the tag of worker %d is gone", i)
	}
	assert.Equal(t, store.Version(1+n), got.Version,
		"contract: each update stores Version.Next() — after %d concurrent updates", n)
	updates := 0
	for _, e := range k.timeline(c.ID) {
		if e.Kind == crm.EventClientUpdated {
			updates++
		}
	}
	assert.Equal(t, n, updates,
		"contract: an update stores its events, a refused one writes nothing — %d updates succeeded, %d update events stored", n, updates)
}

func clientCancelled(t *testing.T, k *kit) {
	const rule = "contract: methods honour cancellation"
	ctx := k.cancelled()
	a := k.mustCreate(k.client())
	b := k.mustCreate(k.client())
	fresh := k.client()
	w := watch{ids: []uuid.UUID{a.ID, b.ID, fresh.ID}, keys: append(append(a.MatchKeys(), b.MatchKeys()...), fresh.MatchKeys()...)}
	before := k.snapshot(w)

	_, err := k.s.GetClient(ctx, a.ID)
	assert.ErrorIs(t, err, context.Canceled, rule+" — GetClient")
	_, err = k.s.FindByKeys(ctx, a.MatchKeys())
	assert.ErrorIs(t, err, context.Canceled, rule+" — FindByKeys")
	failsOnce(t, k.s.ListClients(ctx, crm.ClientFilter{}, store.Page{}), context.Canceled, "ListClients")

	err = k.s.CreateClient(ctx, fresh, []crm.Event{k.event(fresh.ID, crm.EventClientCreated, at(1))})
	assert.ErrorIs(t, err, context.Canceled, rule+" — CreateClient")
	u := a.Clone()
	u.Tags = []string{"cancelled"}
	err = k.s.UpdateClient(ctx, u, []crm.Event{k.event(a.ID, crm.EventClientUpdated, at(1))})
	assert.ErrorIs(t, err, context.Canceled, rule+" — UpdateClient")
	sv, mv, events := k.mergeArgs(a, b, at(2))
	err = k.s.MergeClients(ctx, sv, mv, events)
	assert.ErrorIs(t, err, context.Canceled, rule+" — MergeClients")
	k.unchanged(before, w, "a write with a cancelled context")
}
