package collector

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

func TestSLAOverride(t *testing.T) {
	// Without service profiles (a ZVM without /v1/serviceprofiles): SLA rules against the ZVM's
	// own targets. TestServiceProfileTargets covers the profiles.
	snap := withFetch(richSnapshot(t), zvm.EndpointServiceProfiles, snapshot.Fetch{Unsupported: true})
	without := scrapeAll(t, snap, nil, "vpg")
	with := scrapeAll(t, snap, fixtureSLA, "vpg")
	id := func(v string) map[string]string { return map[string]string{"vpg_id": v} }

	// Finance-DB: ConfiguredRpoSeconds 60, overridden to 2m.
	if got := value(t, without, "zerto_vpg_rpo_target_seconds", id(financeID)); got != 60 {
		t.Errorf("Finance-DB RPO target without SLA = %v, want 60", got)
	}
	if got := value(t, with, "zerto_vpg_rpo_target_seconds", id(financeID)); got != 120 {
		t.Errorf("Finance-DB RPO target with SLA = %v, want 120", got)
	}
	// ERP-Prod has an SLA entry without an RPO: the configured RPO stays.
	if got := value(t, with, "zerto_vpg_rpo_target_seconds", id(erpID)); got != 300 {
		t.Errorf("ERP-Prod RPO target = %v, want 300", got)
	}
	if got := value(t, with, "zerto_vpg_rto_target_seconds", id(erpID)); got != 600 {
		t.Errorf("ERP-Prod RTO target = %v, want 600", got)
	}
	if got := value(t, with, "zerto_vpg_rto_target_seconds", id(financeID)); got != 900 {
		t.Errorf("Finance-DB RTO target = %v, want 900", got)
	}
	if got := value(t, with, "zerto_vpg_test_interval_seconds", id(financeID)); got != 30*86400 {
		t.Errorf("Finance-DB test interval = %v, want 30d", got)
	}
	absent(t, with, "zerto_vpg_rto_target_seconds", id(webID))
	absent(t, with, "zerto_vpg_test_interval_seconds", id(erpID))
	if _, ok := without["zerto_vpg_rto_target_seconds"]; ok {
		t.Error("zerto_vpg_rto_target_seconds emitted without SLA configuration")
	}
}

// TestServiceProfileTargets: a VPG's service profile sets its RPO, history and test-interval
// targets unless an sla rule sets them; the profile is found by link (Finance-DB → Silver, whose
// TimeSpans are in the ISO form) or by name (ERP-Prod → Gold); when /v1/serviceprofiles failed,
// the ZVM's own targets are back.
func TestServiceProfileTargets(t *testing.T) {
	snap := richSnapshot(t)
	with := scrapeAll(t, snap, fixtureSLA, "vpg")
	without := scrapeAll(t, snap, nil, "vpg")
	failed := scrapeAll(t, withFetch(snap, zvm.EndpointServiceProfiles, snapshot.Fetch{Err: errors.New("503")}), nil, "vpg")
	id := func(v string) map[string]string { return map[string]string{"vpg_id": v} }
	for _, c := range []struct {
		mfs    map[string]*dto.MetricFamily
		metric string
		vpg    string
		want   float64 // NaN: absent
	}{
		{with, "zerto_vpg_rpo_target_seconds", erpID, 180},           // Gold 00:03:00; ERP's sla rule sets no RPO
		{with, "zerto_vpg_rpo_target_seconds", financeID, 120},       // the sla rule's 2m wins over Silver's PT10M
		{without, "zerto_vpg_rpo_target_seconds", financeID, 600},    // Silver PT10M over ConfiguredRpoSeconds 60
		{failed, "zerto_vpg_rpo_target_seconds", financeID, 60},      // ConfiguredRpoSeconds
		{with, "zerto_vpg_test_interval_seconds", erpID, 30 * 86400}, // Gold 30.00:00:00
		{with, "zerto_vpg_test_interval_seconds", financeID, 30 * 86400},
		{without, "zerto_vpg_test_interval_seconds", financeID, 7 * 86400}, // Silver P7D
		{failed, "zerto_vpg_test_interval_seconds", erpID, math.NaN()},
		{without, "zerto_vpg_journal_history_target_seconds", erpID, 2 * 86400},     // Gold 2.00:00:00
		{without, "zerto_vpg_journal_history_target_seconds", financeID, 12 * 3600}, // Silver PT12H
		{failed, "zerto_vpg_journal_history_target_seconds", erpID, 1440 * 60},      // ConfiguredHistoryInMinutes
		{without, "zerto_vpg_zvm_rpo_target_seconds", financeID, 60},                // the ZVM's own, whatever the profile
		{without, "zerto_vpg_rpo_target_seconds", webID, 600},                       // no profile: ConfiguredRpoSeconds
	} {
		if math.IsNaN(c.want) {
			absent(t, c.mfs, c.metric, id(c.vpg))
			continue
		}
		if got := value(t, c.mfs, c.metric, id(c.vpg)); got != c.want {
			t.Errorf("%s{vpg_id=%s} = %v, want %v", c.metric, c.vpg, got, c.want)
		}
	}
}

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
			got, st := simScrape(t, flavour, zvmsim.Protected, at, []string{"vpg", "vra"}, func(t testing.TB, sim *zvmsim.Sim) {
				for _, v := range sim.State().VPGs {
					if v.FailSafeHistory != nil && shortVPG == "" {
						shortVPG = v.Name
					}
				}
				simtest.Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindHistoryShortfall, VPG: shortVPG, HistoryMinutes: 20},
					zvmsim.Fault{Kind: zvmsim.KindVRADown, VRA: sim.State().VRAs[0].Name})
			})
			if shortVPG == "" {
				t.Fatal("no simulated VPG has a fail-safe history: the test checks nothing")
			}
			alertNames := []string{"Normal", "Warning", "Error", "Pairing", "Unpairing"}
			var failSafes int
			for _, v := range st.VPGs {
				id := []string{"vpg", v.Name, "vpg_id", v.Identifier}
				expectSample(t, got, testutil.Series("zerto_vpg_earliest_checkpoint_timestamp_seconds", id...), float64(v.EarliestCheckpoint.UnixMilli())/1000)
				expectSample(t, got, testutil.Series("zerto_vpg_sync_progress_ratio", id...), v.ProgressPercentage/100)
				actual, target := math.NaN(), math.NaN()
				if f := v.FailSafeHistory; f != nil {
					actual, target = float64(f.ActualMinutes*60), float64(f.ConfiguredMinutes*60)
					failSafes++
				}
				expectSample(t, got, testutil.Series("zerto_vpg_failsafe_history_seconds", id...), actual)
				expectSample(t, got, testutil.Series("zerto_vpg_failsafe_history_target_seconds", id...), target)
				if v.Name == shortVPG && actual != 20*60 {
					t.Errorf("%s: fail-safe history %v s under a 20-minute journal history, want 1200", v.Name, actual)
				}
				for code, name := range alertNames {
					want := 0.0
					if code == v.AlertStatus {
						want = 1
					}
					expectSample(t, got, testutil.Series("zerto_vpg_alert_status", append(id, "status", name)...), want)
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
					expectSample(t, got, testutil.Series("zerto_vra_alert_status", append(id, "status", name)...), want)
				}
				if v.AlertStatus == 2 {
					down++
				}
				cpus := math.NaN()
				if v.CPUs != nil {
					cpus = float64(*v.CPUs)
				}
				expectSample(t, got, testutil.Series("zerto_vra_cpus", id...), cpus)
				for code, name := range []string{"None", "UpgradeAvailable", "Upgrading", "UpgradeFailed", "LatestVersion"} {
					want := math.NaN()
					if v.UpgradeStatus != nil {
						want = 0
						if code == *v.UpgradeStatus {
							want = 1
						}
					}
					expectSample(t, got, testutil.Series("zerto_vra_upgrade_status", append(id, "status", name)...), want)
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

// TestServiceProfileTargetsMatchSimulator checks the targets of the VPGs that use a service
// profile against /_sim/state in both flavours (TimeSpans in seconds); the others have no test
// interval.
func TestServiceProfileTargetsMatchSimulator(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	for _, flavour := range flavours {
		t.Run(flavour, func(t *testing.T) {
			got, st := simScrape(t, flavour, zvmsim.Recovery, at, []string{"vpg"}, nil)
			profiled := 0
			for _, v := range st.VPGs {
				id := []string{"vpg", v.Name, "vpg_id", v.Identifier}
				interval := math.NaN()
				if p := v.ServiceProfile; p != nil {
					profiled++
					interval = p.TestIntervalSeconds
					expectSample(t, got, testutil.Series("zerto_vpg_rpo_target_seconds", id...), p.RPOSeconds)
					expectSample(t, got, testutil.Series("zerto_vpg_journal_history_target_seconds", id...), p.HistorySeconds)
				}
				expectSample(t, got, testutil.Series("zerto_vpg_test_interval_seconds", id...), interval)
			}
			if profiled == 0 {
				t.Error("no simulated VPG uses a service profile: the test would prove nothing")
			}
		})
	}
}

// Hand-checked conversions of the fixture's /v1/vpgs: history in minutes to seconds, MiB/s to
// bytes, dates to Unix time, and absent rather than zero when the ZVM gives no value.
func TestVPGConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), fixtureSLA, "vpg")
	id := func(v string) map[string]string { return map[string]string{"vpg_id": v} }
	expectSamples(t, mfs,
		wantSample{"zerto_vpg_journal_history_seconds", id(erpID), 86400}, // 1440 min
		wantSample{"zerto_vpg_journal_history_target_seconds", id(financeID), 43200},
		wantSample{"zerto_vpg_throughput_bytes_per_second", id(erpID), 4718592},    // 4.5 MiB/s
		wantSample{"zerto_vpg_last_test_timestamp_seconds", id(erpID), 1793527200}, // 2026-11-01T10:00:00Z
		wantSample{"zerto_vpg_last_test_timestamp_seconds", id(financeID), 1761991200},
	)
	absent(t, mfs, "zerto_vpg_actual_rpo_seconds", id(webID))          // ActualRPO -1
	absent(t, mfs, "zerto_vpg_last_test_timestamp_seconds", id(webID)) // LastTest null
	absent(t, mfs, "zerto_vpg_journal_history_seconds", id(webID))     // HistoryStatusApi null
}
