package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// Test speed settings. The exporter refreshes a snapshot at most every cacheTTL; Prometheus
// scrapes every scrapeEvery (also the scrape timeout, of which the exporter keeps timeoutOffset
// to answer) and evaluates rules every evalEvery; an alert fires after fastFor. A 1 s scrape
// timeout left the exporter too little time for a refresh on a loaded 2-core machine (collectors
// failing now and then); 2 s does not. A notification takes fastFor plus a few seconds; the tests
// wait up to notifyTimeout for each.
const (
	cacheTTL      = "500ms"
	scrapeEvery   = "2s"
	timeoutOffset = "200ms"
	evalEvery     = "1s"
	fastFor       = "10s"
	notifyTimeout = 60 * time.Second
	// quiet is how long a test keeps watching after a notification arrived, to catch a second
	// one (e.g. one per ZVM instead of one per VPG).
	quiet = 5 * time.Second
	// probeModule is the exporter config module Prometheus probes the ZVMs with.
	probeModule = "zvm"
	// scrapeJob is the job name; it matches the mixin's default zertoSelector (job="zerto").
	scrapeJob = "zerto"
)

// slowAlerts keep their production `for` in the test rules, with the reason. Every other alert of
// the mixin fires after fastFor.
var slowAlerts = map[string]string{
	// None: every alert of the mixin can fire within fastFor on the demo model.
}

// slaConfig is the exporter's `sla:` list: an RTO target for the VPG scenario d reports a slow
// recovery of.
const (
	rtoVPG    = "Exchange"
	rtoTarget = 600 // seconds, 10m below
)

// stack is one running chain: simulator, exporter, Alertmanager, Prometheus and the receiver.
type stack struct {
	root, logs string
	procs      []*process
	recv       *receiver
	prom       *promAPI
	sim        simControl
	// The two simulated ZVMs: URL (also the `instance` label of their series) and site name.
	protected, recovery         string
	protectedName, recoveryName string
	exporterAddr                string
}

// startStack builds and starts everything, registers its teardown, and returns once Prometheus
// has loaded the rules and is ready.
func startStack(t *testing.T) *stack {
	t.Helper()
	root := testutil.RepoRoot(t)
	prometheusBin := testutil.Tool(t, "PROMETHEUS", "prometheus")
	alertmanagerBin := testutil.Tool(t, "ALERTMANAGER", "alertmanager")
	promtoolBin := testutil.Tool(t, "PROMTOOL", "promtool")
	jsonnetBin := testutil.Tool(t, "JSONNET", "jsonnet")

	s := &stack{root: root, logs: logDir(t), sim: simControl{client: &http.Client{Timeout: 10 * time.Second}}}
	work := t.TempDir()

	rules := renderRules(t, jsonnetBin, root, work)
	if out, err := exec.Command(promtoolBin, append([]string{"check", "rules"}, rules...)...).CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules on the test-speed render: %v\n%s", err, out)
	}

	zvmsimBin, exporterBin := buildBinaries(t, root)
	s.recv = newReceiver(t)

	// The simulated site pair: one process, two listeners on ports it picks.
	password := randomHex(12)
	simProc, urls := startSim(t, s.logs, zvmsimBin, true,
		"--flavour=appliance", "--profile=demo", "--seed=1", "--username=admin", "--password="+password)
	s.procs = append(s.procs, simProc)
	s.protected, s.recovery = urls[0], urls[1]
	ctx := context.Background()
	st, err := s.sim.state(ctx, s.protected)
	if err != nil {
		t.Fatalf("zvmsim state: %v", err)
	}
	for _, site := range st.Sites {
		switch site.Role {
		case "protected":
			s.protectedName = site.Name
		case "recovery":
			s.recoveryName = site.Name
		}
	}

	// The exporter, probe-only: Prometheus reaches each ZVM through /probe?target=...&module=zvm.
	passwordFile := testutil.WriteFile(t, work, "zvm-password", password+"\n")
	exporterConfig := testutil.WriteFile(t, work, "zerto_exporter.yml", fmt.Sprintf(`modules:
  %s:
    targets: [%s, %s]
    auth: auto
    username: admin
    password_file: %s
    cache_ttl: %s
sla:
  - match: %s
    rto_target: %ds
    test_interval: 30d
`, probeModule, s.protected, s.recovery, passwordFile, cacheTTL, rtoVPG, rtoTarget))
	exp, expAddr := startOnFreePort(t, s.logs, "zerto_exporter", exporterBin, nil, "/metrics", func(addr string) []string {
		// The opt-in checkpoints collector too, for the Cyber resilience dashboard's checkpoint panels.
		return []string{"--web.listen-address=" + addr, "--config.file=" + exporterConfig, "--zvm.cache-ttl=" + cacheTTL,
			"--web.timeout-offset=" + timeoutOffset, "--collector.checkpoints"}
	})
	s.procs, s.exporterAddr = append(s.procs, exp), expAddr

	// Alertmanager: one group per alert (group_by '...'), so that every notification carries
	// exactly one alert and a duplicate alert shows up as a second notification. Short waits;
	// repeat_interval is longer than the test so that each state change notifies exactly once.
	amConfig := testutil.WriteFile(t, work, "alertmanager.yml", fmt.Sprintf(`route:
  receiver: webhook
  group_by: ['...']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 4h
receivers:
  - name: webhook
    webhook_configs:
      - url: %s/alerts
        send_resolved: true
`, s.recv.srv.URL))
	amData := filepath.Join(work, "alertmanager")
	am, amAddr := startOnFreePort(t, s.logs, "alertmanager", alertmanagerBin, nil, "/-/ready", func(addr string) []string {
		return []string{"--config.file=" + amConfig, "--storage.path=" + amData, "--web.listen-address=" + addr,
			"--cluster.listen-address=", "--log.level=debug"}
	})
	s.procs = append(s.procs, am)

	// Prometheus, blackbox-style: the ZVM URLs are the targets, the exporter the address.
	promConfig := testutil.WriteFile(t, work, "prometheus.yml", fmt.Sprintf(`global:
  scrape_interval: %[1]s
  scrape_timeout: %[1]s
  evaluation_interval: %[10]s
rule_files:
  - %[2]s
  - %[3]s
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['%[4]s']
scrape_configs:
  - job_name: %[5]s
    metrics_path: /probe
    params:
      module: [%[6]s]
    static_configs:
      - targets: ['%[7]s', '%[8]s']
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: '%[9]s'
`, scrapeEvery, rules[0], rules[1], amAddr, scrapeJob, probeModule, s.protected, s.recovery, expAddr, evalEvery))
	if out, err := exec.Command(promtoolBin, "check", "config", promConfig).CombinedOutput(); err != nil {
		t.Fatalf("promtool check config: %v\n%s", err, out)
	}
	promData := filepath.Join(work, "prometheus")
	prom, promAddr := startOnFreePort(t, s.logs, "prometheus", prometheusBin, nil, "/-/ready", func(addr string) []string {
		return []string{"--config.file=" + promConfig, "--storage.tsdb.path=" + promData, "--web.listen-address=" + addr,
			"--storage.tsdb.retention.time=1d"}
	})
	s.procs = append(s.procs, prom)
	s.prom = &promAPI{base: "http://" + promAddr, client: &http.Client{Timeout: 10 * time.Second}}

	// Registered last, so it runs first: the components are still up to be asked.
	t.Cleanup(func() {
		if t.Failed() {
			s.dumpState(t)
			if os.Getenv("E2E_HOLD") != "" {
				t.Logf("E2E_HOLD: Prometheus at %s", s.prom.base)
				time.Sleep(120 * time.Second)
			}
		}
	})
	return s
}

// renderRules renders the mixin's alerts and recording rules with test-speed `for` durations
// through _config, from a wrapper file: the committed rendered files are not touched.
func renderRules(t *testing.T, jsonnetBin, root, dir string) []string {
	t.Helper()
	slow := make([]string, 0, len(slowAlerts))
	for name := range slowAlerts {
		slow = append(slow, name)
	}
	sort.Strings(slow)
	slowJSON, _ := json.Marshal(slow)
	wrapper := fmt.Sprintf(`// Generated by test/e2e: the mixin at test speed.
local slow = %s;
local mixin = (import 'mixin.libsonnet') + {
  _config+:: {
    forDuration: std.mapWithKey(function(name, d) if std.member(slow, name) then d else %q, super.forDuration),
    // The 1d/3d/30d compliance ratios, which the dashboards read, within seconds.
    longWindowInterval: '5s',
  },
};
{
  'alerts.yaml': std.manifestYamlDoc(mixin.prometheusAlerts, indent_array_in_object=true, quote_keys=false),
  'rules.yaml': std.manifestYamlDoc(mixin.prometheusRules, indent_array_in_object=true, quote_keys=false),
}
`, slowJSON, fastFor)
	src := testutil.WriteFile(t, dir, "mixin-e2e.jsonnet", wrapper)
	out := filepath.Join(dir, "rules")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(jsonnetBin, "-J", filepath.Join(root, "mixin"), "-S", "-m", out, src)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jsonnet render of %s: %v\n%s", src, err, b)
	}
	alerts, recording := filepath.Join(out, "alerts.yaml"), filepath.Join(out, "rules.yaml")
	b, err := os.ReadFile(alerts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `for: "`+fastFor+`"`) && !strings.Contains(string(b), "for: "+fastFor) {
		t.Fatalf("the render has no alert with for %s: the mixin ignored _config.forDuration\n%s", fastFor, b)
	}
	return []string{alerts, recording}
}

// dumpState logs what the receiver got, what Prometheus has firing, and the tail of every log.
func (s *stack) dumpState(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "notifications received:\n%s", s.recv.dump())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if s.prom != nil {
		if alerts, err := s.prom.query(ctx, "ALERTS"); err != nil {
			fmt.Fprintf(&b, "ALERTS: %v\n", err)
		} else {
			fmt.Fprintf(&b, "ALERTS in Prometheus now:\n")
			for _, a := range alerts {
				fmt.Fprintf(&b, "  %s\n", labelString(a.Metric))
			}
		}
	}
	for _, p := range s.procs {
		fmt.Fprintf(&b, "--- %s (log %s), last lines:\n%s\n", p.name, p.logPath, p.tail(25))
	}
	t.Log(b.String())
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
