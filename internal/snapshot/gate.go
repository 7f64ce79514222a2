package snapshot

import (
	"context"
	"fmt"
)

// Gate bounds how many refreshes run at once across the Sources that share it: the exporter's
// one (--zvm.max-concurrent-refreshes), so that many /probe targets whose caches expire together
// decode their ZVMs' lists a few at a time instead of all at once. A refresh holds its slot while
// it reads and decodes; the exposition of its snapshot is built under a slot too (Target). A nil
// Gate bounds nothing.
type Gate struct{ slots chan struct{} }

// NewGate returns a Gate of n slots, or nil (no bound) for n <= 0.
func NewGate(n int) *Gate {
	if n <= 0 {
		return nil
	}
	return &Gate{slots: make(chan struct{}, n)}
}

// Acquire waits for a slot until ctx ends. On success the caller must Release.
func (g *Gate) Acquire(ctx context.Context) error {
	if g == nil {
		return nil
	}
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for one of the %d refresh slots (--zvm.max-concurrent-refreshes): %w", cap(g.slots), ctx.Err())
	}
}

// Release frees the slot taken by a successful Acquire.
func (g *Gate) Release() {
	if g != nil {
		<-g.slots
	}
}
