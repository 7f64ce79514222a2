package collector

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestNullFieldsAbsent: a field the ZVM sends as null removes the series it feeds (and only that
// one), never exports 0. Each case nulls one field of the fixture (the first VPG, VM, statistics
// row and VRA are ERP-Prod, erp-app01 in ERP-Prod, its counters and the VRA on esx01).
func TestNullFieldsAbsent(t *testing.T) {
	vpg := map[string]string{"vpg_id": erpID}
	vm := map[string]string{"vm": "erp-app01", "vpg": "ERP-Prod"}
	vra := map[string]string{"host": esx01}
	peer := map[string]string{"peer_site": "Chicago-DR"}
	for _, c := range []struct {
		field  string
		null   func(s *snapshot.Snapshot)
		metric string
		labels map[string]string
		also   []string // families that lose one series too, as they are computed from the field
	}{
		{"VPG.Status", func(s *snapshot.Snapshot) { s.VPGs[0].Status = zvm.Null[int]{} }, "zerto_vpg_status", vpg, nil},
		{"VPG.SubStatus", func(s *snapshot.Snapshot) { s.VPGs[0].SubStatus = zvm.Null[int]{} }, "zerto_vpg_substatus_info", vpg, nil},
		{"VPG.ActualRPO", func(s *snapshot.Snapshot) { s.VPGs[0].ActualRPO = zvm.Null[float64]{} }, "zerto_vpg_actual_rpo_seconds", vpg, nil},
		{"VPG.ConfiguredRpoSeconds", func(s *snapshot.Snapshot) { s.VPGs[0].ConfiguredRpoSeconds = zvm.Null[float64]{} }, "zerto_vpg_zvm_rpo_target_seconds", vpg,
			[]string{"zerto_vpg_rpo_target_seconds"}}, // no SLA rule: the ZVM's target is the VPG's
		{"VPG.HistoryStatusApi.ActualHistoryInMinutes", func(s *snapshot.Snapshot) { s.VPGs[0].HistoryStatusApi.ActualHistoryInMinutes = zvm.Null[float64]{} }, "zerto_vpg_journal_history_seconds", vpg, nil},
		{"VPG.HistoryStatusApi.ConfiguredHistoryInMinutes", func(s *snapshot.Snapshot) {
			s.VPGs[0].HistoryStatusApi.ConfiguredHistoryInMinutes = zvm.Null[float64]{}
		}, "zerto_vpg_journal_history_target_seconds", vpg, nil},
		{"VPG.ThroughputInMB", func(s *snapshot.Snapshot) { s.VPGs[0].ThroughputInMB = zvm.Null[float64]{} }, "zerto_vpg_throughput_bytes_per_second", vpg, nil},
		{"VPG.IOPs", func(s *snapshot.Snapshot) { s.VPGs[0].IOPs = zvm.Null[float64]{} }, "zerto_vpg_iops", vpg, nil},
		{"VPG.ProvisionedStorageInMB", func(s *snapshot.Snapshot) { s.VPGs[0].ProvisionedStorageInMB = zvm.Null[float64]{} }, "zerto_vpg_storage_provisioned_bytes", vpg, nil},
		{"VPG.UsedStorageInMB", func(s *snapshot.Snapshot) { s.VPGs[0].UsedStorageInMB = zvm.Null[float64]{} }, "zerto_vpg_storage_used_bytes", vpg, nil},
		{"VPG.VmsCount", func(s *snapshot.Snapshot) { s.VPGs[0].VmsCount = zvm.Null[float64]{} }, "zerto_vpg_vms", vpg, nil},
		{"VPG.AlertStatus", func(s *snapshot.Snapshot) { s.VPGs[0].AlertStatus = zvm.Null[int]{} }, "zerto_vpg_alert_status", vpg, nil},
		{"VPG.ProgressPercentage", func(s *snapshot.Snapshot) { s.VPGs[0].ProgressPercentage = zvm.Null[float64]{} }, "zerto_vpg_sync_progress_ratio", vpg, nil},
		{"VPG.FailSafeHistory.ActualFailSafeHistory", func(s *snapshot.Snapshot) { s.VPGs[0].FailSafeHistory.ActualFailSafeHistory = zvm.Null[float64]{} }, "zerto_vpg_failsafe_history_seconds", vpg, nil},
		{"VPG.FailSafeHistory.ConfiguredFailSafeHistory", func(s *snapshot.Snapshot) { s.VPGs[0].FailSafeHistory.ConfiguredFailSafeHistory = zvm.Null[float64]{} }, "zerto_vpg_failsafe_history_target_seconds", vpg,
			[]string{"zerto_vpg_failsafe_history_seconds"}}, // no fail-safe history configured
		{"VRA.NumOfCpus", func(s *snapshot.Snapshot) { s.VRAs[0].NumOfCpus = zvm.Null[float64]{} }, "zerto_vra_cpus", vra, nil},
		{"VRA.VraAlerts.VraAlertsStatus", func(s *snapshot.Snapshot) { s.VRAs[0].VraAlerts.VraAlertsStatus = zvm.Null[int]{} }, "zerto_vra_alert_status", vra, nil},
		{"VM.ActualRPO", func(s *snapshot.Snapshot) { s.VMs[0].ActualRPO = zvm.Null[float64]{} }, "zerto_vm_actual_rpo_seconds", vm, nil},
		{"VM.ThroughputInMB", func(s *snapshot.Snapshot) { s.VMs[0].ThroughputInMB = zvm.Null[float64]{} }, "zerto_vm_throughput_bytes_per_second", vm,
			[]string{"zerto_vra_throughput_bytes_per_second"}}, // the sum over esx01's VMs is unknown
		{"VM.IOPs", func(s *snapshot.Snapshot) { s.VMs[0].IOPs = zvm.Null[float64]{} }, "zerto_vm_iops", vm, []string{"zerto_vra_iops"}},
		{"VM.JournalUsedStorageMb", func(s *snapshot.Snapshot) { s.VMs[0].JournalUsedStorageMb = zvm.Null[float64]{} }, "zerto_vm_journal_used_bytes", vm, nil},
		{"VM.JournalHardLimit.LimitValue", func(s *snapshot.Snapshot) { s.VMs[0].JournalHardLimit.LimitValue = zvm.Null[float64]{} }, "zerto_vm_journal_hard_limit_bytes", vm, nil},
		{"VM.JournalHardLimit.LimitType", func(s *snapshot.Snapshot) { s.VMs[0].JournalHardLimit.LimitType = zvm.Null[int]{} }, "zerto_vm_journal_hard_limit_bytes", vm, nil},
		{"VM.JournalWarningThreshold.LimitValue", func(s *snapshot.Snapshot) { s.VMs[0].JournalWarningThreshold.LimitValue = zvm.Null[float64]{} }, "zerto_vm_journal_warning_threshold_bytes", vm, nil},
		{"VMStatistics.NetworkTrafficCounterInMBs", func(s *snapshot.Snapshot) { s.VMStatistics[0].NetworkTrafficCounterInMBs = zvm.Null[float64]{} }, "zerto_vm_network_traffic_bytes_total", vm, nil},
		{"VMStatistics.WriteCounterInMBs", func(s *snapshot.Snapshot) { s.VMStatistics[0].WriteCounterInMBs = zvm.Null[float64]{} }, "zerto_vm_write_bytes_total", vm, nil},
		{"VMStatistics.SyncCounterInMBs", func(s *snapshot.Snapshot) { s.VMStatistics[0].SyncCounterInMBs = zvm.Null[float64]{} }, "zerto_vm_sync_bytes_total", vm, nil},
		{"VMStatistics.IoOperationsCounter", func(s *snapshot.Snapshot) { s.VMStatistics[0].IoOperationsCounter = zvm.Null[float64]{} }, "zerto_vm_io_operations_total", vm, nil},
		{"VRA.Status", func(s *snapshot.Snapshot) { s.VRAs[0].Status = zvm.Null[int]{} }, "zerto_vra_status", vra, nil},
		{"VRA.MemoryInGB", func(s *snapshot.Snapshot) { s.VRAs[0].MemoryInGB = zvm.Null[float64]{} }, "zerto_vra_memory_bytes", vra, nil},
		{"VRA.ProtectedCounters.Vms", func(s *snapshot.Snapshot) { s.VRAs[0].ProtectedCounters.Vms = zvm.Null[float64]{} }, "zerto_vra_protected_vms", vra, nil},
		{"VRA.ProtectedCounters.Vpgs", func(s *snapshot.Snapshot) { s.VRAs[0].ProtectedCounters.Vpgs = zvm.Null[float64]{} }, "zerto_vra_protected_vpgs", vra, nil},
		{"VRA.ProtectedCounters.Volumes", func(s *snapshot.Snapshot) { s.VRAs[0].ProtectedCounters.Volumes = zvm.Null[float64]{} }, "zerto_vra_protected_volumes", vra, nil},
		{"VRA.RecoveryCounters.Vms", func(s *snapshot.Snapshot) { s.VRAs[0].RecoveryCounters.Vms = zvm.Null[float64]{} }, "zerto_vra_recovery_vms", vra, nil},
		{"VRA.RecoveryCounters.Vpgs", func(s *snapshot.Snapshot) { s.VRAs[0].RecoveryCounters.Vpgs = zvm.Null[float64]{} }, "zerto_vra_recovery_vpgs", vra, nil},
		{"VRA.RecoveryCounters.Volumes", func(s *snapshot.Snapshot) { s.VRAs[0].RecoveryCounters.Volumes = zvm.Null[float64]{} }, "zerto_vra_recovery_volumes", vra, nil},
		{"PeerSite.PairingStatus", func(s *snapshot.Snapshot) { s.PeerSites[0].PairingStatus = zvm.Null[int]{} }, "zerto_peer_site_pairing_status", peer, nil},
		{"PeerSite.IncomingThroughputInMb", func(s *snapshot.Snapshot) { s.PeerSites[0].IncomingThroughputInMb = zvm.Null[float64]{} }, "zerto_peer_site_incoming_throughput_bytes_per_second", peer, nil},
		{"PeerSite.OutgoingBandWidth", func(s *snapshot.Snapshot) { s.PeerSites[0].OutgoingBandWidth = zvm.Null[float64]{} }, "zerto_peer_site_outgoing_bandwidth_bytes_per_second", peer, nil},
		{"PeerSite.ProvisionedStorage", func(s *snapshot.Snapshot) { s.PeerSites[0].ProvisionedStorage = zvm.Null[int64]{} }, "zerto_peer_site_storage_provisioned_bytes", peer, nil},
		{"PeerSite.UsedStorage", func(s *snapshot.Snapshot) { s.PeerSites[0].UsedStorage = zvm.Null[int64]{} }, "zerto_peer_site_storage_used_bytes", peer, nil},
		{"LocalSite.BandwidthThrottlingInMBs", func(s *snapshot.Snapshot) { s.LocalSite.BandwidthThrottlingInMBs = zvm.Null[float64]{} }, "zerto_site_bandwidth_throttling_bytes_per_second", nil, nil},
		{"License.Details.MaxVms", func(s *snapshot.Snapshot) { s.License.Details.MaxVms = zvm.Null[float64]{} }, "zerto_license_max_vms", nil, nil},
		{"License.Usage.TotalVmsCount", func(s *snapshot.Snapshot) { s.License.Usage.TotalVmsCount = zvm.Null[float64]{} }, "zerto_license_protected_vms", nil, nil},
	} {
		t.Run(c.field, func(t *testing.T) {
			// Without service profiles, whose targets would stand in for the ZVM's own.
			snap := withFetch(richSnapshot(t), zvm.EndpointServiceProfiles, snapshot.Fetch{Unsupported: true})
			before := scrapeAll(t, snap, nil, areaCollectors...)
			if len(find(before, c.metric, c.labels)) == 0 {
				t.Fatalf("fixture has no %s%v to null", c.metric, c.labels)
			}
			c.null(snap)
			after := scrapeAll(t, snap, nil, areaCollectors...)
			absent(t, after, c.metric, c.labels)
			// Only that series goes: every other family keeps its series.
			for name, mf := range before {
				if name == c.metric || name == "zerto_scrape_collector_duration_seconds" || slices.Contains(c.also, name) {
					continue
				}
				if got, want := len(after[name].GetMetric()), len(mf.GetMetric()); got != want {
					t.Errorf("%s: %d series, want %d", name, got, want)
				}
			}
			for _, name := range c.also {
				if got, want := len(after[name].GetMetric()), len(before[name].GetMetric())-1; got != want {
					t.Errorf("%s: %d series, want %d", name, got, want)
				}
			}
		})
	}
}

// hasSeries says whether the exposition has a series of name with the label.
func hasSeries(got map[string]float64, name, label, value string) bool {
	for k := range got {
		if strings.HasPrefix(k, name+"{") && strings.Contains(k, label+`="`+value+`"`) {
			return true
		}
	}
	return false
}

// nullAt says whether the generically decoded object has null at path.
func nullAt(obj map[string]any, path ...string) bool {
	var v any = obj
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[k]; !ok {
			return false
		}
	}
	return v == nil
}

// TestSimulatorNullsAreAbsent: every null the demo simulator sends in a field
// the exporter reads makes that series absent (never 0), while the same
// series of an object with a value is present, in both flavours and on both
// sites.
func TestSimulatorNullsAreAbsent(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	// The simulator sends the nulls the spec allows (free space of a datastore without figures);
	// set faults add those a ZVM sends where the spec does not say so.
	nulls := func(t testing.TB, sim *zvmsim.Sim) {
		vpg := sim.State().VPGs[0].Name
		for _, f := range []zvmsim.Fault{
			{Endpoint: "/v1/datastores", Field: "Health", Match: "DatastoreName=bos-prod-ds01"},
			{Endpoint: "/v1/datastores", Field: "Health", Match: "DatastoreName=den-dr-ds01"},
			{Endpoint: "/v1/vpgs", Field: "FailSafeHistory", Match: "VpgName=" + vpg},
			{Endpoint: "/v1/vpgs", Field: "ActualRPO", Match: "VpgName=" + vpg},
			{Endpoint: "/v1/vpgs", Field: "LastTest", Match: "VpgName=" + vpg},
		} {
			f.Kind = zvmsim.KindSet
			simtest.Inject(t, sim, f)
		}
	}
	for _, flavour := range []string{zvmsim.FlavourAppliance, zvmsim.FlavourWindows} {
		for _, role := range []zvmsim.Role{zvmsim.Protected, zvmsim.Recovery} {
			t.Run(flavour+"/"+role.String(), func(t *testing.T) {
				got, _ := simScrape(t, flavour, role, at, []string{"datastore", "vpg"}, nulls)
				type check struct {
					name, label, value string
					present            bool
				}
				var checks []check
				var nullObjects int
				for _, d := range simRaw(t, flavour, role, at, "/v1/datastores", nulls) {
					name := d["DatastoreName"].(string)
					st, _ := d["Stats"].(map[string]any)
					if st["NumVRAs"].(float64)+st["NumIncomingVMs"].(float64)+st["NumOutgoingVMs"].(float64) == 0 {
						continue // not a datastore Zerto uses: not exported at all
					}
					free, health := nullAt(d, "Stats", "Usage", "Datastore", "FreeInBytes"), nullAt(d, "Health")
					if free || health {
						nullObjects++
					}
					checks = append(checks,
						check{"zerto_datastore_capacity_bytes", "datastore", name, true},
						check{"zerto_datastore_free_bytes", "datastore", name, !free},
						check{"zerto_datastore_health_status", "datastore", name, !health})
				}
				for _, v := range simRaw(t, flavour, role, at, "/v1/vpgs", nulls) {
					id := v["VpgIdentifier"].(string)
					failSafe, lastTest, rpo := nullAt(v, "FailSafeHistory"), nullAt(v, "LastTest"), nullAt(v, "ActualRPO")
					// A fail-safe history that is not configured (zeros) is absent too.
					noFailSafe := failSafe || v["FailSafeHistory"].(map[string]any)["ConfiguredFailSafeHistory"].(float64) == 0
					// So is the sentinel -1 of an RPO not calculated yet (the initialising VPG).
					noRPO := rpo || v["ActualRPO"] == -1.0
					if failSafe || lastTest || rpo {
						nullObjects++
					}
					checks = append(checks,
						check{"zerto_vpg_rpo_target_seconds", "vpg_id", id, true},
						check{"zerto_vpg_actual_rpo_seconds", "vpg_id", id, !noRPO},
						check{"zerto_vpg_failsafe_history_seconds", "vpg_id", id, !noFailSafe},
						check{"zerto_vpg_last_test_timestamp_seconds", "vpg_id", id, !lastTest})
				}
				if nullObjects < 3 {
					t.Fatalf("the demo simulator sent %d objects with nulls the exporter reads, want 3 or more", nullObjects)
				}
				for _, c := range checks {
					if has := hasSeries(got, c.name, c.label, c.value); has != c.present {
						t.Errorf("%s{%s=%q} present = %v, want %v", c.name, c.label, c.value, has, c.present)
					}
				}
			})
		}
	}
}
