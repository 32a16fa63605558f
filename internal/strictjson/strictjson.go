package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MaxDepth is how deeply objects and arrays may nest below the top-level
// value before Check reports TooDeep.
const MaxDepth = 32

// maxToken bounds the bytes of a key or value quoted in a Problem.
const maxToken = 64

// Kind says what is wrong with a document.
type Kind int

// The kinds of Problem.
const (
	// Duplicate: an object gives the same key twice.
	Duplicate Kind = iota + 1
	// UnknownField: a key is not exactly the JSON name of a field of the
	// struct (another case, an unknown name, a field tagged "-").
	UnknownField
	// WrongType: a value is of another JSON kind than the field takes
	// (a number for a string, an object for an array, ...).
	WrongType
	// TooDeep: objects and arrays nest more than MaxDepth deep.
	TooDeep
)

// String returns the kind's name: "duplicate", "unknown_field",
// "wrong_type" or "too_deep".
func (k Kind) String() string {
	switch k {
	case Duplicate:
		return "duplicate"
	case UnknownField:
		return "unknown_field"
	case WrongType:
		return "wrong_type"
	case TooDeep:
		return "too_deep"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Problem is the first thing Check refuses in a document.
type Problem struct {
	// Kind says what is wrong.
	Kind Kind
	// Path is the JSON path of the key or value at fault, such as
	// "earn.per_sku[0].points"; "" is the top-level value. For Duplicate
	// and UnknownField it ends with the offending key.
	Path string
	// Token is the offending key (Duplicate, UnknownField) or the text of
	// the offending value (WrongType: "5", "true", "{", or the string
	// itself), at most 64 bytes.
	Token string
	// Want is the JSON kind the field takes ("string", "integer",
	// "number", "boolean", "object", "array"); set for WrongType only.
	Want string
	// Got is the JSON kind found ("string", "number", "boolean",
	// "object", "array"); set for WrongType only.
	Got string
}

// Error describes the problem in English.
func (p *Problem) Error() string {
	where := p.Path
	if where == "" {
		where = "(document)"
	}
	switch p.Kind {
	case Duplicate:
		return fmt.Sprintf("strictjson: %s: key %q given twice", where, p.Token)
	case UnknownField:
		return fmt.Sprintf("strictjson: %s: unknown field %q (keys are case-sensitive)", where, p.Token)
	case WrongType:
		return fmt.Sprintf("strictjson: %s: want a JSON %s, got %s %s", where, p.Want, p.Got, p.Token)
	case TooDeep:
		return fmt.Sprintf("strictjson: %s: nested more than %d deep", where, MaxDepth)
	}
	return fmt.Sprintf("strictjson: %s: %s", where, p.Kind)
}

// Check walks the JSON document data as encoding/json would decode it
// into a value of type wire (a struct type, or a pointer to one, as a
// rule) and returns the first problem, or nil.
//
// It refuses a key given twice in one object; a key that is not exactly
// the JSON name of a field of the struct at that place (a case variant,
// an unknown name, the Go name of a field tagged "-"); a value of the
// wrong JSON kind (null is accepted everywhere, as encoding/json accepts
// it); and objects or arrays nested more than MaxDepth deep. Maps with
// string keys take any key, but not twice. Values of type
// json.RawMessage, of an interface type, or of a type with its own
// UnmarshalJSON are skipped whole: their owner checks them. A type with
// UnmarshalText takes a JSON string; json.Number a number or a string;
// []byte a string or an array; a field tagged ",string" a string.
//
// Check returns nil for a document that is not valid JSON, or that ends
// early, wherever it stops making sense: syntax errors are the decoder's
// to report. It stops after the first top-level value and never loops.
func Check(data []byte, wire reflect.Type) *Problem {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := walker{dec: dec}
	p, err := w.walk("", 0, shapeOf(wire, false))
	if err != nil {
		return nil // a syntax error: the decoder reports it
	}
	return p
}

// errSyntax stops the walk at a token the decoder will refuse.
var errSyntax = errors.New("strictjson: syntax")

type walker struct {
	dec *json.Decoder
}

// shape is what a place in the document takes, from its Go type.
type shape struct {
	kind   shapeKind
	typ    reflect.Type // the element type (arrays, maps) or struct type
	intNum bool         // a number must be an integer (for messages only)
}

type shapeKind int

const (
	skip          shapeKind = iota // anything: RawMessage, interfaces, Unmarshalers
	jsString                       // a JSON string
	jsNumber                       // a JSON number
	jsNumOrString                  // json.Number
	jsBool                         // true or false
	jsBytes                        // []byte: a base64 string or an array of numbers
	jsArray                        // a slice or array of typ
	jsMap                          // an object with any keys, values of typ
	jsStruct                       // an object with the fields of typ
)

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	numberType          = reflect.TypeFor[json.Number]()
)

// shapeOf returns what a value of type t takes; quoted is the ",string"
// option of its field.
func shapeOf(t reflect.Type, quoted bool) shape {
	for t != nil && t.Kind() == reflect.Pointer {
		if t.Implements(unmarshalerType) {
			return shape{kind: skip}
		}
		t = t.Elem()
	}
	if t == nil || t.Kind() == reflect.Interface {
		return shape{kind: skip}
	}
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return shape{kind: skip}
	}
	if t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return shape{kind: jsString}
	}
	if t == numberType {
		return shape{kind: jsNumOrString}
	}
	switch t.Kind() {
	case reflect.String:
		return shape{kind: jsString}
	case reflect.Bool:
		if quoted {
			return shape{kind: jsString}
		}
		return shape{kind: jsBool}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if quoted {
			return shape{kind: jsString}
		}
		return shape{kind: jsNumber, intNum: true}
	case reflect.Float32, reflect.Float64:
		if quoted {
			return shape{kind: jsString}
		}
		return shape{kind: jsNumber}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(unmarshalerType) &&
			!reflect.PointerTo(t.Elem()).Implements(textUnmarshalerType) {
			return shape{kind: jsBytes, typ: t.Elem()}
		}
		return shape{kind: jsArray, typ: t.Elem()}
	case reflect.Array:
		return shape{kind: jsArray, typ: t.Elem()}
	case reflect.Map:
		return shape{kind: jsMap, typ: t.Elem()}
	case reflect.Struct:
		return shape{kind: jsStruct, typ: t}
	}
	return shape{kind: skip} // channels, functions, complex numbers: the decoder refuses them
}

// want names the JSON kind a shape takes, for a Problem.
func (s shape) want() string {
	switch s.kind {
	case jsString, jsBytes:
		return "string"
	case jsNumber:
		if s.intNum {
			return "integer"
		}
		return "number"
	case jsNumOrString:
		return "number"
	case jsBool:
		return "boolean"
	case jsArray:
		return "array"
	}
	return "object"
}

// accepts reports whether a value starting with token tok fits the shape.
func (s shape) accepts(tok json.Token) bool {
	if tok == nil {
		return true // null leaves any value as it is
	}
	switch s.kind {
	case skip:
		return true
	case jsString:
		_, ok := tok.(string)
		return ok
	case jsNumber:
		_, ok := tok.(json.Number)
		return ok
	case jsNumOrString:
		switch tok.(type) {
		case json.Number, string:
			return true
		}
		return false
	case jsBool:
		_, ok := tok.(bool)
		return ok
	case jsBytes:
		_, ok := tok.(string)
		return ok || tok == json.Delim('[')
	case jsArray:
		return tok == json.Delim('[')
	}
	return tok == json.Delim('{') // maps and structs
}

// walk checks the next value of the document against s. A non-nil error
// means the document is not valid JSON from here on.
func (w *walker) walk(path string, depth int, s shape) (*Problem, error) {
	if s.kind == skip {
		var raw json.RawMessage
		if err := w.dec.Decode(&raw); err != nil {
			return nil, errSyntax
		}
		return nil, nil
	}
	if chain := s.keyless(); chain != nil {
		// Arrays of numbers and strings (model weights, say) hold no keys:
		// read them whole, much faster than token by token, and check the
		// kinds of their elements in the bytes.
		var raw json.RawMessage
		if err := w.dec.Decode(&raw); err != nil {
			return nil, errSyntax
		}
		if p, _ := scanKeyless(raw, skipSpace(raw, 0), depth, chain); p != nil {
			p.Path = path + p.Path
			return p, nil
		}
		return nil, nil
	}
	tok, err := w.dec.Token()
	if err != nil {
		return nil, errSyntax
	}
	if !s.accepts(tok) {
		got, text := describe(tok)
		return &Problem{Kind: WrongType, Path: path, Token: text, Want: s.want(), Got: got}, nil
	}
	d, isDelim := tok.(json.Delim)
	if !isDelim {
		return nil, nil // a scalar, or null
	}
	if depth >= MaxDepth {
		return &Problem{Kind: TooDeep, Path: path}, nil
	}
	switch d {
	case '[':
		elem := shapeOf(s.typ, false)
		for i := 0; w.dec.More(); i++ {
			if p, err := w.walk(path+"["+strconv.Itoa(i)+"]", depth+1, elem); p != nil || err != nil {
				return p, err
			}
		}
	case '{':
		var fields map[string]field
		var elem shape
		if s.kind == jsStruct {
			fields = fieldsOf(s.typ)
		} else {
			elem = shapeOf(s.typ, false)
		}
		seen := map[string]bool{}
		for w.dec.More() {
			t, err := w.dec.Token()
			if err != nil {
				return nil, errSyntax
			}
			key, ok := t.(string)
			if !ok {
				return nil, errSyntax
			}
			at := join(path, key)
			if seen[key] {
				return &Problem{Kind: Duplicate, Path: at, Token: shorten(key)}, nil
			}
			seen[key] = true
			vs := elem
			if fields != nil {
				f, ok := fields[key]
				if !ok {
					return &Problem{Kind: UnknownField, Path: at, Token: shorten(key)}, nil
				}
				vs = shapeOf(f.typ, f.quoted)
			}
			if p, err := w.walk(at, depth+1, vs); p != nil || err != nil {
				return p, err
			}
		}
	default:
		return nil, errSyntax // a closing delimiter where a value should be
	}
	if _, err := w.dec.Token(); err != nil { // the closing ] or }
		return nil, errSyntax
	}
	return nil, nil
}

// keyless returns, for an array whose elements, however deeply nested in
// arrays, are strings, numbers or booleans (no keys to check), the shapes
// from s down to those elements; for any other shape, nil.
func (s shape) keyless() []shape {
	chain := []shape{s}
	for range MaxDepth + 1 {
		if s.kind != jsArray {
			return nil
		}
		s = shapeOf(s.typ, false)
		chain = append(chain, s)
		switch s.kind {
		case jsString, jsNumber, jsNumOrString, jsBool:
			return chain
		}
	}
	return nil
}

// scanKeyless checks the value at raw[pos:] against chain[0], a keyless
// shape or its scalar elements, and returns the position after it. raw
// is one valid JSON value, as the decoder read it. The path of a problem
// is relative to the value ("[1][2]").
func scanKeyless(raw []byte, pos int, depth int, chain []shape) (*Problem, int) {
	if pos >= len(raw) {
		return nil, pos
	}
	s := chain[0]
	end := valueEnd(raw, pos)
	if !s.acceptsByte(raw[pos]) {
		got, text := describe(tokenAt(raw[pos:end]))
		return &Problem{Kind: WrongType, Token: text, Want: s.want(), Got: got}, end
	}
	if raw[pos] != '[' {
		return nil, end
	}
	if depth >= MaxDepth {
		return &Problem{Kind: TooDeep}, end
	}
	pos = skipSpace(raw, pos+1)
	for i := 0; pos < len(raw) && raw[pos] != ']'; i++ {
		p, next := scanKeyless(raw, pos, depth+1, chain[1:])
		if p != nil {
			p.Path = "[" + strconv.Itoa(i) + "]" + p.Path
			return p, end
		}
		pos = skipSpace(raw, next)
		if pos < len(raw) && raw[pos] == ',' {
			pos = skipSpace(raw, pos+1)
		}
	}
	return nil, end
}

// acceptsByte is accepts for a value starting with byte c, without
// building its token.
func (s shape) acceptsByte(c byte) bool {
	switch c {
	case '[', '{':
		return s.accepts(json.Delim(c))
	case '"':
		return s.accepts("")
	case 't', 'f':
		return s.accepts(true)
	case 'n':
		return true
	}
	return s.accepts(json.Number(""))
}

// tokenAt returns the token a valid JSON value starts with, as
// json.Decoder.Token would (strings unquoted, numbers as json.Number).
func tokenAt(v []byte) json.Token {
	switch v[0] {
	case '[', '{':
		return json.Delim(v[0])
	case '"':
		var str string
		_ = json.Unmarshal(v, &str)
		return str
	case 't':
		return true
	case 'f':
		return false
	case 'n':
		return nil
	}
	return json.Number(v)
}

// valueEnd returns the position after the valid JSON value at raw[pos:].
func valueEnd(raw []byte, pos int) int {
	switch raw[pos] {
	case '"':
		for i := pos + 1; i < len(raw); i++ {
			switch raw[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return len(raw)
	case '[', '{':
		nest := 0
		for i := pos; i < len(raw); i++ {
			switch raw[i] {
			case '"':
				i = valueEnd(raw, i) - 1
			case '[', '{':
				nest++
			case ']', '}':
				if nest--; nest == 0 {
					return i + 1
				}
			}
		}
		return len(raw)
	}
	i := pos
	for i < len(raw) && !strings.ContainsRune(",]} \t\r\n", rune(raw[i])) {
		i++
	}
	return i
}

// skipSpace returns the position of the first byte at or after pos that
// is not JSON white space.
func skipSpace(raw []byte, pos int) int {
	for pos < len(raw) && (raw[pos] == ' ' || raw[pos] == '\t' || raw[pos] == '\r' || raw[pos] == '\n') {
		pos++
	}
	return pos
}

// join appends a key to a path.
func join(path, key string) string {
	key = shorten(key)
	if path == "" {
		return key
	}
	return path + "." + key
}

// describe names the JSON kind of a token and quotes its text.
func describe(tok json.Token) (kind, text string) {
	switch v := tok.(type) {
	case string:
		return "string", shorten(v)
	case json.Number:
		return "number", shorten(string(v))
	case bool:
		return "boolean", strconv.FormatBool(v)
	case json.Delim:
		if v == '[' {
			return "array", "["
		}
		return "object", "{"
	}
	return "null", "null"
}

// shorten cuts s to at most maxToken bytes on a rune boundary.
func shorten(s string) string {
	if len(s) <= maxToken {
		return s
	}
	cut := maxToken
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// field is a struct field as encoding/json sees it.
type field struct {
	typ    reflect.Type
	quoted bool // the ",string" option
}

var fieldCache sync.Map // reflect.Type → map[string]field

// fieldsOf returns the fields of struct type t by their exact JSON names.
func fieldsOf(t reflect.Type) map[string]field {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]field)
	}
	f, _ := fieldCache.LoadOrStore(t, typeFields(t))
	return f.(map[string]field)
}

// candidate is a field found at some depth of embedding.
type candidate struct {
	name   string
	tagged bool
	depth  int
	field  field
}

// typeFields follows encoding/json's rules: exported fields by their tag
// name or Go name, "-" left out, the fields of untagged embedded structs
// promoted, and of several fields with one name the shallowest wins, then
// the only tagged one; otherwise the name is ambiguous and left out.
func typeFields(t reflect.Type) map[string]field {
	var found []candidate
	level := []reflect.Type{t}
	visited := map[reflect.Type]bool{}
	for depth := 0; len(level) > 0; depth++ {
		var next []reflect.Type
		for _, st := range level {
			if visited[st] {
				continue
			}
			visited[st] = true
			for i := 0; i < st.NumField(); i++ {
				sf := st.Field(i)
				if sf.Anonymous {
					et := sf.Type
					if et.Kind() == reflect.Pointer {
						et = et.Elem()
					}
					if !sf.IsExported() && et.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTag(name) {
					name = ""
				}
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, ft)
					continue
				}
				quoted := false
				if hasOption(opts, "string") {
					switch ft.Kind() {
					case reflect.Bool, reflect.String,
						reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
						reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
						reflect.Float32, reflect.Float64:
						quoted = true
					}
				}
				c := candidate{name: name, tagged: name != "", depth: depth, field: field{typ: sf.Type, quoted: quoted}}
				if c.name == "" {
					c.name = sf.Name
				}
				found = append(found, c)
			}
		}
		level = next
	}
	byName := map[string][]candidate{}
	for _, c := range found {
		byName[c.name] = append(byName[c.name], c)
	}
	out := make(map[string]field, len(byName))
	for name, cs := range byName {
		if f, ok := dominant(cs); ok {
			out[name] = f
		}
	}
	return out
}

// dominant picks the field that wins among fields of one name.
func dominant(cs []candidate) (field, bool) {
	top := cs[0].depth
	for _, c := range cs {
		top = min(top, c.depth)
	}
	var at []candidate
	for _, c := range cs {
		if c.depth == top {
			at = append(at, c)
		}
	}
	if len(at) == 1 {
		return at[0].field, true
	}
	var tagged []candidate
	for _, c := range at {
		if c.tagged {
			tagged = append(tagged, c)
		}
	}
	if len(tagged) == 1 {
		return tagged[0].field, true
	}
	return field{}, false
}

func hasOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}

// validTag reports whether name may be a JSON field name, as encoding/json
// decides (otherwise the Go name is used).
func validTag(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
