package crm

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var zeroTime time.Time

// indexed returns "field[i]".
func indexed(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

// FoldTag folds a tag to the form it is stored and matched in: trimmed,
// lower case, inner whitespace collapsed to single spaces, ё as е. A SQL
// store applies it to ClientFilter.Tag before querying.
func FoldTag(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "ё", "е")
	return strings.Join(strings.Fields(s), " ")
}

// cleanText trims a free-text field and reports whether it is acceptable:
// valid UTF-8, at most max runes, and no control characters other than
// newlines and tabs when multiline.
func cleanText(s string, max int, multiline bool) (string, Reason, bool) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return s, ReasonBadFormat, false
	}
	if utf8.RuneCountInString(s) > max {
		return s, ReasonTooLong, false
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t' || r == '\r')) ||
			isBidiControl(r) || (!multiline && (r == '\u2028' || r == '\u2029')) {
			return s, ReasonBadFormat, false
		}
	}
	return s, "", true
}

// instant brings a caller's time to the form the store keeps: UTC, to the
// microsecond. The zero time stays zero.
func instant(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Truncate(time.Microsecond).UTC()
}

// isBidiControl reports whether r is a bidirectional embedding, override or
// isolate control (U+202A..U+202E, U+2066..U+2069), which can make stored
// text display differently from what it is.
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}
