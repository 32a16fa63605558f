package normalize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
	"pgregory.net/rapid"
)

// namePieces are fragments that exercise the rules of the name keys when
// glued together in random order, with or without separators.
var namePieces = []string{
	"ООО", "ооо", "OOO", "OОO", "оoо", "АО", "ао", "ЗАО", "ПАО", "ИП", "ФГУП", "LLC", "Ltd", "Ltd.", "Inc.", "Co.",
	"GmbH", "KG", "S.A.", "L.L.C.", "o.o.o.", "З.А.О.", "A.B.C.", "A.B", "общество", "с", "ограниченной",
	"ответственностью", "акционерное", "публичное", "Limited", "Liability", "Company", "индивидуальный",
	"предприниматель", "Ромашка", "РОМАШКА", "Ромaшка", "Ёлка", "ёлка", "Сбербанк", "McDonald's", "Л'Этуаль",
	"O'Brien", "Кока-Кола", "Салтыков-Щедрин", "Müller", "Jean-Paul", "1С", "2.0", "№1", "C++", "☕",
	"и\u0306", "И\u0306", "Е\u0308", "e\u0301", "y\u0306", "\u0301", "\u0306", "ʼ", "ʹ", "'", "’", "‘", "`",
	"-", "—", "–", "\u2212", ".", "..", ",", "«", "»", "„", "“", "\"", "(", ")", "/", "\\", "&",
	"\u200b", "\u00ad", "\ufeff", "\u00a0", "\u2009", "\t", "\n", "\x00", "\xff", "\xc3", "x", "y", "o", "о", "у", "z",
}

var nameSeparators = []string{"", "", " ", " ", "  ", "\t", "\u00a0", ",", "-", ".", "'", "«", "»", "\"", "ʼ"}

// nameGen draws strings built from namePieces, or arbitrary strings.
func nameGen() *rapid.Generator[string] {
	pieces := rapid.Custom(func(t *rapid.T) string {
		n := rapid.IntRange(0, 12).Draw(t, "n")
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(rapid.SampledFrom(namePieces).Draw(t, "piece"))
			b.WriteString(rapid.SampledFrom(nameSeparators).Draw(t, "sep"))
		}
		return b.String()
	})
	alphabet := rapid.StringOf(rapid.RuneFrom(
		[]rune(" \t.,-'’ʼ\"«»()аоeoyуиеё\u0301\u0306\u0308\u200bАОООLlCc"),
		unicode.Cyrillic, unicode.Latin, unicode.Mn, unicode.P, unicode.Zs, unicode.Cf))
	return rapid.OneOf(pieces, alphabet, rapid.String())
}

// checkKey checks the shape shared by all Text-based keys.
func checkKey(t require.TestingT, in, out string) {
	require.True(t, utf8.ValidString(out), "invalid UTF-8 %q", out)
	require.False(t, strings.HasPrefix(out, " ") || strings.HasSuffix(out, " "), "untrimmed %q", out)
	require.NotContains(t, out, "  ")
	// Folding only drops or merges characters, but NFC itself can
	// lengthen a text: composition exclusions such as U+0F93 decompose
	// and never recompose. So the bound is the longer of in and NFC(in).
	require.LessOrEqual(t, utf8.RuneCountInString(out), max(utf8.RuneCountInString(in), utf8.RuneCountInString(norm.NFC.String(in))))
	for _, r := range out {
		require.False(t, r != ' ' && (unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)), "rune %U in %q", r, out)
		require.NotEqual(t, 'ё', r)
		require.Equal(t, unicode.ToLower(r), r)
	}
}

func TestPropText(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := nameGen().Draw(t, "in")
		out := Text(in)
		checkKey(t, in, out)
		require.Equal(t, out, Text(out))
	})
}

func TestPropOrgName(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := nameGen().Draw(t, "in")
		out := OrgName(in)
		checkKey(t, in, out)
		require.Equal(t, out, OrgName(out), "OrgName(%q)", in)
		for _, r := range out {
			require.False(t, unicode.IsPunct(r) || isApostrophe(r) || isDash(r), "rune %U in %q", r, out)
		}
		strict, err := OrgNameStrict(in)
		if err == nil {
			require.Equal(t, out, strict)
		} else {
			require.Contains(t, []Reason{ReasonInvalidUTF8, ReasonEmpty}, ReasonOf(err))
		}
	})
}

func TestPropPersonName(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := nameGen().Draw(t, "in")
		out := PersonName(in)
		checkKey(t, in, out)
		require.Equal(t, out, PersonName(out), "PersonName(%q)", in)
		for _, r := range out {
			require.False(t, r != '-' && (unicode.IsPunct(r) || isApostrophe(r)), "rune %U in %q", r, out)
		}
		require.False(t, strings.HasPrefix(out, "-") || strings.HasSuffix(out, "-"))
		require.NotContains(t, out, "--")
	})
}

func TestPropEmail(t *testing.T) {
	localRunes := []rune("abcxyzABCXYZ0189!#$%&'*+/=?^_`{|}~.-иванИВАНёЁй\u0306")
	domainRunes := []rune("abcxyzABCXYZ0189-примерРФ")
	wellFormed := rapid.Custom(func(t *rapid.T) string {
		local := rapid.StringOfN(rapid.RuneFrom(localRunes), 1, 70, -1).Draw(t, "local")
		labels := rapid.SliceOfN(rapid.StringOfN(rapid.RuneFrom(domainRunes), 1, 12, -1), 1, 4).Draw(t, "labels")
		tld := rapid.SampledFrom([]string{"com", "RU", "рф", "xn--p1ai", "123", "a1", ""}).Draw(t, "tld")
		pad := rapid.SampledFrom([]string{"", " ", "\t", "\u00a0", "\n "}).Draw(t, "pad")
		return pad + local + "@" + strings.Join(labels, ".") + "." + tld + pad
	})
	gen := rapid.OneOf(wellFormed, wellFormed, rapid.String(), nameGen())
	valid := 0
	rapid.Check(t, func(t *rapid.T) {
		in := gen.Draw(t, "in")
		out, err := Email(in)
		if err != nil {
			require.Empty(t, out)
			require.NotEmpty(t, ReasonOf(err))
			return
		}
		valid++
		require.True(t, utf8.ValidString(out))
		require.Equal(t, 1, strings.Count(out, "@"))
		require.LessOrEqual(t, len(out), MaxEmailLen)
		require.Equal(t, strings.ToLower(out), out)
		again, err := Email(out)
		require.NoError(t, err, "Email(%q) = %q", in, out)
		require.Equal(t, out, again)
	})
	t.Logf("%d valid addresses", valid)
	require.Positive(t, valid, "generator produced no valid address")
}

// knownNumbers are valid national significant numbers with their region,
// calling code and trunk prefix.
var knownNumbers = []struct{ region, cc, trunk, nsn string }{
	{"RU", "7", "8", "9161234567"},
	{"RU", "7", "8", "4951234567"},
	{"RU", "7", "8", "8005553535"},
	{"DE", "49", "0", "30123456"},
	{"GB", "44", "0", "2079460958"},
	{"US", "1", "1", "6502530000"},
	{"KZ", "7", "8", "7011234567"},
	{"UA", "380", "0", "441234567"},
}

func TestPropPhone(t *testing.T) {
	regions := []string{"RU", "US", "DE", "GB", "KZ", "UA", "ru", "", "ZZ", "XX"}
	gen := rapid.Custom(func(t *rapid.T) [2]string {
		k := rapid.SampledFrom(knownNumbers).Draw(t, "number")
		digits := []byte(k.nsn)
		if rapid.IntRange(0, 3).Draw(t, "mutate") == 0 {
			i := rapid.IntRange(0, len(digits)-1).Draw(t, "pos")
			digits[i] = byte('0' + rapid.IntRange(0, 9).Draw(t, "digit"))
		}
		var prefix string
		region := rapid.SampledFrom(regions).Draw(t, "region")
		switch rapid.IntRange(0, 2).Draw(t, "style") {
		case 0:
			prefix = "+" + k.cc
		case 1:
			prefix = k.trunk
			if rapid.Bool().Draw(t, "own region") {
				region = k.region
			}
		default:
			prefix = ""
		}
		var b strings.Builder
		b.WriteString(prefix)
		for _, d := range digits {
			b.WriteString(rapid.SampledFrom([]string{"", "", "", " ", "-", "(", ")", ".", "\u00a0", "\u2009"}).Draw(t, "sep"))
			b.WriteByte(d)
		}
		b.WriteString(rapid.SampledFrom([]string{"", "", " доб. 12", " ext 5", "#3", " x", "abc"}).Draw(t, "ext"))
		return [2]string{b.String(), region}
	})
	valid := 0
	rapid.Check(t, func(t *rapid.T) {
		in := rapid.OneOf(gen, gen, gen, rapid.Custom(func(t *rapid.T) [2]string {
			return [2]string{rapid.String().Draw(t, "raw"), rapid.SampledFrom(regions).Draw(t, "region")}
		})).Draw(t, "in")
		out, err := Phone(in[0], in[1])
		if err != nil {
			require.Empty(t, out)
			require.NotEmpty(t, ReasonOf(err))
			return
		}
		valid++
		require.Regexp(t, e164RE, out)
		again, err := Phone(out, in[1])
		require.NoError(t, err, "Phone(%q, %q) = %q", in[0], in[1], out)
		require.Equal(t, out, again)
		again, err = Phone(out, "")
		require.NoError(t, err)
		require.Equal(t, out, again)
	})
	t.Logf("%d valid numbers", valid)
	require.Positive(t, valid, "generator produced no valid number")
}

// InitialsName gives either nothing or a key that OrgName keeps as it
// is, the key of the short form the name would be matched with.
func TestPropInitialsName(t *testing.T) {
	words := []string{"Иванов", "Иван", "Иванович", "Петровна", "ИП", "индивидуальный", "предприниматель",
		"оглы", "Ильич", "А", "ООО", "Ivanovich", "Ёлкин", "Ао", "-", "2"}
	gen := rapid.OneOf(nameGen(), rapid.Custom(func(t *rapid.T) string {
		ws := rapid.SliceOfN(rapid.SampledFrom(words), 0, 6).Draw(t, "words")
		return strings.Join(ws, rapid.SampledFrom([]string{" ", ". ", "-", ", "}).Draw(t, "sep"))
	}))
	rapid.Check(t, func(t *rapid.T) {
		in := gen.Draw(t, "in")
		out := InitialsName(in)
		if out == "" {
			return
		}
		checkKey(t, in, out)
		require.Equal(t, out, OrgName(out), "InitialsName(%q)", in)
	})
}
