package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
)

// RunService drives crm.Service over stores made by h: the checks that
// only show when the service's read-modify-write loop meets the store's
// optimistic concurrency under load.
func RunService(t *testing.T, h Harness) {
	t.Helper()
	runChecks(t, h, []check{
		{rule: "service: many goroutines changing one client lose no update", run: serviceNoLostUpdate},
		{rule: "service: concurrent stage changes and edits keep a consistent log", run: serviceStageAndEdits},
	})
}

// serviceWorld is a service over the kit's store with one manager.
func serviceWorld(t *testing.T, k *kit) (*crm.Service, crm.Actor, crm.Client) {
	t.Helper()
	team := crm.NewTeam()
	manager := uuid.MustParse("00000000-0000-7000-8000-0000000000aa")
	require.NoError(t, team.Add(manager, uuid.Nil, crm.RoleManager))
	actor, err := team.Actor(context.Background(), manager)
	require.NoError(t, err)
	svc, err := crm.NewService(k.s, crm.Options{
		Clock:     clock.Options{Now: clock.NewStepping(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), time.Millisecond).Now},
		Directory: team,
	})
	require.NoError(t, err)
	c, _, err := svc.CreateClient(context.Background(), actor, crm.NewClient{
		Card: crm.Card{Kind: crm.KindCompany, LegalName: "ООО «Конкурентная»",
			TaxIDs: []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: "7707083893"}}},
		Contacts: []crm.Contact{{FirstName: "Анна", Phones: []string{"+79161234567"}}},
	})
	require.NoError(t, err)
	return svc, actor, c
}

func serviceNoLostUpdate(t *testing.T, k *kit) {
	svc, actor, c := serviceWorld(t, k)
	const writers = 50
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			_, errs[i] = svc.UpdateClient(context.Background(), actor, c.ID, func(d *crm.Draft) error {
				d.Card.Tags = append(d.Card.Tags, fmt.Sprintf("writer-%02d", i))
				return nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoErrorf(t, err, "contract: a conflicting write is retried by the service — writer %d failed", i)
	}
	final, err := svc.GetClient(context.Background(), actor, c.ID)
	require.NoError(t, err)
	require.Lenf(t, final.Tags, writers, "contract: no lost update — %d of %d writers' tags survived", len(final.Tags), writers)
	require.Equalf(t, store.Version(1+writers), final.Version, "contract: every successful write stores the next version")
	events, err := store.Collect(svc.Timeline(context.Background(), actor, c.ID, store.Page{}))
	require.NoError(t, err)
	updates := 0
	for _, e := range events {
		if e.Kind == crm.EventClientUpdated {
			updates++
		}
	}
	require.Equalf(t, writers, updates, "contract: each write's event is stored with it, once (%d events for %d writes)", updates, writers)
}

func serviceStageAndEdits(t *testing.T, k *kit) {
	svc, actor, c := serviceWorld(t, k)
	ctx := context.Background()
	var wg sync.WaitGroup
	stageErrs := make(chan error, 3)
	for _, to := range []crm.Stage{crm.StageQualified, crm.StageNegotiation, crm.StageCustomer} {
		wg.Go(func() {
			_, err := svc.ChangeStage(ctx, actor, c.ID, crm.StageMove{To: to})
			stageErrs <- err
		})
	}
	editErrs := make([]error, 10)
	for i := range editErrs {
		wg.Go(func() {
			_, editErrs[i] = svc.UpdateClient(ctx, actor, c.ID, func(d *crm.Draft) error {
				d.Card.Tags = append(d.Card.Tags, fmt.Sprintf("edit-%d", i))
				return nil
			})
		})
	}
	wg.Wait()
	for _, err := range editErrs {
		require.NoError(t, err, "contract: a conflicting edit is retried by the service")
	}
	close(stageErrs)
	for err := range stageErrs {
		if err != nil {
			require.ErrorIsf(t, err, crm.ErrTransition, "a stage change may only fail because another got there first")
		}
	}
	final, err := svc.GetClient(ctx, actor, c.ID)
	require.NoError(t, err)
	require.Len(t, final.Tags, 10, "contract: no lost update")
	for i := 1; i < len(final.StageLog); i++ {
		require.Equalf(t, final.StageLog[i-1].To, final.StageLog[i].From,
			"contract: the stage log is a chain even under concurrent moves: %v", final.StageLog)
	}
	require.Equal(t, final.Stage, final.StageLog[len(final.StageLog)-1].To)
}
