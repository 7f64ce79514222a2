package e2e

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// expected are a VPG's figures computed from the model, step by step, without the report's code.
type expected struct {
	rpoTarget, compliance, worst, completeness float64
	worstAt                                    time.Time
	breachSteps, episodes                      int
	journal                                    *float64
	encEpisodes                                int
}

// expect computes a VPG's RPO, completeness, journal and encryption figures over steps 1..n: a
// step's RPO is the worst of the VPG's samples there (both ZVMs), its target the least.
func (h *history) expect(vpg string) expected {
	var e expected
	judged, within, withData, jJudged, jWithin := 0, 0, 0, 0, 0
	inBreach, inEnc := false, false
	pick := func(name string, i int, better func(a, b float64) bool) (float64, bool) {
		var v float64
		found := false
		for _, s := range h.series {
			if s.name != name || s.labels["vpg"] != vpg || s.labels["job"] != "zerto" {
				continue
			}
			if x, ok := s.value(i); ok && (!found || better(x, v)) {
				v, found = x, true
			}
		}
		return v, found
	}
	larger := func(a, b float64) bool { return a > b }
	smaller := func(a, b float64) bool { return a < b }
	for i := 1; i <= h.n; i++ {
		rpo, hasRPO := pick("zerto_vpg_actual_rpo_seconds", i, larger)
		target, hasTarget := pick("zerto_vpg_rpo_target_seconds", i, smaller)
		breach := false
		if hasRPO {
			withData++
			if rpo > e.worst || withData == 1 {
				e.worst, e.worstAt = rpo, time.Unix(int64(h.ts(i)), 0).UTC()
			}
		}
		if hasRPO && hasTarget {
			judged++
			e.rpoTarget = target
			if rpo > target {
				breach = true
				e.breachSteps++
			} else {
				within++
			}
		}
		if breach && !inBreach {
			e.episodes++
		}
		inBreach = breach
		jt, okT := pick("zerto_vpg_journal_history_target_seconds", i, larger)
		j, okJ := pick("zerto_vpg_journal_history_seconds", i, smaller)
		if okT && okJ {
			jJudged++
			if j >= 0.75*jt {
				jWithin++
			}
		}
		enc, _ := pick("zerto_vpg_encryption_suspected", i, larger)
		if enc == 1 && !inEnc {
			e.encEpisodes++
		}
		inEnc = enc == 1
	}
	e.compliance = float64(within) / float64(judged)
	e.completeness = float64(withData) / float64(h.n)
	if jJudged > 0 {
		r := float64(jWithin) / float64(jJudged)
		e.journal = &r
	}
	return e
}

// pct and dur format as the report's documentation says: percentages with three decimals,
// durations in whole days, hours, minutes and seconds.
func pct(r float64) string { return fmt.Sprintf("%.3f %%", r*100) }

func dur(sec float64) string {
	s := int64(math.Round(sec))
	if s == 0 {
		return "0s"
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
	return strings.Join(parts, " ")
}
