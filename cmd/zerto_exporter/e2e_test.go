package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// volatile matches the families whose values change from run to run: runtime, build and timing,
// and the ZVM's clock skew, which against the frozen simulator clock is the time since it.
var volatile = regexp.MustCompile(`^(# (HELP|TYPE) )?(go_|process_|promhttp_|zerto_exporter_build_info|zerto_exporter_config_last_reload_success_timestamp_seconds|zerto_scrape_collector_duration_seconds|zerto_exporter_api_request_duration_seconds|zerto_zvm_clock_skew_seconds)`)

// buildExporter compiles the exporter binary once per test run, as `make build` compiles it
// (CGO_ENABLED=0, -trimpath; under make, GOFLAGS adds the rest), so that the Go build
// cache serves both.
func buildExporter(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "zerto_exporter")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestEndToEndGolden runs the built binary against a simulated ZVM of each flavour with a frozen
// clock, and compares /metrics with a reviewed golden file; promtool then lints that file.
func TestEndToEndGolden(t *testing.T) {
	bin := buildExporter(t)
	frozen := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, flavour := range []string{"appliance", "windows"} {
		t.Run(flavour, func(t *testing.T) {
			sim, err := zvmsim.New(zvmsim.Options{Flavour: flavour, Profile: "demo", VMs: 20, Seed: 42,
				Username: "admin", Password: "golden-pw", Clock: func() time.Time { return frozen }})
			if err != nil {
				t.Fatal(err)
			}
			defer sim.Close()
			zvm := httptest.NewServer(sim.Handler(zvmsim.Protected))
			defer zvm.Close()
			dir := t.TempDir()
			sla := testutil.WriteFile(t, dir, "zerto.yml", "sla:\n  - match: 'Exchange|SAP-ERP'\n    rpo_target: 2m\n    rto_target: 10m\n    test_interval: 30d\n")
			addr := testutil.FreeAddr(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "--web.listen-address="+addr, "--zvm.url="+zvm.URL,
				"--zvm.username=admin", "--zvm.auth=auto", "--config.file="+sla, "--collector.recovery.lookback=3650d")
			cmd.Env = append(os.Environ(), "ZERTO_EXPORTER_ZVM_PASSWORD=golden-pw")
			var logs testutil.SyncBuffer
			cmd.Stderr = &logs
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { cancel(); _ = cmd.Wait() }()
			body := scrapeWhenUp(t, "http://"+addr+"/metrics", &logs)
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
			checkDocumented(t, body)
		})
	}
}

// checkDocumented fails for every zerto_ family of an exposition that docs/metrics.md does not
// list (the Go runtime's and process families are client_golang's).
func checkDocumented(t *testing.T, exposition string) {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(exposition, "\n") {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, _, _ = strings.Cut(name, " ")
			if strings.HasPrefix(name, "zerto_") && !strings.Contains(string(doc), "| `"+name+"` |") {
				t.Errorf("%s is served but not in docs/metrics.md", name)
			}
		}
	}
}

func scrapeWhenUp(t *testing.T, url string, logs *testutil.SyncBuffer) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(url)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return string(b)
	}
	t.Fatalf("exporter never answered\n%s", logs)
	return ""
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
