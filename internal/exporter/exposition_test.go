package exporter

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
)

func testRegistries() (cached, live *prometheus.Registry) {
	cached = prometheus.NewRegistry()
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "zerto_vpg_actual_rpo_seconds", Help: "RPO."}, []string{"vpg"})
	g.WithLabelValues("web").Set(7)
	g.WithLabelValues("db").Set(12)
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "zerto_exporter_api_requests_total", Help: "Requests."})
	c.Add(3)
	cached.MustRegister(g, c)
	live = prometheus.NewRegistry()
	l := prometheus.NewGauge(prometheus.GaugeOpts{Name: "zerto_exporter_probe_targets", Help: "Targets."})
	l.Set(2)
	live.MustRegister(l)
	return cached, live
}

// serve runs one request through the cache and serveExposition.
func serve(t *testing.T, c *expositionCache, snap *snapshot.Snapshot, gathers *int, hdr http.Header) *http.Response {
	t.Helper()
	cached, live := testRegistries()
	r := httptest.NewRequest("GET", "/metrics", nil)
	r.Header = hdr
	key := cacheKey{format: expfmt.NegotiateAccept(r.Header, expfmt.DefaultOpenMetricsAcceptedFormats()...), gzip: acceptsGzip(r)}
	body := gatherExposition(c, snap, key, func() ([]*dto.MetricFamily, error) { *gathers++; return cached.Gather() }, log.NewNopLogger())
	w := httptest.NewRecorder()
	serveExposition(w, r, key.format, key.gzip, body, live, log.NewNopLogger())
	return w.Result()
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	var rd io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		rd = zr
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// promhttpBody is what promhttp serves for the same metrics, the reference for our bytes.
func promhttpBody(t *testing.T, hdr http.Header, gatherers ...prometheus.Gatherer) (string, string) {
	t.Helper()
	r := httptest.NewRequest("GET", "/metrics", nil)
	r.Header = hdr
	w := httptest.NewRecorder()
	promhttp.HandlerFor(prometheus.Gatherers(gatherers), promhttp.HandlerOpts{EnableOpenMetrics: true}).ServeHTTP(w, r)
	return readBody(t, w.Result()), w.Result().Header.Get("Content-Type")
}

func TestExpositionMatchesPromhttp(t *testing.T) {
	for name, hdr := range map[string]http.Header{
		"text":        {},
		"text gzip":   {"Accept-Encoding": {"gzip"}},
		"openmetrics": {"Accept": {"application/openmetrics-text; version=1.0.0"}},
		"om gzip":     {"Accept": {"application/openmetrics-text; version=1.0.0"}, "Accept-Encoding": {"gzip, deflate"}},
	} {
		t.Run(name, func(t *testing.T) {
			var c expositionCache
			gathers := 0
			resp := serve(t, &c, &snapshot.Snapshot{}, &gathers, hdr)
			got := readBody(t, resp)
			// Our order is the snapshot's families, then the live ones; compare per part.
			cached, live := testRegistries()
			wantCached, wantType := promhttpBody(t, hdr, cached)
			wantLive, _ := promhttpBody(t, hdr, live)
			want := strings.TrimSuffix(wantCached, "# EOF\n") + wantLive
			if got != want {
				t.Errorf("body differs from promhttp's:\n got: %q\nwant: %q", got, want)
			}
			if ct := resp.Header.Get("Content-Type"); ct != wantType {
				t.Errorf("Content-Type %q, promhttp says %q", ct, wantType)
			}
			if strings.Count(got, "# EOF") > 1 {
				t.Error("more than one # EOF")
			}
		})
	}
}

func TestExpositionEncodedOncePerSnapshot(t *testing.T) {
	var c expositionCache
	gathers := 0
	snap := &snapshot.Snapshot{}
	gz := http.Header{"Accept-Encoding": {"gzip"}}
	first := readBody(t, serve(t, &c, snap, &gathers, http.Header{}))
	for range 5 {
		if got := readBody(t, serve(t, &c, snap, &gathers, http.Header{})); got != first {
			t.Fatal("cached body changed")
		}
		if got := readBody(t, serve(t, &c, snap, &gathers, gz)); got != first {
			t.Fatal("gzip body differs from plain")
		}
	}
	if gathers != 1 {
		t.Errorf("gathered %d times for one snapshot and format, want 1", gathers)
	}
	serve(t, &c, &snapshot.Snapshot{}, &gathers, http.Header{})
	if gathers != 2 {
		t.Errorf("a new snapshot did not re-gather (%d)", gathers)
	}
	var buf bytes.Buffer
	buf.WriteString(first)
	if !strings.Contains(buf.String(), "zerto_exporter_probe_targets 2") || !strings.Contains(buf.String(), `zerto_vpg_actual_rpo_seconds{vpg="web"} 7`) {
		t.Errorf("body lacks a part:\n%s", first)
	}
}

// gatherExposition is c.render for a gathered exposition: it returns the encoded exposition of
// snap in key's format, building it with gather on first use.
func gatherExposition(c *expositionCache, snap *snapshot.Snapshot, key cacheKey, gather func() ([]*dto.MetricFamily, error), logger log.Logger) []byte {
	return c.render(snap, key, func(w io.Writer, format expfmt.Format) error {
		mfs, err := gather()
		_, _ = w.Write(encode(mfs, format, false))
		return err
	}, logger)
}
