package crm_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// Marking a complaint as a duplicate of a complaint the actor may not read
// must fail exactly like marking it a duplicate of one that does not exist:
// otherwise the error is an oracle for complaints of hidden clients.
func TestDuplicateOfHiddenComplaintLikeMissing(t *testing.T) {
	w := newWorld(t)
	hidden := w.create(t, w.manager1, company("Ромашка", innSber))
	hc := w.received(t, w.manager1, hidden)
	mine := w.create(t, w.outsider, company("Лютик", innYandex))
	mc, err := w.svc.ReceiveComplaint(w.ctx, w.outsider, complaintOf(mine, mskAt(2026, 3, 7, 11, 0)))
	require.NoError(t, err)

	_, errHidden := w.svc.GetComplaint(w.ctx, w.outsider, hc.ID)
	require.ErrorIs(t, errHidden, store.ErrNotFound, "the outsider may not read the other complaint")

	missing := uuid.New()
	_, errMissing := w.svc.MoveComplaint(w.ctx, w.outsider, mc.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: missing})
	_, errProbe := w.svc.MoveComplaint(w.ctx, w.outsider, mc.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: hc.ID})
	require.Error(t, errMissing)
	require.Error(t, errProbe)
	assert.Equal(t, errMissing.Error(), strings.ReplaceAll(errProbe.Error(), hc.ID.String(), missing.String()),
		"a hidden complaint is told apart from a missing one")
}

// Delegate gives a deputy the principal's rights. A manager standing in
// for a credit controller must see what the credit controller sees on a
// client neither of them owns — credit data, but not the internal notes
// that the policy keeps from credit controllers.
func TestDeputyGetsNoMoreThanPrincipalsConfidentiality(t *testing.T) {
	w := newWorld(t)
	nc := company("Ромашка", innSber)
	nc.InternalNotes = "max discount 7%, owner's brother-in-law"
	c := w.create(t, w.manager1, nc)
	_, err := w.svc.SetCredit(w.ctx, w.credit, c.ID, crm.CreditProfile{Limit: money.MustParse("100000", money.RUB), Rating: "B"})
	require.NoError(t, err)

	asPrincipal, err := w.svc.GetClient(w.ctx, w.credit, c.ID)
	require.NoError(t, err)
	require.Empty(t, asPrincipal.InternalNotes, "the credit controller may not see internal notes")
	_, err = w.svc.GetClient(w.ctx, w.deputy, c.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "the deputy, on their own rights, may not read the client at all")

	from := t0.Add(time.Hour)
	_, err = w.svc.Delegate(w.ctx, w.credit, crm.NewDelegation{Deputy: w.deputy.ID, From: from, To: from.AddDate(0, 0, 7), Reason: "vacation"})
	require.NoError(t, err)
	w.clock.Set(from.Add(time.Hour))

	asDeputy, err := w.svc.GetClient(w.ctx, w.deputy, c.ID)
	require.NoError(t, err)
	assert.False(t, asDeputy.Credit.IsZero(), "the deputy sees the credit data, as the principal does")
	assert.Empty(t, asDeputy.InternalNotes, "the deputy sees internal notes neither they nor the principal may see")
	assert.Contains(t, asDeputy.Redacted, crm.ClassInternal)

	listed, err := store.Collect(w.svc.ListClients(w.ctx, w.deputy, crm.ClientFilter{IDs: []uuid.UUID{c.ID}}, store.Page{}))
	require.NoError(t, err)
	require.Len(t, listed, 1)
	assert.Empty(t, listed[0].InternalNotes, "ListClients leaks the internal notes too")
}

// Delegations: "their own (as principal or deputy), their team's for a head
// of sales, everyone's for an admin or auditor". A credit controller is
// none of these and must not list who stands in for whom.
func TestCreditControllerDoesNotSeeOthersDelegations(t *testing.T) {
	w := newWorld(t)
	from := t0.Add(time.Hour)
	_, err := w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.manager2.ID, From: from, To: from.AddDate(0, 0, 7), Reason: "sick leave"})
	require.NoError(t, err)
	seen, err := store.Collect(w.svc.Delegations(w.ctx, w.credit, crm.DelegationFilter{}, store.Page{}))
	require.NoError(t, err)
	assert.Empty(t, seen, "a credit controller lists other people's delegations")
}

// Cancelling a delegation the actor may not see is refused like
// cancelling one that does not exist; one they may see but not change
// is forbidden.
func TestCancelHiddenDelegationLikeMissing(t *testing.T) {
	w := newWorld(t)
	from := t0.Add(time.Hour)
	d, err := w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.manager2.ID, From: from, To: from.AddDate(0, 0, 7)})
	require.NoError(t, err)
	_, errMissing := w.svc.CancelDelegation(w.ctx, w.outsider, uuid.New())
	require.ErrorIs(t, errMissing, store.ErrNotFound)
	_, errHidden := w.svc.CancelDelegation(w.ctx, w.outsider, d.ID)
	require.ErrorIs(t, errHidden, store.ErrNotFound, "the outsider may not learn that the delegation exists")
	_, err = w.svc.CancelDelegation(w.ctx, w.auditor, d.ID)
	require.ErrorIs(t, err, crm.ErrForbidden, "an auditor sees it but may not cancel it")
	_, err = w.svc.CancelDelegation(w.ctx, w.manager1, d.ID)
	require.NoError(t, err)
}
