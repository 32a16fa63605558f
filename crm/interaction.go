package crm

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/store"
)

// InteractionKind is how the manager and the client communicated.
type InteractionKind string

// Interaction kinds.
const (
	InteractionCall      InteractionKind = "call"
	InteractionMeeting   InteractionKind = "meeting"
	InteractionVisit     InteractionKind = "visit"
	InteractionEmail     InteractionKind = "email"
	InteractionChat      InteractionKind = "chat"
	InteractionMessenger InteractionKind = "messenger"
	InteractionSocial    InteractionKind = "social"
	InteractionLetter    InteractionKind = "letter"
	InteractionFax       InteractionKind = "fax"
	InteractionNote      InteractionKind = "note"
)

var interactionKinds = newEnum(
	ev(InteractionCall, "call", "звонок"),
	ev(InteractionMeeting, "meeting", "встреча"),
	ev(InteractionVisit, "visit", "визит"),
	ev(InteractionEmail, "e-mail", "электронное письмо"),
	ev(InteractionChat, "chat", "чат"),
	ev(InteractionMessenger, "messenger", "мессенджер"),
	ev(InteractionSocial, "social network", "социальная сеть"),
	ev(InteractionLetter, "letter", "письмо"),
	ev(InteractionFax, "fax", "факс"),
	ev(InteractionNote, "note", "заметка"),
)

// Valid reports whether k is a defined kind.
func (k InteractionKind) Valid() bool { return interactionKinds.valid(k) }

// Name returns the kind's name in the language of tag.
func (k InteractionKind) Name(tag string) string { return interactionKinds.name(k, tag) }

// Direction says who started an interaction.
type Direction string

// Directions. A note has none.
const (
	Inbound  Direction = "inbound"  // the client reached out
	Outbound Direction = "outbound" // the manager reached out
)

// Outcome is what an interaction achieved.
type Outcome string

// Outcomes.
const (
	OutcomeReached           Outcome = "reached"
	OutcomeNoAnswer          Outcome = "no_answer"
	OutcomeCallBack          Outcome = "call_back"
	OutcomeOfferSent         Outcome = "offer_sent"
	OutcomeOrderTaken        Outcome = "order_taken"
	OutcomeComplaintReceived Outcome = "complaint_received"
	OutcomeRefused           Outcome = "refused"
	OutcomeOther             Outcome = "other"
)

var outcomes = newEnum(
	ev(OutcomeReached, "reached", "дозвонились"),
	ev(OutcomeNoAnswer, "no answer", "нет ответа"),
	ev(OutcomeCallBack, "call back", "перезвонить"),
	ev(OutcomeOfferSent, "offer sent", "отправлено предложение"),
	ev(OutcomeOrderTaken, "order taken", "принят заказ"),
	ev(OutcomeComplaintReceived, "complaint received", "получена претензия"),
	ev(OutcomeRefused, "refused", "отказ"),
	ev(OutcomeOther, "other", "другое"),
)

// Valid reports whether o is a defined outcome.
func (o Outcome) Valid() bool { return outcomes.valid(o) }

// Name returns the outcome's name in the language of tag.
func (o Outcome) Name(tag string) string { return outcomes.name(o, tag) }

// NextStep is what was agreed to do next, and by when.
type NextStep struct {
	Action string
	Due    Date
}

// Interaction is one contact with a client: a call, a meeting, a letter.
// Interactions are append-only: a mistake is fixed by a new entry whose
// Corrects points at the one it corrects.
type Interaction struct {
	ID       uuid.UUID
	ClientID uuid.UUID

	Kind      InteractionKind
	Direction Direction
	At        time.Time     // when it happened
	Duration  time.Duration // zero when not measured

	Contacts []uuid.UUID // the client's contacts who took part
	Manager  uuid.UUID   // who had the interaction; defaults to the actor

	Subject  string
	Summary  string
	Outcome  Outcome
	NextStep *NextStep

	Corrects uuid.UUID // the interaction this entry corrects, if any

	RecordedAt time.Time
	RecordedBy uuid.UUID
	OnBehalfOf uuid.UUID // the principal when a deputy recorded it
}

// Cursor returns the interaction's position in a listing (by time, then id).
func (i Interaction) Cursor() store.Cursor { return store.Cursor{At: i.At, ID: i.ID} }

// Reached reports whether the interaction counts as contact for the
// cadence: any kind but a note, with any outcome but "no answer".
func (i Interaction) Reached() bool {
	return i.Kind != InteractionNote && i.Outcome != OutcomeNoAnswer
}

// Clone returns a deep copy.
func (i Interaction) Clone() Interaction {
	out := i
	out.Contacts = slices.Clone(i.Contacts)
	if i.NextStep != nil {
		ns := *i.NextStep
		out.NextStep = &ns
	}
	return out
}
