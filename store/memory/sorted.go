package memory

import (
	"bytes"
	"slices"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/store"
)

// This file holds the sorted slices behind the listings: ids in byte order
// (the order of store.CompareKeys with no time), and records in (time, id)
// order.

func compareIDs(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

func compareCursors(a, b store.Cursor) int { return store.CompareKeys(a.At, a.ID, b.At, b.ID) }

func idCursor(id uuid.UUID) store.Cursor { return store.Cursor{ID: id} }

// addID inserts id into the sorted slice s unless it is there already.
// Ids are mostly time-ordered UUIDv7, so appending is the common case.
func addID(s []uuid.UUID, id uuid.UUID) []uuid.UUID {
	if n := len(s); n == 0 || compareIDs(s[n-1], id) < 0 {
		return append(s, id)
	}
	i, found := slices.BinarySearchFunc(s, id, compareIDs)
	if found {
		return s
	}
	return slices.Insert(s, i, id)
}

// removeID deletes id from the sorted slice s, if it is there.
func removeID(s []uuid.UUID, id uuid.UUID) []uuid.UUID {
	i, found := slices.BinarySearchFunc(s, id, compareIDs)
	if !found {
		return s
	}
	return slices.Delete(s, i, i+1)
}

// addToIndex adds id to the sorted list of key in m.
func addToIndex[K comparable](m map[K][]uuid.UUID, key K, id uuid.UUID) {
	m[key] = addID(m[key], id)
}

// removeFromIndex removes id from the list of key in m, dropping the key
// once its list is empty.
func removeFromIndex[K comparable](m map[K][]uuid.UUID, key K, id uuid.UUID) {
	ids := removeID(m[key], id)
	if len(ids) == 0 {
		delete(m, key)
		return
	}
	m[key] = ids
}

// insertSorted inserts e into s, which is sorted by key, at its place.
// Keys are unique (they end with the record id).
func insertSorted[E any](s []E, e E, key func(E) store.Cursor) []E {
	k := key(e)
	if n := len(s); n == 0 || compareCursors(key(s[n-1]), k) < 0 {
		return append(s, e)
	}
	i, _ := slices.BinarySearchFunc(s, k, func(x E, k store.Cursor) int { return compareCursors(key(x), k) })
	return slices.Insert(s, i, e)
}

// mergeSorted returns the elements of a and b, both sorted by key, in one
// sorted slice.
func mergeSorted[E any](a, b []E, key func(E) store.Cursor) []E {
	out := make([]E, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if compareCursors(key(a[0]), key(b[0])) <= 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// walk calls fn on the elements of s (sorted ascending by key) that lie
// after cur in order o, in that order, until fn returns false.
func walk[E any](s []E, key func(E) store.Cursor, cur store.Cursor, o store.Order, fn func(E) bool) {
	search := func() (int, bool) {
		return slices.BinarySearchFunc(s, cur, func(x E, c store.Cursor) int { return compareCursors(key(x), c) })
	}
	if o == store.Descending {
		end := len(s)
		if !cur.IsZero() {
			end, _ = search() // s[:end] lies before cur
		}
		for i := end - 1; i >= 0; i-- {
			if !fn(s[i]) {
				return
			}
		}
		return
	}
	start := 0
	if !cur.IsZero() {
		var found bool
		if start, found = search(); found {
			start++
		}
	}
	for i := start; i < len(s); i++ {
		if !fn(s[i]) {
			return
		}
	}
}

// candidateIDs returns up to n ids after cur in order o, drawn from the
// union of the sorted slices in sources, in that order.
func candidateIDs(sources [][]uuid.UUID, cur store.Cursor, o store.Order, n int) []uuid.UUID {
	out := make([]uuid.UUID, 0, n)
	for _, src := range sources {
		taken := 0
		walk(src, idCursor, cur, o, func(id uuid.UUID) bool {
			out = append(out, id)
			taken++
			return taken < n
		})
	}
	if len(sources) > 1 {
		if o == store.Descending {
			slices.SortFunc(out, func(a, b uuid.UUID) int { return compareIDs(b, a) })
		} else {
			slices.SortFunc(out, compareIDs)
		}
		out = slices.Compact(out)
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// sortedUnique returns a sorted copy of ids without repeats, or nil.
func sortedUnique(ids []uuid.UUID) []uuid.UUID {
	if len(ids) == 0 {
		return nil
	}
	out := slices.Clone(ids)
	slices.SortFunc(out, compareIDs)
	return slices.Compact(out)
}
