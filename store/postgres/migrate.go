package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// SchemaVersion is the version of the schema this package works with: the
// number of its newest migration.
const SchemaVersion = 8

// migrateLock is the key of the advisory lock Migrate holds, so that two
// processes starting at once apply each migration once ("crmkit" in
// ASCII).
const migrateLock int64 = 0x63726d6b6974

// ErrSchemaTooNew reports a database whose schema was migrated by a newer
// crmkit than this one: Migrate refuses to touch it. Match it with
// errors.Is; the error is a *SchemaError with both versions.
var ErrSchemaTooNew = errors.New("postgres: the database schema is newer than this crmkit")

// SchemaError reports the schema version found in the database and the
// newest this package knows.
type SchemaError struct {
	Found, Known int
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("postgres: the database schema is at version %d, newer than version %d that this crmkit knows; upgrade crmkit", e.Found, e.Known)
}

// Is makes the error match ErrSchemaTooNew.
func (e *SchemaError) Is(target error) bool { return target == ErrSchemaTooNew }

// Code returns "schema_too_new".
func (e *SchemaError) Code() string { return "schema_too_new" }

// Message returns the message in the language of tag.
func (e *SchemaError) Message(tag string) string {
	return pick(tag, e.Error(), fmt.Sprintf(
		"postgres: схема базы данных имеет версию %d, новее версии %d, известной этой версии crmkit; обновите crmkit", e.Found, e.Known))
}

// Migrations returns crmkit's schema migrations for hosts that apply them
// with a migration tool of their own: one file per version at the root of
// the returned fs.FS, named NNNN_description.sql, to be applied in order
// of NNNN, each once. Every file is plain SQL (no transaction control, no
// tool-specific markers) and may run inside a transaction. Table names
// are unqualified, so the tables land in the first schema of the
// search_path.
//
// After applying them, such a host calls ReindexMatchKeys (Migrate does
// both). A host that uses Migrate needs none of this.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic("postgres: embedded migrations missing: " + err.Error()) // a build defect, not input
	}
	return sub
}

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded migrations, checking that they are
// numbered 1, 2, ... SchemaVersion without gaps.
func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("postgres: migration file %q is not named NNNN_description.sql", e.Name())
		}
		body, err := fs.ReadFile(migrationFiles, path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("postgres: migration %q is out of sequence: want version %d", m.name, i+1)
		}
	}
	if len(out) != SchemaVersion {
		return nil, fmt.Errorf("postgres: %d migrations embedded, SchemaVersion is %d", len(out), SchemaVersion)
	}
	return out, nil
}

// Migrate brings the schema that pool's connections use (the first schema
// of their search_path) to SchemaVersion, applying the migrations it lacks
// in order, in one transaction, and recording each applied version in the
// table crmkit_schema_migrations. It is safe to call on every start of
// every process: a transaction-scoped advisory lock makes concurrent
// callers wait for one another, and a schema already current is left
// alone. After the migrations, in the same transaction, it re-derives the
// duplicate-detection keys of every live client if they follow an older
// derivation than crm.MatchKeysVersion (see ReindexMatchKeys). A schema
// migrated by a newer crmkit (a version above SchemaVersion) is refused
// with a *SchemaError matching ErrSchemaTooNew, and nothing is changed.
//
// The role needs the right to create tables in the schema.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	migrations, err := loadMigrations()
	if err != nil {
		return err
	}
	// READ COMMITTED whatever the database's default: a process that
	// waited for the lock must see the migrations its peer committed
	// meanwhile (under REPEATABLE READ its snapshot would predate them).
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return backendError(ctx, "migrate", err)
	}
	defer rollback(ctx, tx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrateLock); err != nil {
		return backendError(ctx, "migrate", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS crmkit_schema_migrations (
	version    integer     PRIMARY KEY,
	name       text        NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`); err != nil {
		return backendError(ctx, "migrate", err)
	}
	var current int
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM crmkit_schema_migrations").Scan(&current); err != nil {
		return backendError(ctx, "migrate", err)
	}
	if current > SchemaVersion {
		return &SchemaError{Found: current, Known: SchemaVersion}
	}
	for _, m := range migrations[current:] {
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return backendError(ctx, "migrate: "+m.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO crmkit_schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
			return backendError(ctx, "migrate: "+m.name, err)
		}
	}
	if _, err := reindexMatchKeys(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return backendError(ctx, "migrate", err)
	}
	return nil
}
