package report

import (
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/common/model"
)

// chartBuckets is the number of points of a VPG's RPO chart.
const chartBuckets = 240

// steps is one query's chunk result: series key -> step index -> value.
type steps map[string]map[int]float64

// keyedLabels remembers the labels of every series key seen.
type keyedLabels map[string]map[string]string

// index turns a matrix into steps keyed by the given labels.
func (a *accumulator) index(m model.Matrix, keyLabels []string) steps {
	out := steps{}
	for _, s := range m {
		lm := make(map[string]string, len(keyLabels))
		for _, l := range keyLabels {
			lm[l] = string(s.Metric[model.LabelName(l)])
		}
		key := labelKey(lm, keyLabels)
		if _, ok := a.labels[key]; !ok {
			a.labels[key] = lm
		}
		vals := out[key]
		if vals == nil {
			vals = map[int]float64{}
			out[key] = vals
		}
		for _, p := range s.Values {
			vals[a.stepIndex(p.Timestamp.Time())] = float64(p.Value)
		}
	}
	return out
}

func labelKey(lm map[string]string, names []string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte('=')
		b.WriteString(lm[n])
		b.WriteByte('\xff')
	}
	return b.String()
}

// vpgAcc accumulates one VPG's figures over the chunks of the period.
type vpgAcc struct {
	key                      string
	site, recoverySite       string
	rpoSteps, judged, within int
	breachSteps, episodes    int
	inBreach                 bool
	worst                    float64
	worstAt                  time.Time
	hasWorst                 bool
	target                   last
	jJudged, jWithin         int
	jMin                     float64
	hasJMin                  bool
	jTarget, vms, lastTest   last
	testInterval             last
	inEnc                    bool
	encEpisodes, encSteps    int
	encFirst                 time.Time
	ejcRuns                  map[float64]bool
	chart                    []chartPoint
}

// last is the value of a series at the latest step it had one.
type last struct {
	v   float64
	idx int
	ok  bool
}

func (l *last) see(idx int, v float64) {
	if !l.ok || idx >= l.idx {
		*l = last{v: v, idx: idx, ok: true}
	}
}

func (l last) ptr() *float64 {
	if !l.ok {
		return nil
	}
	return &l.v
}

// recoveryKey names one operation of one VPG (by vpg and cluster labels).
type recoveryKey struct{ vkey, op string }

// alertAcc tracks the open episode of one alert series.
type alertAcc struct {
	open        bool
	first, last int
}

// accumulator folds the chunks of every query into per-VPG figures.
type accumulator struct {
	period        Period
	journalRatio  float64
	clusterLabels []string
	vpgKeys       []string // vpg, vpg_id and the cluster labels
	vKeys         []string // vpg and the cluster labels
	labels        keyedLabels
	vpgs          map[string]*vpgAcc
	recoveries    map[recoveryKey]map[float64]Recovery
	alerts        map[string]*alertAcc
	episodes      []AlertEpisode
	immutable     map[string]*last
	unprotected   map[string]*last
	rtoTargets    map[string]*last // by vpg and cluster labels
}

func newAccumulator(p Period, journalRatio float64, clusterLabels []string) *accumulator {
	return &accumulator{
		period:        p,
		journalRatio:  journalRatio,
		clusterLabels: clusterLabels,
		vpgKeys:       append([]string{"vpg", "vpg_id"}, clusterLabels...),
		vKeys:         append([]string{"vpg"}, clusterLabels...),
		labels:        keyedLabels{},
		vpgs:          map[string]*vpgAcc{},
		recoveries:    map[recoveryKey]map[float64]Recovery{},
		alerts:        map[string]*alertAcc{},
		immutable:     map[string]*last{},
		unprotected:   map[string]*last{},
		rtoTargets:    map[string]*last{},
	}
}

// stepIndex numbers the evaluation times: step 1 ends one step after the period's start.
func (a *accumulator) stepIndex(t time.Time) int {
	return int(math.Round(t.Sub(a.period.Start).Seconds() / a.period.StepSeconds))
}

func (a *accumulator) stepTime(i int) time.Time {
	return a.period.Start.Add(time.Duration(float64(i) * a.period.StepSeconds * float64(time.Second)))
}

func (a *accumulator) vpg(key string) *vpgAcc {
	v := a.vpgs[key]
	if v == nil {
		v = &vpgAcc{key: key, ejcRuns: map[float64]bool{}, chart: make([]chartPoint, min(chartBuckets, a.period.Steps()))}
		for i := range v.chart {
			v.chart[i].T = a.stepTime((i*a.period.Steps())/len(v.chart) + 1)
		}
		a.vpgs[key] = v
	}
	return v
}

// add folds one chunk (steps first..last) of every query's result.
func (a *accumulator) add(first, lastIdx int, res map[string]model.Matrix) {
	rpo := a.index(res[qRPO], a.vpgKeys)
	target := a.index(res[qRPOTarget], a.vpgKeys)
	journal := a.index(res[qJournal], a.vpgKeys)
	jTarget := a.index(res[qJournalTarget], a.vpgKeys)
	enc := a.index(res[qEncryption], a.vpgKeys)
	ejc := a.index(res[qEJCFailed], a.vpgKeys)

	keys := map[string]bool{}
	for _, st := range []steps{rpo, target} {
		for k := range st {
			keys[k] = true
		}
	}
	for _, s := range res[qInfo] {
		lm := map[string]string{}
		for _, l := range a.vpgKeys {
			lm[l] = string(s.Metric[model.LabelName(l)])
		}
		key := labelKey(lm, a.vpgKeys)
		a.labels[key] = lm
		keys[key] = true
		v := a.vpg(key)
		if len(s.Values) > 0 {
			v.site = string(s.Metric["protected_site"])
			v.recoverySite = string(s.Metric["recovery_site"])
		}
	}
	for key := range keys {
		v := a.vpg(key)
		for i := first; i <= lastIdx; i++ {
			a.foldStep(v, i, rpo[key], target[key], journal[key], jTarget[key], enc[key])
		}
		for _, run := range ejc[key] {
			v.ejcRuns[run] = true
		}
	}
	a.lasts(res[qVMs], func(v *vpgAcc) *last { return &v.vms })
	a.lasts(res[qLastTest], func(v *vpgAcc) *last { return &v.lastTest })
	a.lasts(res[qTestInterval], func(v *vpgAcc) *last { return &v.testInterval })
	a.foldRecoveries(res[qRecoveryTime], res[qRecoveryRTO])
	a.foldAlerts(first, lastIdx, res[qAlerts])
	a.foldLasts(res[qImmutable], append([]string{"repository"}, a.clusterLabels...), a.immutable)
	a.foldLasts(res[qUnprotected], append([]string{"site_name"}, a.clusterLabels...), a.unprotected)
	a.foldLasts(res[qRTOTarget], a.vKeys, a.rtoTargets)
}

// foldStep folds one step of one VPG.
func (a *accumulator) foldStep(v *vpgAcc, i int, rpo, target, journal, jTarget, enc map[int]float64) {
	r, hasR := rpo[i]
	t, hasT := target[i]
	if hasT {
		v.target.see(i, t)
	}
	breach := false
	if hasR {
		v.rpoSteps++
		if !v.hasWorst || r > v.worst {
			v.worst, v.worstAt, v.hasWorst = r, a.stepTime(i), true
		}
		if hasT {
			v.judged++
			if r > t {
				breach = true
				v.breachSteps++
			} else {
				v.within++
			}
		}
		b := &v.chart[min(len(v.chart)-1, ((i-1)*len(v.chart))/a.period.Steps())]
		if !b.Has || r > b.RPO {
			b.RPO = r
		}
		b.Target = math.Max(b.Target, t)
		b.Has = true
	}
	if breach && !v.inBreach {
		v.episodes++
	}
	v.inBreach = breach
	if jt, ok := jTarget[i]; ok {
		v.jTarget.see(i, jt)
		if j, ok := journal[i]; ok {
			v.jJudged++
			if j >= a.journalRatio*jt {
				v.jWithin++
			}
		}
	}
	if j, ok := journal[i]; ok && (!v.hasJMin || j < v.jMin) {
		v.jMin, v.hasJMin = j, true
	}
	suspected := enc[i] == 1
	if suspected {
		v.encSteps++
		if !v.inEnc {
			v.encEpisodes++
			if v.encFirst.IsZero() {
				v.encFirst = a.stepTime(i)
			}
		}
	}
	v.inEnc = suspected
}

// lasts keeps the latest value of a per-VPG series.
func (a *accumulator) lasts(m model.Matrix, field func(*vpgAcc) *last) {
	for key, vals := range a.index(m, a.vpgKeys) {
		l := field(a.vpg(key))
		for i, x := range vals {
			l.see(i, x)
		}
	}
}

// foldLasts keeps the latest value of each series of a site-level query.
func (a *accumulator) foldLasts(m model.Matrix, keyLabels []string, into map[string]*last) {
	for key, vals := range a.index(m, keyLabels) {
		l := into[key]
		if l == nil {
			l = &last{}
			into[key] = l
		}
		for i, x := range vals {
			l.see(i, x)
		}
	}
}

// foldRecoveries records every distinct end time of each VPG's newest failover, test and move:
// each new value of zerto_recovery_last_timestamp_seconds is one more operation, whose RTO is that
// of zerto_recovery_last_rto_seconds at the step it first appeared.
func (a *accumulator) foldRecoveries(times, rtos model.Matrix) {
	rtoBy := map[recoveryKey]map[int]float64{}
	for _, s := range rtos {
		k := recoveryKey{a.vkey(s.Metric), string(s.Metric["operation"])}
		vals := map[int]float64{}
		for _, p := range s.Values {
			vals[a.stepIndex(p.Timestamp.Time())] = float64(p.Value)
		}
		rtoBy[k] = vals
	}
	for _, s := range times {
		k := recoveryKey{a.vkey(s.Metric), string(s.Metric["operation"])}
		seen := a.recoveries[k]
		if seen == nil {
			seen = map[float64]Recovery{}
			a.recoveries[k] = seen
		}
		for _, p := range s.Values {
			end := float64(p.Value)
			if _, ok := seen[end]; ok {
				continue
			}
			r := Recovery{Operation: k.op, End: time.Unix(0, int64(end*1e9)).UTC(), Result: string(s.Metric["result"])}
			if rto, ok := rtoBy[k][a.stepIndex(p.Timestamp.Time())]; ok {
				r.RTOSeconds = &rto
			}
			seen[end] = r
		}
	}
}

func (a *accumulator) vkey(m model.Metric) string {
	lm := map[string]string{}
	for _, l := range a.vKeys {
		lm[l] = string(m[model.LabelName(l)])
	}
	return labelKey(lm, a.vKeys)
}

// foldAlerts turns runs of consecutive firing steps into episodes; an episode open at the end of
// a chunk continues into the next.
func (a *accumulator) foldAlerts(first, lastIdx int, m model.Matrix) {
	alertKeys := append([]string{"alertname", "severity", "vpg"}, a.clusterLabels...)
	idx := a.index(m, alertKeys)
	for key := range idx {
		if a.alerts[key] == nil {
			a.alerts[key] = &alertAcc{}
		}
	}
	for key, acc := range a.alerts {
		vals := idx[key]
		for i := first; i <= lastIdx; i++ {
			_, firing := vals[i]
			switch {
			case firing && !acc.open:
				*acc = alertAcc{open: true, first: i, last: i}
			case firing:
				acc.last = i
			case acc.open:
				a.closeAlert(key, acc)
			}
		}
	}
}

func (a *accumulator) closeAlert(key string, acc *alertAcc) {
	lm := a.labels[key]
	e := AlertEpisode{
		Alert:     lm["alertname"],
		Severity:  lm["severity"],
		VPG:       lm["vpg"],
		Labels:    a.clusterOf(lm),
		FirstSeen: a.stepTime(acc.first),
		LastSeen:  a.stepTime(acc.last),
	}
	// Each step stands for the step-long window that ends at it.
	e.DurationSeconds = float64(acc.last-acc.first+1) * a.period.StepSeconds
	a.episodes = append(a.episodes, e)
	acc.open = false
}

func (a *accumulator) clusterOf(lm map[string]string) map[string]string {
	if len(a.clusterLabels) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, l := range a.clusterLabels {
		out[l] = lm[l]
	}
	return out
}

// finish closes the open alert episodes and returns the per-VPG rows (without the policy's
// judgement), the alert episodes, repositories and sites.
func (a *accumulator) finish() ([]VPG, []AlertEpisode, []Repository, []Site) {
	for key, acc := range a.alerts {
		if acc.open {
			a.closeAlert(key, acc)
		}
	}
	sort.Slice(a.episodes, func(i, j int) bool {
		x, y := a.episodes[i], a.episodes[j]
		if !x.FirstSeen.Equal(y.FirstSeen) {
			return x.FirstSeen.Before(y.FirstSeen)
		}
		return x.Alert+x.VPG < y.Alert+y.VPG
	})
	total := float64(a.period.Steps())
	step := a.period.StepSeconds
	var vpgs []VPG
	for _, key := range slices.Sorted(maps.Keys(a.vpgs)) {
		acc := a.vpgs[key]
		lm := a.labels[key]
		v := VPG{
			VPG: lm["vpg"], VPGID: lm["vpg_id"], Labels: a.clusterOf(lm),
			Site: acc.site, RecoverySite: acc.recoverySite,
			RPOTargetSeconds:     acc.target.ptr(),
			RPOBreachSeconds:     float64(acc.breachSteps) * step,
			RPOBreachEpisodes:    acc.episodes,
			DataCompleteness:     float64(acc.rpoSteps) / total,
			JournalTargetSeconds: acc.jTarget.ptr(),
			EncryptionEpisodes:   acc.encEpisodes,
			EncryptionSeconds:    float64(acc.encSteps) * step,
			EJCFailedRuns:        len(acc.ejcRuns),
			ProtectedVMs:         acc.vms.ptr(),
			chart:                acc.chart,
		}
		v.Partial = v.DataCompleteness < 1
		if acc.judged > 0 {
			r := float64(acc.within) / float64(acc.judged)
			v.RPOComplianceRatio = &r
		}
		if acc.hasWorst {
			w, at := acc.worst, acc.worstAt
			v.WorstRPOSeconds, v.WorstRPOAt = &w, &at
		}
		if acc.hasJMin {
			j := acc.jMin
			v.JournalMinSeconds = &j
		}
		if acc.jJudged > 0 {
			r := float64(acc.jWithin) / float64(acc.jJudged)
			v.JournalComplianceRatio = &r
		}
		if !acc.encFirst.IsZero() {
			f := acc.encFirst
			v.EncryptionFirstSuspected = &f
		}
		a.recoveriesOf(&v, lm, acc)
		vpgs = append(vpgs, v)
	}
	var repos []Repository
	for _, key := range slices.Sorted(maps.Keys(a.immutable)) {
		lm := a.labels[key]
		repos = append(repos, Repository{Repository: lm["repository"], Labels: a.clusterOf(lm), Immutable: a.immutable[key].v == 1})
	}
	var sites []Site
	for _, key := range slices.Sorted(maps.Keys(a.unprotected)) {
		lm := a.labels[key]
		sites = append(sites, Site{Site: lm["site_name"], Labels: a.clusterOf(lm), UnprotectedVMs: a.unprotected[key].v})
	}
	return vpgs, a.episodes, repos, sites
}

// recoveriesOf fills a VPG's operations in the period and its last successful failover test.
func (a *accumulator) recoveriesOf(v *VPG, lm map[string]string, acc *vpgAcc) {
	vk := a.vkey(toMetric(lm))
	inPeriod := func(r Recovery) bool { return r.End.After(a.period.Start) && !r.End.After(a.period.End) }
	collect := func(op string) []Recovery {
		var out []Recovery
		for _, r := range a.recoveries[recoveryKey{vk, op}] {
			if inPeriod(r) {
				out = append(out, r)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].End.Before(out[j].End) })
		return out
	}
	v.Tests, v.Failovers, v.Moves = collect(opFailoverTest), collect(opFailover), collect(opMove)
	for _, r := range v.Tests {
		if r.Result != successResult {
			v.FailedTests++
		}
	}
	tests := a.recoveries[recoveryKey{vk, opFailoverTest}]
	var best *Recovery
	for _, r := range tests {
		if r.Result == successResult && !r.End.After(a.period.End) && (best == nil || r.End.After(best.End)) {
			best = &r
		}
	}
	switch {
	case best != nil:
		t := best.End
		v.LastTest, v.LastTestResult, v.LastRTOSeconds = &t, best.Result, best.RTOSeconds
		v.LastTestSource = "zerto_recovery_last_timestamp_seconds"
	case len(tests) == 0 && acc.lastTest.ok:
		t := time.Unix(0, int64(acc.lastTest.v*1e9)).UTC()
		v.LastTest, v.LastTestResult = &t, "not exported"
		v.LastTestSource = "zerto_vpg_last_test_timestamp_seconds"
	}
	if l := a.rtoTargets[vk]; l != nil {
		v.RTOTargetSeconds = l.ptr()
	}
	if acc.testInterval.ok {
		v.TestIntervalSeconds = acc.testInterval.v
	}
}

func toMetric(lm map[string]string) model.Metric {
	m := model.Metric{}
	for k, v := range lm {
		m[model.LabelName(k)] = model.LabelValue(v)
	}
	return m
}
