package collector

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "site",
		defaultOn: true,
		help:      "local site identity and WAN throttle, from /v1/localsite",
		owns:      []zvm.Endpoint{zvm.EndpointLocalSite},
		build:     newSiteCollector,
		notes: map[string]string{
			"zerto_site_bandwidth_throttling_bytes_per_second": "A limit, not usage. ×1048576 (MiB/s). Absent when -1 (unlimited).",
		},
	})
}

type siteCollector struct {
	info     *prometheus.Desc
	throttle *prometheus.Desc
}

func newSiteCollector(Config) Collector {
	return &siteCollector{
		info: desc("site", "info",
			"The ZVM's local site, from /v1/localsite SiteIdentifier, SiteName, DisplayVersion (else Version), SiteType and Location.",
			"site_id", "site_name", "version", "site_type", "location"),
		throttle: desc("site", "bandwidth_throttling_bytes_per_second",
			"WAN bandwidth throttle configured for the local site, from /v1/localsite BandwidthThrottlingInMBs.",
		),
	}
}

func (c *siteCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	ls := s.LocalSite
	if ls == nil {
		return errors.New("/v1/localsite returned no site")
	}
	version := ls.DisplayVersion
	if version == "" {
		version = ls.Version
	}
	gauge(ch, c.info, 1, ls.ID(), ls.SiteName, version, ls.SiteType, ls.Location)
	if t, ok := ls.BandwidthThrottlingInMBs.Value(); ok && t >= 0 {
		gauge(ch, c.throttle, t*zvm.MiB)
	}
	return nil
}
