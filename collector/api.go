package collector

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// APIMetrics counts and times the exporter's requests to one ZVM. It is the client's
// zvm.Observer, so the client itself never depends on Prometheus.
type APIMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewAPIMetrics returns empty request metrics for one ZVM.
func NewAPIMetrics() *APIMetrics {
	return &APIMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zerto_exporter_api_requests_total",
			Help: "HTTP requests to the ZVM API by endpoint path template and status code.",
		}, []string{"endpoint", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "zerto_exporter_api_request_duration_seconds",
			Help:    "Duration of HTTP requests to the ZVM API by endpoint path template.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"endpoint"}),
	}
}

// ObserveRequest implements zvm.Observer.
func (m *APIMetrics) ObserveRequest(endpoint zvm.Endpoint, code string, d time.Duration) {
	m.requests.WithLabelValues(string(endpoint), code).Inc()
	m.duration.WithLabelValues(string(endpoint)).Observe(d.Seconds())
}

// Describe implements prometheus.Collector.
func (m *APIMetrics) Describe(ch chan<- *prometheus.Desc) {
	m.requests.Describe(ch)
	m.duration.Describe(ch)
}

// Collect implements prometheus.Collector.
func (m *APIMetrics) Collect(ch chan<- prometheus.Metric) {
	m.requests.Collect(ch)
	m.duration.Collect(ch)
}
