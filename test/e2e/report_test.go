package e2e

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// reportJSON is what the test reads of evidence.json.
type reportJSON struct {
	Period struct {
		Start, End  time.Time
		StepSeconds float64 `json:"step_seconds"`
	} `json:"period"`
	PrometheusURL string `json:"prometheus_url"`
	Summary       struct {
		VPGs           int            `json:"vpgs"`
		Meeting        map[string]int `json:"meeting"`
		Failing        map[string]int `json:"failing"`
		Excepted       map[string]int `json:"excepted"`
		Unknown        map[string]int `json:"unknown"`
		PartialData    int            `json:"partial_data_vpgs"`
		EncryptionVPGs int            `json:"encryption_suspected_vpgs"`
		ProtectedVMs   float64        `json:"protected_vms"`
		UnprotectedVMs float64        `json:"unprotected_vms"`
		Verdict        string         `json:"verdict"`
	} `json:"summary"`
	VPGs   []vpgJSON `json:"vpgs"`
	Alerts []struct {
		Alert     string    `json:"alert"`
		VPG       string    `json:"vpg"`
		FirstSeen time.Time `json:"first_seen"`
		LastSeen  time.Time `json:"last_seen"`
		Duration  float64   `json:"duration_seconds"`
	} `json:"alert_episodes"`
	Repositories []struct {
		Repository string `json:"repository"`
		Immutable  bool   `json:"immutable"`
	} `json:"repositories"`
	Queries []struct{ Query string } `json:"queries"`
}

// vpgJSON is one VPG of evidence.json.
type vpgJSON struct {
	VPG                 string     `json:"vpg"`
	Site                string     `json:"site"`
	RPOTarget           *float64   `json:"rpo_target_seconds"`
	Compliance          *float64   `json:"rpo_compliance_ratio"`
	Worst               *float64   `json:"worst_rpo_seconds"`
	WorstAt             *time.Time `json:"worst_rpo_at"`
	BreachSeconds       float64    `json:"rpo_breach_seconds"`
	Episodes            int        `json:"rpo_breach_episodes"`
	Completeness        float64    `json:"data_completeness_ratio"`
	Partial             bool       `json:"partial"`
	Journal             *float64   `json:"journal_history_compliance_ratio"`
	LastTest            *time.Time `json:"last_test_timestamp"`
	TestStatus          string     `json:"test_status"`
	NextDue             *time.Time `json:"next_test_due"`
	TestIntervalSeconds float64    `json:"test_interval_seconds"`
	Tests               []struct {
		End    time.Time `json:"end"`
		Result string    `json:"result"`
		RTO    *float64  `json:"rto_seconds"`
	} `json:"tests_in_period"`
	FailedTests int      `json:"failed_tests_in_period"`
	LastRTO     *float64 `json:"last_rto_seconds"`
	RTOTarget   *float64 `json:"rto_target_seconds"`
	RTOStatus   string   `json:"rto_status"`
	EncEpisodes int      `json:"encryption_suspicion_episodes"`
	EJCFailed   int      `json:"ejc_failed_runs"`
	VMs         *float64 `json:"protected_vms"`
	Objectives  []struct {
		Objective, Status, Exception string
	} `json:"objectives"`
}

// TestComplianceReport backfills a month of known history into the pinned Prometheus (with the
// mixin's rules loaded), runs the built zerto_report on it, and checks every figure of
// evidence.json and evidence.csv against the model; then the HTML in headless Chromium and the
// PDF's text, and the command's errors against a real Prometheus.
func TestComplianceReport(t *testing.T) {
	root := testutil.RepoRoot(t)
	prometheusBin := testutil.Tool(t, "PROMETHEUS", "prometheus")
	promtoolBin := testutil.Tool(t, "PROMTOOL", "promtool")
	logs := logDir(t)
	work := t.TempDir()

	h := newHistory(time.Now())
	om := filepath.Join(work, "history.om")
	if err := h.writeOpenMetrics(om); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(work, "data")
	if out, err := exec.Command(promtoolBin, "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=240h", om, data).CombinedOutput(); err != nil {
		t.Fatalf("promtool tsdb create-blocks-from openmetrics: %v\n%s", err, out)
	}
	os.Remove(om)
	promConfig := testutil.WriteFile(t, work, "prometheus.yml", fmt.Sprintf("global:\n  evaluation_interval: 1m\nrule_files:\n  - %s\n  - %s\n",
		filepath.Join(root, "mixin", "alerts.yaml"), filepath.Join(root, "mixin", "rules.yaml")))
	_, promAddr := startOnFreePort(t, logs, "prometheus", prometheusBin, nil, "/-/ready", func(addr string) []string {
		return []string{"--config.file=" + promConfig, "--storage.tsdb.path=" + data, "--web.listen-address=" + addr,
			"--storage.tsdb.retention.time=3650d"}
	})
	prom := &promAPI{base: "http://" + promAddr, client: &http.Client{Timeout: 10 * time.Second}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if groups, unhealthy, err := prom.rules(ctx); err != nil || len(groups) == 0 || len(unhealthy) > 0 {
		t.Fatalf("the mixin's rules in Prometheus: %v groups, unhealthy %v, %v", groups, unhealthy, err)
	}

	bin := buildReport(t, root)
	sla := testutil.WriteFile(t, work, "zerto_exporter.yml", "sla:\n  - match: \"HR-.*\"\n    test_interval: 90d\n    rto_target: 5m\n")
	exceptions := testutil.WriteFile(t, work, "exceptions.yml", "exceptions:\n  - vpg: Legacy-App\n    objectives: [failover_test]\n    reason: migrated to the new platform in Q1, tested then\n    approved_by: J. Doe, CISO\n    until: 2099-12-31\n")
	out := filepath.Join(work, "out")
	report := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, bin, append([]string{"--prometheus.url=" + prom.base}, args...)...)
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	if msg, err := report("--period=last-month", "--query.step=5m", "--output.dir="+out, "--config.file="+sla, "--policy.exceptions-file="+exceptions); err != nil {
		t.Fatalf("zerto_report: %v\n%s", err, msg)
	}
	got := readEvidence(t, out)
	// Kept with go test -artifacts (the README's picture of page 1 is made from this PDF).
	for _, name := range []string{"report.html", "report.pdf", "evidence.json"} {
		if b, err := os.ReadFile(filepath.Join(out, name)); err == nil {
			_ = os.WriteFile(filepath.Join(t.ArtifactDir(), name), b, 0o644)
		}
	}
	checkJSON(t, h, got, prom.base)
	checkCSV(t, h, got, filepath.Join(out, "evidence.csv"))
	checkVerify(t, bin, out)

	t.Run("HTML in Chromium", func(t *testing.T) { checkHTMLInBrowser(t, filepath.Join(out, "report.html"), got) })
	t.Run("PDF text", func(t *testing.T) { checkPDFText(t, filepath.Join(out, "report.pdf"), got) })
	t.Run("Letter PDF", func(t *testing.T) {
		letter := filepath.Join(work, "letter")
		if msg, err := report("--period=last-month", "--query.step=5m", "--format=pdf", "--pdf.page-size=Letter", "--output.dir="+letter, "--output.period-subdir"); err != nil {
			t.Fatalf("zerto_report: %v\n%s", err, msg)
		}
		dir := filepath.Join(letter, h.start.Format("2006-01-02")+"_"+h.end.Format("2006-01-02"))
		b, err := os.ReadFile(filepath.Join(dir, "report.pdf"))
		if err != nil || !strings.Contains(string(b), "/MediaBox [0 0 612.00 792.00]") {
			t.Errorf("report.pdf in %s is not Letter-sized: %v", dir, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 2 {
			t.Errorf("%d files in %s, want report.pdf and manifest.json", len(entries), dir)
		}
		checkPDFText(t, filepath.Join(dir, "report.pdf"), got)
	})
	t.Run("errors", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"--from=2020-01-01", "--to=2020-02-01"}, "no data: prometheus at " + prom.base + ` has no zerto_vpg_info{job="zerto"} samples between 2020-01-01T00:00:00Z and 2020-02-01T00:00:00Z`},
			{[]string{"--period=last-month", `--zerto-selector=job="zerto-probe"`}, `has no zerto_vpg_info{job="zerto-probe"} series at all`},
			{[]string{"--period=last-month", "--format=pdf,xlsx"}, `unknown format "xlsx"`},
		} {
			dir := filepath.Join(work, "bad")
			msg, err := report(append(c.args, "--output.dir="+dir)...)
			if err == nil || !strings.Contains(msg, c.want) {
				t.Errorf("%v: %v\n%s\nwant a failure saying %q", c.args, err, msg, c.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("%v: %d files written to %s", c.args, len(entries), dir)
			}
		}
	})
}

// readEvidence reads evidence.json of a report directory.
func readEvidence(t *testing.T, dir string) *reportJSON {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "evidence.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r reportJSON
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// buildReport builds zerto_report as make build does (see buildBinaries), stamped with the
// VERSION file's version, which the report prints.
func buildReport(t *testing.T, root string) string {
	t.Helper()
	dir := t.TempDir()
	v, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	ldflags := "-X github.com/prometheus/common/version.Version=" + strings.TrimSpace(string(v))
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-o", dir+string(filepath.Separator), "./cmd/zerto_report")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/zerto_report: %v\n%s", err, out)
	}
	return filepath.Join(dir, "zerto_report")
}

func eq(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func unix(sec float64) time.Time { return time.Unix(int64(sec), 0).UTC() }

// checkJSON compares evidence.json with the model.
func checkJSON(t *testing.T, h *history, got *reportJSON, promURL string) {
	t.Helper()
	if !got.Period.Start.Equal(h.start) || !got.Period.End.Equal(h.end) || got.Period.StepSeconds != 300 || got.PrometheusURL != promURL {
		t.Errorf("period %v, Prometheus %s", got.Period, got.PrometheusURL)
	}
	if len(got.VPGs) != 4 {
		t.Fatalf("%d VPGs, want 4 (Other-VPG of job other left out, each VPG once across its two ZVMs)", len(got.VPGs))
	}
	want := map[string]struct {
		testStatus, rtoStatus string
		lastTest              float64
		lastRTO, rtoTarget    *float64
		interval              float64
		tests, failed, ejc    int
		vms                   float64
	}{
		vpgFin:    {"ok", "ok", h.ts(finTest), ptr(420), ptr(600), 365 * 86400, 1, 0, 0, 4},
		vpgWeb:    {"ok", "breach", h.ts(webTest), ptr(800), ptr(600), 365 * 86400, 2, 1, 0, 6},
		vpgLegacy: {"never", "unknown", 0, nil, nil, 365 * 86400, 0, 0, 0, 2},
		vpgHR:     {"overdue", "ok", float64(h.end.Add(-200 * 24 * time.Hour).Unix()), ptr(250), ptr(300), 90 * 86400, 0, 0, 1, 3},
	}
	for _, v := range got.VPGs {
		w, ok := want[v.VPG]
		if !ok {
			t.Errorf("unexpected VPG %s", v.VPG)
			continue
		}
		e := h.expect(v.VPG)
		if v.RPOTarget == nil || *v.RPOTarget != e.rpoTarget || v.Compliance == nil || !eq(*v.Compliance, e.compliance) ||
			v.Worst == nil || *v.Worst != e.worst || v.WorstAt == nil || !v.WorstAt.Equal(e.worstAt) {
			t.Errorf("%s RPO: target %v compliance %v worst %v at %v; want %v %v %v at %v", v.VPG, deref(v.RPOTarget), deref(v.Compliance), deref(v.Worst), v.WorstAt, e.rpoTarget, e.compliance, e.worst, e.worstAt)
		}
		if v.BreachSeconds != float64(e.breachSteps)*300 || v.Episodes != e.episodes {
			t.Errorf("%s breaches: %v s in %d episodes, want %v s in %d", v.VPG, v.BreachSeconds, v.Episodes, e.breachSteps*300, e.episodes)
		}
		if !eq(v.Completeness, e.completeness) || v.Partial != (e.completeness < 1) {
			t.Errorf("%s data completeness %v (partial %v), want %v", v.VPG, v.Completeness, v.Partial, e.completeness)
		}
		if (v.Journal == nil) != (e.journal == nil) || v.Journal != nil && !eq(*v.Journal, *e.journal) {
			t.Errorf("%s journal compliance %v, want %v", v.VPG, deref(v.Journal), deref(e.journal))
		}
		if v.EncEpisodes != e.encEpisodes || v.EJCFailed != w.ejc {
			t.Errorf("%s encryption episodes %d, failed EJC runs %d; want %d, %d", v.VPG, v.EncEpisodes, v.EJCFailed, e.encEpisodes, w.ejc)
		}
		if v.TestStatus != w.testStatus || v.RTOStatus != w.rtoStatus || len(v.Tests) != w.tests || v.FailedTests != w.failed || v.TestIntervalSeconds != w.interval {
			t.Errorf("%s testing: status %s, RTO %s, %d tests (%d failed), interval %v; want %+v", v.VPG, v.TestStatus, v.RTOStatus, len(v.Tests), v.FailedTests, v.TestIntervalSeconds, w)
		}
		if w.lastTest == 0 {
			if v.LastTest != nil || v.NextDue != nil {
				t.Errorf("%s: last test %v, next due %v; want never", v.VPG, v.LastTest, v.NextDue)
			}
		} else if v.LastTest == nil || !v.LastTest.Equal(unix(w.lastTest)) || v.NextDue == nil || !v.NextDue.Equal(unix(w.lastTest+w.interval)) {
			t.Errorf("%s: last test %v, next due %v; want %v, %v", v.VPG, v.LastTest, v.NextDue, unix(w.lastTest), unix(w.lastTest+w.interval))
		}
		if deref(v.LastRTO) != deref(w.lastRTO) || deref(v.RTOTarget) != deref(w.rtoTarget) || v.VMs == nil || *v.VMs != w.vms || v.Site != "Site-A" {
			t.Errorf("%s: RTO %v target %v, VMs %v, site %s; want %v %v %v Site-A", v.VPG, deref(v.LastRTO), deref(v.RTOTarget), deref(v.VMs), v.Site, deref(w.lastRTO), deref(w.rtoTarget), w.vms)
		}
	}
	if web := findVPG(got, vpgWeb); web != nil && len(web.Tests) == 2 {
		if !web.Tests[0].End.Equal(unix(h.ts(webFailedTest))) || web.Tests[0].Result != "Failed" || deref(web.Tests[0].RTO) != any(900.0) ||
			!web.Tests[1].End.Equal(unix(h.ts(webTest))) || web.Tests[1].Result != "Success" || deref(web.Tests[1].RTO) != any(800.0) {
			for _, x := range web.Tests {
				t.Errorf("Web-Frontend's test: %s %s RTO %v", x.End, x.Result, deref(x.RTO))
			}
		}
	}
	// Objectives: RPO fails for Finance-DB (17 steps of breach), journal history for HR-Files, the
	// failover test for HR-Files (overdue) and Legacy-App (never, under its exception), RTO for
	// Web-Frontend.
	s := got.Summary
	wantCounts := map[string][4]int{ // meeting, failing, excepted, unknown
		"rpo":             {3, 1, 0, 0},
		"journal_history": {2, 1, 0, 1},
		"failover_test":   {2, 1, 1, 0},
		"rto":             {2, 1, 0, 1},
	}
	for o, c := range wantCounts {
		if g := [4]int{s.Meeting[o], s.Failing[o], s.Excepted[o], s.Unknown[o]}; g != c {
			t.Errorf("summary of %s: %v, want %v", o, g, c)
		}
	}
	if s.VPGs != 4 || s.Verdict != "fail" || s.PartialData != 2 || s.EncryptionVPGs != 1 || s.ProtectedVMs != 15 || s.UnprotectedVMs != 10 {
		t.Errorf("summary: %+v", s)
	}
	leg := findVPG(got, vpgLegacy)
	if leg == nil || leg.Objectives[2].Status != "excepted" || !strings.Contains(leg.Objectives[2].Exception, "approved by J. Doe, CISO until 2099-12-31") {
		t.Errorf("Legacy-App's failover test objective: %+v", leg)
	}
	// Alert episodes, as Prometheus recorded them in ALERTS.
	wantAlerts := []struct {
		alert, vpg  string
		first, last int
	}{
		{"ZertoVpgRpoAboveTarget", vpgFin, finBreachA[0] + 1, finBreachA[1] - 1},
		{"ZertoVpgRpoAboveTarget", vpgFin, finBreachB[0] + 1, finBreachB[1] - 1},
		{"ZertoEncryptionSuspected", vpgWeb, webEncryption[0], webEncryption[1] - 1},
	}
	if len(got.Alerts) != len(wantAlerts) {
		t.Errorf("alert episodes %+v, want %+v", got.Alerts, wantAlerts)
	} else {
		for i, w := range wantAlerts {
			a := got.Alerts[i]
			if a.Alert != w.alert || a.VPG != w.vpg || !a.FirstSeen.Equal(unix(h.ts(w.first))) || !a.LastSeen.Equal(unix(h.ts(w.last))) || a.Duration != float64(w.last-w.first+1)*300 {
				t.Errorf("alert episode %d: %+v, want %+v", i, a, w)
			}
		}
	}
	if len(got.Repositories) != 2 || got.Repositories[0].Repository != "repo-nfs" || got.Repositories[0].Immutable || !got.Repositories[1].Immutable {
		t.Errorf("repositories: %+v", got.Repositories)
	}
	for _, q := range got.Queries {
		if strings.Contains(q.Query, ":") && !strings.Contains(q.Query, "[") {
			t.Errorf("query %s reads a recording rule", q.Query)
		}
	}
}

func ptr(v float64) *float64 { return new(v) }

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func findVPG(r *reportJSON, name string) *vpgJSON {
	for i := range r.VPGs {
		if r.VPGs[i].VPG == name {
			return &r.VPGs[i]
		}
	}
	return nil
}

// checkCSV compares evidence.csv with the JSON and the model: one row per VPG and objective.
func checkCSV(t *testing.T, h *history, got *reportJSON, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "vpg,site,objective,target,achieved,status,period_start,period_end,data_completeness,exception" {
		t.Errorf("header %v", rows[0])
	}
	if len(rows) != 1+4*4 {
		t.Fatalf("%d rows, want a header and 16", len(rows))
	}
	status := map[string]string{}
	for _, r := range rows[1:] {
		status[r[0]+"/"+r[2]] = r[5]
		e := h.expect(r[0])
		if r[1] != "Site-A" || r[6] != h.start.Format(time.RFC3339) || r[7] != h.end.Format(time.RFC3339) || r[8] != pct(e.completeness) {
			t.Errorf("row %v: want site Site-A, period %s to %s, completeness %s", r, h.start.Format(time.RFC3339), h.end.Format(time.RFC3339), pct(e.completeness))
		}
		if r[2] == "rpo" && !strings.HasPrefix(r[4], pct(e.compliance)+" within target; worst "+dur(e.worst)) {
			t.Errorf("row %v: achieved should start %q", r, pct(e.compliance)+" within target; worst "+dur(e.worst))
		}
	}
	for _, v := range got.VPGs {
		for _, o := range v.Objectives {
			if status[v.VPG+"/"+o.Objective] != o.Status {
				t.Errorf("%s %s: CSV status %q, JSON %q", v.VPG, o.Objective, status[v.VPG+"/"+o.Objective], o.Status)
			}
		}
	}
	if status[vpgFin+"/rpo"] != "fail" || status[vpgLegacy+"/failover_test"] != "excepted" || status[vpgHR+"/journal_history"] != "fail" {
		t.Errorf("statuses %v", status)
	}
}

// checkVerify runs `zerto_report verify` on the output, then on a tampered copy.
func checkVerify(t *testing.T, bin, dir string) {
	t.Helper()
	out, err := exec.Command(bin, "verify", dir).CombinedOutput()
	if err != nil || strings.Count(string(out), ": OK") != 4 {
		t.Errorf("verify: %v\n%s", err, out)
	}
	tampered := t.TempDir()
	for _, name := range []string{"report.html", "report.pdf", "evidence.csv", "evidence.json", "manifest.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "evidence.csv" {
			b = []byte(strings.Replace(string(b), ",fail,", ",pass,", 1))
		}
		if err := os.WriteFile(filepath.Join(tampered, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err = exec.Command(bin, "verify", tampered).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "evidence.csv: SHA-256") {
		t.Errorf("verify of a tampered evidence.csv: %v\n%s", err, out)
	}
}

// itoa is strconv.Itoa, named for the table checks.
func itoa(n int) string { return strconv.Itoa(n) }
