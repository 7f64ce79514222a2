package simtest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestNew: a simulator from good options; bad options fail the test with the simulator's reason.
func TestNew(t *testing.T) {
	if sim := New(t, zvmsim.Options{Seed: 3}); len(sim.State().VPGs) == 0 {
		t.Error("the demo simulator has no VPGs")
	}
	r := &testutil.Recorder{TB: t}
	r.Run(func(tb testing.TB) { New(tb, zvmsim.Options{Flavour: "linux"}) })
	if f := r.Failures(); len(f) != 1 || !strings.Contains(f[0], "linux") {
		t.Errorf("New with a bad flavour: failures %q, want one naming it", f)
	}
}

// TestServe: the URL serves the site's ZVM until the test that asked for it ends.
func TestServe(t *testing.T) {
	sim := New(t, zvmsim.Options{Seed: 3})
	var url string
	t.Run("served", func(t *testing.T) {
		url = Serve(t, sim, zvmsim.Recovery)
		resp, err := http.Get(url + "/_sim/state")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /_sim/state: %s", resp.Status)
		}
	})
	if resp, err := http.Get(url + "/_sim/state"); err == nil {
		resp.Body.Close()
		t.Error("still served after the test that asked for it ended")
	}
}

// TestInject: the faults are active in the order given, with the ids returned; a fault the
// simulator refuses fails the test, and those after it are not injected.
func TestInject(t *testing.T) {
	sim := New(t, zvmsim.Options{Seed: 3})
	vpg := sim.State().VPGs[0].Name
	ids := Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindRPOBreach, VPG: vpg, RPOSeconds: 900},
		zvmsim.Fault{Kind: zvmsim.KindHTTPError, Endpoint: "/v1/vms", Status: 503})
	active := sim.State().Faults
	if len(ids) != 2 || len(active) != 2 || active[0].ID != ids[0] || active[1].ID != ids[1] {
		t.Fatalf("ids %v, active faults %+v", ids, active)
	}

	r := &testutil.Recorder{TB: t}
	r.Run(func(tb testing.TB) {
		Inject(tb, sim, zvmsim.Fault{Kind: zvmsim.KindRPOBreach, VPG: "no-such-vpg", RPOSeconds: 900},
			zvmsim.Fault{Kind: zvmsim.KindExpireCredentials})
	})
	if f := r.Failures(); len(f) != 1 || !strings.Contains(f[0], "no-such-vpg") {
		t.Errorf("a refused fault: failures %q, want one naming it", f)
	}
	if n := len(sim.State().Faults); n != 2 {
		t.Errorf("%d faults active after the refused one, want the 2 before it", n)
	}
}

// TestIncident: the incident's faults are active during the test that injected them and gone
// after it, other faults stay, and a fault the test removed itself is no failure.
func TestIncident(t *testing.T) {
	sim := New(t, zvmsim.Options{Seed: 3})
	vpgs := sim.State().VPGs
	kept := Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindRPOBreach, VPG: vpgs[0].Name, RPOSeconds: 900})[0]
	var ids []string
	t.Run("incident", func(t *testing.T) {
		ids = Incident(t, sim, zvmsim.Fault{Kind: zvmsim.KindRPOBreach, VPG: vpgs[1].Name, RPOSeconds: 900},
			zvmsim.Fault{Kind: zvmsim.KindHTTPError, Endpoint: "/v1/vms", Status: 503})
		if n := len(sim.State().Faults); n != 3 {
			t.Errorf("%d faults active during the incident, want 3", n)
		}
		if err := sim.RemoveFault(ids[1]); err != nil {
			t.Fatal(err)
		}
	})
	active := sim.State().Faults
	if len(active) != 1 || active[0].ID != kept {
		t.Errorf("after the incident: active faults %+v, want only %s", active, kept)
	}
	for _, v := range sim.State().VPGs {
		if v.Name == vpgs[1].Name && v.ActualRPO >= 900 {
			t.Errorf("%s still breached after the incident: actual RPO %d", v.Name, v.ActualRPO)
		}
	}
}
