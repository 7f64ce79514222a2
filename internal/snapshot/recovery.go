package snapshot

import (
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// Recovery reports change rarely and a ZVM keeps a long history, so they are read incrementally:
// the whole lookback window once, then only what ended since the newest report seen, minus an
// overlap for reports the ZVM writes late. Reports are de-duplicated by their operation id.
const recoveryOverlap = 10 * time.Minute

// RecoveryKey identifies the newest report of one kind of operation on one VPG.
type RecoveryKey struct {
	VPG       string
	Operation string
}

// ResultKey counts reports by operation and result.
type ResultKey struct {
	Operation string
	Result    string
}

// RecoveryHistory is what the exporter knows of recovery operations since it started.
type RecoveryHistory struct {
	Latest map[RecoveryKey]zvm.RecoveryReport
	Totals map[ResultKey]float64
}

type recoveryTracker struct {
	lookback time.Duration
	newest   time.Time // end time of the newest report seen; zero before the first read
	seen     map[string]time.Time
	latest   map[RecoveryKey]zvm.RecoveryReport
	totals   map[ResultKey]float64
}

func newRecoveryTracker(lookback time.Duration) *recoveryTracker {
	if lookback <= 0 {
		lookback = 30 * 24 * time.Hour
	}
	return &recoveryTracker{
		lookback: lookback,
		seen:     map[string]time.Time{},
		latest:   map[RecoveryKey]zvm.RecoveryReport{},
		totals:   map[ResultKey]float64{},
	}
}

// query returns the window to ask the ZVM for.
func (t *recoveryTracker) query(now time.Time) zvm.RecoveryQuery {
	start := now.Add(-t.lookback)
	if !t.newest.IsZero() {
		start = t.newest.Add(-recoveryOverlap)
	}
	return zvm.RecoveryQuery{StartTime: start.UTC()}
}

// add merges newly read reports and returns an immutable copy for the snapshot.
func (t *recoveryTracker) add(reports []zvm.RecoveryReport, windowStart time.Time) *RecoveryHistory {
	for _, r := range reports {
		id := reportID(r)
		if _, dup := t.seen[id]; dup {
			continue
		}
		end := r.General.EndTime.Time
		t.seen[id] = end
		t.totals[ResultKey{Operation: r.General.RecoveryType, Result: r.General.Status}]++
		k := RecoveryKey{VPG: r.General.VpgName, Operation: r.General.RecoveryType}
		if old, ok := t.latest[k]; !ok || end.After(old.General.EndTime.Time) {
			t.latest[k] = r
		}
		if end.After(t.newest) {
			t.newest = end
		}
	}
	// Ids older than the next query window can no longer come back: forget them.
	for id, end := range t.seen {
		if end.Before(windowStart.Add(-recoveryOverlap)) {
			delete(t.seen, id)
		}
	}
	h := &RecoveryHistory{
		Latest: make(map[RecoveryKey]zvm.RecoveryReport, len(t.latest)),
		Totals: make(map[ResultKey]float64, len(t.totals)),
	}
	for k, v := range t.latest {
		h.Latest[k] = v
	}
	for k, v := range t.totals {
		h.Totals[k] = v
	}
	return h
}

// reportID is the operation id, or a composite key for ZVMs that leave it out.
func reportID(r zvm.RecoveryReport) string {
	if r.RecoveryOperationIdentifier != "" {
		return r.RecoveryOperationIdentifier
	}
	g := r.General
	return g.VpgIdentifier + "|" + g.RecoveryType + "|" + g.StartTime.String() + "|" + g.EndTime.String()
}
