package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/exporter"
	"github.com/zerto-exporter/zerto_exporter/internal/report"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// maxUTCOffset is the largest offset of a time zone from UTC (UTC+14, Kiribati).
const maxUTCOffset = 14 * time.Hour

// zvmRecoveries reads the period's recovery reports from the ZVM of --zvm.url with the
// credentials of --zvm.module, by VPG name.
func zvmRecoveries(ctx context.Context, f *flags, cfg *config.Config, p report.Period) (map[string][]report.Recovery, error) {
	m, ok := cfg.Modules[f.zvmModule]
	if !ok {
		return nil, fmt.Errorf("--zvm.module: %s has no module %q", f.configFile, f.zvmModule)
	}
	// A module's credentials go only to the ZVMs it lists, as for the exporter's /probe.
	target, ok := m.Allows(f.zvmURL)
	if !ok {
		return nil, fmt.Errorf("--zvm.url: not a target of module %q (add it to the module's targets in %s)", f.zvmModule, f.configFile)
	}
	cc, err := exporter.ClientConfig(target, m, f.zvmTimeout, nil)
	if err != nil {
		return nil, fmt.Errorf("--zvm.module %s: %w", f.zvmModule, err)
	}
	client, err := zvm.New(cc)
	if err != nil {
		return nil, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), f.zvmTimeout)
		defer cancel()
		_ = client.Close(cctx)
	}()
	// The ZVM reads the filter's times in its own time zone: the window is widened by the largest
	// UTC offset on both sides, and the reports are then kept by their end time.
	reports, err := client.RecoveryReports(ctx, zvm.RecoveryQuery{StartTime: p.Start.Add(-maxUTCOffset), EndTime: p.End.Add(maxUTCOffset)})
	if err != nil {
		return nil, fmt.Errorf("reading recovery reports from %s: %w", report.RedactURL(f.zvmURL), err)
	}
	out := map[string][]report.Recovery{}
	for _, r := range reports {
		// RecoveryType is the operation label of the exporter's zerto_recovery_* series as sent.
		op := r.General.RecoveryType
		if !slices.Contains([]string{"Failover", "FailoverTest", "Move"}, op) {
			continue
		}
		end := r.General.EndTime
		if !end.Valid() {
			end = r.General.StartTime
		}
		if !end.Valid() || !end.After(p.Start) || end.After(p.End) {
			continue
		}
		rec := report.Recovery{Operation: op, End: end.UTC().Truncate(time.Second), Result: r.General.Status,
			InitiatedBy: r.General.InitiatedBy, Notes: r.General.Notes}
		if pit := r.General.PointInTime; pit.Valid() {
			t := pit.UTC()
			rec.PointInTime = &t
		}
		for _, s := range r.RecoverySettings.Steps {
			rec.Steps = append(rec.Steps, report.Step{Description: s.Description, Result: s.Result})
		}
		if r.General.RTOInSeconds.Set {
			v := r.General.RTOInSeconds.Value
			rec.RTOSeconds = &v
		}
		out[r.General.VpgName] = append(out[r.General.VpgName], rec)
	}
	return out, nil
}
