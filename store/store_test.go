package store

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorKinds(t *testing.T) {
	cases := []struct {
		err  *Error
		kind error
		code string
	}{
		{NotFound("client", "42"), ErrNotFound, "not_found"},
		{Conflict("client", "42"), ErrConflict, "conflict"},
		{Duplicate("client", "inn", "7707083893"), ErrDuplicate, "duplicate"},
	}
	for _, tc := range cases {
		wrapped := fmt.Errorf("crm: create: %w", tc.err)
		assert.ErrorIs(t, wrapped, tc.kind)
		for _, other := range []error{ErrNotFound, ErrConflict, ErrDuplicate} {
			if other != tc.kind {
				assert.NotErrorIs(t, wrapped, other)
			}
		}
		var se *Error
		require.True(t, errors.As(wrapped, &se))
		assert.Equal(t, tc.code, se.Code())
		assert.NotEqual(t, se.Message("en"), se.Message("ru"))
		assert.Contains(t, se.Error(), se.Key)
	}
	assert.Contains(t, Duplicate("client", "inn", "7707083893").Error(), "7707083893")
}

func TestVersion(t *testing.T) {
	assert.Equal(t, Version(1), NoVersion.Next())
	assert.Equal(t, Version(8), Version(7).Next())
}

func TestCursor(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 123456000, time.UTC)
	id := uuid.MustParse("01900000-0000-7000-8000-000000000001")
	cases := []Cursor{{}, {ID: id}, {At: at, ID: id}}
	for _, c := range cases {
		back, err := ParseCursor(c.String())
		require.NoError(t, err)
		assert.True(t, back.At.Equal(c.At))
		assert.Equal(t, c.ID, back.ID)
		text, err := c.MarshalText()
		require.NoError(t, err)
		var u Cursor
		require.NoError(t, u.UnmarshalText(text))
		assert.Equal(t, c.ID, u.ID)
	}
	// Every instant comes back, the epoch and times that do not fit in
	// int64 nanoseconds included, and the cursor's own record is never
	// after it.
	for _, at := range []time.Time{
		time.Unix(0, 0).UTC(),
		time.Unix(-1, 999_999_999).UTC(),
		time.Date(2300, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.FixedZone("MSK", 3*3600)),
	} {
		c := Cursor{At: at, ID: id}
		back, err := ParseCursor(c.String())
		require.NoError(t, err, c.String())
		assert.True(t, back.At.Equal(at), "cursor at %s came back at %s", at, back.At)
		assert.False(t, back.After(at, id, Ascending), "the record at %s is after its own cursor", at)
	}
	// Cursors written by earlier versions (unix nanoseconds) still read.
	old, err := ParseCursor("1777629600123456000_" + id.String())
	require.NoError(t, err)
	assert.True(t, old.At.Equal(at))
	old, err = ParseCursor("0_" + id.String())
	require.NoError(t, err)
	assert.True(t, old.At.IsZero())

	for _, bad := range []string{"x", "1_", "_" + id.String(), "abc_" + id.String(), "1_not-a-uuid", "1_{" + id.String() + "}",
		"1.5_" + id.String(), "1.12345678a_" + id.String(), "1.-12345678_" + id.String(), "x.123456789_" + id.String(), "1.1234567890_" + id.String()} {
		_, err := ParseCursor(bad)
		assert.ErrorIs(t, err, ErrInvalidCursor, bad)
	}

	later := uuid.MustParse("01900000-0000-7000-8000-000000000002")
	c := Cursor{At: at, ID: id}
	assert.True(t, c.After(at, later, Ascending))
	assert.False(t, c.After(at, id, Ascending), "the cursor's own record is not after it")
	assert.True(t, c.After(at.Add(time.Second), uuid.Nil, Ascending))
	assert.False(t, c.After(at.Add(-time.Second), later, Ascending))
	assert.True(t, c.After(at.Add(-time.Second), later, Descending))
	assert.False(t, c.After(at, later, Descending))
	assert.True(t, Cursor{}.After(at, id, Descending), "the zero cursor is the start")
	assert.Equal(t, "asc", Ascending.String())
	assert.Equal(t, "desc", Descending.String())
}

func TestCollectAndFail(t *testing.T) {
	seq := func(yield func(int, error) bool) {
		for i := range 3 {
			if !yield(i, nil) {
				return
			}
		}
		yield(0, ErrConflict)
	}
	got, err := Collect(seq)
	assert.ErrorIs(t, err, ErrConflict)
	assert.Equal(t, []int{0, 1, 2}, got)

	got, err = Collect(Fail[int](ErrNotFound))
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Empty(t, got)
}
