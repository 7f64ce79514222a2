// Command zerto_exporter exports the state of Zerto Virtual Managers to Prometheus.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/alecthomas/units"
	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/model"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web"
	"github.com/prometheus/exporter-toolkit/web/kingpinflag"
	"go.yaml.in/yaml/v3"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/exporter"
	"github.com/zerto-exporter/zerto_exporter/internal/memlimit"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/webserver"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// defaultListenAddress is the exporter's port: in the exporter range 9100–9999 and not used by the
// well-known exporters (node 9100, mysqld 9104, blackbox 9115, snmp 9116, windows 9182, postgres
// 9187, vmware 9272 ...), nor by Zerto itself (9669, 9080, 9081).
const defaultListenAddress = ":9847"

// flags are the command line, parsed once at start.
type flags struct {
	zvmURL, zvmAuth, zvmUsername, zvmPasswordFile string
	zvmSessionAuthMethod                          string
	zvmClientID, zvmClientSecretFile, zvmCAFile   string
	zvmInsecure                                   bool
	zvmTimeout, zvmCacheTTL, timeoutOffset        time.Duration
	zvmMaxResponse                                units.Base2Bytes
	zvmMaxRefreshes                               int
	probeIdleExpiry                               time.Duration
	probeMaxTargets                               int
	webMaxConnections                             int
	recoveryLookback                              model.Duration
	configFile                                    string
	configCheck                                   bool
	telemetryPath                                 string
	disableExporterMetrics                        bool
	demo                                          bool
	logLevel, logFormat                           string
	memoryLimit                                   memoryLimitValue
	web                                           *web.FlagConfig
	collectors                                    *collector.Selection
	vsphere                                       vsphereFlags
}

func newApp(f *flags) *kingpin.Application {
	app := kingpin.New("zerto_exporter", "Prometheus exporter for Zerto Virtual Managers (ZVM): VPG RPO and status, journals, VRAs, recovery RTO and Zerto alerts.")
	app.Flag("zvm.url", "Base URL of the ZVM API, e.g. https://zvm.example.com (appliance, port 443) or https://zvm.example.com:9669 (Windows ZVM).").Envar("ZERTO_EXPORTER_ZVM_URL").StringVar(&f.zvmURL)
	app.Flag("zvm.auth", "ZVM authentication: keycloak (ZVM Appliance), session (Windows ZVM) or auto (detect once).").Envar("ZERTO_EXPORTER_ZVM_AUTH").Default("auto").SetValue(&enumValue{flag: "zvm.auth", v: &f.zvmAuth, options: names(zvm.AuthModes)})
	app.Flag("zvm.session-auth-method", "Account kind for session auth (Windows ZVM): windows (a Windows account) or vcenter (a vCenter/SSO account, sent as {\"AuthenticationMethod\":1}).").Envar("ZERTO_EXPORTER_ZVM_SESSION_AUTH_METHOD").Default("windows").SetValue(&enumValue{flag: "zvm.session-auth-method", v: &f.zvmSessionAuthMethod, options: names(zvm.SessionAuthMethods)})
	app.Flag("zvm.username", "ZVM user name (password grant or session login).").Envar("ZERTO_EXPORTER_ZVM_USERNAME").StringVar(&f.zvmUsername)
	app.Flag("zvm.password-file", "File holding the ZVM password; or set ZERTO_EXPORTER_ZVM_PASSWORD.").Envar("ZERTO_EXPORTER_ZVM_PASSWORD_FILE").StringVar(&f.zvmPasswordFile)
	app.Flag("zvm.client-id", "Keycloak client id (default zerto-client for the password grant; a confidential client for client_credentials).").Envar("ZERTO_EXPORTER_ZVM_CLIENT_ID").StringVar(&f.zvmClientID)
	app.Flag("zvm.client-secret-file", "File holding the Keycloak client secret (selects the client_credentials grant); or set ZERTO_EXPORTER_ZVM_CLIENT_SECRET.").Envar("ZERTO_EXPORTER_ZVM_CLIENT_SECRET_FILE").StringVar(&f.zvmClientSecretFile)
	app.Flag("zvm.ca-file", "PEM file of the CA that signed the ZVM's certificate.").Envar("ZERTO_EXPORTER_ZVM_CA_FILE").StringVar(&f.zvmCAFile)
	app.Flag("zvm.insecure-skip-verify", "Do not verify the ZVM's TLS certificate (ZVMs ship a self-signed one; prefer --zvm.ca-file).").Envar("ZERTO_EXPORTER_ZVM_INSECURE_SKIP_VERIFY").BoolVar(&f.zvmInsecure)
	app.Flag("zvm.timeout", "Timeout of one request to the ZVM.").Envar("ZERTO_EXPORTER_ZVM_TIMEOUT").Default("10s").DurationVar(&f.zvmTimeout)
	app.Flag("zvm.max-response-size", "Largest ZVM response body read; a bigger one fails its collector. Decoded list elements are held to the same budget. The default holds /v1/vms of about 30,000 VMs. A module's max_response_size overrides it for /probe.").Envar("ZERTO_EXPORTER_ZVM_MAX_RESPONSE_SIZE").Default("64MiB").BytesVar(&f.zvmMaxResponse)
	app.Flag("zvm.max-concurrent-refreshes", "How many ZVM refreshes (reading and decoding the ZVM's lists, then building the exposition) of /probe targets run at once, at most one per target; the others wait, within their scrape's timeout. The --zvm.url target has a slot of its own besides. Bounds memory when many /probe targets expire together. 0 for no bound. See docs/performance.md (an estate of 20 ZVMs).").Envar("ZERTO_EXPORTER_ZVM_MAX_CONCURRENT_REFRESHES").Default("4").IntVar(&f.zvmMaxRefreshes)
	app.Flag("probe.idle-expiry", "A /probe target (its session and snapshot) not probed for this long is dropped, checked on a timer.").Default("15m").DurationVar(&f.probeIdleExpiry)
	app.Flag("probe.max-targets", "Most /probe targets (ZVM and module pairs, with their sessions and snapshots) kept at once; beyond it the least recently probed is dropped (zerto_exporter_probe_targets_dropped_total). A kept target of 5,000 VMs holds about 23 MiB (docs/performance.md).").Default(strconv.Itoa(exporter.DefaultMaxProbeTargets)).IntVar(&f.probeMaxTargets)
	app.Flag("web.max-connections", "Most HTTP connections to the exporter kept open; a new one beyond it closes the oldest idle ones. 0 for no bound.").Default(strconv.Itoa(webserver.DefaultMaxConnections)).IntVar(&f.webMaxConnections)
	app.Flag("zvm.cache-ttl", "How long a ZVM snapshot is served before a scrape refreshes it; keep it a little below the scrape interval.").Envar("ZERTO_EXPORTER_ZVM_CACHE_TTL").Default("25s").DurationVar(&f.zvmCacheTTL)
	app.Flag("collector.recovery.lookback", "How far back the recovery collector reads recovery reports at start: a year, so that VPGs tested quarterly or yearly keep their RTO series after a restart (first-read cost: docs/performance.md).").Default("365d").SetValue(&f.recoveryLookback)
	app.Flag("config.file", "YAML file with SLA targets and /probe modules.").Envar("ZERTO_EXPORTER_CONFIG_FILE").StringVar(&f.configFile)
	app.Flag("config.check", "Validate --config.file and exit.").BoolVar(&f.configCheck)
	app.Flag("web.telemetry-path", "Path under which to expose the ZVM's metrics.").Default("/metrics").StringVar(&f.telemetryPath)
	app.Flag("web.disable-exporter-metrics", "Leave out the exporter's own process and Go runtime metrics.").BoolVar(&f.disableExporterMetrics)
	app.Flag("runtime.memory-limit", "Soft memory limit of the Go runtime: auto, a size, or 0 for none; GOMEMLIMIT, when set, overrides it. auto sets it after a refresh (at most every 20s) to 3.5 times the live heap, at least 80MiB, so that the garbage collector runs before the heap doubles during a refresh without running constantly on large ZVMs; with more targets than --zvm.max-concurrent-refreshes, only the refreshing share of the live heap gets that headroom, down to twice the live heap (20 targets, 4 slots). See docs/performance.md.").Default("auto").SetValue(&f.memoryLimit)
	app.Flag("web.timeout-offset", "Subtracted from Prometheus's scrape timeout to leave time to answer.").Default("500ms").DurationVar(&f.timeoutOffset)
	app.Flag("demo", "Run a simulated pair of ZVMs and a simulated vCenter in-process and export them, with demo SLA targets; nothing else is needed.").BoolVar(&f.demo)
	app.Flag("log.level", "Log level: debug, info, warn, error.").Default("info").SetValue(&enumValue{flag: "log.level", v: &f.logLevel, options: []string{"debug", "info", "warn", "error"}})
	app.Flag("log.format", "Log format: logfmt or json.").Default("logfmt").SetValue(&enumValue{flag: "log.format", v: &f.logFormat, options: []string{"logfmt", "json"}})
	f.web = kingpinflag.AddFlags(app, defaultListenAddress)
	f.collectors = collector.AddFlags(app)
	addVSphereFlags(app, &f.vsphere)
	app.Version(version.Print("zerto_exporter"))
	app.HelpFlag.Short('h')
	return app
}

// memoryLimitValue is --runtime.memory-limit: auto, or a size (0: no limit).
type memoryLimitValue struct {
	auto  bool
	bytes units.Base2Bytes
}

func (m *memoryLimitValue) Set(s string) error {
	if s == "auto" {
		*m = memoryLimitValue{auto: true}
		return nil
	}
	b, err := units.ParseBase2Bytes(s)
	if err != nil || b < 0 {
		return fmt.Errorf("--runtime.memory-limit: %q is neither auto nor a size such as 128MiB", s)
	}
	*m = memoryLimitValue{bytes: b}
	return nil
}

func (m *memoryLimitValue) String() string {
	if m.auto {
		return "auto"
	}
	return m.bytes.String()
}

// enumValue is a flag with a fixed set of values whose error names the flag, which kingpin's own
// enum flags do not.
type enumValue struct {
	flag    string
	v       *string
	options []string
}

func (e *enumValue) Set(s string) error {
	if !slices.Contains(e.options, s) {
		return fmt.Errorf("--%s: %q is not one of %s", e.flag, s, strings.Join(e.options, ", "))
	}
	*e.v = s
	return nil
}

func (e *enumValue) String() string { return *e.v }

// names returns the values of a string enum as strings, for an enumValue's options.
func names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "zerto_exporter:", err)
		os.Exit(1)
	}
}

// run is the whole exporter; it returns when ctx ends or the server fails. Every bad flag or
// config file is reported before anything is served.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	f, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger, slogger, err := newLogger(stderr, f.logLevel, f.logFormat)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(f)
	if err != nil {
		return err
	}
	if f.configCheck {
		fmt.Fprintf(stderr, "%s: OK\n", f.configFile)
		return nil
	}
	single := watched{zvm: flagModule(f), vcenter: &f.vsphere}
	if f.demo {
		demo, stop, err := runDemo(ctx, f, cfg, logger)
		if err != nil {
			return err
		}
		defer stop()
		single.zvm = withFlagLimits(demo.zvm, f)
		if demo.vcenter != nil {
			single.vcenter = demo.vcenter
		}
	}
	store := config.NewStore(f.configFile, cfg, logger)
	if f.demo {
		store.SetBuiltinModules(map[string]config.Module{"demo": cfg.Modules["demo"]})
	}
	gate := snapshot.NewGate(f.zvmMaxRefreshes)
	logins := zvm.NewLogins()
	target, err := flagTarget(f, single, cfg, store, gate.Own(), logins, logger)
	if err != nil {
		return err
	}
	prober := exporter.NewProber(store, exporter.ProbeDefaults{
		Collectors:       f.collectors.Enabled(),
		Timeout:          f.zvmTimeout,
		CacheTTL:         f.zvmCacheTTL,
		RecoveryLookback: time.Duration(f.recoveryLookback),
		TimeoutOffset:    f.timeoutOffset,
		MaxResponseBytes: int64(f.zvmMaxResponse),
		IdleExpiry:       f.probeIdleExpiry,
		MaxTargets:       f.probeMaxTargets,
		Gate:             gate,
		Logins:           logins,
	}, logger)
	defer prober.Close()
	setMemoryLimit(f.memoryLimit, func() float64 {
		n := prober.Kept()
		if target != nil {
			n++
		}
		return memlimit.RefreshShare(f.zvmMaxRefreshes, n)
	})
	srv, conns := webserver.New(nil, f.webMaxConnections)
	mux, err := newMux(f, single, target, store, selfRegistry(f, store, prober, exporter.LimitMetrics{Gate: gate, Logins: logins}, conns), prober)
	if err != nil {
		return err
	}
	srv.Handler = exporter.LimitURL(mux, logger)
	level.Info(logger).Log("msg", "Starting zerto_exporter", "version", version.Info(), "build_context", version.BuildContext())
	if target != nil {
		level.Info(logger).Log("msg", "Watching ZVM", "url", single.zvm.Targets[0], "auth", single.zvm.Auth, "collectors", fmt.Sprint(f.collectors.Enabled()))
	}
	defer reloadOnSIGHUP(store)()
	return serve(ctx, f, srv, slogger, logger, target, single.vcenter)
}

// parseFlags parses the command line and checks what kingpin cannot.
func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	f := &flags{}
	app := newApp(f)
	nameFlagErrors(app)
	app.ErrorWriter(stderr)
	app.UsageWriter(stderr)
	if _, err := app.Parse(args); err != nil {
		return nil, err
	}
	if err := checkFlags(f); err != nil {
		return nil, err
	}
	if f.configCheck && f.configFile == "" {
		return nil, errors.New("--config.check needs --config.file")
	}
	return f, nil
}

// setMemoryLimit applies --runtime.memory-limit, unless GOMEMLIMIT is set. share is the
// fraction of the targets that can refresh at once, which sizes auto's headroom.
func setMemoryLimit(m memoryLimitValue, share func() float64) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	switch {
	case m.auto:
		memlimit.Start(&memlimit.Auto{Floor: memlimit.DefaultFloor, Factor: memlimit.DefaultFactor, MinGap: memlimit.DefaultMinGap, Share: share})
	case m.bytes > 0:
		debug.SetMemoryLimit(int64(m.bytes))
	}
}

// loadConfig reads --config.file (an empty config without it) and validates --web.config.file,
// which exporter-toolkit would otherwise read only after binding the listen address.
func loadConfig(f *flags) (*config.Config, error) {
	cfg := &config.Config{}
	if f.configFile != "" {
		var err error
		if cfg, err = config.Load(f.configFile); err != nil {
			return nil, err
		}
	}
	if *f.web.WebConfigFile != "" {
		if err := web.Validate(*f.web.WebConfigFile); err != nil {
			return nil, fmt.Errorf("--web.config.file: %w", err)
		}
	}
	return cfg, nil
}

// watched is what the single target reads: its ZVM, as a module, and its vCenter (no URL: none).
type watched struct {
	zvm     config.Module
	vcenter *vsphereFlags
}

// runDemo starts the in-process simulated ZVMs (and vCenter) of --demo and returns what the
// exporter watches of them, and what stops them.
func runDemo(ctx context.Context, f *flags, cfg *config.Config, logger log.Logger) (watched, func(), error) {
	dir, err := os.MkdirTemp("", "zerto_exporter-demo")
	if err != nil {
		return watched{}, nil, fmt.Errorf("demo: %w", err)
	}
	sim, w, err := startDemo(ctx, f, cfg, dir, logger)
	if err != nil {
		os.RemoveAll(dir)
		return watched{}, nil, err
	}
	return w, func() { sim.Close(); os.RemoveAll(dir) }, nil
}

// flagTarget builds the single target, the ZVM of module m (the --zvm.* flags, or the demo's)
// with the vCenter of the --vsphere.* flags, or returns nil when the exporter only serves /probe
// (no --zvm.url, and modules in the config file).
func flagTarget(f *flags, w watched, cfg *config.Config, store *config.Store, gate *snapshot.Gate, logins *zvm.Logins, logger log.Logger) (*exporter.Target, error) {
	m := w.zvm
	vsphereReader, err := w.vcenter.reader(logger)
	if err != nil {
		return nil, err
	}
	targetCollectors := f.collectors.Enabled()
	switch on, given := f.collectors.Explicit(vsphereCollector); {
	case given && on && vsphereReader == nil:
		return nil, errors.New("--collector.vsphere needs --vsphere.url")
	case !given || on:
		targetCollectors = w.vcenter.collectors(targetCollectors)
	}
	tcfg, err := flagClientConfig(m)
	switch {
	case err == nil:
		tcfg.Logins = logins
		return exporter.NewTarget(exporter.TargetOptions{
			Client:           tcfg,
			Collectors:       targetCollectors,
			VSphere:          vsphereReader,
			SLA:              store,
			CacheTTL:         time.Duration(m.CacheTTL),
			RecoveryLookback: time.Duration(f.recoveryLookback),
			Gate:             gate,
			Logger:           log.With(logger, "zvm", tcfg.URL),
		})
	case errors.Is(err, errNoURL) && len(cfg.Modules) > 0:
		// Probe-only: every ZVM is reached through /probe, which never reads vCenter.
		if vsphereReader != nil {
			return nil, errors.New("--vsphere.url needs --zvm.url: probed targets do not read vCenter")
		}
		return nil, nil
	default:
		return nil, err
	}
}

// selfRegistry holds the exporter's own metrics, served on the telemetry path.
func selfRegistry(f *flags, store *config.Store, prober *exporter.Prober, limits ...prometheus.Collector) *prometheus.Registry {
	self := prometheus.NewRegistry()
	self.MustRegister(versioncollector.NewCollector("zerto_exporter"), store, prober)
	self.MustRegister(limits...)
	if !f.disableExporterMetrics {
		// The GC metrics add the live heap and the soft memory limit that
		// --runtime.memory-limit=auto sets (go_gc_heap_live_bytes, go_gc_gomemlimit_bytes).
		self.MustRegister(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
			collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(collectors.GoRuntimeMetricsRule{
				Matcher: regexp.MustCompile(`^/gc/(heap/live|gomemlimit):bytes$`)})))
	}
	return self
}

// newMux routes the exporter's endpoints: the telemetry path (the single target, if any, and the
// exporter's own metrics), /probe, /-/reload, /config, the health checks and the landing page.
func newMux(f *flags, single watched, target *exporter.Target, store *config.Store, self *prometheus.Registry, prober *exporter.Prober) (*http.ServeMux, error) {
	mux := http.NewServeMux()
	if target != nil {
		mux.Handle(f.telemetryPath, exporter.MetricsHandler(target, self, f.timeoutOffset))
	} else {
		mux.Handle(f.telemetryPath, promhttp.HandlerFor(self, promhttp.HandlerOpts{}))
	}
	mux.Handle("/probe", prober)
	mux.Handle("/-/reload", store.ReloadHandler())
	mux.HandleFunc("/config", func(w http.ResponseWriter, _ *http.Request) {
		c, _ := store.Get()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, effectiveConfig(f, single, target != nil, c))
	})
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "Healthy") })
	mux.HandleFunc("/-/ready", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "Ready") })
	landing, err := web.NewLandingPage(web.LandingConfig{
		Name:        "Zerto Exporter",
		Description: "Prometheus exporter for Zerto Virtual Managers",
		Version:     version.Info(),
		Form: web.LandingForm{
			Action: "/probe",
			Inputs: []web.LandingFormInput{
				{Label: "Target", Type: "text", Name: "target", Placeholder: "https://zvm.example.com"},
				{Label: "Module", Type: "text", Name: "module", Value: "default"},
			},
		},
		Links: []web.LandingLinks{
			{Address: f.telemetryPath, Text: "Metrics"},
			{Address: "/config", Text: "Configuration"},
			{Address: "/-/healthy", Text: "Health"},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("landing page: %w", err)
	}
	mux.Handle("/", landing)
	return mux, nil
}

// reloadOnSIGHUP reloads the config file on every SIGHUP until the returned function is called.
func reloadOnSIGHUP(store *config.Store) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			_ = store.Reload() // logs its own outcome
		}
	}()
	return func() { signal.Stop(hup); close(hup) }
}

// serve answers HTTP until ctx ends or the server fails, then shuts down the server and ends the
// vCenter and ZVM sessions.
func serve(ctx context.Context, f *flags, srv *http.Server, slogger *slog.Logger, logger log.Logger, target *exporter.Target, vcenter *vsphereFlags) error {
	errc := make(chan error, 1)
	go func() { errc <- web.ListenAndServe(srv, f.web, slogger) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("web server: %w", err)
		}
	case <-ctx.Done():
		level.Info(logger).Log("msg", "Shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	_ = vcenter.close(sctx)
	if target != nil {
		if err := target.Close(sctx); err != nil {
			level.Warn(logger).Log("msg", "Closing ZVM session failed", "err", err)
		}
	}
	return nil
}

// effectiveConfig renders the single target's module (when watched) and vCenter, and the config
// file, by marshalling them: secrets render as <secret> by their type.
func effectiveConfig(f *flags, single watched, zvmWatched bool, c *config.Config) string {
	var flagged struct {
		ZVM     *config.Module `yaml:"zvm,omitempty"`
		VSphere *vsphereView   `yaml:"vsphere,omitempty"`
	}
	if zvmWatched {
		flagged.ZVM = &single.zvm
	}
	flagged.VSphere = single.vcenter.view()
	var b strings.Builder
	if flagged.ZVM != nil || flagged.VSphere != nil {
		out, err := yaml.Marshal(flagged)
		if err != nil {
			out = fmt.Appendf(nil, "# cannot render the flags: %v\n", err)
		}
		fmt.Fprintf(&b, "# single target (flags)\n%s", out)
	}
	fmt.Fprintf(&b, "# config file %s\n%s", f.configFile, c.String())
	return b.String()
}

// reservedPaths are the exporter's own endpoints, which --web.telemetry-path must not take.
var reservedPaths = []string{"/", "/probe", "/config", "/-/reload", "/-/healthy", "/-/ready"}

// checkFlags validates the flags kingpin cannot: the --web.* flags the exporter defines itself
// and the bounds that apply to every target, the --zvm.url one and /probe's.
func checkFlags(f *flags) error {
	if !strings.HasPrefix(f.telemetryPath, "/") || slices.Contains(reservedPaths, f.telemetryPath) || strings.ContainsAny(f.telemetryPath, " {}") {
		return fmt.Errorf("--web.telemetry-path: %q must start with / and not be one of %s", f.telemetryPath, strings.Join(reservedPaths, ", "))
	}
	if f.timeoutOffset < 0 {
		return fmt.Errorf("--web.timeout-offset: must not be negative, got %s", f.timeoutOffset)
	}
	// These also apply to /probe targets, so they are checked even without --zvm.url.
	if f.zvmTimeout <= 0 {
		return fmt.Errorf("--zvm.timeout: must be positive, got %s", f.zvmTimeout)
	}
	if f.zvmMaxRefreshes < 0 {
		return fmt.Errorf("--zvm.max-concurrent-refreshes: must not be negative, got %d", f.zvmMaxRefreshes)
	}
	if f.probeIdleExpiry <= 0 {
		return fmt.Errorf("--probe.idle-expiry: must be positive, got %s", f.probeIdleExpiry)
	}
	if f.probeMaxTargets <= 0 {
		return fmt.Errorf("--probe.max-targets: must be positive, got %d", f.probeMaxTargets)
	}
	if f.webMaxConnections < 0 {
		return fmt.Errorf("--web.max-connections: must not be negative, got %d", f.webMaxConnections)
	}
	if f.zvmMaxResponse <= 0 {
		return fmt.Errorf("--zvm.max-response-size: must be positive, got %s", f.zvmMaxResponse)
	}
	if f.zvmCacheTTL < 0 {
		return fmt.Errorf("--zvm.cache-ttl: must not be negative, got %s", f.zvmCacheTTL)
	}
	return nil
}

// errNoURL means no single target was configured.
var errNoURL = errors.New("--zvm.url is required (or run with --demo, or give --config.file with modules for /probe)")

// flagKeys name the --zvm.* flags in the errors of the module they make.
var flagKeys = config.KeyNames{ //nolint:gosec // the names of keys and flags, not credentials
	"targets[0]": "--zvm.url", "auth": "--zvm.auth", "session_auth_method": "--zvm.session-auth-method",
	"username": "--zvm.username", "password_file": "--zvm.password-file", "client_id": "--zvm.client-id",
	"client_secret_file": "--zvm.client-secret-file", "tls_config.ca_file": "--zvm.ca-file",
}

// flagModule is the single target of the --zvm.* flags as a module, like any of the config
// file's: the secrets come from the files the flags name, or else from the environment, never
// from the command line, where any user can see them. No --zvm.url gives a module without targets.
func flagModule(f *flags) config.Module {
	m := config.Module{
		Auth:              f.zvmAuth,
		SessionAuthMethod: f.zvmSessionAuthMethod,
		Username:          f.zvmUsername,
		PasswordFile:      f.zvmPasswordFile,
		ClientID:          f.zvmClientID,
		ClientSecretFile:  f.zvmClientSecretFile,
		TLSConfig:         config.TLSConfig{CAFile: f.zvmCAFile, InsecureSkipVerify: f.zvmInsecure},
	}
	if f.zvmURL != "" {
		m.Targets = []string{f.zvmURL}
	}
	if m.PasswordFile == "" {
		m.Password = config.Secret(os.Getenv("ZERTO_EXPORTER_ZVM_PASSWORD"))
	}
	if m.ClientSecretFile == "" {
		m.ClientSecret = config.Secret(os.Getenv("ZERTO_EXPORTER_ZVM_CLIENT_SECRET"))
	}
	return withFlagLimits(m, f)
}

// withFlagLimits sets m's request timeout, cache TTL and response bound from the --zvm.* flags.
func withFlagLimits(m config.Module, f *flags) config.Module {
	m.Timeout = config.Duration(f.zvmTimeout)
	m.CacheTTL = config.Duration(f.zvmCacheTTL)
	m.MaxResponseSize = config.Size(f.zvmMaxResponse)
	return m
}

// flagClientConfig validates the single target's module, with the one validator of every module,
// and reads the secrets it points to.
func flagClientConfig(m config.Module) (zvm.Config, error) {
	if len(m.Targets) == 0 {
		return zvm.Config{}, errNoURL
	}
	if err := m.Validate(flagKeys); err != nil {
		return zvm.Config{}, err
	}
	c, err := exporter.ClientConfig(m.Targets[0], m, time.Duration(m.Timeout), flagKeys)
	if err != nil {
		return c, err
	}
	if c.ClientSecret == "" && c.Password == "" {
		return c, errors.New("--zvm.password-file (or ZERTO_EXPORTER_ZVM_PASSWORD) is required with --zvm.username")
	}
	return c, nil
}
