package crm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// complaintWorld is a service with one manager, one client, and a clock
// on Saturday 7 March 2026, noon in Moscow.
func complaintWorld(tb interface{ Fatal(...any) }) (*crm.Service, crm.Actor, crm.Client, *memory.Store) {
	ctx := context.Background()
	team := crm.NewTeam()
	me := uuid.MustParse("00000000-0000-7000-8000-000000000001")
	_ = team.Add(me, uuid.Nil, crm.RoleManager)
	actor, _ := team.Actor(ctx, me)
	st := memory.New()
	svc, err := crm.NewService(st, crm.Options{Clock: clock.Options{Now: clock.NewStepping(mskAt(2026, 3, 7, 12, 0), time.Millisecond).Now},
		Directory: team})
	if err != nil {
		tb.Fatal(err)
	}
	c, _, err := svc.CreateClient(ctx, actor, company("Ромашка", innSber))
	if err != nil {
		tb.Fatal(err)
	}
	return svc, actor, c, st
}

// FuzzReceiveComplaint feeds arbitrary text and numbers into every free
// input of a complaint: the service never panics, and either stores the
// complaint or refuses it with a *ValidationError, storing nothing. A
// stored complaint is then held and resumed.
func FuzzReceiveComplaint(f *testing.F) {
	f.Add("Бой при доставке", "разбиты 12 плиток", "УПД-5531", "PLT-40", "12.5", "18750.00", "medium", "replacement", "email", int64(-7200))
	f.Add("", "", "", "", "", "", "", "", "", int64(0))
	f.Add("\xff\x00", "\u202e", "\n", "x", "-1", "1e40", "critical", "apology", "pigeon", int64(1<<40))
	f.Fuzz(func(t *testing.T, subject, desc, doc, sku, qty, value, severity, remedy, channel string, offset int64) {
		svc, actor, c, st := complaintWorld(t)
		in := crm.NewComplaint{ClientID: c.ID, Channel: crm.Channel(channel), Subject: subject, Description: desc,
			ReceivedAt: mskAt(2026, 3, 7, 12, 0).Add(time.Duration(offset) * time.Second),
			Severity:   crm.Severity(severity), Refs: crm.ComplaintRefs{Document: doc, SKU: sku}}
		if q, err := decimal.NewFromString(qty); err == nil {
			in.Refs.Quantity = q
		}
		if v, err := money.Parse(value, money.RUB); err == nil {
			in.Requested = crm.Remedy{Kind: crm.RemedyKind(remedy), Value: v}
		}
		got, err := svc.ReceiveComplaint(context.Background(), actor, in)
		n, lerr := store.Collect(st.ListComplaints(context.Background(), crm.ComplaintFilter{}, store.Page{}))
		if lerr != nil {
			t.Fatal(lerr)
		}
		if err != nil {
			var ve *crm.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("refused with %T: %v", err, err)
			}
			if len(n) != 0 {
				t.Fatal("a refused complaint was stored")
			}
			return
		}
		if len(n) != 1 || n[0].ID != got.ID || got.AcknowledgeDue.Before(got.ReceivedAt) || got.ResolveDue.Before(got.AcknowledgeDue) {
			t.Fatalf("stored %d complaints; deadlines %s %s for %s", len(n), got.AcknowledgeDue, got.ResolveDue, got.ReceivedAt)
		}
		// A hold with the subject as its reason, resumed with the
		// description as the note: refused only as invalid input, and it
		// never moves a deadline earlier.
		held, err := svc.HoldComplaint(context.Background(), actor, got.ID, subject)
		if err != nil {
			var ve *crm.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("hold refused with %T: %v", err, err)
			}
			return
		}
		if !held.OnHold() || held.OverdueAt(held.ResolveDue.Add(time.Hour)) {
			t.Fatal("a held complaint is not on hold, or is overdue")
		}
		res, err := svc.ResumeComplaint(context.Background(), actor, got.ID, desc)
		if err != nil {
			t.Fatalf("resume: %v", err)
		}
		if res.OnHold() || res.AcknowledgeDue.Before(got.AcknowledgeDue) || res.ResolveDue.Before(got.ResolveDue) {
			t.Fatalf("after a hold: on hold %v, deadlines %s %s (were %s %s)", res.OnHold(), res.AcknowledgeDue, res.ResolveDue,
				got.AcknowledgeDue, got.ResolveDue)
		}
	})
}

// Any sequence of moves keeps the status machine's invariants: the log
// is a chain ending in the status, refused moves change nothing, final
// statuses stay final, and the SLA timestamps never move back.
func TestPropertyComplaintMoves(t *testing.T) {
	statuses := []crm.ComplaintStatus{crm.ComplaintReceived, crm.ComplaintAcknowledged, crm.ComplaintInvestigating,
		crm.ComplaintResolved, crm.ComplaintClosed, crm.ComplaintRejected, crm.ComplaintDuplicate}
	rapid.Check(t, func(t *rapid.T) {
		svc, actor, c, _ := complaintWorld(t)
		ctx := context.Background()
		orig, err := svc.ReceiveComplaint(ctx, actor, complaintOf(c, mskAt(2026, 3, 7, 10, 0)))
		if err != nil {
			t.Fatal(err)
		}
		cp, err := svc.ReceiveComplaint(ctx, actor, complaintOf(c, mskAt(2026, 3, 7, 11, 0)))
		if err != nil {
			t.Fatal(err)
		}
		for range rapid.IntRange(1, 12).Draw(t, "moves") {
			to := rapid.SampledFrom(statuses).Draw(t, "to")
			m := crm.ComplaintMove{To: to}
			if rapid.Bool().Draw(t, "reason") {
				m.Reason = "причина"
			}
			if to == crm.ComplaintDuplicate {
				m.DuplicateOf = orig.ID
			}
			if to == crm.ComplaintResolved {
				m.Resolution = &crm.ResolutionInput{Outcome: rapid.SampledFrom([]crm.ResolutionOutcome{
					crm.ResolutionGranted, crm.ResolutionRefused, crm.ResolutionPartial}).Draw(t, "outcome"), Reason: m.Reason}
				if m.Resolution.Outcome == crm.ResolutionPartial {
					m.Resolution.Remedy = crm.Remedy{Kind: crm.RemedyDiscount}
				}
			}
			before := cp
			after, err := svc.MoveComplaint(ctx, actor, cp.ID, m)
			if err != nil {
				if !errors.Is(err, crm.ErrComplaint) {
					t.Fatalf("move %s -> %s: %v", cp.Status, to, err)
				}
				now, gerr := svc.GetComplaint(ctx, actor, cp.ID)
				if gerr != nil || now.Version != before.Version {
					t.Fatalf("a refused move wrote: %v", gerr)
				}
				continue
			}
			if !crm.CanMoveComplaint(before.Status, to) {
				t.Fatalf("move %s -> %s accepted", before.Status, to)
			}
			cp = after
			log := cp.StatusLog
			if log[len(log)-1].To != cp.Status {
				t.Fatal("the log does not end in the status")
			}
			for i := 1; i < len(log); i++ {
				if log[i-1].To != log[i].From {
					t.Fatalf("the log is not a chain: %v", log)
				}
			}
			if !before.AcknowledgedAt.IsZero() && !before.AcknowledgedAt.Equal(cp.AcknowledgedAt) {
				t.Fatal("AcknowledgedAt moved")
			}
			// Only a resolved complaint, or one closed after it, has a resolution.
			if (cp.Status == crm.ComplaintResolved || cp.Status == crm.ComplaintClosed) != (cp.Resolution != nil) {
				t.Fatalf("status %s with resolution %v", cp.Status, cp.Resolution)
			}
		}
	})
}

// The SLA state of an unanswered deadline never goes back from breached
// as the as-of instant moves forward, and a done deadline's state does
// not depend on the as-of.
func TestPropertySLAStatusMonotonic(t *testing.T) {
	svc, _, _, _ := complaintWorld(t)
	sched := svc.ComplaintSchedule()
	rapid.Check(t, func(t *rapid.T) {
		recv := mskAt(2026, 1, 1, 0, 0).Add(time.Duration(rapid.Int64Range(0, 365*24*3600).Draw(t, "recv")) * time.Second)
		c := crm.Complaint{ReceivedAt: recv, AcknowledgeDue: sched.Add(recv, 8*time.Hour), ResolveDue: sched.Add(recv, 80*time.Hour)}
		a1 := recv.Add(time.Duration(rapid.Int64Range(0, 60*24*3600).Draw(t, "a1")) * time.Second)
		a2 := a1.Add(time.Duration(rapid.Int64Range(0, 60*24*3600).Draw(t, "a2")) * time.Second)
		s1, s2 := crm.ComplaintSLAStatus(c, sched, a1), crm.ComplaintSLAStatus(c, sched, a2)
		if s1.Resolve.State == crm.SLABreached && s2.Resolve.State != crm.SLABreached {
			t.Fatal("breached went back to due")
		}
		if s2.Resolve.Margin > s1.Resolve.Margin {
			t.Fatalf("the margin grew as time passed: %s then %s", s1.Resolve.Margin, s2.Resolve.Margin)
		}
		c.AcknowledgedAt = a1
		if crm.ComplaintSLAStatus(c, sched, a1).Acknowledge != crm.ComplaintSLAStatus(c, sched, a2).Acknowledge {
			t.Fatal("a done deadline depends on the as-of")
		}
	})
}

func BenchmarkReceiveComplaint(b *testing.B) {
	svc, actor, c, _ := complaintWorld(b)
	in := complaintOf(c, mskAt(2026, 3, 7, 10, 0))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.ReceiveComplaint(ctx, actor, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkComplaintSLAStatus(b *testing.B) {
	svc, actor, c, _ := complaintWorld(b)
	cp, err := svc.ReceiveComplaint(context.Background(), actor, complaintOf(c, mskAt(2026, 3, 7, 10, 0)))
	if err != nil {
		b.Fatal(err)
	}
	sched := svc.ComplaintSchedule()
	asOf := mskAt(2026, 3, 12, 15, 0)
	b.ReportAllocs()
	for b.Loop() {
		_ = crm.ComplaintSLAStatus(cp, sched, asOf)
	}
}

func BenchmarkCategorizeComplaint(b *testing.B) {
	svc, actor, c, _ := complaintWorld(b)
	cp, err := svc.ReceiveComplaint(context.Background(), actor, complaintOf(c, mskAt(2026, 3, 7, 10, 0)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.CategorizeComplaint(context.Background(), actor, cp.ID, rootcause.Facts{}); err != nil {
			b.Fatal(err)
		}
	}
}
