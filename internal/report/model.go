// Package report turns a period of the exporter's Prometheus history into DR compliance evidence:
// per-VPG RPO, journal, failover-test and RTO figures with a pass/attention/fail verdict, written
// as HTML, PDF, CSV and JSON with a manifest of their hashes.
package report

import (
	"fmt"
	"strings"
	"time"
)

// Objective names, as the CSV's objective column and the JSON's objectives list spell them.
const (
	ObjectiveRPO     = "rpo"
	ObjectiveJournal = "journal_history"
	ObjectiveTest    = "failover_test"
	ObjectiveRTO     = "rto"
)

// Objective statuses.
const (
	StatusPass     = "pass"
	StatusFail     = "fail"
	StatusUnknown  = "unknown"
	StatusExcepted = "excepted"
)

// Overall verdicts of the executive summary.
const (
	VerdictPass      = "pass"
	VerdictAttention = "attention"
	VerdictFail      = "fail"
)

// Test statuses (test_status) and RTO statuses (rto_status).
const (
	TestOK      = "ok"
	TestOverdue = "overdue"
	TestNever   = "never"
	RTOOK       = "ok"
	RTOBreach   = "breach"
	RTOUnknown  = "unknown"
)

// Report is everything the report says; evidence.json is its JSON encoding, and every other
// format renders it.
type Report struct {
	Title          string         `json:"title"`
	GeneratedAt    time.Time      `json:"generated_at"`
	Version        string         `json:"version"`
	Period         Period         `json:"period"`
	PrometheusURL  string         `json:"prometheus_url"`
	Selector       string         `json:"selector"`
	ClusterLabels  []string       `json:"cluster_labels"`
	RecoverySource string         `json:"recovery_source"`
	Policy         PolicyInfo     `json:"policy"`
	Summary        Summary        `json:"summary"`
	VPGs           []VPG          `json:"vpgs"`
	Alerts         []AlertEpisode `json:"alert_episodes"`
	Repositories   []Repository   `json:"repositories"`
	Sites          []Site         `json:"sites"`
	Exceptions     []ExceptionUse `json:"exceptions"`
	Queries        []QueryInfo    `json:"queries"`
}

// Period is the reporting period: samples in (Start, End], evaluated every Step.
type Period struct {
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	StepSeconds float64   `json:"step_seconds"`
}

// Steps is the number of evaluation steps of the period.
func (p Period) Steps() int {
	return int(p.End.Sub(p.Start) / p.step())
}

func (p Period) step() time.Duration { return time.Duration(p.StepSeconds * float64(time.Second)) }

// PolicyInfo states the policy the figures were judged against.
type PolicyInfo struct {
	RPOObjective        float64 `json:"rpo_objective_ratio"`
	JournalHistoryRatio float64 `json:"journal_history_ratio"`
	TestIntervalSeconds float64 `json:"default_test_interval_seconds"`
	SLAConfigFile       string  `json:"sla_config_file,omitempty"`
	ExceptionsFile      string  `json:"exceptions_file,omitempty"`
	VerdictRule         string  `json:"verdict_rule"`
}

// Summary is the executive summary.
type Summary struct {
	VPGs           int            `json:"vpgs"`
	Meeting        map[string]int `json:"meeting"`  // objective -> VPGs passing it
	Failing        map[string]int `json:"failing"`  // objective -> VPGs failing it (no exception)
	Excepted       map[string]int `json:"excepted"` // objective -> VPGs failing it under an exception
	Unknown        map[string]int `json:"unknown"`  // objective -> VPGs without the data to judge it
	PartialData    int            `json:"partial_data_vpgs"`
	EncryptionVPGs int            `json:"encryption_suspected_vpgs"`
	ProtectedVMs   float64        `json:"protected_vms"`
	UnprotectedVMs float64        `json:"unprotected_vms"`
	Verdict        string         `json:"verdict"`
	Reasons        []string       `json:"verdict_reasons"`
}

// VPG is one row of the report: a VPG across both sites of its pair.
type VPG struct {
	VPG          string            `json:"vpg"`
	VPGID        string            `json:"vpg_id"`
	Labels       map[string]string `json:"labels,omitempty"` // the cluster labels
	Site         string            `json:"site"`             // protected site
	RecoverySite string            `json:"recovery_site"`

	RPOTargetSeconds   *float64   `json:"rpo_target_seconds"`
	RPOComplianceRatio *float64   `json:"rpo_compliance_ratio"`
	WorstRPOSeconds    *float64   `json:"worst_rpo_seconds"`
	WorstRPOAt         *time.Time `json:"worst_rpo_at"`
	RPOBreachSeconds   float64    `json:"rpo_breach_seconds"`
	RPOBreachEpisodes  int        `json:"rpo_breach_episodes"`
	DataCompleteness   float64    `json:"data_completeness_ratio"`
	Partial            bool       `json:"partial"`

	JournalTargetSeconds   *float64 `json:"journal_history_target_seconds"`
	JournalMinSeconds      *float64 `json:"journal_history_min_seconds"`
	JournalComplianceRatio *float64 `json:"journal_history_compliance_ratio"`

	LastTest            *time.Time `json:"last_test_timestamp"`
	LastTestResult      string     `json:"last_test_result"`
	LastTestSource      string     `json:"last_test_source"`
	TestStatus          string     `json:"test_status"`
	TestIntervalSeconds float64    `json:"test_interval_seconds"`
	NextTestDue         *time.Time `json:"next_test_due"`
	Tests               []Recovery `json:"tests_in_period"`
	FailedTests         int        `json:"failed_tests_in_period"`
	LastRTOSeconds      *float64   `json:"last_rto_seconds"`
	RTOTargetSeconds    *float64   `json:"rto_target_seconds"`
	RTOStatus           string     `json:"rto_status"`

	Failovers []Recovery `json:"failovers_in_period"`
	Moves     []Recovery `json:"moves_in_period"`

	EncryptionEpisodes       int        `json:"encryption_suspicion_episodes"`
	EncryptionFirstSuspected *time.Time `json:"encryption_first_suspected"`
	EncryptionSeconds        float64    `json:"encryption_suspected_seconds"`
	EJCFailedRuns            int        `json:"ejc_failed_runs"`

	ProtectedVMs *float64 `json:"protected_vms"`

	Objectives []ObjectiveResult `json:"objectives"`
	Exception  *Exception        `json:"exception,omitempty"`

	chart []chartPoint
}

// Recovery is one failover, failover test or move seen in the period. Who started it, the notes,
// the point in time and the steps are known only when the ZVM's recovery reports were read.
type Recovery struct {
	Operation   string     `json:"operation"`
	End         time.Time  `json:"end"`
	Result      string     `json:"result"`
	RTOSeconds  *float64   `json:"rto_seconds"`
	InitiatedBy string     `json:"initiated_by,omitempty"`
	Notes       string     `json:"notes,omitempty"`
	PointInTime *time.Time `json:"point_in_time,omitempty"`
	Steps       []Step     `json:"steps,omitempty"`
}

// Step is one step of a recovery operation.
type Step struct {
	Description string `json:"description"`
	Result      string `json:"result"`
}

// StepSummary says how many steps succeeded and names the others.
func (r Recovery) StepSummary() string {
	if len(r.Steps) == 0 {
		return ""
	}
	ok := 0
	var failed []string
	for _, s := range r.Steps {
		if s.Result == successResult || s.Result == "Succeeded" {
			ok++
		} else {
			failed = append(failed, s.Description+" ("+s.Result+")")
		}
	}
	out := fmt.Sprintf("%d of %d steps succeeded", ok, len(r.Steps))
	if len(failed) > 0 {
		out += "; " + strings.Join(failed, "; ")
	}
	return out
}

// ObjectiveResult is one VPG's standing on one objective: one evidence.csv row.
type ObjectiveResult struct {
	Objective string `json:"objective"`
	Target    string `json:"target"`
	Achieved  string `json:"achieved"`
	Status    string `json:"status"`
	Exception string `json:"exception,omitempty"`
}

// AlertEpisode is one uninterrupted stretch of a firing mixin alert.
type AlertEpisode struct {
	Alert           string            `json:"alert"`
	Severity        string            `json:"severity"`
	VPG             string            `json:"vpg,omitempty"`
	Labels          map[string]string `json:"labels,omitempty"`
	FirstSeen       time.Time         `json:"first_seen"`
	LastSeen        time.Time         `json:"last_seen"`
	DurationSeconds float64           `json:"duration_seconds"`
}

// Repository is an Extended Journal Copy repository's immutability at the end of the period.
type Repository struct {
	Repository string            `json:"repository"`
	Labels     map[string]string `json:"labels,omitempty"`
	Immutable  bool              `json:"immutable"`
}

// Site is a local site's unprotected VM count at the end of the period.
type Site struct {
	Site           string            `json:"site"`
	Labels         map[string]string `json:"labels,omitempty"`
	UnprotectedVMs float64           `json:"unprotected_vms"`
}

// ExceptionUse is an exceptions-file entry and the VPGs it covered.
type ExceptionUse struct {
	Exception
	Expired bool     `json:"expired"`
	VPGs    []string `json:"vpgs"`
}

// QueryInfo is one PromQL query of the method appendix.
type QueryInfo struct {
	Purpose string `json:"purpose"`
	Query   string `json:"query"`
}

// chartPoint is one bucket of a VPG's RPO chart: the worst RPO and the target in it.
type chartPoint struct {
	T      time.Time
	RPO    float64
	Target float64
	Has    bool
}
