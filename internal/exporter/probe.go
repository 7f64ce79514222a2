package exporter

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/baseurl"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// ProbeDefaults are the flag values a module falls back to.
type ProbeDefaults struct {
	Collectors       []string
	Timeout          time.Duration
	CacheTTL         time.Duration
	RecoveryLookback time.Duration
	TimeoutOffset    time.Duration
	MaxResponseBytes int64 // 0: the client's default
	// IdleExpiry drops a target (and its session) that has not been probed for this long.
	IdleExpiry time.Duration
	// MaxTargets bounds the targets kept; beyond it the least recently probed is dropped.
	MaxTargets int
	// Gate bounds the refreshes of all targets running at once; each target takes its slots
	// through a Child of it, so holds at most one. nil for no bound.
	Gate *snapshot.Gate
	// Logins is the process's login back-off, which outlives the targets; nil for one per target.
	Logins *zvm.Logins
}

// DefaultMaxProbeTargets is the default of --probe.max-targets: five times the estate of
// docs/performance.md (20 ZVMs), where a kept target of 5,000 VMs holds about 23 MiB, so about
// 2.3 GiB at the bound. Only a module's listed targets are ever built, so the config file bounds
// them too.
const DefaultMaxProbeTargets = 100

type probeKey struct{ target, module string } // target in baseurl.Key's form

type probeEntry struct {
	target   *Target
	lastUsed time.Time
}

// Prober serves /probe?target=<ZVM URL>&module=<name>, blackbox-style. A module reaches only
// the ZVMs it lists (targets:): any other target is refused before any connection, so that its
// credentials go nowhere else. Targets are kept per (ZVM, module) between probes, so sessions,
// tokens and snapshot caches survive; at most MaxTargets are kept, the least recently probed
// dropped first, and a timer drops those not probed for IdleExpiry. A config reload drops all.
type Prober struct {
	cfg      *config.Store
	defaults ProbeDefaults
	logger   log.Logger

	now  func() time.Time // time.Now; a test's clock expires targets without waiting
	stop chan struct{}

	mu      sync.Mutex
	targets map[probeKey]*probeEntry
	gen     uint64            // config generation the targets were built from
	dropped map[string]uint64 // targets dropped, by reason
}

// Reasons a kept target is dropped, the label of zerto_exporter_probe_targets_dropped_total.
const (
	dropIdle     = "idle"
	dropCapacity = "capacity"
	dropReload   = "reload"
)

// NewProber returns a Prober reading modules from cfg. Close stops its expiry timer.
func NewProber(cfg *config.Store, d ProbeDefaults, logger log.Logger) *Prober {
	return newProber(cfg, d, logger, time.Now)
}

// newProber is NewProber with a clock.
func newProber(cfg *config.Store, d ProbeDefaults, logger log.Logger, now func() time.Time) *Prober {
	if d.IdleExpiry <= 0 {
		d.IdleExpiry = 15 * time.Minute
	}
	if d.MaxTargets <= 0 {
		d.MaxTargets = DefaultMaxProbeTargets
	}
	p := &Prober{cfg: cfg, defaults: d, logger: logger, now: now, stop: make(chan struct{}),
		targets: map[probeKey]*probeEntry{}, dropped: map[string]uint64{dropIdle: 0, dropCapacity: 0, dropReload: 0}}
	go p.expireEvery(min(max(d.IdleExpiry/4, 10*time.Millisecond), time.Minute))
	return p
}

// expireEvery drops idle targets every period until Close, so that a target nobody probes any
// more is let go without waiting for the next probe.
func (p *Prober) expireEvery(period time.Duration) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			p.mu.Lock()
			p.expireLocked(p.now())
			p.mu.Unlock()
		}
	}
}

// Close stops the expiry timer and ends the sessions of every kept target.
func (p *Prober) Close() {
	close(p.stop)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropLocked(func(probeKey, *probeEntry) bool { return true }, dropReload)
}

// ServeHTTP implements http.Handler.
func (p *Prober) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	target := q.Get("target")
	if target == "" {
		http.Error(w, "target parameter is missing: /probe?target=https://zvm.example.com&module=default", http.StatusBadRequest)
		return
	}
	key, err := baseurl.ParseKey(target)
	if err != nil {
		http.Error(w, "target "+err.Error(), http.StatusBadRequest)
		return
	}
	module := q.Get("module")
	if module == "" {
		module = "default"
	}
	t, status, err := p.get(target, key, module)
	if err != nil {
		http.Error(w, err.Error(), status)
		return
	}
	t.ServeScrape(w, r, nil, p.defaults.TimeoutOffset)
}

// get returns the kept target for (key, module), building it on first use if the module lists
// it.
func (p *Prober) get(target, key, module string) (*Target, int, error) {
	cfg, gen := p.cfg.Get()
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if gen != p.gen {
		p.dropLocked(func(probeKey, *probeEntry) bool { return true }, dropReload)
		p.gen = gen
	}
	p.expireLocked(now)
	k := probeKey{key, module}
	if e, ok := p.targets[k]; ok {
		e.lastUsed = now
		return e.target, 0, nil
	}
	m, ok := cfg.Modules[module]
	if !ok {
		known := "none: modules come from --config.file"
		if len(cfg.Modules) > 0 {
			known = strings.Join(slices.Sorted(maps.Keys(cfg.Modules)), ", ")
		}
		if module == "default" {
			return nil, http.StatusBadRequest, fmt.Errorf("module parameter is missing and there is no module named default (modules: %s)", known)
		}
		return nil, http.StatusBadRequest, fmt.Errorf("unknown module %q (modules: %s)", module, known)
	}
	listed, ok := m.Allows(target)
	if !ok {
		level.Debug(p.logger).Log("msg", "Probe of a target its module does not list refused", "target", target, "module", module)
		return nil, http.StatusForbidden, fmt.Errorf("not a target of module %q", module)
	}
	t, err := p.build(listed, module, m, cfg)
	if err != nil {
		level.Error(p.logger).Log("msg", "Cannot build probe target", "target", listed, "module", module, "err", err)
		return nil, http.StatusInternalServerError, fmt.Errorf("module %q: %w", module, err)
	}
	if len(p.targets) >= p.defaults.MaxTargets {
		p.dropLocked(p.leastRecentlyUsedLocked(), dropCapacity)
	}
	p.targets[k] = &probeEntry{target: t, lastUsed: now}
	return t, 0, nil
}

func (p *Prober) build(target, module string, m config.Module, cfg *config.Config) (*Target, error) {
	zc, err := ClientConfig(target, m, p.defaults.Timeout, ModuleSecrets)
	if err != nil {
		return nil, err
	}
	if zc.MaxResponseBytes == 0 {
		zc.MaxResponseBytes = p.defaults.MaxResponseBytes
	}
	zc.Logins = p.defaults.Logins
	ttl := p.defaults.CacheTTL
	if m.CacheTTL > 0 {
		ttl = time.Duration(m.CacheTTL)
	}
	collectors := p.defaults.Collectors
	if len(m.Collectors) > 0 {
		collectors = m.Collectors
	}
	return NewTarget(TargetOptions{
		Client:           zc,
		Collectors:       collectors,
		SLA:              cfg,
		CacheTTL:         ttl,
		RecoveryLookback: p.defaults.RecoveryLookback,
		Gate:             p.defaults.Gate.Child(),
		Logger:           log.With(p.logger, "target", target, "module", module),
	})
}

// expireLocked drops the targets not probed for IdleExpiry.
func (p *Prober) expireLocked(now time.Time) {
	p.dropLocked(func(_ probeKey, e *probeEntry) bool { return now.Sub(e.lastUsed) > p.defaults.IdleExpiry }, dropIdle)
}

// leastRecentlyUsedLocked selects the target probed least recently.
func (p *Prober) leastRecentlyUsedLocked() func(probeKey, *probeEntry) bool {
	var oldest *probeEntry
	for _, e := range p.targets {
		if oldest == nil || e.lastUsed.Before(oldest.lastUsed) {
			oldest = e
		}
	}
	return func(_ probeKey, e *probeEntry) bool { return e == oldest }
}

// dropLocked removes the targets drop selects, counts them under reason and ends their
// sessions in the background.
func (p *Prober) dropLocked(drop func(probeKey, *probeEntry) bool, reason string) {
	for k, e := range p.targets {
		if !drop(k, e) {
			continue
		}
		delete(p.targets, k)
		p.dropped[reason]++
		go func(t *Target) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = t.Close(ctx)
		}(e.target)
	}
}

// Kept returns how many targets are kept, for tests and the exporter's own metrics.
func (p *Prober) Kept() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.targets)
}

// Describe implements prometheus.Collector.
func (p *Prober) Describe(ch chan<- *prometheus.Desc) {
	ch <- collector.ProbeTargetsDesc
	ch <- collector.ProbeTargetsDroppedDesc
}

// Collect implements prometheus.Collector.
func (p *Prober) Collect(ch chan<- prometheus.Metric) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(collector.ProbeTargetsDesc, prometheus.GaugeValue, float64(len(p.targets)))
	for reason, n := range p.dropped {
		ch <- prometheus.MustNewConstMetric(collector.ProbeTargetsDroppedDesc, prometheus.CounterValue, float64(n), reason)
	}
}
