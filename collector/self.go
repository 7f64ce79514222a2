package collector

import "github.com/prometheus/client_golang/prometheus"

// The exporter's process-level metrics that the collectors do not emit: the exporter's reload and
// /probe code updates them, and docs/metrics.md lists them with the rest.

// NewReloadGauges returns zerto_exporter_config_last_reload_successful and
// zerto_exporter_config_last_reload_success_timestamp_seconds, set by whoever loads --config.file.
func NewReloadGauges() (lastOK, lastSuccess prometheus.Gauge) {
	return prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zerto_exporter_config_last_reload_successful",
			Help: "1 when the last load of --config.file succeeded, else 0.",
		}), prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zerto_exporter_config_last_reload_success_timestamp_seconds",
			Help: "Unix time of the last successful load of --config.file.",
		})
}

// ProbeTargetsDesc describes zerto_exporter_probe_targets, the number of targets /probe keeps.
var ProbeTargetsDesc = prometheus.NewDesc("zerto_exporter_probe_targets",
	"ZVM targets that /probe keeps between probes.", nil, nil)

// ProbeTargetsDroppedDesc describes zerto_exporter_probe_targets_dropped_total.
var ProbeTargetsDroppedDesc = prometheus.NewDesc("zerto_exporter_probe_targets_dropped_total",
	"/probe targets dropped with their sessions, by reason (idle, capacity or reload).",
	[]string{"reason"}, nil)

// RefreshSlotTimeoutsDesc describes zerto_exporter_refresh_slot_timeouts_total.
var RefreshSlotTimeoutsDesc = prometheus.NewDesc("zerto_exporter_refresh_slot_timeouts_total",
	"ZVM refreshes cut by their scrape's deadline, by stage (wait for a refresh slot, or hold one).",
	[]string{"stage"}, nil)

// TokenLifetimeFlooredDesc describes zerto_exporter_token_lifetime_floored_total.
var TokenLifetimeFlooredDesc = prometheus.NewDesc("zerto_exporter_token_lifetime_floored_total",
	"Keycloak tokens whose expires_in was below the 30 s floor, renewed as if it were the floor.",
	nil, nil)

// HTTPConnectionsClosedDesc describes zerto_exporter_http_idle_connections_closed_total.
var HTTPConnectionsClosedDesc = prometheus.NewDesc("zerto_exporter_http_idle_connections_closed_total",
	"Idle HTTP connections to the exporter closed to stay within --web.max-connections.",
	nil, nil)
