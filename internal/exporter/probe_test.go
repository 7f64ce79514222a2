package exporter

// The attacks on /probe of issue 23, each against a Prober or Target as the exporter wires them.

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	tu "github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// recordingServer counts every request it gets: a listener an attacker points /probe at.
func recordingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// probeHolder returns a Store of one module "default" listing targets, with a password file.
func probeHolder(t *testing.T, targets ...string) *config.Store {
	t.Helper()
	dir := t.TempDir()
	pw := tu.WriteFile(t, dir, "password", zvmsim.DefaultPassword)
	doc := fmt.Sprintf("modules:\n  default:\n    targets: ['%s']\n    auth: keycloak\n    username: %s\n    password_file: %s\n",
		strings.Join(targets, "', '"), zvmsim.DefaultUsername, pw)
	path := filepath.Join(dir, "zerto.yml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return config.NewStore(path, cfg, log.NewNopLogger())
}

func probe(p *Prober, target, timeout string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/probe?module=default&target="+url.QueryEscape(target), nil)
	if timeout != "" {
		req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", timeout)
	}
	w := httptest.NewRecorder()
	p.ServeHTTP(w, req)
	return w
}

// TestProbeRefusesUnlistedTargets: a module's credentials reach only its targets. /probe of any
// other (a listener of the caller's, the listed ZVM over plain http, another port) is 403 before
// any connection, saying only that it is not a target of the module; the listed ZVM however
// spelt is probed. Before, the exporter logged in to whatever target it was given and sent the
// password there.
func TestProbeRefusesUnlistedTargets(t *testing.T) {
	sim := relNewSim(t, zvmsim.Options{})
	zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
	rec, hits := recordingServer(t)
	p := NewProber(probeHolder(t, zvmURL), ProbeDefaults{Collectors: relDefaultCollectors(), Timeout: 5 * time.Second}, log.NewNopLogger())
	t.Cleanup(p.Close)

	port := zvmURL[strings.LastIndex(zvmURL, ":")+1:]
	for _, target := range []string{rec.URL + "/rec", rec.URL, "https://" + strings.TrimPrefix(zvmURL, "http://"),
		"http://127.0.0.2:" + port, zvmURL + "/other"} {
		w := probe(p, target, "")
		if w.Code != http.StatusForbidden || w.Body.String() != "not a target of module \"default\"\n" {
			t.Errorf("probe of %s: HTTP %d %q, want 403 naming only the module", target, w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), "zerto_") {
			t.Errorf("probe of %s answers metrics: %s", target, w.Body)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the caller's listener got %d requests", n)
	}
	if n := p.Kept(); n != 0 {
		t.Fatalf("%d targets kept for refused probes", n)
	}
	for _, target := range []string{zvmURL, strings.ToUpper(zvmURL) + "/"} {
		if w := probe(p, target, ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "\nzerto_up 1\n") {
			t.Errorf("probe of the listed ZVM as %s: HTTP %d", target, w.Code)
		}
	}
	if n := p.Kept(); n != 1 {
		t.Errorf("%d targets kept for two spellings of one ZVM, want 1", n)
	}
}

// garbageListener answers every connection with bytes that are not HTTP, then closes it.
func garbageListener(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n\x00\xff garbage\r\n\r\n"))
			_ = c.Close()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestProbeOfDownTargetRevealsOnlyUp: the answer for a listed target that is down is zerto_up 0
// and nothing else, whatever its port answered: nothing (closed), bytes that are not HTTP, or an
// HTTP error. Before, it carried the request counts by endpoint and code, the request durations
// and each collector's series, which told the caller how the port answered.
func TestProbeOfDownTargetRevealsOnlyUp(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	teapot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "<html>not a ZVM</html>", http.StatusTeapot)
	}))
	t.Cleanup(teapot.Close)
	targets := []string{closed.URL, garbageListener(t), teapot.URL}
	p := NewProber(probeHolder(t, targets...), ProbeDefaults{Collectors: relDefaultCollectors(), Timeout: 2 * time.Second},
		log.NewNopLogger())
	t.Cleanup(p.Close)
	for _, target := range targets {
		for round := range 2 { // the first probe builds the target, the second finds it kept
			w := probe(p, target, "5")
			if w.Code != http.StatusOK {
				t.Fatalf("probe %d of %s: HTTP %d %s", round, target, w.Code, w.Body)
			}
			var series []string
			for line := range strings.Lines(w.Body.String()) {
				if !strings.HasPrefix(line, "#") {
					series = append(series, strings.TrimSpace(line))
				}
			}
			if len(series) != 1 || series[0] != "zerto_up 0" {
				t.Errorf("probe %d of %s answers %q, want zerto_up 0 alone", round, target, series)
			}
		}
	}
}

// TestProbeTargetsBounded: beyond MaxTargets the least recently probed target is dropped and
// counted, and a timer drops idle targets with no probe arriving (before, 2,000 targets were
// kept, 4.74 GB, and idle ones were dropped only by the next probe).
func TestProbeTargetsBounded(t *testing.T) {
	var targets []string
	for range 5 {
		srv := httptest.NewServer(http.NotFoundHandler())
		targets = append(targets, srv.URL)
		srv.Close() // unreachable: probes answer zerto_up 0 at once
	}
	var skew atomic.Int64 // the prober's clock stands still until the test moves it
	start := time.Now()
	p := newProber(probeHolder(t, targets...), ProbeDefaults{Collectors: relDefaultCollectors(), Timeout: time.Second,
		MaxTargets: 3, IdleExpiry: 200 * time.Millisecond}, log.NewNopLogger(),
		func() time.Time { return start.Add(time.Duration(skew.Load())) })
	t.Cleanup(p.Close)
	for _, tg := range targets {
		skew.Add(int64(time.Millisecond))
		if w := probe(p, tg, "2"); w.Code != http.StatusOK {
			t.Fatalf("probe of %s: HTTP %d %s", tg, w.Code, w.Body)
		}
	}
	if n := p.Kept(); n != 3 {
		t.Fatalf("%d targets kept, bound 3", n)
	}
	// The three most recently probed are the ones kept: probing them again drops nothing.
	for _, tg := range targets[2:] {
		skew.Add(int64(time.Millisecond))
		_ = probe(p, tg, "2")
	}
	if got := p.droppedFor(dropCapacity); got != 2 {
		t.Errorf("dropped for capacity: %d, want 2 (the two least recently probed)", got)
	}
	skew.Add(int64(time.Second)) // a second passes with no probe
	if !tu.Poll(3*time.Second, func() bool { return p.Kept() == 0 }) {
		t.Fatalf("%d idle targets still kept with no probe arriving", p.Kept())
	}
	if got := p.droppedFor(dropIdle); got != 3 {
		t.Errorf("dropped as idle: %d, want 3", got)
	}
}

func (p *Prober) droppedFor(reason string) uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dropped[reason]
}

// hangingZVM answers nothing until the request's context ends: a token endpoint that stalls.
func hangingZVM(t *testing.T) string {
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server notices the client leave
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) })
	return srv.URL
}

// TestProbesCannotStarveTheFlagTarget: four /probe targets that stall hold every shared refresh
// slot until their scrapes' deadline, and the --zvm.url target is still scraped healthy on its
// own slot; the stalled waits and holds are counted and a starved target says so once in its log
// (before, the four probes held all four slots for 58 s and /metrics said zerto_up 0 silently).
func TestProbesCannotStarveTheFlagTarget(t *testing.T) {
	gate := snapshot.NewGate(2)
	var targets []string
	for range 4 {
		targets = append(targets, hangingZVM(t))
	}
	var logBuf tu.SyncBuffer
	p := NewProber(probeHolder(t, targets...), ProbeDefaults{Collectors: relDefaultCollectors(), Timeout: 5 * time.Second,
		Gate: gate}, log.NewLogfmtLogger(&logBuf))
	t.Cleanup(p.Close)
	sim := relNewSim(t, zvmsim.Options{})
	zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
	own := relNewReliabilityTarget(t, zvmURL, func(o *TargetOptions) { o.Gate = gate.Own() })

	// Each round: two targets hold both shared slots for 3 s, two more find none within their 1 s
	// scrapes, and the --zvm.url target is scraped meanwhile.
	const rounds = 2
	for round := range rounds {
		var wg sync.WaitGroup
		for _, tg := range targets[:2] {
			wg.Go(func() { _ = probe(p, tg, "3") })
		}
		time.Sleep(300 * time.Millisecond)
		for _, tg := range targets[2:] {
			wg.Go(func() { _ = probe(p, tg, "1") })
		}
		r := relScrape(t, own, "1", 0)
		relWantHealthy(t, r, fmt.Sprintf("round %d: the --zvm.url target while /probe targets stall", round))
		wg.Wait()
	}
	stats := gate.Stats()
	if stats.WaitTimeouts.Load() == 0 || stats.HoldTimeouts.Load() == 0 {
		t.Errorf("waits cut %d, holds cut %d: want both counted", stats.WaitTimeouts.Load(), stats.HoldTimeouts.Load())
	}
	if n := strings.Count(logBuf.String(), "found no slot before the scrape's deadline"); n != 2 {
		t.Errorf("%d log lines about missing slots over %d rounds, want one per starved target (2):\n%s", n, rounds, logBuf.String())
	}
}

// TestLongURLRefused: a 1 MB target is refused with 414 and logged truncated (before, it was
// written whole into the log on every request).
func TestLongURLRefused(t *testing.T) {
	var logBuf tu.SyncBuffer
	reached := false
	h := LimitURL(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }), log.NewLogfmtLogger(&logBuf))
	long := "https://zvm.example.com/" + strings.Repeat("a", 1<<20)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/probe?target="+url.QueryEscape(long), nil))
	if w.Code != http.StatusRequestURITooLong || reached {
		t.Fatalf("1 MB target: HTTP %d, handler reached %v; want 414 before the handler", w.Code, reached)
	}
	if n := len(logBuf.String()); n == 0 || n > 1024 {
		t.Errorf("log of the refused URL is %d bytes, want a truncated line", n)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/probe?target="+url.QueryEscape("https://zvm.example.com"), nil))
	if !reached {
		t.Error("a short URL did not reach the handler")
	}
}
