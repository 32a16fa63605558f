package credit

import (
	"errors"
	"fmt"
	"strings"

	"github.com/crmkit/crmkit/internal/lang"
)

// Sentinel errors. Every error the package returns matches one of them
// with errors.Is; the typed errors below carry the details.
var (
	// ErrInvalidInput: an input or a policy cannot be used. The
	// *InputError names the field.
	ErrInvalidInput = errors.New("credit: invalid input")
	// ErrInvalidScorecard: a scorecard is malformed or inconsistent. The
	// *ScorecardError names the characteristic (or grade) and the path of
	// the field at fault. It also matches ErrInvalidInput.
	ErrInvalidScorecard = errors.New("credit: invalid scorecard")
	// ErrUnavailable: a figure (a ratio, a payment measure, a limit
	// recommendation) cannot be computed from the data given. The
	// *UnavailableError names the missing or zero input.
	ErrUnavailable = errors.New("credit: figure unavailable")
	// ErrSource: a data source (ExposureSource, StatementsSource,
	// PaymentHistorySource) failed. The *SourceError wraps its error.
	ErrSource = errors.New("credit: data source failed")
	// ErrOverrideNotAllowed: an override was asked for by someone who is
	// neither a credit controller nor a deputy acting for one.
	ErrOverrideNotAllowed = errors.New("credit: override not allowed")
)

// Reason codes are stable and machine-readable: they never change meaning
// between releases, while messages may be reworded.
const (
	// Input reasons (*InputError).
	CodeRequired       = "required"
	CodeNegative       = "negative"
	CodeNotPositive    = "not_positive"
	CodeNotFinite      = "not_finite"
	CodeOutOfRange     = "out_of_range"
	CodeCurrency       = "currency_mismatch"
	CodeInconsistent   = "inconsistent"
	CodeUnknownValue   = "unknown_value"
	CodeUnknownInput   = "unknown_characteristic"
	CodeUnknownCat     = "unknown_category"
	CodeWrongKind      = "wrong_kind"
	CodeOutsideBins    = "outside_bins"
	CodeBadDate        = "bad_date"
	CodeDuplicate      = "duplicate"
	CodeTooLarge       = "too_large"
	CodeMalformedJSON  = "json_malformed"
	CodeUnknownField   = "field_unknown"
	CodeWrongJSONType  = "json_type"
	CodeBinsGap        = "bins_gap"
	CodeBinsOverlap    = "bins_overlap"
	CodeBinEmpty       = "bin_empty"
	CodeGradesCoverage = "grades_coverage"

	// Unavailable reasons (*UnavailableError).
	CodeMissing         = "missing"
	CodeZeroDenominator = "zero_denominator"
	CodeNoData          = "no_data"

	// Other errors.
	CodeSource             = "source_failed"
	CodeOverrideNotAllowed = "override_not_allowed"
	CodeNoLimitRecommended = "no_limit_recommended"
)

// InputError reports an input, or a piece of configuration, that cannot be
// used. Field is the path of the field at fault ("statements.total_assets",
// "inputs[\"age\"]", "policy.mode"), Value the offending value (shortened),
// Reason a stable code and Detail an optional English explanation.
type InputError struct {
	Field  string
	Value  string
	Reason string
	Detail string
	Err    error // the underlying error (for example a *money.MismatchError), if any

	detailRU string
}

func invalid(field, reason, value string) *InputError {
	return &InputError{Field: field, Reason: reason, Value: shorten(value)}
}

func invalidf(field, reason, value, en, ru string) *InputError {
	return &InputError{Field: field, Reason: reason, Value: shorten(value), Detail: en, detailRU: ru}
}

func (e *InputError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *InputError) Code() string { return e.Reason }

// Is makes the error match ErrInvalidInput.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// Message returns the message in the language of tag.
func (e *InputError) Message(tag string) string {
	en, ru := reasonText(e.Reason)
	detailRU := e.detailRU
	if detailRU == "" {
		detailRU = e.Detail
	}
	return lang.FieldMessage(tag, "credit", e.Field, en, ru, e.Value, e.Detail, detailRU)
}

func reasonText(code string) (en, ru string) {
	switch code {
	case CodeRequired:
		return "is required", "обязательно"
	case CodeNegative:
		return "must not be negative", "не может быть отрицательным"
	case CodeNotPositive:
		return "must be positive", "должно быть положительным"
	case CodeNotFinite:
		return "must be a finite number", "должно быть конечным числом"
	case CodeOutOfRange:
		return "is out of range", "вне допустимого диапазона"
	case CodeCurrency:
		return "is in another currency", "в другой валюте"
	case CodeInconsistent:
		return "contradicts another field", "противоречит другому полю"
	case CodeUnknownValue:
		return "has an unknown value", "неизвестное значение"
	case CodeUnknownInput:
		return "is not a characteristic of the scorecard", "не является характеристикой скоринговой карты"
	case CodeUnknownCat:
		return "has a category the scorecard does not know", "категория, неизвестная скоринговой карте"
	case CodeWrongKind:
		return "has the wrong kind of value", "значение не того вида"
	case CodeOutsideBins:
		return "is outside every bin", "не попадает ни в один интервал"
	case CodeBadDate:
		return "is not a calendar date", "не является календарной датой"
	case CodeDuplicate:
		return "is given twice", "указано дважды"
	case CodeTooLarge:
		return "is too large", "слишком велико"
	case CodeMalformedJSON:
		return "is not valid JSON", "не является корректным JSON"
	case CodeUnknownField:
		return "is not a known field", "неизвестное поле"
	case CodeWrongJSONType:
		return "has the wrong JSON type", "неверный тип JSON"
	case CodeBinsGap:
		return "has a gap between bins", "есть разрыв между интервалами"
	case CodeBinsOverlap:
		return "has overlapping bins", "интервалы пересекаются"
	case CodeBinEmpty:
		return "has an empty bin", "пустой интервал"
	case CodeGradesCoverage:
		return "does not cover every possible score", "покрывает не все возможные баллы"
	}
	return "is invalid", "недопустимое значение"
}

// ScorecardError reports a scorecard that cannot be used: malformed JSON,
// an unknown field, bins with a gap or an overlap, a characteristic
// without a bin for missing values. Characteristic names the
// characteristic at fault (or the grade, for Path under "grades"), Path
// the field in the card's JSON ("characteristics[2].bins[1].high"), Reason
// a stable code.
type ScorecardError struct {
	Characteristic string
	Path           string
	Reason         string
	Detail         string
	Offset         int64 // byte offset in the JSON, for CodeMalformedJSON
	Err            error

	detailRU string
}

func cardErr(char, path, reason, en, ru string) *ScorecardError {
	return &ScorecardError{Characteristic: char, Path: path, Reason: reason, Detail: en, detailRU: ru}
}

func (e *ScorecardError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *ScorecardError) Code() string { return e.Reason }

// Is makes the error match ErrInvalidScorecard and ErrInvalidInput.
func (e *ScorecardError) Is(target error) bool {
	return target == ErrInvalidScorecard || target == ErrInvalidInput
}

// Unwrap returns the underlying error.
func (e *ScorecardError) Unwrap() error { return e.Err }

// Message returns the message in the language of tag.
func (e *ScorecardError) Message(tag string) string {
	en, ru := reasonText(e.Reason)
	where := e.Path
	if where == "" {
		where = "scorecard"
	}
	msgEN := "credit: scorecard: " + where
	msgRU := "credit: скоринговая карта: " + where
	if e.Characteristic != "" {
		msgEN += fmt.Sprintf(" (characteristic %q)", shorten(e.Characteristic))
		msgRU += fmt.Sprintf(" (характеристика %q)", shorten(e.Characteristic))
	}
	msgEN += " " + en
	msgRU += ": " + ru
	if e.Detail != "" {
		msgEN += ": " + e.Detail
		if e.detailRU != "" {
			msgRU += ": " + e.detailRU
		} else {
			msgRU += ": " + e.Detail
		}
	}
	return lang.Pick(tag, msgEN, msgRU)
}

// UnavailableError says why a figure cannot be computed: an input it
// needs is missing (CodeMissing), a denominator is zero
// (CodeZeroDenominator) or not positive (CodeNotPositive), or there is no
// data at all (CodeNoData). Figure is the figure's name ("current_ratio",
// "dso", "altman_z"), Inputs the inputs at fault.
type UnavailableError struct {
	Figure string
	Inputs []string
	Reason string
}

func unavailable(figure, reason string, inputs ...string) *UnavailableError {
	return &UnavailableError{Figure: figure, Reason: reason, Inputs: inputs}
}

func (e *UnavailableError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *UnavailableError) Code() string { return e.Reason }

// Is makes the error match ErrUnavailable.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Message returns the message in the language of tag.
func (e *UnavailableError) Message(tag string) string {
	in := strings.Join(e.Inputs, ", ")
	switch e.Reason {
	case CodeMissing:
		return lang.Pick(tag,
			fmt.Sprintf("credit: %s cannot be computed: missing %s", e.Figure, in),
			fmt.Sprintf("credit: %s не рассчитать: нет данных %s", e.Figure, in))
	case CodeZeroDenominator:
		return lang.Pick(tag,
			fmt.Sprintf("credit: %s cannot be computed: %s is zero", e.Figure, in),
			fmt.Sprintf("credit: %s не рассчитать: %s равно нулю", e.Figure, in))
	case CodeNotPositive:
		return lang.Pick(tag,
			fmt.Sprintf("credit: %s cannot be computed: %s is not positive", e.Figure, in),
			fmt.Sprintf("credit: %s не рассчитать: %s не больше нуля", e.Figure, in))
	default:
		return lang.Pick(tag,
			fmt.Sprintf("credit: %s cannot be computed: no data (%s)", e.Figure, in),
			fmt.Sprintf("credit: %s не рассчитать: нет данных (%s)", e.Figure, in))
	}
}

// SourceError wraps an error returned by a data source. Source names the
// interface ("exposure", "statements", "payment_history").
type SourceError struct {
	Source   string
	ClientID string
	Err      error
}

func (e *SourceError) Error() string { return e.Message("en") }

// Code returns CodeSource.
func (e *SourceError) Code() string { return CodeSource }

// Is makes the error match ErrSource.
func (e *SourceError) Is(target error) bool { return target == ErrSource }

// Unwrap returns the source's error, so errors.Is also matches what the
// source returned (context.Canceled, store.ErrNotFound, ...).
func (e *SourceError) Unwrap() error { return e.Err }

// Message returns the message in the language of tag.
func (e *SourceError) Message(tag string) string {
	return lang.Pick(tag,
		fmt.Sprintf("credit: %s source failed for client %q: %v", e.Source, shorten(e.ClientID), e.Err),
		fmt.Sprintf("credit: источник данных %s не ответил для клиента %q: %v", e.Source, shorten(e.ClientID), e.Err))
}

// OverrideError refuses an override asked for by someone who may not
// override credit decisions.
type OverrideError struct {
	By     string // who asked
	Reason string // CodeOverrideNotAllowed
}

func (e *OverrideError) Error() string { return e.Message("en") }

// Code returns the stable reason code.
func (e *OverrideError) Code() string { return e.Reason }

// Is makes the error match ErrOverrideNotAllowed.
func (e *OverrideError) Is(target error) bool { return target == ErrOverrideNotAllowed }

// Message returns the message in the language of tag.
func (e *OverrideError) Message(tag string) string {
	return lang.Pick(tag,
		fmt.Sprintf("credit: %q may not override a credit decision: only a credit controller, or a deputy acting for one, may", shorten(e.By)),
		fmt.Sprintf("credit: %q не может отменить кредитное решение: это вправе только кредитный контролёр или его заместитель", shorten(e.By)))
}

// shorten bounds a value quoted in an error (see lang.Shorten).
func shorten(s string) string { return lang.Shorten(s, 80) }
