package report

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	promconfig "github.com/prometheus/common/config"
	"github.com/prometheus/common/model"
)

// Prometheus reads the exporter's history through Prometheus's HTTP API.
type Prometheus struct {
	api     v1.API
	url     string        // without credentials, for messages and the report
	timeout time.Duration // of one request
}

// NewPrometheus builds an API client of the Prometheus at rawURL with the HTTP settings of cfg
// (bearer token file, basic auth password file, CA file, as in a Prometheus config); each request
// may take timeout.
func NewPrometheus(rawURL string, cfg promconfig.HTTPClientConfig, timeout time.Duration) (*Prometheus, error) {
	if timeout <= 0 {
		return nil, fmt.Errorf("--prometheus.timeout: must be positive, got %s", timeout)
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--prometheus.url: %q is not an http(s) URL", rawURL)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("prometheus HTTP client settings: %w", err)
	}
	rt, err := promconfig.NewRoundTripperFromConfig(cfg, "zerto_report")
	if err != nil {
		return nil, fmt.Errorf("prometheus HTTP client settings: %w", err)
	}
	c, err := api.NewClient(api.Config{Address: rawURL, RoundTripper: rt})
	if err != nil {
		return nil, fmt.Errorf("--prometheus.url: %w", err)
	}
	return &Prometheus{api: v1.NewAPI(c), url: RedactURL(rawURL), timeout: timeout}, nil
}

// URL is the Prometheus URL without credentials.
func (p *Prometheus) URL() string { return p.url }

// RedactURL drops user information and the query string (which may carry a token) from a URL.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

// explain turns a transport error into one that says Prometheus could not be reached.
func (p *Prometheus) explain(err error, what string) error {
	var netErr net.Error
	var opErr *net.OpError
	if errors.As(err, &opErr) || errors.As(err, &netErr) || strings.Contains(err.Error(), "connection refused") {
		return fmt.Errorf("cannot reach Prometheus at %s (%s): %w", p.url, what, err)
	}
	return fmt.Errorf("prometheus at %s, %s: %w", p.url, what, err)
}

// HasSeries says whether any series matches selector between start and end.
func (p *Prometheus) HasSeries(ctx context.Context, selector string, start, end time.Time) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	sets, _, _, err := p.api.Series(ctx, []string{selector}, start, end, v1.WithLimit(1))
	if err != nil {
		return false, p.explain(err, "series "+selector)
	}
	return len(sets) > 0, nil
}

// QueryRange evaluates q at every step in [start, end].
func (p *Prometheus) QueryRange(ctx context.Context, q string, start, end time.Time, step time.Duration) (model.Matrix, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	v, _, _, err := p.api.QueryRange(ctx, q, v1.Range{Start: start, End: end, Step: step})
	if err != nil {
		return nil, p.explain(err, "query "+q)
	}
	m, ok := v.(model.Matrix)
	if !ok {
		return nil, fmt.Errorf("prometheus at %s: query %s: got a %s, want a matrix", p.url, q, v.Type())
	}
	return m, nil
}
