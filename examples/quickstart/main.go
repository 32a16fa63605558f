// Command quickstart is a tour of crmkit on the embedded memory store: a
// manager captures two leads (the second is caught as a duplicate),
// qualifies one, logs calls and a meeting, moves it through negotiation to
// customer, hands the work to a deputy for a vacation week, and prints the
// client card and its timeline. A claim about broken goods follows, from
// receipt on a Saturday to resolution within the business-time SLA. It
// ends with the money package splitting the first invoice.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	// The sales team: a head of sales with two managers under her.
	ids := clock.Sequential(7)
	head, anna, oleg := ids(), ids(), ids()
	team := crm.NewTeam()
	for _, err := range []error{
		team.Add(head, uuid.Nil, crm.RoleHeadOfSales),
		team.Add(anna, head, crm.RoleManager),
		team.Add(oleg, head, crm.RoleManager),
	} {
		if err != nil {
			return err
		}
	}
	actor := func(id uuid.UUID) crm.Actor { a, _ := team.Actor(ctx, id); return a }
	annaA, olegA := actor(anna), actor(oleg)

	// A clock we can move, so the tour spans weeks but runs in milliseconds.
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clk := clock.NewStepping(start, time.Minute)
	svc, err := crm.NewService(memory.New(), crm.Options{
		Clock:     clock.Options{Now: clk.Now, NewID: clock.Sequential(1)},
		Directory: team,
	})
	if err != nil {
		return err
	}

	section("1. Two leads from the exhibition")
	romashka, _, err := svc.CreateClient(ctx, annaA, crm.NewClient{
		Card: crm.Card{
			Kind:      crm.KindCompany,
			LegalName: `Общество с ограниченной ответственностью "Ромашка"`,
			ShortName: "Ромашка",
			TaxIDs:    []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: "7707083893"}},
			Industry:  "food retail",
			Source:    crm.SourceExhibition,
			Campaign:  "ПродЭкспо-2026",
			Tags:      []string{"Опт", "Москва"},
		},
		Contacts: []crm.Contact{{
			LastName: "Иванова", FirstName: "Мария", MiddleName: "Петровна",
			Position: "коммерческий директор", BuyingRole: crm.RoleDecisionMaker,
			Birthday: crm.Birthday{Month: time.February, Day: 29},
			Phones:   []string{"8 (916) 123-45-67"}, Emails: []string{"M.Ivanova@Romashka.ru"},
		}},
	})
	if err != nil {
		return err
	}
	fmt.Printf("created %q as a %s, contact phone %s\n", romashka.ShortName, romashka.Stage, romashka.Contacts[0].Phones[0])

	// Oleg met the same company at another stand and types it in again.
	_, dups, err := svc.CreateClient(ctx, olegA, crm.NewClient{Card: crm.Card{
		Kind: crm.KindCompany, LegalName: "ООО «РОМАШКА»",
		TaxIDs: []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: "7707083893"}},
	}})
	if !errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("expected the duplicate to be caught, got %v", err)
	}
	fmt.Println("second lead refused:", dups[0].Explain("en"))
	fmt.Println("по-русски:", dups[0].Explain("ru"))

	section("2. Qualify, call, meet, negotiate, win")
	if romashka, err = svc.ChangeStage(ctx, annaA, romashka.ID, crm.StageMove{To: crm.StageQualified, Reason: "budget confirmed"}); err != nil {
		return err
	}
	maria := romashka.Contacts[0].ID
	log := func(at time.Time, kind crm.InteractionKind, dir crm.Direction, outcome crm.Outcome, subject string) error {
		clk.Set(at.Add(time.Hour))
		_, err := svc.LogInteraction(ctx, annaA, crm.NewInteraction{ClientID: romashka.ID, Kind: kind, Direction: dir,
			At: at, Contacts: []uuid.UUID{maria}, Outcome: outcome, Subject: subject})
		return err
	}
	steps := []error{
		log(start.AddDate(0, 0, 1), crm.InteractionCall, crm.Outbound, crm.OutcomeNoAnswer, "first call"),
		log(start.AddDate(0, 0, 2), crm.InteractionCall, crm.Outbound, crm.OutcomeOfferSent, "price list for the spring range"),
		log(start.AddDate(0, 0, 5), crm.InteractionMeeting, crm.Outbound, crm.OutcomeReached, "tasting at their office"),
	}
	for _, err := range steps {
		if err != nil {
			return err
		}
	}
	if romashka, err = svc.ChangeStage(ctx, annaA, romashka.ID, crm.StageMove{To: crm.StageNegotiation}); err != nil {
		return err
	}
	_, err = svc.ChangeStage(ctx, annaA, romashka.ID, crm.StageMove{To: crm.StageDormant})
	fmt.Println("a wrong move is refused:", err)
	if romashka, err = svc.ChangeStage(ctx, annaA, romashka.ID, crm.StageMove{To: crm.StageCustomer, Reason: "contract signed"}); err != nil {
		return err
	}
	if romashka, err = svc.SetTier(ctx, annaA, romashka.ID, crm.TierKey, "annual volume above 10 mln ₽"); err != nil {
		return err
	}
	fmt.Printf("%s is now a %s, tier %s\n", romashka.ShortName, romashka.Stage, romashka.Tier.Name("en"))

	section("3. Anna's vacation: Oleg stands in")
	vacation := start.AddDate(0, 0, 14)
	if _, err := svc.Delegate(ctx, annaA, crm.NewDelegation{Deputy: oleg, From: vacation, To: vacation.AddDate(0, 0, 7), Reason: "vacation"}); err != nil {
		return err
	}
	clk.Set(vacation.Add(10 * time.Hour))
	call, err := svc.LogInteraction(ctx, olegA, crm.NewInteraction{ClientID: romashka.ID, Kind: crm.InteractionCall,
		Direction: crm.Inbound, At: vacation.Add(9 * time.Hour), Contacts: []uuid.UUID{maria},
		Outcome: crm.OutcomeOrderTaken, Subject: "urgent order while Anna is away"})
	if err != nil {
		return err
	}
	fmt.Printf("Oleg logged a call: recorded by %s on behalf of %s\n", who(call.RecordedBy, anna, oleg), who(call.OnBehalfOf, anna, oleg))
	if _, err := svc.RecordOrder(ctx, olegA, romashka.ID, vacation.Add(9*time.Hour)); err != nil {
		return err
	}
	clk.Set(vacation.AddDate(0, 0, 8))
	_, err = svc.GetClient(ctx, olegA, romashka.ID)
	fmt.Println("after the vacation Oleg has no access:", errors.Is(err, crm.ErrForbidden))

	section("4. The client card")
	card, err := svc.GetClient(ctx, annaA, romashka.ID)
	if err != nil {
		return err
	}
	printCard(card)

	section("5. The timeline, oldest first")
	for e, err := range svc.Timeline(ctx, annaA, romashka.ID, store.Page{}) {
		if err != nil {
			return err
		}
		by := who(e.Actor, anna, oleg)
		if e.OnBehalfOf != uuid.Nil {
			by += " for " + who(e.OnBehalfOf, anna, oleg)
		}
		fmt.Printf("  %s  %-13s %s\n", e.At.Format("2006-01-02 15:04"), by, e.Describe("en"))
	}

	section("6. Contact cadence")
	overdue, err := svc.OverdueContacts(ctx, annaA, anna, start.AddDate(0, 0, 40))
	if err != nil {
		return err
	}
	for _, o := range overdue {
		fmt.Printf("  %s (%s): last contact %s, %d days overdue\n", o.Name, o.Tier, o.LastContact.Format("2006-01-02"), o.DaysOverdue)
	}

	if err := complaintEpisode(ctx, svc, clk, annaA, romashka, anna, oleg); err != nil {
		return err
	}

	section("8. The first invoice, split exactly")
	total := money.MustParse("42253.45", money.RUB)
	discount := total.Mul(decimal.New(5, -2)).Round(money.HalfUp)
	due, _ := total.Sub(discount)
	parts, err := due.Split(3, money.HalfUp)
	if err != nil {
		return err
	}
	fmt.Printf("  total %s, 5%% key-client discount %s, due %s\n", total.Format("ru"), discount.Format("ru"), due.Format("ru"))
	for i, p := range parts {
		fmt.Printf("  instalment %d: %s\n", i+1, p.Format("ru"))
	}
	return nil
}

// complaintEpisode receives a claim on a Saturday, lets the categoriser
// suggest its cause, confirms it, acknowledges and resolves it, and shows
// the SLA and the complaint's part of the timeline.
func complaintEpisode(ctx context.Context, svc *crm.Service, clk *clock.Stepping, annaA crm.Actor, client crm.Client, anna, oleg uuid.UUID) error {
	section("7. A complaint, from receipt to resolution")
	msk := time.FixedZone("MSK", 3*60*60) // the default complaint SLA is stated in Moscow time
	saturday := time.Date(2026, 3, 28, 10, 0, 0, 0, msk)
	clk.Set(saturday.Add(2 * time.Hour))
	c, err := svc.ReceiveComplaint(ctx, annaA, crm.NewComplaint{
		ClientID:    client.ID,
		Contact:     client.Contacts[0].ID,
		Channel:     crm.ChannelEmail,
		ReceivedAt:  saturday,
		Subject:     "Бой стекла при доставке",
		Description: "Две коробки пришли смятыми, 12 банок разбиты при перевозке. Повреждение отмечено в накладной водителем.",
		Severity:    crm.SeverityHigh,
		Refs: crm.ComplaintRefs{Order: "ЗК-2026-0415", DocumentKind: crm.DocumentUPD, Document: "УПД-5531",
			SKU: "JAM-350", Batch: "B-0311", Quantity: decimal.NewFromInt(12), Unit: "шт"},
		Requested: crm.Remedy{Kind: crm.RemedyReplacement, Value: money.MustParse("4560.00", money.RUB)},
	})
	if err != nil {
		return err
	}
	fmt.Printf("received Saturday %s; acknowledge by %s, resolve by %s (business time, %s)\n",
		saturday.Format("15:04"), c.AcknowledgeDue.In(msk).Format("Mon 02 Jan 15:04"), c.ResolveDue.In(msk).Format("Mon 02 Jan 15:04"), c.SLAZone)

	monday := time.Date(2026, 3, 30, 9, 20, 0, 0, msk)
	clk.Set(monday)
	if c, err = svc.CategorizeComplaint(ctx, annaA, c.ID, rootcause.Facts{DamageNotedOnDelivery: true}); err != nil {
		return err
	}
	fmt.Printf("categoriser suggests %s (confidence %.0f%%, needs review: %v)\n", c.Suggestion.Code, 100*c.Suggestion.Confidence, c.Suggestion.NeedsReview)
	if c, err = svc.ConfirmRootCause(ctx, annaA, c.ID, crm.RootCauseInput{Code: "TRANSIT_DAMAGE", Text: "паллеты не закреплены в кузове"}); err != nil {
		return err
	}
	fmt.Printf("Anna confirms %s (agrees: %v), responsible: %s\n", c.RootCause.Code, c.RootCause.AgreesWithSuggestion, c.Responsible.Name("en"))
	granted := &crm.ResolutionInput{Outcome: crm.ResolutionGranted}
	_, err = svc.MoveComplaint(ctx, annaA, c.ID, crm.ComplaintMove{To: crm.ComplaintResolved, Resolution: granted})
	fmt.Println("a wrong move is refused:", err)
	for _, to := range []crm.ComplaintStatus{crm.ComplaintAcknowledged, crm.ComplaintInvestigating} {
		if c, err = svc.MoveComplaint(ctx, annaA, c.ID, crm.ComplaintMove{To: to}); err != nil {
			return err
		}
	}
	if c, err = svc.AddComplaintAction(ctx, annaA, c.ID, crm.NewComplaintAction{Kind: crm.ActionPreventive,
		Description: "require straps in every carrier order", Owner: oleg, Due: crm.Date{Year: 2026, Month: time.April, Day: 30}}); err != nil {
		return err
	}
	clk.Set(monday.Add(5 * time.Hour))
	if c, err = svc.RecordCompensation(ctx, annaA, c.ID, crm.NewCompensation{Kind: crm.CompensationReplacementOrder, Reference: "ЗК-2026-0431"}); err != nil {
		return err
	}
	if c, err = svc.MoveComplaint(ctx, annaA, c.ID, crm.ComplaintMove{To: crm.ComplaintResolved, Resolution: granted}); err != nil {
		return err
	}
	sla, err := svc.ComplaintSLA(ctx, annaA, c.ID, monday.Add(6*time.Hour))
	if err != nil {
		return err
	}
	fmt.Println("SLA:", sla.Acknowledge.Message("en"))
	fmt.Println("SLA:", sla.Resolve.Message("ru"))
	fmt.Println("the complaint on the timeline:")
	for e, err := range svc.Timeline(ctx, annaA, client.ID, store.Page{}) {
		if err != nil {
			return err
		}
		if e.Subject == c.ID {
			fmt.Printf("  %s  %-5s %s\n", e.At.In(msk).Format("2006-01-02 15:04"), who(e.Actor, anna, oleg), e.Describe("en"))
		}
	}
	return nil
}

func section(title string) { fmt.Printf("\n== %s\n", title) }

func who(id, anna, oleg uuid.UUID) string {
	switch id {
	case anna:
		return "Anna"
	case oleg:
		return "Oleg"
	case uuid.Nil:
		return "-"
	}
	return id.String()[:8]
}

func printCard(c crm.Client) {
	inn, _ := c.TaxID(taxid.KindINN)
	fmt.Printf("  %s (%s)\n", c.LegalName, c.Kind.Name("en"))
	fmt.Printf("  INN %s · stage %s · tier %s · tags %s\n", inn.Value, c.Stage, c.Tier, strings.Join(c.Tags, ", "))
	fmt.Printf("  source %s, campaign %s\n", c.Source.Name("en"), c.Campaign)
	for _, ct := range c.Contacts {
		fmt.Printf("  contact: %s, %s (%s), birthday %s, %s, %s\n", ct.FullName(), ct.Position,
			ct.BuyingRole.Name("en"), ct.Birthday, strings.Join(ct.Phones, " "), strings.Join(ct.Emails, " "))
	}
	fmt.Printf("  last order %s, last contact %s, version %d\n", c.LastOrderAt.Format("2006-01-02"), c.LastContactAt.Format("2006-01-02"), c.Version)
	durations := crm.StageDurations(c.StageLog, c.UpdatedAt)
	for _, stage := range crm.Stages() {
		if d := durations[stage]; d > 0 {
			fmt.Printf("  time in %-11s %s\n", stage, d.Round(time.Minute))
		}
	}
}
