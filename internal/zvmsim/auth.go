package zvmsim

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

// Paths and header of the two login flavours (docs/zvm-api.md, Authentication).
const (
	sessionAddPath = "/v1/session/add"
	sessionPath    = "/v1/session"
	tokenPath      = "/auth/realms/zerto/protocol/openid-connect/token" //nolint:gosec // a path, not a credential
	sessionHeader  = "x-zerto-session"
)

const refreshTokenTTL = 30 * time.Minute

// credential is an issued session (windows) or access token (appliance).
// Each belongs to one site's ZVM, as a real session does.
type credential struct {
	role     sim.Role
	epoch    int
	expires  time.Time // appliance
	lastUsed time.Time // windows: the idle expiry slides from here
}

// authStore issues and checks credentials for both sites.
type authStore struct {
	opts Options

	mu    sync.Mutex
	epoch int // expire_credentials bumps it, invalidating every credential
	creds map[string]*credential
}

func newAuthStore(opts Options) *authStore {
	return &authStore{opts: opts, creds: map[string]*credential{}}
}

func (a *authStore) windows() bool { return a.opts.Flavour == FlavourWindows }

// valid reports whether c may still be used at now.
func (a *authStore) valid(c *credential, now time.Time) bool {
	if c.epoch != a.epoch {
		return false
	}
	if a.windows() {
		return now.Sub(c.lastUsed) <= a.opts.SessionIdleTimeout
	}
	return now.Before(c.expires)
}

// issue stores a new credential and drops the ones that can no longer be
// used, so that the store stays as small as the set of live clients.
func (a *authStore) issue(token string, role sim.Role, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for t, c := range a.creds {
		if !a.valid(c, now) {
			delete(a.creds, t)
		}
	}
	a.creds[token] = &credential{role: role, epoch: a.epoch, expires: now.Add(a.opts.TokenTTL), lastUsed: now}
}

// authorize checks the request's session header or bearer token and slides
// a session's idle expiry.
func (a *authStore) authorize(r *http.Request, role sim.Role) bool {
	token := r.Header.Get(sessionHeader)
	if !a.windows() {
		token = bearerToken(r)
	}
	if token == "" {
		return false
	}
	now := a.opts.Clock()
	a.mu.Lock()
	defer a.mu.Unlock()
	c, ok := a.creds[token]
	if !ok || c.role != role {
		return false
	}
	if !a.valid(c, now) {
		delete(a.creds, token)
		return false
	}
	c.lastUsed = now
	return true
}

// revoke ends the session in the request; false when there was none.
func (a *authStore) revoke(r *http.Request, role sim.Role) bool {
	if !a.authorize(r, role) {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.creds, r.Header.Get(sessionHeader))
	return true
}

// expireAll invalidates every credential issued so far.
func (a *authStore) expireAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.epoch++
	clear(a.creds)
}

func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

func equalSecret(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func (a *authStore) userOK(user, pass string) bool {
	return equalSecret(user, a.opts.Username) && equalSecret(pass, a.opts.Password)
}

// clientOK accepts the built-in public client without a secret, and the
// configured confidential client with its secret.
func (a *authStore) clientOK(id, secret string) bool {
	if id == keycloakPublicClient {
		return true
	}
	return a.opts.ClientID != "" && equalSecret(id, a.opts.ClientID) && equalSecret(secret, a.opts.ClientSecret)
}

// sessionAdd is the Windows login: Basic auth in, 200 with an empty body and
// the session in the x-zerto-session header out.
func (s *Sim) sessionAdd(w http.ResponseWriter, r *http.Request, role sim.Role) {
	user, pass, ok := r.BasicAuth()
	if !ok || !s.auth.userOK(user, pass) || sessionMethod(r) != s.opts.SessionAccount {
		writeJSONError(w, http.StatusUnauthorized, "Authorization has been denied for this request.")
		return
	}
	token := randomUUID()
	s.auth.issue(token, role, s.opts.Clock())
	w.Header().Set(sessionHeader, token)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// sessionMethod is the account kind a session login asks for: no body (or AuthenticationMethod
// 0) is a Windows account, AuthenticationMethod 1 a vCenter account; anything else matches none.
func sessionMethod(r *http.Request) string {
	b, err := io.ReadAll(io.LimitReader(r.Body, 4096))
	if err != nil {
		return ""
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return AccountWindows
	}
	var body struct{ AuthenticationMethod *int }
	if json.Unmarshal(b, &body) != nil || body.AuthenticationMethod == nil {
		return ""
	}
	switch *body.AuthenticationMethod {
	case 0:
		return AccountWindows
	case 1:
		return AccountVCenter
	}
	return ""
}

// sessionDelete is the Windows logout.
func (s *Sim) sessionDelete(w http.ResponseWriter, r *http.Request, role sim.Role) {
	if !s.auth.revoke(r, role) {
		writeJSONError(w, http.StatusUnauthorized, "Authorization has been denied for this request.")
		return
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// tokenResponse is Keycloak's SuccessTokenResult.
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	ExpiresIn        int    `json:"expires_in"`
	RefreshExpiresIn int    `json:"refresh_expires_in"`
	RefreshToken     string `json:"refresh_token"`
	TokenType        string `json:"token_type"`
	NotBeforePolicy  int    `json:"not-before-policy"`
	SessionState     string `json:"session_state"`
	Scope            string `json:"scope"`
}

// token is the appliance's Keycloak token endpoint: the password grant and
// the client_credentials grant, client credentials in the form or in Basic
// auth as OAuth2 clients send them.
func (s *Sim) token(w http.ResponseWriter, r *http.Request, role sim.Role) {
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The request body is not a form.")
		return
	}
	clientID, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if id, sec, ok := r.BasicAuth(); ok {
		clientID, secret = id, sec
	}
	subject := clientID
	switch r.PostForm.Get("grant_type") {
	case "password":
		if !s.auth.clientOK(clientID, secret) {
			writeOAuthError(w, http.StatusUnauthorized, "unauthorized_client", "Invalid client or Invalid client credentials")
			return
		}
		subject = r.PostForm.Get("username")
		if !s.auth.userOK(subject, r.PostForm.Get("password")) {
			writeOAuthError(w, http.StatusUnauthorized, "invalid_grant", "Invalid user credentials")
			return
		}
	case "client_credentials":
		if clientID == keycloakPublicClient || !s.auth.clientOK(clientID, secret) {
			writeOAuthError(w, http.StatusUnauthorized, "unauthorized_client", "Invalid client or Invalid client credentials")
			return
		}
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant_type")
		return
	}
	now := s.opts.Clock()
	access := fakeJWT(map[string]any{"exp": now.Add(s.opts.TokenTTL).Unix(), "iat": now.Unix(), "jti": randomUUID(),
		"iss": "/auth/realms/zerto", "typ": "Bearer", "azp": clientID, "preferred_username": subject, "scope": "profile email"})
	s.auth.issue(access, role, now)
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken:      access,
		ExpiresIn:        int(s.opts.TokenTTL.Seconds()),
		RefreshExpiresIn: int(refreshTokenTTL.Seconds()),
		RefreshToken:     fakeJWT(map[string]any{"exp": now.Add(refreshTokenTTL).Unix(), "typ": "Refresh", "jti": randomUUID()}),
		TokenType:        "Bearer",
		SessionState:     randomUUID(),
		Scope:            "profile email",
	})
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

// fakeJWT returns a token shaped like Keycloak's JWTs (header, claims,
// signature), so clients that peek at the claims work; nobody verifies the
// signature.
func fakeJWT(claims map[string]any) string {
	enc := base64.RawURLEncoding
	payload, _ := json.Marshal(claims) // a map of strings and numbers always marshals
	sig := make([]byte, 32)
	rand.Read(sig)
	return enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT","kid":"zvmsim"}`)) + "." +
		enc.EncodeToString(payload) + "." + enc.EncodeToString(sig)
}

// randomUUID returns a random version-4 UUID for runtime identifiers.
func randomUUID() string {
	var b [16]byte
	rand.Read(b[:])
	return sim.FormatUUID(b)
}
