package collector

import "github.com/prometheus/client_golang/prometheus"

// The exporter's metrics about itself that no collector emits. They are defined here, beside the
// collectors, so that docs/metrics.md lists them with the rest.

// NewReloadGauges returns zerto_exporter_config_last_reload_successful and
// zerto_exporter_config_last_reload_success_timestamp_seconds, set by whoever loads --config.file.
func NewReloadGauges() (lastOK, lastSuccess prometheus.Gauge) {
	return prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zerto_exporter_config_last_reload_successful",
			Help: "zerto_exporter: 1 when the last load of --config.file succeeded.",
		}), prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zerto_exporter_config_last_reload_success_timestamp_seconds",
			Help: "zerto_exporter: time of the last successful load of --config.file.",
		})
}

// ProbeTargetsDesc describes zerto_exporter_probe_targets, the number of targets /probe keeps.
var ProbeTargetsDesc = prometheus.NewDesc("zerto_exporter_probe_targets",
	"zerto_exporter: ZVM targets kept between probes (with their sessions and snapshot caches).", nil, nil)

// ProbeTargetsDroppedDesc describes zerto_exporter_probe_targets_dropped_total.
var ProbeTargetsDroppedDesc = prometheus.NewDesc("zerto_exporter_probe_targets_dropped_total",
	"zerto_exporter: /probe targets dropped with their sessions, by reason: idle (not probed for --probe.idle-expiry), capacity (the least recently probed, beyond --probe.max-targets) or reload.",
	[]string{"reason"}, nil)

// RefreshSlotTimeoutsDesc describes zerto_exporter_refresh_slot_timeouts_total.
var RefreshSlotTimeoutsDesc = prometheus.NewDesc("zerto_exporter_refresh_slot_timeouts_total",
	"zerto_exporter: ZVM refreshes cut by their scrape's deadline, by stage: wait (no refresh slot free in time) or hold (still refreshing).",
	[]string{"stage"}, nil)

// TokenLifetimeFlooredDesc describes zerto_exporter_token_lifetime_floored_total.
var TokenLifetimeFlooredDesc = prometheus.NewDesc("zerto_exporter_token_lifetime_floored_total",
	"zerto_exporter: Keycloak tokens whose expires_in was below the 30 s floor and was renewed as if it were 30 s.",
	nil, nil)

// HTTPConnectionsClosedDesc describes zerto_exporter_http_idle_connections_closed_total.
var HTTPConnectionsClosedDesc = prometheus.NewDesc("zerto_exporter_http_idle_connections_closed_total",
	"zerto_exporter: idle HTTP connections to the exporter closed, oldest first, to stay within --web.max-connections.",
	nil, nil)
