package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/normalize"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store/postgres"
)

// A client updated (by a current crmkit) while the re-index runs keeps
// the keys of what was written, not keys the re-index derived from the
// card it read before the update committed.
func TestReindexKeepsAConcurrentUpdate(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	c := client()
	require.NoError(t, f.st.CreateClient(ctx, c, nil))
	c.Version = 1
	_, err := f.pool.Exec(ctx, `UPDATE crmkit_settings SET value = 1 WHERE name = 'match_keys_version'`)
	require.NoError(t, err)

	// The host's transaction renames the client and is still open.
	host, err := f.pool.Begin(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = host.Rollback(context.Background()) })
	renamed := c
	renamed.LegalName = "ООО «Лютик»"
	require.NoError(t, f.st.WithTx(host).UpdateClient(ctx, renamed, nil))

	const app = "reindex-race"
	pool := f.poolWith(t, 2, map[string]string{"application_name": app})
	done := make(chan error, 1)
	go func() {
		_, err := postgres.ReindexMatchKeys(context.Background(), pool)
		done <- err
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int
		require.NoError(t, f.pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, app).Scan(&n))
		if n > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the re-index never waited for the update")
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, host.Commit(ctx))
	require.NoError(t, <-done)

	renamed.Version = 2
	assert.Equal(t, renamed.MatchKeys(), storedKeys(t, f, renamed.ID))
	found, err := f.st.FindByKeys(ctx, []crm.MatchKey{{Kind: crm.MatchName, Value: normalize.OrgName(c.LegalName)}})
	require.NoError(t, err)
	assert.Empty(t, found, "the client is still found by the name it no longer has")
}

// Until ReindexMatchKeys runs, a foreign tax id stored by version 1 is not
// found even when the new client spells it exactly as the stored one: the
// lookup uses the version 2 key, as ReindexMatchKeys's doc says.
func TestUnreindexedKeysMissTheSameSpelling(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	c := client()
	c.TaxIDs = []taxid.ID{{Country: "DE", Kind: taxid.KindOther, Value: "DE 123 456 789"}}
	require.NoError(t, f.st.CreateClient(ctx, c, nil))
	// What version 1 stored, and the schema as Migrations() leaves it.
	_, err := f.pool.Exec(ctx, `UPDATE crmkit_client_keys SET value = 'DE:DE 123 456 789' WHERE kind = 'tax_id'`)
	require.NoError(t, err)
	_, err = f.pool.Exec(ctx, `UPDATE crmkit_settings SET value = 1 WHERE name = 'match_keys_version'`)
	require.NoError(t, err)

	same := client()
	same.TaxIDs = c.TaxIDs
	var taxKeys []crm.MatchKey
	for _, k := range same.MatchKeys() {
		if k.Kind == crm.MatchTaxID {
			taxKeys = append(taxKeys, k)
		}
	}
	found, err := f.st.FindByKeys(ctx, taxKeys)
	require.NoError(t, err)
	assert.Empty(t, found, "found before the re-index")

	_, err = postgres.ReindexMatchKeys(ctx, f.pool)
	require.NoError(t, err)
	found, err = f.st.FindByKeys(ctx, taxKeys)
	require.NoError(t, err)
	assert.Len(t, found, 1, "found after the re-index")
}
