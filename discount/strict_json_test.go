package discount_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
)

// A repeated key, or a key in another case, must be refused with a
// *RuleError naming the rule and the JSON path, never decoded with the
// last copy winning: here a 10% discount would become 90%.
func TestDecodeRulesStrictKeysNamePath(t *testing.T) {
	const scope = `"stacking":"additive","scope":{"kind":"line"}`
	rule := func(action string) string {
		return `{"id":"r",` + scope + `,"action":{"kind":"percent_off",` + action + `}}`
	}
	cases := []struct {
		name, doc, rule, field string
		reason                 discount.Reason
	}{
		{"repeated percent", `{"rules":[` + rule(`"percent":"10","percent":"90"`) + `]}`, "r", "action.percent", discount.ReasonDuplicate},
		{"case-variant percent", `{"rules":[` + rule(`"percent":"10","PERCENT":"90"`) + `]}`, "r", "action.PERCENT", discount.ReasonUnknownField},
		{"repeated action", `{"rules":[{"id":"r",` + scope + `,"action":{"kind":"percent_off","percent":"10"},"action":{"kind":"percent_off","percent":"90"}}]}`, "r", "action", discount.ReasonDuplicate},
		{"repeated key in a break", `{"rules":[{"id":"r",` + scope + `,"action":{"kind":"volume","breaks":[{"min_quantity":"1","percent":"5"},{"min_quantity":"10","percent":"6","percent":"60"}]}}]}`, "r", "action.breaks[1].percent", discount.ReasonDuplicate},
		{"case variant in a selector", `{"rules":[{"id":"r","stacking":"additive","scope":{"kind":"line","target":{"skus":["A"],"SKUs":["B"]}},"action":{"kind":"percent_off","percent":"10"}}]}`, "r", "scope.target.SKUs", discount.ReasonUnknownField},
		{"second rule named by position", `{"rules":[` + rule(`"percent":"10"`) + `,{"id":"s","id":"t",` + scope + `,"action":{"kind":"percent_off","percent":"10"}}]}`, "#1", "id", discount.ReasonDuplicate},
		{"case-variant id not trusted as a label", `{"rules":[{"id":"s","ID":"t",` + scope + `,"action":{"kind":"percent_off","percent":"10"}}]}`, "#0", "ID", discount.ReasonUnknownField},
		{"case-variant id after another problem", `{"rules":[{"id":"s",` + scope + `,"action":{"kind":"percent_off","percent":"10","percent":"9"},"Id":"t"}]}`, "#0", "action.percent", discount.ReasonDuplicate},
		{"repeated rules", `{"rules":[],"rules":[` + rule(`"percent":"10"`) + `]}`, "", "rules", discount.ReasonDuplicate},
		{"case-variant rules", `{"Rules":[]}`, "", "Rules", discount.ReasonUnknownField},
		{"repeated coupon budget", `{"rules":[],"coupons":[{"code":"A","total":{"max_uses":1,"max_uses":100}}]}`, "coupon #0", "total.max_uses", discount.ReasonDuplicate},
		{"case-variant coupon code", `{"rules":[],"coupons":[{"code":"A","Code":"B"}]}`, "coupon #0", "Code", discount.ReasonUnknownField},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs, err := discount.DecodeRules([]byte(c.doc))
			var re *discount.RuleError
			require.ErrorAs(t, err, &re, "decoded as %+v", rs)
			assert.ErrorIs(t, err, discount.ErrInvalidRule)
			assert.Equal(t, c.rule, re.Rule, re.Error())
			assert.Equal(t, c.field, re.Field, re.Error())
			assert.Equal(t, c.reason, re.Reason, re.Error())
			assert.NotEqual(t, re.Message("en"), re.Message("ru"))
		})
	}
}

// One rule decoded on its own is held to the same keys.
func TestRuleUnmarshalJSONStrictKeys(t *testing.T) {
	var r discount.Rule
	err := json.Unmarshal([]byte(`{"id":"r","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10","percent":"90"}}`), &r)
	var re *discount.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "action.percent", re.Field)
	assert.Equal(t, discount.ReasonDuplicate, re.Reason)
}

// A frozen record with a repeated or case-variant key is refused too.
func TestFrozenUnmarshalJSONStrictKeys(t *testing.T) {
	for doc, field := range map[string]string{
		`{"currency":"RUB","currency":"USD"}`: "frozen.currency",
		`{"currency":"RUB","Currency":"USD"}`: "frozen.Currency",
		`{"lines":[{"sku":"a","sku":"b"}]}`:   "frozen.lines[0].sku",
	} {
		var f discount.Frozen
		err := json.Unmarshal([]byte(doc), &f)
		var ie *discount.InputError
		require.ErrorAs(t, err, &ie, doc)
		assert.Equal(t, field, ie.Field, doc)
	}
}

// Valid rule sets, including those MarshalJSON writes, still decode.
func TestDecodeRulesStrictKeysAcceptValid(t *testing.T) {
	doc := `{"rules":[{"id":"r","stacking":"additive","scope":{"kind":"line","target":{"skus":["A"]}},` +
		`"conditions":{"min_amount":{"amount":"10","currency":"RUB"},"coupon":"C"},` +
		`"action":{"kind":"percent_off","percent":"10"},"limits":{"total":{"max_uses":5}}},` +
		`{"id":"s","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"volume","breaks":[{"min_quantity":"1","percent":"5"},{"min_quantity":"10","percent":"6"}]}}],` +
		`"coupons":[{"code":"C","total":{"max_uses":1}}]}`
	rs, err := discount.DecodeRules([]byte(doc))
	require.NoError(t, err)
	out, err := json.Marshal(rs)
	require.NoError(t, err)
	back, err := discount.DecodeRules(out)
	require.NoError(t, err, "%s", out)
	assert.Len(t, back.Rules, 2)
}
