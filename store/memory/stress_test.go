package memory_test

import (
	"testing"

	"github.com/crmkit/crmkit/internal/stresstest"
	"github.com/crmkit/crmkit/store/memory"
)

func TestServiceStress(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run("", func(t *testing.T) {
			stresstest.Run(t, memory.New(), stresstest.Config{Workers: 12, Ops: 300, Clients: 3, Seed: seed})
		})
	}
}
