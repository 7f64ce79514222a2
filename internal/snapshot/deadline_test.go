package snapshot

import (
	"context"
	"testing"
	"time"
)

// TestScrapeDeadlineBoundsRefresh: a scrape with a usable budget bounds the refresh it starts by
// its own deadline, so it answers in time with what was read; one that leaves almost no time
// gives up waiting, and its refresh gets minRefreshTime to finish for the next scrape.
func TestScrapeDeadlineBoundsRefresh(t *testing.T) {
	t.Run("usable budget", func(t *testing.T) {
		f := newFake()
		f.delay = 5 * time.Second
		s := NewSource(f, Options{Endpoints: allEndpoints, CacheTTL: time.Minute})
		ctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)
		defer cancel()
		start := time.Now()
		snap, err := s.Get(ctx)
		if err != nil {
			t.Fatalf("Get with 550ms of budget: %v, want the refresh cut at the scrape's deadline", err)
		}
		if took := time.Since(start); took >= 800*time.Millisecond {
			t.Errorf("Get took %v with an 800ms deadline", took)
		}
		if snap.Up() {
			t.Error("a ZVM slower than the deadline reported up")
		}
	})
	t.Run("no usable budget", func(t *testing.T) {
		f := newFake()
		f.delay = 200 * time.Millisecond // a refresh takes 400ms: longer than the scrape, shorter than minRefreshTime
		s := NewSource(f, Options{Endpoints: allEndpoints, CacheTTL: time.Minute})
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		if _, err := s.Get(ctx); err == nil {
			t.Fatal("Get answered within 300ms, want it to give up waiting")
		}
		// The next scrape shares the refresh still running, or finds its snapshot.
		snap, err := s.Get(context.Background())
		if err != nil || !snap.Up() {
			t.Fatalf("next Get: up %v, %v; want the refresh the first scrape started, complete", snap.Up(), err)
		}
		if n := f.count("/v1/localsite"); n != 1 {
			t.Errorf("%d refreshes, want 1", n)
		}
	})
}
