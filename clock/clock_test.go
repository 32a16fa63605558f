package clock

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithDefaults(t *testing.T) {
	o := Options{}.WithDefaults()
	require.NotNil(t, o.Now)
	require.NotNil(t, o.NewID)
	now := o.Now()
	assert.Equal(t, time.UTC, now.Location())
	assert.Zero(t, now.Nanosecond()%1000, "truncated to microseconds")
	a, b := o.NewID(), o.NewID()
	assert.Equal(t, uuid.Version(7), a.Version())
	assert.Less(t, strings.Compare(a.String(), b.String()), 0, "UUIDv7 ids increase")

	fixed := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	custom := Options{Now: Fixed(fixed)}.WithDefaults()
	assert.Equal(t, fixed, custom.Now())
	assert.Equal(t, fixed, custom.Now())
}

func TestStepping(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := NewStepping(start, time.Second)
	assert.Equal(t, start, s.Now())
	assert.Equal(t, start.Add(time.Second), s.Now())
	assert.Equal(t, start.Add(2*time.Second), s.Peek())
	s.Advance(time.Hour)
	assert.Equal(t, start.Add(time.Hour+2*time.Second), s.Now())
	s.Set(start)
	assert.Equal(t, start, s.Now())

	// Concurrent readers get distinct readings.
	s = NewStepping(start, time.Millisecond)
	var mu sync.Mutex
	seen := map[time.Time]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				r := s.Now()
				mu.Lock()
				seen[r] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Len(t, seen, 800)
}

func TestSequential(t *testing.T) {
	next := Sequential(1)
	ids := make([]string, 0, 300)
	for range 300 {
		id := next()
		assert.Equal(t, uuid.Version(7), id.Version())
		assert.Equal(t, uuid.RFC4122, id.Variant())
		ids = append(ids, id.String())
	}
	assert.True(t, slices.IsSorted(ids), "ids increase")
	assert.Equal(t, "00000000-0001-7000-8000-000000000001", ids[0])
	assert.Equal(t, "00000000-0001-7000-8000-000000000100", ids[255])
	other := Sequential(2)()
	assert.NotEqual(t, ids[0], other.String(), "seeds keep sources apart")
}
