package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

type report struct{ failed bool }

func (rp *report) check(name, value, target string, ok bool) {
	verdict := "PASS"
	if !ok {
		verdict = "FAIL"
		rp.failed = true
	}
	fmt.Printf("| %-52s | %-26s | %-14s | %s |\n", name, value, target, verdict)
}

func header() {
	fmt.Printf("| %-52s | %-26s | %-14s | %s |\n", "measure", "value", "target", "verdict")
	fmt.Printf("|%s|%s|%s|------|\n", strings.Repeat("-", 54), strings.Repeat("-", 28), strings.Repeat("-", 16))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
func mb(b int64) string         { return fmt.Sprintf("%.1f MiB", float64(b)/mib) }

func sizeName(o options, vms int) string {
	if vms == 0 {
		return o.profile + " profile"
	}
	return fmt.Sprintf("%s --vms %d", o.profile, vms)
}

func (rp *report) main(o options, r *result) {
	fmt.Printf("\n## %s, %s scrapes: %d series, exposition %d bytes, payloads %.1f MiB\n\n",
		sizeName(o, r.vms), r.enc, r.series, r.bodyBytes, float64(r.payloadBytes)/mib)
	fmt.Printf("collectors that ran: %s\n\n", strings.Join(r.collectors, ", "))
	header()
	cpu := median(r.refreshCPU)
	ratio := float64(cpu) / float64(r.floor)
	rp.check("floor: json.Unmarshal into any, all payloads", ms(r.floor), "-", true)
	if r.enc == encOpenMetricsGzip {
		rp.check(fmt.Sprintf("refresh + scrape CPU (median of %d)", len(r.refreshCPU)),
			fmt.Sprintf("%s (%.2f× floor)", ms(cpu), ratio), fmt.Sprintf("≤ %.1f× floor", targetCPURatio), ratio <= targetCPURatio)
	} else {
		// The CPU target is Prometheus's scrapes'; an uncompressed scrape also inflates the body.
		rp.check(fmt.Sprintf("refresh + scrape CPU (median of %d)", len(r.refreshCPU)),
			fmt.Sprintf("%s (%.2f× floor)", ms(cpu), ratio), "-", true)
	}
	rp.check("refresh + scrape wall time (median)", ms(median(r.refreshWall)), "-", true)

	eps, perOK := compareRequests(r.perRefresh, r.expected, 1)
	rp.check("upstream GETs per refresh, each /v1 endpoint", fmt.Sprintf("%d endpoints", len(eps)),
		"as declared", perOK)
	for _, e := range eps {
		fmt.Printf("|   %-50s |\n", e)
	}

	rp.check(fmt.Sprintf("scrape from fresh snapshot p50 (n=%d)", len(r.cachedLat)), ms(percentile(r.cachedLat, 0.5)), "-", true)
	rp.check("scrape from fresh snapshot p90", ms(percentile(r.cachedLat, 0.9)), "-", true)
	p99 := percentile(r.cachedLat, 0.99)
	if r.enc == encOpenMetricsGzip {
		rp.check("scrape from fresh snapshot p99", ms(p99), "≤ "+ms(targetScrapeP99), p99 <= targetScrapeP99 && len(r.cachedLat) > 0)
	} else {
		// The target is Prometheus's scrapes'; an uncompressed scrape inflates the cached body
		// (internal/exporter/exposition.go), tens of milliseconds at 10,000 VMs.
		rp.check("scrape from fresh snapshot p99", ms(p99), "-", len(r.cachedLat) > 0)
	}
	rp.check(fmt.Sprintf("scrape that refreshes p50 (n=%d)", len(r.refreshLat)), ms(percentile(r.refreshLat, 0.5)), "-", true)
	rp.check(fmt.Sprintf("CPU of the %d-scrape phase", len(r.cachedLat)+len(r.refreshLat)), ms(r.cpuScrapes), "-", true)
	rp.check(fmt.Sprintf("VmRSS max across %d scrapes", len(r.cachedLat)+len(r.refreshLat)), mb(r.maxRSS), "< "+mb(targetSteadyRSS), r.maxRSS < targetSteadyRSS)
	rp.check(fmt.Sprintf("VmRSS max, %d concurrent scrapes after expiry", o.concurrent), mb(r.concurrentRSS), "< "+mb(targetPeakRSS), r.concurrentRSS < targetPeakRSS)
	rp.check("VmHWM (peak RSS) at the end", mb(r.hwm), "< "+mb(targetPeakRSS), r.hwm < targetPeakRSS)

	per := map[string]float64{}
	for p, n := range r.concurrent {
		per[p] = float64(n)
	}
	ceps, concOK := compareRequests(per, r.expected, 1)
	rp.check(fmt.Sprintf("%d concurrent scrapes after expiry: upstream GETs", o.concurrent),
		fmt.Sprintf("%d endpoints, %d×200", len(ceps), r.concurrentOK), "1 refresh", concOK && r.concurrentOK == o.concurrent)
}

// compareRequests lists the /v1 requests counted per refresh (got, over refreshes refreshes)
// against the collectors' declared ones (want), and reports whether they match exactly: every
// declared endpoint read as often as declared, nothing else read.
func compareRequests(got, want map[string]float64, refreshes float64) ([]string, bool) {
	ok := true
	var lines []string
	for p, w := range want {
		n := got[p] / refreshes
		mark := ""
		if n != w {
			ok = false
			mark = fmt.Sprintf(" (declared %.2g)", w)
		}
		lines = append(lines, fmt.Sprintf("%s %.2g%s", p, n, mark))
	}
	for p, n := range got {
		if _, declared := want[p]; !declared && strings.HasPrefix(p, "/v1/") {
			ok = false
			lines = append(lines, fmt.Sprintf("%s %.2g (not declared)", p, n/refreshes))
		}
	}
	slices.Sort(lines)
	return lines, ok && len(want) > 0
}

// scaling prints the sweep and checks that CPU and peak memory grow linearly: the marginal cost
// per VM from the middle to the largest size is at most 1.5 times that from the smallest to the
// middle.
func (rp *report) scaling(rs []*result) {
	fmt.Printf("\n## scaling\n\n")
	fmt.Printf("| %6s | %8s | %10s | %12s | %8s | %12s | %10s |\n", "VMs", "series", "floor", "refresh CPU", "ratio", "VmRSS idle", "VmHWM")
	fmt.Printf("|--------|----------|------------|--------------|----------|--------------|------------|\n")
	for _, r := range rs {
		cpu := median(r.refreshCPU)
		fmt.Printf("| %6d | %8d | %10s | %12s | %7.2f× | %12s | %10s |\n", r.vms, r.series, ms(r.floor), ms(cpu),
			float64(cpu)/float64(r.floor), mb(r.rssIdle), mb(r.hwm))
	}
	fmt.Println()
	if len(rs) < 3 {
		return
	}
	a, m, z := rs[0], rs[len(rs)/2], rs[len(rs)-1]
	marg := func(f func(*result) float64) float64 {
		lo := (f(m) - f(a)) / float64(m.vms-a.vms)
		hi := (f(z) - f(m)) / float64(z.vms-m.vms)
		return hi / lo
	}
	header()
	for _, r := range rs {
		if r.vms >= 20000 {
			ratio := float64(median(r.refreshCPU)) / float64(r.floor)
			rp.check(fmt.Sprintf("refresh + scrape CPU at %d VMs", r.vms), fmt.Sprintf("%.2f× floor", ratio),
				fmt.Sprintf("≤ %.1f× floor", targetCPURatio2x), ratio <= targetCPURatio2x)
		}
	}
	c := marg(func(r *result) float64 { return float64(median(r.refreshCPU)) })
	rp.check(fmt.Sprintf("CPU per VM, %d→%d over %d→%d", m.vms, z.vms, a.vms, m.vms), fmt.Sprintf("%.2f", c),
		fmt.Sprintf("≤ %.1f", targetLinearity), c <= targetLinearity)
	h := marg(func(r *result) float64 { return float64(r.hwm) })
	rp.check(fmt.Sprintf("VmHWM per VM, %d→%d over %d→%d", m.vms, z.vms, a.vms, m.vms), fmt.Sprintf("%.2f", h),
		fmt.Sprintf("≤ %.1f", targetLinearity), h <= targetLinearity)
	s := marg(func(r *result) float64 { return float64(r.rssIdle) })
	rp.check(fmt.Sprintf("VmRSS per VM, %d→%d over %d→%d", m.vms, z.vms, a.vms, m.vms), fmt.Sprintf("%.2f", s),
		fmt.Sprintf("≤ %.1f", targetLinearity), s <= targetLinearity)
}
