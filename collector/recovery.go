package collector

import (
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/fastexpo"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// Recovery operations, as the recovery reports name them.
const (
	opFailover     = "Failover"
	opFailoverTest = "FailoverTest"
	opMove         = "Move"
)

var recoveryOperations = []string{opFailover, opFailoverTest, opMove}

func init() {
	register(registration{
		name:      "recovery",
		defaultOn: true,
		help:      "RTO and results of failovers, failover tests and moves from /v1/reports/recovery, running operations from /v1/tasks",
		owns:      []zvm.Endpoint{zvm.EndpointRecoveryReports, zvm.EndpointTasks},
		borrows:   []zvm.Endpoint{zvm.EndpointVPGs},
		build:     newRecoveryCollector,
		notes: map[string]string{
			"zerto_recovery_last_rto_seconds":       "RTOInSeconds is a string, in seconds.",
			"zerto_recovery_last_timestamp_seconds": "result is General.Status.",
			"zerto_recovery_reports_total": "Counts since the exporter started reading this ZVM. " +
				"The reports of the first read (--collector.recovery.lookback) set the labels at 0.",
			"zerto_vpg_operations_running": "Counts the running tasks of the VPG that are failovers, failover tests or moves.",
		},
	})
}

type recoveryCollector struct {
	cfg      Config
	lastRTO  *prometheus.Desc
	lastTime *prometheus.Desc
	reports  *prometheus.Desc
	running  *prometheus.Desc
}

func newRecoveryCollector(cfg Config) Collector {
	return &recoveryCollector{
		cfg: cfg,
		lastRTO: desc("recovery", "last_rto_seconds",
			"RTO achieved by the newest recovery report of the VPG and operation, from /v1/reports/recovery General.RTOInSeconds.",
			"vpg", "operation"),
		lastTime: desc("recovery", "last_timestamp_seconds",
			"End time of the newest recovery report of the VPG and operation, from /v1/reports/recovery General.EndTime (else StartTime).",
			"vpg", "operation", "result"),
		reports: desc("recovery", "reports_total",
			"Recovery reports by operation and result, from /v1/reports/recovery General.Status.",
			"operation", "result"),
		running: desc("vpg", "operations_running",
			"Failovers, failover tests and moves under way on the VPG, from /v1/tasks.",
			"vpg", "operation"),
	}
}

func (c *recoveryCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	if h := s.Recovery; h != nil {
		for k, r := range h.Latest {
			if r.General.RTOInSeconds.Set {
				gauge(ch, c.lastRTO, r.General.RTOInSeconds.Value, k.VPG, k.Operation)
			}
			t := r.General.EndTime
			if !t.Valid() {
				t = r.General.StartTime
			}
			if t.Valid() {
				gauge(ch, c.lastTime, float64(t.UnixMilli())/1000, k.VPG, k.Operation, r.General.Status)
			}
		}
		for k, n := range h.Totals {
			ch <- fastexpo.MustNewConstMetric(c.reports, prometheus.CounterValue, n, k.Operation, k.Result)
		}
	}
	if !s.OK(zvm.EndpointVPGs) {
		level.Debug(c.cfg.Logger).Log("msg", "no VPG list in this refresh; running operations left out")
		return nil
	}
	running := map[string]map[string]float64{}
	for i := range s.Tasks {
		t := &s.Tasks[i]
		op, ok := zvm.RecoveryOperation(t.Type)
		if !ok || !t.Running() || t.RelatedEntities == nil {
			continue
		}
		for _, v := range t.RelatedEntities.Vpgs {
			if running[v.Identifier] == nil {
				running[v.Identifier] = map[string]float64{}
			}
			running[v.Identifier][op]++
		}
	}
	seen := make(map[string]bool, len(s.VPGs))
	for _, v := range s.VPGs {
		if seen[v.VpgName] {
			continue // a repeated row would be a duplicate series
		}
		seen[v.VpgName] = true
		for _, op := range recoveryOperations {
			gauge(ch, c.running, running[v.VpgIdentifier][op], v.VpgName, op)
		}
	}
	return nil
}
