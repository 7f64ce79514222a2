package zvmsim

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

// discard is a ResponseWriter that throws the body away, so that the
// benchmark measures producing /v1/vms, not buffering it.
type discard struct {
	header http.Header
	n      int64
}

func (d *discard) Header() http.Header { return d.header }
func (d *discard) WriteHeader(int)     {}
func (d *discard) Write(p []byte) (int, error) {
	d.n += int64(len(p))
	return len(p), nil
}

// BenchmarkLargeVMs measures how long the large profile's /v1/vms (10,100
// rows) takes to produce.
func BenchmarkLargeVMs(b *testing.B) {
	zs, err := New(Options{Profile: "large"})
	if err != nil {
		b.Fatal(err)
	}
	handler := zs.Handler(sim.Protected)
	access := fakeJWT(map[string]any{"sub": "bench"})
	zs.auth.issue(access, sim.Protected, zs.opts.Clock())
	req := httptest.NewRequest(http.MethodGet, "/v1/vms", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	b.ReportAllocs()
	for b.Loop() {
		w := &discard{header: http.Header{}}
		handler.ServeHTTP(w, req)
		b.SetBytes(w.n)
	}
}
