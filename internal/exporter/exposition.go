package exporter

import (
	"bytes"
	"errors"
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

// A snapshot is immutable, so its exposition is too: it is encoded and gzipped once per snapshot
// and format, and every scrape until the next refresh is served from those bytes. At 10,000 VMs
// that turns a scrape from gathering and encoding 220,000 series into writing 4 MB.
//
// Only the gzipped body is kept, one per format, shared by every scrape: a scrape that does not
// take gzip (curl, many agents) is served by inflating it as it is written, through a 32 KiB
// buffer, not from a copy. An uncompressed body would be 30 MB at 10,000 VMs; kept, it would add
// that to the live heap and, through the memory limit and GOGC that follow the live heap
// (internal/memlimit), about three times as much to the process's peak.
type expositionCache struct {
	mu sync.Mutex
	// snap is weak, so that an expired snapshot is not kept in memory while the next is read.
	snap   weak.Pointer[snapshot.Snapshot]
	bodies map[expfmt.Format][]byte
	sizes  map[expfmt.Format]int // length of the last body built per format, to size the next one
}

// cacheKey is what a scrape asks for: a format, and whether it takes gzip.
type cacheKey struct {
	format expfmt.Format
	gzip   bool
}

// render returns the gzipped exposition of snap in key's format (whatever key.gzip says: see
// serveExposition), building it with render on first use. render writes the encoded families
// (without the OpenMetrics # EOF) to w, and returns an error for families it had to leave out.
func (c *expositionCache) render(snap *snapshot.Snapshot, key cacheKey, render func(w io.Writer, format expfmt.Format) error, logger log.Logger) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w := weak.Make(snap); c.snap != w || snap == nil {
		c.snap, c.bodies = w, map[expfmt.Format][]byte{}
	}
	if b, ok := c.bodies[key.format]; ok {
		return b
	}
	var buf bytes.Buffer
	// The next snapshot's body is about as long as this one's: one allocation, where growing a
	// buffer by doubling would leave as much garbage again.
	buf.Grow(c.sizes[key.format])
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	if err := render(zw, key.format); err != nil {
		// Partial results are still served, as promhttp's ContinueOnError does.
		level.Warn(logger).Log("msg", "Inconsistent metrics from the ZVM snapshot; serving the rest", "err", err)
	}
	_ = zw.Close()
	zw.Reset(nil)
	gzipWriters.Put(zw)
	b := buf.Bytes()
	c.bodies[key.format] = b
	if c.sizes == nil {
		c.sizes = map[expfmt.Format]int{}
	}
	c.sizes[key.format] = len(b) + len(b)/16
	return b
}

// gzipWriters are reused: a gzip writer allocates about 800 KB of tables, which a scrape of the
// cached exposition, gzipping the exporter's own metrics after it, would otherwise allocate each
// time.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// inflaters serve the cached gzipped bodies to scrapes that do not take gzip: a reader and the
// buffer it writes through.
type inflater struct {
	zr  gzip.Reader
	buf [32 << 10]byte
}

var inflaters = sync.Pool{New: func() any { return new(inflater) }}

// writePlain writes the gzipped body gz to w uncompressed.
func writePlain(w io.Writer, gz []byte) error {
	in := inflaters.Get().(*inflater)
	defer inflaters.Put(in)
	if err := in.zr.Reset(bytes.NewReader(gz)); err != nil {
		return err
	}
	defer in.zr.Reset(bytes.NewReader(nil)) //nolint:errcheck // only drops the reference to gz
	for {
		n, err := in.zr.Read(in.buf[:])
		if n > 0 {
			if _, werr := w.Write(in.buf[:n]); werr != nil {
				return werr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
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
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	zw.Reset(nil)
	gzipWriters.Put(zw)
	return buf.Bytes()
}

// serveExposition writes cached, a gzipped exposition (expositionCache.render), then the live
// families of extra, negotiating the format and gzip as promhttp does.
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
	w.Header().Add("Vary", "Accept-Encoding")
	if gz {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(cached)
		_, _ = w.Write(gzipBytes(tail))
		return
	}
	if err := writePlain(w, cached); err != nil {
		// The body is our own gzip; only a client gone away makes this fail.
		level.Debug(logger).Log("msg", "Writing the exposition failed", "err", err)
		return
	}
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
