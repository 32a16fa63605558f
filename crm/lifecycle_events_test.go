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

// A next step agreed during an interaction cannot be due before the day
// the interaction happened.
func TestNextStepDueBeforeInteractionRefused(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	w.clock.Set(t0.AddDate(0, 0, 10))
	_, err := w.svc.LogInteraction(w.ctx, w.manager1, crm.NewInteraction{ClientID: c.ID, Kind: crm.InteractionCall,
		Direction: crm.Outbound, At: t0.AddDate(0, 0, 5), Outcome: crm.OutcomeCallBack,
		NextStep: &crm.NextStep{Action: "call back", Due: crm.Date{Year: 2020, Month: 1, Day: 1}}})
	var ve *crm.ValidationError
	require.ErrorAs(t, err, &ve, "a next step due six years before the call is accepted")
	assert.Equal(t, "next_step.due", ve.Field)
}

// StageDurations as of a past instant: the time counted is the time up to
// asOf; stages entered later do not count, and the total is the elapsed time.
func TestStageDurationsAsOfAPastInstant(t *testing.T) {
	log := []crm.StageChange{
		{To: crm.StageLead, At: t0},
		{From: crm.StageLead, To: crm.StageQualified, At: t0.Add(10 * time.Hour)},
		{From: crm.StageQualified, To: crm.StageNegotiation, At: t0.Add(20 * time.Hour)},
	}
	asOf := t0.Add(5 * time.Hour)
	d := crm.StageDurations(log, asOf)
	var sum time.Duration
	for _, v := range d {
		sum += v
	}
	assert.Equal(t, 5*time.Hour, d[crm.StageLead], "the lead stage as of asOf lasted 5h")
	assert.Zero(t, d[crm.StageQualified], "the client was not yet qualified as of asOf")
	assert.Equal(t, asOf.Sub(t0), sum, "durations sum to the elapsed time")
}

func TestDescribeTierChangedLocalised(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	_, err := w.svc.SetTier(w.ctx, w.manager1, c.ID, crm.TierKey, "большой оборот")
	require.NoError(t, err)
	events, err := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{}))
	require.NoError(t, err)
	ev := events[len(events)-1]
	require.Equal(t, crm.EventTierChanged, ev.Kind)
	ru := ev.Describe("ru")
	assert.Contains(t, ru, "ключевой", ru)
	assert.NotContains(t, ru, "standard", ru)
}

func TestDescribeLostReasonByName(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	_, err := w.svc.ChangeStage(w.ctx, w.manager1, c.ID, crm.StageMove{To: crm.StageLost, Reason: "price"})
	require.NoError(t, err)
	events, err := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{}))
	require.NoError(t, err)
	ev := events[len(events)-1]
	require.Equal(t, crm.EventStageChanged, ev.Kind)
	ru := ev.Describe("ru")
	assert.Contains(t, ru, "высокая цена", ru)
}

func TestDescribeDelegationEvents(t *testing.T) {
	for _, k := range []crm.EventKind{crm.EventDelegationCreated, crm.EventDelegationCancelled} {
		e := crm.Event{Kind: k, Subject: uuid.New(), Data: map[string]string{"principal": uuid.New().String(), "deputy": uuid.New().String()}}
		for _, tag := range []string{"en", "ru"} {
			got := e.Describe(tag)
			assert.NotEqual(t, string(k), got, "%s (%s) is not described", k, tag)
		}
	}
}

// Describe never panics or prints "<nil>" or a format error for an event
// with no data, in either language.
func TestDescribeWithMissingData(t *testing.T) {
	kinds := []crm.EventKind{crm.EventClientCreated, crm.EventClientUpdated, crm.EventStageChanged, crm.EventTierChanged,
		crm.EventOwnerChanged, crm.EventCreditChanged, crm.EventOrderRecorded, crm.EventClientMerged, crm.EventClientMergedInto,
		crm.EventInteractionLogged, crm.EventInteractionCorrected, crm.EventDelegationCreated, crm.EventDelegationCancelled,
		crm.EventComplaintReceived, crm.EventComplaintUpdated, crm.EventComplaintStatus, crm.EventComplaintCategorized,
		crm.EventComplaintRootCause, crm.EventComplaintActionAdded, crm.EventComplaintActionDone, crm.EventComplaintCompensation,
		crm.EventComplaintHeld, crm.EventComplaintResumed}
	for _, k := range kinds {
		for _, tag := range []string{"en", "ru"} {
			got := crm.Event{Kind: k}.Describe(tag)
			assert.NotContains(t, got, "<nil>")
			assert.NotContains(t, got, "%!")
		}
	}
}

// A dormant customer reactivated by hand starts afresh: the next policy
// run does not put it straight back to dormant for its old order.
func TestManualReactivationIsAFreshStart(t *testing.T) {
	w := newWorld(t)
	nc := company("Ромашка", innSber)
	nc.Stage = crm.StageCustomer
	c := w.create(t, w.manager1, nc)
	_, err := w.svc.RecordOrder(w.ctx, w.manager1, c.ID, t0)
	require.NoError(t, err)
	w.clock.Set(t0.AddDate(0, 0, 100))
	_, err = w.svc.ApplyActivityPolicy(w.ctx, w.admin, t0.AddDate(0, 0, 100))
	require.NoError(t, err)
	back, err := w.svc.ChangeStage(w.ctx, w.manager1, c.ID, crm.StageMove{To: crm.StageCustomer, Reason: "signed a new contract"})
	require.NoError(t, err)
	require.Equal(t, crm.StageCustomer, back.Stage)
	changes, err := w.svc.ApplyActivityPolicy(w.ctx, w.admin, t0.AddDate(0, 0, 101))
	require.NoError(t, err)
	assert.Empty(t, changes, "a client reactivated yesterday is dormant again")
}

// Two cards carrying the same contact id (given by a host) merge into a
// card with both people, each with an id of its own.
func TestMergeKeepsContactsWithTheSameID(t *testing.T) {
	w := newWorld(t)
	a := w.create(t, w.manager1, company("Ромашка", innSber))
	ncB := company("Лютик", "")
	ncB.Contacts[0].ID = a.Contacts[0].ID
	ncB.Contacts[0].LastName = "Петрова"
	b := w.create(t, w.manager1, ncB)
	merged, err := w.svc.MergeClients(w.ctx, w.manager1, a.ID, b.ID)
	require.NoError(t, err)
	require.Len(t, merged.Contacts, 2)
	assert.NotEqual(t, merged.Contacts[0].ID, merged.Contacts[1].ID)
	assert.Equal(t, a.Contacts[0].ID, merged.Contacts[0].ID, "the survivor's contact keeps its id")
}

// An entry already corrected is superseded: correcting it again is
// refused (correct the latest entry), so that two entries never stand for
// one contact.
func TestCorrectingASupersededEntryRefused(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	w.clock.Set(t0.AddDate(0, 0, 20))
	call := crm.NewInteraction{ClientID: c.ID, Kind: crm.InteractionCall, Direction: crm.Outbound,
		At: t0.AddDate(0, 0, 10), Outcome: crm.OutcomeReached}
	orig, err := w.svc.LogInteraction(w.ctx, w.manager1, call)
	require.NoError(t, err)
	fix1 := call
	fix1.At = t0.AddDate(0, 0, 12)
	_, err = w.svc.CorrectInteraction(w.ctx, w.manager1, orig.ID, fix1)
	require.NoError(t, err)
	// The manager corrects the original again: nobody answered after all.
	fix2 := call
	fix2.Outcome = crm.OutcomeNoAnswer
	_, err = w.svc.CorrectInteraction(w.ctx, w.manager1, orig.ID, fix2)
	var ve *crm.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "corrects", ve.Field)
}
