package credit

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// card20 is a 20-characteristic card: 14 numeric with 6 bins each and 6
// categorical with 4 value sets and an other-values bin.
func card20() (Scorecard, map[string]Value) {
	card := Scorecard{Name: "bench-20", BasePoints: 500}
	inputs := map[string]Value{}
	for i := range 14 {
		name := fmt.Sprintf("num_%02d", i)
		card.Characteristics = append(card.Characteristics, Characteristic{Name: name, Kind: Numeric, MissingPoints: 0,
			Bins: []Bin{Below(10, -20), Between(10, 20, -5), Between(20, 40, 5), Between(40, 60, 10), Between(60, 80, 15), AtLeast(80, 25)}})
		inputs[name] = Number(float64(i * 7 % 100))
	}
	for i := range 6 {
		name := fmt.Sprintf("cat_%02d", i)
		card.Characteristics = append(card.Characteristics, Characteristic{Name: name, Kind: Categorical, MissingPoints: -3,
			Bins: []Bin{OneOf(20, "a", "b"), OneOf(10, "c", "d", "e"), OneOf(0, "f"), OneOf(-10, "g", "h"), OtherValues(-15)}})
		inputs[name] = Category(string(rune('a' + i)))
	}
	return card, inputs
}

var (
	sinkScore    Score
	sinkDecision Decision
)

func BenchmarkScore20(b *testing.B) {
	card, inputs := card20()
	s, err := NewScorer(card)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sinkScore, err = s.Score(inputs)
		if err != nil {
			b.Fatal(err)
		}
	}
	if len(sinkScore.Reasons) != DefaultReasonCount {
		b.Fatalf("%d reasons", len(sinkScore.Reasons))
	}
}

type staticSource ExposureParts

func (s staticSource) Exposure(context.Context, string, time.Time) (ExposureParts, error) {
	return ExposureParts(s), nil
}

// BenchmarkExposureDecision: one order checked through a Checker (policy
// lookup, source call, decision with its reasons); the limit is crossed,
// so every reason is written.
func BenchmarkExposureDecision(b *testing.B) {
	c := Checker{Source: staticSource(docParts()), Policies: Policies{
		Default: Policy{Mode: ModeBlock, Limit: rub("100000")},
		Clients: map[string]Policy{"c1": {Mode: ModeHold, Limit: rub("1000000"), OverdueThreshold: rub("10000"), MaxDaysOverdue: 30}},
	}}
	req := OrderCheck{ClientID: "c1", Order: rub("300000")}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var err error
		sinkDecision, err = c.Check(ctx, req, testAt)
		if err != nil {
			b.Fatal(err)
		}
	}
	if sinkDecision.Outcome != OutcomeHeld {
		b.Fatal(sinkDecision.Outcome)
	}
}

// BenchmarkDecodeScorecard: the 20-characteristic card from JSON.
func BenchmarkDecodeScorecard(b *testing.B) {
	card, _ := card20()
	data, err := card.MarshalJSON()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeScorecard(data); err != nil {
			b.Fatal(err)
		}
	}
}
