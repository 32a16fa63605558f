package taxid_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm/taxid"
)

// Real-world identifiers, each confirmed by hand against the algorithm.
var (
	validINN10  = []string{"7707083893", "7736207543"} // Sberbank, Yandex
	validINN12  = []string{"500100732259"}
	validOGRN   = []string{"1027700132195", "1027739850962"} // Sberbank, ...
	validOGRNIP = []string{"304500116000157"}
)

// requireReason asserts that err is a *taxid.Error with the given kind,
// input and reason.
func requireReason(t *testing.T, err error, kind taxid.Kind, input string, code taxid.Reason) {
	t.Helper()
	require.Error(t, err)
	var te *taxid.Error
	require.True(t, errors.As(err, &te), "error %T is not *taxid.Error", err)
	assert.Equal(t, kind, te.Kind)
	assert.Equal(t, input, te.Input)
	assert.Equal(t, code, te.Reason)
}

func TestValidateINN(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
		code taxid.Reason
	}{
		{"sberbank", "7707083893", 10, ""},
		{"yandex", "7736207543", 10, ""},
		{"individual", "500100732259", 12, ""},
		{"generated check 0", "1000000010", 10, ""},
		{"empty", "", 0, taxid.ReasonEmpty},
		{"space only", " ", 0, taxid.ReasonNotDigits},
		{"leading space", " 7707083893", 0, taxid.ReasonNotDigits},
		{"trailing newline", "7707083893\n", 0, taxid.ReasonNotDigits},
		{"inner space", "77070 83893", 0, taxid.ReasonNotDigits},
		{"sign", "+7707083893", 0, taxid.ReasonNotDigits},
		{"letter", "770708389O", 0, taxid.ReasonNotDigits},
		{"full-width digit", "770708389３", 0, taxid.ReasonNotDigits},
		{"arabic-indic digits", "٧٧٠٧٠٨٣٨٩٣", 0, taxid.ReasonNotDigits},
		{"invalid utf-8", "77070838\xff3", 0, taxid.ReasonNotDigits},
		{"9 digits", "770708389", 0, taxid.ReasonBadLength},
		{"11 digits", "77070838930", 0, taxid.ReasonBadLength},
		{"13 digits", "5001007322590", 0, taxid.ReasonBadLength},
		{"10 zeros", "0000000000", 0, taxid.ReasonAllZeros},
		{"12 zeros", "000000000000", 0, taxid.ReasonAllZeros},
		{"10 bad check", "7707083894", 0, taxid.ReasonBadChecksum},
		{"12 bad 11th", "500100732249", 0, taxid.ReasonBadChecksum},
		{"12 bad 12th", "500100732258", 0, taxid.ReasonBadChecksum},
		{"12 digits with a valid 10-digit prefix", "770708389300", 0, taxid.ReasonBadChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := taxid.ValidateINN(tt.in)
			assert.Equal(t, tt.want, n)
			if tt.code == "" {
				require.NoError(t, err)
				return
			}
			requireReason(t, err, taxid.KindINN, tt.in, tt.code)
		})
	}
}

func TestValidateKPP(t *testing.T) {
	tests := []struct {
		name string
		in   string
		code taxid.Reason
	}{
		{"sberbank", "773601001", ""},
		{"yandex", "770401001", ""},
		{"letters in reason code", "7707AB001", ""},
		{"one letter", "77070Z001", ""},
		{"all zeros is only a format check", "000000000", ""},
		{"empty", "", taxid.ReasonEmpty},
		{"8 chars", "77360100", taxid.ReasonBadLength},
		{"10 chars", "7736010011", taxid.ReasonBadLength},
		{"lower-case letters", "7736ab001", taxid.ReasonBadFormat},
		{"cyrillic look-alikes", "7736АВ001", taxid.ReasonBadFormat},
		{"letter in office code", "A73601001", taxid.ReasonBadFormat},
		{"letter in sequence", "77360100A", taxid.ReasonBadFormat},
		{"letter at position 7", "773601A01", taxid.ReasonBadFormat},
		{"space inside", "7736 1001", taxid.ReasonBadFormat},
		{"leading space", " 77360100", taxid.ReasonBadFormat},
		{"full-width digit", "77360100１", taxid.ReasonBadFormat},
		{"invalid utf-8", "77360100\xff", taxid.ReasonBadFormat},
		{"punctuation in reason code", "7736-_001", taxid.ReasonBadFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := taxid.ValidateKPP(tt.in)
			if tt.code == "" {
				require.NoError(t, err)
				return
			}
			requireReason(t, err, taxid.KindKPP, tt.in, tt.code)
		})
	}
}

func TestValidateOGRN(t *testing.T) {
	tests := []struct {
		name string
		in   string
		code taxid.Reason
	}{
		{"sberbank", "1027700132195", ""},
		{"second", "1027739850962", ""},
		{"empty", "", taxid.ReasonEmpty},
		{"letter", "102770013219O", taxid.ReasonNotDigits},
		{"space", "1027700132195 ", taxid.ReasonNotDigits},
		{"12 digits", "102770013219", taxid.ReasonBadLength},
		{"OGRNIP length", "304500116000157", taxid.ReasonBadLength},
		{"zeros", "0000000000000", taxid.ReasonAllZeros},
		{"bad check", "1027700132194", taxid.ReasonBadChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := taxid.ValidateOGRN(tt.in)
			if tt.code == "" {
				require.NoError(t, err)
				return
			}
			requireReason(t, err, taxid.KindOGRN, tt.in, tt.code)
		})
	}
}

func TestValidateOGRNIP(t *testing.T) {
	tests := []struct {
		name string
		in   string
		code taxid.Reason
	}{
		{"valid", "304500116000157", ""},
		{"empty", "", taxid.ReasonEmpty},
		{"full-width", "３04500116000157", taxid.ReasonNotDigits},
		{"OGRN length", "1027700132195", taxid.ReasonBadLength},
		{"16 digits", "3045001160001570", taxid.ReasonBadLength},
		{"zeros", "000000000000000", taxid.ReasonAllZeros},
		{"bad check", "304500116000158", taxid.ReasonBadChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := taxid.ValidateOGRNIP(tt.in)
			if tt.code == "" {
				require.NoError(t, err)
				return
			}
			requireReason(t, err, taxid.KindOGRNIP, tt.in, tt.code)
		})
	}
}

// validatorFor returns a function checking s as the given Russian kind.
func validatorFor(kind taxid.Kind) func(string) error {
	return func(s string) error { return taxid.Validate(kind, s) }
}

// TestSingleDigitChangesOfKnownExamples replaces every digit of every known
// valid example with every other digit. All of these examples have check
// digits that leave no room for a modulo-10 collision, so every change
// must be detected.
func TestSingleDigitChangesOfKnownExamples(t *testing.T) {
	sets := map[taxid.Kind][]string{
		taxid.KindINN:    append(append([]string{}, validINN10...), validINN12...),
		taxid.KindOGRN:   validOGRN,
		taxid.KindOGRNIP: validOGRNIP,
	}
	for kind, examples := range sets {
		validate := validatorFor(kind)
		for _, s := range examples {
			require.NoError(t, validate(s), "%s %s", kind, s)
			for i := 0; i < len(s); i++ {
				for c := byte('0'); c <= '9'; c++ {
					if c == s[i] {
						continue
					}
					b := []byte(s)
					b[i] = c
					assert.Error(t, validate(string(b)), "%s %s changed to %s", kind, s, b)
				}
			}
		}
	}
}

// TestCheckDigitZeroWeakness documents a limit of the official algorithm:
// the weighted sum is reduced modulo 11 and then modulo 10, so residues 0
// and 10 both give the check digit 0 and a single changed digit can go
// unnoticed.
func TestCheckDigitZeroWeakness(t *testing.T) {
	n, err := taxid.ValidateINN("1000000010") // 2*1 + 8*1 = 10 -> 0
	require.NoError(t, err)
	assert.Equal(t, 10, n)
	n, err = taxid.ValidateINN("7000000010") // 2*7 + 8*1 = 22 -> 0
	require.NoError(t, err)
	assert.Equal(t, 10, n)
}

func TestValidate(t *testing.T) {
	assert.NoError(t, taxid.Validate(taxid.KindINN, "7707083893"))
	assert.NoError(t, taxid.Validate(taxid.KindKPP, "773601001"))
	assert.NoError(t, taxid.Validate(taxid.KindOGRN, "1027700132195"))
	assert.NoError(t, taxid.Validate(taxid.KindOGRNIP, "304500116000157"))
	requireReason(t, taxid.Validate(taxid.KindOther, "x"), taxid.KindOther, "x", taxid.ReasonBadKind)
	requireReason(t, taxid.Validate("inn", "7707083893"), "inn", "7707083893", taxid.ReasonBadKind)
	requireReason(t, taxid.Validate(taxid.KindINN, " 7707083893"), taxid.KindINN, " 7707083893", taxid.ReasonNotDigits)
}

func TestParse(t *testing.T) {
	long64 := strings.Repeat("Ж", taxid.MaxOtherLength)
	tests := []struct {
		name    string
		country string
		kind    taxid.Kind
		value   string
		want    taxid.ID
		code    taxid.Reason
		input   string // Error.Input when code != ""
	}{
		{"RU INN trimmed", "RU", taxid.KindINN, " \t7707083893\n", taxid.ID{Country: "RU", Kind: taxid.KindINN, Value: "7707083893"}, "", ""},
		{"RU INN 12", "RU", taxid.KindINN, "500100732259", taxid.ID{Country: "RU", Kind: taxid.KindINN, Value: "500100732259"}, "", ""},
		{"country folded", "ru", taxid.KindKPP, "773601001", taxid.ID{Country: "RU", Kind: taxid.KindKPP, Value: "773601001"}, "", ""},
		{"country mixed case trimmed", " rU ", taxid.KindOGRN, "1027700132195", taxid.ID{Country: "RU", Kind: taxid.KindOGRN, Value: "1027700132195"}, "", ""},
		{"RU OGRNIP", "RU", taxid.KindOGRNIP, "304500116000157", taxid.ID{Country: "RU", Kind: taxid.KindOGRNIP, Value: "304500116000157"}, "", ""},
		{"RU other kept", "RU", taxid.KindOther, "  СНИЛС 112-233-445 95 ", taxid.ID{Country: "RU", Kind: taxid.KindOther, Value: "СНИЛС 112-233-445 95"}, "", ""},
		{"DE other", "de", taxid.KindOther, "DE 123456789", taxid.ID{Country: "DE", Kind: taxid.KindOther, Value: "DE 123456789"}, "", ""},
		{"other 64 runes", "KZ", taxid.KindOther, long64, taxid.ID{Country: "KZ", Kind: taxid.KindOther, Value: long64}, "", ""},

		{"RU INN bad checksum", "RU", taxid.KindINN, " 7707083894 ", taxid.ID{}, taxid.ReasonBadChecksum, "7707083894"},
		{"RU INN inner space", "RU", taxid.KindINN, "77070 83893", taxid.ID{}, taxid.ReasonNotDigits, "77070 83893"},
		{"RU INN blank", "RU", taxid.KindINN, "   ", taxid.ID{}, taxid.ReasonEmpty, ""},
		{"RU KPP lower case", "RU", taxid.KindKPP, "7736ab001", taxid.ID{}, taxid.ReasonBadFormat, "7736ab001"},
		{"RU OGRN zeros", "RU", taxid.KindOGRN, "0000000000000", taxid.ID{}, taxid.ReasonAllZeros, "0000000000000"},
		{"RU unknown kind", "RU", "SNILS", "11223344595", taxid.ID{}, taxid.ReasonBadKind, "11223344595"},
		{"RU empty kind", "RU", "", "7707083893", taxid.ID{}, taxid.ReasonBadKind, "7707083893"},
		{"Russian kind elsewhere", "BY", taxid.KindINN, "7707083893", taxid.ID{}, taxid.ReasonBadKind, "7707083893"},
		{"country empty", "", taxid.KindINN, "7707083893", taxid.ID{}, taxid.ReasonBadCountry, ""},
		{"country one letter", "R", taxid.KindINN, "7707083893", taxid.ID{}, taxid.ReasonBadCountry, "R"},
		{"country alpha-3", "RUS", taxid.KindINN, "7707083893", taxid.ID{}, taxid.ReasonBadCountry, "RUS"},
		{"country digit", "R1", taxid.KindOther, "x", taxid.ID{}, taxid.ReasonBadCountry, "R1"},
		{"country cyrillic", "РУ", taxid.KindINN, "7707083893", taxid.ID{}, taxid.ReasonBadCountry, "РУ"},
		{"country full-width", "ＲＵ", taxid.KindINN, "7707083893", taxid.ID{}, taxid.ReasonBadCountry, "ＲＵ"},
		{"country inner space", "R U", taxid.KindINN, "7707083893", taxid.ID{}, taxid.ReasonBadCountry, "R U"},
		{"other empty", "DE", taxid.KindOther, "", taxid.ID{}, taxid.ReasonEmpty, ""},
		{"other blank", "DE", taxid.KindOther, " \t ", taxid.ID{}, taxid.ReasonEmpty, ""},
		{"other 65 runes", "DE", taxid.KindOther, long64 + "Ж", taxid.ID{}, taxid.ReasonBadLength, long64 + "Ж"},
		{"other NUL", "DE", taxid.KindOther, "a\x00b", taxid.ID{}, taxid.ReasonBadFormat, "a\x00b"},
		{"other inner newline", "DE", taxid.KindOther, "a\nb", taxid.ID{}, taxid.ReasonBadFormat, "a\nb"},
		{"other DEL", "DE", taxid.KindOther, "a\x7fb", taxid.ID{}, taxid.ReasonBadFormat, "a\x7fb"},
		{"other C1 control", "DE", taxid.KindOther, "a\u0085b", taxid.ID{}, taxid.ReasonBadFormat, "a\u0085b"},
		{"other invalid utf-8", "DE", taxid.KindOther, "a\xffb", taxid.ID{}, taxid.ReasonBadFormat, "a\xffb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := taxid.Parse(tt.country, tt.kind, tt.value)
			assert.Equal(t, tt.want, got)
			if tt.code == "" {
				require.NoError(t, err)
				return
			}
			requireReason(t, err, tt.kind, tt.input, tt.code)
		})
	}
}

func TestIDString(t *testing.T) {
	assert.Equal(t, "", taxid.ID{}.String())
	assert.True(t, taxid.ID{}.IsZero())
	id, err := taxid.Parse("ru", taxid.KindINN, "7707083893")
	require.NoError(t, err)
	assert.False(t, id.IsZero())
	assert.Equal(t, "RU:INN:7707083893", id.String())

	id, err = taxid.Parse("fr", taxid.KindOther, "FR:40 303 265 045")
	require.NoError(t, err)
	s := id.String()
	assert.Equal(t, "FR:OTHER:FR:40 303 265 045", s)
	parts := strings.SplitN(s, ":", 3)
	require.Len(t, parts, 3)
	assert.Equal(t, taxid.ID{Country: parts[0], Kind: taxid.Kind(parts[1]), Value: parts[2]}, id)
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		err *taxid.Error
		en  string
		ru  string
	}{
		{
			&taxid.Error{Kind: taxid.KindINN, Input: "7707083894", Reason: taxid.ReasonBadChecksum},
			`taxid: invalid INN "7707083894": check digit does not match`,
			`некорректный ИНН "7707083894": не сходится контрольное число`,
		},
		{
			&taxid.Error{Kind: taxid.KindKPP, Input: "", Reason: taxid.ReasonEmpty},
			`taxid: KPP is empty`,
			`не указан КПП`,
		},
		{
			&taxid.Error{Kind: taxid.KindOGRNIP, Input: "1", Reason: taxid.ReasonBadLength},
			`taxid: invalid OGRNIP "1": must have 15 digits`,
			`некорректный ОГРНИП "1": должен содержать 15 цифр`,
		},
		{
			&taxid.Error{Kind: taxid.KindOGRN, Input: "0000000000000", Reason: taxid.ReasonAllZeros},
			`taxid: invalid OGRN "0000000000000": must not consist of zeros only`,
			`некорректный ОГРН "0000000000000": не может состоять из одних нулей`,
		},
		{
			&taxid.Error{Kind: taxid.KindINN, Input: "RUS", Reason: taxid.ReasonBadCountry},
			`taxid: invalid country code "RUS" for INN: want two ASCII letters (ISO 3166-1 alpha-2)`,
			`некорректный код страны "RUS": ожидаются две латинские буквы (ISO 3166-1 alpha-2)`,
		},
		{
			&taxid.Error{Kind: taxid.KindOther, Input: "a\x00b", Reason: taxid.ReasonBadFormat},
			`taxid: invalid identifier "a\x00b": contains control characters or is not valid UTF-8`,
			`некорректный идентификатор "a\x00b": содержит управляющие символы или недопустимую кодировку`,
		},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.en, tt.err.Error())
		assert.Equal(t, tt.ru, tt.err.Message("ru"))
	}

	// Every combination produces a well-formed, non-empty message.
	kinds := []taxid.Kind{taxid.KindINN, taxid.KindKPP, taxid.KindOGRN, taxid.KindOGRNIP, taxid.KindOther, "", "X"}
	reasons := []taxid.Reason{
		taxid.ReasonEmpty, taxid.ReasonNotDigits, taxid.ReasonBadLength, taxid.ReasonBadChecksum,
		taxid.ReasonBadFormat, taxid.ReasonBadCountry, taxid.ReasonAllZeros, taxid.ReasonBadKind, "unknown",
	}
	for _, k := range kinds {
		for _, r := range reasons {
			e := &taxid.Error{Kind: k, Input: "in\xff", Reason: r}
			for _, msg := range []string{e.Error(), e.Message("ru")} {
				assert.NotEmpty(t, msg)
				assert.NotContains(t, msg, "%!", "kind %q reason %q", k, r)
			}
		}
	}

	var nilErr *taxid.Error
	assert.NotPanics(t, func() { _ = nilErr.Error(); _ = nilErr.Message("ru") })
}

func TestReasonCodesAreStable(t *testing.T) {
	assert.Equal(t, taxid.Reason("empty"), taxid.ReasonEmpty)
	assert.Equal(t, taxid.Reason("not_digits"), taxid.ReasonNotDigits)
	assert.Equal(t, taxid.Reason("bad_length"), taxid.ReasonBadLength)
	assert.Equal(t, taxid.Reason("bad_checksum"), taxid.ReasonBadChecksum)
	assert.Equal(t, taxid.Reason("bad_format"), taxid.ReasonBadFormat)
	assert.Equal(t, taxid.Reason("bad_country"), taxid.ReasonBadCountry)
	assert.Equal(t, taxid.Reason("all_zeros"), taxid.ReasonAllZeros)
	assert.Equal(t, taxid.Reason("bad_kind"), taxid.ReasonBadKind)
}

func TestMatchValue(t *testing.T) {
	tests := []struct{ name, country, value, want string }{
		{"russian INN as stored", "RU", "7707083893", "7707083893"},
		{"vat form", "DE", "DE123456789", "123456789"},
		{"bare number", "DE", "123456789", "123456789"},
		{"lower case and spaces", "de", "de 123 456 789", "123456789"},
		{"dots and dashes", "DE", "DE-123.456.789", "123456789"},
		{"slash", "FR", "FR 12/345678901", "12345678901"},
		{"letters kept upper-cased", "ES", "esb12345678", "B12345678"},
		{"spanish nif without prefix", "ES", "B-12345678", "B12345678"},
		{"greek EL prefix", "GR", "EL 123456789", "123456789"},
		{"greek GR prefix", "GR", "GR123456789", "123456789"},
		{"prefix with no digit after it kept", "DE", "DE", "DE"},
		{"another country's prefix kept", "AT", "DE123456789", "DE123456789"},
		{"full-width", "KZ", "１２３４５６７８９０１２", "123456789012"},
		{"full-width letters", "GB", "ＧＢ１２３", "123"},
		{"non-latin letters upper-cased", "BY", "ун 190123456", "УН190123456"},
		{"nothing but punctuation kept as stored", "US", "--", "--"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind := taxid.KindOther
			if strings.EqualFold(tt.country, "RU") {
				kind = taxid.KindINN
			}
			id, err := taxid.Parse(tt.country, kind, tt.value)
			require.NoError(t, err)
			assert.Equal(t, tt.want, id.MatchValue())
		})
	}
}
