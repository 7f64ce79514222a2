package exporter

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"weak"

	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/internal/fastexpo"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// Benchmarks of a refresh and of the exposition at the simulator's large profile (2,000 VPGs,
// 10,000 VMs, 500 VRAs), with the default collectors.
//
//	go test ./internal/exporter -run '^$' -bench . -benchmem
//
// The ZVM is zvmsim behind a replaying handler: the first answer to each request URI is recorded
// and served again as bytes, so that the simulator's own rendering is not part of the figures. The
// snapshot source's clock stands still, so that the time windows of /v1/tasks and
// /v1/reports/recovery, and so the request URIs, are the same in every refresh: each is rendered
// once, during the two refreshes benchTarget runs first.

type replay struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string][]byte
}

func (r *replay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet || !strings.HasPrefix(req.URL.Path, "/v1/") {
		r.next.ServeHTTP(w, req)
		return
	}
	r.mu.Lock()
	b, ok := r.seen[req.URL.RequestURI()]
	r.mu.Unlock()
	if !ok {
		rec := httptest.NewRecorder()
		r.next.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		b = rec.Body.Bytes()
		r.mu.Lock()
		r.seen[req.URL.RequestURI()] = b
		r.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

// benchTarget is a Target with the default collectors on a replayed large-profile simulator.
func benchTarget(b testing.TB, ttl time.Duration) *Target {
	b.Helper()
	sim, err := zvmsim.New(zvmsim.Options{Profile: "large"})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(&replay{next: sim.Handler(zvmsim.Protected), seen: map[string][]byte{}})
	b.Cleanup(srv.Close)
	var names []string
	for _, c := range collector.Available() {
		if c.DefaultOn {
			names = append(names, c.Name)
		}
	}
	t, err := NewTarget(TargetOptions{
		Client: zvm.Config{URL: srv.URL, Auth: zvm.AuthKeycloak, Username: zvmsim.DefaultUsername,
			Password: zvmsim.DefaultPassword, Timeout: time.Minute},
		Collectors: names,
		CacheTTL:   ttl,
		Logger:     log.NewNopLogger(),
	})
	if err != nil {
		b.Fatal(err)
	}
	frozen := time.Now()
	t.source = snapshot.NewSource(t.client, snapshot.Options{
		Endpoints:      t.set.Endpoints(),
		CacheTTL:       ttl,
		RefreshTimeout: time.Minute,
		Logger:         log.NewNopLogger(),
		Now:            func() time.Time { return frozen },
	})
	// Two refreshes: the first reads a year of recovery reports, the second is a steady one.
	for range 2 {
		if _, err := t.source.Get(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	return t
}

// BenchmarkRefresh is one refresh: every endpoint fetched over loopback HTTP and decoded into a
// snapshot.
func BenchmarkRefresh(b *testing.B) {
	t := benchTarget(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		snap, err := t.source.Get(context.Background())
		if err != nil || !snap.Up() {
			b.Fatal(err, snap.UpErr)
		}
	}
}

// benchSnapshot is a steady snapshot of the large profile.
func benchSnapshot(b testing.TB) (*Target, *snapshot.Snapshot) {
	t := benchTarget(b, time.Hour)
	snap, err := t.source.Get(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return t, snap
}

// benchExposition renders snap as the first scrape of a snapshot does, gzipped, t's cache sizing
// the body after the last one built.
func (t *Target) benchExposition(snap *snapshot.Snapshot, key cacheKey) []byte {
	t.cache.snap, t.cache.bodies = weak.Pointer[snapshot.Snapshot]{}, nil
	return t.cache.render(snap, key, func(w io.Writer, format expfmt.Format) error {
		return fastexpo.RenderTo(w, format, t.set.CollectorFor(snap), t.api)
	}, t.logger)
}

// registryExposition renders snap through client_golang, a registry's Gather and expfmt's
// encoder: the reference the fast exposition must equal.
func (t *Target) registryExposition(snap *snapshot.Snapshot, key cacheKey) []byte {
	var c expositionCache
	return gatherExposition(&c, snap, key, func() ([]*dto.MetricFamily, error) {
		reg := prometheus.NewRegistry()
		reg.MustRegister(t.set.CollectorFor(snap), t.api)
		return reg.Gather()
	}, t.logger)
}

var (
	textKey = cacheKey{format: expfmt.NewFormat(expfmt.TypeTextPlain)}
	omKey   = cacheKey{format: expfmt.NewFormat(expfmt.TypeOpenMetrics), gzip: true}
)

// BenchmarkExpositionText builds the text exposition of one snapshot: the collectors' const
// metrics, gathered, encoded and gzipped, as the first scrape of a snapshot does.
func BenchmarkExpositionText(b *testing.B) {
	t, snap := benchSnapshot(b)
	b.ReportAllocs()
	for b.Loop() {
		b.SetBytes(int64(len(t.benchExposition(snap, textKey))))
	}
}

// BenchmarkExpositionTextRegistry is BenchmarkExpositionText through client_golang's registry and
// expfmt instead of internal/fastexpo, for comparison.
func BenchmarkExpositionTextRegistry(b *testing.B) {
	t, snap := benchSnapshot(b)
	b.ReportAllocs()
	for b.Loop() {
		b.SetBytes(int64(len(t.registryExposition(snap, textKey))))
	}
}

// TestLargeExpositionIdentical checks, at the large profile, that the fast exposition is the
// registry's byte for byte, in the text and OpenMetrics formats.
func TestLargeExpositionIdentical(t *testing.T) {
	if raceEnabled {
		t.Skip("one goroutine comparing two renderings gives the race detector nothing to watch and runs ten times slower under it; make test runs it without -race (test-no-race)")
	}
	tg, snap := benchSnapshot(t)
	for _, key := range []cacheKey{textKey, {format: expfmt.NewFormat(expfmt.TypeOpenMetrics)}} {
		got, want := timeless(inflate(t, tg.benchExposition(snap, key))), timeless(inflate(t, tg.registryExposition(snap, key)))
		if len(want) == 0 || !bytes.Equal(got, want) {
			t.Fatalf("%s: fast exposition (%d bytes) differs from the registry's (%d bytes)", key.format, len(got), len(want))
		}
	}
}

// inflate returns the cached exposition gz uncompressed, as a scrape without gzip gets it.
func inflate(t testing.TB, gz []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := writePlain(&buf, gz); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// timeless drops the zerto_scrape_collector_duration_seconds samples, which differ between two
// renderings of one snapshot.
func timeless(b []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte("zerto_scrape_collector_duration_seconds{")) {
			out = append(out, line...)
		}
	}
	return out
}

// BenchmarkExpositionOpenMetricsGzip is BenchmarkExpositionText in OpenMetrics, gzipped, as
// Prometheus asks for it.
func BenchmarkExpositionOpenMetricsGzip(b *testing.B) {
	t, snap := benchSnapshot(b)
	b.ReportAllocs()
	for b.Loop() {
		b.SetBytes(int64(len(t.benchExposition(snap, omKey))))
	}
}

// BenchmarkScrapeCached is a scrape served from the cached exposition of a fresh snapshot.
func BenchmarkScrapeCached(b *testing.B) {
	t, _ := benchSnapshot(b)
	benchScrapes(b, t, true)
}

// BenchmarkRefreshAndScrape is what a scrape after the cache expired costs: a refresh and the
// OpenMetrics gzip exposition of the new snapshot.
func BenchmarkRefreshAndScrape(b *testing.B) {
	benchScrapes(b, benchTarget(b, 0), false)
}

// benchScrapes serves t's scrape as Prometheus asks for it (OpenMetrics, gzip) in the benchmark
// loop, after one scrape outside it when warm.
func benchScrapes(b *testing.B, t *Target, warm bool) {
	self := prometheus.NewRegistry()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3")
	req.Header.Set("Accept-Encoding", "gzip")
	if warm {
		t.ServeScrape(httptest.NewRecorder(), req, self, 0)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := &discardRecorder{header: http.Header{}}
		t.ServeScrape(w, req, self, 0)
		b.SetBytes(int64(w.n))
	}
}
