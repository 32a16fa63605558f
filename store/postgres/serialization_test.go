package postgres_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/postgres"
)

// Serialization failures that outlast the store's own attempts match
// store.ErrConflict, so crm.Service retries them: concurrent calls on one
// client all succeed at REPEATABLE READ and SERIALIZABLE.
func TestServiceRetriesSerializationFailures(t *testing.T) {
	for _, iso := range []string{"repeatable read", "serializable"} {
		t.Run(iso, func(t *testing.T) { serializationFailures(t, iso) })
	}
}

func serializationFailures(t *testing.T, iso string) {
	f := newFixture(t)
	ctx := t.Context()
	st := postgres.New(f.poolWith(t, 16, map[string]string{"default_transaction_isolation": iso}))
	w := newParityWorld(t, st)
	svc, err := crm.NewService(st, crm.Options{Directory: teamOf(t, w.actor)})
	require.NoError(t, err)

	const workers, calls = 8, 25
	var mu sync.Mutex
	var backend []error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				_, err := svc.LogInteraction(ctx, w.actor, crm.NewInteraction{ClientID: w.cl.ID, Kind: crm.InteractionCall,
					Direction: crm.Outbound, At: time.Now().Add(-time.Hour), Outcome: crm.OutcomeReached})
				if errors.Is(err, postgres.ErrBackend) && !errors.Is(err, store.ErrConflict) {
					mu.Lock()
					backend = append(backend, err)
					mu.Unlock()
				} else {
					assert.NoError(t, err)
				}
			}
		}()
	}
	wg.Wait()
	assert.Empty(t, backend, "%d of %d calls failed with a serialization failure; first: %v", len(backend), workers*calls, first(backend))
}

func first(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errs[0]
}

func teamOf(t *testing.T, a crm.Actor) *crm.Team {
	team := crm.NewTeam()
	require.NoError(t, team.Add(a.ID, [16]byte{}, a.Roles...))
	return team
}
