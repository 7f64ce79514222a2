package e2e

import (
	"bufio"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden expositions instead of comparing (make golden)")

// volatile matches the families whose values change from run to run: runtime, build and timing,
// and the ZVM's clock skew, which against the frozen simulator clock is the time since it.
var volatile = regexp.MustCompile(`^(# (HELP|TYPE) )?(go_|process_|promhttp_|zerto_exporter_build_info|zerto_exporter_config_last_reload_success_timestamp_seconds|zerto_scrape_collector_duration_seconds|zerto_exporter_api_request_duration_seconds|zerto_zvm_clock_skew_seconds)`)

// TestEndToEndGolden runs the built exporter against the built simulator of each flavour, its
// clock frozen, and compares the first /metrics with a reviewed golden file; promtool then lints
// that file, and every zerto_ family served must be in docs/metrics.md.
func TestEndToEndGolden(t *testing.T) {
	root := testutil.RepoRoot(t)
	zvmsimBin, exporterBin := buildBinaries(t, root)
	for _, flavour := range []string{"appliance", "windows"} {
		t.Run(flavour, func(t *testing.T) {
			logs := logDir(t)
			_, urls := startSim(t, logs, zvmsimBin, false, "--flavour="+flavour, "--profile=demo", "--vms=20", "--seed=42",
				"--username=admin", "--password=golden-pw", "--clock=2026-11-25T12:00:00Z")
			sla := testutil.WriteFile(t, t.TempDir(), "zerto.yml", "sla:\n  - match: 'Exchange|SAP-ERP'\n    rpo_target: 2m\n    rto_target: 10m\n    test_interval: 30d\n")
			// Ready on /-/ready, so that the /metrics below is the exporter's first.
			_, addr := startOnFreePort(t, logs, "zerto_exporter", exporterBin, []string{"ZERTO_EXPORTER_ZVM_PASSWORD=golden-pw"}, "/-/ready",
				func(addr string) []string {
					return []string{"--web.listen-address=" + addr, "--zvm.url=" + urls[0], "--zvm.username=admin", "--zvm.auth=auto",
						"--config.file=" + sla, "--collector.recovery.lookback=3650d"}
				})
			body := scrape(t, "http://"+addr+"/metrics")
			got := stable(body)
			golden := filepath.Join("testdata", "e2e-"+flavour+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("/metrics differs from %s (run `make golden` and review the diff):\n%s", golden, firstDiff(string(want), got))
			}
			promtoolCheckMetrics(t, golden)
			checkDocumented(t, filepath.Join(root, "docs", "metrics.md"), body)
		})
	}
}

// checkDocumented fails for every zerto_ family of an exposition that the metrics reference doc
// does not list (the Go runtime's and process families are client_golang's).
func checkDocumented(t *testing.T, doc, exposition string) {
	t.Helper()
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(exposition, "\n") {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, _, _ = strings.Cut(name, " ")
			if strings.HasPrefix(name, "zerto_") && !strings.Contains(string(b), "| `"+name+"` |") {
				t.Errorf("%s is served but not in %s", name, doc)
			}
		}
	}
}

// stable drops the volatile families from an exposition.
func stable(body string) string {
	var b strings.Builder
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if !volatile.MatchString(sc.Text()) {
			b.WriteString(sc.Text())
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// firstDiff shows the first line where got differs from want.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n- " + wl + "\n+ " + gl
		}
	}
	return ""
}

// promtoolCheckMetrics lints an exposition file with the pinned promtool.
func promtoolCheckMetrics(t *testing.T, file string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(testutil.Promtool(t), "check", "metrics")
	cmd.Stdin = f
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics %s: %v\n%s", file, err, out)
	}
}
