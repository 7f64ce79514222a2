package zvmsim

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

func TestParseFilterDate(t *testing.T) {
	local := time.FixedZone("ZVM", -5*3600)
	for in, want := range map[string]time.Time{
		"2025-03-10T12:34:56.789Z": time.Date(2025, 3, 10, 12, 34, 56, 789e6, time.UTC),
		"2025-03-10T12:34:56Z":     time.Date(2025, 3, 10, 12, 34, 56, 0, time.UTC),
		"2025-03-10T12:34Z":        time.Date(2025, 3, 10, 12, 34, 0, 0, time.UTC),
		"2025-03-10T12Z":           time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC),
		"2025-03-10":               time.Date(2025, 3, 10, 0, 0, 0, 0, local),
		"2025-03":                  time.Date(2025, 3, 1, 0, 0, 0, 0, local),
		"2025":                     time.Date(2025, 1, 1, 0, 0, 0, 0, local),
		"2025-03-10T12:34:56":      time.Date(2025, 3, 10, 12, 34, 56, 0, local),
	} {
		got, err := parseFilterDate(in, local)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseFilterDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2025-13-01", "10/03/2025"} {
		if _, err := parseFilterDate(bad, local); err == nil {
			t.Errorf("parseFilterDate(%q) accepted", bad)
		}
	}
}

func TestRecoveryReportPaging(t *testing.T) {
	h := newHarness(t, Options{Profile: "large"})
	total := len(h.sim.model.Reports)
	if total <= maxReportPage {
		t.Fatalf("large profile has %d reports, want more than a page", total)
	}
	page := func(q string) []map[string]any { return h.list(sim.Recovery, "/v1/reports/recovery?"+q) }
	var all []map[string]any
	pages := 0
	for n := 1; ; n++ {
		p := page("pageSize=1000&pageNumber=" + strconv.Itoa(n))
		all = append(all, p...)
		if len(p) < 1000 {
			break
		}
		pages++
	}
	if len(all) != total || pages != total/1000 {
		t.Fatalf("%d full pages and %d reports in all, want %d and %d", pages, len(all), total/1000, total)
	}
	if len(page("")) != 1000 {
		t.Errorf("default page is not the first 1000")
	}
	seen := map[string]bool{}
	var last time.Time
	for _, r := range all {
		id := strField(t, r, "RecoveryOperationIdentifier")
		if seen[id] {
			t.Fatalf("report %s on two pages", id)
		}
		seen[id] = true
		end := parseISO(t, strField(t, r, "General", "EndTime"))
		if end.Before(last) {
			t.Fatalf("reports not ordered by EndTime")
		}
		last = end
		if _, ok := field(t, r, "General", "RTOInSeconds").(string); !ok {
			t.Fatalf("RTOInSeconds is not a string")
		}
		objField(t, r, "RecoverySettings")
	}
	for _, q := range []string{"pageSize=1001", "pageSize=0", "pageNumber=0", "pageNumber=x", "recoveryType=Restore", "state=Maybe", "startTime=soon"} {
		if resp, body := h.get(sim.Recovery, "/v1/reports/recovery?"+q); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %s %s", q, resp.Status, body)
		}
	}
}

func TestRecoveryReportFilters(t *testing.T) {
	h := newHarness(t, Options{})
	count := func(q url.Values) int { return len(h.list(sim.Protected, "/v1/reports/recovery?"+q.Encode())) }
	all := count(nil)
	if tests := count(url.Values{"recoveryType": {"failovertest"}}); tests != 23 {
		t.Errorf("%d failover tests, want one per tested VPG (23)", tests)
	}
	if n := count(url.Values{"vpgName": {"Exchange,sql-prod"}}); n < 2 {
		t.Errorf("vpgName list matched %d reports", n)
	}
	for _, r := range h.list(sim.Protected, "/v1/reports/recovery?vpgName=Exchange") {
		if strField(t, r, "General", "VpgName") != "Exchange" {
			t.Errorf("vpgName filter let %v through", r["General"])
		}
	}
	if n := count(url.Values{"state": {"Fail"}}); n != 0 {
		t.Errorf("%d failed reports in a healthy model", n)
	}
	h.inject(sim.Protected, `{"kind":"recovery_report","vpg":"Exchange","type":"Failover","rto_seconds":900,"result":"Fail"}`)
	if n := count(url.Values{"state": {"Fail"}, "recoveryType": {"Failover"}}); n != 1 {
		t.Errorf("%d failed failovers after injecting one", n)
	}
	now := h.clock.Now()
	if n := count(url.Values{"startTime": {now.Add(-time.Hour).Format("2006-01-02T15:04:05Z")}}); n != 1 {
		t.Errorf("startTime an hour ago matched %d reports, want the new one", n)
	}
	if n := count(url.Values{"endTime": {now.Add(-time.Hour).Format("2006-01-02T15:04Z")}}); n != all {
		t.Errorf("endTime an hour ago matched %d reports, want the %d older ones", n, all)
	}
	if n := count(url.Values{"startTime": {now.AddDate(1, 0, 0).Format("2006")}}); n != 0 {
		t.Errorf("startTime next year matched %d reports", n)
	}
}
