package collector

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/kingpin/v2"
	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// panicker is a collector whose Update runs panic, which is meant to panic.
type panicker struct{ panic func() }

func (p panicker) Update(*snapshot.Snapshot, chan<- prometheus.Metric) error {
	p.panic()
	return nil
}

func TestCollectorPanicLoggedOncePerDistinctPanic(t *testing.T) {
	var logs testutil.SyncBuffer
	value := "first"
	var index []int
	s := &Set{
		names: []string{"boom", "index"},
		collectors: map[string]Collector{
			"boom":  panicker{func() { panic(value) }},
			"index": panicker{func() { _ = index[len(value)] }},
		},
		regs:   map[string]registration{"boom": {name: "boom"}, "index": {name: "index"}},
		logger: level.NewFilter(log.NewLogfmtLogger(&logs), level.AllowInfo()),
		panics: map[string]struct{}{},
	}
	scrape := func() {
		t.Helper()
		for _, name := range s.names {
			ch := make(chan prometheus.Metric, 3) // supported, duration, success
			s.execute(name, &snapshot.Snapshot{}, ch)
			close(ch)
			for m := range ch {
				var pb dto.Metric
				if err := m.Write(&pb); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(m.Desc().String(), "zerto_scrape_collector_success") && pb.GetGauge().GetValue() != 0 {
					t.Errorf("%s: a panicking collector reports success", name)
				}
			}
		}
	}
	errorLines := func() []string {
		var out []string
		for _, l := range logs.Lines() {
			if strings.Contains(l, "level=error") {
				out = append(out, l)
			}
		}
		return out
	}

	for range 3 {
		scrape()
	}
	lines := errorLines()
	if len(lines) != 2 {
		t.Fatalf("after three scrapes, %d error lines, want one per collector:\n%s", len(lines), logs.String())
	}
	for _, want := range []string{"collector=boom", "panic=first", "at=", "collector_test.go", "goroutine"} {
		if !strings.Contains(lines[0]+lines[1], want) {
			t.Errorf("the panic's log lines lack %q:\n%s", want, logs.String())
		}
	}
	for _, l := range lines {
		if strings.Contains(l, "collector=index") && !strings.Contains(l, `at="github.com/zerto-exporter/zerto_exporter/collector.TestCollectorPanicLoggedOncePerDistinctPanic`) {
			t.Errorf("an index panic is placed in the runtime, not in the code that indexed: %s", l)
		}
	}

	value = "second" // a new value for boom, and a new index for index: two new panics
	for range 2 {
		scrape()
	}
	if lines := errorLines(); len(lines) != 4 || !strings.Contains(strings.Join(lines, "\n"), "panic=second") {
		t.Errorf("after new panics, %d error lines, want 4 with the new value:\n%s", len(lines), logs.String())
	}
}

// areaOwned lists each area collector's owned endpoints.
var areaOwned = map[string][]zvm.Endpoint{
	"site":      {zvm.EndpointLocalSite},
	"peersite":  {zvm.EndpointPeerSites},
	"vpg":       {zvm.EndpointVPGs},
	"vm":        {zvm.EndpointVMs, zvm.EndpointVMStatistics},
	"vra":       {zvm.EndpointVRAs},
	"alert":     {zvm.EndpointAlerts},
	"datastore": {zvm.EndpointDatastores},
	"license":   {zvm.EndpointLicense},
	"encryption": {zvm.EndpointEncryptionState, zvm.EndpointSuspectedVPGs, zvm.EndpointSuspectedVMs,
		zvm.EndpointEncryptionMetricsVPG},
	"ejc": {zvm.EndpointEJCHealth, zvm.EndpointEJCRepositories},
}

// onlyFramework fails unless mfs holds nothing but zerto_up and the scrape bookkeeping.
func onlyFramework(t *testing.T, mfs map[string]*dto.MetricFamily) {
	t.Helper()
	for _, n := range familyNames(mfs) {
		if n != "zerto_up" && n != "zerto_scrape_collector_supported" && !strings.HasPrefix(n, "zerto_scrape_collector_") {
			t.Errorf("unexpected family %s", n)
		}
	}
}

func TestOwnedEndpointFailed(t *testing.T) {
	for name, owns := range areaOwned {
		for _, ep := range owns {
			if ep == zvm.EndpointLocalSite {
				continue // its failure is zerto_up 0, tested below
			}
			t.Run(name+string(ep), func(t *testing.T) {
				snap := withFetch(richSnapshot(t), ep, snapshot.Fetch{Err: errors.New("GET " + string(ep) + ": HTTP 500")})
				mfs := scrapeAll(t, snap, fixtureSLA, name)
				onlyFramework(t, mfs)
				if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": name}); got != 0 {
					t.Errorf("success %v, want 0", got)
				}
				if got := value(t, mfs, "zerto_up", nil); got != 1 {
					t.Errorf("zerto_up %v, want 1", got)
				}
			})
		}
	}
}

func TestBorrowedEndpointFailed(t *testing.T) {
	failed := snapshot.Fetch{Err: errors.New("HTTP 503")}

	// vm borrows /v1/vras: VRA labels empty, everything else there.
	mfs := scrapeAll(t, withFetch(richSnapshot(t), zvm.EndpointVRAs, failed), nil, "vm")
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "vm"}); got != 1 {
		t.Errorf("vm success %v with /v1/vras failed, want 1", got)
	}
	if n := len(mfs["zerto_vm_info"].GetMetric()); n != 5 {
		t.Errorf("zerto_vm_info: %d series, want 5", n)
	}
	for _, m := range mfs["zerto_vm_info"].GetMetric() {
		if l := labelsOf(m); l["source_vra"] != "" || l["recovery_vra"] != "" || l["protected_host"] == "" {
			t.Errorf("zerto_vm_info%v: want empty VRA labels and the host kept", l)
		}
	}

	// vra borrows /v1/vms: sums absent, the rest there.
	mfs = scrapeAll(t, withFetch(richSnapshot(t), zvm.EndpointVMs, failed), nil, "vra")
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "vra"}); got != 1 {
		t.Errorf("vra success %v with /v1/vms failed, want 1", got)
	}
	for _, n := range []string{"zerto_vra_throughput_bytes_per_second", "zerto_vra_iops"} {
		if _, ok := mfs[n]; ok {
			t.Errorf("%s present with /v1/vms failed", n)
		}
	}
	if len(mfs["zerto_vra_status"].GetMetric()) == 0 {
		t.Error("zerto_vra_status missing")
	}

	// vpg borrows /v1/peersites: names known only from the links are left empty.
	mfs = scrapeAll(t, withFetch(richSnapshot(t), zvm.EndpointPeerSites, failed), nil, "vpg")
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "vpg"}); got != 1 {
		t.Errorf("vpg success %v with /v1/peersites failed, want 1", got)
	}
	l := labelsOf(find(mfs, "zerto_vpg_info", map[string]string{"vpg_id": financeID})[0])
	if l["protected_site"] != "" || l["recovery_site"] != "Boston-DC" || l["site_role"] != roleRecovery {
		t.Errorf("Finance-DB info without peer sites: %v", l)
	}

	// alert borrows /v1/vpgs: the per-VPG counts are absent, the ZVM-wide ones there.
	mfs = scrapeAll(t, withFetch(richSnapshot(t), zvm.EndpointVPGs, failed), nil, "alert")
	if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": "alert"}); got != 1 {
		t.Errorf("alert success %v with /v1/vpgs failed, want 1", got)
	}
	if _, ok := mfs["zerto_vpg_alerts"]; ok {
		t.Error("zerto_vpg_alerts present with /v1/vpgs failed")
	}
	if len(mfs["zerto_alerts"].GetMetric()) == 0 {
		t.Error("zerto_alerts missing")
	}
}

func TestZVMDown(t *testing.T) {
	snap := &snapshot.Snapshot{
		Taken:   fixtureTime,
		UpErr:   errors.New("GET /v1/localsite: HTTP 401"),
		Fetches: map[zvm.Endpoint]snapshot.Fetch{zvm.EndpointLocalSite: {Err: errors.New("HTTP 401")}},
	}
	var names []string
	for _, c := range Available() {
		names = append(names, c.Name)
	}
	for _, s := range []*snapshot.Snapshot{snap, nil} {
		mfs := scrapeAll(t, s, fixtureSLA, names...)
		onlyFramework(t, mfs)
		if got := value(t, mfs, "zerto_up", nil); got != 0 {
			t.Errorf("zerto_up %v, want 0", got)
		}
		for _, n := range names {
			if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": n}); got != 0 {
				t.Errorf("collector %s success %v, want 0", n, got)
			}
		}
	}
}

// TestEnableByDefault checks that EnableByDefault turns an opt-in collector on unless the command
// line says otherwise.
func TestEnableByDefault(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"--no-collector.checkpoints"}, false},
		{[]string{"--collector.disable-defaults"}, false},
		{[]string{"--collector.disable-defaults", "--collector.checkpoints"}, true},
	} {
		app := kingpin.New("test", "")
		sel := AddFlags(app)
		if _, err := app.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(sel.Enabled(), "checkpoints") && len(c.args) == 0 {
			t.Fatal("checkpoints is on by default; pick an opt-in collector for this test")
		}
		sel.EnableByDefault("checkpoints")
		if got := slices.Contains(sel.Enabled(), "checkpoints"); got != c.want {
			t.Errorf("%v: checkpoints enabled %t, want %t", c.args, got, c.want)
		}
	}
}

// TestEndpointsOwnedOnce: every endpoint a refresh can read (snapshot's table) is owned by at most
// one collector and declared by one at least, and every endpoint a collector owns or borrows is in
// that table.
func TestEndpointsOwnedOnce(t *testing.T) {
	readable := map[zvm.Endpoint]bool{}
	for _, ep := range snapshot.Endpoints() {
		readable[ep] = true
	}
	owner := map[zvm.Endpoint]string{}
	declared := map[zvm.Endpoint]bool{}
	for name, r := range registry {
		for _, ep := range r.owns {
			if prev, dup := owner[ep]; dup {
				t.Errorf("%s: owned by %s and %s", ep, prev, name)
			}
			owner[ep] = name
		}
		for _, ep := range append(slices.Clone(r.owns), r.borrows...) {
			if !readable[ep] {
				t.Errorf("collector %s declares %s, which no refresh reads", name, ep)
			}
			declared[ep] = true
		}
	}
	for ep := range readable {
		if !declared[ep] {
			t.Errorf("%s: read by the refresh, declared by no collector", ep)
		}
	}
}

// TestCollectorsUnsupportedOrFailed: a ZVM without the endpoints of the volume, coverage,
// clock or checkpoints collector (404) leaves the collector successful with no series of its own
// (not a false 0); a failed read fails it, with no series either.
func TestCollectorsUnsupportedOrFailed(t *testing.T) {
	for _, c := range []struct {
		collector string
		endpoints []zvm.Endpoint
		families  []string
	}{
		{"volume", []zvm.Endpoint{zvm.EndpointVolumes}, []string{"zerto_vpg_journal_volume_used_bytes", "zerto_vpg_scratch_volume_used_bytes"}},
		{"coverage", []zvm.Endpoint{zvm.EndpointUnprotectedVMs}, []string{"zerto_site_unprotected_vms"}},
		{"clock", []zvm.Endpoint{zvm.EndpointServerTime}, []string{"zerto_zvm_clock_skew_seconds"}},
		{"checkpoints", []zvm.Endpoint{zvm.EndpointCheckpointStats, zvm.EndpointCheckpoints},
			[]string{"zerto_vpg_latest_checkpoint_timestamp_seconds", "zerto_vpg_latest_tagged_checkpoint_timestamp_seconds"}},
	} {
		for _, f := range []snapshot.Fetch{{Unsupported: true}, {Err: errors.New("GET: HTTP 500")}} {
			snap := richSnapshot(t)
			for _, ep := range c.endpoints {
				snap = withFetch(snap, ep, f)
			}
			// The source stores nothing of an endpoint that was not read.
			snap.Volumes, snap.UnprotectedVMs, snap.ServerTime, snap.Checkpoints = nil, nil, nil, nil
			mfs := scrapeAll(t, snap, nil, c.collector)
			want := 1.0
			if f.Err != nil {
				want = 0
			}
			if got := value(t, mfs, "zerto_scrape_collector_success", map[string]string{"collector": c.collector}); got != want {
				t.Errorf("%s with %+v: success %v, want %v", c.collector, f, got, want)
			}
			for _, n := range familyNames(mfs) {
				for _, fam := range c.families {
					if n == fam {
						t.Errorf("%s with %+v: %s present", c.collector, f, n)
					}
				}
				if strings.HasPrefix(n, "zerto_vpg_") || strings.HasPrefix(n, "zerto_site_") || strings.HasPrefix(n, "zerto_zvm_") {
					t.Errorf("%s with %+v: %s present", c.collector, f, n)
				}
			}
		}
	}
}
