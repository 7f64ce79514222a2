package mixin

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// The mixin rendered with _config.clusterLabels set, as for a global view (Thanos, Mimir) over
// several Prometheus servers whose Zerto installations may reuse VPG names.
const (
	clusterLabel  = "cluster"
	clusterConfig = `config={clusterLabels: ["cluster"]}`
	// Hand-written promtool tests of the cluster-aware rendering, with different data per cluster.
	clusterTestsGlob = "tests/clusters/*.yaml"
)

// The two clusters every single-cluster promtool test is replayed in.
var clusters = []string{"east", "west"}

// singleViewTests are promtool test cases whose expected alerts stay as they are when replayed
// in two clusters, with the reason.
var singleViewTests = map[string]string{
	"ZertoExporterDown fires when the job has no target at all": "absent() sees the whole view: it reports a job that no cluster scrapes, once and without a cluster label",
}

// renderClusterMixin renders alerts.yaml, rules.yaml and the dashboards with clusterLabels
// ["cluster"] into dir.
func renderClusterMixin(t *testing.T, dir string) {
	t.Helper()
	jsonnet := testutil.Tool(t, "JSONNET", "jsonnet")
	for _, f := range []string{"alerts", "alerts-optional", "rules"} {
		out, err := exec.Command(jsonnet, "-S", "--tla-code", clusterConfig, f+".jsonnet").Output()
		if err != nil {
			t.Fatalf("render %s.jsonnet with %s: %v\n%s", f, clusterConfig, err, stderrOf(err))
		}
		if err := os.WriteFile(filepath.Join(dir, f+".yaml"), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dashDir := filepath.Join(dir, "dashboards")
	if err := os.Mkdir(dashDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(jsonnet, "-S", "-m", dashDir, "--tla-code", clusterConfig, "dashboards.jsonnet").CombinedOutput(); err != nil {
		t.Fatalf("render dashboards.jsonnet with %s: %v\n%s", clusterConfig, err, out)
	}
}

func stderrOf(err error) string {
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		return string(ee.Stderr)
	}
	return ""
}

// withLabel adds name="value" to a series selector such as `m{a="b"}`, `{__name__="m"}` or `m`.
func withLabel(series, name, value string) string {
	m := fmt.Sprintf("%s=%q", name, value)
	i := strings.Index(series, "{")
	if i < 0 {
		return strings.TrimSpace(series) + "{" + m + "}"
	}
	rest := strings.TrimLeft(series[i+1:], " ")
	if strings.HasPrefix(rest, "}") {
		return series[:i+1] + m + rest
	}
	return series[:i+1] + m + "," + rest
}

// replayInClusters rewrites one promtool test file so that every input series exists once per
// cluster (same values, cluster label added) and every expected alert and sample is expected once
// per cluster. An aggregation or vector match that drops the cluster label makes the rewritten
// test fail: the result lacks the label, or the match finds two series on one side.
func replayInClusters(t *testing.T, file string, doc map[string]any, ruleFiles []string) {
	t.Helper()
	doc["rule_files"] = ruleFiles
	tests, _ := doc["tests"].([]any)
	if len(tests) == 0 {
		t.Fatalf("%s: no tests", file)
	}
	for _, tc := range tests {
		tc := tc.(map[string]any)
		name, _ := tc["name"].(string)
		var series []any
		for _, s := range asList(tc["input_series"]) {
			s := s.(map[string]any)
			for _, c := range clusters {
				cp := copyMap(s)
				cp["series"] = withLabel(s["series"].(string), clusterLabel, c)
				series = append(series, cp)
			}
		}
		tc["input_series"] = series
		for _, at := range asList(tc["alert_rule_test"]) {
			at := at.(map[string]any)
			if _, single := singleViewTests[name]; single {
				continue
			}
			var alerts []any
			for _, a := range asList(at["exp_alerts"]) {
				a := a.(map[string]any)
				for _, c := range clusters {
					cp := copyMap(a)
					labels := map[string]any{clusterLabel: c}
					maps.Copy(labels, asMap(a["exp_labels"]))
					cp["exp_labels"] = labels
					alerts = append(alerts, cp)
				}
			}
			at["exp_alerts"] = nonNil(alerts)
		}
		for _, pt := range asList(tc["promql_expr_test"]) {
			pt := pt.(map[string]any)
			var samples []any
			for _, s := range asList(pt["exp_samples"]) {
				s := s.(map[string]any)
				for _, c := range clusters {
					cp := copyMap(s)
					cp["labels"] = withLabel(s["labels"].(string), clusterLabel, c)
					samples = append(samples, cp)
				}
			}
			pt["exp_samples"] = nonNil(samples)
		}
	}
}

func asList(v any) []any         { l, _ := v.([]any); return l }
func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
func nonNil(l []any) []any       { return append([]any{}, l...) }
func copyMap(m map[string]any) map[string]any {
	cp := make(map[string]any, len(m))
	maps.Copy(cp, m)
	return cp
}

// TestClusterLabelsInRulesWithPromtool replays every promtool test of tests/ in two clusters
// carrying the same VPG names, against the mixin rendered with clusterLabels ["cluster"], and
// runs the hand-written two-cluster tests of tests/clusters/ in which the clusters' data differ.
func TestClusterLabelsInRulesWithPromtool(t *testing.T) {
	promtool := testutil.Promtool(t)
	dir := t.TempDir()
	renderClusterMixin(t, dir)
	if out, err := exec.Command(promtool, "check", "rules", filepath.Join(dir, "alerts.yaml"), filepath.Join(dir, "alerts-optional.yaml"), filepath.Join(dir, "rules.yaml")).CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules on the cluster-aware rendering: %v\n%s", err, out)
	}
	// The optional alerts are off in alerts.yaml, so loading both files defines each alert once.
	ruleFiles := []string{"alerts.yaml", "alerts-optional.yaml", "rules.yaml"}

	files, err := filepath.Glob(testsGlob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no promtool tests match %s", testsGlob)
	}
	var replayed []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		replayInClusters(t, f, doc, ruleFiles)
		out, err := yaml.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "two-clusters-"+filepath.Base(f))
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
		replayed = append(replayed, p)
	}
	handWritten, err := filepath.Glob(clusterTestsGlob)
	if err != nil || len(handWritten) == 0 {
		t.Fatalf("no promtool tests match %s", clusterTestsGlob)
	}
	for _, f := range handWritten {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.Base(f))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		replayed = append(replayed, p)
	}
	cmd := exec.Command(promtool, append([]string{"test", "rules"}, replayed...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool test rules in two clusters (an aggregation or match drops _config.clusterLabels: "+
			"build `by`/`on` clauses with utils.by/utils.on and fleet aggregations with utils.fleet): %v\n%s", err, out)
	}
}

// TestClusterLabelsInDashboards checks the dashboards rendered with clusterLabels ["cluster"]: a
// single-select cluster variable, and a cluster="$cluster" matcher in every selector of every
// panel and variable query (raw and recorded series), so that one dashboard never mixes clusters.
func TestClusterLabelsInDashboards(t *testing.T) {
	dir := t.TempDir()
	renderClusterMixin(t, dir)
	files, err := filepath.Glob(filepath.Join(dir, "dashboards", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards rendered into %s", dir)
	}
	want := fmt.Sprintf(`%s="$%s"`, clusterLabel, clusterLabel)
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d dashboard
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		name := filepath.Base(f)
		found := false
		var exprs []string
		for _, v := range d.Templating.List {
			if v.Name == clusterLabel {
				found = true
				if v.Type != "query" || v.Multi || v.IncludeAll || !strings.Contains(v.query(), ", "+clusterLabel+")") {
					t.Errorf("%s: variable %s must be a single-select query of label_values(..., %s): %+v", name, clusterLabel, clusterLabel, v)
				}
				continue
			}
			if v.Type == "query" {
				exprs = append(exprs, variableExpr(v.query()))
			}
		}
		if !found {
			t.Errorf("%s: no %s variable", name, clusterLabel)
		}
		for _, p := range allPanels(d.Panels) {
			for _, tg := range p.Targets {
				exprs = append(exprs, tg.Expr)
			}
		}
		for _, e := range exprs {
			for _, problem := range clusterSelectorProblems(e, want) {
				t.Errorf("%s: %s\n  expr: %s", name, problem, e)
			}
		}
	}
}

// clusterSelectorProblems lists the series in expr (raw zerto_* and up, and recorded
// level:metric:ops series) that are selected without the matcher want.
func clusterSelectorProblems(expr, want string) []string {
	var problems []string
	unquoted := quotedRe.ReplaceAllString(expr, `""`)
	for _, loc := range identRe.FindAllStringIndex(unquoted, -1) {
		name := unquoted[loc[0]:loc[1]]
		if name != "up" && !strings.HasPrefix(name, "zerto_") && !strings.Contains(name, ":zerto_") {
			continue
		}
		if rest := strings.TrimLeft(unquoted[loc[1]:], " \t\n"); !strings.HasPrefix(rest, "{") {
			problems = append(problems, fmt.Sprintf("series %s has no label matchers (want %s)", name, want))
		}
	}
	for _, m := range selectorRe.FindAllStringSubmatch(expr, -1) {
		if !strings.Contains(m[2], want) {
			problems = append(problems, fmt.Sprintf("selector %s{%s} lacks %s", m[1], m[2], want))
		}
	}
	return problems
}
