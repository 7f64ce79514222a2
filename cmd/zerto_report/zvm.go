package main

import (
	"context"
	"fmt"
	"time"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/exporter"
	"github.com/zerto-exporter/zerto_exporter/internal/report"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// zvmRecoveries reads the period's recovery reports from the ZVM of --zvm.url with the
// credentials of --zvm.module, by VPG name.
func zvmRecoveries(ctx context.Context, f *flags, cfg *config.Config, p report.Period) (map[string][]report.Recovery, error) {
	m, ok := cfg.Modules[f.zvmModule]
	if !ok {
		return nil, fmt.Errorf("--zvm.module: %s has no module %q", f.configFile, f.zvmModule)
	}
	cc, err := exporter.ClientConfig(f.zvmURL, m, f.zvmTimeout, exporter.ModuleSecrets)
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
	reports, err := client.RecoveryReports(ctx, zvm.RecoveryQuery{StartTime: p.Start, EndTime: p.End})
	if err != nil {
		return nil, fmt.Errorf("reading recovery reports from %s: %w", report.RedactURL(f.zvmURL), err)
	}
	out := map[string][]report.Recovery{}
	for _, r := range reports {
		op, ok := zvm.RecoveryOperation(r.General.RecoveryType)
		if !ok {
			continue
		}
		end := r.General.EndTime
		if !end.Valid() {
			end = r.General.StartTime
		}
		if !end.Valid() || !end.After(p.Start) || end.After(p.End) {
			continue
		}
		rec := report.Recovery{Operation: op, End: end.UTC().Truncate(time.Second), Result: r.General.Status}
		if r.General.RTOInSeconds.Set {
			v := r.General.RTOInSeconds.Value
			rec.RTOSeconds = &v
		}
		out[r.General.VpgName] = append(out[r.General.VpgName], rec)
	}
	return out, nil
}
