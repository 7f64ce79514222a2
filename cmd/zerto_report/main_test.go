package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

// TestVersion checks that `make build` builds zerto_report with the exporter's version stamps.
func TestVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	dir := t.TempDir()
	cmd := exec.Command("make", "-s", "-C", "../..", "build", "BINDIR="+dir, "VERSION=9.8.7", "REVISION=abc123")
	cmd.Env = filterEnv("VERSION", "REVISION", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	var outs []string
	for _, bin := range []string{"zerto_report", "zerto_exporter"} {
		out, err := exec.Command(filepath.Join(dir, bin), "--version").CombinedOutput()
		if err != nil {
			t.Fatalf("%s --version: %v\n%s", bin, err, out)
		}
		outs = append(outs, strings.TrimPrefix(string(out), bin))
	}
	if !regexp.MustCompile(`^, version 9\.8\.7 \(branch: \S+, revision: abc123\)`).MatchString(outs[0]) || outs[0] != outs[1] {
		t.Errorf("zerto_report --version:\n%s\nzerto_exporter --version:\n%s", outs[0], outs[1])
	}
}

func filterEnv(drop ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, d := range drop {
			keep = keep && name != d
		}
		if keep {
			env = append(env, kv)
		}
	}
	return env
}
