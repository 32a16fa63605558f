package rootcause

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestConfigErrors(t *testing.T) {
	tiny := tinyModel(t)
	foreign, err := Train([]Example{{"a b", "X"}, {"c d", "Y"}}, TrainOptions{})
	require.NoError(t, err)
	check := func(Facts) (bool, string, string) { return false, "", "" }
	cases := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"model weight", Config{Model: tiny, ModelWeight: 1.5}, "model_weight"},
		{"negative weight", Config{ModelWeight: -0.1}, "model_weight"},
		{"NaN threshold", Config{ReviewThreshold: math.NaN()}, "review_threshold"},
		{"threshold", Config{ReviewThreshold: 2}, "review_threshold"},
		{"fallback bias", Config{FallbackBias: -1}, "fallback_bias"},
		{"text cap", Config{MaxTextBytes: 2 << 20}, "max_text_bytes"},
		{"negative cap", Config{MaxTextBytes: -1}, "max_text_bytes"},
		{"model classes", Config{Model: foreign}, "model.classes[0]"},
		{"fact id", Config{FactRules: []FactRule{{Code: Expiry, Weight: 1, Check: check}}}, "fact_rules[0].id"},
		{"fact dup", Config{FactRules: []FactRule{{ID: "a", Code: Expiry, Weight: 1, Check: check},
			{ID: "a", Code: Expiry, Weight: 1, Check: check}}}, "fact_rules[1].id"},
		{"fact code", Config{FactRules: []FactRule{{ID: "a", Code: "NOPE", Weight: 1, Check: check}}}, "fact_rules[0].code"},
		{"fact weight", Config{FactRules: []FactRule{{ID: "a", Code: Expiry, Weight: 0, Check: check}}}, "fact_rules[0].weight"},
		{"fact check", Config{FactRules: []FactRule{{ID: "a", Code: Expiry, Weight: 1}}}, "fact_rules[0].check"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			require.ErrorIs(t, err, ErrInvalidConfig)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tt.field, e.Field)
			assert.NotEmpty(t, e.Message("ru"))
		})
	}
	c, err := New(Config{Model: tiny, ModelWeight: 1, ReviewThreshold: 1, FallbackBias: 20, MaxTextBytes: 1})
	require.NoError(t, err)
	assert.Same(t, DefaultTaxonomy(), c.Taxonomy())
}

// TestCalibration checks the figures documented on Categorizer.
func TestCalibration(t *testing.T) {
	lex, err := NewLexicon([]Term{
		{Code: TransitDamage, Pattern: "вмятина", Weight: 2},
		{Code: TransitDamage, Pattern: "разбито", Weight: 2},
		{Code: TransitDamage, Pattern: "раздавлено", Weight: 3},
	})
	require.NoError(t, err)
	c, err := New(Config{Lexicon: lex})
	require.NoError(t, err)
	cases := []struct {
		text   string
		code   Code
		conf   float64
		review bool
	}{
		{"ничего особенного", Other, 0.185, true},
		{"вмятина", TransitDamage, 0.350, true},
		{"раздавлено", TransitDamage, 0.594, false},
		{"вмятина и разбито", TransitDamage, 0.799, false},
	}
	for _, tt := range cases {
		r := c.Categorize(tt.text, Facts{})
		assert.Equal(t, tt.code, r.Best().Code, tt.text)
		assert.InDelta(t, tt.conf, r.Best().Confidence, 0.001, tt.text)
		assert.Equal(t, tt.review, r.NeedsReview, tt.text)
		assert.Len(t, r.Ranked, 13)
	}
}

func TestCategorizeExamples(t *testing.T) {
	cases := []struct {
		text string
		want Code
	}{
		{"Обнаружен брак: изделие не работает после первого включения.", ProductDefect},
		{"Груз пришёл с опозданием на 5 дней, сорвали сроки поставки.", LateDelivery},
		{"При приёмке выявлена недостача: вместо 50 шт пришло 45.", WrongQuantity},
		{"Pallet arrived crushed and two cartons were dented in transit.", TransitDamage},
		{"We were overcharged: the invoice uses the old price list, not the contract price.", PriceError},
		{"Отгрузили не тот артикул, пересорт по двум позициям.", WrongItem},
		{"Товар с истёкшим сроком годности.", Expiry},
		{"В УПД неверные реквизиты покупателя, просим перевыставить документ.", DocumentError},
		{"Менеджер не отвечает на звонки уже неделю.", Service},
		{"Coils were stored outdoors in the rain at our site; rust developed.", CustomerMisuse},
		{"Этикетки на коробках не читаются, штрихкод не сканируется.", Packaging},
		{"Толщина листа 1,8 мм вместо 2 мм по спецификации.", SpecMismatch},
	}
	for _, tt := range cases {
		for name, c := range map[string]*Categorizer{"rules": RulesOnly(), "default": Default()} {
			r := c.Categorize(tt.text, Facts{})
			assert.Equal(t, tt.want, r.Best().Code, "%s, %q: %s", name, tt.text, r.Message("en"))
		}
	}
}

func TestResultFields(t *testing.T) {
	r := RulesOnly().Categorize("Коробки разбиты, вмятины на корпусе.", Facts{})
	b := r.Best()
	assert.Equal(t, TransitDamage, b.Code)
	assert.Equal(t, "TRANSIT_DAMAGE", r.Code())
	assert.Equal(t, "ru", r.Language)
	assert.False(t, r.Truncated)
	assert.False(t, r.UsedModel)
	assert.Equal(t, 5, r.Words)
	assert.Equal(t, PartyCarrier, b.Category.Party)
	assert.NotEmpty(t, b.Evidence)
	for _, e := range b.Evidence {
		assert.Equal(t, EvidenceTerm, e.Kind)
		assert.NotEmpty(t, e.Pattern)
		assert.Contains(t, e.Message("en"), e.Text)
	}
	assert.Contains(t, r.Message("en"), "Damage in transit (confidence ")
	assert.Contains(t, r.Message("ru"), "Повреждение при перевозке (уверенность ")

	r = RulesOnly().Categorize("", Facts{})
	assert.Equal(t, Other, r.Best().Code)
	assert.True(t, r.NeedsReview)
	assert.Contains(t, r.Message("en"), "needs review")
	assert.Contains(t, r.Message("ru"), "требуется проверка")
	assert.Equal(t, "", r.Language)
	assert.Equal(t, Score{}, Result{}.Best())

	neg := Evidence{Kind: EvidenceTerm, Text: "повреждена", Negated: true}
	assert.Contains(t, neg.Message("ru"), "с отрицанием")
	fact := Evidence{Kind: EvidenceFact, Text: "late", TextRU: "опоздание", Weight: 4}
	assert.Equal(t, "факт: опоздание (+4.0)", fact.Message("ru"))
	model := Evidence{Kind: EvidenceModel, Text: "поврежд", Weight: 0.25}
	assert.Equal(t, `model: "поврежд" (+0.25)`, model.Message("en"))
}

func TestBadInput(t *testing.T) {
	c := Default()
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 1<<20)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	inputs := map[string]string{
		"megabyte":      strings.Repeat("Товар пришёл разбитым, упаковка повреждена. ", 1<<20/80),
		"binary":        string(garbage),
		"mixed scripts": "Пaллет damaged, 貨物 破損, κουτί σπασμένο, разбит\u0000\u202e",
		"one word":      strings.Repeat("я", 1<<19),
		"punctuation":   strings.Repeat(".,;!?", 1<<16),
		"invalid utf8":  "\xff\xfe\xc0\xafразбит",
		// Numbers are read in linear time (BenchmarkCategorizeHostile):
		// these took over a second each while every dot or letter rescanned
		// the number before it.
		"dotted number":          strings.Repeat("1.", 32<<10),
		"digits, then letters":   strings.Repeat("1", 32<<10) + strings.Repeat("a", 32<<10),
		"decimal, then a letter": strings.Repeat("1,5", 20<<10) + "кг",
	}
	for name, text := range inputs {
		t.Run(name, func(t *testing.T) {
			var r Result
			require.NotPanics(t, func() { r = c.Categorize(text, Facts{}) })
			require.Len(t, r.Ranked, 13)
			assert.Equal(t, len(text) > DefaultMaxTextBytes, r.Truncated)
			sum := 0.0
			for _, s := range r.Ranked {
				sum += s.Confidence
				assert.LessOrEqual(t, countKind(s.Evidence, EvidenceTerm), maxEvidence)
			}
			assert.InDelta(t, 1, sum, 1e-9)
		})
	}
	// A small cap reads only the beginning.
	small, err := New(Config{MaxTextBytes: 10})
	require.NoError(t, err)
	r := small.Categorize("абвгд абвгд разбито", Facts{})
	assert.True(t, r.Truncated)
	assert.Equal(t, Other, r.Best().Code)
}

func TestCategorizeConcurrent(t *testing.T) {
	c, err := New(Config{Model: tinyModel(t)})
	require.NoError(t, err)
	texts := []string{"разбито", "late delivery", "недостача 5 шт", "price is wrong", ""}
	want := make([]Code, len(texts))
	for i, s := range texts {
		want[i] = c.Categorize(s, Facts{}).Best().Code
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				k := (g + i) % len(texts)
				if got := c.Categorize(texts[k], Facts{}).Best().Code; got != want[k] {
					t.Errorf("%q: %s, want %s", texts[k], got, want[k])
					return
				}
			}
		})
	}
	wg.Wait()
}

// tinyModel is a model over the default taxonomy's codes, trained on a
// few sentences.
func tinyModel(t testing.TB) *Model {
	m, err := Train([]Example{
		{"коробки разбиты при перевозке", string(TransitDamage)},
		{"груз повреждён перевозчиком", string(TransitDamage)},
		{"pallet crushed by the carrier", string(TransitDamage)},
		{"поставка опоздала на неделю", string(LateDelivery)},
		{"delivery was late again", string(LateDelivery)},
		{"цена в счёте выше согласованной", string(PriceError)},
		{"price on invoice is wrong", string(PriceError)},
	}, TrainOptions{})
	require.NoError(t, err)
	return m
}

func TestModelBlend(t *testing.T) {
	m := tinyModel(t)
	c, err := New(Config{Model: m, ModelWeight: 0.5})
	require.NoError(t, err)
	r := c.Categorize("груз повреждён перевозчиком", Facts{})
	assert.True(t, r.UsedModel)
	b := r.Best()
	assert.Equal(t, TransitDamage, b.Code)
	assert.Greater(t, b.ModelProbability, 0.3)
	assert.InDelta(t, 0.5*b.RuleProbability+0.5*b.ModelProbability, b.Confidence, 1e-9)
	var kinds []EvidenceKind
	for _, e := range b.Evidence {
		kinds = append(kinds, e.Kind)
	}
	assert.Contains(t, kinds, EvidenceModel)
	assert.Contains(t, kinds, EvidenceTerm)
	// Categories the model lacks get no model probability.
	for _, s := range r.Ranked {
		if s.Code == Expiry {
			assert.Zero(t, s.ModelProbability)
		}
	}
	// Model only.
	only, err := New(Config{Model: m, ModelWeight: 1})
	require.NoError(t, err)
	r = only.Categorize("delivery was late", Facts{})
	assert.InDelta(t, r.Best().ModelProbability, r.Best().Confidence, 1e-9)
}

// Property: confidences form a distribution, ranked, whatever the text
// and facts; a fired fact never lowers its category's rank below what
// text alone gave it.
func TestCategorizeProperties(t *testing.T) {
	c := Default()
	words := []string{"разбит", "не", "задержка", "недостача", "цена", "брак", "late", "damaged", "no", "price",
		"вместо", "10", "из", "12", ",", ".", "упаковка", "срок годности", "менеджер", "we", "stored", "outside"}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 30).Draw(t, "n")
		var b strings.Builder
		for range n {
			b.WriteString(rapid.SampledFrom(words).Draw(t, "w"))
			b.WriteByte(' ')
		}
		f := Facts{
			DaysLate:                 rapid.IntRange(-5, 30).Draw(t, "late"),
			Shipped:                  Quantity{Value: rapid.Float64Range(-1, 100).Draw(t, "shipped"), Known: rapid.Bool().Draw(t, "sk")},
			Received:                 Quantity{Value: rapid.Float64Range(-1, 100).Draw(t, "received"), Known: rapid.Bool().Draw(t, "rk")},
			DamageNotedOnDelivery:    rapid.Bool().Draw(t, "dmg"),
			ShelfLifeLeftPercent:     Quantity{Value: rapid.Float64Range(-10, 100).Draw(t, "shelf"), Known: rapid.Bool().Draw(t, "shk")},
			RequiredShelfLifePercent: rapid.Float64Range(-10, 200).Draw(t, "req"),
		}
		r := c.Categorize(b.String(), f)
		sum := 0.0
		for i, s := range r.Ranked {
			if s.Confidence < 0 || s.Confidence > 1 || math.IsNaN(s.Confidence) {
				t.Fatalf("confidence %v", s.Confidence)
			}
			if i > 0 && s.Confidence > r.Ranked[i-1].Confidence {
				t.Fatalf("not ranked")
			}
			sum += s.Confidence
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("confidences sum to %v", sum)
		}
		if r.NeedsReview != (r.Best().Confidence < 0.5) {
			t.Fatalf("review flag")
		}
		text := c.Categorize(b.String(), Facts{})
		if f.DamageNotedOnDelivery {
			var with, without float64
			for _, s := range r.Ranked {
				if s.Code == TransitDamage {
					with = s.Confidence
				}
			}
			for _, s := range text.Ranked {
				if s.Code == TransitDamage {
					without = s.Confidence
				}
			}
			if with < without {
				t.Fatalf("a fact lowered its category: %v < %v", with, without)
			}
		}
	})
}

// TestSymptomCredit checks that a customer-caused category with evidence
// of its own is credited with half the product-defect score, and that a
// category without evidence of its own is not.
func TestSymptomCredit(t *testing.T) {
	lex, err := NewLexicon([]Term{
		{Code: ProductDefect, Pattern: "лопнул", Weight: 2},
		{Code: ProductDefect, Pattern: "треснул", Weight: 2},
		{Code: CustomerMisuse, Pattern: "мороз", Weight: 1.5},
		{Code: TransitDamage, Pattern: "вмятина", Weight: 2},
	})
	require.NoError(t, err)
	c, err := New(Config{Lexicon: lex})
	require.NoError(t, err)
	cases := []struct {
		text           string
		best           Code
		defect, misuse float64
		transit        float64
	}{
		{"бак лопнул и треснул", ProductDefect, 4, 0, 0},
		{"бак лопнул на морозе", CustomerMisuse, 2, 2.5, 0},
		{"бак лопнул и треснул на морозе", ProductDefect, 4, 3.5, 0}, // a hint of misuse does not outweigh two failures
		{"стоял на морозе", CustomerMisuse, 0, 1.5, 0},
		{"вмятина на морозе", TransitDamage, 0, 1.5, 2},
		{"хранили без мороза, бак лопнул", ProductDefect, 2, 0, 0},
	}
	for _, tt := range cases {
		t.Run(tt.text, func(t *testing.T) {
			r := c.Categorize(tt.text, Facts{})
			got := map[Code]float64{}
			for _, s := range r.Ranked {
				got[s.Code] = s.RuleScore
			}
			assert.Equal(t, tt.best, r.Best().Code)
			assert.InDelta(t, tt.defect, got[ProductDefect], 1e-9)
			assert.InDelta(t, tt.misuse, got[CustomerMisuse], 1e-9)
			assert.InDelta(t, tt.transit, got[TransitDamage], 1e-9)
		})
	}

	// A taxonomy without PRODUCT_DEFECT has nothing to credit.
	tax, err := NewTaxonomy([]Category{
		{Code: CustomerMisuse, NameEN: "Misuse", NameRU: "Нарушение", CustomerCaused: true},
		{Code: Other, NameEN: "Other", NameRU: "Прочее"},
	}, Other)
	require.NoError(t, err)
	lex2, err := NewLexicon([]Term{{Code: CustomerMisuse, Pattern: "мороз", Weight: 1.5}})
	require.NoError(t, err)
	c2, err := New(Config{Taxonomy: tax, Lexicon: lex2, FactRules: []FactRule{}})
	require.NoError(t, err)
	r := c2.Categorize("стоял на морозе", Facts{})
	assert.Equal(t, CustomerMisuse, r.Best().Code)
	assert.InDelta(t, 1.5, r.Best().RuleScore, 1e-9)
}
