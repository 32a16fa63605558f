package lang

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestShorten(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"0123456789", 10, "0123456789"},
		{"0123456789A", 10, "0123456789…"},
		{strings.Repeat("Ж", 6), 5, "ЖЖ…"}, // never splits a character
		{"a\xffb", 10, "a\uFFFDb"},
		{"", 10, ""},
	}
	for _, c := range cases {
		got := Shorten(c.in, c.max)
		assert.Equal(t, c.want, got, c.in)
		assert.True(t, utf8.ValidString(got))
	}
}

func TestFieldMessage(t *testing.T) {
	assert.Equal(t, `crm: inn is malformed ("12"): ten digits`,
		FieldMessage("en", "crm", "inn", "is malformed", "неверный формат", "12", "ten digits", ""))
	assert.Equal(t, `crm: поле inn: неверный формат ("12")`,
		FieldMessage("ru", "crm", "inn", "is malformed", "неверный формат", "12", "ten digits", ""))
	assert.Equal(t, `credit: поле x: обязательно: пояснение`,
		FieldMessage("ru-RU", "credit", "x", "is required", "обязательно", "", "detail", "пояснение"))
	assert.Equal(t, `credit: x is required`,
		FieldMessage("en", "credit", "x", "is required", "обязательно", "", "", ""))
}
