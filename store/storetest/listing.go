package storetest

import (
	"iter"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/store"
)

// iter2 is a listing of T.
type iter2[T any] = iter.Seq2[T, error]

// record is anything a listing yields: it knows its position.
type record interface{ Cursor() store.Cursor }

// position is a listing key usable as a map key.
type position struct {
	nanos int64
	id    uuid.UUID
}

func positionOf(c store.Cursor) position {
	p := position{id: c.ID}
	if !c.At.IsZero() {
		p.nanos = c.At.UnixNano()
	}
	return p
}

// describe prints a listing key for a failure message.
func describe(c store.Cursor) string {
	if c.At.IsZero() {
		return c.ID.String()
	}
	return c.At.UTC().Format(time.RFC3339Nano) + "/" + c.ID.String()
}

// maxPages bounds a paged read, so that a store that ignores the cursor
// fails instead of looping for ever.
const maxPages = 1000

// inOrder asserts that the records are strictly ordered by their keys in
// order o: the sort key is unique, so equal neighbours are a repeat.
func inOrder[T record](t *testing.T, records []T, o store.Order, sortKey string) bool {
	t.Helper()
	for i := 1; i < len(records); i++ {
		a, b := records[i-1].Cursor(), records[i].Cursor()
		d := store.CompareKeys(a.At, a.ID, b.At, b.ID)
		if (o == store.Ascending && d < 0) || (o == store.Descending && d > 0) {
			continue
		}
		return assert.Failf(t, "contract: listings are ordered by their sort key",
			"records %d (%s) and %d (%s) are not in strictly %s order of %s",
			i-1, describe(a), i, describe(b), o, sortKey)
	}
	return true
}

// resumesExactly checks that, resuming from each of the cursors, the
// listing yields exactly the records of all (the whole listing,
// ascending) that lie after the cursor, in order o, and that Limit cuts
// the same sequence short.
func resumesExactly[T record](t *testing.T, all []T, cursors []store.Cursor, list func(store.Page) iter.Seq2[T, error]) {
	t.Helper()
	for _, o := range []store.Order{store.Ascending, store.Descending} {
		for _, c := range cursors {
			want := []uuid.UUID{}
			for _, r := range all {
				k := r.Cursor()
				if c.After(k.At, k.ID, o) {
					want = append(want, k.ID)
				}
			}
			if o == store.Descending {
				slices.Reverse(want)
			}
			got, err := store.Collect(list(store.Page{After: c, Order: o}))
			require.NoError(t, err, "listing from a cursor failed")
			if !assert.Equal(t, want, idsOf(got),
				"contract: resuming from a cursor yields exactly the records after it — wrong records after cursor %s in %s order", describe(c), o) {
				return
			}
			got, err = store.Collect(list(store.Page{After: c, Order: o, Limit: 2}))
			require.NoError(t, err, "listing from a cursor with a limit failed")
			if !assert.Equal(t, want[:min(2, len(want))], idsOf(got),
				"contract: Limit caps a page — a page with Limit 2 after cursor %s in %s order is not the first 2 records after it", describe(c), o) {
				return
			}
		}
	}
}

// stopsEarly checks that a listing stops calling the loop body once the
// caller breaks out of it. (Go panics when an iterator goes on.)
func stopsEarly[T any](t *testing.T, seq iter.Seq2[T, error]) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			assert.Failf(t, "contract: a listing stops when the caller stops",
				"the listing went on after the loop broke: %v", r)
		}
	}()
	for _, err := range seq {
		require.NoError(t, err, "listing failed")
		break
	}
}

// failsOnce checks that a listing that cannot run yields its error once,
// with the zero record, and nothing else.
func failsOnce[T any](t *testing.T, seq iter.Seq2[T, error], want error, what string) {
	t.Helper()
	yields := 0
	for v, err := range seq {
		yields++
		if err == nil {
			assert.Failf(t, "contract: methods honour cancellation",
				"%s with a cancelled context yielded a record instead of an error", what)
			continue
		}
		assert.ErrorIsf(t, err, want,
			"contract: methods honour cancellation — %s with a cancelled context failed with an error that does not match %v", what, want)
		assert.Truef(t, reflect.ValueOf(&v).Elem().IsZero(),
			"contract: an error ends a listing and is yielded with the zero record — %s yielded a non-zero record with its error", what)
	}
	assert.Equalf(t, 1, yields,
		"contract: an error ends a listing, yielded once — %s with a cancelled context yielded %d times", what, yields)
}

// listPlan is a listing read page by page while another goroutine
// inserts records around the cursor.
type listPlan[T record] struct {
	sortKey string // what the listing is ordered by, for messages
	order   store.Order
	limit   int
	// before holds the keys of the records stored before the listing
	// starts: each must be listed exactly once.
	before []store.Cursor
	// list reads one page.
	list func(store.Page) iter.Seq2[T, error]
	// insert stores a few new records and returns their keys. It runs on
	// another goroutine, after page round has been read, concurrently
	// with the reading of the next page.
	insert func(round int) ([]store.Cursor, error)
}

// listUnderInserts reads the listing of p page by page, each page resuming
// from the last record's Cursor, while new records are inserted, and
// checks the contract of listings:
//   - every page holds at most Limit records;
//   - the records come in strictly increasing (or decreasing) key order;
//   - every record present before the listing started is listed exactly
//     once;
//   - no record is listed that nobody wrote;
//   - a record inserted before a page was requested, whose key lies after
//     that page's cursor, is listed.
func listUnderInserts[T record](t *testing.T, p listPlan[T]) {
	t.Helper()
	type batch struct {
		keys []store.Cursor
		err  error
	}
	type promise struct {
		key    store.Cursor
		cursor store.Cursor // the cursor of the first page requested after the key was stored
	}
	requests := make(chan int)
	done := make(chan batch)
	go func() {
		defer close(done)
		for round := range requests {
			keys, err := p.insert(round)
			done <- batch{keys, err}
		}
	}()
	inflight := false
	inserted := map[position]bool{}
	var promises []promise
	settle := func(cursor store.Cursor, promised bool) {
		b := <-done
		inflight = false
		require.NoError(t, b.err, "setup: inserting records during the listing failed")
		for _, key := range b.keys {
			inserted[positionOf(key)] = true
			if promised {
				promises = append(promises, promise{key, cursor})
			}
		}
	}
	defer func() {
		if inflight {
			<-done
		}
		close(requests)
		for range done {
		}
	}()

	// Insert while the records present at the start are being listed; a
	// listing that met new records for ever would never end.
	rounds := max(1, len(p.before)/p.limit)
	var got []T
	var cursor store.Cursor
	for page := 0; ; page++ {
		require.Lessf(t, page, maxPages,
			"contract: resuming from a cursor yields the records after it — the listing by %s did not end after %d pages", p.sortKey, maxPages)
		items, err := store.Collect(p.list(store.Page{After: cursor, Order: p.order, Limit: p.limit}))
		require.NoError(t, err, "listing a page failed")
		require.LessOrEqualf(t, len(items), p.limit,
			"contract: a page holds at most Limit records — got %d with Limit %d", len(items), p.limit)
		got = append(got, items...)
		if len(items) > 0 {
			cursor = items[len(items)-1].Cursor()
		}
		if inflight {
			// The batch ran while this page was read; the next page is
			// requested after it was stored.
			settle(cursor, len(items) > 0)
		}
		if len(items) == 0 {
			break
		}
		if page < rounds {
			requests <- page
			inflight = true
		}
	}
	if !inOrder(t, got, p.order, p.sortKey) {
		return
	}
	seen := map[position]int{}
	for _, r := range got {
		seen[positionOf(r.Cursor())]++
	}
	for _, key := range p.before {
		n := seen[positionOf(key)]
		if n == 0 {
			assert.Failf(t, "contract: records present when the first page was read are never skipped",
				"record %s was there before the listing by %s (%s) started and was never listed", describe(key), p.sortKey, p.order)
		} else if n > 1 {
			assert.Failf(t, "contract: records present when the first page was read are never repeated",
				"record %s was listed %d times", describe(key), n)
		}
	}
	known := map[position]bool{}
	for _, key := range p.before {
		known[positionOf(key)] = true
	}
	for _, r := range got {
		if k := positionOf(r.Cursor()); !known[k] && !inserted[k] {
			assert.Failf(t, "contract: a listing yields stored records only",
				"record %s was listed but never written", describe(r.Cursor()))
		}
	}
	for _, pr := range promises {
		if pr.cursor.After(pr.key.At, pr.key.ID, p.order) && seen[positionOf(pr.key)] != 1 {
			assert.Failf(t, "contract: resuming from a cursor yields exactly the records after it",
				"record %s was stored before the page after cursor %s was requested, lies after that cursor in %s order, and was listed %d times",
				describe(pr.key), describe(pr.cursor), p.order, seen[positionOf(pr.key)])
		}
	}
}

// keysOf returns the listing keys of records.
func keysOf[T record](records []T) []store.Cursor {
	out := make([]store.Cursor, len(records))
	for i, r := range records {
		out[i] = r.Cursor()
	}
	return out
}
