package collector

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/fastexpo"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
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

// gaugeOf emits n×factor as a gauge when the ZVM sent n; a null or missing field has no series,
// never a made-up 0.
func gaugeOf[T ~float64 | ~int | ~int64](ch chan<- prometheus.Metric, d *prometheus.Desc, n zvm.Null[T], factor float64, labels ...string) {
	if n.Valid {
		gauge(ch, d, float64(n.V)*factor, labels...)
	}
}

// counterOf is gaugeOf for counters.
func counterOf[T ~float64 | ~int | ~int64](ch chan<- prometheus.Metric, d *prometheus.Desc, n zvm.Null[T], factor float64, labels ...string) {
	if n.Valid {
		counter(ch, d, float64(n.V)*factor, labels...)
	}
}

// sum adds up values; one the ZVM sent as null makes the whole sum unknown.
type sum struct {
	total   float64
	unknown bool
}

func (s *sum) add(n zvm.Null[float64]) {
	if !n.Valid {
		s.unknown = true
	}
	s.total += n.V
}

// emit exports the sum unless a part of it was unknown.
func (s sum) emit(ch chan<- prometheus.Metric, d *prometheus.Desc, labels ...string) {
	if !s.unknown {
		gauge(ch, d, s.total, labels...)
	}
}

// scaled returns the sum multiplied by factor.
func (s sum) scaled(factor float64) sum { return sum{s.total * factor, s.unknown} }
