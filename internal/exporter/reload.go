package exporter

import (
	"fmt"
	"maps"
	"net/http"
	"sync"
	"time"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/config"
)

// Holder keeps the current config file and swaps it on reload; a bad new file keeps the old one.
type Holder struct {
	path   string
	logger log.Logger

	mu      sync.RWMutex
	cfg     *config.Config
	gen     uint64
	reloads sync.Mutex // one reload at a time

	builtin map[string]config.Module // modules that survive reloads (the demo's)

	lastOK      prometheus.Gauge
	lastSuccess prometheus.Gauge
}

// NewHolder returns a Holder for the file at path ("" = no file: an empty config that never
// changes) with cfg already loaded from it.
func NewHolder(path string, cfg *config.Config, logger log.Logger) *Holder {
	h := &Holder{path: path, cfg: cfg, logger: logger}
	h.lastOK, h.lastSuccess = collector.NewReloadGauges()
	h.lastOK.Set(1)
	h.lastSuccess.SetToCurrentTime()
	return h
}

// Get returns the current config and its generation, which changes on every successful reload.
func (h *Holder) Get() (*config.Config, uint64) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.cfg, h.gen
}

// Targets implements collector.SLAResolver over whatever config is current.
func (h *Holder) Targets(vpg string) collector.SLATargets {
	c, _ := h.Get()
	return c.Targets(vpg)
}

// Rules implements collector.SLAResolver over whatever config is current.
func (h *Holder) Rules() []collector.SLARule {
	c, _ := h.Get()
	return c.Rules()
}

// Current implements collector.SLAHolder: the config in effect now, for one scrape.
func (h *Holder) Current() collector.SLAResolver {
	c, _ := h.Get()
	return c
}

// SetBuiltinModules adds modules that are not in the file and stay across reloads, unless the
// file defines a module of the same name.
func (h *Holder) SetBuiltinModules(modules map[string]config.Module) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.builtin = modules
	h.cfg = withModules(h.cfg, modules)
}

// withModules returns c with the modules it lacks added from extra.
func withModules(c *config.Config, extra map[string]config.Module) *config.Config {
	if len(extra) == 0 {
		return c
	}
	out := *c
	out.Modules = make(map[string]config.Module, len(c.Modules)+len(extra))
	maps.Copy(out.Modules, extra)
	maps.Copy(out.Modules, c.Modules)
	return &out
}

// Reload re-reads the file. On error the old config stays in force.
func (h *Holder) Reload() error {
	if h.path == "" {
		return fmt.Errorf("no --config.file to reload")
	}
	h.reloads.Lock()
	defer h.reloads.Unlock()
	c, err := config.Load(h.path)
	if err != nil {
		h.lastOK.Set(0)
		level.Error(h.logger).Log("msg", "Config reload failed; keeping the previous config", "err", err)
		return err
	}
	h.mu.Lock()
	h.cfg = withModules(c, h.builtin)
	h.gen++
	h.mu.Unlock()
	h.lastOK.Set(1)
	h.lastSuccess.SetToCurrentTime()
	level.Info(h.logger).Log("msg", "Config reloaded", "file", h.path)
	return nil
}

// ReloadHandler serves /-/reload: POST reloads, anything else is 405.
func (h *Holder) ReloadHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "use POST to reload the config", http.StatusMethodNotAllowed)
			return
		}
		if err := h.Reload(); err != nil {
			http.Error(w, "reload failed, previous config kept: "+err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "config reloaded at", time.Now().UTC().Format(time.RFC3339))
	})
}

// Describe implements prometheus.Collector.
func (h *Holder) Describe(ch chan<- *prometheus.Desc) {
	h.lastOK.Describe(ch)
	h.lastSuccess.Describe(ch)
}

// Collect implements prometheus.Collector.
func (h *Holder) Collect(ch chan<- prometheus.Metric) {
	h.lastOK.Collect(ch)
	h.lastSuccess.Collect(ch)
}
