package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// TestDemoDashboards runs `zerto_exporter --demo` as `make demo` does (in-process ZVM pair and
// vCenter, the demo's SLA targets and Zerto alert), scrapes it with Prometheus and the mixin's
// rules as the README says (its /metrics for the protected site, /probe with the demo module for
// the recovery site), and wants data from every query of every panel of every dashboard: there is
// no list of panels allowed to stay empty.
func TestDemoDashboards(t *testing.T) {
	root := testutil.RepoRoot(t)
	prometheusBin := testutil.Tool(t, "PROMETHEUS", "prometheus")
	jsonnetBin := testutil.Tool(t, "JSONNET", "jsonnet")
	logs := logDir(t)
	work := t.TempDir()
	rules := renderRules(t, jsonnetBin, root, work)
	_, exporterBin := buildBinaries(t, root)

	var procs []*process
	t.Cleanup(func() {
		for _, p := range slices.Backward(procs) {
			p.stop()
		}
	})
	exp, expAddr := startOnFreePort(t, logs, "zerto_exporter", exporterBin, nil, "/metrics", func(addr string) []string {
		return []string{"--demo", "--web.listen-address=" + addr, "--zvm.cache-ttl=" + cacheTTL, "--web.timeout-offset=" + timeoutOffset}
	})
	procs = append(procs, exp)
	m, err := waitLogLine(exp, regexp.MustCompile(`protected_zvm=(http://\S+) recovery_zvm=(http://\S+)`), 30*time.Second)
	if err != nil {
		t.Fatalf("the demo did not log its simulated ZVMs: %v\n%s", err, exp.tail(20))
	}
	protected, recovery := m[1], m[2]

	promConfig := testutil.WriteFile(t, work, "prometheus.yml", fmt.Sprintf(`global:
  scrape_interval: %[1]s
  scrape_timeout: %[1]s
  evaluation_interval: %[2]s
rule_files:
  - %[3]s
  - %[4]s
scrape_configs:
  - job_name: %[5]s
    static_configs:
      - targets: ['%[6]s']
      - targets: ['%[6]s']
        labels:
          __metrics_path__: /probe
          __param_module: demo
          __param_target: '%[7]s'
          instance: '%[7]s'
`, scrapeEvery, evalEvery, rules[0], rules[1], scrapeJob, expAddr, recovery))
	prom, promAddr := startOnFreePort(t, logs, "prometheus", prometheusBin, nil, "/-/ready", func(addr string) []string {
		return []string{"--config.file=" + promConfig, "--storage.tsdb.path=" + filepath.Join(work, "prometheus"),
			"--web.listen-address=" + addr, "--storage.tsdb.retention.time=1d"}
	})
	procs = append(procs, prom)
	promStarted := time.Now()
	api := &promAPI{base: "http://" + promAddr, client: &http.Client{Timeout: 10 * time.Second}}
	ctx := context.Background()

	// Every collector, vsphere included, works on the demo, on both sites.
	if ok, detail := poll(ctx, 60*time.Second, func() (bool, string) {
		res, err := api.query(ctx, fmt.Sprintf(`zerto_scrape_collector_success{job=%q}`, scrapeJob))
		vsphere, instances, failing := false, map[string]bool{}, []string{}
		for _, r := range res {
			vsphere = vsphere || r.Metric["collector"] == "vsphere"
			instances[r.Metric["instance"]] = true
			if v, _ := r.Value[1].(string); v != "1" {
				failing = append(failing, r.Metric["instance"]+"/"+r.Metric["collector"])
			}
		}
		return err == nil && vsphere && len(instances) == 2 && len(failing) == 0,
			fmt.Sprintf("%d collectors on %d instances, vsphere among them: %t, failing: %v, err %v", len(res), len(instances), vsphere, failing, err)
	}); !ok {
		t.Fatalf("not every collector works on the demo: %s\nexporter log:\n%s", detail, exp.tail(30))
	}

	vars, err := dashboardVars(ctx, simControl{client: &http.Client{Timeout: 10 * time.Second}}, protected, expAddr, recovery)
	if err != nil {
		t.Fatal(err)
	}
	checkDashboards(t, ctx, root, api, vars, 60*time.Second)
	t.Run("compliance report", func(t *testing.T) { checkDemoReport(t, ctx, root, api, promStarted) })
	if t.Failed() {
		t.Logf("exporter log:\n%s", exp.tail(30))
	}
}

// checkDemoReport runs zerto_report over the demo's history so far: the five files, one row per
// VPG the exporter exports (both sites' series counted once), each with its targets and sites.
func checkDemoReport(t *testing.T, ctx context.Context, root string, api *promAPI, since time.Time) {
	const step = 10 * time.Second
	from := since.Truncate(step).Add(step)
	to := time.Now().Truncate(step)
	if to.Sub(from) < 3*step {
		time.Sleep(from.Add(3 * step).Sub(to))
		to = time.Now().Truncate(step)
	}
	out := filepath.Join(t.TempDir(), "out")
	bin := buildReport(t, root)
	cmd := exec.CommandContext(ctx, bin, "--prometheus.url="+api.base, "--from="+from.Format(time.RFC3339), "--to="+to.Format(time.RFC3339),
		"--query.step="+step.String(), "--output.dir="+out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("zerto_report on the demo: %v\n%s", err, msg)
	}
	if msg, err := exec.Command(bin, "verify", out).CombinedOutput(); err != nil || strings.Count(string(msg), ": OK") != 4 {
		t.Errorf("verify: %v\n%s", err, msg)
	}
	got := readEvidence(t, out)
	vpgs, err := api.query(ctx, fmt.Sprintf(`count by (vpg, vpg_id) (zerto_vpg_info{job=%q})`, scrapeJob))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.VPGs) == 0 || len(got.VPGs) != len(vpgs) {
		t.Errorf("%d VPGs in the report, %d exported", len(got.VPGs), len(vpgs))
	}
	for _, v := range got.VPGs {
		if v.RPOTarget == nil || v.Site == "" || v.Completeness <= 0 || len(v.Objectives) != 4 {
			t.Errorf("VPG %s: RPO target %v, site %q, completeness %v, %d objectives", v.VPG, deref(v.RPOTarget), v.Site, v.Completeness, len(v.Objectives))
		}
	}
}
