package collector

import (
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestClockMatchesSimulator checks zerto_zvm_clock_skew_seconds against /_sim/state in both
// flavours with a clock_skew fault on each site: the recovery site's ZVM reports its own skew, not
// the protected site's.
func TestClockMatchesSimulator(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	for _, flavour := range flavours {
		t.Run(flavour, func(t *testing.T) {
			got, st := simScrape(t, flavour, zvmsim.Recovery, at, []string{"clock"}, func(t testing.TB, sim *zvmsim.Sim) {
				simtest.Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindClockSkew, Seconds: -75, Site: "recovery"},
					zvmsim.Fault{Kind: zvmsim.KindClockSkew, Seconds: 20, Site: "protected"})
			})
			if st.Sites[zvmsim.Recovery].ClockSkewSeconds != -75 {
				t.Errorf("simulated recovery-site skew %v, want -75", st.Sites[zvmsim.Recovery].ClockSkewSeconds)
			}
			expectSample(t, got, "zerto_zvm_clock_skew_seconds{}", -75)
		})
	}
}
