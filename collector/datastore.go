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
		name:      "datastore",
		defaultOn: true,
		help:      "capacity, free space and Zerto's use of the datastores Zerto uses, from /v1/datastores",
		owns:      []zvm.Endpoint{zvm.EndpointDatastores},
		build:     newDatastoreCollector,
		notes: map[string]string{
			"zerto_datastore_capacity_bytes":   datastoreScope + " Absent when null.",
			"zerto_datastore_free_bytes":       datastoreScope + " Absent when null.",
			"zerto_datastore_zerto_used_bytes": "usage is protected, recovery, journal, scratch or appliances, for Stats.Usage.Zerto.<Usage>. " + datastoreScope + " Absent when null.",
			"zerto_datastore_health_status":    "Values outside the known list are Unknown. " + datastoreScope + " Absent when Health is null.",
		},
	})
}

// datastoreHealthStatuses are the values of /v1/datastores Health.Status (docs/zvm-api.md,
// Datastores).
var datastoreHealthStatuses = []string{"Normal", "NotApplicable", "Warning", "Error"}

var datastoreHealthStates = zvm.StateSet(datastoreHealthStatuses)

type datastoreCollector struct {
	logger                            log.Logger
	capacity, free, zertoUsed, health *prometheus.Desc
}

// datastoreScope says which datastores have series.
const datastoreScope = "Only datastores Zerto uses (Stats.NumVRAs + NumIncomingVMs + NumOutgoingVMs > 0)."

func newDatastoreCollector(cfg Config) Collector {
	return &datastoreCollector{
		logger: cfg.Logger,
		capacity: desc("datastore", "capacity_bytes",
			"Capacity of the datastore, from /v1/datastores Stats.Usage.Datastore.CapacityInBytes.",
			"datastore"),
		free: desc("datastore", "free_bytes",
			"Free space on the datastore, from /v1/datastores Stats.Usage.Datastore.FreeInBytes.",
			"datastore"),
		zertoUsed: desc("datastore", "zerto_used_bytes",
			"Space Zerto uses on the datastore by purpose, from /v1/datastores Stats.Usage.Zerto.<Usage>.UsedInBytes.",
			"datastore", "usage"),
		health: desc("datastore", "health_status",
			"Health of the datastore, from /v1/datastores Health.Status.",
			"datastore", "status"),
	}
}

func (c *datastoreCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	seen := map[string]bool{}
	for i := range s.Datastores {
		d := &s.Datastores[i]
		st := d.Stats
		if st == nil || st.NumVRAs+st.NumIncomingVMs+st.NumOutgoingVMs <= 0 {
			continue
		}
		name := d.DatastoreName
		if seen[name] {
			level.Debug(c.logger).Log("msg", "skipping datastore with a duplicate name", "datastore", name, "datastore_id", d.DatastoreIdentifier)
			continue
		}
		seen[name] = true
		if u := st.Usage; u != nil {
			if ds := u.Datastore; ds != nil {
				if ds.CapacityInBytes != nil {
					gauge(ch, c.capacity, *ds.CapacityInBytes, name)
				}
				if ds.FreeInBytes != nil {
					gauge(ch, c.free, *ds.FreeInBytes, name)
				}
			}
			if z := u.Zerto; z != nil {
				for _, p := range []struct {
					usage string
					space *zvm.SpaceUsage
				}{
					{"protected", z.Protected}, {"recovery", z.Recovery}, {"journal", z.Journal},
					{"scratch", z.Scratch}, {"appliances", z.Appliances},
				} {
					if p.space != nil && p.space.UsedInBytes != nil {
						gauge(ch, c.zertoUsed, *p.space.UsedInBytes, name, p.usage)
					}
				}
			}
		}
		if d.Health != nil {
			current := zvm.Unknown
			for _, h := range datastoreHealthStatuses {
				if d.Health.Status == h {
					current = h
				}
			}
			stateSet(ch, c.health, datastoreHealthStates, current, name)
		}
	}
	return nil
}
