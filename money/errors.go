package money

import (
	"errors"
	"fmt"

	"github.com/crmkit/crmkit/internal/lang"
)

// Sentinel errors. Every error the package returns matches one of them
// with errors.Is; the typed errors below carry the details.
var (
	// ErrUnknownCurrency: a currency code is malformed or not an active
	// ISO 4217 code.
	ErrUnknownCurrency = errors.New("money: unknown currency")
	// ErrNoCurrency: an operation needs a currency and got the zero Currency.
	ErrNoCurrency = errors.New("money: no currency")
	// ErrCurrencyMismatch: two amounts in different currencies were combined.
	ErrCurrencyMismatch = errors.New("money: currency mismatch")
	// ErrInvalidAmount: an amount could not be parsed or decoded.
	ErrInvalidAmount = errors.New("money: invalid amount")
	// ErrInvalidAllocation: weights or a part count cannot split an amount.
	ErrInvalidAllocation = errors.New("money: invalid allocation")
	// ErrInvalidRoundingMode: a rounding mode name or value is not defined.
	ErrInvalidRoundingMode = errors.New("money: invalid rounding mode")
)

// Reason is a stable, machine-readable code for why an input was refused.
// Codes never change meaning between releases; messages may be reworded.
type Reason string

// Reason codes used by the package's errors.
const (
	ReasonMalformedCurrency Reason = "currency_malformed"
	ReasonUnknownCurrency   Reason = "currency_unknown"
	ReasonNoCurrency        Reason = "currency_missing"
	ReasonMismatch          Reason = "currency_mismatch"
	ReasonEmptyAmount       Reason = "amount_empty"
	ReasonMalformedAmount   Reason = "amount_malformed"
	ReasonAmountTooLong     Reason = "amount_too_long"
	ReasonNotAString        Reason = "amount_not_string"
	ReasonMissingField      Reason = "field_missing"
	ReasonUnknownField      Reason = "field_unknown"
	ReasonMalformedJSON     Reason = "json_malformed"
	ReasonNoWeights         Reason = "weights_empty"
	ReasonNegativeWeight    Reason = "weight_negative"
	ReasonZeroWeights       Reason = "weights_all_zero"
	ReasonWeightRange       Reason = "weight_out_of_range"
	ReasonBadPartCount      Reason = "parts_not_positive"
	ReasonBadRoundingMode   Reason = "rounding_mode_unknown"
)

// CurrencyError reports a currency code that cannot be used.
type CurrencyError struct {
	Input  string // the code as given (shortened if very long)
	Reason Reason // ReasonMalformedCurrency, ReasonUnknownCurrency or ReasonNoCurrency
}

func (e *CurrencyError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *CurrencyError) Code() string { return string(e.Reason) }

// Message returns the message in the language of tag ("en" or "ru").
func (e *CurrencyError) Message(tag string) string {
	in := sanitizeInput(e.Input)
	switch e.Reason {
	case ReasonNoCurrency:
		return lang.Pick(tag, "money: currency is missing", "money: не указана валюта")
	case ReasonMalformedCurrency:
		return lang.Pick(tag,
			fmt.Sprintf("money: currency %q is not a three-letter ISO 4217 code", in),
			fmt.Sprintf("money: валюта %q — не трёхбуквенный код ISO 4217", in))
	default:
		return lang.Pick(tag,
			fmt.Sprintf("money: currency %q is not an active ISO 4217 code", in),
			fmt.Sprintf("money: валюта %q не входит в действующий перечень ISO 4217", in))
	}
}

// Is makes the error match ErrUnknownCurrency (or ErrNoCurrency when the
// currency was missing).
func (e *CurrencyError) Is(target error) bool {
	if e.Reason == ReasonNoCurrency {
		return target == ErrNoCurrency
	}
	return target == ErrUnknownCurrency
}

// MismatchError reports an operation on amounts of two currencies.
type MismatchError struct {
	Op          string // "add", "subtract", "compare"
	Left, Right Currency
}

func (e *MismatchError) Error() string { return e.Message("en") }

// Code returns ReasonMismatch.
func (e *MismatchError) Code() string { return string(ReasonMismatch) }

// Message returns the message in the language of tag.
func (e *MismatchError) Message(tag string) string {
	return lang.Pick(tag,
		fmt.Sprintf("money: cannot %s %s and %s amounts", e.Op, e.Left.Code(), e.Right.Code()),
		fmt.Sprintf("money: операция %s над суммами в разных валютах: %s и %s", e.Op, e.Left.Code(), e.Right.Code()))
}

// Is makes the error match ErrCurrencyMismatch.
func (e *MismatchError) Is(target error) bool { return target == ErrCurrencyMismatch }

// AmountError reports an amount that cannot be parsed or decoded. Field
// names the JSON field at fault ("amount", "currency") when decoding JSON.
type AmountError struct {
	Field  string
	Input  string
	Reason Reason
	Err    error // the underlying error, if any (for example a *CurrencyError)
}

func (e *AmountError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *AmountError) Code() string { return string(e.Reason) }

// Message returns the message in the language of tag.
func (e *AmountError) Message(tag string) string {
	in := sanitizeInput(e.Input)
	field := e.Field
	if field == "" {
		field = "amount"
	}
	var en, ru string
	switch e.Reason {
	case ReasonEmptyAmount:
		en, ru = "is empty", "пусто"
	case ReasonAmountTooLong:
		en = fmt.Sprintf("has more than %d digits before the point or %d after", maxIntDigits, maxFracDigits)
		ru = fmt.Sprintf("содержит более %d цифр до запятой или %d после", maxIntDigits, maxFracDigits)
	case ReasonNotAString:
		en, ru = fmt.Sprintf("must be a JSON string, got %s", in), fmt.Sprintf("должно быть строкой JSON, получено %s", in)
	case ReasonMissingField:
		en, ru = "is missing", "отсутствует"
	case ReasonUnknownField:
		en, ru = "is not a field of an amount", "не является полем суммы"
	case ReasonMalformedJSON:
		en, ru = "is not a JSON object {\"amount\",\"currency\"}", "не является объектом JSON {\"amount\",\"currency\"}"
	case ReasonNoCurrency:
		en, ru = "is missing", "не указана валюта"
	case ReasonMalformedCurrency:
		en = fmt.Sprintf("%q is not a three-letter ISO 4217 code", in)
		ru = fmt.Sprintf("%q — не трёхбуквенный код ISO 4217", in)
	case ReasonUnknownCurrency:
		en = fmt.Sprintf("%q is not an active ISO 4217 code", in)
		ru = fmt.Sprintf("%q не входит в действующий перечень ISO 4217", in)
	default:
		en = fmt.Sprintf("%q is not a decimal number such as 1234.50", in)
		ru = fmt.Sprintf("%q не является десятичным числом вида 1234.50", in)
	}
	return lang.Pick(tag, "money: "+field+" "+en, "money: поле "+field+": "+ru)
}

// Is makes the error match ErrInvalidAmount.
func (e *AmountError) Is(target error) bool { return target == ErrInvalidAmount }

// Unwrap returns the underlying error, if any.
func (e *AmountError) Unwrap() error { return e.Err }

// AllocationError reports weights or a part count that cannot split an
// amount. Index is the offending weight's position, or -1.
type AllocationError struct {
	Reason Reason
	Index  int
}

func (e *AllocationError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *AllocationError) Code() string { return string(e.Reason) }

// Message returns the message in the language of tag.
func (e *AllocationError) Message(tag string) string {
	switch e.Reason {
	case ReasonNegativeWeight:
		return lang.Pick(tag,
			fmt.Sprintf("money: allocation weight %d is negative", e.Index),
			fmt.Sprintf("money: вес %d для распределения отрицательный", e.Index))
	case ReasonZeroWeights:
		return lang.Pick(tag, "money: all allocation weights are zero", "money: все веса для распределения нулевые")
	case ReasonWeightRange:
		return lang.Pick(tag,
			fmt.Sprintf("money: allocation weight %d is out of range (the weights span more than %d digits)", e.Index, maxWeightDigits),
			fmt.Sprintf("money: вес %d для распределения вне допустимого диапазона (веса охватывают более %d разрядов)", e.Index, maxWeightDigits))
	case ReasonBadPartCount:
		return lang.Pick(tag, "money: the number of parts must be positive", "money: число частей должно быть положительным")
	default:
		return lang.Pick(tag, "money: no allocation weights given", "money: не заданы веса для распределения")
	}
}

// Is makes the error match ErrInvalidAllocation.
func (e *AllocationError) Is(target error) bool { return target == ErrInvalidAllocation }
