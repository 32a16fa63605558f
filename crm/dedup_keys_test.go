package crm_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
)

// Two unrelated companies whose names end in a word that looks like a
// patronymic ("Кирпич", "Кулич") are not duplicates: the "surname +
// initials" key is for persons' names, not for a company's.
func TestCompanyNamesEndingLikeAPatronymicDoNotMatch(t *testing.T) {
	w := newWorld(t)
	w.create(t, w.manager1, company("Торговый Дом Кирпич", ""))
	dups, err := w.svc.FindDuplicates(w.ctx, w.manager1, company("Торговый Дом Кулич", ""))
	require.NoError(t, err)
	assert.Empty(t, dups)
}

// A sole proprietor whose initials spell a legal form ("И. П.", "А. О.")
// gets no initials key reduced to the bare surname, which would match
// every other client of that surname.
func TestInitialsSpellingAFormDoNotReduceToSurname(t *testing.T) {
	w := newWorld(t)
	w.create(t, w.manager1, company("Пашкевич", ""))
	ip := company("", "")
	ip.Kind, ip.LegalName, ip.ShortName = crm.KindSoleProprietor, "ИП Пашкевич Иван Петрович", ""
	dups, err := w.svc.FindDuplicates(w.ctx, w.manager1, ip)
	require.NoError(t, err)
	assert.Empty(t, dups)

	other := company("", "")
	other.Kind, other.LegalName, other.ShortName = crm.KindSoleProprietor, "ИП Пашкевич Алексей Олегович", ""
	w.create(t, w.manager1, other)
	dups, err = w.svc.FindDuplicates(w.ctx, w.manager1, ip)
	require.NoError(t, err)
	assert.Empty(t, dups)
}
