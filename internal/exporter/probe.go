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
	// Gate bounds the refreshes of all targets running at once; nil for no bound.
	Gate *snapshot.Gate
}

type probeKey struct{ target, module string }

type probeEntry struct {
	target   *Target
	lastUsed time.Time
}

// Prober serves /probe?target=<ZVM URL>&module=<name>, blackbox-style. Targets are kept per
// (target, module) between probes, so sessions, tokens and snapshot caches survive, and are
// dropped once not probed for IdleExpiry or when the config is reloaded.
type Prober struct {
	cfg      *Holder
	defaults ProbeDefaults
	logger   log.Logger

	now func() time.Time // time.Now; a test's clock expires targets without waiting

	mu      sync.Mutex
	targets map[probeKey]*probeEntry
	gen     uint64 // config generation the targets were built from
}

// NewProber returns a Prober reading modules from cfg.
func NewProber(cfg *Holder, d ProbeDefaults, logger log.Logger) *Prober {
	if d.IdleExpiry <= 0 {
		d.IdleExpiry = 15 * time.Minute
	}
	return &Prober{cfg: cfg, defaults: d, logger: logger, now: time.Now, targets: map[probeKey]*probeEntry{}}
}

// ServeHTTP implements http.Handler.
func (p *Prober) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	target := q.Get("target")
	if target == "" {
		http.Error(w, "target parameter is missing: /probe?target=https://zvm.example.com&module=default", http.StatusBadRequest)
		return
	}
	if _, err := baseurl.Parse(target); err != nil {
		http.Error(w, "target "+err.Error(), http.StatusBadRequest)
		return
	}
	module := q.Get("module")
	if module == "" {
		module = "default"
	}
	t, status, err := p.get(target, module)
	if err != nil {
		http.Error(w, err.Error(), status)
		return
	}
	t.ServeScrape(w, r, nil, p.defaults.TimeoutOffset)
}

// get returns the kept target for (target, module), building it on first use.
func (p *Prober) get(target, module string) (*Target, int, error) {
	cfg, gen := p.cfg.Get()
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if gen != p.gen {
		p.dropLocked(func(probeKey, *probeEntry) bool { return true })
		p.gen = gen
	}
	p.dropLocked(func(_ probeKey, e *probeEntry) bool { return now.Sub(e.lastUsed) > p.defaults.IdleExpiry })
	k := probeKey{target, module}
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
	t, err := p.build(target, module, m, cfg)
	if err != nil {
		level.Error(p.logger).Log("msg", "Cannot build probe target", "target", target, "module", module, "err", err)
		return nil, http.StatusInternalServerError, fmt.Errorf("module %q: %w", module, err)
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
		Gate:             p.defaults.Gate,
		Logger:           log.With(p.logger, "target", target, "module", module),
	})
}

// dropLocked removes the targets drop selects and ends their sessions in the background.
func (p *Prober) dropLocked(drop func(probeKey, *probeEntry) bool) {
	for k, e := range p.targets {
		if !drop(k, e) {
			continue
		}
		delete(p.targets, k)
		go func(t *Target) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = t.Close(ctx)
		}(e.target)
	}
}

// Targets returns how many targets are kept, for tests and the exporter's own metrics.
func (p *Prober) Targets() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.targets)
}

// Describe implements prometheus.Collector.
func (p *Prober) Describe(ch chan<- *prometheus.Desc) { ch <- collector.ProbeTargetsDesc }

// Collect implements prometheus.Collector.
func (p *Prober) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(collector.ProbeTargetsDesc, prometheus.GaugeValue, float64(p.Targets()))
}
