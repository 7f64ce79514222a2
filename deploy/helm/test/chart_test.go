// Package test checks the Helm chart in ../zerto-exporter: `helm lint`, `helm template` with the
// default and the multi-ZVM values, and every rendered object decoded strictly with the official
// Kubernetes and Prometheus Operator Go types, so that a misspelt or misplaced field fails. It is a
// module of its own so that those types stay out of the exporter's go.mod; `make chart-test` runs
// it with the pinned helm.
package test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/report"
)

const (
	chartDir     = "../zerto-exporter"
	repoRoot     = "../../.."
	release      = "zerto"
	namespace    = "monitoring"
	fullname     = "zerto-zerto-exporter"
	multiValues  = "testdata/multi-zvm.yaml"
	reportValues = "testdata/report.yaml"
	secretsMount = "/etc/zerto_exporter/secrets"
)

// helmPath finds helm: $HELM, else the Makefile's pinned build in .tools/bin. The test fails
// rather than skips without it: an unchecked chart must not look green.
func helmPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("HELM")
	if p == "" {
		p = filepath.Join(repoRoot, ".tools", "bin", "helm")
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatalf("helm path %q: %v", p, err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("helm not found at %s (set HELM or run `make tools` in the repository root): %v", abs, err)
	}
	return abs
}

func runHelm(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := exec.Command(helmPath(t), args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil {
		return out.String() + errOut.String(), err
	}
	return out.String(), nil
}

// rendered is one `helm template` output, decoded.
type rendered struct {
	deployments     []appsv1.Deployment
	services        []corev1.Service
	configMaps      []corev1.ConfigMap
	serviceMonitors []monv1.ServiceMonitor
	probes          []monv1.Probe
	rules           []monv1.PrometheusRule
	cronJobs        []batchv1.CronJob
}

// decodeStrict decodes one YAML document into obj, failing on unknown and duplicate fields.
func decodeStrict(doc []byte, obj any) error {
	return yaml.UnmarshalStrict(doc, obj)
}

// render runs `helm template` with the given values files (none: the defaults) and decodes
// every object strictly into its official type; a kind without a type here fails the test.
func render(t *testing.T, values ...string) rendered {
	t.Helper()
	args := []string{"template", release, chartDir, "--namespace", namespace}
	for _, v := range values {
		args = append(args, "--values", v)
	}
	out, err := runHelm(t, args...)
	if err != nil {
		t.Fatalf("helm %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var r rendered
	for _, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(out, -1) {
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &tm); err != nil {
			t.Fatalf("object without apiVersion/kind: %v\n%s", err, doc)
		}
		var target any
		switch tm.APIVersion + " " + tm.Kind {
		case "apps/v1 Deployment":
			r.deployments = append(r.deployments, appsv1.Deployment{})
			target = &r.deployments[len(r.deployments)-1]
		case "v1 Service":
			r.services = append(r.services, corev1.Service{})
			target = &r.services[len(r.services)-1]
		case "v1 ConfigMap":
			r.configMaps = append(r.configMaps, corev1.ConfigMap{})
			target = &r.configMaps[len(r.configMaps)-1]
		case "monitoring.coreos.com/v1 ServiceMonitor":
			r.serviceMonitors = append(r.serviceMonitors, monv1.ServiceMonitor{})
			target = &r.serviceMonitors[len(r.serviceMonitors)-1]
		case "monitoring.coreos.com/v1 Probe":
			r.probes = append(r.probes, monv1.Probe{})
			target = &r.probes[len(r.probes)-1]
		case "monitoring.coreos.com/v1 PrometheusRule":
			r.rules = append(r.rules, monv1.PrometheusRule{})
			target = &r.rules[len(r.rules)-1]
		case "batch/v1 CronJob":
			r.cronJobs = append(r.cronJobs, batchv1.CronJob{})
			target = &r.cronJobs[len(r.cronJobs)-1]
		default:
			t.Fatalf("the chart renders %s %s, which this test does not decode: add its type", tm.APIVersion, tm.Kind)
		}
		if err := decodeStrict([]byte(doc), target); err != nil {
			t.Fatalf("%s does not decode strictly into its official type: %v\n%s", tm.Kind, err, doc)
		}
	}
	return r
}

func stripComments(doc string) string {
	var b strings.Builder
	for l := range strings.SplitSeq(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestStrictDecodingCatchesMisspeltFields shows that the decoding used on the chart is strict: a
// Deployment with a misspelt field and a Probe with a field in the wrong place are refused.
func TestStrictDecodingCatchesMisspeltFields(t *testing.T) {
	bad := map[string]struct {
		doc string
		obj any
	}{
		"misspelt Deployment field": {"apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicass: 1\n", &appsv1.Deployment{}},
		"misplaced Probe field":     {"apiVersion: monitoring.coreos.com/v1\nkind: Probe\nspec:\n  prober:\n    url: x:1\n    module: default\n", &monv1.Probe{}},
		"duplicate field":           {"apiVersion: v1\nkind: Service\nspec:\n  type: ClusterIP\n  type: NodePort\n", &corev1.Service{}},
	}
	for name, c := range bad {
		if err := decodeStrict([]byte(c.doc), c.obj); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

// TestHelmLint runs `helm lint --strict` with the default and the multi-ZVM values.
func TestHelmLint(t *testing.T) {
	for _, values := range [][]string{nil, {multiValues}} {
		args := []string{"lint", "--strict", chartDir}
		for _, v := range values {
			args = append(args, "--values", v)
		}
		if out, err := runHelm(t, args...); err != nil {
			t.Errorf("helm %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestChartVersionIsTheExporters checks that the chart's version and appVersion are the
// exporter's VERSION, so the default image tag is the release the chart was written for.
func TestChartVersionIsTheExporters(t *testing.T) {
	v, err := os.ReadFile(filepath.Join(repoRoot, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var chart struct {
		Version    string `json:"version"`
		AppVersion string `json:"appVersion"`
	}
	if err := yaml.Unmarshal(b, &chart); err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(string(v))
	if chart.Version != want || chart.AppVersion != want {
		t.Errorf("Chart.yaml version %q, appVersion %q; want both %q (VERSION)", chart.Version, chart.AppVersion, want)
	}
}

// configOf returns the exporter config file the chart renders, and the whole ConfigMap.
func configOf(t *testing.T, r rendered) (string, corev1.ConfigMap) {
	t.Helper()
	for _, cm := range r.configMaps {
		if cm.Name == fullname {
			cfg, ok := cm.Data["zerto.yml"]
			if !ok {
				t.Fatalf("ConfigMap %s has no zerto.yml: %v", cm.Name, cm.Data)
			}
			return cfg, cm
		}
	}
	t.Fatalf("no ConfigMap %s", fullname)
	return "", corev1.ConfigMap{}
}

// TestDefaultValues checks the objects of a default install.
func TestDefaultValues(t *testing.T) {
	r := render(t)
	if len(r.deployments) != 1 || len(r.services) != 1 || len(r.serviceMonitors) != 1 || len(r.rules) != 1 {
		t.Fatalf("want one Deployment, Service, ServiceMonitor and PrometheusRule, got %d, %d, %d, %d",
			len(r.deployments), len(r.services), len(r.serviceMonitors), len(r.rules))
	}
	if len(r.probes) != 0 {
		t.Errorf("no ZVM is listed by default, yet %d Probes are rendered", len(r.probes))
	}
	if _, ok := reportConfigMap(r); ok || len(r.cronJobs) != 0 {
		t.Errorf("the report is off by default, yet %d CronJobs (and its ConfigMap: %v) are rendered", len(r.cronJobs), ok)
	}
	checkDeployment(t, r)
	checkSecretsAreReferences(t, r)
	checkServiceMonitor(t, r)
	checkRulesEqualMixin(t, r)
	checkDashboardsEqualMixin(t, r)
}

// TestMultiZVMValues checks one Probe per ZVM and the secret wiring of several modules.
func TestMultiZVMValues(t *testing.T) {
	r := render(t, multiValues)
	checkDeployment(t, r)
	checkSecretsAreReferences(t, r)
	checkServiceMonitor(t, r)
	checkRulesEqualMixin(t, r)
	checkDashboardsEqualMixin(t, r)

	want := map[string]struct{ url, module, site string }{
		fullname + "-boston": {"https://zvm-boston.example.com", "default", ""},
		fullname + "-denver": {"https://zvm-denver.example.com:9669", "windows", "denver"},
		fullname + "-austin": {"https://zvm-austin.example.com", "service-account", ""},
	}
	if len(r.probes) != len(want) {
		t.Fatalf("want %d Probes (one per ZVM), got %d", len(want), len(r.probes))
	}
	for _, p := range r.probes {
		w, ok := want[p.Name]
		if !ok {
			t.Errorf("unexpected Probe %s", p.Name)
			continue
		}
		s := p.Spec
		if s.JobName != "zerto" || s.Module != w.module || s.Interval != "30s" || s.ScrapeTimeout != "25s" {
			t.Errorf("Probe %s: job %q, module %q, interval %q, timeout %q; want zerto, %s, 30s, 25s",
				p.Name, s.JobName, s.Module, s.Interval, s.ScrapeTimeout, w.module)
		}
		if got := fullname + "." + namespace + ".svc:9847"; s.ProberSpec.URL != got || s.ProberSpec.Path != "/probe" {
			t.Errorf("Probe %s: prober %s%s, want %s/probe", p.Name, s.ProberSpec.URL, s.ProberSpec.Path, got)
		}
		if sc := s.Targets.StaticConfig; sc == nil || !slices.Equal(sc.Targets, []string{w.url}) || sc.Labels["site"] != w.site {
			t.Errorf("Probe %s: static targets %+v, want [%s] with site=%q", p.Name, sc, w.url, w.site)
		}
		if p.Labels["release"] != "kube-prometheus-stack" {
			t.Errorf("Probe %s: labels %v lack probe.labels", p.Name, p.Labels)
		}
	}
}

// TestConfigChangeRollsPods checks the checksum annotation: the pod template changes when the
// config file does, so `helm upgrade` restarts the exporter on the new file.
func TestConfigChangeRollsPods(t *testing.T) {
	sum := func(r rendered) string {
		return r.deployments[0].Spec.Template.Annotations["checksum/config"]
	}
	a, b := render(t), render(t, multiValues)
	if sum(a) == "" || sum(a) == sum(b) {
		t.Errorf("checksum/config %q (defaults) and %q (multi-ZVM): want set and different", sum(a), sum(b))
	}
	for _, r := range []rendered{a, b} {
		cfg, _ := configOf(t, r)
		h := sha256.Sum256([]byte(strings.TrimSuffix(cfg, "\n")))
		if got := hex.EncodeToString(h[:]); sum(r) != got {
			t.Errorf("checksum/config %s is not the sha256 of the rendered config file (%s)", sum(r), got)
		}
	}
}

// TestSecretValuesAreRefused checks that a password written into the values fails the render.
func TestSecretValuesAreRefused(t *testing.T) {
	for _, key := range []string{"password", "clientSecret"} {
		out, err := runHelm(t, "template", release, chartDir, "--set", "modules.default."+key+"=hunter2")
		if err == nil || !strings.Contains(out, "secrets are never written in the values") {
			t.Errorf("modules.default.%s in the values: want a render error naming the rule, got %v\n%s", key, err, out)
		}
		if strings.Contains(out, "hunter2") {
			t.Errorf("the error repeats the secret:\n%s", out)
		}
	}
	out, err := runHelm(t, "template", release, chartDir, "--set", "zvms[0].name=x,zvms[0].url=https://x,zvms[0].module=nope")
	if err == nil || !strings.Contains(out, `module "nope" is not in modules`) {
		t.Errorf("a ZVM with an unknown module: want a render error, got %v\n%s", err, out)
	}
}

func checkDeployment(t *testing.T, r rendered) {
	t.Helper()
	d := r.deployments[0]
	pod := d.Spec.Template.Spec
	if psc := pod.SecurityContext; psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot ||
		psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Errorf("pod securityContext %+v: want runAsNonRoot and a non-zero runAsUser", psc)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(pod.Containers))
	}
	c := pod.Containers[0]
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
		sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
		t.Errorf("container securityContext %+v: want a read-only root filesystem, no privilege escalation, all capabilities dropped", sc)
	}
	req := c.Resources.Requests
	if req.Cpu().IsZero() || req.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources %+v: want CPU and memory requests and a memory limit", c.Resources)
	}
	if !slices.Contains(c.Args, "--config.file=/etc/zerto_exporter/config/zerto.yml") {
		t.Errorf("args %v do not load the config file", c.Args)
	}
	for _, e := range c.Env {
		if e.Value != "" && strings.Contains(strings.ToLower(e.Name), "password") {
			t.Errorf("env %s carries a value; secrets come from Secrets", e.Name)
		}
	}
	if len(r.services) != 1 {
		t.Fatalf("want one Service, got %d", len(r.services))
	}
	svc := r.services[0]
	if !reflect.DeepEqual(svc.Spec.Selector, d.Spec.Selector.MatchLabels) ||
		!reflect.DeepEqual(d.Spec.Selector.MatchLabels, pickLabels(d.Spec.Template.Labels, d.Spec.Selector.MatchLabels)) {
		t.Errorf("Service selector %v, Deployment selector %v and pod labels %v do not match",
			svc.Spec.Selector, d.Spec.Selector.MatchLabels, d.Spec.Template.Labels)
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != 9847 || svc.Spec.Ports[0].Name != "http-metrics" {
		t.Errorf("Service ports %+v: want http-metrics on 9847", svc.Spec.Ports)
	}
}

func pickLabels(have, keys map[string]string) map[string]string {
	out := map[string]string{}
	for k := range keys {
		if v, ok := have[k]; ok {
			out[k] = v
		}
	}
	return out
}

// checkSecretsAreReferences parses the rendered config file with the exporter's own parser and
// checks that every secret file it names is mounted from a Secret key at that very path.
func checkSecretsAreReferences(t *testing.T, r rendered) {
	t.Helper()
	cfgText, _ := configOf(t, r)
	mounted := map[string]string{} // path under the mount -> secret/key
	pod := r.deployments[0].Spec.Template.Spec
	mountPath := ""
	for _, m := range pod.Containers[0].VolumeMounts {
		if m.Name == "secrets" {
			mountPath = m.MountPath
			if !m.ReadOnly {
				t.Errorf("the secrets volume is mounted writable")
			}
		}
	}
	if mountPath != secretsMount {
		t.Fatalf("secrets mounted at %q, want %s", mountPath, secretsMount)
	}
	for _, v := range pod.Volumes {
		if v.Name != "secrets" {
			continue
		}
		if v.Projected == nil {
			t.Fatalf("volume secrets is not a projected volume: %+v", v)
		}
		for _, s := range v.Projected.Sources {
			if s.Secret == nil {
				t.Errorf("projected source %+v is not a Secret", s)
				continue
			}
			for _, it := range s.Secret.Items {
				mounted[path.Join(mountPath, it.Path)] = s.Secret.Name + "/" + it.Key
			}
		}
	}

	// Point the secret paths at files that exist, so that the exporter's parser (which checks
	// that each one can be read) accepts the file.
	dir := t.TempDir()
	local := cfgText
	for p := range mounted {
		f := filepath.Join(dir, strings.TrimPrefix(p, secretsMount))
		if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	local = strings.ReplaceAll(local, secretsMount, dir)
	cfg, err := config.Parse([]byte(local))
	if err != nil {
		t.Fatalf("the exporter refuses the rendered config file: %v\n%s", err, cfgText)
	}
	if len(cfg.Modules) == 0 && len(r.probes) > 0 {
		t.Errorf("the rendered config file has no modules:\n%s", cfgText)
	}
	used := map[string]bool{}
	for name, m := range cfg.Modules {
		for _, f := range []string{m.PasswordFile, m.ClientSecretFile, m.TLSConfig.CAFile} {
			if f == "" {
				continue
			}
			p := strings.Replace(f, dir, secretsMount, 1)
			if _, ok := mounted[p]; !ok {
				t.Errorf("module %s names %s, which no Secret key is mounted at (mounted: %v)", name, p, mounted)
			}
			used[p] = true
		}
		if m.Username == "" && m.ClientSecretFile == "" {
			t.Errorf("module %s has neither a username nor a client secret", name)
		}
	}
	for p := range mounted {
		module, _, _ := strings.Cut(strings.TrimPrefix(p, secretsMount+"/"), "/")
		if _, rendered := cfg.Modules[module]; !used[p] && rendered {
			t.Errorf("Secret key mounted at %s is named by no module", p)
		}
	}
}

func checkServiceMonitor(t *testing.T, r rendered) {
	t.Helper()
	sm := r.serviceMonitors[0]
	if sel := sm.Spec.Selector.MatchLabels; len(sel) == 0 || !reflect.DeepEqual(sel, pickLabels(r.services[0].Labels, sel)) {
		t.Errorf("ServiceMonitor selector %v does not select the Service (labels %v)", sm.Spec.Selector.MatchLabels, r.services[0].Labels)
	}
	if len(sm.Spec.Endpoints) != 1 {
		t.Fatalf("want one ServiceMonitor endpoint, got %d", len(sm.Spec.Endpoints))
	}
	ep := sm.Spec.Endpoints[0]
	if ep.Port != "http-metrics" || ep.Path != "/metrics" {
		t.Errorf("ServiceMonitor endpoint %s%s, want http-metrics /metrics", ep.Port, ep.Path)
	}
	// The mixin's exporterSelector matches job zerto_exporter.
	job := false
	for _, rc := range ep.RelabelConfigs {
		if rc.TargetLabel == "job" && rc.Replacement != nil && *rc.Replacement == "zerto_exporter" {
			job = true
		}
	}
	if !job {
		t.Errorf("ServiceMonitor relabelings %+v do not set job=zerto_exporter", ep.RelabelConfigs)
	}
}

// checkRulesEqualMixin compares the PrometheusRule's groups with the rendered mixin
// (mixin/rules.yaml, then mixin/alerts.yaml), each decoded strictly into the operator's types.
func checkRulesEqualMixin(t *testing.T, r rendered) {
	t.Helper()
	var want []monv1.RuleGroup
	for _, f := range []string{"rules.yaml", "alerts.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, "mixin", f))
		if err != nil {
			t.Fatal(err)
		}
		var spec monv1.PrometheusRuleSpec
		if err := decodeStrict(b, &spec); err != nil {
			t.Fatalf("mixin/%s does not decode into the operator's PrometheusRuleSpec: %v", f, err)
		}
		want = append(want, spec.Groups...)
	}
	if len(want) == 0 {
		t.Fatal("the mixin has no rule groups")
	}
	got := r.rules[0].Spec.Groups
	if len(got) != len(want) {
		t.Fatalf("the chart's PrometheusRule has %d groups, the rendered mixin %d: run `make mixin`", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("the chart's PrometheusRule group %d (%s) differs from the rendered mixin's (%s): run `make mixin`", i, got[i].Name, want[i].Name)
		}
	}
}

// checkDashboardsEqualMixin compares the dashboard ConfigMaps with dashboards/*.json: one per
// file, labelled for the Grafana sidecar, with the file's exact content.
func checkDashboardsEqualMixin(t *testing.T, r rendered) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "dashboards", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards in %s/dashboards", repoRoot)
	}
	want := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want[filepath.Base(f)] = b
	}
	got := 0
	for _, cm := range r.configMaps {
		if cm.Labels["grafana_dashboard"] != "1" {
			continue
		}
		got++
		if len(cm.Data) != 1 {
			t.Errorf("dashboard ConfigMap %s holds %d files, want 1", cm.Name, len(cm.Data))
		}
		for name, content := range cm.Data {
			w, ok := want[name]
			if !ok {
				t.Errorf("dashboard ConfigMap %s holds %s, which is not in dashboards/: run `make mixin`", cm.Name, name)
				continue
			}
			if content != string(w) {
				t.Errorf("dashboard %s in ConfigMap %s differs from dashboards/%s: run `make mixin`", name, cm.Name, name)
			}
		}
	}
	if got != len(want) {
		t.Errorf("%d dashboard ConfigMaps with the sidecar label, want one per dashboards/*.json (%d)", got, len(want))
	}
}

// reportConfigMap returns the ConfigMap of the report CronJob's files.
func reportConfigMap(r rendered) (corev1.ConfigMap, bool) {
	for _, cm := range r.configMaps {
		if cm.Name == fullname+"-report" {
			return cm, true
		}
	}
	return corev1.ConfigMap{}, false
}

// TestReportCronJob checks the optional monthly compliance report: zerto_report of the same image
// with the flags of the values, its files (SLA rules, exceptions) loadable by the code that reads
// them, Prometheus's secrets mounted as files, the reports written to the claim.
func TestReportCronJob(t *testing.T) {
	r := render(t, reportValues)
	if len(r.cronJobs) != 1 {
		t.Fatalf("%d CronJobs, want 1", len(r.cronJobs))
	}
	cj := r.cronJobs[0]
	if cj.Name != fullname+"-report" || cj.Spec.Schedule != "30 5 1 * *" || cj.Spec.TimeZone == nil || *cj.Spec.TimeZone != "Europe/Berlin" ||
		cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("CronJob %s: schedule %q, time zone %v, concurrency %s", cj.Name, cj.Spec.Schedule, cj.Spec.TimeZone, cj.Spec.ConcurrencyPolicy)
	}
	pod := cj.Spec.JobTemplate.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Containers))
	}
	c := pod.Containers[0]
	exporter := r.deployments[0].Spec.Template.Spec
	if c.Image != exporter.Containers[0].Image || !slices.Equal(c.Command, []string{"/bin/zerto_report"}) {
		t.Errorf("image %s, command %v: want the exporter's image %s running /bin/zerto_report", c.Image, c.Command, exporter.Containers[0].Image)
	}
	wantArgs := []string{
		"--prometheus.url=https://prometheus.monitoring.svc:9090", "--period=last-month", "--pdf.page-size=Letter",
		"--output.dir=/reports", "--output.period-subdir",
		"--config.file=/etc/zerto_report/config/sla.yml", "--policy.exceptions-file=/etc/zerto_report/config/exceptions.yml",
		"--prometheus.bearer-token-file=/etc/zerto_report/secrets/token", "--prometheus.ca-file=/etc/zerto_report/secrets/ca.pem",
		`--selector=cluster="eu1"`,
	}
	if !slices.Equal(c.Args, wantArgs) {
		t.Errorf("args\n%q\nwant\n%q", c.Args, wantArgs)
	}
	if !reflect.DeepEqual(c.SecurityContext, exporter.Containers[0].SecurityContext) || !reflect.DeepEqual(pod.SecurityContext, exporter.SecurityContext) {
		t.Errorf("the report's security contexts differ from the exporter's")
	}
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		mounts[m.Name] = m.MountPath
	}
	volumes := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v
	}
	if mounts["reports"] != "/reports" || volumes["reports"].PersistentVolumeClaim == nil || volumes["reports"].PersistentVolumeClaim.ClaimName != "dr-reports" {
		t.Errorf("reports volume: mounted at %q, %+v", mounts["reports"], volumes["reports"])
	}
	var files []string
	if p := volumes["secrets"].Projected; p != nil {
		for _, src := range p.Sources {
			if src.Secret != nil {
				for _, it := range src.Secret.Items {
					files = append(files, src.Secret.Name+"/"+it.Key+"->"+mounts["secrets"]+"/"+it.Path)
				}
			}
		}
	}
	if want := []string{"prometheus-reader/token->/etc/zerto_report/secrets/token", "prometheus-reader/ca.pem->/etc/zerto_report/secrets/ca.pem"}; !slices.Equal(files, want) {
		t.Errorf("secret files %v, want %v", files, want)
	}
	cm, ok := reportConfigMap(r)
	if !ok || volumes["config"].ConfigMap == nil || volumes["config"].ConfigMap.Name != cm.Name || mounts["config"] != "/etc/zerto_report/config" {
		t.Fatalf("the report's ConfigMap is not mounted at /etc/zerto_report/config: %v %+v", ok, volumes["config"])
	}
	cfg, err := config.Parse([]byte(cm.Data["sla.yml"]))
	if err != nil {
		t.Fatalf("sla.yml does not load: %v\n%s", err, cm.Data["sla.yml"])
	}
	if got := cfg.Targets("prod-db"); got.TestInterval != 90*24*time.Hour || got.RTO != 30*time.Minute || len(cfg.Modules) != 0 {
		t.Errorf("sla.yml: targets of prod-db %+v, %d modules", got, len(cfg.Modules))
	}
	path := filepath.Join(t.TempDir(), "exceptions.yml")
	if err := os.WriteFile(path, []byte(cm.Data["exceptions.yml"]), 0o600); err != nil {
		t.Fatal(err)
	}
	ex, err := report.LoadExceptions(path)
	if err != nil || len(ex) != 1 || ex[0].VPG != "Legacy-App" || ex[0].ApprovedBy != "J. Doe, CISO" || ex[0].Until != "2027-03-31" {
		t.Errorf("exceptions.yml: %+v, %v\n%s", ex, err, cm.Data["exceptions.yml"])
	}
	for _, missing := range []struct{ unset, want string }{
		{"report.prometheusURL", "report.prometheusURL is required"},
		{"report.persistentVolumeClaim", "report.persistentVolumeClaim is required"},
	} {
		out, err := runHelm(t, "template", release, chartDir, "--values", reportValues, "--set", missing.unset+"=")
		if err == nil || !strings.Contains(out, missing.want) {
			t.Errorf("%s empty: %v\n%s", missing.unset, err, out)
		}
	}
	if out, err := runHelm(t, "template", release, chartDir, "--values", reportValues, "--set", "report.period=last-week"); err == nil || !strings.Contains(out, `report.period: "last-week"`) {
		t.Errorf("report.period=last-week: %v\n%s", err, out)
	}
}
