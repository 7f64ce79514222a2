package exporter

// Reliability and bad input (issue 8): each scenario drives a real Target through its HTTP entry
// point against the ZVM simulator, so a regression anywhere between the client and the
// exposition fails here.

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// Paths as zvmsim.RequestCounts names them (lower case).
const (
	relSimTokenPath   = "/auth/realms/zerto/protocol/openid-connect/token"
	relSimSessionPath = "/v1/session/add"
)

// relDefaultCollectors are the collectors on without flags (all but vsphere).
func relDefaultCollectors() []string {
	var out []string
	for _, c := range collector.Available() {
		if c.DefaultOn {
			out = append(out, c.Name)
		}
	}
	return out
}

func relNewSim(t *testing.T, opts zvmsim.Options) *zvmsim.Sim {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 8
	}
	if opts.VMs == 0 {
		opts.VMs = 12 // a few VPGs and VRAs: every shape, and quick scrapes under -race
	}
	return simtest.New(t, opts)
}

// relNewReliabilityTarget watches url as the default (appliance) user, every scrape refreshing.
func relNewReliabilityTarget(t *testing.T, url string, mut func(*TargetOptions)) *Target {
	t.Helper()
	o := TargetOptions{
		Client: zvm.Config{URL: url, Auth: zvm.AuthAuto, Username: zvmsim.DefaultUsername,
			Password: zvmsim.DefaultPassword, Timeout: 5 * time.Second},
		Collectors: relDefaultCollectors(),
	}
	if mut != nil {
		mut(&o)
	}
	tg, err := NewTarget(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close(context.Background()) })
	return tg
}

// relResult is one parsed scrape.
type relResult struct {
	mfs     map[string]*dto.MetricFamily
	elapsed time.Duration
}

// scrape serves one scrape of tg, with timeout as X-Prometheus-Scrape-Timeout-Seconds ("" for
// none) less offset.
func relScrape(t *testing.T, tg *Target, timeout string, offset time.Duration) relResult {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	if timeout != "" {
		req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", timeout)
	}
	rec := httptest.NewRecorder()
	start := time.Now()
	tg.ServeScrape(rec, req, nil, offset)
	elapsed := time.Since(start)
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape answered HTTP %d: %s", rec.Code, rec.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("scrape is not a valid exposition: %v", err)
	}
	return relResult{mfs: mfs, elapsed: elapsed}
}

func relLabelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, lp := range m.GetLabel() {
		out[lp.GetName()] = lp.GetValue()
	}
	return out
}

func (r relResult) series(name string) []*dto.Metric { return r.mfs[name].GetMetric() }

func (r relResult) up() float64 {
	ms := r.series("zerto_up")
	if len(ms) != 1 {
		return -1
	}
	return ms[0].GetGauge().GetValue()
}

// success maps each collector to its zerto_scrape_collector_success.
func (r relResult) success() map[string]float64 {
	out := map[string]float64{}
	for _, m := range r.series("zerto_scrape_collector_success") {
		out[relLabelsOf(m)["collector"]] = m.GetGauge().GetValue()
	}
	return out
}

// objectFamilies lists the families about Zerto objects: everything but zerto_up, the scrape
// bookkeeping and the client's request metrics.
func (r relResult) objectFamilies() []string {
	var out []string
	for name := range r.mfs {
		if name == "zerto_up" || strings.HasPrefix(name, "zerto_scrape_collector_") || strings.HasPrefix(name, "zerto_exporter_api_") {
			continue
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// requests sums zerto_exporter_api_requests_total for endpoint and code.
func (r relResult) requests(endpoint, code string) float64 {
	var n float64
	for _, m := range r.series("zerto_exporter_api_requests_total") {
		l := relLabelsOf(m)
		if l["endpoint"] == endpoint && l["code"] == code {
			n += m.GetCounter().GetValue()
		}
	}
	return n
}

// relWantHealthy fails unless r is a complete scrape: up, every collector successful.
func relWantHealthy(t *testing.T, r relResult, what string) {
	t.Helper()
	if r.up() != 1 {
		t.Fatalf("%s: zerto_up = %v, want 1", what, r.up())
	}
	for c, v := range r.success() {
		if v != 1 {
			t.Fatalf("%s: collector %s failed", what, c)
		}
	}
	if len(r.success()) < 4 {
		t.Fatalf("%s: success reported only for %v", what, r.success())
	}
	for _, fam := range []string{"zerto_site_info", "zerto_vpg_status", "zerto_vm_info", "zerto_vra_status"} {
		if len(r.series(fam)) == 0 {
			t.Fatalf("%s: no %s series", what, fam)
		}
	}
}

// relWantDown fails unless r is the scrape of an unreachable ZVM: up 0, every collector failed, no
// object series.
func relWantDown(t *testing.T, r relResult, what string) {
	t.Helper()
	if r.up() != 0 {
		t.Fatalf("%s: zerto_up = %v, want 0", what, r.up())
	}
	for c, v := range r.success() {
		if v != 0 {
			t.Fatalf("%s: collector %s succeeded with the ZVM down", what, c)
		}
	}
	if fams := r.objectFamilies(); len(fams) > 0 {
		t.Fatalf("%s: object series served with the ZVM down: %v", what, fams)
	}
}

// relWantOnlyFailed fails unless exactly the collectors in failed failed and zerto_up is 1.
func relWantOnlyFailed(t *testing.T, r relResult, what string, failed ...string) {
	t.Helper()
	if r.up() != 1 {
		t.Fatalf("%s: zerto_up = %v, want 1", what, r.up())
	}
	for _, c := range relDefaultCollectors() {
		want := 1.0
		if slices.Contains(failed, c) {
			want = 0
		}
		if got, ok := r.success()[c]; !ok || got != want {
			t.Fatalf("%s: zerto_scrape_collector_success{collector=%q} = %v (present %v), want %v", what, c, got, ok, want)
		}
	}
}

func relOpenFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(ents)
}

// relFlakyZVM serves the simulator on a fixed address that the test takes down and brings back,
// counting the connections it accepts and those still open.
type relFlakyZVM struct {
	t        *testing.T
	h        http.Handler
	addr     string
	srv      *http.Server
	accepted atomic.Int64
	open     atomic.Int64
}

func relNewFlakyZVM(t *testing.T, h http.Handler) *relFlakyZVM {
	z := &relFlakyZVM{t: t, h: h, addr: "127.0.0.1:0"}
	z.up()
	t.Cleanup(z.down)
	return z
}

func (z *relFlakyZVM) up() {
	var ln net.Listener
	var err error
	// The port of the previous listener is free at once (SO_REUSEADDR); retry for a slow kernel.
	if !testutil.Poll(5*time.Second, func() bool { ln, err = net.Listen("tcp", z.addr); return err == nil }) {
		z.t.Fatalf("rebinding %s: %v", z.addr, err)
	}
	z.addr = ln.Addr().String()
	z.srv = &http.Server{Handler: z.h, ReadHeaderTimeout: 5 * time.Second,
		ConnState: func(_ net.Conn, s http.ConnState) {
			switch s {
			case http.StateNew:
				z.accepted.Add(1)
				z.open.Add(1)
			case http.StateClosed, http.StateHijacked:
				z.open.Add(-1)
			}
		}}
	go z.srv.Serve(ln)
}

// down closes the listener and every connection: the next connection is refused.
func (z *relFlakyZVM) down() { z.srv.Close() }

func (z *relFlakyZVM) url() string { return "http://" + z.addr }

// TestZVMDownAndBack takes the ZVM down and up 100 times: every scrape while it is down says
// zerto_up 0 with no object series, the first scrape after it is back is complete, and nothing
// (goroutines, file descriptors, connections) accumulates over the cycles.
func TestZVMDownAndBack(t *testing.T) {
	const cycles = 100
	sim := relNewSim(t, zvmsim.Options{})
	z := relNewFlakyZVM(t, sim.Handler(zvmsim.Protected))
	// Four collectors fetching one endpoint each keep the pool of four concurrent fetches busy.
	tg := relNewReliabilityTarget(t, z.url(), func(o *TargetOptions) { o.Collectors = []string{"site", "vm", "vpg", "vra"} })

	// settle closes the client's idle connections and waits until the server saw them close.
	settle := func() {
		t.Helper()
		tg.client.Close(context.Background()) // drops idle connections; the token is simply re-fetched
		if !testutil.Poll(5*time.Second, func() bool { return z.open.Load() == 0 }) {
			t.Fatalf("%d server-side connections still open after closing the client's idle ones", z.open.Load())
		}
	}

	relWantHealthy(t, relScrape(t, tg, "10", 0), "warm-up")
	settle()
	runtime.GC()
	goBefore, fdBefore := runtime.NumGoroutine(), relOpenFDs(t)
	acceptedBefore := z.accepted.Load()

	maxOpen := int64(0)
	for i := range cycles {
		cycleStart := time.Now()
		z.down()
		// With 0.45 s for the refresh, the refused connection is reported at once, not retried
		// after the back-off of 0.5 s.
		relWantDown(t, relScrape(t, tg, "0.7", 0), "ZVM down")
		z.up()
		r := relScrape(t, tg, "10", 0)
		relWantHealthy(t, r, "ZVM back")
		if i == 0 && r.requests("/v1/localsite", "error")+r.requests(relSimTokenPath, "error") == 0 {
			t.Fatal("the refused request is not counted as code=\"error\"")
		}
		maxOpen = max(maxOpen, z.open.Load())
		if d := time.Since(cycleStart); d > time.Second {
			t.Logf("cycle %d took %v (recovery scrape %v)", i, d, r.elapsed)
		}
	}
	accepted := z.accepted.Load() - acceptedBefore

	settle()
	var goAfter, fdAfter int
	ok := testutil.Poll(10*time.Second, func() bool {
		goAfter, fdAfter = runtime.NumGoroutine(), relOpenFDs(t)
		return goAfter <= goBefore+2 && fdAfter <= fdBefore+2
	})
	t.Logf("%d cycles: goroutines %d -> %d, fds %d -> %d, connections accepted %d (%.1f per recovery), at most %d open",
		cycles, goBefore, goAfter, fdBefore, fdAfter, accepted, float64(accepted)/cycles, maxOpen)
	if !ok {
		var dump bytes.Buffer
		pprof.Lookup("goroutine").WriteTo(&dump, 1)
		t.Fatalf("leak over %d outages: goroutines %d -> %d, fds %d -> %d\n%s", cycles, goBefore, goAfter, fdBefore, fdAfter, dump.String())
	}
	// Every outage closes every connection, so each recovery needs new ones: at most one per
	// concurrent fetch (4) plus the /v1/localsite probe's.
	if limit := int64(cycles * 5); accepted > limit {
		t.Errorf("%d connections accepted over %d recoveries, want at most %d", accepted, cycles, limit)
	}
	if maxOpen > 8 {
		t.Errorf("up to %d connections open at once, want at most 8 (the idle pool per host)", maxOpen)
	}
}

// TestZVMDownCacheExpiry uses the simulator's own down fault with a cache TTL: a snapshot may be
// served until it expires, but the first scrape after that says zerto_up 0, and the first scrape
// after the ZVM is back and the cache expired is complete again.
func TestZVMDownCacheExpiry(t *testing.T) {
	const ttl = 300 * time.Millisecond
	sim := relNewSim(t, zvmsim.Options{})
	if err := sim.Start("127.0.0.1:0", ""); err != nil {
		t.Fatal(err)
	}
	tg := relNewReliabilityTarget(t, sim.URL(zvmsim.Protected), func(o *TargetOptions) { o.CacheTTL = ttl })

	start := time.Now()
	relWantHealthy(t, relScrape(t, tg, "10", 0), "before the outage")
	refreshed := time.Now() // the snapshot was taken before this
	simtest.Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindDown, Site: "protected"})
	r := relScrape(t, tg, "10", 0)
	if time.Since(start) < ttl {
		relWantHealthy(t, r, "within the cache TTL") // the cached snapshot, no request made
	}
	time.Sleep(time.Until(refreshed.Add(ttl))) // let the snapshot age past the TTL
	relWantDown(t, relScrape(t, tg, "0.7", 0), "first scrape after the cache expired")
	refreshed = time.Now()

	sim.ClearFaults() // rebinds the same address before it returns
	time.Sleep(time.Until(refreshed.Add(ttl)))
	relWantHealthy(t, relScrape(t, tg, "10", 0), "first scrape after the ZVM is back")
}

// relFakeClock is wall time plus an offset that the test moves, shared by the simulator and the
// client so both agree on token lifetimes.
type relFakeClock struct{ offset atomic.Int64 }

func (c *relFakeClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *relFakeClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// TestCredentialsExpireMidRun scrapes across many credential lifetimes and expiries: not one
// scrape fails.
func TestCredentialsExpireMidRun(t *testing.T) {
	t.Run("appliance tokens renewed before expiry", func(t *testing.T) {
		t.Parallel()
		const ttl = 60 * time.Second // above zvm.MinTokenLifetime, which shorter tokens are held to
		clock := &relFakeClock{}
		sim := relNewSim(t, zvmsim.Options{TokenTTL: ttl, Clock: clock.Now})
		zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
		tg := relNewReliabilityTarget(t, zvmURL, func(o *TargetOptions) { o.Client.Now = clock.Now })
		const steps, step = 16, 21 * time.Second // 336 s: five and a half token lifetimes
		var last relResult
		for i := range steps {
			last = relScrape(t, tg, "10", 0)
			relWantHealthy(t, last, "scrape "+time.Duration(i*int(step)).String()+" in")
			clock.Advance(step)
		}
		logins := sim.RequestCounts(zvmsim.Protected)[relSimTokenPath]
		lifetimes := int64(steps * step / ttl)
		t.Logf("%d scrapes over %d token lifetimes: %d token requests", steps, lifetimes, logins)
		if logins < lifetimes || logins > 2*lifetimes+1 {
			t.Errorf("%d token requests over %d token lifetimes, want one per lifetime or so", logins, lifetimes)
		}
		// Renewed ahead of expiry: the ZVM never had to refuse a token.
		for _, ep := range []string{"/v1/localsite", "/v1/vpgs", "/v1/vms"} {
			if n := last.requests(ep, "401"); n != 0 {
				t.Errorf("%s answered 401 %v times: the token was not renewed in time", ep, n)
			}
		}
	})

	t.Run("windows session expires when idle", func(t *testing.T) {
		t.Parallel()
		clock := &relFakeClock{}
		sim := relNewSim(t, zvmsim.Options{Flavour: zvmsim.FlavourWindows, SessionIdleTimeout: time.Minute, Clock: clock.Now})
		zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
		tg := relNewReliabilityTarget(t, zvmURL, func(o *TargetOptions) { o.Client.Auth = zvm.AuthSession })
		const idles = 3
		for i := range idles + 1 {
			relWantHealthy(t, relScrape(t, tg, "10", 0), "scrape after idle period")
			relWantHealthy(t, relScrape(t, tg, "10", 0), "second scrape in a row")
			if i < idles {
				clock.Advance(time.Minute + time.Second) // the ZVM forgets the idle session
			}
		}
		if n := sim.RequestCounts(zvmsim.Protected)[relSimSessionPath]; n != idles+1 {
			t.Errorf("%d session logins, want %d (one at start, one per expired session)", n, idles+1)
		}
	})

	for _, flavour := range []string{zvmsim.FlavourAppliance, zvmsim.FlavourWindows} {
		t.Run(flavour+" expire_credentials fault", func(t *testing.T) {
			t.Parallel()
			sim := relNewSim(t, zvmsim.Options{Flavour: flavour})
			zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
			tg := relNewReliabilityTarget(t, zvmURL, nil)
			const expiries = 3
			for range expiries {
				relWantHealthy(t, relScrape(t, tg, "10", 0), "before expiry")
				simtest.Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindExpireCredentials})
				relWantHealthy(t, relScrape(t, tg, "10", 0), "right after the ZVM dropped every credential")
			}
			counts := sim.RequestCounts(zvmsim.Protected)
			login := relSimTokenPath
			if flavour == zvmsim.FlavourWindows {
				login = relSimSessionPath
			}
			if n := counts[login]; n != expiries+1 {
				t.Errorf("%d logins at %s, want %d (one at start, one per expiry)", n, login, expiries+1)
			}
		})
	}
}

// TestWrongCredentials scrapes 50 times, a second apart, with a wrong password: each scrape says
// zerto_up 0 at once, logins back off (1 s, 2 s, 4 s …) and each login yields one log line.
func TestWrongCredentials(t *testing.T) {
	for _, flavour := range []string{zvmsim.FlavourAppliance, zvmsim.FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			sim := relNewSim(t, zvmsim.Options{Flavour: flavour})
			zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
			var logs testutil.SyncBuffer
			clock := &relFakeClock{}
			const secret = "not-the-Pa55word"
			tg := relNewReliabilityTarget(t, zvmURL, func(o *TargetOptions) {
				o.Client.Password = secret
				o.Client.Now = clock.Now
				o.Logger = level.NewFilter(log.NewLogfmtLogger(&logs), level.AllowInfo())
			})
			const scrapes = 50
			for range scrapes {
				r := relScrape(t, tg, "10", 0)
				relWantDown(t, r, "wrong password")
				if r.elapsed > 2*time.Second {
					t.Fatalf("a scrape with wrong credentials took %v", r.elapsed)
				}
				clock.Advance(time.Second)
			}
			counts := sim.RequestCounts(zvmsim.Protected)
			logins := counts[relSimTokenPath] + counts[relSimSessionPath]
			// Logins at 0, 1, 3, 7, 15 and 31 s; auto detection on a Windows ZVM asks the token
			// endpoint once as well.
			if logins < 5 || logins > 8 {
				t.Errorf("%d login requests over %d scrapes in %d s, want 5 to 8 (backing off 1 s, 2 s, 4 s …)", logins, scrapes, scrapes)
			}
			lines := logs.Lines()
			rejected := 0
			for _, l := range lines {
				if strings.Contains(l, secret) {
					t.Fatalf("the password is in the log: %s", l)
				}
				if strings.Contains(l, "login rejected") {
					rejected++
					if !strings.Contains(l, "status=401") || !strings.Contains(l, "next_attempt_in=") {
						t.Errorf("login failure line does not say what and when next: %s", l)
					}
				}
			}
			t.Logf("%d login requests, %d log lines:\n%s", logins, len(lines), strings.Join(lines, "\n"))
			if rejected < 5 || rejected > 6 {
				t.Errorf("%d \"login rejected\" lines, want one per back-off period (5 or 6)", rejected)
			}
			// Besides those: at most the flavour detection and the endpoint's first failure.
			if len(lines) > rejected+2 {
				t.Errorf("%d log lines for %d back-off periods: a log storm", len(lines), rejected)
			}
		})
	}
}

// TestEndpointHTTPErrors makes one endpoint answer 500, 503 or 429: only the collector owning it
// fails, and retries (503 and 429 come with Retry-After: 1) stay inside the scrape's budget.
func TestEndpointHTTPErrors(t *testing.T) {
	sim := relNewSim(t, zvmsim.Options{})
	zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
	tg := relNewReliabilityTarget(t, zvmURL, nil)
	relWantHealthy(t, relScrape(t, tg, "10", 0), "before the faults")

	const offset = 500 * time.Millisecond // the --web.timeout-offset default
	for _, status := range []int{500, 503, 429} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			before := sim.RequestCounts(zvmsim.Protected)["/v1/vms"]
			simtest.Incident(t, sim, zvmsim.Fault{Kind: zvmsim.KindHTTPError, Endpoint: "/v1/vms", Status: status})
			r := relScrape(t, tg, "2", offset)
			relWantOnlyFailed(t, r, "/v1/vms failing", "vm")
			if n := len(r.series("zerto_vm_info")); n != 0 {
				t.Errorf("%d zerto_vm_info series served from a failed /v1/vms", n)
			}
			if r.elapsed >= 2*time.Second {
				t.Errorf("scrape with a 2 s timeout took %v", r.elapsed)
			}
			attempts := sim.RequestCounts(zvmsim.Protected)["/v1/vms"] - before
			switch status {
			case 500:
				if attempts != 1 {
					t.Errorf("HTTP 500 tried %d times, want 1 (not retried)", attempts)
				}
			default:
				// 1.5 s of budget less the margin leaves room for one retry after 1 s (none if
				// a loaded machine was slow to read /v1/localsite), never for a second.
				if attempts < 1 || attempts > 2 {
					t.Errorf("HTTP %d tried %d times within the budget, want 2", status, attempts)
				}
			}
			t.Logf("HTTP %d: %d attempts, scrape took %v", status, attempts, r.elapsed)
		})
	}

	t.Run("localsite", func(t *testing.T) {
		simtest.Incident(t, sim, zvmsim.Fault{Kind: zvmsim.KindHTTPError, Endpoint: "/v1/localsite", Status: 503})
		r := relScrape(t, tg, "2", offset)
		relWantDown(t, r, "/v1/localsite failing")
		if r.elapsed >= 2*time.Second {
			t.Errorf("scrape with a 2 s timeout took %v", r.elapsed)
		}
	})
	relWantHealthy(t, relScrape(t, tg, "10", 0), "after the faults")
}

// relOverride serves chosen paths itself and passes the rest to the simulator.
type relOverride struct {
	next http.Handler
	mu   sync.Mutex
	h    map[string]http.HandlerFunc
}

func (o *relOverride) set(path string, h http.HandlerFunc) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.h == nil {
		o.h = map[string]http.HandlerFunc{}
	}
	if h == nil {
		delete(o.h, path)
		return
	}
	o.h[path] = h
}

func (o *relOverride) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	h := o.h[r.URL.Path]
	o.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	o.next.ServeHTTP(w, r)
}

// relSimJSON returns the simulator's answer for path, decoded as a list of objects.
func relSimJSON(t *testing.T, h http.Handler, r *http.Request) []map[string]any {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	var out []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out) == 0 {
		// Called from handlers: report, and answer something that fails the test's checks.
		t.Errorf("simulator %s: %v (%d objects, HTTP %d)", r.URL.Path, err, len(out), rec.Code)
		return []map[string]any{{}}
	}
	return out
}

// relEdited serves the simulator's own answer after edit changed it.
func relEdited(t *testing.T, sim http.Handler, edit func([]map[string]any)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		items := relSimJSON(t, sim, r)
		edit(items)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(items)
	}
}

// TestBadBodies feeds malformed, truncated, mistyped, unknown, oversized and endless bodies to
// one endpoint at a time: its collector fails with a clear error in the log, the rest of the
// scrape is complete, nothing panics and memory stays bounded.
func TestBadBodies(t *testing.T) {
	const maxBytes = 512 << 10
	sim := relNewSim(t, zvmsim.Options{})
	simH := sim.Handler(zvmsim.Protected)
	ov := &relOverride{next: simH}
	srv := httptest.NewServer(ov)
	defer srv.Close()
	var logs testutil.SyncBuffer
	tg := relNewReliabilityTarget(t, srv.URL, func(o *TargetOptions) {
		o.Client.MaxResponseBytes = maxBytes
		o.Logger = level.NewFilter(log.NewLogfmtLogger(&logs), level.AllowInfo())
	})
	baseline := relScrape(t, tg, "10", 0)
	relWantHealthy(t, baseline, "baseline")

	// wantLogged checks that the endpoint's failure was logged once, with a reason.
	wantLogged := func(t *testing.T, endpoint, reason string) {
		t.Helper()
		for _, l := range logs.Lines() {
			if strings.Contains(l, "endpoint="+endpoint) && strings.Contains(l, "ZVM endpoint failed") && strings.Contains(l, reason) {
				return
			}
		}
		t.Errorf("no log line says %s failed with %q:\n%s", endpoint, reason, strings.Join(logs.Lines(), "\n"))
	}

	t.Run("malformed fault", func(t *testing.T) {
		simtest.Incident(t, sim, zvmsim.Fault{Kind: zvmsim.KindMalformed, Endpoint: "/v1/vpgs"})
		r := relScrape(t, tg, "10", 0)
		relWantOnlyFailed(t, r, "truncated /v1/vpgs", "vpg")
		wantLogged(t, "/v1/vpgs", "truncated response")
	})

	t.Run("connection closed mid-body", func(t *testing.T) {
		defer ov.set("/v1/vras", nil)
		ov.set("/v1/vras", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "4096")
			w.Write([]byte(`[{"VraName":"vra-1","Status":0},{"VraN`))
		})
		relWantOnlyFailed(t, relScrape(t, tg, "10", 0), "short /v1/vras", "vra")
		wantLogged(t, "/v1/vras", "truncated response")
	})

	t.Run("string where a number belongs", func(t *testing.T) {
		defer ov.set("/v1/vpgs", nil)
		ov.set("/v1/vpgs", relEdited(t, simH, func(items []map[string]any) { items[0]["ActualRPO"] = "fast" }))
		relWantOnlyFailed(t, relScrape(t, tg, "10", 0), "mistyped /v1/vpgs", "vpg")
		wantLogged(t, "/v1/vpgs", "ActualRPO")
	})

	t.Run("unknown enum values", func(t *testing.T) {
		defer ov.set("/v1/vpgs", nil)
		var name string
		ov.set("/v1/vpgs", relEdited(t, simH, func(items []map[string]any) {
			name, _ = items[0]["VpgName"].(string)
			items[0]["Status"] = 99
			items[0]["SubStatus"] = 999
		}))
		r := relScrape(t, tg, "10", 0)
		relWantOnlyFailed(t, r, "VPG status 99")
		// The state set keeps its label values; the VPG is in state Unknown.
		states := func(r relResult) []string {
			var out []string
			for _, m := range r.series("zerto_vpg_status") {
				if s := relLabelsOf(m)["status"]; !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
			sort.Strings(out)
			return out
		}
		if got, want := states(r), states(baseline); !slices.Equal(got, want) {
			t.Errorf("zerto_vpg_status label values %v, want the known ones %v", got, want)
		}
		found := false
		for _, m := range r.series("zerto_vpg_status") {
			l := relLabelsOf(m)
			if l["vpg"] != name {
				continue
			}
			found = true
			if want := map[bool]float64{true: 1, false: 0}[l["status"] == "Unknown"]; m.GetGauge().GetValue() != want {
				t.Errorf("zerto_vpg_status{vpg=%q,status=%q} = %v, want %v", name, l["status"], m.GetGauge().GetValue(), want)
			}
		}
		if !found {
			t.Errorf("no zerto_vpg_status series for %q", name)
		}
		for _, m := range r.series("zerto_vpg_substatus_info") {
			if l := relLabelsOf(m); l["vpg"] == name && l["substatus"] != "Unknown" {
				t.Errorf("substatus 999 exported as %q, want Unknown", l["substatus"])
			}
		}
	})

	t.Run("over the size cap", func(t *testing.T) {
		defer ov.set("/v1/alerts", nil)
		big := `[` + strings.Repeat(`{"Description":"`+strings.Repeat("x", 1000)+`"},`, maxBytes/1000) + `{}]`
		ov.set("/v1/alerts", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(big))
		})
		relWantOnlyFailed(t, relScrape(t, tg, "10", 0), "oversized /v1/alerts", "alert")
		wantLogged(t, "/v1/alerts", "exceeds")
	})

	// A body that never ends: the size cap stops it, the server sees the client hang up, and
	// the memory spent is about that of a normal scrape.
	t.Run("endless body", func(t *testing.T) {
		measure := func() (r relResult, alloc, peak uint64) {
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			a0, h0 := ms.TotalAlloc, ms.HeapInuse
			stop, sampled := make(chan struct{}), make(chan uint64)
			go func() {
				var peak uint64
				var m runtime.MemStats
				for {
					runtime.ReadMemStats(&m)
					peak = max(peak, m.HeapInuse)
					select {
					case <-stop:
						sampled <- peak
						return
					case <-time.After(2 * time.Millisecond):
					}
				}
			}()
			r = relScrape(t, tg, "10", 0)
			close(stop)
			p := <-sampled
			runtime.ReadMemStats(&ms)
			return r, ms.TotalAlloc - a0, p - min(p, h0)
		}
		_, normalAlloc, normalPeak := measure()

		defer ov.set("/v1/datastores", nil)
		chunk := bytes.Repeat([]byte(`{"DatastoreName":"ds-endless","Stats":{"Usage":{"Datastore":{"CapacityInBytes":1}}}},`), 512)
		var sent atomic.Int64
		done := make(chan struct{}, 1)
		ov.set("/v1/datastores", func(w http.ResponseWriter, r *http.Request) {
			defer func() { done <- struct{}{} }()
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte("["))
			for {
				n, err := w.Write(chunk)
				sent.Add(int64(n))
				if err != nil {
					return
				}
			}
		})
		r, alloc, peak := measure()
		relWantOnlyFailed(t, r, "endless /v1/datastores", "datastore")
		wantLogged(t, "/v1/datastores", "exceeds")
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("the endless body is still being sent 5 s after the scrape: the client did not hang up")
		}
		t.Logf("endless body: %d KiB sent; scrape allocated %d KiB (normal scrape %d KiB), heap in use rose by at most %d KiB (normal %d KiB)",
			sent.Load()>>10, alloc>>10, normalAlloc>>10, peak>>10, normalPeak>>10)
		// The cap is 512 KiB; decoding that much and the rest of the scrape fit in a few times it.
		if limit := normalAlloc + 16*maxBytes; alloc > limit {
			t.Errorf("scrape with an endless body allocated %d KiB, want at most %d KiB", alloc>>10, limit>>10)
		}
		if limit := normalPeak + 16*maxBytes; peak > limit {
			t.Errorf("heap in use rose by %d KiB with an endless body, want at most %d KiB", peak>>10, limit>>10)
		}
	})

	// A body that trickles forever: the scrape deadline stops it.
	t.Run("endless trickle", func(t *testing.T) {
		defer ov.set("/v1/license", nil)
		ov.set("/v1/license", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"Details":{"LicenseKey":"`))
			for {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(10 * time.Millisecond):
				}
				if _, err := w.Write([]byte("x")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		})
		r := relScrape(t, tg, "3", 0)
		relWantOnlyFailed(t, r, "trickling /v1/license", "license")
		if r.elapsed >= 3*time.Second {
			t.Errorf("scrape with a 3 s timeout took %v", r.elapsed)
		}
	})

	relWantHealthy(t, relScrape(t, tg, "10", 0), "after the bad bodies")
}

// vmRows lists the (vm, vpg) pairs of zerto_vm_info.
func (r relResult) vmRows() []string {
	var out []string
	for _, m := range r.series("zerto_vm_info") {
		l := relLabelsOf(m)
		out = append(out, l["vm"]+"/"+l["vpg"])
	}
	sort.Strings(out)
	return out
}

// simVMRows lists the (vm, vpg) pairs the simulator's truth holds.
func simVMRows(sim *zvmsim.Sim) []string {
	var out []string
	for _, v := range sim.State().VMs {
		out = append(out, v.Name+"/"+v.VPG)
	}
	sort.Strings(out)
	return out
}

// TestSlowZVM makes /v1/vms slower than the scrape timeout: the scrape answers in time with the
// vm collector failed, and a response that arrives after its refresh gave up never reaches a
// later snapshot. The 3 s timeout leaves the other endpoints room on a busy machine under -race.
func TestSlowZVM(t *testing.T) {
	const offset = 250 * time.Millisecond
	sim := relNewSim(t, zvmsim.Options{})
	simH := sim.Handler(zvmsim.Protected)
	ov := &relOverride{next: simH}
	srv := httptest.NewServer(ov)
	defer srv.Close()
	tg := relNewReliabilityTarget(t, srv.URL, nil)
	relWantHealthy(t, relScrape(t, tg, "10", 0), "warm-up")

	t.Run("latency fault", func(t *testing.T) {
		simtest.Incident(t, sim, zvmsim.Fault{Kind: zvmsim.KindLatency, Endpoint: "/v1/vms", MS: 8000})
		r := relScrape(t, tg, "3", offset)
		relWantOnlyFailed(t, r, "/v1/vms slower than the scrape", "vm")
		if r.elapsed >= 3*time.Second {
			t.Errorf("scrape with a 3 s timeout took %v", r.elapsed)
		}
		if n := len(r.series("zerto_vm_info")); n != 0 {
			t.Errorf("%d zerto_vm_info series without a /v1/vms answer", n)
		}
	})

	t.Run("late response", func(t *testing.T) {
		// This /v1/vms ignores the client hanging up and answers when released, with a VM that
		// exists nowhere else.
		release, written := make(chan struct{}), make(chan struct{})
		ov.set("/v1/vms", func(w http.ResponseWriter, r *http.Request) {
			defer close(written)
			items := relSimJSON(t, simH, r)
			items[0]["VmName"] = "LATE-VM"
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
			json.NewEncoder(w).Encode(items)
		})
		r := relScrape(t, tg, "3", offset)
		relWantOnlyFailed(t, r, "/v1/vms late", "vm")
		if r.elapsed >= 3*time.Second {
			t.Errorf("scrape with a 3 s timeout took %v", r.elapsed)
		}
		ov.set("/v1/vms", nil) // from now on the simulator answers at once

		// The next refresh runs while the late answer is pending, another after it was sent.
		for _, when := range []string{"while the late answer is pending", "after the late answer was sent"} {
			r := relScrape(t, tg, "10", 0)
			relWantHealthy(t, r, when)
			got, want := r.vmRows(), simVMRows(sim)
			if !slices.Equal(got, want) {
				t.Errorf("%s: zerto_vm_info rows differ from the simulator's state:\n got %v\nwant %v", when, got, want)
			}
			if slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "LATE-VM/") }) {
				t.Errorf("%s: the late response's VM is exported", when)
			}
			if when == "while the late answer is pending" {
				close(release)
				<-written
			}
		}
	})
}
