package normalize

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An extension in brackets, "(доб. 123)" as Russian signatures very often
// write it, is read like one without them.
func TestPhoneParenthesisedExtension(t *testing.T) {
	for _, in := range []string{
		"+7 (495) 123-45-67 (доб. 123)",
		"8 (495) 123-45-67 (доб.123)",
		"+7 495 123-45-67 (ext. 12)",
	} {
		got, err := Phone(in, "RU")
		require.NoError(t, err, in)
		assert.Equal(t, "+74951234567", got, in)
	}
}

// Invisible default-ignorable characters outside category Cf (combining
// grapheme joiner U+034F, variation selectors U+FE00..FE0F, Hangul fillers
// U+3164/U+115F) are dropped like the others, so a name padded with them
// still meets its duplicate.
func TestOrgNameDropsInvisibleDefaultIgnorables(t *testing.T) {
	for _, in := range []string{
		"ООО «Ром\u034fашка»",
		"ООО «Ромашка\ufe0f»",
		"ООО «Ром\ufe00ашка»",
		"ООО «Ромашка\u3164»",
		"ООО «Ром\u115fашка»",
	} {
		assert.Equal(t, "ромашка", OrgName(in), "%+q", in)
	}
}
