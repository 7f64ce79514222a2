package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/common/model"
)

// chunkSteps is how many steps one range query covers: a day at the default step, well below
// Prometheus's limit of 11,000 points per series, and bounding the memory a chunk's answers take.
const chunkSteps = 1440

// Options is what a report is generated from.
type Options struct {
	Period        Period
	ZertoSelector []Matcher // the mixin's zertoSelector, e.g. job="zerto"
	Selector      []Matcher // extra matchers, e.g. cluster="eu1"
	ClusterLabels []string
	Policy        *Policy
	Version       string
	Now           time.Time
	// Recoveries, when set, replaces the failover tests, failovers and moves of the exported
	// series with those the ZVM's recovery reports list (see RecoveriesFromZVM).
	Recoveries     map[string][]Recovery
	RecoverySource string
}

// ErrNoData is returned when Prometheus holds none of the exporter's VPG series in the period.
var ErrNoData = errors.New("no data")

// Generate reads the period's history from Prometheus and computes the report.
func Generate(ctx context.Context, prom *Prometheus, o Options) (*Report, error) {
	sel := joinMatchers(append(append([]Matcher{}, o.ZertoSelector...), o.Selector...))
	p := o.Period
	info := fmt.Sprintf("%s{%s}", infoMetric, sel)
	ok, err := prom.HasSeries(ctx, info, p.Start, p.End)
	if err != nil {
		return nil, err
	}
	if !ok {
		ever, err := prom.HasSeries(ctx, info, time.Unix(0, 0), o.Now)
		if err != nil {
			return nil, err
		}
		if !ever {
			return nil, fmt.Errorf("prometheus at %s has no %s series at all: it does not scrape the exporter with these labels (check --zerto-selector, the mixin's zertoSelector, and --selector)", prom.URL(), info)
		}
		return nil, fmt.Errorf("%w: prometheus at %s has no %s samples between %s and %s (was the exporter scraped then, and is the period within the retention?)",
			ErrNoData, prom.URL(), info, p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339))
	}

	qs := buildQueries(sel, alertMatchers(o.Selector, o.ClusterLabels), o.ClusterLabels, promDuration(p.StepSeconds))
	acc := newAccumulator(p, o.Policy.JournalRatio, o.ClusterLabels)
	step := p.step()
	total := p.Steps()
	for first := 1; first <= total; first += chunkSteps {
		last := min(total, first+chunkSteps-1)
		res := make(map[string]model.Matrix, len(qs))
		for _, q := range qs {
			m, err := prom.QueryRange(ctx, q.expr, acc.stepTime(first), acc.stepTime(last), step)
			if err != nil {
				return nil, err
			}
			res[q.name] = m
		}
		acc.add(first, last, res)
	}
	vpgs, alerts, repos, sites := acc.finish()
	if len(vpgs) == 0 {
		return nil, fmt.Errorf("%w: no VPG series matched %s in the period", ErrNoData, sel)
	}
	r := &Report{
		Title:          "Zerto disaster recovery compliance report",
		GeneratedAt:    o.Now.UTC(),
		Version:        o.Version,
		Period:         p,
		PrometheusURL:  prom.URL(),
		Selector:       "{" + sel + "}",
		ClusterLabels:  append([]string{}, o.ClusterLabels...),
		RecoverySource: "Prometheus series zerto_recovery_* (the newest operation per VPG at each step; the ZVM's recovery reports were not read)",
		Policy: PolicyInfo{
			RPOObjective: o.Policy.RPOObjective, JournalHistoryRatio: o.Policy.JournalRatio,
			TestIntervalSeconds: o.Policy.TestInterval.Seconds(), SLAConfigFile: o.Policy.SLAFile,
			ExceptionsFile: o.Policy.ExceptionsFile, VerdictRule: VerdictRule,
		},
		VPGs:         vpgs,
		Alerts:       alerts,
		Repositories: repos,
		Sites:        sites,
	}
	if r.ClusterLabels == nil {
		r.ClusterLabels = []string{}
	}
	for _, q := range qs {
		r.Queries = append(r.Queries, QueryInfo{Purpose: q.purpose, Query: q.expr})
	}
	if o.Recoveries != nil {
		useRecoveries(r, o.Recoveries)
		r.RecoverySource = o.RecoverySource
	}
	judge(r, o.Policy)
	return r, nil
}

// useRecoveries replaces each VPG's operations with the ZVM's recovery reports of the period,
// by VPG name.
func useRecoveries(r *Report, byVPG map[string][]Recovery) {
	for i := range r.VPGs {
		v := &r.VPGs[i]
		v.Tests, v.Failovers, v.Moves, v.FailedTests = nil, nil, nil, 0
		for _, rec := range byVPG[v.VPG] {
			switch rec.Operation {
			case opFailoverTest:
				v.Tests = append(v.Tests, rec)
				if rec.Result != successResult {
					v.FailedTests++
				} else if v.LastTest == nil || rec.End.After(*v.LastTest) {
					t := rec.End
					v.LastTest, v.LastTestResult, v.LastRTOSeconds, v.LastTestSource = &t, rec.Result, rec.RTOSeconds, "/v1/reports/recovery"
				}
			case opFailover:
				v.Failovers = append(v.Failovers, rec)
			case opMove:
				v.Moves = append(v.Moves, rec)
			}
		}
	}
}
