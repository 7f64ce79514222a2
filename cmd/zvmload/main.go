// Command zvmload measures zerto_exporter against the targets of docs/performance.md: it starts
// the built zvmsim and zerto_exporter binaries as child processes on free loopback ports, drives
// real HTTP scrapes, reads the exporter's CPU time and memory from /proc/<pid>, and the upstream
// request counts from zvmsim's GET /_sim/state. It prints each figure against its target with
// PASS or FAIL and exits 1 when any target fails.
//
// --mode single (the default) measures one ZVM on /metrics; --mode estate many ZVMs, each its own
// zvmsim, through /probe (estate.go); --mode leak target rebuilds through /probe (leak.go).
//
//	go build -o zerto_exporter ./cmd/zerto_exporter && go build -o zvmsim ./cmd/zvmsim
//	go run ./cmd/zvmload --profile large --scales 1000,5000,10000,20000
//	go run ./cmd/zvmload --profile large --mode estate --estate-targets 1,10,20 --estate-vms 5000
//	go run ./cmd/zvmload --profile large --mode leak --leak-zvms 20 --leak-rounds 500
package main

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

const (
	simUser     = "admin"
	simPassword = "zerto"
	mib         = 1 << 20
)

// Targets of issues 9 and 24.
const (
	targetCPURatio   = 1.2 // at the main run's size (the large profile: 10,000 VMs)
	targetCPURatio2x = 1.3 // at 20,000 VMs and more, in the scaling sweep
	targetScrapeP99  = 100 * time.Millisecond
	targetSteadyRSS  = 100 * mib
	targetPeakRSS    = 150 * mib
	targetLinearity  = 1.5 // marginal cost per VM, 10k→20k over 1k→10k
	promAcceptHeader = "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.1"
)

type options struct {
	exporter, sim string
	profile       string
	vms           int
	scales        []int
	seed          int64
	cacheTTL      time.Duration
	refreshes     int
	scrapes       int
	textScrapes   int
	scrapeGap     time.Duration
	concurrent    int
	floorRuns     int
	extraArgs     []string
	encodings     []string
	verbose       bool

	mode           string
	estateTargets  []int
	estateVMs      int
	estateInterval time.Duration
	estateTimeout  time.Duration
	estateTTL      time.Duration
	estateDuration time.Duration
	leakZVMs       int
	leakVMs        int
	leakRounds     int
}

func main() {
	var o options
	var scales, extra string
	flag.StringVar(&o.exporter, "exporter", "./zerto_exporter", "path of the built zerto_exporter binary")
	flag.StringVar(&o.sim, "zvmsim", "./zvmsim", "path of the built zvmsim binary")
	flag.StringVar(&o.profile, "profile", "large", "zvmsim --profile")
	flag.IntVar(&o.vms, "vms", 0, "zvmsim --vms for the main run (0 = the profile's size)")
	flag.StringVar(&scales, "scales", "", "comma-separated VM counts for the linearity sweep, e.g. 1000,5000,10000,20000 (empty = none)")
	flag.Int64Var(&o.seed, "seed", 1, "zvmsim --seed")
	flag.DurationVar(&o.cacheTTL, "cache-ttl", 3*time.Second, "exporter --zvm.cache-ttl")
	flag.IntVar(&o.refreshes, "refreshes", 7, "refreshes measured for CPU (median)")
	flag.IntVar(&o.scrapes, "scrapes", 1000, "sequential scrapes of the memory and latency phase")
	flag.IntVar(&o.textScrapes, "text-scrapes", 200, "sequential scrapes of the memory and latency phase of the "+encText+
		" run (each inflates the cached exposition, tens of milliseconds at 10,000 VMs)")
	flag.DurationVar(&o.scrapeGap, "scrape-gap", 10*time.Millisecond, "pause between the sequential scrapes, so that they span several refreshes")
	flag.IntVar(&o.concurrent, "concurrent", 50, "concurrent scrapes after the cache expired")
	flag.IntVar(&o.floorRuns, "floor-runs", 5, "minimum rounds of the json.Unmarshal floor")
	flag.StringVar(&extra, "exporter-args", "", "extra exporter flags, space separated")
	var encodings string
	flag.StringVar(&encodings, "encodings", encOpenMetricsGzip+","+encText, "scrape kinds of the main run, one run each: "+
		encOpenMetricsGzip+" (as Prometheus asks) and "+encText+" (uncompressed text, as curl asks)")
	flag.BoolVar(&o.verbose, "v", false, "log progress")
	flag.StringVar(&o.mode, "mode", "single", "single: one ZVM on /metrics (issue 9); estate: many ZVMs through /probe; leak: target rebuilds through /probe")
	var estateTargets string
	flag.StringVar(&estateTargets, "estate-targets", "1,10,20", "estate: the numbers of ZVMs, one run each (the first should be 1, the reference)")
	flag.IntVar(&o.estateVMs, "estate-vms", 5000, "estate: zvmsim --vms of each ZVM")
	flag.DurationVar(&o.estateInterval, "estate-interval", 30*time.Second, "estate: scrape interval of each target")
	flag.DurationVar(&o.estateTimeout, "estate-timeout", 25*time.Second, "estate and leak: scrape timeout of each probe")
	flag.DurationVar(&o.estateTTL, "estate-cache-ttl", 25*time.Second, "estate: exporter --zvm.cache-ttl (below the interval, so that every probe refreshes)")
	flag.DurationVar(&o.estateDuration, "estate-duration", 3*time.Minute, "estate: steady-state time of each run")
	flag.IntVar(&o.leakZVMs, "leak-zvms", 20, "leak: number of ZVMs")
	flag.IntVar(&o.leakVMs, "leak-vms", 50, "leak: zvmsim --vms of each ZVM")
	flag.IntVar(&o.leakRounds, "leak-rounds", 500, "leak: rounds of probes, each after all targets were dropped")
	flag.Parse()
	o.estateTargets = parseInts("estate-targets", estateTargets)
	for s := range strings.SplitSeq(scales, ",") {
		if s = strings.TrimSpace(s); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				fatalf("--scales: %v", err)
			}
			o.scales = append(o.scales, n)
		}
	}
	o.extraArgs = strings.Fields(extra)
	for e := range strings.SplitSeq(encodings, ",") {
		if e = strings.TrimSpace(e); e != encOpenMetricsGzip && e != encText {
			fatalf("--encodings: %q is not %s or %s", e, encOpenMetricsGzip, encText)
		}
		o.encodings = append(o.encodings, strings.TrimSpace(e))
	}

	rep := &report{}
	fmt.Printf("zvmload: %s, GOMAXPROCS of the exporter unset (%d CPUs), exporter %s, zvmsim %s, load average %s\n",
		time.Now().UTC().Format(time.RFC3339), numCPU(), o.exporter, o.sim, loadAvg())
	switch o.mode {
	case "single":
	case "estate":
		var rs []*estateResult
		for _, n := range o.estateTargets {
			rs = append(rs, runEstate(o, n))
		}
		rep.estate(o, rs)
		rep.finish()
	case "leak":
		runLeak(o, rep)
		rep.finish()
	default:
		fatalf("--mode: %q is not single, estate or leak", o.mode)
	}
	for _, enc := range o.encodings {
		rep.main(o, runOne(o, o.vms, true, enc))
	}
	if len(o.scales) > 0 {
		var rs []*result
		for _, n := range o.scales {
			rs = append(rs, runOne(o, n, false, encOpenMetricsGzip))
		}
		rep.scaling(rs)
	}
	rep.finish()
}

// finish prints the verdict and the machine's load, and exits 1 on any FAIL.
func (rp *report) finish() {
	fmt.Printf("\nload average at the end: %s\n", loadAvg())
	if rp.failed {
		fmt.Println("zvmload: FAIL")
		os.Exit(1)
	}
	fmt.Println("zvmload: PASS")
	os.Exit(0)
}

// loadAvg is /proc/loadavg's 1, 5 and 15 minute load averages: the machine is shared.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// result is what one run against one model size measured.
type result struct {
	vms           int    // 0 = profile size
	enc           string // the scrapes' kind
	collectors    []string
	expected      map[string]float64 // upstream requests per refresh the collectors that ran declare, by path
	series        int
	floor         time.Duration
	payloadBytes  int64
	refreshCPU    []time.Duration
	refreshWall   []time.Duration
	perRefresh    map[string]float64 // upstream requests per refresh, by path
	cachedLat     []time.Duration
	refreshLat    []time.Duration
	cpuScrapes    time.Duration // CPU of the whole scrape phase
	maxRSS        int64         // max VmRSS sampled after each scrape of the scrape phase
	rssIdle       int64         // VmRSS after the refresh phase
	hwm           int64         // VmHWM at the end
	bodyBytes     int
	concurrent    map[string]int64 // upstream requests caused by the concurrent burst
	concurrentOK  int
	concurrentRSS int64 // max VmRSS sampled during the concurrent burst
}

func runOne(o options, vms int, full bool, enc string) *result {
	r := &result{vms: vms, enc: enc}
	dir, err := os.MkdirTemp("", "zvmload")
	if err != nil {
		fatalf("%v", err)
	}
	defer os.RemoveAll(dir)

	simPort := freePort()
	simURL := "http://127.0.0.1:" + strconv.Itoa(simPort)
	simArgs := []string{"--listen", "127.0.0.1:" + strconv.Itoa(simPort), "--peer-listen", "",
		"--profile", o.profile, "--vms", strconv.Itoa(vms), "--seed", strconv.FormatInt(o.seed, 10)}
	sim := start(o.sim, simArgs, filepath.Join(dir, "zvmsim.log"))
	defer stop(sim)
	waitHTTP(simURL+"/_sim/faults", sim)
	logf(o, "zvmsim pid %d at %s (vms=%d)", sim.Process.Pid, simURL, vms)

	pw := filepath.Join(dir, "password")
	if err := os.WriteFile(pw, []byte(simPassword), 0o600); err != nil {
		fatalf("%v", err)
	}
	expPort := freePort()
	expURL := "http://127.0.0.1:" + strconv.Itoa(expPort)
	expArgs := append([]string{"--zvm.url", simURL, "--zvm.auth", "keycloak", "--zvm.username", simUser,
		"--zvm.password-file", pw, "--zvm.cache-ttl", o.cacheTTL.String(),
		"--web.listen-address", "127.0.0.1:" + strconv.Itoa(expPort), "--log.level", "warn"}, o.extraArgs...)
	exp := start(o.exporter, expArgs, filepath.Join(dir, "exporter.log"))
	defer stop(exp)
	pid := exp.Process.Pid
	waitHTTP(expURL+"/", exp)
	logf(o, "exporter pid %d at %s", pid, expURL)

	sc := newScraper(expURL+"/metrics", enc)
	// Warm up: the first refresh logs in and reads 30 days of recovery reports; the second is the
	// first steady one.
	for range 2 {
		waitUntil(sc.lastRefresh.Add(o.cacheTTL + 100*time.Millisecond))
		sc.scrape(true)
	}

	// The collectors that ran, from the exposition, and the endpoints they declare: the bodies of
	// the floor and the requests a refresh should make.
	r.collectors = sc.collectors()
	set, err := collector.NewSet(r.collectors, collector.Config{})
	if err != nil {
		fatalf("collectors %v: %v", r.collectors, err)
	}
	eps := append([]zvm.Endpoint{zvm.EndpointLocalSite}, set.Endpoints()...)
	ps, err := fetchPayloads(simURL, eps)
	if err != nil {
		fatalf("fetching payloads: %v", err)
	}
	// A read makes ep.Requests() GETs; an incremental one (the recovery reports) one per page the
	// floor fetched.
	r.expected = map[string]float64{}
	for _, ep := range eps {
		if !strings.HasPrefix(string(ep), "/v1/") {
			continue // vcenter: not a ZVM request
		}
		n := ep.Requests()
		if mode, _, _ := snapshot.Mode(ep); mode == snapshot.ReadIncremental {
			n = 0
			for _, p := range ps {
				if p.path == string(ep) {
					n++
				}
			}
		}
		r.expected[strings.ToLower(string(ep))] = float64(n)
	}
	r.floor, r.payloadBytes = measureFloor(ps, o.floorRuns)
	logf(o, "collectors %v; floor %v for %d bytes", r.collectors, r.floor, r.payloadBytes)

	// Refresh CPU: one refresh plus one scrape, settled so that trailing GC work is counted.
	before := simCounts(simURL)
	for range o.refreshes {
		waitUntil(sc.lastRefresh.Add(o.cacheTTL + 100*time.Millisecond))
		c0 := cpu(pid)
		d, n := sc.scrape(true)
		time.Sleep(300 * time.Millisecond)
		r.refreshCPU = append(r.refreshCPU, cpu(pid)-c0)
		r.refreshWall = append(r.refreshWall, d)
		r.bodyBytes = n
	}
	after := simCounts(simURL)
	r.perRefresh = map[string]float64{}
	for p, n := range after {
		if d := n - before[p]; d > 0 && p != "/_sim/state" {
			r.perRefresh[p] = float64(d) / float64(o.refreshes)
		}
	}
	r.rssIdle, _ = mem(pid)
	r.series = countSeries(expURL + "/metrics")
	logf(o, "refresh CPU %v", r.refreshCPU)

	if full {
		// Sequential scrapes: those within the cache TTL are served from the fresh snapshot, the
		// first after it expires refreshes. RSS is sampled after each.
		c0 := cpu(pid)
		n := o.scrapes
		if enc == encText {
			n = o.textScrapes
		}
		for range n {
			refresh := time.Now().After(sc.lastRefresh.Add(o.cacheTTL - 100*time.Millisecond))
			if refresh {
				waitUntil(sc.lastRefresh.Add(o.cacheTTL + 100*time.Millisecond))
			}
			d, _ := sc.scrape(refresh)
			if refresh {
				r.refreshLat = append(r.refreshLat, d)
			} else {
				r.cachedLat = append(r.cachedLat, d)
			}
			rss, _ := mem(pid)
			r.maxRSS = max(r.maxRSS, rss)
			time.Sleep(o.scrapeGap)
		}
		r.cpuScrapes = cpu(pid) - c0

		// Concurrent scrapes once the cache has expired: one refresh upstream.
		waitUntil(sc.lastRefresh.Add(o.cacheTTL + 200*time.Millisecond))
		before := simCounts(simURL)
		var wg sync.WaitGroup
		var mu sync.Mutex
		gate, done := make(chan struct{}), make(chan struct{})
		for range o.concurrent {
			wg.Go(func() {
				<-gate
				code := sc.get()
				mu.Lock()
				if code == http.StatusOK {
					r.concurrentOK++
				}
				mu.Unlock()
			})
		}
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			for {
				rss, _ := mem(pid)
				r.concurrentRSS = max(r.concurrentRSS, rss)
				select {
				case <-done:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		}()
		close(gate)
		wg.Wait()
		close(done)
		<-sampled
		after := simCounts(simURL)
		r.concurrent = map[string]int64{}
		for p, n := range after {
			if d := n - before[p]; d > 0 && p != "/_sim/state" {
				r.concurrent[p] = d
			}
		}
	}
	_, r.hwm = mem(pid)
	return r
}

// The kinds of scrape: as Prometheus sends them (OpenMetrics preferred, gzip accepted), and as
// curl and many agents do (any format, so the text format, uncompressed).
const (
	encOpenMetricsGzip = "openmetrics-gzip"
	encText            = "text"
)

// scraper issues scrapes of one kind (enc), body read whole.
type scraper struct {
	url         string
	enc         string
	hc          *http.Client
	lastRefresh time.Time // start of the latest scrape that found the cache expired
}

func newScraper(u, enc string) *scraper {
	tr := &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64}
	return &scraper{url: u, enc: enc, hc: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
}

func (s *scraper) request() *http.Request {
	req, _ := http.NewRequest(http.MethodGet, s.url, nil)
	if s.enc == encOpenMetricsGzip {
		req.Header.Set("Accept", promAcceptHeader)
		req.Header.Set("Accept-Encoding", "gzip")
	} else {
		req.Header.Set("Accept", "*/*")
	}
	return req
}

// collectors scrapes once and returns the collectors whose zerto_scrape_collector_success is 1.
func (s *scraper) collectors() []string {
	resp, err := s.hc.Do(s.request())
	if err != nil {
		fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if body, err = gzip.NewReader(resp.Body); err != nil {
			fatalf("scrape: %v", err)
		}
	}
	b, err := io.ReadAll(body)
	if err != nil {
		fatalf("scrape: %v", err)
	}
	var out []string
	const prefix = `zerto_scrape_collector_success{collector="`
	for line := range strings.SplitSeq(string(b), "\n") {
		if after, ok := strings.CutPrefix(line, prefix); ok {
			if name, rest, ok := strings.Cut(after, `"} `); ok && (rest == "1" || rest == "1.0") {
				out = append(out, name)
			}
		}
	}
	if len(out) == 0 {
		fatalf("no collector succeeded in the exporter's first refreshes")
	}
	slices.Sort(out)
	return out
}

// scrape does one scrape and returns its latency and body size. refresh says the caller expects
// it to trigger a refresh (the cache TTL has passed).
func (s *scraper) scrape(refresh bool) (time.Duration, int) {
	t0 := time.Now()
	if refresh {
		s.lastRefresh = t0
	}
	resp, err := s.hc.Do(s.request())
	if err != nil {
		fatalf("scrape: %v", err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		fatalf("scrape: status %d, %v", resp.StatusCode, err)
	}
	return time.Since(t0), int(n)
}

func (s *scraper) get() int {
	resp, err := s.hc.Do(s.request())
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// countSeries counts the sample lines of one plain-text scrape.
func countSeries(u string) int {
	resp, err := http.Get(u) //nolint:gosec // the URL is the load tool's own loopback exporter
	if err != nil {
		fatalf("%v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	n := 0
	for line := range strings.SplitSeq(string(b), "\n") {
		if line != "" && line[0] != '#' {
			n++
		}
	}
	return n
}

// simCounts reads the protected site's request counts from GET /_sim/state.
func simCounts(base string) map[string]int64 {
	resp, err := http.Get(base + "/_sim/state")
	if err != nil {
		fatalf("/_sim/state: %v", err)
	}
	defer resp.Body.Close()
	var st struct {
		RequestCounts map[string]map[string]int64 `json:"request_counts"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		fatalf("/_sim/state: %v", err)
	}
	return st.RequestCounts["protected"]
}

func start(bin string, args []string, logFile string) *exec.Cmd {
	lf, err := os.Create(logFile)
	if err != nil {
		fatalf("%v", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = lf, lf
	// The children die with this process, even when it is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		fatalf("starting %s: %v", bin, err)
	}
	go func() { _ = cmd.Wait(); lf.Close() }()
	return cmd
}

func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for cmd.ProcessState == nil {
			time.Sleep(20 * time.Millisecond)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
	}
}

func waitHTTP(u string, cmd *exec.Cmd) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if cmd.ProcessState != nil {
			fatalf("%s exited: %v", cmd.Path, cmd.ProcessState)
		}
		resp, err := http.Get(u) //nolint:gosec // the URL is a loopback server the load tool started
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	fatalf("%s did not answer %s in time", cmd.Path, u)
}

func freePort() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatalf("%v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitUntil(t time.Time) {
	if d := time.Until(t); d > 0 {
		time.Sleep(d)
	}
}

func cpu(pid int) time.Duration {
	d, err := procCPU(pid)
	if err != nil {
		fatalf("%v", err)
	}
	return d
}

func mem(pid int) (rss, hwm int64) {
	rss, hwm, err := procMem(pid)
	if err != nil {
		fatalf("%v", err)
	}
	return rss, hwm
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return strings.Count(string(b), "processor\t:")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	i := int(float64(len(s))*p+0.5) - 1
	return s[max(0, min(len(s)-1, i))]
}

func logf(o options, format string, args ...any) {
	if o.verbose {
		fmt.Fprintf(os.Stderr, "zvmload: "+format+"\n", args...)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "zvmload: "+format+"\n", args...)
	os.Exit(2)
}
