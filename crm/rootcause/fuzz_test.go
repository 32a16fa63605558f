package rootcause

import (
	"encoding/json"
	"math"
	"testing"
)

func FuzzCategorize(f *testing.F) {
	for _, s := range append([]string{"", "\xff\xfe", "не не не", "# из #", "1,2,3", "don't can't won't",
		"Упаковка не повреждена, но товар разбит", "пaллет damaged 破損"}, sampleTexts...) {
		f.Add(s, 3, 10.0, 9.0, uint16(0))
	}
	f.Add("", -1, math.NaN(), math.Inf(1), uint16(0xffff))
	rules, builtin := RulesOnly(), Default()
	withModel, err := New(Config{Model: tinyModel(f)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string, days int, shipped, received float64, flags uint16) {
		facts := Facts{
			DaysLate: days, Shipped: Quantity{shipped, flags&1 != 0}, Received: Quantity{received, flags&2 != 0},
			Ordered: Quantity{shipped + 1, flags&4 != 0}, WrongItemReceived: flags&8 != 0,
			DocumentDiscrepancy: flags&16 != 0, PriceDiscrepancy: flags&32 != 0, DamageNotedOnDelivery: flags&64 != 0,
			PackagingInadequate: flags&128 != 0, StorageViolation: flags&256 != 0, MisuseFound: flags&512 != 0,
			DefectConfirmed: flags&1024 != 0, SpecDeviation: flags&2048 != 0,
			ShelfLifeLeftPercent: Quantity{received, flags&4096 != 0}, RequiredShelfLifePercent: shipped,
		}
		for _, c := range []*Categorizer{rules, withModel, builtin} {
			r := c.Categorize(text, facts)
			if len(r.Ranked) != 13 {
				t.Fatalf("%d categories", len(r.Ranked))
			}
			sum := 0.0
			for _, s := range r.Ranked {
				if math.IsNaN(s.Confidence) || s.Confidence < 0 || s.Confidence > 1 {
					t.Fatalf("confidence %v", s.Confidence)
				}
				sum += s.Confidence
				terms := 0
				for _, e := range s.Evidence {
					if e.Kind != EvidenceTerm {
						continue
					}
					terms++
					if e.Text == "" || e.Pattern == "" || e.Weight <= 0 {
						t.Fatalf("term evidence %+v", e)
					}
				}
				if terms > maxEvidence {
					t.Fatalf("%s: %d pieces of term evidence", s.Code, terms)
				}
			}
			if math.Abs(sum-1) > 1e-6 {
				t.Fatalf("confidences sum to %v", sum)
			}
			_ = r.Message("ru")
		}
	})
}

func FuzzLoadModel(f *testing.F) {
	for _, opt := range []TrainOptions{{Kind: NaiveBayes}, {Kind: LogisticRegression, NGrams: 1}, {Kind: ComplementNB},
		{Kind: LogisticRegression, NoStemming: true, MinWordRunes: 2, RawTF: true}, {Kind: NaiveBayes, NoStemming: true},
		{Kind: NaiveBayes, NGrams: 2, MarkNegation: true}} {
		m, err := Train(trainSet, opt)
		if err != nil {
			f.Fatal(err)
		}
		data, err := json.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format":"crmkit.rootcause.model","version":1,"kind":"naive_bayes","ngrams":1,` +
		`"classes":["a","b"],"terms":["x"],"bias":[-0.7,-0.7],"weights":[[-1,-2]]}`))
	f.Add([]byte(`{"format":"crmkit.rootcause.model","version":1,"kind":"logistic_regression","ngrams":2,` +
		`"classes":["a","b"],"terms":["x y","x"],"idf":[1,2],"bias":[0,0],"weights":[[1,-1],[0.5,0]]}`))
	f.Add([]byte(`{"format":"crmkit.rootcause.model","version":3,"kind":"logistic_regression","ngrams":2,` +
		`"unstemmed":true,"min_word_runes":2,"raw_tf":true,` +
		`"classes":["a","b"],"terms":["x y","y"],"idf":[1,2],"bias":[0,0],"weights":[[1,-1],[0.5,0]]}`))
	f.Add([]byte(`{"format":"crmkit.rootcause.model","version":1,"kind":"naive_bayes","ngrams":1,"unstemmed":true,` +
		`"classes":["a","b"],"terms":["x"],"bias":[-0.7,-0.7],"weights":[[-1,-2]]}`))
	f.Add([]byte("{}"))
	f.Add([]byte("null"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := LoadModel(data)
		if err != nil {
			return
		}
		p := m.Predict("x y коробки разбиты 12")
		sum := 0.0
		for _, x := range p {
			if math.IsNaN(x.Probability) {
				t.Fatal("NaN probability")
			}
			sum += x.Probability
		}
		if math.Abs(sum-1) > 1e-6 {
			t.Fatalf("probabilities sum to %v", sum)
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := LoadModel(again)
		if err != nil {
			t.Fatalf("a loaded model does not load again: %v", err)
		}
		p2 := m2.Predict("x y коробки разбиты 12")
		for i := range p {
			if p[i] != p2[i] {
				t.Fatalf("reloaded model predicts %v, want %v", p2[i], p[i])
			}
		}
	})
}

func FuzzLexiconPattern(f *testing.F) {
	for _, p := range []string{"разбит*", "не пришла в срок", "# из #", "a*b", "**", "счёт-фактур*", "don't work", "ab*"} {
		f.Add(p, "Товар разбит, не пришла в срок, 9 из 10")
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		lex, err := NewLexicon([]Term{{Code: TransitDamage, Pattern: pattern, Weight: 2}})
		if err != nil {
			return
		}
		c, err := New(Config{Lexicon: lex})
		if err != nil {
			t.Fatal(err)
		}
		_ = c.Categorize(text, Facts{})
		_ = c.Categorize(pattern, Facts{})
	})
}
