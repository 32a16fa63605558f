package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// exactDecimal writes every digit and the exponent of a negative-exponent
// decimal; parseExact reads it back identically, whatever the decimal
// package's global settings.
func TestExactDecimalRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		digits := make([]byte, 1+r.IntN(60))
		for i := range digits {
			digits[i] = byte('0' + r.IntN(10))
		}
		coef, _ := new(big.Int).SetString(string(digits), 10)
		if r.IntN(2) == 0 {
			coef.Neg(coef)
		}
		d := decimal.NewFromBigInt(coef, int32(r.IntN(40)-35))
		text := exactDecimal(d)
		got, err := parseExact(text)
		require.NoError(t, err, text)
		require.Truef(t, d.Equal(got), "%s read back as %s", text, got)
		if d.Exponent() <= 0 {
			require.Equalf(t, d.Exponent(), got.Exponent(), "%s keeps its exponent", text)
		}
	}
	assert.Equal(t, "2.50", exactDecimal(decimal.RequireFromString("2.50")))
	assert.Equal(t, "1200", exactDecimal(decimal.New(12, 2)))
	for _, bad := range []string{"", "1.2.3", "abc", "1e5"} {
		_, err := parseExact(bad)
		assert.Errorf(t, err, "%q", bad)
	}
}

// Calendar dates are kept as given, even when they are not dates.
func TestDateTextKeepsAnything(t *testing.T) {
	for _, d := range []crm.Date{
		{},
		{Year: 2024, Month: time.February, Day: 29},
		{Year: 2025, Month: time.February, Day: 30},
		{Year: 12, Month: time.December, Day: 31},
		{Year: 12345, Month: 13, Day: 99},
		{Year: -44, Month: time.March, Day: 15},
	} {
		got, err := parseDateText(dateText(d))
		require.NoError(t, err, dateText(d))
		assert.Equal(t, d, got)
	}
	for _, b := range []crm.Birthday{{}, {Month: time.February, Day: 29}, {Year: 1980, Month: time.May, Day: 1}} {
		text := birthdayText(b)
		got, err := parseDateText(text)
		require.NoError(t, err, text)
		assert.Equal(t, b, crm.Birthday(got))
	}
	assert.Equal(t, "--02-29", birthdayText(crm.Birthday{Month: time.February, Day: 29}))
	for _, bad := range []string{"x", "2025-03", "--03", "2025-aa-01"} {
		_, err := parseDateText(bad)
		assert.Errorf(t, err, "%q", bad)
	}
}

// The keyset bound selects exactly the stored keys (whole microseconds)
// that store.Cursor.After selects, for cursors anywhere in time.
func TestKeysetBoundMatchesCursorAfter(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := []uuid.UUID{uuid.Nil, uuid.MustParse("10000000-0000-7000-8000-000000000000"), uuid.Max}
	for range 5000 {
		stored := base.Add(time.Duration(r.IntN(5)) * time.Microsecond)
		sid := ids[r.IntN(len(ids))]
		cur := store.Cursor{At: base.Add(time.Duration(r.IntN(5000)) * time.Nanosecond), ID: ids[r.IntN(len(ids))]}
		if r.IntN(3) == 0 {
			cur.At = cur.At.In(time.FixedZone("MSK", 3*3600))
		}
		for _, o := range []store.Order{store.Ascending, store.Descending} {
			at, id := keysetBound(cur, o)
			d := store.CompareKeys(stored, sid, at, id)
			sql := d > 0
			if o == store.Descending {
				sql = d < 0
			}
			require.Equalf(t, cur.After(stored, sid, o), sql, "stored %s/%s cursor %s/%s %s",
				stored.Format(time.RFC3339Nano), sid, cur.At.Format(time.RFC3339Nano), cur.ID, o)
		}
		// ceilMicro: stored >= ceil(t) exactly when stored >= t.
		require.Equal(t, !stored.Before(cur.At), !stored.Before(ceilMicro(cur.At)))
	}
}

// Driver errors become the contract's kinds where there is one, the
// context's error when it ended, and an *Error otherwise.
func TestTranslate(t *testing.T) {
	ctx := context.Background()
	dup := func(constraint, detail string) error {
		return &pgconn.PgError{Code: "23505", ConstraintName: constraint, Detail: detail}
	}
	var se *store.Error
	err := translate(ctx, "create client", dup("crmkit_clients_inn_key", "Key (inn_key)=(RU:7707083893) already exists."))
	require.ErrorAs(t, err, &se)
	assert.Equal(t, store.Error{Kind: store.ErrDuplicate, Entity: "client", Field: "inn", Key: "RU:7707083893"}, *se)
	err = translate(ctx, "create client", dup("crmkit_clients_pkey", "Key (id)=(0195f3c4-0000-7000-8000-000000000001) already exists."))
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "id", se.Field)
	assert.Equal(t, "0195f3c4-0000-7000-8000-000000000001", se.Key)
	err = translate(ctx, "x", &pgconn.PgError{Code: "23503", ConstraintName: "crmkit_events_client_fkey",
		Detail: `Key (client_id)=(0195f3c4-0000-7000-8000-000000000002) is not present in table "crmkit_clients".`})
	require.ErrorAs(t, err, &se)
	assert.Equal(t, store.ErrNotFound, se.Kind)
	assert.Equal(t, "0195f3c4-0000-7000-8000-000000000002", se.Key)

	err = translate(ctx, "update client", &pgconn.PgError{Code: "57014", Message: "canceling statement due to statement timeout"})
	var be *Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "57014", be.SQLState)
	assert.Equal(t, "postgres: update client failed [57014]: canceling statement due to statement timeout", be.Error())
	var pe *pgconn.PgError
	assert.False(t, errors.As(err, &pe), "the driver's error is not exposed")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	err = translate(cancelled, "get client", errors.New("timeout: context canceled"))
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.As(err, &be))

	assert.True(t, retryable(&pgconn.PgError{Code: "40001"}))
	assert.True(t, retryable(&pgconn.PgError{Code: "40P01"}))
	assert.False(t, retryable(&pgconn.PgError{Code: "23505"}))
	assert.False(t, retryable(errors.New("x")))
	assert.Equal(t, "", keyOf("no key here"))
}

func TestMigrationsAreNumbered(t *testing.T) {
	ms, err := loadMigrations()
	require.NoError(t, err)
	require.Len(t, ms, SchemaVersion)
	for i, m := range ms {
		assert.Equal(t, i+1, m.version)
		assert.NotEmpty(t, m.sql)
	}
}

func TestPick(t *testing.T) {
	for tag, want := range map[string]string{"ru": "ru", "ru-RU": "ru", "RU_ru": "ru", "en": "en", "": "en", "de": "en"} {
		assert.Equal(t, want, pick(tag, "en", "ru"), tag)
	}
}

// decodeData reads what PostgreSQL prints for a jsonb object of strings
// exactly as encoding/json would, by hand when it can.
func TestDecodeDataMatchesEncodingJSON(t *testing.T) {
	inputs := []string{
		`{}`, ` { } `, `{"kind": "call", "outcome": "reached"}`, `{"a":"b","c":"d"}`,
		`{"note": "ёлки «палки»"}`, `{"q": "say \"hi\"\n"}`, `{"u": "\u00e9"}`, `{"a": "1", "a": "2"}`,
		`{"n": 5}`, `{"a": "b",}`, `{"a" "b"}`, `[]`, `{"a": "b"} x`, `{"a": "b"`, `{"tab": "a	b"}`,
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		m := map[string]string{}
		for range r.IntN(5) {
			k := make([]rune, r.IntN(6))
			for i := range k {
				k[i] = rune(" az\"\\ёЖ\t/"[r.IntN(10)])
			}
			m[string(k)] = string(k) + "v"
		}
		raw, _ := json.Marshal(m)
		inputs = append(inputs, string(raw))
	}
	for _, in := range inputs {
		var want map[string]string
		wantErr := json.Unmarshal([]byte(in), &want)
		got, err := decodeData([]byte(in))
		if wantErr != nil {
			assert.Errorf(t, err, "%s", in)
			continue
		}
		require.NoErrorf(t, err, "%s", in)
		assert.Equalf(t, want, got, "%s", in)
	}
}
