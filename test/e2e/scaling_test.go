package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// TestScalingHAPairSharesRefresh runs docs/scaling/prometheus-ha.yml as both replicas of an HA
// pair (replica a and b, scrape interval cut from 30 s to 2 s) against one exporter, configured
// with docs/scaling/zerto.yml (its CA file the simulator's certificate) and a 1.5 s cache TTL,
// probing the two ZVMs of the simulator over HTTPS, and checks with the simulator's request
// counts that each ZVM is read once per scrape interval, not once per replica and interval.
func TestScalingHAPairSharesRefresh(t *testing.T) {
	prometheusBin := testutil.Tool(t, "PROMETHEUS", "prometheus")
	root := testutil.RepoRoot(t)
	logs, dir := logDir(t), t.TempDir()
	zvmsimBin, exporterBin := buildBinaries(t, root)

	const secrets = "/etc/zerto_exporter/secrets/"
	_, urls := startSim(t, logs, zvmsimBin, true, "--flavour=appliance", "--profile=demo", "--seed=1",
		"--username=monitor", "--password=pw", "--tls", "--tls-cert-out="+filepath.Join(dir, "zvm-ca.pem"))
	protected, recovery := urls[0], urls[1]
	for _, f := range []string{"zvm-password", "windows-password"} {
		testutil.WriteFile(t, dir, f, "pw")
	}
	zertoYML, err := os.ReadFile(filepath.Join(root, "docs", "scaling", "zerto.yml"))
	if err != nil {
		t.Fatal(err)
	}
	// The module's targets: the simulated pair in place of the example hosts the replicas probe.
	cfg := testutil.WriteFile(t, dir, "zerto.yml", strings.NewReplacer(secrets, dir+"/",
		"https://zvm-dublin.example.com", protected, "https://zvm-paris.example.com", recovery).Replace(string(zertoYML)))
	_, expAddr := startOnFreePort(t, logs, "zerto_exporter", exporterBin, nil, "/-/ready", func(addr string) []string {
		return []string{"--config.file=" + cfg, "--web.listen-address=" + addr, "--zvm.cache-ttl=1500ms"}
	})

	// Both replicas, from docs/scaling/prometheus-ha.yml with the example hosts replaced.
	haYML, err := os.ReadFile(filepath.Join(root, "docs", "scaling", "prometheus-ha.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var apis []*promAPI
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
				t.Fatalf("docs/scaling/prometheus-ha.yml changed: %q not found after rewriting; update this test", want)
			}
		}
		file := testutil.WriteFile(t, dir, "prometheus-"+replica+".yml", c)
		_, addr := startOnFreePort(t, logs, "prometheus-"+replica, prometheusBin, nil, "/-/ready", func(addr string) []string {
			return []string{"--config.file=" + file, "--web.listen-address=" + addr,
				"--storage.tsdb.path=" + filepath.Join(dir, "data-"+replica), "--log.level=warn"}
		})
		apis = append(apis, &promAPI{base: "http://" + addr, client: &http.Client{Timeout: 5 * time.Second}})
	}

	// Wait until both replicas scrape both ZVMs, then count the ZVM reads over a window.
	ctx := context.Background()
	if ok, detail := poll(ctx, 60*time.Second, func() (bool, string) {
		for _, api := range apis {
			res, err := api.query(ctx, `zerto_up{job="zerto"} == 1`)
			if err != nil || len(res) != 2 {
				return false, fmt.Sprintf("%s: %d ZVMs up, %v", api.base, len(res), err)
			}
		}
		return true, ""
	}); !ok {
		t.Fatalf("the two Prometheus replicas do not both see both ZVMs up within 60s: %s", detail)
	}
	ca, err := os.ReadFile(filepath.Join(dir, "zvm-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		t.Fatal("the simulator's certificate file holds no certificate")
	}
	simc := simControl{client: &http.Client{Timeout: 10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}}
	reads := func() (p, r int64) {
		st, err := simc.state(ctx, protected)
		if err != nil {
			t.Fatal(err)
		}
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
