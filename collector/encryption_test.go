package collector

import (
	"errors"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

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
