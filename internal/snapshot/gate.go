package snapshot

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// Gate bounds how many refreshes run at once across the Sources that share it: the exporter's
// one (--zvm.max-concurrent-refreshes), so that many /probe targets whose caches expire together
// decode their ZVMs' lists a few at a time instead of all at once. A refresh holds its slot while
// it reads and decodes; the exposition of its snapshot is built under a slot too (Target). A nil
// Gate bounds nothing.
//
// Fairness: each /probe target takes its slots through a Child, so that it never holds more than
// one of the shared slots; the --zvm.url target has a slot of its own (Own), so that /probe
// targets cannot starve it. Both count their timeouts with the gate they came from.
type Gate struct {
	slots  chan struct{}
	parent *Gate      // a Child's: each of its slots also takes one of the parent's
	stats  *GateStats // shared with the gate's Children and Own gates
	limit  string     // what bounds the slots, for errors
}

// GateStats counts the refreshes a gate and the gates derived from it cut short.
type GateStats struct {
	// WaitTimeouts counts waits for a slot that ended with the scrape's deadline.
	WaitTimeouts atomic.Uint64
	// HoldTimeouts counts refreshes that still held their slot when their deadline came.
	HoldTimeouts atomic.Uint64
}

// ErrNoSlot is the error of a wait for a slot that ended before one was free.
var ErrNoSlot = errors.New("no refresh slot free")

// NewGate returns a Gate of n slots, or nil (no bound) for n <= 0.
func NewGate(n int) *Gate {
	if n <= 0 {
		return nil
	}
	return &Gate{slots: make(chan struct{}, n), stats: &GateStats{},
		limit: fmt.Sprintf("the %d refresh slots (--zvm.max-concurrent-refreshes)", n)}
}

// Child returns a gate of one slot that also takes one of g's: the gate of one /probe target,
// which so holds at most one of the shared slots. A nil g has no slots to share: the child bounds
// its target alone.
func (g *Gate) Child() *Gate {
	c := &Gate{slots: make(chan struct{}, 1), parent: g, stats: &GateStats{}, limit: "the target's refresh slot"}
	if g != nil {
		c.stats, c.limit = g.stats, g.limit
	}
	return c
}

// Own returns a gate of one slot apart from g's, counted with g: the --zvm.url target's.
func (g *Gate) Own() *Gate {
	o := &Gate{slots: make(chan struct{}, 1), stats: &GateStats{}, limit: "the --zvm.url target's refresh slot"}
	if g != nil {
		o.stats = g.stats
	}
	return o
}

// Stats returns the gate's counters, shared with its Children and Own gates; nil for a nil gate.
func (g *Gate) Stats() *GateStats {
	if g == nil {
		return nil
	}
	return g.stats
}

// Acquire waits for a slot until ctx ends. On success the caller must Release.
func (g *Gate) Acquire(ctx context.Context) error {
	if g == nil {
		return nil
	}
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		g.stats.WaitTimeouts.Add(1)
		return fmt.Errorf("%w: waiting for one of %s: %w", ErrNoSlot, g.limit, ctx.Err())
	}
	if g.parent == nil {
		return nil
	}
	select {
	case g.parent.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		<-g.slots
		g.stats.WaitTimeouts.Add(1)
		return fmt.Errorf("%w: waiting for one of %s: %w", ErrNoSlot, g.parent.limit, ctx.Err())
	}
}

// Release frees the slot taken by a successful Acquire.
func (g *Gate) Release() {
	if g == nil {
		return
	}
	if g.parent != nil {
		<-g.parent.slots
	}
	<-g.slots
}

// ReleaseAfter frees the slot as Release does, counting a hold that lasted until ctx's deadline.
func (g *Gate) ReleaseAfter(ctx context.Context) {
	if g != nil && ctx.Err() != nil {
		g.stats.HoldTimeouts.Add(1)
	}
	g.Release()
}
