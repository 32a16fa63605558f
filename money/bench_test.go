package money

import (
	"testing"

	"github.com/shopspring/decimal"
)

var sinkAmount Amount

func BenchmarkAdd(b *testing.B) {
	x, y := MustParse("1234.56", RUB), MustParse("7.89", RUB)
	b.ReportAllocs()
	for b.Loop() {
		sinkAmount, _ = x.Add(y)
	}
}

func BenchmarkAllocate100(b *testing.B) {
	total := MustParse("123456.78", RUB)
	weights := make([]decimal.Decimal, 100)
	for i := range weights {
		weights[i] = decimal.New(int64(1000+i*37), -2)
	}
	b.ReportAllocs()
	for b.Loop() {
		parts, err := total.Allocate(weights, HalfUp)
		if err != nil || len(parts) != 100 {
			b.Fatal(err)
		}
	}
}

func BenchmarkSplit100(b *testing.B) {
	total := MustParse("123456.78", RUB)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := total.Split(100, HalfUp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkAmount, _ = Parse("1234567.89", RUB)
	}
}
