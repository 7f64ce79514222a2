// Package collector turns a ZVM snapshot into Prometheus metrics.
//
// Each file holds one area's collector (vpg.go, vm.go, ...). A collector owns the endpoints it is
// built from: it fails when one of them failed in the refresh, and its series are then absent so
// Prometheus marks them stale. Collectors never do HTTP and never see JSON; they only read the
// snapshot.
package collector

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/fastexpo"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

const namespace = "zerto"

// Collector emits the metrics of one area from a snapshot. The framework has already checked that
// the endpoints it owns were read; Update returns an error only for data it cannot use.
type Collector interface {
	Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error
}

// Config is what collectors are built with.
type Config struct {
	Logger log.Logger
	// SLA resolves the exporter-side SLA targets of a VPG; nil means none are configured.
	SLA SLAResolver
}

// SLAResolver returns the SLA targets configured for a VPG name, and lists the configured rules.
type SLAResolver interface {
	Targets(vpg string) SLATargets
	Rules() []SLARule
}

// SLATargets are the exporter-side SLA targets of one VPG; a zero duration means not set.
type SLATargets struct {
	RPO          time.Duration
	RTO          time.Duration
	TestInterval time.Duration
	Rule         string // the name of the rule that set them (SLARule.Name); empty for none
}

// SLAHolder is an SLAResolver whose rules can change while a scrape runs (a reloadable config
// file). Collectors resolve through Current once per scrape, so that one scrape sees one set of
// rules.
type SLAHolder interface {
	Current() SLAResolver
}

// SLARule names one configured rule ("sla[0]") and its VPG name pattern.
type SLARule struct {
	Name, Match string
}

type registration struct {
	name      string
	defaultOn bool
	help      string
	owns      []zvm.Endpoint
	borrows   []zvm.Endpoint
	build     func(Config) Collector
	// notes maps a metric's full name to what its one-sentence HELP leaves out (unit factor,
	// when the series is absent, which objects count, caveats), for docs/metrics.md.
	notes map[string]string
}

// registry is the table of known collectors, filled by each area file's init.
var registry = map[string]registration{}

func register(r registration) {
	if _, dup := registry[r.name]; dup {
		panic("collector registered twice: " + r.name)
	}
	registry[r.name] = r
}

// Info describes a registered collector, for flags and documentation.
type Info struct {
	Name      string
	Help      string
	DefaultOn bool
	Owns      []zvm.Endpoint
	// Borrows are endpoints the collector reads when they were read, without failing when not.
	Borrows []zvm.Endpoint
	// Notes maps the full name of a metric of the collector to what its HELP leaves out.
	Notes map[string]string
}

// Available lists every registered collector, sorted by name.
func Available() []Info {
	out := make([]Info, 0, len(registry))
	for _, r := range registry {
		out = append(out, Info{Name: r.name, Help: r.help, DefaultOn: r.defaultOn, Owns: r.owns, Borrows: r.borrows, Notes: r.notes})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Selection holds the --collector.<name> flags.
type Selection struct {
	flags           map[string]*bool
	explicit        map[string]bool
	disableDefaults *bool
}

// AddFlags registers --collector.<name> (and its --no- negation) for every collector, plus
// --collector.disable-defaults, as node_exporter does.
func AddFlags(app *kingpin.Application) *Selection {
	s := &Selection{flags: map[string]*bool{}, explicit: map[string]bool{}}
	for _, info := range Available() {
		def := "false"
		if info.DefaultOn {
			def = "true"
		}
		name := info.Name
		s.flags[name] = app.Flag("collector."+name, fmt.Sprintf("Enable the %s collector (%s).", name, info.Help)).
			Default(def).Action(func(*kingpin.ParseContext) error { s.explicit[name] = true; return nil }).Bool()
	}
	s.disableDefaults = app.Flag("collector.disable-defaults", "Disable every collector not enabled explicitly.").Default("false").Bool()
	return s
}

// Enabled returns the names of the collectors the flags enable.
func (s *Selection) Enabled() []string {
	var out []string
	for name, on := range s.flags {
		if *s.disableDefaults && !s.explicit[name] {
			continue
		}
		if *on {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Explicit reports whether --collector.<name> or --no-collector.<name> was given, and which.
func (s *Selection) Explicit(name string) (enabled, given bool) {
	if f, ok := s.flags[name]; ok && s.explicit[name] {
		return *f, true
	}
	return false, false
}

// EnableByDefault turns a collector on as if it were on by default, unless its flag was given:
// for --demo, which shows the opt-in collectors too. --collector.disable-defaults still turns it
// off.
func (s *Selection) EnableByDefault(name string) {
	if f, ok := s.flags[name]; ok && !s.explicit[name] {
		*f = true
	}
}

// Set is a built group of enabled collectors.
type Set struct {
	names      []string
	collectors map[string]Collector
	regs       map[string]registration
	logger     log.Logger

	panicsMu sync.Mutex
	panics   map[string]struct{} // the panics logged, by collector, site and value
}

// NewSet builds the named collectors.
func NewSet(names []string, cfg Config) (*Set, error) {
	if cfg.Logger == nil {
		cfg.Logger = log.NewNopLogger()
	}
	s := &Set{collectors: map[string]Collector{}, regs: map[string]registration{}, logger: cfg.Logger, panics: map[string]struct{}{}}
	for _, n := range names {
		r, ok := registry[n]
		if !ok {
			return nil, fmt.Errorf("unknown collector %q", n)
		}
		c := cfg
		c.Logger = log.With(cfg.Logger, "collector", n)
		s.collectors[n] = r.build(c)
		s.regs[n] = r
		s.names = append(s.names, n)
	}
	sort.Strings(s.names)
	return s, nil
}

// Endpoints returns every endpoint the enabled collectors own or borrow, in a stable order.
func (s *Set) Endpoints() []zvm.Endpoint {
	seen := map[zvm.Endpoint]bool{}
	var out []zvm.Endpoint
	for _, n := range s.names {
		for _, ep := range append(slices.Clone(s.regs[n].owns), s.regs[n].borrows...) {
			if !seen[ep] {
				seen[ep] = true
				out = append(out, ep)
			}
		}
	}
	slices.Sort(out)
	return out
}

// The exporter's own metrics about a refresh: zerto_up, zerto_scrape_* for each collector's part of
// the latest refresh, and zerto_exporter_* for what the exporter counted of the ZVM's answers since it
// started watching the ZVM (snapshot.EnumNames, snapshot.DecodeWarnings). docs/metrics.md tells
// their caveats.
var (
	upDesc = prometheus.NewDesc("zerto_up",
		"1 when the latest refresh authenticated and read /v1/localsite from the ZVM, else 0.", nil, nil)
	successDesc = prometheus.NewDesc("zerto_scrape_collector_success",
		"1 when the collector's ZVM endpoints were read and turned into metrics in the latest refresh, else 0.",
		[]string{"collector"}, nil)
	durationDesc = prometheus.NewDesc("zerto_scrape_collector_duration_seconds",
		"Time the latest refresh spent reading the collector's ZVM endpoints and building its metrics.",
		[]string{"collector"}, nil)
	supportedDesc = prometheus.NewDesc("zerto_scrape_collector_supported",
		"0 when every ZVM endpoint of the collector answered 404 in the latest refresh, else 1.",
		[]string{"collector"}, nil)
	unknownEnumDesc = prometheus.NewDesc("zerto_exporter_unknown_enum_values_total",
		"Codes of the ZVM's enumeration fields that neither the exporter nor the ZVM's name lists name, by field, counted once per object and refresh.",
		[]string{"field", "code"}, nil)
	decodeWarningsDesc = prometheus.NewDesc("zerto_exporter_decode_warnings_total",
		"Values of the ZVM's answers the exporter could not use, by endpoint and field, counted each time they are read.",
		[]string{"endpoint", "field"}, nil)
)

// CollectorFor returns a prometheus.Collector that emits zerto_up, each collector's metrics from
// snap, and the per-collector success and duration. snap may be nil when no snapshot could be had.
func (s *Set) CollectorFor(snap *snapshot.Snapshot) prometheus.Collector {
	return snapshotCollector{set: s, snap: snap}
}

type snapshotCollector struct {
	set  *Set
	snap *snapshot.Snapshot
}

// Describe sends nothing: the metrics depend on the snapshot, so this is an unchecked collector.
func (snapshotCollector) Describe(chan<- *prometheus.Desc) {}

func (sc snapshotCollector) Collect(ch chan<- prometheus.Metric) {
	up := 0.0
	if sc.snap.Up() {
		up = 1
	}
	ch <- fastexpo.MustNewConstMetric(upDesc, prometheus.GaugeValue, up)
	if sc.snap != nil {
		for k, n := range sc.snap.Enums.Unknown() {
			ch <- fastexpo.MustNewConstMetric(unknownEnumDesc, prometheus.CounterValue, n, string(k.Field), k.Code)
		}
		for k, n := range sc.snap.Warnings.Counts() {
			ch <- fastexpo.MustNewConstMetric(decodeWarningsDesc, prometheus.CounterValue, n, string(k.Endpoint), k.Field)
		}
	}
	var wg sync.WaitGroup
	for _, n := range sc.set.names {
		wg.Go(func() {
			sc.set.execute(n, sc.snap, ch)
		})
	}
	wg.Wait()
}

// safeUpdate runs one collector; a panic on data nobody foresaw fails that collector, not the
// process.
func safeUpdate(c Collector, snap *snapshot.Snapshot, ch chan<- prometheus.Metric) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: fmt.Sprint(r), site: panicSite(), stack: debug.Stack()}
		}
	}()
	return c.Update(snap, ch)
}

// panicError is a recovered collector panic.
type panicError struct {
	value string // the panic's value, printed
	site  string // function, file and line that panicked
	stack []byte
}

func (e *panicError) Error() string { return "collector panicked: " + e.value }

// panicSite returns where the panic being recovered started: the first frame below
// runtime.gopanic that is not in the runtime (an index error panics from runtime.panicIndex).
func panicSite() string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	panicking := false
	for {
		f, more := frames.Next()
		if panicking && !strings.HasPrefix(f.Function, "runtime.") {
			return fmt.Sprintf("%s (%s:%d)", f.Function, f.File, f.Line)
		}
		panicking = panicking || f.Function == "runtime.gopanic"
		if !more {
			return "unknown"
		}
	}
}

// maxLoggedPanics bounds the memory of which panics were logged; past it every panic is logged.
const maxLoggedPanics = 256

// logPanic logs a collector's recovered panic at error level with its stack, the first time that
// collector panics with that value at that place: a panic recurs on every scrape until the data
// or the code changes, and the failure stays visible in zerto_scrape_collector_success.
func (s *Set) logPanic(name string, pe *panicError) {
	key := name + "\x00" + pe.site + "\x00" + pe.value
	s.panicsMu.Lock()
	_, seen := s.panics[key]
	if !seen && len(s.panics) < maxLoggedPanics {
		s.panics[key] = struct{}{}
	}
	s.panicsMu.Unlock()
	if !seen {
		level.Error(s.logger).Log("msg", "Collector panicked; it fails until the data or the code changes", "collector", name,
			"panic", pe.value, "at", pe.site, "stack", string(pe.stack))
	}
}

func (s *Set) execute(name string, snap *snapshot.Snapshot, ch chan<- prometheus.Metric) {
	reg := s.regs[name]
	start := time.Now()
	var fetched time.Duration
	err := fmt.Errorf("no snapshot")
	if snap != nil {
		err = snap.Err(reg.owns...)
		for _, ep := range reg.owns {
			fetched = max(fetched, snap.Fetches[ep].Duration)
		}
		if err == nil {
			err = safeUpdate(s.collectors[name], snap, ch)
		}
	}
	success := 1.0
	if err != nil {
		success = 0
		level.Debug(s.logger).Log("msg", "collector failed", "collector", name, "err", err)
		if pe, ok := errors.AsType[*panicError](err); ok {
			s.logPanic(name, pe)
		}
	}
	if snap.Up() {
		ch <- fastexpo.MustNewConstMetric(supportedDesc, prometheus.GaugeValue, supported(snap, reg.owns), name)
	}
	ch <- fastexpo.MustNewConstMetric(durationDesc, prometheus.GaugeValue, (fetched + time.Since(start)).Seconds(), name)
	ch <- fastexpo.MustNewConstMetric(successDesc, prometheus.GaugeValue, success, name)
}

// supported is 0 when every endpoint in owns answered 404 in snap, else 1.
func supported(snap *snapshot.Snapshot, owns []zvm.Endpoint) float64 {
	for _, ep := range owns {
		if !snap.Fetches[ep].Unsupported {
			return 1
		}
	}
	return 0
}
