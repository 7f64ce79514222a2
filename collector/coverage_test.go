package collector

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
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

// TestCoverageMatchesSimulator checks the volume, coverage and clock collectors and the service
// profile targets against /_sim/state in both flavours, on the recovery site (where journals and
// scratch volumes live) with a scratch_fill fault and a clock_skew fault: journal and scratch
// bytes summed per VPG, the unprotected VM count, the skew in seconds, and the targets of the VPGs
// that use a service profile (TimeSpans in seconds).
func TestCoverageMatchesSimulator(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	for _, flavour := range flavours {
		t.Run(flavour, func(t *testing.T) {
			got, st := simScrape(t, flavour, zvmsim.Recovery, at, []string{"volume", "coverage", "clock", "vpg"}, func(sim *zvmsim.Sim) {
				for _, f := range []zvmsim.Fault{
					{Kind: zvmsim.KindScratchFill, VPG: "SQL-Prod", Percent: 87.5},
					{Kind: zvmsim.KindClockSkew, Seconds: -75, Site: "recovery"},
					{Kind: zvmsim.KindClockSkew, Seconds: 20, Site: "protected"},
				} {
					if _, err := sim.InjectFault(f); err != nil {
						t.Fatal(err)
					}
				}
			})
			expectSample(t, got, "zerto_zvm_clock_skew_seconds{}", st.Sites[1].ClockSkewSeconds)
			if st.Sites[1].ClockSkewSeconds != -75 {
				t.Errorf("simulated recovery-site skew %v, want -75", st.Sites[1].ClockSkewSeconds)
			}
			expectSample(t, got, testutil.Series("zerto_site_unprotected_vms", "site_name", st.Sites[1].Name), float64(st.Sites[1].UnprotectedVMs))
			var scratch, profiled int
			for _, v := range st.VPGs {
				id := []string{"vpg", v.Name, "vpg_id", v.Identifier}
				expectSample(t, got, testutil.Series("zerto_vpg_journal_volume_used_bytes", id...), float64(v.JournalVolumes.UsedBytes))
				expectSample(t, got, testutil.Series("zerto_vpg_journal_volume_provisioned_bytes", id...), float64(v.JournalVolumes.ProvisionedBytes))
				used, provisioned := 0.0, 0.0
				if s := v.ScratchVolumes; s != nil {
					used, provisioned = float64(s.UsedBytes), float64(s.ProvisionedBytes)
					scratch++
					if r := used / provisioned; v.Name == "SQL-Prod" && math.Abs(r-0.875) > 1e-6 {
						t.Errorf("SQL-Prod scratch %v full, want 0.875", r)
					}
				}
				expectSample(t, got, testutil.Series("zerto_vpg_scratch_volume_used_bytes", id...), used)
				expectSample(t, got, testutil.Series("zerto_vpg_scratch_volume_provisioned_bytes", id...), provisioned)
				interval := math.NaN()
				if p := v.ServiceProfile; p != nil {
					profiled++
					interval = p.TestIntervalSeconds
					expectSample(t, got, testutil.Series("zerto_vpg_rpo_target_seconds", id...), p.RPOSeconds)
					expectSample(t, got, testutil.Series("zerto_vpg_journal_history_target_seconds", id...), p.HistorySeconds)
				}
				expectSample(t, got, testutil.Series("zerto_vpg_test_interval_seconds", id...), interval)
			}
			if scratch != 1 || profiled == 0 {
				t.Errorf("%d VPGs with scratch volumes, %d with a service profile; want 1 and some", scratch, profiled)
			}
		})
	}
}
