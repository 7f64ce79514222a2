package config

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
)

// Store keeps the config in force and swaps it on reload, like blackbox_exporter's SafeConfig; a
// bad new file keeps the old one. Its gauges report the reloads.
type Store struct {
	path   string
	logger log.Logger

	mu      sync.RWMutex
	cfg     *Config
	gen     uint64
	reloads sync.Mutex // one reload at a time

	builtin map[string]Module // modules that survive reloads (the demo's)

	lastOK      prometheus.Gauge
	lastSuccess prometheus.Gauge
}

// NewStore returns a Store for the file at path ("" = no file: an empty config that never
// changes) with cfg already loaded from it.
func NewStore(path string, cfg *Config, logger log.Logger) *Store {
	s := &Store{path: path, cfg: cfg, logger: logger}
	s.lastOK, s.lastSuccess = collector.NewReloadGauges()
	s.lastOK.Set(1)
	s.lastSuccess.SetToCurrentTime()
	return s
}

// Get returns the current config and its generation, which changes on every successful reload.
func (s *Store) Get() (*Config, uint64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cfg, s.gen
}

// Targets implements collector.SLAResolver over whatever config is current.
func (s *Store) Targets(vpg string) collector.SLATargets {
	c, _ := s.Get()
	return c.Targets(vpg)
}

// Rules implements collector.SLAResolver over whatever config is current.
func (s *Store) Rules() []collector.SLARule {
	c, _ := s.Get()
	return c.Rules()
}

// Current implements collector.SLAHolder: the config in effect now, for one scrape.
func (s *Store) Current() collector.SLAResolver {
	c, _ := s.Get()
	return c
}

// SetBuiltinModules adds modules that are not in the file and stay across reloads, unless the
// file defines a module of the same name.
func (s *Store) SetBuiltinModules(modules map[string]Module) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.builtin = modules
	s.cfg = withModules(s.cfg, modules)
}

// withModules returns c with the modules it lacks added from extra.
func withModules(c *Config, extra map[string]Module) *Config {
	if len(extra) == 0 {
		return c
	}
	out := *c
	out.Modules = make(map[string]Module, len(c.Modules)+len(extra))
	maps.Copy(out.Modules, extra)
	maps.Copy(out.Modules, c.Modules)
	return &out
}

// Reload re-reads the file. On error the old config stays in force.
func (s *Store) Reload() error {
	if s.path == "" {
		return fmt.Errorf("no --config.file to reload")
	}
	s.reloads.Lock()
	defer s.reloads.Unlock()
	c, err := Load(s.path)
	if err != nil {
		s.lastOK.Set(0)
		level.Error(s.logger).Log("msg", "Config reload failed; keeping the previous config", "err", err)
		return err
	}
	s.mu.Lock()
	s.cfg = withModules(c, s.builtin)
	s.gen++
	s.mu.Unlock()
	s.lastOK.Set(1)
	s.lastSuccess.SetToCurrentTime()
	level.Info(s.logger).Log("msg", "Config reloaded", "file", s.path)
	return nil
}

// ReloadHandler serves /-/reload: POST reloads, anything else is 405.
func (s *Store) ReloadHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "use POST to reload the config", http.StatusMethodNotAllowed)
			return
		}
		if err := s.Reload(); err != nil {
			http.Error(w, "reload failed, previous config kept: "+err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "config reloaded at", time.Now().UTC().Format(time.RFC3339))
	})
}

// Describe implements prometheus.Collector.
func (s *Store) Describe(ch chan<- *prometheus.Desc) {
	s.lastOK.Describe(ch)
	s.lastSuccess.Describe(ch)
}

// Collect implements prometheus.Collector.
func (s *Store) Collect(ch chan<- prometheus.Metric) {
	s.lastOK.Collect(ch)
	s.lastSuccess.Collect(ch)
}
