//go:build race

package exporter

// raceEnabled tells whether this test binary runs under the race detector.
const raceEnabled = true
