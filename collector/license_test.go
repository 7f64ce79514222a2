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
