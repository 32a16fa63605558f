package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrgName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// The cases from the specification.
		{"ooo quotes", `ООО "Ромашка"`, "ромашка"},
		{"ooo guillemets upper", `ооо «РОМАШКА»`, "ромашка"},
		{"spelled out ooo", `Общество с ограниченной ответственностью "Ромашка"`, "ромашка"},
		{"pao sber", `ПАО «Сбербанк»`, "сбербанк"},
		{"yo and zao after comma", `Ёлка, ЗАО`, "елка"},
		{"latin stays latin", `Romashka LLC`, "romashka"},

		// Quotes of every kind.
		{"german quotes", `ООО „Ромашка“`, "ромашка"},
		{"english quotes", `ООО “Ромашка”`, "ромашка"},
		{"single guillemets", `ООО ‹Ромашка›`, "ромашка"},
		{"nested quotes", `АО «Завод „Прогресс“»`, "завод прогресс"},
		{"quotes without space", `ООО"Ромашка"`, "ромашка"},
		{"guillemets without space", `ООО«Ромашка»`, "ромашка"},
		{"single quotes", `ООО 'Ромашка'`, "ромашка"},
		{"single quotes without space", `ООО'Ромашка'`, "ромашка"},
		{"typographic single quotes", `ООО ‘Ромашка’`, "ромашка"},
		{"backticks", "ООО `Ромашка`", "ромашка"},
		{"apostrophe in word latin", `McDonald's`, "mcdonalds"},
		{"apostrophe in word cyrillic", `ООО «Л'Этуаль»`, "лэтуаль"},
		{"typographic apostrophe", `L’Oréal S.A.`, "loréal"},

		// Legal forms anywhere, as whole words.
		{"form at end", `Ромашка ООО`, "ромашка"},
		{"form in middle", `Ромашка ООО Москва`, "ромашка москва"},
		{"form in brackets", `Ромашка (ООО)`, "ромашка"},
		{"several forms", `ООО Ромашка LLC`, "ромашка"},
		{"latin ooo", `OOO Romashka`, "romashka"},
		{"mixed script ooo", `OОO «Ромашка»`, "ромашка"},
		{"homoglyph in name", `ООО «Ромaшка»`, "ромашка"},
		{"oao", `ОАО "РЖД"`, "ржд"},
		{"ao", `АО «Тинькофф Банк»`, "тинькофф банк"},
		{"nao", `НАО «Ромашка»`, "ромашка"},
		{"ip", `ИП Иванов Иван Иванович`, "иванов иван иванович"},
		{"ip spelled", `Индивидуальный предприниматель Иванов И.И.`, "иванов ии"},
		{"too kz", `ТОО «Ромашка»`, "ромашка"},
		{"fgup", `ФГУП «Почта России»`, "почта россии"},
		{"gup mup", `ГУП Мосгортранс МУП`, "мосгортранс"},
		{"ano", `АНО «Ромашка»`, "ромашка"},
		{"nko", `НКО Фонд`, "фонд"},
		{"chup odo up", `ЧУП ОДО УП Ромашка`, "ромашка"},
		{"ao spelled", `Акционерное общество «Ромашка»`, "ромашка"},
		{"pao spelled", `Публичное акционерное общество «Сбербанк России»`, "сбербанк россии"},
		{"zao spelled", `Закрытое акционерное общество Ромашка`, "ромашка"},
		{"oao spelled", `Открытое акционерное общество "Ромашка"`, "ромашка"},
		{"spelled at end", `Ромашка, общество с ограниченной ответственностью`, "ромашка"},
		{"spelled with yo and caps", `ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ «ЁЛКА»`, "елка"},
		{"partial phrase kept", `Общество любителей чая`, "общество любителей чая"},
		{"word containing form kept", `Аом Ипподром`, "аом ипподром"},
		{"llc spelled", `Acme Limited Liability Company`, "acme"},
		{"ltd dot", `Acme Ltd.`, "acme"},
		{"inc comma", `Acme, Inc.`, "acme"},
		{"corp", `Acme Corp`, "acme"},
		{"corporation", `Acme Corporation`, "acme"},
		{"co ltd", `Acme Co., Ltd.`, "acme"},
		{"co dot ltd", `Acme Co.Ltd`, "acme"},
		{"company", `Ford Motor Company`, "ford motor"},
		{"gmbh co kg", `Müller GmbH & Co. KG`, "müller"},
		{"ag", `Siemens AG`, "siemens"},
		{"sa dotted", `Renault S.A.`, "renault"},
		{"sas srl bv plc llp", `X SAS SRL BV PLC LLP`, "x"},
		{"jsc family", `JSC PJSC CJSC OJSC Gazprom`, "gazprom"},
		{"llc dotted", `Acme L.L.C.`, "acme"},
		{"ooo dotted latin", `o.o.o. Romashka`, "romashka"},
		{"zao dotted cyrillic", `З.А.О. Ромашка`, "ромашка"},

		// Only a legal form: keep it.
		{"only ao", `АО`, "ао"},
		{"only forms", `ООО LLC`, "ооо llc"},
		{"only forms quoted", `«АО»`, "ао"},
		{"forms joined by removal", `акционерное ООО общество`, "акционерное ооо общество"},

		// Punctuation and white space.
		{"hyphen", `Кока-Кола`, "кока кола"},
		{"dashes", `Альфа—Банк – Москва`, "альфа банк москва"},
		{"minus sign", "Альфа\u2212Банк", "альфа банк"},
		{"slash backslash ampersand", `Alpha/Beta\Gamma & Delta`, "alpha beta gamma delta"},

		// Single letters in a row are initials, however they are spaced.
		{"initials with spaces", `ИП Иванов И. И.`, "иванов ии"},
		{"initials without spaces", `ИП Иванов И.И.`, "иванов ии"},
		{"initials without dots", `ИП Иванов И И`, "иванов ии"},
		{"latin initials with spaces", `J. P. Morgan`, "jp morgan"},
		{"letters split by slash", `A/B Trading`, "ab trading"},
		{"one letter stays a word", `Магазин у дома`, "магазин у дома"},
		{"letters brought together by a dropped form", `А ООО Б`, "аб"},
		{"letters that join into a form", `Иванов A G`, "иванов"},
		{"initials mixing scripts", "e Ѐ", "еѐ"},
		{"brackets colon semicolon", `Ромашка (Москва): филиал; офис`, "ромашка москва филиал офис"},
		{"initialism", `A.B.C. Trading`, "abc trading"},
		{"initialism without last dot", `A.B.C Trading`, "abc trading"},
		{"dot between words", `ромашка.ру`, "ромашка ру"},
		{"single initial", `J.Smith Ltd`, "j smith"},
		{"decimal", `Версия 2.0`, "версия 2 0"},
		{"exclamation", `Эльдорадо!`, "эльдорадо"},
		{"symbols kept", `C++ №1 Ltd`, "c++ №1"},
		{"tabs nbsp thin", "ООО\t«Ромашка»\u00a0\u2009Плюс", "ромашка плюс"},
		{"newlines", "ООО\n\"Ромашка\"\r\n", "ромашка"},
		{"zero width", "Ром\u200bашка\u00ad", "ромашка"},
		{"decomposed", "Ёлочка-И\u0306ошкар", "елочка йошкар"},
		{"invalid utf8 dropped", "ООО \xff\"Ромашка\"\xfe", "ромашка"},
		{"empty", "", ""},
		{"only punctuation", `«» ,. -`, ""},
		{"only spaces", " \t\u00a0", ""},
		{"digits", `ООО 1С`, "1с"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := OrgName(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, OrgName(got), "idempotent")
		})
	}
}

func TestOrgNameLimits(t *testing.T) {
	atLimit := strings.Repeat("я", MaxNameLen) // 2048 bytes, 1024 runes
	assert.Equal(t, strings.Repeat("я", MaxNameLen), OrgName(atLimit))
	assert.Equal(t, "", OrgName(atLimit+"я"))
	assert.Equal(t, "", OrgName(strings.Repeat("ООО ", 1<<20)))
	assert.Equal(t, "", OrgName(strings.Repeat("\xff", MaxNameLen+1)))

	k, err := OrgNameStrict(atLimit)
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("я", MaxNameLen), k)
	for _, tt := range []struct {
		in   string
		want Reason
	}{
		{atLimit + "я", ReasonTooLong},
		{strings.Repeat("a", 10_000_000), ReasonTooLong},
		{"Ромашка\xff", ReasonInvalidUTF8},
		{"", ReasonEmpty},
		{"  «»  ", ReasonEmpty},
	} {
		k, err := OrgNameStrict(tt.in)
		assert.Empty(t, k)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, tt.want, e.Reason)
		assert.Equal(t, FieldName, e.Field)
	}
	k, err = OrgNameStrict(`ООО "Ромашка"`)
	require.NoError(t, err)
	assert.Equal(t, "ромашка", k)
}

func TestPersonName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"simple", "Иванов Иван Иванович", "иванов иван иванович"},
		{"upper", "ИВАНОВ ИВАН", "иванов иван"},
		{"yo", "Ёлкин Пётр Семёнович", "елкин петр семенович"},
		{"order kept", "Иван Иванов", "иван иванов"},
		{"extra spaces", "  Иванов \t Иван\u00a0\u2009Иванович  ", "иванов иван иванович"},
		{"double surname", "Салтыков-Щедрин Михаил", "салтыков-щедрин михаил"},
		{"en dash in word", "Салтыков–Щедрин", "салтыков-щедрин"},
		{"non-breaking hyphen", "Салтыков\u2011Щедрин", "салтыков-щедрин"},
		{"spaced dash", "Иванов - Петров", "иванов петров"},
		{"em dash", "Иванов — Петров", "иванов петров"},
		{"double hyphen", "Иванов--Петров", "иванов петров"},
		{"leading trailing hyphen", "-Иванов-", "иванов"},
		{"english hyphen", "Jean-Paul Sartre", "jean-paul sartre"},
		{"initials", "И.И. Иванов", "и и иванов"},
		{"initials spaced", "Иванов И. И.", "иванов и и"},
		{"apostrophe", "O'Brien", "obrien"},
		{"typographic apostrophe", "O’Brien", "obrien"},
		{"cyrillic apostrophe", "Д'Артаньян", "дартаньян"},
		{"modifier apostrophe", "Марʼяна", "маряна"},
		{"quoted nickname", `Иван "Ваня" Иванов`, "иван ваня иванов"},
		{"guillemets", "«Иванов»", "иванов"},
		{"comma", "Иванов, Иван", "иванов иван"},
		{"brackets", "Иванов Иван (менеджер)", "иванов иван менеджер"},
		{"decomposed", "Андре\u0301 Йо\u0308", "андре́ йӧ"},
		{"decomposed short i", "Серги\u0438\u0306", "сергий"},
		{"german", "Jörg MÜLLER", "jörg müller"},
		{"homoglyph", "Ивaнов", "иванов"},
		{"homoglyph in hyphenated", "Пeтров-Boдкин", "петров-водкин"},
		{"latin kept", "Ivanov Ivan", "ivanov ivan"},
		{"zero width", "Ива\u200bнов", "иванов"},
		{"invalid utf8", "Иванов\xff Иван", "иванов иван"},
		{"hyphen before apostrophe", "a-'b", "a b"},
		{"hyphen before modifier apostrophe", "a-ʼb", "a b"},
		{"apostrophe then hyphen", "o'b-c", "ob-c"},
		{"digits", "Иван 2-й", "иван 2-й"},
		{"empty", "", ""},
		{"only punctuation", " - . , ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PersonName(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, PersonName(got), "idempotent")
		})
	}
}

func TestPersonNameLimits(t *testing.T) {
	atLimit := strings.Repeat("ж", MaxNameLen)
	assert.Equal(t, atLimit, PersonName(atLimit))
	assert.Equal(t, "", PersonName(atLimit+" "))
	assert.Equal(t, "", PersonName(strings.Repeat("Иван ", 1<<20)))

	for _, tt := range []struct {
		in   string
		want Reason
	}{
		{atLimit + "ж", ReasonTooLong},
		{"Иван\xff", ReasonInvalidUTF8},
		{"", ReasonEmpty},
		{" . - ", ReasonEmpty},
	} {
		k, err := PersonNameStrict(tt.in)
		assert.Empty(t, k)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, tt.want, e.Reason)
		assert.Equal(t, FieldName, e.Field)
	}
	k, err := PersonNameStrict("Иванов  Иван")
	require.NoError(t, err)
	assert.Equal(t, "иванов иван", k)
}

// Results never have more runes than the input, which is what keeps them
// within MaxNameLen.
func TestNameKeysDoNotGrow(t *testing.T) {
	in := strings.Repeat("\u023a", MaxNameLen) // grows in bytes when lower-cased
	got := OrgName(in)
	assert.Equal(t, MaxNameLen, utf8.RuneCountInString(got))
	assert.Greater(t, len(got), len(in))
	assert.Equal(t, got, OrgName(got))
	got = PersonName(in)
	assert.Equal(t, got, PersonName(got))
}

func TestOrgSingleFormsAreShort(t *testing.T) {
	for f := range orgSingleForms {
		assert.LessOrEqual(t, len(f), maxLegalFormLen, f)
		assert.Equal(t, f, OrgName(f), "a lone legal form is kept")
		assert.Equal(t, "x", OrgName("x "+f), f)
	}
	for _, p := range orgPhraseForms {
		phrase := strings.Join(p, " ")
		assert.Equal(t, phrase, Text(phrase), "phrase must be in folded form")
		assert.Equal(t, "x", OrgName(phrase+" x"), phrase)
	}
}

func TestInitialsName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"sole proprietor in full", `ИП Иванов Иван Иванович`, "иванов ии"},
		{"spelled-out form", `Индивидуальный предприниматель Петрова Анна Сергеевна`, "петрова ас"},
		{"form at the end", `Сидоров Пётр Ильич, ИП`, "сидоров пи"},
		{"no form", `Иванов Иван Иванович`, "иванов ии"},
		{"given name first", `Иван Иванович Иванов`, "иванов ии"},
		{"hyphenated surname", `ИП Иванов-Петров Александр Борисович`, "иванов петров аб"},
		{"turkic patronymic", `ИП Алиев Рашид Гасан оглы`, "алиев рг"},
		{"turkic patronymic joined", `ИП Алиев Рашид Гасаноглы`, "алиев рг"},
		{"latin", `Ivanov Ivan Ivanovich`, "ivanov ii"},
		{"initials spelling a form give no key rather than the bare surname", `ИП Иванов Алексей Олегович`, ""},
		{"initials spelling a form, И.П.", `Пашкевич Иван Петрович`, ""},
		{"already initials", `ИП Иванов И.И.`, ""},
		{"two words", `ИП Иванов Иван`, ""},
		{"company form", `ООО Иванов Иван Иванович`, ""},
		{"no patronymic", `Завод Красный Октябрь`, ""},
		{"short word ending like a patronymic", `Петров Иван Лич`, ""},
		{"digits", `ИП Иванов Иван 2 Иванович`, ""},
		{"one-letter given name", `Иванов И Иванович`, ""},
		{"empty", ``, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := InitialsName(tt.in)
			assert.Equal(t, tt.want, got)
			if got != "" {
				assert.Equal(t, got, OrgName(got), "a key OrgName keeps as it is")
			}
		})
	}
	// The full and the short form of one person's name share a key.
	assert.Equal(t, OrgName(`ИП Иванов И. И.`), InitialsName(`ИП Иванов Иван Иванович`))
	assert.Equal(t, OrgName(`ИП Иванов-Петров А.Б.`), InitialsName(`Иванов-Петров Александр Борисович`))
	assert.Equal(t, "", InitialsName(strings.Repeat("я", MaxNameLen+1)))
}
