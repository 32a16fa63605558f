package credit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/crmkit/crmkit/internal/strictjson"
)

// The JSON form of a scorecard:
//
//	{
//	  "name": "smb-2026",
//	  "base_points": 500,
//	  "reason_count": 4,
//	  "characteristics": [
//	    {"name": "utilisation", "kind": "numeric",
//	     "reason": {"code": "high_utilisation", "en": "High utilisation", "ru": "Высокая загрузка лимита"},
//	     "bins": [{"high": 0.3, "points": 40}, {"low": 0.3, "high": 0.7, "points": 20}, {"low": 0.7, "points": 0}],
//	     "missing": {"points": 10}},
//	    {"name": "industry", "kind": "categorical",
//	     "bins": [{"values": ["retail", "wholesale"], "points": 15}, {"other": true, "points": 5}],
//	     "missing": {"points": 0}}
//	  ],
//	  "grades": [{"grade": "A", "low": 560}, {"grade": "B", "low": 530, "high": 560}, {"grade": "C", "high": 530}]
//	}
//
// A numeric bin without "low" is open below, without "high" open above.
// "points" is required on every bin and "missing" on every
// characteristic. Unknown fields are refused.

type cardJSON struct {
	Name            string      `json:"name,omitempty"`
	BasePoints      float64     `json:"base_points"`
	ReasonCount     int         `json:"reason_count,omitempty"`
	Characteristics []charJSON  `json:"characteristics"`
	Grades          []gradeJSON `json:"grades,omitempty"`
}

type charJSON struct {
	Name    string       `json:"name"`
	Kind    string       `json:"kind"`
	Reason  *reasonJSON  `json:"reason,omitempty"`
	Bins    []binJSON    `json:"bins"`
	Missing *missingJSON `json:"missing"`
}

type reasonJSON struct {
	Code string `json:"code,omitempty"`
	EN   string `json:"en,omitempty"`
	RU   string `json:"ru,omitempty"`
}

type binJSON struct {
	Low    *float64 `json:"low,omitempty"`
	High   *float64 `json:"high,omitempty"`
	Values []string `json:"values,omitempty"`
	Other  bool     `json:"other,omitempty"`
	Points *float64 `json:"points"`
}

type missingJSON struct {
	Points *float64 `json:"points"`
}

type gradeJSON struct {
	Grade string   `json:"grade"`
	Low   *float64 `json:"low,omitempty"`
	High  *float64 `json:"high,omitempty"`
}

// DecodeScorecard reads a scorecard from JSON (the form is described on
// MarshalJSON) and validates it. Every failure is a *ScorecardError
// naming the path at fault and, where there is one, the characteristic:
// malformed JSON, an unknown field, a wrong type, a missing "points" or
// "missing", bins with a gap or an overlap. Input longer than
// MaxScorecardJSON bytes is refused.
func DecodeScorecard(data []byte) (Scorecard, error) {
	if len(data) > MaxScorecardJSON {
		return Scorecard{}, cardErr("", "", CodeTooLarge, fmt.Sprintf("more than %d bytes", MaxScorecardJSON), fmt.Sprintf("больше %d байт", MaxScorecardJSON))
	}
	raw, err := decodeCard(data)
	if err != nil {
		return Scorecard{}, err
	}
	card, err := raw.card()
	if err != nil {
		return Scorecard{}, err
	}
	if err := card.Validate(); err != nil {
		return Scorecard{}, err
	}
	return card, nil
}

// The card is decoded level by level (card, characteristic, bin) so that
// an error names the characteristic and the full path, indexes included.
type cardRaw struct {
	Name            string            `json:"name"`
	BasePoints      float64           `json:"base_points"`
	ReasonCount     int               `json:"reason_count"`
	Characteristics []json.RawMessage `json:"characteristics"`
	Grades          []json.RawMessage `json:"grades"`
}

type charRaw struct {
	Name    string            `json:"name"`
	Kind    string            `json:"kind"`
	Reason  *reasonJSON       `json:"reason"`
	Bins    []json.RawMessage `json:"bins"`
	Missing *missingJSON      `json:"missing"`
}

func decodeCard(data []byte) (cardJSON, error) {
	var top cardRaw
	if err := strict(data, &top); err != nil {
		return cardJSON{}, jsonErr(err, "", "")
	}
	if top.Characteristics == nil {
		return cardJSON{}, cardErr("", "characteristics", CodeRequired, "", "")
	}
	if len(top.Characteristics) > MaxCharacteristics {
		return cardJSON{}, cardErr("", "characteristics", CodeTooLarge, fmt.Sprintf("more than %d", MaxCharacteristics), fmt.Sprintf("больше %d", MaxCharacteristics))
	}
	out := cardJSON{Name: top.Name, BasePoints: top.BasePoints, ReasonCount: top.ReasonCount}
	out.Characteristics = make([]charJSON, len(top.Characteristics))
	for i, rc := range top.Characteristics {
		path := fmt.Sprintf("characteristics[%d]", i)
		var cr charRaw
		if err := strict(rc, &cr); err != nil {
			return cardJSON{}, jsonErr(err, path, charName(rc))
		}
		if len(cr.Bins) > MaxBins {
			return cardJSON{}, cardErr(cr.Name, path+".bins", CodeTooLarge, fmt.Sprintf("more than %d", MaxBins), fmt.Sprintf("больше %d", MaxBins))
		}
		cj := charJSON{Name: cr.Name, Kind: cr.Kind, Reason: cr.Reason, Missing: cr.Missing}
		if cr.Bins != nil {
			cj.Bins = make([]binJSON, len(cr.Bins))
		}
		for j, rb := range cr.Bins {
			if err := strict(rb, &cj.Bins[j]); err != nil {
				return cardJSON{}, jsonErr(err, fmt.Sprintf("%s.bins[%d]", path, j), cr.Name)
			}
		}
		out.Characteristics[i] = cj
	}
	if len(top.Grades) > MaxBins {
		return cardJSON{}, cardErr("", "grades", CodeTooLarge, fmt.Sprintf("more than %d", MaxBins), fmt.Sprintf("больше %d", MaxBins))
	}
	for i, rg := range top.Grades {
		var g gradeJSON
		if err := strict(rg, &g); err != nil {
			return cardJSON{}, jsonErr(err, fmt.Sprintf("grades[%d]", i), "")
		}
		out.Grades = append(out.Grades, g)
	}
	return out, nil
}

// charName finds a characteristic's name in its raw JSON, best effort, to
// name it in errors. Only a single "name" key spelt exactly so counts:
// with a second one, or a case variant, which one encoding/json would
// keep is no name to trust.
func charName(raw []byte) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	name, found := "", false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return ""
		}
		if !strings.EqualFold(key, "name") {
			continue
		}
		if key != "name" || found || json.Unmarshal(value, &name) != nil {
			return ""
		}
		found = true
	}
	return name
}

// strict decodes one JSON value into v, refusing unknown fields, keys
// given twice or in another case, and anything after the value.
func strict(data []byte, v any) error {
	if p := strictjson.Check(data, reflect.TypeOf(v)); p != nil {
		return p
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailing{offset: dec.InputOffset()}
	}
	return nil
}

type errTrailing struct{ offset int64 }

func (e errTrailing) Error() string { return "data after the scorecard object" }

// UnmarshalJSON decodes and validates a scorecard, as DecodeScorecard.
func (c *Scorecard) UnmarshalJSON(data []byte) error {
	card, err := DecodeScorecard(data)
	if err != nil {
		return err
	}
	*c = card
	return nil
}

// MarshalJSON writes the scorecard in the JSON form DecodeScorecard reads
// (see the package documentation). An invalid card is refused with its
// *ScorecardError. Open ends of numeric bins and grades are left out.
func (c Scorecard) MarshalJSON() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	out := cardJSON{Name: c.Name, BasePoints: c.BasePoints, ReasonCount: c.ReasonCount}
	out.Characteristics = make([]charJSON, len(c.Characteristics))
	for i, ch := range c.Characteristics {
		cj := charJSON{Name: ch.Name, Kind: string(ch.Kind), Missing: &missingJSON{Points: ptr(ch.MissingPoints)}}
		if ch.Reason != (Reason{}) {
			cj.Reason = &reasonJSON{Code: ch.Reason.Code, EN: ch.Reason.EN, RU: ch.Reason.RU}
		}
		cj.Bins = make([]binJSON, len(ch.Bins))
		for j, b := range ch.Bins {
			bj := binJSON{Values: b.Values, Other: b.Other, Points: ptr(b.Points)}
			if ch.Kind == Numeric {
				bj.Low, bj.High = finite(b.Low), finite(b.High)
			}
			cj.Bins[j] = bj
		}
		out.Characteristics[i] = cj
	}
	for _, g := range c.Grades {
		out.Grades = append(out.Grades, gradeJSON{Grade: g.Grade, Low: finite(g.Low), High: finite(g.High)})
	}
	return json.Marshal(out)
}

func ptr(x float64) *float64 { return &x }

// finite returns &x, or nil for an infinite (open) bound.
func finite(x float64) *float64 {
	if math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func lowOf(p *float64) float64 {
	if p == nil {
		return math.Inf(-1)
	}
	return *p
}

func highOf(p *float64) float64 {
	if p == nil {
		return math.Inf(1)
	}
	return *p
}

func (raw cardJSON) card() (Scorecard, error) {
	card := Scorecard{Name: raw.Name, BasePoints: raw.BasePoints, ReasonCount: raw.ReasonCount}
	card.Characteristics = make([]Characteristic, len(raw.Characteristics))
	for i, cj := range raw.Characteristics {
		path := fmt.Sprintf("characteristics[%d]", i)
		ch := Characteristic{Name: cj.Name, Kind: Kind(cj.Kind)}
		if cj.Reason != nil {
			ch.Reason = Reason{Code: cj.Reason.Code, EN: cj.Reason.EN, RU: cj.Reason.RU}
		}
		if cj.Missing == nil {
			return Scorecard{}, cardErr(cj.Name, path+".missing", CodeRequired, "every characteristic needs a bin for missing values", "у каждой характеристики должен быть интервал для отсутствующих значений")
		}
		if cj.Missing.Points == nil {
			return Scorecard{}, cardErr(cj.Name, path+".missing.points", CodeRequired, "", "")
		}
		ch.MissingPoints = *cj.Missing.Points
		ch.Bins = make([]Bin, len(cj.Bins))
		for j, bj := range cj.Bins {
			bp := func() string { return elem(path+".bins", j) } // built only for an error
			if bj.Points == nil {
				return Scorecard{}, cardErr(cj.Name, bp()+".points", CodeRequired, "", "")
			}
			b := Bin{Values: bj.Values, Other: bj.Other, Points: *bj.Points}
			switch ch.Kind {
			case Numeric:
				if len(bj.Values) > 0 || bj.Other {
					return Scorecard{}, cardErr(cj.Name, bp(), CodeWrongKind, "a numeric bin has low and high, not values", "у числового интервала есть low и high, но не values")
				}
				b.Low, b.High = lowOf(bj.Low), highOf(bj.High)
			case Categorical:
				if bj.Low != nil || bj.High != nil {
					return Scorecard{}, cardErr(cj.Name, bp(), CodeWrongKind, "a categorical bin has values, not low and high", "у категориального интервала есть values, но не low и high")
				}
			}
			ch.Bins[j] = b
		}
		card.Characteristics[i] = ch
	}
	for _, g := range raw.Grades {
		card.Grades = append(card.Grades, GradeBand{Grade: g.Grade, Low: lowOf(g.Low), High: highOf(g.High)})
	}
	return card, nil
}

// jsonErr turns an encoding/json error met while decoding the value at
// prefix (a path, "" for the whole card) into a *ScorecardError.
func jsonErr(err error, prefix, char string) *ScorecardError {
	join := func(field string) string {
		switch {
		case prefix == "":
			return jsonPath(field)
		case field == "":
			return prefix
		}
		return prefix + "." + jsonPath(field)
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var trailing errTrailing
	var p *strictjson.Problem
	switch {
	case errors.As(err, &p):
		path := prefix
		switch {
		case prefix == "":
			path = p.Path
		case p.Path != "":
			path = prefix + "." + p.Path
		}
		return problemErr(p, shorten(path), char)
	case errors.As(err, &syn):
		return &ScorecardError{Characteristic: char, Path: prefix, Reason: CodeMalformedJSON, Offset: syn.Offset, Err: err, Detail: syn.Error()}
	case errors.As(err, &trailing):
		return &ScorecardError{Characteristic: char, Path: prefix, Reason: CodeMalformedJSON, Offset: trailing.offset, Err: err, Detail: "data after the value", detailRU: "данные после значения"}
	case errors.As(err, &typ):
		return &ScorecardError{Characteristic: char, Path: join(typ.Field), Reason: CodeWrongJSONType, Offset: typ.Offset, Err: err,
			Detail: fmt.Sprintf("expected %s, got JSON %s", typ.Type, typ.Value), detailRU: fmt.Sprintf("ожидалось %s, получено %s", typ.Type, typ.Value)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &ScorecardError{Characteristic: char, Path: prefix, Reason: CodeMalformedJSON, Err: err, Detail: "the JSON ends early", detailRU: "JSON обрывается"}
	}
	msg := err.Error()
	if _, name, ok := strings.Cut(msg, "unknown field "); ok {
		if unq, e := strconv.Unquote(name); e == nil {
			name = unq
		}
		return &ScorecardError{Characteristic: char, Path: join(shorten(name)), Reason: CodeUnknownField, Err: err}
	}
	return &ScorecardError{Characteristic: char, Path: prefix, Reason: CodeMalformedJSON, Err: err, Detail: shorten(msg)}
}

// problemErr turns what strictjson refuses at path into a
// *ScorecardError: a key given twice, a key not spelt exactly as a field,
// a value of the wrong JSON kind, or nesting too deep.
func problemErr(p *strictjson.Problem, path, char string) *ScorecardError {
	switch p.Kind {
	case strictjson.Duplicate:
		return &ScorecardError{Characteristic: char, Path: path, Reason: CodeDuplicate,
			Detail: "the key is given twice", detailRU: "ключ повторяется"}
	case strictjson.UnknownField:
		return &ScorecardError{Characteristic: char, Path: path, Reason: CodeUnknownField}
	case strictjson.WrongType:
		return &ScorecardError{Characteristic: char, Path: path, Reason: CodeWrongJSONType,
			Detail:   fmt.Sprintf("expected a JSON %s, got %s %s", p.Want, p.Got, shorten(p.Token)),
			detailRU: fmt.Sprintf("ожидалось JSON-значение типа %s, получено %s %s", p.Want, p.Got, shorten(p.Token))}
	}
	return &ScorecardError{Characteristic: char, Path: path, Reason: CodeMalformedJSON,
		Detail: "nested too deeply", detailRU: "слишком глубокая вложенность"}
}

// jsonPath turns "characteristics.0.bins.1.low" into
// "characteristics[0].bins[1].low".
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	var b strings.Builder
	for i, p := range parts {
		if _, err := strconv.Atoi(p); err == nil && i > 0 {
			b.WriteString("[" + p + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return shorten(b.String())
}
