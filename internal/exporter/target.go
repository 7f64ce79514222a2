// Package exporter wires a ZVM client, its snapshot source and the collectors into HTTP handlers.
package exporter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/internal/fastexpo"
	"github.com/zerto-exporter/zerto_exporter/internal/memlimit"
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
	// Gate bounds the refreshes and exposition builds of all targets running at once; nil for
	// no bound.
	Gate   *snapshot.Gate
	Logger log.Logger
}

// Target is one ZVM: its client (and so its session or token), its snapshot cache, its request
// metrics and its collectors. It lives as long as the ZVM is watched, so there is no login per
// scrape.
type Target struct {
	client *zvm.Client
	source *snapshot.Source
	set    *collector.Set
	api    *collector.APIMetrics
	cache  expositionCache
	gate   *snapshot.Gate
	logger log.Logger

	starved atomic.Bool // the last refresh found no slot: logged once until one does
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
		Gate:             o.Gate,
		Logger:           o.Logger,
	})
	return &Target{client: client, source: source, set: set, api: api, gate: o.Gate, logger: o.Logger}, nil
}

// ServeScrape answers one scrape of this ZVM, followed by the live metrics of extra (the
// exporter's own, on /metrics; nil on /probe). The snapshot is refreshed first if it is older than
// the cache TTL, within the scrape's deadline.
func (t *Target) ServeScrape(w http.ResponseWriter, r *http.Request, extra prometheus.Gatherer, offset time.Duration) {
	ctx, cancel := ScrapeContext(r, offset)
	defer cancel()
	snap, err := t.source.Get(ctx)
	if err != nil {
		// No snapshot in time: reported as zerto_up 0 with every collector failed.
		level.Debug(t.logger).Log("msg", "No ZVM snapshot for this scrape", "err", err)
	}
	t.logSlots(snap)
	key := cacheKey{format: expfmt.NegotiateAccept(r.Header, expfmt.DefaultOpenMetricsAcceptedFormats()...), gzip: acceptsGzip(r)}
	built := false
	body := t.cache.render(snap, key, func(w io.Writer, format expfmt.Format) error {
		built = true
		// Under a refresh slot, as its refresh was: building the exposition is the other half
		// of a refresh's memory. Waiting for one ends renderBudget before the scrape's deadline;
		// the exposition is then built anyway, so that the scrape is answered in time.
		if release := t.renderSlot(ctx); release != nil {
			defer release()
		}
		return fastexpo.RenderTo(w, format, t.set.CollectorFor(snap), t.api)
	}, t.logger)
	if built && snap.Up() {
		// The refresh's garbage is gone: let the memory limit follow what is kept.
		memlimit.Refreshed()
	}
	serveExposition(w, r, key.format, key.gzip, body, extra, t.logger)
}

// logSlots says once that refreshes find no slot, and once that they find one again.
func (t *Target) logSlots(snap *snapshot.Snapshot) {
	switch {
	case snap == nil:
	case errors.Is(snap.UpErr, snapshot.ErrNoSlot):
		if t.starved.CompareAndSwap(false, true) {
			level.Warn(t.logger).Log("msg", "ZVM refresh found no slot before the scrape's deadline; reporting the ZVM down until one is free", "err", snap.UpErr)
		}
	case t.starved.CompareAndSwap(true, false):
		level.Info(t.logger).Log("msg", "ZVM refresh found a slot again")
	}
}

// renderBudget is kept from a scrape's deadline for building the exposition.
const renderBudget = 2 * time.Second

// renderSlot takes a slot of the gate for building an exposition, waiting until renderBudget
// before ctx's deadline; it returns the slot's release, or nil when it got none.
func (t *Target) renderSlot(ctx context.Context) func() {
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-renderBudget))
		defer cancel()
	}
	if t.gate.Acquire(ctx) != nil {
		return nil
	}
	return t.gate.Release
}

// Close ends the ZVM session, if the flavour has one.
func (t *Target) Close(ctx context.Context) error {
	return t.client.Close(ctx)
}
