// Package exporter wires a ZVM client, its snapshot source and the collectors into HTTP handlers.
package exporter

import (
	"context"
	"fmt"
	"time"

	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// TargetOptions configure one watched ZVM.
type TargetOptions struct {
	Client           zvm.Config
	Collectors       []string
	SLA              collector.SLAResolver
	CacheTTL         time.Duration
	RecoveryLookback time.Duration
	// VSphere reads the VRAs' VMs and hosts from vCenter for the vsphere collector; nil if none.
	VSphere snapshot.VSphereReader
	Logger  log.Logger
}

// Target is one ZVM: its client (and so its session or token), its snapshot cache, its request
// metrics and its collectors. It lives as long as the ZVM is watched, so there is no login per
// scrape.
type Target struct {
	client *zvm.Client
	source *snapshot.Source
	set    *collector.Set
	api    *collector.APIMetrics
}

// NewTarget builds a Target; nothing is requested from the ZVM until the first scrape.
func NewTarget(o TargetOptions) (*Target, error) {
	if o.Logger == nil {
		o.Logger = log.NewNopLogger()
	}
	set, err := collector.NewSet(o.Collectors, collector.Config{Logger: o.Logger, SLA: o.SLA})
	if err != nil {
		return nil, err
	}
	api := collector.NewAPIMetrics()
	cc := o.Client
	cc.Observer = api
	cc.Logger = o.Logger
	client, err := zvm.New(cc)
	if err != nil {
		return nil, fmt.Errorf("ZVM client: %w", err)
	}
	source := snapshot.NewSource(client, snapshot.Options{
		Endpoints:        set.Endpoints(),
		CacheTTL:         o.CacheTTL,
		RefreshTimeout:   max(time.Minute, 3*cc.Timeout),
		RecoveryLookback: o.RecoveryLookback,
		VSphere:          o.VSphere,
		Logger:           o.Logger,
	})
	return &Target{client: client, source: source, set: set, api: api}, nil
}

// Gatherer returns the metrics of one scrape: the snapshot's collectors (refreshing it if it is
// older than the cache TTL, within ctx's deadline) and the request metrics.
func (t *Target) Gatherer(ctx context.Context) prometheus.Gatherer {
	snap, _ := t.source.Get(ctx) // a nil snapshot is reported as zerto_up 0 with every collector failed
	reg := prometheus.NewRegistry()
	reg.MustRegister(t.set.Scrape(snap), t.api)
	return reg
}

// Close ends the ZVM session, if the flavour has one.
func (t *Target) Close(ctx context.Context) error {
	return t.client.Close(ctx)
}
