package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sampleReport is a judged report of two VPGs, one failing its test objective under an exception.
func sampleReport(t *testing.T) *Report {
	t.Helper()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	f := func(v float64) *float64 { return &v }
	last := start.Add(-24 * time.Hour)
	r := &Report{
		Title: "t", GeneratedAt: start.AddDate(0, 1, 1), Version: "1.2.3",
		Period:        Period{Start: start, End: start.AddDate(0, 1, 0), StepSeconds: 60},
		PrometheusURL: "http://prom:9090", Selector: `{job="zerto"}`,
		VPGs: []VPG{
			{VPG: "A", VPGID: "a", Site: "S1", RPOTargetSeconds: f(300), RPOComplianceRatio: f(1), WorstRPOSeconds: f(20), DataCompleteness: 1,
				JournalComplianceRatio: f(1), LastTest: &last, LastRTOSeconds: f(100), RTOTargetSeconds: f(600)},
			{VPG: "B", VPGID: "b", Site: "S1", RPOTargetSeconds: f(300), RPOComplianceRatio: f(0.5), DataCompleteness: 0.5, Partial: true},
		},
	}
	dir := t.TempDir()
	exc := filepath.Join(dir, "exceptions.yml")
	if err := os.WriteFile(exc, []byte("exceptions:\n  - vpg: B\n    objectives: [failover_test]\n    reason: decommissioned in December\n    approved_by: CISO\n    until: 2027-01-31\n  - match: {vpg: \"A|B\"}\n    reason: old\n    approved_by: CIO\n    until: 2026-11-15\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ex, err := LoadExceptions(exc)
	if err != nil {
		t.Fatal(err)
	}
	judge(r, &Policy{TestInterval: 365 * 24 * time.Hour, RPOObjective: 0.999, JournalRatio: 0.75, Exceptions: ex})
	return r
}

func TestJudge(t *testing.T) {
	r := sampleReport(t)
	a, b := r.VPGs[0], r.VPGs[1]
	if a.TestStatus != TestOK || a.RTOStatus != RTOOK || b.TestStatus != TestNever || b.RTOStatus != RTOUnknown {
		t.Errorf("test/RTO status: A %s %s, B %s %s", a.TestStatus, a.RTOStatus, b.TestStatus, b.RTOStatus)
	}
	status := map[string]string{}
	for _, o := range b.Objectives {
		status[o.Objective] = o.Status
	}
	if status[ObjectiveRPO] != StatusFail || status[ObjectiveTest] != StatusExcepted || status[ObjectiveRTO] != StatusUnknown {
		t.Errorf("B's objectives: %v", status)
	}
	if r.Summary.Verdict != VerdictFail || r.Summary.Failing[ObjectiveRPO] != 1 || r.Summary.Excepted[ObjectiveTest] != 1 || r.Summary.PartialData != 1 {
		t.Errorf("summary: %+v", r.Summary)
	}
	if !r.Exceptions[1].Expired || len(r.Exceptions[1].VPGs) != 2 || r.Exceptions[0].Expired {
		t.Errorf("exceptions: %+v", r.Exceptions)
	}
}

func TestLoadExceptionsErrors(t *testing.T) {
	dir := t.TempDir()
	for body, want := range map[string]string{
		"exceptions:\n  - reason: x\n    approved_by: y\n    until: 2027-01-01\n":                                       "needs vpg or match",
		"exceptions:\n  - vpg: A\n    approved_by: y\n    until: 2027-01-01\n":                                          "needs a reason",
		"exceptions:\n  - vpg: A\n    reason: x\n    approved_by: y\n    until: soon\n":                                 "until",
		"exceptions:\n  - vpg: A\n    reason: x\n    approved_by: y\n    until: 2027-01-01\n    objectives: [uptime]\n": `objective "uptime"`,
		"exceptions:\n  - vpg: A\n    reason: x\n    approvedby: y\n    until: 2027-01-01\n":                            "approvedby",
	} {
		p := filepath.Join(dir, "e.yml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadExceptions(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error naming %q", body, err, want)
		}
	}
}

func TestWriteAndVerify(t *testing.T) {
	r := sampleReport(t)
	dir := filepath.Join(t.TempDir(), "out")
	written, err := Write(dir, r, AllFormats, PDFOptions{PageSize: "Letter"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(written, ",") != "report.html,report.pdf,evidence.csv,evidence.json,manifest.json" {
		t.Errorf("written %v", written)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		t.Errorf("%d entries in %s: temporary files left?", len(entries), dir)
	}
	var m Manifest
	b, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err := json.Unmarshal(b, &m); err != nil || len(m.Files) != 4 || m.PrometheusURL != "http://prom:9090" || m.Version != "1.2.3" {
		t.Errorf("manifest %s: %v", b, err)
	}
	var out bytes.Buffer
	if err := Verify(dir, &out); err != nil || strings.Count(out.String(), ": OK") != 4 {
		t.Errorf("verify: %v\n%s", err, out.String())
	}
	if err := os.WriteFile(filepath.Join(dir, "evidence.csv"), []byte("vpg\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Verify(dir, &out); err == nil || !strings.Contains(err.Error(), "evidence.csv: SHA-256") {
		t.Errorf("verify of a changed file: %v", err)
	}
	pdf, _ := os.ReadFile(filepath.Join(dir, "report.pdf"))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/MediaBox [0 0 612.00 792.00]")) {
		t.Errorf("report.pdf is not a Letter PDF: %.200q", pdf)
	}
}

func TestRedactURL(t *testing.T) {
	if got := RedactURL("https://user:secret@prom.example.com/prom/?token=x"); got != "https://prom.example.com/prom/" {
		t.Errorf("got %s", got)
	}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sampleReport(t)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[0] != strings.Join(CSVHeader, ",") || len(lines) != 1+2*4 {
		t.Fatalf("csv:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "B,S1,failover_test,") || !strings.Contains(b.String(), ",excepted,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,50.000 %,decommissioned in December (approved by CISO until 2027-01-31)") {
		t.Errorf("csv:\n%s", b.String())
	}
}

func TestStepSummary(t *testing.T) {
	r := Recovery{Steps: []Step{{"Create VMs", "Success"}, {"Power on VMs", "Failed"}, {"Connect networks", "Success"}}}
	if got := r.StepSummary(); got != "2 of 3 steps succeeded; Power on VMs (Failed)" {
		t.Errorf("got %q", got)
	}
	if got := (Recovery{}).StepSummary(); got != "" {
		t.Errorf("no steps: %q", got)
	}
}

func TestUseRecoveries(t *testing.T) {
	old := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	r := &Report{VPGs: []VPG{{VPG: "A", LastTest: &old, Tests: []Recovery{{Operation: "FailoverTest"}}}}}
	rto := 300.0
	end := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	useRecoveries(r, map[string][]Recovery{"A": {
		{Operation: "FailoverTest", End: end.Add(-time.Hour), Result: "Fail"},
		{Operation: "FailoverTest", End: end, Result: "Success", RTOSeconds: &rto, InitiatedBy: "ops"},
		{Operation: "Move", End: end.Add(time.Hour), Result: "Success"},
	}})
	v := r.VPGs[0]
	if len(v.Tests) != 2 || v.FailedTests != 1 || len(v.Moves) != 1 || v.LastTest == nil || !v.LastTest.Equal(end) || v.LastRTOSeconds == nil || *v.LastRTOSeconds != 300 || v.LastTestSource != "/v1/reports/recovery" {
		t.Errorf("%+v", v)
	}
}
