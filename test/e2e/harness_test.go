package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// buildBinaries compiles the simulator and the exporter (without -race: that flag only concerns
// this test process) into a temporary directory, with the flags of `make build` that decide what
// is compiled (CGO_ENABLED=0, -trimpath; under make, GOFLAGS adds the rest), so that the Go build
// cache serves both.
func buildBinaries(t *testing.T, root string) (zvmsim, exporter string) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-trimpath", "-o", dir+string(filepath.Separator), "./cmd/zvmsim", "./cmd/zerto_exporter")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/zvmsim ./cmd/zerto_exporter: %v\n%s", err, out)
	}
	return filepath.Join(dir, "zvmsim"), filepath.Join(dir, "zerto_exporter")
}

// logDir is test/e2e/logs/<test name>, emptied at the start. It is removed when the test passes
// and kept, its path logged, when it fails.
func logDir(t *testing.T) string {
	t.Helper()
	name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_")
	dir, err := filepath.Abs(filepath.Join("logs", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("component logs kept in %s", dir)
			return
		}
		os.RemoveAll(dir)
		os.Remove(filepath.Dir(dir)) // logs/, when no other test kept its logs there
	})
	return dir
}

// process is one started component. Its stdout and stderr go to a log file.
type process struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	logFile *os.File
	done    chan struct{} // closed when the process has exited
	err     error         // exit status, valid after done
}

// startProcess starts bin in its own process group (so that stopping it also stops anything it
// spawned) and registers its stop with t.Cleanup. On Linux the child also gets SIGKILL if the
// test process dies without cleaning up (e.g. on a `go test -timeout` panic).
func startProcess(t *testing.T, logs, name, bin string, args []string, env []string) *process {
	t.Helper()
	f, err := os.Create(filepath.Join(logs, name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "# %s %s\n", bin, strings.Join(args, " "))
	cmd := exec.Command(bin, args...)
	cmd.Env = append(cleanEnv(), env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &process{name: name, cmd: cmd, logPath: f.Name(), logFile: f, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(p.stop)
	return p
}

// cleanEnv is the test's environment without the exporter's own variables, which a developer
// may have set and which would change what the exporter under test does.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ZERTO_EXPORTER_") {
			env = append(env, kv)
		}
	}
	return env
}

// exited reports whether the process has ended, and how.
func (p *process) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// stop sends SIGTERM to the process group, then SIGKILL after a grace period.
func (p *process) stop() {
	defer p.logFile.Close()
	if ok, _ := p.exited(); ok {
		return
	}
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
		return
	case <-time.After(10 * time.Second):
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
}

// tail returns the last n lines of the process's log.
func (p *process) tail(n int) string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// startOnFreePort starts a component on a free loopback port (for components that cannot report
// the port they picked) and waits until readyPath answers 200. args builds the command line for
// an address. It retries on another port when the process exits because its port was taken.
func startOnFreePort(t *testing.T, logs, name, bin string, env []string, readyPath string, args func(addr string) []string) (*process, string) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		addr := testutil.FreeAddr(t)
		p := startProcess(t, logs, name, bin, args(addr), env)
		err := waitReady(p, "http://"+addr+readyPath, 60*time.Second)
		if err == nil {
			return p, addr
		}
		p.stop()
		if attempt < 3 && strings.Contains(p.tail(50), "address already in use") {
			t.Logf("%s: port %s was taken, retrying", name, addr)
			continue
		}
		t.Fatalf("%s did not become ready: %v\nlog %s:\n%s", name, err, p.logPath, p.tail(40))
	}
}

// startSim starts the built simulator with args and its listen flags (ports it picks; the
// recovery site's only with peer), and returns it with the URLs of the sites it serves, the
// protected site's first.
func startSim(t *testing.T, logs, bin string, peer bool, args ...string) (*process, []string) {
	t.Helper()
	roles, peerListen := []string{"protected"}, ""
	if peer {
		roles, peerListen = append(roles, "recovery"), "127.0.0.1:0"
	}
	p := startProcess(t, logs, "zvmsim", bin, append([]string{"--listen=127.0.0.1:0", "--peer-listen=" + peerListen}, args...), nil)
	urls := make([]string, 0, len(roles))
	for _, role := range roles {
		m, err := waitLogLine(p, regexp.MustCompile(role+` site ZVM at (https?://\S+)`), 30*time.Second)
		if err != nil {
			t.Fatalf("zvmsim: %v\n%s", err, p.tail(20))
		}
		urls = append(urls, m[1])
	}
	return p, urls
}

// waitReady polls url until it answers 200, the process exits, or timeout passes.
func waitReady(p *process, url string, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if ok, err := p.exited(); ok {
			return fmt.Errorf("exited: %v", err) //nolint:errorlint // err is nil for a clean exit
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		last = err
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %s: %v", timeout, last) //nolint:errorlint // last is nil if no attempt was made
}

// scrape GETs url and returns the body of its 200 answer.
func scrape(t *testing.T, url string) string {
	t.Helper()
	client := &http.Client{Timeout: 60 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, b)
	}
	return string(b)
}

// waitLogLine waits for a line matching re in the process's log and returns its submatches.
func waitLogLine(p *process, re *regexp.Regexp, timeout time.Duration) ([]string, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(p.logPath)
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				return m, nil
			}
		}
		if ok, err := p.exited(); ok {
			return nil, fmt.Errorf("%s exited: %v", p.name, err) //nolint:errorlint // err is nil for a clean exit
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, fmt.Errorf("no line matching %s in %s after %s", re, p.logPath, timeout)
}

// poll calls check every interval until it returns true or timeout passes; it returns the last
// detail check gave, for the failure message.
func poll(ctx context.Context, timeout time.Duration, check func() (bool, string)) (bool, string) {
	deadline := time.Now().Add(timeout)
	var detail string
	for {
		var ok bool
		ok, detail = check()
		if ok {
			return true, detail
		}
		if time.Now().After(deadline) {
			return false, detail
		}
		select {
		case <-ctx.Done():
			return false, detail + " (" + ctx.Err().Error() + ")"
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// syncList is a slice safe for concurrent appends.
type syncList[T any] struct {
	mu    sync.Mutex
	items []T
}

func (l *syncList[T]) add(v T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = append(l.items, v)
}

func (l *syncList[T]) all() []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]T(nil), l.items...)
}
