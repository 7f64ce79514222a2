package collector

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/vsphere"
	"github.com/zerto-exporter/zerto_exporter/internal/vsphere/vcenter"
	"github.com/zerto-exporter/zerto_exporter/internal/vsphere/vcsimtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// vsphereZVM is a ZVM with four VRAs (the fourth has no VM in vCenter) and nothing else.
type vsphereZVM struct{ vrasErr error }

var vsphereVRAs = []zvm.VRA{
	{VraName: "Z-VRA-esx01.lab", HostDisplayName: "esx01.lab", HostIdentifier: "host-11", VraIdentifierStr: "1"},
	{VraName: "Z-VRA-esx02.lab", HostDisplayName: "esx02.lab", HostIdentifier: "host-12", VraIdentifierStr: "2"},
	{VraName: "Z-VRA-esx03.lab", HostIdentifier: "host-13", VraIdentifierStr: "3"}, // no display name: host label is the id
	{VraName: "Z-VRA-esx04.lab", HostDisplayName: "esx04.lab", HostIdentifier: "host-14", VraIdentifierStr: "4"},
}

// Read answers the site and the VRAs; every other endpoint answers nothing.
func (z *vsphereZVM) Read(_ context.Context, r zvm.Request) (any, error) {
	switch r.Endpoint {
	case zvm.EndpointLocalSite:
		return &zvm.LocalSite{SiteIdentifier: "site-1", SiteName: "Boston"}, nil
	case zvm.EndpointVRAs:
		if z.vrasErr != nil {
			return nil, z.vrasErr
		}
		return vsphereVRAs, nil
	}
	return nil, nil
}

// vsphereRig is a ZVM, a simulated vCenter holding the first three VRAs' VMs, and a snapshot
// source reading both for the site, vra and vsphere collectors.
type vsphereRig struct {
	vc  *vcsimtest.Server
	zvm *vsphereZVM
	set *Set
	src *snapshot.Source
}

func newVSphereRig(t *testing.T, withReader bool) *vsphereRig {
	t.Helper()
	r := &vsphereRig{zvm: &vsphereZVM{}}
	r.vc = vcsimtest.Start(t, vcsimtest.Options{VRAs: []string{vsphereVRAs[0].VraName, vsphereVRAs[1].VraName, vsphereVRAs[2].VraName}})
	set, err := NewSet([]string{"site", "vra", "vsphere"}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	r.set = set
	opts := snapshot.Options{Endpoints: set.Endpoints(), CacheTTL: 0}
	if withReader {
		c, err := vcenter.New(vcenter.Config{URL: r.vc.URL, Username: r.vc.Username, Password: r.vc.Password, Timeout: 15 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close(context.Background()) })
		opts.VSphere = c
	}
	r.src = snapshot.NewSource(r.zvm, opts)
	return r
}

// scrape refreshes the snapshot and returns every sample as "name{l="v",...}" → value.
func (r *vsphereRig) scrape(t *testing.T) map[string]float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	snap, err := r.src.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(r.set.CollectorFor(snap))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	problems, err := promlint.NewWithMetricFamilies(mfs).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint %s: %s", p.Metric, p.Text)
	}
	return testutil.Samples(mfs)
}

func vsphereExpect(t *testing.T, got map[string]float64, want map[string]float64) {
	t.Helper()
	for k, w := range want {
		v, ok := got[k]
		switch {
		case !ok:
			t.Errorf("%s absent, want %v", k, w)
		case v != w:
			t.Errorf("%s = %v, want %v", k, v, w)
		}
	}
}

func vsphereAbsent(t *testing.T, got map[string]float64, substr ...string) {
	t.Helper()
	for k := range got {
		all := true
		for _, s := range substr {
			all = all && strings.Contains(k, s)
		}
		if all {
			t.Errorf("%s present, want absent", k)
		}
	}
}

func TestVSphereCollectorValues(t *testing.T) {
	r := newVSphereRig(t, true)
	r.vc.SetCounters("Z-VRA-esx02.lab", map[string]int64{
		vsphere.CounterNetTransmitted: 125, vsphere.CounterNetReceived: 3, vsphere.CounterCPUUsage: 10000, vsphere.CounterMemUsage: 1,
	})
	r.vc.SetMaintenance(t, "Z-VRA-esx02.lab", true)
	r.vc.SetConnected(t, "Z-VRA-esx03.lab", false)

	got := r.scrape(t)
	vsphereExpect(t, got, map[string]float64{
		`zerto_up{}`: 1,
		`zerto_scrape_collector_success{collector="vsphere"}`: 1,
		`zerto_scrape_collector_success{collector="vra"}`:     1,
		// defaults: 1000 KBps, 2000 KBps, 2500 (25.00%), 5000 (50.00%)
		`zerto_vra_network_transmit_bytes_per_second{host="esx01.lab",vra="Z-VRA-esx01.lab"}`: 1024000,
		`zerto_vra_network_receive_bytes_per_second{host="esx01.lab",vra="Z-VRA-esx01.lab"}`:  2048000,
		`zerto_vra_cpu_usage_ratio{host="esx01.lab",vra="Z-VRA-esx01.lab"}`:                   0.25,
		`zerto_vra_memory_usage_ratio{host="esx01.lab",vra="Z-VRA-esx01.lab"}`:                0.5,
		`zerto_vra_host_connected{host="esx01.lab",vra="Z-VRA-esx01.lab"}`:                    1,
		`zerto_vra_host_maintenance_mode{host="esx01.lab",vra="Z-VRA-esx01.lab"}`:             0,
		// set values, host in maintenance mode (still connected)
		`zerto_vra_network_transmit_bytes_per_second{host="esx02.lab",vra="Z-VRA-esx02.lab"}`: 128000,
		`zerto_vra_network_receive_bytes_per_second{host="esx02.lab",vra="Z-VRA-esx02.lab"}`:  3072,
		`zerto_vra_cpu_usage_ratio{host="esx02.lab",vra="Z-VRA-esx02.lab"}`:                   1,
		`zerto_vra_memory_usage_ratio{host="esx02.lab",vra="Z-VRA-esx02.lab"}`:                0.0001,
		`zerto_vra_host_connected{host="esx02.lab",vra="Z-VRA-esx02.lab"}`:                    1,
		`zerto_vra_host_maintenance_mode{host="esx02.lab",vra="Z-VRA-esx02.lab"}`:             1,
		// disconnected host, labelled with the ZVM's HostIdentifier: state only
		`zerto_vra_host_connected{host="host-13",vra="Z-VRA-esx03.lab"}`:        0,
		`zerto_vra_host_maintenance_mode{host="host-13",vra="Z-VRA-esx03.lab"}`: 0,
	})
	vsphereAbsent(t, got, "zerto_vra_network_", "Z-VRA-esx03.lab")
	vsphereAbsent(t, got, "zerto_vra_cpu_", "Z-VRA-esx03.lab")
	// not in vCenter: no vsphere series, while the vra collector still reports it
	for _, m := range []string{"network_transmit_bytes_per_second", "network_receive_bytes_per_second", "cpu_usage_ratio", "memory_usage_ratio", "host_connected", "host_maintenance_mode"} {
		vsphereAbsent(t, got, "zerto_vra_"+m, "Z-VRA-esx04.lab")
	}
	vsphereExpect(t, got, map[string]float64{`zerto_vra_info{host="esx04.lab",host_version="",ip="",vra="Z-VRA-esx04.lab",vra_id="4",vra_version=""}`: 1})
}

func TestVSphereSessionReusedAcrossRefreshes(t *testing.T) {
	r := newVSphereRig(t, true)
	for range 4 {
		got := r.scrape(t)
		vsphereExpect(t, got, map[string]float64{`zerto_scrape_collector_success{collector="vsphere"}`: 1})
	}
	if n := r.vc.Logins(); n != 1 {
		t.Errorf("%d vCenter logins over 4 refreshes, want 1", n)
	}
	if n := r.vc.PerfQueries(); n != 4 {
		t.Errorf("%d QueryPerf calls over 4 refreshes, want 4 (one per refresh for all VRAs)", n)
	}
}

func TestVSphereVCenterDownFailsOnlyVSphere(t *testing.T) {
	r := newVSphereRig(t, true)
	vsphereExpect(t, r.scrape(t), map[string]float64{`zerto_scrape_collector_success{collector="vsphere"}`: 1})
	r.vc.Close()
	got := r.scrape(t)
	vsphereExpect(t, got, map[string]float64{
		`zerto_up{}`: 1,
		`zerto_scrape_collector_success{collector="site"}`:                                                       1,
		`zerto_scrape_collector_success{collector="vra"}`:                                                        1,
		`zerto_scrape_collector_success{collector="vsphere"}`:                                                    0,
		`zerto_vra_info{host="esx01.lab",host_version="",ip="",vra="Z-VRA-esx01.lab",vra_id="1",vra_version=""}`: 1,
	})
	for _, m := range []string{"network_", "cpu_usage", "memory_usage", "host_connected", "host_maintenance"} {
		vsphereAbsent(t, got, "zerto_vra_"+m)
	}
}

func TestVSphereNeedsVRAList(t *testing.T) {
	r := newVSphereRig(t, true)
	r.zvm.vrasErr = errors.New("HTTP 500")
	got := r.scrape(t)
	vsphereExpect(t, got, map[string]float64{
		`zerto_up{}`: 1,
		`zerto_scrape_collector_success{collector="site"}`:    1,
		`zerto_scrape_collector_success{collector="vra"}`:     0,
		`zerto_scrape_collector_success{collector="vsphere"}`: 0,
	})
	if n := r.vc.Logins(); n != 0 {
		t.Errorf("vCenter contacted (%d logins) without VRA names", n)
	}
}

func TestVSphereWithoutReaderFails(t *testing.T) {
	r := newVSphereRig(t, false)
	vsphereExpect(t, r.scrape(t), map[string]float64{
		`zerto_up{}`: 1,
		`zerto_scrape_collector_success{collector="vra"}`:     1,
		`zerto_scrape_collector_success{collector="vsphere"}`: 0,
	})
}

func TestVSphereOffByDefault(t *testing.T) {
	for _, c := range Available() {
		if c.Name == "vsphere" {
			if c.DefaultOn {
				t.Error("vsphere is on by default; it must be enabled only with --vsphere.url")
			}
			return
		}
	}
	t.Error("vsphere collector not registered")
}

func (z *vsphereZVM) EncryptionState(context.Context) (*zvm.EncryptionDetectionState, error) {
	return &zvm.EncryptionDetectionState{}, nil
}

func (z *vsphereZVM) SuspectedVPGs(context.Context) ([]zvm.SuspectedVPG, error) { return nil, nil }

func (z *vsphereZVM) SuspectedVMs(context.Context) ([]zvm.SuspectedVM, error) { return nil, nil }

func (z *vsphereZVM) EncryptionMetricsVPGs(context.Context) ([]zvm.VPGEncryptionMetrics, error) {
	return nil, nil
}

func (z *vsphereZVM) EJCHealth(context.Context) ([]zvm.EJCVPGHealth, error) { return nil, nil }

func (z *vsphereZVM) EJCRepositories(context.Context) ([]zvm.EJCRepository, error) { return nil, nil }
