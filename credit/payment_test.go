package credit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/money"
)

func d(y int, m time.Month, day int) Date { return MustDate(y, m, day) }

// docInvoice is the invoice of the package documentation: 100,000 due
// 1 March, half paid on the due date and half 30 days late.
func docInvoice() Invoice {
	return Invoice{ID: "A", Amount: rub("100000"), IssuedOn: d(2026, 2, 1), DueOn: d(2026, 3, 1),
		Payments: []Payment{{On: d(2026, 3, 1), Amount: rub("50000")}, {On: d(2026, 3, 31), Amount: rub("50000")}}}
}

func TestPaymentsDocExample(t *testing.T) {
	pb, err := AnalyzePayments([]Invoice{docInvoice()}, testAt, PaymentOptions{})
	require.NoError(t, err)
	assert.Equal(t, d(2026, 6, 30), pb.AsOf)
	assert.Equal(t, 1, pb.Invoices)
	requireDec(t, "15", pb.AvgDaysBeyondTerms.Value)
	requireDec(t, "65", pb.Index.Value)
	requireDec(t, "30", pb.LongestDelay.Value)
	requireDec(t, "1", pb.LateShare.Value)
	assert.True(t, pb.OpenReceivables.Equal(rub("0")))
	assert.True(t, pb.AvgMonthlyPurchases.Equal(rub("8333.33")))
	// nothing invoiced in the last 90 days
	var ue *UnavailableError
	require.ErrorAs(t, pb.DSO.Err, &ue)
	assert.Equal(t, CodeZeroDenominator, ue.Code())
	// the March 1 payment (80) is in the previous quarter, the March 31 one (50) in the last
	requireDec(t, "50", pb.Trend.Recent.Value)
	requireDec(t, "80", pb.Trend.Previous.Value)
	requireDec(t, "-30", pb.Trend.Change)
	assert.Equal(t, TrendWorsening, pb.Trend.Direction)
}

func TestPaymentsHandComputed(t *testing.T) {
	history := []Invoice{
		docInvoice(),
		// 20,000 paid 6 days early (index 86), 40,000 open and 30 days overdue (index 50)
		{ID: "B", Amount: rub("60000"), IssuedOn: d(2026, 5, 1), DueOn: d(2026, 5, 31),
			Payments: []Payment{{On: d(2026, 5, 25), Amount: rub("20000")}}},
		// open, not yet due; a payment dated after the as-of date has not happened yet
		{ID: "C", Amount: rub("40000"), IssuedOn: d(2026, 6, 15), DueOn: d(2026, 7, 15),
			Payments: []Payment{{On: d(2026, 7, 2), Amount: rub("40000")}}},
		// issued after the as-of date: ignored
		{ID: "D", Amount: rub("10000"), IssuedOn: d(2026, 7, 5), DueOn: d(2026, 8, 5)},
		// paid on time in October: in the 12-month window, not in the trend's two quarters
		{ID: "E", Amount: rub("30000"), IssuedOn: d(2025, 9, 10), DueOn: d(2025, 10, 10),
			Payments: []Payment{{On: d(2025, 10, 10), Amount: rub("30000")}}},
	}
	pb, err := AnalyzePayments(history, testAt, PaymentOptions{})
	require.NoError(t, err)
	assert.Equal(t, 4, pb.Invoices)
	assert.Equal(t, money.RUB, pb.Currency)
	assert.True(t, pb.OpenReceivables.Equal(rub("80000")), pb.OpenReceivables.String())
	assert.True(t, pb.OverdueAmount.Equal(rub("40000")))
	assert.Equal(t, 30, pb.MaxDaysOverdue)
	// 230,000 invoiced in 12 months / 12
	assert.True(t, pb.AvgMonthlyPurchases.Equal(rub("19166.67")), pb.AvgMonthlyPurchases.String())
	// 80,000 open × 90 days / 100,000 invoiced in 90 days
	requireDec(t, "72", pb.DSO.Value)
	// (50,000·0 + 50,000·30 + 20,000·0 + 40,000·30 + 30,000·0) / 190,000 = 14.2105
	requireDec(t, "14.21", pb.AvgDaysBeyondTerms.Value)
	requireDec(t, "30", pb.LongestDelay.Value)
	// A late, B overdue, E on time; C not yet due
	requireDec(t, "0.6667", pb.LateShare.Value)
	// (50,000·80 + 50,000·50 + 20,000·86 + 40,000·50 + 30,000·80) / 190,000 = 66.4211
	requireDec(t, "66.42", pb.Index.Value)
	// last quarter: (50,000·50 + 20,000·86 + 40,000·50) / 110,000 = 56.5455; quarter before: 80
	requireDec(t, "56.55", pb.Trend.Recent.Value)
	requireDec(t, "80", pb.Trend.Previous.Value)
	assert.Equal(t, TrendWorsening, pb.Trend.Direction)

	codes := codesOf(pb.Reasons())
	assert.Equal(t, []string{"payment_index", "longest_delay", "overdue_now", "payment_trend_worsening"}, codes)
	assert.Contains(t, pb.Reasons()[2].Message("ru"), "30 дней")
}

func TestPaymentsTrendAndLocation(t *testing.T) {
	inv := []Invoice{
		{Amount: rub("100"), IssuedOn: d(2026, 1, 1), DueOn: d(2026, 2, 1), Payments: []Payment{{On: d(2026, 2, 16), Amount: rub("100")}}}, // 15 days: 70
		{Amount: rub("100"), IssuedOn: d(2026, 4, 1), DueOn: d(2026, 5, 1), Payments: []Payment{{On: d(2026, 5, 1), Amount: rub("100")}}},  // 0 days: 80
	}
	pb, err := AnalyzePayments(inv, testAt, PaymentOptions{})
	require.NoError(t, err)
	assert.Equal(t, TrendImproving, pb.Trend.Direction)
	requireDec(t, "10", pb.Trend.Change)

	pb, err = AnalyzePayments(inv, testAt, PaymentOptions{TrendTolerance: dec("10.01")})
	require.NoError(t, err)
	assert.Equal(t, TrendStable, pb.Trend.Direction)

	// 23:30 UTC on 30 June is already 1 July in Moscow
	msk := time.FixedZone("MSK", 3*3600)
	pb, err = AnalyzePayments(inv, time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC), PaymentOptions{Location: msk})
	require.NoError(t, err)
	assert.Equal(t, d(2026, 7, 1), pb.AsOf)
}

func TestPaymentsEmpty(t *testing.T) {
	pb, err := AnalyzePayments(nil, testAt, PaymentOptions{})
	require.NoError(t, err)
	assert.Equal(t, 0, pb.Invoices)
	for _, f := range []Figure{pb.DSO, pb.AvgDaysBeyondTerms, pb.LongestDelay, pb.LateShare, pb.Index} {
		assert.False(t, f.OK(), f.Name)
		assert.ErrorIs(t, f.Err, ErrUnavailable)
	}
	assert.Equal(t, TrendUnknown, pb.Trend.Direction)
	assert.Equal(t, []string{"payment_history_unavailable"}, codesOf(pb.Reasons()))
}

func TestPaymentsBadInput(t *testing.T) {
	good := docInvoice
	mod := func(f func(*Invoice)) []Invoice {
		i := good()
		f(&i)
		return []Invoice{good(), i}
	}
	tests := []struct {
		name   string
		inv    []Invoice
		opts   PaymentOptions
		field  string
		reason string
	}{
		{"no amount", mod(func(i *Invoice) { i.Amount = money.Amount{} }), PaymentOptions{}, "invoices[1].amount", CodeRequired},
		{"zero amount", mod(func(i *Invoice) { i.Amount = rub("0") }), PaymentOptions{}, "invoices[1].amount", CodeNotPositive},
		{"another currency", mod(func(i *Invoice) { i.Amount = money.MustParse("100", money.EUR) }), PaymentOptions{}, "invoices[1].amount", CodeCurrency},
		{"no issue date", mod(func(i *Invoice) { i.IssuedOn = Date{} }), PaymentOptions{}, "invoices[1].issued_on", CodeBadDate},
		{"31 April", mod(func(i *Invoice) { i.DueOn = Date{Year: 2026, Month: 4, Day: 31} }), PaymentOptions{}, "invoices[1].due_on", CodeBadDate},
		{"due before issue", mod(func(i *Invoice) { i.DueOn = d(2026, 1, 1) }), PaymentOptions{}, "invoices[1].due_on", CodeInconsistent},
		{"overpaid", mod(func(i *Invoice) { i.Payments[1].Amount = rub("50000.01") }), PaymentOptions{}, "invoices[1].payments", CodeInconsistent},
		{"negative payment", mod(func(i *Invoice) { i.Payments[0].Amount = rub("-1") }), PaymentOptions{}, "invoices[1].payments[0].amount", CodeNotPositive},
		{"payment in dollars", mod(func(i *Invoice) { i.Payments[0].Amount = money.MustParse("1", money.USD) }), PaymentOptions{}, "invoices[1].payments[0].amount", CodeCurrency},
		{"payment without date", mod(func(i *Invoice) { i.Payments[0].On = Date{} }), PaymentOptions{}, "invoices[1].payments[0].on", CodeBadDate},
		{"negative window", nil, PaymentOptions{WindowMonths: -1}, "options.window_months", CodeOutOfRange},
		{"scale rises", nil, PaymentOptions{Scale: []IndexPoint{{-10, 90}, {0, 80}, {10, 85}}}, "options.scale[2]", CodeInconsistent},
		{"scale off 80", nil, PaymentOptions{Scale: []IndexPoint{{0, 90}, {30, 50}}}, "options.scale", CodeInconsistent},
		{"index above 100", nil, PaymentOptions{Scale: []IndexPoint{{0, 101}}}, "options.scale[0].index", CodeOutOfRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := AnalyzePayments(tc.inv, testAt, tc.opts)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tc.field, ie.Field)
			assert.Equal(t, tc.reason, ie.Code())
		})
	}
}

func TestIndexScale(t *testing.T) {
	for days, want := range map[int64]string{-100: "100", -30: "100", -20: "95", -10: "90", -6: "86", 0: "80", 15: "70", 22: "60", 26: "55", 30: "50", 45: "45", 120: "20", 150: "10", 180: "0", 1000: "0"} {
		requireDec(t, want, indexAt(DefaultIndexScale(), days), days)
	}
}

func TestDate(t *testing.T) {
	assert.Equal(t, 1, d(1969, 12, 31).DaysUntil(d(1970, 1, 1)))
	assert.Equal(t, 366, d(2024, 1, 1).DaysUntil(d(2025, 1, 1)))
	assert.Equal(t, d(2026, 2, 28), d(2026, 3, 31).AddMonths(-1))
	assert.Equal(t, d(2024, 2, 29), d(2025, 2, 28).AddMonths(-12).AddDays(1))
	assert.Equal(t, "2026-06-30", DateOf(testAt, nil).String())
	_, err := NewDate(2025, 2, 29)
	assert.ErrorIs(t, err, ErrInvalidInput)
	assert.Panics(t, func() { MustDate(2025, 13, 1) })
}
