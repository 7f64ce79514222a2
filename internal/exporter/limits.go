package exporter

import (
	"net/http"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// MaxURLLength bounds a request's URL, and so a /probe target: a ZVM's base URL is far shorter,
// and a longer one is refused rather than carried into logs and clients.
const MaxURLLength = 2 << 10

// logURLLength is how much of a refused URL is logged.
const logURLLength = 128

// LimitURL refuses requests whose URL is longer than MaxURLLength with 414, logging the URL
// truncated.
func LimitURL(next http.Handler, logger log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := len(r.RequestURI); n > MaxURLLength {
			level.Warn(logger).Log("msg", "Request URL too long; refused", "length", n, "url_start", r.RequestURI[:logURLLength], "remote", r.RemoteAddr)
			http.Error(w, "URL longer than 2KiB", http.StatusRequestURITooLong)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// LimitMetrics collects the counters of the exporter's bounds on refreshes and logins.
type LimitMetrics struct {
	Gate   *snapshot.Gate
	Logins *zvm.Logins
}

// Describe implements prometheus.Collector.
func (m LimitMetrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- collector.RefreshSlotTimeoutsDesc
	ch <- collector.TokenLifetimeFlooredDesc
}

// Collect implements prometheus.Collector.
func (m LimitMetrics) Collect(ch chan<- prometheus.Metric) {
	var wait, hold uint64
	if s := m.Gate.Stats(); s != nil {
		wait, hold = s.WaitTimeouts.Load(), s.HoldTimeouts.Load()
	}
	ch <- prometheus.MustNewConstMetric(collector.RefreshSlotTimeoutsDesc, prometheus.CounterValue, float64(wait), "wait")
	ch <- prometheus.MustNewConstMetric(collector.RefreshSlotTimeoutsDesc, prometheus.CounterValue, float64(hold), "hold")
	ch <- prometheus.MustNewConstMetric(collector.TokenLifetimeFlooredDesc, prometheus.CounterValue, float64(m.Logins.ShortTokens.Load()))
}
