package collector

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestVRAThroughputSumsSimulatorVMs checks zerto_vra_throughput_bytes_per_second and
// zerto_vra_iops against the simulator: for every VRA, the sum of ThroughputInMB (×1048576) and
// IOPs of the /v1/vms rows whose owning host is the VRA's host. The simulator's clock is fixed,
// so the exporter's read and this test's read see the same values.
func TestVRAThroughputSumsSimulatorVMs(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	sim := simtest.New(t, zvmsim.Options{Profile: "demo", Seed: 11, Username: "admin", Password: "zerto",
		Clock: func() time.Time { return at }})
	client, err := zvm.New(zvm.Config{URL: simtest.Serve(t, sim, zvmsim.Protected), Username: "admin", Password: "zerto", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	mfs, snap := refreshSet(ctx, t, client, []string{"vm", "vra"}, snapshot.Options{})
	got := testutil.Samples(mfs)
	if got[`zerto_scrape_collector_success{collector="vra"}`] != 1 {
		t.Fatalf("vra collector failed: %v", snap.Err(zvm.EndpointVRAs, zvm.EndpointVMs))
	}

	// The expectation, from an independent read of the simulator.
	vras, err := zvm.ReadAs[[]zvm.VRA](ctx, client, zvm.Request{Endpoint: zvm.EndpointVRAs})
	if err != nil {
		t.Fatal(err)
	}
	vms, err := zvm.ReadAs[[]zvm.VM](ctx, client, zvm.Request{Endpoint: zvm.EndpointVMs})
	if err != nil {
		t.Fatal(err)
	}
	withVMs := 0
	for _, v := range vras {
		var mb, iops float64
		n := 0
		for _, vm := range vms {
			if (vm.OwningHostName != "" && vm.OwningHostName == v.HostDisplayName) ||
				(vm.OwningHostIdentifier != "" && vm.OwningHostIdentifier == v.HostIdentifier) {
				mb += vm.ThroughputInMB.V
				iops += vm.IOPs.V
				n++
			}
		}
		if n == 0 {
			continue
		}
		withVMs++
		key := `{host="` + v.Host() + `",vra="` + v.VraName + `"}`
		for name, want := range map[string]float64{
			"zerto_vra_throughput_bytes_per_second": mb * 1048576,
			"zerto_vra_iops":                        iops,
		} {
			g, ok := got[name+key]
			if !ok {
				t.Errorf("%s%s absent; the VRA has %d VMs", name, key, n)
				continue
			}
			if math.Abs(g-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s%s = %v, want %v (sum over %d VMs)", name, key, g, want, n)
			}
		}
	}
	if withVMs == 0 {
		t.Fatal("no simulated VRA has VMs on its host: the test checks nothing")
	}

	// The per-VM side: zerto_vm_info names the source VRA, and the appliance's
	// /v1/statistics/vms counters are there to be summed per VRA with it.
	var withSourceVRA, traffic int
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			switch mf.GetName() {
			case "zerto_vm_info":
				for _, l := range m.GetLabel() {
					if l.GetName() == "source_vra" && l.GetValue() != "" {
						withSourceVRA++
					}
				}
			case "zerto_vm_network_traffic_bytes_total":
				traffic++
			}
		}
	}
	if withSourceVRA == 0 || traffic == 0 {
		t.Errorf("zerto_vm_info with source_vra: %d series, zerto_vm_network_traffic_bytes_total: %d; want both > 0", withSourceVRA, traffic)
	}
	t.Logf("checked %d of %d VRAs", withVMs, len(vras))
}

func TestVRASumsWithoutOwningHosts(t *testing.T) {
	// A Windows 7.x ZVM sends no owning host: the sums are unknown, not 0.
	snap := richSnapshot(t)
	snap.VMs = append([]zvm.VM(nil), snap.VMs...)
	for i := range snap.VMs {
		snap.VMs[i].OwningHostName, snap.VMs[i].OwningHostIdentifier = "", ""
	}
	mfs := scrapeAll(t, snap, nil, "vra")
	for _, n := range []string{"zerto_vra_throughput_bytes_per_second", "zerto_vra_iops"} {
		if _, ok := mfs[n]; ok {
			t.Errorf("%s present although no VM carries an owning host", n)
		}
	}
}

// Hand-checked conversions of the fixture's VRAs: sums over the VMs on the VRA's host (esx01 has
// erp-app01; esx02 has both rows of shared-db01, by host name, and web01, by host identifier only;
// esx03 runs no protected VM), memory in GiB to bytes, absent when not sent.
func TestVRAConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), fixtureSLA, "vra")
	host := func(h string) map[string]string { return map[string]string{"host": h} }
	expectSamples(t, mfs,
		wantSample{"zerto_vra_throughput_bytes_per_second", host(esx01), 2.5 * 1048576},
		wantSample{"zerto_vra_throughput_bytes_per_second", host(esx02), (1.0 + 0.5 + 0.25) * 1048576},
		wantSample{"zerto_vra_iops", host(esx02), 40 + 20 + 10},
		wantSample{"zerto_vra_iops", host(esx03ID), 0},
		wantSample{"zerto_vra_memory_bytes", host(esx01), 3 << 30},
	)
	absent(t, mfs, "zerto_vra_memory_bytes", host(esx03ID)) // not sent
}
