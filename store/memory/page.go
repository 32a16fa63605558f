package memory

import (
	"context"
	"fmt"
	"iter"

	"github.com/crmkit/crmkit/store"
)

// fetchFunc reads the records of a listing that come after cur, under the
// store's read lock: at most want of them, looking at no more than
// batchSize candidates. It returns copies of the records, the key of the
// last candidate it looked at (matching or not), and whether more may
// follow that key.
type fetchFunc[T any] func(cur store.Cursor, want int) (batch []T, last store.Cursor, more bool)

// listing streams the records fetch reads, batch by batch. The lock is
// held only inside fetch, never while the caller's loop body runs, so the
// caller may call back into the store. Each batch resumes after the last
// key of the previous one, which is what keeps a listing stable while
// others insert.
func listing[T any](ctx context.Context, s *Store, p store.Page, fetch fetchFunc[T]) iter.Seq2[T, error] {
	if p.Limit < 0 {
		return store.Fail[T](fmt.Errorf("%w: negative page limit %d", ErrInvalid, p.Limit))
	}
	return func(yield func(T, error) bool) {
		var zero T
		cur, left := p.After, p.Limit
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			want := batchSize
			if p.Limit > 0 && left < want {
				want = left
			}
			s.mu.RLock()
			batch, last, more := fetch(cur, want)
			s.mu.RUnlock()
			for i, v := range batch {
				if i > 0 {
					if err := ctx.Err(); err != nil {
						yield(zero, err)
						return
					}
				}
				if !yield(v, nil) {
					return
				}
			}
			if p.Limit > 0 {
				if left -= len(batch); left == 0 {
					return
				}
			}
			if !more {
				return
			}
			cur = last
		}
	}
}
