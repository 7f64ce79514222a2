package snapshot

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// TestGateBoundsRefreshesAcrossSources: ten Sources (targets) whose caches expire together, with
// a gate of two slots, never have more than two refreshes in flight, and all of them complete.
func TestGateBoundsRefreshesAcrossSources(t *testing.T) {
	gate := NewGate(2)
	var inFlight, peak atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		f := newFake()
		f.delay = 20 * time.Millisecond
		s := NewSource(&countingClient{fakeClient: f, inFlight: &inFlight, peak: &peak},
			Options{Endpoints: []zvm.Endpoint{zvm.EndpointVPGs}, CacheTTL: time.Hour, Gate: gate})
		wg.Go(func() {
			snap, err := s.Get(context.Background())
			if err != nil || !snap.Up() {
				t.Errorf("refresh: %v, up %v", err, snap.Up())
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > 2 || p < 1 {
		t.Errorf("%d refreshes in flight at once with 2 slots", p)
	}
}

// TestGateWaitEndsAtDeadline: a refresh that finds no slot before its scrape's deadline reports
// the ZVM down with an error naming the flag, and is not cached: the next scrape refreshes.
func TestGateWaitEndsAtDeadline(t *testing.T) {
	gate := NewGate(1)
	if err := gate.Acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := newFake()
	s := NewSource(f, Options{Endpoints: []zvm.Endpoint{zvm.EndpointVPGs}, CacheTTL: time.Hour, Gate: gate,
		RefreshTimeout: 100 * time.Millisecond})
	snap, err := s.Get(context.Background())
	if err != nil || snap.Up() || !strings.Contains(snap.UpErr.Error(), "--zvm.max-concurrent-refreshes") {
		t.Fatalf("without a slot: %v, %v", err, snap.UpErr)
	}
	gate.Release()
	if snap, err := s.Get(context.Background()); err != nil || !snap.Up() {
		t.Fatalf("with a slot free: %v, %v", err, snap.UpErr)
	}
	if n := f.count(zvm.EndpointLocalSite); n != 1 {
		t.Errorf("%d reads of /v1/localsite, want 1 (none while waiting)", n)
	}
}

// countingClient counts the refreshes in flight across Sources: from /v1/localsite, read first,
// to the end of /v1/vpgs, read last.
type countingClient struct {
	*fakeClient
	inFlight, peak *atomic.Int32
}

func (c *countingClient) Read(ctx context.Context, r zvm.Request) (any, error) {
	switch r.Endpoint {
	case zvm.EndpointLocalSite:
		n := c.inFlight.Add(1)
		for {
			m := c.peak.Load()
			if n <= m || c.peak.CompareAndSwap(m, n) {
				break
			}
		}
	case zvm.EndpointVPGs:
		defer c.inFlight.Add(-1)
	}
	return c.fakeClient.Read(ctx, r)
}
