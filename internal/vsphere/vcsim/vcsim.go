// Package vcsim runs govmomi's vCenter simulator in-process, holding VRA VMs whose performance
// counters answer set values (the stock simulator adds Gaussian noise). The exporter's --demo
// runs it so that the vsphere collector has a vCenter to read; the tests use it through
// vcsimtest.
package vcsim

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"maps"
	"net/url"
	"sync"
	"sync/atomic"
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

// DefaultCounters are the counter values given to every VRA VM at start, raw as vCenter sends
// them.
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
	// TLS serves https; Server.CertificatePEM then holds the server's certificate.
	TLS bool
}

// Server is a running simulated vCenter.
type Server struct {
	// URL is the SDK URL, without credentials.
	URL                string
	Username, Password string

	model  *simulator.Model
	srv    *simulator.Server
	admin  *govmomi.Client
	perf   *fixedPerf
	logins atomic.Int64
	hosts  map[string]*object.HostSystem // by VRA name
	vms    map[string]*object.VirtualMachine
	once   sync.Once
}

const adminUser, adminPassword = "administrator@vsphere.local", "admin-pass"

// Start builds a VPX model (one datacenter with a cluster of three hosts), creates the VRA VMs,
// wraps the PerformanceManager with set values and serves it on loopback until Close.
func Start(ctx context.Context, o Options) (*Server, error) {
	if o.Username == "" {
		o.Username, o.Password = "zerto-ro", "vc-secret"
	}
	model := simulator.VPX()
	model.Host, model.ClusterHost = 0, 3 // one cluster of three hosts
	model.Machine = 1                    // one ordinary VM per host besides the VRAs
	if err := model.Create(); err != nil {
		return nil, fmt.Errorf("vcsim: %w", err)
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
	u := *s.srv.URL
	u.User = nil
	s.URL = u.String()
	if err := s.addVRAs(ctx, o.VRAs); err != nil {
		s.Close()
		return nil, fmt.Errorf("vcsim: %w", err)
	}
	return s, nil
}

// addVRAs logs in as the administrator and creates the VRA VMs, powered on.
func (s *Server) addVRAs(ctx context.Context, vras []string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	au := *s.srv.URL
	au.User = url.UserPassword(adminUser, adminPassword)
	admin, err := govmomi.NewClient(ctx, &au, true)
	if err != nil {
		return err
	}
	s.admin = admin
	finder := find.NewFinder(admin.Client, true)
	dc, err := finder.DefaultDatacenter(ctx)
	if err != nil {
		return err
	}
	finder.SetDatacenter(dc)
	folders, err := dc.Folders(ctx)
	if err != nil {
		return err
	}
	hosts, err := finder.HostSystemList(ctx, "*/*")
	if err != nil {
		return err
	}
	for i, name := range vras {
		host := hosts[i%len(hosts)]
		pool, err := host.ResourcePool(ctx)
		if err != nil {
			return err
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
			return err
		}
		info, err := task.WaitForResult(ctx)
		if err != nil {
			return fmt.Errorf("creating VM %s: %w", name, err)
		}
		vm := object.NewVirtualMachine(admin.Client, info.Result.(types.ManagedObjectReference))
		if task, err = vm.PowerOn(ctx); err == nil {
			err = task.Wait(ctx)
		}
		if err != nil {
			return fmt.Errorf("powering on %s: %w", name, err)
		}
		s.hosts[name] = host
		s.vms[name] = vm
		s.perf.set(vm.Reference().Value, DefaultCounters)
	}
	return nil
}

// Close stops the server: vCenter is down from then on. It may be called more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		s.srv.Close()
		s.model.Remove()
	})
}

// CertificatePEM is the server's TLS certificate, PEM-encoded (Options.TLS).
func (s *Server) CertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
}

// Logins counts the logins of the exporter's user so far (successful or not).
func (s *Server) Logins() int { return int(s.logins.Load()) }

// PerfQueries counts the QueryPerf calls so far.
func (s *Server) PerfQueries() int { return int(s.perf.queries.Load()) }

// HostName returns the name of the ESXi host the VRA VM runs on.
func (s *Server) HostName(ctx context.Context, vra string) (string, error) {
	h, ok := s.hosts[vra]
	if !ok {
		return "", fmt.Errorf("vcsim: no VRA VM %q", vra)
	}
	return h.ObjectName(ctx)
}

// SetCounters replaces the raw counter values of a VRA VM; a counter left out is not returned.
// Unknown VRA names are ignored.
func (s *Server) SetCounters(vra string, values map[string]int64) {
	if vm, ok := s.vms[vra]; ok {
		s.perf.set(vm.Reference().Value, values)
	}
}

// SetMaintenance puts the VRA's host in or out of maintenance mode.
func (s *Server) SetMaintenance(ctx context.Context, vra string, on bool) error {
	h, ok := s.hosts[vra]
	if !ok {
		return fmt.Errorf("vcsim: no VRA VM %q", vra)
	}
	return runTask(ctx, func(ctx context.Context) (*object.Task, error) {
		if on {
			return h.EnterMaintenanceMode(ctx, 0, false, nil)
		}
		return h.ExitMaintenanceMode(ctx, 0)
	})
}

// SetConnected disconnects or reconnects the VRA's host.
func (s *Server) SetConnected(ctx context.Context, vra string, on bool) error {
	h, ok := s.hosts[vra]
	if !ok {
		return fmt.Errorf("vcsim: no VRA VM %q", vra)
	}
	return runTask(ctx, func(ctx context.Context) (*object.Task, error) {
		if on {
			return h.Reconnect(ctx, nil, nil)
		}
		return h.Disconnect(ctx)
	})
}

// runTask starts a vCenter task and waits for it.
func runTask(ctx context.Context, start func(context.Context) (*object.Task, error)) error {
	task, err := start(ctx)
	if err == nil {
		err = task.Wait(ctx)
	}
	return err
}

// TerminateSessions ends every session of the exporter's user, as vCenter does when a session
// expires. It fails when the user has none.
func (s *Server) TerminateSessions(ctx context.Context) error {
	var sm mo.SessionManager
	pc := property.DefaultCollector(s.admin.Client)
	if err := pc.RetrieveOne(ctx, *s.admin.ServiceContent.SessionManager, []string{"sessionList"}, &sm); err != nil {
		return err
	}
	var ids []string
	for _, us := range sm.SessionList {
		if us.UserName == s.Username {
			ids = append(ids, us.Key)
		}
	}
	if len(ids) == 0 {
		return fmt.Errorf("vcsim: no session of %s to terminate", s.Username)
	}
	return s.admin.SessionManager.TerminateSession(ctx, ids)
}

// fixedPerf is the simulator's PerformanceManager with QueryPerf answering set values: one
// sample per counter set for the entity, none for others.
type fixedPerf struct {
	*simulator.PerformanceManager
	names   map[int32]string
	queries atomic.Int64

	mu     sync.Mutex
	values map[string]map[string]int64 // by entity id, counter name
}

func newFixedPerf(model *simulator.Model) *fixedPerf {
	pm := model.Map().Get(*vpx.ServiceContent.PerfManager).(*simulator.PerformanceManager)
	names := map[int32]string{}
	for _, c := range vpx.PerfCounter {
		names[c.Key] = c.Name()
	}
	return &fixedPerf{PerformanceManager: pm, names: names, values: map[string]map[string]int64{}}
}

func (p *fixedPerf) set(entity string, values map[string]int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := make(map[string]int64, len(values))
	maps.Copy(m, values)
	p.values[entity] = m
}

// QueryPerf answers every spec with one real-time sample of the set values.
func (p *fixedPerf) QueryPerf(ctx *simulator.Context, req *types.QueryPerf) soap.HasFault {
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
