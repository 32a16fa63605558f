package crm

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/store"
)

// Delegation lets a deputy act with a principal's rights while the
// principal is away (duty D17): inside the window [From, To) — and until
// it is cancelled — the deputy reaches the principal's clients (all, or
// those listed), and every event records actor = deputy, on behalf of =
// principal.
type Delegation struct {
	ID      uuid.UUID
	Version store.Version

	Principal uuid.UUID
	Deputy    uuid.UUID
	From, To  time.Time // the window, From inclusive, To exclusive

	// Clients limits the delegation to these clients; empty means every
	// client the principal may reach.
	Clients []uuid.UUID
	Reason  string

	CreatedAt   time.Time
	CreatedBy   uuid.UUID
	CancelledAt time.Time // zero unless cancelled early
	CancelledBy uuid.UUID
}

// Cursor returns the delegation's position in a listing (by id).
func (d Delegation) Cursor() store.Cursor { return store.Cursor{ID: d.ID} }

// End returns when the delegation stops: To, or the cancellation if that
// came first.
func (d Delegation) End() time.Time {
	if !d.CancelledAt.IsZero() && d.CancelledAt.Before(d.To) {
		return d.CancelledAt
	}
	return d.To
}

// ActiveAt reports whether the delegation is in force at t.
func (d Delegation) ActiveAt(t time.Time) bool {
	return !t.Before(d.From) && t.Before(d.End())
}

// Covers reports whether the delegation's scope includes the client.
func (d Delegation) Covers(client uuid.UUID) bool {
	return len(d.Clients) == 0 || slices.Contains(d.Clients, client)
}

// Overlaps reports whether the two delegations' windows intersect.
func (d Delegation) Overlaps(o Delegation) bool {
	return d.From.Before(o.End()) && o.From.Before(d.End())
}

// Clone returns a deep copy.
func (d Delegation) Clone() Delegation {
	out := d
	out.Clients = slices.Clone(d.Clients)
	return out
}
