package money

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarshalJSON(t *testing.T) {
	cases := []struct {
		a    Amount
		want string
	}{
		{rub("1234.5"), `{"amount":"1234.50","currency":"RUB"}`},
		{rub("-0.125"), `{"amount":"-0.125","currency":"RUB"}`},
		{MustParse("100", JPY), `{"amount":"100","currency":"JPY"}`},
		{Amount{}, `null`},
	}
	for _, tc := range cases {
		b, err := json.Marshal(tc.a)
		require.NoError(t, err)
		assert.JSONEq(t, tc.want, string(b))
		assert.Equal(t, tc.want, string(b), "field order and spelling are stable")
	}
	type line struct {
		Price Amount  `json:"price"`
		Total *Amount `json:"total,omitempty"`
	}
	b, err := json.Marshal(line{Price: rub("5")})
	require.NoError(t, err)
	assert.Equal(t, `{"price":{"amount":"5.00","currency":"RUB"}}`, string(b))
}

func TestUnmarshalJSON(t *testing.T) {
	var a Amount
	require.NoError(t, json.Unmarshal([]byte(`{"amount":"1234.50","currency":"RUB"}`), &a))
	requireAmount(t, rub("1234.50"), a)
	require.NoError(t, json.Unmarshal([]byte(` { "currency" : "usd" , "amount" : "-7" } `), &a))
	requireAmount(t, MustParse("-7", USD), a)

	before := a
	require.NoError(t, json.Unmarshal([]byte(`null`), &a))
	requireAmount(t, before, a)

	bad := []struct {
		name, in, field string
		reason          Reason
	}{
		{"number instead of string", `{"amount":1234.5,"currency":"RUB"}`, "amount", ReasonNotAString},
		{"currency as number", `{"amount":"1","currency":643}`, "currency", ReasonNotAString},
		{"object as amount", `{"amount":{},"currency":"RUB"}`, "amount", ReasonNotAString},
		{"null amount", `{"amount":null,"currency":"RUB"}`, "amount", ReasonNotAString},
		{"missing amount", `{"currency":"RUB"}`, "amount", ReasonMissingField},
		{"missing currency", `{"amount":"1"}`, "currency", ReasonMissingField},
		{"empty object", `{}`, "amount", ReasonMissingField},
		{"unknown currency", `{"amount":"1","currency":"XYZ"}`, "currency", ReasonUnknownCurrency},
		{"malformed currency", `{"amount":"1","currency":"RUBLE"}`, "currency", ReasonMalformedCurrency},
		{"unknown field", `{"amount":"1","currency":"RUB","note":"x"}`, "note", ReasonUnknownField},
		{"field names are case-sensitive", `{"Amount":"1","currency":"RUB"}`, "Amount", ReasonUnknownField},
		{"repeated field", `{"amount":"1","amount":"2","currency":"RUB"}`, "amount", ReasonMalformedJSON},
		{"malformed amount", `{"amount":"1,5","currency":"RUB"}`, "amount", ReasonMalformedAmount},
		{"exponent", `{"amount":"1e5","currency":"RUB"}`, "amount", ReasonMalformedAmount},
		{"empty amount", `{"amount":"","currency":"RUB"}`, "amount", ReasonEmptyAmount},
		{"array", `["1","RUB"]`, "amount", ReasonMalformedJSON},
		{"string", `"1 RUB"`, "amount", ReasonMalformedJSON},
		{"trailing garbage", `{"amount":"1","currency":"RUB"} {}`, "amount", ReasonMalformedJSON},
		{"truncated", `{"amount":"1"`, "amount", ReasonMalformedJSON},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			a := rub("42")
			err := a.UnmarshalJSON([]byte(tc.in))
			var ae *AmountError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.field, ae.Field)
			assert.Equal(t, tc.reason, ae.Reason)
			assert.ErrorIs(t, err, ErrInvalidAmount)
			assert.NotEmpty(t, ae.Message("ru"))
			requireAmount(t, rub("42"), a) // a failed decode leaves the value alone
		})
	}
	var inStruct struct{ Price Amount }
	err := json.Unmarshal([]byte(`{"Price":{"amount":"1","currency":"ZZZ"}}`), &inStruct)
	assert.ErrorIs(t, err, ErrUnknownCurrency)
}

// MarshalJSON never writes what UnmarshalJSON refuses: an exact product
// with more than 24 decimals or 40 integer digits is an error (round it
// first); everything it writes decodes to the same amount.
func TestJSONNeverWritesWhatItCannotRead(t *testing.T) {
	price := MustParse("0.123456789012", RUB)
	rate := decimal.RequireFromString("0.1234567890123456")
	for _, a := range []Amount{
		price.Mul(rate), // 28 decimals
		MustParse("1000000000000000000000000", RUB).MulInt(1_000_000_000_000_000_000), // 43 digits
	} {
		_, err := json.Marshal(a)
		var ae *AmountError
		require.ErrorAs(t, err, &ae, "%s", a)
		assert.Equal(t, ReasonAmountTooLong, ae.Reason)
	}
	rounded := price.Mul(rate).Round(HalfUp)
	data, err := json.Marshal(rounded)
	require.NoError(t, err)
	var got Amount
	require.NoError(t, json.Unmarshal(data, &got))
	assert.True(t, got.Equal(rounded))
	edge := MustParse("-"+strings.Repeat("9", 40)+"."+strings.Repeat("9", 24), RUB)
	data, err = json.Marshal(edge)
	require.NoError(t, err, "the largest amount Parse reads is written")
	var back Amount
	require.NoError(t, json.Unmarshal(data, &back))
	assert.True(t, back.Equal(edge))
}
