package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// RunComplaints checks the ComplaintStore methods of crm.Store —
// CreateComplaint, GetComplaint, UpdateComplaint, UpdateComplaints and
// ListComplaints — and
// what MergeClients does to complaints.
func RunComplaints(t *testing.T, h Harness) {
	t.Helper()
	runChecks(t, h, []check{
		{"a created complaint reads back as written, with its events", complaintRoundTrip},
		{"an unknown complaint is ErrNotFound", complaintNotFound},
		{"a complaint of an unknown client is ErrNotFound and writes nothing", complaintUnknownClient},
		{"a complaint of a merged client is ErrConflict and writes nothing", complaintMergedClient},
		{"a taken complaint id is ErrDuplicate and writes nothing", complaintTakenID},
		{"complaint versions go 1, 2, 3 and a stale complaint write is ErrConflict", complaintVersions},
		{"UpdateComplaint cannot move a complaint to another client", complaintKeepsClient},
		{"UpdateComplaints writes every complaint or none", complaintPairAtomic},
		{"concurrent UpdateComplaints sharing a complaint: exactly one wins", complaintPairRace},
		{"the store keeps copies of complaints", complaintCopies},
		{"complaints list by (ReceivedAt, id) and resume exactly after any cursor", complaintListing},
		{"ComplaintFilter selects exactly the matching complaints", complaintFilter},
		{"a hold keeps a complaint out of overdue listings only for deadlines still ahead when it began", complaintOnHoldNotOverdue},
		{"a merge moves complaints to the survivor with their next version", complaintMerge},
		{"concurrent read-modify-write of a complaint loses no update", complaintNoLostUpdate},
		{"service: concurrent complaint changes lose no update", complaintServiceNoLostUpdate},
		{"complaint methods honour cancellation", complaintCancelled},
	})
}

// complaint returns a complaint of c received at when, with every field
// set, so that a store that drops one is caught.
func (k *kit) complaint(c crm.Client, when time.Time) crm.Complaint {
	rub := func(s string) money.Amount { return money.MustParse(s, money.RUB) }
	return crm.Complaint{
		ID:       k.newID(),
		ClientID: c.ID,
		Contact:  c.Contacts[0].ID,
		Handler:  k.user,
		Refs: crm.ComplaintRefs{Order: "ЗК-1024", Invoice: "СЧ-77", DocumentKind: crm.DocumentUPD, Document: "УПД-5531",
			DocumentDate: crm.Date{Year: 2025, Month: time.March, Day: 1}, SKU: "PLT-40", Batch: "B-7",
			Quantity: decimal.RequireFromString("12.50"), Unit: "шт"},
		Channel:     crm.ChannelEmail,
		ReceivedAt:  when,
		Subject:     "бой",
		Description: "разбиты 12 плиток\nв накладной отметка",
		Severity:    crm.SeverityHigh,
		Requested:   crm.Remedy{Kind: crm.RemedyReplacement, Value: rub("18750.00")},
		Status:      crm.ComplaintResolved,
		StatusLog: []crm.ComplaintStatusChange{{To: crm.ComplaintReceived, At: when, By: k.user},
			{From: crm.ComplaintReceived, To: crm.ComplaintAcknowledged, At: when.Add(time.Hour), By: k.user, Reason: "ок"}},
		Resolution: &crm.Resolution{Outcome: crm.ResolutionPartial, Remedy: crm.Remedy{Kind: crm.RemedyDiscount, Value: rub("500")},
			Reason: "часть цела", At: when.Add(2 * time.Hour), By: k.user},
		SLA:            crm.SLATerms{Acknowledge: 4 * time.Hour, Resolve: 40 * time.Hour},
		SLAZone:        "Europe/Moscow",
		AcknowledgeDue: when.Add(4 * time.Hour),
		ResolveDue:     when.Add(100 * time.Hour),
		AcknowledgedAt: when.Add(time.Hour),
		ResolvedAt:     when.Add(2 * time.Hour),
		Holds: []crm.ComplaintHold{{From: when.Add(30 * time.Minute), To: when.Add(90 * time.Minute), Reason: "ждём фото",
			By: k.user, OnBehalfOf: k.owner, Paused: time.Hour, ResumedBy: k.user, ResumeNote: "фото получены"}},
		Suggestion: &crm.RootCauseSuggestion{Code: "TRANSIT_DAMAGE", Confidence: 0.8234567891234567, NeedsReview: true,
			Evidence: []crm.SuggestionEvidence{{Kind: "term", Text: "разбит", Weight: 1.25}, {Kind: "fact", Text: "damage noted", Weight: 3}},
			Others:   []crm.SuggestedCode{{Code: "PACKAGING", Confidence: 0.1}}, At: when, By: k.user},
		RootCause:   &crm.RootCause{Code: "TRANSIT_DAMAGE", Text: "не закреплено", AgreesWithSuggestion: true, At: when, By: k.user, OnBehalfOf: k.owner},
		Whys:        []string{"разбито", "сдвинулось", "не закреплено"},
		Responsible: crm.PartyCarrier,
		Actions: []crm.ComplaintAction{{ID: k.newID(), Kind: crm.ActionImmediate, Description: "замена", Owner: k.user,
			Due: crm.Date{Year: 2025, Month: time.March, Day: 5}, DoneAt: when.Add(time.Hour), DoneBy: k.user, Note: "отгружено",
			CreatedAt: when, CreatedBy: k.user}},
		Compensations: []crm.Compensation{{ID: k.newID(), Kind: crm.CompensationCreditNote, Amount: rub("500.00"), Reference: "КСФ-1",
			LinkedID: k.newID(), Note: "н", At: when, By: k.user}},
		CreatedAt: when,
		CreatedBy: k.user,
		UpdatedAt: when,
		UpdatedBy: k.user,
	}
}

// received returns the event that records the complaint.
func (k *kit) received(cp crm.Complaint) crm.Event {
	e := k.event(cp.ClientID, crm.EventComplaintReceived, cp.ReceivedAt)
	e.Subject = cp.ID
	return e
}

// mustCreateComplaint stores the complaint and returns it as read back.
func (k *kit) mustCreateComplaint(cp crm.Complaint, events ...crm.Event) crm.Complaint {
	k.t.Helper()
	require.NoError(k.t, k.s.CreateComplaint(k.ctx, cp, events), "setup: CreateComplaint of a new complaint failed")
	return k.mustGetComplaint(cp.ID)
}

func (k *kit) mustGetComplaint(id uuid.UUID) crm.Complaint {
	k.t.Helper()
	cp, err := k.s.GetComplaint(k.ctx, id)
	require.NoError(k.t, err, "setup: GetComplaint of a stored complaint failed")
	return cp
}

// complaints lists every complaint matching f.
func (k *kit) complaints(f crm.ComplaintFilter) []crm.Complaint {
	k.t.Helper()
	out, err := store.Collect(k.s.ListComplaints(k.ctx, f, store.Page{}))
	require.NoError(k.t, err, "setup: ListComplaints failed")
	return out
}

// stored returns cp as the store should keep it after a write: at the
// version given.
func stored(cp crm.Complaint, v store.Version) crm.Complaint {
	cp = cp.Clone()
	cp.Version = v
	return cp
}

func complaintRoundTrip(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	cp := k.complaint(c, at(5))
	ev := k.received(cp)
	require.NoError(t, k.s.CreateComplaint(k.ctx, cp, []crm.Event{ev}), "contract: CreateComplaint of a new complaint for a live client succeeds")
	got, err := k.s.GetComplaint(k.ctx, cp.ID)
	require.NoError(t, err, "contract: a created complaint can be read")
	same(t, stored(cp, 1), got, "contract: reads return what was written — GetComplaint differs from the complaint created (at version 1)")
	same(t, []crm.Complaint{stored(cp, 1)}, k.complaints(crm.ComplaintFilter{ClientID: c.ID}),
		"contract: listings return what was written — ListComplaints differs from the complaint created")
	same(t, []crm.Event{ev}, k.timeline(c.ID), "contract: a write stores its events — the complaint's event is not on the timeline as written")

	// A minimal complaint (no pointers, no money) reads back too.
	bare := crm.Complaint{ID: k.newID(), ClientID: c.ID, ReceivedAt: at(6), Status: crm.ComplaintReceived, Description: "x"}
	k.mustCreateComplaint(bare)
	same(t, stored(bare, 1), k.mustGetComplaint(bare.ID), "contract: reads return what was written — a bare complaint")
}

func complaintNotFound(t *testing.T, k *kit) {
	_, err := k.s.GetComplaint(k.ctx, k.newID())
	require.ErrorIs(t, err, store.ErrNotFound, "contract: an unknown record is ErrNotFound — GetComplaint of an unknown id")
	c := k.mustCreate(k.client())
	cp := k.complaint(c, at(5))
	cp.Version = 1
	err = k.s.UpdateComplaint(k.ctx, cp, nil)
	require.ErrorIs(t, err, store.ErrNotFound, "contract: an unknown record is ErrNotFound — UpdateComplaint of an unknown id")
}

func complaintUnknownClient(t *testing.T, k *kit) {
	ghost := k.client()
	cp := k.complaint(ghost, at(5))
	w := watch{ids: []uuid.UUID{ghost.ID}}
	before := k.snapshot(w)
	err := k.s.CreateComplaint(k.ctx, cp, []crm.Event{k.received(cp)})
	require.ErrorIs(t, err, store.ErrNotFound, "contract: the client must exist — CreateComplaint for an unknown client")
	k.unchanged(before, w, "CreateComplaint for an unknown client")
	_, err = k.s.GetComplaint(k.ctx, cp.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "contract: a failed write writes nothing — CreateComplaint for an unknown client stored it")
}

func complaintMergedClient(t *testing.T, k *kit) {
	survivor := k.mustCreate(k.client())
	merged := k.mustCreate(k.client())
	k.mustMerge(survivor, merged)
	cp := k.complaint(merged, at(70))
	w := watch{ids: []uuid.UUID{survivor.ID, merged.ID}}
	before := k.snapshot(w)
	err := k.s.CreateComplaint(k.ctx, cp, []crm.Event{k.received(cp)})
	require.ErrorIs(t, err, store.ErrConflict,
		"contract: CreateComplaint for a client merged into another is ErrConflict, so the caller files it with the survivor")
	k.unchanged(before, w, "CreateComplaint for a merged client")
	_, err = k.s.GetComplaint(k.ctx, cp.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "contract: a failed write writes nothing — CreateComplaint for a merged client stored it")
}

func complaintTakenID(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	first := k.mustCreateComplaint(k.complaint(c, at(5)))
	again := k.complaint(c, at(9))
	again.ID = first.ID
	w := watch{ids: []uuid.UUID{c.ID}}
	before := k.snapshot(w)
	err := k.s.CreateComplaint(k.ctx, again, []crm.Event{k.received(again)})
	require.ErrorIs(t, err, store.ErrDuplicate, "contract: a taken id is ErrDuplicate — CreateComplaint with the id of a stored complaint")
	k.unchanged(before, w, "CreateComplaint with a taken id")
	same(t, first, k.mustGetComplaint(first.ID), "contract: a failed write writes nothing — CreateComplaint with a taken id replaced the complaint")

	withVersion := k.complaint(c, at(9))
	withVersion.Version = 3
	err = k.s.CreateComplaint(k.ctx, withVersion, nil)
	require.ErrorIs(t, err, store.ErrConflict, "contract: a create carrying a version is refused — CreateComplaint with Version 3")
}

func complaintVersions(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	v1 := k.mustCreateComplaint(k.complaint(c, at(5)))
	require.Equal(t, store.Version(1), v1.Version, "contract: the first write stores version 1")
	u := v1.Clone()
	u.Status = crm.ComplaintClosed
	u.ClosedAt = at(30)
	ev := k.event(c.ID, crm.EventComplaintStatus, at(30))
	require.NoError(t, k.s.UpdateComplaint(k.ctx, u, []crm.Event{ev}), "contract: UpdateComplaint at the current version succeeds")
	v2 := k.mustGetComplaint(u.ID)
	same(t, stored(u, 2), v2, "contract: an update stores what was written at Version.Next()")
	assert.Contains(t, eventIDs(k.timeline(c.ID)), ev.ID, "contract: a write stores its events — UpdateComplaint's event is missing")

	w := watch{ids: []uuid.UUID{c.ID}}
	before := k.snapshot(w)
	stale := v1.Clone()
	stale.Subject = "stale"
	err := k.s.UpdateComplaint(k.ctx, stale, []crm.Event{k.event(c.ID, crm.EventComplaintUpdated, at(31))})
	require.ErrorIs(t, err, store.ErrConflict, "contract: a stale version is ErrConflict — UpdateComplaint at version 1 after version 2")
	k.unchanged(before, w, "UpdateComplaint at a stale version")
	same(t, v2, k.mustGetComplaint(u.ID), "contract: a failed write writes nothing — a stale UpdateComplaint changed the complaint")

	v2.Subject = "third"
	require.NoError(t, k.s.UpdateComplaint(k.ctx, v2, nil), "UpdateComplaint at version 2 failed")
	assert.Equal(t, store.Version(3), k.mustGetComplaint(u.ID).Version, "contract: versions go 1, 2, 3 with each write")
}

func complaintKeepsClient(t *testing.T, k *kit) {
	a := k.mustCreate(k.client())
	b := k.mustCreate(k.client())
	cp := k.mustCreateComplaint(k.complaint(a, at(5)))
	moved := cp.Clone()
	moved.ClientID = b.ID
	w := watch{ids: []uuid.UUID{a.ID, b.ID}}
	before := k.snapshot(w)
	err := k.s.UpdateComplaint(k.ctx, moved, []crm.Event{k.event(b.ID, crm.EventComplaintUpdated, at(6))})
	require.Error(t, err, "contract: a complaint stays with its client — UpdateComplaint changing ClientID succeeded")
	k.unchanged(before, w, "UpdateComplaint changing ClientID")
	same(t, cp, k.mustGetComplaint(cp.ID), "contract: a failed write writes nothing — UpdateComplaint changing ClientID changed the complaint")
}

func complaintCopies(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	cp := k.complaint(c, at(5))
	want := stored(cp, 1)
	require.NoError(t, k.s.CreateComplaint(k.ctx, cp, nil), "setup: CreateComplaint failed")
	scramble := func(x *crm.Complaint) {
		x.Whys[0] = "scrambled"
		x.Actions[0].Note = "scrambled"
		x.StatusLog[0].Reason = "scrambled"
		x.Suggestion.Evidence[0].Text = "scrambled"
		x.Resolution.Reason = "scrambled"
		x.RootCause.Text = "scrambled"
		x.Compensations[0].Reference = "scrambled"
	}
	scramble(&cp)
	same(t, want, k.mustGetComplaint(want.ID), "contract: the store keeps its own copy — changing a complaint after CreateComplaint changed the stored one")
	got := k.mustGetComplaint(want.ID)
	scramble(&got)
	same(t, want, k.mustGetComplaint(want.ID), "contract: reads return copies — changing a complaint returned by GetComplaint changed the stored one")
	listed := k.complaints(crm.ComplaintFilter{})
	scramble(&listed[0])
	same(t, want, k.mustGetComplaint(want.ID), "contract: reads return copies — changing a complaint returned by ListComplaints changed the stored one")
}

func complaintListing(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	other := k.mustCreate(k.client())
	var all []crm.Complaint
	for i := range 30 {
		cp := k.complaint(c, at((i*37)%20)) // out of order, with ties
		cp.ID = idAt(seedMid, uint64(100-i))
		k.mustCreateComplaint(cp)
		all = append(all, cp)
	}
	k.mustCreateComplaint(k.complaint(other, at(3)))
	listed := k.complaints(crm.ComplaintFilter{ClientID: c.ID})
	require.Equal(t, canonicalAll(sortedKeys(keysOf(all), store.Ascending)), canonicalAll(keysOf(listed)),
		"contract: ListComplaints lists by ReceivedAt, then id — created out of order, with ties")
	inOrder(t, k.complaints(crm.ComplaintFilter{}), store.Ascending, "(ReceivedAt, id)")
	desc, err := store.Collect(k.s.ListComplaints(k.ctx, crm.ComplaintFilter{}, store.Page{Order: store.Descending}))
	require.NoError(t, err)
	assert.Len(t, desc, 31)
	inOrder(t, desc, store.Descending, "(ReceivedAt, id)")
	cursors := append(keysOf(listed), store.Cursor{At: at(3)}, store.Cursor{At: at(3), ID: uuid.Max},
		store.Cursor{At: at(3).Add(time.Nanosecond)}, store.Cursor{At: at(-100)}, store.Cursor{At: at(1000)})
	resumesExactly(t, listed, cursors, func(p store.Page) iter2[crm.Complaint] {
		return k.s.ListComplaints(k.ctx, crm.ComplaintFilter{ClientID: c.ID}, p)
	})
	stopsEarly(t, k.s.ListComplaints(k.ctx, crm.ComplaintFilter{}, store.Page{}))
}

func complaintFilter(t *testing.T, k *kit) {
	a := k.mustCreate(k.client())
	b := k.mustCreate(k.client())
	handler := k.newID()
	mk := func(c crm.Client, status crm.ComplaintStatus, ackDue, due time.Time, h uuid.UUID) crm.Complaint {
		cp := k.complaint(c, at(int(k.seq.Add(1))))
		cp.Status, cp.AcknowledgeDue, cp.ResolveDue, cp.Handler = status, ackDue, due, h
		return k.mustCreateComplaint(cp)
	}
	asOf := at(100)
	var cps []crm.Complaint
	for _, c := range []crm.Client{a, b} {
		for _, st := range []crm.ComplaintStatus{crm.ComplaintReceived, crm.ComplaintAcknowledged, crm.ComplaintInvestigating,
			crm.ComplaintResolved, crm.ComplaintClosed, crm.ComplaintRejected, crm.ComplaintDuplicate} {
			for _, dues := range [][2]time.Time{
				{at(50), at(200)}, {at(200), at(300)}, {at(50), at(99)}, {asOf, asOf}, {asOf.Add(-time.Microsecond), asOf.Add(time.Second)}, {},
			} {
				h := k.user
				if len(cps)%3 == 0 {
					h = handler
				}
				cps = append(cps, mk(c, st, dues[0], dues[1], h))
			}
		}
	}
	filters := []crm.ComplaintFilter{
		{ClientID: a.ID},
		{Statuses: []crm.ComplaintStatus{crm.ComplaintReceived, crm.ComplaintClosed}},
		{OverdueAt: asOf},
		{OverdueAt: asOf.Add(time.Nanosecond)},
		{OverdueAt: asOf, ClientID: b.ID, Statuses: []crm.ComplaintStatus{crm.ComplaintReceived}},
		{Handler: handler},
		{Handler: handler, OverdueAt: at(1000)},
	}
	for _, f := range filters {
		var want []uuid.UUID
		for _, cp := range cps {
			if f.Match(cp) {
				want = append(want, cp.ID)
			}
		}
		got := idsOf(k.complaints(f))
		assert.ElementsMatchf(t, want, got, "contract: ListComplaints selects exactly what ComplaintFilter.Match selects — filter %+v", f)
	}
}

func complaintOnHoldNotOverdue(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	asOf := at(100)
	late := k.complaint(c, at(1))
	late.Status, late.AcknowledgeDue, late.ResolveDue, late.Resolution, late.ResolvedAt = crm.ComplaintReceived, at(50), at(60), nil, time.Time{}
	late.Holds = nil
	held := late.Clone()
	held.ID = k.newID()
	held.Holds = []crm.ComplaintHold{{From: at(40), Reason: "ждём акт осмотра", By: k.user}}
	ended := late.Clone()
	ended.ID = k.newID()
	ended.Holds = []crm.ComplaintHold{{From: at(10), To: at(20), Reason: "ждём фото", By: k.user, Paused: 10 * time.Second}}
	for _, cp := range []crm.Complaint{late, held, ended} {
		k.mustCreateComplaint(cp)
	}
	f := crm.ComplaintFilter{OverdueAt: asOf, ClientID: c.ID}
	require.False(t, f.Match(held), "setup: Match lists a complaint on hold as overdue")
	assert.ElementsMatch(t, []uuid.UUID{late.ID, ended.ID}, idsOf(k.complaints(f)),
		"contract: ListComplaints leaves out of overdue listings a complaint whose deadlines were still ahead when its hold began (ComplaintFilter.Match)")
	same(t, stored(held, 1), k.mustGetComplaint(held.ID), "contract: reads return what was written — a complaint on hold")

	// Resumed: the complaint is overdue again.
	cur := k.mustGetComplaint(held.ID)
	cur.Holds[0].To, cur.Holds[0].Paused = at(70), 30*time.Second
	require.NoError(t, k.s.UpdateComplaint(k.ctx, cur, nil), "contract: UpdateComplaint at the stored version succeeds")
	assert.ElementsMatch(t, []uuid.UUID{late.ID, ended.ID, held.ID}, idsOf(k.complaints(f)),
		"contract: a complaint whose hold ended is listed as overdue again")
	// Held again after its deadlines had passed: a hold does not hide a
	// breach, so it stays overdue.
	cur = k.mustGetComplaint(held.ID)
	cur.Holds = append(cur.Holds, crm.ComplaintHold{From: at(80), Reason: "нет доступа на объект", By: k.user})
	require.NoError(t, k.s.UpdateComplaint(k.ctx, cur, nil), "contract: UpdateComplaint at the stored version succeeds")
	assert.ElementsMatch(t, []uuid.UUID{late.ID, ended.ID, held.ID}, idsOf(k.complaints(f)),
		"contract: a complaint held after its deadline passed stays in overdue listings (ComplaintFilter.Match)")

	// Held between its deadlines: the acknowledgement, missed before the
	// hold, keeps a received complaint overdue; once acknowledged, the
	// resolution (still ahead when the hold began) does not.
	between := late.Clone()
	between.ID = k.newID()
	between.Holds = []crm.ComplaintHold{{From: at(55), Reason: "ждём акт", By: k.user}}
	k.mustCreateComplaint(between)
	assert.Contains(t, idsOf(k.complaints(f)), between.ID,
		"contract: an acknowledgement missed before the hold keeps the complaint overdue")
	cur = k.mustGetComplaint(between.ID)
	cur.Status, cur.AcknowledgedAt = crm.ComplaintAcknowledged, at(56)
	require.NoError(t, k.s.UpdateComplaint(k.ctx, cur, nil), "contract: UpdateComplaint at the stored version succeeds")
	assert.NotContains(t, idsOf(k.complaints(f)), between.ID,
		"contract: a resolution still ahead when the hold began is not overdue while the hold lasts")
}

func complaintMerge(t *testing.T, k *kit) {
	survivor := k.mustCreate(k.client())
	merged := k.mustCreate(k.client())
	own := k.mustCreateComplaint(k.complaint(survivor, at(1)))
	moved := k.mustCreateComplaint(k.complaint(merged, at(2)), k.received(k.complaint(merged, at(2))))
	k.mustMerge(survivor, merged)

	got := k.mustGetComplaint(moved.ID)
	assert.Equal(t, survivor.ID, got.ClientID, "contract: MergeClients moves the merged client's complaints to the survivor")
	assert.Equal(t, moved.Version.Next(), got.Version, "contract: a complaint moved by a merge gets its next version")
	want := moved.Clone()
	want.ClientID, want.Version = survivor.ID, got.Version
	same(t, want, got, "contract: a merge changes nothing of a complaint but its client and version")
	assert.Equal(t, own.Version, k.mustGetComplaint(own.ID).Version, "contract: a merge leaves the survivor's own complaints alone")
	assert.ElementsMatch(t, []uuid.UUID{own.ID, moved.ID}, idsOf(k.complaints(crm.ComplaintFilter{ClientID: survivor.ID})),
		"contract: after a merge the survivor lists both clients' complaints")
	assert.Empty(t, k.complaints(crm.ComplaintFilter{ClientID: merged.ID}), "contract: after a merge the tombstone has no complaints")

	stale := moved.Clone()
	stale.Subject = "stale"
	err := k.s.UpdateComplaint(k.ctx, stale, nil)
	require.ErrorIs(t, err, store.ErrConflict, "contract: a complaint read before a merge is stale after it — UpdateComplaint")
	cur := k.mustGetComplaint(moved.ID)
	cur.Subject = "after merge"
	require.NoError(t, k.s.UpdateComplaint(k.ctx, cur, []crm.Event{k.event(survivor.ID, crm.EventComplaintUpdated, at(70))}),
		"contract: a moved complaint is updated on the survivor")
}

// addWhy appends a why to the complaint by read-modify-write, retrying
// on conflict.
func addWhy(k *kit, id uuid.UUID, why string) error {
	const attempts = 10000
	for attempt := range attempts {
		cp, err := k.s.GetComplaint(k.ctx, id)
		if err != nil {
			return err
		}
		cp.Whys = append(slices.Clone(cp.Whys), why)
		ev := k.event(cp.ClientID, crm.EventComplaintUpdated, at(1))
		ev.Subject = id
		err = k.s.UpdateComplaint(k.ctx, cp, []crm.Event{ev})
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
		if attempt < 3 {
			runtime.Gosched()
		} else {
			time.Sleep(time.Duration(rand.IntN(50*min(attempt, 20))+1) * time.Microsecond)
		}
	}
	return fmt.Errorf("storetest: %d conflicts in a row adding why %s", attempts, why)
}

func complaintNoLostUpdate(t *testing.T, k *kit) {
	const n = 40
	c := k.mustCreate(k.client())
	cp := k.complaint(c, at(5))
	cp.Whys = nil
	cp = k.mustCreateComplaint(cp)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = addWhy(k, cp.ID, fmt.Sprintf("why-%02d", i)) })
	}
	wg.Wait()
	for i, err := range errs {
		require.NoErrorf(t, err, "concurrent writer %d failed", i)
	}
	got := k.mustGetComplaint(cp.ID)
	assert.Lenf(t, got.Whys, n, "contract: no lost update — %d of %d concurrent writers' whys survived", len(got.Whys), n)
	assert.Equal(t, store.Version(1+n), got.Version, "contract: every successful write stores the next version")
	updates := 0
	for _, e := range k.timeline(c.ID) {
		if e.Kind == crm.EventComplaintUpdated {
			updates++
		}
	}
	assert.Equal(t, n, updates, "contract: each write's event is stored with it, once")
}

func complaintServiceNoLostUpdate(t *testing.T, k *kit) {
	svc, actor, c := serviceWorld(t, k)
	ctx := context.Background()
	cp, err := svc.ReceiveComplaint(ctx, actor, crm.NewComplaint{ClientID: c.ID, Channel: crm.ChannelPhone,
		ReceivedAt: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), Description: "пересорт в партии"})
	require.NoError(t, err)
	const writers = 25
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			_, errs[i] = svc.AddComplaintAction(ctx, actor, cp.ID, crm.NewComplaintAction{Kind: crm.ActionCorrective,
				Description: fmt.Sprintf("action %02d", i)})
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoErrorf(t, err, "contract: a conflicting complaint write is retried by the service — writer %d failed", i)
	}
	got, err := svc.GetComplaint(ctx, actor, cp.ID)
	require.NoError(t, err)
	assert.Lenf(t, got.Actions, writers, "contract: no lost update — %d of %d actions survived", len(got.Actions), writers)
	assert.Equal(t, store.Version(1+writers), got.Version)
	events, err := store.Collect(svc.Timeline(ctx, actor, c.ID, store.Page{}))
	require.NoError(t, err)
	added := 0
	for _, e := range events {
		if e.Kind == crm.EventComplaintActionAdded {
			added++
		}
	}
	assert.Equal(t, writers, added, "contract: each write's event is stored with it, once")
}

func complaintCancelled(t *testing.T, k *kit) {
	const rule = "contract: methods honour cancellation"
	ctx := k.cancelled()
	c := k.mustCreate(k.client())
	cp := k.mustCreateComplaint(k.complaint(c, at(1)))
	_, err := k.s.GetComplaint(ctx, cp.ID)
	assert.ErrorIs(t, err, context.Canceled, rule+" — GetComplaint")
	failsOnce(t, k.s.ListComplaints(ctx, crm.ComplaintFilter{}, store.Page{}), context.Canceled, "ListComplaints")
	fresh := k.complaint(c, at(2))
	assert.ErrorIs(t, k.s.CreateComplaint(ctx, fresh, nil), context.Canceled, rule+" — CreateComplaint")
	cp.Subject = "cancelled"
	assert.ErrorIs(t, k.s.UpdateComplaint(ctx, cp, nil), context.Canceled, rule+" — UpdateComplaint")
	assert.ErrorIs(t, k.s.UpdateComplaints(ctx, []crm.Complaint{cp}, nil), context.Canceled, rule+" — UpdateComplaints")
	_, err = k.s.GetComplaint(k.ctx, fresh.ID)
	assert.ErrorIs(t, err, store.ErrNotFound, "contract: a failed write writes nothing — CreateComplaint with a cancelled context stored it")
	assert.Equal(t, store.Version(1), k.mustGetComplaint(cp.ID).Version, "contract: a failed write writes nothing — UpdateComplaint with a cancelled context")
}

func complaintPairAtomic(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	a := k.mustCreateComplaint(k.complaint(c, at(5)))
	b := k.mustCreateComplaint(k.complaint(c, at(6)))
	w := watch{ids: []uuid.UUID{c.ID}}

	// One stale complaint: nothing is written, not even the fresh one.
	b2 := b.Clone()
	b2.Subject = "moved on"
	require.NoError(t, k.s.UpdateComplaint(k.ctx, b2, nil))
	b2 = k.mustGetComplaint(b.ID)
	fresh, stale := a.Clone(), b.Clone()
	fresh.Subject, stale.Subject = "fresh", "stale"
	before := k.snapshot(w)
	err := k.s.UpdateComplaints(k.ctx, []crm.Complaint{fresh, stale}, []crm.Event{k.event(c.ID, crm.EventComplaintStatus, at(7))})
	require.ErrorIs(t, err, store.ErrConflict, "contract: UpdateComplaints with one stale complaint is ErrConflict")
	k.unchanged(before, w, "UpdateComplaints with one stale complaint")
	same(t, a, k.mustGetComplaint(a.ID), "contract: UpdateComplaints writes every complaint or none — the fresh one was written")
	// Whichever place the stale one has (crm.Service lists the complaint
	// it changes first, the ones it guards after it).
	err = k.s.UpdateComplaints(k.ctx, []crm.Complaint{stale, fresh}, []crm.Event{k.event(c.ID, crm.EventComplaintStatus, at(7))})
	require.ErrorIs(t, err, store.ErrConflict, "contract: UpdateComplaints with one stale complaint is ErrConflict — listed first")
	k.unchanged(before, w, "UpdateComplaints with one stale complaint listed first")
	same(t, a, k.mustGetComplaint(a.ID), "contract: UpdateComplaints writes every complaint or none — the fresh one was written")
	same(t, b2, k.mustGetComplaint(b.ID), "contract: UpdateComplaints writes every complaint or none — the stale one was written")

	// A missing complaint: ErrNotFound, nothing written.
	ghost := k.complaint(c, at(8))
	ghost.Version = 1
	err = k.s.UpdateComplaints(k.ctx, []crm.Complaint{fresh, ghost}, nil)
	require.ErrorIs(t, err, store.ErrNotFound, "contract: UpdateComplaints with a missing complaint is ErrNotFound")
	same(t, a, k.mustGetComplaint(a.ID), "contract: UpdateComplaints writes every complaint or none — written beside a missing one")

	// Listed twice, or nothing listed: refused, nothing written.
	require.Error(t, k.s.UpdateComplaints(k.ctx, []crm.Complaint{fresh, fresh}, nil), "contract: a complaint listed twice is refused")
	same(t, a, k.mustGetComplaint(a.ID), "contract: a refused UpdateComplaints writes nothing")
	require.Error(t, k.s.UpdateComplaints(k.ctx, nil, nil), "contract: UpdateComplaints with no complaint is refused")

	// Moved to another client: refused, nothing written.
	other := k.mustCreate(k.client())
	moved := b2.Clone()
	moved.ClientID = other.ID
	require.Error(t, k.s.UpdateComplaints(k.ctx, []crm.Complaint{fresh, moved}, nil), "contract: UpdateComplaints cannot move a complaint to another client")
	same(t, a, k.mustGetComplaint(a.ID), "contract: a refused UpdateComplaints writes nothing")

	// All current: all written at their next versions, with the events.
	ev := k.event(c.ID, crm.EventComplaintStatus, at(9))
	unchangedB := b2.Clone()
	require.NoError(t, k.s.UpdateComplaints(k.ctx, []crm.Complaint{fresh, unchangedB}, []crm.Event{ev}))
	same(t, stored(fresh, 2), k.mustGetComplaint(a.ID), "contract: UpdateComplaints stores each complaint at Version.Next()")
	same(t, stored(unchangedB, 3), k.mustGetComplaint(b.ID), "contract: a complaint written unchanged moves its version")
	assert.Contains(t, eventIDs(k.timeline(c.ID)), ev.ID, "contract: UpdateComplaints stores its events")
}

// Writers each move one complaint and guard a shared one (as a duplicate
// move guards its original): exactly one of those that read the shared
// complaint at the same version wins.
func complaintPairRace(t *testing.T, k *kit) {
	const n = 8
	c := k.mustCreate(k.client())
	shared := k.mustCreateComplaint(k.complaint(c, at(5)))
	own := make([]crm.Complaint, n)
	for i := range own {
		own[i] = k.mustCreateComplaint(k.complaint(c, at(10+i)))
	}
	errs := together(n, func(i int) error {
		mine := own[i].Clone()
		mine.Subject = fmt.Sprintf("writer %d", i)
		return k.s.UpdateComplaints(k.ctx, []crm.Complaint{mine, shared}, nil)
	})
	won := 0
	for i, err := range errs {
		if err == nil {
			won++
			assert.Equal(t, store.Version(2), k.mustGetComplaint(own[i].ID).Version)
			continue
		}
		require.ErrorIsf(t, err, store.ErrConflict, "writer %d", i)
		assert.Equalf(t, store.Version(1), k.mustGetComplaint(own[i].ID).Version,
			"contract: a writer that lost on the shared complaint wrote nothing (writer %d)", i)
	}
	assert.Equal(t, 1, won, "contract: exactly one writer guarding the same complaint version wins")
	assert.Equal(t, store.Version(2), k.mustGetComplaint(shared.ID).Version)
}
