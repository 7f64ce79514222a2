// Command zerto_report turns a period of the Zerto exporter's Prometheus history (and optionally
// the ZVM's recovery reports) into DR compliance evidence: report.html, report.pdf, evidence.csv,
// evidence.json and a manifest.json of their SHA-256 hashes.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/alecthomas/kingpin/v2"
	promconfig "github.com/prometheus/common/config"
	"github.com/prometheus/common/model"
	"github.com/prometheus/common/version"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/report"
)

// flags are the command line, parsed once at start.
type flags struct {
	promURL, promBearerTokenFile               string
	promUsername, promPasswordFile, promCAFile string
	promTimeout                                time.Duration
	from, to, period                           string
	step                                       time.Duration
	outputDir, format, pageSize                string
	periodSubdir                               bool
	selector, zertoSelector                    string
	clusterLabels                              []string
	configFile, exceptionsFile                 string
	zvmURL, zvmModule                          string
	zvmTimeout                                 time.Duration
	testInterval                               model.Duration
	rpoObjective, journalRatio                 float64
	verifyDir                                  string
}

func newApp(f *flags) (app *kingpin.Application, generate, verify *kingpin.CmdClause) {
	app = kingpin.New("zerto_report", "DR compliance report of the Zerto exporter's Prometheus history: RPO, journal history, failover tests and RTO per VPG over a period, as HTML, PDF, CSV and JSON with a manifest of hashes.")
	generate = app.Command("generate", "Write the report (the default command).").Default()
	generate.Flag("prometheus.url", "Base URL of the Prometheus that scrapes the exporter, e.g. http://prometheus:9090.").Envar("ZERTO_REPORT_PROMETHEUS_URL").Required().StringVar(&f.promURL)
	generate.Flag("prometheus.bearer-token-file", "File holding a bearer token for Prometheus.").Envar("ZERTO_REPORT_PROMETHEUS_BEARER_TOKEN_FILE").StringVar(&f.promBearerTokenFile)
	generate.Flag("prometheus.username", "Basic auth user name for Prometheus.").Envar("ZERTO_REPORT_PROMETHEUS_USERNAME").StringVar(&f.promUsername)
	generate.Flag("prometheus.password-file", "File holding the basic auth password for Prometheus.").Envar("ZERTO_REPORT_PROMETHEUS_PASSWORD_FILE").StringVar(&f.promPasswordFile)
	generate.Flag("prometheus.ca-file", "PEM file of the CA that signed Prometheus's certificate.").Envar("ZERTO_REPORT_PROMETHEUS_CA_FILE").StringVar(&f.promCAFile)
	generate.Flag("prometheus.timeout", "Timeout of one Prometheus query.").Default("2m").DurationVar(&f.promTimeout)
	generate.Flag("from", "Start of the period: RFC 3339 or a date (midnight UTC). With --to; or use --period.").StringVar(&f.from)
	generate.Flag("to", "End of the period: RFC 3339 or a date (midnight UTC, excluded).").StringVar(&f.to)
	generate.Flag("period", "The last complete calendar period before now, in UTC: last-month, last-quarter or last-year; instead of --from and --to.").StringVar(&f.period)
	generate.Flag("query.step", "Resolution of the figures: each step counts the samples of the step-long window ending at it. Keep it at or above the scrape interval.").Default("1m").DurationVar(&f.step)
	generate.Flag("output.dir", "Directory the files are written to.").Default("report").StringVar(&f.outputDir)
	generate.Flag("output.period-subdir", "Write into a subdirectory of --output.dir named after the period (e.g. 2026-11-01_2026-12-01), so that scheduled runs keep every period's report.").BoolVar(&f.periodSubdir)
	generate.Flag("format", "Formats to write, comma-separated: html, pdf, csv, json. manifest.json is always written.").Default(strings.Join(report.AllFormats, ",")).StringVar(&f.format)
	generate.Flag("pdf.page-size", "Page size of report.pdf: A4 or Letter.").Default("A4").EnumVar(&f.pageSize, "A4", "Letter")
	generate.Flag("zerto-selector", "Label matchers of the exporter's series: the mixin's zertoSelector.").Default(`job="zerto"`).StringVar(&f.zertoSelector)
	generate.Flag("selector", `Extra label matchers of the series to report on, e.g. cluster="eu1".`).StringVar(&f.selector)
	generate.Flag("cluster-label", "A label that tells one cluster from another where VPG names may repeat between them: the mixin's clusterLabels (repeatable). VPGs are keyed by it and it is shown on each row.").StringsVar(&f.clusterLabels)
	generate.Flag("config.file", "The exporter's YAML config file: its sla rules' rto_target and test_interval override the exported targets and --policy.test-interval; its modules give --zvm.module.").Envar("ZERTO_EXPORTER_CONFIG_FILE").StringVar(&f.configFile)
	generate.Flag("zvm.url", "Read the period's recovery reports (/v1/reports/recovery) from this ZVM, with --zvm.module, instead of the exported zerto_recovery_* series.").StringVar(&f.zvmURL)
	generate.Flag("zvm.module", "Module of --config.file with the ZVM's credentials and TLS settings, as for /probe.").StringVar(&f.zvmModule)
	generate.Flag("zvm.timeout", "Timeout of one request to the ZVM.").Default("30s").DurationVar(&f.zvmTimeout)
	generate.Flag("policy.test-interval", "Longest time allowed between successful failover tests of a VPG without a test interval of its own (DORA asks for a yearly test).").Default("365d").SetValue(&f.testInterval)
	generate.Flag("policy.rpo-objective", "Share of the period a VPG must be within its RPO target, and its journal history above its threshold, to pass (the mixin's rpoComplianceObjective).").Default("0.999").Float64Var(&f.rpoObjective)
	generate.Flag("policy.journal-history-ratio", "Share of its journal history target below which a VPG's history is in breach (the mixin's journalHistoryRatio).").Default("0.75").Float64Var(&f.journalRatio)
	generate.Flag("policy.exceptions-file", "YAML file of accepted risks (exceptions: vpg or match, objectives, reason, approved_by, until); they are listed in the report, never hidden.").StringVar(&f.exceptionsFile)
	verify = app.Command("verify", "Re-check the SHA-256 hashes of a report directory's manifest.json.")
	verify.Arg("dir", "Directory of the report.").Required().StringVar(&f.verifyDir)
	app.Version(version.Print("zerto_report"))
	app.HelpFlag.Short('h')
	return app, generate, verify
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "zerto_report:", err)
		os.Exit(1)
	}
}

// run is the whole command.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, now time.Time) error {
	f := &flags{}
	app, _, verify := newApp(f)
	app.ErrorWriter(stderr)
	app.UsageWriter(stderr)
	cmd, err := app.Parse(args)
	if err != nil {
		return err
	}
	if cmd == verify.FullCommand() {
		return report.Verify(f.verifyDir, stdout)
	}
	opts, formats, err := options(f, now)
	if err != nil {
		return err
	}
	prom, err := report.NewPrometheus(f.promURL, httpConfig(f), f.promTimeout)
	if err != nil {
		return err
	}
	if f.zvmURL != "" {
		if opts.Recoveries, err = zvmRecoveries(ctx, f, opts.Policy.SLA, opts.Period); err != nil {
			return err
		}
		opts.RecoverySource = "the ZVM's recovery reports (/v1/reports/recovery of " + report.RedactURL(f.zvmURL) + ") for the period"
	}
	r, err := report.Generate(ctx, prom, opts)
	if err != nil {
		return err
	}
	dir := f.outputDir
	if f.periodSubdir {
		dir = filepath.Join(dir, opts.Period.Start.Format(time.DateOnly)+"_"+opts.Period.End.Format(time.DateOnly))
	}
	written, err := report.Write(dir, r, formats, report.PDFOptions{PageSize: f.pageSize})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s, %d VPGs, verdict %s: %s\n", dir, strings.Join(written, ", "), len(r.VPGs), strings.ToUpper(r.Summary.Verdict), strings.Join(r.Summary.Reasons, "; "))
	return nil
}

// labelName is a classic Prometheus label name, which the queries paste into `by (...)` clauses.
var labelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// options checks every flag and file before anything is queried.
func options(f *flags, now time.Time) (report.Options, []string, error) {
	var o report.Options
	formats, err := report.ParseFormats(f.format)
	if err != nil {
		return o, nil, err
	}
	from, to, err := periodBounds(f, now)
	if err != nil {
		return o, nil, err
	}
	if o.Period, err = report.NewPeriod(from, to, f.step, now); err != nil {
		return o, nil, err
	}
	if o.ZertoSelector, err = report.ParseSelector(f.zertoSelector); err != nil {
		return o, nil, fmt.Errorf("--zerto-selector: %w", err)
	}
	if o.Selector, err = report.ParseSelector(f.selector); err != nil {
		return o, nil, fmt.Errorf("--selector: %w", err)
	}
	for _, l := range f.clusterLabels {
		if !labelName.MatchString(l) || strings.HasPrefix(l, "__") {
			return o, nil, fmt.Errorf("--cluster-label: %q is not a label name", l)
		}
	}
	if f.rpoObjective <= 0 || f.rpoObjective > 1 || f.journalRatio <= 0 || f.journalRatio > 1 {
		return o, nil, errors.New("--policy.rpo-objective and --policy.journal-history-ratio must be in (0, 1]")
	}
	if f.testInterval <= 0 {
		return o, nil, errors.New("--policy.test-interval must be positive")
	}
	p := &report.Policy{TestInterval: time.Duration(f.testInterval), RPOObjective: f.rpoObjective, JournalRatio: f.journalRatio,
		SLAFile: f.configFile, ExceptionsFile: f.exceptionsFile}
	if f.configFile != "" {
		if p.SLA, err = config.Load(f.configFile); err != nil {
			return o, nil, err
		}
	}
	if f.exceptionsFile != "" {
		if p.Exceptions, err = report.LoadExceptions(f.exceptionsFile); err != nil {
			return o, nil, err
		}
	}
	if f.zvmURL != "" && (f.zvmModule == "" || p.SLA == nil) {
		return o, nil, errors.New("--zvm.url needs --config.file and --zvm.module (the module with the ZVM's credentials)")
	}
	o.ClusterLabels, o.Policy, o.Version, o.Now = f.clusterLabels, p, buildVersion(), now
	return o, formats, nil
}

// periodBounds reads --period, or --from and --to.
func periodBounds(f *flags, now time.Time) (from, to time.Time, err error) {
	switch {
	case f.period != "" && (f.from != "" || f.to != ""):
		return from, to, errors.New("--period excludes --from and --to")
	case f.period != "":
		from, to, err = report.NamedPeriod(f.period, now)
		if err != nil {
			err = fmt.Errorf("--period: %w", err)
		}
		return from, to, err
	case f.from == "" || f.to == "":
		return from, to, errors.New("give the period: --period=last-month|last-quarter|last-year, or --from and --to")
	}
	if from, err = report.ParseTime(f.from); err != nil {
		return from, to, fmt.Errorf("--from: %w", err)
	}
	if to, err = report.ParseTime(f.to); err != nil {
		return from, to, fmt.Errorf("--to: %w", err)
	}
	return from, to, nil
}

// httpConfig is the Prometheus HTTP client configuration of the flags: secrets are read from
// their files by the round tripper, at each request.
func httpConfig(f *flags) promconfig.HTTPClientConfig {
	c := promconfig.DefaultHTTPClientConfig
	if f.promBearerTokenFile != "" {
		c.Authorization = &promconfig.Authorization{Type: "Bearer", CredentialsFile: f.promBearerTokenFile}
	}
	if f.promUsername != "" || f.promPasswordFile != "" {
		c.BasicAuth = &promconfig.BasicAuth{Username: f.promUsername, PasswordFile: f.promPasswordFile}
	}
	c.TLSConfig.CAFile = f.promCAFile
	return c
}

// buildVersion is the version `make build` stamps, or says the binary is not a stamped build.
func buildVersion() string {
	if version.Version == "" {
		return "(unstamped build, revision " + version.GetRevision() + ")"
	}
	return version.Version
}
