package zvmsim

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// harness serves both sites of a simulator through httptest servers, with a
// fake clock, and logs in lazily.
type harness struct {
	t     *testing.T
	sim   *Sim
	clock *testutil.Clock
	srv   [2]*httptest.Server
	cred  [2]string
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	h := &harness{t: t, clock: testutil.NewClock(time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))}
	if opts.Clock == nil {
		opts.Clock = h.clock.Now
	}
	zs, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.sim = zs
	for _, role := range []sim.Role{sim.Protected, sim.Recovery} {
		h.srv[role] = httptest.NewServer(zs.Handler(role))
		t.Cleanup(h.srv[role].Close)
	}
	return h
}

func (h *harness) windows() bool { return h.sim.opts.Flavour == FlavourWindows }

// do sends a request to role's ZVM with the given headers.
func (h *harness) do(role sim.Role, method, path string, body io.Reader, header http.Header) (*http.Response, []byte) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv[role].URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	maps.Copy(req.Header, header)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp, b
}

// login gets a fresh credential for role and returns the header carrying it.
func (h *harness) login(role sim.Role) http.Header {
	h.t.Helper()
	if h.windows() {
		var body io.Reader
		if h.sim.opts.SessionAccount == AccountVCenter {
			body = strings.NewReader(`{"AuthenticationMethod":1}`)
		}
		req, _ := http.NewRequest(http.MethodPost, h.srv[role].URL+sessionAddPath, body)
		req.SetBasicAuth(h.sim.opts.Username, h.sim.opts.Password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			h.t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			h.t.Fatalf("session add: %s", resp.Status)
		}
		h.cred[role] = resp.Header.Get(sessionHeader)
	} else {
		form := url.Values{"grant_type": {"password"}, "client_id": {"zerto-client"},
			"username": {h.sim.opts.Username}, "password": {h.sim.opts.Password}}
		resp, body := h.do(role, http.MethodPost, tokenPath, strings.NewReader(form.Encode()),
			http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
		if resp.StatusCode != http.StatusOK {
			h.t.Fatalf("token: %s %s", resp.Status, body)
		}
		var tr tokenResponse
		if err := json.Unmarshal(body, &tr); err != nil {
			h.t.Fatal(err)
		}
		h.cred[role] = tr.AccessToken
	}
	return h.authHeader(role)
}

func (h *harness) authHeader(role sim.Role) http.Header {
	if h.windows() {
		return http.Header{"X-Zerto-Session": {h.cred[role]}}
	}
	return http.Header{"Authorization": {"Bearer " + h.cred[role]}}
}

// get fetches a /v1 path with a credential, logging in first if needed.
func (h *harness) get(role sim.Role, path string) (*http.Response, []byte) {
	h.t.Helper()
	if h.cred[role] == "" {
		h.login(role)
	}
	return h.do(role, http.MethodGet, path, nil, h.authHeader(role))
}

// getJSON fetches path, expects 200 and decodes it generically, keeping
// numbers as json.Number so that integers and floats can be told apart.
func (h *harness) getJSON(role sim.Role, path string) any {
	h.t.Helper()
	resp, body := h.get(role, path)
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("GET %s: %s %s", path, resp.Status, body)
	}
	return decodeGeneric(h.t, body)
}

func (h *harness) list(role sim.Role, path string) []map[string]any {
	h.t.Helper()
	raw, ok := h.getJSON(role, path).([]any)
	if !ok {
		h.t.Fatalf("GET %s: not a JSON array", path)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i] = v.(map[string]any)
	}
	return out
}

func (h *harness) object(role sim.Role, path string) map[string]any {
	h.t.Helper()
	obj, ok := h.getJSON(role, path).(map[string]any)
	if !ok {
		h.t.Fatalf("GET %s: not a JSON object", path)
	}
	return obj
}

// inject injects a fault through the control API of role's listener.
func (h *harness) inject(role sim.Role, fault string) string {
	h.t.Helper()
	resp, body := h.do(role, http.MethodPost, "/_sim/faults", strings.NewReader(fault), nil)
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("inject %s: %s %s", fault, resp.Status, body)
	}
	var r struct{ ID string }
	if err := json.Unmarshal(body, &r); err != nil || r.ID == "" {
		h.t.Fatalf("inject %s: no id in %s", fault, body)
	}
	return r.ID
}

func (h *harness) clear(role sim.Role) {
	h.t.Helper()
	if resp, body := h.do(role, http.MethodDelete, "/_sim/faults", nil, nil); resp.StatusCode != http.StatusOK {
		h.t.Fatalf("clear faults: %s %s", resp.Status, body)
	}
}

func decodeGeneric(t *testing.T, body []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %.200s: %v", body, err)
	}
	return v
}

// Accessors on generically decoded JSON, failing the test on a wrong type.

func field(t *testing.T, obj map[string]any, path ...string) any {
	t.Helper()
	var v any = obj
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%v: %q is not inside an object", path, k)
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("missing field %v in %v", path, keys(obj))
		}
	}
	return v
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func intField(t *testing.T, obj map[string]any, path ...string) int64 {
	t.Helper()
	n, ok := field(t, obj, path...).(json.Number)
	if !ok {
		t.Fatalf("%v is %T, want an integer", path, field(t, obj, path...))
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("%v = %s, want an integer", path, n)
	}
	return i
}

func strField(t *testing.T, obj map[string]any, path ...string) string {
	t.Helper()
	s, ok := field(t, obj, path...).(string)
	if !ok {
		t.Fatalf("%v is %T, want a string", path, field(t, obj, path...))
	}
	return s
}

func objField(t *testing.T, obj map[string]any, path ...string) map[string]any {
	t.Helper()
	o, ok := field(t, obj, path...).(map[string]any)
	if !ok {
		t.Fatalf("%v is %T, want an object", path, field(t, obj, path...))
	}
	return o
}

// byName indexes list elements by a string field.
func byName(t *testing.T, list []map[string]any, key string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, o := range list {
		out[strField(t, o, key)] = o
	}
	return out
}

// parseISO parses the simulator's ISO 8601 dates.
func parseISO(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02T15:04:05.000Z", s)
	if err != nil {
		t.Fatalf("date %q is not ISO 8601 with milliseconds and Z: %v", s, err)
	}
	return v
}
