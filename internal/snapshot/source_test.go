package snapshot

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// fakeClient answers from fields and counts calls; errs fails chosen endpoints.
type fakeClient struct {
	mu       sync.Mutex
	calls    map[zvm.Endpoint]int
	errs     map[zvm.Endpoint]error
	delay    time.Duration
	reports  []zvm.RecoveryReport
	since    []time.Time // the Since of each recovery report read
	vpgs     []zvm.VPG
	vras     []zvm.VRA
	names    map[zvm.Endpoint][]string // the ZVM's enumeration name lists
	inFlight atomic.Int32
	maxConc  atomic.Int32
}

func newFake() *fakeClient {
	return &fakeClient{calls: map[zvm.Endpoint]int{}, errs: map[zvm.Endpoint]error{}}
}

func (f *fakeClient) hit(ctx context.Context, ep zvm.Endpoint) error {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.maxConc.Load()
		if n <= m || f.maxConc.CompareAndSwap(m, n) {
			break
		}
	}
	f.mu.Lock()
	f.calls[ep]++
	err := f.errs[ep]
	d := f.delay
	f.mu.Unlock()
	if d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

func (f *fakeClient) count(ep zvm.Endpoint) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[ep]
}

// Read answers r from the fake's fields (answers, then vpgs, vras, names and reports) after
// hit; a failed endpoint answers nothing, as the real client does.
func (f *fakeClient) Read(ctx context.Context, r zvm.Request) (any, error) {
	if r.Endpoint == zvm.EndpointRecoveryReports {
		f.mu.Lock()
		f.since = append(f.since, r.Since)
		f.mu.Unlock()
	}
	if err := f.hit(ctx, r.Endpoint); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch ep := r.Endpoint; {
	case ep == zvm.EndpointVPGs && f.vpgs != nil:
		return f.vpgs, nil
	case ep == zvm.EndpointVRAs && f.vras != nil:
		return f.vras, nil
	case ep == zvm.EndpointRecoveryReports:
		var out []zvm.RecoveryReport
		for _, rep := range f.reports {
			if rep.General.EndTime.IsZero() || !rep.General.EndTime.Before(r.Since) { // undated: the ZVM filters by what it knows
				out = append(out, rep)
			}
		}
		return out, nil
	case f.names[ep] != nil:
		return f.names[ep], nil
	}
	return fakeAnswers()[r.Endpoint], nil
}

// fakeAnswers is what the fake answers each endpoint with, new for every read, in the model the
// real client decodes it into (an endpoint not listed answers a nil of no type: ReadAs makes it
// the zero value).
func fakeAnswers() map[zvm.Endpoint]any {
	return map[zvm.Endpoint]any{
		zvm.EndpointLocalSite:            &zvm.LocalSite{SiteIdentifier: "site-a", SiteName: "A"},
		zvm.EndpointPeerSites:            []zvm.PeerSite{{PeerSiteName: "B"}},
		zvm.EndpointVPGs:                 []zvm.VPG{{VpgName: "vpg1"}},
		zvm.EndpointVMs:                  []zvm.VM{{VmName: "vm1"}},
		zvm.EndpointVRAs:                 []zvm.VRA{{VraName: "Z-VRA-h1"}},
		zvm.EndpointLicense:              &zvm.License{},
		zvm.EndpointServerTime:           &zvm.ServerTime{},
		zvm.EndpointCheckpointStats:      &zvm.CheckpointStats{},
		zvm.EndpointEncryptionState:      &zvm.EncryptionDetectionState{EncryptionDetectionEnabled: new(true)},
		zvm.EndpointSuspectedVPGs:        []zvm.SuspectedVPG{{Link: &zvm.RwLink{Name: "vpg1"}}},
		zvm.EndpointSuspectedVMs:         []zvm.SuspectedVM{{Link: &zvm.RwLink{Name: "vm1"}}},
		zvm.EndpointEncryptionMetricsVPG: []zvm.VPGEncryptionMetrics{{Link: &zvm.RwLink{Name: "vpg1"}}},
		zvm.EndpointEJCHealth:            []zvm.EJCVPGHealth{{VpgName: "vpg1"}},
		zvm.EndpointEJCRepositories:      []zvm.EJCRepository{{RepositoryName: "r1"}},
	}
}

var allEndpoints = []zvm.Endpoint{
	zvm.EndpointPeerSites, zvm.EndpointVPGs, zvm.EndpointVMs, zvm.EndpointVRAs, zvm.EndpointAlerts,
	zvm.EndpointDatastores, zvm.EndpointLicense, zvm.EndpointTasks, zvm.EndpointVMStatistics,
	zvm.EndpointRecoveryReports,
}

func TestRefreshReadsEveryEndpointOnce(t *testing.T) {
	f := newFake()
	s := NewSource(f, Options{Endpoints: allEndpoints, CacheTTL: time.Hour, Concurrency: 3})
	snap, err := s.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !snap.Up() || snap.LocalSite.SiteName != "A" || len(snap.VPGs) != 1 || snap.VRAs[0].VraName != "Z-VRA-h1" {
		t.Fatalf("snapshot not filled: %+v", snap)
	}
	for _, ep := range append([]zvm.Endpoint{zvm.EndpointLocalSite}, allEndpoints...) {
		if n := f.count(ep); n != 1 {
			t.Errorf("%s read %d times, want 1", ep, n)
		}
		if err := snap.Err(ep); err != nil {
			t.Errorf("%s: %v", ep, err)
		}
	}
	if m := f.maxConc.Load(); m > 3 {
		t.Errorf("%d endpoints read at once, want at most 3", m)
	}
	// Cached: no second read within the TTL.
	if _, err := s.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := f.count(zvm.EndpointVPGs); n != 1 {
		t.Errorf("cached snapshot refreshed: /v1/vpgs read %d times", n)
	}
}

func TestConcurrentScrapesShareOneRefresh(t *testing.T) {
	f := newFake()
	f.delay = 50 * time.Millisecond
	s := NewSource(f, Options{Endpoints: allEndpoints, CacheTTL: time.Hour})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, err := s.Get(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := f.count(zvm.EndpointLocalSite); n != 1 {
		t.Errorf("50 concurrent scrapes caused %d refreshes, want 1", n)
	}
}

func TestLocalSiteFailureMeansDownAndNothingElse(t *testing.T) {
	f := newFake()
	f.errs[zvm.EndpointLocalSite] = errors.New("connection refused")
	s := NewSource(f, Options{Endpoints: allEndpoints})
	snap, err := s.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if snap.Up() {
		t.Fatal("snapshot up although /v1/localsite failed")
	}
	if n := f.count(zvm.EndpointVPGs); n != 0 {
		t.Errorf("/v1/vpgs read %d times while the ZVM is down", n)
	}
	if snap.Err(zvm.EndpointVPGs) == nil || snap.OK(zvm.EndpointVPGs) {
		t.Error("endpoint reported fine on a down snapshot")
	}
}

func TestEndpointFailureIsolated(t *testing.T) {
	f := newFake()
	f.errs[zvm.EndpointVMs] = errors.New("HTTP 503")
	f.errs[zvm.EndpointVMStatistics] = &zvm.APIError{Endpoint: zvm.EndpointVMStatistics, StatusCode: 404}
	s := NewSource(f, Options{Endpoints: allEndpoints})
	snap, _ := s.Get(context.Background())
	if !snap.Up() {
		t.Fatal("down although only /v1/vms failed")
	}
	if snap.Err(zvm.EndpointVMs) == nil || snap.VMs != nil {
		t.Error("/v1/vms failure not recorded, or its data kept")
	}
	if snap.Err(zvm.EndpointVPGs) != nil || len(snap.VPGs) != 1 {
		t.Error("/v1/vpgs affected by the /v1/vms failure")
	}
	if err := snap.Err(zvm.EndpointVMStatistics); err != nil || !snap.Fetches[zvm.EndpointVMStatistics].Unsupported || snap.OK(zvm.EndpointVMStatistics) {
		t.Errorf("404 endpoint: err %v, fetch %+v; want unsupported, not failed", err, snap.Fetches[zvm.EndpointVMStatistics])
	}
	if snap.Err(zvm.EndpointAlerts, zvm.EndpointVMs) == nil {
		t.Error("Err over several endpoints missed the failed one")
	}
}

func TestExpiredCacheNeverServesOldData(t *testing.T) {
	f := newFake()
	now := time.Unix(1_800_000_000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := NewSource(f, Options{Endpoints: allEndpoints, CacheTTL: 10 * time.Second, Now: clock})
	first, _ := s.Get(context.Background())
	if !first.Up() {
		t.Fatal("first refresh failed")
	}
	f.mu.Lock()
	f.errs[zvm.EndpointLocalSite] = errors.New("connection refused")
	f.mu.Unlock()
	mu.Lock()
	now = now.Add(11 * time.Second)
	mu.Unlock()
	second, _ := s.Get(context.Background())
	if second.Up() || second.VPGs != nil {
		t.Fatal("old data served after the cache expired and the ZVM went down")
	}
}

func TestRefreshBoundedByScrapeDeadline(t *testing.T) {
	f := newFake()
	f.delay = 5 * time.Second
	s := NewSource(f, Options{Endpoints: allEndpoints})
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	start := time.Now()
	snap, err := s.Get(ctx)
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("Get took %s with a 600ms deadline", took)
	}
	if err == nil && snap.Up() {
		t.Fatal("slow ZVM reported up")
	}
}

func report(id, vpg, op, status string, end time.Time, rto string) zvm.RecoveryReport {
	r := zvm.RecoveryReport{RecoveryOperationIdentifier: id}
	r.General.VpgName, r.General.RecoveryType, r.General.Status = vpg, op, status
	r.General.EndTime = zvm.Time{Time: end}
	r.General.StartTime = zvm.Time{Time: end.Add(-time.Minute)}
	_ = r.General.RTOInSeconds.UnmarshalJSON([]byte(`"` + rto + `"`))
	return r
}

func TestRecoveryReportsIncremental(t *testing.T) {
	f := newFake()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f.reports = []zvm.RecoveryReport{
		report("a", "vpg1", "FailoverTest", "Success", now.Add(-48*time.Hour), "300"),
		report("b", "vpg1", "FailoverTest", "Fail", now.Add(-24*time.Hour), "400"),
		report("c", "vpg2", "Move", "Success", now.Add(-time.Hour), "120"),
	}
	s := NewSource(f, Options{Endpoints: []zvm.Endpoint{zvm.EndpointRecoveryReports}, RecoveryLookback: 30 * 24 * time.Hour, Now: clock})
	snap, _ := s.Get(context.Background())
	if got := f.since[0]; !got.Equal(now.Add(-30 * 24 * time.Hour)) {
		t.Errorf("first query starts %s, want the 30d lookback", got)
	}
	h := snap.Recovery
	if l := h.Latest[RecoveryKey{"vpg1", "FailoverTest"}]; l.RecoveryOperationIdentifier != "b" || l.General.RTOInSeconds.Value != 400 {
		t.Errorf("latest vpg1 test = %+v, want b", l)
	}
	// The first read's reports set their labels at 0: a restart is not a burst of new reports.
	if n, ok := h.Totals[ResultKey{"FailoverTest", "Success"}]; !ok || n != 0 {
		t.Errorf("FailoverTest/Success total after the first read = %v (present %v), want 0", n, ok)
	}
	// Next refresh: asks only for what ended since the newest report (less the overlap), and
	// the overlapping report "c" is not counted twice.
	newest := now.Add(-time.Hour) // report c
	mu.Lock()
	now = now.Add(time.Hour)
	f.reports = append(f.reports, report("d", "vpg1", "FailoverTest", "Success", now.Add(-time.Minute), "200"))
	mu.Unlock()
	snap, _ = s.Get(context.Background())
	if got, want := f.since[1], newest.Add(-recoveryOverlap); !got.Equal(want) {
		t.Errorf("second query starts %s, want %s", got, want)
	}
	h = snap.Recovery
	if n := h.Totals[ResultKey{"Move", "Success"}]; n != 0 {
		t.Errorf("overlapping report counted again: %v", n)
	}
	if l := h.Latest[RecoveryKey{"vpg1", "FailoverTest"}]; l.RecoveryOperationIdentifier != "d" {
		t.Errorf("latest vpg1 test = %s, want d", l.RecoveryOperationIdentifier)
	}
	if n := h.Totals[ResultKey{"FailoverTest", "Success"}]; n != 1 {
		t.Errorf("FailoverTest/Success total %v, want 1", n)
	}
}

// TestRecoveryWindowCoversRunningOperations: a failover test that started before the newest
// report and was still running must be read when it ends, even if the ZVM filters on start.
func TestRecoveryWindowCoversRunningOperations(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tr := newRecoveryTracker(30 * 24 * time.Hour)
	tr.add([]zvm.RecoveryReport{report("b", "vpg2", "FailoverTest", "Success", now.Add(-time.Minute), "60")}, now)
	longStart := now.Add(-3 * time.Hour)
	tr.noteTasks([]zvm.Task{{
		Type: "FailOverTest", Status: &zvm.TaskStatus{State: zvm.Some(zvm.TaskStateWaitingForUserInput)},
		Started: zvm.Time{Time: longStart},
	}, {
		Type: "InstallVra", Status: &zvm.TaskStatus{State: zvm.Some(zvm.TaskStateInProgress)},
		Started: zvm.Time{Time: now.Add(-48 * time.Hour)}, // not a recovery: ignored
	}})
	if got := tr.since(now); got.After(longStart) {
		t.Errorf("window starts %s, after the running test's start %s", got, longStart)
	}
	tr.noteTasks(nil)
	if got, want := tr.since(now), now.Add(-time.Minute-recoveryOverlap); !got.Equal(want) {
		t.Errorf("with nothing running the window starts %s, want %s", got, want)
	}
}

// TestRecoveryReportWithoutTimesCountedOnce: an unreadable date must not make a report new again
// on every refresh.
func TestRecoveryReportWithoutTimesCountedOnce(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tr := newRecoveryTracker(time.Hour)
	tr.add(nil, now)
	r := zvm.RecoveryReport{RecoveryOperationIdentifier: "x"}
	r.General.RecoveryType, r.General.Status = "Move", "Success"
	var h *RecoveryHistory
	for i := range 3 {
		h = tr.add([]zvm.RecoveryReport{r}, now.Add(time.Duration(i)*time.Minute))
	}
	if n := h.Totals[ResultKey{"Move", "Success"}]; n != 1 {
		t.Errorf("report without dates counted %v times, want 1", n)
	}
}
