package snapshot

import (
	"context"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// TestEndpointTable: each endpoint has one entry with a reader; a read after another endpoint
// names one the table reads whole, and only those reads name one.
func TestEndpointTable(t *testing.T) {
	seen := map[zvm.Endpoint]bool{}
	for _, ep := range Endpoints() {
		if seen[ep] {
			t.Errorf("%s: in the table twice", ep)
		}
		seen[ep] = true
	}
	for _, e := range endpoints {
		if e.read == nil {
			t.Errorf("%s: no reader", e.ep)
		}
		needsAfter := e.mode == ReadPerVPG || e.mode == ReadAfter
		if needsAfter != (e.after != "") {
			t.Errorf("%s: mode %q with after %q", e.ep, e.mode, e.after)
		}
		if e.after != "" {
			if m, _, ok := Mode(e.after); !ok || m != ReadWhole {
				t.Errorf("%s: read after %s, which is read %q (in the table: %v)", e.ep, e.after, m, ok)
			}
		}
	}
	if e, ok := spec(zvm.EndpointLocalSite); !ok || e.mode != ReadProbe {
		t.Errorf("/v1/localsite is not the probe: %+v", e)
	}
	if _, _, ok := Mode("/v1/nothing"); ok {
		t.Error("an endpoint outside the table has a mode")
	}
}

// An endpoint outside the table fails its read with an error naming it; the others are read.
func TestRefreshUnknownEndpoint(t *testing.T) {
	f := newFake()
	snap, err := NewSource(f, Options{Endpoints: []zvm.Endpoint{"/v1/nothing", zvm.EndpointVPGs}}).Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := snap.Err("/v1/nothing"); err == nil || !strings.Contains(err.Error(), "/v1/nothing: no reader") {
		t.Errorf("unknown endpoint: %v", err)
	}
	if err := snap.Err(zvm.EndpointVPGs); err != nil || len(snap.VPGs) != 1 {
		t.Errorf("/v1/vpgs: %v, %d VPGs", err, len(snap.VPGs))
	}
}
