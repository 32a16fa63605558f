package postgres_test

import (
	"testing"

	"github.com/crmkit/crmkit/internal/stresstest"
	"github.com/crmkit/crmkit/store/postgres"
)

func TestServiceStress(t *testing.T) {
	for _, iso := range []string{"read committed", "repeatable read", "serializable"} {
		t.Run(iso, func(t *testing.T) {
			f := newFixture(t)
			st := postgres.New(f.poolWith(t, 16, map[string]string{"default_transaction_isolation": iso}))
			stresstest.Run(t, st, stresstest.Config{Workers: 12, Ops: 120, Clients: 3, Seed: 7})
		})
	}
}
