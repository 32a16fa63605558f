package rootcause

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultLexiconCompiles(t *testing.T) {
	terms := DefaultTerms()
	require.Greater(t, len(terms), 500)
	l, err := NewLexicon(terms)
	require.NoError(t, err)
	assert.Len(t, l.Terms(), len(terms))
	codes := map[Code]int{}
	for _, tm := range terms {
		codes[tm.Code]++
		assert.True(t, tm.Weight > 0 && tm.Weight <= 3, tm.Pattern)
	}
	for _, c := range DefaultTaxonomy().Categories() {
		assert.Positive(t, codes[c.Code], "no terms for %s", c.Code)
	}
	_, err = New(Config{Lexicon: l})
	require.NoError(t, err)
}

func TestNewLexiconErrors(t *testing.T) {
	ok := Term{Code: TransitDamage, Pattern: "вмятина", Weight: 2}
	cases := []struct {
		name   string
		terms  []Term
		reason Reason
		field  string
	}{
		{"none", nil, ReasonEmpty, "terms"},
		{"bad code", []Term{{Code: "a b", Pattern: "x", Weight: 1}}, ReasonUnknownCode, "terms[0].code"},
		{"zero weight", []Term{{Code: "A", Pattern: "x", Weight: 0}}, ReasonOutOfRange, "terms[0].weight"},
		{"NaN weight", []Term{{Code: "A", Pattern: "x", Weight: math.NaN()}}, ReasonOutOfRange, "terms[0].weight"},
		{"huge weight", []Term{{Code: "A", Pattern: "x", Weight: 21}}, ReasonOutOfRange, "terms[0].weight"},
		{"empty pattern", []Term{{Code: "A", Pattern: "  ", Weight: 1}}, ReasonEmpty, "terms[0].pattern"},
		{"star inside", []Term{{Code: "A", Pattern: "ab*c", Weight: 1}}, ReasonBadPattern, "terms[0].pattern"},
		{"short prefix", []Term{{Code: "A", Pattern: "ab*", Weight: 1}}, ReasonBadPattern, "terms[0].pattern"},
		{"no letters", []Term{{Code: "A", Pattern: "!!!", Weight: 1}}, ReasonBadPattern, "terms[0].pattern"},
		{"too long", []Term{{Code: "A", Pattern: strings.Repeat("a", 300), Weight: 1}}, ReasonBadPattern, "terms[0].pattern"},
		{"too many words", []Term{{Code: "A", Pattern: "a b c d e f g h i", Weight: 1}}, ReasonBadPattern, "terms[0].pattern"},
		{"bad utf8", []Term{{Code: "A", Pattern: "a\xff", Weight: 1}}, ReasonBadPattern, "terms[0].pattern"},
		{"duplicate stem", []Term{ok, {Code: TransitDamage, Pattern: "вмятины", Weight: 1}}, ReasonDuplicate, "terms[1].pattern"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewLexicon(tt.terms)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidLexicon)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tt.reason, e.Reason)
			assert.Equal(t, tt.field, e.Field)
		})
	}
	// The same pattern for two codes is one phrase crediting both.
	l, err := NewLexicon([]Term{ok, {Code: Packaging, Pattern: "вмятины", Weight: 1}})
	require.NoError(t, err)
	assert.Len(t, l.phrases, 1)
	assert.Len(t, l.phrases[0].entries, 2)

	_, err = New(Config{Lexicon: l, Taxonomy: mustTaxonomy(t)})
	require.ErrorIs(t, err, ErrInvalidConfig)
	assert.Contains(t, err.Error(), "lexicon.terms[0].code")
}

func mustTaxonomy(t *testing.T) *Taxonomy {
	tax, err := NewTaxonomy([]Category{
		{Code: "DAMAGE", NameEN: "Damage", NameRU: "Повреждение", Party: PartyCarrier},
		{Code: "LATE", NameEN: "Late", NameRU: "Опоздание", Party: PartyCarrier},
		{Code: "ELSE", NameEN: "Else", NameRU: "Прочее"},
	}, "ELSE")
	require.NoError(t, err)
	return tax
}

// evidenceOf returns the term evidence of a category.
func evidenceOf(r Result, code Code) (counted, negated []string) {
	for _, s := range r.Ranked {
		if s.Code != code {
			continue
		}
		for _, e := range s.Evidence {
			if e.Kind != EvidenceTerm {
				continue
			}
			if e.Negated {
				negated = append(negated, e.Text)
			} else {
				counted = append(counted, e.Text)
			}
		}
	}
	return counted, negated
}

func TestNegation(t *testing.T) {
	lex, err := NewLexicon([]Term{
		{Code: TransitDamage, Pattern: "поврежд*", Weight: 2},
		{Code: TransitDamage, Pattern: "damag*", Weight: 2},
		{Code: TransitDamage, Pattern: "dent*", Weight: 2},
		{Code: TransitDamage, Pattern: "scratch*", Weight: 2},
		{Code: DocumentError, Pattern: "сертификат*", Weight: 2, KeepNegated: true},
		{Code: ProductDefect, Pattern: "не работает", Weight: 3},
		{Code: ProductDefect, Pattern: "работает", Weight: 1},
	})
	require.NoError(t, err)
	c, err := New(Config{Lexicon: lex, FactRules: []FactRule{}})
	require.NoError(t, err)
	cases := []struct {
		text             string
		code             Code
		counted, negated []string
	}{
		{"Упаковка не повреждена", TransitDamage, nil, []string{"повреждена"}},
		{"упаковка без повреждений", TransitDamage, nil, []string{"повреждений"}},
		{"Повреждений упаковки нет", TransitDamage, nil, []string{"повреждений"}},
		{"повреждения отсутствуют", TransitDamage, nil, []string{"повреждения"}},
		{"повреждений не обнаружено", TransitDamage, nil, []string{"повреждений"}},
		{"отсутствие повреждений", TransitDamage, nil, []string{"повреждений"}},
		{"Упаковка не повреждена, но товар поврежден", TransitDamage, []string{"поврежден"}, []string{"повреждена"}},
		{"не было никаких повреждений", TransitDamage, nil, []string{"повреждений"}},
		{"мы не знали. Повреждено", TransitDamage, []string{"повреждено"}, nil},
		{"The box was not damaged", TransitDamage, nil, []string{"damaged"}},
		{"no dents or scratches", TransitDamage, []string(nil), []string{"dents", "scratches"}},
		{"wasn't damaged", TransitDamage, nil, []string{"damaged"}},
		{"damage: none", TransitDamage, nil, []string{"damage"}}, // a cue just after a colon or dash
		{"Повреждения: нет", TransitDamage, nil, []string{"повреждения"}},
		{"Никаких повреждений", TransitDamage, nil, []string{"повреждений"}},
		{"damage none", TransitDamage, nil, []string{"damage"}},
		{"without damage", TransitDamage, nil, []string{"damage"}},
		{"we cannot use these dented cans", TransitDamage, []string{"dented"}, nil}, // "these" stops the negation
		{"Сертификата нет", DocumentError, []string{"сертификата"}, nil},            // keeps negation
		{"нет сертификата", DocumentError, []string{"сертификата"}, nil},
		{"изделие не работает", ProductDefect, []string{"не работает"}, nil}, // the phrase holds the "не"
	}
	for _, tt := range cases {
		r := c.Categorize(tt.text, Facts{})
		counted, negated := evidenceOf(r, tt.code)
		assert.Equal(t, tt.counted, counted, "counted in %q", tt.text)
		assert.Equal(t, tt.negated, negated, "negated in %q", tt.text)
	}
}

func TestLongestMatchAndNumbers(t *testing.T) {
	lex, err := NewLexicon([]Term{
		{Code: WrongItem, Pattern: "вместо", Weight: 2.5},
		{Code: WrongQuantity, Pattern: "вместо #", Weight: 3},
		{Code: WrongQuantity, Pattern: "# из #", Weight: 3},
		{Code: LateDelivery, Pattern: "# days late", Weight: 3},
		{Code: LateDelivery, Pattern: "late", Weight: 1},
		{Code: DocumentError, Pattern: "счет-фактур*", Weight: 3},
	})
	require.NoError(t, err)
	c, err := New(Config{Lexicon: lex, FactRules: []FactRule{}})
	require.NoError(t, err)

	r := c.Categorize("вместо 100 пришло 90", Facts{})
	assert.Equal(t, WrongQuantity, r.Best().Code)
	counted, _ := evidenceOf(r, WrongItem)
	assert.Empty(t, counted, "the longer phrase took the word")

	r = c.Categorize("вместо гаек болты", Facts{})
	assert.Equal(t, WrongItem, r.Best().Code)

	r = c.Categorize("получено 9,5 из 10", Facts{})
	counted, _ = evidenceOf(r, WrongQuantity)
	assert.Equal(t, []string{"9.5 из 10"}, counted)

	r = c.Categorize("arrived 12 days late, late again", Facts{})
	counted, _ = evidenceOf(r, LateDelivery)
	assert.Equal(t, []string{"12 days late", "late"}, counted, "the phrase, then the other term once")
	assert.InDelta(t, 4.0, r.Best().RuleScore, 1e-9)

	r = c.Categorize("ошибка в Счёт-Фактуре", Facts{})
	counted, _ = evidenceOf(r, DocumentError)
	assert.Equal(t, []string{"счет фактуре"}, counted)

	// A phrase does not cross a clause boundary.
	r = c.Categorize("12. days late", Facts{})
	counted, _ = evidenceOf(r, LateDelivery)
	assert.Equal(t, []string{"late"}, counted)
}

// Where several terms of one category match the same words, the
// category lists one piece of evidence there: the term that decides its
// score — counted before negated, then the heavier, then the earlier.
// Other categories' terms on those words are listed for them.
func TestOneEvidencePerCategoryPerWords(t *testing.T) {
	cases := []struct {
		name        string
		terms       []Term
		text, words string // words: where the terms match
		wantPattern string
		wantNegated bool
	}{
		{"heavier wins", []Term{{Code: TransitDamage, Pattern: "разбит*", Weight: 1},
			{Code: TransitDamage, Pattern: "разбитые", Weight: 2}}, "коробки разбитые", "разбитые", "разбитые", false},
		{"heavier wins, whatever the order", []Term{{Code: TransitDamage, Pattern: "разбитые", Weight: 2},
			{Code: TransitDamage, Pattern: "разбит*", Weight: 1}}, "коробки разбитые", "разбитые", "разбитые", false},
		{"equal weights: the earlier term", []Term{{Code: TransitDamage, Pattern: "разбит*", Weight: 2},
			{Code: TransitDamage, Pattern: "разбитые", Weight: 2}}, "коробки разбитые", "разбитые", "разбит*", false},
		{"counted before negated", []Term{{Code: Packaging, Pattern: "маркировк*", Weight: 3},
			{Code: Packaging, Pattern: "маркировки", Weight: 1, KeepNegated: true}}, "нет маркировки", "маркировки", "маркировки", false},
		{"negated only: the heavier", []Term{{Code: TransitDamage, Pattern: "поврежд*", Weight: 1},
			{Code: TransitDamage, Pattern: "повреждений", Weight: 2}}, "повреждений нет", "повреждений", "повреждений", true},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			c := mustNew(Config{Lexicon: mustLexicon(t, append(tt.terms,
				Term{Code: ProductDefect, Pattern: tt.words, Weight: 1, KeepNegated: true}))})
			r := c.Categorize(tt.text, Facts{})
			var got []Evidence
			for _, s := range r.Ranked {
				if s.Code == tt.terms[0].Code {
					got = s.Evidence
				}
			}
			require.Len(t, got, 1)
			assert.Equal(t, tt.wantPattern, got[0].Pattern)
			assert.Equal(t, tt.wantNegated, got[0].Negated)
			counted, _ := evidenceOf(r, ProductDefect)
			assert.Len(t, counted, 1, "another category's term on the same words is listed for it")
		})
	}
}

func TestEachTermCountsOnce(t *testing.T) {
	lex, err := NewLexicon([]Term{{Code: TransitDamage, Pattern: "разбит*", Weight: 2}})
	require.NoError(t, err)
	c, err := New(Config{Lexicon: lex})
	require.NoError(t, err)
	r := c.Categorize(strings.Repeat("разбито ", 100), Facts{})
	assert.InDelta(t, 2.0, r.Best().RuleScore, 1e-9)
	counted, _ := evidenceOf(r, TransitDamage)
	assert.Len(t, counted, 1)
}

// Negation with the hand-written lexicon, in the forms of acceptance acts
// and lists: "Field: нет", a dash, "no X or Y" where "no X" is itself a
// phrase of another category, "никаких". With the mined terms as well
// (RulesOnly), a negated word does not count for the cause either.
func TestNegationHandLexicon(t *testing.T) {
	c := mustNew(Config{Lexicon: mustLexicon(t, HandTerms())})
	cases := []struct {
		text             string
		code             Code
		counted, negated []string
	}{
		{"Повреждения: нет", TransitDamage, nil, []string{"повреждения"}},
		{"повреждения — нет, вмятины — есть", TransitDamage, []string{"вмятины"}, []string{"повреждения"}},
		{"Дефектов: нет", ProductDefect, nil, []string{"дефектов"}},
		{"damage: none", TransitDamage, nil, []string{"damage"}},
		{"no damage or dents", TransitDamage, nil, []string{"dents"}},
		{"there is no damage or dents on the box", TransitDamage, nil, []string{"dents"}},
		{"никакого брака", ProductDefect, nil, []string{"брака"}},
		{"Никаких повреждений", TransitDamage, nil, []string{"повреждений"}},
		{"брак: сколы на кромке", ProductDefect, []string{"брак"}, nil}, // a colon followed by no negation
	}
	for _, tt := range cases {
		r := c.Categorize(tt.text, Facts{})
		counted, negated := evidenceOf(r, tt.code)
		assert.Equal(t, tt.counted, counted, "counted in %q", tt.text)
		assert.Equal(t, tt.negated, negated, "negated in %q", tt.text)
		counted, _ = evidenceOf(RulesOnly().Categorize(tt.text, Facts{}), tt.code)
		for _, w := range tt.negated {
			assert.NotContains(t, counted, w, "counted with the mined terms in %q", tt.text)
		}
	}
}

// Packaging and document complaints are often about something missing:
// their cues count when negated ("без угловых защитных уголков"), while
// a negated damage cue still does not ("упаковка не повреждена").
func TestAbsenceCuesCountNegated(t *testing.T) {
	c := RulesOnly()
	for _, tt := range []struct {
		text string
		want Code
	}{
		{"Паллеты пришли без угловых защитных уголков и без стретч-плёнки", Packaging},
		{"The pallets came with no corner protectors and no stretch wrap", Packaging},
		{"К поставке не приложен сертификат соответствия", DocumentError},
		{"The shipment came without a packing list or certificate of conformity", DocumentError},
		{"Упаковка не повреждена, но товар не работает", ProductDefect},
		{"Упаковка без повреждений, но пришло 8 коробок вместо 10", WrongQuantity},
	} {
		assert.Equal(t, string(tt.want), c.Categorize(tt.text, Facts{}).Code(), "%q", tt.text)
	}
	for _, term := range DefaultTerms() {
		if term.Code == Packaging || term.Code == DocumentError {
			require.True(t, term.KeepNegated, "%s term %q", term.Code, term.Pattern)
		}
	}
}
