package docs

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// TestScalingPrometheusConfigs runs `promtool check config` on every Prometheus example of
// scaling.md (which also checks the rule files prometheus-ha.yml loads: the rendered mixin).
func TestScalingPrometheusConfigs(t *testing.T) {
	promtool := testutil.Promtool(t)
	files, err := filepath.Glob("scaling/prometheus-*.yml")
	if err != nil || len(files) < 3 {
		t.Fatalf("want the three Prometheus examples under scaling/, found %v (%v)", files, err)
	}
	for _, f := range files {
		out, err := exec.Command(promtool, "check", "config", f).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "SUCCESS") {
			t.Errorf("promtool check config %s: %v\n%s", f, err, out)
		}
	}
}

// TestScalingExporterConfig parses scaling/zerto.yml with the exporter's own config parser, with
// its secret paths pointed at files that exist.
func TestScalingExporterConfig(t *testing.T) {
	b, err := os.ReadFile("scaling/zerto.yml")
	if err != nil {
		t.Fatal(err)
	}
	const secrets = "/etc/zerto_exporter/secrets/"
	dir := t.TempDir()
	for _, f := range []string{"zvm-password", "zvm-ca.pem", "windows-password"} {
		if !strings.Contains(string(b), secrets+f) {
			t.Fatalf("scaling/zerto.yml no longer names %s%s; update this test", secrets, f)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := config.Parse([]byte(strings.ReplaceAll(string(b), secrets, dir+"/")))
	if err != nil {
		t.Fatalf("scaling/zerto.yml: %v", err)
	}
	for _, m := range []string{"default", "windows"} {
		if _, ok := c.Modules[m]; !ok {
			t.Errorf("scaling/zerto.yml has no module %q, which the Prometheus examples use", m)
		}
	}
}

// TestScalingShardsSplitZVMs runs Prometheus on scaling/prometheus-shards.yml and checks, through
// its targets API, that every ZVM is probed through exactly one of the two exporter replicas,
// that both replicas get some, and that `instance` is the ZVM URL.
func TestScalingShardsSplitZVMs(t *testing.T) {
	prometheus := testutil.Tool(t, "PROMETHEUS", "prometheus")
	cfg, err := filepath.Abs("scaling/prometheus-shards.yml")
	if err != nil {
		t.Fatal(err)
	}
	addr := testutil.FreeAddr(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, prometheus,
		"--config.file="+cfg,
		"--web.listen-address="+addr,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--log.level=warn",
	)
	var logs testutil.SyncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus log:\n%s", logs.String())
		}
	}()

	type target struct {
		Labels    map[string]string `json:"labels"`
		ScrapeURL string            `json:"scrapeUrl"`
	}
	var resp struct {
		Data struct {
			ActiveTargets []target `json:"activeTargets"`
		} `json:"data"`
	}
	client := &http.Client{Timeout: 5 * time.Second}
	var zerto []target
	deadline := time.Now().Add(60 * time.Second)
	for {
		zerto = nil
		r, err := client.Get("http://" + addr + "/api/v1/targets?state=active")
		if err == nil {
			err = json.NewDecoder(r.Body).Decode(&resp)
			r.Body.Close()
		}
		if err == nil {
			for _, tg := range resp.Data.ActiveTargets {
				if tg.Labels["job"] == "zerto" {
					zerto = append(zerto, tg)
				}
			}
			if len(zerto) > 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus listed no zerto targets within 60s (last error: %v)", err)
		}
		time.Sleep(500 * time.Millisecond)
	}

	const zvms = 12
	if len(zerto) != zvms {
		t.Fatalf("want %d zerto targets (one per ZVM), got %d: %+v", zvms, len(zerto), zerto)
	}
	perReplica := map[string]int{}
	seen := map[string]bool{}
	for _, tg := range zerto {
		u, err := url.Parse(tg.ScrapeURL)
		if err != nil {
			t.Fatalf("scrape URL %q: %v", tg.ScrapeURL, err)
		}
		zvm := u.Query().Get("target")
		if !strings.HasPrefix(zvm, "https://zvm-") || u.Path != "/probe" {
			t.Errorf("scrape URL %s: want /probe?target=https://zvm-...", tg.ScrapeURL)
		}
		if tg.Labels["instance"] != zvm {
			t.Errorf("instance %q, want the ZVM URL %q", tg.Labels["instance"], zvm)
		}
		if seen[zvm] {
			t.Errorf("ZVM %s is probed more than once", zvm)
		}
		seen[zvm] = true
		perReplica[u.Host]++
	}
	for _, replica := range []string{"zerto-exporter-0.example.com:9847", "zerto-exporter-1.example.com:9847"} {
		if perReplica[replica] == 0 {
			t.Errorf("replica %s probes no ZVM: %v", replica, perReplica)
		}
		delete(perReplica, replica)
	}
	if len(perReplica) != 0 {
		t.Errorf("ZVMs probed through an address that is no replica: %v", perReplica)
	}
}
