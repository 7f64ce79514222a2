// Package testutil holds the helpers that the tests of several packages share. Only tests import
// it.
package testutil

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// SyncBuffer is a log sink that a test reads while other goroutines write to it.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write implements io.Writer.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Lines returns the non-empty lines written so far.
func (s *SyncBuffer) Lines() []string {
	var out []string
	for l := range strings.SplitSeq(s.String(), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// FreeAddr returns a loopback address that was free a moment ago.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// RepoRoot returns the module root: the nearest directory above the test's with a go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// Tool returns the absolute path of a pinned tool binary: the environment variable env (which
// `make test` sets), else .tools/bin/<name> under the repository root, where `make tools` builds
// it. A missing tool fails the test rather than skipping it: an unchecked result must not look
// green.
func Tool(t testing.TB, env, name string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		p = filepath.Join(RepoRoot(t), ".tools", "bin", name)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatalf("%s path %q: %v", name, p, err)
	}
	if fi, err := os.Stat(abs); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		t.Fatalf("%s not found or not executable at %s (set %s, or run `make tools` in the repository root, which builds the pinned version into .tools/bin): %v",
			name, abs, env, err)
	}
	return abs
}

// Promtool returns the pinned promtool (see Tool).
func Promtool(t testing.TB) string {
	t.Helper()
	return Tool(t, "PROMTOOL", "promtool")
}

// Clock is a clock a test sets by hand, for the Now options of the client and the simulator.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock showing start.
func NewClock(start time.Time) *Clock { return &Clock{t: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// WriteFile writes content to dir/name, readable by the owner only (as secret files should be),
// and returns the path.
func WriteFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// MetricsText encodes gathered metric families in the Prometheus text format.
func MetricsText(t testing.TB, mfs []*dto.MetricFamily) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(&buf, mf); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}
