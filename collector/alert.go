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
		help:      "active Zerto alerts counted by level, entity and help identifier, and by the VPGs they affect, from /v1/alerts (and /v1/vpgs for the VPG names)",
		owns:      []zvm.Endpoint{zvm.EndpointAlerts},
		borrows:   []zvm.Endpoint{zvm.EndpointVPGs},
		build:     newAlertCollector,
		notes: map[string]string{
			"zerto_alerts": "Counts the alerts that are not dismissed, by Level, Entity and HelpIdentifier as sent. " +
				"A combination with no active alert is absent.",
			"zerto_vpg_alerts": "Counts the alerts that are not dismissed by Level and HelpIdentifier, once per VPG they name in AffectedVpgs. " +
				"vpg is the VPG's /v1/vpgs VpgName, empty for an id /v1/vpgs does not list. " +
				"Absent when /v1/vpgs failed, and for VPGs without such an alert.",
		},
	})
}

type alertCollector struct {
	alerts    *prometheus.Desc
	vpgAlerts *prometheus.Desc
}

func newAlertCollector(Config) Collector {
	return &alertCollector{
		alerts: desc("", "alerts",
			"Active Zerto alerts of the ZVM, from /v1/alerts Level, Entity and HelpIdentifier.",
			"level", "entity", "help_id"),
		vpgAlerts: desc("vpg", "alerts",
			"Active Zerto alerts that affect the VPG, from /v1/alerts AffectedVpgs, Level and HelpIdentifier.",
			"vpg", "vpg_id", "level", "help_id"),
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
	if s.OK(zvm.EndpointVPGs) {
		c.updateVPGs(s, ch)
	}
	return nil
}

type vpgAlertKey struct{ id, level, helpID string }

// updateVPGs counts the active alerts that affect each VPG, so that an alert can be routed to the
// VPG's owner.
func (c *alertCollector) updateVPGs(s *snapshot.Snapshot, ch chan<- prometheus.Metric) {
	names := make(map[string]string, len(s.VPGs))
	for i := range s.VPGs {
		names[s.VPGs[i].VpgIdentifier] = s.VPGs[i].VpgName
	}
	counts := map[vpgAlertKey]float64{}
	for i := range s.Alerts {
		a := &s.Alerts[i]
		if a.IsDismissed {
			continue
		}
		seen := map[string]bool{} // a VPG listed twice in one alert counts once
		for _, v := range a.AffectedVpgs {
			if v.Identifier != "" && !seen[v.Identifier] {
				seen[v.Identifier] = true
				counts[vpgAlertKey{v.Identifier, a.Level, a.HelpIdentifier}]++
			}
		}
	}
	for k, n := range counts {
		gauge(ch, c.vpgAlerts, n, names[k.id], k.id, k.level, k.helpID)
	}
}
