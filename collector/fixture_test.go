package collector

import (
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// update rewrites the golden files (per-collector expositions, docs/metrics.md) instead of
// comparing against them: go test ./collector/... -update. Review the diff before committing.
var update = flag.Bool("update", false, "rewrite golden files in testdata/ and docs/")

// fixtureTime is when the fixture snapshot was taken.
var fixtureTime = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// fixtureEndpoints are the endpoints the fixture snapshot carries, all read successfully.
var fixtureEndpoints = []zvm.Endpoint{
	zvm.EndpointLocalSite, zvm.EndpointPeerSites, zvm.EndpointVPGs, zvm.EndpointVMs,
	zvm.EndpointVRAs, zvm.EndpointAlerts, zvm.EndpointDatastores, zvm.EndpointLicense,
	zvm.EndpointTasks, zvm.EndpointRecoveryReports, zvm.EndpointVMStatistics,
	zvm.EndpointVolumes, zvm.EndpointServerTime, zvm.EndpointUnprotectedVMs, zvm.EndpointServiceProfiles,
	zvm.EndpointCheckpointStats, zvm.EndpointCheckpoints,
	snapshot.EndpointVCenter,
}

// decodeFixture decodes testdata/zvm/<file> into v with the wire models, as the client does.
func decodeFixture(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "zvm", file))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// richSnapshot is a two-site ZVM seen from the Boston site: every endpoint read, every area
// populated (including tasks and recovery reports for the recovery collector, and the vCenter
// readings of the VRA VMs for the vsphere collector).
func richSnapshot(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	s := &snapshot.Snapshot{Taken: fixtureTime, Duration: 120 * time.Millisecond, Fetches: map[zvm.Endpoint]snapshot.Fetch{}}
	for _, ep := range append(fixtureEndpoints, cyberEndpoints...) {
		s.Fetches[ep] = snapshot.Fetch{Duration: 10 * time.Millisecond}
	}
	decodeFixture(t, "localsite.json", &s.LocalSite)
	decodeFixture(t, "peersites.json", &s.PeerSites)
	decodeFixture(t, "vpgs.json", &s.VPGs)
	decodeFixture(t, "vms.json", &s.VMs)
	decodeFixture(t, "vras.json", &s.VRAs)
	decodeFixture(t, "alerts.json", &s.Alerts)
	decodeFixture(t, "datastores.json", &s.Datastores)
	decodeFixture(t, "license.json", &s.License)
	decodeFixture(t, "tasks.json", &s.Tasks)
	decodeFixture(t, "statistics_vms.json", &s.VMStatistics)
	var reports []zvm.RecoveryReport
	decodeFixture(t, "reports_recovery.json", &reports)
	s.Recovery = recoveryHistory(reports)
	decodeFixture(t, "vsphere.json", &s.VSphere)
	decodeFixture(t, "volumes.json", &s.Volumes)
	decodeFixture(t, "unprotected_vms.json", &s.UnprotectedVMs)
	decodeFixture(t, "serviceprofiles.json", &s.ServiceProfiles)
	// The ZVM's clock read 42.25 s ahead, over a 30 ms round trip.
	s.ServerTime = &zvm.ServerTime{Server: fixtureTime.Add(42250 * time.Millisecond), Local: fixtureTime, RoundTrip: 30 * time.Millisecond}
	// ERP-Prod's journal holds a tagged checkpoint, Finance-DB's none; Web-Tier (in initial
	// sync) has no checkpoint yet.
	s.Checkpoints = map[string]snapshot.VPGCheckpoints{
		"0f6a3b2c-1d4e-4f5a-9b6c-7d8e9f0a1b11": {Latest: fixtureTime.Add(-7 * time.Second), LatestTagged: fixtureTime.Add(-3*time.Hour - 250*time.Millisecond)},
		"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c33": {Latest: fixtureTime.Add(-95 * time.Second)},
		"5b7c9d1e-2f3a-4b5c-8d6e-0f1a2b3c4d22": {},
	}
	addCyberFixtures(t, s)
	return s
}

// recoveryHistory is what the snapshot's tracker builds from one read of reports.
func recoveryHistory(reports []zvm.RecoveryReport) *snapshot.RecoveryHistory {
	h := &snapshot.RecoveryHistory{
		Latest: map[snapshot.RecoveryKey]zvm.RecoveryReport{},
		Totals: map[snapshot.ResultKey]float64{},
	}
	for _, r := range reports {
		g := r.General
		h.Totals[snapshot.ResultKey{Operation: g.RecoveryType, Result: g.Status}]++
		k := snapshot.RecoveryKey{VPG: g.VpgName, Operation: g.RecoveryType}
		if old, ok := h.Latest[k]; !ok || g.EndTime.After(old.General.EndTime.Time) {
			h.Latest[k] = r
		}
	}
	return h
}

// withFetch returns a copy of s in which endpoint ep was read with result f.
func withFetch(s *snapshot.Snapshot, ep zvm.Endpoint, f snapshot.Fetch) *snapshot.Snapshot {
	c := *s
	c.Fetches = maps.Clone(s.Fetches)
	c.Fetches[ep] = f
	return &c
}

// fakeSLA resolves SLA targets by exact VPG name; each VPG is a rule of its own, named after it.
type fakeSLA map[string]SLATargets

func (f fakeSLA) Targets(vpg string) SLATargets {
	t, ok := f[vpg]
	if ok {
		t.Rule = vpg
	}
	return t
}

func (f fakeSLA) Rules() []SLARule {
	var rules []SLARule
	for vpg := range f {
		rules = append(rules, SLARule{Name: vpg, Match: vpg})
	}
	return rules
}

// fixtureSLA overrides the RPO target of Finance-DB and sets RTO targets on two VPGs; Web-Tier has
// no SLA entry, and Retired-App's entry matches nothing.
var fixtureSLA = fakeSLA{
	"ERP-Prod":    {RTO: 10 * time.Minute},
	"Finance-DB":  {RPO: 2 * time.Minute, RTO: 15 * time.Minute, TestInterval: 30 * 24 * time.Hour},
	"Retired-App": {RTO: time.Hour}, // matches no VPG of the fixture
}

// scrapeRegistry returns a pedantic registry holding a Set of the named collectors scraping snap.
func scrapeRegistry(t *testing.T, snap *snapshot.Snapshot, cfg Config, names ...string) *prometheus.Registry {
	t.Helper()
	set, err := NewSet(names, cfg)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(set.CollectorFor(snap))
	return reg
}

// stable drops the families whose values change from run to run (durations).
type stable struct{ g prometheus.Gatherer }

func (s stable) Gather() ([]*dto.MetricFamily, error) {
	mfs, err := s.g.Gather()
	out := mfs[:0]
	for _, mf := range mfs {
		if strings.HasSuffix(mf.GetName(), "_duration_seconds") {
			continue
		}
		out = append(out, mf)
	}
	return out, err
}

// gather collects the registry and fails the test on any error (duplicates, inconsistent labels).
func gather(t *testing.T, g prometheus.Gatherer) map[string]*dto.MetricFamily {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, mf := range mfs {
		out[mf.GetName()] = mf
	}
	return out
}

// labelsOf returns a metric's labels as a map.
func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, lp := range m.GetLabel() {
		out[lp.GetName()] = lp.GetValue()
	}
	return out
}

// find returns the metrics of family name whose labels include want.
func find(mfs map[string]*dto.MetricFamily, name string, want map[string]string) []*dto.Metric {
	var out []*dto.Metric
	for _, m := range mfs[name].GetMetric() {
		l := labelsOf(m)
		ok := true
		for k, v := range want {
			if l[k] != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, m)
		}
	}
	return out
}

// value returns the value of the one metric of family name matching want.
func value(t *testing.T, mfs map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	ms := find(mfs, name, want)
	if len(ms) != 1 {
		t.Fatalf("%s%v: want 1 series, got %d", name, want, len(ms))
	}
	m := ms[0]
	switch {
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Untyped != nil:
		return m.GetUntyped().GetValue()
	}
	t.Fatalf("%s%v: no gauge, counter or untyped value", name, want)
	return 0
}

// absent fails the test when family name has a series matching want.
func absent(t *testing.T, mfs map[string]*dto.MetricFamily, name string, want map[string]string) {
	t.Helper()
	if ms := find(mfs, name, want); len(ms) > 0 {
		t.Errorf("%s%v: want no series, got %d", name, want, len(ms))
	}
}

// familyNames returns the sorted names of the families in mfs.
func familyNames(mfs map[string]*dto.MetricFamily) []string {
	out := make([]string, 0, len(mfs))
	for n := range mfs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

const (
	erpID     = "0f6a3b2c-1d4e-4f5a-9b6c-7d8e9f0a1b11"
	webID     = "5b7c9d1e-2f3a-4b5c-8d6e-0f1a2b3c4d22"
	financeID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c33"
	sharedVM  = "4a1f5c2e-7b3d-4e8a-9c6f-0d2e1b3a5c71.vm-102"
	esx01     = "esx01.boston.example.org"
	esx02     = "esx02.boston.example.org"
	esx03ID   = "4a1f5c2e-7b3d-4e8a-9c6f-0d2e1b3a5c71.host-13"
)

func scrapeAll(t *testing.T, snap *snapshot.Snapshot, sla SLAResolver, names ...string) map[string]*dto.MetricFamily {
	t.Helper()
	return gather(t, scrapeRegistry(t, snap, Config{Logger: log.NewNopLogger(), SLA: sla}, names...))
}

// cyberEndpoints are the Zerto 10 cyber-resilience endpoints the fixture snapshot carries.
var cyberEndpoints = []zvm.Endpoint{
	zvm.EndpointEncryptionState, zvm.EndpointSuspectedVPGs, zvm.EndpointSuspectedVMs,
	zvm.EndpointEncryptionMetricsVPG, zvm.EndpointEJCHealth, zvm.EndpointEJCRepositories,
}

// addCyberFixtures fills s with testdata/zvm's encryption-detection and Extended Journal Copy
// payloads. They hold edge cases on purpose: a VPG listed twice, a suspected VPG unknown to
// /v1/vpgs, a level outside the known ones, null values, a never-run copy (year 1), sizes only in
// RepositoryState, a repository without storage settings, and storage secrets that must not
// reach the exposition.
func addCyberFixtures(t *testing.T, s *snapshot.Snapshot) {
	t.Helper()
	decodeFixture(t, "encryption_state.json", &s.EncryptionState)
	decodeFixture(t, "encryption_suspected_vpgs.json", &s.SuspectedVPGs)
	decodeFixture(t, "encryption_suspected_vms.json", &s.SuspectedVMs)
	decodeFixture(t, "encryption_metrics_vpgs.json", &s.EncryptionMetrics)
	var health struct{ Vpgs []zvm.EJCVPGHealth }
	decodeFixture(t, "ltr_health_vpgs.json", &health)
	s.EJCHealth = health.Vpgs
	decodeFixture(t, "ltr_repositories.json", &s.EJCRepositories)
}

// wantSample is a sample a test expects: the one series of metric carrying labels, and its value.
type wantSample struct {
	metric string
	labels map[string]string
	want   float64
}

// expectSamples fails for each of wants whose series in mfs has another value (and the test at
// once when the series is missing or not alone).
func expectSamples(t *testing.T, mfs map[string]*dto.MetricFamily, wants ...wantSample) {
	t.Helper()
	for _, w := range wants {
		if got := value(t, mfs, w.metric, w.labels); got != w.want {
			t.Errorf("%s%v = %v, want %v", w.metric, w.labels, got, w.want)
		}
	}
}
