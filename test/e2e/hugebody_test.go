package e2e

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// TestHugeBodiesBoundedRSS runs the built exporter with the default --zvm.max-response-size
// against the built simulator answering one endpoint with a 300 MiB body (its huge_body fault, in
// each shape) or with a truncated one (malformed). The exporter refreshes twice, the endpoint's
// collector fails, the rest of the scrape is served, and the peak resident memory of the exporter
// process (VmHWM) stays under 200 MiB.
func TestHugeBodiesBoundedRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 300 MiB bodies")
	}
	const peakLimit = 200 << 20
	zvmsimBin, exporterBin := buildBinaries(t, testutil.RepoRoot(t))
	_, urls := startSim(t, logDir(t), zvmsimBin, false, "--profile=demo", "--seed=7", "--username=admin", "--password=huge-pw")
	zvm, simc, ctx := urls[0], simControl{client: &http.Client{Timeout: 10 * time.Second}}, context.Background()

	for _, tc := range []struct {
		fault     map[string]any // the POST /_sim/faults body
		collector string         // the collector that fails; "" when zerto_up is 0
	}{
		{map[string]any{"kind": "huge_body", "endpoint": "/v1/vms", "shape": "empty_objects"}, "vm"},
		{map[string]any{"kind": "huge_body", "endpoint": "/v1/vms", "shape": "small_objects"}, "vm"},
		{map[string]any{"kind": "huge_body", "endpoint": "/v1/vms", "shape": "long_string"}, "vm"},
		{map[string]any{"kind": "huge_body", "endpoint": "/v1/alerts", "shape": "empty_objects"}, "alert"},
		{map[string]any{"kind": "huge_body", "endpoint": "/v1/alerts", "shape": "small_objects"}, "alert"},
		{map[string]any{"kind": "huge_body", "endpoint": "/v1/alerts", "shape": "long_string"}, "alert"},
		{map[string]any{"kind": "huge_body", "endpoint": "/v1/localsite", "shape": "long_string"}, ""},
		{map[string]any{"kind": "malformed", "endpoint": "/v1/vms"}, "vm"},
	} {
		name := fmt.Sprintf("%s/%s", tc.fault["endpoint"], tc.fault["kind"])
		if shape, ok := tc.fault["shape"]; ok {
			name += fmt.Sprintf("/%s", shape)
		}
		t.Run(name, func(t *testing.T) {
			if err := simc.clear(ctx, zvm, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := simc.inject(ctx, zvm, tc.fault); err != nil {
				t.Fatal(err)
			}
			exp, addr := startOnFreePort(t, logDir(t), "zerto_exporter", exporterBin, []string{"ZERTO_EXPORTER_ZVM_PASSWORD=huge-pw"}, "/-/ready",
				func(addr string) []string {
					return []string{"--web.listen-address=" + addr, "--zvm.url=" + zvm, "--zvm.username=admin", "--zvm.auth=keycloak",
						"--zvm.cache-ttl=0s", "--log.level=warn"}
				})
			scrape(t, "http://"+addr+"/metrics")
			body := scrape(t, "http://"+addr+"/metrics") // a second refresh, with the first one's garbage around
			if tc.collector == "" {
				if !strings.Contains(body, "\nzerto_up 0\n") {
					t.Errorf("zerto_up is not 0 with %s failing\n%s", tc.fault["endpoint"], exp.tail(20))
				}
			} else {
				if !strings.Contains(body, "\nzerto_up 1\n") {
					t.Errorf("zerto_up is not 1\n%s", exp.tail(20))
				}
				if want := `zerto_scrape_collector_success{collector="` + tc.collector + `"} 0`; !strings.Contains(body, want) {
					t.Errorf("no %s in the scrape", want)
				}
				if !strings.Contains(body, `zerto_scrape_collector_success{collector="vpg"} 1`) {
					t.Errorf("the vpg collector failed too")
				}
			}
			hwm := procHWM(t, exp.cmd.Process.Pid)
			t.Logf("VmHWM %.1f MiB", float64(hwm)/(1<<20))
			if hwm >= peakLimit {
				t.Errorf("peak RSS %d MiB, want under %d MiB", hwm>>20, peakLimit>>20)
			}
		})
	}
}

// procHWM reads the peak resident set size (VmHWM) of pid from /proc/<pid>/status.
func procHWM(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}
