package snapshot

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// TestDecodeWarnings: recovery reports with an unknown operation or result spelling are left out
// and counted; one whose time is not a date counts but never becomes the VPG's newest; each
// distinct value is logged once however often it is read.
func TestDecodeWarnings(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	undated := report("c", "vpg1", "FailoverTest", "Success", time.Time{}, "99")
	undated.General.StartTime, undated.General.EndTime = zvm.Time{Raw: "25.11.2026 11:00"}, zvm.Time{Raw: "25.11.2026 11:05"}
	lone := report("d", "vpg2", "Move", "Success", time.Time{}, "7")
	lone.General.StartTime, lone.General.EndTime = zvm.Time{Raw: "gestern"}, zvm.Time{}
	f := newFake()
	f.reports = []zvm.RecoveryReport{
		report("a", "vpg1", "FailoverTest", "Success", now.Add(-time.Hour), "60"),
		report("b", "vpg1", "Failover Test", "Success", now.Add(-time.Minute), "1"),
		report("e", "vpg1", "FailoverTest", "Succeeded", now.Add(-time.Minute), "2"),
		undated, lone,
	}
	var logs bytes.Buffer
	src := NewSource(f, Options{Endpoints: []zvm.Endpoint{zvm.EndpointRecoveryReports}, Logger: log.NewLogfmtLogger(&logs),
		Now: func() time.Time { return now }})
	src.refresh(context.Background())
	snap := src.refresh(context.Background())

	h := snap.Recovery
	if got := h.Latest[RecoveryKey{"vpg1", "FailoverTest"}]; got.RecoveryOperationIdentifier != "a" {
		t.Errorf("newest vpg1 FailoverTest is %q, want the dated report a", got.RecoveryOperationIdentifier)
	}
	if got, ok := h.Latest[RecoveryKey{"vpg2", "Move"}]; ok {
		t.Errorf("an undated report became vpg2's newest: %+v", got)
	}
	if got := h.Totals[ResultKey{"FailoverTest", "Success"}]; got != 0 {
		t.Errorf("first read counted %v", got) // the first read sets the labels at 0
	}
	if _, ok := h.Totals[ResultKey{"Failover Test", "Success"}]; ok {
		t.Error("unknown recovery type made a label value")
	}
	counts := snap.Warnings.Counts()
	for k, want := range map[WarningKey]float64{
		{zvm.EndpointRecoveryReports, "General.RecoveryType"}: 2, // read in both refreshes
		{zvm.EndpointRecoveryReports, "General.Status"}:       2,
		{zvm.EndpointRecoveryReports, "General.StartTime"}:    4,
		{zvm.EndpointRecoveryReports, "General.EndTime"}:      2,
	} {
		if counts[k] != want {
			t.Errorf("%v: %v warnings, want %v (all: %v)", k, counts[k], want, counts)
		}
	}
	for _, v := range []string{`value="Failover Test"`, "value=Succeeded", `value="25.11.2026 11:00"`, "value=gestern"} {
		if n := strings.Count(logs.String(), v); n != 1 {
			t.Errorf("%s logged %d times, want once:\n%s", v, n, logs.String())
		}
	}
}

func TestDecodeWarningsDates(t *testing.T) {
	w := NewDecodeWarnings(log.NewNopLogger())
	w.checkDates(&Snapshot{
		Tasks:  []zvm.Task{{Started: zvm.Time{Raw: "x"}}, {Started: zvm.Time{Time: time.Now()}, Completed: zvm.Time{Raw: "y"}}},
		Alerts: []zvm.Alert{{TurnedOn: zvm.Time{Raw: "z"}}},
		VPGs:   []zvm.VPG{{LastTest: zvm.Time{Raw: "soon"}}, {}},
	})
	want := map[WarningKey]float64{
		{zvm.EndpointTasks, "Started"}: 1, {zvm.EndpointTasks, "Completed"}: 1,
		{zvm.EndpointAlerts, "TurnedOn"}: 1, {zvm.EndpointVPGs, "LastTest"}: 1,
	}
	if got := w.Counts(); len(got) != len(want) {
		t.Fatalf("%v, want %v", got, want)
	} else {
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%v: %v, want %v", k, got[k], n)
			}
		}
	}
}
