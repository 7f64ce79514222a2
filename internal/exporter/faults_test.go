package exporter

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// exposition is a scraped /metrics page, searchable by metric name and label values.
type exposition []string

// value returns the sample of the first series of name carrying every label pair.
func (e exposition) value(t *testing.T, name string, labels ...string) (float64, bool) {
	t.Helper()
	for _, line := range e {
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		ok := true
		for i := 0; i+1 < len(labels); i += 2 {
			if !strings.Contains(line, labels[i]+`="`+labels[i+1]+`"`) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err != nil {
			t.Fatalf("bad sample %q", line)
		}
		return v, true
	}
	return 0, false
}

func (e exposition) must(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	v, ok := e.value(t, name, labels...)
	if !ok {
		t.Fatalf("no series %s%v", name, labels)
	}
	return v
}

// simTarget is a Target watching the protected site of sim through a real HTTP server.
func simTarget(t *testing.T, sim *zvmsim.Sim, flavour string, sla string) *Target {
	t.Helper()
	zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
	cfg, err := config.Parse([]byte(sla))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, c := range collector.Available() {
		if c.DefaultOn {
			names = append(names, c.Name)
		}
	}
	auth := zvm.AuthKeycloak
	if flavour == zvmsim.FlavourWindows {
		auth = zvm.AuthSession
	}
	tg, err := NewTarget(TargetOptions{
		Client:     zvm.Config{URL: zvmURL, Auth: auth, Username: "admin", Password: "pw", Timeout: 5 * time.Second},
		Collectors: names,
		SLA:        cfg,
		Logger:     log.NewNopLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func scrape(t *testing.T, tg *Target, timeout string) exposition {
	t.Helper()
	r := httptest.NewRequest("GET", "/metrics", nil)
	if timeout != "" {
		r.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", timeout)
	}
	w := httptest.NewRecorder()
	tg.ServeScrape(w, r, nil, 100*time.Millisecond)
	if w.Code != http.StatusOK {
		t.Fatalf("scrape: HTTP %d", w.Code)
	}
	var e exposition
	sc := bufio.NewScanner(w.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") {
			e = append(e, sc.Text())
		}
	}
	return e
}

func newTestSim(t *testing.T, flavour string) *zvmsim.Sim {
	t.Helper()
	return simtest.New(t, zvmsim.Options{Flavour: flavour, Seed: 3, Username: "admin", Password: "pw"})
}

// TestRecoveryReportFault is the RTO issue's acceptance case against the simulator: a report with
// RTO 900 s for a VPG whose rto_target is 10m.
func TestRecoveryReportFault(t *testing.T) {
	for _, flavour := range []string{zvmsim.FlavourAppliance, zvmsim.FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			sim := newTestSim(t, flavour)
			vpg := sim.State().VPGs[0].Name
			other := sim.State().VPGs[1].Name
			tg := simTarget(t, sim, flavour, "sla:\n  - match: '"+vpg+"'\n    rto_target: 10m\n")
			before := scrape(t, tg, "")
			simtest.Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindRecoveryReport, VPG: vpg, Type: "FailoverTest", RTOSeconds: 900, Result: "Success"})
			after := scrape(t, tg, "")
			if got := after.must(t, "zerto_recovery_last_rto_seconds", "vpg", vpg, "operation", "FailoverTest"); got != 900 {
				t.Errorf("last RTO = %v, want 900", got)
			}
			if got := after.must(t, "zerto_vpg_rto_target_seconds", "vpg", vpg); got != 600 {
				t.Errorf("RTO target = %v, want 600", got)
			}
			if _, ok := after.value(t, "zerto_vpg_rto_target_seconds", "vpg", other); ok {
				t.Errorf("VPG %s without an RTO target has an RTO target series", other)
			}
			b := before.must(t, "zerto_recovery_reports_total", "operation", "FailoverTest", "result", "Success")
			if a := after.must(t, "zerto_recovery_reports_total", "operation", "FailoverTest", "result", "Success"); a != b+1 {
				t.Errorf("reports_total went %v → %v, want +1", b, a)
			}
		})
	}
}

// TestFaultsChangeWhatTheExporterReports injects each control-API fault and checks the exporter's
// view of it, then that clearing the faults heals it. The down fault needs a real listener: see
// TestDownFault.
func TestFaultsChangeWhatTheExporterReports(t *testing.T) {
	sim := newTestSim(t, zvmsim.FlavourAppliance)
	st := sim.State()
	vpg, vm, vra := st.VPGs[2].Name, st.VMs[0].Name, ""
	for _, v := range st.VRAs {
		if v.Site == "protected" {
			vra = v.Name
			break
		}
	}
	peer := ""
	for _, s := range st.Sites {
		if s.Role == "recovery" {
			peer = s.Name
		}
	}
	tg := simTarget(t, sim, zvmsim.FlavourAppliance, "")
	base := scrape(t, tg, "")
	if base.must(t, "zerto_up") != 1 {
		t.Fatal("simulator not up")
	}

	cases := []struct {
		fault zvmsim.Fault
		check func(t *testing.T, e exposition)
	}{
		{zvmsim.Fault{Kind: zvmsim.KindRPOBreach, VPG: vpg, RPOSeconds: 900}, func(t *testing.T, e exposition) {
			if got := e.must(t, "zerto_vpg_actual_rpo_seconds", "vpg", vpg); got != 900 {
				t.Errorf("actual RPO %v, want 900", got)
			}
			if e.must(t, "zerto_vpg_status", "vpg", vpg, "status", "RpoNotMeetingSLA") != 1 {
				t.Error("status not RpoNotMeetingSLA")
			}
			if _, ok := e.value(t, "zerto_alerts", "entity", "Vpg"); !ok {
				t.Error("no VPG-level Zerto alert")
			}
			if n, ok := e.value(t, "zerto_vpg_alerts", "vpg", vpg); !ok || n < 1 {
				t.Errorf("zerto_vpg_alerts for %s: %v, %v; want at least 1", vpg, n, ok)
			}
		}},
		{zvmsim.Fault{Kind: zvmsim.KindHistoryShortfall, VPG: vpg, HistoryMinutes: 10}, func(t *testing.T, e exposition) {
			if got := e.must(t, "zerto_vpg_journal_history_seconds", "vpg", vpg); got != 600 {
				t.Errorf("journal history %v s, want 600", got)
			}
		}},
		{zvmsim.Fault{Kind: zvmsim.KindJournalFill, VM: vm, Ratio: 0.95}, func(t *testing.T, e exposition) {
			used := e.must(t, "zerto_vm_journal_used_bytes", "vm", vm)
			limit := e.must(t, "zerto_vm_journal_hard_limit_bytes", "vm", vm)
			if r := used / limit; r < 0.94 || r > 0.96 {
				t.Errorf("journal use ratio %.3f, want 0.95", r)
			}
		}},
		{zvmsim.Fault{Kind: zvmsim.KindVRADown, VRA: vra}, func(t *testing.T, e exposition) {
			if e.must(t, "zerto_vra_status", "vra", vra, "status", "Installed") != 0 {
				t.Error("VRA still Installed")
			}
		}},
		{zvmsim.Fault{Kind: zvmsim.KindUnpair, PeerSite: peer}, func(t *testing.T, e exposition) {
			if e.must(t, "zerto_peer_site_pairing_status", "peer_site", peer, "status", "Paired") != 0 {
				t.Error("peer still Paired")
			}
		}},
		{zvmsim.Fault{Kind: zvmsim.KindZertoAlert, Level: "Error", Entity: "Zvm", HelpID: "ZVM0001", Description: "test"}, func(t *testing.T, e exposition) {
			if e.must(t, "zerto_alerts", "level", "Error", "entity", "Zvm", "help_id", "ZVM0001") < 1 {
				t.Error("Zerto alert not counted")
			}
		}},
		{zvmsim.Fault{Kind: zvmsim.KindHTTPError, Endpoint: "/v1/vms", Status: 500}, func(t *testing.T, e exposition) {
			if e.must(t, "zerto_scrape_collector_success", "collector", "vm") != 0 || e.must(t, "zerto_up") != 1 {
				t.Error("HTTP 500 on /v1/vms did not fail just the vm collector")
			}
			if _, ok := e.value(t, "zerto_vm_info"); ok {
				t.Error("vm series served although /v1/vms failed")
			}
		}},
		{zvmsim.Fault{Kind: zvmsim.KindMalformed, Endpoint: "/v1/alerts"}, func(t *testing.T, e exposition) {
			if e.must(t, "zerto_scrape_collector_success", "collector", "alert") != 0 {
				t.Error("malformed /v1/alerts did not fail the alert collector")
			}
			if e.must(t, "zerto_scrape_collector_success", "collector", "vpg") != 1 {
				t.Error("malformed /v1/alerts failed the vpg collector")
			}
		}},
		{zvmsim.Fault{Kind: zvmsim.KindExpireCredentials}, func(t *testing.T, e exposition) {
			if e.must(t, "zerto_up") != 1 {
				t.Error("expired credentials were not renewed")
			}
		}},
		{zvmsim.Fault{Kind: zvmsim.KindLatency, Endpoint: "/v1/datastores", MS: 3000}, func(t *testing.T, e exposition) {
			if e.must(t, "zerto_scrape_collector_success", "collector", "datastore") != 0 || e.must(t, "zerto_scrape_collector_success", "collector", "vpg") != 1 {
				t.Error("a slow /v1/datastores did not fail just the datastore collector")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.fault.Kind, func(t *testing.T) {
			simtest.Inject(t, sim, tc.fault)
			start := time.Now()
			tc.check(t, scrape(t, tg, "1.5"))
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("scrape took %s with a 1.5 s timeout", took)
			}
			sim.ClearFaults()
			healed := scrape(t, tg, "")
			for _, c := range []string{"vm", "vpg", "vra", "alert", "datastore", "peersite"} {
				if healed.must(t, "zerto_scrape_collector_success", "collector", c) != 1 {
					t.Errorf("collector %s not healed after clearing faults", c)
				}
			}
		})
	}
}

func TestDownFault(t *testing.T) {
	sim := newTestSim(t, zvmsim.FlavourAppliance)
	if err := sim.Start("127.0.0.1:0", ""); err != nil {
		t.Fatal(err)
	}
	tg, err := NewTarget(TargetOptions{
		Client:     zvm.Config{URL: sim.URL(zvmsim.Protected), Auth: zvm.AuthKeycloak, Username: "admin", Password: "pw", Timeout: 2 * time.Second},
		Collectors: []string{"vpg", "site"},
		Logger:     log.NewNopLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if scrape(t, tg, "").must(t, "zerto_up") != 1 {
		t.Fatal("not up before the fault")
	}
	simtest.Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindDown, Site: "protected", Seconds: 60})
	down := scrape(t, tg, "2")
	if down.must(t, "zerto_up") != 0 {
		t.Error("zerto_up not 0 while the ZVM refuses connections")
	}
	if _, ok := down.value(t, "zerto_vpg_info"); ok {
		t.Error("VPG series served while the ZVM is down")
	}
	sim.ClearFaults()
	// The down scrape gave up at its deadline; on a loaded machine its refresh may still be
	// retrying, and the first scrape after the ZVM came back then shares its result. The one
	// after that starts a refresh of its own.
	up := false
	for i := 0; i < 2 && !up; i++ {
		up = scrape(t, tg, "").must(t, "zerto_up") == 1
	}
	if !up {
		t.Error("not up again after the ZVM came back")
	}
}
