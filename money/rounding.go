package money

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/internal/lang"
)

// RoundingMode names how a value is brought to fewer decimal places.
//
// The zero value is HalfUp, the mode of most invoices and receipts, so an
// omitted setting means half-up. Modes decoded from text (ParseRoundingMode,
// UnmarshalText) are always one of the six below.
type RoundingMode uint8

// The rounding modes. Examples at two places for 1.005 / -1.005, and at
// zero places for 2.5 / -2.5:
//
//	HalfUp    1.01 / -1.01   3 / -3   ties away from zero
//	HalfEven  1.00 / -1.00   2 / -2   ties to the even neighbour (banker's)
//	Down      1.00 / -1.00   2 / -2   toward zero (truncate)
//	Up        1.01 / -1.01   3 / -3   away from zero
//	Ceiling   1.01 / -1.00   3 / -2   toward +∞
//	Floor     1.00 / -1.01   2 / -3   toward -∞
const (
	HalfUp RoundingMode = iota
	HalfEven
	Down
	Up
	Ceiling
	Floor
)

var roundingNames = [...]string{
	HalfUp:   "half_up",
	HalfEven: "half_even",
	Down:     "down",
	Up:       "up",
	Ceiling:  "ceiling",
	Floor:    "floor",
}

// ParseRoundingMode reads a mode by its name: "half_up", "half_even",
// "down", "up", "ceiling", "floor".
func ParseRoundingMode(name string) (RoundingMode, error) {
	for m, n := range roundingNames {
		if n == name {
			return RoundingMode(m), nil
		}
	}
	return 0, &RoundingModeError{Input: name}
}

// Valid reports whether m is one of the defined modes.
func (m RoundingMode) Valid() bool { return int(m) < len(roundingNames) }

// String returns the mode's name, or "rounding_mode(N)" for an undefined one.
func (m RoundingMode) String() string {
	if !m.Valid() {
		return "rounding_mode(" + strconv.Itoa(int(m)) + ")"
	}
	return roundingNames[m]
}

// MarshalText encodes the mode's name; an undefined mode is an error.
func (m RoundingMode) MarshalText() ([]byte, error) {
	if !m.Valid() {
		return nil, &RoundingModeError{Input: m.String()}
	}
	return []byte(roundingNames[m]), nil
}

// UnmarshalText decodes a mode's name strictly.
func (m *RoundingMode) UnmarshalText(text []byte) error {
	parsed, err := ParseRoundingMode(string(text))
	if err != nil {
		return err
	}
	*m = parsed
	return nil
}

// RoundingModeError reports an undefined rounding mode.
type RoundingModeError struct{ Input string }

func (e *RoundingModeError) Error() string { return e.Message("en") }

// Code returns ReasonBadRoundingMode.
func (e *RoundingModeError) Code() string { return string(ReasonBadRoundingMode) }

// Message returns the message in the language of tag.
func (e *RoundingModeError) Message(tag string) string {
	in := sanitizeInput(e.Input)
	return lang.Pick(tag,
		"money: unknown rounding mode "+strconv.Quote(in)+" (want half_up, half_even, down, up, ceiling or floor)",
		"money: неизвестный режим округления "+strconv.Quote(in))
}

// Is makes the error match ErrInvalidRoundingMode.
func (e *RoundingModeError) Is(target error) bool { return target == ErrInvalidRoundingMode }

// Round rounds the amount to its currency's minor unit (kopecks for RUB,
// whole yen for JPY, fils for KWD) with the given mode.
func (a Amount) Round(mode RoundingMode) Amount {
	return a.RoundTo(a.c.MinorUnits(), mode)
}

// RoundTo rounds the amount to places decimal places with the given mode.
// Negative places round to tens, hundreds and so on. An amount that
// already has no more than places decimals is returned unchanged. An
// undefined mode (only reachable by converting an integer) rounds half-up.
func (a Amount) RoundTo(places int32, mode RoundingMode) Amount {
	if a.big == nil {
		if a.exp >= -places {
			return a // already exact at this many places; as roundDecimal
		}
		if v, ok := roundCompact(a.coef, a.exp, places, mode); ok {
			return Amount{coef: v, exp: -places, c: a.c}
		}
	}
	return fromDec(roundDecimal(a.dec(), places, mode), a.c)
}

func roundDecimal(d decimal.Decimal, places int32, mode RoundingMode) decimal.Decimal {
	if d.Exponent() >= -places {
		return d // already exact at this many places; avoid rescaling up
	}
	switch mode {
	case HalfEven:
		return d.RoundBank(places)
	case Down:
		return d.RoundDown(places)
	case Up:
		return d.RoundUp(places)
	case Ceiling:
		return d.RoundCeil(places)
	case Floor:
		return d.RoundFloor(places)
	default:
		return d.Round(places)
	}
}
