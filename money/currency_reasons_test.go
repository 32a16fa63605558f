package money

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each currency reason of an AmountError has its own text in both
// languages: a missing currency is not "an empty code outside ISO 4217".
func TestAmountErrorCurrencyReasons(t *testing.T) {
	_, err := Parse("1", Currency{})
	var ae *AmountError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, ReasonNoCurrency, ae.Reason)
	assert.NotContains(t, ae.Message("en"), "ISO 4217")
	assert.Contains(t, ae.Message("ru"), "не указана валюта")
	seen := map[string]Reason{}
	for _, r := range []Reason{ReasonMalformedCurrency, ReasonUnknownCurrency, ReasonNoCurrency} {
		e := &AmountError{Field: "currency", Input: "rub1", Reason: r}
		for _, tag := range []string{"en", "ru"} {
			m := e.Message(tag)
			if other, dup := seen[tag+m]; dup {
				t.Errorf("%s and %s give the same %s message %q", r, other, tag, m)
			}
			seen[tag+m] = r
		}
	}
}
