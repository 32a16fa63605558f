package crm

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
)

// MergeClients merges a duplicate into a survivor. The survivor keeps its
// card and stage and gains the duplicate's contacts (none of them
// primary), tax ids, addresses, tags and attributes it lacked; both
// histories — interactions, complaints and timeline events — end up on
// the survivor (a moved complaint keeps its status, deadlines and
// history, and gets its next version);
// and the merged client becomes a tombstone whose id resolves to the
// survivor from then on. The actor must be able to change both clients'
// owners' clients: a manager who owns both, a head of sales over both
// owners, or an admin.
func (s *Service) MergeClients(ctx context.Context, actor Actor, survivorID, mergedID uuid.UUID) (Client, error) {
	if err := actor.validate(); err != nil {
		return Client{}, err
	}
	if survivorID == mergedID {
		return Client{}, invalid("merged_id", ReasonConflict, mergedID.String())
	}
	var result Client
	var resultGrant grant
	err := s.retry(ctx, func() error {
		survivor, g, err := s.loadClient(ctx, actor, survivorID, true)
		if err != nil {
			return err
		}
		merged, _, err := s.loadClient(ctx, actor, mergedID, true)
		if err != nil {
			return err
		}
		if survivor.ID == merged.ID {
			return invalid("merged_id", ReasonConflict, mergedID.String())
		}
		if !actor.canReassign(survivor.Owner, merged.Owner) && !(actor.canWrite(survivor.Owner) && actor.canWrite(merged.Owner)) {
			return forbidden(actor, ActionMergeClients)
		}
		if err := mergeableTaxIDs(survivor, merged); err != nil {
			return err
		}
		now := s.now()
		absorb(&survivor, merged, s.newID)
		// The merged card must be one the service itself accepts.
		if survivor.Card, err = s.normalizeCard(survivor.Card); err != nil {
			return err
		}
		if survivor.Contacts, err = s.normalizeContacts(survivor.Contacts); err != nil {
			return err
		}
		survivor.UpdatedAt, survivor.UpdatedBy = now, actor.ID
		merged.MergedInto = survivor.ID
		merged.UpdatedAt, merged.UpdatedBy = now, actor.ID
		events := []Event{
			s.event(survivor.ID, EventClientMerged, now, actor, g, map[string]string{"merged": merged.ID.String(), "name": displayName(merged)}),
			s.event(merged.ID, EventClientMergedInto, now, actor, g, map[string]string{"survivor": survivor.ID.String()}),
		}
		events[0].Subject, events[1].Subject = merged.ID, survivor.ID
		if err := s.store.MergeClients(ctx, survivor, merged, events); err != nil {
			return err
		}
		survivor.Version = survivor.Version.Next()
		if merged.LastContactAt.After(survivor.LastContactAt) {
			survivor.LastContactAt = merged.LastContactAt // as the store keeps it
		}
		result, resultGrant = survivor, g
		return nil
	})
	if err != nil {
		var se *store.Error
		if errors.As(err, &se) && se.Kind == store.ErrDuplicate && se.Field == "inn" {
			return Client{}, &ValidationError{Field: "tax_ids", Reason: ReasonDuplicate, Value: se.Key, Err: err}
		}
		return Client{}, err
	}
	return s.redact(result, resultGrant), nil
}

// mergeableTaxIDs refuses to merge clients whose Russian registration
// numbers of one kind differ: two INNs (or OGRNs, or KPPs) mean two legal
// entities or two branches, not one client typed in twice.
func mergeableTaxIDs(survivor, merged Client) error {
	for _, m := range merged.TaxIDs {
		if m.Country != taxid.CountryRU || m.Kind == taxid.KindOther {
			continue
		}
		if have, ok := survivor.TaxID(m.Kind); ok && have.Country == m.Country && have.Value != m.Value {
			return invalidf("tax_ids", ReasonConflict, m.Value,
				"the clients have different %s (%s and %s): they are different legal entities, not duplicates", m.Kind, have.Value, m.Value)
		}
	}
	return nil
}

// absorb adds what the merged client has and the survivor lacks.
func absorb(survivor *Client, merged Client, newID func() uuid.UUID) {
	for _, ct := range merged.Contacts {
		ct = ct.clone()
		ct.Primary = false
		if slices.ContainsFunc(survivor.Contacts, func(c Contact) bool { return c.ID == ct.ID }) {
			ct.ID = newID() // the same id on both cards (given by a host): keep both people
		}
		survivor.Contacts = append(survivor.Contacts, ct)
	}
	if len(survivor.Contacts) > 0 && !slices.ContainsFunc(survivor.Contacts, func(c Contact) bool { return c.Primary }) {
		survivor.Contacts[0].Primary = true
	}
	for _, id := range merged.TaxIDs {
		if !slices.Contains(survivor.TaxIDs, id) {
			survivor.TaxIDs = append(survivor.TaxIDs, id)
		}
	}
	for _, a := range merged.Addresses {
		if !slices.Contains(survivor.Addresses, a) {
			survivor.Addresses = append(survivor.Addresses, a)
		}
	}
	tags := append(slices.Clone(survivor.Tags), merged.Tags...)
	slices.Sort(tags)
	survivor.Tags = slices.Compact(tags)
	if len(merged.Attributes) > 0 {
		attrs := maps.Clone(merged.Attributes)
		maps.Copy(attrs, survivor.Attributes)
		survivor.Attributes = attrs
	}
	if merged.LastOrderAt.After(survivor.LastOrderAt) {
		survivor.LastOrderAt = merged.LastOrderAt
	}
	survivor.MergedFrom = append(survivor.MergedFrom, merged.ID)
	survivor.MergedFrom = append(survivor.MergedFrom, merged.MergedFrom...)
	if survivor.Blocked || merged.Blocked {
		if !survivor.Blocked {
			survivor.Blocked, survivor.BlockedReason = true, merged.BlockedReason
		}
	}
	survivor.DoNotContact = survivor.DoNotContact || merged.DoNotContact
}
