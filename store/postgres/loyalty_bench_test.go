package postgres

// Loyalty benchmarks against the test server, each run through the Store
// and as raw pgx doing the same work (see versus in bench_test.go): the
// same statements, sent the same way, with plain values scanned and the
// posting's arithmetic done by hand instead of by loyalty.Apply. Every
// account holds 10,000 lots of 10,000 to 99,000 points earned over a
// year, nine in ten expiring a year after they were earned — the size of
// the goal (under 200 µs for balance and redemption on the memory
// store). A posting reads only the lots it needs (loyalty.Posting.Needs),
// so its cost does not depend on how many lots the account has; the
// server's work (planning and running a few statements, three round
// trips) dominates.
//
//	go test -run '^$' -bench Loyalty -benchmem ./   (from this module)

import (
	"context"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
)

var benchDay = loyalty.MustDate(2026, 3, 1)

// seedLoyalty creates the accounts, each with n lots and their earn
// entries, in a few statements.
func seedLoyalty(b *testing.B, st *Store, pool *pgxpool.Pool, n int, ids ...string) {
	b.Helper()
	ctx := context.Background()
	for _, id := range ids {
		if err := st.CreateAccount(ctx, loyalty.Account{ID: id, Programme: "p", Opened: loyalty.MustDate(2025, 3, 1)}); err != nil {
			b.Fatal(err)
		}
		_, err := pool.Exec(ctx, `
			WITH s AS (
				SELECT i, DATE '2025-03-01' + ((i - 1) % 365) AS earned, (10 + (i - 1) % 90) * 1000 AS points
				FROM generate_series(1, $2::int) AS i
			), lots AS (
				INSERT INTO crmkit_loyalty_lots (account_id, id, earned, expires, points, remaining, source)
				SELECT $1, i, earned, CASE WHEN (i - 1) % 10 = 0 THEN NULL ELSE earned + 365 END, points, points, 'welcome' FROM s
			), entries AS (
				INSERT INTO crmkit_loyalty_entries (account_id, seq, kind, key, day, source, points, lot, expires)
				SELECT $1, i, 'earn', 'seed-' || i, earned, 'welcome', points, i,
					CASE WHEN (i - 1) % 10 = 0 THEN NULL ELSE earned + 365 END FROM s
			)
			UPDATE crmkit_loyalty_accounts SET version = 2, last_seq = $2,
				balance = (SELECT sum(points) FROM s), last_earned = (SELECT max(earned) FROM s)
			WHERE id = $1`, id, n)
		if err != nil {
			b.Fatal(err)
		}
	}
	settle(b, pool)
}

// Balance of an account with 10,000 lots: today with what expires within
// 30 days, and as of a past day.
func BenchmarkLoyaltyBalance(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	seedLoyalty(b, st, pool, 10_000, "a")
	for _, bc := range []struct {
		name string
		q    loyalty.BalanceQuery
	}{
		{"today", loyalty.BalanceQuery{AsOf: benchDay, ExpiringThrough: benchDay.AddDays(30)}},
		{"past day", loyalty.BalanceQuery{AsOf: loyalty.MustDate(2025, 9, 1)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var r loyaltyAccountRow
			var expired, pending pgtype.Numeric
			var days []pgtype.Date
			var points []pgtype.Numeric
			versus(b, func(b *testing.B) {
				bal, err := st.Balance(ctx, "a", bc.q)
				if err != nil || bal.Available.Sign() <= 0 {
					b.Fatal(bal, err)
				}
			}, func(b *testing.B) {
				err := pool.QueryRow(ctx, balanceSQL, "a", pgDate(bc.q.AsOf), pgDate(bc.q.ExpiringThrough)).
					Scan(append(r.targets(), &expired, &pending, &days, &points)...)
				if err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// rawLot is a lot as the raw side reads it.
type rawLot struct {
	id                       int64
	earned, expires          pgtype.Date
	points, remaining, spent pgtype.Numeric
	order, source            string
}

// rawPost runs a posting as the store does, by hand: BEGIN and the reads
// (the account locked, the key, its entries, then for an order its
// entries and reservation, for a redemption of need points the points
// available and the walk of the usable lots up to need) in one pipeline,
// then the writes queue builds from the account's version and last
// sequence number and the lots read, then COMMIT.
func rawPost(b *testing.B, ctx context.Context, pool *pgxpool.Pool, acct, key, order string, need decimal.Decimal, write func(batch *pgx.Batch, version, lastSeq int64, lots []rawLot)) {
	var r loyaltyAccountRow
	var lots []rawLot
	var expired, pending pgtype.Numeric
	batch := &pgx.Batch{}
	batch.BeginTx(pgx.TxOptions{})
	batch.Queue("SELECT "+loyaltyAccountColumns+" FROM crmkit_loyalty_accounts WHERE id = $1 FOR NO KEY UPDATE", acct).
		QueryRow(func(row pgx.Row) error { return row.Scan(r.targets()...) })
	batch.Queue(`SELECT fingerprint, first_seq, last_seq, account FROM crmkit_loyalty_postings WHERE account_id = $1 AND key = $2`, acct, key)
	batch.Queue(`SELECT `+prefixed("e.", loyaltyEntryColumns)+` FROM crmkit_loyalty_postings k
		JOIN crmkit_loyalty_entries e ON e.account_id = k.account_id AND e.seq BETWEEN k.first_seq AND k.last_seq
		WHERE k.account_id = $1 AND k.key = $2 ORDER BY e.seq`, acct, key)
	if order != "" {
		batch.Queue(`SELECT `+loyaltyEntryColumns+` FROM crmkit_loyalty_entries WHERE account_id = $1 AND order_id = $2 ORDER BY seq`, acct, order)
		batch.Queue(`SELECT `+loyaltyReservationColumns+` FROM crmkit_loyalty_reservations WHERE account_id = $1 AND order_id = $2`, acct, order)
	}
	if need.Sign() > 0 {
		day := pgDate(benchDay)
		batch.Queue(postSumsSQL, acct, day).QueryRow(func(row pgx.Row) error { return row.Scan(&expired, &pending) })
		batch.Queue(postWalkSQL, acct, day, numeric(need), walkBatch).Query(func(rows pgx.Rows) error {
			var l rawLot
			for rows.Next() {
				if err := rows.Scan(&l.id, &l.earned, &l.expires, &l.points, &l.remaining, &l.spent, &l.order, &l.source); err != nil {
					return err
				}
				lots = append(lots, l)
			}
			return rows.Err()
		})
	}
	br := pool.SendBatch(ctx, batch)
	if err := br.Close(); err != nil {
		b.Fatal(err)
	}
	tx := br.Tx()
	writes := &pgx.Batch{}
	write(writes, r.version, r.lastSeq, lots)
	if err := tx.SendBatch(ctx, writes).Close(); err != nil {
		_ = tx.Rollback(ctx)
		b.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		b.Fatal(err)
	}
}

// rawAccountDoc is the account document of a raw posting's key.
func rawAccountDoc(acct string, version, lastSeq int64) []byte {
	return fmt.Appendf(nil, `{"id":%q,"programme":"p","balance":"0","reserved":"0","debt":"0","last_seq":%d,"version":%d}`, acct, lastSeq, version)
}

var five = decimal.NewFromInt(5)

// A 5-point redemption from an account with 10,000 lots.
func BenchmarkLoyaltyRedeem(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	seedLoyalty(b, st, pool, 10_000, "s", "r")
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	i, j := 0, 0
	versus(b, func(b *testing.B) {
		i++
		key := fmt.Sprint("redeem-", i)
		res, err := st.Post(ctx, loyalty.Posting{Account: "s", Key: key, Fingerprint: key, Kind: loyalty.PostRedeem,
			Date: benchDay, At: at, Points: decimal.NewFromInt(5)})
		if err != nil || len(res.Entries) != 1 {
			b.Fatal(res, err)
		}
	}, func(b *testing.B) {
		j++
		key := fmt.Sprint("redeem-", j)
		rawPost(b, ctx, pool, "r", key, "", five, func(batch *pgx.Batch, version, lastSeq int64, lots []rawLot) {
			// The first lot usable today with 5 points left.
			var lot rawLot
			var left decimal.Decimal
			day := pgDate(benchDay).Time
			for _, l := range lots {
				rem, err := decimalFrom(l.remaining)
				if err != nil {
					b.Fatal(err)
				}
				if !l.earned.Time.After(day) && (!l.expires.Valid || !l.expires.Time.Before(day)) && rem.Cmp(five) >= 0 {
					lot, left = l, rem.Sub(five)
					break
				}
			}
			minus := pgtype.Numeric{Int: big.NewInt(-5), Valid: true}
			seq := lastSeq + 1
			batch.Queue(`UPDATE crmkit_loyalty_accounts SET version = $2, balance = balance - 5, last_seq = $3, updated_at = $4
				WHERE id = $1 AND version = $5`, "r", version+1, seq, at, version)
			batch.Queue(`UPDATE crmkit_loyalty_lots l SET points = u.points, remaining = u.remaining, expired = u.expired
				FROM unnest($2::bigint[], $3::numeric[], $4::numeric[], $5::numeric[]) AS u(id, points, remaining, expired)
				WHERE l.account_id = $1 AND l.id = u.id`, "r", []int64{lot.id}, []pgtype.Numeric{lot.points}, []pgtype.Numeric{numeric(left)}, []pgtype.Numeric{lot.spent})
			batch.Queue(`INSERT INTO crmkit_loyalty_entries (account_id, seq, kind, key, day, at, points, draw_lots, draw_points)
				VALUES ($1, $2, 'redeem', $3, $4, $5, $6, $7, $8)`, "r", seq, key, pgDate(benchDay), at, minus, []int64{lot.id}, []pgtype.Numeric{minus})
			batch.Queue(`INSERT INTO crmkit_loyalty_postings (account_id, key, fingerprint, first_seq, last_seq, account)
				VALUES ($1, $2, $3, $4, $4, $5)`, "r", key, key, seq, rawAccountDoc("r", version+1, seq))
		})
	})
}

// The earning of a purchase (a new lot and its entry) on an account with
// 10,000 lots: a purchase has an order, so the order's entries and
// reservation are read too, and no lot.
func BenchmarkLoyaltyPostEarn(b *testing.B) {
	st, pool := benchStore(b)
	ctx := context.Background()
	seedLoyalty(b, st, pool, 10_000, "s", "r")
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	total := money.MustParse("1234.50", money.RUB)
	i, j := 0, 0
	versus(b, func(b *testing.B) {
		i++
		key := fmt.Sprint("earn-", i)
		res, err := st.Post(ctx, loyalty.Posting{Account: "s", Key: key, Fingerprint: key, Kind: loyalty.PostEarn,
			Source: loyalty.SourcePurchase, Order: fmt.Sprint("o", i), Date: benchDay, At: at, Expires: benchDay.AddDays(365),
			Points: decimal.NewFromInt(12), Total: total, Paid: total, Qualifying: total, TierPoints: decimal.NewFromInt(12)})
		if err != nil || len(res.Entries) != 1 {
			b.Fatal(res, err)
		}
	}, func(b *testing.B) {
		j++
		key, order := fmt.Sprint("earn-", j), fmt.Sprint("o", j)
		rawPost(b, ctx, pool, "r", key, order, decimal.Decimal{}, func(batch *pgx.Batch, version, lastSeq int64, _ []rawLot) {
			seq := lastSeq + 1
			twelve := pgtype.Numeric{Int: big.NewInt(12), Valid: true}
			amount := pgtype.Numeric{Int: big.NewInt(123450), Exp: -2, Valid: true}
			earned, expires := pgDate(benchDay), pgDate(benchDay.AddDays(365))
			batch.Queue(`UPDATE crmkit_loyalty_accounts SET version = $2, balance = balance + 12, last_seq = $3, updated_at = $4,
				paid_orders = paid_orders + 1, last_order = $6, last_earned = $6
				WHERE id = $1 AND version = $5`, "r", version+1, seq, at, version, earned)
			batch.Queue(`INSERT INTO crmkit_loyalty_lots (account_id, `+loyaltyLotColumns+`)
				SELECT $1, u.* FROM unnest($2::bigint[], $3::date[], $4::date[], $5::numeric[], $6::numeric[],
					$7::numeric[], $8::text[], $9::text[]) AS u`,
				"r", []int64{seq}, []pgtype.Date{earned}, []pgtype.Date{expires}, []pgtype.Numeric{twelve}, []pgtype.Numeric{twelve},
				[]pgtype.Numeric{{Int: big.NewInt(0), Valid: true}}, []string{order}, []string{"purchase"})
			batch.Queue(`INSERT INTO crmkit_loyalty_entries (account_id, seq, kind, key, day, at, order_id, source, points, lot, expires,
					total, total_currency, paid, paid_currency, qualifying, qualifying_currency, tier_points)
				VALUES ($1, $2, 'earn', $3, $4, $5, $6, 'purchase', $7, $2, $8, $9, 'RUB', $9, 'RUB', $9, 'RUB', $7)`,
				"r", seq, key, earned, at, order, twelve, expires, amount)
			batch.Queue(`INSERT INTO crmkit_loyalty_postings (account_id, key, fingerprint, first_seq, last_seq, account)
				VALUES ($1, $2, $3, $4, $4, $5)`, "r", key, key, seq, rawAccountDoc("r", version+1, seq))
		})
	})
}
