package zvmsim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

func tokenRequest(h *harness, role sim.Role, form url.Values, header http.Header) (*http.Response, map[string]any) {
	h.t.Helper()
	if header == nil {
		header = http.Header{}
	}
	header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := h.do(role, http.MethodPost, tokenPath, strings.NewReader(form.Encode()), header)
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		h.t.Fatalf("token response %s: %v", body, err)
	}
	return resp, out
}

func TestApplianceAuth(t *testing.T) {
	h := newHarness(t, Options{ClientID: "exporter", ClientSecret: "s3cret", TokenTTL: time.Minute})
	status := func(header http.Header) int {
		resp, body := h.do(sim.Protected, http.MethodGet, "/v1/vpgs", nil, header)
		if resp.StatusCode == http.StatusUnauthorized && !strings.Contains(string(body), `"Message"`) {
			t.Errorf("401 body %s lacks Message", body)
		}
		return resp.StatusCode
	}
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	if got := status(nil); got != http.StatusUnauthorized {
		t.Errorf("no credential: %d", got)
	}
	if got := status(bearer("not-a-token")); got != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", got)
	}

	resp, tok := tokenRequest(h, sim.Protected, url.Values{"grant_type": {"password"}, "client_id": {"zerto-client"},
		"username": {"admin"}, "password": {DefaultPassword}}, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("password grant: %s %v", resp.Status, tok)
	}
	for _, k := range []string{"access_token", "expires_in", "refresh_expires_in", "refresh_token", "token_type", "not-before-policy", "session_state", "scope"} {
		if _, ok := tok[k]; !ok {
			t.Errorf("token response lacks %s", k)
		}
	}
	if tok["token_type"] != "Bearer" || tok["expires_in"] != 60.0 {
		t.Errorf("token_type %v expires_in %v", tok["token_type"], tok["expires_in"])
	}
	if !regexp.MustCompile(`^[\w-]+\.[\w-]+\.[\w-]+$`).MatchString(tok["access_token"].(string)) {
		t.Errorf("access token %v is not JWT-shaped", tok["access_token"])
	}
	access := tok["access_token"].(string)
	if got := status(bearer(access)); got != http.StatusOK {
		t.Errorf("fresh token: %d", got)
	}
	if resp, _ := h.do(sim.Recovery, http.MethodGet, "/v1/vpgs", nil, bearer(access)); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("protected site's token on the recovery site: %s", resp.Status)
	}
	h.clock.Advance(59 * time.Second)
	if got := status(bearer(access)); got != http.StatusOK {
		t.Errorf("token at 59 s: %d", got)
	}
	h.clock.Advance(time.Second)
	if got := status(bearer(access)); got != http.StatusUnauthorized {
		t.Errorf("expired token: %d", got)
	}

	resp, tok = tokenRequest(h, sim.Protected, url.Values{"grant_type": {"password"}, "client_id": {"zerto-client"},
		"username": {"admin"}, "password": {"wrong"}}, nil)
	if resp.StatusCode != http.StatusUnauthorized || tok["error"] != "invalid_grant" || tok["error_description"] == nil {
		t.Errorf("wrong password: %s %v", resp.Status, tok)
	}
	resp, tok = tokenRequest(h, sim.Protected, url.Values{"grant_type": {"client_credentials"}, "client_id": {"exporter"}, "client_secret": {"s3cret"}}, nil)
	if resp.StatusCode != http.StatusOK || status(bearer(tok["access_token"].(string))) != http.StatusOK {
		t.Errorf("client credentials in the form: %s %v", resp.Status, tok)
	}
	basic := http.Header{}
	req, _ := http.NewRequest("", "", nil)
	req.SetBasicAuth("exporter", "s3cret")
	basic.Set("Authorization", req.Header.Get("Authorization"))
	if resp, tok = tokenRequest(h, sim.Protected, url.Values{"grant_type": {"client_credentials"}}, basic); resp.StatusCode != http.StatusOK {
		t.Errorf("client credentials in Basic auth: %s %v", resp.Status, tok)
	}
	resp, tok = tokenRequest(h, sim.Protected, url.Values{"grant_type": {"client_credentials"}, "client_id": {"exporter"}, "client_secret": {"nope"}}, nil)
	if resp.StatusCode != http.StatusUnauthorized || tok["error"] == nil {
		t.Errorf("wrong client secret: %s %v", resp.Status, tok)
	}
	if resp, tok = tokenRequest(h, sim.Protected, url.Values{"grant_type": {"authorization_code"}}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unsupported grant: %s %v", resp.Status, tok)
	}
	if resp, _ := h.do(sim.Protected, http.MethodPost, sessionAddPath, nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/v1/session/add on the appliance: %s", resp.Status)
	}
}

func TestWindowsSessions(t *testing.T) {
	// A vCenter (SSO) account: it logs in with {"AuthenticationMethod":1} only.
	h := newHarness(t, Options{Flavour: FlavourWindows, SessionAccount: AccountVCenter, SessionIdleTimeout: 30 * time.Minute})
	get := func(session string) int {
		resp, _ := h.do(sim.Recovery, http.MethodGet, "/v1/vpgs", nil, http.Header{"X-Zerto-Session": {session}})
		return resp.StatusCode
	}
	if got := get(""); got != http.StatusUnauthorized {
		t.Errorf("no session: %d", got)
	}
	req, _ := http.NewRequest(http.MethodPost, h.srv[sim.Recovery].URL+"/v1/Session/Add", strings.NewReader(`{"AuthenticationMethod":1}`))
	req.SetBasicAuth("admin", DefaultPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	session := resp.Header.Get("x-zerto-session")
	if resp.StatusCode != http.StatusOK || resp.ContentLength != 0 ||
		!regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`).MatchString(session) {
		t.Fatalf("session add: %s, length %d, session %q", resp.Status, resp.ContentLength, session)
	}
	for _, bad := range []func(*http.Request){
		func(r *http.Request) {},
		func(r *http.Request) { r.SetBasicAuth("admin", "wrong") },
		func(r *http.Request) { r.SetBasicAuth("admin", DefaultPassword) }, // no body: a Windows account's login
	} {
		req, _ := http.NewRequest(http.MethodPost, h.srv[sim.Recovery].URL+sessionAddPath, nil)
		bad(req)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("bad login: %v %v", resp.Status, err)
		}
	}
	if got := get(session); got != http.StatusOK {
		t.Fatalf("fresh session: %d", got)
	}
	// The idle expiry slides: 50 minutes in use, 20 at a time, stays valid.
	for range 3 {
		h.clock.Advance(20 * time.Minute)
		if got := get(session); got != http.StatusOK {
			t.Fatalf("session used every 20 minutes: %d", got)
		}
	}
	h.clock.Advance(30*time.Minute + time.Second)
	if got := get(session); got != http.StatusUnauthorized {
		t.Errorf("session idle for 30 minutes: %d", got)
	}

	h.login(sim.Recovery)
	if resp, _ := h.do(sim.Recovery, http.MethodDelete, "/v1/session", nil, h.authHeader(sim.Recovery)); resp.StatusCode != http.StatusOK {
		t.Errorf("DELETE /v1/session: %s", resp.Status)
	}
	if got := get(h.cred[sim.Recovery]); got != http.StatusUnauthorized {
		t.Errorf("after logout: %d", got)
	}
	if resp, _ := h.do(sim.Recovery, http.MethodDelete, "/v1/session", nil, h.authHeader(sim.Recovery)); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("second logout: %s", resp.Status)
	}
	if resp, _ := h.do(sim.Recovery, http.MethodPost, tokenPath, nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("token path on windows: %s", resp.Status)
	}
}

func TestExpireCredentials(t *testing.T) {
	for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			h := newHarness(t, Options{Flavour: flavour})
			h.get(sim.Protected, "/v1/vpgs")
			h.get(sim.Recovery, "/v1/vpgs")
			h.inject(sim.Recovery, `{"kind":"expire_credentials"}`)
			for _, role := range []sim.Role{sim.Protected, sim.Recovery} {
				if resp, _ := h.get(role, "/v1/vpgs"); resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s after expiry: %s", role, resp.Status)
				}
				h.login(role)
				if resp, _ := h.get(role, "/v1/vpgs"); resp.StatusCode != http.StatusOK {
					t.Errorf("%s after a new login: %s", role, resp.Status)
				}
			}
		})
	}
}
