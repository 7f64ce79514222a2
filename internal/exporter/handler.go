package exporter

import (
	"context"
	stdlog "log"
	"net/http"
	"strconv"
	"time"

	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ScrapeContext derives a scrape's context from Prometheus's X-Prometheus-Scrape-Timeout-Seconds
// header less offset, so a slow ZVM yields a partial scrape instead of one Prometheus abandons.
func ScrapeContext(r *http.Request, offset time.Duration) (context.Context, context.CancelFunc) {
	if v := r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds"); v != "" {
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs > 0 {
			timeout := time.Duration(secs*float64(time.Second)) - offset
			if timeout < 100*time.Millisecond {
				timeout = 100 * time.Millisecond
			}
			return context.WithTimeout(r.Context(), timeout)
		}
	}
	return context.WithCancel(r.Context())
}

// MetricsHandler serves one target's scrape together with the exporter's own metrics.
func MetricsHandler(t *Target, self prometheus.Gatherer, offset time.Duration, logger log.Logger) http.Handler {
	errLog := stdlog.New(log.NewStdlibAdapter(log.With(logger, "component", "promhttp")), "", 0)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := ScrapeContext(r, offset)
		defer cancel()
		g := prometheus.Gatherers{t.Gatherer(ctx), self}
		promhttp.HandlerFor(g, promhttp.HandlerOpts{
			ErrorLog:      errLog,
			ErrorHandling: promhttp.ContinueOnError,
		}).ServeHTTP(w, r)
	})
}
