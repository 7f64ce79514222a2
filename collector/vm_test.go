package collector

import (
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

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

// Hand-checked conversions of the fixture's /v1/vms: journal limits of type 1 in MiB and of type
// 2 a percentage of the provisioned size, MiB and MiB/s to bytes, and absent rather than zero
// when the ZVM gives no value.
func TestVMConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), fixtureSLA, "vm")
	vm := func(name, vpg string) map[string]string { return map[string]string{"vm": name, "vpg": vpg} }
	expectSamples(t, mfs,
		wantSample{"zerto_vm_journal_hard_limit_bytes", vm("erp-app01", "ERP-Prod"), 161061273600},         // 153600 MiB
		wantSample{"zerto_vm_journal_hard_limit_bytes", vm("shared-db01", "ERP-Prod"), 53687091200},        // 50 % of 102400 MiB
		wantSample{"zerto_vm_journal_warning_threshold_bytes", vm("shared-db01", "ERP-Prod"), 42949672960}, // 40 % of 102400 MiB
		wantSample{"zerto_vm_journal_warning_threshold_bytes", vm("erp-app01", "ERP-Prod"), 115200 * 1048576},
		wantSample{"zerto_vm_journal_used_bytes", vm("erp-app01", "ERP-Prod"), 10240 * 1048576},
		wantSample{"zerto_vm_throughput_bytes_per_second", vm("erp-app01", "ERP-Prod"), 2.5 * 1048576},
		wantSample{"zerto_vm_network_traffic_bytes_total", vm("erp-app01", "ERP-Prod"), 412345 * 1048576},
		wantSample{"zerto_vm_io_operations_total", vm("erp-app01", "ERP-Prod"), 91827364},
	)
	absent(t, mfs, "zerto_vm_actual_rpo_seconds", vm("shared-db01", "Web-Tier"))              // -1
	absent(t, mfs, "zerto_vm_journal_hard_limit_bytes", vm("shared-db01", "Web-Tier"))        // LimitType 0
	absent(t, mfs, "zerto_vm_journal_warning_threshold_bytes", vm("shared-db01", "Web-Tier")) // null
	absent(t, mfs, "zerto_vm_journal_hard_limit_bytes", vm("web01", "Web-Tier"))              // unknown LimitType
	absent(t, mfs, "zerto_vm_network_traffic_bytes_total", map[string]string{"vm_id": "4a1f5c2e-7b3d-4e8a-9c6f-0d2e1b3a5c71.vm-999"})
	if got := mfs["zerto_vm_network_traffic_bytes_total"].GetType(); got != dto.MetricType_COUNTER {
		t.Errorf("zerto_vm_network_traffic_bytes_total type %v, want counter", got)
	}
}
