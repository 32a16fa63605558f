package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// RunDelegations checks the DelegationStore methods of crm.Store:
// CreateDelegation, GetDelegation, UpdateDelegation and ListDelegations.
func RunDelegations(t *testing.T, h Harness) {
	t.Helper()
	runChecks(t, h, []check{
		{"a created delegation reads back as written at version 1", delegationRoundTrip},
		{"an unknown delegation is ErrNotFound", delegationNotFound},
		{"a taken delegation id is ErrDuplicate", delegationTakenID},
		{"a create carries no version", delegationCreateVersion},
		{"versions count writes 1 2 3", delegationVersions},
		{"a stale version is ErrConflict and changes nothing", delegationStaleVersion},
		{"overlapping windows of one principal are refused", delegationOverlap},
		{"overlap is checked atomically with the write", delegationConcurrentOverlap},
		{"filters select exactly the matching delegations", delegationFilters},
		{"the store keeps copies of delegations", delegationCopies},
		{"listing by id resumes exactly after any cursor", delegationListingCursors},
		{"listing by id ascending survives concurrent inserts", delegationListingUnderInserts(store.Ascending)},
		{"listing by id descending survives concurrent inserts", delegationListingUnderInserts(store.Descending)},
		{"methods honour cancellation", delegationCancelled},
	})
}

// created is the event a delegation's creation records; it concerns users,
// not a client, so it has no ClientID.
func (k *kit) created(d crm.Delegation) crm.Event {
	e := k.event(uuid.Nil, crm.EventDelegationCreated, d.CreatedAt)
	e.Subject = d.ID
	return e
}

// delegationState is what the delegations look like from outside: every
// one listed, and those of ids read one by one.
type delegationState struct {
	listed []crm.Delegation
	byID   map[uuid.UUID]crm.Delegation // absent: not found
}

func (k *kit) delegationState(ids ...uuid.UUID) delegationState {
	k.t.Helper()
	s := delegationState{listed: k.delegations(crm.DelegationFilter{}), byID: map[uuid.UUID]crm.Delegation{}}
	for _, id := range ids {
		d, err := k.s.GetDelegation(k.ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		require.NoError(k.t, err, "setup: GetDelegation failed")
		s.byID[id] = d
	}
	return s
}

// delegationsUnchanged asserts that a failed write left the delegations as
// before shows them.
func (k *kit) delegationsUnchanged(before delegationState, write string, ids ...uuid.UUID) {
	k.t.Helper()
	after := k.delegationState(ids...)
	const rule = "contract: a failed write writes nothing"
	same(k.t, before.listed, after.listed, "%s — %s failed, yet ListDelegations changed", rule, write)
	for _, id := range ids {
		b, had := before.byID[id]
		a, has := after.byID[id]
		switch {
		case !had && has:
			assert.Failf(k.t, rule, "%s failed, yet delegation %s now exists", write, id)
		case had && !has:
			assert.Failf(k.t, rule, "%s failed, yet delegation %s is gone", write, id)
		case had:
			same(k.t, b, a, "%s — %s failed, yet delegation %s changed", rule, write, id)
		}
	}
}

// isOverlap asserts that err refuses a delegation for overlapping another.
func isOverlap(t *testing.T, err error, what string) bool {
	t.Helper()
	if !assert.ErrorIsf(t, err, crm.ErrDelegation,
		"contract: a delegation overlapping another of the same principal is refused with crm.ErrDelegation — %s", what) {
		return false
	}
	var de *crm.DelegationError
	if assert.ErrorAsf(t, err, &de, "contract: an overlap is reported as a *crm.DelegationError — %s", what) {
		return assert.Equalf(t, crm.DelegationOverlap, de.Reason,
			"contract: an overlap is reported with reason DelegationOverlap — %s", what)
	}
	return false
}

func delegationRoundTrip(t *testing.T, k *kit) {
	d := k.delegation(k.newID(), k.newID(), at(0), at(60*24))
	require.NoError(t, k.s.CreateDelegation(k.ctx, d, []crm.Event{k.created(d)}),
		"contract: CreateDelegation of a new delegation succeeds")
	want := d.Clone()
	want.Version = 1
	got, err := k.s.GetDelegation(k.ctx, d.ID)
	require.NoError(t, err, "contract: a created delegation can be read")
	same(t, want, got, "contract: a create stores version 1 and reads return what was written — GetDelegation differs from the delegation created")
	same(t, []crm.Delegation{want}, k.delegations(crm.DelegationFilter{}),
		"contract: listings return what was written — ListDelegations differs from the delegation created")
}

func delegationNotFound(t *testing.T, k *kit) {
	_, err := k.s.GetDelegation(k.ctx, k.newID())
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: an unknown record is ErrNotFound — GetDelegation of an unknown id")
	ghost := k.delegation(k.newID(), k.newID(), at(0), at(10))
	ghost.Version = 1
	err = k.s.UpdateDelegation(k.ctx, ghost, nil)
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: an unknown record is ErrNotFound — UpdateDelegation of an unknown id")
	_, err = k.s.GetDelegation(k.ctx, ghost.ID)
	require.ErrorIs(t, err, store.ErrNotFound,
		"contract: a failed write writes nothing — UpdateDelegation of an unknown id created it")
}

func delegationTakenID(t *testing.T, k *kit) {
	d := k.mustCreateDelegation(k.delegation(k.newID(), k.newID(), at(0), at(10)))
	other := k.delegation(k.newID(), k.newID(), at(100), at(200)) // no overlap: another principal
	other.ID = d.ID
	before := k.delegationState(d.ID)
	err := k.s.CreateDelegation(k.ctx, other, []crm.Event{k.created(other)})
	require.ErrorIs(t, err, store.ErrDuplicate,
		"contract: a taken id is ErrDuplicate — CreateDelegation with the id of a stored delegation")
	k.delegationsUnchanged(before, "CreateDelegation with a taken id", d.ID)
}

func delegationCreateVersion(t *testing.T, k *kit) {
	d := k.delegation(k.newID(), k.newID(), at(0), at(10))
	d.Version = 2
	before := k.delegationState(d.ID)
	require.Error(t, k.s.CreateDelegation(k.ctx, d, nil),
		"contract: a create carries NoVersion — CreateDelegation of a delegation with version 2 was accepted")
	k.delegationsUnchanged(before, "CreateDelegation with a version", d.ID)
}

func delegationVersions(t *testing.T, k *kit) {
	d := k.mustCreateDelegation(k.delegation(k.newID(), k.newID(), at(0), at(10)))
	require.Equal(t, store.Version(1), d.Version, "contract: a create stores version 1")
	for want := store.Version(2); want <= 4; want++ {
		d.Reason = fmt.Sprintf("reason %d", want)
		require.NoError(t, k.s.UpdateDelegation(k.ctx, d, nil), "contract: UpdateDelegation at the current version succeeds")
		got, err := k.s.GetDelegation(k.ctx, d.ID)
		require.NoError(t, err, "GetDelegation failed")
		require.Equal(t, want, got.Version, "contract: each update stores Version.Next()")
		require.Equal(t, d.Reason, got.Reason, "contract: UpdateDelegation replaces the delegation")
		d = got
	}
}

func delegationStaleVersion(t *testing.T, k *kit) {
	d := k.mustCreateDelegation(k.delegation(k.newID(), k.newID(), at(0), at(10)))
	u := d.Clone()
	u.Reason = "fresh"
	require.NoError(t, k.s.UpdateDelegation(k.ctx, u, nil), "setup: UpdateDelegation failed")
	for _, v := range []store.Version{1, 9, store.NoVersion} {
		stale := d.Clone()
		stale.Version = v
		stale.CancelledAt, stale.CancelledBy = at(5), k.user
		before := k.delegationState(d.ID)
		err := k.s.UpdateDelegation(k.ctx, stale, []crm.Event{k.event(uuid.Nil, crm.EventDelegationCancelled, at(5))})
		require.ErrorIsf(t, err, store.ErrConflict,
			"contract: a stale version is ErrConflict — UpdateDelegation with version %d when version 2 is stored", v)
		k.delegationsUnchanged(before, fmt.Sprintf("UpdateDelegation with version %d", v), d.ID)
	}
}

func delegationOverlap(t *testing.T, k *kit) {
	p, deputy, deputy2 := k.newID(), k.newID(), k.newID()
	k.mustCreateDelegation(k.delegation(p, deputy, at(10), at(20)))

	refused := []struct {
		what     string
		deputy   uuid.UUID
		from, to int
	}{
		{"a window starting inside", deputy, 15, 25},
		{"a window ending inside", deputy, 5, 15},
		{"a window inside", deputy, 12, 14},
		{"a window around", deputy, 5, 25},
		{"the same window", deputy, 10, 20},
		{"the same window to another deputy", deputy2, 15, 25},
	}
	for _, r := range refused {
		d := k.delegation(p, r.deputy, at(r.from), at(r.to))
		before := k.delegationState(d.ID)
		err := k.s.CreateDelegation(k.ctx, d, []crm.Event{k.created(d)})
		isOverlap(t, err, fmt.Sprintf("%s [%d, %d) of [10, 20)", r.what, r.from, r.to))
		k.delegationsUnchanged(before, "CreateDelegation of an overlapping window", d.ID)
	}

	allowed := []struct {
		what      string
		principal uuid.UUID
		from, to  int
	}{
		{"the adjacent window [20, 30) after [10, 20)", p, 20, 30},
		{"the adjacent window [0, 10) before [10, 20)", p, 0, 10},
		{"an overlapping window of another principal", k.newID(), 15, 25},
	}
	for _, a := range allowed {
		d := k.delegation(a.principal, deputy, at(a.from), at(a.to))
		assert.NoErrorf(t, k.s.CreateDelegation(k.ctx, d, []crm.Event{k.created(d)}),
			"contract: only overlapping windows of the same principal are refused — %s was refused", a.what)
	}

	// A cancelled delegation's window ends at its cancellation
	// (Delegation.End), so the rest of it is free.
	long := k.mustCreateDelegation(k.delegation(p, deputy, at(40), at(60)))
	long.CancelledAt, long.CancelledBy = at(45), p
	require.NoError(t, k.s.UpdateDelegation(k.ctx, long, nil), "setup: cancelling a delegation failed")
	after := k.delegation(p, deputy2, at(45), at(55))
	assert.NoError(t, k.s.CreateDelegation(k.ctx, after, nil),
		"contract: overlap is judged by Delegation.Overlaps, which ends a cancelled delegation at its cancellation — [45, 55) after [40, 60) cancelled at 45 was refused")
	inside := k.delegation(p, deputy2, at(42), at(44))
	isOverlap(t, k.s.CreateDelegation(k.ctx, inside, nil), "[42, 44) inside [40, 60) cancelled at 45")

}

func delegationConcurrentOverlap(t *testing.T, k *kit) {
	const n = 20
	p := k.newID()
	ds := make([]crm.Delegation, n)
	for i := range n {
		ds[i] = k.delegation(p, k.newID(), at(10+i), at(30+i)) // every two overlap
	}
	errs := together(n, func(i int) error { return k.s.CreateDelegation(k.ctx, ds[i], []crm.Event{k.created(ds[i])}) })
	won := 0
	for i, err := range errs {
		if err == nil {
			won++
			continue
		}
		assert.ErrorIsf(t, err, crm.ErrDelegation,
			"contract: an overlapping delegation is refused with crm.ErrDelegation — concurrent create %d failed otherwise", i)
	}
	assert.Equal(t, 1, won,
		"contract: overlap is checked atomically with the write — of %d concurrent overlapping delegations of one principal, %d were stored", n, won)
	assert.Len(t, k.delegations(crm.DelegationFilter{Principal: p}), 1,
		"contract: overlap is checked atomically with the write — ListDelegations of the principal")
}

func delegationFilters(t *testing.T, k *kit) {
	p1, p2, d1, d2 := k.newID(), k.newID(), k.newID(), k.newID()
	a := k.mustCreateDelegation(k.delegation(p1, d1, at(10), at(20)))
	b := k.mustCreateDelegation(k.delegation(p1, d2, at(20), at(30)))
	b.CancelledAt, b.CancelledBy = at(25), p1
	require.NoError(t, k.s.UpdateDelegation(k.ctx, b, nil), "setup: cancelling a delegation failed")
	c := k.mustCreateDelegation(k.delegation(p2, d1, at(15), at(35)))
	d := k.mustCreateDelegation(k.delegation(p2, d2, at(40), at(50)))

	ids := func(ds ...crm.Delegation) []uuid.UUID {
		out := []uuid.UUID{}
		for _, x := range ds {
			out = append(out, x.ID)
		}
		return out
	}
	msk := time.FixedZone("MSK", 3*3600)
	cases := []struct {
		name string
		f    crm.DelegationFilter
		want []uuid.UUID
	}{
		{"empty filter", crm.DelegationFilter{}, ids(a, b, c, d)},
		{"Principal", crm.DelegationFilter{Principal: p1}, ids(a, b)},
		{"Deputy", crm.DelegationFilter{Deputy: d1}, ids(a, c)},
		{"Principal and Deputy", crm.DelegationFilter{Principal: p2, Deputy: d1}, ids(c)},
		{"unknown Principal", crm.DelegationFilter{Principal: k.newID()}, ids()},
		{"ActiveAt From is inclusive", crm.DelegationFilter{ActiveAt: at(10)}, ids(a)},
		{"ActiveAt To is exclusive", crm.DelegationFilter{ActiveAt: at(20)}, ids(b, c)},
		{"ActiveAt before the cancellation", crm.DelegationFilter{ActiveAt: at(24)}, ids(b, c)},
		{"ActiveAt at the cancellation", crm.DelegationFilter{ActiveAt: at(25)}, ids(c)},
		{"ActiveAt after every window", crm.DelegationFilter{ActiveAt: at(35)}, ids()},
		{"ActiveAt in another zone", crm.DelegationFilter{ActiveAt: at(20).In(msk)}, ids(b, c)},
		{"ActiveAt and Deputy", crm.DelegationFilter{ActiveAt: at(45), Deputy: d2}, ids(d)},
	}
	for _, tc := range cases {
		got := k.delegations(tc.f)
		assert.Equalf(t, tc.want, append([]uuid.UUID{}, idsOf(got)...),
			"contract: ListDelegations yields exactly the delegations that match its filter, by id — filter case %q", tc.name)
		for i, x := range got {
			assert.Truef(t, tc.f.Match(x), "contract: ListDelegations yields only matching delegations — case %q record %d", tc.name, i)
		}
	}
}

func delegationCopies(t *testing.T, k *kit) {
	d := k.delegation(k.newID(), k.newID(), at(0), at(10))
	want := d.Clone()
	want.Version = 1
	require.NoError(t, k.s.CreateDelegation(k.ctx, d, nil), "setup: CreateDelegation failed")
	d.Clients[0] = uuid.Nil
	read := func() crm.Delegation {
		got, err := k.s.GetDelegation(k.ctx, d.ID)
		require.NoError(t, err, "GetDelegation failed")
		return got
	}
	same(t, want, read(), "contract: the store keeps its own copy — changing a delegation after CreateDelegation changed the stored one")

	u := read()
	u.Clients = append(u.Clients[:1], k.newID())
	want = u.Clone()
	want.Version = 2
	require.NoError(t, k.s.UpdateDelegation(k.ctx, u, nil), "setup: UpdateDelegation failed")
	u.Clients[0], u.Clients[1] = uuid.Nil, uuid.Nil
	same(t, want, read(), "contract: the store keeps its own copy — changing a delegation after UpdateDelegation changed the stored one")

	got := read()
	got.Clients[0] = uuid.Nil
	same(t, want, read(), "contract: reads return copies — changing a delegation returned by GetDelegation changed the stored one")
	listed := k.delegations(crm.DelegationFilter{})
	listed[0].Clients[0] = uuid.Nil
	same(t, want, read(), "contract: reads return copies — changing a delegation returned by ListDelegations changed the stored one")
}

func delegationListingCursors(t *testing.T, k *kit) {
	var made []uuid.UUID
	for range 12 {
		made = append(made, k.mustCreateDelegation(k.delegation(k.newID(), k.newID(), at(0), at(10))).ID)
	}
	all := k.delegations(crm.DelegationFilter{})
	require.Equal(t, made, idsOf(all),
		"contract: ListDelegations is ordered by id — delegations with increasing ids are not listed in that order")
	desc, err := store.Collect(k.s.ListDelegations(k.ctx, crm.DelegationFilter{}, store.Page{Order: store.Descending}))
	require.NoError(t, err, "ListDelegations descending failed")
	want := slices.Clone(made)
	slices.Reverse(want)
	require.Equal(t, want, idsOf(desc), "contract: ListDelegations is ordered by id — descending is not the reverse of ascending")
	cursors := append(keysOf(all), store.Cursor{ID: idAt(0, 1)}, store.Cursor{ID: uuid.Max})
	resumesExactly(t, all, cursors, func(p store.Page) iter2[crm.Delegation] {
		return k.s.ListDelegations(k.ctx, crm.DelegationFilter{}, p)
	})
	stopsEarly(t, k.s.ListDelegations(k.ctx, crm.DelegationFilter{}, store.Page{}))
}

func delegationListingUnderInserts(order store.Order) func(t *testing.T, k *kit) {
	return func(t *testing.T, k *kit) {
		const n = 45
		var before []store.Cursor
		for i := range uint64(n) {
			d := k.delegation(k.newID(), k.newID(), at(0), at(10)) // a principal each: no overlaps
			d.ID = idAt(seedMid, 2*(i+1))
			require.NoError(t, k.s.CreateDelegation(k.ctx, d, nil), "setup: CreateDelegation failed")
			before = append(before, d.Cursor())
		}
		listUnderInserts(t, listPlan[crm.Delegation]{
			sortKey: "id",
			order:   order,
			limit:   7,
			before:  before,
			list: func(p store.Page) iter2[crm.Delegation] {
				return k.s.ListDelegations(k.ctx, crm.DelegationFilter{}, p)
			},
			insert: func(round int) ([]store.Cursor, error) {
				r := uint64(round)
				var keys []store.Cursor
				for _, id := range []uuid.UUID{idAt(seedLow, r+1), idAt(seedMid, 2*((r*7)%n+1)+1), idAt(seedHigh, r+1)} {
					d := k.delegation(k.newID(), k.newID(), at(0), at(10))
					d.ID = id
					if err := k.s.CreateDelegation(k.ctx, d, nil); err != nil {
						return keys, err
					}
					keys = append(keys, d.Cursor())
				}
				return keys, nil
			},
		})
	}
}

func delegationCancelled(t *testing.T, k *kit) {
	const rule = "contract: methods honour cancellation"
	ctx := k.cancelled()
	d := k.mustCreateDelegation(k.delegation(k.newID(), k.newID(), at(0), at(10)))
	fresh := k.delegation(k.newID(), k.newID(), at(0), at(10))
	before := k.delegationState(d.ID, fresh.ID)

	_, err := k.s.GetDelegation(ctx, d.ID)
	assert.ErrorIs(t, err, context.Canceled, rule+" — GetDelegation")
	failsOnce(t, k.s.ListDelegations(ctx, crm.DelegationFilter{}, store.Page{}), context.Canceled, "ListDelegations")
	assert.ErrorIs(t, k.s.CreateDelegation(ctx, fresh, []crm.Event{k.created(fresh)}), context.Canceled, rule+" — CreateDelegation")
	u := d.Clone()
	u.Reason = "cancelled"
	assert.ErrorIs(t, k.s.UpdateDelegation(ctx, u, nil), context.Canceled, rule+" — UpdateDelegation")
	k.delegationsUnchanged(before, "a write with a cancelled context", d.ID, fresh.ID)
}
