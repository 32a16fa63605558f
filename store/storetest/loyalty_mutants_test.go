package storetest_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/store/memory"
	"github.com/crmkit/crmkit/store/storetest"
)

// TestLoyaltyMemory runs the loyalty suite against the in-memory store.
func TestLoyaltyMemory(t *testing.T) {
	storetest.RunLoyalty(t, storetest.LoyaltyHarness{
		NewStore: func(*testing.T) loyalty.Store { return memory.New() },
	})
}

// A loyalty mutant is the memory store with one rule of the loyalty
// contract broken; RunLoyalty must fail on it, naming the rule.
type loyaltyMutant struct {
	name string
	wrap func(loyalty.Store) loyalty.Store
	want string
}

var loyaltyMutants = []loyaltyMutant{
	{"ignores fingerprints", func(s loyalty.Store) loyalty.Store { return ignoresFingerprint{s} },
		"contract: the same key with another fingerprint is ErrDuplicate"},
	{"forgets keys", func(s loyalty.Store) loyalty.Store { return &forgetsKeys{Store: s} },
		"contract: a repeated key posts once"},
	{"ignores cancellation", func(s loyalty.Store) loyalty.Store { return ignoresLoyaltyContext{s} },
		"contract: methods honour cancellation"},
}

// TestLoyaltySuiteCatchesMutants runs RunLoyalty against every mutant in
// a child process and expects it to fail with the mutant's rule.
func TestLoyaltySuiteCatchesMutants(t *testing.T) {
	if os.Getenv("LOYALTY_MUTANT") != "" {
		t.Skip("in a mutant child")
	}
	if testing.Short() {
		t.Skip("spawns a test process per mutant")
	}
	for _, m := range loyaltyMutants {
		t.Run(m.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestLoyaltyMutantChild$", "-test.timeout=120s")
			cmd.Env = append(os.Environ(), "LOYALTY_MUTANT="+m.name)
			out, err := cmd.CombinedOutput()
			assert.Error(t, err, "the suite passed a store that %s", m.name)
			assert.Contains(t, string(out), m.want, "the suite failed the store that %s, but not for the rule it breaks", m.name)
		})
	}
}

// TestLoyaltyMutantChild runs the suite against one mutant; only in a child.
func TestLoyaltyMutantChild(t *testing.T) {
	name := os.Getenv("LOYALTY_MUTANT")
	if name == "" {
		t.Skip("run by TestLoyaltySuiteCatchesMutants")
	}
	for _, m := range loyaltyMutants {
		if m.name == name {
			storetest.RunLoyalty(t, storetest.LoyaltyHarness{NewStore: func(*testing.T) loyalty.Store { return m.wrap(memory.New()) }})
			return
		}
	}
	t.Fatalf("no mutant %q", name)
}

// ignoresFingerprint replays a key whatever the content.
type ignoresFingerprint struct{ loyalty.Store }

func (s ignoresFingerprint) Post(ctx context.Context, p loyalty.Posting) (loyalty.Result, error) {
	p.Fingerprint = "same"
	return s.Store.Post(ctx, p)
}

// forgetsKeys posts every call anew.
type forgetsKeys struct {
	loyalty.Store
	n atomic.Int64
}

func (s *forgetsKeys) Post(ctx context.Context, p loyalty.Posting) (loyalty.Result, error) {
	p.Key = fmt.Sprint(p.Key, "#", s.n.Add(1))
	return s.Store.Post(ctx, p)
}

// ignoresLoyaltyContext drops the caller's context.
type ignoresLoyaltyContext struct{ loyalty.Store }

func (s ignoresLoyaltyContext) Post(_ context.Context, p loyalty.Posting) (loyalty.Result, error) {
	return s.Store.Post(context.Background(), p)
}

func (s ignoresLoyaltyContext) Account(_ context.Context, id string) (loyalty.Account, error) {
	return s.Store.Account(context.Background(), id)
}
