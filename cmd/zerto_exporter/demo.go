package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/vsphere"
	"github.com/zerto-exporter/zerto_exporter/internal/vsphere/vcsim"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// Demo timing, so that every dashboard panel and some alerts have something to show: an RPO
// breach every few minutes that heals, and a Zerto warning alert that is active from the start
// for part of every cycle.
const (
	demoIncidentEvery    = 5 * time.Minute
	demoIncidentDuration = 2 * time.Minute
	demoAlertEvery       = 10 * time.Minute
	demoAlertDuration    = 4 * time.Minute
	// How often the simulated vCenter's VRA counters change (vCenter's real-time interval).
	demoCounterEvery = 20 * time.Second
)

// demoSLA are the SLA targets of the demo when no --config.file gives any: RTO targets and
// failover-test intervals for every VPG of the demo profile, loose enough that the healthy model
// meets them.
const demoSLA = `sla:
  - match: "Exchange|SQL-Prod|SAP-ERP"
    rto_target: 30m
    test_interval: 30d
  - match: ".*"
    rto_target: 1h
    test_interval: 90d
`

// demoScratch is a scratch volume, as a running failover test has one, kept on the recovery site
// for the whole demo so that the scratch-volume panels have data (the simulator's own failover
// tests start 20 minutes in and last 4 minutes).
var demoScratch = zvmsim.Fault{Kind: zvmsim.KindScratchFill, VPG: "CRM", Percent: 40}

// demoCollectors are opt-in collectors the demo turns on (unless the flags say otherwise), so
// that every dashboard panel has data.
var demoCollectors = []string{"checkpoints"}

// demoAlert is the Zerto alert the demo keeps active part of the time.
var demoAlert = zvmsim.Fault{Kind: zvmsim.KindZertoAlert, Level: "Warning", Entity: "Vpg", HelpID: "VPG0007",
	VPG: "Billing", Description: "Demo: a VM journal is close to its warning threshold"}

// demo is what --demo runs besides the exporter: the simulated ZVM pair and vCenter.
type demo struct {
	sim *zvmsim.Sim
	vc  *vcsim.Server
}

// Close stops the simulated vCenter and ZVMs.
func (d *demo) Close() {
	if d.vc != nil {
		d.vc.Close()
	}
	d.sim.Close()
}

// startDemo runs the simulator's demo profile on loopback, with credentials made up for this run,
// and returns what the exporter watches in place of the --zvm.* flags' target: the module of its
// protected site and, unless the flags name a vCenter, a simulated vCenter holding the demo's VRA
// VMs. It also adds a "demo" module to cfg so that /probe reaches either site (the recovery site
// holds the journal and scratch volumes); its password file lives in dir. Unless cfg has SLA
// targets, it sets demoSLA. It turns demoCollectors on and keeps demoScratch.
func startDemo(ctx context.Context, f *flags, cfg *config.Config, dir string, logger log.Logger) (*demo, watched, error) {
	pw := make([]byte, 12)
	if _, err := rand.Read(pw); err != nil {
		return nil, watched{}, fmt.Errorf("demo: %w", err)
	}
	sim, err := zvmsim.New(zvmsim.Options{
		Flavour:  "appliance",
		Profile:  "demo",
		Seed:     1,
		Username: "demo",
		Password: hex.EncodeToString(pw),
	})
	if err != nil {
		return nil, watched{}, fmt.Errorf("demo: %w", err)
	}
	if err := sim.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		return nil, watched{}, fmt.Errorf("demo: %w", err)
	}
	d := &demo{sim: sim}
	if _, err := sim.InjectFault(demoScratch); err != nil {
		d.Close()
		return nil, watched{}, fmt.Errorf("demo: %w", err)
	}
	for _, c := range demoCollectors {
		f.collectors.EnableByDefault(c)
	}
	go sim.RunIncidents(ctx, demoIncidentEvery, demoIncidentDuration)
	go runDemoAlert(ctx, sim, demoAlertEvery, demoAlertDuration, logger)
	pwFile := filepath.Join(dir, "demo-password")
	if err := os.WriteFile(pwFile, []byte(hex.EncodeToString(pw)), 0o600); err != nil {
		d.Close()
		return nil, watched{}, fmt.Errorf("demo: %w", err)
	}
	if cfg.Modules == nil {
		cfg.Modules = map[string]config.Module{}
	}
	own := config.Module{Auth: "keycloak", Username: "demo", PasswordFile: pwFile, Targets: []string{sim.URL(zvmsim.Protected)}}
	probed := own
	probed.Targets = []string{sim.URL(zvmsim.Protected), sim.URL(zvmsim.Recovery)}
	cfg.Modules["demo"] = probed
	if len(cfg.SLA) == 0 {
		sla, err := config.Parse([]byte(demoSLA))
		if err != nil {
			d.Close()
			return nil, watched{}, fmt.Errorf("demo: SLA targets: %w", err)
		}
		cfg.SLA = sla.SLA
	}
	w := watched{zvm: own}
	vcURL := f.vsphere.url
	if vcURL == "" {
		w.vcenter = &vsphereFlags{timeout: f.vsphere.timeout}
		if d.vc, err = startDemoVCenter(ctx, sim, w.vcenter, dir); err != nil {
			d.Close()
			return nil, watched{}, fmt.Errorf("demo: %w", err)
		}
		vcURL = w.vcenter.url
	}
	level.Info(logger).Log("msg", "Demo: simulated ZVM pair running",
		"protected_zvm", sim.URL(zvmsim.Protected), "recovery_zvm", sim.URL(zvmsim.Recovery),
		"vcenter", vcURL, "incident_every", demoIncidentEvery, "zerto_alert_every", demoAlertEvery,
		"probe_example", "/probe?module=demo&target="+sim.URL(zvmsim.Recovery))
	return d, w, nil
}

// startDemoVCenter runs govmomi's vCenter simulator with one VM per VRA of the demo's ZVMs,
// whose counters move over time, and sets f to read it.
func startDemoVCenter(ctx context.Context, sim *zvmsim.Sim, f *vsphereFlags, dir string) (*vcsim.Server, error) {
	var vras []string
	for _, v := range sim.State().VRAs {
		vras = append(vras, v.Name)
	}
	pw := make([]byte, 12)
	if _, err := rand.Read(pw); err != nil {
		return nil, err
	}
	vc, err := vcsim.Start(ctx, vcsim.Options{VRAs: vras, Username: "demo", Password: hex.EncodeToString(pw)})
	if err != nil {
		return nil, err
	}
	pwFile := filepath.Join(dir, "vcenter-password")
	if err := os.WriteFile(pwFile, []byte(vc.Password), 0o600); err != nil {
		vc.Close()
		return nil, err
	}
	f.url, f.username, f.passwordFile = vc.URL, vc.Username, pwFile
	go func() {
		t := time.NewTicker(demoCounterEvery)
		defer t.Stop()
		for {
			setDemoCounters(vc, vras, time.Now())
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return vc, nil
}

// setDemoCounters gives each VRA VM counters that drift on a slow wave of its own, around the
// vcsim defaults.
func setDemoCounters(vc *vcsim.Server, vras []string, now time.Time) {
	for i, name := range vras {
		w := 1 + 0.5*math.Sin(float64(now.Unix())/600+float64(i))
		vc.SetCounters(name, map[string]int64{
			vsphere.CounterNetTransmitted: int64(1000 * w),
			vsphere.CounterNetReceived:    int64(2000 * w),
			vsphere.CounterCPUUsage:       int64(2500 * w),
			vsphere.CounterMemUsage:       int64(4000 + 1000*w),
		})
	}
}

// runDemoAlert raises demoAlert at once and for duration of every period, until ctx is done.
func runDemoAlert(ctx context.Context, sim *zvmsim.Sim, every, duration time.Duration, logger log.Logger) {
	for {
		id, err := sim.InjectFault(demoAlert)
		if err != nil {
			level.Error(logger).Log("msg", "Demo: cannot raise the Zerto alert", "err", err)
			return
		}
		if !sleepCtx(ctx, duration) {
			return
		}
		// An error means the alert is already gone (cleared by hand through /_sim/faults).
		_ = sim.RemoveFault(id)
		if !sleepCtx(ctx, every-duration) {
			return
		}
	}
}

// sleepCtx waits for d, or returns false as soon as ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
