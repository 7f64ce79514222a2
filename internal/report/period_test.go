package report

import (
	"strings"
	"testing"
	"time"
)

func TestNamedPeriod(t *testing.T) {
	now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	for _, c := range []struct{ name, from, to string }{
		{LastMonth, "2026-11-01", "2026-12-01"},
		{LastQuarter, "2026-07-01", "2026-10-01"},
		{LastYear, "2025-01-01", "2026-01-01"},
	} {
		from, to, err := NamedPeriod(c.name, now)
		if err != nil {
			t.Fatal(err)
		}
		if got := from.Format(time.DateOnly) + " " + to.Format(time.DateOnly); got != c.from+" "+c.to {
			t.Errorf("%s: %s, want %s %s", c.name, got, c.from, c.to)
		}
	}
	if _, _, err := NamedPeriod("last-week", now); err == nil || !strings.Contains(err.Error(), "last-month") {
		t.Errorf("last-week: %v", err)
	}
}

func TestParseTime(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-01":                "2026-11-01T00:00:00Z",
		"2026-11-01T12:30:00+01:00": "2026-11-01T11:30:00Z",
	} {
		got, err := ParseTime(in)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("ParseTime(%q) = %s, %v; want %s", in, got.Format(time.RFC3339), err, want)
		}
	}
	if _, err := ParseTime("01/11/2026"); err == nil {
		t.Error("01/11/2026 accepted")
	}
}

func TestNewPeriod(t *testing.T) {
	now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p, err := NewPeriod(from, from.Add(time.Hour+90*time.Second), time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	if p.Steps() != 61 || !p.End.Equal(from.Add(61*time.Minute)) {
		t.Errorf("steps %d, end %s: the end must move back to the last whole step", p.Steps(), p.End)
	}
	for _, c := range []struct {
		from, to time.Time
		want     string
	}{
		{now.Add(time.Hour), now.Add(2 * time.Hour), "starts in the future"},
		{from, now.Add(time.Hour), "ends in the future"},
		{from, from, "at or after its end"},
		{from, from.Add(time.Second), "shorter than one query step"},
	} {
		if _, err := NewPeriod(c.from, c.to, time.Minute, now); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewPeriod(%s, %s) = %v, want an error saying %q", c.from, c.to, err, c.want)
		}
	}
}

func TestParseSelector(t *testing.T) {
	ms, err := ParseSelector(`{job="zerto", cluster=~"eu.*",dc!="x\"y"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := joinMatchers(ms); got != `job="zerto",cluster=~"eu.*",dc!="x\"y"` {
		t.Errorf("got %s", got)
	}
	for _, bad := range []string{`job`, `job="zerto" cluster="a"`, `cluster=~"(("`, `1a="b"`} {
		if _, err := ParseSelector(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if ms, err := ParseSelector(""); err != nil || len(ms) != 0 {
		t.Errorf("empty selector: %v %v", ms, err)
	}
}

func TestParseFormats(t *testing.T) {
	f, err := ParseFormats("csv, json,csv")
	if err != nil || strings.Join(f, ",") != "csv,json" {
		t.Errorf("got %v %v", f, err)
	}
	if _, err := ParseFormats("html,docx"); err == nil || !strings.Contains(err.Error(), `unknown format "docx"`) {
		t.Errorf("docx: %v", err)
	}
}

func TestDuration(t *testing.T) {
	for sec, want := range map[float64]string{0: "0s", 59: "59s", 3723: "1h 2m 3s", 31536000: "365d", 86400 + 60: "1d 1m"} {
		if got := Duration(sec); got != want {
			t.Errorf("Duration(%v) = %s, want %s", sec, got, want)
		}
	}
}
