package collector

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "license",
		defaultOn: true,
		help:      "licence type, expiry and VM usage, from /v1/license",
		owns:      []zvm.Endpoint{zvm.EndpointLicense},
		build:     newLicenseCollector,
		notes: map[string]string{
			"zerto_license_expiry_timestamp_seconds": "Absent when not set.",
		},
	})
}

// The licence key is never read: the wire model does not even decode it.
type licenseCollector struct {
	info, expiry, maxVMs, protectedVMs *prometheus.Desc
}

func newLicenseCollector(Config) Collector {
	return &licenseCollector{
		info: desc("license", "info",
			"The site's Zerto licence, from /v1/license Details.LicenseType.",
			"license_type"),
		expiry: desc("license", "expiry_timestamp_seconds",
			"Expiry time of the licence, from /v1/license Details.ExpiryTime.",
		),
		maxVMs: desc("license", "max_vms",
			"Number of VMs the licence allows, from /v1/license Details.MaxVms.",
		),
		protectedVMs: desc("license", "protected_vms",
			"Number of VMs counted against the licence, from /v1/license Usage.TotalVmsCount.",
		),
	}
}

func (c *licenseCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	l := s.License
	if l == nil {
		return nil
	}
	if d := l.Details; d != nil {
		gauge(ch, c.info, 1, d.LicenseType)
		if d.ExpiryTime.Valid() {
			gauge(ch, c.expiry, unixSeconds(d.ExpiryTime))
		}
		gaugeOf(ch, c.maxVMs, d.MaxVms, 1)
	}
	if u := l.Usage; u != nil {
		gaugeOf(ch, c.protectedVMs, u.TotalVmsCount, 1)
	}
	return nil
}
