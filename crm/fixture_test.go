package crm_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store/memory"
)

// Real, checksum-valid identifiers.
const (
	innSber    = "7707083893"
	innYandex  = "7736207543"
	innPerson  = "500100732259"
	ogrnSber   = "1027700132195"
	ogrnipTest = "304500116000157"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday

// world is a service over a fresh memory store with a small sales team:
//
//	admin
//	head ── manager1, manager2
//	outsider (a manager in another team), auditor, credit controller, deputy
type world struct {
	ctx   context.Context
	st    *memory.Store
	svc   *crm.Service
	clock *clock.Stepping
	team  *crm.Team

	admin, head, manager1, manager2, outsider, auditor, credit, deputy crm.Actor
}

func newWorld(t *testing.T, mutate ...func(*crm.Options)) *world {
	t.Helper()
	w := &world{ctx: context.Background(), st: memory.New(), clock: clock.NewStepping(t0, time.Second), team: crm.NewTeam()}
	ids := clock.Sequential(99)
	user := func(manager uuid.UUID, roles ...crm.Role) uuid.UUID {
		id := ids()
		require.NoError(t, w.team.Add(id, manager, roles...))
		return id
	}
	admin := user(uuid.Nil, crm.RoleAdmin)
	head := user(uuid.Nil, crm.RoleHeadOfSales)
	m1 := user(head, crm.RoleManager)
	m2 := user(head, crm.RoleManager)
	out := user(uuid.Nil, crm.RoleManager)
	aud := user(uuid.Nil, crm.RoleAuditor)
	cc := user(uuid.Nil, crm.RoleCreditController)
	dep := user(uuid.Nil, crm.RoleManager)
	actor := func(id uuid.UUID) crm.Actor {
		a, err := w.team.Actor(w.ctx, id)
		require.NoError(t, err)
		return a
	}
	w.admin, w.head, w.manager1, w.manager2 = actor(admin), actor(head), actor(m1), actor(m2)
	w.outsider, w.auditor, w.credit, w.deputy = actor(out), actor(aud), actor(cc), actor(dep)

	opts := crm.Options{
		Clock:     clock.Options{Now: w.clock.Now, NewID: clock.Sequential(1)},
		Directory: w.team,
	}
	for _, m := range mutate {
		m(&opts)
	}
	svc, err := crm.NewService(w.st, opts)
	require.NoError(t, err)
	w.svc = svc
	return w
}

// company returns a valid new company client owned by the actor.
func company(name, inn string) crm.NewClient {
	nc := crm.NewClient{
		Card: crm.Card{
			Kind:      crm.KindCompany,
			LegalName: `ООО "` + name + `"`,
			ShortName: name,
			Source:    crm.SourceExhibition,
		},
		Contacts: []crm.Contact{{LastName: "Иванов", FirstName: "Иван", MiddleName: "Иванович", Position: "директор"}},
	}
	if inn != "" {
		nc.TaxIDs = []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: inn}}
	}
	return nc
}

func (w *world) create(t *testing.T, actor crm.Actor, nc crm.NewClient) crm.Client {
	t.Helper()
	c, _, err := w.svc.CreateClient(w.ctx, actor, nc)
	require.NoError(t, err)
	return c
}
