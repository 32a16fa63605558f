package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// complaintColumns are the columns a complaint is read from, in scan order.
const complaintColumns = `id, version, client_id, status, handler, received_at, acknowledge_due, resolve_due,
	requested_value, requested_currency, doc`

// createComplaintSQL stores a complaint ($1 id, $2 client, $3..$12 the
// columns of complaintParams.args) and its events ($13), in one statement
// that writes nothing unless the client exists and is live (its row is
// locked FOR SHARE, so a merge either comes first or waits and then moves
// the new complaint with the rest) and the id is free. It returns the
// number of complaints stored.
var createComplaintSQL = `WITH live AS (
	SELECT id FROM crmkit_clients WHERE id = $2 AND merged_into IS NULL FOR SHARE
), ins AS (
	INSERT INTO crmkit_complaints (id, version, client_id, status, handler, received_at, acknowledge_due, resolve_due,
		requested_value, requested_currency, doc, on_hold, held_since)
	SELECT $1, 1, live.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM live
	ON CONFLICT (id) DO NOTHING
	RETURNING id
), ` + eventsCTE(13, "ins") + `
SELECT count(*) FROM ins`

// updateComplaintSQL replaces a complaint at version $2 of client $3
// ($4..$13 the columns) and stores the events ($14), in one statement
// that writes nothing unless the version and the client match and the
// client is live. It returns the number of complaints updated.
var updateComplaintSQL = `WITH live AS (
	SELECT id FROM crmkit_clients WHERE id = $3 AND merged_into IS NULL FOR SHARE
), upd AS (
	UPDATE crmkit_complaints SET version = $2 + 1, status = $4, handler = $5, received_at = $6,
		acknowledge_due = $7, resolve_due = $8, requested_value = $9, requested_currency = $10, doc = $11, on_hold = $12,
		held_since = $13
	WHERE id = $1 AND version = $2 AND client_id = $3 AND EXISTS (SELECT 1 FROM live)
	RETURNING id
), ` + eventsCTE(14, "upd") + `
SELECT count(*) FROM upd`

// moveComplaintsSQL hands the complaints of client $2 to client $1, each
// with its next version (MergeClients).
const moveComplaintsSQL = "UPDATE crmkit_complaints SET client_id = $1, version = version + 1 WHERE client_id = $2"

// complaintDoc is crm.Complaint less its columns (id, version, client_id,
// status, handler, received_at, acknowledge_due, resolve_due, the
// requested value). The on_hold and held_since columns are derived from
// Holds and written beside it, so that overdue listings can tell a
// deadline a hold stopped from one missed before the hold began.
type complaintDoc struct {
	Contact        uuid.UUID            `json:"contact,omitzero"`
	Refs           complaintRefsDoc     `json:"refs,omitzero"`
	Channel        crm.Channel          `json:"channel,omitempty"`
	Subject        string               `json:"subject,omitempty"`
	Description    string               `json:"description,omitempty"`
	Severity       crm.Severity         `json:"severity,omitempty"`
	RemedyKind     crm.RemedyKind       `json:"remedy_kind,omitempty"`
	StatusLog      []complaintStepDoc   `json:"status_log,omitempty"`
	DuplicateOf    uuid.UUID            `json:"duplicate_of,omitzero"`
	Resolution     *resolutionDoc       `json:"resolution,omitempty"`
	SLAAcknowledge int64                `json:"sla_acknowledge_ns,omitempty"`
	SLAResolve     int64                `json:"sla_resolve_ns,omitempty"`
	SLAZone        string               `json:"sla_zone,omitempty"`
	AcknowledgedAt time.Time            `json:"acknowledged_at,omitzero"`
	ResolvedAt     time.Time            `json:"resolved_at,omitzero"`
	ClosedAt       time.Time            `json:"closed_at,omitzero"`
	Holds          []holdDoc            `json:"holds,omitempty"`
	Suggestion     *suggestionDoc       `json:"suggestion,omitempty"`
	RootCause      *rootCauseDoc        `json:"root_cause,omitempty"`
	Whys           []string             `json:"whys,omitempty"`
	Responsible    crm.ResponsibleParty `json:"responsible,omitempty"`
	Actions        []actionDoc          `json:"actions,omitempty"`
	Compensations  []compensationDoc    `json:"compensations,omitempty"`
	CreatedAt      time.Time            `json:"created_at,omitzero"`
	CreatedBy      uuid.UUID            `json:"created_by,omitzero"`
	UpdatedAt      time.Time            `json:"updated_at,omitzero"`
	UpdatedBy      uuid.UUID            `json:"updated_by,omitzero"`
}

type complaintRefsDoc struct {
	Order        string           `json:"order,omitempty"`
	Invoice      string           `json:"invoice,omitempty"`
	DocumentKind crm.DocumentKind `json:"document_kind,omitempty"`
	Document     string           `json:"document,omitempty"`
	DocumentDate string           `json:"document_date,omitempty"`
	SKU          string           `json:"sku,omitempty"`
	Batch        string           `json:"batch,omitempty"`
	Quantity     string           `json:"quantity,omitempty"`
	Unit         string           `json:"unit,omitempty"`
}

type complaintStepDoc struct {
	From       crm.ComplaintStatus `json:"from,omitempty"`
	To         crm.ComplaintStatus `json:"to,omitempty"`
	At         time.Time           `json:"at,omitzero"`
	By         uuid.UUID           `json:"by,omitzero"`
	OnBehalfOf uuid.UUID           `json:"on_behalf_of,omitzero"`
	Reason     string              `json:"reason,omitempty"`
}

type holdDoc struct {
	From       time.Time `json:"from,omitzero"`
	To         time.Time `json:"to,omitzero"`
	Reason     string    `json:"reason,omitempty"`
	By         uuid.UUID `json:"by,omitzero"`
	OnBehalfOf uuid.UUID `json:"on_behalf_of,omitzero"`
	PausedNS   int64     `json:"paused_ns,omitempty"`
	ResumedBy  uuid.UUID `json:"resumed_by,omitzero"`
	ResumeNote string    `json:"resume_note,omitempty"`
}

// amountDoc is a money.Amount in a document: every digit, and the code.
type amountDoc struct {
	Value    string `json:"value"`
	Currency string `json:"currency"`
}

type resolutionDoc struct {
	Outcome    crm.ResolutionOutcome `json:"outcome,omitempty"`
	RemedyKind crm.RemedyKind        `json:"remedy_kind,omitempty"`
	Value      *amountDoc            `json:"value,omitempty"`
	Reason     string                `json:"reason,omitempty"`
	At         time.Time             `json:"at,omitzero"`
	By         uuid.UUID             `json:"by,omitzero"`
}

type suggestionDoc struct {
	Code        string             `json:"code,omitempty"`
	Confidence  float64            `json:"confidence,omitempty"`
	NeedsReview bool               `json:"needs_review,omitempty"`
	Evidence    []evidenceDoc      `json:"evidence,omitempty"`
	Others      []suggestedCodeDoc `json:"others,omitempty"`
	At          time.Time          `json:"at,omitzero"`
	By          uuid.UUID          `json:"by,omitzero"`
}

type evidenceDoc struct {
	Kind   string  `json:"kind,omitempty"`
	Text   string  `json:"text,omitempty"`
	Weight float64 `json:"weight,omitempty"`
}

type suggestedCodeDoc struct {
	Code       string  `json:"code,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
}

type rootCauseDoc struct {
	Code       string    `json:"code,omitempty"`
	Text       string    `json:"text,omitempty"`
	Suggested  string    `json:"suggested,omitempty"`
	Agrees     bool      `json:"agrees,omitempty"`
	At         time.Time `json:"at,omitzero"`
	By         uuid.UUID `json:"by,omitzero"`
	OnBehalfOf uuid.UUID `json:"on_behalf_of,omitzero"`
}

type actionDoc struct {
	ID          uuid.UUID      `json:"id,omitzero"`
	Kind        crm.ActionKind `json:"kind,omitempty"`
	Description string         `json:"description,omitempty"`
	Owner       uuid.UUID      `json:"owner,omitzero"`
	Due         string         `json:"due,omitempty"`
	DoneAt      time.Time      `json:"done_at,omitzero"`
	DoneBy      uuid.UUID      `json:"done_by,omitzero"`
	Note        string         `json:"note,omitempty"`
	CreatedAt   time.Time      `json:"created_at,omitzero"`
	CreatedBy   uuid.UUID      `json:"created_by,omitzero"`
}

type compensationDoc struct {
	ID        uuid.UUID            `json:"id,omitzero"`
	Kind      crm.CompensationKind `json:"kind,omitempty"`
	Amount    *amountDoc           `json:"amount,omitempty"`
	Reference string               `json:"reference,omitempty"`
	LinkedID  uuid.UUID            `json:"linked_id,omitzero"`
	Note      string               `json:"note,omitempty"`
	At        time.Time            `json:"at,omitzero"`
	By        uuid.UUID            `json:"by,omitzero"`
}

func toAmountDoc(a money.Amount) *amountDoc {
	if a.Currency().IsZero() {
		return nil
	}
	return &amountDoc{Value: exactDecimal(a.Decimal()), Currency: a.Currency().Code()}
}

func fromAmountDoc(d *amountDoc) (money.Amount, error) {
	if d == nil {
		return money.Amount{}, nil
	}
	v, err := parseExact(d.Value)
	if err != nil {
		return money.Amount{}, err
	}
	c, err := money.ParseCurrency(d.Currency)
	if err != nil {
		return money.Amount{}, err
	}
	return money.FromDecimal(v, c)
}

// complaintParams is a complaint encoded for the statements.
type complaintParams struct {
	status                string
	handler               pgtype.UUID
	received, ackDue, due pgtype.Timestamptz
	value                 pgtype.Numeric
	currency              pgtype.Text
	doc                   []byte
	onHold                bool
	heldSince             pgtype.Timestamptz // the current hold's start; NULL when not on hold
}

// args returns the column parameters in statement order.
func (p *complaintParams) args() []any {
	return []any{p.status, p.handler, p.received, p.ackDue, p.due, p.value, p.currency, p.doc, p.onHold, p.heldSince}
}

func encodeComplaint(c *crm.Complaint) (*complaintParams, error) {
	if c.ID == uuid.Nil {
		return nil, fmt.Errorf("%w: complaint has no id", ErrInvalid)
	}
	if c.ReceivedAt.IsZero() {
		return nil, fmt.Errorf("%w: complaint %s has no ReceivedAt", ErrInvalid, c.ID)
	}
	doc := complaintDoc{
		Contact: c.Contact, Channel: c.Channel, Subject: c.Subject, Description: c.Description, Severity: c.Severity,
		RemedyKind: c.Requested.Kind, DuplicateOf: c.DuplicateOf,
		SLAAcknowledge: int64(c.SLA.Acknowledge), SLAResolve: int64(c.SLA.Resolve), SLAZone: c.SLAZone,
		AcknowledgedAt: instant(c.AcknowledgedAt), ResolvedAt: instant(c.ResolvedAt), ClosedAt: instant(c.ClosedAt),
		Whys: c.Whys, Responsible: c.Responsible,
		CreatedAt: instant(c.CreatedAt), CreatedBy: c.CreatedBy, UpdatedAt: instant(c.UpdatedAt), UpdatedBy: c.UpdatedBy,
		Refs: complaintRefsDoc{Order: c.Refs.Order, Invoice: c.Refs.Invoice, DocumentKind: c.Refs.DocumentKind,
			Document: c.Refs.Document, DocumentDate: dateText(c.Refs.DocumentDate), SKU: c.Refs.SKU, Batch: c.Refs.Batch,
			Unit: c.Refs.Unit},
	}
	if !c.Refs.Quantity.IsZero() {
		doc.Refs.Quantity = exactDecimal(c.Refs.Quantity)
	}
	for _, st := range c.StatusLog {
		doc.StatusLog = append(doc.StatusLog, complaintStepDoc{From: st.From, To: st.To, At: instant(st.At), By: st.By,
			OnBehalfOf: st.OnBehalfOf, Reason: st.Reason})
	}
	for _, h := range c.Holds {
		doc.Holds = append(doc.Holds, holdDoc{From: instant(h.From), To: instant(h.To), Reason: h.Reason, By: h.By,
			OnBehalfOf: h.OnBehalfOf, PausedNS: int64(h.Paused), ResumedBy: h.ResumedBy, ResumeNote: h.ResumeNote})
	}
	if r := c.Resolution; r != nil {
		doc.Resolution = &resolutionDoc{Outcome: r.Outcome, RemedyKind: r.Remedy.Kind, Value: toAmountDoc(r.Remedy.Value),
			Reason: r.Reason, At: instant(r.At), By: r.By}
	}
	if sg := c.Suggestion; sg != nil {
		d := &suggestionDoc{Code: sg.Code, Confidence: sg.Confidence, NeedsReview: sg.NeedsReview, At: instant(sg.At), By: sg.By}
		for _, e := range sg.Evidence {
			d.Evidence = append(d.Evidence, evidenceDoc(e))
		}
		for _, o := range sg.Others {
			d.Others = append(d.Others, suggestedCodeDoc(o))
		}
		doc.Suggestion = d
	}
	if rc := c.RootCause; rc != nil {
		doc.RootCause = &rootCauseDoc{Code: rc.Code, Text: rc.Text, Suggested: rc.Suggested, Agrees: rc.AgreesWithSuggestion, At: instant(rc.At),
			By: rc.By, OnBehalfOf: rc.OnBehalfOf}
	}
	for _, a := range c.Actions {
		doc.Actions = append(doc.Actions, actionDoc{ID: a.ID, Kind: a.Kind, Description: a.Description, Owner: a.Owner,
			Due: dateText(a.Due), DoneAt: instant(a.DoneAt), DoneBy: a.DoneBy, Note: a.Note,
			CreatedAt: instant(a.CreatedAt), CreatedBy: a.CreatedBy})
	}
	for _, k := range c.Compensations {
		doc.Compensations = append(doc.Compensations, compensationDoc{ID: k.ID, Kind: k.Kind, Amount: toAmountDoc(k.Amount),
			Reference: k.Reference, LinkedID: k.LinkedID, Note: k.Note, At: instant(k.At), By: k.By})
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: complaint %s cannot be encoded: %v", ErrInvalid, c.ID, err)
	}
	p := &complaintParams{
		status:   string(c.Status),
		handler:  nullUUID(c.Handler),
		received: tstz(c.ReceivedAt),
		ackDue:   tstz(c.AcknowledgeDue),
		due:      tstz(c.ResolveDue),
		doc:      raw,
		onHold:   c.OnHold(),
	}
	if h, held := c.Hold(); held {
		p.heldSince = tstz(h.From)
	}
	p.value, p.currency = amountColumns(c.Requested.Value)
	return p, nil
}

func decodeComplaintDoc(data []byte, c *crm.Complaint) error {
	var doc complaintDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	var err error
	c.Contact, c.Channel, c.Subject, c.Description, c.Severity = doc.Contact, doc.Channel, doc.Subject, doc.Description, doc.Severity
	c.Requested.Kind, c.DuplicateOf = doc.RemedyKind, doc.DuplicateOf
	c.SLA = crm.SLATerms{Acknowledge: time.Duration(doc.SLAAcknowledge), Resolve: time.Duration(doc.SLAResolve)}
	c.SLAZone = doc.SLAZone
	c.AcknowledgedAt, c.ResolvedAt, c.ClosedAt = readInstant(doc.AcknowledgedAt), readInstant(doc.ResolvedAt), readInstant(doc.ClosedAt)
	c.Whys, c.Responsible = doc.Whys, doc.Responsible
	c.CreatedAt, c.CreatedBy, c.UpdatedAt, c.UpdatedBy = readInstant(doc.CreatedAt), doc.CreatedBy, readInstant(doc.UpdatedAt), doc.UpdatedBy
	r := doc.Refs
	c.Refs = crm.ComplaintRefs{Order: r.Order, Invoice: r.Invoice, DocumentKind: r.DocumentKind, Document: r.Document,
		SKU: r.SKU, Batch: r.Batch, Unit: r.Unit}
	if c.Refs.DocumentDate, err = parseDateText(r.DocumentDate); err != nil {
		return err
	}
	if r.Quantity != "" {
		if c.Refs.Quantity, err = parseExact(r.Quantity); err != nil {
			return err
		}
	}
	for _, st := range doc.StatusLog {
		c.StatusLog = append(c.StatusLog, crm.ComplaintStatusChange{From: st.From, To: st.To, At: readInstant(st.At),
			By: st.By, OnBehalfOf: st.OnBehalfOf, Reason: st.Reason})
	}
	for _, h := range doc.Holds {
		c.Holds = append(c.Holds, crm.ComplaintHold{From: readInstant(h.From), To: readInstant(h.To), Reason: h.Reason, By: h.By,
			OnBehalfOf: h.OnBehalfOf, Paused: time.Duration(h.PausedNS), ResumedBy: h.ResumedBy, ResumeNote: h.ResumeNote})
	}
	if rd := doc.Resolution; rd != nil {
		res := &crm.Resolution{Outcome: rd.Outcome, Remedy: crm.Remedy{Kind: rd.RemedyKind}, Reason: rd.Reason, At: readInstant(rd.At), By: rd.By}
		if res.Remedy.Value, err = fromAmountDoc(rd.Value); err != nil {
			return err
		}
		c.Resolution = res
	}
	if sd := doc.Suggestion; sd != nil {
		sg := &crm.RootCauseSuggestion{Code: sd.Code, Confidence: sd.Confidence, NeedsReview: sd.NeedsReview, At: readInstant(sd.At), By: sd.By}
		for _, e := range sd.Evidence {
			sg.Evidence = append(sg.Evidence, crm.SuggestionEvidence(e))
		}
		for _, o := range sd.Others {
			sg.Others = append(sg.Others, crm.SuggestedCode(o))
		}
		c.Suggestion = sg
	}
	if rc := doc.RootCause; rc != nil {
		c.RootCause = &crm.RootCause{Code: rc.Code, Text: rc.Text, Suggested: rc.Suggested, AgreesWithSuggestion: rc.Agrees, At: readInstant(rc.At),
			By: rc.By, OnBehalfOf: rc.OnBehalfOf}
	}
	for _, a := range doc.Actions {
		due, err := parseDateText(a.Due)
		if err != nil {
			return err
		}
		c.Actions = append(c.Actions, crm.ComplaintAction{ID: a.ID, Kind: a.Kind, Description: a.Description, Owner: a.Owner,
			Due: due, DoneAt: readInstant(a.DoneAt), DoneBy: a.DoneBy, Note: a.Note, CreatedAt: readInstant(a.CreatedAt), CreatedBy: a.CreatedBy})
	}
	for _, k := range doc.Compensations {
		amt, err := fromAmountDoc(k.Amount)
		if err != nil {
			return err
		}
		c.Compensations = append(c.Compensations, crm.Compensation{ID: k.ID, Kind: k.Kind, Amount: amt, Reference: k.Reference,
			LinkedID: k.LinkedID, Note: k.Note, At: readInstant(k.At), By: k.By})
	}
	return nil
}

func scanComplaint(row pgx.Row) (crm.Complaint, error) {
	var c crm.Complaint
	var version int64
	var status string
	var handler pgtype.UUID
	var received time.Time
	var ackDue, due pgtype.Timestamptz
	var value pgtype.Numeric
	var currency pgtype.Text
	var doc []byte
	if err := row.Scan((*pgid)(&c.ID), &version, (*pgid)(&c.ClientID), &status, &handler, &received, &ackDue, &due,
		&value, &currency, &doc); err != nil {
		return crm.Complaint{}, err
	}
	c.Version, c.Status, c.Handler = store.Version(version), crm.ComplaintStatus(status), fromNullUUID(handler)
	c.ReceivedAt, c.AcknowledgeDue, c.ResolveDue = readInstant(received), fromTstz(ackDue), fromTstz(due)
	if err := decodeComplaintDoc(doc, &c); err != nil {
		return crm.Complaint{}, corrupt("complaint", c.ID, err)
	}
	v, err := amountFrom(value, currency)
	if err != nil {
		return crm.Complaint{}, corrupt("complaint", c.ID, err)
	}
	c.Requested.Value = v
	return c, nil
}

// countOne is the callback of a statement returning the number of rows
// it wrote, which must be one.
func countOne(row pgx.Row) error {
	var n int
	if err := row.Scan(&n); err != nil {
		return err
	}
	if n != 1 {
		return errNotUpdated
	}
	return nil
}

// CreateComplaint stores a new complaint with version 1 and its events,
// in one statement. c.Version must be store.NoVersion (else
// store.ErrConflict). The client must exist (else store.ErrNotFound) and
// be live (else store.ErrConflict); a taken complaint or event id is
// store.ErrDuplicate.
func (s *Store) CreateComplaint(ctx context.Context, c crm.Complaint, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := encodeComplaint(&c)
	if err != nil {
		return err
	}
	if c.Version != store.NoVersion {
		return store.Conflict("complaint", c.ID.String())
	}
	evs, err := encodeEvents(events)
	if err != nil {
		return err
	}
	args := append([]any{pgid(c.ID), pgid(c.ClientID)}, p.args()...)
	args = append(args, evs)
	err = s.write(ctx, "create complaint", func(b *pgx.Batch) {
		b.Queue(createComplaintSQL, args...).QueryRow(countOne)
	})
	if !errors.Is(err, errNotUpdated) {
		return err
	}
	// Nothing was written: the client is unknown or merged, or the id is taken.
	var merged pgtype.UUID
	err = s.reader().QueryRow(ctx, "SELECT merged_into FROM crmkit_clients WHERE id = $1", pgid(c.ClientID)).Scan(&merged)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return store.NotFound("client", c.ClientID.String())
	case err != nil:
		return translate(ctx, "create complaint", err)
	case merged.Valid:
		return store.Conflict("client", c.ClientID.String())
	}
	var taken bool
	if err := s.reader().QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM crmkit_complaints WHERE id = $1)", pgid(c.ID)).Scan(&taken); err != nil {
		return translate(ctx, "create complaint", err)
	}
	if taken {
		return store.Duplicate("complaint", "id", c.ID.String())
	}
	// The client was merged and the merge rolled back meanwhile, or the
	// like: reading again resolves it.
	return store.Conflict("client", c.ClientID.String())
}

// GetComplaint returns the complaint.
func (s *Store) GetComplaint(ctx context.Context, id uuid.UUID) (crm.Complaint, error) {
	return getByID(ctx, s, "complaint", "SELECT "+complaintColumns+" FROM crmkit_complaints WHERE id = $1", id, scanComplaint)
}

// UpdateComplaint replaces the complaint if c.Version is the stored
// version (else store.ErrConflict), storing c.Version.Next(), and appends
// the events, in one statement that writes nothing unless the version
// matched. A c whose ClientID differs from the stored one is refused with
// an error wrapping ErrInvalid.
func (s *Store) UpdateComplaint(ctx context.Context, c crm.Complaint, events []crm.Event) error {
	return s.UpdateComplaints(ctx, []crm.Complaint{c}, events)
}

// UpdateComplaints replaces every complaint of cs, each only if its
// Version is the stored version, and appends the events, in one
// transaction: if any complaint is missing (store.ErrNotFound), stale
// (store.ErrConflict), moved to another client or listed twice (errors
// wrapping ErrInvalid), nothing is written. The rows are updated in id
// order, so two writes sharing complaints lock them in the same order.
func (s *Store) UpdateComplaints(ctx context.Context, cs []crm.Complaint, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(cs) == 0 {
		return fmt.Errorf("%w: UpdateComplaints needs at least one complaint", ErrInvalid)
	}
	order := make([]int, len(cs))
	for i := range cs {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(cs[a].ID[:], cs[b].ID[:]) })
	args := make([][]any, len(cs))
	for k, i := range order {
		c := &cs[i]
		if k > 0 && cs[order[k-1]].ID == c.ID {
			return fmt.Errorf("%w: UpdateComplaints lists complaint %s twice", ErrInvalid, c.ID)
		}
		p, err := encodeComplaint(c)
		if err != nil {
			return err
		}
		var evs []crm.Event
		if k == 0 {
			evs = events
		}
		enc, err := encodeEvents(evs)
		if err != nil {
			return err
		}
		a := append([]any{pgid(c.ID), int64(c.Version), pgid(c.ClientID)}, p.args()...)
		args[k] = append(a, enc)
	}
	err := s.write(ctx, "update complaint", func(b *pgx.Batch) {
		for _, a := range args {
			b.Queue(updateComplaintSQL, a...).QueryRow(countOne)
		}
	})
	if !errors.Is(err, errNotUpdated) {
		return err
	}
	// Say which complaint stood in the way.
	for _, i := range order {
		c := &cs[i]
		var version int64
		var client pgid
		err = s.reader().QueryRow(ctx, "SELECT version, client_id FROM crmkit_complaints WHERE id = $1", pgid(c.ID)).Scan(&version, &client)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return store.NotFound("complaint", c.ID.String())
		case err != nil:
			return translate(ctx, "update complaint", err)
		case store.Version(version) != c.Version:
			return store.Conflict("complaint", c.ID.String())
		case uuid.UUID(client) != c.ClientID:
			return fmt.Errorf("%w: UpdateComplaint cannot move complaint %s from client %s to %s", ErrInvalid, c.ID, uuid.UUID(client), c.ClientID)
		}
	}
	// The client was merged meanwhile, or the like: reading again
	// resolves it.
	return store.Conflict("complaint", cs[order[0]].ID.String())
}

// ListComplaints streams the complaints f matches (crm.ComplaintFilter.
// Match, expressed in SQL), ordered by ReceivedAt, then id, after p.After
// in p.Order, reading 200 at a time.
func (s *Store) ListComplaints(ctx context.Context, f crm.ComplaintFilter, p store.Page) iter.Seq2[crm.Complaint, error] {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.ClientID != uuid.Nil {
		where = append(where, "client_id = "+arg(pgid(f.ClientID)))
	}
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, x := range f.Statuses {
			st[i] = string(x)
		}
		where = append(where, "status = ANY("+arg(st)+"::text[])")
	}
	if !f.OverdueAt.IsZero() {
		// Stored deadlines are whole microseconds: due < asOf exactly when
		// due < asOf rounded up to the microsecond.
		t := arg(ceilMicro(f.OverdueAt))
		// A hold stops only the deadlines still ahead when it began
		// (crm.Complaint.OverdueAt).
		where = append(where, "((status = 'received' AND acknowledge_due < "+t+
			" AND (held_since IS NULL OR held_since > acknowledge_due))"+
			" OR (status IN ('received', 'acknowledged', 'investigating') AND resolve_due < "+t+
			" AND (held_since IS NULL OR held_since > resolve_due)))")
	}
	if f.Handler != uuid.Nil {
		where = append(where, "handler = "+arg(pgid(f.Handler)))
	}
	if len(where) == 0 {
		where = append(where, "true")
	}
	base := len(args)
	sel := "SELECT " + complaintColumns + " FROM crmkit_complaints WHERE " + strings.Join(where, " AND ")
	return listing(ctx, s, "list complaints", p, crm.Complaint.Cursor,
		func(ctx context.Context, q querier, cur store.Cursor, n int) ([]crm.Complaint, error) {
			sql, args := receivedPage(sel, args[:base:base], cur, p.Order, n)
			rows, err := q.Query(ctx, sql, args...)
			return collect(rows, err, n, func(r pgx.Rows) (crm.Complaint, error) { return scanComplaint(r) })
		})
}

// receivedPage completes a query of complaints listed by (received_at,
// id), as timePage does for (at, id).
func receivedPage(sel string, args []any, cur store.Cursor, o store.Order, n int) (string, []any) {
	var b strings.Builder
	b.WriteString(sel)
	dir, op := "ASC", ">"
	if o == store.Descending {
		dir, op = "DESC", "<"
	}
	if !cur.IsZero() {
		at, id := keysetBound(cur, o)
		args = append(args, at, pgid(id))
		fmt.Fprintf(&b, " AND (received_at, id) %s ($%d, $%d)", op, len(args)-1, len(args))
	}
	args = append(args, n)
	fmt.Fprintf(&b, " ORDER BY received_at %s, id %s LIMIT $%d", dir, dir, len(args))
	return b.String(), args
}
