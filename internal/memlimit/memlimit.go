// Package memlimit keeps the Go runtime's soft memory limit in proportion to what the exporter
// really keeps in memory.
//
// A refresh allocates several times what it keeps: decoded lists and the exposition are garbage
// once the exposition is gzipped. A fixed limit (80 MiB, say) keeps the heap small at 10,000 VMs,
// but once the live heap comes near it, as with 20,000 VMs, the garbage collector runs almost
// without pause. Auto measures the live heap after each refresh, with one
// collection at a moment when the old snapshot and the refresh's garbage are both gone, and sets
// the limit to a multiple of it, never below a floor.
//
// The headroom above the live heap is for refreshes in flight. With one ZVM, a refresh of all of
// it; with many /probe targets of which only a few refresh at once (--zvm.max-concurrent-refreshes),
// only those few targets' share of the live heap refreshes, and the headroom shrinks with it, down
// to GOGC's own: the heap may still double between collections.
package memlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of the automatic limit.
const (
	DefaultFloor  = 80 << 20
	DefaultFactor = 3.5
	// DefaultMinGap spaces the updates: each forces a full collection, which marks the snapshots
	// of every target. With one ZVM that is a few milliseconds per refresh; with twenty, one
	// collection per refresh would cost more than the refreshes themselves (docs/performance.md,
	// estate).
	DefaultMinGap = 20 * time.Second
)

// Auto sets the soft memory limit after each refresh to
// max(Floor, live heap × max(1 + (Factor-1) × Share(), min(Factor, 2))).
type Auto struct {
	Floor  int64
	Factor float64
	MinGap time.Duration // an update is skipped within this time of the last one
	// Share returns the fraction of the kept data that can be refreshing at once, in (0, 1]:
	// with n targets of which at most s refresh at once, s/n. Nil means 1.
	Share func() float64

	// test seams; nil means the runtime's
	collect func()
	live    func() uint64
	set     func(int64) int64
	now     func() time.Time

	busy atomic.Bool
	last time.Time // of the last update; touched only by the holder of busy
}

var (
	mu      sync.Mutex
	current *Auto
)

// Start installs a as the process's automatic limit and sets the limit to a.Floor.
func Start(a *Auto) {
	mu.Lock()
	current = a
	mu.Unlock()
	a.setLimit(a.Floor)
}

// Refreshed tells the installed Auto, if any, that a refresh ended and its exposition was built:
// the limit is updated in the background, at most one update at a time.
func Refreshed() {
	mu.Lock()
	a := current
	mu.Unlock()
	if a == nil || !a.busy.CompareAndSwap(false, true) {
		return
	}
	now := time.Now
	if a.now != nil {
		now = a.now
	}
	t := now()
	if !a.last.IsZero() && t.Sub(a.last) < a.MinGap {
		a.busy.Store(false)
		return
	}
	a.last = t
	go func() {
		defer a.busy.Store(false)
		a.Update()
	}()
}

// Update collects garbage, measures the live heap and sets the limit; it returns the limit set.
func (a *Auto) Update() int64 {
	if a.collect != nil {
		a.collect()
	} else {
		runtime.GC()
	}
	var live uint64
	if a.live != nil {
		live = a.live()
	} else {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		if s[0].Value.Kind() == metrics.KindUint64 {
			live = s[0].Value.Uint64()
		}
	}
	share := 1.0
	if a.Share != nil {
		share = min(max(a.Share(), 0), 1)
	}
	// Not below GOGC=100's own goal of twice the kept heap (or Factor, if smaller): the limit
	// only keeps the refreshes in flight from raising the goal, and never makes the collector
	// run more often than that pacing on the data kept.
	factor := max(1+(a.Factor-1)*share, min(a.Factor, 2))
	limit := a.Floor
	if f := float64(live) * factor; f > float64(limit) {
		limit = int64(min(f, math.MaxInt64/2))
	}
	a.setLimit(limit)
	return limit
}

func (a *Auto) setLimit(n int64) {
	if a.set != nil {
		a.set(n)
		return
	}
	debug.SetMemoryLimit(n)
}

// RefreshShare is the Share of n targets of which at most slots refresh at once; slots <= 0 means
// no bound.
func RefreshShare(slots, n int) float64 {
	if slots <= 0 || n <= slots {
		return 1
	}
	return float64(slots) / float64(n)
}
