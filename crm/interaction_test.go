package crm_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

func TestInteractions(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	ivan := c.Contacts[0].ID
	w.clock.Set(t0.Add(48 * time.Hour))

	call := crm.NewInteraction{ClientID: c.ID, Kind: crm.InteractionCall, Direction: crm.Outbound,
		At: t0.Add(26 * time.Hour), Duration: 7 * time.Minute, Contacts: []uuid.UUID{ivan},
		Subject: "price list", Outcome: crm.OutcomeOfferSent,
		NextStep: &crm.NextStep{Action: "call about the offer", Due: crm.Date{Year: 2026, Month: 3, Day: 6}}}
	first, err := w.svc.LogInteraction(w.ctx, w.manager1, call)
	require.NoError(t, err)
	assert.Equal(t, w.manager1.ID, first.Manager)

	// Logged later, but it happened earlier: the timeline is in time order.
	meeting := crm.NewInteraction{ClientID: c.ID, Kind: crm.InteractionMeeting, Direction: crm.Inbound,
		At: t0.Add(2 * time.Hour), Outcome: crm.OutcomeReached, Summary: "met at the fair"}
	_, err = w.svc.LogInteraction(w.ctx, w.manager1, meeting)
	require.NoError(t, err)
	fix := call
	fix.Outcome = crm.OutcomeCallBack
	corrected, err := w.svc.CorrectInteraction(w.ctx, w.manager1, first.ID, fix)
	require.NoError(t, err)
	assert.Equal(t, first.ID, corrected.Corrects)

	events, err := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{}))
	require.NoError(t, err)
	var kinds []crm.EventKind
	for i, e := range events {
		kinds = append(kinds, e.Kind)
		if i > 0 {
			assert.LessOrEqual(t, store.CompareKeys(events[i-1].At, events[i-1].ID, e.At, e.ID), 0, "time order")
		}
	}
	assert.Equal(t, []crm.EventKind{crm.EventClientCreated, crm.EventInteractionLogged, crm.EventInteractionLogged, crm.EventInteractionCorrected}, kinds)
	assert.Equal(t, "встреча — дозвонились", events[1].Describe("ru"))
	newest, err := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{Order: store.Descending, Limit: 1}))
	require.NoError(t, err)
	assert.Equal(t, crm.EventInteractionCorrected, newest[0].Kind)

	listed, err := store.Collect(w.svc.ListInteractions(w.ctx, w.manager1, c.ID, store.Page{}))
	require.NoError(t, err)
	assert.Len(t, listed, 3, "a correction is a new entry; the original stays")

	after, err := w.svc.GetClient(w.ctx, w.manager1, c.ID)
	require.NoError(t, err)
	assert.True(t, after.LastContactAt.Equal(call.At), "the latest reaching interaction is the last contact")
	assert.Equal(t, c.Version, after.Version, "logging an interaction does not bump the card's version")

	bad := []struct {
		name   string
		mutate func(*crm.NewInteraction)
		field  string
	}{
		{"too far in the future", func(n *crm.NewInteraction) { n.At = w.clock.Peek().Add(time.Hour) }, "at"},
		{"no time", func(n *crm.NewInteraction) { n.At = time.Time{} }, "at"},
		{"unknown kind", func(n *crm.NewInteraction) { n.Kind = "pigeon" }, "kind"},
		{"unknown outcome", func(n *crm.NewInteraction) { n.Outcome = "maybe" }, "outcome"},
		{"no direction on a call", func(n *crm.NewInteraction) { n.Direction = "" }, "direction"},
		{"negative duration", func(n *crm.NewInteraction) { n.Duration = -time.Minute }, "duration"},
		{"someone else's contact", func(n *crm.NewInteraction) { n.Contacts = []uuid.UUID{uuid.New()} }, "contacts[0]"},
		{"31 February due", func(n *crm.NewInteraction) {
			n.NextStep = &crm.NextStep{Action: "x", Due: crm.Date{Year: 2026, Month: 2, Day: 31}}
		}, "next_step.due"},
		{"next step without action", func(n *crm.NewInteraction) { n.NextStep = &crm.NextStep{Due: crm.Date{Year: 2026, Month: 3, Day: 1}} }, "next_step.action"},
	}
	for _, tc := range bad {
		in := call
		tc.mutate(&in)
		_, err := w.svc.LogInteraction(w.ctx, w.manager1, in)
		var ve *crm.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
	}
	// Within the tolerance for clock skew is fine.
	skewed := call
	skewed.At = w.clock.Peek().Add(time.Minute)
	_, err = w.svc.LogInteraction(w.ctx, w.manager1, skewed)
	require.NoError(t, err)
}

func TestOverdueContacts(t *testing.T) {
	w := newWorld(t)
	mk := func(name, inn string, tier crm.Tier) crm.Client {
		nc := company(name, inn)
		nc.Tier, nc.TierReason = tier, "test"
		return w.create(t, w.manager1, nc)
	}
	key := mk("Ключевой", innSber, crm.TierKey)
	vip := mk("Вип", innYandex, crm.TierVIP)
	std := mk("Обычный", "", crm.TierStandard)
	quiet := mk("Молчун", "", crm.TierVIP)
	_, err := w.svc.UpdateClient(w.ctx, w.manager1, quiet.ID, func(d *crm.Draft) error { d.Card.DoNotContact = true; return nil })
	require.NoError(t, err)
	_ = std

	w.clock.Set(t0.AddDate(0, 0, 20))
	_, err = w.svc.LogInteraction(w.ctx, w.manager1, crm.NewInteraction{ClientID: key.ID, Kind: crm.InteractionCall,
		Direction: crm.Outbound, At: t0.AddDate(0, 0, 1), Outcome: crm.OutcomeReached})
	require.NoError(t, err)
	// A call nobody answered is not contact.
	_, err = w.svc.LogInteraction(w.ctx, w.manager1, crm.NewInteraction{ClientID: key.ID, Kind: crm.InteractionCall,
		Direction: crm.Outbound, At: t0.AddDate(0, 0, 10), Outcome: crm.OutcomeNoAnswer})
	require.NoError(t, err)

	// Key: contacted on day 1, due day 15. VIP: never contacted, created day 0, due day 7.
	asOf := t0.AddDate(0, 0, 15)
	overdue, err := w.svc.OverdueContacts(w.ctx, w.manager1, w.manager1.ID, asOf)
	require.NoError(t, err)
	require.Len(t, overdue, 1, "the key client is due today, not overdue")
	assert.Equal(t, vip.ID, overdue[0].ClientID)
	assert.Equal(t, 8, overdue[0].DaysOverdue)

	overdue, err = w.svc.OverdueContacts(w.ctx, w.head, w.manager1.ID, asOf.AddDate(0, 0, 1))
	require.NoError(t, err)
	require.Len(t, overdue, 2)
	assert.Equal(t, vip.ID, overdue[0].ClientID, "most overdue first")
	assert.Equal(t, key.ID, overdue[1].ClientID)
	assert.Equal(t, 1, overdue[1].DaysOverdue)
	assert.Equal(t, "2026-03-17", overdue[1].Due.String())

	_, err = w.svc.OverdueContacts(w.ctx, w.manager2, w.manager1.ID, asOf)
	assert.ErrorIs(t, err, crm.ErrForbidden)
}

func TestMergeClients(t *testing.T) {
	w := newWorld(t)
	a := w.create(t, w.manager1, company("Ромашка", innSber))
	bIn := company("Ромашка-2", "")
	bIn.Contacts = []crm.Contact{{FirstName: "Олег", Phones: []string{"+79160000001"}}}
	bIn.Tags = []string{"опт"}
	b := w.create(t, w.manager1, bIn)
	_, err := w.svc.LogInteraction(w.ctx, w.manager1, crm.NewInteraction{ClientID: b.ID, Kind: crm.InteractionCall,
		Direction: crm.Inbound, At: t0, Outcome: crm.OutcomeReached})
	require.NoError(t, err)

	_, err = w.svc.MergeClients(w.ctx, w.manager2, a.ID, b.ID)
	assert.ErrorIs(t, err, crm.ErrForbidden)

	survivor, err := w.svc.MergeClients(w.ctx, w.manager1, a.ID, b.ID)
	require.NoError(t, err)
	require.Len(t, survivor.Contacts, 2)
	assert.True(t, survivor.Contacts[0].Primary)
	assert.False(t, survivor.Contacts[1].Primary)
	assert.Equal(t, []string{"опт"}, survivor.Tags)
	assert.Contains(t, survivor.MergedFrom, b.ID)

	resolved, err := w.svc.GetClient(w.ctx, w.manager1, b.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, resolved.ID, "the merged id resolves to the survivor")

	events, err := store.Collect(w.svc.Timeline(w.ctx, w.manager1, a.ID, store.Page{}))
	require.NoError(t, err)
	kinds := map[crm.EventKind]int{}
	for _, e := range events {
		kinds[e.Kind]++
	}
	assert.Equal(t, 2, kinds[crm.EventClientCreated], "both histories are on the survivor")
	assert.Equal(t, 1, kinds[crm.EventInteractionLogged])
	assert.Equal(t, 1, kinds[crm.EventClientMerged])
	interactions, _ := store.Collect(w.svc.ListInteractions(w.ctx, w.manager1, a.ID, store.Page{}))
	assert.Len(t, interactions, 1)

	_, err = w.svc.MergeClients(w.ctx, w.manager1, a.ID, a.ID)
	assert.ErrorIs(t, err, crm.ErrInvalid)

	// An interaction logged against the merged id lands on the survivor.
	late, err := w.svc.LogInteraction(w.ctx, w.manager1, crm.NewInteraction{ClientID: b.ID, Kind: crm.InteractionNote, At: t0})
	require.NoError(t, err)
	assert.Equal(t, a.ID, late.ClientID)
}

func TestMergeRefusesDifferentLegalEntities(t *testing.T) {
	w := newWorld(t)
	a := w.create(t, w.manager1, company("Ромашка", innSber))
	b := w.create(t, w.manager1, company("Ромашка", innYandex))
	_, err := w.svc.MergeClients(w.ctx, w.manager1, a.ID, b.ID)
	var ve *crm.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "tax_ids", ve.Field)
	assert.Equal(t, crm.ReasonConflict, ve.Reason)
	again, err := w.svc.GetClient(w.ctx, w.manager1, b.ID)
	require.NoError(t, err)
	assert.False(t, again.IsMerged(), "nothing was written")

	// A duplicate without an INN merges, and the survivor keeps its INN.
	c := w.create(t, w.manager1, company("Ромашка", ""))
	merged, err := w.svc.MergeClients(w.ctx, w.manager1, c.ID, a.ID)
	require.NoError(t, err)
	inn, ok := merged.TaxID("INN")
	require.True(t, ok, "the survivor takes over the tombstone's INN")
	assert.Equal(t, innSber, inn.Value)
	_, _, err = w.svc.CreateClient(w.ctx, w.manager1, company("Другая", innSber))
	assert.ErrorIs(t, err, store.ErrDuplicate, "the INN is still protected after the merge")
}
