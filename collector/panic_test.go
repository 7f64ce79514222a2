package collector

import (
	"strings"
	"testing"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// panicker is a collector whose Update runs panic, which is meant to panic.
type panicker struct{ panic func() }

func (p panicker) Update(*snapshot.Snapshot, chan<- prometheus.Metric) error {
	p.panic()
	return nil
}

func TestCollectorPanicLoggedOncePerDistinctPanic(t *testing.T) {
	var logs testutil.SyncBuffer
	value := "first"
	var index []int
	s := &Set{
		names: []string{"boom", "index"},
		collectors: map[string]Collector{
			"boom":  panicker{func() { panic(value) }},
			"index": panicker{func() { _ = index[len(value)] }},
		},
		regs:   map[string]registration{"boom": {name: "boom"}, "index": {name: "index"}},
		logger: level.NewFilter(log.NewLogfmtLogger(&logs), level.AllowInfo()),
		panics: map[string]struct{}{},
	}
	scrape := func() {
		t.Helper()
		for _, name := range s.names {
			ch := make(chan prometheus.Metric, 3) // supported, duration, success
			s.execute(name, &snapshot.Snapshot{}, ch)
			close(ch)
			for m := range ch {
				var pb dto.Metric
				if err := m.Write(&pb); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(m.Desc().String(), "zerto_scrape_collector_success") && pb.GetGauge().GetValue() != 0 {
					t.Errorf("%s: a panicking collector reports success", name)
				}
			}
		}
	}
	errorLines := func() []string {
		var out []string
		for _, l := range logs.Lines() {
			if strings.Contains(l, "level=error") {
				out = append(out, l)
			}
		}
		return out
	}

	for range 3 {
		scrape()
	}
	lines := errorLines()
	if len(lines) != 2 {
		t.Fatalf("after three scrapes, %d error lines, want one per collector:\n%s", len(lines), logs.String())
	}
	for _, want := range []string{"collector=boom", "panic=first", "at=", "panic_test.go", "goroutine"} {
		if !strings.Contains(lines[0]+lines[1], want) {
			t.Errorf("the panic's log lines lack %q:\n%s", want, logs.String())
		}
	}
	for _, l := range lines {
		if strings.Contains(l, "collector=index") && !strings.Contains(l, `at="github.com/zerto-exporter/zerto_exporter/collector.TestCollectorPanicLoggedOncePerDistinctPanic`) {
			t.Errorf("an index panic is placed in the runtime, not in the code that indexed: %s", l)
		}
	}

	value = "second" // a new value for boom, and a new index for index: two new panics
	for range 2 {
		scrape()
	}
	if lines := errorLines(); len(lines) != 4 || !strings.Contains(strings.Join(lines, "\n"), "panic=second") {
		t.Errorf("after new panics, %d error lines, want 4 with the new value:\n%s", len(lines), logs.String())
	}
}
