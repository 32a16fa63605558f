package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

type parityWorld struct {
	svc   *crm.Service
	clk   *clock.Stepping
	actor crm.Actor
	cl    crm.Client
}

func newParityWorld(t *testing.T, st crm.Store) *parityWorld {
	team := crm.NewTeam()
	manager := uuid.MustParse("00000000-0000-7000-8000-0000000000aa")
	require.NoError(t, team.Add(manager, uuid.Nil, crm.RoleManager))
	actor, err := team.Actor(context.Background(), manager)
	require.NoError(t, err)
	clk := clock.NewStepping(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), time.Second)
	svc, err := crm.NewService(st, crm.Options{
		Clock:     clock.Options{Now: clk.Now, NewID: clock.Sequential(1)},
		Directory: team,
	})
	require.NoError(t, err)
	c, _, err := svc.CreateClient(context.Background(), actor, crm.NewClient{
		Card: crm.Card{Kind: crm.KindCompany, LegalName: "ООО «Паритет»",
			TaxIDs: []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: "7707083893"}}},
		Contacts: []crm.Contact{{FirstName: "Анна", Phones: []string{"+79161234567"}}},
	})
	require.NoError(t, err)
	return &parityWorld{svc: svc, clk: clk, actor: actor, cl: c}
}

// paritySequence runs one sequence of complaint operations and returns what
// the service reports back from the store afterwards.
func paritySequence(t *testing.T, w *parityWorld) ([]crm.Complaint, []crm.Event) {
	ctx := context.Background()
	msk := time.FixedZone("MSK", 3*3600)
	w.clk.Set(time.Date(2026, 3, 9, 10, 0, 0, 0, msk))
	mk := func(sub string, when time.Time, val string) crm.Complaint {
		v, err := money.ParseCode(val, "RUB")
		require.NoError(t, err)
		c, err := w.svc.ReceiveComplaint(ctx, w.actor, crm.NewComplaint{ClientID: w.cl.ID, Channel: crm.ChannelEmail,
			ReceivedAt: when, Subject: sub, Description: "Коробки пришли смятыми, плитка разбита при перевозке",
			Refs: crm.ComplaintRefs{SKU: "PLT-40", Quantity: dec("12.500"), Unit: "шт", DocumentKind: crm.DocumentUPD,
				Document: "УПД-1", DocumentDate: crm.Date{Year: 2026, Month: 3, Day: 5}},
			Requested: crm.Remedy{Kind: crm.RemedyRefund, Value: v}})
		require.NoError(t, err)
		return c
	}
	a := mk("a", time.Date(2026, 3, 9, 9, 15, 0, 123456789, msk), "18750.50")
	b := mk("b", time.Date(2026, 3, 9, 9, 15, 0, 123456789, msk), "100")
	c := mk("c", time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC), "0.10")

	_, err := w.svc.CategorizeComplaint(ctx, w.actor, a.ID, rootcause.Facts{DamageNotedOnDelivery: true})
	require.NoError(t, err)
	_, err = w.svc.ConfirmRootCause(ctx, w.actor, a.ID, crm.RootCauseInput{Code: "TRANSIT_DAMAGE", Text: "паллеты"})
	require.NoError(t, err)
	_, err = w.svc.EditComplaint(ctx, w.actor, a.ID, func(d *crm.ComplaintDraft) error {
		d.Whys = []string{"one", "two", "three"}
		d.Severity = crm.SeverityHigh
		return nil
	})
	require.NoError(t, err)
	a2, err := w.svc.AddComplaintAction(ctx, w.actor, a.ID, crm.NewComplaintAction{Kind: crm.ActionCorrective,
		Description: "fix", Due: crm.Date{Year: 2026, Month: 3, Day: 20}})
	require.NoError(t, err)
	_, err = w.svc.CompleteComplaintAction(ctx, w.actor, a.ID, a2.Actions[0].ID, "done")
	require.NoError(t, err)
	amt, _ := money.ParseCode("1500.5", "RUB")
	_, err = w.svc.RecordCompensation(ctx, w.actor, a.ID, crm.NewCompensation{Kind: crm.CompensationCreditNote,
		Amount: amt, Reference: "КСФ-1", LinkedID: uuid.MustParse("00000000-0000-7000-8000-0000000000f1")})
	require.NoError(t, err)
	_, err = w.svc.RecordCompensation(ctx, w.actor, a.ID, crm.NewCompensation{Kind: crm.CompensationReplacementOrder,
		Amount: money.Zero(money.RUB), Reference: "ЗК-2"})
	require.NoError(t, err)
	_, err = w.svc.HoldComplaint(ctx, w.actor, a.ID, "ждём фото")
	require.NoError(t, err)
	w.clk.Set(time.Date(2026, 3, 10, 12, 0, 0, 0, msk))
	_, err = w.svc.ResumeComplaint(ctx, w.actor, a.ID, "")
	require.NoError(t, err)
	for _, to := range []crm.ComplaintStatus{crm.ComplaintAcknowledged, crm.ComplaintInvestigating} {
		_, err = w.svc.MoveComplaint(ctx, w.actor, a.ID, crm.ComplaintMove{To: to})
		require.NoError(t, err)
	}
	part, _ := money.ParseCode("9000.000", "RUB")
	_, err = w.svc.MoveComplaint(ctx, w.actor, a.ID, crm.ComplaintMove{To: crm.ComplaintResolved,
		Resolution: &crm.ResolutionInput{Outcome: crm.ResolutionPartial, Reason: "half", Remedy: crm.Remedy{Kind: crm.RemedyDiscount, Value: part}}})
	require.NoError(t, err)
	_, err = w.svc.MoveComplaint(ctx, w.actor, b.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: a.ID})
	require.NoError(t, err)
	_, err = w.svc.HoldComplaint(ctx, w.actor, c.ID, "ждём акт")
	require.NoError(t, err)

	var out []crm.Complaint
	for _, id := range []uuid.UUID{a.ID, b.ID, c.ID} {
		got, err := w.svc.GetComplaint(ctx, w.actor, id)
		require.NoError(t, err)
		out = append(out, got)
	}
	for _, f := range []crm.ComplaintFilter{{}, {Statuses: []crm.ComplaintStatus{crm.ComplaintReceived}},
		{OverdueAt: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}} {
		for _, o := range []store.Order{store.Ascending, store.Descending} {
			list, err := store.Collect(w.svc.ListComplaints(ctx, w.actor, f, store.Page{Order: o}))
			require.NoError(t, err)
			out = append(out, list...)
			out = append(out, crm.Complaint{}) // separator
		}
	}
	evs, err := store.Collect(w.svc.Timeline(ctx, w.actor, w.cl.ID, store.Page{}))
	require.NoError(t, err)
	return out, evs
}

// The same sequence of complaint operations through crm.Service gives the
// same complaints, listings and timeline on the memory store and on
// PostgreSQL: every field, money at its scale, instants to the
// microsecond, equal receipt instants ordered by id.
func TestComplaintsSameOnMemoryAndPostgres(t *testing.T) {
	mem, memEv := paritySequence(t, newParityWorld(t, memory.New()))
	pg, pgEv := paritySequence(t, newParityWorld(t, newFixture(t).st))
	require.Equal(t, len(mem), len(pg))
	for i := range mem {
		require.Equal(t, mem[i], pg[i], "record %d", i)
	}
	require.Equal(t, len(memEv), len(pgEv))
	for i := range memEv {
		require.Equal(t, memEv[i], pgEv[i], "event %d", i)
	}
}
