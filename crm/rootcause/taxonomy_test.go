package rootcause

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultTaxonomy(t *testing.T) {
	tax := DefaultTaxonomy()
	want := []Code{ProductDefect, SpecMismatch, WrongItem, WrongQuantity, TransitDamage, Packaging, LateDelivery,
		DocumentError, PriceError, Service, Expiry, CustomerMisuse, Other}
	cats := tax.Categories()
	require.Len(t, cats, len(want))
	for i, c := range cats {
		assert.Equal(t, want[i], c.Code)
		assert.NotEmpty(t, c.NameEN)
		assert.NotEmpty(t, c.NameRU)
		assert.Equal(t, c.Code == CustomerMisuse, c.CustomerCaused, c.Code)
		if c.Code != Other {
			assert.NotEmpty(t, c.Party, c.Code)
		}
	}
	assert.Equal(t, "QUANTITY", string(WrongQuantity))
	assert.Equal(t, Other, tax.Fallback().Code)
	c, ok := tax.Category(TransitDamage)
	require.True(t, ok)
	assert.Equal(t, PartyCarrier, c.Party)
	assert.Equal(t, "Повреждение при перевозке", c.Name("ru-RU"))
	assert.Equal(t, "Damage in transit", c.Name("en"))
	_, ok = tax.Category("NOPE")
	assert.False(t, ok)

	cats[0].NameEN = "changed" // a copy
	assert.Equal(t, "Product defect", tax.Categories()[0].NameEN)
}

func TestNewTaxonomyErrors(t *testing.T) {
	good := Category{Code: "A", NameEN: "A", NameRU: "А", Party: PartySales}
	many := make([]Category, maxCategories+1)
	for i := range many {
		many[i] = good
	}
	cases := []struct {
		name     string
		cats     []Category
		fallback Code
		reason   Reason
		field    string
	}{
		{"empty", nil, "A", ReasonEmpty, "categories"},
		{"too many", many, "A", ReasonTooLarge, "categories"},
		{"empty code", []Category{{NameEN: "x", NameRU: "x"}}, "A", ReasonEmpty, "categories[0].code"},
		{"bad code", []Category{{Code: "a b", NameEN: "x", NameRU: "x"}}, "A", ReasonBadPattern, "categories[0].code"},
		{"long code", []Category{{Code: Code(strings.Repeat("A", 65)), NameEN: "x", NameRU: "x"}}, "A", ReasonBadPattern, "categories[0].code"},
		{"duplicate", []Category{good, good}, "A", ReasonDuplicate, "categories[1].code"},
		{"no english", []Category{{Code: "A", NameRU: "x"}}, "A", ReasonEmpty, "categories[0].name_en"},
		{"no russian", []Category{{Code: "A", NameEN: "x"}}, "A", ReasonEmpty, "categories[0].name_ru"},
		{"unknown fallback", []Category{good}, "B", ReasonUnknownCode, "fallback"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewTaxonomy(tt.cats, tt.fallback)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidTaxonomy)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tt.reason, e.Reason)
			assert.Equal(t, string(tt.reason), e.Code())
			assert.Equal(t, tt.field, e.Field)
			assert.NotEmpty(t, e.Message("ru"))
			assert.NotEqual(t, e.Message("en"), e.Message("ru"))
		})
	}
	tax, err := NewTaxonomy([]Category{good, {Code: "OTHER_X", NameEN: "o", NameRU: "о"}}, "OTHER_X")
	require.NoError(t, err)
	assert.Equal(t, 2, tax.Len())
}

func TestErrorMessages(t *testing.T) {
	e := &Error{Kind: ErrInvalidModel, Reason: ReasonShapeMismatch, Field: "weights[3]", Value: "x", Detail: "2 values for 3 classes"}
	assert.Equal(t, `rootcause: invalid model: weights[3] has the wrong size ("x"): 2 values for 3 classes`, e.Error())
	assert.Equal(t, `rootcause: неверная модель: поле weights[3]: неверный размер ("x"): 2 values for 3 classes`, e.Message("ru"))
	assert.True(t, errors.Is(e, ErrInvalidModel))
	assert.False(t, errors.Is(e, ErrInvalidConfig))
	for _, r := range []Reason{ReasonEmpty, ReasonDuplicate, ReasonUnknownCode, ReasonBadPattern, ReasonOutOfRange,
		ReasonMalformedJSON, ReasonTooLarge, ReasonUnknownFormat, ReasonBadVersion, ReasonUnknownKind,
		ReasonShapeMismatch, ReasonNotFinite, ReasonTooFewClasses, ReasonBadPeriod, ReasonCurrencyMismatch, "x"} {
		en, ru := reasonText(r)
		assert.NotEmpty(t, en, r)
		assert.NotEmpty(t, ru, r)
	}
	for _, k := range []error{ErrInvalidTaxonomy, ErrInvalidLexicon, ErrInvalidConfig, ErrInvalidModel,
		ErrInvalidTraining, ErrInvalidPareto, nil} {
		e := &Error{Kind: k}
		assert.NotEmpty(t, e.Message("ru"))
		assert.NotEmpty(t, e.Error())
	}
	assert.Equal(t, strings.Repeat("я", 64)+"…", shorten(strings.Repeat("я", 100)))
	assert.Equal(t, "\uFFFD", shorten("\xff"))
}
