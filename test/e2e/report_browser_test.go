package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// requireBrowserEnv, when set (CI does), makes a missing Chromium or pdftotext fail the tests that
// need them instead of skipping them.
const requireBrowserEnv = "ZERTO_REPORT_REQUIRE_BROWSER"

// lookTool finds a program the browser and PDF tests need, or skips (fails under
// requireBrowserEnv) with one line.
func lookTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("%s not installed (Debian: apt-get install chromium poppler-utils)", strings.Join(names, " or "))
	if os.Getenv(requireBrowserEnv) != "" {
		t.Fatalf("%s, and %s is set", msg, requireBrowserEnv)
	}
	t.Skip("skipped: " + msg)
	return ""
}

// checkHTMLInBrowser opens report.html in headless Chromium: no console error, no script or
// external resource, every section with its heading, and every table figure equal to the JSON's.
// The screenshot is written to the test's artifact directory (go test -artifacts keeps it).
func checkHTMLInBrowser(t *testing.T, path string, want *reportJSON) {
	chromium := lookTool(t, "chromium", "chromium-browser", "google-chrome")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1024),
	}
	// The whole browser session is bounded: a timeout on the allocator's context ends Chromium.
	tctx, cancelTimeout := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancelTimeout()
	actx, cancelAlloc := chromedp.NewExecAllocator(tctx, opts...)
	defer cancelAlloc()

	var mu sync.Mutex
	var problems []string
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				problems = append(problems, fmt.Sprintf("console %s", ev.Type))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, fmt.Sprintf("log %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
			}
		}
	}))
	defer cancel()
	type pageFacts struct {
		Sections map[string]string            `json:"sections"`
		External int                          `json:"external"`
		Cells    map[string]map[string]string `json:"cells"`
		Summary  map[string]map[string]string `json:"summary"`
		Facts    map[string]string            `json:"facts"`
		Verdict  string                       `json:"verdict"`
		Untitled int                          `json:"untitled"`
		Charts   int                          `json:"charts"`
		Alerts   int                          `json:"alerts"`
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path), chromedp.WaitReady(chromedp.CSS("#method"))); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	page, err := chromedp.Run(ctx, chromedp.Evaluate[pageFacts](`(() => {
			const text = e => e.textContent.trim();
			const out = {sections: {}, cells: {}, summary: {}, facts: {}};
			for (const s of document.querySelectorAll("section")) {
				const h = s.querySelector("h2");
				out.sections[s.id] = h ? text(h) : "";
			}
			out.external = document.querySelectorAll("script, link, img, iframe, object, [src]").length;
			for (const td of document.querySelectorAll("tr[data-vpg] td[data-field]")) {
				const v = td.closest("tr").dataset.vpg;
				(out.cells[v] = out.cells[v] || {})[td.dataset.field] = text(td);
			}
			for (const td of document.querySelectorAll("#summary-table tr[data-objective] td[data-field]")) {
				const o = td.closest("tr").dataset.objective;
				(out.summary[o] = out.summary[o] || {})[td.dataset.field] = text(td);
			}
			for (const dd of document.querySelectorAll("#summary dd[data-field]")) out.facts[dd.dataset.field] = text(dd);
			out.verdict = text(document.querySelector("[data-field=verdict]"));
			out.untitled = [...document.querySelectorAll("table")].filter(t => !t.querySelector("caption") || !t.querySelector("th[scope]")).length;
			out.charts = document.querySelectorAll("svg.chart title").length;
			out.alerts = document.querySelectorAll("#alerts-table tbody tr").length;
			return out;
		})()`))
	if err != nil {
		t.Fatalf("chromium: reading the page: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("chromium: screenshot: %v", err)
	}
	shotPath := filepath.Join(t.ArtifactDir(), "report.png")
	if err := os.WriteFile(shotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shotPath, len(shot))
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("console problems: %v", problems)
	}
	for id, heading := range map[string]string{"summary": "Executive summary", "rpo": "Recovery point objective", "journal": "Journal history",
		"testing": "Failover testing", "operations": "Operations", "coverage": "Coverage and data completeness",
		"exceptions": "Exceptions", "signoff": "Sign-off", "method": "Appendix: method"} {
		if !strings.Contains(page.Sections[id], heading) {
			t.Errorf("section %s: heading %q, want one with %q", id, page.Sections[id], heading)
		}
	}
	if page.External != 0 || page.Untitled != 0 {
		t.Errorf("%d scripts or external resources, %d tables without caption or header scope", page.External, page.Untitled)
	}
	if page.Verdict != strings.ToUpper(want.Summary.Verdict) || page.Charts != 1 || page.Alerts != len(want.Alerts) {
		t.Errorf("verdict %q, %d charts (want 1: Finance-DB), %d alert rows (want %d)", page.Verdict, page.Charts, page.Alerts, len(want.Alerts))
	}
	for o, counts := range map[string]map[string]int{"meeting": want.Summary.Meeting, "failing": want.Summary.Failing, "excepted": want.Summary.Excepted, "unknown": want.Summary.Unknown} {
		for obj, n := range counts {
			if page.Summary[obj][o] != itoa(n) {
				t.Errorf("summary table %s/%s: %q, JSON %d", obj, o, page.Summary[obj][o], n)
			}
		}
	}
	if page.Facts["protected_vms"] != fmt.Sprintf("%.0f", want.Summary.ProtectedVMs) || page.Facts["partial_data_vpgs"] != itoa(want.Summary.PartialData) {
		t.Errorf("summary facts %v", page.Facts)
	}
	for _, v := range want.VPGs {
		c := page.Cells[v.VPG]
		wantCells := map[string]string{
			"rpo_target_seconds":            dur(*v.RPOTarget),
			"rpo_compliance_ratio":          pct(*v.Compliance),
			"worst_rpo_seconds":             dur(*v.Worst),
			"rpo_breach_minutes":            fmt.Sprintf("%.1f", v.BreachSeconds/60),
			"rpo_breach_episodes":           itoa(v.Episodes),
			"test_status":                   v.TestStatus,
			"rto_status":                    v.RTOStatus,
			"tests_in_period":               itoa(len(v.Tests)),
			"failed_tests_in_period":        itoa(v.FailedTests),
			"encryption_suspicion_episodes": itoa(v.EncEpisodes),
			"ejc_failed_runs":               itoa(v.EJCFailed),
			"protected_vms":                 fmt.Sprintf("%.0f", *v.VMs),
			"rpo_status":                    v.Objectives[0].Status,
		}
		completeness := pct(v.Completeness)
		if v.Partial {
			completeness += " (partial)"
		}
		wantCells["data_completeness_ratio"] = completeness
		if v.LastRTO != nil {
			wantCells["last_rto_seconds"] = dur(*v.LastRTO)
		}
		if v.Journal != nil {
			wantCells["journal_history_compliance_ratio"] = pct(*v.Journal)
		}
		if v.LastTest != nil {
			wantCells["last_test_timestamp"] = v.LastTest.UTC().Format("2006-01-02 15:04 UTC")
		}
		for field, w := range wantCells {
			if c[field] != w {
				t.Errorf("%s %s: table says %q, JSON %q", v.VPG, field, c[field], w)
			}
		}
	}
}

// checkPDFText extracts report.pdf's text with pdftotext and looks for the sections and the
// figures of the JSON.
func checkPDFText(t *testing.T, path string, want *reportJSON) {
	pdftotext := lookTool(t, "pdftotext")
	out, err := exec.Command(pdftotext, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	needles := []string{"1. Executive summary", "2. Recovery point objective (RPO)", "3. Journal history", "4. Failover testing and recovery time (RTO)",
		"5. Operations", "6. Coverage and data completeness", "7. Exceptions (accepted risks)", "8. Sign-off", "Appendix: method",
		strings.ToUpper(want.Summary.Verdict), "Reviewer", "Signature", "max_over_time(zerto_vpg_actual_rpo_seconds", want.PrometheusURL}
	for _, v := range want.VPGs {
		needles = append(needles, v.VPG, pct(*v.Compliance), dur(*v.Worst), pct(v.Completeness))
		if v.LastRTO != nil {
			needles = append(needles, dur(*v.LastRTO))
		}
		if v.Journal != nil {
			needles = append(needles, pct(*v.Journal))
		}
	}
	for _, a := range want.Alerts {
		needles = append(needles, a.Alert, dur(a.Duration))
	}
	for _, n := range needles {
		if !strings.Contains(text, n) {
			t.Errorf("the PDF's text lacks %q", n)
		}
	}
	if t.Failed() {
		t.Logf("pdftotext:\n%s", text)
	}
}

// TestMissingBrowserToolSkips checks that a missing program skips the browser and PDF-text tests
// with one line (CI, which sets requireBrowserEnv, fails instead).
func TestMissingBrowserToolSkips(t *testing.T) {
	if os.Getenv(requireBrowserEnv) != "" {
		t.Skipf("%s is set: a missing program fails instead", requireBrowserEnv)
	}
	skipped := false
	t.Run("missing", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		lookTool(t, "zerto-report-no-such-program")
	})
	if !skipped {
		t.Error("a missing program did not skip the test")
	}
}
