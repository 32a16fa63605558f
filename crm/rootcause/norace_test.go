//go:build !race

package rootcause

const raceEnabled = false
