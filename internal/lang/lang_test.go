package lang

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsRussian(t *testing.T) {
	cases := map[string]bool{
		"ru": true, "RU": true, "ru-RU": true, "ru_RU": true, "Ru-by": true,
		"": false, "r": false, "en": false, "rus": false, "run": false, "en-RU": false,
	}
	for tag, want := range cases {
		assert.Equal(t, want, IsRussian(tag), tag)
	}
	assert.Equal(t, "да", Pick("ru", "yes", "да"))
	assert.Equal(t, "yes", Pick("de", "yes", "да"))
}
