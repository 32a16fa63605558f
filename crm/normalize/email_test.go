package normalize

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEmailValid(t *testing.T) {
	local64 := strings.Repeat("a", 64)
	label63 := strings.Repeat("b", 63)
	tests := []struct {
		name, in, want string
	}{
		{"simple", "ivan@example.com", "ivan@example.com"},
		{"trim and lower", "  Ivan.Petrov@Example.COM\t", "ivan.petrov@example.com"},
		{"nbsp around", "\u00a0ivan@example.com\u00a0\u2009", "ivan@example.com"},
		{"newline around", "\r\nivan@example.com\n", "ivan@example.com"},
		{"plus tag kept", "User+CRM@Gmail.com", "user+crm@gmail.com"},
		{"dots kept", "i.v.a.n@gmail.com", "i.v.a.n@gmail.com"},
		{"apostrophe", "O'Brien@example.ie", "o'brien@example.ie"},
		{"all atext", "a!#$%&'*+/=?^_`{|}~-z@example.com", "a!#$%&'*+/=?^_`{|}~-z@example.com"},
		{"digits", "1@2.com", "1@2.com"},
		{"subdomains", "user@mail.sub.example.co.uk", "user@mail.sub.example.co.uk"},
		{"hyphen in label", "user@my-domain.example", "user@my-domain.example"},
		{"cyrillic idn", "Иван@Пример.РФ", "иван@пример.рф"},
		{"cyrillic yo kept", "Ёжик@почта.рф", "ёжик@почта.рф"},
		{"mixed idn", "info@пример.com", "info@пример.com"},
		{"punycode", "user@XN--E1AFMKFD.XN--P1AI", "user@xn--e1afmkfd.xn--p1ai"},
		{"german umlaut", "Jörg@Müller.DE", "jörg@müller.de"},
		{"decomposed composed", "и\u0306@example.com", "й@example.com"},
		{"uncomposable mark after letter", "a\u0489b@example.com", "a\u0489b@example.com"},
		{"alphanumeric tld", "user@example.a1", "user@example.a1"},
		{"long local", local64 + "@example.com", local64 + "@example.com"},
		{"long label", "u@" + label63 + ".com", "u@" + label63 + ".com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Email(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			again, err := Email(got)
			require.NoError(t, err)
			assert.Equal(t, got, again, "idempotent")
		})
	}
}

func TestEmailInvalid(t *testing.T) {
	tests := []struct {
		name, in string
		want     Reason
	}{
		{"empty", "", ReasonEmpty},
		{"spaces", "   ", ReasonEmpty},
		{"unicode spaces", "\t\u00a0\u2009\n", ReasonEmpty},
		{"too long", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com", ReasonTooLong},
		{"huge", strings.Repeat("x@", 1<<20), ReasonTooLong},
		{"invalid utf8", "\xff@example.com", ReasonInvalidUTF8},
		{"invalid utf8 domain", "ivan@exa\xc3mple.com", ReasonInvalidUTF8},
		{"no at", "plainaddress", ReasonBadEmail},
		{"no local", "@example.com", ReasonBadEmail},
		{"no domain", "user@", ReasonBadEmail},
		{"two ats", "user@@example.com", ReasonBadEmail},
		{"two ats apart", "a@b@example.com", ReasonBadEmail},
		{"single label", "user@localhost", ReasonBadEmail},
		{"leading dot", ".user@example.com", ReasonBadEmail},
		{"trailing dot", "user.@example.com", ReasonBadEmail},
		{"double dot", "us..er@example.com", ReasonBadEmail},
		{"label leading hyphen", "user@-example.com", ReasonBadEmail},
		{"label trailing hyphen", "user@example-.com", ReasonBadEmail},
		{"empty label", "user@example..com", ReasonBadEmail},
		{"domain leading dot", "user@.example.com", ReasonBadEmail},
		{"domain trailing dot", "user@example.com.", ReasonBadEmail},
		{"ip address", "user@192.168.0.1", ReasonBadEmail},
		{"ip literal", "user@[192.0.2.1]", ReasonBadEmail},
		{"numeric tld", "user@example.123", ReasonBadEmail},
		{"quoted local", `"ivan petrov"@example.com`, ReasonBadEmail},
		{"display name", "Ivan Petrov <ivan@example.com>", ReasonBadEmail},
		{"angle brackets", "<ivan@example.com>", ReasonBadEmail},
		{"mailto", "mailto:ivan@example.com", ReasonBadEmail},
		{"space inside", "ivan petrov@example.com", ReasonBadEmail},
		{"space in domain", "ivan@exa mple.com", ReasonBadEmail},
		{"nbsp inside", "ivan\u00a0@example.com", ReasonBadEmail},
		{"underscore in domain", "ivan@exam_ple.com", ReasonBadEmail},
		{"comment", "ivan(comment)@example.com", ReasonBadEmail},
		{"comma", "ivan,petrov@example.com", ReasonBadEmail},
		{"semicolon list", "a@example.com;b@example.com", ReasonBadEmail},
		{"zero width space", "ivan\u200b@example.com", ReasonBadEmail},
		{"mark first", "\u0301ivan@example.com", ReasonBadEmail},
		{"mark first in label", "ivan@\u0301example.com", ReasonBadEmail},
		{"symbol", "ivan☕@example.com", ReasonBadEmail},
		{"fullwidth at", "ivan＠example.com", ReasonBadEmail},
		{"local too long", strings.Repeat("a", 65) + "@example.com", ReasonBadEmail},
		{"label too long", "u@" + strings.Repeat("b", 64) + ".com", ReasonBadEmail},
		{"control char", "iv\x00an@example.com", ReasonBadEmail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Email(tt.in)
			require.Error(t, err)
			assert.Empty(t, got)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.want, e.Reason)
			assert.Equal(t, FieldEmail, e.Field)
			assert.LessOrEqual(t, len(e.Input), 100)
		})
	}
}

// Lower-casing some letters makes them longer in UTF-8; the limit applies
// to the result too, so every result is again a valid input.
func TestEmailLengthGrowsWhenLowerCased(t *testing.T) {
	// U+023A (2 bytes) lower-cases to U+2C65 (3 bytes).
	local := strings.Repeat("\u023a", 30) // 60 bytes, 90 once lower-cased
	_, err := Email(local + "@example.com")
	assert.Equal(t, ReasonBadEmail, ReasonOf(err))

	domain := strings.Repeat(strings.Repeat("\u023a", 20)+".", 5) + "com" // 208 bytes
	in := "a@" + domain
	require.LessOrEqual(t, len(in), MaxEmailLen)
	_, err = Email(in)
	assert.Equal(t, ReasonTooLong, ReasonOf(err))
}
