package rootcause

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/crmkit/crmkit/money"
)

// benchClaims returns n claim texts: the dev claims of both languages
// cycled, or built-in samples when the shared data is absent.
func benchClaims(n int) []string {
	var texts []string
	for _, c := range benchExamples() {
		texts = append(texts, c.Text)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = texts[i%len(texts)]
	}
	return out
}

func benchExamples() []Example {
	var ex []Example
	for _, f := range []string{"ru-dev.jsonl", "en-dev.jsonl"} {
		for _, c := range loadClaimsOrNil(f) {
			ex = append(ex, Example{Text: c.Text, Label: c.Code})
		}
	}
	if len(ex) == 0 {
		for i, s := range sampleTexts {
			ex = append(ex, Example{Text: s, Label: []string{"LATE_DELIVERY", "QUANTITY", "PRODUCT_DEFECT",
				"TRANSIT_DAMAGE", "PRICE_ERROR", "LATE_DELIVERY"}[i]})
		}
	}
	return ex
}

// perturbed makes n training claims from the dev claims: each is a claim
// with about a tenth of its words dropped, a pair of neighbours swapped,
// and sometimes a sentence of another claim of the same cause appended.
func perturbed(n int) []Example {
	base := benchExamples()
	byLabel := map[string][]string{}
	for _, e := range base {
		byLabel[e.Label] = append(byLabel[e.Label], e.Text)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	out := make([]Example, n)
	for i := range out {
		e := base[rng.IntN(len(base))]
		words := strings.Fields(e.Text)
		kept := words[:0:0]
		for _, w := range words {
			if rng.IntN(10) != 0 {
				kept = append(kept, w)
			}
		}
		if len(kept) > 2 {
			j := rng.IntN(len(kept) - 1)
			kept[j], kept[j+1] = kept[j+1], kept[j]
		}
		text := strings.Join(kept, " ")
		if rng.IntN(3) == 0 {
			others := byLabel[e.Label]
			other := others[rng.IntN(len(others))]
			if k := strings.IndexAny(other, ".!?"); k > 0 {
				other = other[:k+1]
			}
			text += " " + other
		}
		out[i] = Example{Text: text, Label: e.Label}
	}
	return out
}

// BenchmarkCategorize1000 categorises 1,000 claims with the rules engine
// (stem cache warm, as in steady use); claims/s is per goroutine.
func BenchmarkCategorize1000(b *testing.B) { benchCategorize(b, RulesOnly()) }

// benchCategorize categorises 1,000 claims per op with c.
func benchCategorize(b *testing.B, c *Categorizer) {
	texts := benchClaims(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			_ = c.Categorize(t, Facts{})
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "claims/s")
}

// BenchmarkCategorize1000HandTerms is BenchmarkCategorize1000 with the
// hand-written terms only (HandTerms), without the mined ones.
func BenchmarkCategorize1000HandTerms(b *testing.B) {
	lex, err := NewLexicon(HandTerms())
	if err != nil {
		b.Fatal(err)
	}
	benchCategorize(b, mustNew(Config{Lexicon: lex}))
}

// BenchmarkCategorize1000ColdCache empties the stem cache before each
// batch: the worst case, every word stemmed once per batch.
func BenchmarkCategorize1000ColdCache(b *testing.B) {
	texts := benchClaims(1000)
	c := RulesOnly()
	b.ReportAllocs()
	for b.Loop() {
		stems.reset()
		for _, t := range texts {
			_ = c.Categorize(t, Facts{})
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "claims/s")
}

// BenchmarkCategorize1000WithModel adds a logistic regression trained on
// the dev claims.
func BenchmarkCategorize1000WithModel(b *testing.B) {
	texts := benchClaims(1000)
	m, err := Train(benchExamples(), TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	c, err := New(Config{Model: m})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			_ = c.Categorize(t, Facts{})
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "claims/s")
}

// BenchmarkCategorizeParallel runs the rules engine on all cores.
func BenchmarkCategorizeParallel(b *testing.B) {
	texts := benchClaims(1000)
	c := RulesOnly()
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			_ = c.Categorize(texts[i%len(texts)], Facts{})
			i++
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "claims/s")
}

// BenchmarkCategorizeMegabyte shows the cost of a huge input is bounded
// by the 64 KiB cap.
func BenchmarkCategorizeMegabyte(b *testing.B) {
	text := strings.Repeat("Товар пришёл разбитым, упаковка повреждена. ", 1<<20/80)
	c := RulesOnly()
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Categorize(text, Facts{})
	}
}

// BenchmarkCategorizeHostile: 64 KiB texts built to make reading slow
// (long numbers with dots, digits then letters) cost about what ordinary
// text of that size does.
func BenchmarkCategorizeHostile(b *testing.B) {
	c := RulesOnly()
	for _, tt := range []struct{ name, text string }{
		{"ordinary", strings.Repeat("товар не повреждён ", 64<<10/len("товар не повреждён "))},
		{"dotted_number", strings.Repeat("1.", 32<<10)},
		{"digits_then_letters", strings.Repeat("1", 32<<10) + strings.Repeat("a", 32<<10)},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = c.Categorize(tt.text, Facts{})
			}
		})
	}
}

func BenchmarkTrain10000(b *testing.B) {
	ex := perturbed(10_000)
	for _, tt := range []struct {
		name string
		opt  TrainOptions
	}{
		{"logistic_regression", TrainOptions{}},
		{"naive_bayes", TrainOptions{Kind: NaiveBayes}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			var features int
			for b.Loop() {
				m, err := Train(ex, tt.opt)
				if err != nil {
					b.Fatal(err)
				}
				features = m.NumFeatures()
			}
			b.ReportMetric(float64(features), "features")
		})
	}
}

func BenchmarkPareto10000(b *testing.B) {
	rub := money.MustCurrency("RUB")
	rng := rand.New(rand.NewPCG(3, 5))
	codes := DefaultTaxonomy().Categories()
	records := make([]Record, 10_000)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range records {
		cost, _ := money.FromMinor(rng.Int64N(10_000_000), rub)
		records[i] = Record{Cause: codes[rng.IntN(len(codes))].Code, Cost: cost, At: at.Add(time.Duration(i) * time.Minute),
			ClientID: "c" + string(rune('a'+rng.IntN(26)))}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Pareto(records, ParetoOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCategorize1000Default is the built-in categoriser: the rules
// blended with the built-in model (trained before the timer starts).
func BenchmarkCategorize1000Default(b *testing.B) { benchCategorize(b, Default()) }

// BenchmarkBuiltinModelTraining trains the built-in model from its
// corpus: what the first call of Default or BuiltinModel costs.
func BenchmarkBuiltinModelTraining(b *testing.B) {
	corpus := BuiltinCorpus()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(corpus, BuiltinTrainOptions()); err != nil {
			b.Fatal(err)
		}
	}
}
