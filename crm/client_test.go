package crm_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
)

func TestCreateClientNormalises(t *testing.T) {
	w := newWorld(t)
	nc := company("Ромашка", innSber)
	nc.TaxIDs = append(nc.TaxIDs, taxid.ID{Country: "ru", Kind: taxid.KindOGRN, Value: " " + ogrnSber + " "})
	nc.Tags = []string{"  Опт ", "опт", "Ёлки"}
	nc.Website = "Romashka.RU"
	nc.Attributes = map[string]crm.Attribute{"volume": crm.NumberAttr(decimal.RequireFromString("12.5"))}
	nc.Contacts = []crm.Contact{
		{LastName: "Петров", FirstName: "Пётр", Emails: []string{" Petrov@Romashka.RU "}, Phones: []string{"8 (916) 123-45-67"}},
		{FirstName: "Анна", Phones: []string{"+7 916 765-43-21"}, Primary: true},
	}
	c, dups, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
	require.NoError(t, err)
	assert.Empty(t, dups)
	assert.Equal(t, store.Version(1), c.Version)
	assert.Equal(t, w.manager1.ID, c.Owner, "the owner defaults to the actor")
	assert.Equal(t, crm.StageLead, c.Stage)
	require.Len(t, c.StageLog, 1)
	assert.Equal(t, crm.Stage(""), c.StageLog[0].From)
	assert.Equal(t, crm.TierStandard, c.Tier)
	assert.Equal(t, []string{"елки", "опт"}, c.Tags)
	assert.Equal(t, "https://romashka.ru", c.Website)
	assert.Equal(t, "petrov@romashka.ru", c.Contacts[0].Emails[0])
	assert.Equal(t, "+79161234567", c.Contacts[0].Phones[0])
	assert.False(t, c.Contacts[0].Primary)
	assert.True(t, c.Contacts[1].Primary, "the contact marked primary stays primary")
	ogrn, ok := c.TaxID(taxid.KindOGRN)
	require.True(t, ok)
	assert.Equal(t, taxid.ID{Country: "RU", Kind: taxid.KindOGRN, Value: ogrnSber}, ogrn)

	stored, err := w.svc.GetClient(w.ctx, w.manager1, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.Contacts, stored.Contacts)

	events, err := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{}))
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, crm.EventClientCreated, events[0].Kind)
	assert.Equal(t, w.manager1.ID, events[0].Actor)

	// Without a contact marked primary, the first becomes primary.
	nc2 := company("Лютик", innYandex)
	nc2.Contacts = append(nc2.Contacts, crm.Contact{FirstName: "Олег"})
	c2 := w.create(t, w.manager1, nc2)
	primary, ok := c2.PrimaryContact()
	require.True(t, ok)
	assert.Equal(t, "Иванов", primary.LastName)
}

func TestCreateClientBadInput(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*crm.NewClient)
		field  string
		reason crm.Reason
	}{
		{"empty legal name", func(n *crm.NewClient) { n.LegalName = "  " }, "legal_name", crm.ReasonRequired},
		{"unknown kind", func(n *crm.NewClient) { n.Kind = "corp" }, "kind", crm.ReasonUnknownValue},
		{"missing kind", func(n *crm.NewClient) { n.Kind = "" }, "kind", crm.ReasonRequired},
		{"INN checksum", func(n *crm.NewClient) { n.TaxIDs[0].Value = "7707083894" }, "tax_ids[0]", crm.ReasonBadChecksum},
		{"INN letters", func(n *crm.NewClient) { n.TaxIDs[0].Value = "77070838AB" }, "tax_ids[0]", crm.ReasonBadFormat},
		{"12-digit INN on a company", func(n *crm.NewClient) { n.TaxIDs[0].Value = innPerson }, "tax_ids[0]", crm.ReasonConflict},
		{"OGRN checksum", func(n *crm.NewClient) {
			n.TaxIDs = append(n.TaxIDs, taxid.ID{Country: "RU", Kind: taxid.KindOGRN, Value: "1027700132196"})
		}, "tax_ids[1]", crm.ReasonBadChecksum},
		{"two INNs", func(n *crm.NewClient) { n.TaxIDs = append(n.TaxIDs, n.TaxIDs[0]) }, "tax_ids[1]", crm.ReasonDuplicate},
		{"bad phone", func(n *crm.NewClient) { n.Contacts[0].Phones = []string{"123"} }, "contacts[0].phones[0]", crm.ReasonBadFormat},
		{"letters in phone", func(n *crm.NewClient) { n.Contacts[0].Phones = []string{"call me"} }, "contacts[0].phones[0]", crm.ReasonBadFormat},
		{"bad e-mail", func(n *crm.NewClient) { n.Contacts[0].Emails = []string{"ivan@"} }, "contacts[0].emails[0]", crm.ReasonBadFormat},
		{"31 February", func(n *crm.NewClient) { n.Contacts[0].Birthday = crm.Birthday{Year: 1980, Month: 2, Day: 31} }, "contacts[0].birthday", crm.ReasonBadDate},
		{"29 February of a common year", func(n *crm.NewClient) { n.Contacts[0].Birthday = crm.Birthday{Year: 1981, Month: 2, Day: 29} }, "contacts[0].birthday", crm.ReasonBadDate},
		{"nameless contact", func(n *crm.NewClient) { n.Contacts[0].LastName, n.Contacts[0].FirstName = "", "" }, "contacts[0].first_name", crm.ReasonRequired},
		{"two primaries", func(n *crm.NewClient) {
			n.Contacts[0].Primary = true
			n.Contacts = append(n.Contacts, crm.Contact{FirstName: "Б", Primary: true})
		}, "contacts[1].primary", crm.ReasonConflict},
		{"unknown buying role", func(n *crm.NewClient) { n.Contacts[0].BuyingRole = "boss" }, "contacts[0].buying_role", crm.ReasonUnknownValue},
		{"unknown source", func(n *crm.NewClient) { n.Source = "tv" }, "source", crm.ReasonUnknownValue},
		{"unknown tier", func(n *crm.NewClient) { n.Tier = "gold" }, "tier", crm.ReasonUnknownValue},
		{"key tier without a reason", func(n *crm.NewClient) { n.Tier = crm.TierKey }, "tier_reason", crm.ReasonRequired},
		{"blocked without a reason", func(n *crm.NewClient) { n.Blocked = true }, "blocked_reason", crm.ReasonRequired},
		{"bad website", func(n *crm.NewClient) { n.Website = "not a site" }, "website", crm.ReasonBadFormat},
		{"bad attribute key", func(n *crm.NewClient) { n.Attributes = map[string]crm.Attribute{"Bad Key": crm.FlagAttr(true)} }, "attributes", crm.ReasonBadFormat},
		{"attribute date", func(n *crm.NewClient) {
			n.Attributes = map[string]crm.Attribute{"since": crm.DateAttr(crm.Date{Year: 2026, Month: 2, Day: 30})}
		}, "attributes.since", crm.ReasonBadDate},
		{"control characters", func(n *crm.NewClient) { n.ShortName = "a\x00b" }, "short_name", crm.ReasonBadFormat},
		{"invalid UTF-8", func(n *crm.NewClient) { n.LegalName = "\xff\xfe" }, "legal_name", crm.ReasonBadFormat},
		{"start as churned", func(n *crm.NewClient) { n.Stage = crm.StageChurned }, "stage", crm.ReasonNotAllowed},
		{"foreign country code", func(n *crm.NewClient) {
			n.TaxIDs = append(n.TaxIDs, taxid.ID{Country: "DEU", Kind: taxid.KindOther, Value: "DE129273398"})
		}, "tax_ids[1]", crm.ReasonBadFormat},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			nc := company("Ромашка", innSber)
			tc.mutate(&nc)
			_, _, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
			var ve *crm.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.ErrorIs(t, err, crm.ErrInvalid)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, tc.reason, ve.Reason)
			assert.NotEqual(t, ve.Message("en"), ve.Message("ru"))
			all, lerr := store.Collect(w.svc.ListClients(w.ctx, w.admin, crm.ClientFilter{}, store.Page{}))
			require.NoError(t, lerr)
			assert.Empty(t, all, "nothing is stored after a refused create")
		})
	}
}

func TestAttributesDeclared(t *testing.T) {
	w := newWorld(t, func(o *crm.Options) {
		o.Attributes = map[string]crm.AttrType{"volume": crm.AttrNumber, "vat_payer": crm.AttrFlag}
	})
	nc := company("Ромашка", innSber)
	nc.Attributes = map[string]crm.Attribute{"volume": crm.TextAttr("a lot")}
	_, _, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
	var ve *crm.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "attributes.volume.type", ve.Field)

	nc.Attributes = map[string]crm.Attribute{"colour": crm.TextAttr("red")}
	_, _, err = w.svc.CreateClient(w.ctx, w.manager1, nc)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, crm.ReasonUnknownValue, ve.Reason)

	nc.Attributes = map[string]crm.Attribute{"volume": crm.NumberAttr(decimal.NewFromInt(3)), "vat_payer": crm.FlagAttr(true)}
	c := w.create(t, w.manager1, nc)
	assert.True(t, c.Attributes["vat_payer"].Flag)
}

func TestDuplicates(t *testing.T) {
	w := newWorld(t)
	first := company("Ромашка", innSber)
	first.Contacts[0].Phones = []string{"+7 916 123-45-67"}
	first.Contacts[0].Emails = []string{"info@romashka.ru"}
	orig := w.create(t, w.manager1, first)

	t.Run("same INN is refused", func(t *testing.T) {
		_, dups, err := w.svc.CreateClient(w.ctx, w.manager2, company("Совсем другое", innSber))
		assert.ErrorIs(t, err, store.ErrDuplicate)
		var de *crm.DuplicateError
		require.ErrorAs(t, err, &de)
		require.Len(t, de.Duplicates, 1)
		assert.Equal(t, orig.ID, de.Duplicates[0].ClientID)
		assert.Equal(t, crm.MatchINN, de.Duplicates[0].Strongest())
		assert.Equal(t, "", de.Duplicates[0].Name, "manager2 may not see manager1's client name")
		assert.Contains(t, de.Message("ru"), "ИНН")
		assert.Len(t, dups, 1)
	})
	t.Run("forced over the INN", func(t *testing.T) {
		branch := company("Ромашка (филиал)", innSber)
		branch.Force = true
		c, dups, err := w.svc.CreateClient(w.ctx, w.manager1, branch)
		require.NoError(t, err)
		assert.True(t, c.AcceptedDuplicate)
		require.NotEmpty(t, dups)
		assert.Equal(t, orig.ID, dups[0].ClientID)
		assert.Equal(t, "Ромашка", dups[0].Name, "the owner sees the name")
	})
	t.Run("phone, e-mail and name are reported, not refused", func(t *testing.T) {
		lead := company("Ромашка", "")
		lead.LegalName = "ромашка, ооо"
		lead.Contacts[0].Phones = []string{"8 916 123 45 67"}
		lead.Contacts[0].Emails = []string{"INFO@romashka.ru"}
		c, dups, err := w.svc.CreateClient(w.ctx, w.manager1, lead)
		require.NoError(t, err)
		assert.False(t, c.AcceptedDuplicate)
		var found *crm.Duplicate
		for i := range dups {
			if dups[i].ClientID == orig.ID {
				found = &dups[i]
			}
		}
		require.NotNil(t, found)
		kinds := map[crm.MatchKind]string{}
		for _, m := range found.Matches {
			kinds[m.Kind] = m.Value
		}
		assert.Equal(t, "+79161234567", kinds[crm.MatchPhone])
		assert.Equal(t, "info@romashka.ru", kinds[crm.MatchEmail])
		assert.Equal(t, "ромашка", kinds[crm.MatchName])
		assert.Equal(t, crm.MatchPhone, found.Strongest())
		assert.Contains(t, found.Explain("en"), "same phone +79161234567")
	})
	t.Run("FindDuplicates creates nothing", func(t *testing.T) {
		before, _ := store.Collect(w.svc.ListClients(w.ctx, w.admin, crm.ClientFilter{}, store.Page{}))
		dups, err := w.svc.FindDuplicates(w.ctx, w.manager1, company("РОМАШКА", ""))
		require.NoError(t, err)
		assert.NotEmpty(t, dups)
		after, _ := store.Collect(w.svc.ListClients(w.ctx, w.admin, crm.ClientFilter{}, store.Page{}))
		assert.Len(t, after, len(before))
	})
}

func TestUpdateClient(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	updated, err := w.svc.UpdateClient(w.ctx, w.manager1, c.ID, func(d *crm.Draft) error {
		d.Card.Tags = append(d.Card.Tags, "Опт")
		d.Contacts = append(d.Contacts, crm.Contact{FirstName: "Ольга", Emails: []string{"olga@example.com"}})
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, store.Version(2), updated.Version)
	assert.Equal(t, []string{"опт"}, updated.Tags)
	require.Len(t, updated.Contacts, 2)
	assert.NotEqual(t, updated.Contacts[0].ID, updated.Contacts[1].ID)

	events, _ := store.Collect(w.svc.Timeline(w.ctx, w.manager1, c.ID, store.Page{}))
	last := events[len(events)-1]
	assert.Equal(t, crm.EventClientUpdated, last.Kind)
	assert.Equal(t, "tags,contacts", last.Data["fields"])

	// An edit that changes nothing writes nothing.
	same, err := w.svc.UpdateClient(w.ctx, w.manager1, c.ID, func(d *crm.Draft) error { return nil })
	require.NoError(t, err)
	assert.Equal(t, store.Version(2), same.Version)

	// An invalid edit writes nothing and names the field.
	_, err = w.svc.UpdateClient(w.ctx, w.manager1, c.ID, func(d *crm.Draft) error {
		d.Contacts[1].Phones = []string{"+7 000"}
		return nil
	})
	var ve *crm.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "contacts[1].phones[0]", ve.Field)

	// The edit's own error comes back as is.
	stop := errors.New("changed my mind")
	_, err = w.svc.UpdateClient(w.ctx, w.manager1, c.ID, func(d *crm.Draft) error { return stop })
	assert.ErrorIs(t, err, stop)

	// Removing the primary contact makes the next one primary.
	after, err := w.svc.UpdateClient(w.ctx, w.manager1, c.ID, func(d *crm.Draft) error {
		d.Contacts = d.Contacts[1:]
		return nil
	})
	require.NoError(t, err)
	p, ok := after.PrimaryContact()
	require.True(t, ok)
	assert.Equal(t, "Ольга", p.FirstName)
	current, _ := w.svc.GetClient(w.ctx, w.manager1, c.ID)
	assert.Equal(t, store.Version(3), current.Version)
}

func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	const writers = 50
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			_, err := w.svc.UpdateClient(w.ctx, w.manager1, c.ID, func(d *crm.Draft) error {
				d.Card.Tags = append(d.Card.Tags, fmt.Sprintf("tag-%02d", i))
				return nil
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	final, err := w.svc.GetClient(w.ctx, w.manager1, c.ID)
	require.NoError(t, err)
	assert.Len(t, final.Tags, writers, "every writer's tag survived")
	assert.Equal(t, store.Version(1+writers), final.Version)
}

func TestTierAndCredit(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	_, err := w.svc.SetTier(w.ctx, w.manager1, c.ID, crm.TierVIP, "")
	assert.ErrorIs(t, err, crm.ErrInvalid, "a tier needs a reason")
	vip, err := w.svc.SetTier(w.ctx, w.manager1, c.ID, crm.TierVIP, "top-10 by revenue")
	require.NoError(t, err)
	assert.Equal(t, crm.TierVIP, vip.Tier)
	assert.Equal(t, w.manager1.ID, vip.TierChange.By)
	assert.Equal(t, "top-10 by revenue", vip.TierChange.Reason)

	_, err = w.svc.SetCredit(w.ctx, w.manager1, c.ID, crm.CreditProfile{Rating: "B"})
	assert.ErrorIs(t, err, crm.ErrForbidden, "managers do not set credit data")
	withCredit, err := w.svc.SetCredit(w.ctx, w.credit, c.ID, crm.CreditProfile{Rating: "B", Note: "pays late in Q4"})
	require.NoError(t, err)
	assert.Equal(t, "B", withCredit.Credit.Rating)

	asManager, err := w.svc.GetClient(w.ctx, w.manager1, c.ID)
	require.NoError(t, err)
	assert.Empty(t, asManager.Credit.Rating, "credit data is confidential")
	assert.Contains(t, asManager.Redacted, crm.ClassCredit)
	asHead, err := w.svc.GetClient(w.ctx, w.head, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "B", asHead.Credit.Rating)
	assert.Empty(t, asHead.Redacted)
}

// Duplicate keys fold what differs between two spellings of one
// counterparty: the separators, case and country prefix of a foreign tax
// id, and a sole proprietor's name in full against its initials.
func TestDuplicateKeysFoldSpellings(t *testing.T) {
	w := newWorld(t)
	german := company("Müller", "")
	german.TaxIDs = []taxid.ID{{Country: "DE", Kind: taxid.KindOther, Value: "DE 123 456 789"}}
	orig := w.create(t, w.manager1, german)

	again := company("Müller Handel", "")
	again.TaxIDs = []taxid.ID{{Country: "de", Kind: taxid.KindOther, Value: "123.456.789"}}
	dups, err := w.svc.FindDuplicates(w.ctx, w.manager1, again)
	require.NoError(t, err)
	require.Len(t, dups, 1)
	assert.Equal(t, orig.ID, dups[0].ClientID)
	assert.Equal(t, crm.MatchTaxID, dups[0].Strongest())
	assert.Equal(t, []crm.MatchKey{{Kind: crm.MatchTaxID, Value: "DE:123456789"}}, dups[0].Matches)

	ip := company("", "")
	ip.LegalName = "Индивидуальный предприниматель Петров Пётр Петрович"
	ip.ShortName = ""
	ip.Kind = crm.KindSoleProprietor
	sole := w.create(t, w.manager1, ip)
	short := company("", "")
	short.LegalName = "ИП Петров П. П."
	short.ShortName = ""
	short.Kind = crm.KindSoleProprietor
	dups, err = w.svc.FindDuplicates(w.ctx, w.manager1, short)
	require.NoError(t, err)
	require.Len(t, dups, 1)
	assert.Equal(t, sole.ID, dups[0].ClientID)
	assert.Equal(t, []crm.MatchKey{{Kind: crm.MatchName, Value: "петров пп"}}, dups[0].Matches)
}
