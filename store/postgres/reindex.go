package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmkit/crmkit/crm"
)

// reindexBatch is how many clients a re-index reads and rewrites at a
// time.
const reindexBatch = 500

// ReindexMatchKeys re-derives the duplicate-detection keys
// (crm.Client.MatchKeys) of every live client when the schema records an
// older derivation than crm.MatchKeysVersion, and records the new one.
// It returns how many clients it re-indexed: 0 when the keys are already
// current (or were derived by a newer crmkit, which it leaves alone).
//
// Migrate calls it after the migrations, in the same transaction, so a
// host that uses Migrate never needs it. A host that applies Migrations
// with a tool of its own calls it once after them. Until then lookups
// compare new keys with stored old ones: a key whose derivation did not
// change (an INN, a phone, an e-mail, most names) is found as before; one
// whose derivation did (a foreign tax id written with separators or a
// country prefix, initials written with spaces) is missed, even for a
// client spelled exactly as the stored one, and so is the "surname +
// initials" key that a name written out with a patronymic now has. It
// runs at READ COMMITTED in one transaction, holding Migrate's lock, so
// concurrent calls re-index once. It locks each live client it re-indexes
// (FOR UPDATE) until it commits, so that a concurrent write is neither
// lost nor undone: writes of clients already re-indexed wait for the end
// of the re-index. Clients written meanwhile by processes of an older
// crmkit get the old keys again until they are next written by a current
// one. It re-indexes 13,000 to 15,000 clients a second on a small machine
// (BENCHMARKS.md).
func ReindexMatchKeys(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return 0, backendError(ctx, "reindex", err)
	}
	defer rollback(ctx, tx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrateLock); err != nil {
		return 0, backendError(ctx, "reindex", err)
	}
	n, err := reindexMatchKeys(ctx, tx)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, backendError(ctx, "reindex", err)
	}
	return n, nil
}

// reindexMatchKeys does ReindexMatchKeys's work in tx.
func reindexMatchKeys(ctx context.Context, tx pgx.Tx) (int, error) {
	var version int
	err := tx.QueryRow(ctx, "SELECT value FROM crmkit_settings WHERE name = 'match_keys_version' FOR UPDATE").Scan(&version)
	if err != nil {
		return 0, backendError(ctx, "reindex", err)
	}
	if version >= crm.MatchKeysVersion {
		return 0, nil
	}
	total := 0
	var after pgid // the nil UUID sorts first; no client has it
	for {
		// FOR UPDATE: a client written concurrently is read as its writer
		// committed it (READ COMMITTED re-reads a row it waited for), and
		// cannot be rewritten between this read and the keys derived from
		// it, which would otherwise put back the keys of the card before
		// the write.
		rows, err := tx.Query(ctx, "SELECT "+clientColumns+` FROM crmkit_clients
			WHERE merged_into IS NULL AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE`, after, reindexBatch)
		clients, err := collect(rows, err, reindexBatch, func(r pgx.Rows) (crm.Client, error) { return scanClient(r) })
		if err != nil {
			return 0, backendError(ctx, "reindex", err)
		}
		if len(clients) == 0 {
			break
		}
		b := &pgx.Batch{}
		for _, c := range clients {
			keys := c.MatchKeys()
			kinds, values := make([]string, len(keys)), make([]string, len(keys))
			for i, k := range keys {
				kinds[i], values[i] = string(k.Kind), k.Value
			}
			b.Queue(replaceKeysSQL, pgid(c.ID), kinds, values)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return 0, backendError(ctx, "reindex", err)
		}
		total += len(clients)
		after = pgid(clients[len(clients)-1].ID)
	}
	if _, err := tx.Exec(ctx, "UPDATE crmkit_settings SET value = $1 WHERE name = 'match_keys_version'", crm.MatchKeysVersion); err != nil {
		return 0, backendError(ctx, "reindex", err)
	}
	if total > 0 {
		// Keep the planner's picture of the key table current after a
		// rewrite of every row.
		if _, err := tx.Exec(ctx, "ANALYZE crmkit_client_keys"); err != nil {
			return 0, backendError(ctx, "reindex", fmt.Errorf("analyze: %w", err))
		}
	}
	return total, nil
}
