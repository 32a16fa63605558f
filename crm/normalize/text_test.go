package normalize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only spaces", " \t\n\u00a0\u2009 ", ""},
		{"already folded", "already folded", "already folded"},
		{"ascii upper", "Hello World", "hello world"},
		{"trim and collapse", "  Hello   World  ", "hello world"},
		{"tabs newlines", "a\tb\nc\r\nd", "a b c d"},
		{"nbsp thin space", "Привет\u00a0\u2009мир", "привет мир"},
		{"narrow nbsp ideographic", "a\u202fb\u3000c", "a b c"},
		{"line separators", "a\u2028b\u2029c\u0085d", "a b c d"},
		{"cyrillic upper", "МОСКВА", "москва"},
		{"yo lower", "ёжик", "ежик"},
		{"yo upper", "ЁЛКА", "елка"},
		{"mixed case ru en", "ООО Ромашка Trading", "ооо ромашка trading"},
		{"decomposed short i", "и\u0306", "й"},
		{"decomposed upper short i", "И\u0306ошкар-Ола", "йошкар-ола"},
		{"decomposed yo", "Е\u0308лка", "елка"},
		{"yo with an extra diaeresis and a breve", "Ё\u0308\u0306", "\u04d7"},
		{"yo with diaeresis after a lower-class mark", "Ё\u0323\u0308", "е\u0323"},
		{"many diaereses", "е\u0323\u0308\u0323\u0308\u0308", "е\u0323\u0323"},
		{"diaeresis after a removed joiner", "е\u200d\u0308", "е"},
		{"diaeresis after a space stays", "е \u0308", "е \u0308"},
		{"diaeresis after a space and a mark stays", "е \u0316\u0308", "е \u0316\u0308"},
		{"decomposed latin", "Cafe\u0301", "café"},
		{"decomposed after removed zwsp", "e\u200b\u0301", "é"},
		{"no compose across space", "a \u0301", "a \u0301"},
		{"mark at start", "\u0301a", "\u0301a"},
		{"double accent vietnamese", "e\u0302\u0301", "ế"},
		{"zero width", "Ро\u200bма\u200dшка\ufeff", "ромашка"},
		{"soft hyphen", "soft\u00adhyphen", "softhyphen"},
		{"bidi marks", "\u202eabc\u202c", "abc"},
		{"invalid utf8 dropped", "\xff\xfeabc\xc3", "abc"},
		{"invalid between words", "ab\xff cd", "ab cd"},
		{"replacement char kept", "a\ufffdb", "a\ufffdb"},
		{"controls are spaces", "a\x00b\x07c\x7fd", "a b c d"},
		{"punctuation kept", "«Рога и копыта», ltd.", "«рога и копыта», ltd."},
		{"german", "Straße MÜLLER", "straße müller"},
		{"turkish dotted I", "İstanbul", "istanbul"},
		{"greek", "ΑΘΗΝΑ", "αθηνα"},
		{"ligature", "ŒUVRE", "œuvre"},
		{"emoji kept", "Cafe ☕", "cafe ☕"},
		{"digits", "  2024  ", "2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, Text(got), "idempotent")
			assert.True(t, utf8.ValidString(got))
		})
	}
}

func TestTextFastPathDoesNotAllocate(t *testing.T) {
	s := "already folded text"
	allocs := testing.AllocsPerRun(100, func() { _ = Text(s) })
	assert.Zero(t, allocs)
}

func TestTextHuge(t *testing.T) {
	s := strings.Repeat("Ab\u00a0Ё \xff", 200_000)
	got := Text(s)
	assert.True(t, strings.HasPrefix(got, "ab е ab е "))
	assert.True(t, utf8.ValidString(got))
}

// The idempotence of Text relies on simple lower-casing being idempotent.
func TestToLowerIdempotentForAllRunes(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); unicode.ToLower(l) != l {
			t.Fatalf("ToLower not idempotent at %U", r)
		}
	}
}

func TestTextComposes(t *testing.T) {
	assert.Equal(t, "й", Text("и\u0306"))
	assert.Equal(t, "е", Text("е\u0308"), "a decomposed ё is composed, then folded to е")
	assert.Equal(t, "е", Text("Е\u0308"))
	assert.Equal(t, "é", Text("e\u0301"))
	assert.Equal(t, "е", Text("е\u200b\u0308"), "a mark left beside a letter by a dropped zero-width space")
}

func TestFixMixedScript(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ромашка", "ромашка"},         // Cyrillic only
		{"romashka", "romashka"},       // Latin only
		{"ромaшка", "ромашка"},         // Latin a in a Cyrillic word
		{"ooо", "ooo"},                 // two Latin o, one Cyrillic о
		{"oоо", "ооо"},                 // one Latin o, two Cyrillic о
		{"oо", "оо"},                   // tie goes to Cyrillic
		{"microsоft", "microsoft"},     // Cyrillic о in a Latin word
		{"zооm", "zoom"},               // z has no Cyrillic twin, о has a Latin one
		{"вмw", "bmw"},                 // в and м written for B and M
		{"жzz", "жzz"},                 // neither side repairable
		{"ромy\u0306", "ромў"},         // repaired letter composes with the accent
		{"123", "123"},                 // no letters
		{"ромашка2000", "ромашка2000"}, // digits do not count
		{"café", "café"},               // accented Latin, single script
		{"cafėж", "cafėж"},             // é-like Latin letter has no twin
	}
	for _, tt := range tests {
		got := fixMixedScript(tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, got, fixMixedScript(got), "idempotent %q", tt.in)
	}
}

// The fast paths must agree with the Unicode tables they short-cut.
func TestFastPathsMatchUnicodeTables(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := unicode.ToLower(r)
		if got := foldRune(r, false); got != want {
			t.Fatalf("foldRune(%U) = %U, want %U", r, got, want)
		}
		if want == 'ё' {
			want = 'е'
		}
		if got := foldRune(r, true); got != want {
			t.Fatalf("foldRune(%U, yo) = %U, want %U", r, got, want)
		}
		if got := isCyrillicLetter(r); got != (unicode.Is(unicode.Cyrillic, r) && unicode.IsLetter(r)) {
			t.Fatalf("isCyrillicLetter(%U) = %v", r, got)
		}
		if isCyrillicBlock(r) && (unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsPunct(r)) {
			t.Fatalf("%U breaks the Cyrillic fast path", r)
		}
	}
	for r := rune(0); r < utf8.RuneSelf; r++ {
		want := r == ' ' || (isDash(r) || unicode.IsPunct(r)) && r != '.' && !isApostrophe(r)
		require.Equal(t, want, isOrgBreak(r), "isOrgBreak %q", r)
	}
}
