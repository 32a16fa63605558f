package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// RunTimeline checks the TimelineStore method of crm.Store, Timeline,
// and that every write puts its events on the timeline of their client.
func RunTimeline(t *testing.T, h Harness) {
	t.Helper()
	runChecks(t, h, []check{
		{"each write puts its events on their client's timeline", timelineWrites},
		{"a timeline is ordered by (At, id) whatever the write order", timelineOrder},
		{"a timeline ascending survives concurrent inserts in the past", timelineUnderInserts(store.Ascending)},
		{"a timeline descending survives concurrent inserts in the past", timelineUnderInserts(store.Descending)},
		{"the store keeps copies of events", timelineCopies},
		{"methods honour cancellation", timelineCancelled},
	})
}

// byKey sorts events as a timeline lists them.
func byKey(events []crm.Event) []crm.Event {
	out := slices.Clone(events)
	slices.SortFunc(out, func(a, b crm.Event) int { return store.CompareKeys(a.At, a.ID, b.At, b.ID) })
	return out
}

func timelineWrites(t *testing.T, k *kit) {
	a := k.client()
	b := k.mustCreateLogged(k.client(), at(0))
	bTimeline := k.timeline(b.ID)

	created := k.event(a.ID, crm.EventClientCreated, at(2))
	stage := k.event(a.ID, crm.EventStageChanged, at(2))
	stage.Data = map[string]string{"from": "", "to": string(crm.StageLead)}
	require.NoError(t, k.s.CreateClient(k.ctx, a, []crm.Event{created, stage}), "setup: CreateClient failed")
	want := []crm.Event{created, stage}
	same(t, byKey(want), k.timeline(a.ID), "contract: CreateClient stores its events — the timeline after CreateClient")

	u := k.mustGet(a.ID)
	u.Tier = crm.TierKey
	tier := k.event(a.ID, crm.EventTierChanged, at(1)) // dated before the creation: ordered by At
	tier.Data = map[string]string{"from": "standard", "to": "key", "reason": "оборот"}
	k.mustUpdate(u, tier)
	want = append(want, tier)
	same(t, byKey(want), k.timeline(a.ID), "contract: UpdateClient stores its events — the timeline after UpdateClient")

	in := k.interaction(a, at(3))
	logged := k.logged(in)
	k.mustAppend(in, logged)
	want = append(want, logged)
	same(t, byKey(want), k.timeline(a.ID), "contract: AppendInteraction stores its events — the timeline after AppendInteraction")

	same(t, bTimeline, k.timeline(b.ID), "contract: events appear on their own client's timeline only — another client's timeline changed")
}

func timelineOrder(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	other := k.mustCreateLogged(k.client(), at(3))
	_, evs := k.pastLog(c, 60)
	k.mustAppend(k.interaction(other, at(3)), k.event(other.ID, crm.EventInteractionLogged, at(3)))

	all := k.timeline(c.ID)
	require.Equal(t, canonicalAll(sortedKeys(keysOf(evs), store.Ascending)), canonicalAll(keysOf(all)),
		"contract: Timeline lists the client's events ordered by At, then id — written out of order, with ties")
	desc, err := store.Collect(k.s.Timeline(k.ctx, c.ID, store.Page{Order: store.Descending}))
	require.NoError(t, err, "Timeline descending failed")
	require.Equal(t, canonicalAll(sortedKeys(keysOf(evs), store.Descending)), canonicalAll(keysOf(desc)),
		"contract: Timeline descending is ordered by At, then id, newest first")

	cursors := append(keysOf(all),
		store.Cursor{At: at(3)}, store.Cursor{At: at(3), ID: uuid.Max},
		store.Cursor{At: at(3).Add(time.Second)}, store.Cursor{At: at(-100)}, store.Cursor{At: at(1000)},
		store.Cursor{At: at(7).In(time.FixedZone("MSK", 3*3600)), ID: evs[0].ID})
	resumesExactly(t, all, cursors, func(p store.Page) iter2[crm.Event] {
		return k.s.Timeline(k.ctx, c.ID, p)
	})
	stopsEarly(t, k.s.Timeline(k.ctx, c.ID, store.Page{}))
}

func timelineUnderInserts(order store.Order) func(t *testing.T, k *kit) {
	return func(t *testing.T, k *kit) {
		c := k.mustCreate(k.client())
		_, evs := k.pastLog(c, 60)
		listUnderInserts(t, listPlan[crm.Event]{
			sortKey: "(At, id)",
			order:   order,
			limit:   10,
			before:  keysOf(evs),
			list: func(p store.Page) iter2[crm.Event] {
				return k.s.Timeline(k.ctx, c.ID, p)
			},
			insert: func(round int) ([]store.Cursor, error) {
				_, keys, err := k.appendAround(c, round)
				return keys, err
			},
		})
	}
}

func timelineCopies(t *testing.T, k *kit) {
	c := k.mustCreate(k.client())
	in := k.interaction(c, at(4))
	ev := k.logged(in)
	want := []crm.Event{ev.Clone()}
	require.NoError(t, k.s.AppendInteraction(k.ctx, in, []crm.Event{ev}), "setup: AppendInteraction failed")
	ev.Data["outcome"] = "scrambled"
	ev.Data["extra"] = "scrambled"
	same(t, want, k.timeline(c.ID), "contract: the store keeps its own copy — changing an event's Data after the write changed the stored event")

	got := k.timeline(c.ID)
	got[0].Data["outcome"] = "scrambled"
	delete(got[0].Data, "kind")
	same(t, want, k.timeline(c.ID), "contract: reads return copies — changing an event's Data returned by Timeline changed the stored event")

	page, err := store.Collect(k.s.Timeline(k.ctx, c.ID, store.Page{Order: store.Descending, Limit: 1}))
	require.NoError(t, err, "Timeline failed")
	require.Len(t, page, 1, "setup: one event")
	page[0].Data["outcome"] = "scrambled"
	same(t, want, k.timeline(c.ID), "contract: reads return copies — changing an event's Data returned by a Timeline page changed the stored event")
}

func timelineCancelled(t *testing.T, k *kit) {
	c := k.mustCreateLogged(k.client(), at(0))
	failsOnce(t, k.s.Timeline(k.cancelled(), c.ID, store.Page{}), context.Canceled, "Timeline")
}
