package collector

import (
	"sort"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "alert",
		defaultOn: true,
		help:      "active Zerto alerts counted by level, entity and help identifier, from /v1/alerts",
		owns:      []zvm.Endpoint{zvm.EndpointAlerts},
		build:     newAlertCollector,
	})
}

type alertCollector struct {
	alerts *prometheus.Desc
}

func newAlertCollector(Config) Collector {
	return &alertCollector{
		alerts: desc("", "alerts",
			"Active Zerto alerts of the ZVM that are not dismissed, counted by /v1/alerts Level, Entity and HelpIdentifier (as sent); a combination with no active alert is absent.",
			"level", "entity", "help_id"),
	}
}

type alertKey struct{ level, entity, helpID string }

func (c *alertCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	counts := map[alertKey]float64{}
	for i := range s.Alerts {
		a := &s.Alerts[i]
		if a.IsDismissed {
			continue
		}
		counts[alertKey{a.Level, a.Entity, a.HelpIdentifier}]++
	}
	keys := make([]alertKey, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.level != b.level {
			return a.level < b.level
		}
		if a.entity != b.entity {
			return a.entity < b.entity
		}
		return a.helpID < b.helpID
	})
	for _, k := range keys {
		gauge(ch, c.alerts, counts[k], k.level, k.entity, k.helpID)
	}
	return nil
}
