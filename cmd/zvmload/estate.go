package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Targets of issue 17 for one exporter watching a whole estate through /probe.
const (
	targetEstateCPURatio  = 1.2 // CPU per target per refresh, N targets over 1
	targetEstateRSS       = 600 * mib
	targetEstateLinearity = 1.5 // VmHWM per target, the upper half of the sweep over the lower
)

// estate is a set of simulated ZVMs, each its own zvmsim process, and one exporter probing them.
type estate struct {
	o       options
	dir     string
	sims    []*exec.Cmd
	targets []string // the simulators' base URLs
	cfg     string   // the exporter's config file
	exp     *exec.Cmd
	expURL  string
	hc      *http.Client
}

// startEstate starts n simulators of vms VMs (seeds 1..n, so that they differ) and one exporter
// with a module for them, extra exporter flags appended.
func startEstate(o options, n, vms int, extra ...string) *estate {
	dir, err := os.MkdirTemp("", "zvmload-estate")
	if err != nil {
		fatalf("%v", err)
	}
	e := &estate{o: o, dir: dir,
		hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * n}, Timeout: 2 * time.Minute}}
	for i := range n {
		sim, u := e.startSim(i, vms)
		e.sims = append(e.sims, sim)
		e.targets = append(e.targets, u)
	}
	pw := filepath.Join(dir, "password")
	if err := os.WriteFile(pw, []byte(simPassword), 0o600); err != nil {
		fatalf("%v", err)
	}
	e.cfg = filepath.Join(dir, "zerto.yml")
	doc := fmt.Sprintf("modules:\n  default:\n    targets: [%s]\n    auth: keycloak\n    username: %s\n    password_file: %s\n",
		strings.Join(e.targets, ", "), simUser, pw)
	if err := os.WriteFile(e.cfg, []byte(doc), 0o600); err != nil {
		fatalf("%v", err)
	}
	e.exp, e.expURL = e.startExporter("exporter", extra...)
	logf(o, "estate: %d zvmsim of %d VMs, exporter pid %d at %s", n, vms, e.exp.Process.Pid, e.expURL)
	return e
}

// startSim starts simulator i (seed i+1) and waits until it answers. A free port can be taken
// by another process before the simulator binds it: it is tried again on another port.
func (e *estate) startSim(i, vms int) (*exec.Cmd, string) {
	for try := 0; ; try++ {
		port := freePort()
		u := "http://127.0.0.1:" + strconv.Itoa(port)
		sim := start(e.o.sim, []string{"--listen", "127.0.0.1:" + strconv.Itoa(port), "--peer-listen", "",
			"--profile", e.o.profile, "--vms", strconv.Itoa(vms), "--seed", strconv.Itoa(i + 1)},
			filepath.Join(e.dir, fmt.Sprintf("zvmsim-%d-%d.log", i, try)))
		for sim.ProcessState == nil {
			if resp, err := http.Get(u + "/_sim/faults"); err == nil {
				resp.Body.Close()
				return sim, u
			}
			time.Sleep(50 * time.Millisecond)
		}
		if try == 2 {
			fatalf("%s did not start: %v (see %s)", e.o.sim, sim.ProcessState, e.dir)
		}
	}
}

// startExporter starts an exporter with the estate's module and extra flags.
func (e *estate) startExporter(name string, extra ...string) (*exec.Cmd, string) {
	port := freePort()
	u := "http://127.0.0.1:" + strconv.Itoa(port)
	args := append([]string{"--config.file", e.cfg, "--web.listen-address", "127.0.0.1:" + strconv.Itoa(port),
		"--log.level", "warn"}, extra...)
	cmd := start(e.o.exporter, append(args, e.o.extraArgs...), filepath.Join(e.dir, name+".log"))
	waitHTTP(u+"/", cmd)
	return cmd, u
}

func (e *estate) stop() {
	stop(e.exp)
	for _, s := range e.sims {
		stop(s)
	}
	os.RemoveAll(e.dir)
}

// probeResult is one /probe as Prometheus would send it.
type probeResult struct {
	latency time.Duration
	ok      bool // HTTP 200 with zerto_up 1
	err     string
}

// probe scrapes /probe for target as Prometheus does (OpenMetrics preferred, gzip, the scrape
// timeout in X-Prometheus-Scrape-Timeout-Seconds) and checks the answer has zerto_up 1.
func (e *estate) probe(target string, timeout time.Duration) probeResult {
	return e.probeVia(e.expURL, target, timeout)
}

// probeVia is probe through the exporter at base.
func (e *estate) probeVia(base, target string, timeout time.Duration) probeResult {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	u := base + "/probe?target=" + url.QueryEscape(target)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	req.Header.Set("Accept", promAcceptHeader)
	req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", strconv.FormatFloat(timeout.Seconds(), 'f', -1, 64))
	t0 := time.Now()
	resp, err := e.hc.Do(req) // the transport asks for gzip and unzips
	if err != nil {
		return probeResult{latency: time.Since(t0), err: err.Error()}
	}
	defer resp.Body.Close()
	up := false
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); l == "zerto_up 1" || l == "zerto_up 1.0" {
			up = true
		}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	r := probeResult{latency: time.Since(t0), ok: resp.StatusCode == http.StatusOK && up && sc.Err() == nil}
	if !r.ok {
		r.err = fmt.Sprintf("HTTP %d, zerto_up 1: %v, %v", resp.StatusCode, up, sc.Err())
	}
	return r
}

// probeAll probes every target at once and returns the results in target order.
func (e *estate) probeAll(timeout time.Duration) []probeResult {
	out := make([]probeResult, len(e.targets))
	var wg sync.WaitGroup
	for i, t := range e.targets {
		wg.Go(func() { out[i] = e.probe(t, timeout) })
	}
	wg.Wait()
	return out
}

// estateResult is what one estate run measured.
type estateResult struct {
	n            int
	probes       []probeResult // steady state
	cpuPerProbe  time.Duration // exporter CPU over the steady window divided by its probes
	refProbes    int           // the reference exporter's steady probes
	refPerProbe  time.Duration // the same for the reference exporter, watching one ZVM meanwhile
	rssMax       int64         // VmRSS sampled every 500 ms over the steady window
	hwm          int64         // VmHWM at the end, the bursts included
	coldBurst    []probeResult // every target's first probe, all at once
	expiredBurst []probeResult // every target probed at once after all caches expired
}

// runEstate probes n simulated ZVMs through one exporter: a cold burst (every target's first
// probe at once, with the 30-day recovery read), then each target every interval for duration,
// spread over the interval as Prometheus spreads its targets, then a burst of all n once every
// cache has expired. Meanwhile a second, reference exporter probes the first ZVM alone on the
// same schedule, so that the CPU per refresh of n targets and of one are measured at the same
// time, under the same load of the shared machine.
func runEstate(o options, n int) *estateResult {
	e := startEstate(o, n, o.estateVMs, "--zvm.cache-ttl", o.estateTTL.String())
	defer e.stop()
	ref, refURL := e.startExporter("reference", "--zvm.cache-ttl", o.estateTTL.String())
	defer stop(ref)
	pid := e.exp.Process.Pid
	r := &estateResult{n: n}
	r.coldBurst = e.probeAll(o.estateTimeout)
	if res := e.probeVia(refURL, e.targets[0], o.estateTimeout); !res.ok {
		fatalf("estate: reference exporter: %s", res.err)
	}

	var mu sync.Mutex
	done := make(chan struct{})
	go func() { // RSS sampler
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				rss, _ := mem(pid)
				mu.Lock()
				r.rssMax = max(r.rssMax, rss)
				mu.Unlock()
			}
		}
	}()
	// The first steady probe of each target comes a full interval after its cold one.
	time.Sleep(o.estateInterval - o.estateInterval/time.Duration(n))
	start := time.Now()
	c0, rc0 := cpu(pid), cpu(ref.Process.Pid)
	var wg sync.WaitGroup
	wg.Go(func() {
		for at := start; at.Before(start.Add(o.estateDuration)); at = at.Add(o.estateInterval) {
			waitUntil(at)
			if res := e.probeVia(refURL, e.targets[0], o.estateTimeout); res.ok {
				r.refProbes++
			}
		}
	})
	for i, t := range e.targets {
		offset := o.estateInterval * time.Duration(i) / time.Duration(n)
		wg.Go(func() {
			for at := start.Add(offset); at.Before(start.Add(o.estateDuration)); at = at.Add(o.estateInterval) {
				waitUntil(at)
				res := e.probe(t, o.estateTimeout)
				mu.Lock()
				r.probes = append(r.probes, res)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	time.Sleep(time.Second) // trailing GC work
	r.cpuPerProbe = (cpu(pid) - c0) / time.Duration(max(1, len(r.probes)))
	r.refPerProbe = (cpu(ref.Process.Pid) - rc0) / time.Duration(max(1, r.refProbes))
	close(done)

	time.Sleep(o.estateTTL + time.Second)
	r.expiredBurst = e.probeAll(o.estateTimeout)
	_, r.hwm = mem(pid)
	logf(o, "estate %d: %d probes, %v CPU per probe, VmRSS max %s, VmHWM %s", n, len(r.probes), r.cpuPerProbe, mb(r.rssMax), mb(r.hwm))
	return r
}

func probeStats(ps []probeResult) (failed int, p50, worst time.Duration, firstErr string) {
	var ls []time.Duration
	for _, p := range ps {
		ls = append(ls, p.latency)
		if !p.ok {
			failed++
			if firstErr == "" {
				firstErr = p.err
			}
		}
	}
	if len(ls) > 0 {
		worst = slices.Max(ls)
	}
	return failed, percentile(ls, 0.5), worst, firstErr
}

func (rp *report) estate(o options, rs []*estateResult) {
	fmt.Printf("\n## estate: /probe of N simulated ZVMs (%s --vms %d each), every %s, timeout %s, --zvm.cache-ttl %s, %s steady\n\n",
		o.profile, o.estateVMs, o.estateInterval, o.estateTimeout, o.estateTTL, o.estateDuration)
	fmt.Println("| N | probes | failed | p50 | slowest | CPU per target per refresh | reference (1 ZVM, same time) | VmRSS max | VmHWM | cold burst slowest | expired burst slowest |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		_, p50, worst, _ := probeStats(r.probes)
		failed := 0
		for _, ps := range [][]probeResult{r.probes, r.coldBurst, r.expiredBurst} {
			f, _, _, _ := probeStats(ps)
			failed += f
		}
		_, _, cold, _ := probeStats(r.coldBurst)
		_, _, exp, _ := probeStats(r.expiredBurst)
		fmt.Printf("| %d | %d | %d | %s | %s | %s | %s (%d probes) | %s | %s | %s | %s |\n", r.n, len(r.probes)+2*r.n, failed,
			ms(p50), ms(worst), ms(r.cpuPerProbe), ms(r.refPerProbe), r.refProbes, mb(r.rssMax), mb(r.hwm), ms(cold), ms(exp))
	}
	fmt.Println()
	header()
	for _, r := range rs {
		all := slices.Concat(r.probes, r.coldBurst, r.expiredBurst)
		failed, _, worst, firstErr := probeStats(all)
		v := fmt.Sprintf("%d failed, slowest %s", failed, ms(worst))
		if firstErr != "" {
			v += " (" + firstErr + ")"
		}
		rp.check(fmt.Sprintf("N=%d: every probe answers, zerto_up 1, within timeout", r.n), v,
			"< "+o.estateTimeout.String(), failed == 0 && worst < o.estateTimeout)
	}
	first, last := rs[0], rs[len(rs)-1]
	for _, r := range rs {
		ratio := float64(r.cpuPerProbe) / float64(r.refPerProbe)
		rp.check(fmt.Sprintf("N=%d: CPU per target per refresh over the reference's", r.n),
			fmt.Sprintf("%s / %s = %.2f×", ms(r.cpuPerProbe), ms(r.refPerProbe), ratio),
			fmt.Sprintf("≤ %.1f×", targetEstateCPURatio), ratio <= targetEstateCPURatio)
	}
	if first.n == 1 && len(rs) > 1 {
		ratio := float64(last.cpuPerProbe) / float64(first.cpuPerProbe)
		rp.check(fmt.Sprintf("CPU per target per refresh, N=%d over the N=1 run (not at the same time)", last.n),
			fmt.Sprintf("%s / %s = %.2f×", ms(last.cpuPerProbe), ms(first.cpuPerProbe), ratio), "-", true)
	}
	rp.check(fmt.Sprintf("N=%d: VmHWM (bursts included)", last.n), mb(last.hwm), "≤ "+mb(targetEstateRSS), last.hwm <= targetEstateRSS)
	if len(rs) >= 3 {
		mid := rs[len(rs)/2]
		lo := float64(mid.hwm-first.hwm) / float64(mid.n-first.n)
		hi := float64(last.hwm-mid.hwm) / float64(last.n-mid.n)
		rp.check(fmt.Sprintf("VmHWM per target, N %d→%d over %d→%d", mid.n, last.n, first.n, mid.n),
			fmt.Sprintf("%s / %s = %.2f", mb(int64(hi)), mb(int64(lo)), hi/lo), fmt.Sprintf("≤ %.1f", targetEstateLinearity), hi/lo <= targetEstateLinearity)
	}
}

// parseInts parses a comma-separated list of positive integers.
func parseInts(flagName, s string) []int {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			fatalf("--%s: %q is not a positive integer", flagName, f)
		}
		out = append(out, n)
	}
	return out
}
