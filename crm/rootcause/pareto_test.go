package rootcause

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/money"
)

var (
	rub = money.MustCurrency("RUB")
	jan = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	feb = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	mar = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
)

func rubles(s string) money.Amount { return money.MustParse(s, rub) }

func rec(cause Code, cost string, at time.Time, client, product string) Record {
	return Record{Cause: cause, Cost: rubles(cost), At: at, ClientID: client, Product: product}
}

func sampleRecords() []Record {
	return []Record{
		rec(TransitDamage, "50000", jan.AddDate(0, 0, 1), "c1", "glass"),
		rec(TransitDamage, "30000", jan.AddDate(0, 0, 2), "c2", "glass"),
		rec(ProductDefect, "15000", jan.AddDate(0, 0, 3), "c1", "pump"),
		rec(LateDelivery, "1000", jan.AddDate(0, 0, 4), "c3", "pump"),
		rec(LateDelivery, "1000", jan.AddDate(0, 0, 5), "c3", "pump"),
		rec(LateDelivery, "1000", jan.AddDate(0, 0, 6), "c2", "valve"),
		rec(PriceError, "500", jan.AddDate(0, 0, 7), "c1", "valve"),
		rec(Other, "1500", jan.AddDate(0, 0, 8), "", "valve"),
		rec(TransitDamage, "10000", feb.AddDate(0, 0, 1), "c1", "glass"),
		rec(ProductDefect, "40000", feb.AddDate(0, 0, 2), "c2", "pump"),
		rec(Expiry, "2000", feb.AddDate(0, 0, 3), "c3", "glue"),
	}
}

func TestParetoByCost(t *testing.T) {
	rep, err := Pareto(sampleRecords(), ParetoOptions{Period: Period{From: jan, To: feb}})
	require.NoError(t, err)
	assert.Equal(t, ByCause, rep.Dimension)
	assert.Equal(t, ByCost, rep.Measure)
	assert.Equal(t, 8, rep.TotalCount)
	assert.True(t, rep.TotalCost.Equal(rubles("100000")))
	keys := make([]string, len(rep.Rows))
	for i, r := range rep.Rows {
		keys[i] = r.Key
	}
	assert.Equal(t, []string{"TRANSIT_DAMAGE", "PRODUCT_DEFECT", "LATE_DELIVERY", "PRICE_ERROR", "OTHER"}, keys)
	assert.Equal(t, 4, rep.Groups)
	last := rep.Rows[len(rep.Rows)-1]
	assert.True(t, last.Other)
	assert.Equal(t, "Прочее", last.NameRU)
	assert.InDelta(t, 0.80, rep.Rows[0].Share, 1e-12)
	assert.InDelta(t, 0.95, rep.Rows[1].Cumulative, 1e-12)
	assert.InDelta(t, 1.0, last.Cumulative, 1e-12)
	assert.Equal(t, "Повреждение при перевозке", rep.Rows[0].NameRU)
	// 80% is reached exactly by the first cause.
	assert.Equal(t, 1, rep.CutGroups)
	assert.InDelta(t, 0.80, rep.CutShare, 1e-12)
	assert.True(t, rep.Rows[0].Vital)
	assert.False(t, rep.Rows[1].Vital)
	assert.Equal(t, "1 of 4 causes = 80% of cost", rep.Message("en"))
	assert.Equal(t, "1 из 4 причин = 80% затрат", rep.Message("ru"))
	assert.Equal(t, "pareto_cause_cost", rep.Code())
}

func TestParetoCutIsReportedAsItIs(t *testing.T) {
	var records []Record
	for i, cost := range []string{"40", "38", "8", "5", "4", "3", "2"} {
		records = append(records, rec(Code([]string{"A", "B", "C", "D", "E", "F", "G"}[i]), cost, jan, "", ""))
	}
	rep, err := Pareto(records, ParetoOptions{})
	require.NoError(t, err)
	// cumulative 40, 78, 86: 78% is closer to 80% than 86% is.
	assert.Equal(t, 2, rep.CutGroups)
	assert.InDelta(t, 0.78, rep.CutShare, 1e-12)
	assert.Equal(t, "2 of 7 causes = 78% of cost", rep.Message("en"))
	rep, err = Pareto(records, ParetoOptions{Target: 0.9})
	require.NoError(t, err)
	assert.Equal(t, 4, rep.CutGroups) // 86 vs 91: 91 is closer
	assert.InDelta(t, 0.91, rep.CutShare, 1e-12)
}

func TestParetoDimensions(t *testing.T) {
	recs := sampleRecords()
	recs[0].Party = PartyWarehouse // explicit party wins over the category's
	cases := []struct {
		opt  ParetoOptions
		keys []string
		msg  string
	}{
		{ParetoOptions{Measure: ByCount, Period: Period{To: feb}},
			[]string{"LATE_DELIVERY", "TRANSIT_DAMAGE", "PRODUCT_DEFECT", "PRICE_ERROR", "OTHER"},
			"3 of 4 causes = 75% of claims"},
		{ParetoOptions{Dimension: ByClient, Period: Period{To: feb}}, []string{"c1", "c2", "c3", ""}, "1 of 3 clients = 66% of cost"},
		{ParetoOptions{Dimension: ByProduct, Measure: ByCount}, []string{"pump", "glass", "valve", "glue"}, "3 of 4 products = 91% of claims"},
		{ParetoOptions{Dimension: ByParty, Period: Period{From: jan, To: feb}},
			[]string{"warehouse", "carrier", "production", "sales", ""}, "2 of 4 parties = 83% of cost"},
		{ParetoOptions{Dimension: ByClient, MaxGroups: 1}, []string{"c1", ""}, "1 of 1 clients = 50% of cost"},
	}
	for _, tt := range cases {
		rep, err := Pareto(recs, tt.opt)
		require.NoError(t, err)
		var keys []string
		for _, r := range rep.Rows {
			keys = append(keys, r.Key)
		}
		assert.Equal(t, tt.keys, keys, "%+v", tt.opt)
		assert.Equal(t, tt.msg, rep.Message("en"), "%+v", tt.opt)
		assert.NotEmpty(t, rep.Message("ru"))
	}
}

func TestParetoErrors(t *testing.T) {
	usd := money.MustParse("10", money.MustCurrency("USD"))
	cases := []struct {
		name    string
		records []Record
		opt     ParetoOptions
		reason  Reason
		field   string
	}{
		{"currency", []Record{rec(Expiry, "10", jan, "", ""), {Cause: Expiry, Cost: usd, At: jan}}, ParetoOptions{},
			ReasonCurrencyMismatch, "records[1].cost"},
		{"negative", []Record{rec(Expiry, "-1", jan, "", "")}, ParetoOptions{}, ReasonOutOfRange, "records[0].cost"},
		{"dimension", nil, ParetoOptions{Dimension: "region"}, ReasonOutOfRange, "dimension"},
		{"measure", nil, ParetoOptions{Measure: "margin"}, ReasonOutOfRange, "measure"},
		{"target", nil, ParetoOptions{Target: 1.5}, ReasonOutOfRange, "target"},
		{"max groups", nil, ParetoOptions{MaxGroups: -1}, ReasonOutOfRange, "max_groups"},
		{"period", nil, ParetoOptions{Period: Period{From: feb, To: jan}}, ReasonBadPeriod, "period"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Pareto(tt.records, tt.opt)
			require.ErrorIs(t, err, ErrInvalidPareto)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tt.reason, e.Reason)
			assert.Equal(t, tt.field, e.Field)
			assert.NotEmpty(t, e.Message("ru"))
		})
	}
	_, err := Pareto([]Record{rec(Expiry, "10", jan, "", ""), {Cause: Expiry, Cost: usd, At: jan}}, ParetoOptions{})
	assert.ErrorIs(t, err, money.ErrCurrencyMismatch, "the money error is wrapped")
	// Outside the period, a foreign currency is not summed.
	_, err = Pareto([]Record{rec(Expiry, "10", feb, "", ""), {Cause: Expiry, Cost: usd, At: jan}},
		ParetoOptions{Period: Period{From: feb}})
	assert.NoError(t, err)
}

func TestParetoEmptyAndZero(t *testing.T) {
	rep, err := Pareto(nil, ParetoOptions{})
	require.NoError(t, err)
	assert.Empty(t, rep.Rows)
	assert.Equal(t, "no causes to rank", rep.Message("en"))
	assert.Equal(t, "нет причин для анализа", rep.Message("ru"))
	rep, err = Pareto([]Record{{Cause: Expiry, At: jan}, {Cause: Other, At: jan}}, ParetoOptions{})
	require.NoError(t, err)
	require.Len(t, rep.Rows, 2)
	assert.Zero(t, rep.Rows[0].Share)
	assert.Equal(t, 0, rep.CutGroups)
	rep, err = Pareto([]Record{{Cause: Expiry, At: jan}}, ParetoOptions{Measure: ByCount})
	require.NoError(t, err)
	assert.Equal(t, 1.0, rep.Rows[0].Share)
}

func TestComparePareto(t *testing.T) {
	cur := Period{From: feb, To: mar}
	prev := Period{From: jan, To: feb}
	c, err := ComparePareto(sampleRecords(), ParetoOptions{}, cur, prev)
	require.NoError(t, err)
	var keys []string
	for _, ch := range c.Changes {
		keys = append(keys, ch.Key)
	}
	assert.Equal(t, []string{"PRODUCT_DEFECT", "TRANSIT_DAMAGE", "EXPIRY", "LATE_DELIVERY", "PRICE_ERROR", "OTHER"}, keys)
	pd := c.Changes[0]
	assert.Equal(t, 1, pd.CurrentRank)
	assert.Equal(t, 2, pd.PrevRank)
	assert.True(t, pd.CostDelta.Equal(rubles("25000")))
	assert.Equal(t, 0, pd.CountDelta)
	exp := c.Changes[2]
	assert.Equal(t, 0, exp.PrevRank)
	late := c.Changes[3]
	assert.Equal(t, 0, late.CurrentRank)
	assert.Equal(t, -3, late.CountDelta)
	assert.True(t, late.CostDelta.Equal(rubles("-3000")))
	other := c.Changes[5]
	assert.True(t, other.Current.Other || other.Previous.Other)
	assert.Equal(t, -1, other.CountDelta)
	assert.Equal(t, "1 of 3 causes = 77% of cost", c.Current.Message("en"))

	assert.Equal(t, prev, cur.Previous())
	assert.Equal(t, Month(2026, time.February, nil), cur)
	assert.Equal(t, Period{}, Period{From: jan}.Previous())
	assert.Equal(t, Period{}, Period{From: feb, To: jan}.Previous())
	q2 := Period{From: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
	assert.Equal(t, Period{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: q2.From}, q2.Previous())
	week := Period{From: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)}
	assert.Equal(t, Period{From: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), To: week.From}, week.Previous())
	msk := time.FixedZone("MSK", 3*3600)
	m := Month(2026, time.March, msk)
	assert.Equal(t, Month(2026, time.February, msk), m.Previous())
	_, err = ComparePareto(sampleRecords(), ParetoOptions{}, cur, Period{From: jan}.Previous())
	assert.ErrorIs(t, err, ErrInvalidPareto)
	_, err = ComparePareto(sampleRecords(), ParetoOptions{Measure: "x"}, cur, prev)
	assert.ErrorIs(t, err, ErrInvalidPareto)
}

// Properties: counts and costs are conserved, shares sum to one and
// accumulate monotonically, "other" is last, the cut is a prefix.
func TestParetoProperties(t *testing.T) {
	codes := []Code{ProductDefect, TransitDamage, LateDelivery, PriceError, Other, ""}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 60).Draw(t, "n")
		var records []Record
		var totalMinor int64
		for i := range n {
			minor := rapid.Int64Range(0, 1_000_000).Draw(t, "cost")
			totalMinor += minor
			cost, _ := money.FromMinor(minor, rub)
			records = append(records, Record{
				Cause:    rapid.SampledFrom(codes).Draw(t, "cause"),
				Cost:     cost,
				At:       jan.Add(time.Duration(i) * time.Hour),
				ClientID: rapid.SampledFrom([]string{"a", "b", "c", ""}).Draw(t, "client"),
			})
		}
		opt := ParetoOptions{
			Dimension: rapid.SampledFrom([]Dimension{ByCause, ByClient, ByParty}).Draw(t, "dim"),
			Measure:   rapid.SampledFrom([]Measure{ByCount, ByCost}).Draw(t, "measure"),
			MaxGroups: rapid.IntRange(0, 3).Draw(t, "max"),
		}
		rep, err := Pareto(records, opt)
		if err != nil {
			t.Fatal(err)
		}
		var count int
		sum := money.Zero(rub)
		var shares float64
		prevCum := 0.0
		for i, r := range rep.Rows {
			count += r.Count
			sum, _ = sum.Add(r.Cost)
			shares += r.Share
			if r.Cumulative+1e-9 < prevCum {
				t.Fatalf("cumulative went down")
			}
			prevCum = r.Cumulative
			if r.Other && i != len(rep.Rows)-1 {
				t.Fatalf("other is not last")
			}
			if r.Vital != (i < rep.CutGroups) {
				t.Fatalf("the cut is not a prefix")
			}
		}
		want, _ := money.FromMinor(totalMinor, rub)
		if count != n || !sum.Equal(want) || !rep.TotalCost.Equal(want) {
			t.Fatalf("not conserved: %d/%d %s/%s", count, n, sum, want)
		}
		total := float64(n)
		if opt.Measure == ByCost {
			total = float64(totalMinor)
		}
		if total > 0 && math.Abs(shares-1) > 1e-9 {
			t.Fatalf("shares sum to %v", shares)
		}
		if rep.CutGroups > rep.Groups {
			t.Fatalf("cut beyond groups")
		}
	})
}

// Record.Cost is "zero if unknown": a zero cost in another currency (a
// host that fills in money.Zero of its default currency) is no currency
// mix-up.
func TestParetoZeroCostInAnotherCurrency(t *testing.T) {
	eur := money.MustCurrency("EUR")
	records := []Record{
		{Cause: TransitDamage, Cost: money.Zero(eur), At: jan},
		{Cause: ProductDefect, Cost: rubles("100"), At: jan},
		{Cause: TransitDamage, Cost: rubles("50"), At: jan},
	}
	rep, err := Pareto(records, ParetoOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, rep.TotalCount)
	assert.True(t, rep.TotalCost.Equal(rubles("150")), "total %s", rep.TotalCost)

	records[0].Cost = money.MustParse("1", eur)
	_, err = Pareto(records, ParetoOptions{})
	require.Error(t, err, "a non-zero cost in another currency is still refused")
}
