package crm

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/store"
)

// NewClient is the input of Service.CreateClient.
type NewClient struct {
	Card
	Contacts []Contact
	// Owner is the responsible manager. Default: the actor; for a deputy
	// without a sales role of their own (not a manager, head of sales or
	// admin) holding exactly one active delegation of everything of its
	// principal, that principal.
	Owner uuid.UUID
	// Tier defaults to TierStandard; another tier needs TierReason.
	Tier       Tier
	TierReason string
	// Stage is where the client enters the lifecycle: a lead by default; a
	// host importing its existing base may start clients further on.
	Stage Stage
	// Force creates the client even when another client has the same INN
	// (a branch with its own KPP, a known exception). The match is still
	// reported, and the client is marked AcceptedDuplicate.
	Force bool
}

// DuplicateError refuses to create a client whose INN another client
// already has. It matches store.ErrDuplicate; Duplicates says who and why.
type DuplicateError struct {
	Duplicates []Duplicate
}

func (e *DuplicateError) Error() string { return e.Message("en") }

// Code returns "duplicate_inn".
func (e *DuplicateError) Code() string { return "duplicate_inn" }

// Is makes the error match store.ErrDuplicate.
func (e *DuplicateError) Is(target error) bool { return target == store.ErrDuplicate }

// Message returns the message in the language of tag.
func (e *DuplicateError) Message(tag string) string {
	parts := make([]string, len(e.Duplicates))
	for i, d := range e.Duplicates {
		parts[i] = d.ClientID.String() + " (" + d.Explain(tag) + ")"
	}
	if lang.IsRussian(tag) {
		return "crm: клиент с этим ИНН уже есть: " + strings.Join(parts, ", ")
	}
	return "crm: a client with this INN already exists: " + strings.Join(parts, ", ")
}

// CreateClient validates and stores a new client and returns it with the
// probable duplicates found among existing clients (same INN, phone,
// e-mail or normalised name), each with the reasons it matched. When one
// of them has the same INN, nothing is created and the error is a
// *DuplicateError (errors.Is(err, store.ErrDuplicate)) — unless in.Force
// is set.
func (s *Service) CreateClient(ctx context.Context, actor Actor, in NewClient) (Client, []Duplicate, error) {
	if err := actor.validate(); err != nil {
		return Client{}, nil, err
	}
	c, g, err := s.buildClient(ctx, actor, in)
	if err != nil {
		return Client{}, nil, err
	}
	dups, err := s.findDuplicates(ctx, actor, c)
	if err != nil {
		return Client{}, nil, err
	}
	if innDups := withINN(dups); len(innDups) > 0 {
		if !in.Force {
			return Client{}, dups, &DuplicateError{Duplicates: innDups}
		}
		c.AcceptedDuplicate = true
	}
	ev := s.event(c.ID, EventClientCreated, c.CreatedAt, actor, g, map[string]string{
		"stage": string(c.Stage), "owner": c.Owner.String(), "name": displayName(c)})
	if err := s.store.CreateClient(ctx, c, []Event{ev}); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			// Another writer took the INN between our check and our write.
			if again, ferr := s.findDuplicates(ctx, actor, c); ferr == nil && len(withINN(again)) > 0 {
				return Client{}, again, &DuplicateError{Duplicates: withINN(again)}
			}
		}
		return Client{}, nil, err
	}
	c.Version = store.NoVersion.Next()
	return s.redact(c, g), dups, nil
}

// FindDuplicates returns the existing clients that look like the draft,
// without creating anything: for a "did you mean" check while a manager
// types.
func (s *Service) FindDuplicates(ctx context.Context, actor Actor, in NewClient) ([]Duplicate, error) {
	if err := actor.validate(); err != nil {
		return nil, err
	}
	c, _, err := s.buildClient(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	return s.findDuplicates(ctx, actor, c)
}

func withINN(dups []Duplicate) []Duplicate {
	var out []Duplicate
	for _, d := range dups {
		if d.Strongest() == MatchINN {
			out = append(out, d)
		}
	}
	return out
}

// buildClient validates the input and returns the client to store.
func (s *Service) buildClient(ctx context.Context, actor Actor, in NewClient) (Client, grant, error) {
	card, err := s.normalizeCard(in.Card)
	if err != nil {
		return Client{}, grant{}, err
	}
	contacts, err := s.normalizeContacts(in.Contacts)
	if err != nil {
		return Client{}, grant{}, err
	}
	g, owner, err := s.ownerGrant(ctx, actor, in.Owner)
	if err != nil {
		return Client{}, grant{}, err
	}
	tier := in.Tier
	if tier == "" {
		tier = TierStandard
	}
	if !tier.Valid() {
		return Client{}, grant{}, invalid("tier", ReasonUnknownValue, string(tier))
	}
	tierReason, err := checkText("tier_reason", in.TierReason, maxShortText, false)
	if err != nil {
		return Client{}, grant{}, err
	}
	if tier != TierStandard && tierReason == "" {
		return Client{}, grant{}, invalid("tier_reason", ReasonRequired, "")
	}
	stage := in.Stage
	if stage == "" {
		stage = StageLead
	}
	if !slices.Contains([]Stage{StageLead, StageQualified, StageNegotiation, StageCustomer}, stage) {
		return Client{}, grant{}, invalid("stage", ReasonNotAllowed, string(stage))
	}
	now := s.now()
	c := Client{
		ID:         s.newID(),
		Card:       card,
		Contacts:   contacts,
		Owner:      owner,
		Tier:       tier,
		TierChange: Change{By: actor.ID, OnBehalfOf: g.onBehalfOf, At: now, Reason: tierReason},
		Stage:      stage,
		StageLog:   []StageChange{{To: stage, At: now, By: actor.ID, OnBehalfOf: g.onBehalfOf}},
		CreatedAt:  now,
		CreatedBy:  actor.ID,
		UpdatedAt:  now,
		UpdatedBy:  actor.ID,
	}
	return c, g, nil
}

// ownerGrant decides whose client a new client is, and on what rights
// the actor creates it for that owner.
func (s *Service) ownerGrant(ctx context.Context, actor Actor, owner uuid.UUID) (grant, uuid.UUID, error) {
	if owner == uuid.Nil {
		owner = actor.ID
		if !actor.Has(RoleManager) && !actor.Has(RoleHeadOfSales) && !actor.Has(RoleAdmin) {
			// A deputy without a sales role of their own creates for the
			// principal they stand in for, if exactly one delegation applies.
			ds, err := store.Collect(s.store.ListDelegations(ctx, DelegationFilter{Deputy: actor.ID, ActiveAt: s.now()}, store.Page{}))
			if err != nil {
				return grant{}, uuid.Nil, err
			}
			if len(ds) == 1 && len(ds[0].Clients) == 0 {
				owner = ds[0].Principal
			}
		}
	}
	if actor.canWrite(owner) {
		return grant{roles: actor.Roles}, owner, nil
	}
	ds, err := store.Collect(s.store.ListDelegations(ctx, DelegationFilter{Deputy: actor.ID, ActiveAt: s.now()}, store.Page{}))
	if err != nil {
		return grant{}, uuid.Nil, err
	}
	for _, d := range ds {
		if len(d.Clients) > 0 {
			continue // a list-scoped delegation covers existing clients only
		}
		principal, err := s.opts.Directory.Actor(ctx, d.Principal)
		if err != nil {
			continue
		}
		if principal.canWrite(owner) {
			return grant{onBehalfOf: d.Principal, roles: principal.Roles}, owner, nil
		}
	}
	return grant{}, uuid.Nil, forbidden(actor, ActionCreateClient)
}

// findDuplicates looks the client's keys up in the store's index and
// groups the matches by client. Names are shown only for clients the
// actor may read.
func (s *Service) findDuplicates(ctx context.Context, actor Actor, c Client) ([]Duplicate, error) {
	keys := c.MatchKeys()
	if len(keys) == 0 {
		return nil, nil
	}
	matches, err := s.store.FindByKeys(ctx, keys)
	if err != nil {
		return nil, err
	}
	byClient := map[uuid.UUID]*Duplicate{}
	var order []uuid.UUID
	for _, m := range matches {
		if m.ClientID == c.ID {
			continue
		}
		d, ok := byClient[m.ClientID]
		if !ok {
			d = &Duplicate{ClientID: m.ClientID}
			byClient[m.ClientID] = d
			order = append(order, m.ClientID)
		}
		if !slices.Contains(d.Matches, m.Key) {
			d.Matches = append(d.Matches, m.Key)
		}
	}
	out := make([]Duplicate, 0, len(order))
	for _, id := range order {
		d := *byClient[id]
		slices.SortFunc(d.Matches, func(a, b MatchKey) int { return matchRank(a.Kind) - matchRank(b.Kind) })
		if other, err := s.store.GetClient(ctx, id); err == nil {
			if _, aerr := s.access(ctx, actor, other, false); aerr == nil {
				d.Name = displayName(other)
			}
		}
		out = append(out, d)
	}
	slices.SortStableFunc(out, func(a, b Duplicate) int {
		if d := matchRank(a.Strongest()) - matchRank(b.Strongest()); d != 0 {
			return d
		}
		return len(b.Matches) - len(a.Matches)
	})
	return out, nil
}

func matchRank(k MatchKind) int {
	switch k {
	case MatchINN:
		return 0
	case MatchTaxID:
		return 1
	case MatchPhone:
		return 2
	case MatchEmail:
		return 3
	}
	return 4
}

// GetClient returns the client card as the actor may see it: a merged id
// resolves to the survivor; confidential fields the actor may not see are
// emptied and named in Redacted. A client the actor may not read is
// reported exactly like a missing one (the error matches both
// store.ErrNotFound and ErrForbidden), so a refusal reveals nothing.
func (s *Service) GetClient(ctx context.Context, actor Actor, id uuid.UUID) (Client, error) {
	c, g, err := s.loadClient(ctx, actor, id, false)
	if err != nil {
		return Client{}, err
	}
	return s.redact(c, g), nil
}

// ListClients streams the clients the actor may read that match the
// filter, ordered by id, with confidential fields redacted as in
// GetClient.
func (s *Service) ListClients(ctx context.Context, actor Actor, f ClientFilter, p store.Page) iter.Seq2[Client, error] {
	if err := actor.validate(); err != nil {
		return store.Fail[Client](err)
	}
	return func(yield func(Client, error) bool) {
		r, err := s.reachOf(ctx, actor)
		if err != nil {
			yield(Client{}, err)
			return
		}
		// Narrow the store query to the owners the actor can reach, so a
		// manager's listing reads only their clients.
		if owners, all := r.owners(); !all {
			if len(f.Owners) > 0 {
				owners = slices.DeleteFunc(owners, func(o uuid.UUID) bool { return !slices.Contains(f.Owners, o) })
			}
			if len(owners) == 0 {
				return
			}
			f.Owners = owners
		}
		limit := p.Limit
		p.Limit = 0
		n := 0
		for c, err := range s.store.ListClients(ctx, f, p) {
			if err != nil {
				yield(Client{}, err)
				return
			}
			g, ok := r.grant(c, false)
			if !ok {
				continue
			}
			if !yield(s.redact(c, g), nil) {
				return
			}
			if n++; limit > 0 && n >= limit {
				return
			}
		}
	}
}

// Draft is what an edit function may change in UpdateClient: the card
// and the contacts. Everything else has a method of its own, because it
// needs a reason or a right (stage, tier, owner, credit).
type Draft struct {
	Card     Card
	Contacts []Contact
}

// UpdateClient applies edit to a fresh copy of the client's card and
// contacts, validates the result and stores it with a client.updated
// event naming the changed fields. When another writer changed the client
// in between, it reads the client again and re-applies edit — so edit may
// run more than once, must only describe the change ("add tag X", "set
// phone Y"), and must not have side effects. An error from edit is
// returned as is and nothing is written.
//
// Contacts added without an id get one; exactly one contact stays
// primary (the first, if the edit removed the primary one). Confidential
// fields the actor may not see are empty in the draft and kept as stored.
func (s *Service) UpdateClient(ctx context.Context, actor Actor, id uuid.UUID, edit func(*Draft) error) (Client, error) {
	if edit == nil {
		return Client{}, invalid("edit", ReasonRequired, "")
	}
	return s.modify(ctx, actor, id, func(c *Client, g grant) ([]Event, error) {
		d := Draft{Card: c.Card.clone(), Contacts: cloneContacts(c.Contacts)}
		// The edit sees only what the actor may see; confidential fields it
		// may not see are neither shown nor changed.
		seesInternal := s.opts.Confidentiality.sees(g.roles, ClassInternal)
		if !seesInternal {
			d.Card.InternalNotes = ""
		}
		if err := edit(&d); err != nil {
			return nil, err
		}
		if !seesInternal {
			d.Card.InternalNotes = c.InternalNotes
		}
		card, err := s.normalizeCard(d.Card)
		if err != nil {
			return nil, err
		}
		contacts, err := s.normalizeContacts(d.Contacts)
		if err != nil {
			return nil, err
		}
		changed := changedFields(*c, card, contacts)
		if len(changed) == 0 {
			return nil, nil
		}
		oldINN, _ := c.innKey()
		c.Card, c.Contacts = card, contacts
		if newINN, _ := c.innKey(); newINN != oldINN {
			// Force accepted one INN match, not any INN the card takes later.
			c.AcceptedDuplicate = false
		}
		return []Event{s.event(c.ID, EventClientUpdated, s.now(), actor, g, map[string]string{"fields": strings.Join(changed, ",")})}, nil
	})
}

func cloneContacts(cs []Contact) []Contact {
	if cs == nil {
		return nil
	}
	out := make([]Contact, len(cs))
	for i, c := range cs {
		out[i] = c.clone()
	}
	return out
}

// modify is the read-check-change-write loop shared by every update. The
// change function gets a fresh copy each attempt and returns the events
// to record; no events means nothing changed and nothing is written.
func (s *Service) modify(ctx context.Context, actor Actor, id uuid.UUID, change func(*Client, grant) ([]Event, error)) (Client, error) {
	var result Client
	var resultGrant grant
	err := s.retry(ctx, func() error {
		c, g, err := s.loadClient(ctx, actor, id, true)
		if err != nil {
			return err
		}
		events, err := change(&c, g)
		if err != nil {
			return err
		}
		if len(events) > 0 {
			c.UpdatedAt, c.UpdatedBy = s.now(), actor.ID
			if err := s.store.UpdateClient(ctx, c, events); err != nil {
				return err
			}
			c.Version = c.Version.Next()
		}
		result, resultGrant = c, g
		return nil
	})
	if err != nil {
		var dupINN *store.Error
		if errors.As(err, &dupINN) && dupINN.Kind == store.ErrDuplicate && dupINN.Field == "inn" {
			return Client{}, &ValidationError{Field: "tax_ids", Reason: ReasonDuplicate, Value: dupINN.Key, Err: err}
		}
		return Client{}, err
	}
	return s.redact(result, resultGrant), nil
}

// changedFields names the card fields and contacts that differ.
func changedFields(old Client, card Card, contacts []Contact) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	o := old.Card
	add("kind", o.Kind != card.Kind)
	add("legal_name", o.LegalName != card.LegalName)
	add("short_name", o.ShortName != card.ShortName)
	add("tax_ids", !slices.Equal(o.TaxIDs, card.TaxIDs))
	add("addresses", !slices.Equal(o.Addresses, card.Addresses))
	add("website", o.Website != card.Website)
	add("industry", o.Industry != card.Industry)
	add("segment", o.Segment != card.Segment)
	add("size_band", o.SizeBand != card.SizeBand)
	add("tags", !slices.Equal(o.Tags, card.Tags))
	add("attributes", !attributesEqual(o.Attributes, card.Attributes))
	add("source", o.Source != card.Source)
	add("campaign", o.Campaign != card.Campaign)
	add("do_not_contact", o.DoNotContact != card.DoNotContact)
	add("blocked", o.Blocked != card.Blocked || o.BlockedReason != card.BlockedReason)
	add("internal_notes", o.InternalNotes != card.InternalNotes)
	add("contacts", !slices.EqualFunc(old.Contacts, contacts, contactEqual))
	return out
}

func attributesEqual(a, b map[string]Attribute) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || !va.Equal(vb) {
			return false
		}
	}
	return true
}

func contactEqual(a, b Contact) bool {
	return a.ID == b.ID && a.LastName == b.LastName && a.FirstName == b.FirstName && a.MiddleName == b.MiddleName &&
		a.Position == b.Position && a.BuyingRole == b.BuyingRole && a.Birthday == b.Birthday &&
		slices.Equal(a.Emails, b.Emails) && slices.Equal(a.Phones, b.Phones) && slices.Equal(a.Messengers, b.Messengers) &&
		a.PreferredChannel == b.PreferredChannel && a.DoNotContact == b.DoNotContact && a.Primary == b.Primary
}

// ChangeStage moves the client along its lifecycle. An invalid move fails
// with a *TransitionError naming the stages allowed next; a move to Lost
// needs a reason from the catalogue (and a note when the reason says so).
// Reopening a lost client clears the reason. The change is logged with
// actor, time, from, to and reason.
func (s *Service) ChangeStage(ctx context.Context, actor Actor, id uuid.UUID, move StageMove) (Client, error) {
	if !move.To.Valid() {
		return Client{}, invalid("to", ReasonUnknownValue, string(move.To))
	}
	reason, err := checkText("reason", move.Reason, maxShortText, false)
	if err != nil {
		return Client{}, err
	}
	note, err := checkText("note", move.Note, maxLongText, true)
	if err != nil {
		return Client{}, err
	}
	competitor, err := checkText("competitor", move.Competitor, maxShortText, false)
	if err != nil {
		return Client{}, err
	}
	move.Reason, move.Note, move.Competitor = reason, note, competitor
	if move.To == StageLost {
		if move.Reason == "" {
			return Client{}, &TransitionError{To: StageLost, Reason: ReasonRequired, Field: "reason"}
		}
		r, ok := s.lostReason(move.Reason)
		if !ok {
			return Client{}, invalid("reason", ReasonUnknownValue, move.Reason)
		}
		if r.NeedsNote && move.Note == "" {
			return Client{}, &TransitionError{To: StageLost, Reason: ReasonRequired, Field: "note"}
		}
	}
	return s.modify(ctx, actor, id, func(c *Client, g grant) ([]Event, error) {
		ev, err := s.applyStage(c, actor, g, move, false)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, nil
	})
}

// applyStage changes c's stage in place and returns the event.
func (s *Service) applyStage(c *Client, actor Actor, g grant, move StageMove, derived bool) (Event, error) {
	if !CanMove(c.Stage, move.To) {
		return Event{}, &TransitionError{From: c.Stage, To: move.To, Allowed: c.Stage.Next(), Reason: ReasonNotAllowed}
	}
	now := s.now()
	change := StageChange{From: c.Stage, To: move.To, At: now, By: actor.ID, OnBehalfOf: g.onBehalfOf,
		Reason: move.Reason, Note: move.Note, Competitor: move.Competitor, Derived: derived}
	if move.To == StageLost {
		c.Lost = &LostInfo{Reason: move.Reason, Note: move.Note, Competitor: move.Competitor, From: c.Stage, At: now}
	} else {
		c.Lost = nil
	}
	c.Stage = move.To
	c.StageLog = append(c.StageLog, change)
	data := map[string]string{"from": string(change.From), "to": string(change.To)}
	if change.Reason != "" {
		data["reason"] = change.Reason
		if r, ok := s.lostReason(change.Reason); ok && move.To == StageLost {
			data["reason_en"], data["reason_ru"] = r.EN, r.RU
		}
	}
	if change.Competitor != "" {
		data["competitor"] = change.Competitor
	}
	if derived {
		data["derived"] = "true"
	}
	return s.event(c.ID, EventStageChanged, now, actor, g, data), nil
}

// Reopen returns a lost client to the funnel stage it was lost from.
func (s *Service) Reopen(ctx context.Context, actor Actor, id uuid.UUID, note string) (Client, error) {
	c, _, err := s.loadClient(ctx, actor, id, true)
	if err != nil {
		return Client{}, err
	}
	if c.Stage != StageLost || c.Lost == nil {
		return Client{}, &TransitionError{From: c.Stage, To: StageLead, Allowed: c.Stage.Next(), Reason: ReasonNotAllowed}
	}
	return s.ChangeStage(ctx, actor, c.ID, StageMove{To: c.Lost.From, Reason: "reopened", Note: note})
}

// SetTier sets the client's tier, recording who set it and why (the
// reason is required).
func (s *Service) SetTier(ctx context.Context, actor Actor, id uuid.UUID, tier Tier, reason string) (Client, error) {
	if !tier.Valid() {
		return Client{}, invalid("tier", ReasonUnknownValue, string(tier))
	}
	reason, err := requireReason("reason", reason)
	if err != nil {
		return Client{}, err
	}
	return s.modify(ctx, actor, id, func(c *Client, g grant) ([]Event, error) {
		if c.Tier == tier {
			return nil, nil
		}
		from := c.Tier
		c.Tier = tier
		c.TierChange = Change{By: actor.ID, OnBehalfOf: g.onBehalfOf, At: s.now(), Reason: reason}
		return []Event{s.event(c.ID, EventTierChanged, s.now(), actor, g,
			map[string]string{"from": string(from), "to": string(tier), "reason": reason})}, nil
	})
}

// TransferClient hands the client to another owner. Heads of sales may
// move clients within their team; admins anywhere. The handover is
// recorded with its reason.
func (s *Service) TransferClient(ctx context.Context, actor Actor, id, newOwner uuid.UUID, reason string) (Client, error) {
	if newOwner == uuid.Nil {
		return Client{}, invalid("new_owner", ReasonRequired, "")
	}
	reason, err := checkText("reason", reason, maxShortText, false)
	if err != nil {
		return Client{}, err
	}
	return s.modify(ctx, actor, id, func(c *Client, g grant) ([]Event, error) {
		if c.Owner == newOwner {
			return nil, nil
		}
		if !actor.canReassign(c.Owner, newOwner) {
			return nil, forbidden(actor, ActionTransferClient)
		}
		from := c.Owner
		c.Owner = newOwner
		return []Event{s.event(c.ID, EventOwnerChanged, s.now(), actor, grant{}, map[string]string{
			"from": from.String(), "to": newOwner.String(), "reason": reason})}, nil
	})
}

// SetCredit records the client's credit profile. Only credit controllers
// and admins may; the event does not carry the confidential values.
func (s *Service) SetCredit(ctx context.Context, actor Actor, id uuid.UUID, p CreditProfile) (Client, error) {
	if err := actor.validate(); err != nil {
		return Client{}, err
	}
	if !actor.Has(RoleCreditController) && !actor.Has(RoleAdmin) {
		return Client{}, forbidden(actor, ActionUpdateClient)
	}
	if p.Limit.IsNegative() {
		return Client{}, invalid("credit.limit", ReasonNegative, p.Limit.String())
	}
	rating, err := checkText("credit.rating", p.Rating, 20, false)
	if err != nil {
		return Client{}, err
	}
	note, err := checkText("credit.note", p.Note, maxLongText, true)
	if err != nil {
		return Client{}, err
	}
	c, _, err := s.loadClient(ctx, actor, id, false)
	if err != nil {
		return Client{}, err
	}
	var result Client
	err = s.retry(ctx, func() error {
		cur, err := s.store.GetClient(ctx, c.ID)
		if err != nil {
			return err
		}
		cur.Credit = CreditProfile{Limit: p.Limit, Rating: rating, Note: note, ReviewedAt: s.now(), ReviewedBy: actor.ID}
		cur.UpdatedAt, cur.UpdatedBy = s.now(), actor.ID
		ev := s.event(cur.ID, EventCreditChanged, s.now(), actor, grant{}, nil)
		if err := s.store.UpdateClient(ctx, cur, []Event{ev}); err != nil {
			return err
		}
		cur.Version = cur.Version.Next()
		result = cur
		return nil
	})
	if err != nil {
		return Client{}, err
	}
	return s.redact(result, grant{roles: actor.Roles}), nil
}

// RecordOrder tells the client base that the client ordered at the given
// time: LastOrderAt moves forward, a lead in the funnel becomes a
// customer, and a dormant or churned client is reactivated — unless the
// order is so old that the activity policy would still judge the client
// dormant or churned today (a back-filled order from long ago). The order
// itself lives in the host's systems (or, later, in crm's orders).
func (s *Service) RecordOrder(ctx context.Context, actor Actor, id uuid.UUID, at time.Time) (Client, error) {
	if at.IsZero() {
		return Client{}, invalid("at", ReasonRequired, "")
	}
	at = instant(at)
	if at.After(s.now().Add(s.opts.FutureTolerance)) {
		return Client{}, invalid("at", ReasonInFuture, at.Format(time.RFC3339))
	}
	return s.modify(ctx, actor, id, func(c *Client, g grant) ([]Event, error) {
		events := []Event{s.event(c.ID, EventOrderRecorded, at, actor, g, map[string]string{"at": at.UTC().Format(time.RFC3339)})}
		if at.After(c.LastOrderAt) {
			c.LastOrderAt = at
		}
		reactivates := true
		if c.Stage == StageDormant || c.Stage == StageChurned {
			// An order wakes a quiet client only if it is recent enough
			// that the activity policy, as of now, would keep a customer
			// with it active: a back-filled order from long ago does not
			// (the next policy run would only put the client back).
			active := *c
			active.Stage = StageCustomer
			stage, _ := s.opts.Activity.Derive(active, s.now())
			reactivates = stage == StageCustomer
		}
		if reactivates && c.Stage != StageCustomer && CanMove(c.Stage, StageCustomer) {
			ev, err := s.applyStage(c, actor, g, StageMove{To: StageCustomer, Reason: ReasonOrderPlaced}, false)
			if err != nil {
				return nil, err
			}
			events = append(events, ev)
		}
		return events, nil
	})
}

// PolicyChange is a stage change made by ApplyActivityPolicy.
type PolicyChange struct {
	ClientID          uuid.UUID
	From, To          Stage
	DaysWithoutOrders int
}

// ApplyActivityPolicy derives Dormant and Churned for every client the
// actor may change, as of asOf, and records each change (Derived, reason
// "activity_policy"). It is idempotent: running it twice for the same
// date changes nothing the second time. Hosts run it daily as a system
// user with the admin role.
func (s *Service) ApplyActivityPolicy(ctx context.Context, actor Actor, asOf time.Time) ([]PolicyChange, error) {
	if err := actor.validate(); err != nil {
		return nil, err
	}
	if !actor.Has(RoleAdmin) && !actor.Has(RoleHeadOfSales) && !actor.Has(RoleManager) {
		return nil, forbidden(actor, ActionApplyPolicy)
	}
	var candidates []uuid.UUID
	f := ClientFilter{Stages: []Stage{StageCustomer, StageDormant}}
	for c, err := range s.store.ListClients(ctx, f, store.Page{}) {
		if err != nil {
			return nil, err
		}
		if !actor.canWrite(c.Owner) {
			continue
		}
		if to, _ := s.opts.Activity.Derive(c, asOf); to != c.Stage {
			candidates = append(candidates, c.ID)
		}
	}
	var out []PolicyChange
	for _, id := range candidates {
		var pc PolicyChange
		_, err := s.modify(ctx, actor, id, func(c *Client, g grant) ([]Event, error) {
			pc = PolicyChange{} // a retry plans afresh
			to, days := s.opts.Activity.Derive(*c, asOf)
			if to == c.Stage {
				return nil, nil // someone else got there first
			}
			pc = PolicyChange{ClientID: c.ID, From: c.Stage, To: to, DaysWithoutOrders: days}
			ev, err := s.applyStage(c, actor, g, StageMove{To: to, Reason: ReasonActivityPolicy}, true)
			if err != nil {
				return nil, err
			}
			return []Event{ev}, nil
		})
		if err != nil {
			return out, err
		}
		if pc.ClientID != uuid.Nil {
			out = append(out, pc)
		}
	}
	return out, nil
}
