package crm

import (
	"context"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/store"
)

// Role is what a user is allowed to do in the client base.
type Role string

// The roles. A user may hold several; their rights add up.
const (
	// RoleManager sees and changes the clients they own.
	RoleManager Role = "manager"
	// RoleHeadOfSales sees and changes the clients of everyone below them
	// in the reporting hierarchy, and their own; hands clients over and
	// merges them within that team.
	RoleHeadOfSales Role = "head_of_sales"
	// RoleAdmin sees and changes everything.
	RoleAdmin Role = "admin"
	// RoleCreditController reads every client, including credit data, and
	// changes nothing in the client base.
	RoleCreditController Role = "credit_controller"
	// RoleAuditor reads everything and changes nothing.
	RoleAuditor Role = "auditor"
)

var knownRoles = []Role{RoleManager, RoleHeadOfSales, RoleAdmin, RoleCreditController, RoleAuditor}

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool { return slices.Contains(knownRoles, r) }

// Actor is the user on whose authority a Service method runs: who they
// are, their roles and their place in the reporting hierarchy. The host
// authenticates the user and builds the Actor; crmkit trusts it and
// records its ID on every event.
type Actor struct {
	ID    uuid.UUID
	Roles []Role
	// Subordinates lists every user below this one in the reporting
	// hierarchy, directly or not. Only heads of sales need it; Team fills
	// it from manager links.
	Subordinates []uuid.UUID
}

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }

// validate checks the actor itself: an id and known roles.
func (a Actor) validate() error {
	if a.ID == uuid.Nil {
		return invalid("actor.id", ReasonRequired, "")
	}
	for i, r := range a.Roles {
		if !r.Valid() {
			return invalid(indexed("actor.roles", i), ReasonUnknownValue, string(r))
		}
	}
	return nil
}

// manages reports whether owner is the actor or below the actor in the
// hierarchy (for a head of sales).
func (a Actor) manages(owner uuid.UUID) bool {
	if owner == a.ID {
		return true
	}
	return a.Has(RoleHeadOfSales) && slices.Contains(a.Subordinates, owner)
}

// canRead reports whether the actor, on their own rights, may read a
// client owned by owner.
func (a Actor) canRead(owner uuid.UUID) bool {
	if a.Has(RoleAdmin) || a.Has(RoleAuditor) || a.Has(RoleCreditController) {
		return true
	}
	return (a.Has(RoleManager) || a.Has(RoleHeadOfSales)) && a.manages(owner)
}

// canWrite reports whether the actor, on their own rights, may change a
// client owned by owner.
func (a Actor) canWrite(owner uuid.UUID) bool {
	if a.Has(RoleAdmin) {
		return true
	}
	return (a.Has(RoleManager) || a.Has(RoleHeadOfSales)) && a.manages(owner)
}

// canReassign reports whether the actor may hand a client from one owner
// to another, or merge clients of those owners.
func (a Actor) canReassign(from, to uuid.UUID) bool {
	if a.Has(RoleAdmin) {
		return true
	}
	return a.Has(RoleHeadOfSales) && a.manages(from) && a.manages(to)
}

// Action names what an actor tried to do, for ForbiddenError.
type Action string

// Actions checked by the Service.
const (
	ActionReadClient     Action = "read_client"
	ActionCreateClient   Action = "create_client"
	ActionUpdateClient   Action = "update_client"
	ActionTransferClient Action = "transfer_client"
	ActionMergeClients   Action = "merge_clients"
	ActionDelegate       Action = "delegate"
	ActionListClients    Action = "list_clients"
	ActionCadence        Action = "read_cadence"
	ActionApplyPolicy    Action = "apply_activity_policy"
)

func (a Action) textEN() string {
	switch a {
	case ActionReadClient:
		return "read this client"
	case ActionCreateClient:
		return "create a client for this owner"
	case ActionUpdateClient:
		return "change this client"
	case ActionTransferClient:
		return "hand this client to that owner"
	case ActionMergeClients:
		return "merge these clients"
	case ActionDelegate:
		return "set this delegation"
	case ActionListClients:
		return "list these clients"
	case ActionCadence:
		return "see this manager's contact cadence"
	case ActionApplyPolicy:
		return "apply the activity policy"
	}
	return string(a)
}

func (a Action) textRU() string {
	switch a {
	case ActionReadClient:
		return "просмотр этого клиента"
	case ActionCreateClient:
		return "создание клиента для этого ответственного"
	case ActionUpdateClient:
		return "изменение этого клиента"
	case ActionTransferClient:
		return "передача клиента этому ответственному"
	case ActionMergeClients:
		return "объединение этих клиентов"
	case ActionDelegate:
		return "назначение этого замещения"
	case ActionListClients:
		return "просмотр списка этих клиентов"
	case ActionCadence:
		return "просмотр графика контактов этого менеджера"
	case ActionApplyPolicy:
		return "применение правила активности"
	}
	return string(a)
}

func forbidden(a Actor, action Action) *ForbiddenError {
	return &ForbiddenError{Actor: a.ID.String(), Action: action, Reason: ReasonNotAllowed}
}

// FieldClass marks a group of confidential client fields.
type FieldClass string

// Confidential field classes.
const (
	// ClassCredit: the client's credit profile (limit, rating, notes).
	ClassCredit FieldClass = "credit"
	// ClassInternal: internal notes not meant for the client's eyes or for
	// users outside the sales line.
	ClassInternal FieldClass = "internal"
)

// ConfidentialityPolicy says which roles see each confidential field
// class. A reader who has access to a client but none of the listed roles
// gets the client with those fields emptied and the class named in
// Client.Redacted.
type ConfidentialityPolicy map[FieldClass][]Role

// DefaultConfidentiality returns the default policy: credit data for admins, heads of sales, credit
// controllers and auditors; internal notes for the sales line (managers
// who may read the client, heads), admins and auditors.
func DefaultConfidentiality() ConfidentialityPolicy {
	return ConfidentialityPolicy{
		ClassCredit:   {RoleAdmin, RoleHeadOfSales, RoleCreditController, RoleAuditor},
		ClassInternal: {RoleAdmin, RoleHeadOfSales, RoleManager, RoleAuditor},
	}
}

// sees reports whether any of roles may see class.
func (p ConfidentialityPolicy) sees(roles []Role, class FieldClass) bool {
	for _, r := range p[class] {
		if slices.Contains(roles, r) {
			return true
		}
	}
	return false
}

// Directory tells the Service who a user is, so that it can act with the
// rights of a principal whose deputy is working. Hosts implement it over
// their user database; Team is an in-memory implementation.
type Directory interface {
	// Actor returns the user's roles and subordinates, or an error
	// matching store.ErrNotFound for an unknown user.
	Actor(ctx context.Context, user uuid.UUID) (Actor, error)
}

// Team is an in-memory Directory built from users, their roles and their
// line managers. It is safe for concurrent use.
type Team struct {
	mu      sync.RWMutex
	roles   map[uuid.UUID][]Role
	manager map[uuid.UUID]uuid.UUID
}

// NewTeam returns an empty Team.
func NewTeam() *Team {
	return &Team{roles: map[uuid.UUID][]Role{}, manager: map[uuid.UUID]uuid.UUID{}}
}

// Add registers a user with roles and a line manager (uuid.Nil for none).
// Adding a user again replaces their entry. A manager link that would make
// a cycle is refused.
func (t *Team) Add(user uuid.UUID, lineManager uuid.UUID, roles ...Role) error {
	if user == uuid.Nil {
		return invalid("user", ReasonRequired, "")
	}
	for i, r := range roles {
		if !r.Valid() {
			return invalid(indexed("roles", i), ReasonUnknownValue, string(r))
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for m := lineManager; m != uuid.Nil; m = t.manager[m] {
		if m == user {
			return invalid("line_manager", ReasonConflict, lineManager.String())
		}
	}
	t.roles[user] = slices.Clone(roles)
	if lineManager == uuid.Nil {
		delete(t.manager, user)
	} else {
		t.manager[user] = lineManager
	}
	return nil
}

// Actor returns the user with every user below them as Subordinates.
func (t *Team) Actor(_ context.Context, user uuid.UUID) (Actor, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	roles, ok := t.roles[user]
	if !ok {
		return Actor{}, store.NotFound("user", user.String())
	}
	a := Actor{ID: user, Roles: slices.Clone(roles)}
	for u := range t.roles {
		for m := t.manager[u]; m != uuid.Nil; m = t.manager[m] {
			if m == user {
				a.Subordinates = append(a.Subordinates, u)
				break
			}
		}
	}
	slices.SortFunc(a.Subordinates, func(x, y uuid.UUID) int { return store.CompareKeys(zeroTime, x, zeroTime, y) })
	return a, nil
}
