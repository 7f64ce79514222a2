package collector

import (
	"sort"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "volume",
		defaultOn: true,
		help:      "journal and scratch volume sizes per VPG, from /v1/volumes (two requests: volumeType=journal and scratch)",
		owns:      []zvm.Endpoint{zvm.EndpointVolumes},
		build:     newVolumeCollector,
	})
}

type volumeCollector struct {
	journalUsed, journalProvisioned, scratchUsed, scratchProvisioned *prometheus.Desc
}

// volumeSums are the summed sizes of one VPG's journal and scratch volumes.
type volumeSums struct {
	name                                  string
	journalUsed, journalProv, scratchUsed float64
	scratchProv                           float64
}

const volumeRule = " summed over the VPG's volumes of this site's /v1/volumes (Vpg.Identifier); 0 for a VPG with volumes of the other type only. " +
	"Journal and scratch volumes live at the recovery site: the protected site's ZVM reports no series."

func newVolumeCollector(Config) Collector {
	id := []string{"vpg", "vpg_id"}
	return &volumeCollector{
		journalUsed: desc("vpg", "journal_volume_used_bytes",
			"Space used by the VPG's journal volumes, from /v1/volumes?volumeType=journal Size.UsedInBytes,"+volumeRule, id...),
		journalProvisioned: desc("vpg", "journal_volume_provisioned_bytes",
			"Space provisioned for the VPG's journal volumes, from /v1/volumes?volumeType=journal Size.ProvisionedInBytes,"+volumeRule, id...),
		scratchUsed: desc("vpg", "scratch_volume_used_bytes",
			"Space used by the VPG's scratch volumes (written by the test VMs of a failover test; a full scratch volume stops the test), from /v1/volumes?volumeType=scratch Size.UsedInBytes,"+volumeRule, id...),
		scratchProvisioned: desc("vpg", "scratch_volume_provisioned_bytes",
			"Space the VPG's scratch volumes may grow to, from /v1/volumes?volumeType=scratch Size.ProvisionedInBytes,"+volumeRule, id...),
	}
}

func (c *volumeCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	sums := map[string]*volumeSums{}
	for i := range s.Volumes {
		v := &s.Volumes[i]
		if v.Vpg == nil || v.Vpg.Identifier == "" || v.Size == nil {
			continue
		}
		sum := sums[v.Vpg.Identifier]
		if sum == nil {
			sum = &volumeSums{name: v.Vpg.Name}
			sums[v.Vpg.Identifier] = sum
		}
		switch v.VolumeType {
		case zvm.VolumeTypeJournal:
			sum.journalUsed += v.Size.UsedInBytes
			sum.journalProv += v.Size.ProvisionedInBytes
		case zvm.VolumeTypeScratch:
			sum.scratchUsed += v.Size.UsedInBytes
			sum.scratchProv += v.Size.ProvisionedInBytes
		}
	}
	ids := make([]string, 0, len(sums))
	for id := range sums {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		sum := sums[id]
		gauge(ch, c.journalUsed, sum.journalUsed, sum.name, id)
		gauge(ch, c.journalProvisioned, sum.journalProv, sum.name, id)
		gauge(ch, c.scratchUsed, sum.scratchUsed, sum.name, id)
		gauge(ch, c.scratchProvisioned, sum.scratchProv, sum.name, id)
	}
	return nil
}
