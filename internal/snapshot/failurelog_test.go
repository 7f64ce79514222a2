package snapshot

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// TestFailureLoggedOncePerKind: an endpoint whose error text changes on every refresh (a request
// id, a timestamp) is logged once while its kind stays the same, and again when the kind changes
// (before, each new text was a warn line per refresh).
func TestFailureLoggedOncePerKind(t *testing.T) {
	f := newFake()
	var buf testutil.SyncBuffer
	s := NewSource(f, Options{Endpoints: []zvm.Endpoint{zvm.EndpointVPGs}, Logger: log.NewLogfmtLogger(&buf)})
	fail := func(err error) {
		f.mu.Lock()
		f.errs[zvm.EndpointVPGs] = err
		f.mu.Unlock()
		if _, err := s.Get(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 20 {
		fail(&zvm.APIError{Endpoint: zvm.EndpointVPGs, StatusCode: 500, Message: fmt.Sprintf("request %d failed", i)})
	}
	if n := strings.Count(buf.String(), "ZVM endpoint failed"); n != 1 {
		t.Fatalf("%d warn lines for 20 HTTP 500s with changing messages, want 1:\n%s", n, buf.String())
	}
	fail(&zvm.APIError{Endpoint: zvm.EndpointVPGs, StatusCode: 503, Message: "maintenance"})
	fail(fmt.Errorf("GET /v1/vpgs: %w", context.DeadlineExceeded))
	if n := strings.Count(buf.String(), "ZVM endpoint failed"); n != 3 {
		t.Fatalf("%d warn lines after two changes of kind, want 3:\n%s", n, buf.String())
	}
}
