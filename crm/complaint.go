package crm

import (
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// ComplaintStatus is where a complaint stands in the complaint-handling
// process of ISO 10002.
type ComplaintStatus string

// Complaint statuses. The moves allowed between them:
//
//	received      → acknowledged, rejected, duplicate
//	acknowledged  → investigating, rejected, duplicate
//	investigating → resolved, duplicate
//	resolved      → closed, investigating (reopened: the client disagrees)
//	closed, rejected, duplicate: final
//
// Resolved carries a Resolution: the remedy granted (in full or in part)
// or refused with a reason. Rejected is a complaint not taken up at all
// (out of scope, not a claim); Duplicate points at the complaint it
// repeats.
const (
	ComplaintReceived      ComplaintStatus = "received"
	ComplaintAcknowledged  ComplaintStatus = "acknowledged"
	ComplaintInvestigating ComplaintStatus = "investigating"
	ComplaintResolved      ComplaintStatus = "resolved"
	ComplaintClosed        ComplaintStatus = "closed"
	ComplaintRejected      ComplaintStatus = "rejected"
	ComplaintDuplicate     ComplaintStatus = "duplicate"
)

var complaintStatuses = newEnum(
	ev(ComplaintReceived, "received", "получена"),
	ev(ComplaintAcknowledged, "acknowledged", "подтверждено получение"),
	ev(ComplaintInvestigating, "investigating", "на рассмотрении"),
	ev(ComplaintResolved, "resolved", "решена"),
	ev(ComplaintClosed, "closed", "закрыта"),
	ev(ComplaintRejected, "rejected", "отклонена"),
	ev(ComplaintDuplicate, "duplicate", "дубликат"),
)

var complaintMoves = map[ComplaintStatus][]ComplaintStatus{
	ComplaintReceived:      {ComplaintAcknowledged, ComplaintRejected, ComplaintDuplicate},
	ComplaintAcknowledged:  {ComplaintInvestigating, ComplaintRejected, ComplaintDuplicate},
	ComplaintInvestigating: {ComplaintResolved, ComplaintDuplicate},
	ComplaintResolved:      {ComplaintClosed, ComplaintInvestigating},
}

// Valid reports whether s is a defined status.
func (s ComplaintStatus) Valid() bool { return complaintStatuses.valid(s) }

// Name returns the status's name in the language of tag.
func (s ComplaintStatus) Name(tag string) string { return complaintStatuses.name(s, tag) }

// Next returns the statuses a complaint may move to from s.
func (s ComplaintStatus) Next() []ComplaintStatus { return slices.Clone(complaintMoves[s]) }

// Open reports whether a complaint in status s still awaits a resolution:
// received, acknowledged or investigating.
func (s ComplaintStatus) Open() bool {
	return s == ComplaintReceived || s == ComplaintAcknowledged || s == ComplaintInvestigating
}

// Final reports whether no move leads out of s.
func (s ComplaintStatus) Final() bool { return s.Valid() && len(complaintMoves[s]) == 0 }

// CanMoveComplaint reports whether a complaint may move from one status to
// another.
func CanMoveComplaint(from, to ComplaintStatus) bool {
	return slices.Contains(complaintMoves[from], to)
}

// Severity is how serious a complaint is; it selects the SLA terms.
type Severity string

// Severities.
const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

var severities = newEnum(
	ev(SeverityLow, "low", "низкая"),
	ev(SeverityMedium, "medium", "средняя"),
	ev(SeverityHigh, "high", "высокая"),
	ev(SeverityCritical, "critical", "критическая"),
)

// Valid reports whether s is a defined severity.
func (s Severity) Valid() bool { return severities.valid(s) }

// Name returns the severity's name in the language of tag.
func (s Severity) Name(tag string) string { return severities.name(s, tag) }

// RemedyKind is what a client asks for, or is granted, to settle a
// complaint.
type RemedyKind string

// Remedies.
const (
	RemedyReplacement RemedyKind = "replacement"
	RemedyRefund      RemedyKind = "refund"
	RemedyDiscount    RemedyKind = "discount"
	RemedyRepair      RemedyKind = "repair"
	RemedyReturn      RemedyKind = "return"
)

var remedyKinds = newEnum(
	ev(RemedyReplacement, "replacement", "замена товара"),
	ev(RemedyRefund, "refund", "возврат денег"),
	ev(RemedyDiscount, "discount", "скидка"),
	ev(RemedyRepair, "repair", "ремонт"),
	ev(RemedyReturn, "return", "возврат товара"),
)

// Valid reports whether k is a defined remedy.
func (k RemedyKind) Valid() bool { return remedyKinds.valid(k) }

// Name returns the remedy's name in the language of tag.
func (k RemedyKind) Name(tag string) string { return remedyKinds.name(k, tag) }

// Remedy is a remedy with its value (zero when not stated).
type Remedy struct {
	Kind  RemedyKind
	Value money.Amount
}

// DocumentKind is the kind of a shipping document.
type DocumentKind string

// Shipping document kinds.
const (
	DocumentUPD     DocumentKind = "upd"     // универсальный передаточный документ (УПД)
	DocumentTORG12  DocumentKind = "torg12"  // товарная накладная ТОРГ-12
	DocumentTTN     DocumentKind = "ttn"     // транспортная накладная
	DocumentWaybill DocumentKind = "waybill" // a foreign waybill or delivery note
	DocumentOther   DocumentKind = "other"
)

var documentKinds = newEnum(
	ev(DocumentUPD, "UPD", "УПД"),
	ev(DocumentTORG12, "TORG-12", "ТОРГ-12"),
	ev(DocumentTTN, "consignment note", "транспортная накладная"),
	ev(DocumentWaybill, "waybill", "накладная"),
	ev(DocumentOther, "other document", "другой документ"),
)

// Valid reports whether k is a defined kind.
func (k DocumentKind) Valid() bool { return documentKinds.valid(k) }

// Name returns the kind's name in the language of tag.
func (k DocumentKind) Name(tag string) string { return documentKinds.name(k, tag) }

// ComplaintRefs are what a complaint is about: the order, the invoice,
// the shipping document, the article and batch, and how much of it.
// Every field is optional.
type ComplaintRefs struct {
	Order        string       // the order number
	Invoice      string       // the invoice number
	DocumentKind DocumentKind // the shipping document's kind (УПД, ТОРГ-12, ...)
	Document     string       // the shipping document's number
	DocumentDate Date         // the shipping document's date
	SKU          string       // the article
	Batch        string       // the batch or lot
	Quantity     decimal.Decimal
	Unit         string // "шт", "кг", "pcs"
}

// ResponsibleParty is who answers for a complaint's cause. The values
// match rootcause's parties, so a confirmed category's usual party can be
// taken as is.
type ResponsibleParty string

// Responsible parties.
const (
	PartySupplier   ResponsibleParty = "supplier"
	PartyProduction ResponsibleParty = "production"
	PartyWarehouse  ResponsibleParty = "warehouse"
	PartyCarrier    ResponsibleParty = "carrier"
	PartySales      ResponsibleParty = "sales"
	PartyBilling    ResponsibleParty = "billing"
	PartyCustomer   ResponsibleParty = "customer"
)

var responsibleParties = newEnum(
	ev(PartySupplier, "supplier", "поставщик"),
	ev(PartyProduction, "production", "производство"),
	ev(PartyWarehouse, "warehouse", "склад"),
	ev(PartyCarrier, "carrier", "перевозчик"),
	ev(PartySales, "sales", "отдел продаж"),
	ev(PartyBilling, "billing", "бухгалтерия / выставление счетов"),
	ev(PartyCustomer, "customer", "клиент"),
)

// Valid reports whether p is a defined party.
func (p ResponsibleParty) Valid() bool { return responsibleParties.valid(p) }

// Name returns the party's name in the language of tag.
func (p ResponsibleParty) Name(tag string) string { return responsibleParties.name(p, tag) }

// ResolutionOutcome is how a resolved complaint was decided.
type ResolutionOutcome string

// Resolution outcomes.
const (
	ResolutionGranted ResolutionOutcome = "granted" // the remedy asked for, or an equal one
	ResolutionPartial ResolutionOutcome = "partial" // part of it
	ResolutionRefused ResolutionOutcome = "refused" // the claim is rejected with a reason
)

var resolutionOutcomes = newEnum(
	ev(ResolutionGranted, "granted", "удовлетворена"),
	ev(ResolutionPartial, "partly granted", "удовлетворена частично"),
	ev(ResolutionRefused, "refused", "отказано"),
)

// Valid reports whether o is a defined outcome.
func (o ResolutionOutcome) Valid() bool { return resolutionOutcomes.valid(o) }

// Name returns the outcome's name in the language of tag.
func (o ResolutionOutcome) Name(tag string) string { return resolutionOutcomes.name(o, tag) }

// Resolution is the decision on a complaint.
type Resolution struct {
	Outcome ResolutionOutcome
	Remedy  Remedy // what was granted; empty when refused
	Reason  string // why: required when refused or partly granted
	At      time.Time
	By      uuid.UUID
}

// RootCauseSuggestion is what the categoriser proposed: the category, its
// confidence, the evidence for it, and the runners-up.
type RootCauseSuggestion struct {
	Code        string
	Confidence  float64 // 0–1
	NeedsReview bool    // the confidence is below the categoriser's threshold
	Evidence    []SuggestionEvidence
	Others      []SuggestedCode // the next categories, most confident first
	At          time.Time
	By          uuid.UUID // who asked for the suggestion
}

// SuggestionEvidence is one reason for a suggestion: a word or phrase of
// the text, a fact, or a model feature.
type SuggestionEvidence struct {
	Kind   string // "term", "fact" or "model"
	Text   string
	Weight float64
}

// SuggestedCode is a category with its confidence.
type SuggestedCode struct {
	Code       string
	Confidence float64
}

// RootCause is the cause a person confirmed: a code from the catalogue
// and free text.
type RootCause struct {
	Code string
	Text string
	// Suggested is the categoriser's best code at the time of confirming
	// ("" when it had not been asked), kept here because categorising
	// again later replaces Complaint.Suggestion; AgreesWithSuggestion is
	// set when Code equals it.
	Suggested            string
	AgreesWithSuggestion bool
	At                   time.Time
	By                   uuid.UUID
	OnBehalfOf           uuid.UUID
}

// ActionKind is the purpose of an action taken on a complaint.
type ActionKind string

// Action kinds.
const (
	ActionImmediate  ActionKind = "immediate"  // contain the problem now (correction)
	ActionCorrective ActionKind = "corrective" // remove the cause of this problem
	ActionPreventive ActionKind = "preventive" // stop it happening elsewhere
)

var actionKinds = newEnum(
	ev(ActionImmediate, "immediate action", "немедленное действие"),
	ev(ActionCorrective, "corrective action", "корректирующее действие"),
	ev(ActionPreventive, "preventive action", "предупреждающее действие"),
)

// Valid reports whether k is a defined kind.
func (k ActionKind) Valid() bool { return actionKinds.valid(k) }

// Name returns the kind's name in the language of tag.
func (k ActionKind) Name(tag string) string { return actionKinds.name(k, tag) }

// ComplaintAction is an action taken on a complaint, with its owner and
// due date, and its completion.
type ComplaintAction struct {
	ID          uuid.UUID
	Kind        ActionKind
	Description string
	Owner       uuid.UUID
	Due         Date
	DoneAt      time.Time // zero while open
	DoneBy      uuid.UUID
	Note        string // what was done
	CreatedAt   time.Time
	CreatedBy   uuid.UUID
}

// Done reports whether the action is completed.
func (a ComplaintAction) Done() bool { return !a.DoneAt.IsZero() }

// Overdue reports whether the action is open past its due date, judged on
// the calendar date of asOf in loc.
func (a ComplaintAction) Overdue(asOf time.Time, loc *time.Location) bool {
	return !a.Done() && !a.Due.IsZero() && a.Due.Compare(DateOf(asOf, loc)) < 0
}

// CompensationKind is how a client was compensated.
type CompensationKind string

// Compensation kinds.
const (
	CompensationCreditNote       CompensationKind = "credit_note"       // корректировочный счёт-фактура / кредит-нота
	CompensationReplacementOrder CompensationKind = "replacement_order" // goods shipped again at no charge
	CompensationRefund           CompensationKind = "refund"
	CompensationDiscount         CompensationKind = "discount" // on a future order
)

var compensationKinds = newEnum(
	ev(CompensationCreditNote, "credit note", "кредит-нота / корректировочный документ"),
	ev(CompensationReplacementOrder, "replacement order", "заказ на замену"),
	ev(CompensationRefund, "refund", "возврат денег"),
	ev(CompensationDiscount, "discount on a future order", "скидка на следующий заказ"),
)

// Valid reports whether k is a defined kind.
func (k CompensationKind) Valid() bool { return compensationKinds.valid(k) }

// Name returns the kind's name in the language of tag.
func (k CompensationKind) Name(tag string) string { return compensationKinds.name(k, tag) }

// Compensation is a credit note, replacement order, refund or discount
// given for a complaint. Reference is the document's number and LinkedID
// the id of the record it became (a credit note, an order) in the host's
// systems or in crm's later settlements and orders, so they can link back
// to the complaint.
type Compensation struct {
	ID        uuid.UUID
	Kind      CompensationKind
	Amount    money.Amount
	Reference string
	LinkedID  uuid.UUID
	Note      string
	At        time.Time
	By        uuid.UUID
}

// ComplaintStatusChange is an entry of a complaint's status log.
type ComplaintStatusChange struct {
	From, To   ComplaintStatus
	At         time.Time
	By         uuid.UUID
	OnBehalfOf uuid.UUID
	Reason     string
}

// ComplaintHold is a span during which the company waits for the client
// (photos, an inspection report, access to the site) and the SLA clock
// stops: helpdesks call it "pending" or "on hold". It is independent of
// the status. While a hold lasts To is zero; when it ends, every deadline
// the complaint still owes moves later by Paused, the business time the
// hold covered on the SLA's working calendar. A deadline met during the
// hold (an acknowledgement sent while waiting for photos) moves only by
// the business time from the hold's start to when it was met, so one
// already breached when the hold began stays breached.
type ComplaintHold struct {
	From       time.Time
	To         time.Time // zero while the hold lasts
	Reason     string    // what the company waits for
	By         uuid.UUID
	OnBehalfOf uuid.UUID
	// Paused is the business time between From and To, set when the hold
	// ends.
	Paused     time.Duration
	ResumedBy  uuid.UUID
	ResumeNote string
}

// Active reports whether the hold still lasts.
func (h ComplaintHold) Active() bool { return h.To.IsZero() }

// SLATerms are how long a complaint may take, in business time.
type SLATerms struct {
	Acknowledge time.Duration // from receipt to acknowledgement
	Resolve     time.Duration // from receipt to resolution
}

// Complaint is a client's claim about goods or service, from receipt to
// closure. Its SLA deadlines are fixed when it is received (and again if
// its severity changes), from the SLA in force then.
type Complaint struct {
	ID       uuid.UUID
	ClientID uuid.UUID
	Contact  uuid.UUID // the client's contact who complained, if known
	Handler  uuid.UUID // who handles it; defaults to the user who recorded it

	Refs        ComplaintRefs
	Channel     Channel
	ReceivedAt  time.Time
	Subject     string
	Description string
	Severity    Severity
	Requested   Remedy

	Status    ComplaintStatus
	StatusLog []ComplaintStatusChange
	// DuplicateOf is, for status duplicate, the earlier complaint this one
	// repeats. It always points at an earlier filing, so duplicates never
	// form a cycle, and a complaint that others duplicate is refused as a
	// duplicate itself, so they form no chain either: the move writes the
	// original with the duplicate (ComplaintStore.UpdateComplaints), so
	// two moves at the same moment cannot both pass that check.
	// ComplaintPareto still follows a chain to the original, for records
	// written before moves did so.
	DuplicateOf uuid.UUID
	Resolution  *Resolution

	// SLA: the terms applied, the zone of the working calendar they were
	// counted in, and the deadlines.
	SLA            SLATerms
	SLAZone        string
	AcknowledgeDue time.Time
	ResolveDue     time.Time
	AcknowledgedAt time.Time // when it first left received
	ResolvedAt     time.Time // when it was resolved, rejected or marked duplicate
	ClosedAt       time.Time
	// Holds are the spans the SLA clock stopped for, oldest first; only
	// the last may still last (see OnHold).
	Holds []ComplaintHold

	Suggestion    *RootCauseSuggestion
	RootCause     *RootCause
	Whys          []string // the five-whys chain, first why first
	Responsible   ResponsibleParty
	Actions       []ComplaintAction
	Compensations []Compensation

	Version   store.Version
	CreatedAt time.Time
	CreatedBy uuid.UUID
	UpdatedAt time.Time
	UpdatedBy uuid.UUID
}

// Cursor returns the complaint's position in a listing (by ReceivedAt,
// then id).
func (c Complaint) Cursor() store.Cursor { return store.Cursor{At: c.ReceivedAt, ID: c.ID} }

// Clone returns a deep copy.
func (c Complaint) Clone() Complaint {
	out := c
	out.StatusLog = slices.Clone(c.StatusLog)
	if c.Resolution != nil {
		r := *c.Resolution
		out.Resolution = &r
	}
	if c.Suggestion != nil {
		s := *c.Suggestion
		s.Evidence = slices.Clone(c.Suggestion.Evidence)
		s.Others = slices.Clone(c.Suggestion.Others)
		out.Suggestion = &s
	}
	if c.RootCause != nil {
		r := *c.RootCause
		out.RootCause = &r
	}
	out.Holds = slices.Clone(c.Holds)
	out.Whys = slices.Clone(c.Whys)
	out.Actions = slices.Clone(c.Actions)
	out.Compensations = slices.Clone(c.Compensations)
	return out
}

// Action returns the action with the id.
func (c Complaint) Action(id uuid.UUID) (ComplaintAction, bool) {
	for _, a := range c.Actions {
		if a.ID == id {
			return a, true
		}
	}
	return ComplaintAction{}, false
}

// Hold returns the hold that still lasts, if any.
func (c Complaint) Hold() (ComplaintHold, bool) {
	if n := len(c.Holds); n > 0 && c.Holds[n-1].Active() {
		return c.Holds[n-1], true
	}
	return ComplaintHold{}, false
}

// OnHold reports whether the complaint is on hold: its SLA clock stopped
// while the company waits for the client.
func (c Complaint) OnHold() bool {
	_, ok := c.Hold()
	return ok
}

// OverdueAt reports whether the complaint has missed a deadline it still
// owes at asOf: acknowledgement while received, resolution while open. A
// hold stops the clock of the deadlines still ahead when it began, so
// they are not overdue while it lasts; a deadline already missed when the
// hold began stays overdue (a hold does not hide a breach).
func (c Complaint) OverdueAt(asOf time.Time) bool {
	h, held := c.Hold()
	missed := func(due time.Time) bool {
		return !due.IsZero() && asOf.After(due) && (!held || h.From.After(due))
	}
	switch {
	case c.Status == ComplaintReceived && missed(c.AcknowledgeDue):
		return true
	case c.Status.Open() && missed(c.ResolveDue):
		return true
	}
	return false
}

// ComplaintFilter selects complaints in a listing. Empty fields select
// all.
type ComplaintFilter struct {
	ClientID uuid.UUID // of this client (after merges, the survivor)
	Statuses []ComplaintStatus
	// OverdueAt selects complaints overdue at this instant (see
	// Complaint.OverdueAt: a hold keeps out only the deadlines still ahead
	// when it began).
	OverdueAt time.Time
	Handler   uuid.UUID
}

// Match reports whether c passes the filter. Stores may use it; a SQL
// store expresses the same rules in its query.
func (f ComplaintFilter) Match(c Complaint) bool {
	switch {
	case f.ClientID != uuid.Nil && c.ClientID != f.ClientID:
		return false
	case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, c.Status):
		return false
	case !f.OverdueAt.IsZero() && !c.OverdueAt(f.OverdueAt):
		return false
	case f.Handler != uuid.Nil && c.Handler != f.Handler:
		return false
	}
	return true
}
