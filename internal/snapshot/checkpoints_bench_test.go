package snapshot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// countingWriter counts the body bytes a handler writes.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(b []byte) (int, error) {
	w.n.Add(int64(len(b)))
	return w.ResponseWriter.Write(b)
}

// benchCheckpoints measures refreshes of /v1/vpgs and the checkpoint endpoints against the
// simulator's small profile (100 VPGs, one checkpoint a minute over 4 h to 3 days of history):
// requests and response bytes per refresh, and the refresh's time. first makes every refresh a
// Source's first (the whole journals); otherwise one Source refreshes incrementally.
func benchCheckpoints(b *testing.B, first bool) {
	sim, err := zvmsim.New(zvmsim.Options{Profile: "small", Seed: 1, Username: "admin", Password: "zerto"})
	if err != nil {
		b.Fatal(err)
	}
	var bytes, requests atomic.Int64
	h := sim.Handler(zvmsim.Protected)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		h.ServeHTTP(countingWriter{w, &bytes}, r)
	}))
	defer srv.Close()
	client, err := zvm.New(zvm.Config{URL: srv.URL, Username: "admin", Password: "zerto", Timeout: 30 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Endpoints: []zvm.Endpoint{zvm.EndpointVPGs, zvm.EndpointCheckpointStats, zvm.EndpointCheckpoints}, Concurrency: 4}
	src := NewSource(client, opts)
	refresh := func() {
		snap, err := src.Get(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if err := snap.Err(zvm.EndpointCheckpointStats); err != nil {
			b.Fatal(err)
		}
	}
	refresh() // logs in; primes the incremental source
	bytes.Store(0)
	requests.Store(0)
	b.ResetTimer()
	for range b.N {
		if first {
			src = NewSource(client, opts)
		}
		refresh()
	}
	b.ReportMetric(float64(requests.Load())/float64(b.N), "requests/refresh")
	b.ReportMetric(float64(bytes.Load())/float64(b.N)/1e6, "MB/refresh")
}

func BenchmarkCheckpointsFirstRefresh(b *testing.B)       { benchCheckpoints(b, true) }
func BenchmarkCheckpointsIncrementalRefresh(b *testing.B) { benchCheckpoints(b, false) }
