//go:build !race

package discount_test

const raceEnabled = false
