package memory_test

import (
	"fmt"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

var (
	newID = clock.Sequential(1)
	t0    = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	owner = newID()
	actor = newID()
)

// client builds a lead with the given INN ("" for none); its name and
// phone are unique.
func client(inn string) crm.Client {
	id := newID()
	c := crm.Client{
		ID:        id,
		Owner:     owner,
		Stage:     crm.StageLead,
		CreatedAt: t0,
		UpdatedAt: t0,
		CreatedBy: actor,
		UpdatedBy: actor,
	}
	c.LegalName = "ООО Клиент " + id.String()
	c.Tags = []string{"a"}
	if inn != "" {
		c.TaxIDs = []taxid.ID{{Country: taxid.CountryRU, Kind: taxid.KindINN, Value: inn}}
	}
	c.Contacts = []crm.Contact{{ID: newID(), LastName: "Иванов", Phones: []string{phone(id)}, Primary: true}}
	return c
}

// phone returns a fake E.164 number derived from an id.
func phone(id uuid.UUID) string {
	return fmt.Sprintf("+7916%07d", int(id[14])<<8|int(id[15]))
}

func event(clientID uuid.UUID, kind crm.EventKind, at time.Time) crm.Event {
	return crm.Event{
		ID: newID(), ClientID: clientID, Kind: kind, At: at, RecordedAt: at, Actor: actor,
		Data: map[string]string{"k": "v"},
	}
}

func interaction(clientID uuid.UUID, at time.Time, outcome crm.Outcome) crm.Interaction {
	return crm.Interaction{
		ID: newID(), ClientID: clientID, Kind: crm.InteractionCall, Direction: crm.Outbound,
		At: at, Contacts: []uuid.UUID{newID()}, Manager: actor, Subject: "call", Outcome: outcome,
		NextStep: &crm.NextStep{Action: "send offer"}, RecordedAt: at, RecordedBy: actor,
	}
}

func delegation(principal uuid.UUID, from, to time.Time) crm.Delegation {
	return crm.Delegation{
		ID: newID(), Principal: principal, Deputy: newID(), From: from, To: to,
		Clients: []uuid.UUID{newID()}, Reason: "vacation", CreatedAt: from, CreatedBy: principal,
	}
}

// mustCreate stores c with one created event and returns the stored copy.
func mustCreate(t testing.TB, st *memory.Store, c crm.Client) crm.Client {
	t.Helper()
	require.NoError(t, st.CreateClient(t.Context(), c, []crm.Event{event(c.ID, crm.EventClientCreated, c.CreatedAt)}))
	got, err := st.GetClient(t.Context(), c.ID)
	require.NoError(t, err)
	return got
}

func collect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
	t.Helper()
	out, err := store.Collect(seq)
	require.NoError(t, err)
	return out
}

func ids[T interface{ Cursor() store.Cursor }](items []T) []uuid.UUID {
	out := make([]uuid.UUID, len(items))
	for i, it := range items {
		out[i] = it.Cursor().ID
	}
	return out
}

// snapshot is everything a store shows, to prove that a failed write
// changed nothing.
type snapshot struct {
	Stats        memory.Stats
	Clients      []crm.Client
	Interactions map[uuid.UUID][]crm.Interaction
	Timelines    map[uuid.UUID][]crm.Event
	Delegations  []crm.Delegation
	Events       []crm.Event
	Keys         []crm.KeyMatch
}

func takeSnapshot(t testing.TB, st *memory.Store) snapshot {
	t.Helper()
	ctx := t.Context()
	s := snapshot{
		Stats:        st.Stats(),
		Clients:      collect(t, st.ListClients(ctx, crm.ClientFilter{IncludeMerged: true}, store.Page{})),
		Interactions: map[uuid.UUID][]crm.Interaction{},
		Timelines:    map[uuid.UUID][]crm.Event{},
		Delegations:  collect(t, st.ListDelegations(ctx, crm.DelegationFilter{}, store.Page{})),
		Events:       st.Events(ctx),
	}
	var keys []crm.MatchKey
	for _, c := range s.Clients {
		s.Interactions[c.ID] = collect(t, st.ListInteractions(ctx, c.ID, store.Page{}))
		s.Timelines[c.ID] = collect(t, st.Timeline(ctx, c.ID, store.Page{}))
		keys = append(keys, c.MatchKeys()...)
	}
	var err error
	s.Keys, err = st.FindByKeys(ctx, keys)
	require.NoError(t, err)
	slices.SortFunc(s.Keys, func(a, b crm.KeyMatch) int {
		if d := strings.Compare(a.ClientID.String(), b.ClientID.String()); d != 0 {
			return d
		}
		return strings.Compare(string(a.Key.Kind)+a.Key.Value, string(b.Key.Kind)+b.Key.Value)
	})
	return s
}
