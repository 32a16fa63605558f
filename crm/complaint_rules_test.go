package crm_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// dupGate is a memory store that holds every goroutine tagged in its
// context at its second GetComplaint (the read of the duplicate's
// original) until both tagged goroutines have made it: two managers
// marking two complaints as duplicates of each other at the same time.
type dupGate struct {
	*memory.Store
	mu    sync.Mutex
	reads map[string]int
	wg    sync.WaitGroup
}

type dupGateKey struct{}

func (g *dupGate) GetComplaint(ctx context.Context, id uuid.UUID) (crm.Complaint, error) {
	c, err := g.Store.GetComplaint(ctx, id)
	if who, ok := ctx.Value(dupGateKey{}).(string); ok {
		g.mu.Lock()
		g.reads[who]++
		n := g.reads[who]
		g.mu.Unlock()
		if n == 2 {
			g.wg.Done()
			g.wg.Wait()
		}
	}
	return c, err
}

func TestConcurrentCrossDuplicatesMakeNoCycle(t *testing.T) {
	gate := &dupGate{Store: memory.New(), reads: map[string]int{}}
	w := &world{ctx: context.Background(), st: gate.Store, clock: clock.NewStepping(t0, 0), team: crm.NewTeam()}
	mid := uuid.MustParse("00000000-0000-7000-8000-0000000000a1")
	require.NoError(t, w.team.Add(mid, uuid.Nil, crm.RoleAdmin))
	admin, err := w.team.Actor(w.ctx, mid)
	require.NoError(t, err)
	w.svc, err = crm.NewService(gate, crm.Options{Clock: clock.Options{Now: w.clock.Now}, Directory: w.team})
	require.NoError(t, err)
	c := w.create(t, admin, company("Ромашка", innSber))
	a := w.received(t, admin, c)
	b := w.received(t, admin, c)

	gate.wg.Add(2)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() {
		_, errs[0] = w.svc.MoveComplaint(context.WithValue(w.ctx, dupGateKey{}, "m1"), admin, a.ID,
			crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: b.ID})
	})
	wg.Go(func() {
		_, errs[1] = w.svc.MoveComplaint(context.WithValue(w.ctx, dupGateKey{}, "m2"), admin, b.ID,
			crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: a.ID})
	})
	wg.Wait()

	ga, err := w.svc.GetComplaint(w.ctx, admin, a.ID)
	require.NoError(t, err)
	gb, err := w.svc.GetComplaint(w.ctx, admin, b.ID)
	require.NoError(t, err)
	// At most one of the two may become a duplicate: otherwise each points
	// at a duplicate, and the claim vanishes from every Pareto analysis.
	bothDup := ga.Status == crm.ComplaintDuplicate && gb.Status == crm.ComplaintDuplicate
	assert.False(t, bothDup, "cycle: %s duplicates %s and %s duplicates %s (errors %v)",
		ga.ID, ga.DuplicateOf, gb.ID, gb.DuplicateOf, errs)
}

func TestOriginalOfADuplicateCannotBecomeADuplicate(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	o := w.received(t, w.manager1, c) // the first filing
	b := w.received(t, w.manager1, c)
	a := w.received(t, w.manager1, c)
	_, err := w.svc.MoveComplaint(w.ctx, w.manager1, a.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: b.ID})
	require.NoError(t, err)
	// b, which a duplicates, is now itself marked a duplicate of o.
	_, err = w.svc.MoveComplaint(w.ctx, w.manager1, b.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: o.ID})
	var ce *crm.ComplaintError
	require.ErrorAs(t, err, &ce, "a complaint that others duplicate is an original: no chain a → b → o")
	assert.Equal(t, crm.ComplaintBadDuplicate, ce.Reason)
	// Nor can an earlier filing be marked a duplicate of a later one.
	_, err = w.svc.MoveComplaint(w.ctx, w.manager1, o.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: b.ID})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, crm.ComplaintBadDuplicate, ce.Reason)
}

func TestRootCauseKeepsTheSuggestionItWasJudgedAgainst(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	w.clock.Set(mskAt(2026, 3, 7, 12, 0))
	in := complaintOf(c, mskAt(2026, 3, 7, 10, 0))
	in.Subject, in.Description = "Претензия", "Претензия по поставке по заказу ЗК-1024, просим разобраться."
	cp, err := w.svc.ReceiveComplaint(w.ctx, w.manager1, in)
	require.NoError(t, err)
	cp, err = w.svc.CategorizeComplaint(w.ctx, w.manager1, cp.ID, rootcause.Facts{DamageNotedOnDelivery: true})
	require.NoError(t, err)
	first := cp.Suggestion.Code
	cp, err = w.svc.ConfirmRootCause(w.ctx, w.manager1, cp.ID, crm.RootCauseInput{Code: first, Text: "согласен"})
	require.NoError(t, err)
	require.True(t, cp.RootCause.AgreesWithSuggestion)

	// Someone runs the categoriser again, with other facts.
	cp, err = w.svc.CategorizeComplaint(w.ctx, w.manager1, cp.ID, rootcause.Facts{DaysLate: 20})
	require.NoError(t, err)
	require.NotNil(t, cp.RootCause)
	// The confirmation keeps the suggestion it agreed with, whatever the
	// categoriser says later.
	assert.Equal(t, first, cp.RootCause.Suggested)
	assert.True(t, cp.RootCause.AgreesWithSuggestion)
	assert.NotEqual(t, first, cp.Suggestion.Code, "setup: the new suggestion differs")
}

func TestSeverityChangeKeepsAnsweredDeadlines(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	w.clock.Set(mskAt(2026, 3, 7, 12, 0))
	in := complaintOf(c, mskAt(2026, 3, 7, 10, 0))
	in.Severity = crm.SeverityHigh // 4 business hours to acknowledge: Monday 13:00
	cp, err := w.svc.ReceiveComplaint(w.ctx, w.manager1, in)
	require.NoError(t, err)
	w.clock.Set(mskAt(2026, 3, 9, 16, 0)) // acknowledged three hours late
	cp, err = w.svc.MoveComplaint(w.ctx, w.manager1, cp.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged})
	require.NoError(t, err)
	sla, err := w.svc.ComplaintSLA(w.ctx, w.manager1, cp.ID, mskAt(2026, 3, 9, 17, 0))
	require.NoError(t, err)
	require.Equal(t, crm.SLABreached, sla.Acknowledge.State)

	// The next day the severity is lowered.
	w.clock.Set(mskAt(2026, 3, 10, 10, 0))
	_, err = w.svc.EditComplaint(w.ctx, w.manager1, cp.ID, func(d *crm.ComplaintDraft) error {
		d.Severity = crm.SeverityMedium
		return nil
	})
	require.NoError(t, err)
	sla, err = w.svc.ComplaintSLA(w.ctx, w.manager1, cp.ID, mskAt(2026, 3, 10, 10, 0))
	require.NoError(t, err)
	assert.Equal(t, crm.SLABreached, sla.Acknowledge.State,
		"an acknowledgement sent late stays late: editing the severity afterwards rewrote the deadline it was judged against")
}

func TestHoldDoesNotHideAnOverdueComplaint(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	cp := w.received(t, w.manager1, c)     // acknowledgement due Monday 9 March 18:00
	w.clock.Set(mskAt(2026, 3, 11, 10, 0)) // two days late, still not acknowledged
	over, err := store.Collect(w.svc.OverdueComplaints(w.ctx, w.manager1, w.clock.Now(), store.Page{}))
	require.NoError(t, err)
	require.Len(t, over, 1)

	_, err = w.svc.HoldComplaint(w.ctx, w.manager1, cp.ID, "ждём фото")
	require.NoError(t, err)
	asOf := mskAt(2026, 3, 11, 11, 0)
	sla, err := w.svc.ComplaintSLA(w.ctx, w.manager1, cp.ID, asOf)
	require.NoError(t, err)
	require.Equal(t, crm.SLABreached, sla.Acknowledge.State, "breached before the hold: stays breached")
	over, err = store.Collect(w.svc.OverdueComplaints(w.ctx, w.manager1, asOf, store.Page{}))
	require.NoError(t, err)
	assert.Len(t, over, 1, "a complaint whose SLA reports a breached, unanswered deadline is missing from the overdue list")
}

func TestParetoZeroCompensationInAnotherCurrency(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	cp := w.received(t, w.manager1, c)
	_, err := w.svc.RecordCompensation(w.ctx, w.manager1, cp.ID, crm.NewCompensation{Kind: crm.CompensationCreditNote,
		Amount: rub("1500.00"), Reference: "КСФ-1"})
	require.NoError(t, err)
	// A replacement order recorded at no charge, its zero in euros.
	_, err = w.svc.RecordCompensation(w.ctx, w.manager1, cp.ID, crm.NewCompensation{Kind: crm.CompensationReplacementOrder,
		Amount: money.Zero(money.EUR), Reference: "ЗК-2"})
	require.NoError(t, err)
	rep, err := w.svc.ComplaintPareto(w.ctx, w.manager1, crm.ParetoQuery{})
	require.NoError(t, err, "a zero cost has no currency to mix up (rootcause.Pareto), but the complaint's own sum fails")
	assert.True(t, rub("1500").Equal(rep.TotalCost))
}

func TestComplaintMoneyValidated(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	cp := w.received(t, w.manager1, c) // asks for RUB 18 750.00
	t.Run("credit note in fractions of a kopeck", func(t *testing.T) {
		_, err := w.svc.RecordCompensation(w.ctx, w.manager1, cp.ID, crm.NewCompensation{Kind: crm.CompensationCreditNote,
			Amount: rub("1500.005"), Reference: "КСФ-1"})
		assert.ErrorIs(t, err, crm.ErrInvalid, "a credit note of RUB 1500.005 cannot be issued or paid")
	})
	t.Run("compensation in another currency than the claim", func(t *testing.T) {
		_, err := w.svc.RecordCompensation(w.ctx, w.manager1, cp.ID, crm.NewCompensation{Kind: crm.CompensationRefund,
			Amount: money.MustParse("200.00", money.USD), Reference: "RF-1"})
		assert.ErrorIs(t, err, crm.ErrInvalid, "a USD refund on a RUB claim makes every ComplaintPareto over it fail")
		_, perr := w.svc.ComplaintPareto(w.ctx, w.manager1, crm.ParetoQuery{})
		assert.NoError(t, perr)
	})
	t.Run("partly granted more than asked", func(t *testing.T) {
		for _, st := range []crm.ComplaintStatus{crm.ComplaintAcknowledged, crm.ComplaintInvestigating} {
			_, err := w.svc.MoveComplaint(w.ctx, w.manager1, cp.ID, crm.ComplaintMove{To: st})
			require.NoError(t, err)
		}
		_, err := w.svc.MoveComplaint(w.ctx, w.manager1, cp.ID, crm.ComplaintMove{To: crm.ComplaintResolved,
			Resolution: &crm.ResolutionInput{Outcome: crm.ResolutionPartial, Reason: "часть",
				Remedy: crm.Remedy{Kind: crm.RemedyDiscount, Value: rub("187500.00")}}})
		assert.Error(t, err, "'partly granted' ten times the value asked for")
	})
}

func TestDuplicateCompensationCountsOnItsOriginal(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	orig := w.received(t, w.manager1, c)
	dup := w.received(t, w.manager1, c)
	// A credit note was issued on the second filing before anyone saw it
	// repeats the first.
	_, err := w.svc.RecordCompensation(w.ctx, w.manager1, dup.ID, crm.NewCompensation{Kind: crm.CompensationCreditNote,
		Amount: rub("5000.00"), Reference: "КСФ-9"})
	require.NoError(t, err)
	_, err = w.svc.MoveComplaint(w.ctx, w.manager1, dup.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: orig.ID})
	require.NoError(t, err)
	rep, err := w.svc.ComplaintPareto(w.ctx, w.manager1, crm.ParetoQuery{})
	require.NoError(t, err)
	assert.True(t, rub("5000").Equal(rep.TotalCost), "RUB 5000 paid out is missing from the cost analysis: total %s", rep.TotalCost)
}

// A resolution without an outcome names the missing field in Russian
// words, not by its JSON name.
func TestResolutionOutcomeMissingMessage(t *testing.T) {
	e := &crm.ComplaintError{Reason: crm.ComplaintMoveIncomplete, To: crm.ComplaintResolved, Field: "resolution.outcome"}
	assert.NotContains(t, e.Message("ru"), "resolution.outcome")
	assert.Contains(t, e.Message("ru"), "результат рассмотрения")
	assert.Contains(t, e.Message("en"), "resolution.outcome")
}
