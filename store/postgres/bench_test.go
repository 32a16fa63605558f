package postgres

// Benchmarks against the test server. Each single-row operation runs
// twice in one run: through the Store ("store") and as raw pgx doing the
// same work ("raw": the same SQL, sent the same way, with its parameters
// prepared by hand and its results scanned into plain values). The ratio
// of the two is the cost of the store's own code: encoding and decoding
// records, building keys, translating errors.
//
//	go test -run '^$' -bench . -benchmem ./store/postgres   (from the module)

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/postgres/internal/pgtest"
)

var benchT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func benchStore(b *testing.B) (*Store, *pgxpool.Pool) {
	b.Helper()
	pool, _ := pgtest.Schema(b, 8)
	if err := Migrate(context.Background(), pool); err != nil {
		b.Fatal(err)
	}
	return New(pool), pool
}

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

// benchClient is the i-th client of a benchmark: its own INN, phone,
// e-mail and name, a contact, a stage log and a credit limit.
func benchClient(id uuid.UUID, owner uuid.UUID, i int) crm.Client {
	c := crm.Client{ID: id, Owner: owner, Stage: crm.StageLead, Tier: crm.TierStandard, CreatedAt: benchT0, UpdatedAt: benchT0}
	c.Kind = crm.KindCompany
	c.LegalName = fmt.Sprintf("ООО «Компания %d»", i)
	c.TaxIDs = []taxid.ID{{Country: taxid.CountryRU, Kind: taxid.KindINN, Value: innWithChecksum(100000000 + i)}}
	c.Tags = []string{"opt"}
	c.Contacts = []crm.Contact{{
		ID: id, LastName: "Иванов", FirstName: "Пётр", Primary: true,
		Phones: []string{fmt.Sprintf("+7916%07d", i)},
		Emails: []string{fmt.Sprintf("buyer%d@example.com", i)},
	}}
	c.StageLog = []crm.StageChange{{To: crm.StageLead, At: benchT0, By: owner}}
	c.Credit.Limit = money.MustParse("150000.00", money.RUB)
	return c
}

// seedClients writes n clients (numbered from first) quickly: many
// creates per transaction, pipelined.
func seedClients(b *testing.B, pool *pgxpool.Pool, owner uuid.UUID, first, n int) []crm.Client {
	b.Helper()
	ctx := context.Background()
	newID := clock.UUIDv7
	var out []crm.Client
	for start := 0; start < n; start += 1000 {
		batch := &pgx.Batch{}
		batch.BeginTx(pgx.TxOptions{})
		for i := start; i < min(n, start+1000); i++ {
			c := benchClient(newID(), owner, first+i)
			p, err := encodeClient(&c)
			if err != nil {
				b.Fatal(err)
			}
			args := append([]any{c.ID}, p.args()...)
			batch.Queue(createClientSQL, append(args, p.lastContact, p.keyKinds, p.keyValues, nil)...)
			out = append(out, c)
		}
		br := pool.SendBatch(ctx, batch)
		if err := br.Close(); err != nil {
			b.Fatal(err)
		}
		if err := br.Tx().Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
	settle(b, pool)
	return out
}

// versus runs the store's and raw pgx's version of one operation as
// sub-benchmarks "store" and "raw" (for time and allocations), then both
// in alternation as "ratio", which reports store/raw: on a shared, noisy
// machine the alternation exposes both to the same load, so the ratio is
// steadier than a division of two separate runs.
func versus(b *testing.B, store, raw func(b *testing.B)) {
	b.Helper()
	b.Run("store", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			store(b)
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			raw(b)
		}
	})
	b.Run("ratio", func(b *testing.B) {
		var ts, tr time.Duration
		for b.Loop() {
			start := time.Now()
			store(b)
			mid := time.Now()
			raw(b)
			tr += time.Since(mid)
			ts += mid.Sub(start)
		}
		b.ReportMetric(float64(ts)/float64(tr), "store/raw")
		b.ReportMetric(float64(ts.Nanoseconds())/float64(b.N), "store-ns/op")
		b.ReportMetric(float64(tr.Nanoseconds())/float64(b.N), "raw-ns/op")
	})
}

// pgUUID is how raw pgx code passes a uuid in binary form.
func pgUUID(id uuid.UUID) pgtype.UUID { return pgtype.UUID{Bytes: id, Valid: true} }

// settle vacuums and analyzes after seeding, so that autovacuum does not
// run during the measurements.
func settle(b *testing.B, pool *pgxpool.Pool) {
	b.Helper()
	if _, err := pool.Exec(context.Background(), "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
}

// rawWrite runs statements as the store does: one pipeline that begins a
// transaction, then COMMIT.
func rawWrite(ctx context.Context, pool *pgxpool.Pool, queue func(*pgx.Batch)) error {
	batch := &pgx.Batch{}
	batch.BeginTx(pgx.TxOptions{})
	queue(batch)
	br := pool.SendBatch(ctx, batch)
	if err := br.Close(); err != nil {
		_ = br.Tx().Rollback(ctx)
		return err
	}
	return br.Tx().Commit(ctx)
}

// rawEvent is one event as JSON for the write statements, built by hand.
func rawEvent(id, client uuid.UUID, kind string, at time.Time) []byte {
	buf := make([]byte, 0, 200)
	buf = append(buf, `[{"n":0,"id":"`...)
	buf = append(buf, id.String()...)
	buf = append(buf, `","client_id":"`...)
	buf = append(buf, client.String()...)
	buf = append(buf, `","kind":"`...)
	buf = append(buf, kind...)
	buf = append(buf, `","at":"`...)
	buf = at.AppendFormat(buf, time.RFC3339Nano)
	buf = append(buf, `","data":{"fields":"tags"}}]`...)
	return buf
}

// The service's CreateClient over PostgreSQL: validation, the duplicate
// check (FindByKeys) and the write, against n existing clients.
func BenchmarkServiceCreateClient(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("existing=%d", n), func(b *testing.B) {
			st, pool := benchStore(b)
			ctx := context.Background()
			team := crm.NewTeam()
			me := uuid.MustParse("00000000-0000-7000-8000-000000000001")
			_ = team.Add(me, uuid.Nil, crm.RoleManager)
			actor, _ := team.Actor(ctx, me)
			seedClients(b, pool, me, 0, n)
			svc, err := crm.NewService(st, crm.Options{Directory: team})
			if err != nil {
				b.Fatal(err)
			}
			i := 0
			b.ReportAllocs()
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

func BenchmarkGetClient(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	cs := seedClients(b, pool, uuid.New(), 0, 1000)
	id := cs[500].ID
	var r clientRow
	versus(b, func(b *testing.B) {
		if _, err := st.GetClient(ctx, id); err != nil {
			b.Fatal(err)
		}
	}, func(b *testing.B) {
		err := pool.QueryRow(ctx, "SELECT "+clientColumns+" FROM crmkit_clients WHERE id = $1", pgUUID(id)).Scan(
			&r.id, &r.version, &r.owner, &r.stage, &r.tier, &r.tags, &r.accepted, &r.mergedInto,
			&r.limit, &r.currency, &r.lastContact, &r.created, &r.upd, &r.doc)
		if err != nil {
			b.Fatal(err)
		}
	})
}

// UpdateClient: the client with a tag changed and one event, at the
// version read.
func BenchmarkUpdateClient(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	cs := seedClients(b, pool, uuid.New(), 0, 1000)
	c := cs[100]
	c.Version = 1
	rc := cs[200]
	p, err := encodeClient(&rc)
	if err != nil {
		b.Fatal(err)
	}
	version := int64(1)
	versus(b, func(b *testing.B) {
		c.Tags = []string{"opt", "v" + strconv.Itoa(int(c.Version))}
		ev := crm.Event{ID: clock.UUIDv7(), ClientID: c.ID, Kind: crm.EventClientUpdated, At: benchT0,
			Data: map[string]string{"fields": "tags"}}
		if err := st.UpdateClient(ctx, c, []crm.Event{ev}); err != nil {
			b.Fatal(err)
		}
		c.Version++
	}, func(b *testing.B) {
		p.tags = []string{"opt", "v" + strconv.FormatInt(version, 10)}
		evs := rawEvent(clock.UUIDv7(), rc.ID, "client.updated", benchT0)
		var n int
		err := rawWrite(ctx, pool, func(batch *pgx.Batch) {
			args := append([]any{pgUUID(rc.ID), version}, p.args()...)
			batch.Queue(updateClientSQL, append(args, p.keyKinds, p.keyValues, evs)...).QueryRow(func(row pgx.Row) error {
				return row.Scan(&n)
			})
		})
		if err != nil || n != 1 {
			b.Fatal(n, err)
		}
		version++
	})
}

// CreateClient: a new client with its keys and one event, among 1,000.
func BenchmarkCreateClient(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	owner := uuid.New()
	seedClients(b, pool, owner, 0, 1000)
	proto := benchClient(uuid.New(), owner, 0)
	p, err := encodeClient(&proto)
	if err != nil {
		b.Fatal(err)
	}
	i, j := 0, 0
	versus(b, func(b *testing.B) {
		i++
		c := benchClient(clock.UUIDv7(), owner, 1_000_000+i)
		ev := crm.Event{ID: clock.UUIDv7(), ClientID: c.ID, Kind: crm.EventClientCreated, At: benchT0,
			Data: map[string]string{"stage": "lead"}}
		if err := st.CreateClient(ctx, c, []crm.Event{ev}); err != nil {
			b.Fatal(err)
		}
	}, func(b *testing.B) {
		j++
		id := clock.UUIDv7()
		n := strconv.Itoa(2_000_000 + j)
		inn := pgtype.Text{String: "RU:" + innWithChecksum(200_000_000+j), Valid: true}
		kinds := []string{"email", "inn", "name", "phone"}
		values := []string{"buyer" + n + "@example.com", inn.String, "компания " + n, "+7916" + n}
		evs := rawEvent(clock.UUIDv7(), id, "client.created", benchT0)
		err := rawWrite(ctx, pool, func(batch *pgx.Batch) {
			batch.Queue(createClientSQL, pgUUID(id), p.owner, p.stage, p.tier, p.tags, inn, p.accepted, p.mergedInto,
				p.limit, p.currency, p.created, p.updated, p.doc, p.lastContact, kinds, values, evs)
		})
		if err != nil {
			b.Fatal(err)
		}
	})
}

// AppendInteraction: a reached call with one event.
func BenchmarkAppendInteraction(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	cs := seedClients(b, pool, uuid.New(), 0, 100)
	in := crm.Interaction{ClientID: cs[10].ID, Kind: crm.InteractionCall, Direction: crm.Outbound,
		Outcome: crm.OutcomeReached, Subject: "поставка", Summary: "обсудили условия", Manager: cs[10].Owner,
		Contacts: []uuid.UUID{cs[10].Contacts[0].ID}, RecordedAt: benchT0, Duration: 5 * time.Minute}
	raw := in
	raw.ClientID = cs[20].ID
	doc, err := encodeInteractionDoc(&raw)
	if err != nil {
		b.Fatal(err)
	}
	at, rawAt := benchT0, benchT0
	versus(b, func(b *testing.B) {
		at = at.Add(time.Second)
		in.ID, in.At = clock.UUIDv7(), at
		ev := crm.Event{ID: clock.UUIDv7(), ClientID: in.ClientID, Kind: crm.EventInteractionLogged, At: at,
			Subject: in.ID, Data: map[string]string{"kind": "call", "outcome": "reached"}}
		if err := st.AppendInteraction(ctx, in, []crm.Event{ev}); err != nil {
			b.Fatal(err)
		}
	}, func(b *testing.B) {
		rawAt = rawAt.Add(time.Second)
		id := clock.UUIDv7()
		evs := rawEvent(clock.UUIDv7(), raw.ClientID, "interaction.logged", rawAt)
		var n int
		err := rawWrite(ctx, pool, func(batch *pgx.Batch) {
			batch.Queue(appendReachedSQL, pgUUID(id), pgUUID(raw.ClientID), rawAt, doc, evs).QueryRow(func(row pgx.Row) error {
				return row.Scan(&n)
			})
		})
		if err != nil || n != 1 {
			b.Fatal(n, err)
		}
	})
}

// FindByKeys with the keys of a new card, two of which match one stored
// client, among 10,000.
func BenchmarkFindByKeys(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	owner := uuid.New()
	seedClients(b, pool, owner, 0, 10_000)
	draft := benchClient(uuid.Nil, owner, 5000)
	draft.LegalName = "ООО «Новая компания»"
	draft.Contacts[0].Emails = []string{"new@example.com"}
	keys := draft.MatchKeys()
	kinds := make([]string, len(keys))
	values := make([]string, len(keys))
	for i, k := range keys {
		kinds[i], values[i] = string(k.Kind), k.Value
	}
	versus(b, func(b *testing.B) {
		got, err := st.FindByKeys(ctx, keys)
		if err != nil || len(got) != 2 {
			b.Fatal(len(got), err)
		}
	}, func(b *testing.B) {
		rows, err := pool.Query(ctx, `SELECT k.client_id, k.kind, k.value
			FROM unnest($1::text[], $2::text[]) AS q(kind, value)
			JOIN crmkit_client_keys k ON k.kind = q.kind AND k.value = q.value`, kinds, values)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		var id pgtype.UUID
		var kind, value string
		for rows.Next() {
			if err := rows.Scan(&id, &kind, &value); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if rows.Err() != nil || n != 2 {
			b.Fatal(n, rows.Err())
		}
	})
}

// A page of 50 events of a client with 100,000 of them.
func BenchmarkTimelinePage(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	const n = 100_000
	c := benchClient(clock.UUIDv7(), uuid.New(), 0)
	events := make([]crm.Event, n)
	for i := range events {
		events[i] = crm.Event{ID: clock.UUIDv7(), ClientID: c.ID, Kind: crm.EventInteractionLogged,
			At: benchT0.Add(time.Duration(i) * time.Minute), RecordedAt: benchT0, Actor: c.Owner, Subject: c.ID,
			Data: map[string]string{"kind": "call", "outcome": "reached"}}
	}
	if err := st.CreateClient(ctx, c, events); err != nil {
		b.Fatal(err)
	}
	settle(b, pool)
	middle := events[n/2].Cursor()
	for _, bc := range []struct {
		name string
		page store.Page
	}{
		{"first", store.Page{Limit: 50}},
		{"middle", store.Page{After: middle, Limit: 50}},
		{"newest", store.Page{Order: store.Descending, Limit: 50}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			versus(b, func(b *testing.B) {
				count := 0
				for _, err := range st.Timeline(ctx, c.ID, bc.page) {
					if err != nil {
						b.Fatal(err)
					}
					count++
				}
				if count != 50 {
					b.Fatalf("page of %d", count)
				}
			}, func(b *testing.B) {
				sql, args := timePage("SELECT "+eventColumns+" FROM crmkit_events WHERE client_id = $1",
					[]any{pgUUID(c.ID)}, bc.page.After, bc.page.Order, 50)
				rows, err := pool.Query(ctx, sql, args...)
				if err != nil {
					b.Fatal(err)
				}
				count := 0
				var id, client, actor, onBehalfOf, subject pgtype.UUID
				var recorded pgtype.Timestamptz
				var at time.Time
				var kind string
				var data []byte
				for rows.Next() {
					if err := rows.Scan(&id, &client, &kind, &at, &recorded, &actor, &onBehalfOf, &subject, &data); err != nil {
						b.Fatal(err)
					}
					count++
				}
				if rows.Err() != nil || count != 50 {
					b.Fatal(count, rows.Err())
				}
			})
		})
	}
}
