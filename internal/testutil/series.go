package testutil

import (
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
)

// Samples flattens gathered metric families into series → value, each series written as
// Series writes it. Gauges, counters and untyped metrics are read; summaries and histograms are
// left out.
func Samples(mfs []*dto.MetricFamily) map[string]float64 {
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var v float64
			switch {
			case m.Gauge != nil:
				v = m.GetGauge().GetValue()
			case m.Counter != nil:
				v = m.GetCounter().GetValue()
			case m.Untyped != nil:
				v = m.GetUntyped().GetValue()
			default:
				continue
			}
			labels := make([]string, 0, 2*len(m.GetLabel()))
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName(), l.GetValue())
			}
			out[Series(mf.GetName(), labels...)] = v
		}
	}
	return out
}

// Series writes a series as name{label="value",...}, its labels sorted by name; labels alternate
// name and value.
func Series(name string, labels ...string) string {
	ls := make([]string, 0, len(labels)/2)
	for i := 0; i+1 < len(labels); i += 2 {
		ls = append(ls, labels[i]+`="`+labels[i+1]+`"`)
	}
	sort.Strings(ls)
	return name + "{" + strings.Join(ls, ",") + "}"
}
