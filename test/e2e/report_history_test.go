package e2e

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// The backfilled history of TestComplianceReport: four VPGs over the last calendar month, sampled
// every histStep, with RPO breaches seen by one ZVM of the pair only, an exporter gap, a VPG
// created mid-period, passed, failed and overdue failover tests, a journal history shortfall, a
// failed Extended Journal Copy run and an encryption suspicion, each at a known step. Both the
// OpenMetrics file and the expected figures are derived from this one model.

const histStep = 5 * time.Minute

// history is the model: the period and its series, each a function of the step index i (the
// sample at start + i*histStep; the report's step i covers the window ending there).
type history struct {
	start, end time.Time
	n          int // steps in the period
	series     []histSeries
}

// histSeries is one series: its value at step i, or false where it has no sample.
type histSeries struct {
	name   string
	labels map[string]string
	value  func(i int) (float64, bool)
}

// at is the step index of day d (1 = the period's first) at hh:mm.
func at(d, hh, mm int) int { return ((d-1)*24*60 + hh*60 + mm) / int(histStep/time.Minute) }

// in says whether i is in [from, to).
func in(i, from, to int) bool { return i >= from && i < to }

func (h *history) ts(i int) float64 { return float64(h.start.Add(time.Duration(i) * histStep).Unix()) }

// The VPGs of the model, with their ids, and what the test expects of each.
const (
	vpgFin    = "Finance-DB"
	vpgWeb    = "Web-Frontend"
	vpgLegacy = "Legacy-App"
	vpgHR     = "HR-Files"
)

var vpgIDs = map[string]string{vpgFin: "v-fin", vpgWeb: "v-web", vpgLegacy: "v-leg", vpgHR: "v-hr"}

// Known times of the model.
var (
	finBreachA    = [2]int{at(3, 10, 0), at(3, 11, 0)}  // protected ZVM sees 900 s
	finBreachB    = [2]int{at(10, 2, 0), at(10, 2, 25)} // recovery ZVM sees 1200 s
	finTest       = at(5, 14, 0)
	webGap        = [2]int{at(12, 0, 0), at(12, 6, 0)} // no sample of the VPG at all
	webFailedTest = at(8, 10, 0)
	webTest       = at(9, 10, 0)
	webEncryption = [2]int{at(15, 3, 0), at(15, 3, 40)}
	legacyCreated = at(20, 0, 0)
	hrJournalLow  = [2]int{at(18, 0, 0), at(18, 2, 0)}
	hrEJCFailed   = [2]int{at(6, 1, 30), at(7, 1, 0)} // run of day 6 01:00 failed, day 7 01:00 succeeded
)

// newHistory builds the model for the calendar month before now.
func newHistory(now time.Time) *history {
	now = now.UTC()
	end := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	start := end.AddDate(0, -1, 0)
	h := &history{start: start, end: end, n: int(end.Sub(start) / histStep)}
	job := func(instance string, kv ...string) map[string]string {
		m := map[string]string{"job": "zerto", "instance": instance}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	const zvmA, zvmB = "zvm-a:443", "zvm-b:443"
	always := func(v float64) func(int) (float64, bool) { return func(int) (float64, bool) { return v, true } }
	add := func(name string, labels map[string]string, f func(int) (float64, bool)) {
		h.series = append(h.series, histSeries{name, labels, f})
	}
	// present limits a VPG's series to the steps its exporters were up and it existed.
	present := func(vpg string, i int) bool {
		switch vpg {
		case vpgWeb:
			return !in(i, webGap[0], webGap[1])
		case vpgLegacy:
			return i >= legacyCreated
		}
		return true
	}
	vpgSeries := func(vpg, instance, name string, f func(int) (float64, bool), kv ...string) {
		labels := job(instance, append([]string{"vpg", vpg, "vpg_id", vpgIDs[vpg]}, kv...)...)
		add(name, labels, func(i int) (float64, bool) {
			if !present(vpg, i) {
				return 0, false
			}
			return f(i)
		})
	}
	rpo := map[string][2]func(int) (float64, bool){
		vpgFin: {
			func(i int) (float64, bool) {
				if in(i, finBreachA[0], finBreachA[1]) {
					return 900, true
				}
				return 10, true
			},
			func(i int) (float64, bool) {
				if in(i, finBreachB[0], finBreachB[1]) {
					return 1200, true
				}
				return 12, true
			},
		},
		vpgWeb:    {always(20), always(25)},
		vpgLegacy: {always(30), always(28)},
		vpgHR:     {always(40), always(41)},
	}
	targets := map[string]float64{vpgFin: 300, vpgWeb: 300, vpgLegacy: 600, vpgHR: 300}
	vms := map[string]float64{vpgFin: 4, vpgWeb: 6, vpgLegacy: 2, vpgHR: 3}
	for _, vpg := range []string{vpgFin, vpgWeb, vpgLegacy, vpgHR} {
		for s, instance := range []string{zvmA, zvmB} {
			role := []string{"protected", "recovery"}[s]
			vpgSeries(vpg, instance, "zerto_vpg_actual_rpo_seconds", rpo[vpg][s])
			vpgSeries(vpg, instance, "zerto_vpg_rpo_target_seconds", always(targets[vpg]))
			vpgSeries(vpg, instance, "zerto_vpg_info", always(1), "protected_site", "Site-A", "recovery_site", "Site-B",
				"site_role", role, "priority", "High", "service_profile", "", "zorg", "")
			vpgSeries(vpg, instance, "zerto_vpg_vms", always(vms[vpg]))
			vpgSeries(vpg, instance, "zerto_vpg_encryption_suspected", func(i int) (float64, bool) {
				if vpg == vpgWeb && s == 0 && in(i, webEncryption[0], webEncryption[1]) {
					return 1, true
				}
				return 0, true
			})
		}
		if vpg != vpgLegacy { // Legacy-App has no journal history status
			vpgSeries(vpg, zvmB, "zerto_vpg_journal_history_target_seconds", always(14400))
			vpgSeries(vpg, zvmB, "zerto_vpg_journal_history_seconds", func(i int) (float64, bool) {
				if vpg == vpgHR && in(i, hrJournalLow[0], hrJournalLow[1]) {
					return 3600, true
				}
				return 14400, true
			})
		}
	}
	// Failover tests. Finance-DB: one before the period (RTO 500 s), one on day 5 (420 s).
	before := float64(start.Add(-100 * 24 * time.Hour).Unix())
	recovery := func(vpg, op, result string, f func(int) (float64, bool)) {
		vpgSeries(vpg, zvmB, "zerto_recovery_last_timestamp_seconds", f, "operation", op, "result", result)
	}
	rto := func(vpg, op string, f func(int) (float64, bool)) {
		vpgSeries(vpg, zvmB, "zerto_recovery_last_rto_seconds", f, "operation", op)
	}
	recovery(vpgFin, "FailoverTest", "Success", func(i int) (float64, bool) {
		if i > finTest {
			return h.ts(finTest), true
		}
		return before, true
	})
	rto(vpgFin, "FailoverTest", func(i int) (float64, bool) {
		if i > finTest {
			return 420, true
		}
		return 500, true
	})
	vpgSeries(vpgFin, zvmA, "zerto_vpg_last_test_timestamp_seconds", func(i int) (float64, bool) {
		if i > finTest {
			return h.ts(finTest), true
		}
		return before, true
	})
	vpgSeries(vpgFin, zvmA, "zerto_vpg_rto_target_seconds", always(600))
	// Web-Frontend: never tested before; a failed test on day 8 (900 s), a passed one on day 9
	// (800 s, above its 600 s RTO target).
	recovery(vpgWeb, "FailoverTest", "Failed", func(i int) (float64, bool) { return h.ts(webFailedTest), i > webFailedTest && i <= webTest })
	recovery(vpgWeb, "FailoverTest", "Success", func(i int) (float64, bool) { return h.ts(webTest), i > webTest })
	rto(vpgWeb, "FailoverTest", func(i int) (float64, bool) {
		switch {
		case i > webTest:
			return 800, true
		case i > webFailedTest:
			return 900, true
		}
		return 0, false
	})
	vpgSeries(vpgWeb, zvmA, "zerto_vpg_rto_target_seconds", always(600))
	// HR-Files: last tested 200 days before the period's end (RTO 250 s); the SLA config file
	// asks for a test every 90 days, and sets a 300 s RTO target.
	hrTest := float64(end.Add(-200 * 24 * time.Hour).Unix())
	recovery(vpgHR, "FailoverTest", "Success", always(hrTest))
	rto(vpgHR, "FailoverTest", always(250))
	vpgSeries(vpgHR, zvmA, "zerto_vpg_last_test_timestamp_seconds", always(hrTest))
	// HR-Files' Extended Journal Copy: the run of day 6 01:00 fails (2 errors) until the next
	// run succeeds on day 7 01:00.
	day := func(d int) float64 { return h.ts(at(d, 1, 0)) }
	vpgSeries(vpgHR, zvmA, "zerto_vpg_ejc_last_run_timestamp_seconds", func(i int) (float64, bool) {
		switch {
		case i >= hrEJCFailed[1]:
			return day(7), true
		case i >= at(6, 1, 0):
			return day(6), true
		}
		return day(5), true
	})
	vpgSeries(vpgHR, zvmA, "zerto_vpg_ejc_last_success_timestamp_seconds", func(i int) (float64, bool) {
		if i >= hrEJCFailed[1] {
			return day(7), true
		}
		return day(5), true
	})
	vpgSeries(vpgHR, zvmA, "zerto_vpg_ejc_errors", func(i int) (float64, bool) {
		if in(i, hrEJCFailed[0], hrEJCFailed[1]) {
			return 2, true
		}
		return 0, true
	})
	add("zerto_site_unprotected_vms", job(zvmA, "site_name", "Site-A"), always(7))
	add("zerto_site_unprotected_vms", job(zvmB, "site_name", "Site-B"), always(3))
	add("zerto_ejc_repository_immutable", job(zvmB, "repository", "repo-s3"), always(1))
	add("zerto_ejc_repository_immutable", job(zvmB, "repository", "repo-nfs"), always(0))
	// The alerts Prometheus would have recorded: RPO above target from 5 minutes into each of
	// Finance-DB's breaches, and the encryption suspicion at once.
	alert := func(name, severity, vpg string, from, to int) {
		add("ALERTS", map[string]string{"alertname": name, "alertstate": "firing", "severity": severity, "vpg": vpg, "vpg_id": vpgIDs[vpg]},
			func(i int) (float64, bool) { return 1, in(i, from, to) })
	}
	alert("ZertoVpgRpoAboveTarget", "critical", vpgFin, finBreachA[0]+1, finBreachA[1])
	alert("ZertoVpgRpoAboveTarget", "critical", vpgFin, finBreachB[0]+1, finBreachB[1])
	alert("ZertoEncryptionSuspected", "critical", vpgWeb, webEncryption[0], webEncryption[1])
	// Another job's series, which the report's selector leaves out.
	other := map[string]string{"job": "other", "instance": "x", "vpg": "Other-VPG", "vpg_id": "v-other"}
	add("zerto_vpg_info", other, always(1))
	add("zerto_vpg_actual_rpo_seconds", other, always(99999))
	add("zerto_vpg_rpo_target_seconds", other, always(1))
	return h
}

// writeOpenMetrics writes the model from an hour before the period to its end.
func (h *history) writeOpenMetrics(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	byName := map[string][]histSeries{}
	var names []string
	for _, s := range h.series {
		if byName[s.name] == nil {
			names = append(names, s.name)
		}
		byName[s.name] = append(byName[s.name], s)
	}
	sort.Strings(names)
	first := -int(time.Hour / histStep)
	for _, name := range names {
		fmt.Fprintf(w, "# TYPE %s gauge\n", name)
		for _, s := range byName[name] {
			keys := make([]string, 0, len(s.labels))
			for k := range s.labels {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			parts := make([]string, len(keys))
			for j, k := range keys {
				parts[j] = fmt.Sprintf("%s=%q", k, s.labels[k])
			}
			prefix := name + "{" + strings.Join(parts, ",") + "} "
			for i := first; i <= h.n; i++ {
				if v, ok := s.value(i); ok {
					fmt.Fprintf(w, "%s%g %d\n", prefix, v, int64(h.ts(i)))
				}
			}
		}
	}
	fmt.Fprintln(w, "# EOF")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
