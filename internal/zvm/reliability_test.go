package zvm

// Reliability of the client against bodies that would exhaust memory or never end (issue 8).

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// allocated runs f and returns how many heap bytes were allocated meanwhile (by every goroutine,
// the test server's included).
func allocated(f func()) uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	f()
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc - before
}

// TestEmptyObjectFlood sends a list of empty objects just under the size cap. Each "{}," is
// three bytes of JSON but a whole struct decoded: without a bound on decoded elements a 1 MiB
// body would take over 100 MiB.
func TestEmptyObjectFlood(t *testing.T) {
	const capBytes = 1 << 20
	body := "[" + strings.Repeat("{},", capBytes/3-1) + "{}]"
	c, _ := serveBody(t, body, func(cfg *Config) { cfg.MaxResponseBytes = capBytes })
	var err error
	alloc := allocated(func() { _, err = ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs}) })
	t.Logf("%d KiB of empty objects: %d KiB allocated: %v", len(body)>>10, alloc>>10, err)
	if err == nil || !strings.Contains(err.Error(), "GET /v1/vpgs: response of at most 1048576 bytes decodes to over") {
		t.Fatalf("err = %v, want the decoded size refused", err)
	}
	// Decoded elements are bounded by the cap; growing the slice by a quarter at a time
	// allocates about five times its final size. Unbounded, this body decodes to 100 MiB.
	if alloc > 16*capBytes {
		t.Errorf("decoding allocated %d KiB for a %d KiB cap, want at most %d KiB", alloc>>10, capBytes>>10, 16*capBytes>>10)
	}

	// A list of the same size whose elements are no smaller than real ones (a VPG is about 2 KiB
	// of JSON) decodes.
	vpg := `{"VpgName":"` + strings.Repeat("v", 1500) + `","VpgIdentifier":"` + strings.Repeat("1", 36) + `","Status":1,"ActualRPO":5},`
	n := capBytes / len(vpg)
	real := "[" + strings.Repeat(vpg, n-1) + strings.TrimSuffix(vpg, ",") + "]"
	c, _ = serveBody(t, real, func(cfg *Config) { cfg.MaxResponseBytes = capBytes })
	if vpgs, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs}); err != nil || len(vpgs) != n {
		t.Fatalf("%d KiB list of %d VPGs: %d decoded, %v", len(real)>>10, n, len(vpgs), err)
	}
}

// TestValueTooBig: one list element, or one object, spanning more than a quarter of the cap is
// refused before a decoder buffers it whole, while a list of the same size made of ordinary
// elements decodes.
func TestValueTooBig(t *testing.T) {
	const capBytes = 8 << 20
	long := `[{"VpgName":"` + strings.Repeat("v", 3<<20) + `"}]`
	c, _ := serveBody(t, long, func(cfg *Config) { cfg.MaxResponseBytes = capBytes })
	if _, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs}); err == nil || !strings.Contains(err.Error(), "response of at most 8388608 bytes: element 0: value too big: over 2097152 bytes") {
		t.Fatalf("err = %v, want the element refused", err)
	}

	vpg := `{"VpgName":"` + strings.Repeat("v", 300) + `","VpgIdentifier":"` + strings.Repeat("1", 36) + `"},`
	n := (3 << 20) / len(vpg)
	many := "[" + strings.Repeat(vpg, n-1) + strings.TrimSuffix(vpg, ",") + "]"
	c, _ = serveBody(t, many, func(cfg *Config) { cfg.MaxResponseBytes = capBytes })
	if vpgs, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs}); err != nil || len(vpgs) != n {
		t.Fatalf("%d KiB list of %d VPGs: %d decoded, %v", len(many)>>10, n, len(vpgs), err)
	}
}

// TestEndlessBody streams a list that never ends: the client stops at the size cap, hangs up
// (the server's writes fail) and allocates about the cap's worth.
func TestEndlessBody(t *testing.T) {
	const capBytes = 256 << 10
	for _, tc := range []struct{ name, elem string }{
		{"empty objects", "{},"},
		{"objects", `{"VpgName":"endless","Status":1,"ActualRPO":3,"ProvisionedStorageInMB":1024},`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, AuthKeycloak)
			chunk := []byte(strings.Repeat(tc.elem, 32<<10/len(tc.elem)))
			var sent atomic.Int64
			done := make(chan struct{})
			f.handle(EndpointVPGs, func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				w.Write([]byte("["))
				for {
					n, err := w.Write(chunk)
					if sent.Add(int64(n)); err != nil {
						return
					}
				}
			})
			c := newTestClient(t, f, func(cfg *Config) { cfg.MaxResponseBytes = capBytes })
			if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil { // log in first
				t.Fatal(err)
			}
			var err error
			start := time.Now()
			alloc := allocated(func() { _, err = ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs}) })
			if err == nil || !strings.Contains(err.Error(), "GET /v1/vpgs: response") || !strings.Contains(err.Error(), "exceeds") && !strings.Contains(err.Error(), "decodes to over") {
				t.Fatalf("err = %v, want the size cap", err)
			}
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("the server is still sending 5 s later: the client did not hang up")
			}
			t.Logf("%v after %v; %d KiB sent, %d KiB allocated", err, time.Since(start), sent.Load()>>10, alloc>>10)
			// The cap bounds both the bytes read and the decoded elements (at least 1 MiB of them).
			if limit := uint64(8 << 20); alloc > limit {
				t.Errorf("allocated %d KiB reading an endless body with a %d KiB cap, want at most %d KiB", alloc>>10, capBytes>>10, limit>>10)
			}
		})
	}
}

// TestEndlessTrickle sends a body a byte at a time, forever: the caller's deadline ends it, and
// a request timeout ends it when the caller has none.
func TestEndlessTrickle(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.handle(EndpointVPGs, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("["))
		for {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	c := newTestClient(t, f, func(cfg *Config) { cfg.Timeout = 400 * time.Millisecond })
	if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		ctx   time.Duration
		bound time.Duration
	}{{"caller deadline", 200 * time.Millisecond, 150 * time.Millisecond}, {"request timeout", 0, 400 * time.Millisecond}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			if tc.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctx)
				defer cancel()
			}
			start := time.Now()
			_, err := ReadAs[[]VPG](ctx, c, Request{Endpoint: EndpointVPGs})
			d := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "GET /v1/vpgs") {
				t.Fatalf("err = %v, want a deadline error naming the endpoint", err)
			}
			// Not retried: a timeout is not a connection failure.
			if d < tc.bound || d > tc.bound+time.Second {
				t.Errorf("took %v, want about %v", d, max(tc.ctx, tc.bound))
			}
		})
	}
}
