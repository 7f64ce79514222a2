package snapshot

import (
	"context"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

var cyberEndpoints = []zvm.Endpoint{
	zvm.EndpointEncryptionState, zvm.EndpointSuspectedVPGs, zvm.EndpointSuspectedVMs,
	zvm.EndpointEncryptionMetricsVPG, zvm.EndpointEJCHealth, zvm.EndpointEJCRepositories,
}

// A ZVM without the Zerto 10 endpoints (404) leaves them unsupported, not failed; the others are
// stored.
func TestCyberEndpoints(t *testing.T) {
	f := newFake()
	f.errs[zvm.EndpointEJCHealth] = &zvm.APIError{Endpoint: zvm.EndpointEJCHealth, StatusCode: 404}
	f.errs[zvm.EndpointEJCRepositories] = &zvm.APIError{Endpoint: zvm.EndpointEJCRepositories, StatusCode: 500}
	snap, err := NewSource(f, Options{Endpoints: cyberEndpoints, CacheTTL: time.Hour}).Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !*snap.EncryptionState.EncryptionDetectionEnabled || snap.SuspectedVPGs[0].Link.Name != "vpg1" || snap.SuspectedVMs[0].Link.Name != "vm1" ||
		snap.EncryptionMetrics[0].Link.Name != "vpg1" {
		t.Errorf("encryption data not stored: %+v", snap)
	}
	if f := snap.Fetches[zvm.EndpointEJCHealth]; !f.Unsupported || f.Err != nil || snap.EJCHealth != nil {
		t.Errorf("404 health: %+v, %v", f, snap.EJCHealth)
	}
	if snap.Err(zvm.EndpointEJCRepositories) == nil || snap.EJCRepositories != nil {
		t.Errorf("500 repositories: %v, %v", snap.Err(zvm.EndpointEJCRepositories), snap.EJCRepositories)
	}
	for _, ep := range cyberEndpoints[:4] {
		if !snap.OK(ep) {
			t.Errorf("%s not OK", ep)
		}
	}
}
