package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAlertingChain proves the chain ZVM simulator → exporter → Prometheus (the mixin's rules)
// → Alertmanager → webhook, one scenario after the other on one running stack.
func TestAlertingChain(t *testing.T) {
	start := time.Now()
	s := startStack(t)
	ctx := context.Background()
	t.Logf("stack up in %s: ZVMs %s (%s) and %s (%s), exporter %s, Prometheus %s",
		time.Since(start).Round(time.Millisecond), s.protected, s.protectedName, s.recovery, s.recoveryName, s.exporterAddr, s.prom.base)

	if !t.Run("healthy", func(t *testing.T) { s.healthy(t, ctx) }) {
		t.Fatal("the healthy stack is not healthy; the fault scenarios would prove nothing")
	}
	t.Run("rpo_breach", func(t *testing.T) { s.rpoBreach(t, ctx) })
	t.Run("protected_site_down", func(t *testing.T) { s.protectedSiteDown(t, ctx) })
	t.Run("infrastructure_and_rto", func(t *testing.T) { s.infrastructureAndRTO(t, ctx) })
	t.Run("encryption_suspected", func(t *testing.T) { s.encryptionSuspected(t, ctx) })

	// Whatever reached the receiver, from any scenario, is well-formed.
	for _, a := range s.recv.alerts(nil) {
		l := a.alert.Labels
		if l["severity"] != "warning" && l["severity"] != "critical" {
			t.Errorf("notification %s has severity %q", labelString(l), l["severity"])
		}
		checkRunbook(t, a.alert)
	}
	t.Logf("%d notifications in %s", len(s.recv.got.all()), time.Since(start).Round(time.Second))
}

// healthy: the stack comes up, the rules load and no warning or critical alert fires during a
// settle period. (That every dashboard panel has data is TestDemoDashboards', on `--demo`.)
func (s *stack) healthy(t *testing.T, ctx context.Context) {
	// Both ZVMs scraped through /probe and readable.
	s.waitQuery(t, ctx, "both ZVMs up", fmt.Sprintf(`zerto_up{job=%q} == 1 and on (instance) up{job=%q} == 1`, scrapeJob, scrapeJob), 2)

	groups, unhealthy, err := s.prom.rules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"zerto-exporter", "zerto-rpo", "zerto-infrastructure", "zerto-rto", "zerto-cyber",
		"zerto-rpo-compliance.rules", "zerto-rpo-compliance-long.rules"} {
		if groups[g] == 0 {
			t.Errorf("rule group %s not loaded (groups: %v)", g, groups)
		}
	}
	if len(unhealthy) > 0 {
		t.Errorf("rules in error:\n  %s", strings.Join(unhealthy, "\n  "))
	}
	// The recording rules ran, the 30d ones included.
	s.waitQuery(t, ctx, "recording rules evaluated", `:zerto_vpg_rpo_compliance:ratio30d`, 1)

	// Settle: longer than the fast `for`, so that any alert the healthy model triggers fires.
	settleUntil := time.Now().Add(parseDuration(t, fastFor) + 10*time.Second)
	for {
		firing, err := s.prom.firing(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range firing {
			if a["severity"] == "warning" || a["severity"] == "critical" {
				t.Errorf("alert firing on the healthy stack: %s", labelString(a))
			}
		}
		if len(firing) > 0 || time.Now().After(settleUntil) {
			break
		}
		time.Sleep(time.Second)
	}
	if pending, err := s.prom.query(ctx, `ALERTS{alertstate="pending"}`); err == nil {
		for _, a := range pending {
			t.Logf("pending on the healthy stack (slow `for`): %s", labelString(a.Metric))
		}
	}
	for _, sev := range []string{"warning", "critical"} {
		for _, a := range s.recv.alerts(map[string]string{"severity": sev}) {
			t.Errorf("notification on the healthy stack: %s %s", a.status, labelString(a.alert.Labels))
		}
	}
}

// rpoBreach: an RPO breach on one VPG, reported by both ZVMs, pages exactly once with the VPG's
// labels and a runbook link; healing it sends exactly one resolved notification.
func (s *stack) rpoBreach(t *testing.T, ctx context.Context) {
	const vpg = "SQL-Prod"
	f := s.injectScoped(t, ctx, map[string]any{"kind": "rpo_breach", "vpg": vpg, "rpo_seconds": 1800})

	// Both ZVMs report the breach: two series above target, one per instance.
	s.waitQuery(t, ctx, "both ZVMs report the breach", fmt.Sprintf(
		`zerto_vpg_actual_rpo_seconds{job=%[1]q,vpg=%[2]q} > on (instance, vpg_id) zerto_vpg_rpo_target_seconds{job=%[1]q,vpg=%[2]q}`, scrapeJob, vpg), 2)

	match := map[string]string{"alertname": "ZertoVpgRpoAboveTarget", "vpg": vpg}
	a := s.waitNotification(t, ctx, match, "firing")
	checkVPGAlert(t, a.alert, vpg, "critical")
	s.expectCount(t, match, "firing", 1, quiet)

	// The Zerto alert the breach raises (VPG0011) shows on the overview's panel, which has no
	// series on the healthy stack.
	if ok, detail := poll(ctx, notifyTimeout, func() (bool, string) {
		n, err := s.panelSeries(ctx, "zerto-overview.json", "Active Zerto alerts")
		return err == nil && n > 0, fmt.Sprintf("%d series, %v", n, err)
	}); !ok {
		t.Errorf("dashboard panel Active Zerto alerts during the breach: %s", detail)
	}

	s.clearResolvesOnce(t, ctx, f, match, vpg)
}

// scopedFault is a fault injected for one scenario; the test's cleanup clears it unless the
// scenario did.
type scopedFault struct {
	id      string
	cleared bool
}

// injectScoped injects fault into the protected ZVM for the rest of the scenario.
func (s *stack) injectScoped(t *testing.T, ctx context.Context, fault map[string]any) *scopedFault {
	t.Helper()
	f := &scopedFault{id: s.inject(t, ctx, s.protected, fault)}
	t.Cleanup(func() {
		if !f.cleared {
			_ = s.sim.clear(context.Background(), s.recovery, f.id)
		}
	})
	return f
}

// clearResolvesOnce clears f and expects exactly one resolved notification for match, critical
// and with vpg's labels, and still the one firing notification only.
func (s *stack) clearResolvesOnce(t *testing.T, ctx context.Context, f *scopedFault, match map[string]string, vpg string) {
	t.Helper()
	if err := s.sim.clear(ctx, s.protected, f.id); err != nil {
		t.Fatal(err)
	}
	f.cleared = true
	r := s.waitNotification(t, ctx, match, "resolved")
	checkVPGAlert(t, r.alert, vpg, "critical")
	s.expectCount(t, match, "resolved", 1, quiet)
	s.expectCount(t, match, "firing", 1, 0)
}

// protectedSiteDown: the protected site's ZVM goes down during an RPO breach. ZertoZvmUnreachable
// fires for it (and only for it), and the RPO alert keeps firing without a gap from the recovery
// site's view. When the site is back, both resolve.
func (s *stack) protectedSiteDown(t *testing.T, ctx context.Context) {
	const vpg = "SAP-ERP"
	breach := s.inject(t, ctx, s.protected, map[string]any{"kind": "rpo_breach", "vpg": vpg, "rpo_seconds": 1800})
	t.Cleanup(func() { _ = s.sim.clear(context.Background(), s.recovery, "") })
	rpoMatch := map[string]string{"alertname": "ZertoVpgRpoAboveTarget", "vpg": vpg}
	s.waitNotification(t, ctx, rpoMatch, "firing")

	// The recovery site's listener serves the control API while the protected one is down.
	// seconds bounds the outage should the test die before it clears the fault.
	down := s.inject(t, ctx, s.recovery, map[string]any{"kind": "down", "site": "protected", "seconds": 600})
	downAt := time.Now()

	// Only the recovery site reports the VPG now, still above target.
	s.waitQuery(t, ctx, "only the recovery ZVM reports the VPG", fmt.Sprintf(
		`zerto_vpg_actual_rpo_seconds{job=%q,vpg=%q,instance=%q} and on (vpg) count by (vpg) (zerto_vpg_actual_rpo_seconds{job=%q,vpg=%q}) == 1`,
		scrapeJob, vpg, s.recovery, scrapeJob, vpg), 1)

	unreachable := map[string]string{"alertname": "ZertoZvmUnreachable", "instance": s.protected}
	a := s.waitNotification(t, ctx, unreachable, "firing")
	if a.alert.Labels["severity"] != "critical" {
		t.Errorf("ZertoZvmUnreachable severity %q, want critical", a.alert.Labels["severity"])
	}
	s.expectCount(t, unreachable, "firing", 1, quiet)
	if n := s.recv.count(map[string]string{"alertname": "ZertoZvmUnreachable", "instance": s.recovery}, "firing"); n != 0 {
		t.Errorf("ZertoZvmUnreachable fired for the recovery ZVM, which is up")
	}

	// The RPO alert kept firing all along: still firing now, firing at every evaluation since the
	// site went down, and no resolved notification.
	firing, err := s.prom.firing(ctx, rpoMatch)
	if err != nil {
		t.Fatal(err)
	}
	if len(firing) != 1 {
		t.Errorf("ZertoVpgRpoAboveTarget for %s while the protected site is down: %d firing alerts, want 1", vpg, len(firing))
	}
	series, err := s.prom.queryRange(ctx, fmt.Sprintf(`ALERTS{alertname="ZertoVpgRpoAboveTarget",vpg=%q,alertstate="firing"}`, vpg),
		downAt, time.Now(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := int(time.Since(downAt)/time.Second) + 1
	if len(series) != 1 || len(series[0].Values) < want-1 {
		got := 0
		if len(series) > 0 {
			got = len(series[0].Values)
		}
		t.Errorf("ZertoVpgRpoAboveTarget for %s was not firing throughout the outage: %d series, %d of %d steps firing",
			vpg, len(series), got, want)
	}
	if n := s.recv.count(rpoMatch, "resolved"); n != 0 {
		t.Errorf("ZertoVpgRpoAboveTarget for %s resolved during the outage", vpg)
	}
	s.expectCount(t, rpoMatch, "firing", 1, 0)

	// The site comes back: the exporter reads it again and the alerts resolve.
	if err := s.sim.clear(ctx, s.recovery, down); err != nil {
		t.Fatal(err)
	}
	s.waitNotification(t, ctx, unreachable, "resolved")
	s.waitQuery(t, ctx, "both ZVMs up again", fmt.Sprintf(`zerto_up{job=%q} == 1`, scrapeJob), 2)
	if err := s.sim.clear(ctx, s.recovery, breach); err != nil {
		t.Fatal(err)
	}
	s.waitNotification(t, ctx, rpoMatch, "resolved")
	s.expectCount(t, rpoMatch, "firing", 1, 0)
	s.expectCount(t, unreachable, "firing", 1, 0)
}

// infrastructureAndRTO: a VRA down, the peer site unpaired and a recovery slower than its RTO
// target page with the matching alerts.
func (s *stack) infrastructureAndRTO(t *testing.T, ctx context.Context) {
	st, err := s.sim.state(ctx, s.protected)
	if err != nil {
		t.Fatal(err)
	}
	var vra, host string
	for _, v := range st.VRAs {
		if v.Site == "protected" {
			vra, host = v.Name, v.Host
			break
		}
	}
	t.Cleanup(func() { _ = s.sim.clear(context.Background(), s.protected, "") })
	vraFault := s.inject(t, ctx, s.protected, map[string]any{"kind": "vra_down", "vra": vra})
	unpair := s.inject(t, ctx, s.protected, map[string]any{"kind": "unpair", "peer_site": s.recoveryName})
	const rto = 1800
	s.inject(t, ctx, s.protected, map[string]any{"kind": "recovery_report", "vpg": rtoVPG, "type": "Failover",
		"rto_seconds": rto, "result": "Success"})

	vraMatch := map[string]string{"alertname": "ZertoVraNotHealthy", "vra": vra, "instance": s.protected}
	a := s.waitNotification(t, ctx, vraMatch, "firing")
	if a.alert.Labels["severity"] != "warning" || a.alert.Labels["host"] != host || a.alert.Labels["status"] == "" {
		t.Errorf("ZertoVraNotHealthy labels %s, want severity warning, host %q and a status", labelString(a.alert.Labels), host)
	}

	// Both ZVMs report their peer as not paired: one alert per ZVM, each naming the other site.
	peers := []map[string]string{
		{"alertname": "ZertoPeerSiteNotPaired", "instance": s.protected, "peer_site": s.recoveryName},
		{"alertname": "ZertoPeerSiteNotPaired", "instance": s.recovery, "peer_site": s.protectedName},
	}
	for _, m := range peers {
		a := s.waitNotification(t, ctx, m, "firing")
		if a.alert.Labels["severity"] != "critical" {
			t.Errorf("ZertoPeerSiteNotPaired severity %q, want critical", a.alert.Labels["severity"])
		}
	}

	rtoMatch := map[string]string{"alertname": "ZertoRtoAboveTarget", "vpg": rtoVPG, "operation": "Failover"}
	r := s.waitNotification(t, ctx, rtoMatch, "firing")
	if r.alert.Labels["severity"] != "warning" {
		t.Errorf("ZertoRtoAboveTarget severity %q, want warning", r.alert.Labels["severity"])
	}
	if _, ok := r.alert.Labels["instance"]; ok {
		t.Errorf("ZertoRtoAboveTarget has an instance label (%s): both ZVMs would page", labelString(r.alert.Labels))
	}
	if d := r.alert.Annotations["description"]; !strings.Contains(d, rtoVPG) || !strings.Contains(d, "30m") || !strings.Contains(d, "10m") {
		t.Errorf("ZertoRtoAboveTarget description %q does not name the VPG, the RTO (30m) and the target (10m)", d)
	}
	s.expectCount(t, rtoMatch, "firing", 1, quiet)
	s.expectCount(t, vraMatch, "firing", 1, 0)
	for _, m := range peers {
		s.expectCount(t, m, "firing", 1, 0)
	}

	// Repaired VRA and pairing resolve.
	for _, id := range []string{vraFault, unpair} {
		if err := s.sim.clear(ctx, s.protected, id); err != nil {
			t.Fatal(err)
		}
	}
	s.waitNotification(t, ctx, vraMatch, "resolved")
	for _, m := range peers {
		s.waitNotification(t, ctx, m, "resolved")
	}
}

// ---------------------------------------------------------------------------------------------
// Helpers of the scenarios

func (s *stack) inject(t *testing.T, ctx context.Context, base string, fault map[string]any) string {
	t.Helper()
	id, err := s.sim.inject(ctx, base, fault)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s injected %v as %s", time.Now().Format("15:04:05.000"), fault, id)
	return id
}

// waitQuery waits until q returns exactly n series.
func (s *stack) waitQuery(t *testing.T, ctx context.Context, what, q string, n int) {
	t.Helper()
	ok, detail := poll(ctx, notifyTimeout, func() (bool, string) {
		res, err := s.prom.query(ctx, q)
		if err != nil {
			return false, err.Error()
		}
		var got []string
		for _, r := range res {
			got = append(got, labelString(r.Metric))
		}
		return len(res) == n, fmt.Sprintf("%d series, want %d: %v", len(res), n, got)
	})
	if !ok {
		t.Fatalf("%s: %s after %s: %s", what, q, notifyTimeout, detail)
	}
}

// waitNotification waits for an alert matching match with status to reach the receiver.
func (s *stack) waitNotification(t *testing.T, ctx context.Context, match map[string]string, status string) sent {
	t.Helper()
	begin := time.Now()
	var found sent
	ok, _ := poll(ctx, notifyTimeout, func() (bool, string) {
		for _, a := range s.recv.alerts(match) {
			if a.status == status {
				found = a
				return true, ""
			}
		}
		return false, ""
	})
	if !ok {
		firing, _ := s.prom.firing(ctx, nil)
		var f []string
		for _, a := range firing {
			f = append(f, labelString(a))
		}
		t.Fatalf("no %s notification for %s within %s\nreceived:\n%sfiring in Prometheus: %v",
			status, labelString(match), notifyTimeout, s.recv.dump(), f)
	}
	after := "before the wait"
	if d := found.received.Sub(begin); d >= 0 {
		after = d.Round(100*time.Millisecond).String() + " into the wait"
	}
	t.Logf("%s %s notification for %s, %s", found.received.Format("15:04:05.000"), status, labelString(match), after)
	return found
}

// expectCount waits for `after` (to let a duplicate arrive), then wants exactly n alerts
// matching match with status at the receiver.
func (s *stack) expectCount(t *testing.T, match map[string]string, status string, n int, after time.Duration) {
	t.Helper()
	time.Sleep(after)
	if got := s.recv.count(match, status); got != n {
		t.Errorf("%d %s notifications for %s, want exactly %d\nreceived:\n%s", got, status, labelString(match), n, s.recv.dump())
	}
}

// checkVPGAlert checks the labels of a per-VPG alert: deduplicated across the two ZVMs (no
// instance or job label), the VPG's identity, the severity, and a runbook link.
func checkVPGAlert(t *testing.T, a webhookAlert, vpg, severity string) {
	t.Helper()
	l := a.Labels
	if l["vpg"] != vpg || l["vpg_id"] == "" || l["severity"] != severity {
		t.Errorf("%s labels %s, want vpg %q, a vpg_id and severity %q", l["alertname"], labelString(l), vpg, severity)
	}
	for _, k := range []string{"instance", "job", "site_role"} {
		if _, ok := l[k]; ok {
			t.Errorf("%s has label %s (%s): the two ZVMs' views are not deduplicated", l["alertname"], k, labelString(l))
		}
	}
	if !strings.Contains(a.Annotations["description"], vpg) || a.Annotations["summary"] == "" {
		t.Errorf("%s annotations %v: want a summary and a description naming %s", l["alertname"], a.Annotations, vpg)
	}
	checkRunbook(t, a)
}

// checkRunbook wants a runbook_url annotation pointing at the alert's section.
func checkRunbook(t *testing.T, a webhookAlert) {
	t.Helper()
	name := a.Labels["alertname"]
	u, err := url.Parse(a.Annotations["runbook_url"])
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Fragment != strings.ToLower(name) {
		t.Errorf("%s: runbook_url %q, want an http(s) URL ending in #%s", name, a.Annotations["runbook_url"], strings.ToLower(name))
	}
}

func parseDuration(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
