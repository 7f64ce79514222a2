package docs

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
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
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
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

// TestScalingHAPairSharesRefresh runs scaling/prometheus-ha.yml as both replicas of an HA pair
// (replica a and b, scrape interval cut from 30 s to 2 s) against one exporter (built from
// ../cmd/zerto_exporter, configured with scaling/zerto.yml and a 1.5 s cache TTL) probing the two
// ZVMs of an in-process simulator, and checks with the simulator's request counts that each ZVM
// is read once per scrape interval, not once per replica and interval.
func TestScalingHAPairSharesRefresh(t *testing.T) {
	prometheus := testutil.Tool(t, "PROMETHEUS", "prometheus")
	root := testutil.RepoRoot(t)
	dir := t.TempDir()

	sim := simtest.New(t, zvmsim.Options{Flavour: "appliance", Profile: "demo", Seed: 1, Username: "monitor", Password: "pw"})
	if err := sim.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	protected, recovery := sim.URL(zvmsim.Protected), sim.URL(zvmsim.Recovery)

	// The exporter, with scaling/zerto.yml and its secrets in dir.
	exporter := filepath.Join(dir, "zerto_exporter")
	build := exec.Command("go", "build", "-trimpath", "-o", exporter, "./cmd/zerto_exporter")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const secrets = "/etc/zerto_exporter/secrets/"
	// The simulator serves http, so the CA is never used; the exporter only checks it is a PEM
	// certificate.
	for f, content := range map[string]string{"zvm-password": "pw", "zvm-ca.pem": selfSignedPEM(t), "windows-password": "pw"} {
		testutil.WriteFile(t, dir, f, content)
	}
	zertoYML, err := os.ReadFile("scaling/zerto.yml")
	if err != nil {
		t.Fatal(err)
	}
	// The module's targets: the simulated pair in place of the example hosts the replicas probe.
	cfg := testutil.WriteFile(t, dir, "zerto.yml", strings.NewReplacer(secrets, dir+"/",
		"https://zvm-dublin.example.com", protected, "https://zvm-paris.example.com", recovery).Replace(string(zertoYML)))
	expAddr := testutil.FreeAddr(t)
	start(t, "zerto_exporter", exporter, "--config.file="+cfg, "--web.listen-address="+expAddr, "--zvm.cache-ttl=1500ms")
	waitHTTP(t, "http://"+expAddr+"/-/ready")

	// Both replicas, from scaling/prometheus-ha.yml with the example hosts replaced.
	haYML, err := os.ReadFile("scaling/prometheus-ha.yml")
	if err != nil {
		t.Fatal(err)
	}
	var apis []string
	for _, replica := range []string{"a", "b"} {
		c := strings.NewReplacer(
			"scrape_interval: 30s", "scrape_interval: 2s",
			"scrape_timeout: 25s", "scrape_timeout: 2s",
			"replica: a", "replica: "+replica,
			"https://zvm-dublin.example.com", protected,
			"https://zvm-paris.example.com", recovery,
			"zerto-exporter.example.com:9847", expAddr,
			"../../mixin/", filepath.Join(root, "mixin")+"/",
		).Replace(string(haYML))
		for _, want := range []string{protected, recovery, expAddr, "replica: " + replica, "scrape_interval: 2s"} {
			if !strings.Contains(c, want) {
				t.Fatalf("scaling/prometheus-ha.yml changed: %q not found after rewriting; update this test", want)
			}
		}
		file := testutil.WriteFile(t, dir, "prometheus-"+replica+".yml", c)
		addr := testutil.FreeAddr(t)
		start(t, "prometheus-"+replica, prometheus, "--config.file="+file, "--web.listen-address="+addr,
			"--storage.tsdb.path="+filepath.Join(dir, "data-"+replica), "--log.level=warn")
		waitHTTP(t, "http://"+addr+"/-/ready")
		apis = append(apis, "http://"+addr)
	}

	// Wait until both replicas scrape both ZVMs, then count the ZVM reads over a window.
	client := &http.Client{Timeout: 5 * time.Second}
	upBoth := func() bool {
		for _, api := range apis {
			var r struct {
				Data struct {
					Result []json.RawMessage `json:"result"`
				} `json:"data"`
			}
			resp, err := client.Get(api + "/api/v1/query?query=" + url.QueryEscape(`zerto_up{job="zerto"} == 1`))
			if err != nil {
				return false
			}
			err = json.NewDecoder(resp.Body).Decode(&r)
			resp.Body.Close()
			if err != nil || len(r.Data.Result) != 2 {
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(60 * time.Second)
	for !upBoth() {
		if time.Now().After(deadline) {
			t.Fatal("the two Prometheus replicas do not both see both ZVMs up within 60s")
		}
		time.Sleep(500 * time.Millisecond)
	}
	reads := func() (p, r int64) {
		st := sim.State()
		return st.RequestCounts["protected"]["/v1/vpgs"], st.RequestCounts["recovery"]["/v1/vpgs"]
	}
	const window, interval = 20 * time.Second, 2 * time.Second
	p0, r0 := reads()
	time.Sleep(window)
	p1, r1 := reads()
	intervals := int64(window / interval)
	t.Logf("/v1/vpgs reads in %s: protected %d, recovery %d (%d scrape intervals, two replicas)", window, p1-p0, r1-r0, intervals)
	for site, n := range map[string]int64{"protected": p1 - p0, "recovery": r1 - r0} {
		// One read per interval (a scrape landing on the edge of the TTL may add one); two
		// replicas each refreshing would read about twice as often.
		if n < intervals-2 || n > intervals+2 {
			t.Errorf("the %s ZVM's /v1/vpgs was read %d times in %s by two replicas scraping every %s: want about %d (one refresh per interval, shared)",
				site, n, window, interval, intervals)
		}
	}
}

// start runs a process until the end of the test, its output kept for a failure message.
func start(t *testing.T, name, bin string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	var logs testutil.SyncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("%s log:\n%s", name, logs.String())
		}
	})
}

// waitHTTP waits up to 60 s for url to answer 200.
func waitHTTP(t *testing.T, url string) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready within 60s: %v", url, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// selfSignedPEM returns a throwaway self-signed certificate, PEM-encoded.
func selfSignedPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "zvm-ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
