package postgres_test

import (
	"testing"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/store/storetest"
)

// TestLoyaltyConformance runs the loyalty store conformance suite
// (storetest.RunLoyalty) against PostgreSQL, each check on an empty schema
// of its own.
func TestLoyaltyConformance(t *testing.T) {
	storetest.RunLoyalty(t, storetest.LoyaltyHarness{
		NewStore: func(t *testing.T) loyalty.Store { return newFixture(t).st },
	})
}
