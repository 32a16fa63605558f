package discount_test

import (
	"context"
	"testing"
	"time"
	_ "time/tzdata" // the adapter loads IANA zones by name

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
)

func TestAdapter(t *testing.T) {
	ctx := context.Background()
	rs := ruleSet(t,
		`{"id":"march","name":"March","stacking":"compounding","scope":{"kind":"line","target":{"categories":["drills"]}},
		  "conditions":{"valid_from":"2026-03-01","valid_to":"2026-03-31"},"action":{"kind":"percent_off","percent":"10"}}`,
		`{"id":"welcome","stacking":"additive","scope":{"kind":"order"},"conditions":{"coupon":"HELLO"},
		  "action":{"kind":"amount_off","per":"order","amount":{"amount":"100","currency":"RUB"}}}`)
	rs.Coupons = []discount.Coupon{{Code: "HELLO", PerCustomer: discount.Limit{MaxUses: 1}}}
	e, err := discount.NewEngine(rs, discount.Options{})
	require.NoError(t, err)
	ledger := discount.NewMemoryLedger()
	a := &discount.Adapter{Engine: e, Usage: ledger, Ledger: ledger}
	req := discount.PricingRequest{
		Currency: "rub", At: time.Date(2026, 3, 31, 20, 59, 0, 0, time.UTC), TimeZone: "Europe/Moscow",
		CustomerID: "romashka", Coupons: []string{"hello"},
		Lines: []discount.PricingLine{
			{ID: "l1", SKU: "DRILL", Category: []string{"tools", "drills"}, Quantity: "2", ListPrice: "1000", Cost: "600"},
			{ID: "l2", SKU: "BOX", Quantity: "1", Factor: "12", ListPrice: "120.50"},
		},
	}
	res, err := a.Price(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, "RUB", res.Currency)
	assert.Equal(t, "RUB 300.00", res.Discount.String()) // 200 on the drills (Moscow is still in March), 100 on the order
	require.Len(t, res.Lines, 2)
	assert.Equal(t, "l1", res.Lines[0].ID)
	require.NotEmpty(t, res.Notes)
	assert.Equal(t, "l1", res.Notes[0].LineID)
	assert.Contains(t, res.Notes[0].RU, "скидка 10% на DRILL")
	assert.Equal(t, "", res.Notes[1].LineID)

	require.NoError(t, a.Commit(ctx, "order-1", res.Frozen))
	again, err := a.Price(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, "RUB 200.00", again.Discount.String(), "the coupon is used up for this customer")
	require.NoError(t, a.Release(ctx, "order-1"))

	ret, err := a.PriceReturn(ctx, discount.ReturnRequest{Frozen: res.Frozen, Lines: []discount.ReturnItem{{LineID: "l1", Quantity: "1"}}})
	require.NoError(t, err)
	require.Len(t, ret.Lines, 1)
	assert.Equal(t, res.Lines[0].Net.Decimal().Div(dec("2")).StringFixed(2), ret.Net.Decimal().StringFixed(2))

	// An hour later in Moscow it is April: the March rule no longer applies.
	req.At = req.At.Add(time.Hour)
	april, err := a.Price(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, "RUB 100.00", april.Discount.String())
}

func TestAdapterManualAndErrors(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, discount.Options{})
	a := &discount.Adapter{Engine: e}
	base := discount.PricingRequest{Currency: "RUB", At: t0, Lines: []discount.PricingLine{{ID: "l1", SKU: "A", Quantity: "1", ListPrice: "1000"}}}

	req := base
	req.Manual = []discount.ManualDiscount{{ID: "m1", GrantedBy: "petrov", Authority: "5", Amount: "60", SKUs: []string{"A"}}}
	res, err := a.Price(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, "RUB 60.00", res.Discount.String())
	require.Len(t, res.Approvals, 1)
	assert.Equal(t, "6", res.Approvals[0].Percent)
	assert.Equal(t, "5", res.Approvals[0].Authority)

	cases := []struct {
		name   string
		mutate func(*discount.PricingRequest)
		field  string
	}{
		{"currency", func(r *discount.PricingRequest) { r.Currency = "XYZ" }, "currency"},
		{"zone", func(r *discount.PricingRequest) { r.TimeZone = "Mars/Olympus" }, "time_zone"},
		{"quantity", func(r *discount.PricingRequest) { r.Lines[0].Quantity = "1,5" }, "lines[0].quantity"},
		{"negative quantity", func(r *discount.PricingRequest) { r.Lines[0].Quantity = "-1" }, "lines[0].quantity"},
		{"price", func(r *discount.PricingRequest) { r.Lines[0].ListPrice = "" }, "lines[0].list_price"},
		{"factor", func(r *discount.PricingRequest) { r.Lines[0].Factor = "0" }, "lines[0].factor"},
		{"manual both", func(r *discount.PricingRequest) {
			r.Manual = []discount.ManualDiscount{{ID: "m", GrantedBy: "x", Percent: "1", Amount: "1"}}
		}, "manual[0].amount"},
		{"manual neither", func(r *discount.PricingRequest) { r.Manual = []discount.ManualDiscount{{ID: "m", GrantedBy: "x"}} }, "manual[0].percent"},
		{"manual bad percent", func(r *discount.PricingRequest) {
			r.Manual = []discount.ManualDiscount{{ID: "m", GrantedBy: "x", Percent: "150"}}
		}, "manual[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := base
			req.Lines = append([]discount.PricingLine(nil), base.Lines...)
			tc.mutate(&req)
			_, err := a.Price(ctx, req)
			var ie *discount.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tc.field, ie.Field)
		})
	}

	_, err = (&discount.Adapter{}).Price(ctx, base)
	assert.ErrorIs(t, err, discount.ErrInvalidInput)
	assert.ErrorIs(t, a.Commit(ctx, "x", nil), discount.ErrInvalidInput, "no ledger")
	_, err = a.PriceReturn(ctx, discount.ReturnRequest{Frozen: []byte("{")})
	assert.ErrorIs(t, err, discount.ErrInvalidInput)
	res, err = a.Price(ctx, base)
	require.NoError(t, err)
	_, err = a.PriceReturn(ctx, discount.ReturnRequest{Frozen: res.Frozen, Lines: []discount.ReturnItem{{LineID: "nope", Quantity: "1"}}})
	assert.ErrorIs(t, err, discount.ErrInvalidInput)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = a.Price(cancelled, base)
	assert.ErrorIs(t, err, context.Canceled)
}
