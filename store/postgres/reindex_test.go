package postgres_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store/postgres"
)

// storedKeys returns the keys crmkit_client_keys holds for client id.
func storedKeys(t *testing.T, f fixture, id fmt.Stringer) []crm.MatchKey {
	t.Helper()
	rows, err := f.pool.Query(t.Context(), "SELECT kind, value FROM crmkit_client_keys WHERE client_id = $1 ORDER BY kind, value", id.String())
	require.NoError(t, err)
	defer rows.Close()
	var out []crm.MatchKey
	for rows.Next() {
		var k crm.MatchKey
		require.NoError(t, rows.Scan(&k.Kind, &k.Value))
		out = append(out, k)
	}
	require.NoError(t, rows.Err())
	return out
}

// A schema whose keys were derived by an older crmkit (version 1: foreign
// tax ids as given, no initials key) gets every live client's keys
// re-derived by Migrate, once; merged clients keep none.
func TestReindexMatchKeys(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	var live []crm.Client
	for i := range 1203 { // more than two batches
		c := client()
		if i%100 == 0 {
			c.TaxIDs = append(c.TaxIDs, taxid.ID{Country: "DE", Kind: taxid.KindOther, Value: fmt.Sprintf("de %09d", i)})
			c.Kind, c.ShortName = crm.KindSoleProprietor, "ИП Петров Пётр Петрович"
		}
		require.NoError(t, f.st.CreateClient(ctx, c, nil))
		c.Version = 1
		live = append(live, c)
	}
	merged := client()
	require.NoError(t, f.st.CreateClient(ctx, merged, nil))
	survivor, err := f.st.GetClient(ctx, live[1].ID)
	require.NoError(t, err)
	tomb, err := f.st.GetClient(ctx, merged.ID)
	require.NoError(t, err)
	survivor.MergedFrom, tomb.MergedInto = []uuid.UUID{tomb.ID}, survivor.ID
	require.NoError(t, f.st.MergeClients(ctx, survivor, tomb, nil))

	// What version 1 stored: foreign tax ids as given, no initials keys.
	_, err = f.pool.Exec(ctx, `UPDATE crmkit_client_keys SET value = 'DE:' || upper(substr(value, 4, 2)) || ' ' || substr(value, 6)
		WHERE kind = 'tax_id'`)
	require.NoError(t, err)
	_, err = f.pool.Exec(ctx, `DELETE FROM crmkit_client_keys WHERE kind = 'name' AND value = 'петров пп'`)
	require.NoError(t, err)
	_, err = f.pool.Exec(ctx, `UPDATE crmkit_settings SET value = 1 WHERE name = 'match_keys_version'`)
	require.NoError(t, err)
	require.NotEqual(t, live[0].MatchKeys(), storedKeys(t, f, live[0].ID))

	require.NoError(t, postgres.Migrate(ctx, f.pool))
	for _, c := range live {
		want := c.MatchKeys()
		slices.SortFunc(want, func(a, b crm.MatchKey) int {
			return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Value, b.Value))
		})
		require.Equal(t, want, storedKeys(t, f, c.ID), "client %s", c.ID)
	}
	assert.Contains(t, storedKeys(t, f, live[0].ID), crm.MatchKey{Kind: crm.MatchTaxID, Value: "DE:000000000"})
	assert.Contains(t, storedKeys(t, f, live[0].ID), crm.MatchKey{Kind: crm.MatchName, Value: "петров пп"})
	assert.Empty(t, storedKeys(t, f, merged.ID))

	found, err := f.st.FindByKeys(ctx, []crm.MatchKey{{Kind: crm.MatchTaxID, Value: "DE:000000100"}})
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, live[100].ID, found[0].ClientID)

	// Done once: the next call finds the keys current.
	n, err := postgres.ReindexMatchKeys(ctx, f.pool)
	require.NoError(t, err)
	assert.Zero(t, n)

	// A host with its own migration tool calls it after the files.
	_, err = f.pool.Exec(ctx, `UPDATE crmkit_settings SET value = 1 WHERE name = 'match_keys_version'`)
	require.NoError(t, err)
	n, err = postgres.ReindexMatchKeys(context.WithoutCancel(ctx), f.pool)
	require.NoError(t, err)
	assert.Equal(t, len(live), n)
	var version int
	require.NoError(t, f.pool.QueryRow(ctx, "SELECT value FROM crmkit_settings WHERE name = 'match_keys_version'").Scan(&version))
	assert.Equal(t, crm.MatchKeysVersion, version)
}
