package fastexpo

import (
	"bytes"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// reference renders cs the way client_golang does: a registry's Gather and expfmt's encoder.
func reference(t *testing.T, format expfmt.Format, cs ...prometheus.Collector) []byte {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(cs...)
	mfs, _ := reg.Gather()
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, format)
	for _, mf := range mfs {
		_ = enc.Encode(mf)
	}
	return buf.Bytes()
}

type emit func(ch chan<- prometheus.Metric)

func (emit) Describe(chan<- *prometheus.Desc)      {}
func (e emit) Collect(ch chan<- prometheus.Metric) { e(ch) }

var formats = []expfmt.Format{
	expfmt.NewFormat(expfmt.TypeTextPlain),
	expfmt.NewFormat(expfmt.TypeOpenMetrics),
	expfmt.FmtOpenMetrics_0_0_1,
	expfmt.NewFormat(expfmt.TypeProtoDelim),
	expfmt.NewFormat(expfmt.TypeTextPlain) + "; escaping=underscores",
	expfmt.NewFormat(expfmt.TypeTextPlain) + "; escaping=allow-utf-8",
}

func TestRenderMatchesRegistry(t *testing.T) {
	g := prometheus.NewDesc("zerto_test_gauge", "A gauge\nwith \\ \"odd\" help.", []string{"vpg", "b", "a"}, nil)
	c := prometheus.NewDesc("zerto_test_bytes_total", "A counter.", []string{"vm"}, prometheus.Labels{"site": "x\"y"})
	c2 := prometheus.NewDesc("zerto_test_nosuffix", "A counter without _total.", nil, nil)
	up := prometheus.NewDesc("zerto_up", "Up.", nil, nil)
	dup := prometheus.NewDesc("zerto_test_dup", "Duplicated.", []string{"x"}, nil)
	shared1 := prometheus.NewDesc("zerto_test_shared", "Same name.", []string{"x"}, nil)
	shared2 := prometheus.NewDesc("zerto_test_shared", "Same name, other help.", []string{"x"}, nil)
	utf := prometheus.NewDesc("zerto.test.utf8", "Needs quoting.", []string{"l"}, nil)
	hist := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "zerto_test_seconds", Help: "H."}, []string{"endpoint"})
	hist.WithLabelValues("/v1/vms").Observe(0.3)
	values := []float64{0, 1, -1, 2, 0.5, 1e21, 1e-7, 123456789, math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 3.0}
	labels := []string{"", "plain", "q\"uote", "back\\slash", "new\nline", "ünïcode", "zzz", "a"}
	cs := []prometheus.Collector{hist, emit(func(ch chan<- prometheus.Metric) {
		ch <- MustNewConstMetric(up, prometheus.GaugeValue, 1)
		for i, v := range values {
			for j, l := range labels {
				ch <- MustNewConstMetric(g, prometheus.GaugeValue, v, l, labels[(i+j)%len(labels)], strconv.Itoa(i))
			}
			ch <- MustNewConstMetric(c, prometheus.CounterValue, v, labels[i%len(labels)]+string(rune('a'+i)))
		}
		ch <- MustNewConstMetric(c2, prometheus.CounterValue, 7)
		ch <- MustNewConstMetric(dup, prometheus.GaugeValue, 1, "same")
		ch <- MustNewConstMetric(dup, prometheus.GaugeValue, 2, "same")
		ch <- MustNewConstMetric(shared1, prometheus.GaugeValue, 1, "one")
		ch <- MustNewConstMetric(shared2, prometheus.GaugeValue, 2, "two")
		ch <- MustNewConstMetric(utf, prometheus.GaugeValue, 2, "v")
		ch <- prometheus.MustNewConstMetric(g, prometheus.GaugeValue, 9, "foreign", "x", "y")
	})}
	for _, f := range formats {
		got, _ := renderBytes(f, cs...)
		want := reference(t, f, cs...)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: RenderTo differs from registry+expfmt\n--- got\n%s\n--- want\n%s", f, got, want)
		}
	}
}

func TestMustNewConstMetricPanicsLikePrometheus(t *testing.T) {
	d := prometheus.NewDesc("zerto_test_panics", "P.", []string{"a"}, nil)
	for _, lv := range [][]string{{}, {"a", "b"}, {"\xff"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("labels %q: no panic", lv)
				}
			}()
			MustNewConstMetric(d, prometheus.GaugeValue, 1, lv...)
		}()
	}
}

func TestAppendEscaped(t *testing.T) {
	naive := func(s string) string {
		return strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`).Replace(s)
	}
	alphabet := []byte("ab\\\n\"\x00\x7f\x80\xffz")
	check := func(s string) {
		if got, want := string(appendEscaped([]byte("x"), s)), "x"+naive(s); got != want {
			t.Fatalf("appendEscaped(%q) = %q, want %q", s, got, want)
		}
	}
	for n := 0; n <= 20; n++ {
		for pos := 0; pos < n; pos++ {
			for _, c := range alphabet {
				b := []byte(strings.Repeat("v", n))
				b[pos] = c
				check(string(b))
				b[n-1-pos] = '"'
				check(string(b))
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			if r.IntN(8) == 0 {
				b[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				b[i] = byte(r.IntN(256))
			}
		}
		check(string(b))
	}
}

// TestCacheFollowsDescriptors: what fastexpo learns about a descriptor stays while the descriptor
// is in use and goes once it is garbage collected, so that descriptors built per /probe target
// do not accumulate over target rebuilds.
func TestCacheFollowsDescriptors(t *testing.T) {
	entries := func() int {
		n := 0
		descs.Range(func(any, any) bool { n++; return true })
		return n
	}
	base := entries()
	kept := prometheus.NewDesc("zerto_test_kept", "Kept.", []string{"x"}, nil)
	render := func(d *prometheus.Desc) {
		for _, f := range formats {
			if _, err := renderBytes(f, emit(func(ch chan<- prometheus.Metric) {
				ch <- MustNewConstMetric(d, prometheus.GaugeValue, 1, "a")
			})); err != nil {
				t.Fatal(err)
			}
		}
	}
	render(kept)
	const dropped = 100
	held := make([]*prometheus.Desc, dropped)
	for i := range held {
		held[i] = prometheus.NewDesc("zerto_test_dropped_"+strconv.Itoa(i), "Dropped.", []string{"x"}, nil)
		render(held[i])
	}
	runtime.GC()
	if n := entries(); n < base+1+dropped {
		t.Fatalf("%d cache entries after rendering %d descriptors, want at least %d", n, 1+dropped, base+1+dropped)
	}
	runtime.KeepAlive(held)
	for range 50 {
		runtime.GC()
		if entries() <= base+1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := entries(); n > base+1 {
		t.Errorf("%d cache entries after the %d dropped descriptors were collected, want %d", n, dropped, base+1)
	}
	if _, ok := descs.Load(weak.Make(kept)); !ok {
		t.Error("the entry of a descriptor still in use was dropped")
	}
	runtime.KeepAlive(kept)
}

// renderBytes is RenderTo into a buffer.
func renderBytes(format expfmt.Format, cs ...prometheus.Collector) ([]byte, error) {
	var buf bytes.Buffer
	err := RenderTo(&buf, format, cs...)
	return buf.Bytes(), err
}
