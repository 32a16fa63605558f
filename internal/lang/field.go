package lang

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Shorten bounds a value quoted in a message so that hostile input cannot
// flood logs: past max bytes it is cut at the last whole character and
// marked with "…"; invalid UTF-8 becomes U+FFFD either way.
func Shorten(s string, max int) string {
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// FieldMessage builds the message of a validation error in the form every
// crmkit package uses:
//
//	en: "<pkg>: <field> <en> (<value>): <detailEN>"
//	ru: "<pkg>: поле <field>: <ru> (<value>): <detailRU>"
//
// en and ru name what is wrong ("is required", "обязательно"); the value
// and the details are left out when empty.
func FieldMessage(tag, pkg, field, en, ru, value, detailEN, detailRU string) string {
	if IsRussian(tag) {
		msg := pkg + ": поле " + field + ": " + ru
		if value != "" {
			msg += " (" + strconv.Quote(value) + ")"
		}
		if detailRU != "" {
			msg += ": " + detailRU
		}
		return msg
	}
	msg := pkg + ": " + field + " " + en
	if value != "" {
		msg += " (" + strconv.Quote(value) + ")"
	}
	if detailEN != "" {
		msg += ": " + detailEN
	}
	return msg
}
