package storetest

import (
	"testing"

	"github.com/crmkit/crmkit/crm"
)

// Harness tells the suite how to get a store to check.
type Harness struct {
	// NewStore returns a fresh, empty store. The suite calls it once per
	// subtest and expects no records from other subtests to be visible.
	// Release what the store holds with t.Cleanup.
	NewStore func(t *testing.T) crm.Store
}

// Run runs every check of the suite against stores made by h, one family
// per subtest: clients, interactions, complaints, timeline, delegations,
// and the service over the store.
func Run(t *testing.T, h Harness) {
	t.Helper()
	t.Run("clients", func(t *testing.T) { RunClients(t, h) })
	t.Run("interactions", func(t *testing.T) { RunInteractions(t, h) })
	t.Run("complaints", func(t *testing.T) { RunComplaints(t, h) })
	t.Run("timeline", func(t *testing.T) { RunTimeline(t, h) })
	t.Run("delegations", func(t *testing.T) { RunDelegations(t, h) })
	t.Run("service", func(t *testing.T) { RunService(t, h) })
}

// check is one rule of the contract and the subtest that enforces it.
type check struct {
	rule string
	run  func(t *testing.T, k *kit)
}

// runChecks runs each check as a subtest named after its rule, on a fresh
// store.
func runChecks(t *testing.T, h Harness, checks []check) {
	t.Helper()
	if h.NewStore == nil {
		t.Fatal("storetest: Harness.NewStore is nil")
	}
	for _, c := range checks {
		t.Run(c.rule, func(t *testing.T) {
			s := h.NewStore(t)
			if s == nil {
				t.Fatal("storetest: Harness.NewStore returned a nil store")
			}
			c.run(t, newKit(t, s))
		})
	}
}
