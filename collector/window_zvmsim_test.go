package collector_test

import (
	"context"

	"maps"
	"math"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// simServer serves role's ZVM of a demo simulator (seed 7) whose clock stands still at at, after
// prepare (fault injection) ran on it, until the test ends.
func simServer(t *testing.T, flavour string, role zvmsim.Role, at time.Time, prepare func(*zvmsim.Sim)) (*zvmsim.Sim, *httptest.Server) {
	t.Helper()
	sim, err := zvmsim.New(zvmsim.Options{Flavour: flavour, Profile: "demo", Seed: 7, Username: "admin", Password: "zerto",
		Clock: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	if prepare != nil {
		prepare(sim)
	}
	srv := httptest.NewServer(sim.Handler(role))
	t.Cleanup(srv.Close)
	return sim, srv
}

// simScrape is one refresh of the named collectors against one site of a simulator whose clock
// stands still at at, after prepare (fault injection) ran on it. It returns the exposition as
// name{label="value",...} → value, and the simulator's truth at the same instant.
func simScrape(t *testing.T, flavour string, role zvmsim.Role, at time.Time, names []string, prepare func(*zvmsim.Sim)) (map[string]float64, zvmsim.State) {
	t.Helper()
	sim, srv := simServer(t, flavour, role, at, prepare)
	// The exporter's clock stands still at the simulator's, so the clock skew it measures is the
	// simulated one exactly.
	client, err := zvm.New(zvm.Config{URL: srv.URL, Username: "admin", Password: "zerto", Timeout: 5 * time.Second,
		Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, snap := gatherSet(ctx, t, client, names, snapshot.Options{Concurrency: 4})
	for _, n := range names {
		if got[`zerto_scrape_collector_success{collector="`+n+`"}`] != 1 {
			t.Fatalf("%s collector failed: %v", n, snap.Err(slices.Collect(maps.Keys(snap.Fetches))...))
		}
	}
	return got, sim.State()
}

// gatherSet is one refresh of the named collectors through client, gathered through a pedantic
// registry: the samples as name{label="value",...} → value, and the snapshot they came from.
func gatherSet(ctx context.Context, t *testing.T, client *zvm.Client, names []string, opts snapshot.Options) (map[string]float64, *snapshot.Snapshot) {
	t.Helper()
	set, err := collector.NewSet(names, collector.Config{})
	if err != nil {
		t.Fatal(err)
	}
	opts.Endpoints = set.Endpoints()
	snap, err := snapshot.NewSource(client, opts).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(set.CollectorFor(snap))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	return vsphereSamples(mfs), snap
}

// series formats a sample key as simScrape returns them; labels alternate name and value.
func series(name string, labels ...string) string {
	var ls []string
	for i := 0; i+1 < len(labels); i += 2 {
		ls = append(ls, labels[i]+`="`+labels[i+1]+`"`)
	}
	sort.Strings(ls)
	return name + "{" + strings.Join(ls, ",") + "}"
}

// expectSample fails unless got holds key with value want (to a relative 1e-9), or, for a NaN
// want, does not hold key.
func expectSample(t *testing.T, got map[string]float64, key string, want float64) {
	t.Helper()
	g, ok := got[key]
	switch {
	case math.IsNaN(want) && ok:
		t.Errorf("%s = %v, want absent", key, g)
	case math.IsNaN(want):
	case !ok:
		t.Errorf("%s absent, want %v", key, want)
	case math.Abs(g-want) > 1e-9*math.Max(1, math.Abs(want)):
		t.Errorf("%s = %v, want %v", key, g, want)
	}
}

var flavours = []string{zvmsim.FlavourAppliance, zvmsim.FlavourWindows}

// TestRecoverableWindowMatchesSimulator checks the recoverable-window series of the vpg and vra
// collectors against /_sim/state in both flavours, with a history shortfall (which also cuts the
// fail-safe history) and a VRA down: the earliest checkpoint as Unix seconds, fail-safe history
// minutes ×60, AlertStatus as a state set, ProgressPercentage ÷100, and the VRA's alert status,
// CPUs and upgrade status (the last two only where the flavour sends them).
func TestRecoverableWindowMatchesSimulator(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	for _, flavour := range flavours {
		t.Run(flavour, func(t *testing.T) {
			var shortVPG string
			got, st := simScrape(t, flavour, zvmsim.Protected, at, []string{"vpg", "vra"}, func(sim *zvmsim.Sim) {
				for _, v := range sim.State().VPGs {
					if v.FailSafeHistory != nil && shortVPG == "" {
						shortVPG = v.Name
					}
				}
				if _, err := sim.InjectFault(zvmsim.Fault{Kind: zvmsim.KindHistoryShortfall, VPG: shortVPG, HistoryMinutes: 20}); err != nil {
					t.Fatal(err)
				}
				if _, err := sim.InjectFault(zvmsim.Fault{Kind: zvmsim.KindVRADown, VRA: sim.State().VRAs[0].Name}); err != nil {
					t.Fatal(err)
				}
			})
			if shortVPG == "" {
				t.Fatal("no simulated VPG has a fail-safe history: the test checks nothing")
			}
			alertNames := []string{"Normal", "Warning", "Error", "Pairing", "Unpairing"}
			var failSafes int
			for _, v := range st.VPGs {
				id := []string{"vpg", v.Name, "vpg_id", v.Identifier}
				expectSample(t, got, series("zerto_vpg_earliest_checkpoint_timestamp_seconds", id...), float64(v.EarliestCheckpoint.UnixMilli())/1000)
				expectSample(t, got, series("zerto_vpg_sync_progress_ratio", id...), v.ProgressPercentage/100)
				actual, target := math.NaN(), math.NaN()
				if f := v.FailSafeHistory; f != nil {
					actual, target = float64(f.ActualMinutes*60), float64(f.ConfiguredMinutes*60)
					failSafes++
				}
				expectSample(t, got, series("zerto_vpg_failsafe_history_seconds", id...), actual)
				expectSample(t, got, series("zerto_vpg_failsafe_history_target_seconds", id...), target)
				if v.Name == shortVPG && actual != 20*60 {
					t.Errorf("%s: fail-safe history %v s under a 20-minute journal history, want 1200", v.Name, actual)
				}
				for code, name := range alertNames {
					want := 0.0
					if code == v.AlertStatus {
						want = 1
					}
					expectSample(t, got, series("zerto_vpg_alert_status", append(id, "status", name)...), want)
				}
			}
			if failSafes == 0 {
				t.Error("no VPG with a fail-safe history checked")
			}
			var vras, down int
			for _, v := range st.VRAs {
				if v.Site != "protected" {
					continue
				}
				vras++
				id := []string{"vra", v.Name, "host", v.Host}
				if flavour == zvmsim.FlavourWindows {
					// The 7.x VRA has no HostDisplayName: the host label is HostIdentifier.
					id = []string{"vra", v.Name, "host", hostLabel(t, got, v.Name)}
				}
				for code, name := range alertNames {
					want := 0.0
					if code == v.AlertStatus {
						want = 1
					}
					expectSample(t, got, series("zerto_vra_alert_status", append(id, "status", name)...), want)
				}
				if v.AlertStatus == 2 {
					down++
				}
				cpus := math.NaN()
				if v.CPUs != nil {
					cpus = float64(*v.CPUs)
				}
				expectSample(t, got, series("zerto_vra_cpus", id...), cpus)
				for code, name := range []string{"None", "UpgradeAvailable", "Upgrading", "UpgradeFailed", "LatestVersion"} {
					want := math.NaN()
					if v.UpgradeStatus != nil {
						want = 0
						if code == *v.UpgradeStatus {
							want = 1
						}
					}
					expectSample(t, got, series("zerto_vra_upgrade_status", append(id, "status", name)...), want)
				}
			}
			if vras == 0 || down != 1 {
				t.Errorf("checked %d protected-site VRAs, %d of them in alert Error; want some, and 1", vras, down)
			}
		})
	}
}

// hostLabel finds the host label of VRA vra in the exposition (zerto_vra_info).
func hostLabel(t *testing.T, got map[string]float64, vra string) string {
	t.Helper()
	for k := range got {
		if strings.HasPrefix(k, "zerto_vra_info{") && strings.Contains(k, `vra="`+vra+`"`) {
			_, rest, _ := strings.Cut(k, `host="`)
			h, _, _ := strings.Cut(rest, `"`)
			return h
		}
	}
	t.Fatalf("no zerto_vra_info for %s", vra)
	return ""
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
			expectSample(t, got, series("zerto_site_unprotected_vms", "site_name", st.Sites[1].Name), float64(st.Sites[1].UnprotectedVMs))
			var scratch, profiled int
			for _, v := range st.VPGs {
				id := []string{"vpg", v.Name, "vpg_id", v.Identifier}
				expectSample(t, got, series("zerto_vpg_journal_volume_used_bytes", id...), float64(v.JournalVolumes.UsedBytes))
				expectSample(t, got, series("zerto_vpg_journal_volume_provisioned_bytes", id...), float64(v.JournalVolumes.ProvisionedBytes))
				used, provisioned := 0.0, 0.0
				if s := v.ScratchVolumes; s != nil {
					used, provisioned = float64(s.UsedBytes), float64(s.ProvisionedBytes)
					scratch++
					if r := used / provisioned; v.Name == "SQL-Prod" && math.Abs(r-0.875) > 1e-6 {
						t.Errorf("SQL-Prod scratch %v full, want 0.875", r)
					}
				}
				expectSample(t, got, series("zerto_vpg_scratch_volume_used_bytes", id...), used)
				expectSample(t, got, series("zerto_vpg_scratch_volume_provisioned_bytes", id...), provisioned)
				interval := math.NaN()
				if p := v.ServiceProfile; p != nil {
					profiled++
					interval = p.TestIntervalSeconds
					expectSample(t, got, series("zerto_vpg_rpo_target_seconds", id...), p.RPOSeconds)
					expectSample(t, got, series("zerto_vpg_journal_history_target_seconds", id...), p.HistorySeconds)
				}
				expectSample(t, got, series("zerto_vpg_test_interval_seconds", id...), interval)
			}
			if scratch != 1 || profiled == 0 {
				t.Errorf("%d VPGs with scratch volumes, %d with a service profile; want 1 and some", scratch, profiled)
			}
		})
	}
}

// TestCheckpointsMatchSimulator checks the opt-in checkpoints collector against /_sim/state in
// both flavours: the latest and the latest tagged checkpoint per VPG as Unix seconds, absent for
// the VPG whose journal holds none yet; and that it reads nothing of /v1/vpgs/{id} when it is off.
func TestCheckpointsMatchSimulator(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	for _, flavour := range flavours {
		t.Run(flavour, func(t *testing.T) {
			got, st := simScrape(t, flavour, zvmsim.Protected, at, []string{"checkpoints"}, nil)
			var latest, tagged int
			for _, v := range st.VPGs {
				id := []string{"vpg", v.Name, "vpg_id", v.Identifier}
				want := math.NaN()
				if v.LatestCheckpoint != nil {
					want = float64(v.LatestCheckpoint.UnixMilli()) / 1000
					latest++
				}
				expectSample(t, got, series("zerto_vpg_latest_checkpoint_timestamp_seconds", id...), want)
				want = math.NaN()
				if v.LatestTaggedCheckpoint != nil {
					want = float64(v.LatestTaggedCheckpoint.UnixMilli()) / 1000
					tagged++
				}
				expectSample(t, got, series("zerto_vpg_latest_tagged_checkpoint_timestamp_seconds", id...), want)
			}
			if latest == 0 || tagged == 0 || latest == len(st.VPGs) {
				t.Errorf("%d of %d VPGs with a latest checkpoint, %d with a tagged one; want some, not all (one is in initial sync), and some",
					latest, len(st.VPGs), tagged)
			}
			if n := st.RequestCounts["protected"]["/v1/vpgs/{vpgidentifier}/checkpoints/stats"]; n != int64(len(st.VPGs)) {
				t.Errorf("%d checkpoint stats requests for %d VPGs", n, len(st.VPGs))
			}

			_, st = simScrape(t, flavour, zvmsim.Protected, at, []string{"vpg"}, nil)
			for path, n := range st.RequestCounts["protected"] {
				if strings.Contains(path, "checkpoints") {
					t.Errorf("%d requests to %s with the checkpoints collector off", n, path)
				}
			}
		})
	}
}
