package collector

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "coverage",
		defaultOn: true,
		help:      "the local site's unprotected VMs, counted from /v1/virtualizationsites/{siteIdentifier}/vms",
		owns:      []zvm.Endpoint{zvm.EndpointUnprotectedVMs},
		build:     newCoverageCollector,
		notes: map[string]string{
			"zerto_site_unprotected_vms": "VMs of the local site's hypervisor that are eligible for protection and in no VPG, templates included as the ZVM lists them. " +
				"{siteIdentifier} is the local site's /v1/localsite SiteIdentifier; site_name is its SiteName.",
		},
	})
}

type coverageCollector struct {
	unprotected *prometheus.Desc
}

func newCoverageCollector(Config) Collector {
	return &coverageCollector{
		unprotected: desc("site", "unprotected_vms",
			"Unprotected VMs of the local site, counted from /v1/virtualizationsites/{siteIdentifier}/vms.",
			"site_name"),
	}
}

func (c *coverageCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	if s.LocalSite == nil {
		return errors.New("/v1/localsite returned no site")
	}
	if !s.OK(zvm.EndpointUnprotectedVMs) {
		return nil // this ZVM has no such endpoint (404): no count, rather than a false 0
	}
	gauge(ch, c.unprotected, float64(len(s.UnprotectedVMs)), s.LocalSite.SiteName)
	return nil
}
