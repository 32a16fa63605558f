package crm

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// Card is the editable part of a client card: who the counterparty is and
// how to find them. Service.UpdateClient hands a copy to the caller's edit
// function and validates the result as a whole.
type Card struct {
	Kind      ClientKind
	LegalName string // full legal name: ООО «Ромашка»
	ShortName string // how people call it: Ромашка

	// TaxIDs are the counterparty's registration numbers: for Russia INN,
	// KPP, OGRN or OGRNIP, validated by checksum; for other countries kept
	// as given, with the country.
	TaxIDs []taxid.ID

	Addresses []Address
	Website   string
	Industry  string // the host's own industry code or name
	Segment   string // the host's own market segment
	SizeBand  SizeBand

	// Tags are short labels, kept sorted and unique; case is folded.
	Tags []string
	// Attributes are typed custom fields, by key ([a-z0-9_], at most 64).
	Attributes map[string]Attribute

	Source   Source
	Campaign string // the campaign that brought the client, if any

	// DoNotContact and Blocked are manual flags, separate from the
	// lifecycle stage.
	DoNotContact  bool
	Blocked       bool
	BlockedReason string

	// InternalNotes are confidential (ClassInternal).
	InternalNotes string
}

// Client is a counterparty: its card, contacts, owner, tier and lifecycle.
type Client struct {
	ID      uuid.UUID
	Version store.Version

	Card
	Contacts []Contact

	Owner uuid.UUID // the manager responsible for the client

	Tier       Tier
	TierChange Change // who set the tier, when and why

	Stage    Stage
	StageLog []StageChange // every stage change, oldest first
	Lost     *LostInfo     // set while Stage is StageLost

	// Credit is confidential (ClassCredit).
	Credit CreditProfile

	// LastOrderAt is the time of the client's latest order, reported by
	// the host (Service.RecordOrder); it drives the activity policy.
	LastOrderAt time.Time
	// LastContactAt is the time of the latest interaction in force (not
	// superseded by a correction) that reached the client. The store
	// maintains it as interactions are logged and corrected.
	LastContactAt time.Time

	// AcceptedDuplicate is set when the client was created although
	// another client had the same INN, because the caller said so (a
	// branch with its own KPP, for example).
	AcceptedDuplicate bool
	// MergedInto is set on a client merged into another; such a client is
	// a tombstone and its id resolves to the survivor.
	MergedInto uuid.UUID
	// MergedFrom lists the clients merged into this one.
	MergedFrom []uuid.UUID

	// Redacted names the confidential field classes emptied in this copy
	// because the reader may not see them. Never stored.
	Redacted []FieldClass

	CreatedAt time.Time
	CreatedBy uuid.UUID
	UpdatedAt time.Time
	UpdatedBy uuid.UUID
}

// Cursor returns the client's position in a listing (by id).
func (c Client) Cursor() store.Cursor { return store.Cursor{ID: c.ID} }

// IsMerged reports whether the client was merged into another.
func (c Client) IsMerged() bool { return c.MergedInto != uuid.Nil }

// PrimaryContact returns the client's primary contact, if it has contacts.
func (c Client) PrimaryContact() (Contact, bool) {
	for _, ct := range c.Contacts {
		if ct.Primary {
			return ct, true
		}
	}
	return Contact{}, false
}

// Contact returns the contact with the given id.
func (c Client) Contact(id uuid.UUID) (Contact, bool) {
	for _, ct := range c.Contacts {
		if ct.ID == id {
			return ct, true
		}
	}
	return Contact{}, false
}

// TaxID returns the client's first identifier of the given kind.
func (c Card) TaxID(kind taxid.Kind) (taxid.ID, bool) {
	for _, id := range c.TaxIDs {
		if id.Kind == kind {
			return id, true
		}
	}
	return taxid.ID{}, false
}

// Clone returns a deep copy: changing it never changes c. Stores use it
// to hand out and keep copies.
func (c Client) Clone() Client {
	out := c
	out.Card = c.Card.clone()
	out.Contacts = make([]Contact, len(c.Contacts))
	for i, ct := range c.Contacts {
		out.Contacts[i] = ct.clone()
	}
	if c.Contacts == nil {
		out.Contacts = nil
	}
	out.StageLog = slices.Clone(c.StageLog)
	if c.Lost != nil {
		lost := *c.Lost
		out.Lost = &lost
	}
	out.MergedFrom = slices.Clone(c.MergedFrom)
	out.Redacted = slices.Clone(c.Redacted)
	return out
}

func (c Card) clone() Card {
	out := c
	out.TaxIDs = slices.Clone(c.TaxIDs)
	out.Addresses = slices.Clone(c.Addresses)
	out.Tags = slices.Clone(c.Tags)
	out.Attributes = maps.Clone(c.Attributes)
	return out
}

// Change records who made a decision, when and why.
type Change struct {
	By         uuid.UUID
	OnBehalfOf uuid.UUID // the principal when a deputy acted
	At         time.Time
	Reason     string
}

// Address is a postal address. Country is ISO 3166-1 alpha-2.
type Address struct {
	Kind       AddressKind
	Country    string
	PostalCode string
	Region     string
	City       string
	Line       string // street, building, office
	Comment    string
}

// AttrType is the type of a custom attribute.
type AttrType string

// Attribute types.
const (
	AttrText   AttrType = "text"
	AttrNumber AttrType = "number"
	AttrDate   AttrType = "date"
	AttrFlag   AttrType = "flag"
)

// Valid reports whether t is a defined type.
func (t AttrType) Valid() bool {
	return t == AttrText || t == AttrNumber || t == AttrDate || t == AttrFlag
}

// Attribute is a typed custom value. Only the field of its Type is used.
type Attribute struct {
	Type   AttrType
	Text   string
	Number decimal.Decimal
	Date   Date
	Flag   bool
}

// TextAttr builds a text attribute; NumberAttr, DateAttr and FlagAttr
// build the other kinds.
func TextAttr(s string) Attribute { return Attribute{Type: AttrText, Text: s} }

// NumberAttr builds a number attribute.
func NumberAttr(d decimal.Decimal) Attribute { return Attribute{Type: AttrNumber, Number: d} }

// DateAttr builds a date attribute.
func DateAttr(d Date) Attribute { return Attribute{Type: AttrDate, Date: d} }

// FlagAttr builds a flag attribute.
func FlagAttr(b bool) Attribute { return Attribute{Type: AttrFlag, Flag: b} }

// Equal reports whether two attributes have the same type and value.
func (a Attribute) Equal(b Attribute) bool {
	if a.Type != b.Type {
		return false
	}
	switch a.Type {
	case AttrText:
		return a.Text == b.Text
	case AttrNumber:
		return a.Number.Equal(b.Number)
	case AttrDate:
		return a.Date == b.Date
	case AttrFlag:
		return a.Flag == b.Flag
	}
	return true
}

// CreditProfile is the confidential credit data on a card. The credit
// package computes scores and limits; this is what the card shows.
type CreditProfile struct {
	Limit      money.Amount
	Rating     string
	Note       string
	ReviewedAt time.Time
	ReviewedBy uuid.UUID
}

// IsZero reports whether no credit data is recorded.
func (p CreditProfile) IsZero() bool {
	return p.Limit.IsZero() && p.Limit.Currency().IsZero() && p.Rating == "" && p.Note == "" &&
		p.ReviewedAt.IsZero() && p.ReviewedBy == uuid.Nil
}

// Contact is a person at the client.
type Contact struct {
	ID         uuid.UUID
	LastName   string
	FirstName  string
	MiddleName string // patronymic (отчество)
	Position   string
	BuyingRole BuyingRole
	Birthday   Birthday

	Emails     []string // validated, folded to lower case
	Phones     []string // E.164, such as +79161234567
	Messengers []Messenger

	PreferredChannel Channel
	DoNotContact     bool
	Primary          bool
}

// FullName returns "Last First Middle", skipping empty parts.
func (c Contact) FullName() string {
	name := ""
	for _, part := range []string{c.LastName, c.FirstName, c.MiddleName} {
		if part == "" {
			continue
		}
		if name != "" {
			name += " "
		}
		name += part
	}
	return name
}

func (c Contact) clone() Contact {
	out := c
	out.Emails = slices.Clone(c.Emails)
	out.Phones = slices.Clone(c.Phones)
	out.Messengers = slices.Clone(c.Messengers)
	return out
}

// Messenger is a handle on a messaging service.
type Messenger struct {
	Kind   MessengerKind
	Handle string
}
