package report

import (
	"strings"
	"testing"
)

// TestBuildQueriesClusterLabels checks that the cluster labels key every aggregation, as the
// mixin's clusterLabels do, and that only the selector's cluster matchers reach ALERTS (alerts
// lose job and instance in the mixin's aggregations).
func TestBuildQueriesClusterLabels(t *testing.T) {
	ms, err := ParseSelector(`cluster="eu1",zerto_pair="a"`)
	if err != nil {
		t.Fatal(err)
	}
	sel := joinMatchers(append([]Matcher{{"job", "=", "zerto"}}, ms...))
	qs := buildQueries(sel, alertMatchers(ms, []string{"cluster"}), []string{"cluster"}, promDuration(60))
	byName := map[string]string{}
	for _, q := range qs {
		byName[q.name] = q.expr
		if q.name != qAlerts && !strings.Contains(q.expr, `{job="zerto",cluster="eu1",zerto_pair="a"}[60s]`) {
			t.Errorf("%s: %s lacks the selector and the one-step window", q.name, q.expr)
		}
	}
	for name, want := range map[string]string{
		qRPO:          `max by (vpg, vpg_id, cluster) (max_over_time(zerto_vpg_actual_rpo_seconds{job="zerto",cluster="eu1",zerto_pair="a"}[60s]))`,
		qRecoveryTime: `max by (vpg, cluster, operation, result) (max_over_time(zerto_recovery_last_timestamp_seconds{`,
		qAlerts:       `max by (alertname, severity, vpg, cluster) (max_over_time(ALERTS{alertstate="firing",alertname=~"Zerto.+",cluster="eu1"}[60s]))`,
	} {
		if !strings.HasPrefix(byName[name], want) {
			t.Errorf("%s:\n%s\nwant it to start\n%s", name, byName[name], want)
		}
	}
	if got := promDuration(90.5); got != "90500ms" {
		t.Errorf("promDuration(90.5) = %s", got)
	}
}
