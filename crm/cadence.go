package crm

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/store"
)

// CadencePolicy is how often clients of each tier must be contacted, in
// days: key clients at least every 14 days, VIP every 7. A tier missing
// from the map has no cadence.
type CadencePolicy map[Tier]int

// DefaultCadence returns the default cadence: VIP every 7 days, key clients every 14.
func DefaultCadence() CadencePolicy {
	return CadencePolicy{TierVIP: 7, TierKey: 14}
}

func (p CadencePolicy) validate() error {
	for t, days := range p {
		if !t.Valid() {
			return invalid("cadence", ReasonUnknownValue, string(t))
		}
		if days <= 0 {
			return invalid("cadence."+string(t), ReasonRange, "")
		}
	}
	return nil
}

// Overdue is a client that has not been contacted as often as its tier
// requires.
type Overdue struct {
	ClientID    uuid.UUID
	Name        string
	Tier        Tier
	LastContact time.Time // zero if never contacted
	Due         Date      // the last day the next contact was due
	DaysOverdue int       // whole days past Due as of the query date
}

// OverdueContacts lists the clients owned by manager that are overdue for
// contact as of asOf, most overdue first. A client is due for contact
// cadence days after its last contact that reached it (see
// Interaction.Reached) — or after it was created, if never contacted —
// and overdue from the day after. Clients marked do-not-contact or
// blocked, and clients that are lost or churned, are not listed. Dates
// are judged in Options.Location.
//
// The actor may ask about themselves, their team (a head of sales), a
// principal they deputise for (the clients the delegation covers), or
// anyone (admin, auditor).
func (s *Service) OverdueContacts(ctx context.Context, actor Actor, manager uuid.UUID, asOf time.Time) ([]Overdue, error) {
	if err := actor.validate(); err != nil {
		return nil, err
	}
	if manager == uuid.Nil {
		return nil, invalid("manager", ReasonRequired, "")
	}
	// A deputy sees only the clients their delegations cover: one
	// limited to a list of clients lists those alone.
	var deputy *reach
	if !actor.readsAll() && !actor.manages(manager) {
		ok, err := s.deputises(ctx, actor, manager)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, forbidden(actor, ActionCadence)
		}
		r, err := s.reachOf(ctx, actor)
		if err != nil {
			return nil, err
		}
		deputy = &r
	}
	loc := s.opts.Location
	today := DateOf(asOf, loc)
	var out []Overdue
	filter := ClientFilter{Owners: []uuid.UUID{manager}}
	for c, err := range s.store.ListClients(ctx, filter, store.Page{}) {
		if err != nil {
			return nil, err
		}
		if deputy != nil {
			if _, ok := deputy.grant(c, false); !ok {
				continue
			}
		}
		days, ok := s.opts.Cadence[c.Tier]
		if !ok || c.DoNotContact || c.Blocked || c.Stage == StageLost || c.Stage == StageChurned {
			continue
		}
		from := c.LastContactAt
		if from.IsZero() {
			from = c.CreatedAt
		}
		due := DateOf(from, loc).AddDays(days)
		if late := due.DaysUntil(today); late > 0 {
			out = append(out, Overdue{ClientID: c.ID, Name: displayName(c), Tier: c.Tier,
				LastContact: c.LastContactAt, Due: due, DaysOverdue: late})
		}
	}
	slices.SortFunc(out, func(a, b Overdue) int {
		if a.DaysOverdue != b.DaysOverdue {
			return b.DaysOverdue - a.DaysOverdue
		}
		return strings.Compare(a.ClientID.String(), b.ClientID.String())
	})
	return out, nil
}

// deputises reports whether actor holds an active delegation (of any
// scope) from principal.
func (s *Service) deputises(ctx context.Context, actor Actor, principal uuid.UUID) (bool, error) {
	for d, err := range s.store.ListDelegations(ctx, DelegationFilter{Principal: principal, Deputy: actor.ID, ActiveAt: s.now()}, store.Page{}) {
		if err != nil {
			return false, err
		}
		if d.Deputy == actor.ID {
			return true, nil
		}
	}
	return false, nil
}

func displayName(c Client) string {
	if c.ShortName != "" {
		return c.ShortName
	}
	return c.LegalName
}
