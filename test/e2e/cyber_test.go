package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// encryptionSuspected: an encryption (ransomware) suspicion on one VPG, which both ZVMs report,
// pages exactly once through Alertmanager, critical, with the VPG's labels, the suspicion level
// and a runbook link; clearing it sends exactly one resolved notification.
func (s *stack) encryptionSuspected(t *testing.T, ctx context.Context) {
	const vpg = "CRM"
	f := s.injectScoped(t, ctx, map[string]any{"kind": "encryption_suspected", "vpg": vpg, "level": "2"})

	s.waitQuery(t, ctx, "both ZVMs report the suspicion", fmt.Sprintf(
		`zerto_vpg_encryption_suspected{job=%q,vpg=%q} == 1`, scrapeJob, vpg), 2)

	match := map[string]string{"alertname": "ZertoEncryptionSuspected", "vpg": vpg}
	a := s.waitNotification(t, ctx, match, "firing")
	checkVPGAlert(t, a.alert, vpg, "critical")
	if d := a.alert.Annotations["description"]; !containsAll(d, "suspicion level 2", "oldest checkpoint still in the journal is from 20") {
		t.Errorf("description %q: want the suspicion level and the earliest checkpoint's time", d)
	}
	s.expectCount(t, match, "firing", 1, quiet)
	// Only that VPG pages.
	if n := len(s.recv.alerts(map[string]string{"alertname": "ZertoEncryptionSuspected"})); n != 1 {
		t.Errorf("%d ZertoEncryptionSuspected notifications, want only %s's:\n%s", n, vpg, s.recv.dump())
	}

	s.clearResolvesOnce(t, ctx, f, match, vpg)
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
