package memlimit

import (
	"sync"
	"testing"
	"time"
)

func TestUpdate(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int64
	}{
		{0, DefaultFloor},
		{10 << 20, DefaultFloor},
		{22 << 20, DefaultFloor}, // 77 MiB
		{24 << 20, 84 << 20},
		{40 << 20, 140 << 20},
	} {
		var set []int64
		collected := 0
		a := &Auto{Floor: DefaultFloor, Factor: DefaultFactor,
			collect: func() { collected++ },
			live:    func() uint64 { return tc.live },
			set:     func(n int64) int64 { set = append(set, n); return 0 },
		}
		if got := a.Update(); got != tc.want || len(set) != 1 || set[0] != tc.want || collected != 1 {
			t.Errorf("live %d: Update = %d, set %v, %d collections; want %d once after one collection", tc.live, got, set, collected, tc.want)
		}
	}
}

// TestUpdateShare: with many targets of which few refresh at once, the headroom above the live
// heap is the refreshing share's, down to twice the live heap: 20 targets of 10 MiB each with 4
// slots get 2 times the live heap rather than 3.5 times, 5 targets 3 times.
func TestUpdateShare(t *testing.T) {
	for _, tc := range []struct {
		live  uint64
		share float64
		want  int64
	}{
		{200 << 20, 1, 700 << 20},
		{200 << 20, RefreshShare(4, 20), 400 << 20},
		{200 << 20, RefreshShare(4, 5), 600 << 20},
		{200 << 20, RefreshShare(4, 4), 700 << 20},
		{200 << 20, RefreshShare(0, 20), 700 << 20}, // no bound on refreshes
		{200 << 20, 0, 400 << 20},
		{200 << 20, -1, 400 << 20}, // clamped to 0
		{200 << 20, 2, 700 << 20},  // clamped to 1
		{40 << 20, RefreshShare(1, 5), DefaultFloor},
	} {
		a := &Auto{Floor: DefaultFloor, Factor: DefaultFactor, Share: func() float64 { return tc.share },
			collect: func() {}, live: func() uint64 { return tc.live },
			set: func(int64) int64 { return 0 }}
		if got := a.Update(); got != tc.want {
			t.Errorf("live %d MiB, share %v: Update = %d MiB, want %d MiB", tc.live>>20, tc.share, got>>20, tc.want>>20)
		}
	}
}

func TestRefreshShare(t *testing.T) {
	for _, tc := range []struct {
		slots, n int
		want     float64
	}{{4, 20, 0.2}, {4, 1, 1}, {4, 0, 1}, {0, 20, 1}, {-1, 20, 1}, {1, 3, 1.0 / 3}} {
		if got := RefreshShare(tc.slots, tc.n); got != tc.want {
			t.Errorf("RefreshShare(%d, %d) = %v, want %v", tc.slots, tc.n, got, tc.want)
		}
	}
}

func TestRefreshedWithoutAuto(t *testing.T) {
	mu.Lock()
	prev := current
	current = nil
	mu.Unlock()
	defer func() { mu.Lock(); current = prev; mu.Unlock() }()
	Refreshed() // no Auto installed: nothing happens
}

func TestRefreshedSkipsWhileBusy(t *testing.T) {
	updated := false
	a := &Auto{Floor: 1, Factor: 1, collect: func() { updated = true }, live: func() uint64 { return 0 },
		set: func(int64) int64 { return 0 }}
	a.busy.Store(true) // an update is running
	mu.Lock()
	prev := current
	current = a
	mu.Unlock()
	defer func() { mu.Lock(); current = prev; mu.Unlock() }()
	Refreshed()
	if updated {
		t.Error("Refreshed started a second update while one was running")
	}
}

// TestRefreshedSpacesUpdates: refreshes closer together than MinGap (many targets) update the
// limit once, and the next one after the gap updates it again.
func TestRefreshedSpacesUpdates(t *testing.T) {
	var mu2 sync.Mutex
	updates := 0
	clock := time.Unix(0, 0)
	a := &Auto{Floor: 1, Factor: 1, MinGap: 20 * time.Second,
		collect: func() { mu2.Lock(); updates++; mu2.Unlock() },
		live:    func() uint64 { return 0 },
		set:     func(int64) int64 { return 0 },
		now:     func() time.Time { return clock }}
	mu.Lock()
	prev := current
	current = a
	mu.Unlock()
	defer func() { mu.Lock(); current = prev; mu.Unlock() }()
	count := func() int {
		for a.busy.Load() { // the update runs in the background
			time.Sleep(time.Millisecond)
		}
		mu2.Lock()
		defer mu2.Unlock()
		return updates
	}
	for range 20 {
		Refreshed()
		count()
		clock = clock.Add(time.Second)
	}
	if n := count(); n != 1 {
		t.Errorf("20 refreshes within 20 s: %d updates, want 1", n)
	}
	clock = clock.Add(time.Second)
	Refreshed()
	if n := count(); n != 2 {
		t.Errorf("a refresh 21 s after the first: %d updates, want 2", n)
	}
}
