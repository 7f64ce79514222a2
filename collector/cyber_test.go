package collector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// unsupportedCyber marks the cyber-resilience endpoints in eps as answered 404 in a copy of s.
func unsupportedCyber(s *snapshot.Snapshot, eps ...zvm.Endpoint) *snapshot.Snapshot {
	for _, ep := range eps {
		s = withFetch(s, ep, snapshot.Fetch{Unsupported: true})
	}
	return s
}

// A ZVM without the Zerto 10 APIs (a Windows ZVM, or before 10.0): the collectors succeed, emit
// nothing, and say unsupported; the other collectors stay supported.
func TestCyberCollectorsUnsupported(t *testing.T) {
	snap := unsupportedCyber(&snapshot.Snapshot{Fetches: map[zvm.Endpoint]snapshot.Fetch{zvm.EndpointLocalSite: {}, zvm.EndpointLicense: {}},
		LocalSite: &zvm.LocalSite{SiteName: "Boston"}}, cyberEndpoints...)
	mfs := scrapeAll(t, snap, nil, "encryption", "ejc", "license")
	onlyFramework(t, mfs)
	for name, want := range map[string]float64{"encryption": 0, "ejc": 0, "license": 1} {
		if got := value(t, mfs, "zerto_scrape_collector_supported", map[string]string{"collector": name}); got != want {
			t.Errorf("zerto_scrape_collector_supported{collector=%q} = %v, want %v", name, got, want)
		}
		if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": name}); got != 1 {
			t.Errorf("zerto_scrape_collector_success{collector=%q} = %v, want 1: unsupported is not a failure", name, got)
		}
	}

	// Down: whether the ZVM has the API is unknown, so the series is absent.
	down := &snapshot.Snapshot{UpErr: errors.New("connection refused")}
	if mfs := scrapeAll(t, down, nil, "encryption"); len(mfs["zerto_scrape_collector_supported"].GetMetric()) != 0 {
		t.Errorf("zerto_scrape_collector_supported served while the ZVM is down")
	}
}

// Hand-checked conversions of the fixture's cyber-resilience payloads.
func TestCyberConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), nil, "encryption", "ejc")
	vpg := func(name string) map[string]string { return map[string]string{"vpg": name} }
	repo := func(name string) map[string]string { return map[string]string{"repository": name} }
	expectSamples(t, mfs,
		wantSample{"zerto_encryption_detection_enabled", nil, 1},
		wantSample{"zerto_vpg_encryption_suspected", vpg("Web-Tier"), 1},    // listed twice, counted once
		wantSample{"zerto_vpg_encryption_suspected", vpg("Lab-Sandbox"), 1}, // not in /v1/vpgs: still reported
		wantSample{"zerto_vpg_encryption_suspected", vpg("ERP-Prod"), 0},
		wantSample{"zerto_vpg_encryption_suspicion_level", map[string]string{"vpg": "Web-Tier", "level": "2"}, 1},
		wantSample{"zerto_vpg_encryption_suspicion_level", map[string]string{"vpg": "Lab-Sandbox", "level": "Unknown"}, 1}, // level 7
		wantSample{"zerto_vm_encryption_suspected", map[string]string{"vm": "shared-db01", "vpg": "ERP-Prod"}, 1},
		wantSample{"zerto_vm_encryption_suspected", map[string]string{"vm": "shared-db01", "vpg": "Web-Tier"}, 1},
		wantSample{"zerto_vm_encryption_suspected", map[string]string{"vm": "orphan01", "vpg": ""}, 1},
		wantSample{"zerto_vpg_encrypted_data_bytes", vpg("ERP-Prod"), 1048576},     // 2048 blocks × 512
		wantSample{"zerto_vpg_unencrypted_data_bytes", vpg("ERP-Prod"), 535822336}, // 1046528 × 512
		wantSample{"zerto_vpg_encrypted_data_bytes", vpg("Web-Tier"), 402653184},   // 786432 × 512
		wantSample{"zerto_vpg_unencrypted_data_bytes", vpg("Finance-DB"), 0},       // a measured 0
		wantSample{"zerto_vpg_encryption_trend_level", map[string]string{"vpg": "Web-Tier", "level": "2"}, 1},
		wantSample{"zerto_vpg_encryption_trend_level", map[string]string{"vpg": "Finance-DB", "level": "Unknown"}, 1}, // null
		wantSample{"zerto_vpg_ejc_status", map[string]string{"vpg": "Finance-DB", "status": "2"}, 1},
		wantSample{"zerto_vpg_ejc_expected_retention_sets", vpg("Finance-DB"), 7},
		wantSample{"zerto_vpg_ejc_successful_retention_sets", vpg("Finance-DB"), 5},
		wantSample{"zerto_vpg_ejc_last_run_timestamp_seconds", vpg("Finance-DB"), 1795568400},     // 2026-11-25T01:00:00Z
		wantSample{"zerto_vpg_ejc_last_success_timestamp_seconds", vpg("Finance-DB"), 1795395600}, // 2026-11-23T01:00:00Z
		wantSample{"zerto_vpg_ejc_errors", vpg("Finance-DB"), 1},
		wantSample{"zerto_vpg_ejc_warnings", vpg("ERP-Prod"), 1},
		wantSample{"zerto_ejc_repository_capacity_bytes", repo("ejc-minio"), 51200 << 30},
		wantSample{"zerto_ejc_repository_used_bytes", repo("ejc-minio"), 20480 << 30},
		wantSample{"zerto_ejc_repository_free_bytes", repo("ejc-minio"), 30720 << 30},
		wantSample{"zerto_ejc_repository_capacity_bytes", repo("ejc-nas"), 20480 << 30}, // from RepositoryState
		wantSample{"zerto_ejc_repository_free_bytes", repo("ejc-nas"), 1024 << 30},
		wantSample{"zerto_ejc_repository_immutable", repo("ejc-minio"), 1},
		wantSample{"zerto_ejc_repository_immutability_seconds", repo("ejc-minio"), 30 * 86400},
		wantSample{"zerto_ejc_repository_immutable", repo("ejc-nas"), 0},   // SMB
		wantSample{"zerto_ejc_repository_immutable", repo("ejc-azure"), 0}, // IsImmutable false
	)
	for _, c := range []struct {
		metric string
		labels map[string]string
	}{
		{"zerto_vpg_encrypted_data_bytes", vpg("Finance-DB")},             // null
		{"zerto_vpg_ejc_last_run_timestamp_seconds", vpg("Web-Tier")},     // year 1: never ran
		{"zerto_vpg_ejc_last_success_timestamp_seconds", vpg("Web-Tier")}, // null
		{"zerto_vpg_ejc_expected_retention_sets", vpg("Web-Tier")},        // null
		{"zerto_vpg_ejc_errors", vpg("Web-Tier")},                         // AlertTips null
		{"zerto_ejc_repository_capacity_bytes", repo("ejc-azure")},        // not reported
		{"zerto_ejc_repository_immutability_seconds", repo("ejc-azure")},  // not immutable
		{"zerto_ejc_repository_immutable", repo("ejc-unknown-kind")},      // no storage settings
	} {
		absent(t, mfs, c.metric, c.labels)
	}
}

// cyberRig is a simulated ZVM, the exporter's client and source for the encryption, ejc and vpg
// collectors, with the client's debug log kept.
type cyberRig struct {
	sim     *zvmsim.Sim
	url     string // the simulated ZVM's
	flavour string
	snap    *snapshot.Snapshot
	text    string // the exposition, as /metrics serves it
	got     map[string]float64
	logs    *testutil.SyncBuffer
}

var cyberSimAt = time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)

func newCyberRig(t *testing.T, flavour string, faults ...zvmsim.Fault) *cyberRig {
	t.Helper()
	sim := simtest.New(t, zvmsim.Options{Flavour: flavour, Profile: "demo", Seed: 5, Username: "admin", Password: "zerto",
		Clock: func() time.Time { return cyberSimAt }})
	simtest.Inject(t, sim, faults...)
	r := &cyberRig{sim: sim, url: simtest.Serve(t, sim, zvmsim.Protected), flavour: flavour, logs: &testutil.SyncBuffer{}}
	logger := log.NewLogfmtLogger(r.logs)
	client, err := zvm.New(zvm.Config{URL: r.url, Username: "admin", Password: "zerto", Timeout: 5 * time.Second, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	set, err := NewSet([]string{"encryption", "ejc", "vpg"}, Config{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r.snap, err = snapshot.NewSource(client, snapshot.Options{Endpoints: set.Endpoints(), Logger: logger}).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(set.CollectorFor(r.snap))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	r.text, r.got = string(testutil.MetricsText(t, mfs)), testutil.Samples(mfs)
	return r
}

// raw reads path from the simulator with a credential of its own (simGet).
func (r *cyberRig) raw(t *testing.T, path string, v any) {
	t.Helper()
	simGet(t, r.flavour, r.url, path, v)
}

func (r *cyberRig) expect(t *testing.T, series string, want float64) {
	t.Helper()
	got, ok := r.got[series]
	switch {
	case !ok:
		t.Errorf("%s absent, want %v", series, want)
	case got != want:
		t.Errorf("%s = %v, want %v", series, got, want)
	}
}

func vpgKey(name, id string) string { return fmt.Sprintf(`{vpg="%s",vpg_id="%s"}`, name, id) }

// TestCyberCollectorsAgainstSimulator checks every encryption and ejc metric against the
// appliance simulator's JSON, converted by hand: 512-byte blocks, GiB, ISO dates, days.
func TestCyberCollectorsAgainstSimulator(t *testing.T) {
	r := newCyberRig(t, zvmsim.FlavourAppliance,
		zvmsim.Fault{Kind: zvmsim.KindEncryptionSuspected, VPG: "CRM", Level: "2"},
		zvmsim.Fault{Kind: zvmsim.KindEJCFailure, VPG: "Exchange"},
		zvmsim.Fault{Kind: zvmsim.KindRepositoryFull, Repository: "ejc-nas-smb", Percent: 93.5})
	for _, c := range []string{"encryption", "ejc", "vpg"} {
		r.expect(t, `zerto_scrape_collector_success{collector="`+c+`"}`, 1)
		r.expect(t, `zerto_scrape_collector_supported{collector="`+c+`"}`, 1)
	}
	r.expect(t, `zerto_encryption_detection_enabled{}`, 1)

	var vpgs []struct{ VpgIdentifier, VpgName string }
	r.raw(t, "/v1/vpgs", &vpgs)
	var suspected []struct {
		Link           struct{ Identifier, Name string }
		SuspicionLevel int
	}
	r.raw(t, "/v1/encryptionDetection/suspected/vpgs", &suspected)
	if len(suspected) != 1 || suspected[0].Link.Name != "CRM" || suspected[0].SuspicionLevel != 2 {
		t.Fatalf("simulator's suspected VPGs: %+v", suspected)
	}
	for _, v := range vpgs {
		want := 0.0
		if v.VpgName == "CRM" {
			want = 1
		}
		r.expect(t, "zerto_vpg_encryption_suspected"+vpgKey(v.VpgName, v.VpgIdentifier), want)
	}
	r.expect(t, `zerto_vpg_encryption_suspicion_level{level="2",vpg="CRM",vpg_id="`+suspected[0].Link.Identifier+`"}`, 1)

	var vms []struct {
		Link           struct{ Identifier, Name string }
		AssociatedVpgs []struct{ Name string }
	}
	r.raw(t, "/v1/encryptionDetection/suspected/vms", &vms)
	if len(vms) == 0 {
		t.Fatal("the simulator suspects no VM of CRM")
	}
	for _, vm := range vms {
		r.expect(t, fmt.Sprintf(`zerto_vm_encryption_suspected{vm="%s",vm_id="%s",vpg="%s"}`, vm.Link.Name, vm.Link.Identifier, vm.AssociatedVpgs[0].Name), 1)
	}

	var metrics []struct {
		Link              struct{ Identifier, Name string }
		EncryptionMetrics struct{ EncryptedData, NonEncryptedData, TrendChangeLevel int64 }
	}
	r.raw(t, "/v1/encryptionDetection/metrics/vpgs", &metrics)
	for _, m := range metrics {
		k := vpgKey(m.Link.Name, m.Link.Identifier)
		r.expect(t, "zerto_vpg_encrypted_data_bytes"+k, float64(m.EncryptionMetrics.EncryptedData*512))
		r.expect(t, "zerto_vpg_unencrypted_data_bytes"+k, float64(m.EncryptionMetrics.NonEncryptedData*512))
		r.expect(t, fmt.Sprintf(`zerto_vpg_encryption_trend_level{level="%d",vpg="%s",vpg_id="%s"}`, m.EncryptionMetrics.TrendChangeLevel, m.Link.Name, m.Link.Identifier), 1)
	}

	var health struct {
		Vpgs []struct {
			VpgId, VpgName                         string
			LtrVpgStatus                           int
			DateOfLastRun, TimeOfLastSuccessfulRun time.Time
			SuccessRate                            struct{ ExpectedRetentionSets, ActualSuccessfulRetentionSets int }
			AlertTips                              struct{ TotalNumberOfErrors, TotalNumberOfWarnings int }
		}
	}
	r.raw(t, "/v1/ltr/health/vpgs", &health)
	failed := false
	for _, h := range health.Vpgs {
		k := vpgKey(h.VpgName, h.VpgId)
		r.expect(t, fmt.Sprintf(`zerto_vpg_ejc_status{status="%d",vpg="%s",vpg_id="%s"}`, h.LtrVpgStatus, h.VpgName, h.VpgId), 1)
		r.expect(t, "zerto_vpg_ejc_expected_retention_sets"+k, float64(h.SuccessRate.ExpectedRetentionSets))
		r.expect(t, "zerto_vpg_ejc_successful_retention_sets"+k, float64(h.SuccessRate.ActualSuccessfulRetentionSets))
		r.expect(t, "zerto_vpg_ejc_last_run_timestamp_seconds"+k, float64(h.DateOfLastRun.Unix()))
		r.expect(t, "zerto_vpg_ejc_last_success_timestamp_seconds"+k, float64(h.TimeOfLastSuccessfulRun.Unix()))
		r.expect(t, "zerto_vpg_ejc_errors"+k, float64(h.AlertTips.TotalNumberOfErrors))
		r.expect(t, "zerto_vpg_ejc_warnings"+k, float64(h.AlertTips.TotalNumberOfWarnings))
		if h.VpgName == "Exchange" {
			failed = h.DateOfLastRun.After(h.TimeOfLastSuccessfulRun) && h.AlertTips.TotalNumberOfErrors == 1
		}
	}
	if !failed {
		t.Error("the ejc_failure fault did not show on Exchange")
	}

	var repos []struct {
		RepositoryName                                  string
		TotalCapacityGB, UsedCapacityGB, FreeCapacityGB *int64
		S3Compatible                                    *struct {
			IsImmutable      bool
			ImmutabilityDays int
		} `json:"S3-Compatible"`
	}
	r.raw(t, "/v1/ltr/repositories", &repos)
	for _, rp := range repos {
		k := `{repository="` + rp.RepositoryName + `"}`
		if rp.TotalCapacityGB == nil {
			if _, ok := r.got["zerto_ejc_repository_capacity_bytes"+k]; ok {
				t.Errorf("%s: capacity exported, the ZVM reports none", rp.RepositoryName)
			}
			continue
		}
		r.expect(t, "zerto_ejc_repository_capacity_bytes"+k, float64(*rp.TotalCapacityGB)*(1<<30))
		r.expect(t, "zerto_ejc_repository_used_bytes"+k, float64(*rp.UsedCapacityGB)*(1<<30))
		r.expect(t, "zerto_ejc_repository_free_bytes"+k, float64(*rp.FreeCapacityGB)*(1<<30))
		if rp.S3Compatible != nil && rp.S3Compatible.IsImmutable {
			r.expect(t, "zerto_ejc_repository_immutable"+k, 1)
			r.expect(t, "zerto_ejc_repository_immutability_seconds"+k, float64(rp.S3Compatible.ImmutabilityDays)*86400)
		} else {
			r.expect(t, "zerto_ejc_repository_immutable"+k, 0)
		}
	}
	// 93.5 % of 20480 GiB, rounded to whole GiB by the ZVM: 19149 GiB.
	r.expect(t, `zerto_ejc_repository_used_bytes{repository="ejc-nas-smb"}`, 19149*(1<<30))
}

// TestCyberCollectorsWindows: a Windows ZVM has neither API; both collectors succeed, emit no
// data and say unsupported.
func TestCyberCollectorsWindows(t *testing.T) {
	r := newCyberRig(t, zvmsim.FlavourWindows)
	for c, want := range map[string]float64{"encryption": 0, "ejc": 0, "vpg": 1} {
		r.expect(t, `zerto_scrape_collector_success{collector="`+c+`"}`, 1)
		r.expect(t, `zerto_scrape_collector_supported{collector="`+c+`"}`, want)
	}
	for k := range r.got {
		if name, _, _ := strings.Cut(k, "{"); strings.Contains(name, "encrypt") || strings.Contains(name, "ejc") {
			t.Errorf("Windows ZVM: %s served", k)
		}
	}
}
