package collector

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

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
				expectSample(t, got, testutil.Series("zerto_vpg_latest_checkpoint_timestamp_seconds", id...), want)
				want = math.NaN()
				if v.LatestTaggedCheckpoint != nil {
					want = float64(v.LatestTaggedCheckpoint.UnixMilli()) / 1000
					tagged++
				}
				expectSample(t, got, testutil.Series("zerto_vpg_latest_tagged_checkpoint_timestamp_seconds", id...), want)
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
