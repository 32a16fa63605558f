package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store/postgres"
	"github.com/crmkit/crmkit/store/postgres/internal/pgtest"
)

// TestMain runs the tests against the server CRMKIT_PG_DSN names or, when
// it is unset, a throwaway cluster started for the run (see pgtest).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// fixture is a store over a fresh, migrated schema of its own, with the
// pool behind it and the schema's name.
type fixture struct {
	st     *postgres.Store
	pool   *pgxpool.Pool
	schema string
}

func newFixture(tb testing.TB) fixture {
	tb.Helper()
	pool, schema := pgtest.Schema(tb, 8)
	if err := postgres.Migrate(context.Background(), pool); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return fixture{st: postgres.New(pool), pool: pool, schema: schema}
}

// poolWith returns another pool on the fixture's schema, with extra
// run-time parameters for its connections and other settings.
func (f fixture) poolWith(tb testing.TB, maxConns int32, params map[string]string, configure ...func(*pgxpool.Config)) *pgxpool.Pool {
	tb.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.DSN(tb))
	if err != nil {
		tb.Fatal(err)
	}
	cfg.MaxConns = maxConns
	cfg.ConnConfig.RuntimeParams["search_path"] = f.schema
	for k, v := range params {
		cfg.ConnConfig.RuntimeParams[k] = v
	}
	for _, c := range configure {
		c(cfg)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

var (
	t0    = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ids   = newIDs()
	owner = ids()
	actor = ids()
)

// newIDs returns a source of version-7-shaped ids that increase.
func newIDs() func() uuid.UUID {
	var counter atomic.Uint64
	base := uuid.Must(uuid.NewV7())
	return func() uuid.UUID {
		n := counter.Add(1)
		id := base
		for i := 0; i < 8; i++ {
			id[15-i] = byte(n >> (8 * i))
		}
		return id
	}
}

var innSeq atomic.Int64

// client returns a plain client with its own INN, phone, e-mail and name.
func client() crm.Client {
	seq := 1000 + innSeq.Add(1)
	id := ids()
	return crm.Client{
		ID: id,
		Card: crm.Card{
			Kind:      crm.KindCompany,
			LegalName: fmt.Sprintf("ООО «Тест-%d»", seq),
			TaxIDs:    []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: fmt.Sprintf("77%08d", seq)}},
			Tags:      []string{"opt"},
		},
		Contacts: []crm.Contact{{ID: ids(), LastName: "Иванов", Phones: []string{fmt.Sprintf("+7916%07d", seq)},
			Emails: []string{fmt.Sprintf("buyer%d@example.ru", seq)}, Primary: true}},
		Owner:     owner,
		Tier:      crm.TierStandard,
		Stage:     crm.StageLead,
		StageLog:  []crm.StageChange{{To: crm.StageLead, At: t0, By: actor}},
		CreatedAt: t0,
		CreatedBy: actor,
		UpdatedAt: t0,
		UpdatedBy: actor,
	}
}

// event returns an event of the client.
func event(client uuid.UUID, kind crm.EventKind, at time.Time) crm.Event {
	return crm.Event{ID: ids(), ClientID: client, Kind: kind, At: at, RecordedAt: at, Actor: actor,
		Data: map[string]string{"note": "test"}}
}

// interaction returns a reached call with the client.
func interaction(client uuid.UUID, at time.Time) crm.Interaction {
	return crm.Interaction{ID: ids(), ClientID: client, Kind: crm.InteractionCall, Direction: crm.Outbound,
		At: at, Outcome: crm.OutcomeReached, Manager: actor, RecordedAt: at, RecordedBy: actor}
}

func mustParse(s, code string) money.Amount {
	a, err := money.ParseCode(s, code)
	if err != nil {
		panic(err)
	}
	return a
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
