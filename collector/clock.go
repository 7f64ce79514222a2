package collector

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "clock",
		defaultOn: true,
		help:      "the ZVM's clock skew against the exporter's, from /v1/serverDateTime/serverDateTimeUtc",
		owns:      []zvm.Endpoint{zvm.EndpointServerTime},
		build:     newClockCollector,
		notes: map[string]string{
			"zerto_zvm_clock_skew_seconds": "Negative when the ZVM's clock is behind. The ZVM's time is compared with the exporter's clock " +
				"at the middle of the request's round trip (request written to first response byte), so the error is at most half that round trip. " +
				"A skewed ZVM clock misdates checkpoints, alerts and reports and can break pairing and token validation.",
		},
	})
}

type clockCollector struct {
	skew *prometheus.Desc
}

func newClockCollector(Config) Collector {
	return &clockCollector{
		skew: desc("zvm", "clock_skew_seconds",
			"How far the ZVM's clock is ahead of the exporter's, from /v1/serverDateTime/serverDateTimeUtc."),
	}
}

func (c *clockCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	if t := s.ServerTime; t != nil {
		gauge(ch, c.skew, t.Skew().Seconds())
	}
	return nil
}
