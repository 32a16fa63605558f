package crm_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/money"
)

func TestComplaintPareto(t *testing.T) {
	w := newWorld(t)
	mine := w.create(t, w.manager1, company("Ромашка", innSber))
	theirs := w.create(t, w.manager2, company("Лютик", innYandex))
	w.clock.Set(mskAt(2026, 3, 20, 12, 0))

	file := func(actor crm.Actor, c crm.Client, day int, cause string, credit string) crm.Complaint {
		t.Helper()
		cp, err := w.svc.ReceiveComplaint(w.ctx, actor, complaintOf(c, mskAt(2026, 3, day, 10, 0)))
		require.NoError(t, err)
		if cause != "" {
			cp, err = w.svc.ConfirmRootCause(w.ctx, actor, cp.ID, crm.RootCauseInput{Code: cause, Text: "найдено"})
			require.NoError(t, err)
		}
		if credit != "" {
			cp, err = w.svc.RecordCompensation(w.ctx, actor, cp.ID, crm.NewCompensation{
				Kind: crm.CompensationCreditNote, Amount: rub(credit), Reference: "КСФ-1"})
			require.NoError(t, err)
		}
		return cp
	}
	file(w.manager1, mine, 2, "TRANSIT_DAMAGE", "9000")
	file(w.manager1, mine, 3, "TRANSIT_DAMAGE", "1000")
	file(w.manager1, mine, 4, "PRICE_ERROR", "500")
	first := file(w.manager1, mine, 5, "LATE_DELIVERY", "")
	// A duplicate of the late delivery never counts twice.
	dup := file(w.manager1, mine, 6, "", "")
	_, err := w.svc.MoveComplaint(w.ctx, w.manager1, dup.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: first.ID})
	require.NoError(t, err)
	// Not yet confirmed: counts under the categoriser's suggestion, unless ConfirmedOnly.
	unconfirmed, err := w.svc.CategorizeComplaint(w.ctx, w.manager1, file(w.manager1, mine, 7, "", "").ID, rootcause.Facts{})
	require.NoError(t, err)
	require.NotNil(t, unconfirmed.Suggestion)
	// Another manager's client: manager1 must not see it.
	file(w.manager2, theirs, 8, "PRODUCT_DEFECT", "50000")

	rep, err := w.svc.ComplaintPareto(w.ctx, w.manager1, crm.ParetoQuery{ConfirmedOnly: true})
	require.NoError(t, err)
	assert.Equal(t, 4, rep.TotalCount)
	assert.True(t, rep.TotalCost.Equal(rub("10500")))
	require.NotEmpty(t, rep.Rows)
	assert.Equal(t, "TRANSIT_DAMAGE", rep.Rows[0].Key)
	assert.Equal(t, 2, rep.Rows[0].Count)
	assert.True(t, rep.Rows[0].Cost.Equal(rub("10000")))
	assert.Equal(t, 1, rep.CutGroups, "one cause of three is 95% of cost")

	all, err := w.svc.ComplaintPareto(w.ctx, w.manager1, crm.ParetoQuery{Options: rootcause.ParetoOptions{Measure: rootcause.ByCount}})
	require.NoError(t, err)
	assert.Equal(t, 5, all.TotalCount, "the suggested cause counts; the duplicate does not")

	// The head sees both managers' clients; by client, by cost.
	byClient, err := w.svc.ComplaintPareto(w.ctx, w.head, crm.ParetoQuery{Options: rootcause.ParetoOptions{Dimension: rootcause.ByClient}})
	require.NoError(t, err)
	require.NotEmpty(t, byClient.Rows)
	assert.Equal(t, theirs.ID.String(), byClient.Rows[0].Key)
	assert.True(t, byClient.TotalCost.Equal(rub("60500")))

	// By responsible party: the category's usual party when none is set.
	byParty, err := w.svc.ComplaintPareto(w.ctx, w.manager1, crm.ParetoQuery{ConfirmedOnly: true,
		Options: rootcause.ParetoOptions{Dimension: rootcause.ByParty}})
	require.NoError(t, err)
	assert.Equal(t, string(rootcause.PartyCarrier), byParty.Rows[0].Key)

	// This month against the last: everything is in March.
	march := rootcause.Month(2026, time.March, msk)
	cmp, err := w.svc.CompareComplaintPareto(w.ctx, w.manager1, crm.ParetoQuery{ConfirmedOnly: true}, march, march.Previous())
	require.NoError(t, err)
	assert.Equal(t, 4, cmp.Current.TotalCount)
	assert.Equal(t, 0, cmp.Previous.TotalCount)

	// Bad options are the categoriser's typed errors.
	_, err = w.svc.ComplaintPareto(w.ctx, w.manager1, crm.ParetoQuery{Options: rootcause.ParetoOptions{Target: 2}})
	require.Error(t, err)

	// One complaint's money is in one currency: a USD credit note on a
	// claim for roubles is refused.
	usd := file(w.manager1, mine, 9, "PRICE_ERROR", "")
	_, err = w.svc.RecordCompensation(w.ctx, w.manager1, usd.ID, crm.NewCompensation{
		Kind: crm.CompensationCreditNote, Amount: money.MustParse("10", money.USD), Reference: "CN-2"})
	var ve *crm.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "amount", ve.Field)
	// Complaints in two currencies cannot be summed.
	in := complaintOf(mine, mskAt(2026, 3, 10, 10, 0))
	in.Requested = crm.Remedy{Kind: crm.RemedyRefund, Value: money.MustParse("100", money.USD)}
	other, err := w.svc.ReceiveComplaint(w.ctx, w.manager1, in)
	require.NoError(t, err)
	_, err = w.svc.RecordCompensation(w.ctx, w.manager1, other.ID, crm.NewCompensation{
		Kind: crm.CompensationCreditNote, Amount: money.MustParse("10", money.USD), Reference: "CN-2"})
	require.NoError(t, err)
	_, err = w.svc.ComplaintPareto(w.ctx, w.manager1, crm.ParetoQuery{})
	assert.ErrorIs(t, err, money.ErrCurrencyMismatch)
}
