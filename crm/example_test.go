package crm_test

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

func Example() {
	ctx := context.Background()
	manager := uuid.MustParse("00000000-0000-7000-8000-00000000000a")
	team := crm.NewTeam()
	_ = team.Add(manager, uuid.Nil, crm.RoleManager)
	me, _ := team.Actor(ctx, manager)

	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, err := crm.NewService(memory.New(), crm.Options{
		Clock:     clock.Options{Now: clock.NewStepping(start, time.Minute).Now, NewID: clock.Sequential(1)},
		Directory: team,
	})
	if err != nil {
		panic(err)
	}

	client, _, err := svc.CreateClient(ctx, me, crm.NewClient{
		Card: crm.Card{
			Kind:      crm.KindCompany,
			LegalName: `ООО "Ромашка"`,
			ShortName: "Ромашка",
			TaxIDs:    []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: "7707083893"}},
			Source:    crm.SourceExhibition,
		},
		Contacts: []crm.Contact{{LastName: "Иванова", FirstName: "Анна", Phones: []string{"8 (916) 123-45-67"}}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(client.ShortName, client.Stage, client.Contacts[0].Phones[0])

	// The same INN again is caught.
	_, dups, err := svc.CreateClient(ctx, me, crm.NewClient{Card: crm.Card{
		Kind: crm.KindCompany, LegalName: "Ромашка АО",
		TaxIDs: []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: "7707083893"}},
	}})
	fmt.Println(err != nil, dups[0].Explain("en"))

	_, err = svc.ChangeStage(ctx, me, client.ID, crm.StageMove{To: crm.StageChurned})
	fmt.Println(err.(*crm.TransitionError).Message("ru"))

	_, _ = svc.LogInteraction(ctx, me, crm.NewInteraction{ClientID: client.ID, Kind: crm.InteractionCall,
		Direction: crm.Outbound, At: start.Add(time.Minute), Outcome: crm.OutcomeReached, Subject: "прайс-лист"})
	for e, err := range svc.Timeline(ctx, me, client.ID, store.Page{}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(e.Describe("en"))
	}
	// Output:
	// Ромашка lead +79161234567
	// true same INN RU:7707083893; same name «ромашка»
	// crm: нельзя перейти из стадии «лид» в «ушедший»; допустимо: «квалифицирован», «переговоры», «клиент», «потерян»
	// client created as lead
	// call «прайс-лист» — reached
}
