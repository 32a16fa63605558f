package crm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// FuzzCreateClient feeds arbitrary text into every free-form input of a
// new client. The service must never panic; it either creates the client
// or refuses with a *ValidationError (or a duplicate), and a refusal
// stores nothing.
func FuzzCreateClient(f *testing.F) {
	f.Add("ООО «Ромашка»", "7707083893", "8 (916) 123-45-67", "ivan@romashka.ru", "Иван", "1980-02-29", "опт", "romashka.ru")
	f.Add("", "", "", "", "", "", "", "")
	f.Add("\xff", "12345678901", "+7 000", "@", "\x00", "--02-30", "  ", "http://")
	f.Fuzz(func(t *testing.T, name, inn, phone, email, person, birthday, tag, site string) {
		team := crm.NewTeam()
		me := uuid.MustParse("00000000-0000-7000-8000-000000000001")
		_ = team.Add(me, uuid.Nil, crm.RoleManager)
		actor, _ := team.Actor(context.Background(), me)
		st := memory.New()
		svc, err := crm.NewService(st, crm.Options{Clock: clock.Options{Now: clock.Fixed(t0)}, Directory: team})
		if err != nil {
			t.Fatal(err)
		}
		bday, _ := crm.ParseBirthday(birthday)
		in := crm.NewClient{
			Card: crm.Card{Kind: crm.KindCompany, LegalName: name, Tags: []string{tag}, Website: site,
				TaxIDs: []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: inn}}},
			Contacts: []crm.Contact{{FirstName: person, Phones: []string{phone}, Emails: []string{email}, Birthday: bday}},
		}
		c, _, err := svc.CreateClient(context.Background(), actor, in)
		all, lerr := store.Collect(st.ListClients(context.Background(), crm.ClientFilter{}, store.Page{}))
		if lerr != nil {
			t.Fatal(lerr)
		}
		if err != nil {
			if !errors.Is(err, crm.ErrInvalid) && !errors.Is(err, store.ErrDuplicate) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			if len(all) != 0 {
				t.Fatal("a refused create stored a client")
			}
			return
		}
		if len(all) != 1 || all[0].ID != c.ID {
			t.Fatal("a successful create did not store exactly the client")
		}
		// What was stored is valid: storing it again through an edit
		// that changes nothing is accepted and writes nothing.
		again, err := svc.UpdateClient(context.Background(), actor, c.ID, func(*crm.Draft) error { return nil })
		if err != nil || again.Version != c.Version {
			t.Fatalf("the stored client does not validate again: %v", err)
		}
	})
}

// FuzzLogInteraction feeds arbitrary kinds, outcomes and text into an
// interaction.
func FuzzLogInteraction(f *testing.F) {
	f.Add("call", "outbound", "reached", "subject", "summary", int64(0), int64(60))
	f.Add("note", "", "", "", "", int64(-1), int64(-5))
	f.Add("pigeon", "sideways", "maybe", "\x00", "\xff", int64(1<<40), int64(1<<62))
	f.Fuzz(func(t *testing.T, kind, dir, outcome, subject, summary string, offsetSec, durSec int64) {
		w := newWorld(t)
		c := w.create(t, w.manager1, company("Ромашка", innSber))
		before, _ := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{}))
		at := t0.Add(time.Duration(offsetSec%(1<<33)) * time.Second)
		_, err := w.svc.LogInteraction(w.ctx, w.manager1, crm.NewInteraction{ClientID: c.ID,
			Kind: crm.InteractionKind(kind), Direction: crm.Direction(dir), Outcome: crm.Outcome(outcome),
			Subject: subject, Summary: summary, At: at, Duration: time.Duration(durSec)})
		after, _ := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{}))
		if err != nil {
			if !errors.Is(err, crm.ErrInvalid) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			if len(after) != len(before) {
				t.Fatal("a refused interaction reached the timeline")
			}
			return
		}
		if len(after) != len(before)+1 {
			t.Fatal("an accepted interaction is not on the timeline exactly once")
		}
	})
}
