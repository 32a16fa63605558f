package postgres_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/postgres"
)

// Points and money read back exactly, to the last digit, however small
// or large.
func TestLoyaltyExactNumbers(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	require.NoError(t, f.st.CreateAccount(ctx, loyalty.Account{ID: "a", Programme: "p", Opened: lday}))
	cases := []struct {
		name, points, total string
	}{
		{"millionth", "0.000001", "0.01"},
		{"large", "999999999999999.999999", "12345678901234567890.12"},
		{"round thousands", "1200", "1200.00"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			total := money.MustParse(c.total, money.RUB)
			res, err := f.st.Post(ctx, loyalty.Posting{Account: "a", Key: fmt.Sprint("k", i), Fingerprint: "f", Kind: loyalty.PostEarn,
				Source: loyalty.SourcePurchase, Order: fmt.Sprint("o", i), Date: lday, At: t0, Points: dec(c.points), Places: 6,
				Total: total, Paid: total, Qualifying: total})
			require.NoError(t, err)
			es, err := store.Collect(f.st.Entries(ctx, "a", res.Entries[0].Seq-1))
			require.NoError(t, err)
			require.NotEmpty(t, es)
			assert.Truef(t, dec(c.points).Equal(es[0].Points), "points %s read back as %s", c.points, es[0].Points)
			assert.Truef(t, total.Equal(es[0].Total), "total %s read back as %s", total, es[0].Total)
			assert.Equal(t, money.RUB, es[0].Paid.Currency())
		})
	}
}

// Lots lists every lot in redemption order across many pages: the
// soonest expiry first, lots that never expire last.
func TestLoyaltyLotsPages(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	require.NoError(t, f.st.CreateAccount(ctx, loyalty.Account{ID: "a", Programme: "p", Opened: lday}))
	for i := range 450 {
		var expires loyalty.Date
		if i%3 != 0 {
			expires = lday.AddDays(400 - i%97)
		}
		credit(t, f.st, "a", fmt.Sprint("c", i), "1", expires)
	}
	lots, err := store.Collect(f.st.Lots(ctx, "a"))
	require.NoError(t, err)
	require.Len(t, lots, 450)
	for i := 1; i < len(lots); i++ {
		require.Negativef(t, loyalty.CompareLots(lots[i-1], lots[i]), "lots %d and %d out of redemption order", lots[i-1].ID, lots[i].ID)
	}
	assert.True(t, lots[len(lots)-1].Expires.IsZero(), "lots that never expire come last")
}

// Postings through WithTx commit and roll back with the host's
// transaction; a refused posting leaves that transaction usable.
func TestLoyaltyWithTx(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	require.NoError(t, f.st.CreateAccount(ctx, loyalty.Account{ID: "a", Programme: "p", Opened: lday}))
	credit(t, f.st, "a", "seed", "100", loyalty.Date{})

	tx, err := f.pool.Begin(ctx)
	require.NoError(t, err)
	inTx := f.st.WithTx(tx)
	_, err = inTx.Post(ctx, loyalty.Posting{Account: "a", Key: "r1", Fingerprint: "r1", Kind: loyalty.PostRedeem, Date: lday, At: t0, Points: dec("30")})
	require.NoError(t, err)
	_, err = inTx.Post(ctx, loyalty.Posting{Account: "a", Key: "r2", Fingerprint: "r2", Kind: loyalty.PostRedeem, Date: lday, At: t0, Points: dec("500")})
	require.ErrorIs(t, err, loyalty.ErrInsufficientPoints)
	b, err := inTx.Balance(ctx, "a", loyalty.BalanceQuery{AsOf: lday})
	require.NoError(t, err, "a refused posting leaves the host's transaction usable")
	assert.Truef(t, dec("70").Equal(b.Available), "the transaction sees its own posting: %s", b.Available)
	require.NoError(t, tx.Rollback(ctx))
	a, err := f.st.Account(ctx, "a")
	require.NoError(t, err)
	assert.Truef(t, dec("100").Equal(a.Balance), "rolled back with the host's transaction: %s", a.Balance)

	tx, err = f.pool.Begin(ctx)
	require.NoError(t, err)
	_, err = f.st.WithTx(tx).Post(ctx, loyalty.Posting{Account: "a", Key: "r1", Fingerprint: "r1", Kind: loyalty.PostRedeem, Date: lday, At: t0, Points: dec("30")})
	require.NoError(t, err, "the key of a rolled-back posting is free")
	require.NoError(t, tx.Commit(ctx))
	a, err = f.st.Account(ctx, "a")
	require.NoError(t, err)
	assert.Truef(t, dec("70").Equal(a.Balance), "committed with the host's transaction: %s", a.Balance)
}

// Bad input is refused with a typed error before anything is written.
func TestLoyaltyBadInput(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	require.NoError(t, f.st.CreateAccount(ctx, loyalty.Account{ID: "a", Programme: "p"}))
	for _, c := range []struct {
		name string
		err  error
	}{
		{"no id", f.st.CreateAccount(ctx, loyalty.Account{Programme: "p"})},
		{"impossible date", f.st.CreateAccount(ctx, loyalty.Account{ID: "b", Programme: "p", Opened: loyalty.Date{Year: 2026, Month: 2, Day: 30}})},
		{"totals", f.st.CreateAccount(ctx, loyalty.Account{ID: "c", Programme: "p", Balance: dec("5")})},
	} {
		assert.ErrorIsf(t, c.err, postgres.ErrInvalid, "%s", c.name)
	}
	_, err := f.st.Balance(ctx, "a", loyalty.BalanceQuery{})
	assert.ErrorIs(t, err, postgres.ErrInvalid, "a balance as of no day")
	_, err = f.st.Post(ctx, loyalty.Posting{Account: "a", Key: "k", Fingerprint: "f", Kind: loyalty.PostRedeem, Date: lday, Points: dec("-1")})
	var ve *loyalty.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "points", ve.Field)
	_, err = f.st.Account(ctx, "b")
	assert.ErrorIs(t, err, store.ErrNotFound)
}

// Migration 0006 gives the returns posted before it their purchase's day
// as metric day: run its backfill on entries whose metric_day was cleared.
func TestLoyaltyMetricDayBackfill(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	require.NoError(t, f.st.CreateAccount(ctx, loyalty.Account{ID: "a", Programme: "p", Opened: lday}))
	total := money.MustParse("1000", money.RUB)
	_, err := f.st.Post(ctx, loyalty.Posting{Account: "a", Key: "buy", Fingerprint: "f", Kind: loyalty.PostEarn,
		Source: loyalty.SourcePurchase, Order: "o", Date: lday, At: t0, Points: dec("10"), Total: total, Paid: total, Qualifying: total})
	require.NoError(t, err)
	_, err = f.st.Post(ctx, loyalty.Posting{Account: "a", Key: "ret", Fingerprint: "f", Kind: loyalty.PostReturn,
		Order: "o", Date: lday.AddDays(40), At: t0, Total: money.MustParse("400", money.RUB)})
	require.NoError(t, err)
	_, err = f.pool.Exec(ctx, "UPDATE crmkit_loyalty_entries SET metric_day = NULL")
	require.NoError(t, err)

	migration, err := fs.ReadFile(postgres.Migrations(), "0006_loyalty_metric_day.sql")
	require.NoError(t, err)
	backfill := string(migration[strings.Index(string(migration), "UPDATE"):])
	_, err = f.pool.Exec(ctx, backfill)
	require.NoError(t, err)

	es, err := store.Collect(f.st.Entries(ctx, "a", 0))
	require.NoError(t, err)
	require.Len(t, es, 2)
	assert.True(t, es[0].MetricDate.IsZero(), "a purchase counts on its own day")
	assert.Equal(t, loyalty.EntryReverse, es[1].Kind)
	assert.Equal(t, lday, es[1].MetricDate, "the return counts on its purchase's day")
}
