package loyalty

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/store"
)

// Sentinel errors of the loyalty package. Every error the package returns
// for bad input or a refused operation matches one of them with
// errors.Is; the typed errors carry the details. Storage errors match the
// store package's kinds (store.ErrNotFound, store.ErrConflict,
// store.ErrDuplicate).
var (
	// ErrInvalid: an input failed validation. The *ValidationError names
	// the field.
	ErrInvalid = errors.New("loyalty: invalid input")
	// ErrInsufficientPoints: a redemption, reservation or deduction asks
	// for more points than the account can use. See *PointsError.
	ErrInsufficientPoints = errors.New("loyalty: not enough points")
	// ErrKeyReused: an idempotency key was posted before with different
	// content. See *KeyReuseError; it also matches store.ErrDuplicate.
	ErrKeyReused = errors.New("loyalty: idempotency key reused with different content")
	// ErrRefused: the operation is well-formed but a rule of the
	// programme or the state of the account forbids it. See *RuleError.
	ErrRefused = errors.New("loyalty: refused")
)

// Reason is a stable, machine-readable code for why an input was refused.
// Codes never change meaning between releases; messages may be reworded.
type Reason string

// Validation reason codes.
const (
	ReasonRequired      Reason = "required"
	ReasonTooLong       Reason = "too_long"
	ReasonTooMany       Reason = "too_many"
	ReasonMalformed     Reason = "malformed"
	ReasonUnknownValue  Reason = "unknown_value"
	ReasonUnknownField  Reason = "unknown_field"
	ReasonNegative      Reason = "negative"
	ReasonNotPositive   Reason = "not_positive"
	ReasonPrecision     Reason = "precision"
	ReasonCurrency      Reason = "currency"
	ReasonBadDate       Reason = "bad_date"
	ReasonOutsideWindow Reason = "outside_window"
	ReasonInFuture      Reason = "in_future"
	ReasonRange         Reason = "out_of_range"
	ReasonDuplicate     Reason = "duplicate"
	ReasonConflict      Reason = "conflict"
	ReasonExceeds       Reason = "exceeds"
	ReasonBelowMinimum  Reason = "below_minimum"
	ReasonReserved      Reason = "reserved"
)

// ValidationError reports an input that cannot be accepted. Field is the
// path of the field at fault ("earn.multipliers[2].factor", "lines[0].amount",
// "points"), Value the offending value (shortened), Reason a stable code and
// Detail an optional English explanation of the specific rule.
type ValidationError struct {
	Field  string
	Value  string
	Reason Reason
	Detail string
	Err    error // the underlying error (for example a *money.AmountError), if any
}

func invalid(field string, reason Reason, value string) *ValidationError {
	return &ValidationError{Field: field, Reason: reason, Value: shorten(value)}
}

func invalidf(field string, reason Reason, value, detail string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Reason: reason, Value: shorten(value), Detail: fmt.Sprintf(detail, args...)}
}

func (e *ValidationError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *ValidationError) Code() string { return string(e.Reason) }

// Is makes the error match ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns the underlying error.
func (e *ValidationError) Unwrap() error { return e.Err }

// Message returns the message in the language of tag ("en" or "ru").
func (e *ValidationError) Message(tag string) string {
	field := e.Field
	if field == "" {
		field = "input"
	}
	type localized interface{ Message(string) string }
	if l, ok := e.Err.(localized); ok {
		return lang.Pick(tag, "loyalty: "+field+": ", "loyalty: поле "+field+": ") + l.Message(tag)
	}
	en, ru := reasonText(e.Reason)
	return lang.FieldMessage(tag, "loyalty", field, en, ru, e.Value, e.Detail, "")
}

func reasonText(r Reason) (en, ru string) {
	switch r {
	case ReasonRequired:
		return "is required", "обязательно"
	case ReasonTooLong:
		return "is too long", "слишком длинное значение"
	case ReasonTooMany:
		return "has too many items", "слишком много элементов"
	case ReasonMalformed:
		return "is malformed", "неверный формат"
	case ReasonUnknownValue:
		return "has an unknown value", "неизвестное значение"
	case ReasonUnknownField:
		return "is not a known field", "неизвестное поле"
	case ReasonNegative:
		return "must not be negative", "не может быть отрицательным"
	case ReasonNotPositive:
		return "must be greater than zero", "должно быть больше нуля"
	case ReasonPrecision:
		return "has more decimal places than the programme allows", "больше знаков после запятой, чем допускает программа"
	case ReasonCurrency:
		return "is not in the programme's currency", "не в валюте программы"
	case ReasonBadDate:
		return "is not a real calendar date", "несуществующая календарная дата"
	case ReasonOutsideWindow:
		return "is outside the programme's validity window", "вне срока действия программы"
	case ReasonInFuture:
		return "is in the future", "в будущем"
	case ReasonRange:
		return "is out of range", "вне допустимого диапазона"
	case ReasonDuplicate:
		return "is given twice", "указано дважды"
	case ReasonConflict:
		return "contradicts another field", "противоречит другому полю"
	case ReasonExceeds:
		return "is more than allowed", "больше допустимого"
	case ReasonBelowMinimum:
		return "is below the minimum", "меньше минимума"
	case ReasonReserved:
		return "is reserved for the library", "зарезервировано библиотекой"
	}
	return "is invalid", "недопустимое значение"
}

// PointsError reports a request for more points than the account can use
// on the date of the posting. Nothing was written.
type PointsError struct {
	Account   string
	Requested decimal.Decimal
	Available decimal.Decimal
}

func (e *PointsError) Error() string { return e.Message("en") }

// Code returns "insufficient_points".
func (e *PointsError) Code() string { return "insufficient_points" }

// Is makes the error match ErrInsufficientPoints.
func (e *PointsError) Is(target error) bool { return target == ErrInsufficientPoints }

// Message returns the message in the language of tag.
func (e *PointsError) Message(tag string) string {
	return lang.Pick(tag,
		fmt.Sprintf("loyalty: account %s has %s available, %s requested", shorten(e.Account), pointsEN(e.Available), fmtDec(e.Requested)),
		fmt.Sprintf("loyalty: на счёте %s доступно %s, запрошено %s", shorten(e.Account), pointsRU(e.Available), fmtDec(e.Requested)))
}

// KeyReuseError reports an idempotency key that was posted before with
// different content. Nothing was written. It matches ErrKeyReused and
// store.ErrDuplicate (the key is a unique value that is taken).
type KeyReuseError struct {
	Account string
	Key     string
}

func (e *KeyReuseError) Error() string { return e.Message("en") }

// Code returns "key_reused".
func (e *KeyReuseError) Code() string { return "key_reused" }

// Is makes the error match ErrKeyReused and store.ErrDuplicate.
func (e *KeyReuseError) Is(target error) bool {
	return target == ErrKeyReused || target == store.ErrDuplicate
}

// Message returns the message in the language of tag.
func (e *KeyReuseError) Message(tag string) string {
	return lang.Pick(tag,
		fmt.Sprintf("loyalty: key %q of account %s was already posted with different content", shorten(e.Key), shorten(e.Account)),
		fmt.Sprintf("loyalty: ключ %q счёта %s уже использован для другой операции", shorten(e.Key), shorten(e.Account)))
}

// Rule names a rule of the programme or the ledger that refused an
// operation. Codes are stable.
type Rule string

// Rules that refuse operations.
const (
	RuleOrderEarned       Rule = "order_already_earned"
	RuleOrderNotEarned    Rule = "order_not_earned"
	RuleOrderReturned     Rule = "order_fully_returned"
	RuleReservationExists Rule = "reservation_exists"
	RuleNoReservation     Rule = "no_reservation"
	RuleReservationClosed Rule = "reservation_closed"
	RuleCancelSpent       Rule = "cancel_points_spent"
	RuleRedemptionOff     Rule = "redemption_disabled"
	RuleBelowMinPoints    Rule = "below_min_points"
	RuleMaxShare          Rule = "max_share_exceeded"
	RuleBirthdayWindow    Rule = "birthday_outside_window"
	RuleOtherProgramme    Rule = "other_programme"
	RuleStateIncomplete   Rule = "state_incomplete"
)

// RuleError reports an operation that a rule forbids. Field names the
// input the rule judged, when there is one.
type RuleError struct {
	Rule   Rule
	Field  string
	Detail string // English detail, with the figures that decided
}

func refused(rule Rule, field, detail string, args ...any) *RuleError {
	return &RuleError{Rule: rule, Field: field, Detail: fmt.Sprintf(detail, args...)}
}

func (e *RuleError) Error() string { return e.Message("en") }

// Code returns the rule's code.
func (e *RuleError) Code() string { return string(e.Rule) }

// Is makes the error match ErrRefused.
func (e *RuleError) Is(target error) bool { return target == ErrRefused }

// Message returns the message in the language of tag.
func (e *RuleError) Message(tag string) string {
	en, ru := ruleText(e.Rule)
	msgEN := "loyalty: " + en
	if e.Detail != "" {
		msgEN += ": " + e.Detail
	}
	return lang.Pick(tag, msgEN, "loyalty: "+ru)
}

func ruleText(r Rule) (en, ru string) {
	switch r {
	case RuleOrderEarned:
		return "the order has already earned points", "за этот заказ баллы уже начислены"
	case RuleOrderNotEarned:
		return "the order earned nothing in this account, so there is nothing to return", "по этому заказу не было покупки на счёте, возвращать нечего"
	case RuleOrderReturned:
		return "the order has already been returned in full", "заказ уже возвращён полностью"
	case RuleReservationExists:
		return "the order already has a reservation", "для заказа уже есть резерв баллов"
	case RuleNoReservation:
		return "the order has no reservation", "для заказа нет резерва баллов"
	case RuleReservationClosed:
		return "the reservation was already captured or released", "резерв уже списан или отменён"
	case RuleCancelSpent:
		return "the order's points were already spent and the programme refuses such cancellations", "баллы за заказ уже потрачены, и программа запрещает такую отмену"
	case RuleRedemptionOff:
		return "the programme does not let points be redeemed", "программа не позволяет оплачивать баллами"
	case RuleBelowMinPoints:
		return "fewer points than the programme's minimum redemption", "меньше баллов, чем минимум для оплаты"
	case RuleMaxShare:
		return "points would pay more of the order than the programme allows", "баллами оплачивается большая доля заказа, чем разрешено"
	case RuleBirthdayWindow:
		return "today is outside the birthday bonus window", "сегодня не период бонуса ко дню рождения"
	case RuleOtherProgramme:
		return "the account belongs to another programme", "счёт относится к другой программе"
	case RuleStateIncomplete:
		return "the store gave an incomplete account state", "хранилище передало неполное состояние счёта"
	}
	return "refused", "отказано"
}

// shorten bounds a value quoted in an error (see lang.Shorten).
func shorten(s string) string { return lang.Shorten(s, 80) }
