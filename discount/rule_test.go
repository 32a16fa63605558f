package discount_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

// every kind of rule, as its JSON form.
var sampleRules = `{"rules":[
 {"id":"pct","name":"Весна","priority":10,"stacking":"additive","scope":{"kind":"line","target":{"skus":["A","B"],"categories":["drills"],"brands":["bosch"],"exclude_skus":["C"]}},
  "conditions":{"customers":["c1"],"groups":["wholesale"],"tiers":["gold"],"tags":["vip"],"contracts":["K-1"],"valid_from":"2026-03-01","valid_to":"2026-03-31",
   "min_quantity":"2.5","max_quantity":"100","min_amount":{"amount":"10.00","currency":"RUB"},"max_amount":{"amount":"99999.99","currency":"RUB"},"amount_basis":"net","sum_matching":true,"coupon":"SPRING"},
  "action":{"kind":"percent_off","percent":"12.5"},
  "limits":{"max_discount":{"amount":"500.00","currency":"RUB"},"total":{"max_uses":10,"budget":{"amount":"10000.00","currency":"RUB"}},"per_customer":{"max_uses":1}}},
 {"id":"unit","stacking":"compounding","scope":{"kind":"line"},"action":{"kind":"amount_off","amount":{"amount":"5.00","currency":"RUB"},"per":"unit"}},
 {"id":"order","stacking":"exclusive","scope":{"kind":"order","condition":{"brands":["bosch"]}},"action":{"kind":"amount_off","amount":{"amount":"100.00","currency":"RUB"},"per":"order"}},
 {"id":"fixed","priority":-3,"stacking":"stop","scope":{"kind":"line"},"action":{"kind":"fixed_price","price":{"amount":"9.99","currency":"RUB"}}},
 {"id":"vol","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"volume","by":"amount","breaks":[{"min_amount":{"amount":"100.00","currency":"RUB"},"percent":"1"},{"min_amount":{"amount":"200.00","currency":"RUB"},"price":{"amount":"1.00","currency":"RUB"}}]}},
 {"id":"bxgy","stacking":"additive","scope":{"kind":"cross","target":{"skus":["B"]},"condition":{"skus":["A"]}},"action":{"kind":"buy_x_get_y","percent":"50","buy":2,"get":1,"max_applications":3,"pick":"most_expensive"}},
 {"id":"gift","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"free_item","sku":"GIFT","quantity":"2"}},
 {"id":"manual","stacking":"compounding","scope":{"kind":"order"},"action":{"kind":"percent_off","percent":"3"},"manual":{"granted_by":"ivanov","authority":"5","reason":"big deal"}}
],"coupons":[{"code":"SPRING","total":{"max_uses":1000,"budget":{"amount":"50000.00","currency":"RUB"}},"per_customer":{"max_uses":1}}]}`

func TestRuleJSONRoundTrip(t *testing.T) {
	rs, err := discount.DecodeRules([]byte(sampleRules))
	require.NoError(t, err)
	require.Len(t, rs.Rules, 8)
	first, err := json.Marshal(rs)
	require.NoError(t, err)
	var back discount.RuleSet
	require.NoError(t, json.Unmarshal(first, &back))
	second, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(first), string(second))
	assert.JSONEq(t, sampleRules, string(first), "the encoding is the canonical form it was written in")
	assert.Equal(t, "12.5", rs.Rules[0].Action.Percent.String())
	assert.Equal(t, "5", rs.Rules[7].Manual.Authority.String())

	_, err = discount.NewEngine(rs, discount.Options{})
	require.NoError(t, err)

	// A single rule round-trips too.
	b, err := json.Marshal(rs.Rules[5])
	require.NoError(t, err)
	var r discount.Rule
	require.NoError(t, json.Unmarshal(b, &r))
	b2, _ := json.Marshal(r)
	assert.JSONEq(t, string(b), string(b2))
}

func TestRuleValidation(t *testing.T) {
	const ok = `"stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}`
	cases := []struct {
		name   string
		rule   string
		rule2  string // the rule name in the error
		field  string
		reason discount.Reason
	}{
		{"missing id", `{` + ok + `}`, "#0", "id", discount.ReasonRequired},
		{"unknown action kind", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"bogus"}}`, "r", "action.kind", discount.ReasonUnknownValue},
		{"unknown stacking", `{"id":"r","stacking":"maybe","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`, "r", "stacking", discount.ReasonUnknownValue},
		{"unknown scope", `{"id":"r","stacking":"additive","scope":{"kind":"galaxy"},"action":{"kind":"percent_off","percent":"10"}}`, "r", "scope.kind", discount.ReasonUnknownValue},
		{"percent above 100", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"100.01"}}`, "r", "action.percent", discount.ReasonOutOfRange},
		{"zero percent", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"0"}}`, "r", "action.percent", discount.ReasonNotPositive},
		{"negative percent", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"-5"}}`, "r", "action.percent", discount.ReasonNegative},
		{"percent as a number", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":10}}`, "r", "action.percent", discount.ReasonBadFormat},
		{"percent with an exponent", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"1e1"}}`, "r", "action.percent", discount.ReasonBadFormat},
		{"field of another kind", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10","buy":2}}`, "r", "action.buy", discount.ReasonNotAllowed},
		{"unknown field", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"},"colour":"red"}`, "r", "colour", discount.ReasonUnknownField},
		{"min above max quantity", `{"id":"r",` + ok + `,"conditions":{"min_quantity":"10","max_quantity":"5"}}`, "r", "conditions.min_quantity", discount.ReasonMinAboveMax},
		{"min above max amount", `{"id":"r",` + ok + `,"conditions":{"min_amount":{"amount":"10","currency":"RUB"},"max_amount":{"amount":"5","currency":"RUB"}}}`, "r", "conditions.min_amount", discount.ReasonMinAboveMax},
		{"window the wrong way round", `{"id":"r",` + ok + `,"conditions":{"valid_from":"2026-04-01","valid_to":"2026-03-31"}}`, "r", "conditions.valid_from", discount.ReasonMinAboveMax},
		{"impossible date", `{"id":"r",` + ok + `,"conditions":{"valid_to":"2026-02-30"}}`, "r", "conditions.valid_to", discount.ReasonBadFormat},
		{"mixed currencies", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"1","currency":"RUB"}},"limits":{"max_discount":{"amount":"5","currency":"USD"}}}`, "r", "limits.max_discount", discount.ReasonCurrencyMismatch},
		{"bad amount", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"1,5","currency":"RUB"}}}`, "r", "action.amount", discount.ReasonBadFormat},
		{"unknown currency", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"1","currency":"XXX"}}}`, "r", "action.amount", discount.ReasonBadFormat},
		{"negative amount", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"-1","currency":"RUB"}}}`, "r", "action.amount", discount.ReasonNegative},
		{"per order on a line rule", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"amount_off","per":"order","amount":{"amount":"1","currency":"RUB"}}}`, "r", "action.per", discount.ReasonNotAllowed},
		{"buy x get y on the order", `{"id":"r","stacking":"additive","scope":{"kind":"order"},"action":{"kind":"buy_x_get_y","buy":1,"get":1}}`, "r", "action.kind", discount.ReasonNotAllowed},
		{"buy zero", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"buy_x_get_y","buy":0,"get":1}}`, "r", "action.buy", discount.ReasonOutOfRange},
		{"breaks not ascending", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"volume","breaks":[{"min_quantity":"10","percent":"5"},{"min_quantity":"10","percent":"6"}]}}`, "r", "action.breaks[1].min_quantity", discount.ReasonNotAscending},
		{"break with percent and price", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"volume","breaks":[{"min_quantity":"10","percent":"5","price":{"amount":"1","currency":"RUB"}}]}}`, "r", "action.breaks[0].price", discount.ReasonNotAllowed},
		{"no breaks", `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"volume"}}`, "r", "action.breaks", discount.ReasonRequired},
		{"cross without condition", `{"id":"r","stacking":"additive","scope":{"kind":"cross"},"action":{"kind":"percent_off","percent":"10"}}`, "r", "scope.condition", discount.ReasonRequired},
		{"order with a target", `{"id":"r","stacking":"additive","scope":{"kind":"order","target":{"skus":["A"]}},"action":{"kind":"percent_off","percent":"10"}}`, "r", "scope.target", discount.ReasonNotAllowed},
		{"empty sku in a selector", `{"id":"r","stacking":"additive","scope":{"kind":"line","target":{"skus":[""]}},"action":{"kind":"percent_off","percent":"10"}}`, "r", "scope.target.skus[0]", discount.ReasonRequired},
		{"manual without granter", `{"id":"r",` + ok + `,"manual":{"granted_by":""}}`, "r", "manual.granted_by", discount.ReasonRequired},
		{"authority above 100", `{"id":"r",` + ok + `,"manual":{"granted_by":"x","authority":"101"}}`, "r", "manual.authority", discount.ReasonOutOfRange},
		{"negative max uses", `{"id":"r",` + ok + `,"limits":{"total":{"max_uses":-1}}}`, "r", "limits.total.max_uses", discount.ReasonNegative},
		{"not an object", `[1,2]`, "#0", "(value)", discount.ReasonBadFormat},
		{"broken json", `{"id":"r",`, "", "(json)", discount.ReasonMalformedJSON},
		{"broken rule", `{"id":"r","stacking":"additive","scope":7}`, "r", "scope", discount.ReasonBadFormat},
		{"id too long", `{"id":"` + strings.Repeat("x", 200) + `",` + ok + `}`, "#0", "id", discount.ReasonTooLong},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := discount.DecodeRules([]byte(`{"rules":[` + tc.rule + `]}`))
			var re *discount.RuleError
			require.ErrorAs(t, err, &re, "%v", err)
			assert.ErrorIs(t, err, discount.ErrInvalidRule)
			assert.Equal(t, tc.rule2, re.Rule)
			assert.Equal(t, tc.field, re.Field)
			assert.Equal(t, tc.reason, re.Reason, re.Error())
			assert.NotEmpty(t, re.Message("ru"))
			assert.NotEqual(t, re.Message("en"), re.Message("ru"))
		})
	}
}

func TestRuleSetErrors(t *testing.T) {
	const r = `{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"}}`
	_, err := discount.DecodeRules([]byte(`{"rules":[` + r + `,` + r + `]}`))
	var re *discount.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, discount.ReasonDuplicate, re.Reason)

	_, err = discount.DecodeRules([]byte(`{"rules":[],"coupons":[{"code":"a"},{"code":"A "}]}`))
	require.ErrorAs(t, err, &re)
	assert.Equal(t, discount.ReasonDuplicate, re.Reason)

	_, err = discount.DecodeRules([]byte(`{"rulez":[]}`))
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "rulez", re.Field)
	assert.Equal(t, `discount: rules: rulez is not a known field`, re.Error())

	_, err = discount.DecodeRules([]byte(`{"rules":[]} trailing`))
	require.ErrorAs(t, err, &re)

	// The Go API validates the same way.
	bad := discount.Rule{ID: "x", Stacking: discount.Additive, Scope: discount.Scope{Kind: discount.ScopeLine},
		Action: discount.Action{Kind: discount.ActionAmountOff, Per: discount.PerLine, Amount: money.MustParse("-1", money.RUB)}}
	err = bad.Validate()
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "action.amount", re.Field)
	_, err = discount.NewEngine(discount.RuleSet{Rules: []discount.Rule{bad}}, discount.Options{})
	require.ErrorAs(t, err, &re)

	// A coupon's budget must be in the currency of the rules that use it.
	rs := ruleSet(t, `{"id":"r","stacking":"additive","scope":{"kind":"line"},"conditions":{"coupon":"X"},"action":{"kind":"amount_off","per":"line","amount":{"amount":"1","currency":"RUB"}}}`)
	rs.Coupons = []discount.Coupon{{Code: "x", Total: discount.Limit{Budget: money.MustParse("1", money.USD)}}}
	_, err = discount.NewEngine(rs, discount.Options{})
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "conditions.coupon", re.Field)

	for _, o := range []discount.Options{{MinMargin: dec("100")}, {MinMargin: dec("-1")}, {Ties: 9}, {Rounding: 77}} {
		_, err = discount.NewEngine(discount.RuleSet{}, o)
		var ie *discount.InputError
		require.ErrorAs(t, err, &ie)
	}
}

func TestEngineCopiesRules(t *testing.T) {
	rs := ruleSet(t, `{"id":"r","stacking":"additive","scope":{"kind":"line","target":{"skus":["A"]}},"action":{"kind":"percent_off","percent":"10"}}`)
	e, err := discount.NewEngine(rs, discount.Options{})
	require.NoError(t, err)
	rs.Rules[0].Scope.Target.SKUs[0] = "B"
	pc := priceOK(t, e, cartOf(ln("A", "1", "100")), nil)
	assert.Equal(t, rubs("10"), discounts(pc))
	assert.Equal(t, 1, e.Len())
}
