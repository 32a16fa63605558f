package crm

import (
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm/normalize"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/internal/lang"
)

// MatchKind is why two clients look like the same counterparty.
type MatchKind string

// Match kinds, strongest first.
const (
	MatchINN   MatchKind = "inn"    // same Russian INN
	MatchTaxID MatchKind = "tax_id" // same tax id of another country, once folded (taxid.ID.MatchValue)
	MatchPhone MatchKind = "phone"  // a contact phone in common (E.164)
	MatchEmail MatchKind = "email"  // a contact e-mail in common
	MatchName  MatchKind = "name"   // the same name once case, quotes, ё/е, legal forms and the spacing of initials are ignored (see MatchKeys)
)

// MatchKeysVersion is the version of the derivation of Client.MatchKeys.
// It goes up whenever the keys of an existing client could change, so
// that stores keeping an index of the keys (store/postgres) know to
// re-derive it. Version 2 folds foreign tax ids, joins initials however
// they are spaced and adds the "surname + initials" key of persons' names
// written out with a patronymic.
const MatchKeysVersion = 2

// MatchKey is one duplicate-detection key of a client.
type MatchKey struct {
	Kind  MatchKind
	Value string
}

// KeyMatch says that a stored client carries a key.
type KeyMatch struct {
	ClientID uuid.UUID
	Key      MatchKey
}

// MatchKeys returns the client's duplicate-detection keys: its Russian
// INN and its tax ids of other countries as "country:value" (the latter
// folded by taxid.ID.MatchValue: case, separators and a leading country
// prefix do not count), every contact phone and e-mail, and the normalised
// legal and short names (normalize.OrgName) with, for a person's name
// written out with a patronymic, its "surname + initials" form
// (normalize.InitialsName; for sole proprietors and individuals, never
// for companies), so "ИП Иванов Иван Иванович" and "ИП Иванов И. И."
// match. Keys are unique and sorted.
//
// MatchKeysVersion names this derivation; a store that keeps the keys
// must re-derive them when it changes.
func (c Client) MatchKeys() []MatchKey {
	var keys []MatchKey
	for _, id := range c.TaxIDs {
		switch {
		case id.Country == taxid.CountryRU && id.Kind == taxid.KindINN:
			keys = append(keys, MatchKey{Kind: MatchINN, Value: id.Country + ":" + id.Value})
		case id.Country != taxid.CountryRU:
			keys = append(keys, MatchKey{Kind: MatchTaxID, Value: id.Country + ":" + id.MatchValue()})
		}
	}
	for _, ct := range c.Contacts {
		for _, p := range ct.Phones {
			keys = append(keys, MatchKey{Kind: MatchPhone, Value: p})
		}
		for _, e := range ct.Emails {
			keys = append(keys, MatchKey{Kind: MatchEmail, Value: e})
		}
	}
	for _, name := range []string{c.LegalName, c.ShortName} {
		if k := normalize.OrgName(name); k != "" {
			keys = append(keys, MatchKey{Kind: MatchName, Value: k})
		}
		// A company's name is not a person's, however its last word
		// ends ("Торговый Дом Кирпич" is no "Торговый Д.К.").
		if c.Kind == KindCompany {
			continue
		}
		if k := normalize.InitialsName(name); k != "" {
			keys = append(keys, MatchKey{Kind: MatchName, Value: k})
		}
	}
	slices.SortFunc(keys, func(a, b MatchKey) int {
		if d := strings.Compare(string(a.Kind), string(b.Kind)); d != 0 {
			return d
		}
		return strings.Compare(a.Value, b.Value)
	})
	return slices.Compact(keys)
}

// innKey returns the client's INN key, if it has one.
func (c Client) innKey() (MatchKey, bool) {
	for _, k := range c.MatchKeys() {
		if k.Kind == MatchINN {
			return k, true
		}
	}
	return MatchKey{}, false
}

// UniqueINNKey returns the INN key the store must keep unique for this
// client: its Russian INN (a card has at most one), and none for merged
// clients and for accepted duplicates. Tax ids of other countries are kept
// as given and only reported as duplicates (matched folded, see
// MatchKeys), never refused.
func (c Client) UniqueINNKey() (MatchKey, bool) {
	if c.IsMerged() || c.AcceptedDuplicate {
		return MatchKey{}, false
	}
	return c.innKey()
}

// Duplicate is a stored client that looks like the one being created, with
// every reason it matched.
type Duplicate struct {
	ClientID uuid.UUID
	Name     string // the existing client's short or legal name (empty if the reader may not see it)
	Matches  []MatchKey
}

// Strongest returns the strongest reason of the match.
func (d Duplicate) Strongest() MatchKind {
	order := []MatchKind{MatchINN, MatchTaxID, MatchPhone, MatchEmail, MatchName}
	for _, k := range order {
		for _, m := range d.Matches {
			if m.Kind == k {
				return k
			}
		}
	}
	return ""
}

// Explain says why the client is a probable duplicate, in the language of
// tag.
func (d Duplicate) Explain(tag string) string {
	parts := make([]string, 0, len(d.Matches))
	for _, m := range d.Matches {
		switch m.Kind {
		case MatchINN:
			parts = append(parts, lang.Pick(tag, "same INN ", "тот же ИНН ")+m.Value)
		case MatchTaxID:
			parts = append(parts, lang.Pick(tag, "same tax id ", "тот же налоговый номер ")+m.Value)
		case MatchPhone:
			parts = append(parts, lang.Pick(tag, "same phone ", "тот же телефон ")+m.Value)
		case MatchEmail:
			parts = append(parts, lang.Pick(tag, "same e-mail ", "тот же e-mail ")+m.Value)
		case MatchName:
			parts = append(parts, lang.Pick(tag, "same name ", "то же название ")+"«"+m.Value+"»")
		}
	}
	return strings.Join(parts, "; ")
}
