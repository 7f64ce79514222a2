package exporter

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// allocBudget bounds what one operation at the large profile may allocate: objects and bytes.
// Each is about 10 % above the figure measured when it was set (docs/performance.md, "Allocation
// budgets"), so that a change that allocates more fails make test. Raising one is a reviewed
// change: its reason goes into that section of docs/performance.md.
type allocBudget struct {
	name    string
	refresh bool    // every operation refreshes (cache TTL 0); else the snapshot stays fresh
	allocs  float64 // objects per operation
	bytes   float64 // bytes per operation
	op      func(t *testing.T, tg *Target)
}

var allocBudgets = []allocBudget{
	{"refresh", true, 222_000, 39_000_000, func(t *testing.T, tg *Target) {
		// TTL 0: every Get refreshes.
		snap, err := tg.source.Get(context.Background())
		if err != nil || !snap.Up() {
			t.Fatal(err, snap.UpErr)
		}
	}},
	{"exposition, OpenMetrics gzip", false, 277_000, 37_700_000, func(t *testing.T, tg *Target) {
		renderLatest(t, tg, omKey)
	}},
	{"exposition, text", false, 277_000, 37_700_000, func(t *testing.T, tg *Target) {
		renderLatest(t, tg, textKey)
	}},
	{"scrape after expiry, OpenMetrics gzip", true, 500_000, 77_000_000, func(_ *testing.T, tg *Target) {
		tg.ServeScrape(&discardRecorder{header: http.Header{}}, promRequest(), prometheus.NewRegistry(), 0)
	}},
}

// renderLatest builds the exposition of the target's current snapshot in key's format, as the
// first scrape of a snapshot does.
func renderLatest(t *testing.T, tg *Target, key cacheKey) {
	snap, err := tg.source.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(tg.benchExposition(snap, key)) == 0 {
		t.Fatal("empty exposition")
	}
}

// promRequest is a scrape as Prometheus sends it: OpenMetrics preferred, gzip accepted.
func promRequest() *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3")
	req.Header.Set("Accept-Encoding", "gzip")
	return req
}

// TestAllocationBudgets checks each allocBudget at the large profile with the default collectors.
// Allocation counts, unlike times, do not depend on the machine's load; the race detector changes
// them, so the test skips under it and make test runs it in test-no-race.
func TestAllocationBudgets(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocations; make test runs this test without it (test-no-race)")
	}
	const rounds = 3
	for _, b := range allocBudgets {
		t.Run(b.name, func(t *testing.T) {
			ttl := time.Duration(0)
			if !b.refresh {
				ttl = time.Hour // the clock of benchTarget's source stands still
			}
			tg := benchTarget(t, ttl)
			b.op(t, tg) // templates, pools and connections warmed
			allocs, bytes := allocsPerOp(rounds, func() { b.op(t, tg) })
			t.Logf("%.0f allocations, %.0f bytes per operation (budget %.0f, %.0f)", allocs, bytes, b.allocs, b.bytes)
			if allocs > b.allocs {
				t.Errorf("%.0f allocations per operation, over the budget of %.0f", allocs, b.allocs)
			}
			if bytes > b.bytes {
				t.Errorf("%.0f bytes allocated per operation, over the budget of %.0f", bytes, b.bytes)
			}
		})
	}
}

// allocsPerOp runs f n times and returns the heap objects and bytes allocated per run, by every
// goroutine (the collectors', the HTTP client's and the in-process ZVM's).
func allocsPerOp(n int, f func()) (allocs, bytes float64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / float64(n), float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
}

// The cached scrape's budget is checked too: serving the cached bytes must not copy them.
func TestCachedScrapeAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocations; make test runs this test without it (test-no-race)")
	}
	tg := benchTarget(t, time.Hour)
	self := prometheus.NewRegistry()
	for _, req := range []*http.Request{promRequest(), httptest.NewRequest(http.MethodGet, "/metrics", nil)} {
		w := &discardRecorder{header: http.Header{}}
		tg.ServeScrape(w, req, self, 0) // builds the cached body
		size := w.n
		w.n = 0
		// MemStats counts every goroutine's allocations, so work left over from the build (or
		// another test) can land in one round; a copy per scrape would land in all of them.
		bytes := math.Inf(1)
		for range 3 {
			_, b := allocsPerOp(5, func() { tg.ServeScrape(w, req, self, 0) })
			bytes = min(bytes, b)
		}
		if size < 1<<20 || w.n != 15*size {
			t.Fatalf("Accept-Encoding %q: served %d bytes in 15 scrapes, %d in the first", req.Header.Get("Accept-Encoding"), w.n, size)
		}
		t.Logf("Accept-Encoding %q: %.0f bytes allocated per cached scrape of a %d-byte body", req.Header.Get("Accept-Encoding"), bytes, size)
		// A copy of the body per scrape would allocate its length each time.
		if bytes > 64<<10 {
			t.Errorf("Accept-Encoding %q: a cached scrape allocates %.0f bytes for a body of %d", req.Header.Get("Accept-Encoding"), bytes, size)
		}
	}
}

// discardRecorder is an http.ResponseWriter that counts what it is sent and keeps none of it.
type discardRecorder struct {
	header http.Header
	n      int
}

func (d *discardRecorder) Header() http.Header { return d.header }
func (d *discardRecorder) WriteHeader(int)     {}
func (d *discardRecorder) Write(p []byte) (int, error) {
	d.n += len(p)
	return len(p), nil
}
