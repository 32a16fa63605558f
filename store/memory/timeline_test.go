package memory_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// Paging through a timeline while others insert, in both orders: every
// event present when the listing began is seen exactly once, in order.
func TestTimelinePagingWithInserts(t *testing.T) {
	for _, order := range []store.Order{store.Ascending, store.Descending} {
		t.Run(order.String(), func(t *testing.T) {
			ctx := t.Context()
			st := memory.New()
			c := mustCreate(t, st, client(""))
			for i := range 20 {
				e := event(c.ID, crm.EventClientUpdated, t0.Add(time.Duration(i)*time.Minute))
				require.NoError(t, st.UpdateClient(ctx, c, []crm.Event{e}))
				c.Version++
			}
			initial := collect(t, st.Timeline(ctx, c.ID, store.Page{Order: order}))
			require.Len(t, initial, 21)

			var got []crm.Event
			p := store.Page{Order: order, Limit: 4}
			for n := 0; ; n++ {
				page := collect(t, st.Timeline(ctx, c.ID, p))
				if len(page) == 0 {
					break
				}
				require.LessOrEqual(t, len(page), 4)
				got = append(got, page...)
				// The cursor survives a trip through a host's API.
				cur, err := store.ParseCursor(page[len(page)-1].Cursor().String())
				require.NoError(t, err)
				p.After = cur
				if n >= 4 {
					continue // the inserts after the cursor would keep the listing going
				}
				// Insert before, at and after the cursor.
				for _, at := range []time.Time{cur.At.Add(-time.Second), cur.At, cur.At.Add(30 * time.Second)} {
					require.NoError(t, st.UpdateClient(ctx, c, []crm.Event{event(c.ID, crm.EventClientUpdated, at)}))
					c.Version++
				}
				require.Less(t, n, 100)
			}
			for i := 1; i < len(got); i++ {
				d := store.CompareKeys(got[i-1].At, got[i-1].ID, got[i].At, got[i].ID)
				if order == store.Descending {
					assert.Positive(t, d)
				} else {
					assert.Negative(t, d)
				}
			}
			seen := map[uuid.UUID]int{}
			for _, e := range got {
				seen[e.ID]++
			}
			for _, e := range initial {
				assert.Equal(t, 1, seen[e.ID], "event %s at %s", e.ID, e.At)
			}
		})
	}
}

func TestTimelineCopiesAndGlobalEvents(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	c := client("")
	created := event(c.ID, crm.EventClientCreated, t0)
	require.NoError(t, st.CreateClient(ctx, c, []crm.Event{created}))
	created.Data["k"] = "changed"

	tl := collect(t, st.Timeline(ctx, c.ID, store.Page{}))
	require.Len(t, tl, 1)
	assert.Equal(t, "v", tl[0].Data["k"])
	tl[0].Data["k"] = "changed"
	assert.Equal(t, "v", collect(t, st.Timeline(ctx, c.ID, store.Page{}))[0].Data["k"])
	evs := st.Events(ctx)
	evs[0].Data["k"] = "changed"
	assert.Equal(t, "v", st.Events(ctx)[0].Data["k"])

	// A delegation event has no client: it goes to the log only.
	d := delegation(newID(), t0, t0.Add(time.Hour))
	dev := event(uuid.Nil, crm.EventDelegationCreated, t0)
	require.NoError(t, st.CreateDelegation(ctx, d, []crm.Event{dev}))
	assert.Len(t, collect(t, st.Timeline(ctx, c.ID, store.Page{})), 1)
	assert.Empty(t, collect(t, st.Timeline(ctx, uuid.Nil, store.Page{})))
	evs = st.Events(ctx)
	require.Len(t, evs, 2)
	assert.Equal(t, []uuid.UUID{created.ID, dev.ID}, []uuid.UUID{evs[0].ID, evs[1].ID})
	assert.Equal(t, memory.Stats{Clients: 1, Events: 2, GlobalEvents: 1, Delegations: 1}, st.Stats())
}

// The log keeps the order events were written, the timeline the order of
// their times.
func TestEventsLogOrder(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	c := client("")
	late, early := event(c.ID, crm.EventClientCreated, t0.Add(time.Hour)), event(c.ID, crm.EventClientUpdated, t0)
	require.NoError(t, st.CreateClient(ctx, c, []crm.Event{late, early}))
	log := st.Events(ctx)
	assert.Equal(t, []uuid.UUID{late.ID, early.ID}, []uuid.UUID{log[0].ID, log[1].ID})
	assert.Equal(t, []uuid.UUID{early.ID, late.ID}, ids(collect(t, st.Timeline(ctx, c.ID, store.Page{}))))
}

func TestEventChecks(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	c := mustCreate(t, st, client(""))
	e := event(c.ID, crm.EventClientUpdated, t0)
	require.NoError(t, st.UpdateClient(ctx, c, []crm.Event{e}))
	c.Version++

	// An event id taken, given twice, or nil; an event about a stranger.
	assert.ErrorIs(t, st.UpdateClient(ctx, c, []crm.Event{e}), store.ErrDuplicate)
	twice := event(c.ID, crm.EventClientUpdated, t0)
	assert.ErrorIs(t, st.UpdateClient(ctx, c, []crm.Event{twice, twice}), store.ErrDuplicate)
	noID := event(c.ID, crm.EventClientUpdated, t0)
	noID.ID = uuid.Nil
	assert.ErrorIs(t, st.UpdateClient(ctx, c, []crm.Event{noID}), memory.ErrInvalid)
	stranger := event(newID(), crm.EventClientUpdated, t0)
	assert.ErrorIs(t, st.UpdateClient(ctx, c, []crm.Event{stranger}), store.ErrNotFound)

	got, err := st.GetClient(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.Version, got.Version, "none of them was written")
}
