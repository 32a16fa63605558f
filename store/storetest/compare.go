package storetest

import (
	"reflect"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/money"
)

// Records are compared in a canonical form, so that a backend is not
// failed for representation choices the contract leaves open: instants in
// another time zone (or carrying a monotonic reading), an empty slice or
// map read back as nil, a decimal read back as 1.50 rather than 1.5.
// Client.Redacted is dropped: it describes one copy and is never stored.

var (
	timeType    = reflect.TypeFor[time.Time]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
	amountType  = reflect.TypeFor[money.Amount]()
)

// canonical returns a deep copy of v in canonical form. v itself is not
// changed.
func canonical[T any](v T) T {
	out := reflect.New(reflect.TypeFor[T]()).Elem()
	out.Set(reflect.ValueOf(&v).Elem())
	canonicalize(out)
	return out.Interface().(T)
}

// canonicalize rewrites the settable value v in place, copying every
// slice, map and pointer it meets so that the original shares nothing
// with the result.
func canonicalize(v reflect.Value) {
	switch v.Type() {
	case timeType:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			v.Set(reflect.ValueOf(time.Time{}))
		} else {
			v.Set(reflect.ValueOf(t.UTC()))
		}
		return
	case decimalType:
		v.Set(reflect.ValueOf(canonicalDecimal(v.Interface().(decimal.Decimal))))
		return
	case amountType:
		a := v.Interface().(money.Amount)
		if a.IsZero() && a.Currency().IsZero() {
			v.Set(reflect.ValueOf(money.Amount{}))
		} else if c, err := money.FromDecimal(canonicalDecimal(a.Decimal()), a.Currency()); err == nil {
			v.Set(reflect.ValueOf(c))
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				canonicalize(v.Field(i))
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			canonicalize(v.Index(i))
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(v.Elem())
		canonicalize(p.Elem())
		v.Set(p)
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(s, v)
		for i := range s.Len() {
			canonicalize(s.Index(i))
		}
		v.Set(s)
	case reflect.Map:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(iter.Value())
			canonicalize(e)
			m.SetMapIndex(iter.Key(), e)
		}
		v.Set(m)
	}
}

// canonicalDecimal gives equal decimals one representation.
func canonicalDecimal(d decimal.Decimal) decimal.Decimal {
	return decimal.RequireFromString(d.String())
}

// canonicalClient is canonical with Redacted dropped.
func canonicalClient(c crm.Client) crm.Client {
	c = canonical(c)
	c.Redacted = nil
	return c
}

// canonicalAll applies canonical to every record.
func canonicalAll[T any](records []T) []T {
	out := make([]T, len(records))
	for i, r := range records {
		out[i] = canonical(r)
	}
	return out
}

// sameClient asserts that got is want, in canonical form.
func sameClient(t assert.TestingT, want, got crm.Client, msgAndArgs ...any) bool {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	return assert.Equal(t, canonicalClient(want), canonicalClient(got), msgAndArgs...)
}

// same asserts that got is want, in canonical form.
func same[T any](t assert.TestingT, want, got T, msgAndArgs ...any) bool {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	return assert.Equal(t, canonical(want), canonical(got), msgAndArgs...)
}
