package zvm

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// fakeZVM is a minimal ZVM of either flavour for client tests.
type fakeZVM struct {
	t         testing.TB
	mode      AuthMode // AuthSession or AuthKeycloak
	user      string
	pass      string
	clientID  string
	secret    string
	expiresIn float64
	srv       *httptest.Server

	mu         sync.Mutex
	logins     int
	loginDelay time.Duration
	tokens     map[string]bool
	seq        int
	bodies     map[string]string
	handlers   map[string]http.HandlerFunc // after the credential check
	raw        map[string]http.HandlerFunc // before anything else, logins included
	reject401  int                         // answer 401 to this many authenticated calls, valid token or not
	forms      []url.Values
	loginAuth  []string // Authorization headers of session logins
	logouts    int
	requests   []*http.Request
}

func newFake(t testing.TB, mode AuthMode) *fakeZVM {
	f := &fakeZVM{
		t: t, mode: mode, user: "admin", pass: "s3cret!", clientID: "zerto-client", expiresIn: 300,
		tokens: map[string]bool{}, bodies: map[string]string{}, handlers: map[string]http.HandlerFunc{},
		raw: map[string]http.HandlerFunc{},
	}
	f.bodies[string(EndpointLocalSite)] = `{"SiteIdentifier":"site-1","SiteName":"Site One","Version":"10.0"}`
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeZVM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Clone(context.Background()))
	raw := f.raw[r.URL.Path]
	f.mu.Unlock()
	switch {
	case raw != nil:
		raw(w, r)
	case r.URL.Path == string(EndpointKeycloakToken):
		if f.mode != AuthKeycloak || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		f.tokenLogin(w, r)
	case r.URL.Path == string(EndpointSessionAdd):
		if f.mode != AuthSession || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		f.sessionLogin(w, r)
	case r.URL.Path == string(EndpointSession) && r.Method == http.MethodDelete:
		f.mu.Lock()
		defer f.mu.Unlock()
		tok := r.Header.Get("x-zerto-session")
		if !f.tokens[tok] {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		delete(f.tokens, tok)
		f.logouts++
	default:
		if !f.authorized(r) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"Message":"Authorization has been denied for this request."}`)
			return
		}
		f.mu.Lock()
		h, body, ok := f.handlers[r.URL.Path], f.bodies[r.URL.Path], false
		if h == nil {
			_, ok = f.bodies[r.URL.Path]
		}
		f.mu.Unlock()
		switch {
		case h != nil:
			h(w, r)
		case ok:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			fmt.Fprint(w, body)
		default:
			http.NotFound(w, r)
		}
	}
}

func (f *fakeZVM) authorized(r *http.Request) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reject401 > 0 {
		f.reject401--
		return false
	}
	var tok string
	if f.mode == AuthSession {
		tok = r.Header.Get("x-zerto-session")
	} else {
		tok, _ = strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	return f.tokens[tok]
}

func (f *fakeZVM) newToken() string {
	f.seq++
	tok := fmt.Sprintf("tok-%d", f.seq)
	f.tokens[tok] = true
	return tok
}

func (f *fakeZVM) tokenLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.logins++
	f.forms = append(f.forms, r.PostForm)
	delay := f.loginDelay
	f.mu.Unlock()
	time.Sleep(delay)
	p := r.PostForm
	var ok bool
	switch p.Get("grant_type") {
	case "password":
		ok = p.Get("client_id") == f.clientID && p.Get("username") == f.user && p.Get("password") == f.pass
	case "client_credentials":
		ok = p.Get("client_id") == f.clientID && p.Get("client_secret") == f.secret && f.secret != ""
	}
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"invalid_grant","error_description":"Invalid user credentials"}`)
		return
	}
	f.mu.Lock()
	tok := f.newToken()
	exp := f.expiresIn
	f.mu.Unlock()
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": tok, "expires_in": exp, "refresh_expires_in": 1800, "refresh_token": "r",
		"token_type": "Bearer", "not-before-policy": 0, "session_state": "x", "scope": "profile email",
	})
}

func (f *fakeZVM) sessionLogin(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.logins++
	f.loginAuth = append(f.loginAuth, r.Header.Get("Authorization"))
	delay := f.loginDelay
	f.mu.Unlock()
	time.Sleep(delay)
	u, p, _ := r.BasicAuth()
	if u != f.user || p != f.pass {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	f.mu.Lock()
	tok := f.newToken()
	f.mu.Unlock()
	w.Header().Set("x-zerto-session", tok)
	w.Header().Set("Content-Length", "0")
}

func (f *fakeZVM) loginCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.logins
}

func (f *fakeZVM) setBody(ep Endpoint, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bodies[string(ep)] = body
}

func (f *fakeZVM) handle(ep Endpoint, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[string(ep)] = h
}

func (f *fakeZVM) handleRaw(ep Endpoint, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.raw[string(ep)] = h
}

func (f *fakeZVM) expireAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = map[string]bool{}
}

// requestsTo returns the recorded requests for path.
func (f *fakeZVM) requestsTo(ep Endpoint) []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*http.Request
	for _, r := range f.requests {
		if r.URL.Path == string(ep) {
			out = append(out, r)
		}
	}
	return out
}

// newClock is a settable Config.Now.
func newClock() *testutil.Clock {
	return testutil.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
}

// recorder is an Observer that records every call.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) ObserveRequest(ep Endpoint, code string, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, string(ep)+" "+code)
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// newTestClient builds a client for f with fast retries.
func newTestClient(t testing.TB, f *fakeZVM, mut func(*Config)) *Client {
	t.Helper()
	cfg := Config{URL: f.srv.URL, Auth: f.mode, Username: f.user, Password: f.pass, Timeout: 5 * time.Second}
	if mut != nil {
		mut(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.retryBase = 10 * time.Millisecond
	return c
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
