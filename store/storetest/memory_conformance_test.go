package storetest_test

import (
	"testing"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store/memory"
	"github.com/crmkit/crmkit/store/storetest"
)

// TestMemory runs the suite against the in-memory store, which keeps the
// suite itself honest.
func TestMemory(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		NewStore: func(t *testing.T) crm.Store { return memory.New() },
	})
}
