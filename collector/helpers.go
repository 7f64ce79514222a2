package collector

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/fastexpo"
)

// desc builds a zerto_<subsystem>_<name> descriptor.
func desc(subsystem, name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, subsystem, name), help, labels, nil)
}

// gauge emits a gauge sample.
func gauge(ch chan<- prometheus.Metric, d *prometheus.Desc, v float64, labels ...string) {
	ch <- fastexpo.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

// stateSet emits one series per state of states (the enum table plus Unknown), 1 for current.
// The state label is the last label of d.
func stateSet(ch chan<- prometheus.Metric, d *prometheus.Desc, states []string, current string, labels ...string) {
	lv := make([]string, len(labels)+1)
	copy(lv, labels)
	for _, st := range states {
		v := 0.0
		if st == current {
			v = 1
		}
		lv[len(labels)] = st
		ch <- fastexpo.MustNewConstMetric(d, prometheus.GaugeValue, v, lv...)
	}
}
