package zvm

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewValidates(t *testing.T) {
	ok := Config{URL: "https://zvm:443", Username: "u", Password: "p"}
	if _, err := New(ok); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	for name, mut := range map[string]func(*Config){
		"no scheme":           func(c *Config) { c.URL = "zvm:443" },
		"ftp":                 func(c *Config) { c.URL = "ftp://zvm" },
		"no host":             func(c *Config) { c.URL = "https://" },
		"userinfo":            func(c *Config) { c.URL = "https://u:pw@zvm" },
		"query":               func(c *Config) { c.URL = "https://zvm/?a=b" },
		"bad auth":            func(c *Config) { c.Auth = "ntlm" },
		"no password":         func(c *Config) { c.Password = "" },
		"session with secret": func(c *Config) { c.Auth = AuthSession; c.ClientID = "x"; c.ClientSecret = "y" },
		"missing CA":          func(c *Config) { c.CAFile = filepath.Join(t.TempDir(), "nope.pem") },
		"CA without certs": func(c *Config) {
			c.CAFile = filepath.Join(t.TempDir(), "empty.pem")
			_ = os.WriteFile(c.CAFile, []byte("not a cert"), 0o600)
		},
	} {
		cfg := ok
		mut(&cfg)
		_, err := New(cfg)
		if err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
			continue
		}
		if strings.Contains(err.Error(), "pw@") {
			t.Errorf("%s: error shows the URL password: %v", name, err)
		}
	}
	// client_credentials needs no user.
	if _, err := New(Config{URL: "http://zvm", ClientID: "c", ClientSecret: "s"}); err != nil {
		t.Errorf("client credentials: %v", err)
	}
}

func TestTLS(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.srv.Close()
	srv := httptest.NewUnstartedServer(f)
	srv.Config.ErrorLog = stdlog.New(io.Discard, "", 0) // handshake failures are the point
	var tlsCalls atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			tlsCalls.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	f.srv = srv

	c := newTestClient(t, f, nil)
	_, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite})
	if err == nil || !strings.Contains(err.Error(), "x509") {
		t.Fatalf("default: err = %v, want an x509 verification error", err)
	}
	if n := tlsCalls.Load(); n != 1 {
		t.Errorf("%d connections for a certificate error, want 1 (no retry)", n)
	}

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	c = newTestClient(t, f, func(cfg *Config) { cfg.CAFile = caFile })
	if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil {
		t.Fatalf("with CA file: %v", err)
	}

	c = newTestClient(t, f, func(cfg *Config) { cfg.InsecureSkipVerify = true })
	if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil {
		t.Fatalf("insecure: %v", err)
	}
}

// serve answers ep with body (already logged in via the fake).
func serveBody(t *testing.T, body string, mut func(*Config)) (*Client, *fakeZVM) {
	f := newFake(t, AuthKeycloak)
	f.setBody(EndpointVPGs, body)
	return newTestClient(t, f, mut), f
}

func TestDecodeErrors(t *testing.T) {
	big := "[" + strings.Repeat(`{"VpgName":"x"},`, 100) + `{"VpgName":"x"}]`
	for _, tc := range []struct {
		name, body string
		max        int64
		want       string
	}{
		{"size cap", big, 500, "GET /v1/vpgs: response exceeds 500 bytes"},
		{"size cap object", `{"a":"` + strings.Repeat("x", 1000) + `"}`, 500, "response exceeds 500 bytes"},
		{"truncated", `[{"VpgName":"a"},{"VpgNa`, 0, "GET /v1/vpgs: truncated response"},
		{"truncated array", `[{"VpgName":"a"}`, 0, "truncated response"},
		{"empty", ``, 0, "GET /v1/vpgs: empty response body"},
		{"malformed", `[{"VpgName": nope}]`, 0, "GET /v1/vpgs: decoding response: element 0: invalid character"},
		{"trailing garbage", `[] xyz`, 0, "GET /v1/vpgs: decoding response: unexpected data after the JSON value"},
		{"second value", `[] []`, 0, "unexpected data after the JSON value"},
		{"wrong type", `[{"VpgName":"a"},{"ActualRPO":"seven"}]`, 0, "element 1: field \"ActualRPO\": want a number, got a string at offset 30"},
		{"object for list", `{"VpgName":"a"}`, 0, "want a JSON array, got an object"},
		{"string for list", `"oops"`, 0, "want a JSON array, got a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := serveBody(t, tc.body, func(cfg *Config) { cfg.MaxResponseBytes = tc.max })
			_, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
	t.Run("ok with whitespace and null", func(t *testing.T) {
		c, f := serveBody(t, " [ {\"VpgName\":\"a\"} ]\r\n\t ", nil)
		vpgs, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs})
		if err != nil || len(vpgs) != 1 || vpgs[0].VpgName != "a" {
			t.Fatalf("VPGs = %v, %v", vpgs, err)
		}
		f.setBody(EndpointVPGs, "null")
		if vpgs, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs}); err != nil || len(vpgs) != 0 {
			t.Fatalf("null: %v, %v", vpgs, err)
		}
		f.setBody(EndpointLocalSite, "null")
		if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err == nil || !strings.Contains(err.Error(), "null") {
			t.Fatalf("null localsite: %v", err)
		}
	})
	t.Run("exactly the cap", func(t *testing.T) {
		body := `[{"VpgName":"a"}]`
		c, _ := serveBody(t, body, func(cfg *Config) { cfg.MaxResponseBytes = int64(len(body)) })
		if _, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("short body for Content-Length", func(t *testing.T) {
		c, f := serveBody(t, "", nil)
		f.handle(EndpointVPGs, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "100")
			fmt.Fprint(w, `[{"VpgName":"a"},`)
		})
		_, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs})
		if err == nil || !strings.Contains(err.Error(), "GET /v1/vpgs") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestStatusErrors(t *testing.T) {
	f := newFake(t, AuthSession)
	rec := &recorder{}
	c := newTestClient(t, f, func(cfg *Config) { cfg.Observer = rec })
	ctx := testCtx(t)

	_, err := ReadAs[[]VMStatistics](ctx, c, Request{Endpoint: EndpointVMStatistics})
	if !errors.Is(err, ErrNotSupported) {
		t.Fatalf("404: err = %v, want ErrNotSupported", err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 || ae.Endpoint != EndpointVMStatistics {
		t.Fatalf("404: %#v", err)
	}
	if !strings.HasPrefix(err.Error(), "GET /v1/statistics/vms: HTTP 404 Not Found") {
		t.Errorf("404 message: %v", err)
	}

	var calls atomic.Int32
	f.handle(EndpointVPGs, func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"Message":"An error has occurred.\n  Line two `+strings.Repeat("x", 500)+`"}`)
	})
	_, err = ReadAs[[]VPG](ctx, c, Request{Endpoint: EndpointVPGs})
	if calls.Load() != 1 {
		t.Errorf("500 was sent %d times, want no retry", calls.Load())
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "GET /v1/vpgs: HTTP 500 Internal Server Error: An error has occurred. Line two xxx") {
		t.Errorf("500 message: %s", msg)
	}
	if len(msg) > 300 || strings.Contains(msg, "\n") {
		t.Errorf("500 message not clipped to one short line: %d bytes", len(msg))
	}
	if errors.Is(err, ErrNotSupported) {
		t.Error("500 is ErrNotSupported")
	}

	f.handle(EndpointAlerts, func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<html><body>forbidden</body></html>`)
	})
	calls.Store(0)
	_, err = ReadAs[[]Alert](ctx, c, Request{Endpoint: EndpointAlerts})
	if calls.Load() != 1 || err == nil || err.Error() != "GET /v1/alerts: HTTP 403 Forbidden" {
		t.Errorf("403: %d calls, %v", calls.Load(), err)
	}
	obs := strings.Join(rec.all(), ",")
	for _, want := range []string{"/v1/session/add 200", "/v1/statistics/vms 404", "/v1/vpgs 500", "/v1/alerts 403"} {
		if !strings.Contains(obs, want) {
			t.Errorf("observer missed %q in %s", want, obs)
		}
	}
}

func TestRetries(t *testing.T) {
	type step struct {
		code       int
		retryAfter string
	}
	for _, tc := range []struct {
		name      string
		steps     []step
		deadline  time.Duration
		wantCalls int32
		wantErr   string
		maxTime   time.Duration
	}{
		{"503 then ok", []step{{503, ""}, {200, ""}}, 0, 2, "", time.Second},
		{"502 504 ok", []step{{502, ""}, {504, ""}, {200, ""}}, 0, 3, "", time.Second},
		{"503 thrice", []step{{503, ""}, {503, ""}, {503, ""}, {200, ""}}, 0, 3, "GET /v1/vpgs: HTTP 503 Service Unavailable", time.Second},
		{"429 Retry-After 0", []step{{429, "0"}, {200, ""}}, 0, 2, "", time.Second},
		{"429 Retry-After past deadline", []step{{429, "2"}, {200, ""}}, 300 * time.Millisecond, 1, "HTTP 429 Too Many Requests", 250 * time.Millisecond},
		{"429 Retry-After too long", []step{{429, "3600"}, {200, ""}}, 0, 1, "HTTP 429", 250 * time.Millisecond},
		{"500 not retried", []step{{500, ""}, {200, ""}}, 0, 1, "HTTP 500", time.Second},
		{"400 not retried", []step{{400, ""}, {200, ""}}, 0, 1, "HTTP 400", time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, AuthKeycloak)
			var calls atomic.Int32
			f.handle(EndpointVPGs, func(w http.ResponseWriter, _ *http.Request) {
				n := int(calls.Add(1)) - 1
				s := tc.steps[min(n, len(tc.steps)-1)]
				if s.retryAfter != "" {
					w.Header().Set("Retry-After", s.retryAfter)
				}
				w.WriteHeader(s.code)
				if s.code == 200 {
					fmt.Fprint(w, `[]`)
				}
			})
			c := newTestClient(t, f, nil)
			ctx := testCtx(t)
			if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil { // log in outside the timing
				t.Fatal(err)
			}
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			start := time.Now()
			_, err := ReadAs[[]VPG](ctx, c, Request{Endpoint: EndpointVPGs})
			elapsed := time.Since(start)
			if got := calls.Load(); got != tc.wantCalls {
				t.Errorf("calls = %d, want %d", got, tc.wantCalls)
			}
			if tc.wantErr == "" && err != nil {
				t.Errorf("err = %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
			if elapsed > tc.maxTime {
				t.Errorf("took %v, want under %v", elapsed, tc.maxTime)
			}
		})
	}
}

// The back-off wait itself never runs past the deadline either.
func TestRetryWaitRespectsDeadline(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	var calls atomic.Int32
	f.handle(EndpointVPGs, func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := newTestClient(t, f, nil)
	c.retryBase = time.Second
	if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := ReadAs[[]VPG](ctx, c, Request{Endpoint: EndpointVPGs})
	if time.Since(start) > 150*time.Millisecond || calls.Load() != 1 || !strings.Contains(fmt.Sprint(err), "HTTP 503") {
		t.Fatalf("took %v with %d calls: %v", time.Since(start), calls.Load(), err)
	}
}

func TestConnectionErrorsRetried(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	var calls atomic.Int32
	f.handle(EndpointVPGs, func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) < 3 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // no response at all
			}
			return
		}
		fmt.Fprint(w, `[{"VpgName":"a"}]`)
	})
	rec := &recorder{}
	c := newTestClient(t, f, func(cfg *Config) { cfg.Observer = rec })
	vpgs, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs})
	if err != nil || len(vpgs) != 1 {
		t.Fatalf("VPGs = %v, %v", vpgs, err)
	}
	// net/http itself retries a GET once on a dropped keep-alive connection, so the client may
	// see only one of the two failures.
	if got := strings.Join(rec.all(), ","); !strings.Contains(got, "/v1/vpgs error,") || !strings.HasSuffix(got, "/v1/vpgs 200") {
		t.Errorf("observed %s", got)
	}
}

func TestRequestTimeout(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	var calls atomic.Int32
	f.handle(EndpointVPGs, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	})
	c := newTestClient(t, f, func(cfg *Config) { cfg.Timeout = 100 * time.Millisecond })
	start := time.Now()
	_, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs})
	if err == nil || !strings.Contains(err.Error(), "GET /v1/vpgs") {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded inside", err)
	}
	if d := time.Since(start); d > time.Second || calls.Load() != 1 {
		t.Errorf("took %v with %d calls; want one attempt cut at the timeout", d, calls.Load())
	}
}

func TestRecoveryReportsPaging(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	var pages []string
	f.handle(EndpointRecoveryReports, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		pages = append(pages, q.Encode())
		n := map[string]int{"1": 2, "2": 2, "3": 1}[q.Get("pageNumber")]
		var items []string
		for i := range n {
			items = append(items, fmt.Sprintf(`{"RecoveryOperationIdentifier":"op-%s-%d","General":{"VpgName":"v","RTOInSeconds":"%d"}}`, q.Get("pageNumber"), i, 10*i))
		}
		fmt.Fprint(w, "["+strings.Join(items, ",")+"]")
	})
	c := newTestClient(t, f, nil)
	ist := time.FixedZone("IST", 5*3600+1800)
	start := time.Date(2025, 1, 2, 8, 34, 5, 999, ist) // 03:04:05Z
	reports, err := c.RecoveryReports(testCtx(t), RecoveryQuery{StartTime: start, PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 5 || reports[4].RecoveryOperationIdentifier != "op-3-0" || reports[1].General.RTOInSeconds.Value != 10 {
		t.Fatalf("reports = %+v", reports)
	}
	want := []string{
		"pageNumber=1&pageSize=2&startTime=2025-01-02T03%3A04%3A05Z",
		"pageNumber=2&pageSize=2&startTime=2025-01-02T03%3A04%3A05Z",
		"pageNumber=3&pageSize=2&startTime=2025-01-02T03%3A04%3A05Z",
	}
	if strings.Join(pages, " ") != strings.Join(want, " ") {
		t.Errorf("queries:\n%s\nwant\n%s", strings.Join(pages, "\n"), strings.Join(want, "\n"))
	}

	// Defaults: page size 1000, no time filters; an empty first page ends it.
	pages = nil
	f.handle(EndpointRecoveryReports, func(w http.ResponseWriter, r *http.Request) {
		pages = append(pages, r.URL.Query().Encode())
		fmt.Fprint(w, "[]")
	})
	end := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	if _, err := c.RecoveryReports(testCtx(t), RecoveryQuery{EndTime: end, PageSize: 5000}); err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || pages[0] != "endTime=2025-02-01T00%3A00%3A00Z&pageNumber=1&pageSize=1000" {
		t.Errorf("queries = %q", pages)
	}
}

func TestTasksFilter(t *testing.T) {
	f := newFake(t, AuthSession)
	f.setBody(EndpointTasks, `[]`)
	c := newTestClient(t, f, nil)
	ctx := testCtx(t)
	if _, err := ReadAs[[]Task](ctx, c, Request{Endpoint: EndpointTasks, Since: time.Time{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAs[[]Task](ctx, c, Request{Endpoint: EndpointTasks, Since: time.Date(2025, 3, 1, 13, 0, 0, 0, time.FixedZone("CET", 3600))}); err != nil {
		t.Fatal(err)
	}
	reqs := f.requestsTo(EndpointTasks)
	if reqs[0].URL.RawQuery != "" {
		t.Errorf("zero time sent %q", reqs[0].URL.RawQuery)
	}
	if got := reqs[1].URL.Query().Get("startedAfterDate"); got != "2025-03-01T12:00:00Z" {
		t.Errorf("startedAfterDate = %q", got)
	}
}

func TestBasePathPrefix(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	mux := http.NewServeMux()
	mux.Handle("/zvm/", http.StripPrefix("/zvm", f))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(Config{URL: srv.URL + "/zvm/", Username: f.user, Password: f.pass})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil {
		t.Fatal(err)
	}
}

func TestCrossHostRedirectRefused(t *testing.T) {
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("x-zerto-session") != "" {
			leaked.Store(true)
		}
		fmt.Fprint(w, `[]`)
	}))
	t.Cleanup(other.Close)
	f := newFake(t, AuthSession)
	var calls atomic.Int32
	f.handle(EndpointVPGs, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/v1/vpgs", http.StatusFound)
	})
	c := newTestClient(t, f, nil)
	_, err := ReadAs[[]VPG](testCtx(t), c, Request{Endpoint: EndpointVPGs})
	if err == nil || leaked.Load() || calls.Load() != 1 {
		t.Fatalf("err = %v, leaked = %v, calls = %d", err, leaked.Load(), calls.Load())
	}
}
