package memory_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/normalize"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

func TestCreateClientStoresVersionOne(t *testing.T) {
	st := memory.New()
	c := client("7707083893")
	got := mustCreate(t, st, c)
	assert.Equal(t, store.Version(1), got.Version)
	c.Version = 1
	assert.Equal(t, c, got)

	again := client("")
	again.Version = 3
	err := st.CreateClient(t.Context(), again, nil)
	assert.ErrorIs(t, err, store.ErrConflict)

	c.Version = store.NoVersion
	err = st.CreateClient(t.Context(), c.Clone(), nil)
	var se *store.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, store.ErrDuplicate, se.Kind)
	assert.Equal(t, "id", se.Field)

	_, err = st.GetClient(t.Context(), newID())
	assert.ErrorIs(t, err, store.ErrNotFound)

	assert.ErrorIs(t, st.CreateClient(t.Context(), crm.Client{}, nil), memory.ErrInvalid)
	redacted := client("")
	redacted.Redacted = []crm.FieldClass{"credit"}
	assert.ErrorIs(t, st.CreateClient(t.Context(), redacted, nil), memory.ErrInvalid)
}

func TestClientCopies(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	c := client("7707083893")
	c.Attributes = map[string]crm.Attribute{"size": crm.TextAttr("big")}
	want := c.Clone()
	want.Version = 1
	require.NoError(t, st.CreateClient(ctx, c, nil))

	// Changing what was passed in changes nothing stored.
	c.Tags[0] = "changed"
	c.TaxIDs[0].Value = "0000000000"
	c.Contacts[0].Phones[0] = "+70000000000"
	c.Attributes["size"] = crm.TextAttr("small")
	got, err := st.GetClient(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	// Changing what was read changes nothing stored either.
	got.Tags[0] = "changed"
	got.Contacts[0].LastName = "Петров"
	got.Attributes["size"] = crm.TextAttr("small")
	again, err := st.GetClient(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, want, again)

	listed := collect(t, st.ListClients(ctx, crm.ClientFilter{}, store.Page{}))
	require.Len(t, listed, 1)
	listed[0].Tags[0] = "changed"
	again, err = st.GetClient(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, want, again)

	// And a later write never changes a value already returned.
	before := again.Clone()
	again.Tags = []string{"b"}
	require.NoError(t, st.UpdateClient(ctx, again, nil))
	assert.Equal(t, want, before)
}

func TestUpdateClient(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	c := mustCreate(t, st, client("7707083893"))

	c.ShortName = "Ромашка"
	c.LastContactAt = t0.Add(time.Hour) // the store's to keep: ignored
	c.UpdatedAt = t0.Add(time.Minute)
	require.NoError(t, st.UpdateClient(ctx, c, []crm.Event{event(c.ID, crm.EventClientUpdated, c.UpdatedAt)}))
	got, err := st.GetClient(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Version(2), got.Version)
	assert.Equal(t, "Ромашка", got.ShortName)
	assert.True(t, got.LastContactAt.IsZero())
	assert.Len(t, collect(t, st.Timeline(ctx, c.ID, store.Page{})), 2)

	// c still carries version 1: stale.
	err = st.UpdateClient(ctx, c, nil)
	assert.ErrorIs(t, err, store.ErrConflict)
	got.Version = 7
	assert.ErrorIs(t, st.UpdateClient(ctx, got, nil), store.ErrConflict)

	missing := client("")
	missing.Version = 1
	assert.ErrorIs(t, st.UpdateClient(ctx, missing, nil), store.ErrNotFound)

	// MergedInto changes only through MergeClients.
	got.Version = 2
	got.MergedInto = newID()
	assert.ErrorIs(t, st.UpdateClient(ctx, got, nil), memory.ErrInvalid)
}

func TestINNUniqueness(t *testing.T) {
	const inn = "7707083893"
	foreign := func(c crm.Client) crm.Client {
		c.TaxIDs = []taxid.ID{{Country: "DE", Kind: taxid.KindOther, Value: "DE123456789"}}
		return c
	}
	cases := []struct {
		name  string
		first func() crm.Client
		next  func() crm.Client
		dup   bool
	}{
		{"same INN", func() crm.Client { return client(inn) }, func() crm.Client { return client(inn) }, true},
		{"other INN", func() crm.Client { return client(inn) }, func() crm.Client { return client("7736207543") }, false},
		{"no INN", func() crm.Client { return client("") }, func() crm.Client { return client("") }, false},
		// Tax ids of other countries are kept as given: reported as duplicates by the service, never refused.
		{"foreign tax id", func() crm.Client { return foreign(client("")) }, func() crm.Client { return foreign(client("")) }, false},
		{"same value other country", func() crm.Client { return client(inn) }, func() crm.Client {
			c := client("")
			c.TaxIDs = []taxid.ID{{Country: "KZ", Kind: taxid.KindOther, Value: inn}}
			return c
		}, false},
		{"accepted duplicate after", func() crm.Client { return client(inn) }, func() crm.Client {
			c := client(inn)
			c.AcceptedDuplicate = true
			return c
		}, false},
		{"accepted duplicate before", func() crm.Client {
			c := client(inn)
			c.AcceptedDuplicate = true
			return c
		}, func() crm.Client { return client(inn) }, false},
		{"merged tombstone", func() crm.Client {
			c := client(inn)
			c.MergedInto = newID()
			return c
		}, func() crm.Client { return client(inn) }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := memory.New()
			mustCreate(t, st, tc.first())
			err := st.CreateClient(t.Context(), tc.next(), nil)
			if !tc.dup {
				assert.NoError(t, err)
				return
			}
			var se *store.Error
			require.ErrorAs(t, err, &se)
			assert.ErrorIs(t, err, store.ErrDuplicate)
			assert.Equal(t, "client", se.Entity)
			assert.Equal(t, "inn", se.Field)
		})
	}
}

func TestINNUniquenessOnUpdate(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	a := mustCreate(t, st, client("7707083893"))
	b := mustCreate(t, st, client("7736207543"))

	// Keeping one's own INN is fine.
	a.ShortName = "A"
	require.NoError(t, st.UpdateClient(ctx, a, nil))
	a.Version++

	// Taking another live client's INN is not.
	b.TaxIDs[0].Value = "7707083893"
	err := st.UpdateClient(ctx, b, nil)
	var se *store.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "inn", se.Field)
	assert.Equal(t, "RU:7707083893", se.Key)

	// Unless the updated client is an accepted duplicate.
	b.AcceptedDuplicate = true
	require.NoError(t, st.UpdateClient(ctx, b, nil))
	b.Version++

	// Giving an INN up frees it.
	a.TaxIDs = nil
	require.NoError(t, st.UpdateClient(ctx, a, nil))
	mustCreate(t, st, client("7707083893"))

	// Clearing AcceptedDuplicate while another holds the INN is refused.
	b.AcceptedDuplicate = false
	assert.ErrorIs(t, st.UpdateClient(ctx, b, nil), store.ErrDuplicate)
}

func TestFindByKeys(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	a := client("7707083893")
	b := client("")
	b.Contacts[0].Phones = slicesOf(a.Contacts[0].Phones[0]) // shares a's phone
	b.ShortName = "Ромашка"
	c := client("7736207543")
	a, b, c = mustCreate(t, st, a), mustCreate(t, st, b), mustCreate(t, st, c)

	innA := crm.MatchKey{Kind: crm.MatchINN, Value: "RU:7707083893"}
	phoneA := crm.MatchKey{Kind: crm.MatchPhone, Value: a.Contacts[0].Phones[0]}
	name := crm.MatchKey{Kind: crm.MatchName, Value: normalize.OrgName("Ромашка")}
	got, err := st.FindByKeys(ctx, []crm.MatchKey{innA, phoneA, phoneA, {Kind: crm.MatchEmail, Value: "none@example.com"}})
	require.NoError(t, err)
	assert.ElementsMatch(t, []crm.KeyMatch{
		{ClientID: a.ID, Key: innA},
		{ClientID: a.ID, Key: phoneA},
		{ClientID: b.ID, Key: phoneA},
	}, got)

	// An update moves the client's keys.
	b.Contacts[0].Phones = slicesOf("+79990000000")
	require.NoError(t, st.UpdateClient(ctx, b, nil))
	got, err = st.FindByKeys(ctx, []crm.MatchKey{phoneA, {Kind: crm.MatchPhone, Value: "+79990000000"}})
	require.NoError(t, err)
	assert.ElementsMatch(t, []crm.KeyMatch{
		{ClientID: a.ID, Key: phoneA},
		{ClientID: b.ID, Key: crm.MatchKey{Kind: crm.MatchPhone, Value: "+79990000000"}},
	}, got)

	// A merged client leaves the index.
	b.Version++
	merged := c
	merged.MergedInto = b.ID
	require.NoError(t, st.MergeClients(ctx, b, merged, nil))
	got, err = st.FindByKeys(ctx, c.MatchKeys())
	require.NoError(t, err)
	for _, m := range got {
		assert.NotEqual(t, c.ID, m.ClientID, m.Key)
	}
	got, err = st.FindByKeys(ctx, []crm.MatchKey{name})
	require.NoError(t, err)
	assert.Equal(t, []crm.KeyMatch{{ClientID: b.ID, Key: name}}, got)

	got, err = st.FindByKeys(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func slicesOf[T any](v ...T) []T { return v }

func TestListClientsPaging(t *testing.T) {
	for _, order := range []store.Order{store.Ascending, store.Descending} {
		t.Run(order.String(), func(t *testing.T) {
			ctx := t.Context()
			st := memory.New()
			var all []uuid.UUID
			for range 10 {
				all = append(all, mustCreate(t, st, client("")).ID)
			}
			want := append([]uuid.UUID(nil), all...)
			if order == store.Descending {
				for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
					want[i], want[j] = want[j], want[i]
				}
			}
			var got []uuid.UUID
			p := store.Page{Order: order, Limit: 3}
			for n := 0; ; n++ {
				require.Less(t, n, 100)
				page := collect(t, st.ListClients(ctx, crm.ClientFilter{}, p))
				require.LessOrEqual(t, len(page), 3)
				if len(page) == 0 {
					break
				}
				got = append(got, ids(page)...)
				p.After = page[len(page)-1].Cursor()
				// Insert between pages: never makes the listing skip or
				// repeat what was there before. (Only a few times, or an
				// ascending listing would never catch up.)
				if n < 3 {
					mustCreate(t, st, client(""))
				}
			}
			seen := map[uuid.UUID]int{}
			for _, id := range got {
				seen[id]++
			}
			for _, id := range want {
				assert.Equal(t, 1, seen[id], id)
			}
			if order == store.Ascending {
				assert.Equal(t, want, got[:len(want)]) // new ids come after
			} else {
				assert.Equal(t, want, got) // new ids sort before the cursor
			}
		})
	}
}

func TestListClientsFilters(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	ownerA, ownerB := newID(), newID()
	var a, b []uuid.UUID
	for i := range 6 {
		c := client("")
		c.Owner = ownerA
		if i%2 == 1 {
			c.Owner = ownerB
			c.Stage = crm.StageCustomer
		}
		c = mustCreate(t, st, c)
		if c.Owner == ownerA {
			a = append(a, c.ID)
		} else {
			b = append(b, c.ID)
		}
	}
	list := func(f crm.ClientFilter, p store.Page) []uuid.UUID {
		return ids(collect(t, st.ListClients(ctx, f, p)))
	}
	assert.Equal(t, a, list(crm.ClientFilter{Owners: []uuid.UUID{ownerA}}, store.Page{}))
	assert.Equal(t, b, list(crm.ClientFilter{Stages: []crm.Stage{crm.StageCustomer}}, store.Page{}))
	all := list(crm.ClientFilter{Owners: []uuid.UUID{ownerB, ownerA, ownerB}}, store.Page{})
	assert.Len(t, all, 6)
	assert.Equal(t, list(crm.ClientFilter{}, store.Page{}), all)
	assert.Equal(t, []uuid.UUID{b[2], b[1]},
		list(crm.ClientFilter{Owners: []uuid.UUID{ownerB}}, store.Page{Order: store.Descending, Limit: 2}))
	assert.Equal(t, []uuid.UUID{a[1], b[2]},
		list(crm.ClientFilter{IDs: []uuid.UUID{b[2], newID(), a[1]}}, store.Page{}))
	assert.Equal(t, []uuid.UUID{b[2]},
		list(crm.ClientFilter{IDs: []uuid.UUID{b[2], a[1]}}, store.Page{After: store.Cursor{ID: a[1]}}))
	assert.Equal(t, []uuid.UUID{a[0], b[0]},
		list(crm.ClientFilter{Owners: []uuid.UUID{ownerA, ownerB}}, store.Page{Limit: 2}))

	// Merged tombstones are listed only when asked for.
	survivor, err := st.GetClient(ctx, a[0])
	require.NoError(t, err)
	merged, err := st.GetClient(ctx, a[1])
	require.NoError(t, err)
	merged.MergedInto = survivor.ID
	require.NoError(t, st.MergeClients(ctx, survivor, merged, nil))
	assert.NotContains(t, list(crm.ClientFilter{}, store.Page{}), a[1])
	assert.Contains(t, list(crm.ClientFilter{IncludeMerged: true}, store.Page{}), a[1])

	// An owner change moves the client between owners' lists.
	c, err := st.GetClient(ctx, a[2])
	require.NoError(t, err)
	c.Owner = ownerB
	require.NoError(t, st.UpdateClient(ctx, c, nil))
	assert.Contains(t, list(crm.ClientFilter{Owners: []uuid.UUID{ownerB}}, store.Page{}), a[2])
	assert.NotContains(t, list(crm.ClientFilter{Owners: []uuid.UUID{ownerA}}, store.Page{}), a[2])
}

// A filter that matches little must still page through everything, batch
// after batch, without stopping early.
func TestListClientsSparseFilter(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	var want []uuid.UUID
	for i := range 1000 {
		c := client("")
		if i%300 == 299 {
			c.Tags = []string{"rare"}
			want = append(want, c.ID)
		}
		mustCreate(t, st, c)
	}
	got := ids(collect(t, st.ListClients(ctx, crm.ClientFilter{Tag: "rare"}, store.Page{})))
	assert.Equal(t, want, got)
	got = ids(collect(t, st.ListClients(ctx, crm.ClientFilter{Tag: "rare"}, store.Page{Order: store.Descending, Limit: 2})))
	assert.Equal(t, []uuid.UUID{want[2], want[1]}, got)
	assert.Len(t, collect(t, st.ListClients(ctx, crm.ClientFilter{}, store.Page{})), 1000)
}

func TestMergeClients(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	survivor := mustCreate(t, st, client("7707083893"))
	merged := mustCreate(t, st, client("7736207543"))
	other := mustCreate(t, st, client(""))

	// History on both, interleaved in time.
	for i := range 4 {
		at := t0.Add(time.Duration(i) * time.Hour)
		owner := survivor.ID
		if i%2 == 1 {
			owner = merged.ID
		}
		in := interaction(owner, at, crm.OutcomeReached)
		require.NoError(t, st.AppendInteraction(ctx, in, []crm.Event{event(owner, crm.EventInteractionLogged, at)}))
	}
	// The survivor's stored state, including the LastContactAt the store kept.
	survivor, _ = st.GetClient(ctx, survivor.ID)
	merged, _ = st.GetClient(ctx, merged.ID)
	require.Equal(t, t0.Add(2*time.Hour), survivor.LastContactAt)
	require.Equal(t, t0.Add(3*time.Hour), merged.LastContactAt)

	tomb := merged
	tomb.MergedInto = survivor.ID
	survivor.TaxIDs = append(survivor.TaxIDs, merged.TaxIDs...) // as the service's absorb does
	survivor.MergedFrom = []uuid.UUID{merged.ID}
	survivor.LastContactAt = time.Time{} // ignored

	// Refusals first: nothing may be written by any of them.
	before := takeSnapshot(t, st)
	stale := survivor
	stale.Version--
	assert.ErrorIs(t, st.MergeClients(ctx, stale, tomb, nil), store.ErrConflict)
	staleTomb := tomb
	staleTomb.Version++
	assert.ErrorIs(t, st.MergeClients(ctx, survivor, staleTomb, nil), store.ErrConflict)
	self := survivor
	self.MergedInto = survivor.ID
	assert.ErrorIs(t, st.MergeClients(ctx, survivor, self, nil), memory.ErrInvalid)
	wrong := tomb
	wrong.MergedInto = other.ID
	assert.ErrorIs(t, st.MergeClients(ctx, survivor, wrong, nil), memory.ErrInvalid)
	ghost := client("")
	ghost.MergedInto = survivor.ID
	ghost.Version = 1
	assert.ErrorIs(t, st.MergeClients(ctx, survivor, ghost, nil), store.ErrNotFound)
	assert.Equal(t, before, takeSnapshot(t, st))
	// An INN the survivor would take from a third client.
	third := mustCreate(t, st, client("7710140679"))
	before = takeSnapshot(t, st)
	greedy := survivor
	greedy.TaxIDs = third.TaxIDs
	assert.ErrorIs(t, st.MergeClients(ctx, greedy, tomb, nil), store.ErrDuplicate)
	assert.Equal(t, before, takeSnapshot(t, st))

	events := []crm.Event{
		event(survivor.ID, crm.EventClientMerged, t0.Add(5*time.Hour)),
		event(merged.ID, crm.EventClientMergedInto, t0.Add(5*time.Hour)),
	}
	require.NoError(t, st.MergeClients(ctx, survivor, tomb, events))

	gotS, err := st.GetClient(ctx, survivor.ID)
	require.NoError(t, err)
	gotM, err := st.GetClient(ctx, merged.ID)
	require.NoError(t, err)
	assert.Equal(t, survivor.Version+1, gotS.Version)
	assert.Equal(t, tomb.Version+1, gotM.Version)
	assert.Equal(t, survivor.ID, gotM.MergedInto)
	assert.Equal(t, t0.Add(3*time.Hour), gotS.LastContactAt, "the later of the two")

	// Every interaction and event is now the survivor's, in (At, ID) order.
	ins := collect(t, st.ListInteractions(ctx, survivor.ID, store.Page{}))
	require.Len(t, ins, 4)
	for i, in := range ins {
		assert.Equal(t, survivor.ID, in.ClientID)
		assert.Equal(t, t0.Add(time.Duration(i)*time.Hour), in.At)
		got, err := st.GetInteraction(ctx, in.ID)
		require.NoError(t, err)
		assert.Equal(t, survivor.ID, got.ClientID)
	}
	assert.Empty(t, collect(t, st.ListInteractions(ctx, merged.ID, store.Page{})))
	tl := collect(t, st.Timeline(ctx, survivor.ID, store.Page{}))
	require.Len(t, tl, 2+4+1) // two created, four logged, one merged
	for i, e := range tl {
		assert.Equal(t, survivor.ID, e.ClientID)
		if i > 0 {
			assert.Negative(t, store.CompareKeys(tl[i-1].At, tl[i-1].ID, e.At, e.ID))
		}
	}
	// The tombstone keeps only the event that says where it went.
	tombTL := collect(t, st.Timeline(ctx, merged.ID, store.Page{}))
	require.Len(t, tombTL, 1)
	assert.Equal(t, crm.EventClientMergedInto, tombTL[0].Kind)

	// The log keeps events as they were written.
	var asWritten int
	for _, e := range st.Events(ctx) {
		if e.ClientID == merged.ID {
			asWritten++
		}
	}
	assert.Equal(t, 1+2+1, asWritten)

	// The merged client holds no INN any more. The survivor now carries
	// both, but crm.Client.UniqueINNKey makes only its first one unique,
	// so the merged client's INN is free again.
	require.Equal(t, "RU:7707083893", func() string { k, _ := gotS.UniqueINNKey(); return k.Value }())
	assert.ErrorIs(t, st.CreateClient(ctx, client("7707083893"), nil), store.ErrDuplicate)
	assert.NoError(t, st.CreateClient(ctx, client("7736207543"), nil))

	// A tombstone cannot be merged again.
	gotM.MergedInto = other.ID
	other.Version = 1
	err = st.MergeClients(ctx, other, gotM, nil)
	assert.ErrorIs(t, err, memory.ErrInvalid)
	assert.False(t, errors.Is(err, store.ErrConflict))
}

func TestMergeReleasesINN(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	survivor := mustCreate(t, st, client("7707083893"))
	merged := mustCreate(t, st, client("7736207543"))
	merged.MergedInto = survivor.ID
	require.NoError(t, st.MergeClients(ctx, survivor, merged, nil))
	// The survivor did not take the merged client's INN, so it is free.
	require.NoError(t, st.CreateClient(ctx, client("7736207543"), nil))
}
