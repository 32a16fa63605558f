package normalize

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorMessages(t *testing.T) {
	reasons := []Reason{ReasonEmpty, ReasonTooLong, ReasonBadEmail, ReasonBadPhone, ReasonBadRegion, ReasonInvalidUTF8, Reason("other")}
	fields := []string{FieldEmail, FieldPhone, FieldName, "other"}
	for _, r := range reasons {
		for _, f := range fields {
			e := &Error{Field: f, Input: "x", Reason: r}
			assert.True(t, strings.HasPrefix(e.Error(), "normalize: "+f+` "x": `), e.Error())
			ru := e.Message("ru")
			assert.NotEmpty(t, ru)
			assert.True(t, utf8.ValidString(ru))
			assert.True(t, strings.HasSuffix(ru, "."), ru)
		}
	}
	e := &Error{Field: FieldEmail, Input: "ivan@", Reason: ReasonBadEmail}
	assert.Equal(t, `normalize: email "ivan@": not a valid e-mail address`, e.Error())
	assert.Equal(t, "Некорректный адрес электронной почты.", e.Message("ru"))
	e = &Error{Field: FieldPhone, Input: "\xff", Reason: ReasonInvalidUTF8}
	assert.Equal(t, `normalize: phone "\xff": not valid UTF-8`, e.Error())
	e = &Error{Field: FieldName, Reason: ReasonTooLong}
	assert.Equal(t, `normalize: name "": longer than 1024 characters`, e.Error())
	assert.Contains(t, e.Message("ru"), "1024")
}

func TestReasonCodesAreStable(t *testing.T) {
	assert.Equal(t, "empty", string(ReasonEmpty))
	assert.Equal(t, "too_long", string(ReasonTooLong))
	assert.Equal(t, "bad_email", string(ReasonBadEmail))
	assert.Equal(t, "bad_phone", string(ReasonBadPhone))
	assert.Equal(t, "bad_region", string(ReasonBadRegion))
	assert.Equal(t, "invalid_utf8", string(ReasonInvalidUTF8))
}

func TestReasonOf(t *testing.T) {
	assert.Equal(t, Reason(""), ReasonOf(nil))
	assert.Equal(t, Reason(""), ReasonOf(errors.New("plain")))
	_, err := Email("nope")
	assert.Equal(t, ReasonBadEmail, ReasonOf(err))
	wrapped := fmt.Errorf("saving contact: %w", err)
	assert.Equal(t, ReasonBadEmail, ReasonOf(wrapped))
	var e *Error
	require.ErrorAs(t, wrapped, &e)
	assert.Equal(t, FieldEmail, e.Field)
	assert.Equal(t, "nope", e.Input)
}

func TestErrorInputTruncated(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	_, err := Email(long)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ReasonTooLong, e.Reason)
	assert.Equal(t, strings.Repeat("a", 100), e.Input)

	// A multi-byte rune straddling byte 100 is not split.
	cyr := strings.Repeat("я", 200) // 2 bytes each
	_, err = Phone("x"+cyr, DefaultRegion)
	require.ErrorAs(t, err, &e)
	assert.LessOrEqual(t, len(e.Input), 100)
	assert.GreaterOrEqual(t, len(e.Input), 97)
	assert.True(t, utf8.ValidString(e.Input))
	assert.True(t, strings.HasPrefix("x"+cyr, e.Input))

	// Short inputs are kept whole, invalid bytes included.
	_, err = Email("a\xffb@example.com")
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "a\xffb@example.com", e.Input)
	assert.Equal(t, ReasonInvalidUTF8, e.Reason)
}
