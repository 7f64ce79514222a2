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
		notes: map[string]string{
			"zerto_vpg_journal_volume_used_bytes":        volumeRule,
			"zerto_vpg_journal_volume_provisioned_bytes": volumeRule,
			"zerto_vpg_scratch_volume_used_bytes": "Written by the test VMs of a failover test: a full scratch volume stops the test. " +
				volumeRule,
			"zerto_vpg_scratch_volume_provisioned_bytes": "The size the scratch volumes may grow to. " + volumeRule,
		},
	})
}

type volumeCollector struct {
	journalUsed, journalProvisioned, scratchUsed, scratchProvisioned *prometheus.Desc
}

// volumeSums are the summed sizes of one VPG's journal and scratch volumes.
type volumeSums struct {
	name                                  string
	journalUsed, journalProv, scratchUsed sum
	scratchProv                           sum
}

// volumeRule is the note every volume metric shares.
const volumeRule = "Summed over the VPG's volumes of this site's /v1/volumes (Vpg.Identifier); 0 for a VPG with volumes of the other type only. " +
	"Journal and scratch volumes live at the recovery site: the protected site's ZVM reports no series. Absent when one of the summed sizes is null."

func newVolumeCollector(Config) Collector {
	id := []string{"vpg", "vpg_id"}
	return &volumeCollector{
		journalUsed: desc("vpg", "journal_volume_used_bytes",
			"Space used by the VPG's journal volumes, from /v1/volumes?volumeType=journal Size.UsedInBytes.", id...),
		journalProvisioned: desc("vpg", "journal_volume_provisioned_bytes",
			"Space provisioned for the VPG's journal volumes, from /v1/volumes?volumeType=journal Size.ProvisionedInBytes.", id...),
		scratchUsed: desc("vpg", "scratch_volume_used_bytes",
			"Space used by the VPG's scratch volumes, from /v1/volumes?volumeType=scratch Size.UsedInBytes.", id...),
		scratchProvisioned: desc("vpg", "scratch_volume_provisioned_bytes",
			"Space provisioned for the VPG's scratch volumes, from /v1/volumes?volumeType=scratch Size.ProvisionedInBytes.", id...),
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
			sum.journalUsed.add(v.Size.UsedInBytes)
			sum.journalProv.add(v.Size.ProvisionedInBytes)
		case zvm.VolumeTypeScratch:
			sum.scratchUsed.add(v.Size.UsedInBytes)
			sum.scratchProv.add(v.Size.ProvisionedInBytes)
		}
	}
	ids := make([]string, 0, len(sums))
	for id := range sums {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		sum := sums[id]
		sum.journalUsed.emit(ch, c.journalUsed, sum.name, id)
		sum.journalProv.emit(ch, c.journalProvisioned, sum.name, id)
		sum.scratchUsed.emit(ch, c.scratchUsed, sum.name, id)
		sum.scratchProv.emit(ch, c.scratchProvisioned, sum.name, id)
	}
	return nil
}
