package crm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/crm/worktime"
	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// Limits of a complaint.
const (
	maxRefText          = 100
	maxComplaintActions = 100
	maxCompensations    = 100
	maxWhys             = 10
	maxHolds            = 100
	maxQuantityDigits   = 18
)

// ErrComplaint matches every *ComplaintError: a change the complaint's
// state does not allow.
var ErrComplaint = errors.New("crm: complaint change refused")

// Complaint error reason codes.
const (
	ComplaintMoveNotAllowed Reason = "complaint_transition_not_allowed"
	ComplaintMoveIncomplete Reason = "complaint_transition_incomplete"
	ComplaintFinal          Reason = "complaint_final"
	ComplaintBadDuplicate   Reason = "complaint_duplicate_target"
	ComplaintActionDone     Reason = "complaint_action_done"
	ComplaintAlreadyOnHold  Reason = "complaint_already_on_hold"
	ComplaintNotOnHold      Reason = "complaint_not_on_hold"
	ComplaintHoldNotOpen    Reason = "complaint_hold_not_open"
)

// ComplaintError reports a change a complaint's state does not allow: a
// status move that is not allowed or lacks what it needs, a change to a
// complaint that is closed, rejected or a duplicate, a duplicate that
// points nowhere sensible, a hold on a complaint already on hold or not
// open, a resume of one not on hold. It matches ErrComplaint, and the status moves
// (codes complaint_transition_*) also ErrTransition.
type ComplaintError struct {
	Reason   Reason
	From, To ComplaintStatus
	Allowed  []ComplaintStatus // for a move not allowed: the statuses reachable from From
	Field    string            // for an incomplete move or a bad duplicate: what is missing or wrong
	Detail   string            // English
}

func (e *ComplaintError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *ComplaintError) Code() string { return string(e.Reason) }

// Is makes the error match ErrComplaint, and moves ErrTransition.
func (e *ComplaintError) Is(target error) bool {
	if target == ErrComplaint {
		return true
	}
	return target == ErrTransition && (e.Reason == ComplaintMoveNotAllowed || e.Reason == ComplaintMoveIncomplete)
}

// Message returns the message in the language of tag.
func (e *ComplaintError) Message(tag string) string {
	switch e.Reason {
	case ComplaintMoveNotAllowed:
		en := make([]string, len(e.Allowed))
		ru := make([]string, len(e.Allowed))
		for i, s := range e.Allowed {
			en[i], ru[i] = string(s), "«"+s.Name("ru")+"»"
		}
		if len(en) == 0 {
			en, ru = []string{"none (the complaint is finished)"}, []string{"нет (претензия завершена)"}
		}
		return lang.Pick(tag,
			fmt.Sprintf("crm: a complaint cannot move from %s to %s; allowed next: %s", e.From, e.To, strings.Join(en, ", ")),
			fmt.Sprintf("crm: претензию нельзя перевести из статуса «%s» в «%s»; допустимо: %s", e.From.Name("ru"), e.To.Name("ru"), strings.Join(ru, ", ")))
	case ComplaintMoveIncomplete:
		return lang.Pick(tag,
			fmt.Sprintf("crm: moving a complaint to %s needs %s", e.To, e.Field),
			fmt.Sprintf("crm: для перевода претензии в статус «%s» нужно указать %s", e.To.Name("ru"), complaintFieldRU(e.Field)))
	case ComplaintFinal:
		return lang.Pick(tag,
			fmt.Sprintf("crm: the complaint is %s and can no longer be changed", e.From),
			fmt.Sprintf("crm: претензия в статусе «%s» и больше не изменяется", e.From.Name("ru")))
	case ComplaintBadDuplicate:
		return lang.Pick(tag, "crm: a complaint can only duplicate another complaint of the same client that is not itself a duplicate: "+e.Detail,
			"crm: дубликатом можно отметить только претензию того же клиента, указав оригинал, который сам не является дубликатом")
	case ComplaintActionDone:
		return lang.Pick(tag, "crm: the action is already completed", "crm: действие уже выполнено")
	case ComplaintAlreadyOnHold:
		return lang.Pick(tag, "crm: the complaint is already on hold", "crm: претензия уже приостановлена")
	case ComplaintNotOnHold:
		return lang.Pick(tag, "crm: the complaint is not on hold", "crm: претензия не приостановлена")
	case ComplaintHoldNotOpen:
		return lang.Pick(tag,
			fmt.Sprintf("crm: only an open complaint (received, acknowledged, investigating) can be put on hold; it is %s", e.From),
			fmt.Sprintf("crm: приостановить можно только открытую претензию (получена, подтверждено получение, на рассмотрении); её статус «%s»", e.From.Name("ru")))
	}
	return lang.Pick(tag, "crm: complaint change refused", "crm: изменение претензии отклонено")
}

func complaintFieldRU(f string) string {
	switch f {
	case "reason":
		return "причину"
	case "resolution":
		return "решение"
	case "resolution.outcome":
		return "результат рассмотрения (удовлетворена, удовлетворена частично или отклонена)"
	case "resolution.reason":
		return "обоснование решения"
	case "resolution.remedy":
		return "предоставленную компенсацию"
	case "duplicate_of":
		return "исходную претензию"
	}
	return f
}

// hiddenComplaintError is the error for a complaint the actor may not
// read, and for a missing one: the two are indistinguishable.
type hiddenComplaintError struct{ id uuid.UUID }

func (e *hiddenComplaintError) Error() string {
	return "crm: complaint " + e.id.String() + " not found or not accessible"
}
func (e *hiddenComplaintError) Code() string { return "not_found" }
func (e *hiddenComplaintError) Message(tag string) string {
	return lang.Pick(tag, e.Error(), "crm: претензия "+e.id.String()+" не найдена или недоступна")
}

// Is makes the error match both store.ErrNotFound and ErrForbidden.
func (e *hiddenComplaintError) Is(target error) bool {
	return target == store.ErrNotFound || target == ErrForbidden
}

// NewComplaint is the input of ReceiveComplaint.
type NewComplaint struct {
	ClientID    uuid.UUID
	Contact     uuid.UUID // one of the client's contacts, if known
	Handler     uuid.UUID // default: the actor
	Refs        ComplaintRefs
	Channel     Channel
	ReceivedAt  time.Time // required; not later than now (plus Options.FutureTolerance)
	Subject     string
	Description string   // required
	Severity    Severity // default: medium
	Requested   Remedy   // what the client asks for; optional
}

// ComplaintSchedule returns the working calendar complaint deadlines are
// counted on.
func (s *Service) ComplaintSchedule() *worktime.Schedule { return s.sla.schedule }

// checkNewComplaint validates and normalises the parts of a new complaint
// that need no stored record: everything but the client and its contact.
func checkNewComplaint(in NewComplaint, now time.Time, tolerance time.Duration) (NewComplaint, error) {
	out := in
	if !in.Channel.Valid() {
		if in.Channel == "" {
			return NewComplaint{}, invalid("channel", ReasonRequired, "")
		}
		return NewComplaint{}, invalid("channel", ReasonUnknownValue, string(in.Channel))
	}
	out.ReceivedAt = instant(in.ReceivedAt)
	switch {
	case out.ReceivedAt.IsZero():
		return NewComplaint{}, invalid("received_at", ReasonRequired, "")
	case out.ReceivedAt.After(now.Add(tolerance)):
		return NewComplaint{}, invalidf("received_at", ReasonInFuture, out.ReceivedAt.Format(time.RFC3339), "more than %s ahead of now", tolerance)
	case out.ReceivedAt.Before(earliestInteraction):
		return NewComplaint{}, invalid("received_at", ReasonRange, out.ReceivedAt.Format(time.RFC3339))
	}
	var err error
	if out.Subject, err = checkText("subject", in.Subject, maxShortText, false); err != nil {
		return NewComplaint{}, err
	}
	if out.Description, err = checkText("description", in.Description, maxLongText, true); err != nil {
		return NewComplaint{}, err
	}
	if out.Description == "" {
		return NewComplaint{}, invalid("description", ReasonRequired, "")
	}
	if out.Severity == "" {
		out.Severity = SeverityMedium
	}
	if !out.Severity.Valid() {
		return NewComplaint{}, invalid("severity", ReasonUnknownValue, string(in.Severity))
	}
	if out.Requested, err = checkRemedy("requested", in.Requested, false); err != nil {
		return NewComplaint{}, err
	}
	if out.Refs, err = checkRefs(in.Refs); err != nil {
		return NewComplaint{}, err
	}
	return out, nil
}

// checkRemedy validates a remedy: a known kind (required when the value
// is given, or when need is set) and a value that is not negative.
func checkRemedy(field string, r Remedy, need bool) (Remedy, error) {
	switch {
	case r.Kind == "" && (need || !r.Value.Currency().IsZero()):
		return Remedy{}, invalid(field+".kind", ReasonRequired, "")
	case r.Kind != "" && !r.Kind.Valid():
		return Remedy{}, invalid(field+".kind", ReasonUnknownValue, string(r.Kind))
	case r.Value.IsNegative():
		return Remedy{}, invalid(field+".value", ReasonNegative, r.Value.String())
	}
	if err := checkMinorUnits(field+".value", r.Value); err != nil {
		return Remedy{}, err
	}
	return r, nil
}

// checkMinorUnits refuses an amount finer than its currency's minor unit
// (RUB 1500.005): it could not be invoiced, credited or paid.
func checkMinorUnits(field string, a money.Amount) error {
	if a.Currency().IsZero() {
		return nil
	}
	if d := a.Decimal(); !d.Equal(d.Round(int32(a.Currency().MinorUnits()))) {
		return invalid(field, ReasonPrecision, a.String())
	}
	return nil
}

// moneyOfComplaint returns the currency of the complaint's money so far:
// the value asked for, else the first non-zero compensation; zero when
// there is none.
func moneyOfComplaint(c *Complaint) money.Currency {
	if !c.Requested.Value.IsZero() {
		return c.Requested.Value.Currency()
	}
	for _, comp := range c.Compensations {
		if !comp.Amount.IsZero() {
			return comp.Amount.Currency()
		}
	}
	return money.Currency{}
}

// checkRefs validates and trims a complaint's references.
func checkRefs(r ComplaintRefs) (ComplaintRefs, error) {
	out := r
	var err error
	for _, f := range []struct {
		name string
		val  *string
		max  int
	}{
		{"refs.order", &out.Order, maxRefText},
		{"refs.invoice", &out.Invoice, maxRefText},
		{"refs.document", &out.Document, maxRefText},
		{"refs.sku", &out.SKU, maxRefText},
		{"refs.batch", &out.Batch, maxRefText},
		{"refs.unit", &out.Unit, 20},
	} {
		if *f.val, err = checkText(f.name, *f.val, f.max, false); err != nil {
			return ComplaintRefs{}, err
		}
	}
	if r.DocumentKind != "" && !r.DocumentKind.Valid() {
		return ComplaintRefs{}, invalid("refs.document_kind", ReasonUnknownValue, string(r.DocumentKind))
	}
	if !r.DocumentDate.IsZero() {
		if err := checkDate(r.DocumentDate); err != nil {
			return ComplaintRefs{}, &ValidationError{Field: "refs.document_date", Reason: ReasonBadDate, Value: r.DocumentDate.String(), Err: err}
		}
	}
	if r.Quantity.IsNegative() {
		return ComplaintRefs{}, invalid("refs.quantity", ReasonNegative, r.Quantity.String())
	}
	if q := r.Quantity; q.Exponent() < -6 || len(q.Coefficient().String())+int(max(q.Exponent(), 0)) > maxQuantityDigits {
		return ComplaintRefs{}, invalid("refs.quantity", ReasonRange, q.String())
	}
	if r.Quantity.IsZero() {
		out.Quantity = decimal.Decimal{} // one form for "not given"
	}
	return out, nil
}

// ReceiveComplaint records a complaint from a client and fixes its SLA
// deadlines, counted in business time from ReceivedAt on the SLA's
// working calendar. The actor must be able to change the client (its
// manager, their head, a deputy, an admin). The complaint lands on the
// client's timeline (complaint.received, dated ReceivedAt).
func (s *Service) ReceiveComplaint(ctx context.Context, actor Actor, in NewComplaint) (Complaint, error) {
	if err := actor.validate(); err != nil {
		return Complaint{}, err
	}
	in, err := checkNewComplaint(in, s.now(), s.opts.FutureTolerance)
	if err != nil {
		return Complaint{}, err
	}
	var out Complaint
	// A conflict means the client was merged away meanwhile: reading it
	// again finds the survivor, and the complaint goes there.
	err = s.retry(ctx, func() error {
		client, g, err := s.loadClient(ctx, actor, in.ClientID, true)
		if err != nil {
			return err
		}
		if in.Contact != uuid.Nil {
			if _, ok := client.Contact(in.Contact); !ok {
				return invalid("contact", ReasonNotFound, in.Contact.String())
			}
		}
		now := s.now()
		c := Complaint{
			ID: s.newID(), ClientID: client.ID, Contact: in.Contact, Handler: in.Handler,
			Refs: in.Refs, Channel: in.Channel, ReceivedAt: in.ReceivedAt,
			Subject: in.Subject, Description: in.Description, Severity: in.Severity, Requested: in.Requested,
			Status:    ComplaintReceived,
			StatusLog: []ComplaintStatusChange{{To: ComplaintReceived, At: now, By: actor.ID, OnBehalfOf: g.onBehalfOf}},
			CreatedAt: now, CreatedBy: actor.ID, UpdatedAt: now, UpdatedBy: actor.ID,
		}
		if c.Handler == uuid.Nil {
			c.Handler = actor.ID
		}
		s.sla.deadlines(&c)
		data := map[string]string{"severity": string(c.Severity), "channel": string(c.Channel),
			"acknowledge_due": c.AcknowledgeDue.Format(time.RFC3339), "resolve_due": c.ResolveDue.Format(time.RFC3339)}
		if c.Subject != "" {
			data["subject"] = c.Subject
		}
		if c.Requested.Kind != "" {
			data["remedy"] = string(c.Requested.Kind)
			if !c.Requested.Value.Currency().IsZero() {
				data["value"] = c.Requested.Value.String()
			}
		}
		ev := s.event(client.ID, EventComplaintReceived, c.ReceivedAt, actor, g, data)
		ev.Subject = c.ID
		if err := s.store.CreateComplaint(ctx, c, []Event{ev}); err != nil {
			return err
		}
		c.Version = store.NoVersion.Next()
		out = c
		return nil
	})
	if err != nil {
		return Complaint{}, err
	}
	return out, nil
}

// GetComplaint returns the complaint if the actor may read its client. A
// complaint the actor may not read is reported exactly like a missing
// one.
func (s *Service) GetComplaint(ctx context.Context, actor Actor, id uuid.UUID) (Complaint, error) {
	c, _, _, err := s.loadComplaint(ctx, actor, id, false)
	return c, err
}

// loadComplaint reads a complaint and its client for actor and checks
// access to the client.
func (s *Service) loadComplaint(ctx context.Context, actor Actor, id uuid.UUID, write bool) (Complaint, Client, grant, error) {
	if err := actor.validate(); err != nil {
		return Complaint{}, Client{}, grant{}, err
	}
	if id == uuid.Nil {
		return Complaint{}, Client{}, grant{}, invalid("complaint_id", ReasonRequired, "")
	}
	c, err := s.store.GetComplaint(ctx, id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) && !actor.readsAll() {
			return Complaint{}, Client{}, grant{}, &hiddenComplaintError{id: id}
		}
		return Complaint{}, Client{}, grant{}, err
	}
	client, g, err := s.loadClient(ctx, actor, c.ClientID, write)
	if err != nil {
		if _, hidden := err.(*hiddenError); hidden {
			return Complaint{}, Client{}, grant{}, &hiddenComplaintError{id: id}
		}
		return Complaint{}, Client{}, grant{}, err
	}
	if client.ID != c.ClientID {
		// The client was merged and the complaint not yet seen moved:
		// read again.
		return Complaint{}, Client{}, grant{}, store.Conflict("complaint", id.String())
	}
	return c, client, g, nil
}

// modifyComplaint is the read-check-change-write loop of every complaint
// update: change gets a fresh copy each attempt and returns the events to
// record; no events means nothing changed and nothing is written.
func (s *Service) modifyComplaint(ctx context.Context, actor Actor, id uuid.UUID,
	change func(c *Complaint, client Client, g grant) ([]Event, error)) (Complaint, error) {
	return s.modifyComplaintWith(ctx, actor, id, func(c *Complaint, client Client, g grant) ([]Event, []Complaint, error) {
		events, err := change(c, client, g)
		return events, nil, err
	})
}

// modifyComplaintWith is modifyComplaint for a change that depends on
// other complaints' state: change returns them, as read, and they are
// written unchanged in the same atomic write (UpdateComplaints), which
// moves their versions. A concurrent change of one of them then makes
// one of the two writes conflict and read again, so a check made against
// them still holds when the write lands.
func (s *Service) modifyComplaintWith(ctx context.Context, actor Actor, id uuid.UUID,
	change func(c *Complaint, client Client, g grant) ([]Event, []Complaint, error)) (Complaint, error) {
	var out Complaint
	err := s.retry(ctx, func() error {
		c, client, g, err := s.loadComplaint(ctx, actor, id, true)
		if err != nil {
			return err
		}
		events, guards, err := change(&c, client, g)
		if err != nil {
			return err
		}
		if len(events) > 0 {
			c.UpdatedAt, c.UpdatedBy = s.now(), actor.ID
			for i := range events {
				events[i].Subject = c.ID
			}
			if len(guards) == 0 {
				err = s.store.UpdateComplaint(ctx, c, events)
			} else {
				err = s.store.UpdateComplaints(ctx, append([]Complaint{c}, guards...), events)
			}
			if err != nil {
				return err
			}
			c.Version = c.Version.Next()
		}
		out = c
		return nil
	})
	if err != nil {
		return Complaint{}, err
	}
	return out, nil
}

// notFinal refuses changes to a complaint that is closed, rejected or a
// duplicate.
func notFinal(c *Complaint) error {
	if c.Status.Final() {
		return &ComplaintError{Reason: ComplaintFinal, From: c.Status}
	}
	return nil
}

// ComplaintDraft is what an edit function may change in EditComplaint.
type ComplaintDraft struct {
	Contact     uuid.UUID
	Handler     uuid.UUID
	Refs        ComplaintRefs
	Channel     Channel
	Subject     string
	Description string
	Severity    Severity
	Requested   Remedy
	Whys        []string // the five-whys chain
	Responsible ResponsibleParty
}

// EditComplaint applies edit to a fresh copy of the complaint's details,
// validates the result and stores it with a complaint.updated event
// naming the changed fields. Like UpdateClient, edit may run more than
// once (on a conflict) and must only describe the change. A new severity
// recomputes the deadlines still owed from ReceivedAt (moved again by the
// holds that ended); a deadline already answered keeps the due instant it
// was judged against. A closed, rejected or duplicate complaint cannot be
// edited.
func (s *Service) EditComplaint(ctx context.Context, actor Actor, id uuid.UUID, edit func(*ComplaintDraft) error) (Complaint, error) {
	if edit == nil {
		return Complaint{}, invalid("edit", ReasonRequired, "")
	}
	return s.modifyComplaint(ctx, actor, id, func(c *Complaint, client Client, g grant) ([]Event, error) {
		if err := notFinal(c); err != nil {
			return nil, err
		}
		d := ComplaintDraft{Contact: c.Contact, Handler: c.Handler, Refs: c.Refs, Channel: c.Channel, Subject: c.Subject,
			Description: c.Description, Severity: c.Severity, Requested: c.Requested, Whys: slices.Clone(c.Whys), Responsible: c.Responsible}
		if err := edit(&d); err != nil {
			return nil, err
		}
		in, err := checkNewComplaint(NewComplaint{Channel: d.Channel, ReceivedAt: c.ReceivedAt, Subject: d.Subject,
			Description: d.Description, Severity: d.Severity, Requested: d.Requested, Refs: d.Refs}, s.now(), s.opts.FutureTolerance)
		if err != nil {
			return nil, err
		}
		if d.Contact != uuid.Nil {
			if _, ok := client.Contact(d.Contact); !ok {
				return nil, invalid("contact", ReasonNotFound, d.Contact.String())
			}
		}
		if d.Handler == uuid.Nil {
			return nil, invalid("handler", ReasonRequired, "")
		}
		whys, err := checkWhys(d.Whys)
		if err != nil {
			return nil, err
		}
		if d.Responsible != "" && !d.Responsible.Valid() {
			return nil, invalid("responsible", ReasonUnknownValue, string(d.Responsible))
		}
		var changed []string
		add := func(name string, differ bool) {
			if differ {
				changed = append(changed, name)
			}
		}
		add("contact", c.Contact != d.Contact)
		add("handler", c.Handler != d.Handler)
		add("refs", !refsEqual(c.Refs, in.Refs))
		add("channel", c.Channel != in.Channel)
		add("subject", c.Subject != in.Subject)
		add("description", c.Description != in.Description)
		add("severity", c.Severity != in.Severity)
		add("requested", c.Requested.Kind != in.Requested.Kind || !amountSame(c.Requested.Value, in.Requested.Value))
		add("whys", !slices.Equal(c.Whys, whys))
		add("responsible", c.Responsible != d.Responsible)
		if len(changed) == 0 {
			return nil, nil
		}
		severityChanged := c.Severity != in.Severity
		c.Contact, c.Handler, c.Refs, c.Channel = d.Contact, d.Handler, in.Refs, in.Channel
		c.Subject, c.Description, c.Severity, c.Requested = in.Subject, in.Description, in.Severity, in.Requested
		c.Whys, c.Responsible = whys, d.Responsible
		data := map[string]string{"fields": strings.Join(changed, ",")}
		if severityChanged {
			ackDue, resolveDue := c.AcknowledgeDue, c.ResolveDue
			s.sla.deadlines(c)
			// A deadline already answered was judged against the terms in
			// force then: a later severity does not rewrite it.
			if !c.AcknowledgedAt.IsZero() {
				c.AcknowledgeDue = ackDue
			}
			if !c.ResolvedAt.IsZero() {
				c.ResolveDue = resolveDue
			}
			data["severity"] = string(c.Severity)
			data["acknowledge_due"] = c.AcknowledgeDue.Format(time.RFC3339)
			data["resolve_due"] = c.ResolveDue.Format(time.RFC3339)
		}
		return []Event{s.event(client.ID, EventComplaintUpdated, s.now(), actor, g, data)}, nil
	})
}

func checkWhys(whys []string) ([]string, error) {
	if len(whys) > maxWhys {
		return nil, invalid("whys", ReasonTooLong, strconv.Itoa(len(whys)))
	}
	var out []string
	for i, w := range whys {
		t, err := checkText(indexed("whys", i), w, maxShortText*5, true)
		if err != nil {
			return nil, err
		}
		if t == "" {
			return nil, invalid(indexed("whys", i), ReasonRequired, "")
		}
		out = append(out, t)
	}
	return out, nil
}

func refsEqual(a, b ComplaintRefs) bool {
	qa, qb := a.Quantity, b.Quantity
	a.Quantity, b.Quantity = decimal.Decimal{}, decimal.Decimal{}
	return a == b && qa.Equal(qb)
}

func amountSame(a, b money.Amount) bool {
	return a.Currency() == b.Currency() && a.Decimal().Equal(b.Decimal())
}

// ComplaintMove is a status change of a complaint.
type ComplaintMove struct {
	To ComplaintStatus
	// Reason is required to reject a complaint and to reopen a resolved
	// one; a note otherwise.
	Reason string
	// DuplicateOf is the complaint this one repeats (for To = duplicate).
	DuplicateOf uuid.UUID
	// Resolution is the decision (for To = resolved).
	Resolution *ResolutionInput
}

// ResolutionInput is the decision on a complaint.
type ResolutionInput struct {
	Outcome ResolutionOutcome
	// Remedy is what was granted. For granted it defaults to the remedy
	// requested; for partial it is required; for refused it must be empty.
	Remedy Remedy
	// Reason explains the decision: required when refused or partial.
	Reason string
}

// MoveComplaint moves a complaint along its status machine (see
// ComplaintStatus). A move that is not allowed, or lacks its reason,
// resolution or original, is a *ComplaintError. The change is logged with
// actor, time, from, to and reason, and recorded on the client's
// timeline.
func (s *Service) MoveComplaint(ctx context.Context, actor Actor, id uuid.UUID, move ComplaintMove) (Complaint, error) {
	if !move.To.Valid() {
		return Complaint{}, invalid("to", ReasonUnknownValue, string(move.To))
	}
	reason, err := checkText("reason", move.Reason, maxLongText, true)
	if err != nil {
		return Complaint{}, err
	}
	move.Reason = reason
	var res *Resolution
	switch move.To {
	case ComplaintRejected:
		if move.Reason == "" {
			return Complaint{}, &ComplaintError{Reason: ComplaintMoveIncomplete, To: move.To, Field: "reason"}
		}
	case ComplaintDuplicate:
		if move.DuplicateOf == uuid.Nil {
			return Complaint{}, &ComplaintError{Reason: ComplaintMoveIncomplete, To: move.To, Field: "duplicate_of"}
		}
		if move.DuplicateOf == id {
			return Complaint{}, &ComplaintError{Reason: ComplaintBadDuplicate, To: move.To, Field: "duplicate_of", Detail: "it cannot duplicate itself"}
		}
	case ComplaintResolved:
		if move.Resolution == nil {
			return Complaint{}, &ComplaintError{Reason: ComplaintMoveIncomplete, To: move.To, Field: "resolution"}
		}
		r, err := checkResolution(*move.Resolution)
		if err != nil {
			return Complaint{}, err
		}
		res = &r
	}
	return s.modifyComplaintWith(ctx, actor, id, func(c *Complaint, client Client, g grant) ([]Event, []Complaint, error) {
		return s.applyMove(ctx, actor, c, client, g, move, res)
	})
}

// applyMove makes the move on c (MoveComplaint). A move to duplicate puts
// the original in guards: it is written with the move, so that the
// original cannot become a duplicate itself meanwhile (no chains).
func (s *Service) applyMove(ctx context.Context, actor Actor, c *Complaint, client Client, g grant, move ComplaintMove,
	res *Resolution) (events []Event, guards []Complaint, err error) {
	if !CanMoveComplaint(c.Status, move.To) {
		return nil, nil, &ComplaintError{Reason: ComplaintMoveNotAllowed, From: c.Status, To: move.To, Allowed: c.Status.Next()}
	}
	if move.To == ComplaintInvestigating && c.Status == ComplaintResolved && move.Reason == "" {
		return nil, nil, &ComplaintError{Reason: ComplaintMoveIncomplete, From: c.Status, To: move.To, Field: "reason"}
	}
	now := s.now()
	if c.OnHold() && (move.To == ComplaintResolved || move.To == ComplaintRejected || move.To == ComplaintDuplicate ||
		move.To == ComplaintClosed) {
		// The hold ends first: the deadlines move before the move is
		// judged against them.
		rd := s.endHold(c, actor, now, "")
		rd["ended_by_move"] = string(move.To)
		events = append(events, s.event(client.ID, EventComplaintResumed, now, actor, g, rd))
	}
	data := map[string]string{"from": string(c.Status), "to": string(move.To)}
	if move.Reason != "" {
		data["reason"] = move.Reason
	}
	switch move.To {
	case ComplaintAcknowledged:
		setOnce(&c.AcknowledgedAt, now)
	case ComplaintInvestigating:
		if c.Status == ComplaintResolved {
			// Reopened: the resolution no longer stands and is owed again.
			c.Resolution, c.ResolvedAt = nil, time.Time{}
		}
	case ComplaintResolved:
		r := *res
		if r.Outcome == ResolutionGranted && r.Remedy.Kind == "" {
			r.Remedy = c.Requested
		}
		if err := checkGrantedValue(c, r); err != nil {
			return nil, nil, err
		}
		r.At, r.By = now, actor.ID
		c.Resolution = &r
		c.ResolvedAt = now
		data["outcome"] = string(r.Outcome)
		if r.Remedy.Kind != "" {
			data["remedy"] = string(r.Remedy.Kind)
		}
		if !r.Remedy.Value.Currency().IsZero() {
			data["value"] = r.Remedy.Value.String()
		}
		if r.Reason != "" {
			data["reason"] = r.Reason
		}
	case ComplaintClosed:
		c.ClosedAt = now
	case ComplaintRejected:
		setOnce(&c.AcknowledgedAt, now)
		c.ResolvedAt = now
	case ComplaintDuplicate:
		orig, err := s.duplicateOriginal(ctx, c, move)
		if err != nil {
			return nil, nil, err
		}
		c.DuplicateOf = orig.ID
		setOnce(&c.AcknowledgedAt, now)
		c.ResolvedAt = now
		data["duplicate_of"] = orig.ID.String()
		guards = append(guards, orig)
	}
	c.StatusLog = append(c.StatusLog, ComplaintStatusChange{From: c.Status, To: move.To, At: now, By: actor.ID,
		OnBehalfOf: g.onBehalfOf, Reason: move.Reason})
	c.Status = move.To
	return append(events, s.event(client.ID, EventComplaintStatus, now, actor, g, data)), guards, nil
}

// duplicateOriginal reads the complaint c would become a duplicate of and
// checks that it may be its original: a complaint of the same client,
// filed earlier, not a duplicate itself, while no complaint duplicates c.
func (s *Service) duplicateOriginal(ctx context.Context, c *Complaint, move ComplaintMove) (Complaint, error) {
	bad := func(detail string) error {
		return &ComplaintError{Reason: ComplaintBadDuplicate, To: move.To, Field: "duplicate_of", Detail: detail}
	}
	orig, err := s.store.GetComplaint(ctx, move.DuplicateOf)
	if errors.Is(err, store.ErrNotFound) || (err == nil && orig.ClientID != c.ClientID) {
		// Another client's complaint is reported like a missing one:
		// the actor may not be able to read that client.
		return Complaint{}, bad("no such complaint of this client")
	}
	if err != nil {
		return Complaint{}, err
	}
	switch {
	case orig.Status == ComplaintDuplicate:
		return Complaint{}, bad("it is itself a duplicate of " + orig.DuplicateOf.String())
	case store.CompareKeys(orig.ReceivedAt, orig.ID, c.ReceivedAt, c.ID) >= 0:
		// The original is the earlier filing: DuplicateOf only ever
		// points back in (ReceivedAt, ID) order, so no cycle can form,
		// however concurrent moves interleave.
		return Complaint{}, bad("it was received after this one")
	}
	// A complaint that others duplicate is an original, not a duplicate
	// itself (no chains).
	for d, err := range s.store.ListComplaints(ctx, ComplaintFilter{ClientID: c.ClientID,
		Statuses: []ComplaintStatus{ComplaintDuplicate}}, store.Page{}) {
		if err != nil {
			return Complaint{}, err
		}
		if d.DuplicateOf == c.ID {
			return Complaint{}, bad("complaint " + d.ID.String() + " duplicates this one")
		}
	}
	return orig, nil
}

// HoldComplaint stops the complaint's SLA clock while the company waits
// for the client (photos, an inspection report, access to the site): the
// hold starts now, with its reason (required), and lasts until
// ResumeComplaint, or a move to resolved, rejected, duplicate or closed,
// ends it. Only an open complaint (received, acknowledged, investigating)
// not already on hold can be held; otherwise the error is a
// *ComplaintError (complaint_final, complaint_hold_not_open,
// complaint_already_on_hold). The status does not change. The hold is
// recorded on the client's timeline (complaint.held).
func (s *Service) HoldComplaint(ctx context.Context, actor Actor, id uuid.UUID, reason string) (Complaint, error) {
	reason, err := checkText("reason", reason, maxLongText, true)
	if err != nil {
		return Complaint{}, err
	}
	if reason == "" {
		return Complaint{}, invalid("reason", ReasonRequired, "")
	}
	return s.modifyComplaint(ctx, actor, id, func(c *Complaint, client Client, g grant) ([]Event, error) {
		switch {
		case c.Status.Final():
			return nil, &ComplaintError{Reason: ComplaintFinal, From: c.Status}
		case !c.Status.Open():
			return nil, &ComplaintError{Reason: ComplaintHoldNotOpen, From: c.Status}
		case c.OnHold():
			return nil, &ComplaintError{Reason: ComplaintAlreadyOnHold, From: c.Status}
		case len(c.Holds) >= maxHolds:
			return nil, invalid("holds", ReasonTooLong, strconv.Itoa(len(c.Holds)))
		}
		now := s.now()
		c.Holds = append(c.Holds, ComplaintHold{From: now, Reason: reason, By: actor.ID, OnBehalfOf: g.onBehalfOf})
		data := map[string]string{"reason": reason, "status": string(c.Status)}
		return []Event{s.event(client.ID, EventComplaintHeld, now, actor, g, data)}, nil
	})
}

// ResumeComplaint ends the complaint's hold now, with an optional note:
// each deadline the complaint still owed when the hold began moves later
// by the business time the hold covered on the SLA's working calendar
// (ComplaintHold.Paused); one met during the hold moves only by the
// business time from the hold's start to when it was met, so a breach
// before the hold is not undone. A complaint not on hold is a *ComplaintError
// (complaint_not_on_hold). The resumption is recorded on the client's
// timeline (complaint.resumed) with the new deadlines.
func (s *Service) ResumeComplaint(ctx context.Context, actor Actor, id uuid.UUID, note string) (Complaint, error) {
	note, err := checkText("note", note, maxLongText, true)
	if err != nil {
		return Complaint{}, err
	}
	return s.modifyComplaint(ctx, actor, id, func(c *Complaint, client Client, g grant) ([]Event, error) {
		if !c.OnHold() {
			return nil, &ComplaintError{Reason: ComplaintNotOnHold, From: c.Status}
		}
		now := s.now()
		data := s.endHold(c, actor, now, note)
		return []Event{s.event(client.ID, EventComplaintResumed, now, actor, g, data)}, nil
	})
}

// endHold ends the complaint's current hold at now and moves the
// deadlines it still owed, returning the data of its complaint.resumed
// event.
func (s *Service) endHold(c *Complaint, actor Actor, now time.Time, note string) map[string]string {
	h := &c.Holds[len(c.Holds)-1]
	to := now
	if to.Before(h.From) {
		to = h.From // a clock that went back: an empty hold
	}
	h.To, h.ResumedBy, h.ResumeNote = to, actor.ID, note
	h.Paused = pausedBetween(s.sla.schedule, h.From, to)
	c.AcknowledgeDue, c.ResolveDue = shiftedDeadlines(*c, s.sla.schedule, h.From, h.To, h.Paused)
	data := map[string]string{"held_since": h.From.Format(time.RFC3339), "paused": h.Paused.String(),
		"acknowledge_due": c.AcknowledgeDue.Format(time.RFC3339), "resolve_due": c.ResolveDue.Format(time.RFC3339)}
	if note != "" {
		data["note"] = note
	}
	return data
}

// finite keeps NaN and infinities out of stored numbers.
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func setOnce(t *time.Time, v time.Time) {
	if t.IsZero() {
		*t = v
	}
}

// checkGrantedValue checks a resolution's remedy against what the client
// asked for: in the same currency, and, for a partial grant, less than
// the value asked.
func checkGrantedValue(c *Complaint, r Resolution) error {
	asked, given := c.Requested.Value, r.Remedy.Value
	if asked.IsZero() || given.IsZero() {
		return nil
	}
	if given.Currency() != asked.Currency() {
		return invalidf("resolution.remedy.value", ReasonConflict, given.String(), "the client asked for %s", asked.String())
	}
	if r.Outcome == ResolutionPartial && given.Decimal().Cmp(asked.Decimal()) >= 0 {
		return invalidf("resolution.remedy.value", ReasonRange, given.String(), "a partial grant is less than the %s asked for", asked.String())
	}
	return nil
}

func checkResolution(in ResolutionInput) (Resolution, error) {
	if !in.Outcome.Valid() {
		if in.Outcome == "" {
			return Resolution{}, &ComplaintError{Reason: ComplaintMoveIncomplete, To: ComplaintResolved, Field: "resolution.outcome"}
		}
		return Resolution{}, invalid("resolution.outcome", ReasonUnknownValue, string(in.Outcome))
	}
	reason, err := checkText("resolution.reason", in.Reason, maxLongText, true)
	if err != nil {
		return Resolution{}, err
	}
	remedy, err := checkRemedy("resolution.remedy", in.Remedy, in.Outcome == ResolutionPartial)
	if err != nil {
		return Resolution{}, err
	}
	switch in.Outcome {
	case ResolutionRefused:
		if reason == "" {
			return Resolution{}, &ComplaintError{Reason: ComplaintMoveIncomplete, To: ComplaintResolved, Field: "resolution.reason"}
		}
		if remedy.Kind != "" {
			return Resolution{}, invalid("resolution.remedy.kind", ReasonNotAllowed, string(remedy.Kind))
		}
	case ResolutionPartial:
		if reason == "" {
			return Resolution{}, &ComplaintError{Reason: ComplaintMoveIncomplete, To: ComplaintResolved, Field: "resolution.reason"}
		}
	}
	return Resolution{Outcome: in.Outcome, Remedy: remedy, Reason: reason}, nil
}

// CategorizeComplaint asks the categoriser (Options.Categorizer) for the
// complaint's root cause from its subject and description and the facts
// given, and keeps the suggestion — category, confidence, evidence and
// runners-up — on the complaint. A person confirms the cause with
// ConfirmRootCause; the suggestion stays beside it.
func (s *Service) CategorizeComplaint(ctx context.Context, actor Actor, id uuid.UUID, facts rootcause.Facts) (Complaint, error) {
	return s.modifyComplaint(ctx, actor, id, func(c *Complaint, client Client, g grant) ([]Event, error) {
		if err := notFinal(c); err != nil {
			return nil, err
		}
		res := s.opts.Categorizer.Categorize(c.Subject+"\n"+c.Description, facts)
		best := res.Best()
		sug := &RootCauseSuggestion{Code: string(best.Code), Confidence: finite(best.Confidence), NeedsReview: res.NeedsReview,
			At: s.now(), By: actor.ID}
		for _, e := range best.Evidence {
			sug.Evidence = append(sug.Evidence, SuggestionEvidence{Kind: string(e.Kind), Text: e.Text, Weight: finite(e.Weight)})
		}
		for _, sc := range res.Ranked[1:min(4, len(res.Ranked))] {
			sug.Others = append(sug.Others, SuggestedCode{Code: string(sc.Code), Confidence: finite(sc.Confidence)})
		}
		c.Suggestion = sug
		data := map[string]string{"code": sug.Code, "confidence": strconv.FormatFloat(sug.Confidence, 'f', 2, 64)}
		if sug.NeedsReview {
			data["needs_review"] = "true"
		}
		return []Event{s.event(client.ID, EventComplaintCategorized, s.now(), actor, g, data)}, nil
	})
}

// RootCauseInput is a person's finding of a complaint's cause.
type RootCauseInput struct {
	Code string // a code of the categoriser's taxonomy
	Text string // the cause in the person's words
	// Responsible is who answers for the cause. Default: the category's
	// usual party.
	Responsible ResponsibleParty
}

// ConfirmRootCause records the root cause a person found: a code from
// the catalogue (the categoriser's taxonomy) and free text, with whether
// it agrees with the categoriser's suggestion, and the responsible party.
// It may be confirmed again (a later finding replaces the earlier one;
// both are on the timeline).
func (s *Service) ConfirmRootCause(ctx context.Context, actor Actor, id uuid.UUID, in RootCauseInput) (Complaint, error) {
	cat, ok := s.opts.Categorizer.Taxonomy().Category(rootcause.Code(in.Code))
	if !ok {
		if in.Code == "" {
			return Complaint{}, invalid("code", ReasonRequired, "")
		}
		return Complaint{}, invalidf("code", ReasonUnknownValue, in.Code, "not a code of the root-cause catalogue")
	}
	text, err := checkText("text", in.Text, maxLongText, true)
	if err != nil {
		return Complaint{}, err
	}
	party := in.Responsible
	if party == "" {
		party = ResponsibleParty(cat.Party)
		if !party.Valid() {
			party = ""
		}
	} else if !party.Valid() {
		return Complaint{}, invalid("responsible", ReasonUnknownValue, string(party))
	}
	return s.modifyComplaint(ctx, actor, id, func(c *Complaint, client Client, g grant) ([]Event, error) {
		if err := notFinal(c); err != nil {
			return nil, err
		}
		var suggested string
		if c.Suggestion != nil {
			suggested = c.Suggestion.Code
		}
		agrees := suggested == in.Code
		c.RootCause = &RootCause{Code: in.Code, Text: text, Suggested: suggested, AgreesWithSuggestion: agrees,
			At: s.now(), By: actor.ID, OnBehalfOf: g.onBehalfOf}
		c.Responsible = party
		data := map[string]string{"code": in.Code, "agrees": strconv.FormatBool(agrees)}
		if c.Suggestion != nil {
			data["suggested"] = c.Suggestion.Code
		}
		if party != "" {
			data["responsible"] = string(party)
		}
		return []Event{s.event(client.ID, EventComplaintRootCause, s.now(), actor, g, data)}, nil
	})
}

// NewComplaintAction is an action to take on a complaint.
type NewComplaintAction struct {
	Kind        ActionKind
	Description string
	Owner       uuid.UUID // who does it; default: the actor
	Due         Date      // by when; optional
}

// AddComplaintAction adds an immediate, corrective or preventive action
// with its owner and due date. Actions may be added until the complaint
// is rejected or marked duplicate (preventive work often outlives the
// complaint's closure). The new action is the last of Actions.
func (s *Service) AddComplaintAction(ctx context.Context, actor Actor, id uuid.UUID, in NewComplaintAction) (Complaint, error) {
	if !in.Kind.Valid() {
		if in.Kind == "" {
			return Complaint{}, invalid("kind", ReasonRequired, "")
		}
		return Complaint{}, invalid("kind", ReasonUnknownValue, string(in.Kind))
	}
	desc, err := checkText("description", in.Description, maxShortText*5, true)
	if err != nil {
		return Complaint{}, err
	}
	if desc == "" {
		return Complaint{}, invalid("description", ReasonRequired, "")
	}
	if !in.Due.IsZero() {
		if err := checkDate(in.Due); err != nil {
			return Complaint{}, &ValidationError{Field: "due", Reason: ReasonBadDate, Value: in.Due.String(), Err: err}
		}
	}
	return s.modifyComplaint(ctx, actor, id, func(c *Complaint, client Client, g grant) ([]Event, error) {
		if c.Status == ComplaintRejected || c.Status == ComplaintDuplicate {
			return nil, &ComplaintError{Reason: ComplaintFinal, From: c.Status}
		}
		if len(c.Actions) >= maxComplaintActions {
			return nil, invalid("actions", ReasonTooLong, strconv.Itoa(len(c.Actions)))
		}
		owner := in.Owner
		if owner == uuid.Nil {
			owner = actor.ID
		}
		now := s.now()
		a := ComplaintAction{ID: s.newID(), Kind: in.Kind, Description: desc, Owner: owner, Due: in.Due, CreatedAt: now, CreatedBy: actor.ID}
		c.Actions = append(c.Actions, a)
		data := map[string]string{"action": a.ID.String(), "kind": string(a.Kind), "owner": owner.String(), "description": shorten(desc)}
		if !a.Due.IsZero() {
			data["due"] = a.Due.String()
		}
		return []Event{s.event(client.ID, EventComplaintActionAdded, now, actor, g, data)}, nil
	})
}

// CompleteComplaintAction marks an action done, with a note on what was
// done. Completing it twice is a *ComplaintError (complaint_action_done).
func (s *Service) CompleteComplaintAction(ctx context.Context, actor Actor, id, action uuid.UUID, note string) (Complaint, error) {
	note, err := checkText("note", note, maxLongText, true)
	if err != nil {
		return Complaint{}, err
	}
	return s.modifyComplaint(ctx, actor, id, func(c *Complaint, client Client, g grant) ([]Event, error) {
		i := slices.IndexFunc(c.Actions, func(a ComplaintAction) bool { return a.ID == action })
		if i < 0 {
			return nil, invalid("action_id", ReasonNotFound, action.String())
		}
		if c.Actions[i].Done() {
			return nil, &ComplaintError{Reason: ComplaintActionDone, From: c.Status}
		}
		now := s.now()
		c.Actions[i].DoneAt, c.Actions[i].DoneBy, c.Actions[i].Note = now, actor.ID, note
		data := map[string]string{"action": action.String(), "kind": string(c.Actions[i].Kind)}
		return []Event{s.event(client.ID, EventComplaintActionDone, now, actor, g, data)}, nil
	})
}

// NewCompensation is a compensation given for a complaint.
type NewCompensation struct {
	Kind      CompensationKind
	Amount    money.Amount // required for a credit note, refund or discount
	Reference string       // the credit note's or order's number
	LinkedID  uuid.UUID    // the id of the credit note or order record, if any
	Note      string
}

// RecordCompensation records a credit note, replacement order, refund or
// discount given for the complaint, with the references that let
// settlements and orders link to it. The new compensation is the last of
// Compensations.
func (s *Service) RecordCompensation(ctx context.Context, actor Actor, id uuid.UUID, in NewCompensation) (Complaint, error) {
	if !in.Kind.Valid() {
		if in.Kind == "" {
			return Complaint{}, invalid("kind", ReasonRequired, "")
		}
		return Complaint{}, invalid("kind", ReasonUnknownValue, string(in.Kind))
	}
	switch {
	case in.Amount.IsNegative():
		return Complaint{}, invalid("amount", ReasonNegative, in.Amount.String())
	case in.Kind != CompensationReplacementOrder && !in.Amount.IsPositive():
		return Complaint{}, invalid("amount", ReasonRequired, in.Amount.String())
	}
	if err := checkMinorUnits("amount", in.Amount); err != nil {
		return Complaint{}, err
	}
	ref, err := checkText("reference", in.Reference, maxRefText, false)
	if err != nil {
		return Complaint{}, err
	}
	note, err := checkText("note", in.Note, maxLongText, true)
	if err != nil {
		return Complaint{}, err
	}
	return s.modifyComplaint(ctx, actor, id, func(c *Complaint, client Client, g grant) ([]Event, error) {
		if c.Status == ComplaintRejected || c.Status == ComplaintDuplicate {
			return nil, &ComplaintError{Reason: ComplaintFinal, From: c.Status}
		}
		if len(c.Compensations) >= maxCompensations {
			return nil, invalid("compensations", ReasonTooLong, strconv.Itoa(len(c.Compensations)))
		}
		// One complaint's money is in one currency, so that its cost can be
		// summed (ComplaintPareto).
		if cur := moneyOfComplaint(c); !in.Amount.IsZero() && !cur.IsZero() && in.Amount.Currency() != cur {
			return nil, invalidf("amount", ReasonConflict, in.Amount.String(), "the complaint's money is in %s", cur.Code())
		}
		now := s.now()
		comp := Compensation{ID: s.newID(), Kind: in.Kind, Amount: in.Amount, Reference: ref, LinkedID: in.LinkedID, Note: note, At: now, By: actor.ID}
		c.Compensations = append(c.Compensations, comp)
		data := map[string]string{"compensation": comp.ID.String(), "kind": string(comp.Kind)}
		if !comp.Amount.Currency().IsZero() {
			data["amount"] = comp.Amount.String()
		}
		if ref != "" {
			data["reference"] = ref
		}
		if comp.LinkedID != uuid.Nil {
			data["linked_id"] = comp.LinkedID.String()
		}
		return []Event{s.event(client.ID, EventComplaintCompensation, now, actor, g, data)}, nil
	})
}

// ComplaintSLA returns the complaint's deadlines as of asOf (see
// ComplaintSLAStatus), with margins in business time on the SLA calendar.
func (s *Service) ComplaintSLA(ctx context.Context, actor Actor, id uuid.UUID, asOf time.Time) (SLAStatus, error) {
	c, err := s.GetComplaint(ctx, actor, id)
	if err != nil {
		return SLAStatus{}, err
	}
	return ComplaintSLAStatus(c, s.sla.schedule, asOf), nil
}

// ListComplaints streams the complaints the actor may read that match the
// filter, ordered by ReceivedAt, then id (oldest first unless p.Order is
// store.Descending). With f.ClientID set it lists that client's
// complaints (a merged id resolves to the survivor, which holds the
// merged client's complaints too). Across clients, each client's access
// is decided once per listing.
func (s *Service) ListComplaints(ctx context.Context, actor Actor, f ComplaintFilter, p store.Page) iter.Seq2[Complaint, error] {
	if err := actor.validate(); err != nil {
		return store.Fail[Complaint](err)
	}
	for i, st := range f.Statuses {
		if !st.Valid() {
			return store.Fail[Complaint](invalid(indexed("statuses", i), ReasonUnknownValue, string(st)))
		}
	}
	if f.ClientID != uuid.Nil {
		c, _, err := s.loadClient(ctx, actor, f.ClientID, false)
		if err != nil {
			return store.Fail[Complaint](err)
		}
		f.ClientID = c.ID
		return s.store.ListComplaints(ctx, f, p)
	}
	if actor.readsAll() {
		return s.store.ListComplaints(ctx, f, p)
	}
	return func(yield func(Complaint, error) bool) {
		r, err := s.reachOf(ctx, actor)
		if err != nil {
			yield(Complaint{}, err)
			return
		}
		allowed := map[uuid.UUID]bool{}
		limit := p.Limit
		p.Limit = 0
		n := 0
		for c, err := range s.store.ListComplaints(ctx, f, p) {
			if err != nil {
				yield(Complaint{}, err)
				return
			}
			ok, seen := allowed[c.ClientID]
			if !seen {
				client, err := s.store.GetClient(ctx, c.ClientID)
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					yield(Complaint{}, err)
					return
				}
				_, ok = r.grant(client, false)
				ok = ok && err == nil
				allowed[c.ClientID] = ok
			}
			if !ok {
				continue
			}
			if !yield(c, nil) {
				return
			}
			if n++; limit > 0 && n >= limit {
				return
			}
		}
	}
}

// OverdueComplaints streams the complaints the actor may read that are
// overdue at asOf: still received past the acknowledgement deadline, or
// still open past the resolution deadline (Complaint.OverdueAt: a hold
// stops only the deadlines still ahead when it began).
func (s *Service) OverdueComplaints(ctx context.Context, actor Actor, asOf time.Time, p store.Page) iter.Seq2[Complaint, error] {
	if asOf.IsZero() {
		return store.Fail[Complaint](invalid("as_of", ReasonRequired, ""))
	}
	return s.ListComplaints(ctx, actor, ComplaintFilter{OverdueAt: asOf}, p)
}
