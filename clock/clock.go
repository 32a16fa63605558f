// Package clock supplies the two things crmkit never takes from the
// environment by itself: the current time and new ids.
//
// Services receive them through Options. Left empty, Options uses the
// system clock and UUIDv7 (time-ordered, so ids sort by creation); tests
// and replays inject a Fixed or Stepping clock and Sequential ids, and
// hosts with their own id scheme inject that.
package clock

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// Options holds the sources of time and identity a service uses.
type Options struct {
	// Now returns the current instant. Default: System.
	Now func() time.Time
	// NewID returns a fresh, unique id. Default: UUIDv7.
	NewID func() uuid.UUID
}

// WithDefaults returns o with every empty field set to its default.
func (o Options) WithDefaults() Options {
	if o.Now == nil {
		o.Now = System
	}
	if o.NewID == nil {
		o.NewID = UUIDv7
	}
	return o
}

// System returns the wall-clock time in UTC, truncated to microseconds
// (the precision PostgreSQL keeps, so a stored instant reads back equal).
func System() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// UUIDv7 returns a new time-ordered UUID (RFC 9562 version 7). Ids made in
// one process increase monotonically.
func UUIDv7() uuid.UUID {
	id, err := uuid.NewV7()
	if err != nil {
		// Only a failing system random source gets here; Go itself treats
		// that as fatal, and so do we rather than hand out a weak id.
		panic("clock: cannot read random bytes for a UUIDv7: " + err.Error())
	}
	return id
}

// Fixed returns a clock that always reads t.
func Fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

// Stepping is a test clock that advances by a fixed step on every reading,
// so that events made one after another get distinct, ordered times. It is
// safe for concurrent use.
type Stepping struct {
	mu   sync.Mutex
	next time.Time
	step time.Duration
}

// NewStepping returns a clock whose first reading is start and every later
// reading step after the previous one.
func NewStepping(start time.Time, step time.Duration) *Stepping {
	return &Stepping{next: start, step: step}
}

// Now returns the current reading and advances the clock by its step.
func (s *Stepping) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.next
	s.next = s.next.Add(s.step)
	return t
}

// Peek returns the next reading without advancing.
func (s *Stepping) Peek() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next
}

// Set moves the clock so that its next reading is t.
func (s *Stepping) Set(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = t
}

// Advance moves the clock forward by d (on top of its step).
func (s *Stepping) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = s.next.Add(d)
}

// Sequential returns a deterministic id source for tests: version-7-shaped
// UUIDs that carry seed in their leading bytes and a counter in their last
// bytes, so they are unique per seed, increase in the order they are made
// and read well in a failing test ("00000000-0001-7000-8000-000000000003").
// It is safe for concurrent use.
func Sequential(seed uint32) func() uuid.UUID {
	var counter atomic.Uint64
	return func() uuid.UUID {
		n := counter.Add(1)
		var id uuid.UUID
		binary.BigEndian.PutUint32(id[2:6], seed)
		id[6] = 0x70 // version 7
		id[8] = 0x80 // RFC 9562 variant
		var buf [8]byte
		binary.BigEndian.PutUint64(buf[:], n)
		copy(id[9:], buf[1:]) // the low 56 bits of the counter
		return id
	}
}
