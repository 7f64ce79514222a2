package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var htmlTemplate string

// htmlFuncs are the template's formatting functions: the same as the PDF's and the CSV's.
var htmlFuncs = template.FuncMap{
	"percent":     Percent,
	"optPercent":  optPercent,
	"duration":    Duration,
	"optDuration": optDuration,
	"time":        Time,
	"optTime":     optTime,
	"count":       Count,
	"optCount":    optCount,
	"minutes":     Minutes,
	"title":       ObjectiveTitle,
	"upper":       strings.ToUpper,
	"chart":       rpoChart,
	"labels":      labelString,
	"objectives":  func() []string { return objectives },
	"rfc3339":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
}

var reportTemplate = template.Must(template.New("report").Funcs(htmlFuncs).Parse(htmlTemplate))

// WriteHTML writes report.html: one self-contained page with inline CSS and SVG, no script.
func WriteHTML(w io.Writer, r *Report) error {
	return reportTemplate.Execute(w, r)
}

// Breached are the VPGs with at least one RPO breach, whose RPO the report charts.
func (r *Report) Breached() []VPG {
	var out []VPG
	for _, v := range r.VPGs {
		if v.RPOBreachEpisodes > 0 {
			out = append(out, v)
		}
	}
	return out
}

// Recoveries lists every failover test, failover and move of the period, by VPG.
func (r *Report) Recoveries() []struct {
	VPG string
	Recovery
} {
	var out []struct {
		VPG string
		Recovery
	}
	for _, v := range r.VPGs {
		for _, list := range [][]Recovery{v.Tests, v.Failovers, v.Moves} {
			for _, rec := range list {
				out = append(out, struct {
					VPG string
					Recovery
				}{v.VPG, rec})
			}
		}
	}
	return out
}

func labelString(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%q", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// rpoChart draws a VPG's worst RPO per bucket over the period against its target, as inline SVG.
func rpoChart(v VPG) template.HTML {
	const w, h, left, bottom, top = 720.0, 180.0, 64.0, 28.0, 10.0
	n := len(v.chart)
	x, y, maxY := v.chartScale(left, top, w-left-8, h-top-bottom)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="chart-%s-title">`, w, h, template.HTMLEscapeString(v.VPGID))
	fmt.Fprintf(&b, `<title id="chart-%s-title">Worst actual RPO of VPG %s over the period against its target</title>`, template.HTMLEscapeString(v.VPGID), template.HTMLEscapeString(v.VPG))
	fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" class="plot"/>`, left, top, w-left-8, h-top-bottom)
	for _, frac := range []float64{0, 0.5, 1} {
		val := maxY / 1.1 * frac
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="grid"/><text x="%.1f" y="%.1f" class="axis" text-anchor="end">%s</text>`,
			left, w-8, y(val), y(val), left-4, y(val)+4, Duration(val))
	}
	var rpo, target []string
	for i, p := range v.chart {
		if !p.Has {
			if len(rpo) > 0 {
				fmt.Fprintf(&b, `<polyline class="rpo" points="%s"/>`, strings.Join(rpo, " "))
			}
			rpo = rpo[:0]
			continue
		}
		rpo = append(rpo, fmt.Sprintf("%.1f,%.1f", x(i), y(p.RPO)))
		target = append(target, fmt.Sprintf("%.1f,%.1f", x(i), y(p.Target)))
	}
	if len(rpo) > 0 {
		fmt.Fprintf(&b, `<polyline class="rpo" points="%s"/>`, strings.Join(rpo, " "))
	}
	if len(target) > 0 {
		fmt.Fprintf(&b, `<polyline class="target" points="%s"/>`, strings.Join(target, " "))
	}
	if n > 0 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="axis">%s</text><text x="%.1f" y="%.1f" class="axis" text-anchor="end">%s</text>`,
			left, h-8, v.chart[0].T.Format("2006-01-02"), w-8, h-8, v.chart[n-1].T.Format("2006-01-02"))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // built from numbers and escaped names
}

// chartScale maps a VPG's chart onto a plot area at (left, top) of width w and height h: bucket
// index to x, seconds to y. The value axis reaches 10 % above the largest RPO or target, maxY.
func (v VPG) chartScale(left, top, w, h float64) (x func(int) float64, y func(float64) float64, maxY float64) {
	for _, p := range v.chart {
		maxY = math.Max(maxY, math.Max(p.RPO, p.Target))
	}
	if maxY <= 0 {
		maxY = 1
	}
	maxY *= 1.1
	n := len(v.chart)
	x = func(i int) float64 { return left + w*float64(i)/float64(max(1, n-1)) }
	y = func(val float64) float64 { return top + h*(1-val/maxY) }
	return x, y, maxY
}
