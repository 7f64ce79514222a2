package zvmsim

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

func TestOptionsValidation(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Flavour: "linux"}, "unknown flavour"},
		{Options{Profile: "huge"}, "unknown profile"},
		{Options{VMs: 3}, "minimum"},
		{Options{ClientID: "x"}, "together"},
		{Options{ClientID: "zerto-client", ClientSecret: "y"}, "public client"},
		{Options{TokenTTL: -1}, "negative"},
		{Options{SessionIdleTimeout: -1}, "negative"},
	} {
		if _, err := New(tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error about %q", tc.opts, err, tc.want)
		}
	}
	zs, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if o := zs.opts; o.Flavour != FlavourAppliance || o.Profile != "demo" || o.Username != DefaultUsername ||
		o.TokenTTL != DefaultTokenTTL || o.SessionIdleTimeout != DefaultSessionIdleTimeout {
		t.Errorf("defaults %+v", o)
	}
}

func TestProfileSizes(t *testing.T) {
	for _, tc := range []struct {
		profile          string
		vms              int
		vpgs, uniq, vras int
	}{
		{"demo", 0, 24, 120, 8},
		{"small", 0, 100, 500, 20},
		{"large", 0, 2000, 10000, 500},
		{"demo", 1200, 240, 1200, 80},
		{"large", 100, 20, 100, 4},
		{"demo", 5, 2, 5, 2},
	} {
		zs, err := New(Options{Profile: tc.profile, VMs: tc.vms})
		if err != nil {
			t.Fatal(err)
		}
		m := zs.model
		if len(m.Vpgs) != tc.vpgs || m.UniqueVMs != tc.uniq || len(m.Vras) != tc.vras || len(m.Rows) <= m.UniqueVMs {
			t.Errorf("%s/%d: %d VPGs, %d VMs (%d rows), %d VRAs; want %d, %d (and a VM twice), %d",
				tc.profile, tc.vms, len(m.Vpgs), m.UniqueVMs, len(m.Rows), len(m.Vras), tc.vpgs, tc.uniq, tc.vras)
		}
		for _, p := range m.Vpgs {
			if len(p.Rows) == 0 {
				t.Errorf("%s/%d: VPG %s has no VMs", tc.profile, tc.vms, p.Name)
			}
		}
	}
}

func TestDeterministicForASeed(t *testing.T) {
	render := func(seed int64) []byte {
		h := newHarness(t, Options{Seed: seed})
		var out bytes.Buffer
		for _, path := range []string{"/v1/localsite", "/v1/vpgs", "/v1/vms", "/v1/vras", "/v1/datastores", "/v1/reports/recovery"} {
			_, body := h.get(sim.Protected, path)
			// Hrefs carry the test server's random port; drop them.
			out.Write(hrefs.ReplaceAll(body, nil))
		}
		return out.Bytes()
	}
	a, b, c := render(7), render(7), render(8)
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different models")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same model")
	}
}

var hrefs = regexp.MustCompile(`"href":"[^"]*"`)
