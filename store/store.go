package store

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/internal/lang"
)

// The error kinds of the contract. Match them with errors.Is.
var (
	ErrNotFound  = errors.New("store: not found")
	ErrConflict  = errors.New("store: version conflict")
	ErrDuplicate = errors.New("store: duplicate")
)

// Error is a contract error with the record it concerns. It matches its
// Kind with errors.Is.
type Error struct {
	Kind   error  // ErrNotFound, ErrConflict or ErrDuplicate
	Entity string // what kind of record: "client", "interaction", ...
	Key    string // the id or unique value concerned
	Field  string // for ErrDuplicate: the unique key that is taken ("inn", "id")
}

// NotFound returns an ErrNotFound error for the entity and key.
func NotFound(entity, key string) *Error {
	return &Error{Kind: ErrNotFound, Entity: entity, Key: key}
}

// Conflict returns an ErrConflict error for the entity and key.
func Conflict(entity, key string) *Error {
	return &Error{Kind: ErrConflict, Entity: entity, Key: key}
}

// Duplicate returns an ErrDuplicate error: field of entity already holds key.
func Duplicate(entity, field, key string) *Error {
	return &Error{Kind: ErrDuplicate, Entity: entity, Field: field, Key: key}
}

func (e *Error) Error() string { return e.Message("en") }

// Unwrap returns the kind, so errors.Is(err, store.ErrNotFound) works.
func (e *Error) Unwrap() error { return e.Kind }

// Code returns a stable code: "not_found", "conflict" or "duplicate".
func (e *Error) Code() string {
	switch e.Kind {
	case ErrNotFound:
		return "not_found"
	case ErrConflict:
		return "conflict"
	case ErrDuplicate:
		return "duplicate"
	}
	return "store_error"
}

// Message returns the message in the language of tag ("en" or "ru").
func (e *Error) Message(tag string) string {
	switch e.Kind {
	case ErrNotFound:
		return lang.Pick(tag,
			fmt.Sprintf("store: %s %s not found", e.Entity, e.Key),
			fmt.Sprintf("store: %s %s не найден", e.Entity, e.Key))
	case ErrConflict:
		return lang.Pick(tag,
			fmt.Sprintf("store: %s %s was changed by someone else; read it again", e.Entity, e.Key),
			fmt.Sprintf("store: %s %s изменён другим пользователем; прочитайте заново", e.Entity, e.Key))
	case ErrDuplicate:
		return lang.Pick(tag,
			fmt.Sprintf("store: %s with %s %q already exists", e.Entity, e.Field, e.Key),
			fmt.Sprintf("store: %s с %s %q уже существует", e.Entity, e.Field, e.Key))
	}
	return fmt.Sprintf("store: %s %s: %v", e.Entity, e.Key, e.Kind)
}

// Version counts the writes of a record, for optimistic concurrency. A
// record that was never stored has NoVersion; the first write stores
// version 1, and each update the next.
type Version int64

// NoVersion is the version of a record that has not been stored yet.
const NoVersion Version = 0

// Next returns the version a successful write stores.
func (v Version) Next() Version { return v + 1 }

// Order is the direction of a listing.
type Order uint8

// Listing directions. Ascending (oldest first) is the zero value.
const (
	Ascending Order = iota
	Descending
)

// String returns "asc" or "desc".
func (o Order) String() string {
	if o == Descending {
		return "desc"
	}
	return "asc"
}

// Cursor is a position in a listing: the sort key of the last record the
// caller has seen. The zero Cursor is the start. Listings sorted by id
// leave At zero; timelines use both.
type Cursor struct {
	At time.Time
	ID uuid.UUID
}

// IsZero reports whether c is the start of a listing.
func (c Cursor) IsZero() bool { return c.At.IsZero() && c.ID == uuid.Nil }

// After reports whether the key (at, id) lies after c in order o: the
// comparison every keyset listing makes. Times compare first, then ids
// byte by byte.
func (c Cursor) After(at time.Time, id uuid.UUID, o Order) bool {
	if c.IsZero() {
		return true
	}
	d := CompareKeys(at, id, c.At, c.ID)
	if o == Descending {
		return d < 0
	}
	return d > 0
}

// CompareKeys orders two listing keys: by time, then by id bytes.
func CompareKeys(at1 time.Time, id1 uuid.UUID, at2 time.Time, id2 uuid.UUID) int {
	if d := at1.Compare(at2); d != 0 {
		return d
	}
	return strings.Compare(string(id1[:]), string(id2[:]))
}

// String encodes the cursor for a host's API as "<unix seconds>.<nine
// digits of nanoseconds>_<id>" ("0_<id>" when the cursor has no time), or
// "" for the zero Cursor. Every instant round-trips through ParseCursor,
// the Unix epoch and times outside 1678–2262 included.
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	if c.At.IsZero() {
		return "0_" + c.ID.String()
	}
	var b []byte
	b = strconv.AppendInt(b, c.At.Unix(), 10)
	nanos := strconv.Itoa(c.At.Nanosecond())
	b = append(b, ".000000000"[:10-len(nanos)]...)
	b = append(b, nanos...)
	return string(b) + "_" + c.ID.String()
}

// MarshalText encodes the cursor as String does.
func (c Cursor) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText decodes what MarshalText wrote.
func (c *Cursor) UnmarshalText(text []byte) error {
	parsed, err := ParseCursor(string(text))
	if err != nil {
		return err
	}
	*c = parsed
	return nil
}

// ErrInvalidCursor reports a cursor string that ParseCursor cannot read.
var ErrInvalidCursor = errors.New("store: invalid cursor")

// ParseCursor reads a cursor written by Cursor.String. Times come back in
// UTC. The form of earlier versions, "<unix nanoseconds>_<id>", is still
// read.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	bad := func() (Cursor, error) { return Cursor{}, fmt.Errorf("%w: %.40q", ErrInvalidCursor, s) }
	atText, idText, ok := strings.Cut(s, "_")
	if !ok {
		return bad()
	}
	id, err := uuid.Parse(idText)
	if err != nil || len(idText) != 36 {
		return bad()
	}
	c := Cursor{ID: id}
	secText, nanoText, dotted := strings.Cut(atText, ".")
	if !dotted {
		nanos, err := strconv.ParseInt(atText, 10, 64)
		if err != nil {
			return bad()
		}
		if nanos != 0 {
			c.At = time.Unix(0, nanos).UTC()
		}
		return c, nil
	}
	secs, err := strconv.ParseInt(secText, 10, 64)
	if err != nil || len(nanoText) != 9 || strings.IndexFunc(nanoText, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return bad()
	}
	nanos, _ := strconv.Atoi(nanoText)
	c.At = time.Unix(secs, int64(nanos)).UTC()
	return c, nil
}

// Page selects a slice of a listing: the records after After, in Order,
// at most Limit of them (0 means no limit; the sequence is lazy, so a
// caller may also just stop early).
type Page struct {
	After Cursor
	Order Order
	Limit int
}

// Collect drains a listing into a slice, stopping at the first error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Fail returns a listing that yields only err: what a store method
// returns when it cannot start a listing (a bad filter, a closed store).
func Fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
