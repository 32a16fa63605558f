package money

import (
	"strings"

	"github.com/crmkit/crmkit/internal/lang"
)

// Format writes the amount for people in the language of tag:
//
//	en (and any tag that is not Russian): "RUB 1,234.50", "-USD 0.99"
//	ru: "1 234,50 ₽", "-0,99 $"
//
// Russian formatting groups thousands with a non-breaking space (U+00A0),
// uses a decimal comma, and puts the currency sign after the number, with
// a non-breaking space before it: ₽ $ € ¥ £ ₸ for RUB, USD, EUR, CNY, GBP
// and KZT, and the ISO code for every other currency. Both show at least
// the currency's minor places and never round: 0.125 RUB is "RUB 0.125".
// The zero Amount is "0".
//
// This is deliberately small: it is for messages and documents that
// crmkit itself produces, not a general localisation library.
func (a Amount) Format(tag string) string {
	if a.c.IsZero() {
		return "0"
	}
	num := a.plain()
	sign := ""
	if num[0] == '-' {
		sign, num = "-", num[1:]
	}
	intPart, frac, hasFrac := strings.Cut(num, ".")
	const nbsp = "\u00a0"
	if lang.IsRussian(tag) {
		out := sign + group(intPart, nbsp)
		if hasFrac {
			out += "," + frac
		}
		return out + nbsp + a.c.symbolRU()
	}
	out := sign + a.c.Code() + " " + group(intPart, ",")
	if hasFrac {
		out += "." + frac
	}
	return out
}

// group inserts sep between groups of three digits, from the right.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteString(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
