package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// Demo incident timing: an RPO breach every few minutes that heals, so dashboards and alerts have
// something to show.
const (
	demoIncidentEvery    = 5 * time.Minute
	demoIncidentDuration = 2 * time.Minute
)

// startDemo runs the simulator's demo profile on loopback and points the --zvm.* flags at its
// protected site, with credentials made up for this run. It also adds a "demo" module to cfg so
// that /probe reaches either site; its password file lives in dir.
func startDemo(ctx context.Context, f *flags, cfg *config.Config, dir string, logger log.Logger) (*zvmsim.Sim, error) {
	pw := make([]byte, 12)
	if _, err := rand.Read(pw); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	sim, err := zvmsim.New(zvmsim.Options{
		Flavour:  "appliance",
		Profile:  "demo",
		Seed:     1,
		Username: "demo",
		Password: hex.EncodeToString(pw),
	})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := sim.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	go sim.RunIncidents(ctx, demoIncidentEvery, demoIncidentDuration)
	f.zvmURL = sim.URL(zvmsim.Protected)
	f.zvmAuth = "keycloak"
	f.zvmUsername = "demo"
	pwFile := filepath.Join(dir, "demo-password")
	if err := os.WriteFile(pwFile, []byte(hex.EncodeToString(pw)), 0o600); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	f.zvmPasswordFile = pwFile
	if cfg.Modules == nil {
		cfg.Modules = map[string]config.Module{}
	}
	cfg.Modules["demo"] = config.Module{Auth: "keycloak", Username: "demo", PasswordFile: pwFile}
	level.Info(logger).Log("msg", "Demo: simulated ZVM pair running",
		"protected_zvm", sim.URL(zvmsim.Protected), "recovery_zvm", sim.URL(zvmsim.Recovery),
		"incident_every", demoIncidentEvery,
		"probe_example", "/probe?module=demo&target="+sim.URL(zvmsim.Recovery))
	return sim, nil
}
