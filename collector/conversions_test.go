package collector

import (
	"testing"

	dto "github.com/prometheus/client_model/go"
)

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
