package collector

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	ztestutil "github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// areaCollectors are the collectors whose goldens this file keeps.
var areaCollectors = []string{"site", "peersite", "vpg", "vm", "vra", "alert", "datastore", "license", "volume", "coverage", "clock", "checkpoints", "encryption", "ejc"}

// TestGolden compares each area collector's exposition of the rich fixture with
// testdata/<collector>.prom (durations left out), and lints it.
func TestGolden(t *testing.T) {
	snap := richSnapshot(t)
	for _, name := range areaCollectors {
		t.Run(name, func(t *testing.T) {
			cfg := Config{Logger: log.NewNopLogger(), SLA: fixtureSLA}
			reg := scrapeRegistry(t, snap, cfg, name)
			golden := filepath.Join("testdata", name+".prom")
			if *update {
				if err := os.WriteFile(golden, exposition(t, stable{reg}), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if err := testutil.GatherAndCompare(stable{reg}, bytes.NewReader(want)); err != nil {
				t.Errorf("exposition differs from %s (run with -update and review):\n%v", golden, err)
			}

			set, err := NewSet([]string{name}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			problems, err := testutil.CollectAndLint(set.CollectorFor(snap))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Errorf("lint: %s: %s", p.Metric, p.Text)
			}
			if n := value(t, gather(t, reg), "zerto_scrape_collector_success", map[string]string{"collector": name}); n != 1 {
				t.Errorf("zerto_scrape_collector_success{collector=%q} = %v, want 1", name, n)
			}
		})
	}
}

// exposition gathers g and encodes it in the text format.
func exposition(t *testing.T, g prometheus.Gatherer) []byte {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	return ztestutil.MetricsText(t, mfs)
}
