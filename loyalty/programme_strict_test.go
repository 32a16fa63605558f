package loyalty_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
)

const progBase = `{"id":"p","currency":"RUB","valid_from":"2026-01-01"%s}`

// progDoc is a minimal programme document with extra fields spliced in.
func progDoc(extra string) []byte { return []byte(strings.Replace(progBase, "%s", extra, 1)) }

// A repeated key, or a key in another case, must be refused with a
// *ValidationError naming it by its JSON path, never decoded with the
// last copy winning.
func TestDecodeProgrammeStrictKeysNamePath(t *testing.T) {
	rate := `"rate":{"points":"1","for_every":{"amount":"100","currency":"RUB"}}`
	cases := []struct {
		name, extra, field string
		reason             loyalty.Reason
	}{
		{"repeated top-level key", `,"expiry_days":30,"expiry_days":0`, "expiry_days", loyalty.ReasonDuplicate},
		{"repeated id", `,"id":"q"`, "id", loyalty.ReasonDuplicate},
		{"case variant", `,"expiry_days":30,"EXPIRY_DAYS":0`, "EXPIRY_DAYS", loyalty.ReasonUnknownField},
		{"case variant alone", `,"Expiry_Days":30`, "Expiry_Days", loyalty.ReasonUnknownField},
		{"repeated nested object", `,"earn":{` + rate + `,` + rate + `}`, "earn.rate", loyalty.ReasonDuplicate},
		{"repeated key in an array element", `,"earn":{"per_sku":[{"sku":"a","points":"1"},{"sku":"b","points":"1","points":"90"}]}`, "earn.per_sku[1].points", loyalty.ReasonDuplicate},
		{"case variant in an array element", `,"earn":{"per_sku":[{"sku":"a","points":"1","POINTS":"90"}]}`, "earn.per_sku[0].POINTS", loyalty.ReasonUnknownField},
		{"repeated key deep", `,"tiers":{"window":{"kind":"lifetime","kind":"rolling_days"}}`, "tiers.window.kind", loyalty.ReasonDuplicate},
		{"wrong kind deep", `,"bonuses":{"birthday":{"points":"5","days_before":"3"}}`, "bonuses.birthday.days_before", loyalty.ReasonMalformed},
		{"array for an object", `,"earn":[]`, "earn", loyalty.ReasonMalformed},
		{"upper-case id", `,"ID":"other"`, "ID", loyalty.ReasonUnknownField},
		{"unknown nested field", `,"earn":{"colour":"red"}`, "earn.colour", loyalty.ReasonUnknownField},
		{"number for a decimal string", `,"earn":{"per_sku":[{"sku":"a","points":5}]}`, "earn.per_sku[0].points", loyalty.ReasonMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := loyalty.DecodeProgramme(progDoc(c.extra))
			require.ErrorIs(t, err, loyalty.ErrInvalid, "decoded as %+v", p)
			var v *loyalty.ValidationError
			require.True(t, errors.As(err, &v), "%T %v", err, err)
			assert.Equal(t, c.field, v.Field, v.Error())
			assert.Equal(t, c.reason, v.Reason, v.Error())
		})
	}
}

// Valid documents, including those MarshalJSON writes, still decode.
func TestDecodeProgrammeStrictKeysAcceptValid(t *testing.T) {
	full, err := json.Marshal(tiered(retail()))
	require.NoError(t, err)
	for name, doc := range map[string][]byte{
		"minimal":                             progDoc(""),
		"marshalled":                          full,
		"money objects":                       progDoc(`,"earn":{"rate":{"points":"1","for_every":{"amount":"100","currency":"RUB"}},"min_order":null}`),
		"nulls":                               progDoc(`,"earn":null,"valid_to":null,"expiry_days":null`),
		"same key twice in different objects": progDoc(`,"earn":{"per_sku":[{"sku":"a","points":"1"},{"sku":"b","points":"2"}]}`),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loyalty.DecodeProgramme(doc)
			require.NoError(t, err, "%s", doc)
		})
	}
}
