package postgres_test

import (
	"testing"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store/storetest"
)

// TestConformance runs the whole store/storetest suite against
// PostgreSQL, each check on an empty schema of its own.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		NewStore: func(t *testing.T) crm.Store { return newFixture(t).st },
	})
}
