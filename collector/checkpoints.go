package collector

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "checkpoints",
		defaultOn: false,
		help: "latest and latest tagged checkpoint per VPG, from /v1/vpgs/{vpgIdentifier}/checkpoints/stats and /checkpoints: " +
			"two requests per VPG and refresh, the first refresh reading each whole journal's checkpoint list",
		owns:    []zvm.Endpoint{zvm.EndpointCheckpointStats, zvm.EndpointCheckpoints},
		borrows: []zvm.Endpoint{zvm.EndpointVPGs},
		build:   newCheckpointsCollector,
		notes: map[string]string{
			"zerto_vpg_latest_checkpoint_timestamp_seconds": "The latest point the VPG can be recovered to, by the ZVM's clock. " +
				"Absent while the journal holds no checkpoint.",
			"zerto_vpg_latest_tagged_checkpoint_timestamp_seconds": "A tagged checkpoint has a non-empty Tag: inserted by a user or a script, e.g. before a change. " +
				"The checkpoint list is read incrementally. Absent when the journal holds none.",
		},
	})
}

type checkpointsCollector struct {
	latest, latestTagged *prometheus.Desc
}

func newCheckpointsCollector(Config) Collector {
	id := []string{"vpg", "vpg_id"}
	return &checkpointsCollector{
		latest: desc("vpg", "latest_checkpoint_timestamp_seconds",
			"Time of the newest checkpoint in the VPG's journal, from /v1/vpgs/{vpgIdentifier}/checkpoints/stats Latest.TimeStamp.",
			id...),
		latestTagged: desc("vpg", "latest_tagged_checkpoint_timestamp_seconds",
			"Time of the newest tagged checkpoint in the VPG's journal, from /v1/vpgs/{vpgIdentifier}/checkpoints TimeStamp and Tag.",
			id...),
	}
}

func (c *checkpointsCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	seen := map[string]bool{}
	for i := range s.VPGs {
		v := &s.VPGs[i]
		cp, ok := s.Checkpoints[v.VpgIdentifier]
		if !ok || seen[v.VpgIdentifier] {
			continue
		}
		seen[v.VpgIdentifier] = true
		if !cp.Latest.IsZero() {
			gauge(ch, c.latest, float64(cp.Latest.UnixMilli())/1000, v.VpgName, v.VpgIdentifier)
		}
		if !cp.LatestTagged.IsZero() {
			gauge(ch, c.latestTagged, float64(cp.LatestTagged.UnixMilli())/1000, v.VpgName, v.VpgIdentifier)
		}
	}
	return nil
}
