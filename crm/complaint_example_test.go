package crm_test

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store/memory"
)

// A complaint from receipt to resolution: categorised, acknowledged,
// resolved, with its SLA judged in Moscow business time.
func ExampleService_ReceiveComplaint() {
	ctx := context.Background()
	manager := uuid.MustParse("00000000-0000-7000-8000-00000000000a")
	team := crm.NewTeam()
	_ = team.Add(manager, uuid.Nil, crm.RoleManager)
	me, _ := team.Actor(ctx, manager)
	msk := time.FixedZone("MSK", 3*3600)
	clk := clock.NewStepping(time.Date(2026, 3, 7, 12, 0, 0, 0, msk), time.Minute) // a Saturday
	svc, err := crm.NewService(memory.New(), crm.Options{
		Clock:     clock.Options{Now: clk.Now, NewID: clock.Sequential(1)},
		Directory: team,
	})
	if err != nil {
		panic(err)
	}
	client, _, _ := svc.CreateClient(ctx, me, crm.NewClient{Card: crm.Card{Kind: crm.KindCompany, LegalName: `ООО "Ромашка"`}})

	c, err := svc.ReceiveComplaint(ctx, me, crm.NewComplaint{
		ClientID:    client.ID,
		Channel:     crm.ChannelEmail,
		ReceivedAt:  time.Date(2026, 3, 7, 10, 0, 0, 0, msk),
		Subject:     "Бой при доставке",
		Description: "Коробки смяты, 12 плиток разбиты при перевозке.",
		Refs:        crm.ComplaintRefs{DocumentKind: crm.DocumentUPD, Document: "УПД-5531", SKU: "PLT-40"},
		Requested:   crm.Remedy{Kind: crm.RemedyReplacement, Value: money.MustParse("18750", money.RUB)},
	})
	if err != nil {
		panic(err)
	}
	// Received on Saturday: the SLA clock starts on Monday at 09:00.
	fmt.Println("acknowledge by", c.AcknowledgeDue.In(msk).Format("Mon 15:04"))

	_, _ = svc.ConfirmRootCause(ctx, me, c.ID, crm.RootCauseInput{Code: "TRANSIT_DAMAGE", Text: "паллеты не закреплены"})
	clk.Set(time.Date(2026, 3, 9, 9, 30, 0, 0, msk))
	_, _ = svc.MoveComplaint(ctx, me, c.ID, crm.ComplaintMove{To: crm.ComplaintAcknowledged})
	_, err = svc.MoveComplaint(ctx, me, c.ID, crm.ComplaintMove{To: crm.ComplaintClosed})
	fmt.Println(err.(*crm.ComplaintError).Code())

	sla, _ := svc.ComplaintSLA(ctx, me, c.ID, time.Date(2026, 3, 9, 12, 0, 0, 0, msk))
	fmt.Println(sla.Acknowledge.Message("en"))
	fmt.Println(sla.Resolve.Message("ru"))
	// Output:
	// acknowledge by Mon 18:00
	// complaint_transition_not_allowed
	// acknowledge by 2026-03-09 18:00 MSK: met, 7h30m0s of business time to spare
	// решить до 2026-03-20 18:00 MSK: в работе, осталось 77h0m0s рабочего времени
}
