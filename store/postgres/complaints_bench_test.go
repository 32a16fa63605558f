package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// benchComplaint is a complaint of client with a few actions and a
// suggestion, the size of a real one.
func benchComplaint(id, client uuid.UUID, at time.Time) crm.Complaint {
	return crm.Complaint{
		ID: id, ClientID: client, Channel: crm.ChannelEmail, ReceivedAt: at, Status: crm.ComplaintReceived,
		Subject: "Бой при доставке", Description: "Коробки смяты, 12 плиток разбиты при перевозке.",
		Severity: crm.SeverityHigh, Requested: crm.Remedy{Kind: crm.RemedyReplacement, Value: money.MustParse("18750.00", money.RUB)},
		Refs:           crm.ComplaintRefs{DocumentKind: crm.DocumentUPD, Document: "УПД-5531", SKU: "PLT-40"},
		StatusLog:      []crm.ComplaintStatusChange{{To: crm.ComplaintReceived, At: at}},
		AcknowledgeDue: at.Add(4 * time.Hour), ResolveDue: at.Add(40 * time.Hour),
		Suggestion: &crm.RootCauseSuggestion{Code: "TRANSIT_DAMAGE", Confidence: 0.82,
			Evidence: []crm.SuggestionEvidence{{Kind: "term", Text: "разбит", Weight: 1.5}}},
		CreatedAt: at, UpdatedAt: at,
	}
}

// BenchmarkCreateComplaint stores a complaint with its event, one
// statement per complaint.
func BenchmarkCreateComplaint(b *testing.B) {
	st, _ := benchStore(b)
	ctx := context.Background()
	ids := clock.Sequential(41)
	c := benchClient(ids(), ids(), 1)
	if err := st.CreateClient(ctx, c, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		cp := benchComplaint(ids(), c.ID, benchT0)
		ev := crm.Event{ID: ids(), ClientID: c.ID, Kind: crm.EventComplaintReceived, At: benchT0, Subject: cp.ID}
		if err := st.CreateComplaint(ctx, cp, []crm.Event{ev}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListOverdueComplaints lists 100 overdue complaints out of 1,000.
func BenchmarkListOverdueComplaints(b *testing.B) {
	st, _ := benchStore(b)
	ctx := context.Background()
	ids := clock.Sequential(42)
	c := benchClient(ids(), ids(), 1)
	if err := st.CreateClient(ctx, c, nil); err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		cp := benchComplaint(ids(), c.ID, benchT0.Add(time.Duration(i)*time.Minute))
		if i%10 != 0 {
			cp.Status = crm.ComplaintClosed
		}
		if err := st.CreateComplaint(ctx, cp, nil); err != nil {
			b.Fatal(err)
		}
	}
	asOf := benchT0.AddDate(0, 1, 0)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range st.ListComplaints(ctx, crm.ComplaintFilter{OverdueAt: asOf}, store.Page{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100 {
			b.Fatalf("%d overdue", n)
		}
	}
}
