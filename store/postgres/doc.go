// Package postgres keeps crmkit's records in PostgreSQL: it implements
// every Store interface of the domain packages (crm.Store and
// loyalty.Store) over a pgx connection pool. One *Store serves both, so a
// host binds a single store to its transaction (WithTx) to write an order
// and the points it earns together.
//
// It is a module of its own (github.com/crmkit/crmkit/store/postgres), so
// that hosts that keep their data elsewhere never pull a database driver.
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	...
//	if err := postgres.Migrate(ctx, pool); err != nil { ... }
//	svc, err := crm.NewService(postgres.New(pool), crm.Options{...})
//
// # Schema
//
// The schema is a set of numbered SQL migrations embedded in the package.
// Migrate applies those the database lacks, in one transaction under an
// advisory lock (so processes starting together do not race), records
// them in crmkit_schema_migrations, and refuses a schema newer than it
// knows (ErrSchemaTooNew). Hosts with a migration tool of their own take
// the files from Migrations instead. Every table is named crmkit_* and
// lives in the first schema of the connection's search_path.
//
// The duplicate-detection keys (crmkit_client_keys) are derived in Go
// (crm.Client.MatchKeys), so no SQL file can re-derive them when the
// derivation changes. crmkit_settings records which derivation
// (crm.MatchKeysVersion) the keys follow; after the migrations Migrate
// re-derives the keys of every live client if that is older than this
// crmkit's, and a host with its own migration tool calls
// ReindexMatchKeys after applying the files.
//
// A record keeps in columns what the store filters, orders or checks on —
// ids (uuid), versions, owner, stage, tier, tags (text[]), the INN key,
// the merge link, instants (timestamptz) — and the rest in a jsonb
// document. The document's shape is defined by this package with
// snake_case names of its own (not the Go field names), so renaming a Go
// field never changes stored data; empty values are left out, instants
// are RFC 3339 in UTC, calendar dates "YYYY-MM-DD" ("--MM-DD" for a
// birthday without a year), decimals strings with every digit. Money is a
// numeric column with the ISO 4217 code beside it (crmkit_clients.
// credit_limit, credit_currency), written and read through the decimal's
// coefficient and exponent, never through a float or a rounded string;
// the zero Amount (no currency) is NULL in both.
//
// Instants are kept to the microsecond, as PostgreSQL does (crm's Service
// and clock.System already truncate to it), and are read back in UTC.
//
// # Contract
//
// The store keeps the contract of the store package, which
// store/storetest checks against a real server in this package's tests:
//
//   - Writes are all or nothing: each is one transaction, sent as one
//     pipeline (BEGIN and all its statements in one round trip), and
//     COMMIT follows only once every result has come back and been
//     checked — so a write whose context ends midway is never committed
//     behind the caller's back. CreateClient, UpdateClient and
//     AppendInteraction are a single statement each (data-modifying CTEs:
//     the record, its duplicate-detection keys, its timeline events and
//     their outbox rows), except that a correction of an interaction adds
//     a second statement in the same transaction; MergeClients locks both
//     clients in id order, then moves everything in the same transaction.
//   - Updates carry the version they read: UPDATE ... WHERE id = $1 AND
//     version = $2. When no row matches, the store reads why and reports
//     store.ErrNotFound or store.ErrConflict.
//   - Unique violations become store.ErrDuplicate naming the field ("id",
//     or "inn" for the partial unique index on live, not accepted-
//     duplicate clients); an event or interaction naming a client that
//     does not exist becomes store.ErrNotFound; an interaction for a
//     merged client store.ErrConflict.
//   - A delegation's overlap check runs after writing its principal's row
//     of crmkit_delegation_principals, whose lock makes the check atomic
//     with the write at any isolation level (under REPEATABLE READ a
//     concurrent writer gets a serialization failure, not a stale check).
//   - AppendInteraction moves LastContactAt with GREATEST in the same
//     statement, without a new version; a correction instead recomputes
//     it from the interactions in force, under the client's row lock
//     (FOR UPDATE). UpdateClient never writes it.
//   - A serialization failure or deadlock (SQLSTATE 40001, 40P01) runs the
//     write again, up to five times with jittered backoff: every write
//     carries all it needs, so repeating it is safe. (Under the default
//     READ COMMITTED isolation they are rare; they matter when the host
//     sets REPEATABLE READ or SERIALIZABLE as the default.) One that still
//     fails after the last attempt, or fails a read (reads are not
//     retried), or fails inside a host transaction, matches
//     store.ErrConflict as well as ErrBackend: the caller reads again and
//     retries, as crm.Service does for a version conflict.
//   - MergeClients runs at READ COMMITTED whatever the database's default,
//     so that it moves the records other writers committed while it
//     waited for the clients' row locks; in a host transaction (WithTx),
//     whose isolation a savepoint cannot change, it is refused with
//     ErrInvalid unless that transaction is READ COMMITTED. Migrate, too,
//     runs at READ COMMITTED, so that processes starting together see each
//     other's migrations.
//   - No driver type or error leaves the package: besides the contract's
//     kinds and the context's errors, failures are an *Error (matching
//     ErrBackend) carrying the SQLSTATE and the server's message; requests
//     that would corrupt the store wrap ErrInvalid.
//
// # Loyalty
//
// Migration 0002 keeps loyalty accounts (their running totals in numeric
// columns), the append-only ledger of entries (draws as parallel bigint[]
// and numeric[] arrays, money as numeric plus currency code), lots,
// reservations, and the idempotency keys of postings. Account ids, order
// ids and keys are the host's text (account ids sort bytewise, COLLATE
// "C"). Post runs in one transaction: it locks the account's row with
// SELECT ... FOR NO KEY UPDATE, reads the key, the order's entries and
// reservation and what the posting needs (loyalty.Posting.Needs: the
// points available, summed by the server, and the soonest-expiring lots
// until their running total covers the amount, read in growing batches
// through the index of lots with points left; the order's lots for a
// capture, release or return) in one pipeline with BEGIN, calls
// loyalty.Apply, and writes the account, the lots, the entries, the
// reservation and the key (a second pipeline) before COMMIT. The row lock
// queues the postings of one account — concurrent redemptions never
// overdraw it — and leaves other accounts alone; SERIALIZABLE was not
// chosen because every posting of an account conflicts on that row, so it
// would only turn waiting into failed transactions and retries. A key
// remembers the request's fingerprint, the account as the posting left it
// (jsonb) and the range of its entries: a repeated key returns that first
// result and writes nothing, another fingerprint is a
// *loyalty.KeyReuseError. A failed or cancelled posting writes nothing and
// leaves its key free. Balance and Qualifying sum in the server (partial
// indexes on the lots with points left, by expiry and by day earned) and
// build the result with loyalty.SummariseSums. A redemption on an account
// with 10,000 lots with points left costs about 2 ms, an earning about 1
// ms, with allocations independent of the number of lots.
//
// # Complaints
//
// Migration 0003 keeps complaints in crmkit_complaints: client, status,
// handler, received-at, the SLA deadlines and version in columns, the rest
// in a jsonb document. A complaint write locks its client's row FOR SHARE,
// so it queues behind a merge of that client; MergeClients moves the
// complaints to the survivor, each with its next version.
// UpdateComplaints writes several complaints in one transaction, one
// versioned UPDATE each, in id order (so two such writes lock the
// complaints they share in the same order), and writes none if any is
// stale, missing or moved to another client.
// Migration 0004 adds on_hold, set while the complaint's last hold (kept
// in the document) lasts, and migration 0007 held_since, the instant that
// hold began. An overdue listing leaves out only the deadlines that were
// still ahead when the hold began (acknowledge_due or resolve_due later
// than held_since), so a complaint that had already missed a deadline
// when it was put on hold stays overdue; the partial index of open
// complaints covers held complaints too.
//
// # Listings
//
// Listings stream with keyset pagination, 200 rows per query
// (WHERE (at, id) > ($1, $2) ORDER BY at, id LIMIT 200 for timelines and
// interactions, by id for clients and delegations, with an index behind
// each). A batch is read completely and its rows closed before any record
// is handed to the caller, so no connection, transaction or server-side
// cursor is held while the caller's loop body runs: the body may call the
// store again even on a pool of one connection, and a slow consumer
// never pins a connection.
//
// # Outbox
//
// Every event is written twice in the statement that writes the change it
// records: on its client's timeline (crmkit_events, whose rows a merge
// moves to the survivor) and in crmkit_outbox, as written, in order, with
// published_at NULL. ClaimOutbox claims unpublished rows with FOR UPDATE
// SKIP LOCKED, hands them to the host's function and marks them published
// in the same transaction; a host with a poller of its own does the same
// in SQL. PurgeOutbox deletes what was published long ago.
//
// # The host's transaction
//
// WithTx binds a store to a transaction the host owns, so that crmkit's
// writes commit or roll back with the host's own (an order and the call
// that took it, say). It is the one place a pgx type appears in the API,
// because the host owns that transaction. See WithTx for the rules.
//
// # Connections
//
// Give the store a pool with room for the concurrency you expect. On a
// context cancelled mid-statement pgx by default closes the connection
// (the server then rolls the statement back when it notices);
// pgconn.CancelRequestContextWatcherHandler in the pool's ConnConfig
// sends a cancel request instead.
package postgres
