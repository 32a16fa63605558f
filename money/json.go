package money

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// MarshalJSON encodes the amount as {"amount":"1234.50","currency":"RUB"}:
// the number is a string (never a JSON number, which many decoders read as
// a float) with at least the currency's minor places. The zero Amount,
// which has no currency, encodes as null. It never writes what
// UnmarshalJSON would refuse: an exact product (Mul, MulInt) with more than
// 40 digits before the point or 24 after is an *AmountError
// (amount_too_long); round it first.
func (a Amount) MarshalJSON() ([]byte, error) {
	if a.c.IsZero() {
		return []byte("null"), nil
	}
	num := a.plain()
	if !fitsGrammar(num) {
		return nil, &AmountError{Input: num[:min(len(num), 80)], Reason: ReasonAmountTooLong}
	}
	code := a.c.Code()
	buf := make([]byte, 0, len(num)+len(code)+27)
	buf = append(buf, `{"amount":"`...)
	buf = append(buf, num...)
	buf = append(buf, `","currency":"`...)
	buf = append(buf, code...)
	buf = append(buf, `"}`...)
	return buf, nil
}

// UnmarshalJSON decodes {"amount":"1234.50","currency":"RUB"} strictly:
// both fields are required and must be JSON strings; the amount follows
// the grammar of Parse; the currency must be an active ISO 4217 code;
// unknown or repeated fields are refused. Field names are case-sensitive.
// null leaves the amount unchanged, as encoding/json expects. Every
// failure is an *AmountError naming the field.
func (a *Amount) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	malformed := &AmountError{Field: "amount", Reason: ReasonMalformedJSON}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return malformed
	}
	var amount, currency *string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return malformed
		}
		key, _ := tok.(string)
		var slot **string
		switch key {
		case "amount":
			slot = &amount
		case "currency":
			slot = &currency
		default:
			return &AmountError{Field: key, Reason: ReasonUnknownField}
		}
		if *slot != nil {
			return &AmountError{Field: key, Reason: ReasonMalformedJSON}
		}
		val, err := dec.Token()
		if err != nil {
			return malformed
		}
		s, ok := val.(string)
		if !ok {
			return &AmountError{Field: key, Input: tokenText(val), Reason: ReasonNotAString}
		}
		*slot = &s
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return malformed
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return malformed
	}
	if amount == nil {
		return &AmountError{Field: "amount", Reason: ReasonMissingField}
	}
	if currency == nil {
		return &AmountError{Field: "currency", Reason: ReasonMissingField}
	}
	c, err := ParseCurrency(*currency)
	if err != nil {
		var ce *CurrencyError
		errors.As(err, &ce)
		return &AmountError{Field: "currency", Input: *currency, Reason: ce.Reason, Err: err}
	}
	parsed, err := parseAmount(*amount, c)
	if err != nil {
		var ae *AmountError
		if errors.As(err, &ae) {
			ae.Field = "amount"
		}
		return err
	}
	*a = parsed
	return nil
}

// tokenText describes a non-string JSON token for an error message.
func tokenText(tok json.Token) string {
	switch v := tok.(type) {
	case json.Number:
		return v.String()
	case json.Delim:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	case nil:
		return "null"
	}
	return "?"
}

// fitsGrammar reports whether a number printed by plain stays within the
// digits Parse accepts (maxIntDigits before the point, maxFracDigits
// after).
func fitsGrammar(num string) bool {
	body := strings.TrimPrefix(num, "-")
	intPart, fracPart, _ := strings.Cut(body, ".")
	return len(strings.TrimLeft(intPart, "0")) <= maxIntDigits && len(fracPart) <= maxFracDigits
}
