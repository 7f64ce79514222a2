// Package vcsimtest starts an in-process vCenter (govmomi's simulator) holding VRA VMs, with
// fixed performance counter values, for the tests of the vsphere side. Only tests import it.
package vcsimtest

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/simulator/vpx"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/zerto-exporter/zerto_exporter/internal/vsphere"
)

// Default counter values given to every VRA VM at start, raw as vCenter sends them.
var DefaultCounters = map[string]int64{
	vsphere.CounterNetTransmitted: 1000, // KBps
	vsphere.CounterNetReceived:    2000, // KBps
	vsphere.CounterCPUUsage:       2500, // 25.00%
	vsphere.CounterMemUsage:       5000, // 50.00%
}

// Options shape the simulated vCenter.
type Options struct {
	// VRAs are the names of the VRA VMs to create (powered on), spread round-robin over the
	// model's hosts.
	VRAs []string
	// Username and Password are the exporter's credentials; default "zerto-ro" and "vc-secret".
	Username, Password string
	// TLS serves https; CAFile then holds the server's certificate.
	TLS bool
}

// Server is a running simulated vCenter.
type Server struct {
	// URL is the SDK URL, without credentials.
	URL                string
	Username, Password string
	// CAFile is a PEM file with the server certificate, when Options.TLS is set.
	CAFile string

	model  *simulator.Model
	srv    *simulator.Server
	admin  *govmomi.Client
	perf   *FixedPerf
	logins atomic.Int64
	hosts  map[string]*object.HostSystem // by VRA name
	vms    map[string]*object.VirtualMachine
	once   sync.Once
}

const adminUser, adminPassword = "administrator@vsphere.local", "admin-pass"

// Start builds a VPX model (one datacenter with a cluster of three hosts), creates
// the VRA VMs, wraps the PerformanceManager with fixed values and serves it on loopback. The
// server is closed at the end of the test.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Username == "" {
		o.Username, o.Password = "zerto-ro", "vc-secret"
	}
	model := simulator.VPX()
	model.Host, model.ClusterHost = 0, 3 // one cluster of three hosts
	model.Machine = 1                    // one ordinary VM per host besides the VRAs
	if err := model.Create(); err != nil {
		t.Fatal(err)
	}
	if o.TLS {
		model.Service.TLS = new(tls.Config)
	}
	// Credentials in Listen make the simulator check them, through ValidLogin.
	model.Service.Listen = &url.URL{User: url.UserPassword(o.Username, o.Password)}
	s := &Server{Username: o.Username, Password: o.Password, model: model,
		hosts: map[string]*object.HostSystem{}, vms: map[string]*object.VirtualMachine{}}
	model.Map().SessionManager().ValidLogin = func(req *types.Login) bool {
		if req.UserName == adminUser {
			return req.Password == adminPassword
		}
		if req.UserName == o.Username {
			s.logins.Add(1)
		}
		return req.UserName == o.Username && req.Password == o.Password
	}
	s.perf = newFixedPerf(model)
	model.Map().Put(s.perf)

	s.srv = model.Service.NewServer()
	t.Cleanup(s.Close)
	u := *s.srv.URL
	u.User = nil
	s.URL = u.String()
	if o.TLS {
		s.CAFile = filepath.Join(t.TempDir(), "vcenter-ca.pem")
		pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
		if err := os.WriteFile(s.CAFile, pemBytes, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	au := *s.srv.URL
	au.User = url.UserPassword(adminUser, adminPassword)
	admin, err := govmomi.NewClient(ctx, &au, true)
	if err != nil {
		t.Fatal(err)
	}
	s.admin = admin
	finder := find.NewFinder(admin.Client, true)
	dc, err := finder.DefaultDatacenter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	finder.SetDatacenter(dc)
	folders, err := dc.Folders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hosts, err := finder.HostSystemList(ctx, "*/*")
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range o.VRAs {
		host := hosts[i%len(hosts)]
		pool, err := host.ResourcePool(ctx)
		if err != nil {
			t.Fatal(err)
		}
		spec := types.VirtualMachineConfigSpec{
			Name:     name,
			GuestId:  string(types.VirtualMachineGuestOsIdentifierDebian10_64Guest),
			NumCPUs:  1,
			MemoryMB: 3072,
			Files:    &types.VirtualMachineFileInfo{VmPathName: "[LocalDS_0]"},
		}
		task, err := folders.VmFolder.CreateVM(ctx, spec, pool, host)
		if err != nil {
			t.Fatal(err)
		}
		info, err := task.WaitForResult(ctx)
		if err != nil {
			t.Fatalf("creating VM %s: %v", name, err)
		}
		vm := object.NewVirtualMachine(admin.Client, info.Result.(types.ManagedObjectReference))
		if task, err = vm.PowerOn(ctx); err == nil {
			err = task.Wait(ctx)
		}
		if err != nil {
			t.Fatalf("powering on %s: %v", name, err)
		}
		s.hosts[name] = host
		s.vms[name] = vm
		s.perf.set(vm.Reference().Value, DefaultCounters)
	}
	return s
}

// Close stops the server: vCenter is down from then on. It may be called more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		s.srv.Close()
		s.model.Remove()
	})
}

// Logins counts the logins of the exporter's user so far (successful or not).
func (s *Server) Logins() int { return int(s.logins.Load()) }

// PerfQueries counts the QueryPerf calls so far.
func (s *Server) PerfQueries() int { return int(s.perf.queries.Load()) }

// HostName returns the name of the ESXi host the VRA VM runs on.
func (s *Server) HostName(t testing.TB, vra string) string {
	t.Helper()
	name, err := s.hosts[vra].ObjectName(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// SetCounters replaces the raw counter values of a VRA VM; a counter left out is not returned.
func (s *Server) SetCounters(vra string, values map[string]int64) {
	s.perf.set(s.vms[vra].Reference().Value, values)
}

// SetMaintenance puts the VRA's host in or out of maintenance mode.
func (s *Server) SetMaintenance(t testing.TB, vra string, on bool) {
	t.Helper()
	h := s.hosts[vra]
	runTask(t, func(ctx context.Context) (*object.Task, error) {
		if on {
			return h.EnterMaintenanceMode(ctx, 0, false, nil)
		}
		return h.ExitMaintenanceMode(ctx, 0)
	})
}

// SetConnected disconnects or reconnects the VRA's host.
func (s *Server) SetConnected(t testing.TB, vra string, on bool) {
	t.Helper()
	h := s.hosts[vra]
	runTask(t, func(ctx context.Context) (*object.Task, error) {
		if on {
			return h.Reconnect(ctx, nil, nil)
		}
		return h.Disconnect(ctx)
	})
}

// runTask starts a vCenter task and waits for it, failing t if either fails.
func runTask(t testing.TB, start func(context.Context) (*object.Task, error)) {
	t.Helper()
	ctx := context.Background()
	task, err := start(ctx)
	if err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TerminateSessions ends every session of the exporter's user, as vCenter does when a session
// expires.
func (s *Server) TerminateSessions(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	var sm mo.SessionManager
	pc := property.DefaultCollector(s.admin.Client)
	if err := pc.RetrieveOne(ctx, *s.admin.ServiceContent.SessionManager, []string{"sessionList"}, &sm); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, us := range sm.SessionList {
		if us.UserName == s.Username {
			ids = append(ids, us.Key)
		}
	}
	if len(ids) == 0 {
		t.Fatal("no session of the exporter's user to terminate")
	}
	if err := s.admin.SessionManager.TerminateSession(ctx, ids); err != nil {
		t.Fatal(err)
	}
}

// FixedPerf is the simulator's PerformanceManager with QueryPerf answering fixed values (the
// stock one adds Gaussian noise): one sample per counter set for the entity, none for others.
type FixedPerf struct {
	*simulator.PerformanceManager
	names   map[int32]string
	queries atomic.Int64

	mu     sync.Mutex
	values map[string]map[string]int64 // by entity id, counter name
}

func newFixedPerf(model *simulator.Model) *FixedPerf {
	pm := model.Map().Get(*vpx.ServiceContent.PerfManager).(*simulator.PerformanceManager)
	names := map[int32]string{}
	for _, c := range vpx.PerfCounter {
		names[c.Key] = c.Name()
	}
	return &FixedPerf{PerformanceManager: pm, names: names, values: map[string]map[string]int64{}}
}

func (p *FixedPerf) set(entity string, values map[string]int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := make(map[string]int64, len(values))
	maps.Copy(m, values)
	p.values[entity] = m
}

// QueryPerf answers every spec with one real-time sample of the fixed values.
func (p *FixedPerf) QueryPerf(ctx *simulator.Context, req *types.QueryPerf) soap.HasFault {
	p.queries.Add(1)
	p.mu.Lock()
	defer p.mu.Unlock()
	body := &methods.QueryPerfBody{Res: &types.QueryPerfResponse{}}
	for _, qs := range req.QuerySpec {
		m := &types.PerfEntityMetric{
			PerfEntityMetricBase: types.PerfEntityMetricBase{Entity: qs.Entity},
			SampleInfo:           []types.PerfSampleInfo{{Timestamp: time.Now().UTC(), Interval: qs.IntervalId}},
		}
		for _, id := range qs.MetricId {
			v, ok := p.values[qs.Entity.Value][p.names[id.CounterId]]
			if !ok {
				continue
			}
			m.Value = append(m.Value, &types.PerfMetricIntSeries{PerfMetricSeries: types.PerfMetricSeries{Id: id}, Value: []int64{v}})
		}
		body.Res.Returnval = append(body.Res.Returnval, m)
	}
	return body
}
