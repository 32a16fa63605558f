package crm

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm/normalize"
	"github.com/crmkit/crmkit/crm/taxid"
)

// Limits on free text, in runes.
const (
	maxLegalName = 300
	maxShortName = 150
	maxShortText = 200
	maxNameLen   = 100
	maxLongText  = 10000
	maxTags      = 100
	maxTagLen    = 50
	maxAttrs     = 200
	maxContacts  = 200
	maxPerList   = 20 // e-mails, phones, messengers per contact; addresses per client
)

// checkText cleans a free-text field or returns a *ValidationError.
func checkText(field, value string, max int, multiline bool) (string, error) {
	s, reason, ok := cleanText(value, max, multiline)
	if !ok {
		return "", invalid(field, reason, value)
	}
	return s, nil
}

// normalizeCard validates a card and returns it in stored form: text
// trimmed, tags folded and sorted, tax ids checked and canonical.
func (s *Service) normalizeCard(c Card) (Card, error) {
	var err error
	out := c
	if !c.Kind.Valid() {
		if c.Kind == "" {
			return Card{}, invalid("kind", ReasonRequired, "")
		}
		return Card{}, invalid("kind", ReasonUnknownValue, string(c.Kind))
	}
	if out.LegalName, err = checkText("legal_name", c.LegalName, maxLegalName, false); err != nil {
		return Card{}, err
	}
	if out.LegalName == "" {
		return Card{}, invalid("legal_name", ReasonRequired, "")
	}
	if out.ShortName, err = checkText("short_name", c.ShortName, maxShortName, false); err != nil {
		return Card{}, err
	}
	if out.TaxIDs, err = normalizeTaxIDs(c.Kind, c.TaxIDs); err != nil {
		return Card{}, err
	}
	if out.Addresses, err = normalizeAddresses(c.Addresses); err != nil {
		return Card{}, err
	}
	if out.Website, err = normalizeWebsite(c.Website); err != nil {
		return Card{}, err
	}
	for _, f := range []struct {
		name string
		val  *string
		max  int
	}{
		{"industry", &out.Industry, maxNameLen},
		{"segment", &out.Segment, maxNameLen},
		{"campaign", &out.Campaign, maxShortText},
		{"blocked_reason", &out.BlockedReason, maxShortText},
	} {
		if *f.val, err = checkText(f.name, *f.val, f.max, false); err != nil {
			return Card{}, err
		}
	}
	if out.InternalNotes, err = checkText("internal_notes", c.InternalNotes, maxLongText, true); err != nil {
		return Card{}, err
	}
	if c.SizeBand != "" && !c.SizeBand.Valid() {
		return Card{}, invalid("size_band", ReasonUnknownValue, string(c.SizeBand))
	}
	if c.Source != "" && !c.Source.Valid() {
		return Card{}, invalid("source", ReasonUnknownValue, string(c.Source))
	}
	if out.Blocked && out.BlockedReason == "" {
		return Card{}, invalid("blocked_reason", ReasonRequired, "")
	}
	if !out.Blocked {
		out.BlockedReason = ""
	}
	if out.Tags, err = normalizeTags(c.Tags); err != nil {
		return Card{}, err
	}
	if out.Attributes, err = s.normalizeAttributes(c.Attributes); err != nil {
		return Card{}, err
	}
	return out, nil
}

// normalizeTaxIDs checks each identifier with the taxid package and the
// client's kind: a company has a 10-digit INN, KPP and OGRN; a sole
// proprietor or an individual a 12-digit INN, and a sole proprietor an
// OGRNIP. At most one identifier of each kind per country.
func normalizeTaxIDs(kind ClientKind, ids []taxid.ID) ([]taxid.ID, error) {
	if len(ids) > maxPerList {
		return nil, invalid("tax_ids", ReasonTooLong, "")
	}
	out := make([]taxid.ID, 0, len(ids))
	for i, raw := range ids {
		field := indexed("tax_ids", i)
		id, err := taxid.Parse(raw.Country, raw.Kind, raw.Value)
		if err != nil {
			reason := ReasonBadFormat
			var te *taxid.Error
			if errors.As(err, &te) && te.Reason == taxid.ReasonBadChecksum {
				reason = ReasonBadChecksum
			}
			return nil, &ValidationError{Field: field, Reason: reason, Value: shorten(raw.Value), Err: err}
		}
		if id.Country == taxid.CountryRU {
			if err := checkRussianIDFitsKind(kind, id); err != nil {
				err.Field = field
				return nil, err
			}
		}
		for _, prev := range out {
			if prev.Country == id.Country && prev.Kind == id.Kind && id.Kind != taxid.KindOther {
				return nil, invalid(field, ReasonDuplicate, id.Value)
			}
			if prev == id {
				return nil, invalid(field, ReasonDuplicate, id.Value)
			}
		}
		out = append(out, id)
	}
	return out, nil
}

func checkRussianIDFitsKind(kind ClientKind, id taxid.ID) *ValidationError {
	company := kind == KindCompany
	switch id.Kind {
	case taxid.KindINN:
		if company && len(id.Value) != 10 {
			return invalidf("", ReasonConflict, id.Value, "a company has a 10-digit INN")
		}
		if !company && len(id.Value) != 12 {
			return invalidf("", ReasonConflict, id.Value, "a sole proprietor or an individual has a 12-digit INN")
		}
	case taxid.KindKPP, taxid.KindOGRN:
		if !company {
			return invalidf("", ReasonConflict, id.Value, "only a company has a %s", id.Kind)
		}
	case taxid.KindOGRNIP:
		if kind != KindSoleProprietor {
			return invalidf("", ReasonConflict, id.Value, "only a sole proprietor has an OGRNIP")
		}
	}
	return nil
}

func normalizeAddresses(in []Address) ([]Address, error) {
	if len(in) > maxPerList {
		return nil, invalid("addresses", ReasonTooLong, "")
	}
	out := make([]Address, len(in))
	for i, a := range in {
		field := indexed("addresses", i)
		if !a.Kind.Valid() {
			return nil, invalid(field+".kind", ReasonUnknownValue, string(a.Kind))
		}
		country := strings.ToUpper(strings.TrimSpace(a.Country))
		if country != "" && (len(country) != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' || country[1] > 'Z') {
			return nil, invalid(field+".country", ReasonBadFormat, a.Country)
		}
		na := Address{Kind: a.Kind, Country: country}
		var err error
		for _, f := range []struct {
			name     string
			src, dst *string
		}{
			{"postal_code", &a.PostalCode, &na.PostalCode},
			{"region", &a.Region, &na.Region},
			{"city", &a.City, &na.City},
			{"line", &a.Line, &na.Line},
			{"comment", &a.Comment, &na.Comment},
		} {
			if *f.dst, err = checkText(field+"."+f.name, *f.src, maxShortText, false); err != nil {
				return nil, err
			}
		}
		if na.City == "" && na.Line == "" {
			return nil, invalid(field+".line", ReasonRequired, "")
		}
		out[i] = na
	}
	return out, nil
}

// normalizeWebsite accepts "romashka.ru", "https://Romashka.ru/contacts"
// and stores a URL with a scheme and a lower-case host.
func normalizeWebsite(raw string) (string, error) {
	s, err := checkText("website", raw, maxShortText, false)
	if err != nil || s == "" {
		return s, err
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, perr := url.Parse(s)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(u.Hostname(), ".") ||
		strings.ContainsAny(u.Host, " @") || u.User != nil {
		return "", invalid("website", ReasonBadFormat, raw)
	}
	// url.URL.String percent-encodes a non-ASCII host ("ромашка.рф"):
	// write the host as typed, lower-cased, and the rest escaped.
	out := u.Scheme + "://" + strings.ToLower(u.Host) + u.EscapedPath()
	if u.ForceQuery || u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		out += "#" + u.EscapedFragment()
	}
	return out, nil
}

func normalizeTags(in []string) ([]string, error) {
	if len(in) > maxTags {
		return nil, invalid("tags", ReasonTooLong, "")
	}
	out := make([]string, 0, len(in))
	for i, t := range in {
		if _, err := checkText(indexed("tags", i), t, maxTagLen, false); err != nil {
			return nil, err
		}
		f := FoldTag(t)
		if f == "" {
			return nil, invalid(indexed("tags", i), ReasonRequired, "")
		}
		out = append(out, f)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func validAttrKey(k string) bool {
	if k == "" || len(k) > 64 || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func (s *Service) normalizeAttributes(in map[string]Attribute) (map[string]Attribute, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if len(in) > maxAttrs {
		return nil, invalid("attributes", ReasonTooLong, "")
	}
	out := make(map[string]Attribute, len(in))
	for k, a := range in {
		field := "attributes." + shorten(k)
		if !validAttrKey(k) {
			return nil, invalid("attributes", ReasonBadFormat, k)
		}
		if !a.Type.Valid() {
			return nil, invalid(field+".type", ReasonUnknownValue, string(a.Type))
		}
		if want, declared := s.opts.Attributes[k]; len(s.opts.Attributes) > 0 {
			if !declared {
				return nil, invalid(field, ReasonUnknownValue, k)
			}
			if want != a.Type {
				return nil, invalidf(field+".type", ReasonConflict, string(a.Type), "attribute %s is declared as %s", k, want)
			}
		}
		clean := Attribute{Type: a.Type}
		switch a.Type {
		case AttrText:
			t, err := checkText(field, a.Text, 1000, true)
			if err != nil {
				return nil, err
			}
			clean.Text = t
		case AttrNumber:
			clean.Number = a.Number
		case AttrDate:
			if err := checkDate(a.Date); err != nil {
				return nil, &ValidationError{Field: field, Reason: ReasonBadDate, Value: a.Date.String(), Err: err}
			}
			clean.Date = a.Date
		case AttrFlag:
			clean.Flag = a.Flag
		}
		out[k] = clean
	}
	return out, nil
}

// normalizeContacts validates contacts and returns them in stored form:
// ids assigned, e-mails folded, phones in E.164, exactly one primary
// (the first, if none was marked).
func (s *Service) normalizeContacts(in []Contact) ([]Contact, error) {
	if len(in) > maxContacts {
		return nil, invalid("contacts", ReasonTooLong, "")
	}
	out := make([]Contact, len(in))
	primary := -1
	for i, c := range in {
		field := indexed("contacts", i)
		nc, err := s.normalizeContact(field, c)
		if err != nil {
			return nil, err
		}
		for j := range i {
			if out[j].ID == nc.ID {
				return nil, invalid(field+".id", ReasonDuplicate, nc.ID.String())
			}
		}
		if nc.Primary {
			if primary >= 0 {
				return nil, invalidf(field+".primary", ReasonConflict, "", "contacts[%d] is already primary", primary)
			}
			primary = i
		}
		out[i] = nc
	}
	if primary < 0 && len(out) > 0 {
		out[0].Primary = true
	}
	return out, nil
}

func (s *Service) normalizeContact(field string, c Contact) (Contact, error) {
	out := Contact{ID: c.ID, BuyingRole: c.BuyingRole, Birthday: c.Birthday, PreferredChannel: c.PreferredChannel,
		DoNotContact: c.DoNotContact, Primary: c.Primary}
	if out.ID == uuid.Nil {
		out.ID = s.newID()
	}
	var err error
	for _, f := range []struct {
		name     string
		src, dst *string
		max      int
	}{
		{"last_name", &c.LastName, &out.LastName, maxNameLen},
		{"first_name", &c.FirstName, &out.FirstName, maxNameLen},
		{"middle_name", &c.MiddleName, &out.MiddleName, maxNameLen},
		{"position", &c.Position, &out.Position, maxShortText},
	} {
		if *f.dst, err = checkText(field+"."+f.name, *f.src, f.max, false); err != nil {
			return Contact{}, err
		}
	}
	if out.LastName == "" && out.FirstName == "" {
		return Contact{}, invalid(field+".first_name", ReasonRequired, "")
	}
	if c.BuyingRole != "" && !c.BuyingRole.Valid() {
		return Contact{}, invalid(field+".buying_role", ReasonUnknownValue, string(c.BuyingRole))
	}
	if c.PreferredChannel != "" && !c.PreferredChannel.Valid() {
		return Contact{}, invalid(field+".preferred_channel", ReasonUnknownValue, string(c.PreferredChannel))
	}
	if !c.Birthday.IsZero() {
		if berr := checkBirthday(c.Birthday); berr != nil {
			return Contact{}, &ValidationError{Field: field + ".birthday", Reason: ReasonBadDate, Value: c.Birthday.String(), Err: berr}
		}
		if c.Birthday.Year != 0 && c.Birthday.Year > s.now().Year() {
			return Contact{}, invalid(field+".birthday", ReasonInFuture, c.Birthday.String())
		}
	}
	for _, l := range []struct {
		name string
		n    int
	}{{"emails", len(c.Emails)}, {"phones", len(c.Phones)}, {"messengers", len(c.Messengers)}} {
		if l.n > maxPerList {
			return Contact{}, invalid(field+"."+l.name, ReasonTooLong, "")
		}
	}
	for i, e := range c.Emails {
		norm, nerr := normalize.Email(e)
		if nerr != nil {
			return Contact{}, &ValidationError{Field: indexed(field+".emails", i), Reason: ReasonBadFormat, Value: shorten(e), Err: nerr}
		}
		if !slices.Contains(out.Emails, norm) {
			out.Emails = append(out.Emails, norm)
		}
	}
	for i, p := range c.Phones {
		norm, nerr := normalize.Phone(p, s.opts.PhoneRegion)
		if nerr != nil {
			return Contact{}, &ValidationError{Field: indexed(field+".phones", i), Reason: ReasonBadFormat, Value: shorten(p), Err: nerr}
		}
		if !slices.Contains(out.Phones, norm) {
			out.Phones = append(out.Phones, norm)
		}
	}
	for i, m := range c.Messengers {
		mf := indexed(field+".messengers", i)
		if !m.Kind.Valid() {
			return Contact{}, invalid(mf+".kind", ReasonUnknownValue, string(m.Kind))
		}
		h, herr := checkText(mf+".handle", m.Handle, maxNameLen, false)
		if herr != nil {
			return Contact{}, herr
		}
		if h == "" {
			return Contact{}, invalid(mf+".handle", ReasonRequired, "")
		}
		out.Messengers = append(out.Messengers, Messenger{Kind: m.Kind, Handle: h})
	}
	return out, nil
}

// requireReason checks a required short free-text reason.
func requireReason(field, value string) (string, error) {
	s, err := checkText(field, value, maxShortText, false)
	if err != nil {
		return "", err
	}
	if s == "" || utf8.RuneCountInString(s) == 0 {
		return "", invalid(field, ReasonRequired, "")
	}
	return s, nil
}
