// Package memlimit keeps the Go runtime's soft memory limit in proportion to what the exporter
// really keeps in memory.
//
// A refresh allocates several times what it keeps: decoded lists and the exposition are garbage
// once the exposition is gzipped. A fixed limit (80 MiB, say) keeps the heap small at 10,000 VMs,
// but once the live heap comes near it, as with 20,000 VMs, the garbage collector runs almost
// without pause. Auto measures the live heap after each refresh, with one
// collection at a moment when the old snapshot and the refresh's garbage are both gone, and sets
// the limit to a multiple of it, never below a floor.
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

// Auto sets the soft memory limit to max(Floor, Factor × live heap) after each refresh.
type Auto struct {
	Floor  int64
	Factor float64
	MinGap time.Duration // an update is skipped within this time of the last one

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
	limit := a.Floor
	if f := float64(live) * a.Factor; f > float64(limit) {
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
