package snapshot

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestGateFairness: a target's Child holds at most one of the shared slots however many of its
// scrapes wait, the --zvm.url target's Own slot is free while every shared slot is held, and the
// waits and holds cut by a deadline are counted with the shared gate.
func TestGateFairness(t *testing.T) {
	g := NewGate(2)
	a := g.Child()
	if err := a.Acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := a.Acquire(ctx); !errors.Is(err, ErrNoSlot) {
		t.Fatalf("a second slot for one target: %v, want ErrNoSlot", err)
	}
	if len(g.slots) != 1 {
		t.Fatalf("one target holds %d shared slots, want 1", len(g.slots))
	}
	b := g.Child()
	if err := b.Acquire(context.Background()); err != nil {
		t.Fatalf("another target found no slot while one was free: %v", err)
	}
	own := g.Own()
	if err := own.Acquire(context.Background()); err != nil {
		t.Fatalf("the --zvm.url target's own slot is taken by /probe targets: %v", err)
	}
	own.Release()
	c := g.Child()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if err := c.Acquire(ctx2); !errors.Is(err, ErrNoSlot) || len(c.slots) != 0 {
		t.Fatalf("a third target with both shared slots held: %v, holding %d of its own", err, len(c.slots))
	}
	<-ctx2.Done()
	b.ReleaseAfter(ctx2) // held until its deadline
	a.Release()
	if len(g.slots) != 0 {
		t.Fatalf("%d shared slots held after every release", len(g.slots))
	}
	if w, h := g.Stats().WaitTimeouts.Load(), g.Stats().HoldTimeouts.Load(); w != 2 || h != 1 {
		t.Errorf("counted %d wait and %d hold timeouts, want 2 and 1", w, h)
	}
	var none *Gate
	if err := none.Child().Acquire(context.Background()); err != nil {
		t.Errorf("a child of no gate: %v", err)
	}
}
