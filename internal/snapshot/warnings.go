package snapshot

import (
	"maps"
	"sync"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// maxLoggedWarnings bounds the distinct values remembered for logging once; past it a value is
// still counted but no longer logged.
const maxLoggedWarnings = 256

// WarningKey is what zerto_exporter_decode_warnings_total counts by.
type WarningKey struct {
	Endpoint zvm.Endpoint
	Field    string
}

// DecodeWarnings counts the values of a ZVM's answers that the exporter could not use (a date in
// an unknown format, an unknown recovery type or result spelling) and logs each distinct value
// once. The metric such a value feeds is left out, never made up. It lives as long as its Source.
type DecodeWarnings struct {
	logger log.Logger

	mu     sync.Mutex
	logged map[[3]string]bool
	counts map[WarningKey]float64
}

// NewDecodeWarnings returns an empty DecodeWarnings.
func NewDecodeWarnings(logger log.Logger) *DecodeWarnings {
	return &DecodeWarnings{logger: logger, logged: map[[3]string]bool{}, counts: map[WarningKey]float64{}}
}

// Warn records one unusable value of field in ep's answer.
func (w *DecodeWarnings) Warn(ep zvm.Endpoint, field, value string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.counts[WarningKey{ep, field}]++
	k := [3]string{string(ep), field, value}
	if w.logged[k] || len(w.logged) >= maxLoggedWarnings {
		return
	}
	w.logged[k] = true
	level.Warn(w.logger).Log("msg", "value the exporter cannot read; the metric it feeds is left out",
		"endpoint", ep, "field", field, "value", value)
}

// Counts returns the warnings counted by endpoint and field since the Source started.
func (w *DecodeWarnings) Counts() map[WarningKey]float64 {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return maps.Clone(w.counts)
}

// time warns about t when the ZVM sent a value that is not a date.
func (w *DecodeWarnings) time(ep zvm.Endpoint, field string, t zvm.Time) {
	if t.Raw != "" {
		w.Warn(ep, field, t.Raw)
	}
}

// recoveryTypes and recoveryResults are the spellings of /v1/reports/recovery General.RecoveryType
// and General.Status (docs/zvm-api.md).
var (
	recoveryTypes   = map[string]bool{"Failover": true, "FailoverTest": true, "Move": true}
	recoveryResults = map[string]bool{"Success": true, "Fail": true}
)

// usableReports warns about the reports the exporter cannot file (an unknown operation or result
// spelling: they would make up label values) and returns the others. A report whose times are not
// dates is kept for the counts, warned about, and never taken as a VPG's newest (see
// recoveryTracker.add).
func (w *DecodeWarnings) usableReports(reports []zvm.RecoveryReport) []zvm.RecoveryReport {
	out := reports[:0:0]
	for _, r := range reports {
		g := &r.General
		switch {
		case !recoveryTypes[g.RecoveryType]:
			w.Warn(zvm.EndpointRecoveryReports, "General.RecoveryType", g.RecoveryType)
			continue
		case !recoveryResults[g.Status]:
			w.Warn(zvm.EndpointRecoveryReports, "General.Status", g.Status)
			continue
		}
		w.time(zvm.EndpointRecoveryReports, "General.StartTime", g.StartTime)
		w.time(zvm.EndpointRecoveryReports, "General.EndTime", g.EndTime)
		out = append(out, r)
	}
	return out
}

// checkDates warns about the dates of snap that are not dates.
func (w *DecodeWarnings) checkDates(snap *Snapshot) {
	for i := range snap.Tasks {
		w.time(zvm.EndpointTasks, "Started", snap.Tasks[i].Started)
		w.time(zvm.EndpointTasks, "Completed", snap.Tasks[i].Completed)
	}
	for i := range snap.Alerts {
		w.time(zvm.EndpointAlerts, "TurnedOn", snap.Alerts[i].TurnedOn)
	}
	for i := range snap.VPGs {
		w.time(zvm.EndpointVPGs, "LastTest", snap.VPGs[i].LastTest)
	}
	for i := range snap.VMs {
		w.time(zvm.EndpointVMs, "LastTest", snap.VMs[i].LastTest)
	}
	if snap.License != nil && snap.License.Details != nil {
		w.time(zvm.EndpointLicense, "Details.ExpiryTime", snap.License.Details.ExpiryTime)
	}
}
