package main

import (
	"context"
	"testing"
	"time"

	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// demoAlertActive reports whether the simulator shows demoAlert, undismissed.
func demoAlertActive(sim *zvmsim.Sim) bool {
	for _, a := range sim.State().Alerts {
		if a.HelpIdentifier == demoAlert.HelpID && !a.Dismissed {
			return true
		}
	}
	return false
}

// TestDemoAlertCycles checks that the demo's Zerto alert is active from the start, goes away
// after its duration and comes back with the next period.
func TestDemoAlertCycles(t *testing.T) {
	sim, err := zvmsim.New(zvmsim.Options{Flavour: "appliance", Profile: "demo", Seed: 1, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		runDemoAlert(ctx, sim, 600*time.Millisecond, 300*time.Millisecond, log.NewNopLogger())
		close(done)
	}()
	wantWithin := func(want bool, within time.Duration, what string) {
		t.Helper()
		deadline := time.Now().Add(within)
		for demoAlertActive(sim) != want {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the demo alert is active=%t after %s", what, !want, within)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	wantWithin(true, 200*time.Millisecond, "at start")
	wantWithin(false, time.Second, "after its duration")
	wantWithin(true, time.Second, "in the next period")
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("runDemoAlert did not return when its context ended")
	}
}

// TestDemoSLA checks that the demo's SLA targets parse and give every VPG of the demo profile an
// RTO target and a test interval.
func TestDemoSLA(t *testing.T) {
	cfg, err := config.Parse([]byte(demoSLA))
	if err != nil {
		t.Fatal(err)
	}
	sim, err := zvmsim.New(zvmsim.Options{Flavour: "appliance", Profile: "demo", Seed: 1, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	vpgs := sim.State().VPGs
	if len(vpgs) == 0 {
		t.Fatal("the demo profile has no VPGs")
	}
	for _, v := range vpgs {
		if tg := cfg.Targets(v.Name); tg.RTO <= 0 || tg.TestInterval <= 0 {
			t.Errorf("VPG %s: RTO target %s, test interval %s; want both set", v.Name, tg.RTO, tg.TestInterval)
		}
	}
}
