package collector_test

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	dto "github.com/prometheus/client_model/go"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/exporter"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// metricsReference is the generated reference, relative to this package.
var metricsReference = filepath.Join("..", "docs", "metrics.md")

// TestMetricsReference renders docs/metrics.md from every registered collector run on the rich
// fixture, plus the exporter's own metrics from the code that declares them (the config store,
// the prober, this package's self-metrics), and fails when the committed file differs. Run with
// -update to rewrite it. A collector registered later shows up here with no change to this test,
// as long as the fixture snapshot carries its data.
func TestMetricsReference(t *testing.T) {
	snap := collector.RichSnapshot(t)
	snap.Enums = snapshot.NewEnumNames(log.NewNopLogger(), nil)
	snap.Enums.Count(zvm.FieldVPGSubStatus, 99)
	snap.Warnings = snapshot.NewDecodeWarnings(log.NewNopLogger())
	snap.Warnings.Warn(zvm.EndpointRecoveryReports, "General.EndTime", "yesterday")
	cfg := collector.Config{Logger: log.NewNopLogger(), SLA: collector.FixtureSLA}

	// Which collector emits which family: run each one alone.
	owner := map[string]string{}
	emitted := map[string]int{}
	infos := collector.Available()
	names := make([]string, 0, len(infos))
	for _, c := range infos {
		names = append(names, c.Name)
		for _, n := range collector.FamilyNames(collector.Gather(t, collector.ScrapeRegistry(t, snap, cfg, c.Name))) {
			if exporterMetric(n) {
				continue
			}
			if prev, dup := owner[n]; dup {
				t.Errorf("%s emitted by both %s and %s", n, prev, c.Name)
			}
			owner[n] = c.Name
			emitted[c.Name]++
		}
	}

	// Everything together, as /metrics serves it.
	set, err := collector.NewSet(names, cfg)
	if err != nil {
		t.Fatal(err)
	}
	api := collector.NewAPIMetrics()
	api.ObserveRequest(zvm.EndpointVPGs, "200", 42*time.Millisecond)
	reg := prometheus.NewPedanticRegistry()
	store := config.NewStore("", &config.Config{}, log.NewNopLogger())
	prober := exporter.NewProber(store, exporter.ProbeDefaults{}, log.NewNopLogger())
	t.Cleanup(prober.Close)
	self := constMetrics{prometheus.MustNewConstMetric(collector.RefreshSlotTimeoutsDesc, prometheus.CounterValue, 0, "wait"),
		prometheus.MustNewConstMetric(collector.TokenLifetimeFlooredDesc, prometheus.CounterValue, 0),
		prometheus.MustNewConstMetric(collector.HTTPConnectionsClosedDesc, prometheus.CounterValue, 0)}
	reg.MustRegister(set.CollectorFor(snap), api, versioncollector.NewCollector("zerto_exporter"), store, prober, self)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}

	want, err := os.ReadFile(metricsReference)
	if err != nil {
		t.Fatalf("%v (run go test ./collector -run TestMetricsReference -update)", err)
	}
	head, _, found := strings.Cut(string(want), generatedMarker)
	if !found {
		t.Fatalf("%s lacks the line %q that starts its generated part", metricsReference, strings.TrimSpace(generatedMarker))
	}
	for _, mf := range mfs {
		name := mf.GetName()
		if _, ok := owner[name]; !ok && !strings.Contains(head, "`"+name+"`") && !strings.Contains(head, "`"+name+"{") {
			t.Errorf("the exporter's own metric %s is not described above the generated part of %s", name, metricsReference)
		}
		if problem := helpProblem(name, mf.GetHelp(), owner[name]); problem != "" {
			t.Errorf("HELP of %s %s: %q", name, problem, mf.GetHelp())
		}
	}
	for _, c := range infos {
		for _, problem := range notesProblems(c, owner) {
			t.Error(problem)
		}
	}
	got := append([]byte(head+generatedMarker), renderReference(infos, emitted, owner, mfs)...)
	if *collector.Update {
		if err := os.WriteFile(metricsReference, got, 0o644); err != nil {
			t.Fatal(err)
		}
		want = got
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go test ./collector -run TestMetricsReference -update and commit it", metricsReference)
	}
}

// generatedMarker starts the generated part of docs/metrics.md; the text above it is written by
// hand.
const generatedMarker = "<!-- Generated below by `go test ./collector -run TestMetricsReference -update` from the collectors\n" +
	"     run on collector/testdata/zvm; do not edit by hand. -->\n"

// constMetrics collects fixed metrics.
type constMetrics []prometheus.Metric

func (c constMetrics) Describe(ch chan<- *prometheus.Desc) { prometheus.DescribeByCollect(c, ch) }

func (c constMetrics) Collect(ch chan<- prometheus.Metric) {
	for _, m := range c {
		ch <- m
	}
}

// exporterMetric reports whether a family is the exporter's own (described by hand in
// docs/metrics.md) rather than a collector's.
func exporterMetric(name string) bool {
	return name == "zerto_up" || strings.HasPrefix(name, "zerto_exporter_") || strings.HasPrefix(name, "zerto_scrape_")
}

// helpProblem says what is wrong with a metric's HELP, or "" when it is one sentence that names
// its source: a ZVM endpoint (/v1/...), vCenter for the vsphere collector, nothing for the
// exporter's own metrics. What a HELP leaves out goes to the collector's notes.
func helpProblem(name, help, owner string) string {
	body, ok := strings.CutSuffix(help, ".")
	switch {
	case !ok:
		return "does not end with a full stop"
	case strings.Contains(body, ". ") || strings.Contains(body, ";"):
		return "is more than one sentence (\". \" or \";\"): move the rest to the collector's notes"
	case len(help) > maxHelp:
		return fmt.Sprintf("is longer than %d characters: move the details to the collector's notes", maxHelp)
	case exporterMetric(name):
		return ""
	case owner == "vsphere":
		if !strings.Contains(help, "vCenter") {
			return "does not name its vCenter source"
		}
	case !strings.Contains(help, "/v1/"):
		return "does not name its ZVM endpoint (/v1/...)"
	}
	return ""
}

// maxHelp bounds a HELP text: one sentence saying what the metric is and where it comes from
// (client_golang's zerto_exporter_build_info, 158 characters, is the longest).
const maxHelp = 180

// notesProblems lists the notes of a collector that name no metric the collector emits on the
// reference fixture (a typo or a renamed metric would drop the note from docs/metrics.md).
func notesProblems(c collector.Info, owner map[string]string) []string {
	var out []string
	for name, note := range c.Notes {
		switch {
		case owner[name] != c.Name:
			out = append(out, fmt.Sprintf("collector %s has notes for %s, which it does not emit", c.Name, name))
		case strings.TrimSpace(note) == "":
			out = append(out, fmt.Sprintf("collector %s has an empty note for %s", c.Name, name))
		}
	}
	sort.Strings(out)
	return out
}

// exporterOwner names where the families not emitted by a collector come from.
func exporterOwner(name string) string {
	switch {
	case strings.HasPrefix(name, "zerto_exporter_api_"):
		return "(ZVM client)"
	default:
		return "(exporter)"
	}
}

// endpointsCell lists endpoints with how a refresh reads each one that it does not read whole.
func endpointsCell(eps []zvm.Endpoint) string {
	cells := make([]string, 0, len(eps))
	for _, ep := range eps {
		cell := "`" + string(ep) + "`"
		switch mode, after, _ := snapshot.Mode(ep); mode {
		case snapshot.ReadWhole:
		case snapshot.ReadAfter:
			cell += " (after `" + string(after) + "`)"
		default:
			cell += " (" + string(mode) + ")"
		}
		cells = append(cells, cell)
	}
	return strings.Join(cells, ", ")
}

func renderReference(infos []collector.Info, emitted map[string]int, owner map[string]string, mfs []*dto.MetricFamily) []byte {
	var b bytes.Buffer
	b.WriteString("\n")
	b.WriteString("## Collectors\n\n")
	b.WriteString("How a refresh reads each endpoint: once whole unless marked (probe: read first, the other\n" +
		"endpoints only when it answers; incremental: what is new since the previous refresh; per VPG: one\n" +
		"request per VPG of /v1/vpgs; after: once the endpoint named has answered). A collector fails when\n" +
		"an endpoint it owns failed; one it borrows only thins its metrics.\n\n")
	b.WriteString("| collector | default | owns | borrows | description |\n|---|---|---|---|---|\n")
	for _, c := range infos {
		def := "off"
		if c.DefaultOn {
			def = "on"
		}
		desc := c.Help
		if emitted[c.Name] == 0 {
			desc += " (no metrics on the reference fixture)"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", c.Name, def, endpointsCell(c.Owns), endpointsCell(c.Borrows), mdCell(desc))
	}

	b.WriteString("\n## Metrics\n\n")
	notes := map[string]string{}
	for _, c := range infos {
		maps.Copy(notes, c.Notes)
	}
	b.WriteString("| metric | type | labels | help | notes | collector |\n|---|---|---|---|---|---|\n")
	sort.Slice(mfs, func(i, j int) bool { return mfs[i].GetName() < mfs[j].GetName() })
	for _, mf := range mfs {
		name := mf.GetName()
		labels := map[string]bool{}
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				labels[lp.GetName()] = true
			}
		}
		ls := make([]string, 0, len(labels))
		for l := range labels {
			ls = append(ls, l)
		}
		sort.Strings(ls)
		for i, l := range ls {
			ls[i] = "`" + l + "`"
		}
		who, ok := owner[name]
		if ok {
			who = "`" + who + "`"
		} else {
			who = exporterOwner(name)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n",
			name, strings.ToLower(mf.GetType().String()), strings.Join(ls, ", "), mdCell(mf.GetHelp()), mdCell(notes[name]), who)
	}
	return b.Bytes()
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "\n", " ").Replace(s)
}

// TestHelpProblem holds the HELP check to what it must catch: the long texts it replaced and a
// HELP without its source.
func TestHelpProblem(t *testing.T) {
	for _, tc := range []struct {
		name, help, owner string
		bad               bool
	}{
		{"zerto_vpg_status", "VPG status, from /v1/vpgs Status.", "vpg", false},
		{"zerto_vra_cpu_usage_ratio", "CPU usage of the VRA VM, from vCenter PerformanceManager cpu.usage.average.", "vsphere", false},
		{"zerto_up", "1 when the latest refresh authenticated and read /v1/localsite from the ZVM, else 0.", "", false},
		{"zerto_scrape_collector_supported", "0 when every ZVM endpoint of the collector answered 404 in the latest refresh, else 1.", "", false},
		{"zerto_vpg_status", "VPG status, from /v1/vpgs Status: 1 for the current state, 0 for the others; codes outside the known list are Unknown.", "vpg", true},
		{"zerto_datastore_capacity_bytes", "Capacity of the datastore, from /v1/datastores Stats.Usage.Datastore.CapacityInBytes. Only datastores Zerto uses.", "datastore", true},
		{"zerto_vpg_status", "VPG status, from /v1/vpgs Status", "vpg", true},
		{"zerto_vpg_status", "VPG status.", "vpg", true},
		{"zerto_vra_cpu_usage_ratio", "CPU usage of the VRA VM, from /v1/vras.", "vsphere", true},
		{"zerto_vpg_status", "VPG status, from /v1/vpgs Status" + strings.Repeat(", really", 30) + ".", "vpg", true},
	} {
		if got := helpProblem(tc.name, tc.help, tc.owner); (got != "") != tc.bad {
			t.Errorf("helpProblem(%s, %q) = %q, want a problem: %v", tc.name, tc.help, got, tc.bad)
		}
	}
}

// TestNotesProblems: a note must name a metric its collector emits, and say something.
func TestNotesProblems(t *testing.T) {
	owner := map[string]string{"zerto_vpg_status": "vpg", "zerto_vra_status": "vra"}
	c := collector.Info{Name: "vpg", Notes: map[string]string{
		"zerto_vpg_status":  "Absent when Status is null.",
		"zerto_vpg_statuss": "A typo.",
		"zerto_vra_status":  "Another collector's metric.",
	}}
	got := notesProblems(c, owner)
	if len(got) != 2 || !strings.Contains(got[0], "zerto_vpg_statuss") || !strings.Contains(got[1], "zerto_vra_status") {
		t.Errorf("notesProblems = %q, want the typo and the other collector's metric", got)
	}
	c.Notes = map[string]string{"zerto_vpg_status": " "}
	if got := notesProblems(c, owner); len(got) != 1 {
		t.Errorf("notesProblems of an empty note = %q, want one problem", got)
	}
}
