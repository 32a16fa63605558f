// Command tour is crmkit's quickstart on PostgreSQL: it migrates the
// schema, creates a client, shows a second lead with the same INN caught
// as a duplicate, moves the client through its stages, logs a call, and
// prints the timeline and what the outbox holds for publishing.
//
//	CRMKIT_PG_DSN='postgres://user:pass@localhost:5432/crm' go run ./examples/tour
//
// The tables (crmkit_*) go to the first schema of the connection's
// search_path. Every run adds a new client with a fresh INN, so the tour
// can be run again on the same database.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/postgres"
)

func main() {
	dsn := os.Getenv("CRMKIT_PG_DSN")
	if dsn == "" {
		fmt.Fprintln(os.Stderr, "tour: set CRMKIT_PG_DSN to a PostgreSQL connection string, for example\n"+
			"  CRMKIT_PG_DSN='postgres://user:password@localhost:5432/crm' go run ./examples/tour")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, dsn, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn string, out io.Writer) error {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	st := postgres.New(pool)

	// Two managers; the clock is the system's (microseconds, UTC).
	anna, oleg := clock.UUIDv7(), clock.UUIDv7()
	team := crm.NewTeam()
	if err := errors.Join(team.Add(anna, uuid.Nil, crm.RoleManager), team.Add(oleg, uuid.Nil, crm.RoleManager)); err != nil {
		return err
	}
	annaA, _ := team.Actor(ctx, anna)
	olegA, _ := team.Actor(ctx, oleg)
	svc, err := crm.NewService(st, crm.Options{Directory: team})
	if err != nil {
		return err
	}

	inn := randomINN()
	fmt.Fprintln(out, "== a lead, and the same company typed in again")
	c, _, err := svc.CreateClient(ctx, annaA, crm.NewClient{
		Card: crm.Card{Kind: crm.KindCompany, LegalName: `ООО "Ромашка"`, ShortName: "Ромашка",
			TaxIDs: []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: inn}}},
		Contacts: []crm.Contact{{LastName: "Иванова", FirstName: "Мария", Phones: []string{"+7 916 123-45-67"}}},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created %s (INN %s), stage %s, version %d\n", c.ShortName, inn, c.Stage, c.Version)
	_, dups, err := svc.CreateClient(ctx, olegA, crm.NewClient{Card: crm.Card{Kind: crm.KindCompany,
		LegalName: "ООО «РОМАШКА»", TaxIDs: []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: inn}}}})
	if !errors.Is(err, store.ErrDuplicate) || len(dups) == 0 {
		return fmt.Errorf("the duplicate was not caught: %v", err)
	}
	fmt.Fprintln(out, "second lead refused:", dups[0].Explain("en"))

	fmt.Fprintln(out, "\n== stages and a call")
	for _, to := range []crm.Stage{crm.StageQualified, crm.StageNegotiation} {
		if c, err = svc.ChangeStage(ctx, annaA, c.ID, crm.StageMove{To: to}); err != nil {
			return err
		}
	}
	call, err := svc.LogInteraction(ctx, annaA, crm.NewInteraction{ClientID: c.ID, Kind: crm.InteractionCall,
		Direction: crm.Outbound, At: clock.System(), Contacts: []uuid.UUID{c.Contacts[0].ID},
		Outcome: crm.OutcomeOfferSent, Subject: "spring price list"})
	if err != nil {
		return err
	}
	if c, err = svc.ChangeStage(ctx, annaA, c.ID, crm.StageMove{To: crm.StageCustomer, Reason: "contract signed"}); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is a %s at version %d; last contact %s\n", c.ShortName, c.Stage, c.Version,
		call.At.Format(time.DateTime))

	fmt.Fprintln(out, "\n== timeline, oldest first")
	for e, err := range svc.Timeline(ctx, annaA, c.ID, store.Page{}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %s  %s\n", e.At.Format(time.DateTime), e.Describe("en"))
	}

	// What a host's publisher would see: every event, written in the same
	// transaction as its change. (The tour leaves them unpublished.)
	var pending int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM crmkit_outbox WHERE published_at IS NULL").Scan(&pending); err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%d events wait in the outbox for Store.ClaimOutbox\n", pending)
	return nil
}

// randomINN returns a valid 10-digit INN of an organisation (the check
// digit computed from the first nine), so that each run has its own.
func randomINN() string {
	s := "77" + fmt.Sprintf("%07d", rand.IntN(10_000_000))
	weights := []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + strconv.Itoa(sum%11%10)
}
