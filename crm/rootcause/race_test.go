//go:build race

package rootcause

// raceEnabled: the race detector slows training some tenfold, so the
// model evaluations (quality checks, not concurrency checks) are skipped
// under it.
const raceEnabled = true
