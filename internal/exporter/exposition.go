package exporter

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"weak"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/klauspost/compress/gzip"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
)

// A snapshot is immutable, so its exposition is too: it is encoded once per snapshot and format
// (and gzipped once), and every scrape until the next refresh is served those bytes. At 10,000
// VMs that turns a scrape from gathering and encoding 160,000 series into a copy.
type expositionCache struct {
	mu sync.Mutex
	// snap is weak, so that an expired snapshot is not kept in memory while the next is read.
	snap   weak.Pointer[snapshot.Snapshot]
	bodies map[cacheKey][]byte
	sizes  map[cacheKey]int // length of the last body built per key, to size the next one
}

type cacheKey struct {
	format expfmt.Format
	gzip   bool
}

// render returns the encoded exposition of snap in key's format, building it with render on
// first use. render writes the encoded families (without the OpenMetrics # EOF) to w, and returns
// an error for families it had to leave out.
func (c *expositionCache) render(snap *snapshot.Snapshot, key cacheKey, render func(w io.Writer, format expfmt.Format) error, logger log.Logger) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w := weak.Make(snap); c.snap != w || snap == nil {
		c.snap, c.bodies = w, map[cacheKey][]byte{}
	}
	if b, ok := c.bodies[key]; ok {
		return b
	}
	warn := func(err error) {
		if err != nil {
			// Partial results are still served, as promhttp's ContinueOnError does.
			level.Warn(logger).Log("msg", "Inconsistent metrics from the ZVM snapshot; serving the rest", "err", err)
		}
	}
	// The uncompressed body is kept only when a scrape asked for it: Prometheus takes gzip, and at
	// 10,000 VMs the text is 24 MB against 3 MB gzipped. A gzipped body is compressed as it is
	// built, so the uncompressed one is never held whole.
	plainKey := cacheKey{format: key.format}
	plain, ok := c.bodies[plainKey]
	if !ok && !key.gzip {
		var buf bytes.Buffer
		warn(render(&buf, key.format))
		c.bodies[plainKey] = buf.Bytes()
		return buf.Bytes()
	}
	if !key.gzip {
		return plain
	}
	var buf bytes.Buffer
	buf.Grow(c.sizes[key])
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if ok {
		_, _ = zw.Write(plain)
	} else {
		warn(render(zw, key.format))
	}
	_ = zw.Close()
	gz := buf.Bytes()
	c.bodies[key] = gz
	if c.sizes == nil {
		c.sizes = map[cacheKey]int{}
	}
	c.sizes[key] = len(gz) + len(gz)/16 // the next snapshot's body is about as long
	return gz
}

// encode writes families in format; final closes an OpenMetrics exposition with # EOF.
func encode(mfs []*dto.MetricFamily, format expfmt.Format, final bool) []byte {
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, format)
	for _, mf := range mfs {
		_ = enc.Encode(mf) // writes to memory; an error means a malformed family, which is skipped
	}
	if closer, ok := enc.(expfmt.Closer); ok && final {
		_ = closer.Close()
	}
	return buf.Bytes()
}

// gzipBytes compresses b as one gzip member. Members concatenate into a valid gzip stream, which
// lets a cached part and a fresh part be sent back to back.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// serveExposition writes cached, then the live families of extra, negotiating the format and
// gzip as promhttp does.
func serveExposition(w http.ResponseWriter, r *http.Request, format expfmt.Format, gz bool, cached []byte, extra prometheus.Gatherer, logger log.Logger) {
	var live []*dto.MetricFamily
	if extra != nil {
		var err error
		if live, err = extra.Gather(); err != nil {
			level.Warn(logger).Log("msg", "Gathering the exporter's own metrics failed", "err", err)
		}
	}
	tail := encode(live, format, true)
	w.Header().Set("Content-Type", string(format))
	if gz {
		w.Header().Set("Content-Encoding", "gzip")
		tail = gzipBytes(tail)
	}
	w.Header().Add("Vary", "Accept-Encoding")
	_, _ = w.Write(cached)
	_, _ = w.Write(tail)
}

// acceptsGzip reports whether the client takes a gzip body.
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		if strings.TrimSpace(strings.SplitN(part, ";", 2)[0]) == "gzip" {
			return true
		}
	}
	return false
}
