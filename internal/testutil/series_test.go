package testutil

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestSamples: every gauge, counter and untyped series is keyed as Series writes it, labels sorted
// by name whatever their order; a histogram is left out.
func TestSamples(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "g", Help: "g"}, []string{"z", "a"})
	g.WithLabelValues("1", "2").Set(3)
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "c_total", Help: "c"})
	c.Add(5)
	u := prometheus.NewUntypedFunc(prometheus.UntypedOpts{Name: "u", Help: "u"}, func() float64 { return 7 })
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "h", Help: "h"})
	h.Observe(1)
	reg.MustRegister(g, c, u, h)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := Samples(mfs)
	want := map[string]float64{`g{a="2",z="1"}`: 3, "c_total{}": 5, "u{}": 7}
	if len(got) != len(want) {
		t.Errorf("Samples = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Samples[%s] = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if s := Series("g", "z", "1", "a", "2"); s != `g{a="2",z="1"}` {
		t.Errorf("Series = %s", s)
	}
}
