package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/report"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestZVMRecoveries reads a simulated appliance's recovery reports through a module of the config
// file: the period's reports only, with their operation, result and RTO.
func TestZVMRecoveries(t *testing.T) {
	at := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	sim := simtest.New(t, zvmsim.Options{Profile: "demo", Seed: 3, Username: "admin", Password: "zerto", Clock: func() time.Time { return at }})
	zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
	vpg := sim.State().VPGs[0].Name
	simtest.Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindRecoveryReport, VPG: vpg, Type: "FailoverTest", Result: "Fail", RTOSeconds: 700})
	dir := t.TempDir()
	pw := filepath.Join(dir, "password")
	if err := os.WriteFile(pw, []byte("zerto\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "zerto.yml")
	if err := os.WriteFile(cfgFile, []byte(fmt.Sprintf("modules:\n  zvm:\n    auth: keycloak\n    username: admin\n    password_file: %s\n    targets: [%s]\n", pw, zvmURL)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	f := &flags{zvmURL: zvmURL, zvmModule: "zvm", zvmTimeout: 10 * time.Second, configFile: cfgFile}
	p := report.Period{Start: at.Add(-time.Hour), End: at.Add(time.Hour), StepSeconds: 60}
	got, err := zvmRecoveries(context.Background(), f, cfg, p)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, recs := range got {
		for _, r := range recs {
			n++
			if !r.End.After(p.Start) || r.End.After(p.End) {
				t.Errorf("%s: %+v ends outside the period", name, r)
			}
		}
	}
	recs := got[vpg]
	if n != 1 || len(recs) != 1 || recs[0].Operation != "FailoverTest" || recs[0].Result == "Success" || recs[0].RTOSeconds == nil || *recs[0].RTOSeconds != 700 || !recs[0].End.Equal(at) {
		t.Errorf("recoveries %+v, want the one failed FailoverTest of %s at %s with RTO 700", got, vpg, at)
	}
	if len(recs) == 1 && (recs[0].InitiatedBy != zvmsim.DefaultUsername || recs[0].PointInTime == nil || !recs[0].PointInTime.Before(recs[0].End)) {
		t.Errorf("the report's initiator and point in time were not read: %+v", recs[0])
	}
	// The module's credentials go to no ZVM it does not list.
	f.zvmURL = "http://127.0.0.1:1"
	if _, err := zvmRecoveries(context.Background(), f, cfg, p); err == nil || !strings.Contains(err.Error(), `--zvm.url: not a target of module "zvm"`) {
		t.Errorf("unlisted ZVM: %v", err)
	}
	f.zvmURL = zvmURL
	f.zvmModule = "nope"
	if _, err := zvmRecoveries(context.Background(), f, cfg, p); err == nil || err.Error() != fmt.Sprintf("--zvm.module: %s has no module \"nope\"", cfgFile) {
		t.Errorf("unknown module: %v", err)
	}
}
