package zvm

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

func TestSessionAuth(t *testing.T) {
	f := newFake(t, AuthSession)
	rec := &recorder{}
	c := newTestClient(t, f, func(cfg *Config) { cfg.Observer = rec })
	ctx := testCtx(t)
	if got := c.Flavour(); got != AuthSession {
		t.Fatalf("Flavour() = %q before login, want session", got)
	}
	for range 3 {
		site, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite})
		if err != nil {
			t.Fatal(err)
		}
		if site.SiteName != "Site One" {
			t.Fatalf("SiteName = %q", site.SiteName)
		}
	}
	if n := f.loginCount(); n != 1 {
		t.Fatalf("logins = %d, want 1 (the session is kept)", n)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:s3cret!"))
	if f.loginAuth[0] != want {
		t.Errorf("login Authorization = %q, want %q", f.loginAuth[0], want)
	}
	login := f.requestsTo(EndpointSessionAdd)[0]
	if login.Method != http.MethodPost || login.ContentLength > 0 {
		t.Errorf("login: method %s, length %d; want POST without body", login.Method, login.ContentLength)
	}
	for _, r := range f.requestsTo(EndpointLocalSite) {
		if r.Header.Get("x-zerto-session") != "tok-1" || r.Header.Get("Authorization") != "" {
			t.Errorf("GET headers: %v", r.Header)
		}
		if r.Header.Get("Accept") != "application/json" {
			t.Errorf("Accept = %q", r.Header.Get("Accept"))
		}
	}
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if f.logouts != 1 || len(f.requestsTo(EndpointSession)) != 1 {
		t.Errorf("logouts = %d, want one DELETE /v1/session", f.logouts)
	}
	got := strings.Join(rec.all(), ",")
	if want := "/v1/session/add 200,/v1/localsite 200,/v1/localsite 200,/v1/localsite 200,/v1/session 200"; got != want {
		t.Errorf("observed %s\nwant     %s", got, want)
	}
}

func TestKeycloakPasswordGrant(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	c := newTestClient(t, f, nil)
	ctx := testCtx(t)
	for range 2 {
		if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.loginCount(); n != 1 {
		t.Fatalf("logins = %d, want 1", n)
	}
	form := f.forms[0]
	for k, v := range map[string]string{"grant_type": "password", "client_id": "zerto-client", "username": "admin", "password": "s3cret!"} {
		if form.Get(k) != v {
			t.Errorf("form %s = %q, want %q", k, form.Get(k), v)
		}
	}
	if form.Has("client_secret") {
		t.Error("password grant sent a client_secret")
	}
	r := f.requestsTo(EndpointKeycloakToken)[0]
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("token Content-Type = %q", ct)
	}
	if h := f.requestsTo(EndpointLocalSite)[0].Header; h.Get("Authorization") != "Bearer tok-1" || h.Get("x-zerto-session") != "" {
		t.Errorf("GET headers: %v", h)
	}
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if len(f.requestsTo(EndpointSession)) != 0 {
		t.Error("Close sent DELETE /v1/session to an appliance")
	}
}

func TestKeycloakClientCredentials(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.clientID, f.secret = "exporter", "cl13nt-secret"
	c := newTestClient(t, f, func(cfg *Config) {
		cfg.Username, cfg.Password = "", ""
		cfg.ClientID, cfg.ClientSecret = "exporter", "cl13nt-secret"
	})
	if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil {
		t.Fatal(err)
	}
	form := f.forms[0]
	for k, v := range map[string]string{"grant_type": "client_credentials", "client_id": "exporter", "client_secret": "cl13nt-secret"} {
		if form.Get(k) != v {
			t.Errorf("form %s = %q, want %q", k, form.Get(k), v)
		}
	}
	if form.Has("username") || form.Has("password") {
		t.Errorf("client_credentials grant sent user fields: %v", form)
	}
}

func TestAutoDetect(t *testing.T) {
	for _, mode := range []AuthMode{AuthSession, AuthKeycloak} {
		t.Run(string(mode), func(t *testing.T) {
			f := newFake(t, mode)
			c := newTestClient(t, f, func(cfg *Config) { cfg.Auth = AuthAuto })
			if got := c.Flavour(); got != "" {
				t.Fatalf("Flavour() = %q before login, want empty", got)
			}
			ctx := testCtx(t)
			for range 3 {
				if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil {
					t.Fatal(err)
				}
			}
			if got := c.Flavour(); got != mode {
				t.Fatalf("Flavour() = %q, want %q", got, mode)
			}
			f.expireAll() // force a second login: it must not probe again
			if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil {
				t.Fatal(err)
			}
			tokenCalls, sessionCalls := len(f.requestsTo(EndpointKeycloakToken)), len(f.requestsTo(EndpointSessionAdd))
			if mode == AuthSession && (tokenCalls != 1 || sessionCalls != 2) {
				t.Errorf("token calls %d, session calls %d; want 1 probe then 2 session logins", tokenCalls, sessionCalls)
			}
			if mode == AuthKeycloak && (tokenCalls != 2 || sessionCalls != 0) {
				t.Errorf("token calls %d, session calls %d; want 2 token logins only", tokenCalls, sessionCalls)
			}
		})
	}
}

// A Windows ZVM that refuses the unknown token path with a bare 401 (no OAuth body) is still
// detected through /v1/session/add; an appliance whose token endpoint gives a bare 401 and whose
// /v1/session/add is 404 is Keycloak with wrong credentials.
func TestAutoDetectBare401(t *testing.T) {
	t.Run("windows", func(t *testing.T) {
		f := newFake(t, AuthSession)
		f.handleRaw(EndpointKeycloakToken, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
		c := newTestClient(t, f, func(cfg *Config) { cfg.Auth = AuthAuto })
		if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil {
			t.Fatal(err)
		}
		if c.Flavour() != AuthSession {
			t.Fatalf("Flavour() = %q", c.Flavour())
		}
	})
	t.Run("appliance", func(t *testing.T) {
		f := newFake(t, AuthKeycloak)
		f.handleRaw(EndpointKeycloakToken, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
		c := newTestClient(t, f, func(cfg *Config) { cfg.Auth = AuthAuto })
		_, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite})
		var ae *AuthError
		if !errors.As(err, &ae) || ae.Endpoint != EndpointKeycloakToken {
			t.Fatalf("err = %v, want an AuthError of the token endpoint", err)
		}
		if c.Flavour() != AuthKeycloak {
			t.Fatalf("Flavour() = %q", c.Flavour())
		}
	})
}

func TestAutoNeitherFlavour(t *testing.T) {
	f := newFake(t, AuthSession)
	f.handleRaw(EndpointSessionAdd, http.NotFound) // and the token path is 404 too
	c := newTestClient(t, f, func(cfg *Config) { cfg.Auth = AuthAuto })
	_, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite})
	if err == nil || !strings.Contains(err.Error(), "neither") {
		t.Fatalf("err = %v", err)
	}
	if c.Flavour() != "" {
		t.Errorf("Flavour() = %q, want undecided", c.Flavour())
	}
}

func TestAutoZVMDown(t *testing.T) {
	f := newFake(t, AuthSession)
	c := newTestClient(t, f, func(cfg *Config) { cfg.Auth = AuthAuto })
	f.srv.Close() // a Windows ZVM that is down: nothing answers
	_, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite})
	if err == nil || !strings.Contains(err.Error(), "flavour not detected yet (auto tries Keycloak, then the session login)") {
		t.Fatalf("err = %v", err)
	}
	if c.Flavour() != "" {
		t.Errorf("Flavour() = %q, want undecided", c.Flavour())
	}
}

func TestWrongFlavourHint(t *testing.T) {
	for _, tc := range []struct {
		zvm, configured AuthMode
		want            string
	}{
		{AuthKeycloak, AuthSession, "the ZVM has no session login: if it is a ZVM Appliance, use auth keycloak or auto"},
		{AuthSession, AuthKeycloak, "the ZVM has no keycloak login: if it is a Windows ZVM, use auth session or auto"},
	} {
		f := newFake(t, tc.zvm)
		c := newTestClient(t, f, func(cfg *Config) { cfg.Auth = tc.configured })
		_, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "404") {
			t.Errorf("%s ZVM with auth %s: err = %v", tc.zvm, tc.configured, err)
		}
	}
}

func TestAutoWrongCredentialsNoSwitch(t *testing.T) {
	for _, mode := range []AuthMode{AuthSession, AuthKeycloak} {
		t.Run(string(mode), func(t *testing.T) {
			f := newFake(t, mode)
			c := newTestClient(t, f, func(cfg *Config) { cfg.Auth = AuthAuto; cfg.Password = "wrong" })
			_, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite})
			if _, ok := errors.AsType[*AuthError](err); !ok {
				t.Fatalf("err = %v, want AuthError", err)
			}
			if c.Flavour() != mode {
				t.Errorf("Flavour() = %q, want %q", c.Flavour(), mode)
			}
			if strings.Contains(err.Error(), "wrong") {
				t.Errorf("error leaks the password: %v", err)
			}
		})
	}
}

func TestKeycloakRenewsBeforeExpiry(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.expiresIn = 60 // renewal margin min(30s, 20s) = 20s
	clk := newClock()
	c := newTestClient(t, f, func(cfg *Config) { cfg.Now = clk.Now })
	ctx := testCtx(t)
	get := func() {
		t.Helper()
		if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil {
			t.Fatal(err)
		}
	}
	get()
	clk.Advance(39 * time.Second) // 21 s left
	get()
	if n := f.loginCount(); n != 1 {
		t.Fatalf("logins = %d after 39 s, want 1", n)
	}
	clk.Advance(2 * time.Second) // 19 s left
	get()
	if n := f.loginCount(); n != 2 {
		t.Fatalf("logins = %d after 41 s, want 2 (renewed)", n)
	}
	if got := f.requestsTo(EndpointLocalSite)[2].Header.Get("Authorization"); got != "Bearer tok-2" {
		t.Errorf("third call used %q, want the renewed token", got)
	}
	// Long lifetimes renew 30 s before expiry.
	f.expiresIn = 300
	clk.Advance(time.Hour)
	get() // login 3, expires in 300 s
	clk.Advance(269 * time.Second)
	get()
	clk.Advance(2 * time.Second)
	get()
	if n := f.loginCount(); n != 4 {
		t.Fatalf("logins = %d, want 4", n)
	}
}

func TestReauthOnceOn401(t *testing.T) {
	for _, mode := range []AuthMode{AuthSession, AuthKeycloak} {
		t.Run(string(mode), func(t *testing.T) {
			f := newFake(t, mode)
			c := newTestClient(t, f, nil)
			ctx := testCtx(t)
			if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil {
				t.Fatal(err)
			}
			f.expireAll() // server-side expiry: the next call gets a 401
			if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil {
				t.Fatalf("after expiry: %v", err)
			}
			if n := f.loginCount(); n != 2 {
				t.Fatalf("logins = %d, want 2", n)
			}
			if n := len(f.requestsTo(EndpointLocalSite)); n != 3 {
				t.Fatalf("GETs = %d, want 3 (ok, 401, retry)", n)
			}

			// Two 401s in a row: one re-login, then the error.
			f.mu.Lock()
			f.reject401 = 2
			f.mu.Unlock()
			_, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite})
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnauthorized {
				t.Fatalf("err = %v, want a 401 APIError", err)
			}
			if n := f.loginCount(); n != 3 {
				t.Fatalf("logins = %d, want 3 (exactly one re-login)", n)
			}
			if n := len(f.requestsTo(EndpointLocalSite)); n != 5 {
				t.Fatalf("GETs = %d, want 5", n)
			}
		})
	}
}

func TestWrongCredentialsBackOff(t *testing.T) {
	for _, mode := range []AuthMode{AuthSession, AuthKeycloak} {
		t.Run(string(mode), func(t *testing.T) {
			f := newFake(t, mode)
			clk := newClock()
			var logBuf testutil.SyncBuffer
			c := newTestClient(t, f, func(cfg *Config) {
				cfg.Password = "wrong-pw"
				cfg.Now = clk.Now
				cfg.Logger = newLogger(&logBuf)
			})
			ctx := testCtx(t)
			// 10 minutes of calls every 5 s: 1+2+4+…+256 s back-off allows ~9 logins, not 120.
			for range 120 {
				_, err := ReadAs[[]VPG](ctx, c, Request{Endpoint: EndpointVPGs})
				var ae *AuthError
				if !errors.As(err, &ae) {
					t.Fatalf("err = %v, want AuthError", err)
				}
				if ae.StatusCode != http.StatusUnauthorized {
					t.Fatalf("status = %d", ae.StatusCode)
				}
				clk.Advance(5 * time.Second)
			}
			n := f.loginCount()
			if n < 5 || n > 10 {
				t.Fatalf("logins = %d over 10 min, want bounded back-off (5..10)", n)
			}
			_, err := ReadAs[[]VPG](ctx, c, Request{Endpoint: EndpointVPGs})
			if err == nil || !strings.Contains(err.Error(), "backing off until") {
				// the last call might have been an attempt; one more must fail fast
				if _, err = ReadAs[[]VPG](ctx, c, Request{Endpoint: EndpointVPGs}); err == nil || !strings.Contains(err.Error(), "backing off until") {
					t.Fatalf("err = %v, want fail-fast back-off", err)
				}
			}
			if warns := strings.Count(logBuf.String(), "level=warn"); warns != f.loginCount() {
				t.Errorf("%d warnings for %d logins, want one per failed login", warns, f.loginCount())
			}
			if strings.Contains(logBuf.String(), "wrong-pw") {
				t.Error("the log contains the password")
			}
			// The fix: correct password, back-off over, success resets.
			c.cfg.Password = f.pass
			clk.Advance(10 * time.Minute)
			if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil {
				t.Fatal(err)
			}
			if until, _ := c.auth.backoff(); !until.IsZero() {
				t.Errorf("back-off until %s after success", until)
			}
		})
	}
}

func TestConcurrentCallersShareOneLogin(t *testing.T) {
	for _, mode := range []AuthMode{AuthSession, AuthKeycloak} {
		t.Run(string(mode), func(t *testing.T) {
			f := newFake(t, mode)
			f.loginDelay = 50 * time.Millisecond
			c := newTestClient(t, f, nil)
			ctx := testCtx(t)
			var wg sync.WaitGroup
			errs := make(chan error, 20)
			for range 20 {
				wg.Go(func() {
					_, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite})
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if n := f.loginCount(); n != 1 {
				t.Fatalf("logins = %d, want 1", n)
			}
		})
	}
}

func TestAutoDetect405(t *testing.T) {
	f := newFake(t, AuthSession)
	f.handleRaw(EndpointKeycloakToken, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusMethodNotAllowed) })
	c := newTestClient(t, f, func(cfg *Config) { cfg.Auth = AuthAuto })
	if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil {
		t.Fatal(err)
	}
	if c.Flavour() != AuthSession {
		t.Fatalf("Flavour() = %q", c.Flavour())
	}
}

func TestAutoUndecidedOn5xx(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	var down atomic.Bool
	down.Store(true)
	f.handleRaw(EndpointKeycloakToken, func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		f.tokenLogin(w, r)
	})
	c := newTestClient(t, f, func(cfg *Config) { cfg.Auth = AuthAuto })
	if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err == nil {
		t.Fatal("no error while the token endpoint fails")
	}
	if c.Flavour() != "" || len(f.requestsTo(EndpointSessionAdd)) != 0 {
		t.Fatalf("a 500 decided the flavour (%q) or probed the session login", c.Flavour())
	}
	down.Store(false) // no back-off for a server error: the next call logs in
	if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil {
		t.Fatal(err)
	}
	if c.Flavour() != AuthKeycloak {
		t.Fatalf("Flavour() = %q", c.Flavour())
	}
}

func TestCloseAfterServerExpiry(t *testing.T) {
	f := newFake(t, AuthSession)
	c := newTestClient(t, f, nil)
	ctx := testCtx(t)
	if err := c.Close(ctx); err != nil { // never logged in: no-op
		t.Fatal(err)
	}
	if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil {
		t.Fatal(err)
	}
	f.expireAll()
	if err := c.Close(ctx); err != nil {
		t.Fatalf("Close of an expired session: %v", err)
	}
	if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil { // usable after Close
		t.Fatal(err)
	}
}

// A waiter does not inherit the cancellation of the caller whose login it waited for.
func TestCancelledLoginNotShared(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.loginDelay = 200 * time.Millisecond
	c := newTestClient(t, f, nil)
	first, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := ReadAs[*LocalSite](first, c, Request{Endpoint: EndpointLocalSite})
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond) // the first caller is logging in
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	if _, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite}); err != nil {
		t.Fatalf("second caller: %v", err)
	}
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller: %v", err)
	}
}

// TestBackoffPerZVMAndAccount: the login back-off is the ZVM's and the account's, not one
// client's: twenty spellings of one ZVM, as twenty clients (modules, probe targets) and clients
// rebuilt by a config reload, make one rejected login per back-off step, not one each (before,
// each spelling and each rebuilt client had a back-off of its own: 20 rejected logins at once).
func TestBackoffPerZVMAndAccount(t *testing.T) {
	for _, mode := range []AuthMode{AuthSession, AuthKeycloak} {
		t.Run(string(mode), func(t *testing.T) {
			f := newFake(t, mode)
			clk := newClock()
			logins := NewLogins()
			port := f.srv.URL[strings.LastIndex(f.srv.URL, ":"):]
			ctx := testCtx(t)
			spellings := []string{"localhost", "Localhost", "LOCALHOST", "localHost", "LocalHost", "lOcalhost",
				"loCalhost", "locAlhost", "locaLhost", "localhOst", "localhoSt", "localhosT", "LOCALhost"}
			var urls []string
			for _, h := range spellings {
				urls = append(urls, "http://"+h+port, "http://"+h+port+"/")
			}
			urls = urls[:20]
			call := func(url string) error {
				c := newTestClient(t, f, func(cfg *Config) {
					cfg.URL, cfg.Password, cfg.Now, cfg.Logins = url, "wrong-pw", clk.Now, logins
				})
				_, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite})
				return err
			}
			for _, u := range urls {
				if err := call(u); !errors.As(err, new(*AuthError)) {
					t.Fatalf("%s: %v, want an AuthError", u, err)
				}
			}
			if n := f.loginCount(); n != 1 {
				t.Fatalf("%d rejected logins for 20 spellings of one ZVM, want 1", n)
			}
			// Rebuilt clients (a reload) within the step: still no login.
			for range 10 {
				_ = call(urls[3])
			}
			if n := f.loginCount(); n != 1 {
				t.Fatalf("%d rejected logins after 10 rebuilt clients, want 1", n)
			}
			clk.Advance(1100 * time.Millisecond) // the first step (1 s) is over: one more attempt, by one of them
			for _, u := range urls {
				_ = call(u)
			}
			if n := f.loginCount(); n != 2 {
				t.Fatalf("%d rejected logins after the first step, want 2", n)
			}
			// Another account on the same ZVM has a back-off of its own.
			c := newTestClient(t, f, func(cfg *Config) { cfg.Now, cfg.Logins = clk.Now, logins })
			if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil {
				t.Fatalf("the right account is held back by another's back-off: %v", err)
			}
		})
	}
}

// TestShortTokenLifetimeFloored: a token said to live 1 ms is kept as if it lived
// MinTokenLifetime and counted, so twenty-two requests make one login (before: one per request);
// and when the ZVM really refuses such tokens at once, it still gets one login per refresh.
func TestShortTokenLifetimeFloored(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.expiresIn = 0.001
	clk := newClock()
	logins := NewLogins()
	c := newTestClient(t, f, func(cfg *Config) { cfg.Now, cfg.Logins = clk.Now, logins })
	ctx := testCtx(t)
	for range 22 {
		if _, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(100 * time.Millisecond)
	}
	if n := f.loginCount(); n != 1 {
		t.Fatalf("%d logins for 22 requests with expires_in 0.001, want 1", n)
	}
	if n := logins.ShortTokens.Load(); n != 1 {
		t.Errorf("ShortTokens = %d, want 1", n)
	}
	// A ZVM that refuses every token it issues: one re-login, then none until the floor is over.
	clk.Advance(time.Minute)
	f.mu.Lock()
	f.reject401 = 1000
	f.mu.Unlock()
	before := f.loginCount()
	for range 22 {
		_, _ = ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite})
	}
	if n := f.loginCount() - before; n > 1 {
		t.Fatalf("%d logins in one refresh of 22 requests against a ZVM refusing its tokens, want at most 1", n)
	}
	clk.Advance(MinTokenLifetime)
	_, _ = ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite})
	if n := f.loginCount() - before; n != 2 {
		t.Errorf("%d logins once the floor is over, want 2", n)
	}
}

// TestCAFileBounded: a CA file that is a device is refused when the client is built, not read
// until memory runs out.
func TestCAFileBounded(t *testing.T) {
	_, err := New(Config{URL: "https://zvm", Username: "u", Password: "p", CAFile: "/dev/zero"})
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("New with ca_file /dev/zero: %v, want not a regular file", err)
	}
}
