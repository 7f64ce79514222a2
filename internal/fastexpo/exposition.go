// Package fastexpo renders const gauges and counters into the text and OpenMetrics formats
// without going through client_model protobufs, producing the same bytes as a
// prometheus.Registry's Gather followed by expfmt's encoder.
//
// At 10,000 VMs a snapshot yields about 170,000 series. Building them with
// prometheus.MustNewConstMetric, gathering them through a registry (Write into a dto.Metric each,
// consistency hashing, sorting dto label pairs) and encoding the dto families costs about half a
// second of CPU and 200 MB of garbage per snapshot. Here a series is a descriptor, a value and
// its label values; each (descriptor, format) pair is encoded once by expfmt itself with
// placeholder label values, and that template is then filled in for every series. Everything
// the fast path does not handle (histograms, other metric types, foreign prometheus.Metric
// implementations, names that need escaping, duplicate series, inconsistent families, formats
// other than text and OpenMetrics 1.0) goes through a real registry and expfmt, as before.
package fastexpo

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"mime"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"weak"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// Metric is a const gauge or counter sample. It is a prometheus.Metric, so it can be sent on any
// collector channel and registered anywhere; RenderTo writes it without building a dto.Metric.
type Metric struct {
	desc   *prometheus.Desc
	typ    prometheus.ValueType
	value  float64
	labels []string // variable label values, in the descriptor's order
	// inline holds the label values of a series with at most inlineLabels of them (most series:
	// VM name, id and VPG), so that the metric and its labels are one allocation.
	inline [inlineLabels]string
}

const inlineLabels = 3

// MustNewConstMetric is prometheus.MustNewConstMetric for gauges and counters, without building
// label pairs. It panics where prometheus.MustNewConstMetric panics (wrong label count, label
// values that are not UTF-8), and returns a plain const metric for other value types or
// descriptors it cannot template. labels is copied.
func MustNewConstMetric(desc *prometheus.Desc, typ prometheus.ValueType, value float64, labels ...string) prometheus.Metric {
	if typ != prometheus.GaugeValue && typ != prometheus.CounterValue {
		return prometheus.MustNewConstMetric(desc, typ, value, labels...)
	}
	info := entry(desc, len(labels)).info
	if info == nil || info.nLabels != len(labels) {
		return prometheus.MustNewConstMetric(desc, typ, value, labels...)
	}
	for _, l := range labels {
		if !utf8.ValidString(l) {
			return prometheus.MustNewConstMetric(desc, typ, value, labels...)
		}
	}
	m := &Metric{desc: desc, typ: typ, value: value}
	if len(labels) <= inlineLabels {
		m.labels = m.inline[:len(labels):len(labels)]
		copy(m.labels, labels)
	} else {
		m.labels = slices.Clone(labels)
	}
	return m
}

// Desc implements prometheus.Metric.
func (m *Metric) Desc() *prometheus.Desc { return m.desc }

// Write implements prometheus.Metric, for registries and other consumers.
func (m *Metric) Write(out *dto.Metric) error {
	cm, err := prometheus.NewConstMetric(m.desc, m.typ, m.value, m.labels...)
	if err != nil {
		return err
	}
	return cm.Write(out)
}

// descInfo is what a descriptor's family looks like to a registry: its name and label count.
type descInfo struct {
	name    string
	nLabels int
}

// descEntry is everything learnt about one descriptor: its family (nil: not templatable) and its
// templates, built on first use.
type descEntry struct {
	info      *descInfo
	templates sync.Map // templateKey → *template (nil: not templatable)
	// samples is how many samples the descriptor's family had in the last RenderTo: the next
	// one's capacity, as a snapshot has about as many series as the one before.
	samples atomic.Int64
	recent  *recentEntry // this entry as a slot of recent holds it
}

// descs caches a descEntry per descriptor. It is keyed by a weak pointer and the entry is
// deleted when its descriptor is garbage collected, so the cache holds the descriptors of the
// collectors that exist, not of every collector ever built: a /probe target that is dropped
// (idle expiry, config reload) takes its descriptors' templates with it.
var descs sync.Map // weak.Pointer[prometheus.Desc] → *descEntry

// recent remembers entry's answer for recently used descriptors: a lookup in descs needs a weak
// pointer, and weak.Make searches the descriptor's span for its handle, which at 220,000 series
// per exposition was 7 % of a refresh and scrape's CPU. A slot holds a weak pointer, so it never
// answers for another descriptor at a reused address, and keeps at most len(recent) entries of
// dropped descriptors. An entry's slot value is made once, with the entry, so that descriptors
// taking turns in one slot cost lookups but no allocations.
var (
	recent     [512]atomic.Pointer[recentEntry]
	recentSeed = maphash.MakeSeed()
)

type recentEntry struct {
	desc  weak.Pointer[prometheus.Desc]
	entry *descEntry
}

// entry returns desc's entry, gathering one sample of desc with n placeholder labels through a
// registry to learn its family on first use.
func entry(desc *prometheus.Desc, n int) *descEntry {
	slot := &recent[maphash.Comparable(recentSeed, desc)%uint64(len(recent))]
	if r := slot.Load(); r != nil && r.desc.Value() == desc {
		return r.entry
	}
	e := lookup(desc, weak.Make(desc), n)
	slot.Store(e.recent)
	return e
}

// lookup returns desc's entry in descs (k is its key), adding it on first use.
func lookup(desc *prometheus.Desc, k weak.Pointer[prometheus.Desc], n int) *descEntry {
	if v, ok := descs.Load(k); ok {
		return v.(*descEntry)
	}
	e := &descEntry{}
	e.recent = &recentEntry{desc: k, entry: e}
	if mf := probe(desc, prometheus.GaugeValue, n); mf != nil {
		e.info = &descInfo{name: mf.GetName(), nLabels: n}
	}
	if v, loaded := descs.LoadOrStore(k, e); loaded {
		return v.(*descEntry)
	}
	runtime.AddCleanup(desc, func(k weak.Pointer[prometheus.Desc]) { descs.Delete(k) }, k)
	return e
}

// placeholder stands for label value i in a template; "\x00" is never escaped by expfmt.
func placeholder(i int) string { return "\x00" + strconv.Itoa(i) + "\x00" }

// probe gathers a single sample of desc with placeholder labels, or returns nil.
func probe(desc *prometheus.Desc, typ prometheus.ValueType, n int) *dto.MetricFamily {
	lv := make([]string, n)
	for i := range lv {
		lv[i] = placeholder(i)
	}
	m, err := prometheus.NewConstMetric(desc, typ, 0, lv...)
	if err != nil {
		return nil
	}
	reg := prometheus.NewRegistry()
	if err := reg.Register(metricsCollector{m}); err != nil {
		return nil
	}
	mfs, err := reg.Gather()
	if err != nil || len(mfs) != 1 || len(mfs[0].Metric) != 1 {
		return nil
	}
	return mfs[0]
}

// metricsCollector replays metrics; it is unchecked (describes nothing).
type metricsCollector []prometheus.Metric

func (metricsCollector) Describe(chan<- *prometheus.Desc) {}
func (c metricsCollector) Collect(ch chan<- prometheus.Metric) {
	for _, m := range c {
		ch <- m
	}
}

// template is one family's encoding in one format: the header lines, then a sample line cut at
// the label value placeholders (parts[0] v[order[0]] parts[1] ... parts[n]) and before the value.
type template struct {
	header []byte
	parts  [][]byte
	order  []int // label value index for each gap, in the family's label pair order
	om     bool  // OpenMetrics float format
}

type templateKey struct {
	typ    prometheus.ValueType
	format expfmt.Format
}

// template returns the template of e's descriptor desc for typ and format, building it on first
// use.
func (e *descEntry) template(desc *prometheus.Desc, typ prometheus.ValueType, format expfmt.Format, n int) *template {
	k := templateKey{typ, format}
	if v, ok := e.templates.Load(k); ok {
		return v.(*template)
	}
	v, _ := e.templates.LoadOrStore(k, buildTemplate(desc, typ, format, n))
	return v.(*template)
}

func buildTemplate(desc *prometheus.Desc, typ prometheus.ValueType, format expfmt.Format, n int) *template {
	mf := probe(desc, typ, n)
	if mf == nil {
		return nil
	}
	var buf bytes.Buffer
	if err := expfmt.NewEncoder(&buf, format).Encode(mf); err != nil {
		return nil
	}
	b := buf.Bytes()
	// The sample is the last line; it ends in " 0\n" (text) or " 0.0\n" (OpenMetrics).
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return nil
	}
	start := bytes.LastIndexByte(b[:len(b)-1], '\n') + 1
	line := b[start : len(b)-1]
	t := &template{header: bytes.Clone(b[:start]), om: format.FormatType() == expfmt.TypeOpenMetrics}
	zero := " 0"
	if t.om {
		zero = " 0.0"
	}
	if !bytes.HasSuffix(line, []byte(zero)) || bytes.Count(t.header, []byte{0}) != 0 {
		return nil
	}
	line = line[:len(line)-len(zero)+1] // keep the space
	for {
		i := bytes.IndexByte(line, 0)
		if i < 0 {
			break
		}
		j := bytes.IndexByte(line[i+1:], 0)
		if j < 0 {
			return nil
		}
		idx, err := strconv.Atoi(string(line[i+1 : i+1+j]))
		if err != nil || idx < 0 || idx >= n || slices.Contains(t.order, idx) {
			return nil
		}
		t.parts = append(t.parts, bytes.Clone(line[:i]))
		t.order = append(t.order, idx)
		line = line[i+1+j+1:]
	}
	if len(t.order) != n {
		return nil
	}
	t.parts = append(t.parts, bytes.Clone(line))
	return t
}

// Supported reports whether RenderTo's fast path handles format: the text format, and
// OpenMetrics before 2.0. RenderTo is correct for every format; others just take the slow path.
func Supported(format expfmt.Format) bool {
	switch format.FormatType() {
	case expfmt.TypeTextPlain:
		return true
	case expfmt.TypeOpenMetrics:
		_, params, err := mime.ParseMediaType(string(format))
		if err != nil {
			return false
		}
		v := params["version"]
		return v == "" || v == expfmt.OpenMetricsVersion_0_0_1 || v == expfmt.OpenMetricsVersion_1_0_0
	}
	return false
}

// family is the fast-path samples of one metric name.
type family struct {
	name    string
	desc    *prometheus.Desc
	typ     prometheus.ValueType
	tmpl    *template
	entry   *descEntry
	samples []*Metric
	slow    bool // must go through the registry
}

// RenderTo collects cs and writes their metrics to w in format, as a registry's Gather followed
// by expfmt.NewEncoder would, without the closing "# EOF" of OpenMetrics. Like promhttp's
// ContinueOnError, a gathering error is returned together with everything that could be encoded.
// A *bytes.Buffer is grown once to the expected size; any other writer is written through a
// buffer, so that the exposition can be compressed as it is built without being held whole. An
// error writing to w is returned only if there was no gathering error.
//
// Metrics of the fast path are grouped into families by name and filled into their templates;
// every other metric, and every family the templates cannot render exactly as a registry would,
// goes through a registry and expfmt. Both kinds of families are then written in name order.
func RenderTo(w io.Writer, format expfmt.Format, cs ...prometheus.Collector) error {
	fams, rest := partition(collect(cs), format)
	ordered, rest := sortFamilies(fams, rest)
	mfs, ordered, gatherErr := gatherRest(rest, ordered)
	if err := encode(w, format, ordered, mfs); err != nil && gatherErr == nil {
		return err
	}
	return gatherErr
}

// collect runs every collector of cs concurrently, as a registry does, and returns the channel
// their metrics arrive on; it is closed once all of them returned.
func collect(cs []prometheus.Collector) <-chan prometheus.Metric {
	ch := make(chan prometheus.Metric, 4096)
	go func() {
		var wg sync.WaitGroup
		for _, c := range cs {
			wg.Go(func() { c.Collect(ch) })
		}
		wg.Wait()
		close(ch)
	}()
	return ch
}

// partition groups the fast-path metrics of ch into families by name and returns them with
// every other metric. A family is marked slow when its descriptor has no template for format or
// when its metrics do not share one descriptor and value type.
func partition(ch <-chan prometheus.Metric, format expfmt.Format) (map[string]*family, []prometheus.Metric) {
	fast := Supported(format)
	fams := map[string]*family{}
	entries := map[*prometheus.Desc]*descEntry{} // one weak-pointer lookup per descriptor
	var rest []prometheus.Metric
	for m := range ch {
		fm, ok := m.(*Metric)
		if !ok || !fast {
			rest = append(rest, m)
			continue
		}
		e := entries[fm.desc]
		if e == nil {
			e = entry(fm.desc, len(fm.labels))
			entries[fm.desc] = e
		}
		name := e.info.name
		f := fams[name]
		if f == nil {
			f = &family{name: name, desc: fm.desc, typ: fm.typ, entry: e,
				tmpl:    e.template(fm.desc, fm.typ, format, len(fm.labels)),
				samples: make([]*Metric, 0, e.samples.Load())}
			f.slow = f.tmpl == nil
			fams[name] = f
		}
		if f.desc != fm.desc || f.typ != fm.typ {
			f.slow = true
		}
		f.samples = append(f.samples, fm)
	}
	for _, f := range fams {
		f.entry.samples.Store(int64(len(f.samples)))
	}
	return fams, rest
}

// sortFamilies sorts the samples of each family as a registry does and returns the families the
// fast path writes, in name order. The samples of slow families, and of families with duplicate
// series, are added to rest.
func sortFamilies(fams map[string]*family, rest []prometheus.Metric) ([]*family, []prometheus.Metric) {
	var ordered []*family
	for _, f := range fams {
		if !f.slow {
			sortSamples(f)
			f.slow = hasDuplicates(f)
		}
		if f.slow {
			rest = appendSamples(rest, f)
			continue
		}
		ordered = append(ordered, f)
	}
	slices.SortFunc(ordered, func(a, b *family) int { return strings.Compare(a.name, b.name) })
	return ordered, rest
}

// gatherRest gathers rest through a registry. A family of rest that shares its name with a fast
// one takes the fast one's samples along and gathering starts again, so that the registry merges
// them or reports the inconsistency. It returns the gathered families, the fast families left
// and the registry's error.
func gatherRest(rest []prometheus.Metric, ordered []*family) ([]*dto.MetricFamily, []*family, error) {
	for len(rest) > 0 {
		reg := prometheus.NewRegistry()
		reg.MustRegister(metricsCollector(rest))
		mfs, err := reg.Gather()
		collided := false
		for _, mf := range mfs {
			if i := slices.IndexFunc(ordered, func(f *family) bool { return f.name == mf.GetName() }); i >= 0 {
				rest = appendSamples(rest, ordered[i])
				ordered = slices.Delete(ordered, i, i+1)
				collided = true
			}
		}
		if !collided {
			return mfs, ordered, err
		}
	}
	return nil, ordered, nil
}

func appendSamples(rest []prometheus.Metric, f *family) []prometheus.Metric {
	for _, m := range f.samples {
		rest = append(rest, m)
	}
	return rest
}

// encode writes the fast families and the gathered ones to w, merged in name order, and returns
// the first error writing to w.
func encode(w io.Writer, format expfmt.Format, ordered []*family, mfs []*dto.MetricFamily) error {
	if b, ok := w.(*bytes.Buffer); ok {
		b.Grow(expectedSize(ordered))
	}
	out := &writer{w: w, buf: make([]byte, 0, flushSize+flushSize/4)}
	enc := expfmt.NewEncoder(out, format)
	for len(ordered) > 0 || len(mfs) > 0 {
		if len(mfs) > 0 && (len(ordered) == 0 || mfs[0].GetName() < ordered[0].name) {
			_ = enc.Encode(mfs[0]) // a malformed family is skipped, as a registry's handler does
			mfs = mfs[1:]
			continue
		}
		writeFamily(out, ordered[0])
		ordered = ordered[1:]
	}
	return out.flush()
}

// expectedSize is about the length of the fast families' exposition: the templates and label
// values as they are, and valueWidth bytes per value. Growing a buffer of tens of megabytes by
// doubling would leave as much garbage again.
func expectedSize(ordered []*family) int {
	const valueWidth = 12
	size := 0
	for _, f := range ordered {
		line := 1 + valueWidth
		for _, p := range f.tmpl.parts {
			line += len(p)
		}
		size += len(f.tmpl.header) + len(f.samples)*line
		for _, m := range f.samples {
			for _, l := range m.labels {
				size += len(l)
			}
		}
	}
	return size + size/64 // escaping, longer values, the slow families
}

// writer collects bytes in buf, appended to directly by writeFamily, and passes them on to w in
// chunks of about flushSize.
type writer struct {
	w   io.Writer
	buf []byte
	err error
}

const flushSize = 64 << 10

func (o *writer) Write(p []byte) (int, error) {
	o.buf = append(o.buf, p...)
	if len(o.buf) >= flushSize {
		_ = o.flush()
	}
	return len(p), nil
}

func (o *writer) flush() error {
	if len(o.buf) > 0 && o.err == nil {
		_, o.err = o.w.Write(o.buf)
	}
	o.buf = o.buf[:0]
	return o.err
}

// sortSamples orders samples as the registry does: by label values in label pair order. The sort
// is stable, so that of two duplicates the one collected first is kept, as by the registry.
// Samples that arrive in order, as collectors that walk their rows sorted send them, are checked
// in one pass and left as they are.
func sortSamples(f *family) {
	order := f.tmpl.order
	cmp := func(a, b *Metric) int {
		for _, i := range order {
			if c := strings.Compare(a.labels[i], b.labels[i]); c != 0 {
				return c
			}
		}
		return 0
	}
	if !slices.IsSortedFunc(f.samples, cmp) {
		slices.SortStableFunc(f.samples, cmp)
	}
}

func hasDuplicates(f *family) bool {
	for i := 1; i < len(f.samples); i++ {
		if slices.Equal(f.samples[i-1].labels, f.samples[i].labels) {
			return true
		}
	}
	return false
}

func writeFamily(out *writer, f *family) {
	t := f.tmpl
	last := t.parts[len(t.parts)-1]
	b := append(out.buf, t.header...)
	for _, m := range f.samples {
		for i, idx := range t.order {
			b = append(b, t.parts[i]...)
			b = appendEscaped(b, m.labels[idx])
		}
		b = append(b, last...)
		b = appendFloat(b, m.value, t.om)
		b = append(b, '\n')
		if len(b) >= flushSize {
			out.buf = b
			_ = out.flush()
			b = out.buf
		}
	}
	out.buf = b
}

// appendEscaped appends a label value as expfmt writes it: backslash, newline and double quote
// escaped. Runs of bytes that need no escaping are appended whole.
func appendEscaped(b []byte, s string) []byte {
	i := plainPrefix(s)
	if i == len(s) {
		return append(b, s...)
	}
	start := 0
	for ; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '\\':
			esc = `\\`
		case '\n':
			esc = `\n`
		case '"':
			esc = `\"`
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		start = i + 1
	}
	return append(b, s[start:]...)
}

// plainPrefix returns the length of the longest prefix of s without a byte that expfmt escapes
// (backslash, newline, double quote), testing eight bytes at a time.
func plainPrefix(s string) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// Some byte of x equals c iff x^(c*ones) has a zero byte, which the classic haszero
		// expression (v-ones)&^v&highs tells exactly; the loop below then finds the byte.
		a, b, c := x^('\\'*ones), x^('\n'*ones), x^('"'*ones)
		if ((a-ones)&^a|(b-ones)&^b|(c-ones)&^c)&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '\\' || c == '\n' || c == '"' {
			return i
		}
	}
	return i
}

// appendFloat formats f as expfmt's text (writeFloat) or OpenMetrics (writeOpenMetricsFloat)
// encoder does.
func appendFloat(b []byte, f float64, om bool) []byte {
	switch {
	case f == 1 && om:
		return append(b, "1.0"...)
	case f == 0 && om:
		return append(b, "0.0"...)
	case f == -1 && om:
		return append(b, "-1.0"...)
	case f == 1:
		return append(b, '1')
	case f == 0:
		return append(b, '0')
	case f == -1:
		return append(b, "-1"...)
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, +1):
		return append(b, "+Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	}
	n := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	if om && !bytes.ContainsAny(b[n:], "e.") {
		b = append(b, '.', '0')
	}
	return b
}

// String is for debugging.
func (m *Metric) String() string {
	return fmt.Sprintf("%s %v %v", m.desc, m.labels, m.value)
}
