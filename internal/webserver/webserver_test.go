package webserver

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestIdleConnectionsMakeRoom: with the bound reached by clients that got their 401 and stay
// connected (as 19,986 did until the exporter ran out of descriptors), a new client's request is
// answered: the oldest idle connections are closed to make room, counted, and the open
// connections stay within the bound.
func TestIdleConnectionsMakeRoom(t *testing.T) {
	const max, idle = 20, 40
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		fmt.Fprintln(w, "zerto_up 1")
	})
	srv, limit := New(handler, max)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })

	var conns []net.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range idle {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			continue // closed to make room for a later one
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if n := limit.Open(); n > max {
		t.Fatalf("%d connections open, bound %d", n, max)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/metrics", nil)
	req.Header.Set("Authorization", "Basic eDp5")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("authenticated scrape with %d idle connections: %v", idle, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "zerto_up 1") {
		t.Fatalf("authenticated scrape: %s %q", resp.Status, body)
	}
	if n := limit.closed.Load(); n < idle-max {
		t.Errorf("%d idle connections closed, want at least %d", n, idle-max)
	}
	if srv.IdleTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.ReadHeaderTimeout <= 0 {
		t.Errorf("a server timeout is unset: %+v", srv)
	}
}

// TestActiveConnectionsKept: a connection answering a request is never closed for room.
func TestActiveConnectionsKept(t *testing.T) {
	release := make(chan struct{})
	srv, limit := New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
		fmt.Fprintln(w, "ok")
	}), 1)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for limit.Open() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // the slow request is being answered
	resp, err := http.Get("http://" + ln.Addr().String() + "/fast")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("the active request's connection was closed: %v", err)
	}
}
