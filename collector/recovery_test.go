package collector

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func recoverySnapshot(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	end := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	mk := func(vpg, op, status, rto string, end time.Time) zvm.RecoveryReport {
		var r zvm.RecoveryReport
		r.General.VpgName, r.General.RecoveryType, r.General.Status = vpg, op, status
		r.General.EndTime = zvm.Time{Time: end}
		if err := r.General.RTOInSeconds.UnmarshalJSON([]byte(rto)); err != nil {
			t.Fatal(err)
		}
		return r
	}
	task := func(typ string, state int, vpgID string) zvm.Task {
		return zvm.Task{Type: typ, Status: &zvm.TaskStatus{State: zvm.Some(state)},
			RelatedEntities: &zvm.TaskEntities{Vpgs: []zvm.Link{{Identifier: vpgID}}}}
	}
	ok := snapshot.Fetch{}
	return &snapshot.Snapshot{
		LocalSite: &zvm.LocalSite{SiteIdentifier: "s1"},
		Fetches: map[zvm.Endpoint]snapshot.Fetch{
			zvm.EndpointLocalSite: ok, zvm.EndpointVPGs: ok, zvm.EndpointTasks: ok, zvm.EndpointRecoveryReports: ok,
		},
		VPGs: []zvm.VPG{{VpgIdentifier: "id-web", VpgName: "web"}, {VpgIdentifier: "id-db", VpgName: "db"}},
		Tasks: []zvm.Task{
			task("FailOverTest", zvm.TaskStateInProgress, "id-web"),
			task("FailOverTest", 6, "id-db"), // completed: not running
			task("MoveBeforeCommit", zvm.TaskStateWaitingForUserInput, "id-db"),
			task("InstallVra", zvm.TaskStateInProgress, "id-db"), // not a recovery operation
		},
		Recovery: &snapshot.RecoveryHistory{
			Latest: map[snapshot.RecoveryKey]zvm.RecoveryReport{
				{VPG: "web", Operation: "FailoverTest"}: mk("web", "FailoverTest", "Success", `"900"`, end),
				{VPG: "db", Operation: "Failover"}:      mk("db", "Failover", "Fail", `null`, end.Add(time.Hour)),
			},
			Totals: map[snapshot.ResultKey]float64{
				{Operation: "FailoverTest", Result: "Success"}: 3,
				{Operation: "Failover", Result: "Fail"}:        1,
			},
		},
	}
}

func TestRecoveryCollector(t *testing.T) {
	set, err := NewSet([]string{"recovery"}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(set.CollectorFor(recoverySnapshot(t)))
	want := `
# HELP zerto_recovery_last_rto_seconds RTO achieved by the newest recovery report of the VPG and operation, from /v1/reports/recovery General.RTOInSeconds.
# TYPE zerto_recovery_last_rto_seconds gauge
zerto_recovery_last_rto_seconds{operation="FailoverTest",vpg="web"} 900
# HELP zerto_recovery_last_timestamp_seconds End time of the newest recovery report of the VPG and operation, from /v1/reports/recovery General.EndTime (else StartTime).
# TYPE zerto_recovery_last_timestamp_seconds gauge
zerto_recovery_last_timestamp_seconds{operation="Failover",result="Fail",vpg="db"} 1.7951724e+09
zerto_recovery_last_timestamp_seconds{operation="FailoverTest",result="Success",vpg="web"} 1.7951688e+09
# HELP zerto_recovery_reports_total Recovery reports by operation and result, from /v1/reports/recovery General.Status.
# TYPE zerto_recovery_reports_total counter
zerto_recovery_reports_total{operation="Failover",result="Fail"} 1
zerto_recovery_reports_total{operation="FailoverTest",result="Success"} 3
# HELP zerto_vpg_operations_running Failovers, failover tests and moves under way on the VPG, from /v1/tasks.
# TYPE zerto_vpg_operations_running gauge
zerto_vpg_operations_running{operation="Failover",vpg="db"} 0
zerto_vpg_operations_running{operation="Failover",vpg="web"} 0
zerto_vpg_operations_running{operation="FailoverTest",vpg="db"} 0
zerto_vpg_operations_running{operation="FailoverTest",vpg="web"} 1
zerto_vpg_operations_running{operation="Move",vpg="db"} 1
zerto_vpg_operations_running{operation="Move",vpg="web"} 0
`
	names := []string{"zerto_recovery_last_rto_seconds", "zerto_recovery_last_timestamp_seconds", "zerto_recovery_reports_total", "zerto_vpg_operations_running"}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	if probs, err := testutil.GatherAndLint(reg); err != nil || len(probs) > 0 {
		t.Errorf("lint: %v %v", probs, err)
	}
}

func TestRecoveryCollectorFailsWithItsEndpoints(t *testing.T) {
	snap := recoverySnapshot(t)
	snap.Fetches[zvm.EndpointTasks] = snapshot.Fetch{Err: &zvm.APIError{Endpoint: zvm.EndpointTasks, StatusCode: 503}}
	set, _ := NewSet([]string{"recovery"}, Config{})
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(set.CollectorFor(snap))
	if n, err := testutil.GatherAndCount(reg, "zerto_recovery_last_rto_seconds", "zerto_vpg_operations_running"); err != nil || n != 0 {
		t.Errorf("failed collector still emitted %d series (%v)", n, err)
	}
	want := "# HELP zerto_scrape_collector_success 1 when the collector's ZVM endpoints were read and turned into metrics in the latest refresh, else 0.\n# TYPE zerto_scrape_collector_success gauge\nzerto_scrape_collector_success{collector=\"recovery\"} 0\n"
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "zerto_scrape_collector_success"); err != nil {
		t.Error(err)
	}
}

func TestRecoveryCollectorWithoutVPGList(t *testing.T) {
	snap := recoverySnapshot(t)
	snap.Fetches[zvm.EndpointVPGs] = snapshot.Fetch{Err: &zvm.APIError{Endpoint: zvm.EndpointVPGs, StatusCode: 500}}
	set, _ := NewSet([]string{"recovery"}, Config{})
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(set.CollectorFor(snap))
	if n, _ := testutil.GatherAndCount(reg, "zerto_vpg_operations_running"); n != 0 {
		t.Errorf("running operations emitted without VPG names: %d", n)
	}
	if n, _ := testutil.GatherAndCount(reg, "zerto_recovery_last_rto_seconds"); n != 1 {
		t.Errorf("RTO series lost when only the borrowed VPG list failed: %d", n)
	}
}
