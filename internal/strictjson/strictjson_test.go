package strictjson_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/internal/strictjson"
)

type Base struct {
	Shared string `json:"shared"`
	Deep   string `json:"deep"`
}

type Other struct {
	Extra int `json:"extra"`
}

type inner struct {
	Hidden string `json:"hidden"`
}

type Node struct {
	Value int   `json:"value"`
	Next  *Node `json:"next,omitempty"`
}

type item struct {
	SKU    string `json:"sku"`
	Points string `json:"points"`
}

type doc struct {
	Base
	*Other
	inner
	Deep    int                `json:"deep"` // shadows Base.Deep
	Name    string             `json:"name"`
	Count   int                `json:"count,omitempty"`
	Rate    float64            `json:"rate"`
	On      bool               `json:"on"`
	Opt     *string            `json:"opt"`
	Items   []item             `json:"items"`
	Pair    [2]int             `json:"pair"`
	Labels  map[string]string  `json:"labels"`
	ByCode  map[string]item    `json:"by_code"`
	Raw     json.RawMessage    `json:"raw"`
	Num     json.Number        `json:"num"`
	Any     any                `json:"any"`
	Quoted  int64              `json:"quoted,string"`
	Bytes   []byte             `json:"bytes"`
	When    time.Time          `json:"when"`
	Secret  string             `json:"-"`
	Plain   string             // no tag: its Go name
	List    *Node              `json:"list"`
	Matrix  [][]float64        `json:"matrix"`
	Nested  map[string][]item  `json:"nested"`
	Ptrs    []*item            `json:"ptrs"`
	Weights map[string]float64 `json:"weights"`
}

var docType = reflect.TypeFor[doc]()

func TestCheckAcceptsValidDocuments(t *testing.T) {
	for name, in := range map[string]string{
		"empty":          `{}`,
		"null":           `null`,
		"everything":     `{"name":"a","count":3,"rate":1.5,"on":true,"opt":null,"items":[{"sku":"x","points":"1"}],"pair":[1,2],"labels":{"A":"b","a":"c"},"by_code":{"X":{"sku":"x"}},"raw":{"any":"thing","any":1},"num":"12","any":{"k":1,"k":2},"quoted":"7","bytes":"AAE=","when":"2026-01-01T00:00:00Z","Plain":"p","list":{"value":1,"next":{"value":2}},"matrix":[[1,2],[3]],"nested":{"k":[{"sku":"y"}]},"ptrs":[null,{"sku":"z"}],"weights":{"w":0.5}}`,
		"promoted":       `{"shared":"s","deep":3,"extra":1,"hidden":"h"}`,
		"number as num":  `{"num":12.5}`,
		"bytes as array": `{"bytes":[0,1]}`,
		"nulls anywhere": `{"name":null,"count":null,"items":null,"labels":null,"on":null,"pair":[null,1]}`,
		"spaces":         " {\n \"name\" : \"a\" } ",
		"escaped key":    `{"n\u0061me":"a"}`,
	} {
		t.Run(name, func(t *testing.T) {
			assert.Nil(t, strictjson.Check([]byte(in), docType))
			var d doc
			dec := json.NewDecoder(strings.NewReader(in))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&d))
		})
	}
}

func TestCheckRefuses(t *testing.T) {
	cases := []struct {
		name, in string
		kind     strictjson.Kind
		path     string
		token    string
	}{
		{"duplicate key", `{"name":"a","name":"b"}`, strictjson.Duplicate, "name", "name"},
		{"duplicate after escaping", `{"name":"a","n\u0061me":"b"}`, strictjson.Duplicate, "name", "name"},
		{"duplicate in an array element", `{"items":[{},{"sku":"a","points":"1","sku":"b"}]}`, strictjson.Duplicate, "items[1].sku", "sku"},
		{"duplicate map key", `{"labels":{"a":"1","a":"2"}}`, strictjson.Duplicate, "labels.a", "a"},
		{"duplicate promoted key", `{"shared":"a","shared":"b"}`, strictjson.Duplicate, "shared", "shared"},
		{"case variant", `{"NAME":"a"}`, strictjson.UnknownField, "NAME", "NAME"},
		{"case variant after the key", `{"name":"a","Name":"b"}`, strictjson.UnknownField, "Name", "Name"},
		{"kelvin sign folds to k", `{"list":{"value":1,"next":{"\u212aey":1}}}`, strictjson.UnknownField, "list.next.\u212aey", "\u212aey"},
		{"unknown field", `{"colour":"red"}`, strictjson.UnknownField, "colour", "colour"},
		{"field tagged -", `{"Secret":"s"}`, strictjson.UnknownField, "Secret", "Secret"},
		{"unexported embedded type name", `{"inner":{}}`, strictjson.UnknownField, "inner", "inner"},
		{"plain field in lower case", `{"plain":"p"}`, strictjson.UnknownField, "plain", "plain"},
		{"unknown nested", `{"by_code":{"k":{"SKU":"x"}}}`, strictjson.UnknownField, "by_code.k.SKU", "SKU"},
		{"number for string", `{"name":5}`, strictjson.WrongType, "name", "5"},
		{"string for integer", `{"count":"5"}`, strictjson.WrongType, "count", "5"},
		{"object for string", `{"items":[{"points":{}}]}`, strictjson.WrongType, "items[0].points", "{"},
		{"string for bool", `{"on":"true"}`, strictjson.WrongType, "on", "true"},
		{"object for array", `{"items":{}}`, strictjson.WrongType, "items", "{"},
		{"array for struct", `{"list":[]}`, strictjson.WrongType, "list", "["},
		{"number for quoted", `{"quoted":7}`, strictjson.WrongType, "quoted", "7"},
		{"bool for json.Number", `{"num":true}`, strictjson.WrongType, "num", "true"},
		{"top level array", `[]`, strictjson.WrongType, "", "["},
		{"inner matrix", `{"matrix":[[1,"2"]]}`, strictjson.WrongType, "matrix[0][1]", "2"},
		{"too deep", `{"list":` + strings.Repeat(`{"next":`, 40) + `null` + strings.Repeat(`}`, 41), strictjson.TooDeep, "list" + strings.Repeat(".next", 31), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := strictjson.Check([]byte(c.in), docType)
			require.NotNil(t, p)
			assert.Equal(t, c.kind, p.Kind, p.Error())
			assert.Equal(t, c.path, p.Path, p.Error())
			assert.Equal(t, c.token, p.Token, p.Error())
			assert.NotEmpty(t, p.Error())
		})
	}
}

func TestCheckWrongTypeNamesKinds(t *testing.T) {
	p := strictjson.Check([]byte(`{"count":"5"}`), docType)
	require.NotNil(t, p)
	assert.Equal(t, "integer", p.Want)
	assert.Equal(t, "string", p.Got)
	p = strictjson.Check([]byte(`{"rate":false}`), docType)
	require.NotNil(t, p)
	assert.Equal(t, "number", p.Want)
	assert.Equal(t, "boolean", p.Got)
}

// Syntax errors are the decoder's: Check returns nil and does not loop.
func TestCheckLeavesSyntaxErrorsToTheDecoder(t *testing.T) {
	for _, in := range []string{``, `{`, `{"name"`, `{"name":}`, `{"name":"a",}`, `{1:2}`, `{"pair":[1,]}`, `}`, `]`, `{"items":[}`, `{"raw":{]}`, `"unterminated`, `{"name" "b"}`, `{"name":"a"]`} {
		assert.Nil(t, strictjson.Check([]byte(in), docType), in)
	}
}

// A problem before a syntax error is still reported.
func TestCheckReportsAProblemBeforeASyntaxError(t *testing.T) {
	p := strictjson.Check([]byte(`{"name":"a","name":"b",`), docType)
	require.NotNil(t, p)
	assert.Equal(t, strictjson.Duplicate, p.Kind)
}

// Only the first value is checked; trailing data is the decoder's.
func TestCheckStopsAfterTheFirstValue(t *testing.T) {
	assert.Nil(t, strictjson.Check([]byte(`{"name":"a"} {"name":1,"name":2}`), docType))
}

func TestCheckShortensLongKeys(t *testing.T) {
	key := strings.Repeat("ж", 100)
	p := strictjson.Check([]byte(`{"`+key+`":1}`), docType)
	require.NotNil(t, p)
	assert.LessOrEqual(t, len(p.Token), 64+len("…"))
	assert.Equal(t, p.Token, p.Path)
	assert.True(t, strings.HasSuffix(p.Token, "…"))
}

func TestCheckSkipsOpaqueTypes(t *testing.T) {
	assert.Nil(t, strictjson.Check([]byte(`{"a":1,"a":2}`), reflect.TypeFor[json.RawMessage]()))
	assert.Nil(t, strictjson.Check([]byte(`{"a":1,"a":2}`), reflect.TypeFor[any]()))
	assert.Nil(t, strictjson.Check([]byte(`{"a":1,"a":2}`), nil))
	assert.Nil(t, strictjson.Check([]byte(`{"when":5}`), docType), "time.Time has its own UnmarshalJSON")
	p := strictjson.Check([]byte(`{"a":1,"a":2}`), reflect.TypeFor[map[string]int]())
	require.NotNil(t, p)
	assert.Equal(t, strictjson.Duplicate, p.Kind)
	assert.Nil(t, strictjson.Check([]byte(`{"a":1,"A":2}`), reflect.TypeFor[*map[string]int]()))
}

// Of two promoted fields with one name at the same depth, neither is a
// field (as encoding/json decides).
type ambiguous struct {
	A
	B
}

// A is embedded in ambiguous.
type A struct {
	X int
}

// B is embedded in ambiguous.
type B struct {
	X int
}

func TestCheckAmbiguousPromotedField(t *testing.T) {
	p := strictjson.Check([]byte(`{"X":1}`), reflect.TypeFor[ambiguous]())
	require.NotNil(t, p)
	assert.Equal(t, strictjson.UnknownField, p.Kind)
	var v ambiguous
	dec := json.NewDecoder(strings.NewReader(`{"X":1}`))
	dec.DisallowUnknownFields()
	assert.Error(t, dec.Decode(&v), "encoding/json agrees")
}

func TestKindString(t *testing.T) {
	assert.Equal(t, "duplicate", strictjson.Duplicate.String())
	assert.Equal(t, "unknown_field", strictjson.UnknownField.String())
	assert.Equal(t, "wrong_type", strictjson.WrongType.String())
	assert.Equal(t, "too_deep", strictjson.TooDeep.String())
	assert.Equal(t, "kind(9)", strictjson.Kind(9).String())
}

// Arrays of scalars are checked in their bytes; the paths and tokens are
// the same as token by token.
func TestCheckArraysOfScalars(t *testing.T) {
	cases := []struct {
		in    string
		typ   reflect.Type
		path  string
		token string
		want  string
	}{
		{`[1, 2 ,"x"]`, reflect.TypeFor[[]float64](), "[2]", "x", "number"},
		{`[[1],[2, {"a":1}]]`, reflect.TypeFor[[][]float64](), "[1][1]", "{", "number"},
		{`[[1],3]`, reflect.TypeFor[[][]float64](), "[1]", "3", "array"},
		{`["a\"],", "b\\", 5]`, reflect.TypeFor[[]string](), "[2]", "5", "string"},
		{`["a", ["b"]]`, reflect.TypeFor[[]string](), "[1]", "[", "string"},
		{`[true, null, 1]`, reflect.TypeFor[[]bool](), "[2]", "1", "boolean"},
		{`[1, "2", true]`, reflect.TypeFor[[]json.Number](), "[2]", "true", "number"},
		{`{"m":[[0.5,-1e3],[2,"\u0078"]]}`, reflect.TypeFor[map[string][][]float64](), "m[1][1]", "x", "number"},
		{`"x"`, reflect.TypeFor[[]int](), "", "x", "array"},
	}
	for _, c := range cases {
		p := strictjson.Check([]byte(c.in), c.typ)
		require.NotNil(t, p, c.in)
		assert.Equal(t, strictjson.WrongType, p.Kind, c.in)
		assert.Equal(t, c.path, p.Path, c.in)
		assert.Equal(t, c.token, p.Token, c.in)
		assert.Equal(t, c.want, p.Want, c.in)
	}
	for _, in := range []string{`[]`, `null`, `[[1, 2.5, -3e-2, null]]`, ` [ [ ] , [1] ] `, `[null,[]]`} {
		assert.Nil(t, strictjson.Check([]byte(in), reflect.TypeFor[[][]float64]()), in)
	}
	assert.Nil(t, strictjson.Check([]byte(`[1,`), reflect.TypeFor[[]float64]()), "a syntax error is the decoder's")
}
