package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/postgres"
	"github.com/crmkit/crmkit/store/postgres/internal/pgtest"
)

// Every field of a client survives the trip through columns and the
// jsonb document, including values the service would refuse (the store
// keeps what it is given) and empty-but-present pointers.
func TestClientRoundTripEveryField(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	msk := time.FixedZone("MSK", 3*3600)
	nanos := time.Date(2026, 3, 2, 12, 30, 15, 123456789, msk) // kept to the microsecond, in UTC
	c := client()
	c.Kind = crm.KindIndividual
	c.ShortName = "Ромашка"
	c.TaxIDs = append(c.TaxIDs, taxid.ID{Country: "RU", Kind: taxid.KindKPP, Value: "770701001"},
		taxid.ID{Country: "KZ", Kind: taxid.KindOther, Value: "123456789012"})
	c.Addresses = []crm.Address{{Kind: crm.AddressLegal, Country: "RU", PostalCode: "101000", Region: "Москва",
		City: "Москва", Line: "ул. Тверская, 1", Comment: "вход со двора"}}
	c.Website, c.Industry, c.Segment, c.SizeBand = "https://example.ru", "retail", "b2b", crm.SizeSmall
	c.Tags = []string{"key account", "opt", "ёлки"}
	c.Attributes = map[string]crm.Attribute{
		"region":   crm.TextAttr("msk"),
		"discount": crm.NumberAttr(dec("2.50")),
		"big":      crm.NumberAttr(dec("-123456789012345678901234567890.000000000000000000000001")),
		"since":    crm.DateAttr(crm.Date{Year: 2024, Month: time.February, Day: 29}),
		"odd":      crm.DateAttr(crm.Date{Year: 2025, Month: time.February, Day: 30}), // not a date; kept
		"vip":      crm.FlagAttr(true),
		"off":      crm.FlagAttr(false),
	}
	c.Source, c.Campaign = crm.SourceExhibition, "ПродЭкспо"
	c.DoNotContact, c.Blocked, c.BlockedReason, c.InternalNotes = true, true, "долг", "только для своих"
	c.Contacts = append(c.Contacts, crm.Contact{
		ID: ids(), LastName: "Петрова", FirstName: "Мария", MiddleName: "Ивановна", Position: "директор",
		BuyingRole: crm.RoleDecisionMaker, Birthday: crm.Birthday{Month: time.February, Day: 29},
		Emails: []string{"m@example.ru", "m2@example.ru"}, Phones: []string{"+79161112233"},
		Messengers:       []crm.Messenger{{Kind: crm.MessengerTelegram, Handle: "@maria"}},
		PreferredChannel: crm.ChannelMessenger, DoNotContact: true,
	}, crm.Contact{ID: ids(), FirstName: "Олег", Birthday: crm.Birthday{Year: 1980, Month: time.May, Day: 1}})
	c.TierChange = crm.Change{By: actor, OnBehalfOf: owner, At: nanos, Reason: "оборот"}
	c.Tier, c.Stage = crm.TierKey, crm.StageLost
	c.StageLog = append(c.StageLog, crm.StageChange{From: crm.StageLead, To: crm.StageLost, At: nanos, By: actor,
		OnBehalfOf: owner, Reason: "price", Note: "дорого", Competitor: "Лютик", Derived: true})
	c.Lost = &crm.LostInfo{Reason: "price", Note: "дорого", Competitor: "Лютик", From: crm.StageLead, At: nanos}
	c.Credit = crm.CreditProfile{Limit: mustParse("1500000.50", "RUB"), Rating: "A", Note: "ok", ReviewedAt: nanos, ReviewedBy: actor}
	c.LastOrderAt = nanos
	c.LastContactAt = nanos
	c.AcceptedDuplicate = true
	c.MergedFrom = []uuid.UUID{ids(), ids()}
	c.CreatedAt, c.UpdatedAt = nanos, nanos.Add(time.Hour)

	require.NoError(t, f.st.CreateClient(ctx, c, nil))
	got, err := f.st.GetClient(ctx, c.ID)
	require.NoError(t, err)

	want := c.Clone()
	want.Version = 1
	micro := nanos.UTC().Truncate(time.Microsecond)
	want.TierChange.At, want.StageLog[1].At, want.Lost.At, want.Credit.ReviewedAt = micro, micro, micro, micro
	want.LastOrderAt, want.LastContactAt, want.CreatedAt, want.UpdatedAt = micro, micro, micro, micro.Add(time.Hour)
	// Decimals and amounts compare by value and exponent below; compare
	// the rest as values.
	assert.True(t, got.Credit.Limit.Equal(want.Credit.Limit))
	assert.Equal(t, want.Credit.Limit.String(), got.Credit.Limit.String())
	for k, a := range want.Attributes {
		assert.Truef(t, a.Equal(got.Attributes[k]), "attribute %s: %+v, want %+v", k, got.Attributes[k], a)
		if a.Type == crm.AttrNumber {
			assert.Equalf(t, a.Number.Exponent(), got.Attributes[k].Number.Exponent(), "attribute %s keeps its exponent", k)
		}
	}
	got.Credit.Limit, want.Credit.Limit = money.Amount{}, money.Amount{}
	got.Attributes, want.Attributes = nil, nil
	assert.Equal(t, want, got)
	for _, tm := range []time.Time{got.CreatedAt, got.LastOrderAt, got.StageLog[1].At, got.Lost.At} {
		assert.Equal(t, time.UTC, tm.Location(), "times are read back in UTC")
	}
}

// Money is numeric plus a currency, exact to the last digit and exponent,
// never through a float; the zero Amount is NULL and comes back as the
// zero Amount.
func TestMoneyExact(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	cases := []money.Amount{
		{},
		money.Zero(money.RUB),
		mustParse("0.00", "RUB"),
		mustParse("150000.00", "RUB"),
		mustParse("0.1", "USD"),
		mustParse("-0.125", "RUB"),
		mustParse("500", "JPY"),
		mustParse("1234567890123456789012345678901234567890.123456789012345678901234", "EUR"),
		mustParse("0.000000000000000000000001", "KWD"),
		mustParse("100000000000000000000", "RUB"),
	}
	for _, a := range cases {
		c := client()
		c.Credit.Limit = a
		require.NoError(t, f.st.CreateClient(ctx, c, nil))
		got, err := f.st.GetClient(ctx, c.ID)
		require.NoError(t, err)
		g := got.Credit.Limit
		assert.Equalf(t, a.Currency(), g.Currency(), "currency of %s", a)
		assert.Truef(t, a.Decimal().Equal(g.Decimal()), "%s read back as %s", a, g)
		assert.Equalf(t, a.Decimal().String(), g.Decimal().String(), "%s read back as %s", a, g)
		if !a.Decimal().IsZero() {
			assert.Equalf(t, a.Decimal().Exponent(), g.Decimal().Exponent(), "%s keeps its exponent", a)
		}
		if a.Currency().IsZero() {
			assert.Equal(t, money.Amount{}, g, "the zero Amount reads back as the zero Amount")
		}
	}
}

// Times are read back in UTC, to the microsecond, and timelines order and
// page by them exactly, even from a cursor between two microseconds.
func TestTimesAndSubMicrosecondCursors(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	c := client()
	var events []crm.Event
	base := t0.In(time.FixedZone("X", -7*3600))
	for i := range 6 {
		events = append(events, event(c.ID, crm.EventClientUpdated, base.Add(time.Duration(i)*time.Microsecond)))
	}
	require.NoError(t, f.st.CreateClient(ctx, c, events))
	all, err := store.Collect(f.st.Timeline(ctx, c.ID, store.Page{}))
	require.NoError(t, err)
	require.Len(t, all, 6)
	for i, e := range all {
		assert.Equal(t, time.UTC, e.At.Location())
		assert.True(t, events[i].At.Equal(e.At))
	}
	// A cursor at 2.5 µs lies between the third and fourth events.
	cur := store.Cursor{At: base.Add(2*time.Microsecond + 500*time.Nanosecond), ID: uuid.Max}
	asc, err := store.Collect(f.st.Timeline(ctx, c.ID, store.Page{After: cur}))
	require.NoError(t, err)
	assert.Equal(t, idsOf(all[3:]), idsOf(asc))
	desc, err := store.Collect(f.st.Timeline(ctx, c.ID, store.Page{After: store.Cursor{At: cur.At, ID: uuid.Nil}, Order: store.Descending}))
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{all[2].ID, all[1].ID, all[0].ID}, idsOf(desc))
	// UpdatedSince between two microseconds is still "at or after".
	got, err := store.Collect(f.st.ListClients(ctx, crm.ClientFilter{UpdatedSince: t0.Add(-500 * time.Nanosecond)}, store.Page{}))
	require.NoError(t, err)
	assert.Len(t, got, 1)
	got, err = store.Collect(f.st.ListClients(ctx, crm.ClientFilter{UpdatedSince: t0.Add(500 * time.Nanosecond)}, store.Page{}))
	require.NoError(t, err)
	assert.Empty(t, got)
}

func idsOf[T interface{ Cursor() store.Cursor }](records []T) []uuid.UUID {
	out := make([]uuid.UUID, len(records))
	for i, r := range records {
		out[i] = r.Cursor().ID
	}
	return out
}

// A listing holds no connection while the caller's loop body runs: on a
// pool of one connection, the body reads and writes through the store.
func TestListingHoldsNoConnection(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	st := postgres.New(f.poolWith(t, 1, nil))
	const n = 450 // more than two batches
	for range n {
		require.NoError(t, st.CreateClient(ctx, client(), nil))
	}
	seen := 0
	for c, err := range st.ListClients(ctx, crm.ClientFilter{}, store.Page{}) {
		require.NoError(t, err)
		seen++
		if seen%100 == 0 {
			got, err := st.GetClient(ctx, c.ID)
			require.NoError(t, err)
			got.Tags = append(got.Tags, "seen")
			require.NoError(t, st.UpdateClient(ctx, got, nil))
			_, err = store.Collect(st.Timeline(ctx, c.ID, store.Page{}))
			require.NoError(t, err)
		}
	}
	assert.Equal(t, n, seen)
}

// No driver type or error leaves the package: failures of the database
// are *postgres.Error with the SQLSTATE.
func TestBackendErrorsAreOurs(t *testing.T) {
	ctx := t.Context()
	pool, _ := pgtest.Schema(t, 2) // not migrated: no tables
	st := postgres.New(pool)
	_, err := st.GetClient(ctx, ids())
	var be *postgres.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "42P01", be.SQLState, "undefined table")
	assert.ErrorIs(t, err, postgres.ErrBackend)
	assert.Equal(t, "backend_error", be.Code())
	assert.Contains(t, be.Message("ru"), "ошибка базы данных")
	var pe *pgconn.PgError
	assert.False(t, errors.As(err, &pe), "a pgconn error leaked: %v", err)

	err = st.CreateClient(ctx, client(), nil)
	assert.ErrorIs(t, err, postgres.ErrBackend)
	assert.False(t, errors.As(err, &pe))
	_, err = store.Collect(st.Timeline(ctx, ids(), store.Page{}))
	assert.ErrorIs(t, err, postgres.ErrBackend)

	pool.Close()
	_, err = st.GetClient(ctx, ids())
	assert.ErrorIs(t, err, postgres.ErrBackend, "a closed pool")
	assert.False(t, errors.As(err, &pe))
}

// Requests that would corrupt the store are refused with ErrInvalid, as
// by the memory store, and write nothing.
func TestInvalidRequests(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	a := client()
	require.NoError(t, f.st.CreateClient(ctx, a, nil))
	a.Version = 1
	b := client()
	require.NoError(t, f.st.CreateClient(ctx, b, nil))
	b.Version = 1

	noID := client()
	noID.ID = uuid.Nil
	redacted := a.Clone()
	redacted.Redacted = []crm.FieldClass{crm.ClassCredit}
	remerge := a.Clone()
	remerge.MergedInto = b.ID
	mergedWrong := b.Clone()
	mergedWrong.MergedInto = ids()
	noEventID := event(a.ID, crm.EventClientUpdated, t0)
	noEventID.ID = uuid.Nil
	twice := event(a.ID, crm.EventClientUpdated, t0)

	cases := []struct {
		name string
		err  error
		kind error
	}{
		{"client without id", f.st.CreateClient(ctx, noID, nil), postgres.ErrInvalid},
		{"redacted copy", f.st.UpdateClient(ctx, redacted, nil), postgres.ErrInvalid},
		{"UpdateClient changing MergedInto", f.st.UpdateClient(ctx, remerge, nil), postgres.ErrInvalid},
		{"merge into itself", f.st.MergeClients(ctx, a, func() crm.Client { m := a.Clone(); m.MergedInto = a.ID; return m }(), nil), postgres.ErrInvalid},
		{"merge halves that do not fit", f.st.MergeClients(ctx, a, mergedWrong, nil), postgres.ErrInvalid},
		{"event without id", f.st.UpdateClient(ctx, a, []crm.Event{noEventID}), postgres.ErrInvalid},
		{"event id given twice", f.st.UpdateClient(ctx, a, []crm.Event{twice, twice}), store.ErrDuplicate},
		{"event of an unknown client", f.st.UpdateClient(ctx, a, []crm.Event{event(ids(), crm.EventClientUpdated, t0)}), store.ErrNotFound},
		{"interaction without id", f.st.AppendInteraction(ctx, crm.Interaction{ClientID: a.ID}, nil), postgres.ErrInvalid},
		{"delegation without id", f.st.CreateDelegation(ctx, crm.Delegation{Principal: ids()}, nil), postgres.ErrInvalid},
	}
	for _, tc := range cases {
		assert.ErrorIsf(t, tc.err, tc.kind, "%s: %v", tc.name, tc.err)
	}
	_, err := store.Collect(f.st.ListClients(ctx, crm.ClientFilter{}, store.Page{Limit: -1}))
	assert.ErrorIs(t, err, postgres.ErrInvalid)
	_, err = f.st.ClaimOutbox(ctx, 0, func(context.Context, []crm.Event) error { return nil })
	assert.ErrorIs(t, err, postgres.ErrInvalid)

	got, err := f.st.GetClient(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Version(1), got.Version, "nothing was written")
	tl, err := store.Collect(f.st.Timeline(ctx, a.ID, store.Page{}))
	require.NoError(t, err)
	assert.Empty(t, tl)
}

// A unique violation names the field and the value taken.
func TestDuplicateNamesTheKey(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	a := client()
	require.NoError(t, f.st.CreateClient(ctx, a, nil))
	b := client()
	b.TaxIDs = a.TaxIDs
	err := f.st.CreateClient(ctx, b, nil)
	var se *store.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, store.ErrDuplicate, se.Kind)
	assert.Equal(t, "client", se.Entity)
	assert.Equal(t, "inn", se.Field)
	assert.Equal(t, "RU:"+a.TaxIDs[0].Value, se.Key)

	e := event(a.ID, crm.EventClientUpdated, t0)
	require.NoError(t, f.st.AppendInteraction(ctx, interaction(a.ID, t0), []crm.Event{e}))
	err = f.st.AppendInteraction(ctx, interaction(a.ID, t0), []crm.Event{e})
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "event", se.Entity)
	assert.Equal(t, "id", se.Field)
	assert.Equal(t, e.ID.String(), se.Key)
}
