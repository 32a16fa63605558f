package postgres

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// The jsonb documents. Each record keeps in columns what the store
// filters, orders or checks on, and the rest in a document whose shape is
// defined here, with snake_case names of its own: the schema does not
// change when a Go field is renamed. Empty values are left out. Instants
// are RFC 3339 strings in UTC, to the microsecond; calendar dates are
// "YYYY-MM-DD" (a birthday without a year "--MM-DD"); decimals are
// strings holding every digit; ids are UUID strings.

// clientDoc is crm.Client less its columns (id, version, owner, stage,
// tier, tags, accepted_duplicate, merged_into, credit limit,
// last_contact_at, created_at, updated_at).
type clientDoc struct {
	Kind          crm.ClientKind          `json:"kind,omitempty"`
	LegalName     string                  `json:"legal_name,omitempty"`
	ShortName     string                  `json:"short_name,omitempty"`
	TaxIDs        []taxIDDoc              `json:"tax_ids,omitempty"`
	Addresses     []addressDoc            `json:"addresses,omitempty"`
	Website       string                  `json:"website,omitempty"`
	Industry      string                  `json:"industry,omitempty"`
	Segment       string                  `json:"segment,omitempty"`
	SizeBand      crm.SizeBand            `json:"size_band,omitempty"`
	Attributes    map[string]attributeDoc `json:"attributes,omitempty"`
	Source        crm.Source              `json:"source,omitempty"`
	Campaign      string                  `json:"campaign,omitempty"`
	DoNotContact  bool                    `json:"do_not_contact,omitempty"`
	Blocked       bool                    `json:"blocked,omitempty"`
	BlockedReason string                  `json:"blocked_reason,omitempty"`
	InternalNotes string                  `json:"internal_notes,omitempty"`
	Contacts      []contactDoc            `json:"contacts,omitempty"`
	TierChange    changeDoc               `json:"tier_change,omitzero"`
	StageLog      []stageChangeDoc        `json:"stage_log,omitempty"`
	Lost          *lostDoc                `json:"lost,omitempty"`
	Credit        creditDoc               `json:"credit,omitzero"`
	LastOrderAt   time.Time               `json:"last_order_at,omitzero"`
	MergedFrom    []uuid.UUID             `json:"merged_from,omitempty"`
	CreatedBy     uuid.UUID               `json:"created_by,omitzero"`
	UpdatedBy     uuid.UUID               `json:"updated_by,omitzero"`
}

type taxIDDoc struct {
	Country string     `json:"country,omitempty"`
	Kind    taxid.Kind `json:"kind,omitempty"`
	Value   string     `json:"value,omitempty"`
}

type addressDoc struct {
	Kind       crm.AddressKind `json:"kind,omitempty"`
	Country    string          `json:"country,omitempty"`
	PostalCode string          `json:"postal_code,omitempty"`
	Region     string          `json:"region,omitempty"`
	City       string          `json:"city,omitempty"`
	Line       string          `json:"line,omitempty"`
	Comment    string          `json:"comment,omitempty"`
}

// attributeDoc keeps only the field of the attribute's type.
type attributeDoc struct {
	Type   crm.AttrType `json:"type"`
	Text   string       `json:"text,omitempty"`
	Number string       `json:"number,omitempty"`
	Date   string       `json:"date,omitempty"`
	Flag   bool         `json:"flag,omitempty"`
}

type contactDoc struct {
	ID               uuid.UUID      `json:"id,omitzero"`
	LastName         string         `json:"last_name,omitempty"`
	FirstName        string         `json:"first_name,omitempty"`
	MiddleName       string         `json:"middle_name,omitempty"`
	Position         string         `json:"position,omitempty"`
	BuyingRole       crm.BuyingRole `json:"buying_role,omitempty"`
	Birthday         string         `json:"birthday,omitempty"`
	Emails           []string       `json:"emails,omitempty"`
	Phones           []string       `json:"phones,omitempty"`
	Messengers       []messengerDoc `json:"messengers,omitempty"`
	PreferredChannel crm.Channel    `json:"preferred_channel,omitempty"`
	DoNotContact     bool           `json:"do_not_contact,omitempty"`
	Primary          bool           `json:"primary,omitempty"`
}

type messengerDoc struct {
	Kind   crm.MessengerKind `json:"kind,omitempty"`
	Handle string            `json:"handle,omitempty"`
}

type changeDoc struct {
	By         uuid.UUID `json:"by,omitzero"`
	OnBehalfOf uuid.UUID `json:"on_behalf_of,omitzero"`
	At         time.Time `json:"at,omitzero"`
	Reason     string    `json:"reason,omitempty"`
}

type stageChangeDoc struct {
	From       crm.Stage `json:"from,omitempty"`
	To         crm.Stage `json:"to,omitempty"`
	At         time.Time `json:"at,omitzero"`
	By         uuid.UUID `json:"by,omitzero"`
	OnBehalfOf uuid.UUID `json:"on_behalf_of,omitzero"`
	Reason     string    `json:"reason,omitempty"`
	Note       string    `json:"note,omitempty"`
	Competitor string    `json:"competitor,omitempty"`
	Derived    bool      `json:"derived,omitempty"`
}

type lostDoc struct {
	Reason     string    `json:"reason,omitempty"`
	Note       string    `json:"note,omitempty"`
	Competitor string    `json:"competitor,omitempty"`
	From       crm.Stage `json:"from,omitempty"`
	At         time.Time `json:"at,omitzero"`
}

// creditDoc is crm.CreditProfile less its Limit, which has columns.
type creditDoc struct {
	Rating     string    `json:"rating,omitempty"`
	Note       string    `json:"note,omitempty"`
	ReviewedAt time.Time `json:"reviewed_at,omitzero"`
	ReviewedBy uuid.UUID `json:"reviewed_by,omitzero"`
}

// interactionDoc is crm.Interaction less id, client_id and at.
type interactionDoc struct {
	Kind       crm.InteractionKind `json:"kind,omitempty"`
	Direction  crm.Direction       `json:"direction,omitempty"`
	DurationNS int64               `json:"duration_ns,omitempty"`
	Contacts   []uuid.UUID         `json:"contacts,omitempty"`
	Manager    uuid.UUID           `json:"manager,omitzero"`
	Subject    string              `json:"subject,omitempty"`
	Summary    string              `json:"summary,omitempty"`
	Outcome    crm.Outcome         `json:"outcome,omitempty"`
	NextStep   *nextStepDoc        `json:"next_step,omitempty"`
	Corrects   uuid.UUID           `json:"corrects,omitzero"`
	RecordedAt time.Time           `json:"recorded_at,omitzero"`
	RecordedBy uuid.UUID           `json:"recorded_by,omitzero"`
	OnBehalfOf uuid.UUID           `json:"on_behalf_of,omitzero"`
}

type nextStepDoc struct {
	Action string `json:"action,omitempty"`
	Due    string `json:"due,omitempty"`
}

// delegationDoc is crm.Delegation less its columns (id, version,
// principal, deputy, valid_from, valid_to, cancelled_at).
type delegationDoc struct {
	Clients     []uuid.UUID `json:"clients,omitempty"`
	Reason      string      `json:"reason,omitempty"`
	CreatedAt   time.Time   `json:"created_at,omitzero"`
	CreatedBy   uuid.UUID   `json:"created_by,omitzero"`
	CancelledBy uuid.UUID   `json:"cancelled_by,omitzero"`
}

// eventIn is an event as a write passes it to the server, in a JSON array
// read by jsonb_to_recordset; N keeps the order for the outbox.
type eventIn struct {
	N          int               `json:"n"`
	ID         uuid.UUID         `json:"id"`
	ClientID   uuid.UUID         `json:"client_id,omitzero"`
	Kind       crm.EventKind     `json:"kind"`
	At         time.Time         `json:"at"`
	RecordedAt time.Time         `json:"recorded_at,omitzero"`
	Actor      uuid.UUID         `json:"actor,omitzero"`
	OnBehalfOf uuid.UUID         `json:"on_behalf_of,omitzero"`
	Subject    uuid.UUID         `json:"subject,omitzero"`
	Data       map[string]string `json:"data,omitzero"`
}

// instant normalises a time for storage: UTC, to the microsecond (what
// timestamptz keeps), the zero time left zero.
func instant(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// readInstant returns a stored time in UTC, or the zero time.
func readInstant(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// tstz is a timestamptz parameter: NULL for the zero time.
func tstz(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: t, Valid: true}
}

// fromTstz reads a nullable timestamptz column.
func fromTstz(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return readInstant(t.Time)
}

// nullUUID is a uuid parameter: NULL for uuid.Nil.
func nullUUID(id uuid.UUID) pgtype.UUID {
	return pgtype.UUID{Bytes: id, Valid: id != uuid.Nil}
}

// fromNullUUID reads a nullable uuid column.
func fromNullUUID(u pgtype.UUID) uuid.UUID {
	if !u.Valid {
		return uuid.Nil
	}
	return u.Bytes
}

// exactDecimal writes d with every digit it has, never in exponent form,
// keeping its trailing zeros ("2.50" stays "2.50"). The output does not
// depend on the decimal package's global settings.
func exactDecimal(d decimal.Decimal) string {
	if exp := d.Exponent(); exp < 0 {
		return d.StringFixed(-exp)
	}
	return d.Coefficient().String() + strings.Repeat("0", int(d.Exponent()))
}

// parseExact reads what exactDecimal wrote.
func parseExact(s string) (decimal.Decimal, error) {
	intPart, frac, _ := strings.Cut(s, ".")
	coef, ok := new(big.Int).SetString(intPart+frac, 10)
	if !ok || s == "" {
		return decimal.Decimal{}, fmt.Errorf("not a decimal: %q", s)
	}
	return decimal.NewFromBigInt(coef, -int32(len(frac))), nil
}

// numeric is a numeric parameter holding d exactly.
func numeric(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

// amountColumns returns the credit_limit and credit_currency parameters of
// an amount: both NULL for an amount without a currency (the zero
// Amount).
func amountColumns(a money.Amount) (pgtype.Numeric, pgtype.Text) {
	if a.Currency().IsZero() {
		return pgtype.Numeric{}, pgtype.Text{}
	}
	return numeric(a.Decimal()), pgtype.Text{String: a.Currency().Code(), Valid: true}
}

// amountFrom reads an amount from its columns.
func amountFrom(n pgtype.Numeric, code pgtype.Text) (money.Amount, error) {
	if !n.Valid || !code.Valid {
		return money.Amount{}, nil
	}
	if n.NaN || n.InfinityModifier != pgtype.Finite {
		return money.Amount{}, fmt.Errorf("credit limit is not a finite number")
	}
	c, err := money.ParseCurrency(code.String)
	if err != nil {
		return money.Amount{}, fmt.Errorf("credit currency: %w", err)
	}
	coef, exp := n.Int, n.Exp
	if coef == nil {
		coef = new(big.Int)
	}
	if exp > 0 {
		// The driver strips trailing zeros of whole numbers (500 comes as
		// 5e2); numeric has no positive exponents, so give them back and
		// read 500 as it was written.
		coef = new(big.Int).Mul(coef, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
		exp = 0
	}
	return money.FromDecimal(decimal.NewFromBigInt(coef, exp), c)
}

// dateText writes a calendar date as "YYYY-MM-DD", "" for the zero Date.
// Unlike crm.Date's own text it never fails to read back: the store keeps
// what it is given, valid or not.
func dateText(d crm.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// birthdayText writes "YYYY-MM-DD", or "--MM-DD" without a year.
func birthdayText(b crm.Birthday) string {
	switch {
	case b.IsZero():
		return ""
	case b.Year == 0:
		return fmt.Sprintf("--%02d-%02d", int(b.Month), b.Day)
	}
	return dateText(crm.Date(b))
}

// parseDateText reads what dateText and birthdayText wrote.
func parseDateText(s string) (crm.Date, error) {
	if s == "" {
		return crm.Date{}, nil
	}
	bad := fmt.Errorf("not a date: %q", s)
	rest := s
	year := 0
	if strings.HasPrefix(rest, "--") {
		rest = rest[2:]
	} else {
		i := strings.Index(rest[1:], "-") + 1
		if i <= 0 {
			return crm.Date{}, bad
		}
		y, err := strconv.Atoi(rest[:i])
		if err != nil {
			return crm.Date{}, bad
		}
		year, rest = y, rest[i+1:]
	}
	m, d, ok := strings.Cut(rest, "-")
	mm, err1 := strconv.Atoi(m)
	dd, err2 := strconv.Atoi(d)
	if !ok || err1 != nil || err2 != nil {
		return crm.Date{}, bad
	}
	return crm.Date{Year: year, Month: time.Month(mm), Day: dd}, nil
}

// encodeClientDoc returns the document of c.
func encodeClientDoc(c *crm.Client) ([]byte, error) {
	doc := clientDoc{
		Kind:          c.Kind,
		LegalName:     c.LegalName,
		ShortName:     c.ShortName,
		Website:       c.Website,
		Industry:      c.Industry,
		Segment:       c.Segment,
		SizeBand:      c.SizeBand,
		Source:        c.Source,
		Campaign:      c.Campaign,
		DoNotContact:  c.DoNotContact,
		Blocked:       c.Blocked,
		BlockedReason: c.BlockedReason,
		InternalNotes: c.InternalNotes,
		TierChange:    changeDoc{By: c.TierChange.By, OnBehalfOf: c.TierChange.OnBehalfOf, At: instant(c.TierChange.At), Reason: c.TierChange.Reason},
		Credit:        creditDoc{Rating: c.Credit.Rating, Note: c.Credit.Note, ReviewedAt: instant(c.Credit.ReviewedAt), ReviewedBy: c.Credit.ReviewedBy},
		LastOrderAt:   instant(c.LastOrderAt),
		MergedFrom:    c.MergedFrom,
		CreatedBy:     c.CreatedBy,
		UpdatedBy:     c.UpdatedBy,
	}
	if len(c.TaxIDs) > 0 {
		doc.TaxIDs = make([]taxIDDoc, len(c.TaxIDs))
		for i, id := range c.TaxIDs {
			doc.TaxIDs[i] = taxIDDoc(id)
		}
	}
	if len(c.Addresses) > 0 {
		doc.Addresses = make([]addressDoc, len(c.Addresses))
		for i, a := range c.Addresses {
			doc.Addresses[i] = addressDoc(a)
		}
	}
	if len(c.Attributes) > 0 {
		doc.Attributes = make(map[string]attributeDoc, len(c.Attributes))
		for k, a := range c.Attributes {
			ad := attributeDoc{Type: a.Type}
			switch a.Type {
			case crm.AttrText:
				ad.Text = a.Text
			case crm.AttrNumber:
				ad.Number = exactDecimal(a.Number)
			case crm.AttrDate:
				ad.Date = dateText(a.Date)
			case crm.AttrFlag:
				ad.Flag = a.Flag
			default: // an unknown type: keep whatever it carries
				ad.Text, ad.Date, ad.Flag = a.Text, dateText(a.Date), a.Flag
				if !a.Number.IsZero() {
					ad.Number = exactDecimal(a.Number)
				}
			}
			doc.Attributes[k] = ad
		}
	}
	if len(c.Contacts) > 0 {
		doc.Contacts = make([]contactDoc, len(c.Contacts))
		for i, ct := range c.Contacts {
			cd := contactDoc{
				ID: ct.ID, LastName: ct.LastName, FirstName: ct.FirstName, MiddleName: ct.MiddleName,
				Position: ct.Position, BuyingRole: ct.BuyingRole, Birthday: birthdayText(ct.Birthday),
				Emails: ct.Emails, Phones: ct.Phones,
				PreferredChannel: ct.PreferredChannel, DoNotContact: ct.DoNotContact, Primary: ct.Primary,
			}
			if len(ct.Messengers) > 0 {
				cd.Messengers = make([]messengerDoc, len(ct.Messengers))
				for j, m := range ct.Messengers {
					cd.Messengers[j] = messengerDoc(m)
				}
			}
			doc.Contacts[i] = cd
		}
	}
	if len(c.StageLog) > 0 {
		doc.StageLog = make([]stageChangeDoc, len(c.StageLog))
		for i, sc := range c.StageLog {
			sc.At = instant(sc.At)
			doc.StageLog[i] = stageChangeDoc(sc)
		}
	}
	if c.Lost != nil {
		doc.Lost = &lostDoc{Reason: c.Lost.Reason, Note: c.Lost.Note, Competitor: c.Lost.Competitor, From: c.Lost.From, At: instant(c.Lost.At)}
	}
	return json.Marshal(&doc)
}

// decodeClientDoc fills c from its document.
func decodeClientDoc(data []byte, c *crm.Client) error {
	var doc clientDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	c.Kind = doc.Kind
	c.LegalName = doc.LegalName
	c.ShortName = doc.ShortName
	c.Website = doc.Website
	c.Industry = doc.Industry
	c.Segment = doc.Segment
	c.SizeBand = doc.SizeBand
	c.Source = doc.Source
	c.Campaign = doc.Campaign
	c.DoNotContact = doc.DoNotContact
	c.Blocked = doc.Blocked
	c.BlockedReason = doc.BlockedReason
	c.InternalNotes = doc.InternalNotes
	c.TierChange = crm.Change{By: doc.TierChange.By, OnBehalfOf: doc.TierChange.OnBehalfOf, At: readInstant(doc.TierChange.At), Reason: doc.TierChange.Reason}
	c.Credit.Rating = doc.Credit.Rating
	c.Credit.Note = doc.Credit.Note
	c.Credit.ReviewedAt = readInstant(doc.Credit.ReviewedAt)
	c.Credit.ReviewedBy = doc.Credit.ReviewedBy
	c.LastOrderAt = readInstant(doc.LastOrderAt)
	c.MergedFrom = doc.MergedFrom
	c.CreatedBy = doc.CreatedBy
	c.UpdatedBy = doc.UpdatedBy
	if len(doc.TaxIDs) > 0 {
		c.TaxIDs = make([]taxid.ID, len(doc.TaxIDs))
		for i, id := range doc.TaxIDs {
			c.TaxIDs[i] = taxid.ID(id)
		}
	}
	if len(doc.Addresses) > 0 {
		c.Addresses = make([]crm.Address, len(doc.Addresses))
		for i, a := range doc.Addresses {
			c.Addresses[i] = crm.Address(a)
		}
	}
	if len(doc.Attributes) > 0 {
		c.Attributes = make(map[string]crm.Attribute, len(doc.Attributes))
		for k, ad := range doc.Attributes {
			a := crm.Attribute{Type: ad.Type, Text: ad.Text, Flag: ad.Flag}
			if ad.Number != "" {
				n, err := parseExact(ad.Number)
				if err != nil {
					return fmt.Errorf("attribute %q: %w", k, err)
				}
				a.Number = n
			}
			d, err := parseDateText(ad.Date)
			if err != nil {
				return fmt.Errorf("attribute %q: %w", k, err)
			}
			a.Date = d
			c.Attributes[k] = a
		}
	}
	if len(doc.Contacts) > 0 {
		c.Contacts = make([]crm.Contact, len(doc.Contacts))
		for i, cd := range doc.Contacts {
			b, err := parseDateText(cd.Birthday)
			if err != nil {
				return fmt.Errorf("contact %d birthday: %w", i, err)
			}
			ct := crm.Contact{
				ID: cd.ID, LastName: cd.LastName, FirstName: cd.FirstName, MiddleName: cd.MiddleName,
				Position: cd.Position, BuyingRole: cd.BuyingRole, Birthday: crm.Birthday(b),
				Emails: cd.Emails, Phones: cd.Phones,
				PreferredChannel: cd.PreferredChannel, DoNotContact: cd.DoNotContact, Primary: cd.Primary,
			}
			if len(cd.Messengers) > 0 {
				ct.Messengers = make([]crm.Messenger, len(cd.Messengers))
				for j, m := range cd.Messengers {
					ct.Messengers[j] = crm.Messenger(m)
				}
			}
			c.Contacts[i] = ct
		}
	}
	if len(doc.StageLog) > 0 {
		c.StageLog = make([]crm.StageChange, len(doc.StageLog))
		for i, sc := range doc.StageLog {
			sc.At = readInstant(sc.At)
			c.StageLog[i] = crm.StageChange(sc)
		}
	}
	if doc.Lost != nil {
		c.Lost = &crm.LostInfo{Reason: doc.Lost.Reason, Note: doc.Lost.Note, Competitor: doc.Lost.Competitor, From: doc.Lost.From, At: readInstant(doc.Lost.At)}
	}
	return nil
}

func encodeInteractionDoc(in *crm.Interaction) ([]byte, error) {
	doc := interactionDoc{
		Kind:       in.Kind,
		Direction:  in.Direction,
		DurationNS: int64(in.Duration),
		Contacts:   in.Contacts,
		Manager:    in.Manager,
		Subject:    in.Subject,
		Summary:    in.Summary,
		Outcome:    in.Outcome,
		Corrects:   in.Corrects,
		RecordedAt: instant(in.RecordedAt),
		RecordedBy: in.RecordedBy,
		OnBehalfOf: in.OnBehalfOf,
	}
	if in.NextStep != nil {
		doc.NextStep = &nextStepDoc{Action: in.NextStep.Action, Due: dateText(in.NextStep.Due)}
	}
	return json.Marshal(&doc)
}

func decodeInteractionDoc(data []byte, in *crm.Interaction) error {
	var doc interactionDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	in.Kind = doc.Kind
	in.Direction = doc.Direction
	in.Duration = time.Duration(doc.DurationNS)
	in.Contacts = doc.Contacts
	in.Manager = doc.Manager
	in.Subject = doc.Subject
	in.Summary = doc.Summary
	in.Outcome = doc.Outcome
	in.Corrects = doc.Corrects
	in.RecordedAt = readInstant(doc.RecordedAt)
	in.RecordedBy = doc.RecordedBy
	in.OnBehalfOf = doc.OnBehalfOf
	if doc.NextStep != nil {
		due, err := parseDateText(doc.NextStep.Due)
		if err != nil {
			return fmt.Errorf("next step: %w", err)
		}
		in.NextStep = &crm.NextStep{Action: doc.NextStep.Action, Due: due}
	}
	return nil
}

func encodeDelegationDoc(d *crm.Delegation) ([]byte, error) {
	return json.Marshal(&delegationDoc{
		Clients:     d.Clients,
		Reason:      d.Reason,
		CreatedAt:   instant(d.CreatedAt),
		CreatedBy:   d.CreatedBy,
		CancelledBy: d.CancelledBy,
	})
}

func decodeDelegationDoc(data []byte, d *crm.Delegation) error {
	var doc delegationDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	d.Clients = doc.Clients
	d.Reason = doc.Reason
	d.CreatedAt = readInstant(doc.CreatedAt)
	d.CreatedBy = doc.CreatedBy
	d.CancelledBy = doc.CancelledBy
	return nil
}

// encodeEvents returns the events of a write as the JSON array the write
// statements read, or nil for none. It refuses an event without an id and
// an id given twice, before anything is sent.
func encodeEvents(events []crm.Event) ([]byte, error) {
	if len(events) == 0 {
		return nil, nil
	}
	var seen map[uuid.UUID]struct{}
	if len(events) > 16 {
		seen = make(map[uuid.UUID]struct{}, len(events))
	}
	in := make([]eventIn, len(events))
	for i, e := range events {
		if e.ID == uuid.Nil {
			return nil, fmt.Errorf("%w: event %d has no id", ErrInvalid, i)
		}
		dup := false
		if seen != nil {
			_, dup = seen[e.ID]
			seen[e.ID] = struct{}{}
		} else {
			for _, earlier := range in[:i] {
				dup = dup || earlier.ID == e.ID
			}
		}
		if dup {
			return nil, store.Duplicate("event", "id", e.ID.String())
		}
		in[i] = eventIn{
			N: i, ID: e.ID, ClientID: e.ClientID, Kind: e.Kind, At: instant(e.At), RecordedAt: instant(e.RecordedAt),
			Actor: e.Actor, OnBehalfOf: e.OnBehalfOf, Subject: e.Subject, Data: e.Data,
		}
	}
	return json.Marshal(in)
}

// decodeData reads an event's data: a JSON object of strings, as
// PostgreSQL prints jsonb ({"a": "b", "c": "d"}). Objects without escapes
// are read by hand, which is several times faster than encoding/json;
// anything else goes to encoding/json.
func decodeData(data []byte) (map[string]string, error) {
	if m, ok := decodeFlatObject(data); ok {
		return m, nil
	}
	var m map[string]string
	err := json.Unmarshal(data, &m)
	return m, err
}

// decodeFlatObject reads {"k": "v", ...} with no escapes in its strings;
// ok is false for anything else.
func decodeFlatObject(data []byte) (m map[string]string, ok bool) {
	i, n := 0, len(data)
	skip := func() {
		for i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
			i++
		}
	}
	str := func() ([]byte, bool) {
		if i >= n || data[i] != '"' {
			return nil, false
		}
		start := i + 1
		for j := start; j < n; j++ {
			switch c := data[j]; {
			case c == '"':
				i = j + 1
				return data[start:j], true
			case c == '\\' || c < 0x20:
				return nil, false
			}
		}
		return nil, false
	}
	skip()
	if i >= n || data[i] != '{' {
		return nil, false
	}
	i++
	m = make(map[string]string, bytesCount(data, ':'))
	skip()
	if i < n && data[i] == '}' {
		i++
		skip()
		return m, i == n
	}
	for {
		skip()
		k, ok := str()
		if !ok {
			return nil, false
		}
		skip()
		if i >= n || data[i] != ':' {
			return nil, false
		}
		i++
		skip()
		v, ok := str()
		if !ok {
			return nil, false
		}
		if _, dup := m[string(k)]; dup {
			return nil, false // let encoding/json decide
		}
		m[internKey(k)] = string(v)
		skip()
		if i >= n {
			return nil, false
		}
		if data[i] == '}' {
			i++
			skip()
			return m, i == n
		}
		if data[i] != ',' {
			return nil, false
		}
		i++
	}
}

// dataKeys are the keys crmkit's own events use; decoding shares one copy
// of each instead of allocating it per event.
var dataKeys = map[string]string{}

func init() {
	for _, k := range []string{"kind", "outcome", "subject", "fields", "stage", "from", "to", "reason", "note",
		"tag", "tier", "owner", "order_at", "corrects", "merged", "survivor"} {
		dataKeys[k] = k
	}
}

func internKey(k []byte) string {
	if s, ok := dataKeys[string(k)]; ok {
		return s
	}
	return string(k)
}

func bytesCount(b []byte, c byte) int {
	count := 0
	for _, x := range b {
		if x == c {
			count++
		}
	}
	return count
}

// pgid is a uuid that pgx reads and writes in binary form, as a
// parameter or a scan target ((*pgid)(&x)). uuid.UUID itself would go
// through its string form both ways. A NULL scanned is uuid.Nil.
type pgid uuid.UUID

// UUIDValue makes pgid a parameter of type uuid.
func (u pgid) UUIDValue() (pgtype.UUID, error) { return pgtype.UUID{Bytes: u, Valid: true}, nil }

// ScanUUID makes *pgid a scan target for uuid columns.
func (u *pgid) ScanUUID(v pgtype.UUID) error {
	*u = pgid(v.Bytes)
	if !v.Valid {
		*u = pgid{}
	}
	return nil
}

// pgids is a uuid[] parameter.
func pgids(ids []uuid.UUID) [][16]byte {
	out := make([][16]byte, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
