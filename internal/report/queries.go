package report

import (
	"fmt"
	"strings"
)

// Names of the queries, each run over the whole period in chunks.
const (
	qRPO           = "rpo"
	qRPOTarget     = "rpo_target"
	qJournal       = "journal"
	qJournalTarget = "journal_target"
	qInfo          = "info"
	qVMs           = "vms"
	qLastTest      = "last_test"
	qTestInterval  = "test_interval"
	qRTOTarget     = "rto_target"
	qRecoveryTime  = "recovery_time"
	qRecoveryRTO   = "recovery_rto"
	qEncryption    = "encryption"
	qEJCFailed     = "ejc_failed"
	qImmutable     = "immutable"
	qUnprotected   = "unprotected"
	qAlerts        = "alerts"
	successResult  = "Success"
	opFailoverTest = "FailoverTest"
	opFailover     = "Failover"
	opMove         = "Move"
	infoMetric     = "zerto_vpg_info"
	rpoMetric      = "zerto_vpg_actual_rpo_seconds"
)

// query is one PromQL query of the report and what it is for.
type query struct {
	name, purpose, expr string
}

// buildQueries returns every query of the report. Per-VPG series are aggregated by the VPG's
// labels (vpg, vpg_id and the cluster labels) as the mixin's alerts do, so that a VPG reported by
// both ZVMs of its pair is one row; recovery series, which carry no vpg_id, by vpg and the cluster
// labels. Every series is read through a window of one step ending at the evaluation time, so that
// a step has a value only when a sample fell within it: gaps are not bridged by the lookback delta.
func buildQueries(selector string, alertSelector string, clusterLabels []string, step string) []query {
	cl := ""
	if len(clusterLabels) > 0 {
		cl = ", " + strings.Join(clusterLabels, ", ")
	}
	k := "vpg, vpg_id" + cl
	v := "vpg" + cl
	s := func(metric string) string { return fmt.Sprintf("%s{%s}[%s]", metric, selector, step) }
	agg := func(op, by, over, metric string) string {
		return fmt.Sprintf("%s by (%s) (%s_over_time(%s))", op, by, over, s(metric))
	}
	run := agg("max", k, "max", "zerto_vpg_ejc_last_run_timestamp_seconds")
	success := agg("max", k, "max", "zerto_vpg_ejc_last_success_timestamp_seconds")
	alerts := `alertstate="firing",alertname=~"Zerto.+"`
	if alertSelector != "" {
		alerts += "," + alertSelector
	}
	return []query{
		{qRPO, "Actual RPO per VPG (worst of both sites)", agg("max", k, "max", rpoMetric)},
		{qRPOTarget, "RPO target per VPG", agg("min", k, "min", "zerto_vpg_rpo_target_seconds")},
		{qJournal, "Journal history per VPG (least of both sites)", agg("min", k, "min", "zerto_vpg_journal_history_seconds")},
		{qJournalTarget, "Journal history target per VPG", agg("max", k, "max", "zerto_vpg_journal_history_target_seconds")},
		{qInfo, "VPG sites", agg("max", k+", protected_site, recovery_site", "max", infoMetric)},
		{qVMs, "Protected VMs per VPG", agg("max", k, "max", "zerto_vpg_vms")},
		{qLastTest, "Last failover test per VPG (/v1/vpgs LastTest)", agg("max", k, "max", "zerto_vpg_last_test_timestamp_seconds")},
		{qTestInterval, "Exported test interval per VPG", agg("max", k, "max", "zerto_vpg_test_interval_seconds")},
		{qRTOTarget, "Exported RTO target per VPG", agg("min", v, "min", "zerto_vpg_rto_target_seconds")},
		{qRecoveryTime, "End time and result of the newest failover, test and move per VPG", agg("max", v+", operation, result", "max", "zerto_recovery_last_timestamp_seconds")},
		{qRecoveryRTO, "RTO of the newest failover, test and move per VPG", agg("max", v+", operation", "max", "zerto_recovery_last_rto_seconds")},
		{qEncryption, "Encryption (ransomware) suspicion per VPG", agg("max", k, "max", "zerto_vpg_encryption_suspected")},
		{qEJCFailed, "Failed Extended Journal Copy runs per VPG (ZertoEjcJobFailed's condition)", fmt.Sprintf(
			"(%s > on (%s) %s or %s unless on (%s) %s) and on (%s) %s > 0", run, k, success, run, k, success, k,
			agg("max", k, "max", "zerto_vpg_ejc_errors"))},
		{qImmutable, "Immutability of the Extended Journal Copy repositories", agg("min", "repository"+cl, "min", "zerto_ejc_repository_immutable")},
		{qUnprotected, "Unprotected VMs of the local sites", agg("max", "site_name"+cl, "max", "zerto_site_unprotected_vms")},
		{qAlerts, "Firing alerts of the Zerto mixin (Prometheus's ALERTS series)", fmt.Sprintf(
			"max by (alertname, severity, vpg%s) (max_over_time(ALERTS{%s}[%s]))", cl, alerts, step)},
	}
}

// alertMatchers keeps the matchers of the selector on cluster labels: alerts keep those labels
// (the mixin's clusterLabels) but lose job and instance in their aggregations.
func alertMatchers(ms []Matcher, clusterLabels []string) string {
	var keep []Matcher
	for _, m := range ms {
		for _, l := range clusterLabels {
			if m.Name == l {
				keep = append(keep, m)
			}
		}
	}
	return joinMatchers(keep)
}

// promDuration renders a step as a PromQL duration.
func promDuration(seconds float64) string {
	s := fmt.Sprintf("%gs", seconds)
	if strings.Contains(s, "e") || strings.Contains(s, ".") {
		return fmt.Sprintf("%dms", int64(seconds*1000))
	}
	return s
}
