package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// TestBinaryIdleConnectionsDoNotStarveScrapes runs the built exporter with basic auth under a
// 1,024-descriptor limit, opens 1,100 connections that get their 401 and stay idle, and then
// scrapes with the password: the scrape is answered, because the exporter closes the oldest idle
// connections at --web.max-connections (before, idle connections were kept forever, the
// exporter ran out of descriptors and authenticated scrapes got no answer for minutes).
func TestBinaryIdleConnectionsDoNotStarveScrapes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	const idle, fdLimit = 1100, 1024
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if lim.Cur < 2*idle {
		lim.Cur = min(lim.Max, 4*idle)
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < 2*idle {
			t.Skipf("this test opens %d connections; the descriptor limit is %d (%v)", idle, lim.Cur, err)
		}
	}
	_, bin := buildBinaries(t, testutil.RepoRoot(t))
	dir := t.TempDir()
	hash, err := bcrypt.GenerateFromPassword([]byte("scrape-pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	web := testutil.WriteFile(t, dir, "web.yml", fmt.Sprintf("basic_auth_users:\n  prometheus: %s\n", hash))
	addr := testutil.FreeAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// The exporter's own limit is lowered by the shell it is started from.
	cmd := exec.CommandContext(ctx, "sh", "-c", fmt.Sprintf("ulimit -n %d && exec \"$0\" \"$@\"", fdLimit), bin,
		"--web.listen-address="+addr, "--web.config.file="+web,
		"--zvm.url=http://127.0.0.1:1", "--zvm.username=u", "--zvm.timeout=1s")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "ZERTO_EXPORTER_ZVM_PASSWORD=pw"}
	var logs testutil.SyncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the exporter did not listen:\n%s", logs.String())
		}
	}

	conns := make([]net.Conn, 0, idle)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range idle {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("connection %d: %v", len(conns), err)
		}
		conns = append(conns, c)
		fmt.Fprint(c, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth("prometheus", "scrape-pw")
	client := &http.Client{Timeout: 20 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("authenticated scrape with %d idle connections open: %v\n%s", idle, err, logs.String())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("authenticated scrape: %s\n%s", resp.Status, body)
	}
	for _, want := range []string{"\nzerto_up 0\n", "zerto_exporter_http_idle_connections_closed_total "} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the scrape lacks %q", want)
		}
	}
}
