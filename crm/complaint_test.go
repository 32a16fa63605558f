package crm_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/crm/worktime"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

var msk = time.FixedZone("MSK", 3*3600)

// mskAt is a wall-clock time in Moscow.
func mskAt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, msk)
}

func rub(s string) money.Amount { return money.MustParse(s, money.RUB) }

// complaintOf returns a valid complaint of client c received at when.
func complaintOf(c crm.Client, when time.Time) crm.NewComplaint {
	return crm.NewComplaint{
		ClientID: c.ID,
		Contact:  c.Contacts[0].ID,
		Refs: crm.ComplaintRefs{Order: "ЗК-1024", Invoice: "СЧ-77", DocumentKind: crm.DocumentUPD, Document: "УПД-5531",
			DocumentDate: crm.Date{Year: 2026, Month: 3, Day: 5}, SKU: "PLT-40", Batch: "B-2026-02",
			Quantity: decimal.RequireFromString("12.5"), Unit: "шт"},
		Channel:     crm.ChannelEmail,
		ReceivedAt:  when,
		Subject:     "Бой при доставке",
		Description: "Коробки пришли смятыми, 12 плиток разбиты при перевозке, в накладной отметка водителя.",
		Severity:    crm.SeverityMedium,
		Requested:   crm.Remedy{Kind: crm.RemedyReplacement, Value: rub("18750.00")},
	}
}

// received sets the clock to Saturday 7 March 2026 noon (Moscow) and
// files a complaint received at 10:00 that day.
func (w *world) received(t *testing.T, actor crm.Actor, c crm.Client) crm.Complaint {
	t.Helper()
	w.clock.Set(mskAt(2026, 3, 7, 12, 0))
	got, err := w.svc.ReceiveComplaint(w.ctx, actor, complaintOf(c, mskAt(2026, 3, 7, 10, 0)))
	require.NoError(t, err)
	return got
}

func TestComplaintLifecycle(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	cp := w.received(t, w.manager1, c)

	assert.Equal(t, crm.ComplaintReceived, cp.Status)
	assert.Equal(t, store.Version(1), cp.Version)
	assert.Equal(t, w.manager1.ID, cp.Handler)
	// Received on Saturday: the clock starts on Monday at 09:00. One
	// business day (8 hours, with the lunch break) to acknowledge, ten to
	// resolve.
	assert.True(t, mskAt(2026, 3, 9, 18, 0).Equal(cp.AcknowledgeDue), "ack due %s", cp.AcknowledgeDue.In(msk))
	assert.True(t, mskAt(2026, 3, 20, 18, 0).Equal(cp.ResolveDue), "resolve due %s", cp.ResolveDue.In(msk))
	assert.Equal(t, "MSK", cp.SLAZone)

	sla, err := w.svc.ComplaintSLA(w.ctx, w.manager1, cp.ID, mskAt(2026, 3, 9, 10, 0))
	require.NoError(t, err)
	assert.Equal(t, crm.SLADue, sla.Acknowledge.State)
	assert.Equal(t, 7*time.Hour, sla.Acknowledge.Margin, "09:00–10:00 used, 7 business hours left")

	// A move the status machine does not allow.
	_, err = w.svc.MoveComplaint(w.ctx, w.manager1, cp.ID, crm.ComplaintMove{To: crm.ComplaintClosed})
	require.ErrorIs(t, err, crm.ErrTransition)
	require.ErrorIs(t, err, crm.ErrComplaint)
	var ce *crm.ComplaintError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "complaint_transition_not_allowed", ce.Code())
	assert.Equal(t, []crm.ComplaintStatus{crm.ComplaintAcknowledged, crm.ComplaintRejected, crm.ComplaintDuplicate}, ce.Allowed)
	assert.Contains(t, ce.Message("ru"), "«закрыта»")

	// Categorise, confirm, acknowledge, investigate, resolve, close.
	w.clock.Set(mskAt(2026, 3, 9, 9, 30))
	cp, err = w.svc.CategorizeComplaint(w.ctx, w.manager1, cp.ID, rootcause.Facts{DamageNotedOnDelivery: true})
	require.NoError(t, err)
	require.NotNil(t, cp.Suggestion)
	assert.NotEmpty(t, cp.Suggestion.Code)
	assert.NotEmpty(t, cp.Suggestion.Evidence, "the suggestion keeps its evidence")
	_, known := rootcause.DefaultTaxonomy().Category(rootcause.Code(cp.Suggestion.Code))
	assert.True(t, known)

	cp, err = w.svc.ConfirmRootCause(w.ctx, w.manager1, cp.ID, crm.RootCauseInput{Code: "TRANSIT_DAMAGE", Text: "водитель не закрепил паллеты"})
	require.NoError(t, err)
	assert.Equal(t, crm.PartyCarrier, cp.Responsible, "the category's usual party by default")
	assert.Equal(t, cp.Suggestion.Code == "TRANSIT_DAMAGE", cp.RootCause.AgreesWithSuggestion)
	assert.NotNil(t, cp.Suggestion, "the suggestion stays beside the confirmation")

	cp, err = w.svc.MoveComplaint(w.ctx, w.manager1, cp.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged, Reason: "ответили письмом"})
	require.NoError(t, err)
	cp, err = w.svc.MoveComplaint(w.ctx, w.manager1, cp.ID, crm.ComplaintMove{To: crm.ComplaintInvestigating})
	require.NoError(t, err)
	cp, err = w.svc.EditComplaint(w.ctx, w.manager1, cp.ID, func(d *crm.ComplaintDraft) error {
		d.Whys = []string{"плитки разбиты", "паллеты сдвинулись в кузове", "не закреплены ремнями", "нет требования в заявке перевозчику", "шаблон заявки устарел"}
		return nil
	})
	require.NoError(t, err)
	assert.Len(t, cp.Whys, 5)
	cp, err = w.svc.AddComplaintAction(w.ctx, w.manager1, cp.ID, crm.NewComplaintAction{Kind: crm.ActionImmediate,
		Description: "отгрузить замену", Due: crm.Date{Year: 2026, Month: 3, Day: 10}})
	require.NoError(t, err)
	cp, err = w.svc.AddComplaintAction(w.ctx, w.manager1, cp.ID, crm.NewComplaintAction{Kind: crm.ActionPreventive,
		Description: "обновить шаблон заявки", Owner: w.manager2.ID, Due: crm.Date{Year: 2026, Month: 3, Day: 31}})
	require.NoError(t, err)
	require.Len(t, cp.Actions, 2)
	assert.Equal(t, w.manager2.ID, cp.Actions[1].Owner)
	assert.True(t, cp.Actions[0].Overdue(mskAt(2026, 3, 11, 9, 0), msk))
	cp, err = w.svc.CompleteComplaintAction(w.ctx, w.manager1, cp.ID, cp.Actions[0].ID, "отгружено УПД-5600")
	require.NoError(t, err)
	assert.True(t, cp.Actions[0].Done())
	_, err = w.svc.CompleteComplaintAction(w.ctx, w.manager1, cp.ID, cp.Actions[0].ID, "")
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "complaint_action_done", ce.Code())

	replacement := uuid.MustParse("00000000-0000-7000-8000-0000000000f1")
	cp, err = w.svc.RecordCompensation(w.ctx, w.manager1, cp.ID, crm.NewCompensation{Kind: crm.CompensationReplacementOrder,
		Reference: "ЗК-1090", LinkedID: replacement})
	require.NoError(t, err)
	require.Len(t, cp.Compensations, 1)
	assert.Equal(t, replacement, cp.Compensations[0].LinkedID)

	_, err = w.svc.MoveComplaint(w.ctx, w.manager1, cp.ID, crm.ComplaintMove{To: crm.ComplaintResolved})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "complaint_transition_incomplete", ce.Code())
	assert.Equal(t, "resolution", ce.Field)
	w.clock.Set(mskAt(2026, 3, 12, 11, 0))
	cp, err = w.svc.MoveComplaint(w.ctx, w.manager1, cp.ID, crm.ComplaintMove{To: crm.ComplaintResolved,
		Resolution: &crm.ResolutionInput{Outcome: crm.ResolutionGranted}})
	require.NoError(t, err)
	require.NotNil(t, cp.Resolution)
	assert.Equal(t, crm.RemedyReplacement, cp.Resolution.Remedy.Kind, "granted defaults to the remedy asked for")
	assert.True(t, rub("18750").Equal(cp.Resolution.Remedy.Value))
	cp, err = w.svc.MoveComplaint(w.ctx, w.manager1, cp.ID, crm.ComplaintMove{To: crm.ComplaintClosed, Reason: "клиент доволен"})
	require.NoError(t, err)
	assert.Equal(t, crm.ComplaintClosed, cp.Status)

	// The status log is a chain, every entry with its actor.
	for i := 1; i < len(cp.StatusLog); i++ {
		assert.Equal(t, cp.StatusLog[i-1].To, cp.StatusLog[i].From)
		assert.Equal(t, w.manager1.ID, cp.StatusLog[i].By)
	}
	sla, err = w.svc.ComplaintSLA(w.ctx, w.manager1, cp.ID, mskAt(2026, 4, 1, 9, 0))
	require.NoError(t, err)
	assert.Equal(t, crm.SLAMet, sla.Acknowledge.State)
	assert.Equal(t, crm.SLAMet, sla.Resolve.State)
	assert.Equal(t, "resolve_met", sla.Resolve.Code())
	assert.Contains(t, sla.Resolve.Message("ru"), "срок соблюдён")

	// Closed is final.
	_, err = w.svc.EditComplaint(w.ctx, w.manager1, cp.ID, func(d *crm.ComplaintDraft) error { d.Subject = "x"; return nil })
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "complaint_final", ce.Code())

	// Everything is on the client's timeline, in the same writes.
	events, err := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{}))
	require.NoError(t, err)
	var lines []string
	for _, e := range events {
		if strings.HasPrefix(string(e.Kind), "complaint.") {
			assert.Equal(t, cp.ID, e.Subject)
			assert.Equal(t, w.manager1.ID, e.Actor)
			lines = append(lines, e.Describe("en"))
		}
	}
	assert.Equal(t, []string{
		"complaint received «Бой при доставке», severity medium",
		"complaint categorised: " + cp.Suggestion.Code + fmt.Sprintf(" (%.2f)", cp.Suggestion.Confidence),
		"root cause confirmed: TRANSIT_DAMAGE",
		"complaint received → acknowledged",
		"complaint acknowledged → investigating",
		"complaint changed: whys",
		"immediate action planned: отгрузить замену",
		"preventive action planned: обновить шаблон заявки",
		"immediate action completed",
		"compensation: replacement order № ЗК-1090",
		"complaint investigating → resolved (granted)",
		"complaint resolved → closed",
	}, lines)
}

func TestComplaintValidation(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	other := w.create(t, w.manager1, company("Лютик", innYandex))
	w.clock.Set(mskAt(2026, 3, 7, 12, 0))
	cases := []struct {
		name   string
		edit   func(*crm.NewComplaint)
		field  string
		reason crm.Reason
	}{
		{"no channel", func(n *crm.NewComplaint) { n.Channel = "" }, "channel", crm.ReasonRequired},
		{"unknown channel", func(n *crm.NewComplaint) { n.Channel = "pigeon" }, "channel", crm.ReasonUnknownValue},
		{"no receipt", func(n *crm.NewComplaint) { n.ReceivedAt = time.Time{} }, "received_at", crm.ReasonRequired},
		{"received tomorrow", func(n *crm.NewComplaint) { n.ReceivedAt = mskAt(2026, 3, 8, 12, 0) }, "received_at", crm.ReasonInFuture},
		{"received in 1900", func(n *crm.NewComplaint) { n.ReceivedAt = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) }, "received_at", crm.ReasonRange},
		{"no description", func(n *crm.NewComplaint) { n.Description = "  " }, "description", crm.ReasonRequired},
		{"binary subject", func(n *crm.NewComplaint) { n.Subject = "\x00\x01" }, "subject", crm.ReasonBadFormat},
		{"unknown severity", func(n *crm.NewComplaint) { n.Severity = "apocalyptic" }, "severity", crm.ReasonUnknownValue},
		{"value without remedy", func(n *crm.NewComplaint) { n.Requested.Kind = "" }, "requested.kind", crm.ReasonRequired},
		{"unknown remedy", func(n *crm.NewComplaint) { n.Requested.Kind = "apology" }, "requested.kind", crm.ReasonUnknownValue},
		{"negative value", func(n *crm.NewComplaint) { n.Requested.Value = rub("-1") }, "requested.value", crm.ReasonNegative},
		{"negative quantity", func(n *crm.NewComplaint) { n.Refs.Quantity = decimal.NewFromInt(-3) }, "refs.quantity", crm.ReasonNegative},
		{"absurd quantity", func(n *crm.NewComplaint) { n.Refs.Quantity = decimal.RequireFromString("1e30") }, "refs.quantity", crm.ReasonRange},
		{"bad document date", func(n *crm.NewComplaint) { n.Refs.DocumentDate = crm.Date{Year: 2026, Month: 2, Day: 30} }, "refs.document_date", crm.ReasonBadDate},
		{"unknown document kind", func(n *crm.NewComplaint) { n.Refs.DocumentKind = "papyrus" }, "refs.document_kind", crm.ReasonUnknownValue},
		{"long SKU", func(n *crm.NewComplaint) { n.Refs.SKU = strings.Repeat("x", 101) }, "refs.sku", crm.ReasonTooLong},
		{"another client's contact", func(n *crm.NewComplaint) { n.Contact = other.Contacts[0].ID }, "contact", crm.ReasonNotFound},
		{"no client", func(n *crm.NewComplaint) { n.ClientID = uuid.Nil }, "client_id", crm.ReasonRequired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := complaintOf(c, mskAt(2026, 3, 7, 10, 0))
			tc.edit(&in)
			_, err := w.svc.ReceiveComplaint(w.ctx, w.manager1, in)
			require.ErrorIs(t, err, crm.ErrInvalid)
			var ve *crm.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, tc.reason, ve.Reason)
		})
	}
	n, err := store.Collect(w.st.ListComplaints(w.ctx, crm.ComplaintFilter{}, store.Page{}))
	require.NoError(t, err)
	assert.Empty(t, n, "nothing half-written")
}

func TestComplaintMoves(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	other := w.create(t, w.manager1, company("Лютик", innYandex))
	first := w.received(t, w.manager1, c)
	second := w.received(t, w.manager1, c)
	foreign := w.received(t, w.manager1, other)
	move := func(id uuid.UUID, m crm.ComplaintMove) (crm.Complaint, error) {
		return w.svc.MoveComplaint(w.ctx, w.manager1, id, m)
	}
	var ce *crm.ComplaintError

	_, err := move(second.ID, crm.ComplaintMove{To: crm.ComplaintRejected})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "reason", ce.Field)
	_, err = move(second.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: second.ID})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "complaint_duplicate_target", ce.Code())
	_, err = move(second.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: foreign.ID})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "complaint_duplicate_target", ce.Code())
	_, err = move(second.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: uuid.New()})
	require.ErrorAs(t, err, &ce)

	dup, err := move(second.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: first.ID})
	require.NoError(t, err)
	assert.Equal(t, first.ID, dup.DuplicateOf)
	assert.False(t, dup.ResolvedAt.IsZero(), "a duplicate answers its deadlines")
	third := w.received(t, w.manager1, c)
	_, err = move(third.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: second.ID})
	require.ErrorAs(t, err, &ce, "a duplicate of a duplicate points at the original instead")

	rej, err := move(third.ID, crm.ComplaintMove{To: crm.ComplaintRejected, Reason: "не наш товар"})
	require.NoError(t, err)
	assert.True(t, rej.Status.Final())
	_, err = w.svc.AddComplaintAction(w.ctx, w.manager1, rej.ID, crm.NewComplaintAction{Kind: crm.ActionCorrective, Description: "x"})
	require.ErrorIs(t, err, crm.ErrComplaint)

	// Resolution rules, and reopening.
	for _, st := range []crm.ComplaintStatus{crm.ComplaintAcknowledged, crm.ComplaintInvestigating} {
		_, err = move(first.ID, crm.ComplaintMove{To: st})
		require.NoError(t, err)
	}
	for _, bad := range []crm.ResolutionInput{
		{Outcome: crm.ResolutionRefused},
		{Outcome: crm.ResolutionPartial, Reason: "half"},
		{Outcome: crm.ResolutionRefused, Reason: "misuse", Remedy: crm.Remedy{Kind: crm.RemedyRefund}},
		{Outcome: "maybe"},
	} {
		_, err = move(first.ID, crm.ComplaintMove{To: crm.ComplaintResolved, Resolution: &bad})
		require.Error(t, err, "%+v", bad)
	}
	res, err := move(first.ID, crm.ComplaintMove{To: crm.ComplaintResolved, Resolution: &crm.ResolutionInput{
		Outcome: crm.ResolutionPartial, Reason: "половина партии цела", Remedy: crm.Remedy{Kind: crm.RemedyDiscount, Value: rub("5000")}}})
	require.NoError(t, err)
	assert.Equal(t, crm.ResolutionPartial, res.Resolution.Outcome)
	_, err = move(first.ID, crm.ComplaintMove{To: crm.ComplaintInvestigating})
	require.ErrorAs(t, err, &ce, "reopening needs a reason")
	re, err := move(first.ID, crm.ComplaintMove{To: crm.ComplaintInvestigating, Reason: "клиент не согласен"})
	require.NoError(t, err)
	assert.Nil(t, re.Resolution)
	assert.True(t, re.ResolvedAt.IsZero())

	// An unknown root-cause code is refused before anything is read.
	_, err = w.svc.ConfirmRootCause(w.ctx, w.manager1, first.ID, crm.RootCauseInput{Code: "BAD_LUCK"})
	require.ErrorIs(t, err, crm.ErrInvalid)
}

func TestComplaintSLAStatus(t *testing.T) {
	sched, err := worktime.New(worktime.Standard(msk, worktime.Hours(9, 0, 18, 0)))
	require.NoError(t, err)
	due := mskAt(2026, 3, 9, 12, 0)
	base := crm.Complaint{AcknowledgeDue: due, ResolveDue: mskAt(2026, 3, 13, 12, 0)}
	cases := []struct {
		name   string
		done   time.Time
		asOf   time.Time
		state  crm.SLAState
		margin time.Duration
	}{
		{"due, business time left over the weekend", time.Time{}, mskAt(2026, 3, 6, 17, 0), crm.SLADue, 4 * time.Hour},
		{"due at the instant itself", time.Time{}, due, crm.SLADue, 0},
		{"breached just after", time.Time{}, due.Add(time.Minute), crm.SLABreached, -time.Minute},
		{"breached overnight counts business time only", time.Time{}, mskAt(2026, 3, 10, 10, 0), crm.SLABreached, -7 * time.Hour},
		{"met early", mskAt(2026, 3, 9, 10, 0), mskAt(2026, 3, 20, 0, 0), crm.SLAMet, 2 * time.Hour},
		{"met exactly", due, mskAt(2026, 3, 20, 0, 0), crm.SLAMet, 0},
		{"done late is breached whatever the as-of", due.Add(time.Hour), mskAt(2026, 3, 9, 11, 0), crm.SLABreached, -time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			c.AcknowledgedAt = tc.done
			st := crm.ComplaintSLAStatus(c, sched, tc.asOf)
			assert.Equal(t, tc.state, st.Acknowledge.State)
			assert.Equal(t, tc.margin, st.Acknowledge.Margin)
			assert.Equal(t, "acknowledge_"+string(tc.state), st.Acknowledge.Code())
			assert.NotEmpty(t, st.Acknowledge.Message("en"))
		})
	}
	// Without a calendar, margins are elapsed time.
	st := crm.ComplaintSLAStatus(base, nil, due.Add(-time.Hour))
	assert.Equal(t, time.Hour, st.Acknowledge.Margin)
}

func TestComplaintAccess(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	cp := w.received(t, w.manager1, c)

	_, err := w.svc.GetComplaint(w.ctx, w.outsider, cp.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, err, crm.ErrForbidden)
	_, err = w.svc.GetComplaint(w.ctx, w.outsider, uuid.New())
	require.ErrorIs(t, err, crm.ErrForbidden, "a missing complaint looks the same")
	_, err = w.svc.MoveComplaint(w.ctx, w.outsider, cp.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged})
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = w.svc.ReceiveComplaint(w.ctx, w.outsider, complaintOf(c, mskAt(2026, 3, 7, 10, 0)))
	require.ErrorIs(t, err, store.ErrNotFound)

	got, err := w.svc.GetComplaint(w.ctx, w.auditor, cp.ID)
	require.NoError(t, err, "auditors read")
	assert.Equal(t, cp.ID, got.ID)
	_, err = w.svc.MoveComplaint(w.ctx, w.auditor, cp.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged})
	require.ErrorIs(t, err, crm.ErrForbidden, "but change nothing")
	_, err = w.svc.GetComplaint(w.ctx, w.head, cp.ID)
	require.NoError(t, err, "the head of sales sees the team's complaints")

	// A deputy acts for the absent manager, and is recorded as such.
	_, err = w.svc.Delegate(w.ctx, w.manager1, crm.NewDelegation{Deputy: w.deputy.ID,
		From: w.clock.Peek().Add(-time.Hour), To: w.clock.Peek().Add(30 * 24 * time.Hour), Reason: "отпуск"})
	require.NoError(t, err)
	_, err = w.svc.MoveComplaint(w.ctx, w.deputy, cp.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged})
	require.NoError(t, err)
	events, err := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{Order: store.Descending, Limit: 1}))
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, crm.EventComplaintStatus, events[0].Kind)
	assert.Equal(t, w.deputy.ID, events[0].Actor)
	assert.Equal(t, w.manager1.ID, events[0].OnBehalfOf)
}

func TestComplaintListings(t *testing.T) {
	w := newWorld(t)
	mine := w.create(t, w.manager1, company("Ромашка", innSber))
	theirs := w.create(t, w.manager2, company("Лютик", innYandex))
	a := w.received(t, w.manager1, mine)
	b := w.received(t, w.manager2, theirs)
	w.clock.Set(mskAt(2026, 3, 9, 9, 0))
	cIn := complaintOf(mine, mskAt(2026, 3, 9, 8, 0))
	cIn.Severity = crm.SeverityCritical
	c, err := w.svc.ReceiveComplaint(w.ctx, w.manager1, cIn)
	require.NoError(t, err)
	assert.True(t, mskAt(2026, 3, 9, 11, 0).Equal(c.AcknowledgeDue), "critical: 2 business hours from 09:00")
	_, err = w.svc.MoveComplaint(w.ctx, w.manager1, a.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged})
	require.NoError(t, err)

	ids := func(seq func(yield func(crm.Complaint, error) bool)) []uuid.UUID {
		out, err := store.Collect(seq)
		require.NoError(t, err)
		return idsOfComplaints(out)
	}
	assert.Equal(t, []uuid.UUID{a.ID, c.ID}, ids(w.svc.ListComplaints(w.ctx, w.manager1, crm.ComplaintFilter{}, store.Page{})),
		"a manager lists only their clients' complaints, by receipt")
	assert.Equal(t, []uuid.UUID{a.ID, b.ID, c.ID}, ids(w.svc.ListComplaints(w.ctx, w.head, crm.ComplaintFilter{}, store.Page{})))
	assert.Equal(t, []uuid.UUID{c.ID, b.ID}, ids(w.svc.ListComplaints(w.ctx, w.admin,
		crm.ComplaintFilter{Statuses: []crm.ComplaintStatus{crm.ComplaintReceived}}, store.Page{Order: store.Descending})))
	assert.Equal(t, []uuid.UUID{b.ID}, ids(w.svc.ListComplaints(w.ctx, w.head, crm.ComplaintFilter{ClientID: theirs.ID}, store.Page{})))
	assert.Equal(t, []uuid.UUID{a.ID}, ids(w.svc.ListComplaints(w.ctx, w.manager1, crm.ComplaintFilter{}, store.Page{Limit: 1})))
	_, err = store.Collect(w.svc.ListComplaints(w.ctx, w.manager1, crm.ComplaintFilter{ClientID: theirs.ID}, store.Page{}))
	require.ErrorIs(t, err, store.ErrNotFound)

	// Overdue: at 12:00 Monday the critical one missed its acknowledgement;
	// by Monday 19:00 the received complaint of Лютик too; the acknowledged
	// one is late only once its resolution is.
	assert.Equal(t, []uuid.UUID{c.ID}, ids(w.svc.OverdueComplaints(w.ctx, w.head, mskAt(2026, 3, 9, 12, 0), store.Page{})))
	assert.Equal(t, []uuid.UUID{b.ID, c.ID}, ids(w.svc.OverdueComplaints(w.ctx, w.head, mskAt(2026, 3, 9, 19, 0), store.Page{})))
	assert.Equal(t, []uuid.UUID{a.ID, b.ID, c.ID}, ids(w.svc.OverdueComplaints(w.ctx, w.head, mskAt(2026, 4, 1, 0, 0), store.Page{})))
	assert.Equal(t, []uuid.UUID{a.ID, c.ID}, ids(w.svc.OverdueComplaints(w.ctx, w.manager1, mskAt(2026, 4, 1, 0, 0), store.Page{})))
}

func idsOfComplaints(cs []crm.Complaint) []uuid.UUID {
	out := make([]uuid.UUID, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func TestComplaintsFollowMerge(t *testing.T) {
	w := newWorld(t)
	survivor := w.create(t, w.manager1, company("Ромашка", innSber))
	dup := w.create(t, w.manager1, company("Ромашка-2", ""))
	cp := w.received(t, w.manager1, dup)
	_, err := w.svc.MergeClients(w.ctx, w.manager1, survivor.ID, dup.ID)
	require.NoError(t, err)

	got, err := w.svc.GetComplaint(w.ctx, w.manager1, cp.ID)
	require.NoError(t, err)
	assert.Equal(t, survivor.ID, got.ClientID, "the complaint moved to the survivor")
	assert.Equal(t, store.Version(2), got.Version, "moving bumps the version, so stale writers reread")
	listed, err := store.Collect(w.svc.ListComplaints(w.ctx, w.manager1, crm.ComplaintFilter{ClientID: dup.ID}, store.Page{}))
	require.NoError(t, err)
	require.Len(t, listed, 1, "the merged id resolves to the survivor's complaints")
	// Work goes on, with the events on the survivor's timeline.
	_, err = w.svc.MoveComplaint(w.ctx, w.manager1, cp.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged})
	require.NoError(t, err)
	events, err := store.Collect(w.svc.Timeline(w.ctx, w.manager1, survivor.ID, store.Page{}))
	require.NoError(t, err)
	kinds := map[crm.EventKind]int{}
	for _, e := range events {
		kinds[e.Kind]++
	}
	assert.Equal(t, 1, kinds[crm.EventComplaintReceived])
	assert.Equal(t, 1, kinds[crm.EventComplaintStatus])
	// A new complaint for the merged id is filed with the survivor.
	again, err := w.svc.ReceiveComplaint(w.ctx, w.manager1, complaintOf(dup, mskAt(2026, 3, 7, 11, 0)))
	require.NoError(t, err)
	assert.Equal(t, survivor.ID, again.ClientID)
}

func TestComplaintConcurrentWriters(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	cp := w.received(t, w.manager1, c)
	const writers = 30
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			_, errs[i] = w.svc.AddComplaintAction(w.ctx, w.manager1, cp.ID, crm.NewComplaintAction{
				Kind: crm.ActionCorrective, Description: fmt.Sprintf("action %02d", i)})
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoErrorf(t, err, "writer %d", i)
	}
	got, err := w.svc.GetComplaint(w.ctx, w.manager1, cp.ID)
	require.NoError(t, err)
	assert.Len(t, got.Actions, writers, "no lost update")
	assert.Equal(t, store.Version(1+writers), got.Version)
}

func TestComplaintEditAndCompensation(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	cp := w.received(t, w.manager1, c)
	ed, err := w.svc.EditComplaint(w.ctx, w.manager1, cp.ID, func(d *crm.ComplaintDraft) error {
		d.Severity = crm.SeverityHigh
		return nil
	})
	require.NoError(t, err)
	assert.True(t, mskAt(2026, 3, 9, 13, 0).Equal(ed.AcknowledgeDue), "high: 4 business hours from Monday 09:00")
	assert.Equal(t, crm.SLATerms{Acknowledge: 4 * time.Hour, Resolve: 40 * time.Hour}, ed.SLA)
	same, err := w.svc.EditComplaint(w.ctx, w.manager1, cp.ID, func(d *crm.ComplaintDraft) error { return nil })
	require.NoError(t, err)
	assert.Equal(t, ed.Version, same.Version, "no change, no write")
	_, err = w.svc.EditComplaint(w.ctx, w.manager1, cp.ID, func(d *crm.ComplaintDraft) error {
		d.Whys = make([]string, 11)
		return nil
	})
	require.ErrorIs(t, err, crm.ErrInvalid)
	_, err = w.svc.EditComplaint(w.ctx, w.manager1, cp.ID, func(d *crm.ComplaintDraft) error {
		d.Responsible = "gremlins"
		return nil
	})
	require.ErrorIs(t, err, crm.ErrInvalid)

	_, err = w.svc.RecordCompensation(w.ctx, w.manager1, cp.ID, crm.NewCompensation{Kind: crm.CompensationCreditNote})
	require.ErrorIs(t, err, crm.ErrInvalid, "a credit note needs an amount")
	_, err = w.svc.RecordCompensation(w.ctx, w.manager1, cp.ID, crm.NewCompensation{Kind: crm.CompensationCreditNote, Amount: rub("-5")})
	require.ErrorIs(t, err, crm.ErrInvalid)
	got, err := w.svc.RecordCompensation(w.ctx, w.manager1, cp.ID, crm.NewCompensation{Kind: crm.CompensationCreditNote,
		Amount: rub("18750.00"), Reference: "КСФ-12"})
	require.NoError(t, err)
	require.Len(t, got.Compensations, 1)
	assert.Equal(t, "КСФ-12", got.Compensations[0].Reference)
	assert.NotEqual(t, uuid.Nil, got.Compensations[0].ID)
}

func TestComplaintSLAOptions(t *testing.T) {
	bad := func(edit func(*crm.ComplaintSLA)) error {
		p := crm.DefaultComplaintSLA()
		edit(&p)
		_, err := crm.NewService(newWorld(t).st, crm.Options{ComplaintSLA: &p})
		return err
	}
	var ve *crm.ValidationError
	require.ErrorAs(t, bad(func(p *crm.ComplaintSLA) { p.Calendar.Location = nil }), &ve)
	assert.Equal(t, "complaint_sla.calendar.location", ve.Field)
	require.ErrorAs(t, bad(func(p *crm.ComplaintSLA) { p.Calendar.Week = [7][]worktime.Period{} }), &ve)
	assert.Equal(t, "complaint_sla.calendar.week", ve.Field)
	require.ErrorAs(t, bad(func(p *crm.ComplaintSLA) { p.Default.Resolve = time.Hour }), &ve)
	assert.Equal(t, "complaint_sla.default.resolve", ve.Field)
	require.ErrorAs(t, bad(func(p *crm.ComplaintSLA) { p.BySeverity["urgent"] = crm.SLATerms{Acknowledge: 1, Resolve: 2} }), &ve)
	assert.Equal(t, "complaint_sla.by_severity", ve.Field)
}
