// Package simtest gives the tests of the packages that talk to a ZVM a simulated one
// (internal/zvmsim): built, served and faulted in one call each, undone when the test ends. It is
// apart from testutil because test/e2e imports testutil and must hold none of the project's code
// in its process.
package simtest

import (
	"net/http/httptest"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// New returns a simulator built from opts, closed when the test ends.
func New(t testing.TB, opts zvmsim.Options) *zvmsim.Sim {
	t.Helper()
	sim, err := zvmsim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

// Serve serves role's ZVM of sim on an httptest server, closed when the test ends, and returns
// its URL. Down faults need sim's own listeners (Sim.Start) instead.
func Serve(t testing.TB, sim *zvmsim.Sim, role zvmsim.Role) string {
	t.Helper()
	srv := httptest.NewServer(sim.Handler(role))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Inject injects faults into sim in order, failing the test at the first one the simulator
// refuses, and returns their ids.
func Inject(t testing.TB, sim *zvmsim.Sim, faults ...zvmsim.Fault) []string {
	t.Helper()
	ids := make([]string, 0, len(faults))
	for _, f := range faults {
		id, err := sim.InjectFault(f)
		if err != nil {
			t.Fatalf("inject %+v: %v", f, err)
		}
		ids = append(ids, id)
	}
	return ids
}

// Incident injects faults into sim (as Inject) for the rest of the test: when it ends, those of
// them still active are removed, healing what they broke (a down site is back), and the other
// faults stay. A failure to heal fails the test.
func Incident(t testing.TB, sim *zvmsim.Sim, faults ...zvmsim.Fault) []string {
	t.Helper()
	ids := Inject(t, sim, faults...)
	t.Cleanup(func() {
		active := map[string]bool{}
		for _, f := range sim.State().Faults {
			active[f.ID] = true
		}
		for _, id := range ids {
			if !active[id] {
				continue // ended by itself, or removed by the test
			}
			if err := sim.RemoveFault(id); err != nil {
				t.Errorf("heal fault %s: %v", id, err)
			}
		}
	})
	return ids
}
