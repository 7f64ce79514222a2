package snapshot

import (
	"maps"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// Recovery reports change rarely and a ZVM keeps a long history, so they are read incrementally:
// the whole lookback window once, then only what is new since the newest report seen, minus an
// overlap for reports the ZVM writes late. Reports are de-duplicated by their operation id.
//
// The ZVM's startTime filter may apply to an operation's start, so a long operation (a failover
// test left running for a day) that started before the window would never be read. The window
// therefore also reaches back to the start of every recovery that was running in the previous
// refresh.
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
	// Totals counts the reports that appeared after the first read; the first read's reports
	// only create their keys at 0, so a restart is not a burst of new reports.
	Totals map[ResultKey]float64
}

type recoveryTracker struct {
	lookback time.Duration
	read     bool      // the lookback window has been read once
	newest   time.Time // time of the newest report seen, never in the future
	running  time.Time // start of the oldest recovery running at the previous refresh
	seen     map[string]time.Time
	latest   map[RecoveryKey]zvm.RecoveryReport
	totals   map[ResultKey]float64
}

func newRecoveryTracker(lookback time.Duration) *recoveryTracker {
	if lookback <= 0 {
		lookback = 365 * 24 * time.Hour
	}
	return &recoveryTracker{
		lookback: lookback,
		seen:     map[string]time.Time{},
		latest:   map[RecoveryKey]zvm.RecoveryReport{},
		totals:   map[ResultKey]float64{},
	}
}

// since returns where the window to ask the ZVM for starts.
func (t *recoveryTracker) since(now time.Time) time.Time {
	start := now.Add(-t.lookback)
	if t.read {
		start = later(start, t.newest.Add(-recoveryOverlap))
		if !t.running.IsZero() {
			start = later(now.Add(-t.lookback), earlier(start, t.running.Add(-recoveryOverlap)))
		}
	}
	return start.UTC()
}

// noteTasks remembers when the oldest recovery still running began, for the next query.
func (t *recoveryTracker) noteTasks(tasks []zvm.Task) {
	t.running = time.Time{}
	for i := range tasks {
		task := &tasks[i]
		if _, ok := zvm.RecoveryOperation(task.Type); !ok || !task.Running() || !task.Started.Valid() {
			continue
		}
		if t.running.IsZero() || task.Started.Before(t.running) {
			t.running = task.Started.Time
		}
	}
}

// add merges newly read reports and returns an immutable copy for the snapshot.
func (t *recoveryTracker) add(reports []zvm.RecoveryReport, now time.Time) *RecoveryHistory {
	first := !t.read
	t.read = true
	for _, r := range reports {
		id := reportID(r)
		if _, dup := t.seen[id]; dup {
			continue
		}
		// A report without a readable time is kept as seen until it ages out like one of now.
		at := earlier(firstSet(r.General.EndTime.Time, r.General.StartTime.Time, now), now)
		t.seen[id] = at
		k := ResultKey{Operation: r.General.RecoveryType, Result: r.General.Status}
		if first {
			t.totals[k] += 0
		} else {
			t.totals[k]++
		}
		// Only a report with a readable time can be a VPG's newest: one without would replace a
		// dated one arbitrarily.
		lk := RecoveryKey{VPG: r.General.VpgName, Operation: r.General.RecoveryType}
		if old, ok := t.latest[lk]; !reportTime(r).IsZero() && (!ok || reportTime(r).After(reportTime(old))) {
			t.latest[lk] = r
		}
		if at.After(t.newest) {
			t.newest = at
		}
	}
	// Ids older than any future query window can no longer come back: forget them.
	horizon := t.since(now).Add(-recoveryOverlap)
	for id, at := range t.seen {
		if at.Before(horizon) {
			delete(t.seen, id)
		}
	}
	h := &RecoveryHistory{
		Latest: make(map[RecoveryKey]zvm.RecoveryReport, len(t.latest)),
		Totals: make(map[ResultKey]float64, len(t.totals)),
	}
	maps.Copy(h.Latest, t.latest)
	maps.Copy(h.Totals, t.totals)
	return h
}

// reportTime orders reports: by end time, else by start time.
func reportTime(r zvm.RecoveryReport) time.Time {
	return firstSet(r.General.EndTime.Time, r.General.StartTime.Time)
}

// firstSet returns the first non-zero time.
func firstSet(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// reportID is the operation id, or a composite key for ZVMs that leave it out.
func reportID(r zvm.RecoveryReport) string {
	if r.RecoveryOperationIdentifier != "" {
		return r.RecoveryOperationIdentifier
	}
	g := r.General
	return g.VpgIdentifier + "|" + g.RecoveryType + "|" + g.StartTime.String() + "|" + g.EndTime.String()
}
