package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// dashboardVars are the values the test gives the dashboards' template variables, as Grafana
// would substitute them (regex-quoted, since the dashboards match them with =~), for the ZVMs
// scraped as the given instances. Each must be among the values of the variable's own
// label_values query. sim is the base URL of a simulated ZVM's control API.
func dashboardVars(ctx context.Context, simc simControl, sim string, instances ...string) (map[string]string, error) {
	st, err := simc.state(ctx, sim)
	if err != nil {
		return nil, err
	}
	var vra string
	for _, v := range st.VRAs {
		if v.Site == "protected" {
			vra = v.Name // a source VRA, so that the per-source-VRA rate panels have data
			break
		}
	}
	// Regex-quoted, then escaped for a PromQL string literal, as Grafana does for Prometheus.
	quote := func(s string) string { return strings.ReplaceAll(regexp.QuoteMeta(s), `\`, `\\`) }
	quoted := make([]string, len(instances))
	for i, in := range instances {
		quoted[i] = quote(in)
	}
	return map[string]string{
		"job":      scrapeJob,
		"instance": strings.Join(quoted, "|"), // "All"
		"vpg":      quote(rtoVPG),             // has an RTO target and a last test
		"vra":      quote(vra),
		// Grafana's built-in interval variables, for a 1 s scrape interval and a 1 h range.
		"__rate_interval": "1m",
		"__interval":      "15s",
		"__range":         "1h",
		"__range_s":       "3600",
	}, nil
}

// dashboardVarRef matches $var, ${var} and ${var:format}.
var dashboardVarRef = regexp.MustCompile(`\$\{(\w+)(?::\w+)?\}|\$(\w+)`)

func substitute(expr string, vars map[string]string) (string, error) {
	var missing []string
	out := dashboardVarRef.ReplaceAllStringFunc(expr, func(ref string) string {
		m := dashboardVarRef.FindStringSubmatch(ref)
		name := m[1] + m[2]
		v, ok := vars[name]
		if !ok {
			missing = append(missing, name)
			return ref
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("no test value for variable(s) %v", missing)
	}
	return out, nil
}

type dashboard struct {
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string `json:"name"`
			Type       string `json:"type"`
			Definition string `json:"definition"`
			Query      any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

type panel struct {
	Title   string `json:"title"`
	Type    string `json:"type"`
	Targets []struct {
		Expr  string `json:"expr"`
		RefID string `json:"refId"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // collapsed rows
}

func flatten(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, flatten(p.Panels)...)
	}
	return out
}

// labelValuesQuery matches Grafana's label_values(<selector>, <label>).
var labelValuesQuery = regexp.MustCompile(`^\s*label_values\((.*),\s*(\w+)\s*\)\s*$`)

// checkDashboards runs every query of the rendered dashboards (dashboards/*.json) against
// Prometheus, with the template variables substituted, and wants at least one series from each
// query of each panel. Rate panels need a few scrapes of history, so it retries for up to wait
// before it reports what is still empty.
func checkDashboards(t *testing.T, ctx context.Context, root string, prom *promAPI, vars map[string]string, wait time.Duration) {
	files, err := filepath.Glob(filepath.Join(root, "dashboards", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rendered dashboards in %s (run `make mixin`): %v", filepath.Join(root, "dashboards"), err)
	}
	var problems []string
	var queries, panels int
	poll(ctx, wait, func() (bool, string) {
		problems, queries, panels = dashboardProblems(ctx, prom, files, vars)
		return len(problems) == 0, ""
	})
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("ran %d queries of %d panels from %d dashboards", queries, panels, len(files))
}

// dashboardProblems runs the dashboards' queries once.
func dashboardProblems(ctx context.Context, prom *promAPI, files []string, vars map[string]string) (problems []string, queries, panels int) {
	report := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, file := range files {
		base := filepath.Base(file)
		b, err := os.ReadFile(file)
		if err != nil {
			report("%s: %v", base, err)
			continue
		}
		var d dashboard
		if err := json.Unmarshal(b, &d); err != nil {
			report("%s: %v", base, err)
			continue
		}
		// The template variables' own queries, and the value the test picks among theirs.
		for _, v := range d.Templating.List {
			if v.Type != "query" {
				continue
			}
			q := v.Definition
			if qm, ok := v.Query.(map[string]any); ok && q == "" {
				q, _ = qm["query"].(string)
			} else if qs, ok := v.Query.(string); ok && q == "" {
				q = qs
			}
			m := labelValuesQuery.FindStringSubmatch(q)
			if m == nil {
				report("%s: variable %s: query %q is not label_values(selector, label)", base, v.Name, q)
				continue
			}
			sel, err := substitute(m[1], vars)
			if err != nil {
				report("%s: variable %s: %v", base, v.Name, err)
				continue
			}
			res, err := prom.query(ctx, fmt.Sprintf("group by (%s) (%s)", m[2], sel))
			if err != nil {
				report("%s: variable %s: %v", base, v.Name, err)
				continue
			}
			var values []string
			for _, r := range res {
				values = append(values, r.Metric[m[2]])
			}
			pick := regexp.MustCompile("^(?:" + strings.ReplaceAll(vars[v.Name], `\\`, `\`) + ")$")
			if !slices.ContainsFunc(values, pick.MatchString) {
				report("%s: variable %s: the test value %q is not among its values %v", base, v.Name, vars[v.Name], values)
			}
		}
		for _, p := range flatten(d.Panels) {
			if len(p.Targets) == 0 {
				continue
			}
			key := base + "/" + p.Title
			panels++
			var errs []string
			for _, tg := range p.Targets {
				if strings.TrimSpace(tg.Expr) == "" {
					continue
				}
				q, err := substitute(tg.Expr, vars)
				if err != nil {
					errs = append(errs, fmt.Sprintf("%s: %v", tg.RefID, err))
					continue
				}
				queries++
				res, err := prom.query(ctx, q)
				if err != nil {
					errs = append(errs, fmt.Sprintf("%s: %v", tg.RefID, err))
					continue
				}
				if len(res) == 0 {
					errs = append(errs, fmt.Sprintf("%s: no series from %s", tg.RefID, q))
				}
			}
			if len(errs) > 0 {
				report("dashboard panel %q:\n  %s", key, strings.Join(errs, "\n  "))
			}
		}
	}
	return problems, queries, panels
}

// panelSeries runs the queries of one dashboard panel and returns how many series they gave, for
// scenarios that show that a panel empty on the healthy stack does show their fault.
func (s *stack) panelSeries(ctx context.Context, file, title string) (int, error) {
	b, err := os.ReadFile(filepath.Join(s.root, "dashboards", file))
	if err != nil {
		return 0, err
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		return 0, fmt.Errorf("%s: %w", file, err)
	}
	vars, err := dashboardVars(ctx, s.sim, s.recovery, s.protected, s.recovery)
	if err != nil {
		return 0, err
	}
	for _, p := range flatten(d.Panels) {
		if p.Title != title {
			continue
		}
		n := 0
		for _, tg := range p.Targets {
			q, err := substitute(tg.Expr, vars)
			if err != nil {
				return 0, err
			}
			res, err := s.prom.query(ctx, q)
			if err != nil {
				return 0, err
			}
			n += len(res)
		}
		return n, nil
	}
	return 0, fmt.Errorf("%s has no panel %q", file, title)
}
