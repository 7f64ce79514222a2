package collector

import (
	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "peersite",
		defaultOn: true,
		help:      "paired sites: pairing status, WAN throughput, storage, from /v1/peersites",
		owns:      []zvm.Endpoint{zvm.EndpointPeerSites},
		build:     newPeerSiteCollector,
		notes: map[string]string{
			"zerto_peer_site_pairing_status": "Anything but Paired needs attention.",
			"zerto_peer_site_incoming_throughput_bytes_per_second": "The throughput of the applications on the VMs recovering to the peer site. " +
				"×1048576, assuming MiB/s: the unit is disputed, sources say MB/s or Mb/s.",
			"zerto_peer_site_outgoing_bandwidth_bytes_per_second": "×1048576, assuming MiB/s. Meaning and unit are unverified: " +
				"WAN traffic to the peer site, or the site's bandwidth throttle.",
			"zerto_peer_site_storage_provisioned_bytes": "×1048576 (MiB).",
			"zerto_peer_site_storage_used_bytes":        "×1048576 (MiB).",
		},
	})
}

type peerSiteCollector struct {
	logger      log.Logger
	info        *prometheus.Desc
	pairing     *prometheus.Desc
	incoming    *prometheus.Desc
	outgoing    *prometheus.Desc
	provisioned *prometheus.Desc
	used        *prometheus.Desc
}

func newPeerSiteCollector(cfg Config) Collector {
	return &peerSiteCollector{
		logger: cfg.Logger,
		info: desc("peer_site", "info",
			"A site paired with the local site, from /v1/peersites PeerSiteName, SiteIdentifier, Version, Location and SiteType.",
			"peer_site", "peer_site_id", "version", "location", "site_type"),
		pairing: desc("peer_site", "pairing_status",
			"Pairing state of the peer site, from /v1/peersites PairingStatus.",
			"peer_site", "status"),
		incoming: desc("peer_site", "incoming_throughput_bytes_per_second",
			"Incoming throughput of the peer site, from /v1/peersites IncomingThroughputInMb.",
			"peer_site"),
		outgoing: desc("peer_site", "outgoing_bandwidth_bytes_per_second",
			"Outgoing bandwidth of the peer site, from /v1/peersites OutgoingBandWidth.",
			"peer_site"),
		provisioned: desc("peer_site", "storage_provisioned_bytes",
			"Storage provisioned for the VMs of the VPGs recovering to the peer site, from /v1/peersites ProvisionedStorage.",
			"peer_site"),
		used: desc("peer_site", "storage_used_bytes",
			"Storage used by the VMs of the VPGs recovering to the peer site, from /v1/peersites UsedStorage.",
			"peer_site"),
	}
}

func (c *peerSiteCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	pairingStates := s.Enums.States(zvm.FieldPairingStatus)
	seen := make(map[string]bool, len(s.PeerSites))
	for i := range s.PeerSites {
		p := &s.PeerSites[i]
		if seen[p.PeerSiteName] {
			level.Debug(c.logger).Log("msg", "skipping peer site with a duplicate name", "peer_site", p.PeerSiteName, "peer_site_id", p.SiteIdentifier)
			continue
		}
		seen[p.PeerSiteName] = true
		gauge(ch, c.info, 1, p.PeerSiteName, p.SiteIdentifier, p.Version, p.Location, p.SiteType)
		if p.PairingStatus.Valid {
			stateSet(ch, c.pairing, pairingStates, s.Enums.Name(zvm.FieldPairingStatus, p.PairingStatus.V), p.PeerSiteName)
		}
		gaugeOf(ch, c.incoming, p.IncomingThroughputInMb, zvm.MiB, p.PeerSiteName)
		gaugeOf(ch, c.outgoing, p.OutgoingBandWidth, zvm.MiB, p.PeerSiteName)
		gaugeOf(ch, c.provisioned, p.ProvisionedStorage, zvm.MiB, p.PeerSiteName)
		gaugeOf(ch, c.used, p.UsedStorage, zvm.MiB, p.PeerSiteName)
	}
	return nil
}
