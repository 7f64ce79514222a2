package exporter

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// maxScrapeTimeout caps the scrape timeout header. Beyond time.Duration's range ("Inf", "1e308")
// the float conversion is implementation-defined: on amd64 it yields the most negative duration,
// which less the offset would wrap around to a deadline centuries away, or without an offset
// become the 100 ms minimum.
const maxScrapeTimeout = time.Hour

// ScrapeContext derives a scrape's context from Prometheus's X-Prometheus-Scrape-Timeout-Seconds
// header less offset, so a slow ZVM yields a partial scrape instead of one Prometheus abandons.
func ScrapeContext(r *http.Request, offset time.Duration) (context.Context, context.CancelFunc) {
	if v := r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds"); v != "" {
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs > 0 { // NaN fails secs > 0
			secs = min(secs, maxScrapeTimeout.Seconds())
			timeout := max(time.Duration(secs*float64(time.Second))-offset, 100*time.Millisecond)
			return context.WithTimeout(r.Context(), timeout)
		}
	}
	return context.WithCancel(r.Context())
}

// MetricsHandler serves one target's scrape together with the exporter's own metrics.
func MetricsHandler(t *Target, self prometheus.Gatherer, offset time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.ServeScrape(w, r, self, offset)
	})
}
