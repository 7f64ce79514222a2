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
