package collector

import (
	"bytes"
	"testing"
)

func TestLicenseKeyNeverExported(t *testing.T) {
	reg := scrapeRegistry(t, richSnapshot(t), Config{}, "license")
	if out := exposition(t, reg); bytes.Contains(out, []byte("FIXTURE-LICENSE-KEY")) {
		t.Errorf("licence key in the exposition:\n%s", out)
	}
}

// The fixture's licence expiry date as Unix time.
func TestLicenseConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), fixtureSLA, "license")
	expectSamples(t, mfs, wantSample{"zerto_license_expiry_timestamp_seconds", nil, 1814313600}) // 2027-06-30T00:00:00Z
}
