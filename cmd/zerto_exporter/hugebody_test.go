package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestHugeBodiesBoundedRSS runs the built binary with the default --zvm.max-response-size against
// a simulated ZVM that answers one endpoint with a 300 MiB body (the simulator's huge_body fault,
// in each shape) or with a truncated one (malformed). The exporter refreshes twice, the endpoint's
// collector fails, the rest of the scrape is served, and the peak resident memory of the process
// (VmHWM) stays under 200 MiB.
func TestHugeBodiesBoundedRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and streams 300 MiB bodies")
	}
	const peakLimit = 200 << 20
	bin := buildExporter(t)
	sim, err := zvmsim.New(zvmsim.Options{Profile: "demo", Seed: 7, Username: "admin", Password: "huge-pw"})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	zvm := httptest.NewServer(sim.Handler(zvmsim.Protected))
	defer zvm.Close()

	for _, tc := range []struct {
		fault     zvmsim.Fault
		collector string // the collector that fails; "" when zerto_up is 0
	}{
		{zvmsim.Fault{Kind: zvmsim.KindHugeBody, Endpoint: "/v1/vms", Shape: zvmsim.HugeEmptyObjects}, "vm"},
		{zvmsim.Fault{Kind: zvmsim.KindHugeBody, Endpoint: "/v1/vms", Shape: zvmsim.HugeSmallObjects}, "vm"},
		{zvmsim.Fault{Kind: zvmsim.KindHugeBody, Endpoint: "/v1/vms", Shape: zvmsim.HugeLongString}, "vm"},
		{zvmsim.Fault{Kind: zvmsim.KindHugeBody, Endpoint: "/v1/alerts", Shape: zvmsim.HugeEmptyObjects}, "alert"},
		{zvmsim.Fault{Kind: zvmsim.KindHugeBody, Endpoint: "/v1/alerts", Shape: zvmsim.HugeSmallObjects}, "alert"},
		{zvmsim.Fault{Kind: zvmsim.KindHugeBody, Endpoint: "/v1/alerts", Shape: zvmsim.HugeLongString}, "alert"},
		{zvmsim.Fault{Kind: zvmsim.KindHugeBody, Endpoint: "/v1/localsite", Shape: zvmsim.HugeLongString}, ""},
		{zvmsim.Fault{Kind: zvmsim.KindMalformed, Endpoint: "/v1/vms"}, "vm"},
	} {
		t.Run(tc.fault.Endpoint+"/"+tc.fault.Kind+"/"+tc.fault.Shape, func(t *testing.T) {
			sim.ClearFaults()
			if _, err := sim.InjectFault(tc.fault); err != nil {
				t.Fatal(err)
			}
			addr := testutil.FreeAddr(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "--web.listen-address="+addr, "--zvm.url="+zvm.URL,
				"--zvm.username=admin", "--zvm.auth=keycloak", "--zvm.cache-ttl=0s", "--log.level=warn")
			cmd.Env = append(os.Environ(), "ZERTO_EXPORTER_ZVM_PASSWORD=huge-pw")
			var logs testutil.SyncBuffer
			cmd.Stdout, cmd.Stderr = &logs, &logs
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { cancel(); _ = cmd.Wait() }()
			scrapeWhenUp(t, "http://"+addr+"/metrics", &logs)
			_, body := get(t, "http://"+addr+"/metrics") // a second refresh, with the first one's garbage around
			if tc.collector == "" {
				if !strings.Contains(body, "\nzerto_up 0\n") {
					t.Errorf("zerto_up is not 0 with %s failing\n%s", tc.fault.Endpoint, logs.String())
				}
			} else {
				if !strings.Contains(body, "\nzerto_up 1\n") {
					t.Errorf("zerto_up is not 1\n%s", logs.String())
				}
				if want := `zerto_scrape_collector_success{collector="` + tc.collector + `"} 0`; !strings.Contains(body, want) {
					t.Errorf("no %s in the scrape", want)
				}
				if !strings.Contains(body, `zerto_scrape_collector_success{collector="vpg"} 1`) {
					t.Errorf("the vpg collector failed too")
				}
			}
			hwm := procHWM(t, cmd.Process.Pid)
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
