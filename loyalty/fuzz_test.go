package loyalty_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
)

// FuzzDecodeProgramme feeds arbitrary bytes to the programme decoder. It
// never panics; it either refuses with a *ValidationError or returns a
// valid programme that encodes and decodes back to the same JSON.
func FuzzDecodeProgramme(f *testing.F) {
	f.Add([]byte(fullProgrammeJSON))
	f.Add([]byte(`{"id":"p","currency":"RUB","valid_from":"2026-01-01"}`))
	f.Add([]byte(`{"id":"p","currency":"JPY","valid_from":"2026-01-01","point_places":6,"earn":{"rate":{"points":"0.000001","for_every":{"amount":"1","currency":"JPY"}}}}`))
	f.Add([]byte(`{"id":"p","currency":"RUB","valid_from":"2026-01-01","tiers":{"metric":"points","levels":[{"code":"a"},{"code":"b","min_points":"1e9"}]}}`))
	f.Add([]byte(`{"id":"p","currency":"RUB","valid_from":"2026-01-01","earn":{"multipliers":[{"tier":"x","factor":"2"}]}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"id":"\xff"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := loyalty.DecodeProgramme(data)
		if err != nil {
			var v *loyalty.ValidationError
			if !errors.As(err, &v) || !errors.Is(err, loyalty.ErrInvalid) {
				t.Fatalf("not a *ValidationError: %T %v", err, err)
			}
			if v.Message("ru") == "" || v.Code() == "" {
				t.Fatal("an error without a message or code")
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("decoded an invalid programme: %v", err)
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		again, err := loyalty.DecodeProgramme(out)
		if err != nil {
			t.Fatalf("cannot decode what was encoded: %v\n%s", err, out)
		}
		out2, _ := json.Marshal(again)
		if string(out) != string(out2) {
			t.Fatalf("round trip differs:\n%s\n%s", out, out2)
		}
	})
}

// FuzzEarn computes earnings for arbitrary amounts, rates, multipliers and
// standings. It never panics; a success earns a non-negative number of
// points within the programme's precision, no more than the exact figure
// when truncating, and line shares that add up to no more than the total.
func FuzzEarn(f *testing.F) {
	f.Add("1234.56", "100.00", "1", "2", "0", uint8(0), false, "0", "45000", false)
	f.Add("0.01", "0.01", "0.000001", "1000", "0.01", uint8(6), true, "0.01", "0", true)
	f.Add("99999999999999", "3", "7", "0", "99999999999998", uint8(2), false, "5", "149999.99", false)
	f.Add("-1", "1", "1", "1", "0", uint8(0), false, "0", "0", false)
	f.Fuzz(func(t *testing.T, amount, forEvery, rate, factor, pointsPaid string, places uint8, halfUp bool, perOrder, metric string, whole bool) {
		dec := func(s string) (decimal.Decimal, bool) {
			d, err := loyalty.ParsePoints(s)
			return d, err == nil
		}
		p := tiered(retail())
		p.PointPlaces = int32(places % 7)
		if halfUp {
			p.Rounding = loyalty.HalfUp
		}
		if whole {
			p.Tiers.Crossing = loyalty.CrossingWhole
		}
		var ok bool
		if p.Earn.Rate.Points, ok = dec(rate); !ok {
			return
		}
		fe, err := money.Parse(forEvery, money.RUB)
		if err != nil {
			return
		}
		p.Earn.Rate.ForEvery = fe
		f, ok := dec(factor)
		if !ok {
			return
		}
		p.Earn.Multipliers = append(p.Earn.Multipliers, loyalty.Multiplier{Category: "c", Factor: f})
		if p.Earn.PerOrder, ok = dec(perOrder); !ok {
			return
		}
		r, err := loyalty.NewRules(p)
		if err != nil {
			if !errors.Is(err, loyalty.ErrInvalid) {
				t.Fatalf("NewRules: %v", err)
			}
			return
		}
		a, err := money.Parse(amount, money.RUB)
		if err != nil {
			return
		}
		pp, err := money.Parse(pointsPaid, money.RUB)
		if err != nil {
			return
		}
		m, ok := dec(metric)
		if !ok {
			return
		}
		o := loyalty.Order{ID: "o", Date: purchaseDay, PointsPaid: pp, Lines: []loyalty.Line{
			{SKU: "a", Category: "c", Amount: a}, {SKU: "b", Quantity: decimal.NewFromInt(2), Amount: rub("10")},
		}}
		e, err := r.Earn(o, loyalty.Standing{Tier: "base", Metric: m})
		if err != nil {
			if !errors.Is(err, loyalty.ErrInvalid) {
				t.Fatalf("Earn: %v", err)
			}
			return
		}
		if e.Points.Sign() < 0 {
			t.Fatalf("negative points %s", e.Points)
		}
		if !e.Points.Equal(e.Points.Truncate(p.PointPlaces)) {
			t.Fatalf("%s does not fit %d places", e.Points, p.PointPlaces)
		}
		if !halfUp && e.Points.GreaterThan(e.Exact) {
			t.Fatalf("truncated %s above exact %s", e.Points, e.Exact)
		}
		var sum decimal.Decimal
		for _, l := range e.Lines {
			sum = sum.Add(l.Points)
		}
		if sum.GreaterThan(e.Points) && !halfUp {
			t.Fatalf("line shares %s above the total %s", sum, e.Points)
		}
		if c, _ := e.Paid.Cmp(e.Total); c > 0 {
			t.Fatalf("paid %s above total %s", e.Paid, e.Total)
		}
	})
}
