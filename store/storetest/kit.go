package storetest

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// epoch is the instant fixtures are dated from. Fixture times are whole
// minutes in UTC, which every backend keeps exactly.
var epoch = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// at returns the instant min minutes after epoch (before, if negative).
func at(min int) time.Time { return epoch.Add(time.Duration(min) * time.Minute) }

// Id ranges for listings that insert around a cursor: every id made with
// seedLow sorts before every id made with seedMid, and those before every
// id made with seedHigh.
const (
	seedLow  uint32 = 0x10
	seedMid  uint32 = 0x20
	seedHigh uint32 = 0x30
)

// idAt returns a version-7-shaped id whose bytes sort by (seed, n): ids
// with one seed sort by n, and all sort after those of a smaller seed.
func idAt(seed uint32, n uint64) uuid.UUID {
	var id uuid.UUID
	binary.BigEndian.PutUint32(id[0:4], seed)
	id[6] = 0x70 // version 7
	id[8] = 0x80 // RFC 9562 variant
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], n)
	copy(id[9:], buf[1:])
	return id
}

// kit is what a check works with: the store under test, a context, and
// builders of fixtures. Its builders are safe for concurrent use; its
// must* helpers fail the test and so belong to the test's goroutine.
type kit struct {
	t     *testing.T
	s     crm.Store
	ctx   context.Context
	newID func() uuid.UUID
	seq   atomic.Int64
	user  uuid.UUID // the actor recorded on fixtures
	owner uuid.UUID // the manager owning fixture clients
}

func newKit(t *testing.T, s crm.Store) *kit {
	k := &kit{t: t, s: s, ctx: t.Context(), newID: clock.Sequential(0x5707e)}
	k.user = k.newID()
	k.owner = k.newID()
	return k
}

// client returns a new, complete client card that no other fixture
// shares a key with: its own id, INN, phone, e-mail and name. The store
// does not validate content, so the values only look real.
func (k *kit) client() crm.Client {
	n := k.seq.Add(1)
	return crm.Client{
		ID: k.newID(),
		Card: crm.Card{
			Kind:      crm.KindCompany,
			LegalName: fmt.Sprintf("ООО «Ромашка-%d»", n),
			ShortName: fmt.Sprintf("Ромашка-%d", n),
			TaxIDs: []taxid.ID{
				{Country: taxid.CountryRU, Kind: taxid.KindINN, Value: fmt.Sprintf("77%08d", n)},
				{Country: taxid.CountryRU, Kind: taxid.KindKPP, Value: "770701001"},
			},
			Addresses: []crm.Address{{Kind: crm.AddressLegal, Country: "RU", City: "Москва", Line: "ул. Тверская, 1"}},
			Industry:  "retail",
			SizeBand:  crm.SizeSmall,
			Tags:      []string{"opt", "wholesale"},
			Attributes: map[string]crm.Attribute{
				"region":   crm.TextAttr("msk"),
				"discount": crm.NumberAttr(decimal.RequireFromString("2.5")),
			},
			Source: crm.SourceReferral,
		},
		Contacts: []crm.Contact{{
			ID:        k.newID(),
			LastName:  "Иванов",
			FirstName: "Пётр",
			Position:  "закупщик",
			Emails:    []string{fmt.Sprintf("buyer%d@example.ru", n)},
			Phones:    []string{fmt.Sprintf("+7916%07d", n)},
			Primary:   true,
		}},
		Owner:      k.owner,
		Tier:       crm.TierStandard,
		TierChange: crm.Change{By: k.user, At: at(0)},
		Stage:      crm.StageLead,
		StageLog:   []crm.StageChange{{To: crm.StageLead, At: at(0), By: k.user}},
		Credit: crm.CreditProfile{
			Limit:      money.MustParse("150000.00", money.RUB),
			Rating:     "B",
			ReviewedAt: at(0),
			ReviewedBy: k.user,
		},
		CreatedAt: at(0),
		CreatedBy: k.user,
		UpdatedAt: at(0),
		UpdatedBy: k.user,
	}
}

// event returns a timeline event of the client.
func (k *kit) event(client uuid.UUID, kind crm.EventKind, when time.Time) crm.Event {
	return crm.Event{
		ID:         k.newID(),
		ClientID:   client,
		Kind:       kind,
		At:         when,
		RecordedAt: when,
		Actor:      k.user,
		Data:       map[string]string{"fields": "tags", "note": "storetest"},
	}
}

// interaction returns a reached call with the client's first contact.
func (k *kit) interaction(c crm.Client, when time.Time) crm.Interaction {
	in := crm.Interaction{
		ID:         k.newID(),
		ClientID:   c.ID,
		Kind:       crm.InteractionCall,
		Direction:  crm.Outbound,
		At:         when,
		Duration:   5 * time.Minute,
		Manager:    k.user,
		Subject:    "поставка",
		Summary:    "обсудили условия",
		Outcome:    crm.OutcomeReached,
		NextStep:   &crm.NextStep{Action: "выслать КП", Due: crm.Date{Year: 2025, Month: time.March, Day: 10}},
		RecordedAt: when,
		RecordedBy: k.user,
	}
	if len(c.Contacts) > 0 {
		in.Contacts = []uuid.UUID{c.Contacts[0].ID}
	}
	return in
}

// logged returns the event that records the interaction.
func (k *kit) logged(in crm.Interaction) crm.Event {
	e := k.event(in.ClientID, crm.EventInteractionLogged, in.At)
	e.Subject = in.ID
	e.Data = map[string]string{"kind": string(in.Kind), "outcome": string(in.Outcome)}
	return e
}

// delegation returns a delegation of principal to deputy over [from, to).
func (k *kit) delegation(principal, deputy uuid.UUID, from, to time.Time) crm.Delegation {
	return crm.Delegation{
		ID:        k.newID(),
		Principal: principal,
		Deputy:    deputy,
		From:      from,
		To:        to,
		Clients:   []uuid.UUID{k.newID(), k.newID()},
		Reason:    "отпуск",
		CreatedAt: from,
		CreatedBy: principal,
	}
}

// mergeArgs returns what MergeClients takes to merge merged into
// survivor, both as read: the survivor listing the merged client, the
// tombstone pointing at the survivor, and an event on each timeline.
func (k *kit) mergeArgs(survivor, merged crm.Client, when time.Time) (crm.Client, crm.Client, []crm.Event) {
	s := survivor.Clone()
	s.MergedFrom = append(s.MergedFrom, merged.ID)
	m := merged.Clone()
	m.MergedInto = survivor.ID
	es := k.event(s.ID, crm.EventClientMerged, when)
	es.Subject = m.ID
	em := k.event(m.ID, crm.EventClientMergedInto, when)
	em.Subject = s.ID
	return s, m, []crm.Event{es, em}
}

// mustCreate stores the client with its events and returns it as read
// back.
func (k *kit) mustCreate(c crm.Client, events ...crm.Event) crm.Client {
	k.t.Helper()
	require.NoError(k.t, k.s.CreateClient(k.ctx, c, events), "setup: CreateClient of a new client failed")
	return k.mustGet(c.ID)
}

// mustCreateLogged stores the client with a creation event dated when.
func (k *kit) mustCreateLogged(c crm.Client, when time.Time) crm.Client {
	k.t.Helper()
	return k.mustCreate(c, k.event(c.ID, crm.EventClientCreated, when))
}

// mustGet reads a client.
func (k *kit) mustGet(id uuid.UUID) crm.Client {
	k.t.Helper()
	c, err := k.s.GetClient(k.ctx, id)
	require.NoError(k.t, err, "setup: GetClient of a stored client failed")
	return c
}

// mustUpdate updates the client and returns it as read back.
func (k *kit) mustUpdate(c crm.Client, events ...crm.Event) crm.Client {
	k.t.Helper()
	require.NoError(k.t, k.s.UpdateClient(k.ctx, c, events), "setup: UpdateClient at the current version failed")
	return k.mustGet(c.ID)
}

// mustAppend logs the interaction with its events.
func (k *kit) mustAppend(in crm.Interaction, events ...crm.Event) {
	k.t.Helper()
	require.NoError(k.t, k.s.AppendInteraction(k.ctx, in, events), "setup: AppendInteraction for a stored client failed")
}

// mustMerge merges merged into survivor (both as read).
func (k *kit) mustMerge(survivor, merged crm.Client) {
	k.t.Helper()
	s, m, events := k.mergeArgs(survivor, merged, at(60))
	require.NoError(k.t, k.s.MergeClients(k.ctx, s, m, events), "setup: MergeClients of two current clients failed")
}

// mustCreateDelegation stores the delegation and returns it as read back.
func (k *kit) mustCreateDelegation(d crm.Delegation, events ...crm.Event) crm.Delegation {
	k.t.Helper()
	require.NoError(k.t, k.s.CreateDelegation(k.ctx, d, events), "setup: CreateDelegation of a non-overlapping delegation failed")
	got, err := k.s.GetDelegation(k.ctx, d.ID)
	require.NoError(k.t, err, "setup: GetDelegation of a stored delegation failed")
	return got
}

// clients lists every client matching f.
func (k *kit) clients(f crm.ClientFilter) []crm.Client {
	k.t.Helper()
	out, err := store.Collect(k.s.ListClients(k.ctx, f, store.Page{}))
	require.NoError(k.t, err, "setup: ListClients failed")
	return out
}

// timeline lists the client's whole timeline, oldest first.
func (k *kit) timeline(client uuid.UUID) []crm.Event {
	k.t.Helper()
	out, err := store.Collect(k.s.Timeline(k.ctx, client, store.Page{}))
	require.NoError(k.t, err, "setup: Timeline failed")
	return out
}

// interactions lists the client's interactions, oldest first.
func (k *kit) interactions(client uuid.UUID) []crm.Interaction {
	k.t.Helper()
	out, err := store.Collect(k.s.ListInteractions(k.ctx, client, store.Page{}))
	require.NoError(k.t, err, "setup: ListInteractions failed")
	return out
}

// delegations lists every delegation matching f.
func (k *kit) delegations(f crm.DelegationFilter) []crm.Delegation {
	k.t.Helper()
	out, err := store.Collect(k.s.ListDelegations(k.ctx, f, store.Page{}))
	require.NoError(k.t, err, "setup: ListDelegations failed")
	return out
}

// findKeys runs FindByKeys.
func (k *kit) findKeys(keys ...crm.MatchKey) []crm.KeyMatch {
	k.t.Helper()
	out, err := k.s.FindByKeys(k.ctx, keys)
	require.NoError(k.t, err, "setup: FindByKeys failed")
	return out
}

// keyOf returns the client's first match key of the kind.
func keyOf(c crm.Client, kind crm.MatchKind) crm.MatchKey {
	for _, key := range c.MatchKeys() {
		if key.Kind == kind {
			return key
		}
	}
	panic("storetest: fixture has no " + string(kind) + " key")
}

// innKey is the INN key of a Russian INN value.
func innKey(value string) crm.MatchKey {
	return crm.MatchKey{Kind: crm.MatchINN, Value: taxid.CountryRU + ":" + value}
}

// withINN returns c with its INN replaced.
func withINN(c crm.Client, value string) crm.Client {
	c = c.Clone()
	for i, id := range c.TaxIDs {
		if id.Kind == taxid.KindINN {
			c.TaxIDs[i].Value = value
			return c
		}
	}
	c.TaxIDs = append(c.TaxIDs, taxid.ID{Country: taxid.CountryRU, Kind: taxid.KindINN, Value: value})
	return c
}

// inn returns the client's INN value.
func inn(c crm.Client) string {
	id, _ := c.TaxID(taxid.KindINN)
	return id.Value
}

// idsOf returns the ids of records, in order.
func idsOf[T interface{ Cursor() store.Cursor }](records []T) []uuid.UUID {
	out := make([]uuid.UUID, len(records))
	for i, r := range records {
		out[i] = r.Cursor().ID
	}
	return out
}

// eventIDs returns the ids of events, in order.
func eventIDs(events []crm.Event) []uuid.UUID { return idsOf(events) }

// sortedKeys returns records' cursors sorted in the order of a listing.
func sortedKeys(keys []store.Cursor, o store.Order) []store.Cursor {
	out := slices.Clone(keys)
	slices.SortFunc(out, func(a, b store.Cursor) int {
		d := store.CompareKeys(a.At, a.ID, b.At, b.ID)
		if o == store.Descending {
			return -d
		}
		return d
	})
	return out
}

// cancelled returns a context that is already cancelled.
func (k *kit) cancelled() context.Context {
	ctx, cancel := context.WithCancel(k.ctx)
	cancel()
	return ctx
}

// together runs fn(0) … fn(n-1) in n goroutines released at the same
// moment and returns their errors by index.
func together(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}
