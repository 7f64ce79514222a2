package e2e

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// TestBinaryBadFlags runs the built binary with each bad flag: it exits non-zero at once, with
// one stderr line naming the flag, and never opens its listen port. The port is held by the test
// meanwhile, so an attempt to listen would fail with "address already in use" instead.
func TestBinaryBadFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	_, bin := buildBinaries(t, testutil.RepoRoot(t))
	dir := t.TempDir()
	badCfg := testutil.WriteFile(t, dir, "bad.yml", "sla:\n  - match: '('\n    rto_target: 1m\n")
	badWeb := testutil.WriteFile(t, dir, "web.yml", "tls_server_config:\n  cert_file: /nonexistent.crt\n  key_file: /nonexistent.key\n")
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	listen := "--web.listen-address=" + held.Addr().String()
	good := []string{listen, "--zvm.url=https://zvm.invalid", "--zvm.username=svc"}

	for _, tc := range []struct {
		name string
		args []string
		env  []string
		want string // the flag the message names
	}{
		{"url scheme", []string{"--zvm.url=ftp://zvm"}, nil, "--zvm.url"},
		{"auth", []string{"--zvm.auth=ntlm"}, nil, "--zvm.auth"},
		{"log level", []string{"--log.level=loud"}, nil, "--log.level"},
		{"log format", []string{"--log.format=xml"}, nil, "--log.format"},
		{"timeout zero", []string{"--zvm.timeout=0s"}, nil, "--zvm.timeout"},
		{"timeout unparsable", []string{"--zvm.timeout=soon"}, nil, "--zvm.timeout"},
		{"cache ttl negative", []string{"--zvm.cache-ttl=-1s"}, nil, "--zvm.cache-ttl"},
		{"unknown flag", []string{"--zvm.tiemout=5s"}, nil, "--zvm.tiemout"},
		{"unknown collector flag", []string{"--collector.nope"}, nil, "--collector.nope"},
		{"password file missing", []string{"--zvm.password-file=/nonexistent"}, nil, "--zvm.password-file"},
		{"no password", []string{}, []string{"ZERTO_EXPORTER_ZVM_PASSWORD="}, "--zvm.password-file"},
		{"config file", []string{"--config.file=" + badCfg}, nil, "sla[0]"},
		{"web config file", []string{"--web.config.file=" + badWeb}, nil, "--web.config.file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			// The case's flags replace the good ones of the same name (kingpin refuses repeats).
			var args []string
			for _, g := range good {
				name, _, _ := strings.Cut(g, "=")
				if !slices.ContainsFunc(tc.args, func(a string) bool { return strings.HasPrefix(a, name+"=") }) {
					args = append(args, g)
				}
			}
			args = append(args, tc.args...)
			cmd := exec.CommandContext(ctx, bin, args...)
			cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "ZERTO_EXPORTER_ZVM_PASSWORD=pw"}, tc.env...)
			var stderr testutil.SyncBuffer
			cmd.Stderr, cmd.Stdout = &stderr, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() <= 0 {
				t.Fatalf("%q: exit %v, want a non-zero exit code; output:\n%s", args, err, stderr.String())
			}
			var lines []string
			for l := range strings.SplitSeq(stderr.String(), "\n") {
				if strings.TrimSpace(l) != "" {
					lines = append(lines, l)
				}
			}
			if len(lines) != 1 || !strings.Contains(lines[0], tc.want) {
				t.Fatalf("%q: want one line naming %s, got %d:\n%s", tc.args, tc.want, len(lines), stderr.String())
			}
			if strings.Contains(lines[0], "address already in use") || strings.Contains(lines[0], "Listening") {
				t.Fatalf("%q: the exporter tried to listen before reporting the flag: %s", tc.args, lines[0])
			}
			t.Logf("%q: exit %d: %s", tc.args, exit.ExitCode(), lines[0])
		})
	}
}
