package report

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// The formatting of figures, shared by the HTML, the PDF and the CSV so that they print the same
// numbers: ratios as percentages with three decimals, durations in seconds, minutes, hours and
// days, times in UTC to the minute.

// Percent formats a ratio as a percentage with three decimals.
func Percent(r float64) string { return fmt.Sprintf("%.3f %%", r*100) }

func optPercent(r *float64) string {
	if r == nil {
		return "n/a"
	}
	return Percent(*r)
}

// Duration formats seconds as the largest units that keep it exact to the second, e.g. 1h 5m 3s.
func Duration(sec float64) string {
	if math.IsNaN(sec) || math.IsInf(sec, 0) {
		return "n/a"
	}
	s := int64(math.Round(sec))
	if s == 0 {
		return "0s"
	}
	neg := s < 0
	if neg {
		s = -s
	}
	var parts []string
	for _, u := range []struct {
		n    int64
		name string
	}{{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}} {
		if s >= u.n {
			parts = append(parts, fmt.Sprintf("%d%s", s/u.n, u.name))
			s %= u.n
		}
	}
	out := strings.Join(parts, " ")
	if neg {
		out = "-" + out
	}
	return out
}

func optDuration(sec *float64) string {
	if sec == nil {
		return "n/a"
	}
	return Duration(*sec)
}

// Time formats a time in UTC to the minute.
func Time(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func optTime(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return Time(*t)
}

// Count formats a count of things (VMs) without decimals.
func Count(n float64) string { return fmt.Sprintf("%.0f", n) }

func optCount(n *float64) string {
	if n == nil {
		return "n/a"
	}
	return Count(*n)
}

// Minutes formats seconds as minutes with one decimal.
func Minutes(sec float64) string { return fmt.Sprintf("%.1f", sec/60) }
