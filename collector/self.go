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
