package crm_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

func TestTransitionsTable(t *testing.T) {
	allowed := map[crm.Stage][]crm.Stage{
		crm.StageLead:        {crm.StageQualified, crm.StageNegotiation, crm.StageCustomer, crm.StageLost},
		crm.StageQualified:   {crm.StageNegotiation, crm.StageCustomer, crm.StageLost},
		crm.StageNegotiation: {crm.StageCustomer, crm.StageLost},
		crm.StageCustomer:    {crm.StageDormant, crm.StageChurned},
		crm.StageDormant:     {crm.StageCustomer, crm.StageChurned},
		crm.StageChurned:     {crm.StageCustomer},
		crm.StageLost:        {crm.StageLead, crm.StageQualified, crm.StageNegotiation},
	}
	for _, from := range crm.Stages() {
		for _, to := range crm.Stages() {
			want := false
			for _, a := range allowed[from] {
				want = want || a == to
			}
			assert.Equal(t, want, crm.CanMove(from, to), "%s -> %s", from, to)
		}
		assert.ElementsMatch(t, allowed[from], from.Next())
	}
}

func TestLifecycle(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	move := func(to crm.Stage) (crm.Client, error) {
		return w.svc.ChangeStage(w.ctx, w.manager1, c.ID, crm.StageMove{To: to})
	}
	_, err := move(crm.StageQualified)
	require.NoError(t, err)
	_, err = move(crm.StageNegotiation)
	require.NoError(t, err)

	_, err = move(crm.StageLead)
	var te *crm.TransitionError
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, crm.ErrTransition)
	assert.Equal(t, crm.StageNegotiation, te.From)
	assert.Equal(t, []crm.Stage{crm.StageCustomer, crm.StageLost}, te.Allowed)
	assert.Contains(t, te.Message("en"), "allowed next: customer, lost")
	assert.Contains(t, te.Message("ru"), "«клиент»")

	// Lost needs a reason from the catalogue, and "other" needs a note.
	_, err = w.svc.ChangeStage(w.ctx, w.manager1, c.ID, crm.StageMove{To: crm.StageLost})
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "reason", te.Field)
	_, err = w.svc.ChangeStage(w.ctx, w.manager1, c.ID, crm.StageMove{To: crm.StageLost, Reason: "bad_mood"})
	assert.ErrorIs(t, err, crm.ErrInvalid)
	_, err = w.svc.ChangeStage(w.ctx, w.manager1, c.ID, crm.StageMove{To: crm.StageLost, Reason: "other"})
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "note", te.Field)
	lost, err := w.svc.ChangeStage(w.ctx, w.manager1, c.ID, crm.StageMove{To: crm.StageLost, Reason: "competitor", Competitor: "Лютик"})
	require.NoError(t, err)
	require.NotNil(t, lost.Lost)
	assert.Equal(t, "competitor", lost.Lost.Reason)
	assert.Equal(t, "Лютик", lost.Lost.Competitor)
	assert.Equal(t, crm.StageNegotiation, lost.Lost.From)

	reopened, err := w.svc.Reopen(w.ctx, w.manager1, c.ID, "they called back")
	require.NoError(t, err)
	assert.Equal(t, crm.StageNegotiation, reopened.Stage, "reopen returns to the stage the client was lost from")
	assert.Nil(t, reopened.Lost, "reopening clears the reason")

	won, err := move(crm.StageCustomer)
	require.NoError(t, err)
	require.Len(t, won.StageLog, 6)
	for i, ch := range won.StageLog[1:] {
		assert.Equal(t, won.StageLog[i].To, ch.From, "the log is a chain")
		assert.Equal(t, w.manager1.ID, ch.By)
		assert.False(t, ch.At.IsZero())
	}

	events, err := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{}))
	require.NoError(t, err)
	changes := 0
	for _, e := range events {
		if e.Kind == crm.EventStageChanged {
			changes++
		}
	}
	assert.Equal(t, 5, changes)
}

func TestStageDurations(t *testing.T) {
	log := []crm.StageChange{
		{To: crm.StageLead, At: t0},
		{From: crm.StageLead, To: crm.StageQualified, At: t0.Add(2 * time.Hour)},
		{From: crm.StageQualified, To: crm.StageLost, At: t0.Add(5 * time.Hour)},
		{From: crm.StageLost, To: crm.StageQualified, At: t0.Add(29 * time.Hour)},
	}
	d := crm.StageDurations(log, t0.Add(30*time.Hour))
	assert.Equal(t, 2*time.Hour, d[crm.StageLead])
	assert.Equal(t, 4*time.Hour, d[crm.StageQualified], "a stage entered twice adds up")
	assert.Equal(t, 24*time.Hour, d[crm.StageLost])
	assert.Empty(t, crm.StageDurations(nil, t0))
}

func TestActivityPolicyDerive(t *testing.T) {
	p := crm.ActivityPolicy{DormantAfterDays: 90, ChurnedAfterDays: 180}
	lastOrder := time.Date(2026, 1, 10, 15, 0, 0, 0, time.UTC)
	c := crm.Client{Stage: crm.StageCustomer, LastOrderAt: lastOrder}
	cases := []struct {
		days int
		want crm.Stage
	}{{0, crm.StageCustomer}, {89, crm.StageCustomer}, {90, crm.StageDormant}, {179, crm.StageDormant}, {180, crm.StageChurned}, {400, crm.StageChurned}}
	for _, tc := range cases {
		asOf := time.Date(2026, 1, 10, 1, 0, 0, 0, time.UTC).AddDate(0, 0, tc.days)
		got, days := p.Derive(c, asOf)
		assert.Equal(t, tc.want, got, "%d days", tc.days)
		assert.Equal(t, tc.days, days, "whole calendar days, not 24-hour periods")
	}
	// The policy never moves a client up and never touches the funnel.
	churned := crm.Client{Stage: crm.StageChurned, LastOrderAt: lastOrder}
	got, _ := p.Derive(churned, lastOrder.AddDate(0, 0, 1))
	assert.Equal(t, crm.StageChurned, got)
	lead := crm.Client{Stage: crm.StageLead, LastOrderAt: lastOrder}
	got, _ = p.Derive(lead, lastOrder.AddDate(1, 0, 0))
	assert.Equal(t, crm.StageLead, got)
	// Without an order, the day the client became a customer counts.
	fresh := crm.Client{Stage: crm.StageCustomer, StageLog: []crm.StageChange{{To: crm.StageCustomer, At: lastOrder}}}
	got, _ = p.Derive(fresh, lastOrder.AddDate(0, 0, 90))
	assert.Equal(t, crm.StageDormant, got)
}

func TestApplyActivityPolicyAndReactivation(t *testing.T) {
	w := newWorld(t)
	nc := company("Ромашка", innSber)
	nc.Stage = crm.StageCustomer
	c := w.create(t, w.manager1, nc)
	_, err := w.svc.RecordOrder(w.ctx, w.manager1, c.ID, t0)
	require.NoError(t, err)

	changes, err := w.svc.ApplyActivityPolicy(w.ctx, w.admin, t0.AddDate(0, 0, 89))
	require.NoError(t, err)
	assert.Empty(t, changes)
	changes, err = w.svc.ApplyActivityPolicy(w.ctx, w.admin, t0.AddDate(0, 0, 90))
	require.NoError(t, err)
	require.Len(t, changes, 1)
	assert.Equal(t, crm.PolicyChange{ClientID: c.ID, From: crm.StageCustomer, To: crm.StageDormant, DaysWithoutOrders: 90}, changes[0])
	again, err := w.svc.ApplyActivityPolicy(w.ctx, w.admin, t0.AddDate(0, 0, 90))
	require.NoError(t, err)
	assert.Empty(t, again, "applying the policy twice for one date changes nothing")

	dormant, err := w.svc.GetClient(w.ctx, w.manager1, c.ID)
	require.NoError(t, err)
	last := dormant.StageLog[len(dormant.StageLog)-1]
	assert.True(t, last.Derived)
	assert.Equal(t, crm.ReasonActivityPolicy, last.Reason)

	back, err := w.svc.RecordOrder(w.ctx, w.manager1, c.ID, w.clock.Peek())
	require.NoError(t, err)
	assert.Equal(t, crm.StageCustomer, back.Stage, "an order reactivates a dormant client")

	_, err = w.svc.RecordOrder(w.ctx, w.manager1, c.ID, w.clock.Peek().Add(time.Hour))
	assert.ErrorIs(t, err, crm.ErrInvalid, "an order from the future")
}
