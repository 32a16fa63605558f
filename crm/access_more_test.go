package crm_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// A deputy whose delegation names one client sees that client alone in
// the principal's overdue contacts, as GetClient would show them.
func TestOverdueContactsFollowDelegationScope(t *testing.T) {
	w := newWorld(t)
	vip := func(name, inn string) crm.NewClient {
		nc := company(name, inn)
		nc.Tier, nc.TierReason = crm.TierVIP, "top account"
		return nc
	}
	shared := w.create(t, w.manager1, vip("Ромашка", innSber))
	secret := w.create(t, w.manager1, vip("Лютик", innYandex))
	from := t0.Add(time.Hour)
	_, err := w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.deputy.ID, From: from, To: from.AddDate(0, 1, 0),
		Clients: []uuid.UUID{shared.ID}, Reason: "one account while away"})
	require.NoError(t, err)
	w.clock.Set(from.Add(time.Hour))
	_, err = w.svc.GetClient(w.ctx, w.deputy, secret.ID)
	require.ErrorIs(t, err, store.ErrNotFound)

	asOf := t0.AddDate(0, 0, 30)
	all, err := w.svc.OverdueContacts(w.ctx, w.manager1, w.manager1.ID, asOf)
	require.NoError(t, err)
	require.Len(t, all, 2, "the principal sees both")
	overdue, err := w.svc.OverdueContacts(w.ctx, w.deputy, w.manager1.ID, asOf)
	require.NoError(t, err)
	require.Len(t, overdue, 1)
	assert.Equal(t, shared.ID, overdue[0].ClientID)
}

// A page of delegations counts the ones the actor sees: delegations hidden
// from them do not shorten it.
func TestDelegationsPageCountsVisibleOnly(t *testing.T) {
	w := newWorld(t)
	from := t0.Add(time.Hour)
	to := from.AddDate(0, 0, 7)
	_, err := w.svc.Delegate(w.ctx, w.admin, crm.NewDelegation{Principal: w.outsider.ID, Deputy: w.deputy.ID, From: from, To: to})
	require.NoError(t, err)
	mine, err := w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.manager2.ID, From: from, To: to})
	require.NoError(t, err)

	all, err := store.Collect(w.svc.Delegations(w.ctx, w.manager1, crm.DelegationFilter{}, store.Page{}))
	require.NoError(t, err)
	require.Len(t, all, 1)
	for _, order := range []store.Order{store.Ascending, store.Descending} {
		page, err := store.Collect(w.svc.Delegations(w.ctx, w.manager1, crm.DelegationFilter{}, store.Page{Limit: 1, Order: order}))
		require.NoError(t, err)
		require.Len(t, page, 1, "order %s", order)
		assert.Equal(t, mine.ID, page[0].ID)
	}
	both, err := store.Collect(w.svc.Delegations(w.ctx, w.admin, crm.DelegationFilter{}, store.Page{Limit: 1}))
	require.NoError(t, err)
	assert.Len(t, both, 1, "the limit still holds")
}

// Correcting an interaction of a client the actor may not read is refused
// exactly like correcting one that does not exist: the error names
// neither the client nor tells that the interaction exists.
func TestCorrectInteractionHiddenLikeMissing(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	mine := w.create(t, w.outsider, company("Лютик", innYandex))
	it, err := w.svc.LogInteraction(w.ctx, w.manager1, crm.NewInteraction{ClientID: c.ID, Kind: crm.InteractionCall,
		Direction: crm.Outbound, At: t0, Outcome: crm.OutcomeReached, Subject: "price list"})
	require.NoError(t, err)
	in := crm.NewInteraction{Kind: crm.InteractionNote, At: t0, Summary: "probe"}

	missing := uuid.New()
	_, errMissing := w.svc.CorrectInteraction(w.ctx, w.outsider, missing, in)
	require.ErrorIs(t, errMissing, store.ErrNotFound)
	_, errHidden := w.svc.CorrectInteraction(w.ctx, w.outsider, it.ID, in)
	require.ErrorIs(t, errHidden, store.ErrNotFound)
	assert.NotContains(t, errHidden.Error(), c.ID.String(), "the refusal names the hidden client")
	assert.Equal(t, errMissing.Error(), replaceID(errHidden.Error(), it.ID.String(), missing.String()))
	in.ClientID = mine.ID
	_, errProbe := w.svc.CorrectInteraction(w.ctx, w.outsider, it.ID, in)
	assert.ErrorIs(t, errProbe, store.ErrNotFound, "got %v: the error tells that the interaction exists", errProbe)

	// Its own manager corrects it as before.
	fixed, err := w.svc.CorrectInteraction(w.ctx, w.manager1, it.ID, crm.NewInteraction{Kind: crm.InteractionCall,
		Direction: crm.Outbound, At: t0, Outcome: crm.OutcomeReached, Subject: "price list, corrected"})
	require.NoError(t, err)
	assert.Equal(t, it.ID, fixed.Corrects)
}

func replaceID(s, from, to string) string {
	for i := 0; i+len(from) <= len(s); i++ {
		if s[i:i+len(from)] == from {
			return s[:i] + to + s[i+len(from):]
		}
	}
	return s
}

// NewService keeps its own copy of the activity policy: it does not write
// the Service's zone into the caller's value, and two services given one
// value judge days each in its own zone.
func TestNewServiceCopiesPolicies(t *testing.T) {
	ctx := context.Background()
	team := crm.NewTeam()
	me := uuid.MustParse("00000000-0000-7000-8000-000000000001")
	require.NoError(t, team.Add(me, uuid.Nil, crm.RoleManager))
	actor, err := team.Actor(ctx, me)
	require.NoError(t, err)
	policy := crm.DefaultActivityPolicy()
	cadence := crm.DefaultCadence()
	_, err = crm.NewService(memory.New(), crm.Options{Directory: team, Activity: &policy, Cadence: cadence, Location: msk})
	require.NoError(t, err)
	assert.Nil(t, policy.Location, "NewService changed the caller's policy")

	clk := clock.NewStepping(time.Date(2026, 3, 2, 22, 30, 0, 0, time.UTC), time.Second)
	utc, err := crm.NewService(memory.New(), crm.Options{Directory: team, Activity: &policy, Cadence: cadence, Location: time.UTC,
		Clock: clock.Options{Now: clk.Now}})
	require.NoError(t, err)
	// Changing the caller's values afterwards reaches neither service.
	policy.DormantAfterDays = -5
	cadence[crm.TierVIP] = -1

	nc := company("Ромашка", innSber)
	nc.Stage = crm.StageCustomer
	c, _, err := utc.CreateClient(ctx, actor, nc)
	require.NoError(t, err)
	// 22:30 UTC on 2 March is 3 March in Moscow: day 90 in UTC only.
	changes, err := utc.ApplyActivityPolicy(ctx, actor, time.Date(2026, 5, 31, 20, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Len(t, changes, 1, "the UTC service judged the days in Moscow time")
	assert.Equal(t, c.ID, changes[0].ClientID)
	assert.Equal(t, crm.StageDormant, changes[0].To)
}
