package money

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
)

func FuzzParseCurrency(f *testing.F) {
	for _, s := range []string{"RUB", "rub", "XYZ", "", "RU", "РУБ", "\xff\xfe\xfd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCurrency(s)
		if err != nil {
			if !c.IsZero() {
				t.Fatal("error with a currency")
			}
			return
		}
		back, err := ParseCurrency(c.Code())
		if err != nil || back != c {
			t.Fatalf("code %q does not parse back", c.Code())
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "1234.50", "-0.5", "+7", "1e3", ".5", "", "1.2.3", "99999999999999999999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s, RUB)
		if err != nil {
			return
		}
		back, err := Parse(a.plain(), RUB)
		if err != nil {
			t.Fatalf("printed form %q of %q does not parse: %v", a.plain(), s, err)
		}
		if !back.Equal(a) || back.String() != a.String() {
			t.Fatalf("round trip changed %q: %s -> %s", s, a, back)
		}
		_ = a.Format("ru")
		_ = a.Format("en")
		_ = a.Round(HalfEven)
	})
}

func FuzzUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`{"amount":"1234.50","currency":"RUB"}`, `null`, `{}`, `{"amount":1,"currency":"RUB"}`,
		`{"amount":"1","currency":"RUB","x":1}`, `[`, `{"amount":"-0.001","currency":"kwd"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Amount
		if err := json.Unmarshal(data, &a); err != nil {
			return
		}
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("decoded %s but cannot encode it: %v", a, err)
		}
		var back Amount
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("own output %s does not decode: %v", out, err)
		}
		if !back.Equal(a) || back.Currency() != a.Currency() {
			t.Fatalf("round trip changed %s -> %s", a, back)
		}
	})
}

func FuzzAllocate(f *testing.F) {
	f.Add(int64(10000), int64(1), int64(2), int64(3), uint8(0))
	f.Add(int64(-1), int64(0), int64(0), int64(1), uint8(3))
	f.Fuzz(func(t *testing.T, total, w1, w2, w3 int64, mode uint8) {
		a, _ := FromMinor(total, RUB)
		m := RoundingMode(mode % 6)
		weights := []decimal.Decimal{decimal.NewFromInt(w1), decimal.NewFromInt(w2), decimal.NewFromInt(w3)}
		parts, err := a.Allocate(weights, m)
		if err != nil {
			return
		}
		sum, err := Sum(parts...)
		if err != nil || !sum.Equal(a.Round(m)) {
			t.Fatalf("parts %v do not add up to %s", parts, a)
		}
	})
}
