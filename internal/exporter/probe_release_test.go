package exporter

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestProbeTargetsReleased watches 20 simulated ZVMs through one Prober and drops all 20 targets
// between rounds of probes, alternately by a config reload and by idle expiry, so that every
// round builds 20 new targets (clients, collectors, descriptors, exposition templates). After
// the last round the heap in use is within 5 % (or 2 MiB) of what it was after the first, and
// goroutines and file descriptors are back where they were: a dropped target leaves nothing
// behind. cmd/zvmload --mode leak runs the same against the built binaries, 500 rounds.
func TestProbeTargetsReleased(t *testing.T) {
	const zvms = 20
	rounds := 30 // 600 targets built and dropped: a cache that kept each one's descriptors would hold 33 MiB
	if testing.Short() || raceEnabled {
		// The race detector watches the reloads and expiries of a few rounds; the 30 rounds
		// that measure the heap run without it (make test-no-race), ten times faster.
		rounds = 6
	}
	dir := t.TempDir()
	pw := filepath.Join(dir, "password")
	if err := os.WriteFile(pw, []byte(zvmsim.DefaultPassword), 0o600); err != nil {
		t.Fatal(err)
	}
	var targets []string
	for range zvms {
		sim := relNewSim(t, zvmsim.Options{})
		targets = append(targets, simtest.Serve(t, sim, zvmsim.Protected))
	}
	cfgPath := filepath.Join(dir, "zerto.yml")
	doc := fmt.Sprintf("modules:\n  default:\n    targets: [%s]\n    auth: keycloak\n    username: %s\n    password_file: %s\n",
		strings.Join(targets, ", "), zvmsim.DefaultUsername, pw)
	if err := os.WriteFile(cfgPath, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	holder := config.NewStore(cfgPath, cfg, log.NewNopLogger())

	const idle = time.Hour
	var skew atomic.Int64 // the prober's clock runs ahead by this much
	p := newProber(holder, ProbeDefaults{Collectors: relDefaultCollectors(), Timeout: 5 * time.Second, IdleExpiry: idle}, log.NewNopLogger(),
		func() time.Time { return time.Now().Add(time.Duration(skew.Load())) })
	t.Cleanup(p.Close)

	probeAll := func(round int) {
		for _, tg := range targets {
			w := httptest.NewRecorder()
			p.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/probe?target="+url.QueryEscape(tg), nil))
			if w.Code != http.StatusOK {
				t.Fatalf("round %d: probe of %s: HTTP %d: %s", round, tg, w.Code, w.Body)
			}
			if e := w.Body.String(); !strings.Contains(e, "\nzerto_up 1\n") {
				t.Fatalf("round %d: probe of %s has no zerto_up 1", round, tg)
			}
		}
		if n := p.Kept(); n != zvms {
			t.Fatalf("round %d: %d targets kept, want %d", round, n, zvms)
		}
	}

	var heap0 uint64
	var goroutines0, fds0 int
	for round := range rounds {
		if round%2 == 0 {
			if err := holder.Reload(); err != nil {
				t.Fatal(err)
			}
		} else {
			skew.Add(int64(2 * idle))
		}
		probeAll(round)
		if round == 0 || round == rounds-1 {
			closeIdle(t, p)
		}
		if round == 0 {
			heap0 = settledHeapInUse()
			goroutines0 = settledCount(runtime.NumGoroutine, -1)
			fds0 = settledCount(func() int { return relOpenFDs(t) }, -1)
		}
	}
	heap := settledHeapInUse()
	goroutines := settledCount(runtime.NumGoroutine, goroutines0)
	fds := settledCount(func() int { return relOpenFDs(t) }, fds0)
	t.Logf("after round 1 and round %d: heap in use %.1f / %.1f MiB, goroutines %d / %d, fds %d / %d",
		rounds, float64(heap0)/(1<<20), float64(heap)/(1<<20), goroutines0, goroutines, fds0, fds)
	if limit := max(heap0+heap0/20, heap0+2<<20); heap > limit {
		t.Errorf("heap in use grew from %d to %d bytes over %d rounds of %d targets (limit %d)", heap0, heap, rounds, zvms, limit)
	}
	if goroutines > goroutines0 {
		t.Errorf("goroutines: %d after the first round, %d after the last", goroutines0, goroutines)
	}
	if fds > fds0 {
		t.Errorf("file descriptors: %d after the first round, %d after the last", fds0, fds)
	}
}

// closeIdle closes the idle connections of the kept targets: how many a target keeps depends on
// how its endpoints' reads overlapped, and the counts compare what the dropped targets left.
func closeIdle(t *testing.T, p *Prober) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.targets {
		if err := e.target.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// settledHeapInUse returns the heap in use once the garbage is gone. Collections are repeated
// because the cleanup of a collected descriptor (dropping its fastexpo cache entry) runs after
// the collection that found it, and what it frees goes with the next one.
func settledHeapInUse() uint64 {
	var ms runtime.MemStats
	for range 4 {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// settledCount polls count for up to 5 s until it is at most want (want < 0: until it stops
// falling for 200 ms), so that connections and sessions being closed in the background are done.
func settledCount(count func() int, want int) int {
	deadline := time.Now().Add(5 * time.Second)
	n := count()
	for stable := 0; time.Now().Before(deadline); {
		if want >= 0 && n <= want {
			return n
		}
		time.Sleep(20 * time.Millisecond)
		m := count()
		if want < 0 {
			if m >= n {
				if stable++; stable >= 10 {
					return m
				}
			} else {
				stable = 0
			}
		}
		n = m
	}
	return n
}
