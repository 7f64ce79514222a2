package report

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/zerto-exporter/zerto_exporter/config"
)

// Policy is what the figures are judged against.
type Policy struct {
	// TestInterval is the longest time allowed between successful failover tests of a VPG without
	// a test_interval of its own (--policy.test-interval; DORA asks for a yearly test).
	TestInterval time.Duration
	// RPOObjective is the share of the period a VPG must be within its RPO target (and its journal
	// history at JournalRatio of its target) to pass.
	RPOObjective float64
	JournalRatio float64
	// SLA, when set, is the exporter's config file: its sla rules' rto_target and test_interval
	// override the exported series and TestInterval.
	SLA     *config.Config
	SLAFile string
	// Exceptions are accepted risks.
	Exceptions     []Exception
	ExceptionsFile string
}

// Exception is an accepted risk: VPGs chosen by name or by label patterns, the objectives it
// covers (all when empty), why, who approved it and until when.
type Exception struct {
	VPG        string            `yaml:"vpg" json:"vpg,omitempty"`
	Match      map[string]string `yaml:"match" json:"match,omitempty"`
	Objectives []string          `yaml:"objectives" json:"objectives,omitempty"`
	Reason     string            `yaml:"reason" json:"reason"`
	ApprovedBy string            `yaml:"approved_by" json:"approved_by"`
	Until      string            `yaml:"until" json:"until"`

	until time.Time
	match map[string]*regexp.Regexp
}

// LoadExceptions reads an exceptions file: a YAML document with an `exceptions` list.
func LoadExceptions(path string) ([]Exception, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("exceptions file: %w", err)
	}
	var doc struct {
		Exceptions []Exception `yaml:"exceptions"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("exceptions file %s: %w", path, err)
	}
	for i := range doc.Exceptions {
		if err := doc.Exceptions[i].check(); err != nil {
			return nil, fmt.Errorf("exceptions file %s: exceptions[%d]: %w", path, i, err)
		}
	}
	return doc.Exceptions, nil
}

var objectives = []string{ObjectiveRPO, ObjectiveJournal, ObjectiveTest, ObjectiveRTO}

func (e *Exception) check() error {
	switch {
	case e.VPG == "" && len(e.Match) == 0:
		return fmt.Errorf("needs vpg or match")
	case e.VPG != "" && len(e.Match) > 0:
		return fmt.Errorf("vpg and match exclude each other")
	case e.Reason == "":
		return fmt.Errorf("needs a reason")
	case e.ApprovedBy == "":
		return fmt.Errorf("needs approved_by")
	}
	t, err := ParseTime(e.Until)
	if err != nil {
		return fmt.Errorf("until: %w", err)
	}
	e.until = t
	for _, o := range e.Objectives {
		if !slices.Contains(objectives, o) {
			return fmt.Errorf("objective %q is not one of %v", o, objectives)
		}
	}
	e.match = map[string]*regexp.Regexp{}
	for k, v := range e.Match {
		re, err := regexp.Compile("^(?:" + v + ")$")
		if err != nil {
			return fmt.Errorf("match %s: %w", k, err)
		}
		e.match[k] = re
	}
	return nil
}

// covers says whether the exception applies to the VPG whose labels are given.
func (e *Exception) covers(labels map[string]string) bool {
	if e.VPG != "" {
		return labels["vpg"] == e.VPG
	}
	for k, re := range e.match {
		if !re.MatchString(labels[k]) {
			return false
		}
	}
	return true
}

// coversObjective says whether the exception covers the objective.
func (e *Exception) coversObjective(o string) bool {
	return len(e.Objectives) == 0 || slices.Contains(e.Objectives, o)
}

// expiredBy says whether the exception ended before t (the end of the period).
func (e *Exception) expiredBy(t time.Time) bool { return e.until.Before(t) }

// vpgTargets returns the RTO target and test interval of the SLA config for a VPG, zero when
// it sets none.
func (p *Policy) vpgTargets(vpg string) (rto, interval time.Duration) {
	if p.SLA == nil {
		return 0, 0
	}
	t := p.SLA.Targets(vpg)
	return t.RTO, t.TestInterval
}
