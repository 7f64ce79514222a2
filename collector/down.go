package collector

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/fastexpo"
)

// Down returns the whole answer about a ZVM that is down for a caller who must learn nothing
// else, zerto_up 0: a /probe caller is not the operator, and request counts by code, durations or
// collector series would tell it how the target's port answered.
func Down() prometheus.Collector { return downCollector{} }

type downCollector struct{}

func (downCollector) Describe(ch chan<- *prometheus.Desc) { ch <- upDesc }

func (downCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- fastexpo.MustNewConstMetric(upDesc, prometheus.GaugeValue, 0)
}
