package collector

import (
	"strings"
	"testing"

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
