package main

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Targets of issue 17 for target rebuilds.
const (
	targetLeakHeapRatio = 0.05    // heap growth, first measurement to last
	targetLeakHeapSlack = 2 * mib // or this much, whichever is more
)

// leakPoint is the exporter's state at one measurement of the leak run.
type leakPoint struct {
	heapLive, heapInuse int64
	goroutines, fds     int64
}

// runLeak probes o.leakZVMs simulated ZVMs through one exporter for o.leakRounds rounds; before
// each round every target is dropped, alternately by a config reload and by idle expiry
// (--probe.idle-expiry), so that each round builds all targets anew. It measures after the first
// round and after the last, each time the same way: every target dropped (a reload, then a probe
// naming no known module), one target built and probed 21 s later, so that its refresh ends with
// the exporter's full garbage collection (--runtime.memory-limit=auto, at most every 20 s), then
// the exporter's own metrics read: live heap, heap in use, goroutines, open file descriptors.
func runLeak(o options, rp *report) {
	const idle = time.Second
	e := startEstate(o, o.leakZVMs, o.leakVMs, "--probe.idle-expiry", idle.String())
	defer e.stop()
	var first, last leakPoint
	t0 := time.Now()
	c0 := cpu(e.exp.Process.Pid)
	failed := 0
	var firstErr string
	for round := range o.leakRounds {
		if round%2 == 0 {
			e.post("/-/reload")
		} else {
			time.Sleep(idle + 100*time.Millisecond)
		}
		for _, r := range e.probeAll(o.estateTimeout) {
			if !r.ok {
				failed++
				if firstErr == "" {
					firstErr = r.err
				}
			}
		}
		switch round {
		case 0:
			first = e.settledPoint()
		case o.leakRounds - 1:
			last = e.settledPoint()
		}
		if round%50 == 49 {
			logf(o, "leak: %d rounds in %v", round+1, time.Since(t0).Round(time.Second))
		}
	}
	fmt.Printf("\n## leak: %d simulated ZVMs (%s --vms %d) through /probe, %d rounds (%d targets built and dropped, half by reload, half by idle expiry) in %v, exporter CPU %v\n\n",
		o.leakZVMs, o.profile, o.leakVMs, o.leakRounds, o.leakRounds*o.leakZVMs, time.Since(t0).Round(time.Second), cpu(e.exp.Process.Pid)-c0)
	header()
	v := fmt.Sprintf("%d failed", failed)
	if firstErr != "" {
		v += " (" + firstErr + ")"
	}
	rp.check("every probe answers with zerto_up 1", v, "0 failed", failed == 0)
	limit := max(first.heapLive+int64(float64(first.heapLive)*targetLeakHeapRatio), first.heapLive+targetLeakHeapSlack)
	rp.check("live heap after the first round / the last", mb(first.heapLive)+" / "+mb(last.heapLive), "≤ "+mb(limit), last.heapLive <= limit)
	limit = max(first.heapInuse+int64(float64(first.heapInuse)*targetLeakHeapRatio), first.heapInuse+targetLeakHeapSlack)
	rp.check("heap in use after the first round / the last", mb(first.heapInuse)+" / "+mb(last.heapInuse), "≤ "+mb(limit), last.heapInuse <= limit)
	rp.check("goroutines after the first round / the last", fmt.Sprintf("%d / %d", first.goroutines, last.goroutines), "≤ first", last.goroutines <= first.goroutines)
	rp.check("open file descriptors after the first round / the last", fmt.Sprintf("%d / %d", first.fds, last.fds), "≤ first", last.fds <= first.fds)
}

// settledPoint drops every target, builds one, and reads the exporter's own metrics.
func (e *estate) settledPoint() leakPoint {
	e.post("/-/reload")
	if resp, err := e.hc.Get(e.expURL + "/probe?module=zvmload-none&target=" + url.QueryEscape(e.targets[0])); err == nil {
		resp.Body.Close()
	}
	// Dropped targets close their connections in the background; and the refresh below comes
	// after the exporter's memlimit.DefaultMinGap, so that it ends with a full collection.
	time.Sleep(21 * time.Second)
	if r := e.probe(e.targets[0], e.o.estateTimeout); !r.ok {
		fatalf("leak: probe after dropping the targets: %s", r.err)
	}
	time.Sleep(time.Second) // the collection after the refresh
	m := e.selfMetrics()
	p := leakPoint{heapLive: int64(m["go_gc_heap_live_bytes"]), heapInuse: int64(m["go_memstats_heap_inuse_bytes"]),
		goroutines: int64(m["go_goroutines"]), fds: int64(m["process_open_fds"])}
	// A goroutine count is one instant: the kept target's background work (a refresh's trailing
	// reads, its expiry timer) comes and goes. The least of a few readings is what stays; a leak
	// of one goroutine per target would stay in every one of them.
	for range 4 {
		time.Sleep(250 * time.Millisecond)
		p.goroutines = min(p.goroutines, int64(e.selfMetrics()["go_goroutines"]))
	}
	return p
}

func (e *estate) post(path string) {
	resp, err := e.hc.Post(e.expURL+path, "", nil)
	if err != nil {
		fatalf("POST %s: %v", path, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fatalf("POST %s: %s", path, resp.Status)
	}
}

// selfMetrics reads the unlabelled samples of the exporter's /metrics.
func (e *estate) selfMetrics() map[string]float64 {
	resp, err := e.hc.Get(e.expURL + "/metrics")
	if err != nil {
		fatalf("/metrics: %v", err)
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(val, 64); err == nil {
			out[name] = v
		}
	}
	for _, k := range []string{"go_gc_heap_live_bytes", "go_memstats_heap_inuse_bytes", "go_goroutines", "process_open_fds"} {
		if _, ok := out[k]; !ok {
			fatalf("/metrics has no %s", k)
		}
	}
	return out
}
