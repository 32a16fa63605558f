//go:build race

package discount_test

// raceEnabled: under the race detector sync.Pool drops what it holds at
// random, so allocation counts are not checked there.
const raceEnabled = true
