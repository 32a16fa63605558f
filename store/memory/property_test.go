package memory_test

import (
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// Whatever order events arrive in, and whatever the page size, paging
// through a timeline with cursors yields exactly the events sorted by
// (At, ID), in both orders; so do interactions.
func TestPagingProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		st := memory.New()
		c := client("")
		require.NoError(rt, st.CreateClient(ctx, c, nil))
		n := rapid.IntRange(0, 60).Draw(rt, "n")
		// Few distinct minutes, so ties on At are common; ids in any order.
		minutes := rapid.SliceOfN(rapid.IntRange(0, 8), n, n).Draw(rt, "minutes")
		keys := rapid.SliceOfNDistinct(rapid.Uint32(), 2*n, 2*n, rapid.ID[uint32]).Draw(rt, "ids")
		mkID := func(k uint32) uuid.UUID {
			var id uuid.UUID
			id[0] = 1
			binary.BigEndian.PutUint32(id[12:], k)
			return id
		}
		var events []crm.Event
		var ins []crm.Interaction
		for i, m := range minutes {
			in := interaction(c.ID, t0.Add(time.Duration(m)*time.Minute), crm.OutcomeReached)
			in.ID = mkID(keys[2*i])
			e := event(c.ID, crm.EventInteractionLogged, in.At)
			e.ID, e.Subject = mkID(keys[2*i+1]), in.ID
			require.NoError(rt, st.AppendInteraction(ctx, in, []crm.Event{e}))
			events, ins = append(events, e), append(ins, in)
		}
		order := rapid.SampledFrom([]store.Order{store.Ascending, store.Descending}).Draw(rt, "order")
		size := rapid.IntRange(1, 12).Draw(rt, "size")

		sortKeys := func(cs []store.Cursor) {
			slices.SortFunc(cs, func(a, b store.Cursor) int {
				d := store.CompareKeys(a.At, a.ID, b.At, b.ID)
				if order == store.Descending {
					return -d
				}
				return d
			})
		}
		var wantEvents, wantIns []store.Cursor
		for i := range events {
			wantEvents = append(wantEvents, events[i].Cursor())
			wantIns = append(wantIns, ins[i].Cursor())
		}
		sortKeys(wantEvents)
		sortKeys(wantIns)

		page := func(list func(store.Page) []store.Cursor) []store.Cursor {
			var got []store.Cursor
			p := store.Page{Order: order, Limit: size}
			for range n + 2 {
				batch := list(p)
				require.LessOrEqual(rt, len(batch), size)
				if len(batch) == 0 {
					return got
				}
				got = append(got, batch...)
				p.After = batch[len(batch)-1]
			}
			rt.Fatalf("paging did not end")
			return nil
		}
		gotEvents := page(func(p store.Page) []store.Cursor {
			var out []store.Cursor
			for e, err := range st.Timeline(ctx, c.ID, p) {
				require.NoError(rt, err)
				out = append(out, e.Cursor())
			}
			return out
		})
		gotIns := page(func(p store.Page) []store.Cursor {
			var out []store.Cursor
			for in, err := range st.ListInteractions(ctx, c.ID, p) {
				require.NoError(rt, err)
				out = append(out, in.Cursor())
			}
			return out
		})
		assert.Equal(rt, wantEvents, gotEvents)
		assert.Equal(rt, wantIns, gotIns)
	})
}

// After any sequence of creates, updates and merges, the duplicate
// index answers exactly what a scan of the live clients would, and no two
// live clients share a unique INN key; every refusal for a taken INN is
// justified.
func TestIndexProperty(t *testing.T) {
	inns := []string{"", "7707083893", "7736207543", "7710140679"}
	phones := []string{"+79160000001", "+79160000002", "+79160000003"}
	names := []string{"", "ООО Альфа", "Бета", "альфа"}
	pool := map[crm.MatchKey]bool{}

	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		st := memory.New()
		card := func(c crm.Client) crm.Client {
			c.TaxIDs = nil
			if inn := rapid.SampledFrom(inns).Draw(rt, "inn"); inn != "" {
				c.TaxIDs = []taxid.ID{{Country: taxid.CountryRU, Kind: taxid.KindINN, Value: inn}}
			}
			c.LegalName = rapid.SampledFrom(names).Draw(rt, "name")
			c.ShortName = ""
			c.Contacts = []crm.Contact{{ID: newID(), Phones: rapid.SliceOfDistinct(rapid.SampledFrom(phones), rapid.ID[string]).Draw(rt, "phones")}}
			c.AcceptedDuplicate = rapid.IntRange(0, 4).Draw(rt, "accepted") == 0
			for _, k := range c.MatchKeys() {
				pool[k] = true
			}
			return c
		}
		live := func() []crm.Client {
			out, err := store.Collect(st.ListClients(ctx, crm.ClientFilter{}, store.Page{}))
			require.NoError(rt, err)
			return out
		}
		justified := func(err error, c crm.Client) {
			if !errors.Is(err, store.ErrDuplicate) {
				require.NoError(rt, err)
				return
			}
			k, ok := c.UniqueINNKey()
			require.True(rt, ok, "refused without a unique key: %v", err)
			assert.True(rt, slices.ContainsFunc(live(), func(o crm.Client) bool {
				ok2, has := o.UniqueINNKey()
				return has && ok2 == k && o.ID != c.ID
			}), "refused %s but no other live client holds it", k.Value)
		}

		for range rapid.IntRange(1, 30).Draw(rt, "steps") {
			clients := live()
			action := rapid.IntRange(0, 2).Draw(rt, "action")
			switch {
			case action == 0 || len(clients) == 0:
				c := card(client(""))
				justified(st.CreateClient(ctx, c, nil), c)
			case action == 1:
				c := card(rapid.SampledFrom(clients).Draw(rt, "client"))
				justified(st.UpdateClient(ctx, c, nil), c)
			case len(clients) >= 2:
				i := rapid.IntRange(0, len(clients)-1).Draw(rt, "survivor")
				j := rapid.IntRange(0, len(clients)-2).Draw(rt, "merged")
				if j >= i {
					j++
				}
				survivor, merged := clients[i], clients[j]
				merged.MergedInto = survivor.ID
				justified(st.MergeClients(ctx, survivor, merged, nil), survivor)
			}

			// The index against a scan.
			clients = live()
			var keys []crm.MatchKey
			for k := range pool {
				keys = append(keys, k)
			}
			var want []crm.KeyMatch
			held := map[crm.MatchKey]uuid.UUID{}
			for _, c := range clients {
				for _, k := range c.MatchKeys() {
					want = append(want, crm.KeyMatch{ClientID: c.ID, Key: k})
				}
				if k, ok := c.UniqueINNKey(); ok {
					_, dup := held[k]
					require.False(rt, dup, "two live clients hold %s", k.Value)
					held[k] = c.ID
				}
			}
			got, err := st.FindByKeys(ctx, keys)
			require.NoError(rt, err)
			assert.ElementsMatch(rt, want, got)
		}
	})
}
