package zvmsim

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
	testOffset = 20 * time.Minute
	testLength = 4 * time.Minute
)

// wave is a sine of the given period (seconds), the building block of the
// smooth, deterministic variation of RPO and rates.
func wave(t, period, phase float64) float64 { return math.Sin(2*math.Pi*t/period + phase) }

// waveIntegral is the integral of wave over [0, t], so that counters built
// from a varying rate stay monotonic.
func waveIntegral(t, period, phase float64) float64 {
	return period / (2 * math.Pi) * (math.Cos(phase) - math.Cos(2*math.Pi*t/period+phase))
}

const (
	rateSwing  = 0.35 // relative variation of throughput and IOPS
	ratePeriod = 90.0 // seconds
)

// vpgLive is a VPG's state at one instant, faults included.
type vpgLive struct {
	status, subStatus, alertStatus int
	rpo                            int // -1 while not calculated
	historyMin                     int
	failSafeMin                    int // actual fail-safe history; the VPG's failSafeMin is the configured one
	progress                       float64
	throughput                     float64
	iops                           int
	provisionedMB, usedMB          int64
	testRunning                    bool
	lastTest                       time.Time
}

func (m *model) elapsed(now time.Time) float64 { return max(0, now.Sub(m.start).Seconds()) }

// initialising says whether VPG i is still in its initial sync.
func (m *model) initialising(i int, now time.Time) bool {
	return m.vpgs[i].initialSync && now.Sub(m.start) < initialSyncDuration
}

// liveVPG computes VPG i at now. The caller holds m.mu.
func (m *model) liveVPG(i int, now time.Time) vpgLive {
	v := &m.vpgs[i]
	t := m.elapsed(now)
	l := vpgLive{
		status:     vpgMeetingSLA,
		rpo:        max(1, int(math.Round(v.baseRPO+2*wave(t, 37, v.phase)+1.5*wave(t, 11, 3*v.phase)))),
		historyMin: v.historyMin,
		lastTest:   m.lastTest[i],
	}
	for _, r := range v.rows {
		l.throughput += m.rowThroughput(r, now)
		l.iops += m.rowIOPS(r, t)
		l.provisionedMB += m.rows[r].provisionedMB
		l.usedMB += m.rows[r].usedMB
	}
	l.throughput = perMiB(l.throughput)
	if h, ok := m.fx.history[i]; ok && h < v.historyMin {
		l.historyMin = h
		l.status, l.alertStatus = vpgHistoryNotMeetingSLA, alertWarning
	}
	if m.fx.journalWarn[i] {
		l.alertStatus = max(l.alertStatus, alertWarning)
	}
	if rpo, ok := m.fx.rpo[i]; ok {
		l.rpo = rpo
		if rpo > v.rpoTarget {
			l.status, l.alertStatus = vpgRpoNotMeetingSLA, alertError
		}
	}
	if d, ok := m.fx.degraded[i]; ok {
		l.rpo = max(l.rpo, int(now.Sub(d.since).Seconds())+int(v.baseRPO))
		l.status, l.subStatus, l.alertStatus = vpgNotMeetingSLA, d.subStatus, alertError
	}
	if m.initialising(i, now) {
		l.status, l.subStatus, l.rpo, l.alertStatus = vpgInitializing, subInitialSync, -1, alertNormal
		l.progress = math.Floor(100 * t / initialSyncDuration.Seconds())
		l.historyMin = 0
	}
	// The fail-safe history is kept inside the journal: it cannot reach back further than the
	// journal's own history.
	l.failSafeMin = min(v.failSafeMin, l.historyMin)
	if tested, ok := m.fx.lastTest[i]; ok && tested.After(l.lastTest) {
		l.lastTest = tested
	}
	if k, _, ok := m.runningTest(now); ok && m.testedVPG(k) == i {
		l.testRunning = true
	}
	return l
}

// earliestCheckpoint is the time of the oldest checkpoint in the VPG's journal at now: the
// journal's actual history back.
func (l *vpgLive) earliestCheckpoint(now time.Time) time.Time {
	return now.Add(-time.Duration(l.historyMin) * time.Minute)
}

// rowThroughput is a VM's replication rate in MB/s; a VM in initial sync
// copies its disks on top of its write rate.
func (m *model) rowThroughput(r int, now time.Time) float64 {
	row := &m.rows[r]
	v := row.throughput * (1 + rateSwing*wave(m.elapsed(now), ratePeriod, row.phase))
	if m.initialising(row.vpg, now) {
		v += 20
	}
	return perMiB(v)
}

func (m *model) rowIOPS(r int, t float64) int {
	row := &m.rows[r]
	return int(math.Round(row.iops * (1 + rateSwing*wave(t, ratePeriod, row.phase+1))))
}

// journalUsedMB grows towards the VM's journal target, which stays below its
// warning threshold, unless a journal_fill fault pins it.
func (m *model) journalUsedMB(r int, now time.Time) int64 {
	row := &m.rows[r]
	if ratio, ok := m.fx.journal[r]; ok {
		return int64(ratio * row.hard.resolveMB(row.provisionedMB))
	}
	settle := math.Exp(-m.elapsed(now) / journalSettle.Seconds())
	if m.vpgs[row.vpg].initialSync {
		return int64(row.journalTarget * (1 - settle))
	}
	return int64(row.journalTarget * (1 - 0.4*settle))
}

// vmCounters are the cumulative /v1/statistics/vms counters of a row: the
// integrals of its rates since the ZVM booted (uptime before start).
type vmCounters struct {
	ioOps, writeMB, syncMB, networkMB int64
}

func (m *model) rowCounters(r int, now time.Time) vmCounters {
	row := &m.rows[r]
	t := m.elapsed(now)
	run := t + uptime.Seconds()
	writeMB := row.throughput * (run + rateSwing*waveIntegral(t, ratePeriod, row.phase))
	c := vmCounters{
		ioOps:     int64(row.iops * (run + rateSwing*waveIntegral(t, ratePeriod, row.phase+1))),
		writeMB:   int64(writeMB),
		syncMB:    row.usedMB,
		networkMB: int64(0.6 * writeMB),
	}
	if m.vpgs[row.vpg].initialSync {
		c.syncMB = int64(min(1, t/initialSyncDuration.Seconds()) * float64(row.usedMB))
	}
	return c
}

// testedVPG is the VPG tested in cycle k; never the initialising VPG, which
// is the last one.
func (m *model) testedVPG(k int) int { return (k*7 + 3) % max(1, len(m.vpgs)-1) }

// runningTest reports the cycle whose failover test runs at now, if any.
func (m *model) runningTest(now time.Time) (k int, since time.Time, ok bool) {
	t := now.Sub(m.start) - testOffset
	if t < 0 {
		return 0, time.Time{}, false
	}
	k = int(t / testCycle)
	since = m.start.Add(testOffset + time.Duration(k)*testCycle)
	return k, since, now.Sub(since) < testLength
}

// testsDue counts the periodic failover tests finished by now.
func (m *model) testsDue(now time.Time) int {
	t := now.Sub(m.start) - testOffset - testLength
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
func (m *model) advance(now time.Time) {
	due := m.testsDue(now)
	m.testsRun = max(m.testsRun, due-maxCatchUp)
	for ; m.testsRun < due; m.testsRun++ {
		k := m.testsRun
		g := newGen(m.seed, testStream(k))
		start := m.start.Add(testOffset + time.Duration(k)*testCycle)
		m.recordTest(g, m.testedVPG(k), start, start.Add(testLength), g.between(60, 200))
	}
	m.trim()
}

// testStream is the random stream of periodic test k, shared by its running
// and completed forms.
func testStream(k int) uint64 { return 1000 + uint64(k) } //nolint:gosec // k counts periods from 0

// catchUp runs advance when a periodic test has finished since the last
// call; most requests only take the read lock here.
func (m *model) catchUp(now time.Time) {
	m.mu.RLock()
	due := m.testsDue(now) > m.testsRun
	m.mu.RUnlock()
	if due {
		m.mu.Lock()
		m.advance(now)
		m.mu.Unlock()
	}
}
