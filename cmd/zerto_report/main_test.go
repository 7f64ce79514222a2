package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// now is the clock of the in-process runs.
var now = time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)

// closedURL is an http URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// TestBadInput checks that every bad flag or unreachable Prometheus fails with a message naming
// the problem, and writes nothing.
func TestBadInput(t *testing.T) {
	prom := closedURL(t)
	dir := t.TempDir()
	exc := filepath.Join(dir, "exc.yml")
	if err := os.WriteFile(exc, []byte("exceptions:\n  - vpg: A\n    reason: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--period=last-month", "--format=html,docx"}, `--format: unknown format "docx"`},
		{[]string{"--from=2027-01-01", "--to=2027-02-01"}, "the period starts in the future"},
		{[]string{"--from=2026-12-01", "--to=2027-01-01"}, "the period ends in the future"},
		{[]string{"--from=2026-11-01"}, "give the period"},
		{[]string{"--period=last-week"}, `--period: unknown period "last-week"`},
		{[]string{"--period=last-month", "--from=2026-11-01"}, "--period excludes --from and --to"},
		{[]string{"--from=yesterday", "--to=2026-12-01"}, "--from: \"yesterday\" is neither RFC 3339"},
		{[]string{"--period=last-month", `--selector=cluster=eu1`}, "--selector: selector"},
		{[]string{"--period=last-month", "--cluster-label=a-b"}, `--cluster-label: "a-b" is not a label name`},
		{[]string{"--period=last-month", "--policy.exceptions-file=" + exc}, "needs approved_by"},
		{[]string{"--period=last-month", "--zvm.url=https://zvm"}, "--zvm.url needs --config.file and --zvm.module"},
		{[]string{"--period=last-month", "--pdf.page-size=A3"}, "A3"},
		{[]string{"--period=last-month"}, "cannot reach Prometheus at " + prom},
	} {
		out := filepath.Join(dir, "out")
		args := append([]string{"--prometheus.url=" + prom, "--output.dir=" + out}, c.args...)
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, &stdout, &stderr, now)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error saying %q", c.args, err, c.want)
		}
		if _, statErr := os.Stat(out); statErr == nil {
			t.Errorf("%v: %s was created", c.args, out)
		}
	}
}

// TestVerifyCommand checks `zerto_report verify DIR` on a directory without a manifest.
func TestVerifyCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"verify", t.TempDir()}, &stdout, &stderr, now)
	if err == nil || !strings.Contains(err.Error(), "manifest.json") {
		t.Errorf("verify of an empty directory: %v", err)
	}
}
