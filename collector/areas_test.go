package collector

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/go-kit/log"
	dto "github.com/prometheus/client_model/go"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

const (
	erpID     = "0f6a3b2c-1d4e-4f5a-9b6c-7d8e9f0a1b11"
	webID     = "5b7c9d1e-2f3a-4b5c-8d6e-0f1a2b3c4d22"
	financeID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c33"
	sharedVM  = "4a1f5c2e-7b3d-4e8a-9c6f-0d2e1b3a5c71.vm-102"
	esx01     = "esx01.boston.example.org"
	esx02     = "esx02.boston.example.org"
	esx03ID   = "4a1f5c2e-7b3d-4e8a-9c6f-0d2e1b3a5c71.host-13"
)

func scrapeAll(t *testing.T, snap *snapshot.Snapshot, sla SLAResolver, names ...string) map[string]*dto.MetricFamily {
	t.Helper()
	return gather(t, scrapeRegistry(t, snap, Config{Logger: log.NewNopLogger(), SLA: sla}, names...))
}

func TestConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), fixtureSLA, areaCollectors...)
	vm := func(name, vpg string) map[string]string { return map[string]string{"vm": name, "vpg": vpg} }
	for _, c := range []struct {
		metric string
		labels map[string]string
		want   float64
	}{
		// Journal limits: type 1 in MiB, type 2 a percentage of the provisioned size.
		{"zerto_vm_journal_hard_limit_bytes", vm("erp-app01", "ERP-Prod"), 161061273600},         // 153600 MiB
		{"zerto_vm_journal_hard_limit_bytes", vm("shared-db01", "ERP-Prod"), 53687091200},        // 50 % of 102400 MiB
		{"zerto_vm_journal_warning_threshold_bytes", vm("shared-db01", "ERP-Prod"), 42949672960}, // 40 % of 102400 MiB
		{"zerto_vm_journal_warning_threshold_bytes", vm("erp-app01", "ERP-Prod"), 115200 * 1048576},
		{"zerto_vm_journal_used_bytes", vm("erp-app01", "ERP-Prod"), 10240 * 1048576},
		{"zerto_vm_throughput_bytes_per_second", vm("erp-app01", "ERP-Prod"), 2.5 * 1048576},
		{"zerto_vm_network_traffic_bytes_total", vm("erp-app01", "ERP-Prod"), 412345 * 1048576},
		{"zerto_vm_io_operations_total", vm("erp-app01", "ERP-Prod"), 91827364},
		// History in minutes → seconds.
		{"zerto_vpg_journal_history_seconds", map[string]string{"vpg_id": erpID}, 86400}, // 1440 min
		{"zerto_vpg_journal_history_target_seconds", map[string]string{"vpg_id": financeID}, 43200},
		{"zerto_vpg_throughput_bytes_per_second", map[string]string{"vpg_id": erpID}, 4718592},    // 4.5 MiB/s
		{"zerto_vpg_last_test_timestamp_seconds", map[string]string{"vpg_id": erpID}, 1793527200}, // 2026-11-01T10:00:00Z
		{"zerto_vpg_last_test_timestamp_seconds", map[string]string{"vpg_id": financeID}, 1761991200},
		// VRA sums over the VMs on the VRA's host: esx01 has erp-app01; esx02 has both rows of
		// shared-db01 (by host name) and web01 (by host identifier only); esx03 runs no protected VM.
		{"zerto_vra_throughput_bytes_per_second", map[string]string{"host": esx01}, 2.5 * 1048576},
		{"zerto_vra_throughput_bytes_per_second", map[string]string{"host": esx02}, (1.0 + 0.5 + 0.25) * 1048576},
		{"zerto_vra_iops", map[string]string{"host": esx02}, 40 + 20 + 10},
		{"zerto_vra_iops", map[string]string{"host": esx03ID}, 0},
		{"zerto_vra_memory_bytes", map[string]string{"host": esx01}, 3 << 30},
		{"zerto_site_bandwidth_throttling_bytes_per_second", nil, 12.5 * 1048576},
		{"zerto_peer_site_storage_provisioned_bytes", map[string]string{"peer_site": "Chicago-DR"}, 614400 * 1048576},
		{"zerto_license_expiry_timestamp_seconds", nil, 1814313600}, // 2027-06-30T00:00:00Z
		{"zerto_alerts", map[string]string{"level": "Warning", "entity": "Vpg", "help_id": "VPG0009"}, 2},
	} {
		if got := value(t, mfs, c.metric, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.metric, c.labels, got, c.want)
		}
	}

	// Absent rather than zero when the ZVM gives no value.
	absent(t, mfs, "zerto_vpg_actual_rpo_seconds", map[string]string{"vpg_id": webID})                // ActualRPO -1
	absent(t, mfs, "zerto_vpg_last_test_timestamp_seconds", map[string]string{"vpg_id": webID})       // LastTest null
	absent(t, mfs, "zerto_vpg_journal_history_seconds", map[string]string{"vpg_id": webID})           // HistoryStatusApi null
	absent(t, mfs, "zerto_vm_actual_rpo_seconds", vm("shared-db01", "Web-Tier"))                      // -1
	absent(t, mfs, "zerto_vm_journal_hard_limit_bytes", vm("shared-db01", "Web-Tier"))                // LimitType 0
	absent(t, mfs, "zerto_vm_journal_warning_threshold_bytes", vm("shared-db01", "Web-Tier"))         // null
	absent(t, mfs, "zerto_vm_journal_hard_limit_bytes", vm("web01", "Web-Tier"))                      // unknown LimitType
	absent(t, mfs, "zerto_vra_memory_bytes", map[string]string{"host": esx03ID})                      // not sent
	absent(t, mfs, "zerto_alerts", map[string]string{"entity": "Zvm"})                                // dismissed only
	absent(t, mfs, "zerto_datastore_capacity_bytes", map[string]string{"datastore": "ds-boston-iso"}) // unused by Zerto
	absent(t, mfs, "zerto_datastore_free_bytes", map[string]string{"datastore": "ds-boston-02"})      // null
	absent(t, mfs, "zerto_datastore_zerto_used_bytes", map[string]string{"usage": "scratch"})         // null
	absent(t, mfs, "zerto_datastore_health_status", map[string]string{"datastore": "ds-boston-02"})   // Health null
	absent(t, mfs, "zerto_vm_network_traffic_bytes_total", map[string]string{"vm_id": "4a1f5c2e-7b3d-4e8a-9c6f-0d2e1b3a5c71.vm-999"})

	if got := mfs["zerto_vm_network_traffic_bytes_total"].GetType(); got != dto.MetricType_COUNTER {
		t.Errorf("zerto_vm_network_traffic_bytes_total type %v, want counter", got)
	}
}

func TestSiteRole(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), nil, "vpg")
	for _, c := range []struct{ id, role, protected, recovery string }{
		{erpID, roleProtected, "Boston-DC", "Chicago-DR"},    // link to the local site; 10.x names
		{webID, roleProtected, "Boston-DC", "Dallas-Cloud"},  // no link: SourceSite is the local site's name
		{financeID, roleRecovery, "Chicago-DR", "Boston-DC"}, // names resolved from the links
	} {
		ms := find(mfs, "zerto_vpg_info", map[string]string{"vpg_id": c.id})
		if len(ms) != 1 {
			t.Fatalf("vpg %s: %d info series", c.id, len(ms))
		}
		l := labelsOf(ms[0])
		if l["site_role"] != c.role || l["protected_site"] != c.protected || l["recovery_site"] != c.recovery {
			t.Errorf("vpg %s: site_role=%q protected_site=%q recovery_site=%q, want %q %q %q",
				c.id, l["site_role"], l["protected_site"], l["recovery_site"], c.role, c.protected, c.recovery)
		}
	}

	// The same VPGs seen from the peer: the roles flip.
	snap := richSnapshot(t)
	snap.LocalSite = &zvm.LocalSite{SiteIdentifier: "c4e8f0a3-5d21-4b7a-8e9c-0a1b2c3d4e02", SiteName: "Chicago-DR"}
	mfs = scrapeAll(t, snap, nil, "vpg")
	for id, role := range map[string]string{erpID: roleRecovery, webID: roleRecovery, financeID: roleProtected} {
		if got := labelsOf(find(mfs, "zerto_vpg_info", map[string]string{"vpg_id": id})[0])["site_role"]; got != role {
			t.Errorf("from Chicago-DR, vpg %s: site_role=%q, want %q", id, got, role)
		}
	}
}

func TestSLAOverride(t *testing.T) {
	// Without service profiles (a ZVM without /v1/serviceprofiles): SLA rules against the ZVM's
	// own targets. TestServiceProfileTargets covers the profiles.
	snap := withFetch(richSnapshot(t), zvm.EndpointServiceProfiles, snapshot.Fetch{Unsupported: true})
	without := scrapeAll(t, snap, nil, "vpg")
	with := scrapeAll(t, snap, fixtureSLA, "vpg")
	id := func(v string) map[string]string { return map[string]string{"vpg_id": v} }

	// Finance-DB: ConfiguredRpoSeconds 60, overridden to 2m.
	if got := value(t, without, "zerto_vpg_rpo_target_seconds", id(financeID)); got != 60 {
		t.Errorf("Finance-DB RPO target without SLA = %v, want 60", got)
	}
	if got := value(t, with, "zerto_vpg_rpo_target_seconds", id(financeID)); got != 120 {
		t.Errorf("Finance-DB RPO target with SLA = %v, want 120", got)
	}
	// ERP-Prod has an SLA entry without an RPO: the configured RPO stays.
	if got := value(t, with, "zerto_vpg_rpo_target_seconds", id(erpID)); got != 300 {
		t.Errorf("ERP-Prod RPO target = %v, want 300", got)
	}
	if got := value(t, with, "zerto_vpg_rto_target_seconds", id(erpID)); got != 600 {
		t.Errorf("ERP-Prod RTO target = %v, want 600", got)
	}
	if got := value(t, with, "zerto_vpg_rto_target_seconds", id(financeID)); got != 900 {
		t.Errorf("Finance-DB RTO target = %v, want 900", got)
	}
	if got := value(t, with, "zerto_vpg_test_interval_seconds", id(financeID)); got != 30*86400 {
		t.Errorf("Finance-DB test interval = %v, want 30d", got)
	}
	absent(t, with, "zerto_vpg_rto_target_seconds", id(webID))
	absent(t, with, "zerto_vpg_test_interval_seconds", id(erpID))
	if _, ok := without["zerto_vpg_rto_target_seconds"]; ok {
		t.Error("zerto_vpg_rto_target_seconds emitted without SLA configuration")
	}
}

func TestVMInTwoVPGs(t *testing.T) {
	snap := richSnapshot(t)
	mfs := scrapeAll(t, snap, nil, "vm")
	for _, name := range []string{"zerto_vm_info", "zerto_vm_journal_used_bytes", "zerto_vm_throughput_bytes_per_second", "zerto_vm_write_bytes_total"} {
		if n := len(find(mfs, name, map[string]string{"vm_id": sharedVM})); n != 2 {
			t.Errorf("%s for the VM in two VPGs: %d series, want 2", name, n)
		}
	}

	// The exact same (VM, VPG) row twice: the first is kept, the scrape does not break.
	dup := *snap
	dup.VMs = append(append([]zvm.VM(nil), snap.VMs...), snap.VMs[1])
	dup.VMs[len(dup.VMs)-1].ThroughputInMB = zvm.Some[float64](99)
	dup.VMStatistics = append(append([]zvm.VMStatistics(nil), snap.VMStatistics...), snap.VMStatistics[1])
	mfs = scrapeAll(t, &dup, nil, "vm")
	if got := value(t, mfs, "zerto_vm_throughput_bytes_per_second", map[string]string{"vm_id": sharedVM, "vpg": "ERP-Prod"}); got != 1048576 {
		t.Errorf("duplicate row: throughput %v, want the first row's 1048576", got)
	}
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "vm"}); got != 1 {
		t.Errorf("duplicate row: success %v", got)
	}
}

// areaOwned lists each area collector's owned endpoints.
var areaOwned = map[string][]zvm.Endpoint{
	"site":      {zvm.EndpointLocalSite},
	"peersite":  {zvm.EndpointPeerSites},
	"vpg":       {zvm.EndpointVPGs},
	"vm":        {zvm.EndpointVMs, zvm.EndpointVMStatistics},
	"vra":       {zvm.EndpointVRAs},
	"alert":     {zvm.EndpointAlerts},
	"datastore": {zvm.EndpointDatastores},
	"license":   {zvm.EndpointLicense},
	"encryption": {zvm.EndpointEncryptionState, zvm.EndpointSuspectedVPGs, zvm.EndpointSuspectedVMs,
		zvm.EndpointEncryptionMetricsVPG},
	"ejc": {zvm.EndpointEJCHealth, zvm.EndpointEJCRepositories},
}

// onlyFramework fails unless mfs holds nothing but zerto_up and the scrape bookkeeping.
func onlyFramework(t *testing.T, mfs map[string]*dto.MetricFamily) {
	t.Helper()
	for _, n := range familyNames(mfs) {
		if n != "zerto_up" && n != "zerto_scrape_collector_supported" && !strings.HasPrefix(n, "zerto_scrape_collector_") {
			t.Errorf("unexpected family %s", n)
		}
	}
}

func TestOwnedEndpointFailed(t *testing.T) {
	for name, owns := range areaOwned {
		for _, ep := range owns {
			if ep == zvm.EndpointLocalSite {
				continue // its failure is zerto_up 0, tested below
			}
			t.Run(name+string(ep), func(t *testing.T) {
				snap := withFetch(richSnapshot(t), ep, snapshot.Fetch{Err: errors.New("GET " + string(ep) + ": HTTP 500")})
				mfs := scrapeAll(t, snap, fixtureSLA, name)
				onlyFramework(t, mfs)
				if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": name}); got != 0 {
					t.Errorf("success %v, want 0", got)
				}
				if got := value(t, mfs, "zerto_up", nil); got != 1 {
					t.Errorf("zerto_up %v, want 1", got)
				}
			})
		}
	}
}

func TestBorrowedEndpointFailed(t *testing.T) {
	failed := snapshot.Fetch{Err: errors.New("HTTP 503")}

	// vm borrows /v1/vras: VRA labels empty, everything else there.
	mfs := scrapeAll(t, withFetch(richSnapshot(t), zvm.EndpointVRAs, failed), nil, "vm")
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "vm"}); got != 1 {
		t.Errorf("vm success %v with /v1/vras failed, want 1", got)
	}
	if n := len(mfs["zerto_vm_info"].GetMetric()); n != 5 {
		t.Errorf("zerto_vm_info: %d series, want 5", n)
	}
	for _, m := range mfs["zerto_vm_info"].GetMetric() {
		if l := labelsOf(m); l["source_vra"] != "" || l["recovery_vra"] != "" || l["protected_host"] == "" {
			t.Errorf("zerto_vm_info%v: want empty VRA labels and the host kept", l)
		}
	}

	// vra borrows /v1/vms: sums absent, the rest there.
	mfs = scrapeAll(t, withFetch(richSnapshot(t), zvm.EndpointVMs, failed), nil, "vra")
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "vra"}); got != 1 {
		t.Errorf("vra success %v with /v1/vms failed, want 1", got)
	}
	for _, n := range []string{"zerto_vra_throughput_bytes_per_second", "zerto_vra_iops"} {
		if _, ok := mfs[n]; ok {
			t.Errorf("%s present with /v1/vms failed", n)
		}
	}
	if len(mfs["zerto_vra_status"].GetMetric()) == 0 {
		t.Error("zerto_vra_status missing")
	}

	// vpg borrows /v1/peersites: names known only from the links are left empty.
	mfs = scrapeAll(t, withFetch(richSnapshot(t), zvm.EndpointPeerSites, failed), nil, "vpg")
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "vpg"}); got != 1 {
		t.Errorf("vpg success %v with /v1/peersites failed, want 1", got)
	}
	l := labelsOf(find(mfs, "zerto_vpg_info", map[string]string{"vpg_id": financeID})[0])
	if l["protected_site"] != "" || l["recovery_site"] != "Boston-DC" || l["site_role"] != roleRecovery {
		t.Errorf("Finance-DB info without peer sites: %v", l)
	}

	// alert borrows /v1/vpgs: the per-VPG counts are absent, the ZVM-wide ones there.
	mfs = scrapeAll(t, withFetch(richSnapshot(t), zvm.EndpointVPGs, failed), nil, "alert")
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "alert"}); got != 1 {
		t.Errorf("alert success %v with /v1/vpgs failed, want 1", got)
	}
	if _, ok := mfs["zerto_vpg_alerts"]; ok {
		t.Error("zerto_vpg_alerts present with /v1/vpgs failed")
	}
	if len(mfs["zerto_alerts"].GetMetric()) == 0 {
		t.Error("zerto_alerts missing")
	}
}

func TestVPGAlerts(t *testing.T) {
	// One alert naming Finance-DB twice and an unknown VPG, one naming Finance-DB once, one
	// dismissed: Finance-DB counts 2, the unknown id 1 with no name.
	snap := richSnapshot(t)
	finance := zvm.Link{Identifier: financeID}
	snap.Alerts = []zvm.Alert{
		{Level: "Error", Entity: "Vpg", HelpIdentifier: "VPG0010", AffectedVpgs: []zvm.Link{finance, finance, {Identifier: "gone"}}},
		{Level: "Error", Entity: "Vpg", HelpIdentifier: "VPG0010", AffectedVpgs: []zvm.Link{finance}},
		{Level: "Error", Entity: "Vpg", HelpIdentifier: "VPG0010", AffectedVpgs: []zvm.Link{finance}, IsDismissed: true},
	}
	mfs := scrapeAll(t, snap, nil, "alert")
	if got := value(t, mfs, "zerto_vpg_alerts", map[string]string{"vpg": "Finance-DB", "vpg_id": financeID, "level": "Error", "help_id": "VPG0010"}); got != 2 {
		t.Errorf("Finance-DB: %v alerts, want 2", got)
	}
	if got := value(t, mfs, "zerto_vpg_alerts", map[string]string{"vpg": "", "vpg_id": "gone", "level": "Error", "help_id": "VPG0010"}); got != 1 {
		t.Errorf("unknown VPG: %v alerts, want 1", got)
	}
	if n := len(mfs["zerto_vpg_alerts"].GetMetric()); n != 2 {
		t.Errorf("%d zerto_vpg_alerts series, want 2", n)
	}
}

func TestVRASumsWithoutOwningHosts(t *testing.T) {
	// A Windows 7.x ZVM sends no owning host: the sums are unknown, not 0.
	snap := richSnapshot(t)
	snap.VMs = append([]zvm.VM(nil), snap.VMs...)
	for i := range snap.VMs {
		snap.VMs[i].OwningHostName, snap.VMs[i].OwningHostIdentifier = "", ""
	}
	mfs := scrapeAll(t, snap, nil, "vra")
	for _, n := range []string{"zerto_vra_throughput_bytes_per_second", "zerto_vra_iops"} {
		if _, ok := mfs[n]; ok {
			t.Errorf("%s present although no VM carries an owning host", n)
		}
	}
}

func TestStatisticsUnsupported(t *testing.T) {
	snap := withFetch(richSnapshot(t), zvm.EndpointVMStatistics, snapshot.Fetch{Unsupported: true})
	snap.VMStatistics = nil
	mfs := scrapeAll(t, snap, nil, "vm")
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "vm"}); got != 1 {
		t.Errorf("vm success %v with /v1/statistics/vms unsupported, want 1", got)
	}
	for _, n := range familyNames(mfs) {
		if strings.HasSuffix(n, "_total") {
			t.Errorf("counter %s present without /v1/statistics/vms", n)
		}
	}
	if _, ok := mfs["zerto_vm_actual_rpo_seconds"]; !ok {
		t.Error("zerto_vm_actual_rpo_seconds missing")
	}
}

func TestZVMDown(t *testing.T) {
	snap := &snapshot.Snapshot{
		Taken:   fixtureTime,
		UpErr:   errors.New("GET /v1/localsite: HTTP 401"),
		Fetches: map[zvm.Endpoint]snapshot.Fetch{zvm.EndpointLocalSite: {Err: errors.New("HTTP 401")}},
	}
	var names []string
	for _, c := range Available() {
		names = append(names, c.Name)
	}
	for _, s := range []*snapshot.Snapshot{snap, nil} {
		mfs := scrapeAll(t, s, fixtureSLA, names...)
		onlyFramework(t, mfs)
		if got := value(t, mfs, "zerto_up", nil); got != 0 {
			t.Errorf("zerto_up %v, want 0", got)
		}
		for _, n := range names {
			if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": n}); got != 0 {
				t.Errorf("collector %s success %v, want 0", n, got)
			}
		}
	}
}

func TestLicenseKeyNeverExported(t *testing.T) {
	reg := scrapeRegistry(t, richSnapshot(t), Config{}, "license")
	if out := exposition(t, reg); bytes.Contains(out, []byte("FIXTURE-LICENSE-KEY")) {
		t.Errorf("licence key in the exposition:\n%s", out)
	}
}

func TestJournalLimitBytes(t *testing.T) {
	for _, c := range []struct {
		limit       *zvm.JournalLimit
		provisioned zvm.Null[float64]
		want        float64
		ok          bool
	}{
		{nil, zvm.Some(102400.0), 0, false},
		{&zvm.JournalLimit{LimitType: zvm.Some(zvm.LimitUnlimited), LimitValue: zvm.Some(153600.0)}, zvm.Some(102400.0), 0, false},
		{&zvm.JournalLimit{LimitType: zvm.Some(zvm.LimitMegabytes), LimitValue: zvm.Some(153600.0)}, zvm.Some(0.0), 161061273600, true},
		{&zvm.JournalLimit{LimitType: zvm.Some(zvm.LimitPercentage), LimitValue: zvm.Some(50.0)}, zvm.Some(102400.0), 53687091200, true},
		{&zvm.JournalLimit{LimitType: zvm.Some(zvm.LimitPercentage), LimitValue: zvm.Some(50.0)}, zvm.Some(0.0), 0, false},       // size unknown
		{&zvm.JournalLimit{LimitType: zvm.Some(zvm.LimitPercentage), LimitValue: zvm.Some(50.0)}, zvm.Null[float64]{}, 0, false}, // size null
		{&zvm.JournalLimit{LimitType: zvm.Some(3), LimitValue: zvm.Some(50.0)}, zvm.Some(102400.0), 0, false},
		{&zvm.JournalLimit{LimitValue: zvm.Some(50.0)}, zvm.Some(102400.0), 0, false},              // type null
		{&zvm.JournalLimit{LimitType: zvm.Some(zvm.LimitMegabytes)}, zvm.Some(102400.0), 0, false}, // value null
	} {
		got, ok := journalLimitBytes(c.limit, c.provisioned)
		if got != c.want || ok != c.ok {
			t.Errorf("journalLimitBytes(%+v, %v) = %v, %v; want %v, %v", c.limit, c.provisioned, got, ok, c.want, c.ok)
		}
	}
}

// TestServiceProfileTargets: a VPG's service profile sets its RPO, history and test-interval
// targets unless an sla rule sets them; the profile is found by link (Finance-DB → Silver, whose
// TimeSpans are in the ISO form) or by name (ERP-Prod → Gold); when /v1/serviceprofiles failed,
// the ZVM's own targets are back.
func TestServiceProfileTargets(t *testing.T) {
	snap := richSnapshot(t)
	with := scrapeAll(t, snap, fixtureSLA, "vpg")
	without := scrapeAll(t, snap, nil, "vpg")
	failed := scrapeAll(t, withFetch(snap, zvm.EndpointServiceProfiles, snapshot.Fetch{Err: errors.New("503")}), nil, "vpg")
	id := func(v string) map[string]string { return map[string]string{"vpg_id": v} }
	for _, c := range []struct {
		mfs    map[string]*dto.MetricFamily
		metric string
		vpg    string
		want   float64 // NaN: absent
	}{
		{with, "zerto_vpg_rpo_target_seconds", erpID, 180},           // Gold 00:03:00; ERP's sla rule sets no RPO
		{with, "zerto_vpg_rpo_target_seconds", financeID, 120},       // the sla rule's 2m wins over Silver's PT10M
		{without, "zerto_vpg_rpo_target_seconds", financeID, 600},    // Silver PT10M over ConfiguredRpoSeconds 60
		{failed, "zerto_vpg_rpo_target_seconds", financeID, 60},      // ConfiguredRpoSeconds
		{with, "zerto_vpg_test_interval_seconds", erpID, 30 * 86400}, // Gold 30.00:00:00
		{with, "zerto_vpg_test_interval_seconds", financeID, 30 * 86400},
		{without, "zerto_vpg_test_interval_seconds", financeID, 7 * 86400}, // Silver P7D
		{failed, "zerto_vpg_test_interval_seconds", erpID, math.NaN()},
		{without, "zerto_vpg_journal_history_target_seconds", erpID, 2 * 86400},     // Gold 2.00:00:00
		{without, "zerto_vpg_journal_history_target_seconds", financeID, 12 * 3600}, // Silver PT12H
		{failed, "zerto_vpg_journal_history_target_seconds", erpID, 1440 * 60},      // ConfiguredHistoryInMinutes
		{without, "zerto_vpg_zvm_rpo_target_seconds", financeID, 60},                // the ZVM's own, whatever the profile
		{without, "zerto_vpg_rpo_target_seconds", webID, 600},                       // no profile: ConfiguredRpoSeconds
	} {
		if math.IsNaN(c.want) {
			absent(t, c.mfs, c.metric, id(c.vpg))
			continue
		}
		if got := value(t, c.mfs, c.metric, id(c.vpg)); got != c.want {
			t.Errorf("%s{vpg_id=%s} = %v, want %v", c.metric, c.vpg, got, c.want)
		}
	}
}
