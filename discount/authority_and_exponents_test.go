package discount_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
)

// A manual grant of exactly the granter's authority is not flagged, also
// when the percent of a line ends in half a kopeck and the adjustment
// rounds up (10% of 1000.05 is 100.01); a grant above it still is.
func TestManualAtAuthorityAfterRounding(t *testing.T) {
	e := newEngine(t, discount.Options{})
	auth := decimal.NewFromInt(10)
	grant := func(pct int64, lines ...discount.Line) *discount.PricedCart {
		c := cartOf(lines...)
		c.Manual = []discount.Rule{{ID: "m", Stacking: discount.Compounding, Scope: discount.Scope{Kind: discount.ScopeLine},
			Action: discount.Action{Kind: discount.ActionPercentOff, Percent: decimal.NewFromInt(pct)},
			Manual: &discount.Manual{GrantedBy: "mgr", Authority: &auth}}}
		return priceOK(t, e, c, nil)
	}
	pc := grant(10, ln("A", "1", "1000.05"))
	require.Equal(t, rubs("100.01"), discounts(pc))
	assert.Empty(t, pc.Approvals)
	assert.False(t, pc.Adjustments[0].NeedsApproval)

	pc = grant(10, ln("A", "1", "1000.05"), ln("B", "1", "0.05"), ln("C", "3", "0.15"))
	assert.Empty(t, pc.Approvals, "each line rounded up on its own")

	pc = grant(11, ln("A", "1", "1000.05"))
	require.Len(t, pc.Approvals, 1, "above the authority")
	assert.True(t, pc.Adjustments[0].NeedsApproval)
}

// Quantities whose exponents lie far apart (10^10 units on one line, 10^-9
// on another) are summed without a panic for minimum-quantity conditions.
func TestSumQuantitiesOfFarApartExponents(t *testing.T) {
	e := newEngine(t, discount.Options{},
		`{"id":"o","stacking":"compounding","scope":{"kind":"order"},"conditions":{"min_quantity":"5"},"action":{"kind":"percent_off","percent":"5"}}`,
		`{"id":"s","stacking":"additive","scope":{"kind":"line"},"conditions":{"sum_matching":true,"min_quantity":"5"},"action":{"kind":"percent_off","percent":"1"}}`)
	a := ln("A", "1", "0.01")
	a.Quantity = decimal.New(1, 10)
	b := ln("B", "0.000000001", "1000")
	require.NotPanics(t, func() {
		pc, err := e.Price(cartOf(a, b), nil)
		require.NoError(t, err)
		assert.NotEmpty(t, pc.Adjustments)
	})
}

// DecodeRules refuses what NewEngine would: a rule whose amounts are in
// another currency than its coupon's budget.
func TestDecodeRulesChecksCouponBudgetCurrency(t *testing.T) {
	_, err := discount.DecodeRules([]byte(`{"rules":[{"id":"r","stacking":"additive","scope":{"kind":"line"},
		"conditions":{"coupon":"X"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"1","currency":"USD"}}}],
		"coupons":[{"code":"x","total":{"budget":{"amount":"100","currency":"RUB"}}}]}`))
	var re *discount.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "conditions.coupon", re.Field)
	assert.Equal(t, discount.ReasonCurrencyMismatch, re.Reason)

	rs, err := discount.DecodeRules([]byte(`{"rules":[{"id":"r","stacking":"additive","scope":{"kind":"line"},
		"conditions":{"coupon":"X"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"1","currency":"RUB"}}}],
		"coupons":[{"code":"x","total":{"budget":{"amount":"100","currency":"RUB"}}}]}`))
	require.NoError(t, err)
	_, err = discount.NewEngine(rs, discount.Options{})
	require.NoError(t, err)
}
