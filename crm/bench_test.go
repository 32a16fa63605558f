package crm_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// innWithChecksum makes a valid 10-digit INN from a 9-digit prefix.
func innWithChecksum(prefix int) string {
	s := fmt.Sprintf("%09d", prefix)
	weights := []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + strconv.Itoa(sum%11%10)
}

// seededService returns a service over a memory store holding n clients,
// each with an INN, a phone, an e-mail and a name, written straight into
// the store so that seeding is fast.
func seededService(b *testing.B, n int) (*crm.Service, crm.Actor, *memory.Store) {
	b.Helper()
	ctx := context.Background()
	st := memory.New()
	team := crm.NewTeam()
	me := uuid.MustParse("00000000-0000-7000-8000-000000000001")
	_ = team.Add(me, uuid.Nil, crm.RoleManager)
	actor, _ := team.Actor(ctx, me)
	ids := clock.Sequential(3)
	for i := range n {
		c := crm.Client{
			ID: ids(),
			Card: crm.Card{Kind: crm.KindCompany, LegalName: fmt.Sprintf("ООО «Клиент %d»", i),
				TaxIDs: []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: innWithChecksum(100000000 + i)}}},
			Contacts: []crm.Contact{{ID: ids(), FirstName: "Имя", Primary: true,
				Phones: []string{fmt.Sprintf("+7916%07d", i)}, Emails: []string{fmt.Sprintf("c%d@example.ru", i)}}},
			Owner: me, Tier: crm.TierStandard, Stage: crm.StageLead,
			CreatedAt: t0, UpdatedAt: t0,
		}
		if err := st.CreateClient(ctx, c, nil); err != nil {
			b.Fatal(err)
		}
	}
	svc, err := crm.NewService(st, crm.Options{Clock: clock.Options{Now: clock.NewStepping(t0, time.Millisecond).Now}, Directory: team})
	if err != nil {
		b.Fatal(err)
	}
	return svc, actor, st
}

// BenchmarkCreateClient creates clients with a phone, an e-mail, a name and
// an INN each, running the duplicate check against n existing clients.
// The check goes through the store's key index, so its cost should not
// grow with n.
func BenchmarkCreateClient(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("existing=%d", n), func(b *testing.B) {
			svc, actor, _ := seededService(b, n)
			ctx := context.Background()
			i := 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				i++
				in := crm.NewClient{
					Card: crm.Card{Kind: crm.KindCompany, LegalName: fmt.Sprintf("ООО «Новый %d»", i),
						TaxIDs: []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: innWithChecksum(500000000 + i)}}},
					Contacts: []crm.Contact{{FirstName: "Анна", Phones: []string{fmt.Sprintf("+7925%07d", i)},
						Emails: []string{fmt.Sprintf("new%d@example.ru", i)}}},
				}
				if _, _, err := svc.CreateClient(ctx, actor, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTimelinePage reads a 50-event page of a client with 100,000
// events through the service (access check included), from the start,
// from a cursor in the middle, and newest first.
func BenchmarkTimelinePage(b *testing.B) {
	ctx := context.Background()
	svc, actor, st := seededService(b, 0)
	ids := clock.Sequential(4)
	client := crm.Client{ID: ids(), Card: crm.Card{Kind: crm.KindCompany, LegalName: "ООО «Ромашка»"},
		Owner: actor.ID, Tier: crm.TierStandard, Stage: crm.StageCustomer, CreatedAt: t0, UpdatedAt: t0}
	const events = 100_000
	evs := make([]crm.Event, events)
	for i := range evs {
		evs[i] = crm.Event{ID: ids(), ClientID: client.ID, Kind: crm.EventInteractionLogged,
			At: t0.Add(time.Duration(i) * time.Minute), RecordedAt: t0, Actor: actor.ID,
			Data: map[string]string{"kind": "call", "outcome": "reached"}}
	}
	if err := st.CreateClient(ctx, client, evs); err != nil {
		b.Fatal(err)
	}
	middle := evs[events/2].Cursor()
	for _, bc := range []struct {
		name string
		page store.Page
	}{
		{"first", store.Page{Limit: 50}},
		{"middle", store.Page{After: middle, Limit: 50}},
		{"newest", store.Page{Order: store.Descending, Limit: 50}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				for _, err := range svc.Timeline(ctx, actor, client.ID, bc.page) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != 50 {
					b.Fatalf("page of %d", n)
				}
			}
		})
	}
}
