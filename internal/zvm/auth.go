package zvm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-kit/log/level"

	"github.com/zerto-exporter/zerto_exporter/internal/baseurl"
)

// Header names of the two credential kinds.
const (
	sessionHeader = "x-zerto-session"
	bearerHeader  = "Authorization"
)

// Login back-off: a rejected login waits 1 s, 2 s, 4 s … at most 5 min before the next, so an
// exporter with a wrong password never locks the account. A successful login resets it.
const (
	loginBackoffBase = time.Second
	loginBackoffMax  = 5 * time.Minute
	// defaultTokenLifetime is assumed when Keycloak sends no usable expires_in (its default).
	defaultTokenLifetime = 300 * time.Second
	// MinTokenLifetime is the shortest lifetime a token is kept for: a token said to live less is
	// renewed as if it lived this long (Logins.ShortTokens counts them) and, if the ZVM refuses
	// it sooner, not replaced before it is this old, so that a ZVM that hands out dying tokens
	// gets at most one login per refresh, not one per request.
	MinTokenLifetime = 30 * time.Second
	maxTokenBytes    = 1 << 20
)

// credential is what a login yields: one header to send on every call.
type credential struct {
	header, value string
	lifetime      time.Duration // 0: a sliding session with no known expiry
	floored       bool          // the ZVM said it lived less than MinTokenLifetime
	obtained      time.Time
	expires       time.Time
}

func (cr *credential) apply(req *http.Request) { req.Header.Set(cr.header, cr.value) }

// authenticator is one login flavour.
type authenticator interface {
	mode() AuthMode
	login(ctx context.Context) (*credential, error)
}

// SessionAuthMethod is the account kind a Windows ZVM checks the Basic credentials against.
type SessionAuthMethod string

// Session auth methods: a Windows account (no body, the ZVM's default) or a vCenter (SSO)
// account, for which /v1/session/add wants {"AuthenticationMethod":1} (docs/zvm-api.md).
const (
	SessionWindows SessionAuthMethod = "windows"
	SessionVCenter SessionAuthMethod = "vcenter"
)

// AuthModes lists the valid auth modes: the one list the flags, the config file and New check.
var AuthModes = []AuthMode{AuthAuto, AuthSession, AuthKeycloak}

// SessionAuthMethods lists the valid session auth methods.
var SessionAuthMethods = []SessionAuthMethod{SessionWindows, SessionVCenter}

// sessionAuth is the Windows ZVM login: POST /v1/session/add with Basic auth, and for a vCenter
// account the body {"AuthenticationMethod":1}; the token comes back in the x-zerto-session header.
type sessionAuth struct{ c *Client }

func (sessionAuth) mode() AuthMode { return AuthSession }

func (a sessionAuth) login(ctx context.Context) (*credential, error) {
	var token string
	rq := call{
		method: http.MethodPost,
		ep:     EndpointSessionAdd,
		auth:   func(r *http.Request) { r.SetBasicAuth(a.c.cfg.Username, a.c.cfg.Password) },
	}
	if a.c.cfg.SessionAuthMethod == SessionVCenter {
		rq.json = `{"AuthenticationMethod":1}`
	}
	err := a.c.do(ctx, rq, func(resp *http.Response) error {
		token = strings.TrimSpace(resp.Header.Get(sessionHeader))
		if token == "" {
			return fmt.Errorf("POST %s: the answer has no %s header", EndpointSessionAdd, sessionHeader)
		}
		return nil
	})
	if err != nil {
		return nil, asAuthError(err, http.StatusUnauthorized, http.StatusForbidden)
	}
	return &credential{header: sessionHeader, value: token}, nil
}

// keycloakAuth is the appliance login: an OAuth2 token from the realm "zerto", by the password
// grant (public client zerto-client by default) or, with a client secret, client_credentials.
type keycloakAuth struct{ c *Client }

func (keycloakAuth) mode() AuthMode { return AuthKeycloak }

func (a keycloakAuth) login(ctx context.Context) (*credential, error) {
	cfg := &a.c.cfg
	form := url.Values{"client_id": {cfg.ClientID}}
	if cfg.ClientSecret != "" {
		form.Set("grant_type", "client_credentials")
		form.Set("client_secret", cfg.ClientSecret)
	} else {
		form.Set("grant_type", "password")
		form.Set("username", cfg.Username)
		form.Set("password", cfg.Password)
	}
	var tok struct {
		AccessToken string    `json:"access_token"`
		ExpiresIn   FlexFloat `json:"expires_in"`
	}
	obtained := a.c.now()
	rq := call{method: http.MethodPost, ep: EndpointKeycloakToken, form: form}
	err := a.c.do(ctx, rq, func(resp *http.Response) error {
		if err := decodeBody(resp.Body, maxTokenBytes, &tok); err != nil {
			return fmt.Errorf("POST %s: %w", EndpointKeycloakToken, err)
		}
		if tok.AccessToken == "" {
			return fmt.Errorf("POST %s: the answer has no access_token", EndpointKeycloakToken)
		}
		return nil
	})
	if err != nil {
		return nil, asAuthError(err, http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden)
	}
	lifetime := time.Duration(tok.ExpiresIn.Value * float64(time.Second))
	floored := false
	switch {
	case !tok.ExpiresIn.Set || tok.ExpiresIn.Value <= 0 || lifetime > 24*time.Hour:
		lifetime = defaultTokenLifetime
	case lifetime < MinTokenLifetime:
		a.c.auth.logins.ShortTokens.Add(1)
		level.Warn(a.c.logger).Log("msg", "ZVM token lifetime below the floor; renewing it as if it lived the floor",
			"expires_in", lifetime, "floor", MinTokenLifetime)
		lifetime, floored = MinTokenLifetime, true
	}
	return &credential{
		header:   bearerHeader,
		value:    "Bearer " + tok.AccessToken,
		lifetime: lifetime,
		floored:  floored,
		obtained: obtained,
		expires:  obtained.Add(lifetime),
	}, nil
}

// asAuthError turns an *APIError with one of the given statuses into an *AuthError.
func asAuthError(err error, codes ...int) error {
	var ae *APIError
	if !errors.As(err, &ae) {
		return err
	}
	if slices.Contains(codes, ae.StatusCode) {
		return &AuthError{Endpoint: ae.Endpoint, StatusCode: ae.StatusCode, Message: ae.Message, oauth: ae.oauth}
	}
	return err
}

func hasStatus(err error, code int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == code
}

// Logins is the login back-off of one process, kept per ZVM (its base URL in baseurl.Key's form:
// scheme, lower-cased host, port) and account, and shared by every client of that pair: however
// the ZVM is spelt, by however many modules, and across config reloads and rebuilt targets, an
// account has at most one login in flight and one rejected login per back-off step. A pair has
// an entry once it has logged in; pairs are the config's targets, so the map stays small.
type Logins struct {
	mu     sync.Mutex
	byPair map[string]*loginState
	// ShortTokens counts tokens whose lifetime was below MinTokenLifetime.
	ShortTokens atomic.Uint64
}

// NewLogins returns an empty back-off table.
func NewLogins() *Logins { return &Logins{byPair: map[string]*loginState{}} }

// loginState is one (ZVM, account) pair's back-off.
type loginState struct {
	sem chan struct{} // one login at a time; a channel so waiters honour ctx

	// guarded by Logins.mu
	failures int
	until    time.Time // no login before this
	lastErr  error
}

func (l *Logins) state(key string) *loginState {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.byPair[key]
	if !ok {
		st = &loginState{sem: make(chan struct{}, 1)}
		l.byPair[key] = st
	}
	return st
}

// authState holds the client's credential, its flavour and its pair's login back-off.
type authState struct {
	c                 *Client
	session, keycloak authenticator
	logins            *Logins
	pair              *loginState

	mu        sync.Mutex
	flavour   authenticator // nil until detected in auto mode
	cred      *credential
	reloginAt time.Time // after a refused young credential, no login before this
	gen       int       // counts finished logins
	genErr    error     // result of the latest login, shared with callers that waited for it
}

func (s *authState) init(c *Client) {
	s.c = c
	s.session, s.keycloak = sessionAuth{c}, keycloakAuth{c}
	s.logins = c.cfg.Logins
	if s.logins == nil {
		s.logins = NewLogins()
	}
	account := "user " + c.cfg.Username
	if c.cfg.ClientSecret != "" {
		account = "client " + c.cfg.ClientID
	}
	s.pair = s.logins.state(baseurl.Key(c.base) + " " + account)
	switch c.cfg.Auth {
	case AuthSession:
		s.flavour = s.session
	case AuthKeycloak:
		s.flavour = s.keycloak
	}
}

// current returns the credential if it needs no renewal yet. A token is renewed when less than
// min(30 s, a third of its lifetime) is left, so that no request leaves with a dying token.
func (s *authState) current() *credential {
	s.mu.Lock()
	defer s.mu.Unlock()
	cr := s.cred
	if cr == nil {
		return nil
	}
	if cr.lifetime > 0 {
		margin := min(30*time.Second, cr.lifetime/3)
		if cr.expires.Sub(s.c.now()) < margin {
			return nil
		}
	}
	return cr
}

// credential returns a usable credential, logging in when there is none. Concurrent callers
// share one login; while logins back off it fails fast with the last login error.
func (s *authState) credential(ctx context.Context) (*credential, error) {
	if cr := s.current(); cr != nil {
		return cr, nil
	}
	s.mu.Lock()
	gen := s.gen
	s.mu.Unlock()
	select {
	case s.pair.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.pair.sem }()
	if cr := s.current(); cr != nil {
		return cr, nil // another caller logged in meanwhile
	}

	s.mu.Lock()
	if s.gen != gen && s.genErr != nil && !isContextErr(s.genErr) {
		// The login this caller waited for failed: share its error rather than try again at once.
		err := s.genErr
		s.mu.Unlock()
		return nil, err
	}
	if until, lastErr := s.backoff(); s.c.now().Before(until) {
		s.mu.Unlock()
		return nil, &backoffError{until: until, err: lastErr}
	}
	if now := s.c.now(); now.Before(s.reloginAt) {
		at := s.reloginAt
		s.mu.Unlock()
		return nil, fmt.Errorf("the ZVM refused a token it said would live less than %s; next login at %s",
			MinTokenLifetime, at.UTC().Format(time.RFC3339))
	}
	known := s.flavour
	s.mu.Unlock()

	cr, flavour, err := s.login(ctx, known)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen, s.genErr = s.gen+1, err // a cancelled login is not shared: the waiters' contexts may be fine
	if flavour != nil && s.flavour == nil {
		s.flavour = flavour
		level.Info(s.c.logger).Log("msg", "detected ZVM authentication flavour", "flavour", flavour.mode())
	}
	if authErr, ok := errors.AsType[*AuthError](err); ok {
		// Only a rejected login backs off: a ZVM that is down must be retried as soon as it is up.
		delay := s.rejected(err)
		// Logged once per back-off period: no login, and no log, happens until it is over.
		level.Warn(s.c.logger).Log("msg", "ZVM login rejected; backing off", "endpoint", authErr.Endpoint,
			"status", authErr.StatusCode, "user", s.c.cfg.Username, "next_attempt_in", delay, "err", err)
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	s.succeeded()
	s.cred = cr
	return cr, nil
}

// backoff returns the pair's back-off: no login before until, and the login error that set it.
func (s *authState) backoff() (until time.Time, lastErr error) {
	s.logins.mu.Lock()
	defer s.logins.mu.Unlock()
	return s.pair.until, s.pair.lastErr
}

// rejected records a rejected login of the pair and returns how long its logins now wait.
func (s *authState) rejected(err error) time.Duration {
	s.logins.mu.Lock()
	defer s.logins.mu.Unlock()
	p := s.pair
	delay := min(loginBackoffBase<<min(p.failures, 20), loginBackoffMax)
	p.failures++
	p.until = s.c.now().Add(delay)
	p.lastErr = err
	return delay
}

// succeeded ends the pair's back-off.
func (s *authState) succeeded() {
	s.logins.mu.Lock()
	defer s.logins.mu.Unlock()
	s.pair.failures, s.pair.until, s.pair.lastErr = 0, time.Time{}, nil
}

// login logs in with the known flavour, or detects it (auto): the Keycloak token endpoint first,
// then /v1/session/add when the token path is absent. It returns the flavour once it is certain,
// even with an error (wrong credentials on a detected flavour are not a reason to switch).
func (s *authState) login(ctx context.Context, known authenticator) (*credential, authenticator, error) {
	if known != nil {
		cr, err := known.login(ctx)
		if hasStatus(err, http.StatusNotFound) && s.c.cfg.Auth != AuthAuto {
			err = wrongFlavour(known.mode(), err)
		}
		return cr, known, err
	}
	cr, kerr := s.keycloak.login(ctx)
	if kerr == nil {
		return cr, s.keycloak, nil
	}
	var authErr *AuthError
	var apiErr *APIError
	tokenPathAbsent := hasStatus(kerr, http.StatusNotFound)
	switch {
	case errors.As(kerr, &authErr) && authErr.oauth:
		return nil, s.keycloak, kerr // Keycloak itself rejected us
	case errors.As(kerr, &authErr), errors.As(kerr, &apiErr) && apiErr.StatusCode < 500:
		// No token path, or a refusal that is not Keycloak's: ask the Windows login.
	default:
		// 5xx or no connection: undecided, try again next time. Say so, or a Windows ZVM that is
		// down would seem to be asked for a Keycloak token.
		return nil, nil, fmt.Errorf("flavour not detected yet (auto tries Keycloak, then the session login): %w", kerr)
	}
	if s.c.cfg.Username == "" {
		return nil, nil, fmt.Errorf("client credentials need the Keycloak token endpoint: %w", kerr)
	}
	cr, serr := s.session.login(ctx)
	switch {
	case serr == nil:
		return cr, s.session, nil
	case hasStatus(serr, http.StatusNotFound) && tokenPathAbsent:
		return nil, nil, fmt.Errorf("auto-detecting the ZVM flavour: neither %s nor %s exists: %w",
			EndpointKeycloakToken, EndpointSessionAdd, serr)
	case hasStatus(serr, http.StatusNotFound):
		return nil, s.keycloak, kerr // /v1/session/add is absent: an appliance after all
	case errors.As(serr, new(*AuthError)):
		return nil, s.session, serr
	}
	return nil, nil, serr
}

// wrongFlavour explains a 404 from the login endpoint of a configured flavour: the other kind of
// ZVM answers there.
func wrongFlavour(mode AuthMode, err error) error {
	other, kind := AuthKeycloak, "a ZVM Appliance"
	if mode == AuthKeycloak {
		other, kind = AuthSession, "a Windows ZVM"
	}
	return fmt.Errorf("%w (the ZVM has no %s login: if it is %s, use auth %s or auto)", err, mode, kind, other)
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// invalidate drops cr after the ZVM refused it, unless a newer credential replaced it already.
// A token whose lifetime was raised to MinTokenLifetime is replaced only once it is that old.
func (s *authState) invalidate(cr *credential) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cred == cr {
		s.cred = nil
		if cr.floored && s.c.now().Sub(cr.obtained) < MinTokenLifetime {
			s.reloginAt = cr.obtained.Add(MinTokenLifetime)
		}
	}
}

// Flavour returns the configured or detected authentication flavour (AuthSession or
// AuthKeycloak), or "" in auto mode before the first login settled it.
func (c *Client) Flavour() AuthMode {
	c.auth.mu.Lock()
	defer c.auth.mu.Unlock()
	if c.auth.flavour == nil {
		return ""
	}
	return c.auth.flavour.mode()
}

// Close ends a Windows ZVM session (DELETE /v1/session) so that it does not linger for 30 minutes,
// and closes idle connections. Keycloak tokens simply expire. The client stays usable: a later
// call logs in again.
func (c *Client) Close(ctx context.Context) error {
	c.auth.mu.Lock()
	cr := c.auth.cred
	c.auth.cred = nil
	c.auth.mu.Unlock()
	defer c.hc.CloseIdleConnections()
	if cr == nil || cr.header != sessionHeader {
		return nil
	}
	err := c.do(ctx, call{method: http.MethodDelete, ep: EndpointSession, auth: cr.apply},
		func(*http.Response) error { return nil })
	if hasStatus(err, http.StatusUnauthorized) || hasStatus(err, http.StatusNotFound) {
		return nil // the session had expired already
	}
	return err
}
