package report

import (
	"fmt"
	"maps"
	"strings"
	"time"
)

// VerdictRule is the rule of the overall verdict, stated in every format.
const VerdictRule = "FAIL when any VPG fails an objective (RPO, journal history, failover test, RTO) without an approved, unexpired exception; " +
	"ATTENTION when none fails but an objective is covered by an exception or cannot be judged for lack of data, a VPG's data is incomplete, " +
	"or Zerto suspected encryption on a VPG in the period; PASS otherwise."

// judge applies the policy to every VPG, then writes the summary.
func judge(r *Report, p *Policy) {
	end := r.Period.End
	uses := make([]ExceptionUse, len(p.Exceptions))
	for i, e := range p.Exceptions {
		uses[i] = ExceptionUse{Exception: e, Expired: e.expiredBy(end), VPGs: []string{}}
	}
	for i := range r.VPGs {
		v := &r.VPGs[i]
		judgeTesting(v, p, end)
		judgeObjectives(v, p)
		applyException(v, p, uses)
	}
	r.Exceptions = uses
	r.Summary = summarize(r)
}

// judgeTesting sets the test interval, test status, next due date and RTO status.
func judgeTesting(v *VPG, p *Policy, end time.Time) {
	rto, interval := p.vpgTargets(v.VPG)
	switch {
	case interval > 0:
		v.TestIntervalSeconds = interval.Seconds()
	case v.TestIntervalSeconds <= 0:
		v.TestIntervalSeconds = p.TestInterval.Seconds()
	}
	if rto > 0 {
		s := rto.Seconds()
		v.RTOTargetSeconds = &s
	}
	if v.LastTest == nil {
		v.TestStatus = TestNever
	} else {
		due := v.LastTest.Add(time.Duration(v.TestIntervalSeconds * float64(time.Second)))
		v.NextTestDue = &due
		v.TestStatus = TestOK
		if due.Before(end) {
			v.TestStatus = TestOverdue
		}
	}
	switch {
	case v.LastRTOSeconds == nil || v.RTOTargetSeconds == nil:
		v.RTOStatus = RTOUnknown
	case *v.LastRTOSeconds > *v.RTOTargetSeconds:
		v.RTOStatus = RTOBreach
	default:
		v.RTOStatus = RTOOK
	}
}

// judgeObjectives writes the VPG's four objective rows.
func judgeObjectives(v *VPG, p *Policy) {
	ratioStatus := func(r *float64) string {
		switch {
		case r == nil:
			return StatusUnknown
		case *r >= p.RPOObjective:
			return StatusPass
		}
		return StatusFail
	}
	rpo := ObjectiveResult{Objective: ObjectiveRPO, Status: ratioStatus(v.RPOComplianceRatio),
		Target:   fmt.Sprintf("RPO <= %s for %s of the period", optDuration(v.RPOTargetSeconds), Percent(p.RPOObjective)),
		Achieved: fmt.Sprintf("%s within target; worst %s", optPercent(v.RPOComplianceRatio), optDuration(v.WorstRPOSeconds))}
	journal := ObjectiveResult{Objective: ObjectiveJournal, Status: ratioStatus(v.JournalComplianceRatio),
		Target:   fmt.Sprintf("history >= %s of %s for %s of the period", Percent(p.JournalRatio), optDuration(v.JournalTargetSeconds), Percent(p.RPOObjective)),
		Achieved: fmt.Sprintf("%s at or above; least %s", optPercent(v.JournalComplianceRatio), optDuration(v.JournalMinSeconds))}
	test := ObjectiveResult{Objective: ObjectiveTest, Status: StatusPass,
		Target:   "successful failover test every " + Duration(v.TestIntervalSeconds),
		Achieved: v.TestStatus + "; last " + optTime(v.LastTest)}
	if v.TestStatus != TestOK {
		test.Status = StatusFail
	}
	rto := ObjectiveResult{Objective: ObjectiveRTO, Target: "RTO <= " + optDuration(v.RTOTargetSeconds),
		Achieved: "last successful test " + optDuration(v.LastRTOSeconds)}
	switch v.RTOStatus {
	case RTOOK:
		rto.Status = StatusPass
	case RTOBreach:
		rto.Status = StatusFail
	default:
		rto.Status = StatusUnknown
	}
	v.Objectives = []ObjectiveResult{rpo, journal, test, rto}
}

// applyException marks the failing or unjudged objectives an exception covers as excepted. Every
// exception that covers the VPG lists it; the first one in force applies, an expired one changes
// nothing.
func applyException(v *VPG, p *Policy, uses []ExceptionUse) {
	labels := map[string]string{"vpg": v.VPG, "vpg_id": v.VPGID, "protected_site": v.Site, "recovery_site": v.RecoverySite}
	maps.Copy(labels, v.Labels)
	for i := range p.Exceptions {
		e := &p.Exceptions[i]
		if !e.covers(labels) {
			continue
		}
		uses[i].VPGs = append(uses[i].VPGs, v.VPG)
		if uses[i].Expired || v.Exception != nil {
			continue
		}
		ex := *e
		v.Exception = &ex
		for j := range v.Objectives {
			o := &v.Objectives[j]
			if e.coversObjective(o.Objective) {
				o.Exception = fmt.Sprintf("%s (approved by %s until %s)", e.Reason, e.ApprovedBy, e.Until)
				if o.Status != StatusPass {
					o.Status = StatusExcepted
				}
			}
		}
	}
}

// summarize counts the objectives and decides the verdict by VerdictRule.
func summarize(r *Report) Summary {
	s := Summary{VPGs: len(r.VPGs), Meeting: map[string]int{}, Failing: map[string]int{}, Excepted: map[string]int{}, Unknown: map[string]int{}}
	for _, o := range objectives {
		s.Meeting[o], s.Failing[o], s.Excepted[o], s.Unknown[o] = 0, 0, 0, 0
	}
	for _, v := range r.VPGs {
		for _, o := range v.Objectives {
			switch o.Status {
			case StatusPass:
				s.Meeting[o.Objective]++
			case StatusFail:
				s.Failing[o.Objective]++
			case StatusExcepted:
				s.Excepted[o.Objective]++
			default:
				s.Unknown[o.Objective]++
			}
		}
		if v.Partial {
			s.PartialData++
		}
		if v.EncryptionEpisodes > 0 {
			s.EncryptionVPGs++
		}
		if v.ProtectedVMs != nil {
			s.ProtectedVMs += *v.ProtectedVMs
		}
	}
	for _, site := range r.Sites {
		s.UnprotectedVMs += site.UnprotectedVMs
	}
	s.Verdict = VerdictPass
	s.Reasons = []string{}
	for _, o := range objectives {
		if n := s.Failing[o]; n > 0 {
			s.Verdict = VerdictFail
			s.Reasons = append(s.Reasons, fmt.Sprintf("%d VPG(s) fail the %s objective", n, objectiveNoun(o)))
		}
	}
	attention := func(n int, format string) {
		if n == 0 {
			return
		}
		if s.Verdict == VerdictPass {
			s.Verdict = VerdictAttention
		}
		s.Reasons = append(s.Reasons, fmt.Sprintf(format, n))
	}
	excepted, unknown := 0, 0
	for _, o := range objectives {
		excepted += s.Excepted[o]
		unknown += s.Unknown[o]
	}
	attention(excepted, "%d objective(s) covered by an exception")
	attention(unknown, "%d objective(s) cannot be judged for lack of data")
	attention(s.PartialData, "%d VPG(s) with incomplete data")
	attention(s.EncryptionVPGs, "%d VPG(s) with an encryption suspicion")
	return s
}

// ObjectiveTitle is an objective's name as a table heading.
func ObjectiveTitle(o string) string {
	switch o {
	case ObjectiveRPO:
		return "RPO"
	case ObjectiveJournal:
		return "Journal history"
	case ObjectiveTest:
		return "Failover test"
	case ObjectiveRTO:
		return "RTO"
	}
	return o
}

// objectiveNoun is an objective's name within a sentence.
func objectiveNoun(o string) string {
	t := ObjectiveTitle(o)
	if t == strings.ToUpper(t) {
		return t
	}
	return strings.ToLower(t)
}
