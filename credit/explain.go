package credit

import (
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/internal/lang"
)

// Reason is one line of a decision's explanation: a stable,
// machine-readable Code and the same reason said in English and Russian,
// with the numbers that made it. Hosts match on Code and show Message.
type Reason struct {
	Code string `json:"code"`
	EN   string `json:"en"`
	RU   string `json:"ru"`
}

// Message returns the reason in the language of tag: Russian for tags
// whose language is "ru", English otherwise.
func (r Reason) Message(tag string) string { return lang.Pick(tag, r.EN, r.RU) }

// String returns "code: English message".
func (r Reason) String() string { return r.Code + ": " + r.EN }

// Explain writes reasons one per line, as "- message", in the language of
// tag. It is what a host shows under a decision.
func Explain(reasons []Reason, tag string) string {
	var b strings.Builder
	for i, r := range reasons {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- ")
		b.WriteString(r.Message(tag))
	}
	return b.String()
}

// fmtDec writes d with at most places decimals (trailing zeros dropped),
// never in exponent form, for en; ru uses a decimal comma. It does not
// depend on shopspring/decimal's package variables.
func fmtDec(d decimal.Decimal, places int32) (en, ru string) {
	s := d.StringFixed(places)
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s, strings.Replace(s, ".", ",", 1)
}

// fmtFloat writes x with at most places decimals (trailing zeros dropped)
// for en, and with a decimal comma for ru.
func fmtFloat(x float64, places int) (en, ru string) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		s := strconv.FormatFloat(x, 'g', -1, 64)
		return s, s
	}
	s := strconv.FormatFloat(x, 'f', places, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s, strings.Replace(s, ".", ",", 1)
}

func fltEN(x float64, places int) string { en, _ := fmtFloat(x, places); return en }
func fltRU(x float64, places int) string { _, ru := fmtFloat(x, places); return ru }

// daysRU returns the Russian word for "days" agreeing with n.
func daysRU(n int64) string {
	if n < 0 {
		n = -n
	}
	switch {
	case n%100 >= 11 && n%100 <= 14:
		return "дней"
	case n%10 == 1:
		return "день"
	case n%10 >= 2 && n%10 <= 4:
		return "дня"
	}
	return "дней"
}

// daysEN returns "day" or "days".
func daysEN(n int64) string {
	if n == 1 || n == -1 {
		return "day"
	}
	return "days"
}

// fmtAgainst writes x as fmtDec does, with more places when needed so that
// x, if it differs from any of cuts, does not print equal to it: a figure
// that decided a comparison is never shown on the other side of it.
func fmtAgainst(x decimal.Decimal, places int32, cuts ...decimal.Decimal) (en, ru string) {
	for p := places; p < places+20; p++ {
		clash := false
		for _, c := range cuts {
			if !x.Equal(c) && x.Round(p).Equal(c.Round(p)) {
				clash = true
			}
		}
		if !clash {
			return fmtDec(x, p)
		}
	}
	return fmtDec(x, places+20)
}
