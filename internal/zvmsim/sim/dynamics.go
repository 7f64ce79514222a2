package sim

import (
	"math"
	"time"
)

// Timing of the scripted behaviour. Everything is a function of the time
// elapsed since the simulator started, evaluated when a request arrives.
const (
	initialSyncDuration = 75 * time.Second
	journalSettle       = 30 * time.Minute // time constant of journal growth
	uptime              = 3 * 24 * time.Hour
	// One VPG runs a failover test in every cycle, from testOffset into the
	// cycle for testLength; the first starts testOffset after start.
	testCycle  = 30 * time.Minute
	TestOffset = 20 * time.Minute
	TestLength = 4 * time.Minute
)

// Wave is a sine of the given period (seconds), the building block of the
// smooth, deterministic variation of RPO and rates.
func Wave(t, period, phase float64) float64 { return math.Sin(2*math.Pi*t/period + phase) }

// waveIntegral is the integral of wave over [0, t], so that counters built
// from a varying rate stay monotonic.
func waveIntegral(t, period, phase float64) float64 {
	return period / (2 * math.Pi) * (math.Cos(phase) - math.Cos(2*math.Pi*t/period+phase))
}

const (
	rateSwing  = 0.35 // relative variation of throughput and IOPS
	ratePeriod = 90.0 // seconds
)

// VPGLive is a VPG's state at one instant, faults included.
type VPGLive struct {
	Status, SubStatus, AlertStatus int
	RPO                            int // -1 while not calculated
	HistoryMin                     int
	FailSafeMin                    int // actual fail-safe history; the VPG's failSafeMin is the configured one
	Progress                       float64
	Throughput                     float64
	Iops                           int
	ProvisionedMB, UsedMB          int64
	TestRunning                    bool
	LastTest                       time.Time
}

func (m *Model) Elapsed(now time.Time) float64 { return max(0, now.Sub(m.Start).Seconds()) }

// initialising says whether VPG i is still in its initial sync.
func (m *Model) initialising(i int, now time.Time) bool {
	return m.Vpgs[i].initialSync && now.Sub(m.Start) < initialSyncDuration
}

// LiveVPG computes VPG i at now. The caller holds m.mu.
func (m *Model) LiveVPG(i int, now time.Time) VPGLive {
	v := &m.Vpgs[i]
	t := m.Elapsed(now)
	l := VPGLive{
		Status:     VPGMeetingSLA,
		RPO:        max(1, int(math.Round(v.baseRPO+2*Wave(t, 37, v.phase)+1.5*Wave(t, 11, 3*v.phase)))),
		HistoryMin: v.HistoryMin,
		LastTest:   m.lastTest[i],
	}
	for _, r := range v.Rows {
		l.Throughput += m.RowThroughput(r, now)
		l.Iops += m.RowIOPS(r, t)
		l.ProvisionedMB += m.Rows[r].ProvisionedMB
		l.UsedMB += m.Rows[r].UsedMB
	}
	l.Throughput = PerMiB(l.Throughput)
	if h, ok := m.Fx.history[i]; ok && h < v.HistoryMin {
		l.HistoryMin = h
		l.Status, l.AlertStatus = VPGHistoryNotMeetingSLA, AlertWarning
	}
	if m.Fx.journalWarn[i] {
		l.AlertStatus = max(l.AlertStatus, AlertWarning)
	}
	if rpo, ok := m.Fx.rpo[i]; ok {
		l.RPO = rpo
		if rpo > v.RPOTarget {
			l.Status, l.AlertStatus = VPGRpoNotMeetingSLA, AlertError
		}
	}
	if d, ok := m.Fx.degraded[i]; ok {
		l.RPO = max(l.RPO, int(now.Sub(d.since).Seconds())+int(v.baseRPO))
		l.Status, l.SubStatus, l.AlertStatus = VPGNotMeetingSLA, d.subStatus, AlertError
	}
	if m.initialising(i, now) {
		l.Status, l.SubStatus, l.RPO, l.AlertStatus = VPGInitializing, SubInitialSync, -1, alertNormal
		l.Progress = math.Floor(100 * t / initialSyncDuration.Seconds())
		l.HistoryMin = 0
	}
	// The fail-safe history is kept inside the journal: it cannot reach back further than the
	// journal's own history.
	l.FailSafeMin = min(v.FailSafeMin, l.HistoryMin)
	if tested, ok := m.Fx.lastTest[i]; ok && tested.After(l.LastTest) {
		l.LastTest = tested
	}
	if k, _, ok := m.RunningTest(now); ok && m.TestedVPG(k) == i {
		l.TestRunning = true
	}
	return l
}

// EarliestCheckpoint is the time of the oldest checkpoint in the VPG's journal at now: the
// journal's actual history back.
func (l *VPGLive) EarliestCheckpoint(now time.Time) time.Time {
	return now.Add(-time.Duration(l.HistoryMin) * time.Minute)
}

// RowThroughput is a VM's replication rate in MB/s; a VM in initial sync
// copies its disks on top of its write rate.
func (m *Model) RowThroughput(r int, now time.Time) float64 {
	row := &m.Rows[r]
	v := row.throughput * (1 + rateSwing*Wave(m.Elapsed(now), ratePeriod, row.phase))
	if m.initialising(row.VPG, now) {
		v += 20
	}
	return PerMiB(v)
}

func (m *Model) RowIOPS(r int, t float64) int {
	row := &m.Rows[r]
	return int(math.Round(row.iops * (1 + rateSwing*Wave(t, ratePeriod, row.phase+1))))
}

// JournalUsedMB grows towards the VM's journal target, which stays below its
// warning threshold, unless a journal_fill fault pins it.
func (m *Model) JournalUsedMB(r int, now time.Time) int64 {
	row := &m.Rows[r]
	if ratio, ok := m.Fx.journal[r]; ok {
		return int64(ratio * row.Hard.ResolveMB(row.ProvisionedMB))
	}
	settle := math.Exp(-m.Elapsed(now) / journalSettle.Seconds())
	if m.Vpgs[row.VPG].initialSync {
		return int64(row.journalTarget * (1 - settle))
	}
	return int64(row.journalTarget * (1 - 0.4*settle))
}

// vmCounters are the cumulative /v1/statistics/vms counters of a row: the
// integrals of its rates since the ZVM booted (uptime before start).
type vmCounters struct {
	IoOps, WriteMB, SyncMB, NetworkMB int64
}

func (m *Model) RowCounters(r int, now time.Time) vmCounters {
	row := &m.Rows[r]
	t := m.Elapsed(now)
	run := t + uptime.Seconds()
	writeMB := row.throughput * (run + rateSwing*waveIntegral(t, ratePeriod, row.phase))
	c := vmCounters{
		IoOps:     int64(row.iops * (run + rateSwing*waveIntegral(t, ratePeriod, row.phase+1))),
		WriteMB:   int64(writeMB),
		SyncMB:    row.UsedMB,
		NetworkMB: int64(0.6 * writeMB),
	}
	if m.Vpgs[row.VPG].initialSync {
		c.SyncMB = int64(min(1, t/initialSyncDuration.Seconds()) * float64(row.UsedMB))
	}
	return c
}

// TestedVPG is the VPG tested in cycle k; never the initialising VPG, which
// is the last one.
func (m *Model) TestedVPG(k int) int { return (k*7 + 3) % max(1, len(m.Vpgs)-1) }

// RunningTest reports the cycle whose failover test runs at now, if any.
func (m *Model) RunningTest(now time.Time) (k int, since time.Time, ok bool) {
	t := now.Sub(m.Start) - TestOffset
	if t < 0 {
		return 0, time.Time{}, false
	}
	k = int(t / testCycle)
	since = m.Start.Add(TestOffset + time.Duration(k)*testCycle)
	return k, since, now.Sub(since) < TestLength
}

// testsDue counts the periodic failover tests finished by now.
func (m *Model) testsDue(now time.Time) int {
	t := now.Sub(m.Start) - TestOffset - TestLength
	if t < 0 {
		return 0
	}
	return int(t/testCycle) + 1
}

// maxCatchUp bounds the tests recorded at once when the clock jumps far.
const maxCatchUp = 500

// advance records the periodic failover tests that finished by now: a
// recovery report, LastTest, a task and events each. It is the only change
// that time makes to stored state. The caller holds m.mu for writing.
func (m *Model) advance(now time.Time) {
	due := m.testsDue(now)
	m.testsRun = max(m.testsRun, due-maxCatchUp)
	for ; m.testsRun < due; m.testsRun++ {
		k := m.testsRun
		g := NewGen(m.Seed, TestStream(k))
		start := m.Start.Add(TestOffset + time.Duration(k)*testCycle)
		m.recordTest(g, m.TestedVPG(k), start, start.Add(TestLength), g.between(60, 200))
	}
	m.trim()
}

// TestStream is the random stream of periodic test k, shared by its running
// and completed forms.
func TestStream(k int) uint64 { return 1000 + uint64(k) } //nolint:gosec // k counts periods from 0

// CatchUp runs advance when a periodic test has finished since the last
// call; most requests only take the read lock here.
func (m *Model) CatchUp(now time.Time) {
	m.Mu.RLock()
	due := m.testsDue(now) > m.testsRun
	m.Mu.RUnlock()
	if due {
		m.Mu.Lock()
		m.advance(now)
		m.Mu.Unlock()
	}
}
