package crm

import (
	"context"
	"errors"
	"iter"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/store"
)

// NewInteraction is the input of LogInteraction and CorrectInteraction.
type NewInteraction struct {
	ClientID  uuid.UUID
	Kind      InteractionKind
	Direction Direction // inbound or outbound; empty for a note
	At        time.Time
	Duration  time.Duration
	Contacts  []uuid.UUID // contacts of the client who took part
	Manager   uuid.UUID   // who had it; default: the actor
	Subject   string
	Summary   string
	Outcome   Outcome
	NextStep  *NextStep
}

// maxInteractionDuration bounds Duration: a week-long visit is the most a
// single entry describes.
const maxInteractionDuration = 7 * 24 * time.Hour

// earliestInteraction bounds At from below: older dates are typos.
var earliestInteraction = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// LogInteraction records a call, meeting, letter or any other contact
// with a client, on the client's timeline. The interaction may not be
// dated further in the future than Options.FutureTolerance; its contacts
// must be the client's.
func (s *Service) LogInteraction(ctx context.Context, actor Actor, in NewInteraction) (Interaction, error) {
	return s.appendInteraction(ctx, actor, in, uuid.Nil)
}

// CorrectInteraction records a correction of an earlier interaction: a
// new entry, pointing at the one it corrects, that supersedes it. The
// original stays in the log (interactions are append-only). Only the
// latest entry can be corrected: one already corrected is refused
// (corrects, conflict). in.ClientID may be empty or any id that resolves
// to the interaction's client (one merged since included); an interaction
// of a client the actor may not read is refused exactly like a missing
// one. LastContactAt is recomputed from the interactions in force.
func (s *Service) CorrectInteraction(ctx context.Context, actor Actor, original uuid.UUID, in NewInteraction) (Interaction, error) {
	if original == uuid.Nil {
		return Interaction{}, invalid("corrects", ReasonRequired, "")
	}
	prev, err := s.store.GetInteraction(ctx, original)
	if err == nil {
		// An interaction of a client the actor may not read is reported
		// exactly like a missing one, before anything is compared with it.
		_, _, err = s.loadClient(ctx, actor, prev.ClientID, false)
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Interaction{}, store.NotFound("interaction", original.String())
		}
		return Interaction{}, err
	}
	if in.ClientID != uuid.Nil && in.ClientID != prev.ClientID {
		// The id given may be one merged since into the interaction's client.
		c, _, cerr := s.loadClient(ctx, actor, in.ClientID, false)
		if cerr != nil || c.ID != prev.ClientID {
			return Interaction{}, invalid("client_id", ReasonConflict, in.ClientID.String())
		}
	}
	// An entry already corrected is superseded: correct the latest one.
	for it, lerr := range s.store.ListInteractions(ctx, prev.ClientID, store.Page{}) {
		if lerr != nil {
			return Interaction{}, lerr
		}
		if it.Corrects == prev.ID {
			return Interaction{}, invalidf("corrects", ReasonConflict, original.String(), "already corrected by %s", it.ID)
		}
	}
	in.ClientID = prev.ClientID
	// Correct on the survivor's log if the client has since been merged.
	return s.appendInteraction(ctx, actor, in, prev.ID)
}

func (s *Service) appendInteraction(ctx context.Context, actor Actor, in NewInteraction, corrects uuid.UUID) (Interaction, error) {
	var out Interaction
	// A conflict means the client was merged away meanwhile: reading it
	// again resolves the survivor, and the entry goes there.
	err := s.retry(ctx, func() error {
		var err error
		out, err = s.appendInteractionOnce(ctx, actor, in, corrects)
		return err
	})
	return out, err
}

func (s *Service) appendInteractionOnce(ctx context.Context, actor Actor, in NewInteraction, corrects uuid.UUID) (Interaction, error) {
	c, g, err := s.loadClient(ctx, actor, in.ClientID, true)
	if err != nil {
		return Interaction{}, err
	}
	it, err := s.buildInteraction(c, actor, g, in)
	if err != nil {
		return Interaction{}, err
	}
	it.Corrects = corrects
	kind := EventInteractionLogged
	data := map[string]string{"kind": string(it.Kind), "outcome": string(it.Outcome)}
	if it.Subject != "" {
		data["subject"] = it.Subject
	}
	if corrects != uuid.Nil {
		kind = EventInteractionCorrected
		data["corrects"] = corrects.String()
	}
	ev := s.event(c.ID, kind, it.At, actor, g, data)
	ev.Subject = it.ID
	if err := s.store.AppendInteraction(ctx, it, []Event{ev}); err != nil {
		return Interaction{}, err
	}
	return it, nil
}

func (s *Service) buildInteraction(c Client, actor Actor, g grant, in NewInteraction) (Interaction, error) {
	if !in.Kind.Valid() {
		if in.Kind == "" {
			return Interaction{}, invalid("kind", ReasonRequired, "")
		}
		return Interaction{}, invalid("kind", ReasonUnknownValue, string(in.Kind))
	}
	switch in.Direction {
	case Inbound, Outbound:
	case "":
		if in.Kind != InteractionNote {
			return Interaction{}, invalid("direction", ReasonRequired, "")
		}
	default:
		return Interaction{}, invalid("direction", ReasonUnknownValue, string(in.Direction))
	}
	if in.Kind == InteractionNote && in.Direction != "" {
		return Interaction{}, invalid("direction", ReasonNotAllowed, string(in.Direction))
	}
	now := s.now()
	in.At = instant(in.At)
	switch {
	case in.At.IsZero():
		return Interaction{}, invalid("at", ReasonRequired, "")
	case in.At.After(now.Add(s.opts.FutureTolerance)):
		return Interaction{}, invalidf("at", ReasonInFuture, in.At.Format(time.RFC3339), "more than %s ahead of now", s.opts.FutureTolerance)
	case in.At.Before(earliestInteraction):
		return Interaction{}, invalid("at", ReasonRange, in.At.Format(time.RFC3339))
	}
	if in.Duration < 0 {
		return Interaction{}, invalid("duration", ReasonNegative, in.Duration.String())
	}
	if in.Duration > maxInteractionDuration {
		return Interaction{}, invalid("duration", ReasonRange, in.Duration.String())
	}
	outcome := in.Outcome
	if outcome == "" {
		if in.Kind != InteractionNote {
			return Interaction{}, invalid("outcome", ReasonRequired, "")
		}
		outcome = OutcomeOther
	}
	if !outcome.Valid() {
		return Interaction{}, invalid("outcome", ReasonUnknownValue, string(outcome))
	}
	var contacts []uuid.UUID
	for i, id := range in.Contacts {
		if _, ok := c.Contact(id); !ok {
			return Interaction{}, invalid(indexed("contacts", i), ReasonNotFound, id.String())
		}
		if !slices.Contains(contacts, id) {
			contacts = append(contacts, id)
		}
	}
	subject, err := checkText("subject", in.Subject, maxShortText, false)
	if err != nil {
		return Interaction{}, err
	}
	summary, err := checkText("summary", in.Summary, maxLongText, true)
	if err != nil {
		return Interaction{}, err
	}
	var next *NextStep
	if in.NextStep != nil {
		action, err := requireReason("next_step.action", in.NextStep.Action)
		if err != nil {
			return Interaction{}, err
		}
		if err := checkDate(in.NextStep.Due); err != nil {
			return Interaction{}, &ValidationError{Field: "next_step.due", Reason: ReasonBadDate, Value: in.NextStep.Due.String(), Err: err}
		}
		if in.NextStep.Due.Before(DateOf(in.At, s.opts.Location)) {
			return Interaction{}, invalidf("next_step.due", ReasonRange, in.NextStep.Due.String(), "before the interaction")
		}
		next = &NextStep{Action: action, Due: in.NextStep.Due}
	}
	manager := in.Manager
	if manager == uuid.Nil {
		manager = actor.ID
	}
	return Interaction{
		ID: s.newID(), ClientID: c.ID,
		Kind: in.Kind, Direction: in.Direction, At: in.At, Duration: in.Duration,
		Contacts: contacts, Manager: manager,
		Subject: subject, Summary: summary, Outcome: outcome, NextStep: next,
		RecordedAt: now, RecordedBy: actor.ID, OnBehalfOf: g.onBehalfOf,
	}, nil
}

// ListInteractions streams a client's interactions ordered by time
// (oldest first unless p.Order is store.Descending).
func (s *Service) ListInteractions(ctx context.Context, actor Actor, client uuid.UUID, p store.Page) iter.Seq2[Interaction, error] {
	c, _, err := s.loadClient(ctx, actor, client, false)
	if err != nil {
		return store.Fail[Interaction](err)
	}
	return s.store.ListInteractions(ctx, c.ID, p)
}

// Timeline streams the client's timeline — every lifecycle event,
// interaction and change, including those of clients merged into it — in
// time order, oldest or newest first, resuming after p.After.
func (s *Service) Timeline(ctx context.Context, actor Actor, client uuid.UUID, p store.Page) iter.Seq2[Event, error] {
	c, _, err := s.loadClient(ctx, actor, client, false)
	if err != nil {
		return store.Fail[Event](err)
	}
	return s.store.Timeline(ctx, c.ID, p)
}
