// Package lang picks the language of a human-readable message.
//
// crmkit speaks English and Russian. Every message method takes a BCP 47
// language tag as a plain string ("en", "ru", "ru-RU"); tags whose primary
// subtag is "ru" select Russian and everything else selects English, so a
// host never gets an empty message.
package lang

import "strings"

// IsRussian reports whether the tag's primary language subtag is "ru"
// (case-insensitive): "ru", "RU", "ru-RU", "ru_RU".
func IsRussian(tag string) bool {
	if len(tag) < 2 || !strings.EqualFold(tag[:2], "ru") {
		return false
	}
	return len(tag) == 2 || tag[2] == '-' || tag[2] == '_'
}

// Pick returns ru when the tag selects Russian and en otherwise.
func Pick(tag, en, ru string) string {
	if IsRussian(tag) {
		return ru
	}
	return en
}
