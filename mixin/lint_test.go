package mixin

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// The rendered files under test, relative to this package's directory.
const (
	alertsFile    = "alerts.yaml"
	optionalFile  = "alerts-optional.yaml" // the alerts _config leaves out by default
	rulesFile     = "rules.yaml"
	runbookFile   = "runbook.md"
	testsGlob     = "tests/*.yaml"
	dashboardGlob = "../dashboards/*.json"
	runbookPrefix = "https://github.com/zerto-exporter/zerto_exporter/blob/main/mixin/runbook.md#"
)

// ---------------------------------------------------------------------------------------------
// Prometheus rules

type rule struct {
	Alert       string            `yaml:"alert,omitempty"`
	Record      string            `yaml:"record,omitempty"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

type ruleGroup struct {
	Name     string `yaml:"name"`
	Interval string `yaml:"interval,omitempty"`
	Rules    []rule `yaml:"rules"`
}

type ruleFile struct {
	Groups []ruleGroup `yaml:"groups"`
}

func readRules(t *testing.T, path string) ruleFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v (run `make mixin`)", path, err)
	}
	var rf ruleFile
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&rf); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	if len(rf.Groups) == 0 {
		t.Fatalf("%s has no groups", path)
	}
	return rf
}

// readAlerts returns the groups of alerts.yaml and of alerts-optional.yaml: each alert of either
// must be linted, tested and documented.
func readAlerts(t *testing.T) ruleFile {
	t.Helper()
	rf := readRules(t, alertsFile)
	rf.Groups = append(rf.Groups, readRules(t, optionalFile).Groups...)
	return rf
}

var (
	alertNameRe  = regexp.MustCompile(`^([A-Z]+[a-z0-9]+)+$`)
	summaryRe    = regexp.MustCompile(`^[A-Z].+\.$`)
	recordNameRe = regexp.MustCompile(`^[a-z_]*:[a-z0-9_]+:[a-z0-9_]+$`)
	severities   = map[string]bool{"critical": true, "warning": true, "info": true}
)

// lintGroups applies mixtool's group limits.
func lintGroups(t *testing.T, file string, rf ruleFile) {
	t.Helper()
	for _, g := range rf.Groups {
		if len(g.Rules) > 20 {
			t.Errorf("%s: group %q has %d rules, more than 20", file, g.Name, len(g.Rules))
		}
		if len(g.Name) > 40 {
			t.Errorf("%s: group name %q is longer than 40 characters", file, g.Name)
		}
	}
}

// TestAlertsLint applies mixtool's alert rules (pkg/mixer/lint.go) and this project's own: a
// runbook_url into runbook.md with a matching section.
func TestAlertsLint(t *testing.T) {
	lintGroups(t, optionalFile, readRules(t, optionalFile))
	rf := readAlerts(t)
	lintGroups(t, alertsFile, readRules(t, alertsFile))
	anchors := runbookAnchors(t)
	n := 0
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				t.Errorf("%s: group %q has a recording rule %q; keep recording rules in %s", alertsFile, g.Name, r.Record, rulesFile)
				continue
			}
			n++
			name := r.Alert
			if !alertNameRe.MatchString(name) || len(name) > 40 {
				t.Errorf("alert %s: name must match %s and be at most 40 characters", name, alertNameRe)
			}
			if !strings.HasPrefix(name, "Zerto") {
				t.Errorf("alert %s: name must start with the shared component Zerto", name)
			}
			if !severities[r.Labels["severity"]] {
				t.Errorf("alert %s: severity %q is not one of critical, warning, info", name, r.Labels["severity"])
			}
			desc := r.Annotations["description"]
			if desc == "" || !strings.Contains(desc, "{{") {
				t.Errorf("alert %s: description must be present and templated, got %q", name, desc)
			}
			sum := r.Annotations["summary"]
			if sum == "" || strings.Contains(sum, "{{") || !summaryRe.MatchString(sum) {
				t.Errorf("alert %s: summary must be a static sentence matching %s, got %q", name, summaryRe, sum)
			}
			anchor := strings.ToLower(name)
			if got, want := r.Annotations["runbook_url"], runbookPrefix+anchor; got != want {
				t.Errorf("alert %s: runbook_url %q, want %q", name, got, want)
			}
			if !anchors[anchor] {
				t.Errorf("alert %s: %s has no section `## %s`", name, runbookFile, name)
			}
			if r.Expr == "" {
				t.Errorf("alert %s: empty expr", name)
			}
		}
	}
	if n == 0 {
		t.Fatalf("%s has no alerts", alertsFile)
	}
}

// TestRecordingRulesLint checks the level:metric:operations naming of the recording rules.
func TestRecordingRulesLint(t *testing.T) {
	rf := readRules(t, rulesFile)
	lintGroups(t, rulesFile, rf)
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			if r.Record == "" {
				t.Errorf("%s: group %q has alert %q; keep alerts in %s", rulesFile, g.Name, r.Alert, alertsFile)
				continue
			}
			if !recordNameRe.MatchString(r.Record) {
				t.Errorf("recording rule %s: name must be level:metric:operations (%s)", r.Record, recordNameRe)
			}
		}
	}
}

// runbookAnchors returns the GitHub anchors of the `## Name` sections of runbook.md.
func runbookAnchors(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(runbookFile)
	if err != nil {
		t.Fatalf("read %s: %v", runbookFile, err)
	}
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^## +(\S+)\s*$`).FindAllStringSubmatch(string(b), -1) {
		anchors[strings.ToLower(m[1])] = true
	}
	return anchors
}

// TestRunbookHasNoOrphans checks that every alert-like runbook section belongs to an alert.
func TestRunbookHasNoOrphans(t *testing.T) {
	names := map[string]bool{}
	for _, g := range readAlerts(t).Groups {
		for _, r := range g.Rules {
			names[strings.ToLower(r.Alert)] = true
		}
	}
	for a := range runbookAnchors(t) {
		if strings.HasPrefix(a, "zerto") && !names[a] {
			t.Errorf("%s has a section %q for an alert that does not exist", runbookFile, a)
		}
	}
}

// ---------------------------------------------------------------------------------------------
// promtool unit tests: every alert rule is covered

type alertTestFile struct {
	Tests []struct {
		Name          string `yaml:"name"`
		AlertRuleTest []struct {
			EvalTime  string `yaml:"eval_time"`
			Alertname string `yaml:"alertname"`
			ExpAlerts []struct {
				ExpLabels      map[string]string `yaml:"exp_labels"`
				ExpAnnotations map[string]string `yaml:"exp_annotations"`
			} `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
	} `yaml:"tests"`
}

// TestEveryAlertIsTested requires, for every alert rule (each severity or window variant), a
// promtool test in which it fires with all its annotations asserted, and for every alert name an
// evaluation in which it does not fire yet.
func TestEveryAlertIsTested(t *testing.T) {
	files, err := filepath.Glob(testsGlob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no promtool tests match %s", testsGlob)
	}
	type firing struct {
		labels      map[string]string
		annotations map[string]string
	}
	fired := map[string][]firing{}
	quiet := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tf alertTestFile
		if err := yaml.Unmarshal(b, &tf); err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		for _, tc := range tf.Tests {
			for _, at := range tc.AlertRuleTest {
				if len(at.ExpAlerts) == 0 {
					quiet[at.Alertname] = true
				}
				for _, ea := range at.ExpAlerts {
					fired[at.Alertname] = append(fired[at.Alertname], firing{ea.ExpLabels, ea.ExpAnnotations})
				}
			}
		}
	}
	for _, g := range readAlerts(t).Groups {
		for _, r := range g.Rules {
			if !quiet[r.Alert] {
				t.Errorf("alert %s: no promtool test expects it not to fire (before its `for` elapses)", r.Alert)
			}
			found := false
			for _, f := range fired[r.Alert] {
				if !containsAll(f.labels, r.Labels) {
					continue
				}
				found = true
				for _, k := range []string{"summary", "description", "runbook_url"} {
					if f.annotations[k] == "" {
						t.Errorf("alert %s %v: a test expects it to fire without asserting the %s annotation", r.Alert, r.Labels, k)
					}
				}
			}
			if !found {
				t.Errorf("alert %s with labels %v: no promtool test in %s makes it fire", r.Alert, r.Labels, testsGlob)
			}
		}
	}
}

func containsAll(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------------------------
// Grafana dashboards: grafana/dashboard-linter's rules, and promtool on every query

type dsRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type variable struct {
	Name       string `json:"name"`
	Label      string `json:"label"`
	Type       string `json:"type"`
	Query      any    `json:"query"`
	Datasource *dsRef `json:"datasource"`
	Multi      bool   `json:"multi"`
	IncludeAll bool   `json:"includeAll"`
	AllValue   string `json:"allValue"`
	Refresh    int    `json:"refresh"`
}

// query returns the PromQL of a query variable, whether stored as a string or as an object.
func (v variable) query() string {
	switch q := v.Query.(type) {
	case string:
		return q
	case map[string]any:
		s, _ := q["query"].(string)
		return s
	}
	return ""
}

type target struct {
	Expr       string `json:"expr"`
	RefID      string `json:"refId"`
	Datasource *dsRef `json:"datasource"`
}

type panel struct {
	ID          int    `json:"id"`
	Type        string `json:"type"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Datasource  *dsRef `json:"datasource"`
	FieldConfig struct {
		Defaults struct {
			Unit string `json:"unit"`
		} `json:"defaults"`
		Overrides []struct {
			Properties []struct {
				ID    string `json:"id"`
				Value any    `json:"value"`
			} `json:"properties"`
		} `json:"overrides"`
	} `json:"fieldConfig"`
	Targets []target `json:"targets"`
	Panels  []panel  `json:"panels"` // collapsed rows
	GridPos *struct {
		X, Y, W, H int
	} `json:"gridPos"`
}

type dashboard struct {
	UID        string   `json:"uid"`
	Title      string   `json:"title"`
	Editable   *bool    `json:"editable"`
	Tags       []string `json:"tags"`
	Templating struct {
		List []variable `json:"list"`
	} `json:"templating"`
	Panels []panel `json:"panels"`
}

// Grafana unit ids accepted here (a subset of Grafana's value formats: what a Zerto dashboard
// needs). Extend when a new panel needs another one.
var validUnits = map[string]bool{
	"none": true, "short": true, "string": true, "percent": true, "percentunit": true,
	"bytes": true, "decbytes": true, "bits": true, "Bps": true, "binBps": true, "bps": true,
	"s": true, "ms": true, "m": true, "h": true, "d": true, "dtdurations": true, "dtdhms": true,
	"iops": true, "ops": true, "reqps": true, "cps": true,
	"dateTimeAsIso": true, "dateTimeAsIsoNoDateIfToday": true, "dateTimeFromNow": true,
	"bool": true, "bool_yes_no": true,
}

func readDashboards(t *testing.T) map[string]dashboard {
	t.Helper()
	files, err := filepath.Glob(dashboardGlob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards match %s (run `make mixin`)", dashboardGlob)
	}
	out := map[string]dashboard{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d dashboard
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		out[filepath.Base(f)] = d
	}
	return out
}

func isDatasourceVar(ds *dsRef) bool {
	return ds != nil && (ds.UID == "$datasource" || ds.UID == "${datasource}")
}

// allPanels flattens rows (collapsed rows keep their panels inside).
func allPanels(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, allPanels(p.Panels)...)
	}
	return out
}

var (
	// A vector selector with label matchers: name{...}.
	selectorRe = regexp.MustCompile(`([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}`)
	// Identifiers, and quoted strings (removed before looking for identifiers).
	identRe     = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	quotedRe    = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	rangeFuncRe = regexp.MustCompile(`\b(rate|irate|increase)\s*\(`)
	counterRe   = regexp.MustCompile(`\b[a-z_:][a-z0-9_:]*_total\b`)
	wrappedRe   = regexp.MustCompile(`\b(rate|irate|increase)\(\s*[a-z_:][a-z0-9_:]*_total\{[^}]*\}\[\$__rate_interval\]\)`)
)

// TestDashboardsLint encodes grafana/dashboard-linter's rules.
func TestDashboardsLint(t *testing.T) {
	for file, d := range readDashboards(t) {
		t.Run(file, func(t *testing.T) {
			lintDashboard(t, file, d)
		})
	}
}

func lintDashboard(t *testing.T, file string, d dashboard) {
	if d.Title == "" {
		t.Errorf("title is empty")
	}
	sum := md5.Sum([]byte(file))
	if want := hex.EncodeToString(sum[:])[:20]; d.UID != want {
		t.Errorf("uid %q, want the stable %q (md5 of the file name, truncated)", d.UID, want)
	}
	if d.Editable == nil || *d.Editable {
		t.Errorf("editable must be false")
	}
	if len(d.Tags) == 0 {
		t.Errorf("no tags")
	}

	// template-datasource-rule, template-job-rule, template-instance-rule,
	// template-on-time-change-reload-rule.
	vars := map[string]variable{}
	dsVars := 0
	for _, v := range d.Templating.List {
		vars[v.Name] = v
		if v.Type == "datasource" {
			dsVars++
			if v.Name != "datasource" || v.query() != "prometheus" || v.Label != "Data source" {
				t.Errorf("datasource variable must be named datasource, labelled Data source, query prometheus: %+v", v)
			}
		}
		if v.Type == "query" {
			if !isDatasourceVar(v.Datasource) {
				t.Errorf("variable %s must use the $datasource variable", v.Name)
			}
			if v.Refresh != 2 {
				t.Errorf("variable %s must refresh on time-range change (refresh 2), has %d", v.Name, v.Refresh)
			}
			if v.query() == "" {
				t.Errorf("variable %s has no query", v.Name)
			}
		}
	}
	if dsVars != 1 {
		t.Errorf("want exactly one datasource variable, have %d", dsVars)
	}
	for _, name := range []string{"job", "instance"} {
		v, ok := vars[name]
		if !ok {
			t.Errorf("missing the %s variable", name)
			continue
		}
		label := strings.ToUpper(name[:1]) + name[1:]
		if v.Type != "query" || v.Label != label || !v.Multi || !v.IncludeAll || v.AllValue != ".+" {
			t.Errorf("variable %s must be a query labelled %s, multi-select, include All with allValue .+: %+v", name, label, v)
		}
	}

	ids := map[int]bool{}
	for _, p := range allPanels(d.Panels) {
		if ids[p.ID] {
			t.Errorf("panel id %d is used twice", p.ID)
		}
		ids[p.ID] = true
		if p.GridPos == nil || p.GridPos.W <= 0 || p.GridPos.H <= 0 || p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %q has no valid gridPos", p.Title)
		}
		if p.Type == "row" {
			if p.Title == "" {
				t.Errorf("a row has no title")
			}
			continue
		}
		// panel-title-description-rule, panel-datasource-rule, panel-units-rule,
		// panel-no-targets-rule.
		if p.Title == "" || p.Description == "" {
			t.Errorf("panel %d: title %q and description %q must both be set", p.ID, p.Title, p.Description)
		}
		if !isDatasourceVar(p.Datasource) {
			t.Errorf("panel %q must use the $datasource variable", p.Title)
		}
		if u := p.FieldConfig.Defaults.Unit; !validUnits[u] {
			t.Errorf("panel %q has no or an unknown unit %q", p.Title, u)
		}
		for _, o := range p.FieldConfig.Overrides {
			for _, prop := range o.Properties {
				if u, ok := prop.Value.(string); prop.ID == "unit" && (!ok || !validUnits[u]) {
					t.Errorf("panel %q overrides with an unknown unit %v", p.Title, prop.Value)
				}
			}
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no targets", p.Title)
		}
		for _, tg := range p.Targets {
			if !isDatasourceVar(tg.Datasource) {
				t.Errorf("panel %q target %s must use the $datasource variable", p.Title, tg.RefID)
			}
			for _, problem := range lintExpr(tg.Expr) {
				t.Errorf("panel %q target %s: %s\n  expr: %s", p.Title, tg.RefID, problem, tg.Expr)
			}
		}
	}
}

// lintExpr applies target-job-rule, target-instance-rule, target-rate-interval-rule and
// target-counter-agg-rule to one panel query. Recorded series (level:metric:operations) are
// exempt from the job and instance matchers: the recording rules already select the exporter's
// job and deduplicate VPGs across both ZVMs, so those labels are aggregated away.
func lintExpr(expr string) []string {
	var problems []string
	if strings.TrimSpace(expr) == "" {
		return []string{"empty expression"}
	}
	// Raw exporter series (zerto_*, up) must carry label matchers at all.
	unquoted := quotedRe.ReplaceAllString(expr, `""`)
	for _, loc := range identRe.FindAllStringIndex(unquoted, -1) {
		name := unquoted[loc[0]:loc[1]]
		if name != "up" && !strings.HasPrefix(name, "zerto_") {
			continue
		}
		if rest := strings.TrimLeft(unquoted[loc[1]:], " \t\n"); !strings.HasPrefix(rest, "{") {
			problems = append(problems, fmt.Sprintf("series %s has no label matchers", name))
		}
	}
	for _, m := range selectorRe.FindAllStringSubmatch(expr, -1) {
		if strings.Contains(m[1], ":") {
			continue
		}
		for _, want := range []string{`job=~"$job"`, `instance=~"$instance"`} {
			if !strings.Contains(m[2], want) {
				problems = append(problems, fmt.Sprintf("selector %s{%s} lacks %s", m[1], m[2], want))
			}
		}
	}
	for _, loc := range rangeFuncRe.FindAllStringIndex(expr, -1) {
		rest := expr[loc[1]:]
		open, end := strings.Index(rest, "["), strings.Index(rest, "]")
		if open < 0 || end < open || rest[open+1:end] != "$__rate_interval" {
			problems = append(problems, "rate/irate/increase must use [$__rate_interval]")
		}
	}
	if n, w := len(counterRe.FindAllString(expr, -1)), len(wrappedRe.FindAllString(expr, -1)); n != w {
		problems = append(problems, "every _total counter must be wrapped directly in rate/irate/increase over $__rate_interval")
	}
	return problems
}

// Concrete values for the dashboard variables, so that promtool can parse the queries.
var variableValues = strings.NewReplacer(
	"${__rate_interval}", "5m",
	"$__rate_interval", "5m",
	"${__interval}", "1m",
	"$__interval", "1m",
	"${__range}", "1h",
	"$__range", "1h",
	"${job}", "zerto",
	"$job", "zerto",
	"${instance}", "zvm-a:443",
	"$instance", "zvm-a:443",
	"${vpg}", "erp",
	"$vpg", "erp",
	"${vra}", "Z-VRA-esx01",
	"$vra", "Z-VRA-esx01",
)

var labelValuesRe = regexp.MustCompile(`^\s*(label_values|query_result)\((.*)\)\s*$`)

// variableExpr returns the PromQL inside a label_values(...) or query_result(...) variable query,
// or "" for label_values(label) without a series selector.
func variableExpr(q string) string {
	m := labelValuesRe.FindStringSubmatch(q)
	if m == nil {
		return q
	}
	if m[1] == "query_result" {
		return m[2]
	}
	i := strings.LastIndex(m[2], ",")
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(m[2][:i])
}

// TestDashboardQueriesWithPromtool writes every panel and variable query, with the dashboard
// variables replaced by concrete values, as a recording rule into a temporary rules file and
// runs `promtool check rules` on it.
func TestDashboardQueriesWithPromtool(t *testing.T) {
	promtool := testutil.Promtool(t)
	var rf ruleFile
	sources := map[string]string{}
	files := make([]string, 0)
	dashboards := readDashboards(t)
	for f := range dashboards {
		files = append(files, f)
	}
	sort.Strings(files)
	n := 0
	add := func(g *ruleGroup, source, expr string) {
		n++
		concrete := variableValues.Replace(expr)
		if strings.Contains(concrete, "$") {
			t.Errorf("%s: unknown dashboard variable in %q", source, expr)
		}
		name := fmt.Sprintf("dashboard:query_%d:check", n)
		sources[name] = source
		g.Rules = append(g.Rules, rule{Record: name, Expr: concrete})
	}
	for _, f := range files {
		d := dashboards[f]
		g := ruleGroup{Name: f}
		for _, v := range d.Templating.List {
			if v.Type != "query" {
				continue
			}
			if e := variableExpr(v.query()); e != "" {
				add(&g, fmt.Sprintf("%s variable %s", f, v.Name), e)
			}
		}
		for _, p := range allPanels(d.Panels) {
			for _, tg := range p.Targets {
				add(&g, fmt.Sprintf("%s panel %q target %s", f, p.Title, tg.RefID), tg.Expr)
			}
		}
		rf.Groups = append(rf.Groups, g)
	}
	b, err := yaml.Marshal(rf)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dashboard-queries.yaml")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(promtool, "check", "rules", path).CombinedOutput()
	if err != nil {
		var legend strings.Builder
		for i := 1; i <= n; i++ {
			name := fmt.Sprintf("dashboard:query_%d:check", i)
			fmt.Fprintf(&legend, "  %s = %s\n", name, sources[name])
		}
		t.Fatalf("promtool check rules on the dashboard queries failed: %v\n%s\nrules:\n%s", err, out, legend.String())
	}
	if !strings.Contains(string(out), fmt.Sprintf("SUCCESS: %d rules found", n)) {
		t.Fatalf("promtool did not check all %d queries:\n%s", n, out)
	}
}

// TestRenderedRulesWithPromtool runs `promtool check rules` on the rendered alerts and rules, so
// that `go test ./mixin/...` alone covers them too.
func TestRenderedRulesWithPromtool(t *testing.T) {
	promtool := testutil.Promtool(t)
	out, err := exec.Command(promtool, "check", "rules", alertsFile, optionalFile, rulesFile).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
}
