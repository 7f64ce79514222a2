package collector

import (
	"errors"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
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

// The state endpoint alone is gone (10.0 U6 moved the setting to the site settings API): the rest
// of the collector works and it stays supported.
func TestEncryptionStateGone(t *testing.T) {
	mfs := scrapeAll(t, unsupportedCyber(richSnapshot(t), zvm.EndpointEncryptionState), nil, "encryption")
	if got := value(t, mfs, "zerto_scrape_collector_supported", map[string]string{"collector": "encryption"}); got != 1 {
		t.Errorf("supported %v, want 1", got)
	}
	if got := value(t, mfs, "zerto_vpg_encryption_suspected", map[string]string{"vpg": "Web-Tier"}); got != 1 {
		t.Errorf("Web-Tier suspected %v, want 1", got)
	}
	absent(t, mfs, "zerto_encryption_detection_enabled", nil)
}

// The suspected lists come from the encryption endpoints; /v1/vpgs only adds the 0s.
func TestEncryptionWithoutVPGs(t *testing.T) {
	mfs := scrapeAll(t, withFetch(richSnapshot(t), zvm.EndpointVPGs, snapshot.Fetch{Err: errors.New("HTTP 503")}), nil, "encryption")
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "encryption"}); got != 1 {
		t.Errorf("success %v with /v1/vpgs failed, want 1", got)
	}
	if n := len(mfs["zerto_vpg_encryption_suspected"].GetMetric()); n != 2 {
		t.Errorf("%d suspected series, want the 2 suspected VPGs only", n)
	}
	absent(t, mfs, "zerto_vpg_encryption_suspected", map[string]string{"vpg": "ERP-Prod"})
}

// Hand-checked conversions of the fixture's cyber-resilience payloads.
func TestCyberConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), nil, "encryption", "ejc")
	vpg := func(name string) map[string]string { return map[string]string{"vpg": name} }
	repo := func(name string) map[string]string { return map[string]string{"repository": name} }
	for _, c := range []struct {
		metric string
		labels map[string]string
		want   float64
	}{
		{"zerto_encryption_detection_enabled", nil, 1},
		{"zerto_vpg_encryption_suspected", vpg("Web-Tier"), 1},    // listed twice, counted once
		{"zerto_vpg_encryption_suspected", vpg("Lab-Sandbox"), 1}, // not in /v1/vpgs: still reported
		{"zerto_vpg_encryption_suspected", vpg("ERP-Prod"), 0},
		{"zerto_vpg_encryption_suspicion_level", map[string]string{"vpg": "Web-Tier", "level": "2"}, 1},
		{"zerto_vpg_encryption_suspicion_level", map[string]string{"vpg": "Lab-Sandbox", "level": "Unknown"}, 1}, // level 7
		{"zerto_vm_encryption_suspected", map[string]string{"vm": "shared-db01", "vpg": "ERP-Prod"}, 1},
		{"zerto_vm_encryption_suspected", map[string]string{"vm": "shared-db01", "vpg": "Web-Tier"}, 1},
		{"zerto_vm_encryption_suspected", map[string]string{"vm": "orphan01", "vpg": ""}, 1},
		{"zerto_vpg_encrypted_data_bytes", vpg("ERP-Prod"), 1048576},     // 2048 blocks × 512
		{"zerto_vpg_unencrypted_data_bytes", vpg("ERP-Prod"), 535822336}, // 1046528 × 512
		{"zerto_vpg_encrypted_data_bytes", vpg("Web-Tier"), 402653184},   // 786432 × 512
		{"zerto_vpg_unencrypted_data_bytes", vpg("Finance-DB"), 0},       // a measured 0
		{"zerto_vpg_encryption_trend_level", map[string]string{"vpg": "Web-Tier", "level": "2"}, 1},
		{"zerto_vpg_encryption_trend_level", map[string]string{"vpg": "Finance-DB", "level": "Unknown"}, 1}, // null
		{"zerto_vpg_ejc_status", map[string]string{"vpg": "Finance-DB", "status": "2"}, 1},
		{"zerto_vpg_ejc_expected_retention_sets", vpg("Finance-DB"), 7},
		{"zerto_vpg_ejc_successful_retention_sets", vpg("Finance-DB"), 5},
		{"zerto_vpg_ejc_last_run_timestamp_seconds", vpg("Finance-DB"), 1795568400},     // 2026-11-25T01:00:00Z
		{"zerto_vpg_ejc_last_success_timestamp_seconds", vpg("Finance-DB"), 1795395600}, // 2026-11-23T01:00:00Z
		{"zerto_vpg_ejc_errors", vpg("Finance-DB"), 1},
		{"zerto_vpg_ejc_warnings", vpg("ERP-Prod"), 1},
		{"zerto_ejc_repository_capacity_bytes", repo("ejc-minio"), 51200 << 30},
		{"zerto_ejc_repository_used_bytes", repo("ejc-minio"), 20480 << 30},
		{"zerto_ejc_repository_free_bytes", repo("ejc-minio"), 30720 << 30},
		{"zerto_ejc_repository_capacity_bytes", repo("ejc-nas"), 20480 << 30}, // from RepositoryState
		{"zerto_ejc_repository_free_bytes", repo("ejc-nas"), 1024 << 30},
		{"zerto_ejc_repository_immutable", repo("ejc-minio"), 1},
		{"zerto_ejc_repository_immutability_seconds", repo("ejc-minio"), 30 * 86400},
		{"zerto_ejc_repository_immutable", repo("ejc-nas"), 0},   // SMB
		{"zerto_ejc_repository_immutable", repo("ejc-azure"), 0}, // IsImmutable false
	} {
		if got := value(t, mfs, c.metric, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.metric, c.labels, got, c.want)
		}
	}
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
