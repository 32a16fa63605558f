package rootcause

import (
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func analyzeForTest(text string, limit int) ([]token, analysis) {
	az := getAnalyzer()
	defer putAnalyzer(az)
	a := az.analyze(text, limit)
	toks := append([]token(nil), a.tokens...)
	a.tokens = toks
	return toks, a
}

func surfaces(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.surface
	}
	return out
}

func TestAnalyzeSurfaces(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"   \t\n", []string{}},
		{"Ёлка ЁЖИК", []string{"елка", "ежик"}},
		{"Повреждён", []string{"поврежден"}},
		{"кабель-канал 16х16", []string{"кабель", "канал", "16х16"}},
		{"We don't know; it can't", []string{"we", "do", "not", "know", "it", "ca", "not"}},
		{"cannot", []string{"can", "not"}},
		{"customer’s order", []string{"customer's", "order"}},
		{"'quoted'", []string{"quoted"}},
		{"толщина 1,8 мм и 2.5 мм", []string{"толщина", "1.8", "мм", "и", "2.5", "мм"}},
		{"конец. 5", []string{"конец", "5"}},
		{"пaллет", []string{"паллет"}},   // Latin a in a Cyrillic word
		{"pаllet", []string{"pallet"}},   // Cyrillic а in a Latin word
		{"и\u0306од", []string{"йод"}},   // combining breve
		{"cafe\u0301", []string{"cafe"}}, // other combining marks dropped
		{"日本語 テキスト", []string{"日本語", "テキスト"}},
		{"a\xffb", []string{"a", "b"}},
	}
	for _, tt := range cases {
		toks, _ := analyzeForTest(tt.in, DefaultMaxTextBytes)
		assert.Equal(t, tt.want, surfaces(toks), "%q", tt.in)
	}
}

func TestAnalyzeStemsAndScripts(t *testing.T) {
	toks, a := analyzeForTest("Коробки повреждены, boxes damaged 42 x2", DefaultMaxTextBytes)
	require.Len(t, toks, 6)
	assert.Equal(t, scriptCyrillic, toks[0].script)
	assert.Equal(t, "коробк", toks[0].stem)
	assert.Equal(t, "поврежд", toks[1].stem)
	assert.Equal(t, scriptLatin, toks[2].script)
	assert.Equal(t, "box", toks[2].stem)
	assert.Equal(t, "damag", toks[3].stem)
	assert.Equal(t, scriptOther, toks[4].script)
	assert.Equal(t, "42", toks[4].stem)
	assert.Equal(t, "x2", toks[5].stem)
	assert.Equal(t, 2, a.cyrillic)
	assert.Equal(t, 2, a.latin)
	assert.Equal(t, "mixed", a.language())

	_, a = analyzeForTest("только русский текст", DefaultMaxTextBytes)
	assert.Equal(t, "ru", a.language())
	_, a = analyzeForTest("plain english text", DefaultMaxTextBytes)
	assert.Equal(t, "en", a.language())
	_, a = analyzeForTest("123 456", DefaultMaxTextBytes)
	assert.Equal(t, "", a.language())

	long := strings.Repeat("a", maxStemRunes+1)
	toks, _ = analyzeForTest(long, DefaultMaxTextBytes)
	assert.Equal(t, scriptOther, toks[0].script)
	assert.Equal(t, long, toks[0].stem)
}

func TestAnalyzeClauses(t *testing.T) {
	toks, _ := analyzeForTest("упаковка не повреждена, но товар разбит. Next: ok but bad", DefaultMaxTextBytes)
	clause := map[string]int32{}
	for _, t := range toks {
		clause[t.surface] = t.clause
	}
	assert.Equal(t, clause["упаковка"], clause["повреждена"])
	assert.Less(t, clause["повреждена"], clause["но"])
	assert.Equal(t, clause["но"], clause["разбит"])
	assert.Less(t, clause["разбит"], clause["next"])
	assert.Less(t, clause["ok"], clause["but"])
	assert.Equal(t, clause["but"], clause["bad"])
}

func TestCapText(t *testing.T) {
	s, cut := capText("абв", 3) // "а" is 2 bytes: cut back to a rune boundary
	assert.Equal(t, "а", s)
	assert.True(t, cut)
	s, cut = capText("abc", 3)
	assert.Equal(t, "abc", s)
	assert.False(t, cut)
	_, a := analyzeForTest(strings.Repeat("слово ", 20000), DefaultMaxTextBytes)
	assert.True(t, a.truncated)
	assert.LessOrEqual(t, len(a.norm), DefaultMaxTextBytes)
}

func TestStemCacheConcurrent(t *testing.T) {
	words := []string{"повреждения", "задержка", "damaged", "delayed", "недостача", "shortage"}
	want := make([]string, len(words))
	for i, w := range words {
		sc := scriptLatin
		if !strings.ContainsAny(w, "abcdefghijklmnopqrstuvwxyz") {
			sc = scriptCyrillic
		}
		want[i] = stemWord(w, sc)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				k := (g + i) % len(words)
				sc := scriptLatin
				if !strings.ContainsAny(words[k], "abcdefghijklmnopqrstuvwxyz") {
					sc = scriptCyrillic
				}
				if got := stems.get(words[k], sc); got != want[k] {
					t.Errorf("stem(%q) = %q, want %q", words[k], got, want[k])
					return
				}
				// fill the cache with unique words so shards get reset
				stems.get("слово"+strings.Repeat("а", i%30), scriptCyrillic)
			}
		})
	}
	wg.Wait()
}

// Property: any input gives valid UTF-8 tokens without separators, with
// non-decreasing clauses, within the cap.
func TestAnalyzeProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		text := rapid.OneOf(
			rapid.String(),
			rapid.StringOf(rapid.RuneFrom([]rune("абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcxyz ,.!'’-0123456789\u0306"))),
		).Draw(t, "text")
		limit := rapid.IntRange(1, 256).Draw(t, "limit")
		toks, a := analyzeForTest(text, limit)
		assert.LessOrEqual(t, len(a.norm), 2*limit+8)
		var last int32
		for _, tk := range toks {
			if tk.surface == "" || !utf8.ValidString(tk.surface) || strings.ContainsAny(tk.surface, " \t\n.,") &&
				!isNumber(tk.surface) {
				t.Fatalf("bad token %q", tk.surface)
			}
			if tk.clause < last {
				t.Fatalf("clause went back: %d < %d", tk.clause, last)
			}
			last = tk.clause
		}
	})
}

func TestAnalyzeDecimalsStayNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0,0а", "0.0 а"},
		{"1,5кг", "1.5 кг"},
		{"10кг", "10кг"},
		{"а0,5", "а0 5"},
		{"1.2.3", "1.2.3"},
		{"2,5 тонны", "2.5 тонны"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			toks, _ := analyzeForTest(tt.in, 256)
			got := make([]string, len(toks))
			for i, tk := range toks {
				got[i] = tk.surface
			}
			assert.Equal(t, tt.want, strings.Join(got, " "))
		})
	}
}
