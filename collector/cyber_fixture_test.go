package collector

import (
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// cyberEndpoints are the Zerto 10 cyber-resilience endpoints the fixture snapshot carries.
var cyberEndpoints = []zvm.Endpoint{
	zvm.EndpointEncryptionState, zvm.EndpointSuspectedVPGs, zvm.EndpointSuspectedVMs,
	zvm.EndpointEncryptionMetricsVPG, zvm.EndpointEJCHealth, zvm.EndpointEJCRepositories,
}

// addCyberFixtures fills s with testdata/zvm's encryption-detection and Extended Journal Copy
// payloads. They hold edge cases on purpose: a VPG listed twice, a suspected VPG unknown to
// /v1/vpgs, a level outside the known ones, null values, a never-run copy (year 1), sizes only in
// RepositoryState, a repository without storage settings, and storage secrets that must not
// reach the exposition.
func addCyberFixtures(t *testing.T, s *snapshot.Snapshot) {
	t.Helper()
	decodeFixture(t, "encryption_state.json", &s.EncryptionState)
	decodeFixture(t, "encryption_suspected_vpgs.json", &s.SuspectedVPGs)
	decodeFixture(t, "encryption_suspected_vms.json", &s.SuspectedVMs)
	decodeFixture(t, "encryption_metrics_vpgs.json", &s.EncryptionMetrics)
	var health struct{ Vpgs []zvm.EJCVPGHealth }
	decodeFixture(t, "ltr_health_vpgs.json", &health)
	s.EJCHealth = health.Vpgs
	decodeFixture(t, "ltr_repositories.json", &s.EJCRepositories)
}
