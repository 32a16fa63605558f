package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// RunInteractions checks the InteractionStore methods of crm.Store:
// AppendInteraction, GetInteraction and ListInteractions, and the
// client's LastContactAt that appending keeps.
func RunInteractions(t *testing.T, h Harness) {
	t.Helper()
	runChecks(t, h, []check{
		{"an appended interaction reads back as written", interactionRoundTrip},
		{"an unknown interaction is ErrNotFound", interactionNotFound},
		{"an interaction of an unknown client is ErrNotFound and writes nothing", interactionUnknownClient},
		{"a taken interaction id is ErrDuplicate and writes nothing", interactionTakenID},
		{"an interaction of a merged client is ErrConflict and writes nothing", interactionMergedClient},
		{"a reached interaction later than LastContactAt moves it without a new version", interactionLastContact},
		{"a correction recomputes LastContactAt from the interactions in force", interactionCorrectionLastContact},
		{"UpdateClient ignores the LastContactAt it carries", interactionLastContactKept},
		{"the store keeps copies of interactions", interactionCopies},
		{"listing by (At, id) resumes exactly after any cursor", interactionListingCursors},
		{"listing by (At, id) ascending survives concurrent inserts", interactionListingUnderInserts(store.Ascending)},
		{"listing by (At, id) descending survives concurrent inserts", interactionListingUnderInserts(store.Descending)},
		{"concurrent appends and updates lose nothing", interactionConcurrent},
		{"methods honour cancellation", interactionCancelled},
	})
}

func interactionRoundTrip(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	in := k.interaction(c, at(5))
	ev := k.logged(in)
	require.NoError(t, k.s.AppendInteraction(k.ctx, in, []crm.Event{ev}),
		"contract: AppendInteraction of a new interaction for a stored client succeeds")
	got, err := k.s.GetInteraction(k.ctx, in.ID)
	require.NoError(t, err, "contract: an appended interaction can be read")
	same(t, in, got, "contract: reads return what was written — GetInteraction differs from the interaction appended")
	same(t, []crm.Interaction{in}, k.interactions(c.ID),
		"contract: listings return what was written — ListInteractions differs from the interaction appended")
	same(t, []crm.Event{ev}, k.timeline(c.ID),
		"contract: a write stores its events — the interaction's event is not on the timeline as written")
}

func interactionNotFound(t *testing.T, k *kit) {
	_, err := k.s.GetInteraction(k.ctx, k.newID())
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: an unknown record is ErrNotFound — GetInteraction of an unknown id")
}

func interactionUnknownClient(t *testing.T, k *kit) {
	ghost := k.client()
	in := k.interaction(ghost, at(5))
	w := watch{ids: []uuid.UUID{ghost.ID}}
	before := k.snapshot(w)
	err := k.s.AppendInteraction(k.ctx, in, []crm.Event{k.logged(in)})
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: the client must exist — AppendInteraction for an unknown client")
	k.unchanged(before, w, "AppendInteraction for an unknown client")
	_, err = k.s.GetInteraction(k.ctx, in.ID)
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: a failed write writes nothing — AppendInteraction for an unknown client stored the interaction")
}

func interactionMergedClient(t *testing.T, k *kit) {
	survivor := k.mustCreate(k.client())
	merged := k.mustCreate(k.client())
	k.mustMerge(survivor, merged)
	in := k.interaction(merged, at(70))
	w := watch{ids: []uuid.UUID{survivor.ID, merged.ID}}
	before := k.snapshot(w)
	err := k.s.AppendInteraction(k.ctx, in, []crm.Event{k.logged(in)})
	require.ErrorIs(t, err, store.ErrConflict,
		"contract: AppendInteraction for a client merged into another is ErrConflict, so the caller appends to the survivor")
	k.unchanged(before, w, "AppendInteraction for a merged client")
}

func interactionTakenID(t *testing.T, k *kit) {
	a := k.mustCreate(k.client())
	b := k.mustCreate(k.client())
	first := k.interaction(a, at(5))
	k.mustAppend(first, k.logged(first))
	w := watch{ids: []uuid.UUID{a.ID, b.ID}}

	for _, owner := range []crm.Client{a, b} {
		again := k.interaction(owner, at(50)) // later and reached: would move LastContactAt
		again.ID = first.ID
		again.Summary = "другой текст"
		before := k.snapshot(w)
		err := k.s.AppendInteraction(k.ctx, again, []crm.Event{k.logged(again)})
		require.ErrorIs(t, err, store.ErrDuplicate,
			"contract: a taken id is ErrDuplicate — AppendInteraction with the id of a stored interaction")
		k.unchanged(before, w, "AppendInteraction with a taken id")
		got, err := k.s.GetInteraction(k.ctx, first.ID)
		require.NoError(t, err, "GetInteraction failed")
		same(t, first, got, "contract: a failed write writes nothing — AppendInteraction with a taken id replaced the stored interaction")
	}
}

func interactionLastContact(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	require.True(t, c.LastContactAt.IsZero(), "setup: a new client has no LastContactAt")
	steps := []struct {
		why     string
		kind    crm.InteractionKind
		outcome crm.Outcome
		when    time.Time
		want    time.Time
	}{
		{"a reached call, first contact", crm.InteractionCall, crm.OutcomeReached, at(10), at(10)},
		{"a reached call earlier than LastContactAt", crm.InteractionCall, crm.OutcomeReached, at(5), at(10)},
		{"an unanswered call later than LastContactAt", crm.InteractionCall, crm.OutcomeNoAnswer, at(20), at(10)},
		{"a note later than LastContactAt", crm.InteractionNote, crm.OutcomeOther, at(30), at(10)},
		{"a note with outcome reached", crm.InteractionNote, crm.OutcomeReached, at(31), at(10)},
		{"a refused meeting later than LastContactAt (reached: any outcome but no answer)", crm.InteractionMeeting, crm.OutcomeRefused, at(15), at(15)},
		{"a reached call at exactly LastContactAt", crm.InteractionCall, crm.OutcomeReached, at(15), at(15)},
		{"an e-mail in another time zone, later", crm.InteractionEmail, crm.OutcomeOfferSent, at(16).In(time.FixedZone("MSK", 3*3600)), at(16)},
	}
	for _, st := range steps {
		in := k.interaction(c, st.when)
		in.Kind, in.Outcome = st.kind, st.outcome
		k.mustAppend(in, k.logged(in))
		got := k.mustGet(c.ID)
		assert.Truef(t, st.want.Equal(got.LastContactAt),
			"contract: AppendInteraction moves LastContactAt to a reached interaction's At when later, else leaves it — after %s, LastContactAt is %s, want %s",
			st.why, got.LastContactAt, st.want)
		assert.Equalf(t, store.Version(1), got.Version,
			"contract: AppendInteraction moves LastContactAt without changing the client's version — after %s", st.why)
	}
}

func interactionCorrectionLastContact(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	early := k.interaction(c, at(10))
	k.mustAppend(early, k.logged(early))
	late := k.interaction(c, at(20)) // reached: LastContactAt at(20)
	k.mustAppend(late, k.logged(late))
	correct := func(of crm.Interaction, when time.Time, outcome crm.Outcome) crm.Interaction {
		fix := k.interaction(c, when)
		fix.Outcome, fix.Corrects = outcome, of.ID
		k.mustAppend(fix, k.logged(fix))
		return fix
	}
	check := func(why string, want time.Time) {
		t.Helper()
		got := k.mustGet(c.ID)
		assert.Truef(t, want.Equal(got.LastContactAt),
			"contract: a correction supersedes the entry it names — after %s, LastContactAt is %s, want %s",
			why, got.LastContactAt, want)
		assert.Equalf(t, store.Version(1), got.Version,
			"contract: AppendInteraction moves LastContactAt without changing the client's version — after %s", why)
	}

	fixLate := correct(late, at(20), crm.OutcomeNoAnswer)
	check("the latest contact corrected to no answer (the earlier one counts)", at(10))
	fixFix := correct(fixLate, at(18), crm.OutcomeReached)
	check("that correction corrected back to reached, a little earlier", at(18))
	correct(early, at(10), crm.OutcomeNoAnswer)
	correct(fixFix, at(18), crm.OutcomeNoAnswer)
	check("every reaching entry superseded by unanswered ones (no contact)", time.Time{})
	later := k.interaction(c, at(30))
	k.mustAppend(later, k.logged(later))
	check("a reached call after the corrections", at(30))
}

func interactionLastContactKept(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	read := k.mustGet(c.ID) // LastContactAt zero, version 1
	in := k.interaction(c, at(10))
	k.mustAppend(in, k.logged(in))

	// The copy read before the interaction is still current (appending
	// does not bump the version); writing it must not roll back
	// LastContactAt.
	u := read.Clone()
	u.Tags = []string{"after-call"}
	got := k.mustUpdate(u)
	assert.Truef(t, at(10).Equal(got.LastContactAt),
		"contract: LastContactAt is the store's to keep — UpdateClient carrying an older LastContactAt rolled it back to %s", got.LastContactAt)

	u = got.Clone()
	u.LastContactAt = at(500)
	got = k.mustUpdate(u)
	assert.Truef(t, at(10).Equal(got.LastContactAt),
		"contract: LastContactAt is the store's to keep — UpdateClient carrying a later LastContactAt set it to %s", got.LastContactAt)
	assert.Equal(t, store.Version(3), got.Version, "contract: each update stores Version.Next()")
}

func interactionCopies(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	in := k.interaction(c, at(5))
	ev := k.logged(in)
	want, wantEv := in.Clone(), ev.Clone()
	require.NoError(t, k.s.AppendInteraction(k.ctx, in, []crm.Event{ev}), "setup: AppendInteraction failed")
	in.Contacts[0] = uuid.Nil
	in.NextStep.Action = "scrambled"
	ev.Data["kind"] = "scrambled"
	read := func() crm.Interaction {
		got, err := k.s.GetInteraction(k.ctx, want.ID)
		require.NoError(t, err, "GetInteraction failed")
		return got
	}
	same(t, want, read(), "contract: the store keeps its own copy — changing an interaction after AppendInteraction changed the stored one")
	same(t, []crm.Event{wantEv}, k.timeline(c.ID), "contract: the store keeps its own copy — changing an event's Data after AppendInteraction changed the stored event")

	got := read()
	got.Contacts[0] = uuid.Nil
	got.NextStep.Action = "scrambled"
	same(t, want, read(), "contract: reads return copies — changing an interaction returned by GetInteraction changed the stored one")
	listed := k.interactions(c.ID)
	listed[0].Contacts[0] = uuid.Nil
	listed[0].NextStep.Action = "scrambled"
	same(t, want, read(), "contract: reads return copies — changing an interaction returned by ListInteractions changed the stored one")
}

// pastLog appends n interactions to c, out of order in time and with
// ties, each with its logged event, and returns both. Ids are made with
// seedMid (interactions 2i, events 2i + 10000), so that ids made with
// seedLow and seedHigh sort before and after them.
func (k *kit) pastLog(c crm.Client, n int) ([]crm.Interaction, []crm.Event) {
	k.t.Helper()
	var ins []crm.Interaction
	var evs []crm.Event
	for i := range n {
		in := k.interaction(c, at((i*37)%50)) // 50 slots: ties once n > 50
		in.ID = idAt(seedMid, 2*uint64(i+1))
		in.Kind, in.Outcome = crm.InteractionNote, crm.OutcomeOther
		ev := k.logged(in)
		ev.ID = idAt(seedMid, 2*uint64(i+1)+10000)
		k.mustAppend(in, ev)
		ins = append(ins, in)
		evs = append(evs, ev)
	}
	return ins, evs
}

// appendAround appends four interactions (with their events) to c, placed
// around the keys pastLog made: before all, tied with an existing At at
// an id between existing ones, between two existing instants, and after
// all. It returns the keys of the interactions and of the events.
func (k *kit) appendAround(c crm.Client, round int) (ins, evs []store.Cursor, err error) {
	r := uint64(round)
	mid := 2*((r*7)%60+1) + 1 // odd: between pastLog's even ids
	places := []struct {
		when       time.Time
		inID, evID uuid.UUID
	}{
		{at(-1 - round), idAt(seedLow, 2*r+1), idAt(seedLow, 2*r+1+10000)},
		{at((round * 37) % 50), idAt(seedMid, mid), idAt(seedMid, mid+10000)},
		{at((round * 13) % 50).Add(30 * time.Second), idAt(seedLow, 2*r+2), idAt(seedLow, 2*r+2+10000)},
		{at(100 + round), idAt(seedHigh, r+1), idAt(seedHigh, r+1+10000)},
	}
	for _, p := range places {
		in := k.interaction(c, p.when)
		in.ID = p.inID
		in.Kind, in.Outcome = crm.InteractionNote, crm.OutcomeOther
		ev := k.logged(in)
		ev.ID = p.evID
		if err := k.s.AppendInteraction(k.ctx, in, []crm.Event{ev}); err != nil {
			return ins, evs, err
		}
		ins = append(ins, in.Cursor())
		evs = append(evs, ev.Cursor())
	}
	return ins, evs, nil
}

func interactionListingCursors(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	other := k.mustCreate(k.client())
	ins, _ := k.pastLog(c, 60)
	k.mustAppend(k.interaction(other, at(3)))

	all := k.interactions(c.ID)
	require.Equal(t, canonicalAll(sortedKeys(keysOf(ins), store.Ascending)), canonicalAll(keysOf(all)),
		"contract: ListInteractions lists the client's interactions ordered by At, then id — appended out of order, with ties")
	desc, err := store.Collect(k.s.ListInteractions(k.ctx, c.ID, store.Page{Order: store.Descending}))
	require.NoError(t, err, "ListInteractions descending failed")
	require.Equal(t, canonicalAll(sortedKeys(keysOf(ins), store.Descending)), canonicalAll(keysOf(desc)),
		"contract: ListInteractions descending is ordered by At, then id, newest first")

	cursors := append(keysOf(all),
		store.Cursor{At: at(3)}, store.Cursor{At: at(3), ID: uuid.Max},
		store.Cursor{At: at(3).Add(time.Second)}, store.Cursor{At: at(-100)}, store.Cursor{At: at(1000)})
	resumesExactly(t, all, cursors, func(p store.Page) iter2[crm.Interaction] {
		return k.s.ListInteractions(k.ctx, c.ID, p)
	})
	stopsEarly(t, k.s.ListInteractions(k.ctx, c.ID, store.Page{}))
}

func interactionListingUnderInserts(order store.Order) func(t *testing.T, k *kit) {
	return func(t *testing.T, k *kit) {
		c := k.mustCreate(k.client())
		ins, _ := k.pastLog(c, 60)
		listUnderInserts(t, listPlan[crm.Interaction]{
			sortKey: "(At, id)",
			order:   order,
			limit:   10,
			before:  keysOf(ins),
			list: func(p store.Page) iter2[crm.Interaction] {
				return k.s.ListInteractions(k.ctx, c.ID, p)
			},
			insert: func(round int) ([]store.Cursor, error) {
				keys, _, err := k.appendAround(c, round)
				return keys, err
			},
		})
	}
}

func interactionConcurrent(t *testing.T, k *kit) {
	const appenders, updaters = 50, 10
	c := k.mustCreate(k.client())
	var latest time.Time
	var ins []crm.Interaction
	for i := range appenders {
		in := k.interaction(c, at(i*7%appenders+1))
		if i%2 == 1 {
			in.Outcome = crm.OutcomeNoAnswer
		} else if in.At.After(latest) {
			latest = in.At
		}
		ins = append(ins, in)
	}
	errs := make([]error, appenders+updaters)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, in := range ins {
		wg.Go(func() {
			<-start
			errs[i] = k.s.AppendInteraction(k.ctx, in, []crm.Event{k.logged(in)})
		})
	}
	for i := range updaters {
		wg.Go(func() {
			<-start
			errs[appenders+i] = addTag(k, c.ID, fmt.Sprintf("updater-%02d", i))
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		require.NoErrorf(t, err, "concurrent writer %d failed", i)
	}

	listed := k.interactions(c.ID)
	assert.ElementsMatch(t, idsOf(ins), idsOf(listed),
		"contract: every successful AppendInteraction is kept — %d concurrent appends, %d listed", appenders, len(listed))
	inOrder(t, listed, store.Ascending, "(At, id)")
	got := k.mustGet(c.ID)
	assert.Truef(t, latest.Equal(got.LastContactAt),
		"contract: AppendInteraction moves LastContactAt to the latest reached interaction, and UpdateClient never rolls it back — got %s, want %s",
		got.LastContactAt, latest)
	assert.Equal(t, store.Version(1+updaters), got.Version,
		"contract: appends leave the version alone and each update stores Version.Next()")
	for i := range updaters {
		assert.Containsf(t, got.Tags, fmt.Sprintf("updater-%02d", i),
			"contract: no lost update — the tag of concurrent updater %d is gone", i)
	}
	logged := 0
	for _, e := range k.timeline(c.ID) {
		if e.Kind == crm.EventInteractionLogged {
			logged++
		}
	}
	assert.Equal(t, appenders, logged, "contract: a write stores its events — interaction events after concurrent appends")
}

func interactionCancelled(t *testing.T, k *kit) {
	const rule = "contract: methods honour cancellation"
	ctx := k.cancelled()
	c := k.mustCreate(k.client())
	stored := k.interaction(c, at(1))
	k.mustAppend(stored)
	w := watch{ids: []uuid.UUID{c.ID}}
	before := k.snapshot(w)

	_, err := k.s.GetInteraction(ctx, stored.ID)
	assert.ErrorIs(t, err, context.Canceled, rule+" — GetInteraction")
	failsOnce(t, k.s.ListInteractions(ctx, c.ID, store.Page{}), context.Canceled, "ListInteractions")
	in := k.interaction(c, at(10))
	err = k.s.AppendInteraction(ctx, in, []crm.Event{k.logged(in)})
	assert.ErrorIs(t, err, context.Canceled, rule+" — AppendInteraction")
	k.unchanged(before, w, "AppendInteraction with a cancelled context")
	_, err = k.s.GetInteraction(k.ctx, in.ID)
	assert.ErrorIs(t, err, store.ErrNotFound,
		"contract: a failed write writes nothing — AppendInteraction with a cancelled context stored the interaction")
}
