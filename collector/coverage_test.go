package collector

import (
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestCoverageMatchesSimulator checks zerto_site_unprotected_vms against /_sim/state in both
// flavours, on either site.
func TestCoverageMatchesSimulator(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	for _, flavour := range flavours {
		for _, role := range []zvmsim.Role{zvmsim.Protected, zvmsim.Recovery} {
			t.Run(flavour+"/"+role.String(), func(t *testing.T) {
				got, st := simScrape(t, flavour, role, at, []string{"coverage"}, nil)
				site := st.Sites[role]
				if site.UnprotectedVMs == 0 {
					t.Fatalf("the simulated %s site leaves no VM unprotected: the test would prove nothing", role)
				}
				expectSample(t, got, testutil.Series("zerto_site_unprotected_vms", "site_name", site.Name), float64(site.UnprotectedVMs))
			})
		}
	}
}
