package loyalty_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
)

const fullProgrammeJSON = `{
  "id": "retail-2026",
  "name": "Retail club",
  "currency": "RUB",
  "valid_from": "2026-01-01",
  "valid_to": "2026-12-31",
  "point_places": 1,
  "rounding": "half_up",
  "expiry_days": 365,
  "earn": {
    "rate": {"points": "1", "for_every": {"amount": "100", "currency": "RUB"}},
    "per_order": "5",
    "per_sku": [{"sku": "bottle", "points": "50"}],
    "multipliers": [
      {"category": "tobacco", "factor": "0"},
      {"tag": "promo", "factor": "2"},
      {"tier": "gold", "factor": "1.5"}
    ],
    "min_order": {"amount": "500", "currency": "RUB"},
    "excluded_skus": ["gift-card"]
  },
  "redeem": {
    "point_value": {"amount": "0.5", "currency": "RUB"},
    "min_points": "100",
    "max_share_percent": "30",
    "value_rounding": "down"
  },
  "tiers": {
    "metric": "spend",
    "window": {"kind": "rolling_days", "days": 365},
    "downgrade": {"kind": "grace", "grace_days": 30},
    "crossing": "whole",
    "levels": [
      {"code": "base", "name": "Base", "name_ru": "Базовый"},
      {"code": "gold", "name": "Gold", "name_ru": "Золото", "min_spend": {"amount": "100000", "currency": "RUB"}}
    ]
  },
  "bonuses": {
    "welcome": "100",
    "birthday": {"points": "500", "days_before": 7, "days_after": 7},
    "referral": {"referrer": "300", "referred": "200"},
    "expiry_days": 30
  },
  "returns": {"allow_debt": true, "cancel": "debt"}
}`

func TestDecodeProgramme(t *testing.T) {
	p, err := loyalty.DecodeProgramme([]byte(fullProgrammeJSON))
	require.NoError(t, err)
	assert.Equal(t, "retail-2026", p.ID)
	assert.Equal(t, money.RUB, p.Currency)
	assert.Equal(t, day(2026, 12, 31), p.ValidTo)
	assert.Equal(t, int32(1), p.PointPlaces)
	assert.Equal(t, loyalty.HalfUp, p.Rounding)
	equalDec(t, "1", p.Earn.Rate.Points)
	assert.True(t, rub("100").Equal(p.Earn.Rate.ForEvery))
	assert.Len(t, p.Earn.Multipliers, 3)
	equalDec(t, "0", p.Earn.Multipliers[0].Factor)
	assert.Equal(t, money.Down, p.Redeem.ValueRounding)
	assert.Equal(t, loyalty.Window{Kind: loyalty.WindowRolling, Days: 365}, p.Tiers.Window)
	assert.Equal(t, loyalty.Downgrade{Kind: loyalty.DowngradeAfterGrace, GraceDays: 30}, p.Tiers.Downgrade)
	assert.True(t, rub("100000").Equal(p.Tiers.Levels[1].MinSpend))
	assert.Equal(t, 7, p.Bonuses.Birthday.DaysBefore)
	assert.Equal(t, loyalty.CancelDebt, p.Returns.Cancel)

	// Encoding and decoding again gives the same programme, byte for byte.
	out, err := json.Marshal(p)
	require.NoError(t, err)
	again, err := loyalty.DecodeProgramme(out)
	require.NoError(t, err)
	out2, err := json.Marshal(again)
	require.NoError(t, err)
	assert.JSONEq(t, string(out), string(out2))
	assert.Equal(t, string(out), string(out2))

	// The struct form used in tests encodes and decodes too.
	js, err := json.Marshal(tiered(retail()))
	require.NoError(t, err)
	var back loyalty.Programme
	require.NoError(t, json.Unmarshal(js, &back))
	js2, _ := json.Marshal(back)
	assert.Equal(t, string(js), string(js2))
}

func TestDecodeProgrammeErrors(t *testing.T) {
	base := `{"id":"p","currency":"RUB","valid_from":"2026-01-01"%s}`
	with := func(extra string) string { return strings.Replace(base, "%s", extra, 1) }
	cases := []struct {
		name   string
		json   string
		field  string
		reason loyalty.Reason
	}{
		{"not JSON", `{"id":`, "", loyalty.ReasonMalformed},
		{"trailing data", with("") + "{}", "", loyalty.ReasonMalformed},
		{"unknown field", with(`,"colour":"red"`), "colour", loyalty.ReasonUnknownField},
		{"number where a string is expected", with(`,"earn":{"per_order":5}`), "earn.per_order", loyalty.ReasonMalformed},
		{"string where a number is expected", with(`,"expiry_days":"365"`), "expiry_days", loyalty.ReasonMalformed},
		{"missing id", `{"currency":"RUB","valid_from":"2026-01-01"}`, "id", loyalty.ReasonRequired},
		{"unknown currency", `{"id":"p","currency":"XXY","valid_from":"2026-01-01"}`, "currency", loyalty.ReasonCurrency},
		{"missing currency", `{"id":"p","valid_from":"2026-01-01"}`, "currency", loyalty.ReasonRequired},
		{"bad date", `{"id":"p","currency":"RUB","valid_from":"2026-02-30"}`, "valid_from", loyalty.ReasonBadDate},
		{"malformed date", `{"id":"p","currency":"RUB","valid_from":"1/1/2026"}`, "valid_from", loyalty.ReasonMalformed},
		{"ends before it starts", with(`,"valid_to":"2025-12-31"`), "valid_to", loyalty.ReasonConflict},
		{"exponent in a number", with(`,"earn":{"per_order":"1e3"}`), "earn.per_order", loyalty.ReasonMalformed},
		{"huge number", with(`,"earn":{"per_order":"1234567890123456789"}`), "earn.per_order", loyalty.ReasonMalformed},
		{"negative points", with(`,"earn":{"per_order":"-1"}`), "earn.per_order", loyalty.ReasonNegative},
		{"fractional points in a whole-point programme", with(`,"earn":{"per_order":"1.5"}`), "earn.per_order", loyalty.ReasonPrecision},
		{"rate without for_every", with(`,"earn":{"rate":{"points":"1"}}`), "earn.rate.for_every", loyalty.ReasonRequired},
		{"rate in another currency", with(`,"earn":{"rate":{"points":"1","for_every":{"amount":"100","currency":"USD"}}}`), "earn.rate.for_every", loyalty.ReasonCurrency},
		{"rate for every zero", with(`,"earn":{"rate":{"points":"1","for_every":{"amount":"0","currency":"RUB"}}}`), "earn.rate.for_every", loyalty.ReasonNotPositive},
		{"bad amount", with(`,"earn":{"min_order":{"amount":"1,5","currency":"RUB"}}`), "earn.min_order", loyalty.ReasonMalformed},
		{"multiplier without factor", with(`,"earn":{"multipliers":[{"tag":"x"}]}`), "earn.multipliers[0].factor", loyalty.ReasonRequired},
		{"multiplier naming two targets", with(`,"earn":{"multipliers":[{"tag":"x","category":"y","factor":"2"}]}`), "earn.multipliers[0]", loyalty.ReasonConflict},
		{"multiplier for an unknown tier", with(`,"earn":{"multipliers":[{"tier":"gold","factor":"2"}]}`), "earn.multipliers[0].tier", loyalty.ReasonUnknownValue},
		{"multiplier too large", with(`,"earn":{"multipliers":[{"tag":"x","factor":"1001"}]}`), "earn.multipliers[0].factor", loyalty.ReasonRange},
		{"duplicate multiplier", with(`,"earn":{"multipliers":[{"tag":"x","factor":"2"},{"tag":"x","factor":"3"}]}`), "earn.multipliers[1]", loyalty.ReasonDuplicate},
		{"SKU both excluded and rewarded", with(`,"earn":{"per_sku":[{"sku":"a","points":"5"}],"excluded_skus":["a"]}`), "earn.per_sku[0].sku", loyalty.ReasonConflict},
		{"zero max share is ambiguous", with(`,"redeem":{"max_share_percent":"0"}`), "redeem.max_share_percent", loyalty.ReasonNotPositive},
		{"max share above 100", with(`,"redeem":{"max_share_percent":"101"}`), "redeem.max_share_percent", loyalty.ReasonRange},
		{"unknown rounding", with(`,"redeem":{"value_rounding":"sideways"}`), "redeem.value_rounding", loyalty.ReasonUnknownValue},
		{"unknown point rounding", with(`,"rounding":"nearest"`), "rounding", loyalty.ReasonUnknownValue},
		{"too many places", with(`,"point_places":7`), "point_places", loyalty.ReasonRange},
		{"lowest tier above zero", with(`,"tiers":{"levels":[{"code":"a","min_spend":{"amount":"1","currency":"RUB"}}]}`), "tiers.levels[0].min_spend", loyalty.ReasonConflict},
		{"thresholds not increasing", with(`,"tiers":{"levels":[{"code":"a"},{"code":"b","min_spend":{"amount":"5","currency":"RUB"}},{"code":"c","min_spend":{"amount":"5","currency":"RUB"}}]}`), "tiers.levels[2].min_spend", loyalty.ReasonConflict},
		{"points threshold on a spend metric", with(`,"tiers":{"levels":[{"code":"a"},{"code":"b","min_points":"5"}]}`), "tiers.levels[1].min_points", loyalty.ReasonConflict},
		{"duplicate tier code", with(`,"tiers":{"levels":[{"code":"a"},{"code":"a","min_spend":{"amount":"5","currency":"RUB"}}]}`), "tiers.levels[1].code", loyalty.ReasonDuplicate},
		{"rolling window without days", with(`,"tiers":{"window":{"kind":"rolling_days"}}`), "tiers.window.days", loyalty.ReasonRange},
		{"period end with a lifetime window", with(`,"tiers":{"downgrade":{"kind":"period_end"}}`), "tiers.downgrade.kind", loyalty.ReasonConflict},
		{"unknown window", with(`,"tiers":{"window":{"kind":"fortnight"}}`), "tiers.window.kind", loyalty.ReasonUnknownValue},
		{"birthday window too wide", with(`,"bonuses":{"birthday":{"points":"5","days_before":91}}`), "bonuses.birthday.days_before", loyalty.ReasonRange},
		{"unknown cancel policy", with(`,"returns":{"cancel":"shrug"}`), "returns.cancel", loyalty.ReasonUnknownValue},
		{"expiry too long", with(`,"expiry_days":1000000`), "expiry_days", loyalty.ReasonRange},
		{"control character in id", `{"id":"p\u0001","currency":"RUB","valid_from":"2026-01-01"}`, "id", loyalty.ReasonMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loyalty.DecodeProgramme([]byte(c.json))
			require.ErrorIs(t, err, loyalty.ErrInvalid)
			var v *loyalty.ValidationError
			require.True(t, errors.As(err, &v), "%T %v", err, err)
			assert.Equal(t, c.field, v.Field, v.Error())
			assert.Equal(t, c.reason, v.Reason, v.Error())
			assert.Equal(t, string(c.reason), v.Code())
			assert.NotEqual(t, v.Message("en"), v.Message("ru"))
		})
	}
}

func TestProgrammeValidateStruct(t *testing.T) {
	p := retail()
	p.Redeem.PointValue = money.MustParse("1", money.EUR)
	err := p.Validate()
	var v *loyalty.ValidationError
	require.True(t, errors.As(err, &v))
	assert.Equal(t, "redeem.point_value", v.Field)
	assert.Equal(t, loyalty.ReasonCurrency, v.Reason)

	p = retail()
	p.Bonuses.Welcome = pts("0.5")
	require.True(t, errors.As(p.Validate(), &v))
	assert.Equal(t, "bonuses.welcome", v.Field)
	assert.Equal(t, loyalty.ReasonPrecision, v.Reason)

	require.NoError(t, tiered(retail()).Validate())
	_, err = loyalty.NewService(nil, retail(), loyalty.Options{})
	require.ErrorIs(t, err, loyalty.ErrInvalid)
}
