package crm_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
)

// An e-mail address typed into the website field (a daily mistake) and a
// URL carrying credentials ("user:secret@") are refused, naming the field:
// url.Parse would move "ivan@" into the URL's user, not its host.
func TestWebsiteRejectsEmailAndUserinfo(t *testing.T) {
	w := newWorld(t)
	for i, web := range []string{"ivan@mail.ru", "https://ivan:secret@romashka.ru"} {
		nc := company("Сайт"+string(rune('А'+i)), "")
		nc.Website = web
		c, _, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
		require.ErrorIs(t, err, crm.ErrInvalid, "website %q stored as %q", web, c.Website)
		var ve *crm.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "website", ve.Field)
	}
}

// A Cyrillic (.рф) website is stored readable, with a scheme and a
// lower-case host ("https://ромашка.рф"), not percent-encoded.
func TestWebsiteIDNHostKeptReadable(t *testing.T) {
	w := newWorld(t)
	nc := company("Ромашка", "")
	nc.Website = "Ромашка.РФ"
	c, _, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
	require.NoError(t, err)
	assert.Equal(t, "https://ромашка.рф", c.Website)
}

// A hostile, huge tax identifier gives an error message of bounded size
// in both languages, not one that quotes all 100 KB of it.
func TestTaxIDErrorMessageIsBounded(t *testing.T) {
	w := newWorld(t)
	for _, id := range []taxid.ID{
		{Country: "RU", Kind: taxid.KindINN, Value: strings.Repeat("9", 100000)},
		{Country: "DE", Kind: taxid.KindOther, Value: strings.Repeat("Я", 100000)},
	} {
		nc := company("Гамма", "")
		nc.TaxIDs = []taxid.ID{id}
		_, _, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
		require.ErrorIs(t, err, crm.ErrInvalid)
		var ve *crm.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Less(t, len(err.Error()), 1000)
		assert.Less(t, len(ve.Message("ru")), 1000)
	}
}

// Bidirectional overrides and line separators are not control characters
// (Cc) but are hostile in a single-line legal name: U+202E reverses the
// displayed text on screens and printed documents (Trojan-source style
// spoofing), U+2028 breaks a "single-line" field into two lines.
func TestLegalNameRejectsBidiOverridesAndLineSeparators(t *testing.T) {
	w := newWorld(t)
	for i, name := range []string{"ООО «Ромашка\u202eакшамоР»", "ООО «Ромашка»\u2028ИНН 7707083893"} {
		nc := company("Х"+string(rune('А'+i)), "")
		nc.LegalName = name
		c, _, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
		require.ErrorIs(t, err, crm.ErrInvalid, "stored legal name %q", c.LegalName)
		var ve *crm.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "legal_name", ve.Field)
	}
}

// An error about a contact's list names the list, not the contact.
func TestContactListErrorsNameTheList(t *testing.T) {
	w := newWorld(t)

	// Too many e-mails on a contact: "contacts[0].emails" is too long.
	nc := company("Дельта", "")
	for i := 0; i < 21; i++ {
		nc.Contacts[0].Emails = append(nc.Contacts[0].Emails, "a"+strings.Repeat("x", i)+"@romashka.ru")
	}
	_, _, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
	var ve *crm.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "contacts[0].emails", ve.Field)
}
