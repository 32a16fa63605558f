// Package strictjson finds what encoding/json lets through silently when
// a document is decoded strictly into a wire struct.
//
// Even with DisallowUnknownFields, encoding/json keeps the last of two
// equal keys and matches keys to fields case-insensitively, so
// {"expiry_days":30,"expiry_days":0} or {"percent":"10","PERCENT":"90"}
// decode with the last value winning. Check walks the document token by
// token, guided by the json tags of the wire type, before the real
// decode, and reports the first key given twice, the first key that is
// not exactly the JSON name of a field, the first value of the wrong JSON
// kind and nesting deeper than MaxDepth, each with its JSON path
// ("earn.per_sku[0].points").
//
// Syntax errors, trailing data, numbers that do not fit and everything
// else encoding/json reports itself are left to the decoder: Check
// returns nil for them, so the caller decodes afterwards as before and
// maps a *Problem to its own typed error.
package strictjson
