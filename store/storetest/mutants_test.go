package storetest_test

import (
	"context"
	"iter"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
	"github.com/crmkit/crmkit/store/storetest"
)

// A mutant is the memory store with one rule of the contract broken. The
// suite must fail on each, naming the rule: that is what shows a passing
// run means something.
type mutant struct {
	name   string
	family func(*testing.T, storetest.Harness)
	wrap   func(crm.Store) crm.Store
	want   string // a rule the failure output must name
}

var mutants = []mutant{
	{"ignores versions", storetest.RunClients, func(s crm.Store) crm.Store { return &ignoresVersions{Store: s} },
		"contract: a stale version is ErrConflict"},
	{"keeps the caller's slices", storetest.RunClients, func(s crm.Store) crm.Store { return &keepsSlices{Store: s, kept: map[uuid.UUID]crm.Client{}} },
		"contract: the store keeps its own copy"},
	{"ignores cancellation", storetest.RunInteractions, func(s crm.Store) crm.Store { return ignoresContext{s} },
		"contract: methods honour cancellation"},
	{"orders the timeline by id", storetest.RunTimeline, func(s crm.Store) crm.Store { return timelineByID{s} },
		"contract: Timeline lists the client's events ordered by At, then id"},
	{"skips a record on resume", storetest.RunClients, func(s crm.Store) crm.Store { return skipsOnResume{s} },
		"contract: records present when the first page was read are never skipped"},
	{"ignores Limit", storetest.RunDelegations, func(s crm.Store) crm.Store { return ignoresLimit{s} },
		"contract: a page holds at most Limit records"},
	{"finds merged clients", storetest.RunClients, func(s crm.Store) crm.Store { return findsMerged{s} },
		"contract: FindByKeys returns live clients only"},
	{"bumps the version on append", storetest.RunInteractions, func(s crm.Store) crm.Store { return bumpsOnAppend{s} },
		"contract: AppendInteraction moves LastContactAt without changing the client's version"},
}

// TestSuiteCatchesMutants runs the suite against every mutant in a child
// process and expects it to fail with the mutant's rule.
func TestSuiteCatchesMutants(t *testing.T) {
	if os.Getenv("STORETEST_MUTANT") != "" {
		t.Skip("in a mutant child")
	}
	if testing.Short() {
		t.Skip("spawns a test process per mutant")
	}
	for _, m := range mutants {
		t.Run(m.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestMutantChild$", "-test.timeout=120s")
			cmd.Env = append(os.Environ(), "STORETEST_MUTANT="+m.name)
			out, err := cmd.CombinedOutput()
			assert.Error(t, err, "the suite passed a store that %s", m.name)
			assert.Contains(t, string(out), m.want, "the suite failed the store that %s, but not for the rule it breaks", m.name)
		})
	}
}

// TestMutantChild runs one family against one mutant; only in a child.
func TestMutantChild(t *testing.T) {
	name := os.Getenv("STORETEST_MUTANT")
	if name == "" {
		t.Skip("run by TestSuiteCatchesMutants")
	}
	for _, m := range mutants {
		if m.name == name {
			m.family(t, storetest.Harness{NewStore: func(*testing.T) crm.Store { return m.wrap(memory.New()) }})
			return
		}
	}
	t.Fatalf("unknown mutant %q", name)
}

// ignoresVersions writes whatever version is current: last writer wins.
type ignoresVersions struct{ crm.Store }

func (s *ignoresVersions) UpdateClient(ctx context.Context, c crm.Client, events []crm.Event) error {
	if cur, err := s.GetClient(ctx, c.ID); err == nil {
		c.Version = cur.Version
	}
	return s.Store.UpdateClient(ctx, c, events)
}

// keepsSlices hands out the slices and maps of the value it was created
// with, as a store that keeps the caller's value would.
type keepsSlices struct {
	crm.Store
	mu   sync.Mutex
	kept map[uuid.UUID]crm.Client
}

func (s *keepsSlices) CreateClient(ctx context.Context, c crm.Client, events []crm.Event) error {
	if err := s.Store.CreateClient(ctx, c, events); err != nil {
		return err
	}
	s.mu.Lock()
	s.kept[c.ID] = c
	s.mu.Unlock()
	return nil
}

func (s *keepsSlices) GetClient(ctx context.Context, id uuid.UUID) (crm.Client, error) {
	c, err := s.Store.GetClient(ctx, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.kept[id]; ok && err == nil && c.Version == 1 {
		c.Tags, c.Contacts, c.Attributes, c.StageLog = k.Tags, k.Contacts, k.Attributes, k.StageLog
	}
	return c, err
}

// ignoresContext never looks at the caller's context.
type ignoresContext struct{ crm.Store }

func (s ignoresContext) AppendInteraction(_ context.Context, in crm.Interaction, events []crm.Event) error {
	return s.Store.AppendInteraction(context.Background(), in, events)
}

func (s ignoresContext) GetInteraction(_ context.Context, id uuid.UUID) (crm.Interaction, error) {
	return s.Store.GetInteraction(context.Background(), id)
}

func (s ignoresContext) ListInteractions(_ context.Context, client uuid.UUID, p store.Page) iter.Seq2[crm.Interaction, error] {
	return s.Store.ListInteractions(context.Background(), client, p)
}

// timelineByID orders timelines by event id alone.
type timelineByID struct{ crm.Store }

func (s timelineByID) Timeline(ctx context.Context, client uuid.UUID, p store.Page) iter.Seq2[crm.Event, error] {
	all, err := store.Collect(s.Store.Timeline(ctx, client, store.Page{}))
	if err != nil {
		return store.Fail[crm.Event](err)
	}
	slices.SortFunc(all, func(a, b crm.Event) int { return store.CompareKeys(time.Time{}, a.ID, time.Time{}, b.ID) })
	if p.Order == store.Descending {
		slices.Reverse(all)
	}
	return func(yield func(crm.Event, error) bool) {
		n := 0
		for _, e := range all {
			if !p.After.After(e.At, e.ID, p.Order) {
				continue
			}
			if p.Limit > 0 && n == p.Limit {
				return
			}
			n++
			if !yield(e, nil) {
				return
			}
		}
	}
}

// skipsOnResume drops the first client after a non-zero cursor.
type skipsOnResume struct{ crm.Store }

func (s skipsOnResume) ListClients(ctx context.Context, f crm.ClientFilter, p store.Page) iter.Seq2[crm.Client, error] {
	inner := s.Store.ListClients(ctx, f, p)
	if p.After.IsZero() {
		return inner
	}
	return func(yield func(crm.Client, error) bool) {
		first := true
		for c, err := range inner {
			if first && err == nil {
				first = false
				continue
			}
			if !yield(c, err) {
				return
			}
		}
	}
}

// ignoresLimit lists everything after the cursor.
type ignoresLimit struct{ crm.Store }

func (s ignoresLimit) ListDelegations(ctx context.Context, f crm.DelegationFilter, p store.Page) iter.Seq2[crm.Delegation, error] {
	p.Limit = 0
	return s.Store.ListDelegations(ctx, f, p)
}

// findsMerged also reports merged clients carrying a key.
type findsMerged struct{ crm.Store }

func (s findsMerged) FindByKeys(ctx context.Context, keys []crm.MatchKey) ([]crm.KeyMatch, error) {
	out, err := s.Store.FindByKeys(ctx, keys)
	if err != nil {
		return out, err
	}
	for c, err := range s.ListClients(ctx, crm.ClientFilter{IncludeMerged: true}, store.Page{}) {
		if err != nil {
			return nil, err
		}
		if !c.IsMerged() {
			continue
		}
		own := c.MatchKeys()
		for _, k := range keys {
			if slices.Contains(own, k) {
				out = append(out, crm.KeyMatch{ClientID: c.ID, Key: k})
			}
		}
	}
	return out, nil
}

// bumpsOnAppend writes the client again after every interaction.
type bumpsOnAppend struct{ crm.Store }

func (s bumpsOnAppend) AppendInteraction(ctx context.Context, in crm.Interaction, events []crm.Event) error {
	if err := s.Store.AppendInteraction(ctx, in, events); err != nil {
		return err
	}
	c, err := s.GetClient(ctx, in.ClientID)
	if err != nil {
		return err
	}
	return s.UpdateClient(ctx, c, nil)
}
