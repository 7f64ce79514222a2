package collector

import (
	"math"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestVolumeMatchesSimulator checks the volume collector against /_sim/state in both flavours, on
// the recovery site (where journals and scratch volumes live) with a scratch_fill fault: journal
// and scratch bytes summed per VPG, and 0 for the VPGs without scratch volumes.
func TestVolumeMatchesSimulator(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	for _, flavour := range flavours {
		t.Run(flavour, func(t *testing.T) {
			got, st := simScrape(t, flavour, zvmsim.Recovery, at, []string{"volume"}, func(t testing.TB, sim *zvmsim.Sim) {
				simtest.Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindScratchFill, VPG: "SQL-Prod", Percent: 87.5})
			})
			scratch := 0
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
			}
			if scratch != 1 {
				t.Errorf("%d VPGs with scratch volumes, want 1 (SQL-Prod's scratch_fill)", scratch)
			}
		})
	}
}
