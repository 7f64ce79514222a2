package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
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
	sim := simtest.New(t, zvmsim.Options{Flavour: "appliance", Profile: "demo", Seed: 1, Username: "u", Password: "p"})
	stop := testutil.Background(t, func(ctx context.Context) {
		runDemoAlert(ctx, sim, 600*time.Millisecond, 300*time.Millisecond, log.NewNopLogger())
	})
	wantWithin := func(want bool, within time.Duration, what string) {
		t.Helper()
		testutil.Eventually(t, within, func() bool { return demoAlertActive(sim) == want },
			fmt.Sprintf("%s: the demo alert is active=%t", what, !want))
	}
	wantWithin(true, 200*time.Millisecond, "at start")
	wantWithin(false, time.Second, "after its duration")
	wantWithin(true, time.Second, "in the next period")
	stop() // fails the test unless runDemoAlert returns when its context ends
}

// TestDemoSLA checks that the demo's SLA targets parse and give every VPG of the demo profile an
// RTO target and a test interval.
func TestDemoSLA(t *testing.T) {
	cfg, err := config.Parse([]byte(demoSLA))
	if err != nil {
		t.Fatal(err)
	}
	sim := simtest.New(t, zvmsim.Options{Flavour: "appliance", Profile: "demo", Seed: 1, Username: "u", Password: "p"})
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
