package credit

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"
)

func FuzzDecodeScorecard(f *testing.F) {
	f.Add([]byte(docCardJSON))
	small, _ := json.Marshal(smallCard())
	f.Add(small)
	for _, s := range []string{
		"", "{}", "null", "[]", `{"characteristics":[]}`,
		`{"characteristics":[{"name":"a","kind":"numeric","bins":[{"points":1}],"missing":{"points":0}}]}`,
		`{"characteristics":[{"name":"a","kind":"numeric","bins":[{"high":1,"points":1},{"low":1,"points":2}],"missing":{"points":0}}],"grades":[{"grade":"x"}]}`,
		`{"characteristics":[{"name":"a","kind":"categorical","bins":[{"values":["x","y"],"points":1},{"other":true,"points":-1}],"missing":{"points":0}}]}`,
		`{"characteristics":[{"name":"a","kind":"numeric","bins":[{"high":1,"points":1},{"low":0.5,"points":2}],"missing":{"points":0}}]}`,
		`{"base_points":1e308,"characteristics":[{"name":"a","kind":"numeric","bins":[{"points":1e308}],"missing":{"points":-1e308}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		card, err := DecodeScorecard(data)
		if err != nil {
			var se *ScorecardError
			if !errors.As(err, &se) || !errors.Is(err, ErrInvalidScorecard) {
				t.Fatalf("error is not a *ScorecardError: %T %v", err, err)
			}
			if se.Code() == "" || se.Message("ru") == "" || se.Error() == "" {
				t.Fatal("empty code or message")
			}
			return
		}
		out, err := json.Marshal(card)
		if err != nil {
			t.Fatalf("a decoded card does not encode: %v", err)
		}
		back, err := DecodeScorecard(out)
		if err != nil {
			t.Fatalf("an encoded card does not decode: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(card, back) {
			t.Fatalf("round trip changed the card:\n%#v\n%#v", card, back)
		}
		s, err := NewScorer(card)
		if err != nil {
			t.Fatalf("a decoded card does not compile: %v", err)
		}
		sc, err := s.Score(nil)
		if err != nil {
			t.Fatalf("scoring with every value missing failed: %v", err)
		}
		checkScore(t, s, sc)
	})
}

func FuzzScore(f *testing.F) {
	f.Add([]byte(docCardJSON), "utilisation", 0.5, "retail", uint8(0))
	f.Add([]byte(docCardJSON), "industry", 0.3, "bank", uint8(3))
	f.Add([]byte{}, "years", math.Inf(1), "", uint8(1))
	f.Add([]byte{}, "nonsense", 2.0, "construction", uint8(255))
	f.Add([]byte{}, "years", math.NaN(), "retail", uint8(2))
	f.Fuzz(func(t *testing.T, cardJSON []byte, name string, x float64, cat string, mask uint8) {
		card, err := DecodeScorecard(cardJSON)
		if err != nil {
			card = smallCard()
		}
		s, err := NewScorer(card)
		if err != nil {
			t.Fatalf("valid card refused: %v", err)
		}
		inputs := map[string]Value{}
		for i, ch := range card.Characteristics {
			switch (mask >> (i % 8)) & 3 {
			case 0:
				inputs[ch.Name] = Number(x)
			case 1:
				inputs[ch.Name] = Category(cat)
			case 2:
				inputs[ch.Name] = Missing
			}
			if mask&0x80 != 0 && ch.Kind == Categorical {
				for _, b := range ch.Bins { // a category the card knows
					if len(b.Values) > 0 {
						inputs[ch.Name] = Category(b.Values[len(b.Values)-1])
						break
					}
				}
			}
		}
		if mask&0x40 != 0 {
			inputs[name] = Number(x)
		}
		sc, err := s.Score(inputs)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("error is not an *InputError: %T %v", err, err)
			}
			if ie.Field == "" || ie.Message("ru") == "" {
				t.Fatal("error without a field or message")
			}
			return
		}
		checkScore(t, s, sc)
	})
}

// checkScore asserts the invariants of a score.
func checkScore(t *testing.T, s *Scorer, sc Score) {
	t.Helper()
	if math.IsNaN(sc.Total) || math.IsInf(sc.Total, 0) {
		t.Fatalf("total %v", sc.Total)
	}
	lo, hi := s.Range()
	if sc.Total < lo || sc.Total > hi {
		t.Fatalf("total %v outside [%v, %v]", sc.Total, lo, hi)
	}
	sum := sc.Base
	for _, p := range sc.Points {
		if p.Points > p.Max {
			t.Fatalf("%s: %v points above its max %v", p.Name, p.Points, p.Max)
		}
		sum += p.Points
	}
	if sum != sc.Total {
		t.Fatalf("points add up to %v, total %v", sum, sc.Total)
	}
	if len(sc.Reasons) > s.reasons {
		t.Fatalf("%d reasons, card allows %d", len(sc.Reasons), s.reasons)
	}
	if len(s.card.Grades) > 0 && sc.Grade == "" {
		t.Fatalf("score %v has no grade", sc.Total)
	}
	for _, r := range sc.Reasons {
		if r.Code == "" || r.EN == "" || r.RU == "" {
			t.Fatalf("incomplete reason %+v", r)
		}
	}
}
