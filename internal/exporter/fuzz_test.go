package exporter

import (
	"math"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// FuzzScrapeContext feeds arbitrary X-Prometheus-Scrape-Timeout-Seconds values and offsets: the
// scrape context never panics, never ends before it starts, has a deadline only for a usable
// positive timeout, and that deadline is never later than the header says (nor sooner than
// 100 ms). Its seeds run in every `go test`.
func FuzzScrapeContext(f *testing.F) {
	for _, s := range []string{"", "10", "0.5", "1e-9", "0", "-1", "NaN", "Inf", "+Inf", "-Inf", "1e308", "9223372036", "9223372037",
		"1e9", "3600.5", " 10", "10s", "0x10", "1_0", "٣", "10\x00"} {
		f.Add(s, int64(500))
	}
	f.Add("15", int64(-1000))
	f.Add("15", int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, header string, offsetMS int64) {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.Header["X-Prometheus-Scrape-Timeout-Seconds"] = []string{header}
		offset := time.Duration(offsetMS) * time.Millisecond
		if offsetMS > int64(math.MaxInt64/time.Millisecond) || offsetMS < 0 {
			offset = 500 * time.Millisecond // the flag parser allows only sane offsets
		}
		before := time.Now()
		ctx, cancel := ScrapeContext(r, offset)
		defer cancel()
		if ctx.Err() != nil {
			t.Fatalf("header %q offset %v: context ended at once: %v", header, offset, ctx.Err())
		}
		dl, has := ctx.Deadline()
		secs, err := strconv.ParseFloat(header, 64)
		usable := err == nil && secs > 0
		if has != usable {
			t.Fatalf("header %q: deadline %v, want one: %v", header, has, usable)
		}
		if !has {
			return
		}
		got := dl.Sub(before)
		if got < 100*time.Millisecond-time.Millisecond {
			t.Fatalf("header %q offset %v: deadline in %v, want at least 100ms", header, offset, got)
		}
		want := time.Duration(min(secs, maxScrapeTimeout.Seconds()) * float64(time.Second))
		if got > max(want, 100*time.Millisecond)+time.Second {
			t.Fatalf("header %q offset %v: deadline in %v, later than the header's %v", header, offset, got, want)
		}
	})
}
