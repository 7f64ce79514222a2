// Package vcenter reads the VRA VMs and their ESXi hosts from vCenter with govmomi.
//
// One Client keeps one vCenter session for the life of the exporter: it logs in on the first read
// and again only when vCenter says the session is gone (NotAuthenticated), never per scrape. Each
// read costs five calls: create a container view, retrieve the VMs' names and hosts, destroy the
// view, retrieve the hosts' runtime state, and one PerformanceManager query for every VRA VM at
// once (plus, on the first read, the counter catalogue, which is cached).
package vcenter

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/performance"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/zerto-exporter/zerto_exporter/internal/baseurl"
	"github.com/zerto-exporter/zerto_exporter/internal/vsphere"
)

// realtimeInterval is vCenter's real-time statistics interval, in seconds.
const realtimeInterval = 20

// Config says how to reach vCenter.
type Config struct {
	// URL of vCenter, e.g. https://vcenter.example.com; the SDK path /sdk is added when absent.
	URL      string
	Username string
	Password string
	// CAFile is a PEM file of the CA that signed vCenter's certificate.
	CAFile             string
	InsecureSkipVerify bool
	// Timeout bounds one read (all its calls), within the caller's context. Default 10s.
	Timeout time.Duration
	Logger  log.Logger
	// Now is the clock used for login back-off (tests).
	Now func() time.Time
}

// Client reads VRA VMs and their hosts from one vCenter. It is safe for concurrent use; reads are
// serialised.
type Client struct {
	cfg    Config
	soap   *soap.Client
	user   *url.Userinfo
	logger log.Logger

	mu       sync.Mutex
	vc       *vim25.Client        // nil until vCenter's service content was read
	sm       *session.Manager     // with vc
	pm       *performance.Manager // with vc; caches the counter catalogue
	loggedIn bool
	// failed logins back off, so a wrong password does not lock the vCenter account
	loginFailures int
	nextLogin     time.Time
}

// New checks cfg and prepares a client. It does no I/O: vCenter is first contacted by ReadVRAs,
// so the exporter starts while vCenter is down.
func New(cfg Config) (*Client, error) {
	if cfg.Logger == nil {
		cfg.Logger = log.NewNopLogger()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if _, err := baseurl.Parse(cfg.URL); err != nil {
		return nil, fmt.Errorf("vCenter URL %w", err)
	}
	u, err := soap.ParseURL(cfg.URL) // adds the SDK path
	if err != nil {
		return nil, fmt.Errorf("vCenter URL %q: %w", baseurl.Redact(cfg.URL), err)
	}
	if cfg.Username == "" {
		return nil, errors.New("vCenter user name is empty")
	}
	u.User = nil
	sc := soap.NewClient(u, cfg.InsecureSkipVerify)
	if cfg.CAFile != "" {
		if err := sc.SetRootCAs(cfg.CAFile); err != nil {
			return nil, fmt.Errorf("vCenter CA file: %w", err)
		}
	}
	return &Client{
		cfg:    cfg,
		soap:   sc,
		user:   url.UserPassword(cfg.Username, cfg.Password),
		logger: cfg.Logger,
	}, nil
}

// URL returns vCenter's SDK URL, without credentials.
func (c *Client) URL() string { return c.soap.URL().String() }

// ReadVRAs finds the VMs named like names and reads their counters and their hosts' state, in
// one read bounded by ctx and the configured timeout. Names with no VM are absent from the result.
func (c *Client) ReadVRAs(ctx context.Context, names []string) (map[string]vsphere.VRA, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.connect(ctx); err != nil {
		return nil, err
	}
	out, err := c.read(ctx, names)
	if err != nil && isNotAuthenticated(err) {
		level.Info(c.logger).Log("msg", "vCenter session expired; logging in again", "url", c.URL())
		c.loggedIn = false
		if err := c.connect(ctx); err != nil {
			return nil, err
		}
		out, err = c.read(ctx, names)
	}
	if err != nil {
		return nil, fmt.Errorf("vCenter %s: %w", c.soap.URL().Host, err)
	}
	return out, nil
}

// Close ends the vCenter session, if there is one.
func (c *Client) Close(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loggedIn {
		return nil
	}
	c.loggedIn = false
	return c.sm.Logout(ctx)
}

// connect reads vCenter's service content once, and logs in unless a session is held.
func (c *Client) connect(ctx context.Context) error {
	if c.vc == nil {
		vc, err := vim25.NewClient(ctx, c.soap)
		if err != nil {
			return fmt.Errorf("vCenter %s: %w", c.soap.URL().Host, err)
		}
		c.vc = vc
		c.sm = session.NewManager(vc)
		c.pm = performance.NewManager(vc)
	}
	if c.loggedIn {
		return nil
	}
	if now := c.cfg.Now(); now.Before(c.nextLogin) {
		return fmt.Errorf("vCenter %s: login failed %d times; next attempt in %s",
			c.soap.URL().Host, c.loginFailures, c.nextLogin.Sub(now).Round(time.Second))
	}
	if err := c.sm.Login(ctx, c.user); err != nil {
		if fault.Is(err, &types.InvalidLogin{}) {
			// A rejected login (not an unreachable vCenter) backs off: 30s, 1m, 2m, ... up to 10m.
			c.loginFailures++
			c.nextLogin = c.cfg.Now().Add(min(30*time.Second<<min(c.loginFailures-1, 5), 10*time.Minute))
		}
		return fmt.Errorf("vCenter %s: login as %q: %w", c.soap.URL().Host, c.cfg.Username, err)
	}
	c.loginFailures, c.nextLogin = 0, time.Time{}
	c.loggedIn = true
	level.Info(c.logger).Log("msg", "Logged in to vCenter", "url", c.URL(), "user", c.cfg.Username)
	return nil
}

func isNotAuthenticated(err error) bool {
	return fault.Is(err, &types.NotAuthenticated{})
}

// read does the five calls of one read with the session held.
func (c *Client) read(ctx context.Context, names []string) (map[string]vsphere.VRA, error) {
	vms, err := c.findVMs(ctx, names)
	if err != nil {
		return nil, err
	}
	out := make(map[string]vsphere.VRA, len(vms))
	if len(vms) == 0 {
		return out, nil
	}

	// The hosts' state: one property collector call for all of them.
	var hostRefs []types.ManagedObjectReference
	for _, vm := range vms {
		if h := vm.Runtime.Host; h != nil && !slices.Contains(hostRefs, *h) {
			hostRefs = append(hostRefs, *h)
		}
	}
	hosts := map[types.ManagedObjectReference]mo.HostSystem{}
	if len(hostRefs) > 0 {
		var hs []mo.HostSystem
		err := property.DefaultCollector(c.vc).Retrieve(ctx, hostRefs,
			[]string{"name", "runtime.connectionState", "runtime.inMaintenanceMode"}, &hs)
		if err != nil {
			return nil, fmt.Errorf("reading the VRA hosts' state: %w", err)
		}
		for _, h := range hs {
			hosts[h.Self] = h
		}
	}

	// Real-time counters exist only for powered-on VMs on connected hosts: query just those.
	var perfRefs []types.ManagedObjectReference
	for name, vm := range vms {
		v := vsphere.VRA{VM: vm.Self.Value, Counters: map[string]int64{}}
		if vm.Runtime.Host != nil {
			if h, ok := hosts[*vm.Runtime.Host]; ok {
				v.Host = h.Name
				v.HostKnown = true
				v.HostConnectionState = string(h.Runtime.ConnectionState)
				v.HostMaintenance = h.Runtime.InMaintenanceMode
			}
		}
		out[name] = v
		if vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn && v.HostConnected() {
			perfRefs = append(perfRefs, vm.Self)
		}
	}
	if len(perfRefs) == 0 {
		return out, nil
	}
	slices.SortFunc(perfRefs, func(a, b types.ManagedObjectReference) int { return strings.Compare(a.Value, b.Value) })
	samples, err := c.queryPerf(ctx, perfRefs)
	if err != nil {
		return nil, err
	}
	byVM := make(map[string]string, len(vms))
	for name, vm := range vms {
		byVM[vm.Self.Value] = name
	}
	for ref, counters := range samples {
		if name, ok := byVM[ref]; ok {
			v := out[name]
			v.Counters = counters
			out[name] = v
		}
	}
	return out, nil
}

// findVMs looks the VMs up by name in a container view of the whole inventory, destroyed after.
// A name held by several VMs takes the one with the lowest managed object id.
func (c *Client) findVMs(ctx context.Context, names []string) (map[string]mo.VirtualMachine, error) {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	v, err := view.NewManager(c.vc).CreateContainerView(ctx, c.vc.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		return nil, fmt.Errorf("creating a container view: %w", err)
	}
	defer func() {
		// Destroy even when ctx has ended, or the view lives on in the kept session.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		if err := v.Destroy(dctx); err != nil {
			level.Debug(c.logger).Log("msg", "destroying the vCenter container view failed", "err", err)
		}
	}()
	var all []mo.VirtualMachine
	if err := v.Retrieve(ctx, []string{"VirtualMachine"}, []string{"name", "runtime.host", "runtime.powerState"}, &all); err != nil {
		return nil, fmt.Errorf("listing VMs: %w", err)
	}
	found := make(map[string]mo.VirtualMachine, len(names))
	for _, vm := range all {
		if !want[vm.Name] {
			continue
		}
		if prev, dup := found[vm.Name]; dup {
			level.Debug(c.logger).Log("msg", "several vCenter VMs carry a VRA's name; using the lowest id", "vra", vm.Name, "vm", vm.Self.Value, "other", prev.Self.Value)
			if prev.Self.Value < vm.Self.Value {
				continue
			}
		}
		found[vm.Name] = vm
	}
	for _, n := range names {
		if _, ok := found[n]; !ok {
			level.Debug(c.logger).Log("msg", "VRA VM not found in vCenter; its vsphere series are left out", "vra", n)
		}
	}
	return found, nil
}

// queryPerf reads the newest real-time sample of the VRA counters, aggregate instance "", for
// every VM in refs with one QueryPerf call. Counters this vCenter does not have are left out.
func (c *Client) queryPerf(ctx context.Context, refs []types.ManagedObjectReference) (map[string]map[string]int64, error) {
	info, err := c.pm.CounterInfoByName(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the performance counter catalogue: %w", err)
	}
	names := map[int32]string{}
	var ids []types.PerfMetricId
	for _, n := range vsphere.Counters {
		ci, ok := info[n]
		if !ok {
			level.Debug(c.logger).Log("msg", "vCenter has no such performance counter", "counter", n)
			continue
		}
		names[ci.Key] = n
		ids = append(ids, types.PerfMetricId{CounterId: ci.Key, Instance: ""})
	}
	out := make(map[string]map[string]int64, len(refs))
	if len(ids) == 0 {
		return out, nil
	}
	spec := make([]types.PerfQuerySpec, len(refs))
	for i, ref := range refs {
		spec[i] = types.PerfQuerySpec{Entity: ref, MetricId: ids, MaxSample: 1, IntervalId: realtimeInterval}
	}
	series, err := c.pm.Query(ctx, spec)
	if err != nil {
		return nil, fmt.Errorf("querying performance counters: %w", err)
	}
	for _, s := range series {
		em, ok := s.(*types.PerfEntityMetric)
		if !ok {
			continue
		}
		counters := map[string]int64{}
		for _, v := range em.Value {
			is, ok := v.(*types.PerfMetricIntSeries)
			if !ok || is.Id.Instance != "" || len(is.Value) == 0 {
				continue
			}
			name, ok := names[is.Id.CounterId]
			// vCenter sends -1 for a sample it does not have.
			if last := is.Value[len(is.Value)-1]; ok && last >= 0 {
				counters[name] = last
			}
		}
		out[em.Entity.Value] = counters
	}
	return out, nil
}
