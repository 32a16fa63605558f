package loyalty_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
)

var purchaseDay = day(2026, 3, 2)

func lines(amounts ...string) []loyalty.Line {
	out := make([]loyalty.Line, len(amounts))
	for i, a := range amounts {
		out[i] = loyalty.Line{SKU: "sku-" + a, Amount: rub(a)}
	}
	return out
}

func TestEarnFigures(t *testing.T) {
	cases := []struct {
		name   string
		tweak  func(*loyalty.Programme)
		order  loyalty.Order
		points string
		exact  string
		paid   string
		qual   string
	}{
		{"1 point per 100 RUB, truncated", nil,
			loyalty.Order{Lines: lines("1234.56")}, "12", "12.3456", "1234.56", "1234.56"},
		{"half-up rounding when the programme says so", func(p *loyalty.Programme) { p.Rounding = loyalty.HalfUp },
			loyalty.Order{Lines: lines("1250")}, "13", "12.5", "1250", "1250"},
		{"truncation by default at .5", nil,
			loyalty.Order{Lines: lines("1250")}, "12", "12.5", "1250", "1250"},
		{"fractional points: two places", func(p *loyalty.Programme) { p.PointPlaces = 2 },
			loyalty.Order{Lines: lines("1234.56")}, "12.34", "12.3456", "1234.56", "1234.56"},
		{"5 % back: 5 points for every 100", func(p *loyalty.Programme) { p.Earn.Rate.Points = pts("5") },
			loyalty.Order{Lines: lines("999.99")}, "49", "49.9995", "999.99", "999.99"},
		{"rate over an odd amount: 3 points per 7 RUB", func(p *loyalty.Programme) {
			p.Earn.Rate = loyalty.SpendRate{Points: pts("3"), ForEvery: rub("7")}
		}, loyalty.Order{Lines: lines("100")}, "42", "42.857142857142", "100", "100"},
		{"points redeemed do not earn: spread 100 over 600 and 400", nil,
			loyalty.Order{Lines: lines("600", "400"), PointsPaid: rub("100")}, "9", "9", "900", "900"},
		{"points redeemed spread to the kopeck: 100 over three equal lines", func(p *loyalty.Programme) { p.PointPlaces = 4 },
			loyalty.Order{Lines: lines("100", "100", "100"), PointsPaid: rub("100")}, "2", "2", "200", "200"},
		{"category multiplier ×2", func(p *loyalty.Programme) {
			p.Earn.Multipliers = []loyalty.Multiplier{{Category: "coffee", Factor: pts("2")}}
		}, loyalty.Order{Lines: []loyalty.Line{{Category: "coffee", Amount: rub("300")}, {Category: "tea", Amount: rub("700")}}}, "13", "13", "1000", "1000"},
		{"tag multipliers multiply; a repeated tag counts once", func(p *loyalty.Programme) {
			p.Earn.Multipliers = []loyalty.Multiplier{{Tag: "promo", Factor: pts("2")}, {Tag: "new", Factor: pts("1.5")}}
		}, loyalty.Order{Lines: []loyalty.Line{{Tags: []string{"promo", "new", "promo"}, Amount: rub("100")}}}, "3", "3", "100", "100"},
		{"category ×0 excludes the line, also from qualifying spend", func(p *loyalty.Programme) {
			p.Earn.Multipliers = []loyalty.Multiplier{{Category: "tobacco", Factor: pts("0")}}
		}, loyalty.Order{Lines: []loyalty.Line{{Category: "tobacco", Amount: rub("500")}, {Category: "food", Amount: rub("500")}}}, "5", "5", "1000", "500"},
		{"tag ×0 excludes the line", func(p *loyalty.Programme) {
			p.Earn.Multipliers = []loyalty.Multiplier{{Tag: "sale", Factor: pts("0")}, {Category: "food", Factor: pts("3")}}
		}, loyalty.Order{Lines: []loyalty.Line{{Category: "food", Tags: []string{"sale"}, Amount: rub("500")}}}, "0", "0", "500", "0"},
		{"excluded SKU earns nothing", func(p *loyalty.Programme) { p.Earn.ExcludedSKUs = []string{"gift-card"} },
			loyalty.Order{Lines: []loyalty.Line{{SKU: "gift-card", Amount: rub("3000")}, {SKU: "tea", Amount: rub("250")}}}, "2", "2.5", "3250", "250"},
		{"fixed points per SKU times quantity", func(p *loyalty.Programme) {
			p.Earn.PerSKU = []loyalty.SKUPoints{{SKU: "bottle", Points: pts("50")}}
		}, loyalty.Order{Lines: []loyalty.Line{{SKU: "bottle", Quantity: pts("3"), Amount: rub("900")}}}, "159", "159", "900", "900"},
		{"quantity zero counts as one", func(p *loyalty.Programme) {
			p.Earn.PerSKU = []loyalty.SKUPoints{{SKU: "bottle", Points: pts("50")}}
		}, loyalty.Order{Lines: []loyalty.Line{{SKU: "bottle", Amount: rub("300")}}}, "53", "53", "300", "300"},
		{"fixed points per order", func(p *loyalty.Programme) { p.Earn.PerOrder = pts("10") },
			loyalty.Order{Lines: lines("250")}, "12", "12.5", "250", "250"},
		{"fixed points only, no rate", func(p *loyalty.Programme) {
			p.Earn.Rate = loyalty.SpendRate{}
			p.Earn.PerOrder = pts("25")
		}, loyalty.Order{Lines: lines("250")}, "25", "25", "250", "250"},
		{"below the minimum order earns nothing, spend still qualifies", func(p *loyalty.Programme) {
			p.Earn.MinOrder = rub("1000")
			p.Earn.PerOrder = pts("10")
		}, loyalty.Order{Lines: lines("999.99")}, "0", "0", "999.99", "999.99"},
		{"the minimum is on what was paid in money", func(p *loyalty.Programme) { p.Earn.MinOrder = rub("1000") },
			loyalty.Order{Lines: lines("1200"), PointsPaid: rub("300")}, "0", "0", "900", "900"},
		{"exactly the minimum earns", func(p *loyalty.Programme) { p.Earn.MinOrder = rub("1000") },
			loyalty.Order{Lines: lines("1000")}, "10", "10", "1000", "1000"},
		{"an order paid entirely with points earns nothing, not even fixed points", func(p *loyalty.Programme) { p.Earn.PerOrder = pts("10") },
			loyalty.Order{Lines: lines("300"), PointsPaid: rub("300")}, "0", "0", "0", "0"},
		{"a free line (zero amount) is allowed", nil,
			loyalty.Order{Lines: []loyalty.Line{{SKU: "gift"}, {SKU: "x", Amount: rub("200")}}}, "2", "2", "200", "200"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := retail()
			if c.tweak != nil {
				c.tweak(&p)
			}
			r := mustRules(t, p)
			o := c.order
			o.ID, o.Date = "o-1", purchaseDay
			e, err := r.Earn(o, loyalty.Standing{})
			require.NoError(t, err)
			equalDec(t, c.points, e.Points, "points")
			equalDec(t, c.exact, e.Exact, "exact")
			assert.True(t, rub(c.paid).Equal(e.Paid), "paid %s", e.Paid)
			assert.True(t, rub(c.qual).Equal(e.Qualifying) || (c.qual == "0" && e.Qualifying.IsZero()), "qualifying %s", e.Qualifying)
			var sum = pts("0")
			for _, l := range e.Lines {
				sum = sum.Add(l.Points)
			}
			assert.True(t, sum.LessThanOrEqual(e.Points), "line shares %s add up to at most the total %s", sum, e.Points)
		})
	}
}

func TestEarnExplains(t *testing.T) {
	p := retail()
	p.Earn.Multipliers = []loyalty.Multiplier{{Category: "tobacco", Factor: pts("0")}, {Category: "coffee", Factor: pts("2")}}
	p.Earn.ExcludedSKUs = []string{"gift-card"}
	p.Earn.MinOrder = rub("500")
	r := mustRules(t, p)
	e, err := r.Earn(loyalty.Order{ID: "o", Date: purchaseDay, Lines: []loyalty.Line{
		{SKU: "gift-card", Amount: rub("1000")},
		{SKU: "cig", Category: "tobacco", Amount: rub("300")},
		{SKU: "beans", Category: "coffee", Amount: rub("450")},
	}}, loyalty.Standing{})
	require.NoError(t, err)
	assert.Equal(t, "excluded_sku", e.Lines[0].Excluded)
	assert.Equal(t, "category", e.Lines[1].Excluded)
	assert.Equal(t, "", e.Lines[2].Excluded)
	equalDec(t, "2", e.Lines[2].Factor)
	equalDec(t, "9", e.Lines[2].Points)
	equalDec(t, "9", e.Points)
	assert.False(t, e.BelowMinimum, "the minimum is on the whole paid amount, 1750")

	below, err := r.Earn(loyalty.Order{ID: "o", Date: purchaseDay, Lines: lines("499.50")}, loyalty.Standing{})
	require.NoError(t, err)
	assert.True(t, below.BelowMinimum)
	assert.True(t, rub("0.50").Equal(below.Short), "short by %s", below.Short)
}

func TestEarnTierCrossing(t *testing.T) {
	cases := []struct {
		name     string
		crossing loyalty.Crossing
		tier     string
		before   string
		amount   string
		points   string
		newTier  string
		segments int
	}{
		{"within Base", "", "base", "0", "10000", "100", "base", 1},
		{"split by default: 5 000 at ×1, 5 000 at ×1.5", "", "base", "45000", "10000", "125", "silver", 2},
		{"whole: all 10 000 at ×1.5", loyalty.CrossingWhole, "base", "45000", "10000", "150", "silver", 1},
		{"split over two thresholds: 5 000 ×1, 100 000 ×1.5, 5 000 ×2", loyalty.CrossingSplit, "base", "45000", "110000", "1650", "gold", 3},
		{"whole over two thresholds", loyalty.CrossingWhole, "base", "45000", "110000", "2200", "gold", 1},
		{"thresholds are inclusive: reaching 50 000 exactly", "", "base", "40000", "10000", "100", "silver", 1},
		{"a metric already at the threshold earns at the new tier", "", "base", "50000", "1000", "15", "silver", 1},
		{"a kept tier above the metric earns at its rate", "", "gold", "0", "1000", "20", "gold", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := tiered(retail())
			p.Tiers.Crossing = c.crossing
			r := mustRules(t, p)
			e, err := r.Earn(loyalty.Order{ID: "o", Date: purchaseDay, Lines: lines(c.amount)},
				loyalty.Standing{Tier: c.tier, Metric: pts(c.before)})
			require.NoError(t, err)
			equalDec(t, c.points, e.Points)
			assert.Equal(t, c.newTier, e.NewTier)
			assert.Len(t, e.Segments, c.segments, "%+v", e.Segments)
		})
	}
}

func TestEarnPointsMetricCrossing(t *testing.T) {
	p := retail()
	p.Tiers = loyalty.TierRules{
		Metric: loyalty.MetricPoints,
		Levels: []loyalty.Tier{{Code: "base"}, {Code: "silver", MinPoints: pts("500")}},
	}
	p.Earn.Multipliers = []loyalty.Multiplier{{Tier: "silver", Factor: pts("1.5")}}
	r := mustRules(t, p)
	// 10 000 RUB earn 100 points before the multiplier: 50 below the
	// threshold at ×1, 50 above at ×1.5.
	e, err := r.Earn(loyalty.Order{ID: "o", Date: purchaseDay, Lines: lines("10000")}, loyalty.Standing{Tier: "base", Metric: pts("450")})
	require.NoError(t, err)
	equalDec(t, "125", e.Points)
	equalDec(t, "100", e.TierPoints, "qualifying points are before the tier multiplier")
	assert.Equal(t, "silver", e.NewTier)
}

func TestEarnZeroTierFactorExcludes(t *testing.T) {
	p := tiered(retail())
	p.Tiers.Levels = append(p.Tiers.Levels, loyalty.Tier{Code: "staff", MinSpend: rub("100000000")})
	p.Earn.Multipliers = append(p.Earn.Multipliers, loyalty.Multiplier{Tier: "staff", Factor: pts("0")})
	p.Earn.PerOrder = pts("10")
	r := mustRules(t, p)
	e, err := r.Earn(loyalty.Order{ID: "o", Date: purchaseDay, Lines: lines("1000")}, loyalty.Standing{Tier: "staff"})
	require.NoError(t, err)
	equalDec(t, "0", e.Points)
}

func TestEarnBadInput(t *testing.T) {
	p := retail()
	p.ValidTo = day(2026, 12, 31)
	r := mustRules(t, p)
	usd := money.MustParse("10", money.USD)
	cases := []struct {
		name   string
		order  loyalty.Order
		field  string
		reason loyalty.Reason
	}{
		{"no id", loyalty.Order{Date: purchaseDay, Lines: lines("1")}, "id", loyalty.ReasonRequired},
		{"no date", loyalty.Order{ID: "o", Lines: lines("1")}, "date", loyalty.ReasonRequired},
		{"impossible date", loyalty.Order{ID: "o", Date: loyalty.Date{Year: 2026, Month: 2, Day: 30}, Lines: lines("1")}, "date", loyalty.ReasonBadDate},
		{"before the programme", loyalty.Order{ID: "o", Date: day(2025, 12, 31), Lines: lines("1")}, "date", loyalty.ReasonOutsideWindow},
		{"after the programme", loyalty.Order{ID: "o", Date: day(2027, 1, 1), Lines: lines("1")}, "date", loyalty.ReasonOutsideWindow},
		{"no lines", loyalty.Order{ID: "o", Date: purchaseDay}, "lines", loyalty.ReasonRequired},
		{"another currency", loyalty.Order{ID: "o", Date: purchaseDay, Lines: []loyalty.Line{{Amount: rub("1")}, {Amount: usd}}}, "lines[1].amount", loyalty.ReasonCurrency},
		{"negative amount", loyalty.Order{ID: "o", Date: purchaseDay, Lines: lines("-5")}, "lines[0].amount", loyalty.ReasonNegative},
		{"negative quantity", loyalty.Order{ID: "o", Date: purchaseDay, Lines: []loyalty.Line{{Quantity: pts("-1"), Amount: rub("1")}}}, "lines[0].quantity", loyalty.ReasonNegative},
		{"empty tag", loyalty.Order{ID: "o", Date: purchaseDay, Lines: []loyalty.Line{{Tags: []string{""}, Amount: rub("1")}}}, "lines[0].tags[0]", loyalty.ReasonRequired},
		{"points paid in another currency", loyalty.Order{ID: "o", Date: purchaseDay, Lines: lines("100"), PointsPaid: usd}, "points_paid", loyalty.ReasonCurrency},
		{"points paid negative", loyalty.Order{ID: "o", Date: purchaseDay, Lines: lines("100"), PointsPaid: rub("-1")}, "points_paid", loyalty.ReasonNegative},
		{"points paid above the total", loyalty.Order{ID: "o", Date: purchaseDay, Lines: lines("100"), PointsPaid: rub("100.01")}, "points_paid", loyalty.ReasonExceeds},
		{"points paid below the kopeck", loyalty.Order{ID: "o", Date: purchaseDay, Lines: lines("100"), PointsPaid: rub("1.005")}, "points_paid", loyalty.ReasonPrecision},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := r.Earn(c.order, loyalty.Standing{})
			require.ErrorIs(t, err, loyalty.ErrInvalid)
			var v *loyalty.ValidationError
			require.True(t, errors.As(err, &v))
			assert.Equal(t, c.field, v.Field, v.Error())
			assert.Equal(t, c.reason, v.Reason, v.Error())
			assert.NotEmpty(t, v.Message("ru"))
		})
	}
}
