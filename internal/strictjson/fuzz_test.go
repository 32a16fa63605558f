package strictjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/crmkit/crmkit/internal/strictjson"
)

// FuzzCheck checks that Check terminates on any input, that its problems
// are well formed, that what it accepts encoding/json never refuses for
// an unknown field or a JSON kind it checks, and that what encoding/json
// writes back Check accepts.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, `[]`, ``, `{`, `}`, `]`, `[`, `{"name":"a","name":"b"}`, `{"NAME":1}`,
		`{"items":[{"sku":"x","points":"1"},{"sku":"y"}]}`, `{"labels":{"a":"1","a":"2"}}`,
		`{"raw":{"x":[1,2,{"y":null}]},"any":[{"a":1,"a":2}]}`, `{"num":"1.5","quoted":"3"}`,
		`{"list":{"value":1,"next":{"value":2,"next":{"value":3}}}}`, `{"matrix":[[1,2],[3,4]]}`,
		`{"shared":"s","deep":1,"extra":2,"hidden":"h"}`, `{"bytes":"AAE=","when":"2026-01-01T00:00:00Z"}`,
		`{"name":"a"} trailing`, `{"name":"a",}`, `{1:2}`, `{"a" "b"}`, `[1,]`, `{"items":[}`,
		`{"list":` + strings.Repeat(`{"next":`, 40) + `null` + strings.Repeat(`}`, 41),
		`{"matrix":` + strings.Repeat(`[`, 50) + strings.Repeat(`]`, 50) + `}`,
		`{"raw":` + strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000) + `}`,
		`{"nested":{"k":[{"sku":"a","sku":"b"}]}}`, `{"ptrs":[null,{"points":"1"}]}`, `{"Plain":"y","Secret":"z"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := strictjson.Check(data, docType)
		if p != nil {
			if p.Kind < strictjson.Duplicate || p.Kind > strictjson.TooDeep || p.Error() == "" {
				t.Fatalf("malformed problem %+v", p)
			}
			if (p.Kind == strictjson.Duplicate || p.Kind == strictjson.UnknownField) && !strings.HasSuffix(p.Path, p.Token) {
				t.Fatalf("a key problem whose path does not end with the key: %+v", p)
			}
			if p.Kind == strictjson.WrongType && (p.Want == "" || p.Got == "") {
				t.Fatalf("a type problem without kinds: %+v", p)
			}
			return
		}
		var d doc
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		err := dec.Decode(&d)
		if err != nil {
			if strings.Contains(err.Error(), "unknown field") {
				t.Fatalf("Check accepted %q, the decoder says %v", data, err)
			}
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && !strings.HasPrefix(te.Value, "number") && te.Type.String() != "time.Time" {
				t.Fatalf("Check accepted %q, the decoder says %v", data, err)
			}
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			return // a time out of range, say
		}
		if p := strictjson.Check(out, docType); p != nil {
			t.Fatalf("Check refuses what encoding/json wrote: %s: %v", out, p)
		}
	})
}
