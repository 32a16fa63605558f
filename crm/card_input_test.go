package crm_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
)

// An e-mail address typed into the website field (a daily mistake) must be
// refused: normalizeWebsite means to reject "@" in the host, but url.Parse
// moves "ivan@" into User, so the check never fires and the card stores
// "https://ivan@mail.ru" (or credentials such as "user:secret@").
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

// A Cyrillic (.рф) website is stored with its host percent-encoded,
// "https://%D1%80%D0%BE...%D1%84", which no one can read on the card,
// although the documented contract is "a URL with a scheme and a
// lower-case host".
func TestWebsiteIDNHostKeptReadable(t *testing.T) {
	w := newWorld(t)
	nc := company("Ромашка", "")
	nc.Website = "Ромашка.РФ"
	c, _, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
	require.NoError(t, err)
	assert.Equal(t, "https://ромашка.рф", c.Website)
}

// A hostile, huge tax identifier: the ValidationError shortens Value, but
// Error()/Message() print the taxid error, which quotes the whole input, so
// a 100 KB value produces a 100 KB+ error message (log flooding), unlike
// every normalize.Error, which keeps at most 100 bytes.
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

// Errors that do not name the field at fault.
func TestContactListErrorsNameTheList(t *testing.T) {
	w := newWorld(t)

	// Too many e-mails on a contact: the error names "contacts[0]", not the
	// list; the user is told "слишком длинное значение" about a person.
	nc := company("Дельта", "")
	for i := 0; i < 21; i++ {
		nc.Contacts[0].Emails = append(nc.Contacts[0].Emails, "a"+strings.Repeat("x", i)+"@romashka.ru")
	}
	_, _, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
	var ve *crm.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "contacts[0].emails", ve.Field)
}
