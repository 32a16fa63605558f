package postgres_test

import (
	"context"
	"io/fs"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store/postgres"
	"github.com/crmkit/crmkit/store/postgres/internal/pgtest"
)

// Migrate is safe to run from several processes at once and again on
// every start: each migration is applied and recorded once.
func TestMigrateConcurrentlyAndAgain(t *testing.T) {
	ctx := t.Context()
	pool, schema := pgtest.Schema(t, 4)
	other := pgtest.Pool(t, schema, 4) // a second "process", with a pool of its own
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		p := pool
		if i%2 == 1 {
			p = other
		}
		wg.Go(func() { errs[i] = postgres.Migrate(ctx, p) })
	}
	wg.Wait()
	for i, err := range errs {
		require.NoErrorf(t, err, "concurrent Migrate %d", i)
	}
	require.NoError(t, postgres.Migrate(ctx, pool), "Migrate on a current schema")
	var n, top int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*), max(version) FROM crmkit_schema_migrations").Scan(&n, &top))
	assert.Equal(t, postgres.SchemaVersion, n, "each migration recorded once")
	assert.Equal(t, postgres.SchemaVersion, top)

	// The schema works.
	st := postgres.New(other)
	c := client()
	require.NoError(t, st.CreateClient(ctx, c, nil))
}

// A schema migrated by a newer crmkit is refused and left alone.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	ctx := t.Context()
	pool, _ := pgtest.Schema(t, 2)
	require.NoError(t, postgres.Migrate(ctx, pool))
	_, err := pool.Exec(ctx, "INSERT INTO crmkit_schema_migrations (version, name) VALUES ($1, 'from the future')", postgres.SchemaVersion+1)
	require.NoError(t, err)
	err = postgres.Migrate(ctx, pool)
	require.ErrorIs(t, err, postgres.ErrSchemaTooNew)
	var se *postgres.SchemaError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, postgres.SchemaVersion+1, se.Found)
	assert.Equal(t, postgres.SchemaVersion, se.Known)
	assert.Equal(t, "schema_too_new", se.Code())
	assert.Contains(t, se.Message("ru"), "новее")
}

// Migrations gives a host's own migration tool the same files, numbered
// from 1; applied by hand they make a schema the store works on.
func TestMigrationsForOwnTool(t *testing.T) {
	ctx := t.Context()
	files, err := fs.Glob(postgres.Migrations(), "*.sql")
	require.NoError(t, err)
	require.Len(t, files, postgres.SchemaVersion)
	assert.Equal(t, "0001_client_base.sql", files[0])

	pool, _ := pgtest.Schema(t, 2)
	for _, name := range files {
		body, err := fs.ReadFile(postgres.Migrations(), name)
		require.NoError(t, err)
		_, err = pool.Exec(context.Background(), string(body))
		require.NoErrorf(t, err, "applying %s by hand", name)
	}
	st := postgres.New(pool)
	c := client()
	require.NoError(t, st.CreateClient(ctx, c, []crm.Event{event(c.ID, crm.EventClientCreated, t0)}))
	got, err := st.GetClient(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.LegalName, got.LegalName)
}
