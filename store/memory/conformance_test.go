package memory_test

import (
	"testing"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store/memory"
	"github.com/crmkit/crmkit/store/storetest"
)

// TestConformance runs the store contract's conformance suite against a
// fresh memory store per check.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		NewStore: func(*testing.T) crm.Store { return memory.New() },
	})
}
