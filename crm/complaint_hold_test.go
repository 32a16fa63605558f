package crm_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/worktime"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// manualClock is a clock the test sets; it does not move by itself.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t.UTC().Truncate(time.Microsecond)
}

// holdSLA: 09:00–17:00 Moscow time, Monday to Friday; 4 business hours to
// acknowledge and 16 to resolve (high: 2 and 8).
func holdSLA() crm.ComplaintSLA {
	return crm.ComplaintSLA{
		Calendar:   worktime.Standard(msk, worktime.Hours(9, 0, 17, 0)),
		Default:    crm.SLATerms{Acknowledge: 4 * time.Hour, Resolve: 16 * time.Hour},
		BySeverity: map[crm.Severity]crm.SLATerms{crm.SeverityHigh: {Acknowledge: 2 * time.Hour, Resolve: 8 * time.Hour}},
	}
}

type holdWorld struct {
	svc    *crm.Service
	st     *memory.Store
	clock  *manualClock
	actor  crm.Actor
	client crm.Client
}

func newHoldWorld(tb interface{ Fatal(...any) }) *holdWorld {
	ctx := context.Background()
	team := crm.NewTeam()
	me := uuid.MustParse("00000000-0000-7000-8000-000000000001")
	_ = team.Add(me, uuid.Nil, crm.RoleManager)
	actor, _ := team.Actor(ctx, me)
	w := &holdWorld{st: memory.New(), clock: &manualClock{}, actor: actor}
	w.clock.Set(mskAt(2026, 3, 9, 10, 0))
	sla := holdSLA()
	svc, err := crm.NewService(w.st, crm.Options{Clock: clock.Options{Now: w.clock.Now}, Directory: team, ComplaintSLA: &sla})
	if err != nil {
		tb.Fatal(err)
	}
	w.svc = svc
	if w.client, _, err = svc.CreateClient(ctx, actor, company("Ромашка", innSber)); err != nil {
		tb.Fatal(err)
	}
	return w
}

// receive files a complaint received on Monday 9 March 2026 at 10:00.
func (w *holdWorld) receive(tb interface{ Fatal(...any) }) crm.Complaint {
	w.clock.Set(mskAt(2026, 3, 9, 10, 0))
	in := complaintOf(w.client, mskAt(2026, 3, 9, 10, 0))
	cp, err := w.svc.ReceiveComplaint(context.Background(), w.actor, in)
	if err != nil {
		tb.Fatal(err)
	}
	return cp
}

func TestComplaintHoldShiftsDeadlines(t *testing.T) {
	// Received Monday 10:00: acknowledge by Monday 14:00, resolve by
	// Wednesday 10:00 (7 + 8 + 1 business hours).
	cases := []struct {
		name           string
		acknowledged   bool // acknowledged on Monday at 10:30, before the hold
		from, to       time.Time
		paused         time.Duration
		ackDue, resDue time.Time
	}{
		{"a day's hold moves both deadlines by its business time",
			false, mskAt(2026, 3, 9, 11, 0), mskAt(2026, 3, 10, 11, 0), 8 * time.Hour,
			mskAt(2026, 3, 10, 14, 0), mskAt(2026, 3, 12, 10, 0)},
		{"a hold outside working hours moves nothing",
			false, mskAt(2026, 3, 9, 18, 0), mskAt(2026, 3, 10, 8, 0), 0,
			mskAt(2026, 3, 9, 14, 0), mskAt(2026, 3, 11, 10, 0)},
		{"a deadline met before the hold stays",
			true, mskAt(2026, 3, 9, 12, 0), mskAt(2026, 3, 9, 15, 0), 3 * time.Hour,
			mskAt(2026, 3, 9, 14, 0), mskAt(2026, 3, 11, 13, 0)},
		{"a hold over the weekend counts working hours only, and moves a breached deadline too",
			false, mskAt(2026, 3, 13, 16, 0), mskAt(2026, 3, 16, 10, 0), 2 * time.Hour,
			mskAt(2026, 3, 9, 16, 0), mskAt(2026, 3, 11, 12, 0)},
		{"a zero-length hold moves nothing",
			false, mskAt(2026, 3, 9, 11, 0), mskAt(2026, 3, 9, 11, 0), 0,
			mskAt(2026, 3, 9, 14, 0), mskAt(2026, 3, 11, 10, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newHoldWorld(t)
			ctx := context.Background()
			cp := w.receive(t)
			require.True(t, mskAt(2026, 3, 9, 14, 0).Equal(cp.AcknowledgeDue), "ack due %s", cp.AcknowledgeDue.In(msk))
			require.True(t, mskAt(2026, 3, 11, 10, 0).Equal(cp.ResolveDue), "resolve due %s", cp.ResolveDue.In(msk))
			var err error
			if tc.acknowledged {
				w.clock.Set(mskAt(2026, 3, 9, 10, 30))
				_, err = w.svc.MoveComplaint(ctx, w.actor, cp.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged})
				require.NoError(t, err)
			}
			w.clock.Set(tc.from)
			cp, err = w.svc.HoldComplaint(ctx, w.actor, cp.ID, "  ждём фотографии боя  ")
			require.NoError(t, err)
			require.True(t, cp.OnHold())
			h, ok := cp.Hold()
			require.True(t, ok)
			assert.Equal(t, "ждём фотографии боя", h.Reason)
			assert.Equal(t, w.actor.ID, h.By)

			w.clock.Set(tc.to)
			cp, err = w.svc.ResumeComplaint(ctx, w.actor, cp.ID, "фото получены")
			require.NoError(t, err)
			assert.False(t, cp.OnHold())
			require.Len(t, cp.Holds, 1)
			assert.True(t, tc.from.Equal(cp.Holds[0].From))
			assert.True(t, tc.to.Equal(cp.Holds[0].To))
			assert.Equal(t, tc.paused, cp.Holds[0].Paused)
			assert.Equal(t, "фото получены", cp.Holds[0].ResumeNote)
			assert.True(t, tc.ackDue.Equal(cp.AcknowledgeDue), "ack due %s, want %s", cp.AcknowledgeDue.In(msk), tc.ackDue)
			assert.True(t, tc.resDue.Equal(cp.ResolveDue), "resolve due %s, want %s", cp.ResolveDue.In(msk), tc.resDue)

			got, err := w.svc.GetComplaint(ctx, w.actor, cp.ID)
			require.NoError(t, err)
			assert.Equal(t, cp.Holds, got.Holds, "the holds are stored")
		})
	}
}

func TestComplaintHoldErrorsAndEvents(t *testing.T) {
	w := newHoldWorld(t)
	ctx := context.Background()
	cp := w.receive(t)
	var ce *crm.ComplaintError
	var ve *crm.ValidationError

	_, err := w.svc.HoldComplaint(ctx, w.actor, cp.ID, "   ")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "reason", ve.Field)
	assert.Equal(t, crm.ReasonRequired, ve.Reason)

	_, err = w.svc.ResumeComplaint(ctx, w.actor, cp.ID, "")
	require.ErrorAs(t, err, &ce)
	require.ErrorIs(t, err, crm.ErrComplaint)
	assert.Equal(t, "complaint_not_on_hold", ce.Code())
	assert.Contains(t, ce.Message("ru"), "не приостановлена")

	w.clock.Set(mskAt(2026, 3, 9, 11, 0))
	cp, err = w.svc.HoldComplaint(ctx, w.actor, cp.ID, "ждём акт осмотра")
	require.NoError(t, err)
	_, err = w.svc.HoldComplaint(ctx, w.actor, cp.ID, "ещё раз")
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "complaint_already_on_hold", ce.Code())
	assert.Contains(t, ce.Message("ru"), "уже приостановлена")
	assert.False(t, errors.Is(err, crm.ErrTransition))

	// The hold is orthogonal to the status: moves along the open steps
	// keep it.
	w.clock.Set(mskAt(2026, 3, 9, 12, 0))
	cp, err = w.svc.MoveComplaint(ctx, w.actor, cp.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged})
	require.NoError(t, err)
	assert.True(t, cp.OnHold())

	// Rejecting ends the hold first, in the same write.
	w.clock.Set(mskAt(2026, 3, 10, 11, 0))
	before := cp.Version
	cp, err = w.svc.MoveComplaint(ctx, w.actor, cp.ID, crm.ComplaintMove{To: crm.ComplaintRejected, Reason: "не наш товар"})
	require.NoError(t, err)
	assert.Equal(t, before.Next(), cp.Version, "one write")
	assert.False(t, cp.OnHold())
	require.Len(t, cp.Holds, 1)
	assert.Equal(t, 8*time.Hour, cp.Holds[0].Paused)
	assert.True(t, mskAt(2026, 3, 12, 10, 0).Equal(cp.ResolveDue), "resolve due %s", cp.ResolveDue.In(msk))
	// Acknowledged during the hold (an hour into it): it was owed when the
	// hold began, so its deadline moved by the hour its clock stood still
	// before the acknowledgement, not by the whole hold (and was met).
	assert.True(t, mskAt(2026, 3, 9, 15, 0).Equal(cp.AcknowledgeDue), "ack due %s", cp.AcknowledgeDue.In(msk))
	assert.Equal(t, crm.SLAMet, crm.ComplaintSLAStatus(cp, w.svc.ComplaintSchedule(), mskAt(2026, 3, 20, 0, 0)).Acknowledge.State)

	_, err = w.svc.HoldComplaint(ctx, w.actor, cp.ID, "ждём")
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "complaint_final", ce.Code())

	// A resolved complaint is not open: it cannot be held.
	other := w.receive(t)
	for _, m := range []crm.ComplaintMove{{To: crm.ComplaintAcknowledged}, {To: crm.ComplaintInvestigating},
		{To: crm.ComplaintResolved, Resolution: &crm.ResolutionInput{Outcome: crm.ResolutionGranted}}} {
		_, err = w.svc.MoveComplaint(ctx, w.actor, other.ID, m)
		require.NoError(t, err)
	}
	_, err = w.svc.HoldComplaint(ctx, w.actor, other.ID, "ждём")
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "complaint_hold_not_open", ce.Code())
	assert.Contains(t, ce.Message("ru"), "«решена»")

	events, err := store.Collect(w.svc.Timeline(ctx, w.actor, w.client.ID, store.Page{}))
	require.NoError(t, err)
	var en, ru []string
	for _, e := range events {
		if e.Subject == cp.ID {
			en, ru = append(en, e.Describe("en")), append(ru, e.Describe("ru"))
		}
	}
	assert.Equal(t, []string{
		"complaint received «Бой при доставке», severity medium",
		"complaint on hold, waiting for the client: ждём акт осмотра",
		"complaint received → acknowledged",
		"complaint resumed; deadlines moved by 8h0m0s of business time (ended by the move to rejected)",
		"complaint acknowledged → rejected",
	}, en)
	assert.Contains(t, strings.Join(ru, "\n"), "претензия приостановлена в ожидании клиента: ждём акт осмотра")
	assert.Contains(t, strings.Join(ru, "\n"), "претензия возобновлена; сроки сдвинуты на 8h0m0s рабочего времени")
}

func TestComplaintSLAStatusOnHold(t *testing.T) {
	sched, err := worktime.New(worktime.Standard(msk, worktime.Hours(9, 0, 17, 0)))
	require.NoError(t, err)
	base := crm.Complaint{Status: crm.ComplaintReceived, ReceivedAt: mskAt(2026, 3, 9, 10, 0),
		AcknowledgeDue: mskAt(2026, 3, 9, 14, 0), ResolveDue: mskAt(2026, 3, 11, 10, 0)}
	cases := []struct {
		name      string
		holdFrom  time.Time
		asOf      time.Time
		ackState  crm.SLAState
		ackMargin time.Duration
		resState  crm.SLAState
	}{
		{"a hold keeps a deadline that would have passed from breaching",
			mskAt(2026, 3, 9, 11, 0), mskAt(2026, 3, 10, 15, 0), crm.SLAOnHold, 3 * time.Hour, crm.SLAOnHold},
		{"long past both deadlines, still on hold",
			mskAt(2026, 3, 9, 11, 0), mskAt(2026, 4, 30, 12, 0), crm.SLAOnHold, 3 * time.Hour, crm.SLAOnHold},
		{"a deadline breached before the hold stays breached, its lateness frozen",
			mskAt(2026, 3, 9, 15, 0), mskAt(2026, 3, 10, 16, 0), crm.SLABreached, -time.Hour, crm.SLAOnHold},
		{"an as-of before the hold began",
			mskAt(2026, 3, 9, 11, 0), mskAt(2026, 3, 9, 10, 30), crm.SLAOnHold, 3*time.Hour + 30*time.Minute, crm.SLAOnHold},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := base.Clone()
			c.Holds = []crm.ComplaintHold{{From: tc.holdFrom, Reason: "ждём фото"}}
			st := crm.ComplaintSLAStatus(c, sched, tc.asOf)
			assert.True(t, st.OnHold)
			assert.True(t, tc.holdFrom.Equal(st.HeldSince))
			assert.Equal(t, tc.ackState, st.Acknowledge.State)
			assert.Equal(t, tc.ackMargin, st.Acknowledge.Margin)
			assert.Equal(t, tc.resState, st.Resolve.State)
			assert.Equal(t, tc.ackState == crm.SLABreached, st.Breached())
			// Overdue exactly when the SLA shows a breach: a hold stops
			// only the deadlines still ahead when it began.
			assert.Equal(t, st.Breached(), c.OverdueAt(tc.asOf), "overdue agrees with the SLA status")
			assert.Equal(t, st.Breached(), crm.ComplaintFilter{OverdueAt: tc.asOf}.Match(c))
		})
	}
	c := base.Clone()
	c.Holds = []crm.ComplaintHold{{From: mskAt(2026, 3, 9, 11, 0), Reason: "ждём фото"}}
	st := crm.ComplaintSLAStatus(c, sched, mskAt(2026, 3, 10, 15, 0))
	assert.Equal(t, "acknowledge_on_hold", st.Acknowledge.Code())
	assert.Contains(t, st.Acknowledge.Message("en"), "on hold")
	assert.Contains(t, st.Acknowledge.Message("ru"), "приостановлен")
	assert.Equal(t, "on hold", crm.SLAOnHold.Name("en"))
	assert.Equal(t, "приостановлен", crm.SLAOnHold.Name("ru"))
	// Without the hold the same complaint is breached and overdue.
	assert.True(t, crm.ComplaintSLAStatus(base, sched, mskAt(2026, 3, 10, 15, 0)).Breached())
	assert.True(t, base.OverdueAt(mskAt(2026, 3, 10, 15, 0)))
	// An ended hold is history: the deadlines it moved are judged as is.
	c.Holds[0].To = mskAt(2026, 3, 9, 12, 0)
	assert.False(t, crm.ComplaintSLAStatus(c, sched, mskAt(2026, 3, 10, 15, 0)).OnHold)
	assert.True(t, c.OverdueAt(mskAt(2026, 3, 10, 15, 0)))
}

func TestComplaintHoldOverdueListingAndSeverity(t *testing.T) {
	w := newHoldWorld(t)
	ctx := context.Background()
	held, open := w.receive(t), w.receive(t)
	w.clock.Set(mskAt(2026, 3, 9, 11, 0))
	_, err := w.svc.HoldComplaint(ctx, w.actor, held.ID, "ждём доступ на объект")
	require.NoError(t, err)

	late := mskAt(2026, 3, 10, 12, 0)
	w.clock.Set(late)
	got, err := store.Collect(w.svc.OverdueComplaints(ctx, w.actor, late, store.Page{}))
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{open.ID}, idsOfComplaints(got), "the complaint on hold is not overdue")
	sla, err := w.svc.ComplaintSLA(ctx, w.actor, held.ID, late)
	require.NoError(t, err)
	assert.True(t, sla.OnHold)
	assert.False(t, sla.Breached())

	// Resumed Tuesday 11:00 (8 business hours held), then made high:
	// the new terms are counted from receipt and moved by the hold too.
	w.clock.Set(mskAt(2026, 3, 10, 11, 0))
	_, err = w.svc.ResumeComplaint(ctx, w.actor, held.ID, "")
	require.NoError(t, err)
	cp, err := w.svc.EditComplaint(ctx, w.actor, held.ID, func(d *crm.ComplaintDraft) error { d.Severity = crm.SeverityHigh; return nil })
	require.NoError(t, err)
	assert.True(t, mskAt(2026, 3, 10, 12, 0).Equal(cp.AcknowledgeDue), "ack due %s", cp.AcknowledgeDue.In(msk))
	assert.True(t, mskAt(2026, 3, 11, 10, 0).Equal(cp.ResolveDue), "resolve due %s", cp.ResolveDue.In(msk))
}

// A hold never moves a deadline earlier; it moves an owed deadline by
// exactly the business time it covered; a hold of no business time (of
// zero length, or outside working hours) changes nothing.
func TestPropertyComplaintHold(t *testing.T) {
	sched, err := worktime.New(holdSLA().Calendar)
	require.NoError(t, err)
	rapid.Check(t, func(t *rapid.T) {
		w := newHoldWorld(t)
		ctx := context.Background()
		start := mskAt(2026, 3, 9, 10, 0)
		cp := w.receive(t)
		sec := func(label string, max int64) time.Duration {
			return time.Duration(rapid.Int64Range(0, max).Draw(t, label)) * time.Second
		}
		if rapid.Bool().Draw(t, "acknowledge") {
			w.clock.Set(start.Add(sec("ack_at", 3*24*3600)))
			if _, err := w.svc.MoveComplaint(ctx, w.actor, cp.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged}); err != nil {
				t.Fatal(err)
			}
		}
		from := start.Add(sec("from", 10*24*3600))
		to := from
		if !rapid.Bool().Draw(t, "zero") {
			to = from.Add(sec("length", 10*24*3600))
		}
		w.clock.Set(from)
		before, err := w.svc.HoldComplaint(ctx, w.actor, cp.ID, "ждём")
		if err != nil {
			t.Fatal(err)
		}
		w.clock.Set(to)
		after, err := w.svc.ResumeComplaint(ctx, w.actor, cp.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if after.AcknowledgeDue.Before(before.AcknowledgeDue) || after.ResolveDue.Before(before.ResolveDue) {
			t.Fatalf("a hold moved a deadline earlier: %s→%s, %s→%s", before.AcknowledgeDue, after.AcknowledgeDue,
				before.ResolveDue, after.ResolveDue)
		}
		paused := after.Holds[0].Paused
		if paused != sched.Between(from, to) {
			t.Fatalf("paused %s, business time between %s and %s is %s", paused, from, to, sched.Between(from, to))
		}
		if paused == 0 && (!after.AcknowledgeDue.Equal(before.AcknowledgeDue) || !after.ResolveDue.Equal(before.ResolveDue)) {
			t.Fatal("a hold of no business time moved a deadline")
		}
		if got := sched.Between(before.ResolveDue, after.ResolveDue); got != paused {
			t.Fatalf("the resolution deadline moved by %s of business time, the hold covered %s", got, paused)
		}
	})
}

// A deadline breached before a hold stays breached when it is met during
// the hold: the clock stopped an hour past due, so the acknowledgement is
// an hour late however long the hold lasts.
func TestComplaintAcknowledgedDuringHoldAfterBreach(t *testing.T) {
	w := newHoldWorld(t)
	ctx := context.Background()
	cp := w.receive(t)
	require.True(t, mskAt(2026, 3, 9, 14, 0).Equal(cp.AcknowledgeDue))
	resolveDue := cp.ResolveDue

	w.clock.Set(mskAt(2026, 3, 9, 15, 0))
	cp, err := w.svc.HoldComplaint(ctx, w.actor, cp.ID, "ждём фотографии")
	require.NoError(t, err)
	st := crm.ComplaintSLAStatus(cp, w.svc.ComplaintSchedule(), mskAt(2026, 3, 9, 15, 30))
	require.Equal(t, crm.SLABreached, st.Acknowledge.State, "breached before the hold, and not yet done")

	w.clock.Set(mskAt(2026, 3, 9, 16, 0))
	cp, err = w.svc.MoveComplaint(ctx, w.actor, cp.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged})
	require.NoError(t, err)
	st = crm.ComplaintSLAStatus(cp, w.svc.ComplaintSchedule(), mskAt(2026, 3, 9, 16, 30))
	assert.Equal(t, crm.SLABreached, st.Acknowledge.State, "acknowledged during the hold, still an hour late")
	assert.Equal(t, -time.Hour, st.Acknowledge.Margin)

	w.clock.Set(mskAt(2026, 3, 10, 15, 0))
	cp, err = w.svc.ResumeComplaint(ctx, w.actor, cp.ID, "")
	require.NoError(t, err)
	assert.True(t, mskAt(2026, 3, 9, 15, 0).Equal(cp.AcknowledgeDue), "ack due %s", cp.AcknowledgeDue.In(msk))
	st = crm.ComplaintSLAStatus(cp, w.svc.ComplaintSchedule(), mskAt(2026, 3, 20, 0, 0))
	assert.Equal(t, crm.SLABreached, st.Acknowledge.State)
	assert.Equal(t, -time.Hour, st.Acknowledge.Margin)
	// The resolution, still owed, moved by the whole hold.
	want := w.svc.ComplaintSchedule().Add(resolveDue, cp.Holds[0].Paused)
	assert.True(t, want.Equal(cp.ResolveDue), "resolve due %s, want %s", cp.ResolveDue.In(msk), want.In(msk))
}
