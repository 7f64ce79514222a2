package collector

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// TestCoverageCollectorsUnsupportedOrFailed: a ZVM without the endpoints of the volume, coverage,
// clock or checkpoints collector (404) leaves the collector successful with no series of its own
// (not a false 0); a failed read fails it, with no series either.
func TestCoverageCollectorsUnsupportedOrFailed(t *testing.T) {
	for _, c := range []struct {
		collector string
		endpoints []zvm.Endpoint
		families  []string
	}{
		{"volume", []zvm.Endpoint{zvm.EndpointVolumes}, []string{"zerto_vpg_journal_volume_used_bytes", "zerto_vpg_scratch_volume_used_bytes"}},
		{"coverage", []zvm.Endpoint{zvm.EndpointUnprotectedVMs}, []string{"zerto_site_unprotected_vms"}},
		{"clock", []zvm.Endpoint{zvm.EndpointServerTime}, []string{"zerto_zvm_clock_skew_seconds"}},
		{"checkpoints", []zvm.Endpoint{zvm.EndpointCheckpointStats, zvm.EndpointCheckpoints},
			[]string{"zerto_vpg_latest_checkpoint_timestamp_seconds", "zerto_vpg_latest_tagged_checkpoint_timestamp_seconds"}},
	} {
		for _, f := range []snapshot.Fetch{{Unsupported: true}, {Err: errors.New("GET: HTTP 500")}} {
			snap := richSnapshot(t)
			for _, ep := range c.endpoints {
				snap = withFetch(snap, ep, f)
			}
			// The source stores nothing of an endpoint that was not read.
			snap.Volumes, snap.UnprotectedVMs, snap.ServerTime, snap.Checkpoints = nil, nil, nil, nil
			mfs := scrapeAll(t, snap, nil, c.collector)
			want := 1.0
			if f.Err != nil {
				want = 0
			}
			if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": c.collector}); got != want {
				t.Errorf("%s with %+v: success %v, want %v", c.collector, f, got, want)
			}
			for _, n := range familyNames(mfs) {
				for _, fam := range c.families {
					if n == fam {
						t.Errorf("%s with %+v: %s present", c.collector, f, n)
					}
				}
				if strings.HasPrefix(n, "zerto_vpg_") || strings.HasPrefix(n, "zerto_site_") || strings.HasPrefix(n, "zerto_zvm_") {
					t.Errorf("%s with %+v: %s present", c.collector, f, n)
				}
			}
		}
	}
}
