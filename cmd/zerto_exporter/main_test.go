package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"maps"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// startExporter runs the exporter in-process with args and waits until it answers.
func startExporter(t *testing.T, scheme string, client *http.Client, args ...string) (base string, logs *testutil.SyncBuffer) {
	t.Helper()
	addr := testutil.FreeAddr(t)
	logs = &testutil.SyncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, append(args, "--web.listen-address="+addr), logs) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("exporter did not stop")
		}
	})
	base = scheme + "://" + addr
	if client == nil {
		client = http.DefaultClient
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("exporter exited: %v\n%s", err, logs)
		default:
		}
		if resp, err := client.Get(base + "/-/healthy"); err == nil {
			resp.Body.Close()
			return base, logs
		}
	}
	t.Fatalf("exporter did not start\n%s", logs)
	return "", nil
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// recordingZVM serves a simulator site and remembers every credential the exporter sent.
type recordingZVM struct {
	*httptest.Server
	mu    sync.Mutex
	creds []string
}

func newRecordingZVM(t *testing.T, sim *zvmsim.Sim) *recordingZVM {
	r := &recordingZVM{}
	h := sim.Handler(zvmsim.Protected)
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		r.mu.Lock()
		for _, k := range []string{"Authorization", "X-Zerto-Session"} {
			if v := req.Header.Get(k); v != "" {
				r.creds = append(r.creds, strings.TrimPrefix(v, "Bearer "))
			}
		}
		if v := rec.Header().Get("X-Zerto-Session"); v != "" {
			r.creds = append(r.creds, v)
		}
		r.mu.Unlock()
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recordingZVM) credentials() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.creds...)
}

func newSim(t *testing.T, flavour, user, pw string) *zvmsim.Sim {
	t.Helper()
	return simtest.New(t, zvmsim.Options{Flavour: flavour, Profile: "demo", Seed: 7, Username: user, Password: pw})
}

// TestProbeTwoFlavours probes an appliance and a Windows ZVM with different credentials through
// one exporter, and checks that the sessions are kept between probes.
func TestProbeTwoFlavours(t *testing.T) {
	dir := t.TempDir()
	const applPW, winPW = "appl-Pa55word-1", "win-Pa55word-2"
	appl := newRecordingZVM(t, newSim(t, "appliance", "alice", applPW))
	win := newRecordingZVM(t, newSim(t, "windows", "bob", winPW))
	cfg := testutil.WriteFile(t, dir, "zerto.yml", fmt.Sprintf(`
modules:
  appliance:
    targets: [%s]
    auth: keycloak
    username: alice
    password_file: %s
  windows:
    targets: [%s]
    auth: session
    username: bob
    password_file: %s
sla:
  - match: ".*"
    rto_target: 10m
`, appl.URL, testutil.WriteFile(t, dir, "appl.pw", applPW+"\n"), win.URL, testutil.WriteFile(t, dir, "win.pw", winPW)))
	base, logs := startExporter(t, "http", nil, "--config.file="+cfg, "--log.level=debug", "--zvm.cache-ttl=0s")

	for range 3 {
		for _, p := range []struct{ url, module string }{{appl.URL, "appliance"}, {win.URL, "windows"}} {
			code, body := get(t, base+"/probe?module="+p.module+"&target="+p.url)
			if code != 200 || !strings.Contains(body, "zerto_up 1") || !strings.Contains(body, "zerto_vpg_rto_target_seconds{") {
				t.Fatalf("probe %s: %d\n%.2000s", p.module, code, body)
			}
			if !strings.Contains(body, `zerto_exporter_api_requests_total{code="200",endpoint="/v1/vpgs"}`) {
				t.Errorf("probe %s lacks the request counter", p.module)
			}
		}
	}
	// No login per scrape: one session or token per target over three probes.
	countLogins := func(creds []string) int {
		seen := map[string]bool{}
		for _, c := range creds {
			if strings.HasPrefix(c, "Basic ") {
				continue // the login itself, not a session
			}
			seen[c] = true
		}
		return len(seen)
	}
	if n := countLogins(appl.credentials()); n != 1 {
		t.Errorf("appliance: %d distinct tokens over three probes, want 1", n)
	}
	if n := countLogins(win.credentials()); n != 1 {
		t.Errorf("windows: %d distinct sessions over three probes, want 1", n)
	}

	// Secrets never show: not in any endpoint's answer, not in debug logs.
	secrets := append([]string{applPW, winPW}, append(appl.credentials(), win.credentials()...)...)
	for _, path := range []string{"/metrics", "/config", "/", "/-/healthy", "/-/ready",
		"/probe?module=appliance&target=" + appl.URL, "/probe?module=windows&target=" + win.URL} {
		_, body := get(t, base+path)
		for _, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("%s shows a secret %q", path, s)
			}
		}
	}
	_, cfgPage := get(t, base+"/config")
	if !strings.Contains(cfgPage, "password_file:") || !strings.Contains(cfgPage, "rto_target: 10m") ||
		!strings.Contains(cfgPage, "auth: session") || strings.Contains(cfgPage, "single target") {
		t.Errorf("/config does not show the effective config:\n%s", cfgPage)
	}
	for _, s := range secrets {
		if strings.Contains(logs.String(), s) {
			t.Errorf("debug log shows a secret %q", s)
		}
	}
}

func TestProbeErrors(t *testing.T) {
	dir := t.TempDir()
	cfg := testutil.WriteFile(t, dir, "zerto.yml", "modules:\n  appliance:\n    targets: [https://zvm.example.com]\n    auth: keycloak\n    username: a\n")
	base, _ := startExporter(t, "http", nil, "--config.file="+cfg)
	cases := []struct{ query, want string }{
		{"", "target parameter is missing"},
		{"?target=zvm.example.com", "is not an http:// or https:// URL"},
		{"?target=https://zvm.example.com&module=nope", `unknown module "nope" (modules: appliance)`},
		{"?target=https://zvm.example.com", "no module named default (modules: appliance)"},
		{"?target=https://u:hunter2@zvm.example.com&module=appliance", "without credentials"},
	}
	for _, tc := range cases {
		code, body := get(t, base+"/probe"+tc.query)
		if code != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("/probe%s = %d %q, want 400 with %q", tc.query, code, body, tc.want)
		}
	}
	// A target the module does not list: 403 naming only the module, whatever the spelling.
	for _, target := range []string{"http://zvm.example.com", "https://zvm.example.com:8443", "http://127.0.0.1:1/rec"} {
		code, body := get(t, base+"/probe?module=appliance&target="+target)
		if code != http.StatusForbidden || body != "not a target of module \"appliance\"\n" {
			t.Errorf("/probe of unlisted %s = %d %q, want 403 naming only the module", target, code, body)
		}
	}
}

func TestReload(t *testing.T) {
	dir := t.TempDir()
	sim := newSim(t, "appliance", "admin", "pw-1")
	zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
	pw := testutil.WriteFile(t, dir, "pw", "pw-1")
	good := fmt.Sprintf("modules:\n  default:\n    targets: [%s]\n    auth: keycloak\n    username: admin\n    password_file: %s\n", zvmURL, pw)
	cfg := testutil.WriteFile(t, dir, "zerto.yml", good)
	base, _ := startExporter(t, "http", nil, "--config.file="+cfg)
	probe := func(module string) int {
		code, body := get(t, base+"/probe?target="+zvmURL+"&module="+module)
		if code == 200 && !strings.Contains(body, "zerto_up 1") {
			t.Errorf("module %s: zerto_up not 1", module)
		}
		return code
	}
	post := func() int {
		resp, err := http.Post(base+"/-/reload", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if probe("default") != 200 || probe("second") != 400 {
		t.Fatal("initial config not in force")
	}
	if code, _ := get(t, base+"/-/reload"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /-/reload = %d, want 405", code)
	}
	// A good new file adds a module.
	testutil.WriteFile(t, dir, "zerto.yml", good+"  second:\n    targets: ["+zvmURL+"]\n    auth: keycloak\n    username: admin\n    password_file: "+pw+"\n")
	if code := post(); code != 200 {
		t.Fatalf("good reload answered %d", code)
	}
	if probe("second") != 200 {
		t.Error("module added by reload not usable")
	}
	_, m := get(t, base+"/metrics")
	if !strings.Contains(m, "zerto_exporter_config_last_reload_successful 1") {
		t.Error("reload success not reported")
	}
	// A broken file keeps the old config and reports the failure.
	testutil.WriteFile(t, dir, "zerto.yml", "modules:\n  default:\n    auth: ntlm\n")
	if code := post(); code != http.StatusInternalServerError {
		t.Errorf("broken reload answered %d, want 500", code)
	}
	if probe("second") != 200 || probe("default") != 200 {
		t.Error("broken reload dropped the old config")
	}
	_, m = get(t, base+"/metrics")
	if !strings.Contains(m, "zerto_exporter_config_last_reload_successful 0") {
		t.Error("reload failure not reported")
	}
	// A password file that is a device, and a config file that is one: refused, the old config
	// kept (before, the first passed and the next probe ran out of memory; the second crashed the
	// reload).
	testutil.WriteFile(t, dir, "zerto.yml", strings.Replace(good, pw, "/dev/zero", 1))
	if code, body := postBody(t, base+"/-/reload"); code != http.StatusInternalServerError ||
		!strings.Contains(body, "password_file /dev/zero: not a regular file") {
		t.Errorf("reload with password_file /dev/zero answered %d %q, want 500 naming the key and file", code, body)
	}
	if err := os.Remove(cfg); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", cfg); err != nil {
		t.Fatal(err)
	}
	if code, body := postBody(t, base+"/-/reload"); code != http.StatusInternalServerError || !strings.Contains(body, "not a regular file") {
		t.Errorf("reload of a config file that is /dev/zero answered %d %q, want 500", code, body)
	}
	if probe("second") != 200 || probe("default") != 200 {
		t.Error("a refused reload dropped the old config")
	}
	if err := os.Remove(cfg); err != nil {
		t.Fatal(err)
	}
	// SIGHUP reloads too: fix the file and signal.
	testutil.WriteFile(t, dir, "zerto.yml", good)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 5*time.Second, func() bool { return probe("second") == 400 }, "SIGHUP did not reload the config")
}

// postBody POSTs to url and returns the status and body.
func postBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// selfSigned writes a self-signed certificate and key for 127.0.0.1 into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "zerto_exporter test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile = testutil.WriteFile(t, dir, "cert.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	keyFile = testutil.WriteFile(t, dir, "key.pem", string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})))
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestWebConfigTLSAndBasicAuth(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webCfg := testutil.WriteFile(t, dir, "web.yml", fmt.Sprintf("tls_server_config:\n  cert_file: %s\n  key_file: %s\nbasic_auth_users:\n  prom: %s\n", certFile, keyFile, hash))
	sim := newSim(t, "appliance", "admin", "pw")
	zvmURL := simtest.Serve(t, sim, zvmsim.Protected)
	t.Setenv("ZERTO_EXPORTER_ZVM_PASSWORD", "pw")
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	authed := &http.Client{Transport: basicAuth{"prom", "s3cret", client.Transport}}
	base, _ := startExporter(t, "https", authed, "--web.config.file="+webCfg, "--zvm.url="+zvmURL, "--zvm.username=admin")

	for path, wantCode := range map[string]int{"/metrics": 401, "/-/healthy": 401} {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != wantCode {
			t.Errorf("%s without credentials: %d, want %d", path, resp.StatusCode, wantCode)
		}
	}
	for _, path := range []string{"/metrics", "/-/healthy", "/-/ready"} {
		resp, err := authed.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s with credentials: %d", path, resp.StatusCode)
		}
		if path == "/metrics" && !strings.Contains(string(b), "zerto_up 1") {
			t.Errorf("/metrics over TLS lacks zerto_up 1")
		}
	}
	if _, err := http.Get(base + "/metrics"); err == nil {
		t.Error("plain client accepted the self-signed certificate")
	}
}

type basicAuth struct {
	user, pass string
	next       http.RoundTripper
}

func (b basicAuth) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.SetBasicAuth(b.user, b.pass)
	return b.next.RoundTrip(r)
}

// TestBadFlags checks that each bad flag or file stops the exporter with a message naming it,
// before anything is served.
func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	badCfg := testutil.WriteFile(t, dir, "bad.yml", "sla:\n  - match: '('\n    rto_target: 1m\n")
	probeOnly := testutil.WriteFile(t, dir, "probe.yml", "modules:\n  default:\n    targets: [https://zvm]\n    username: a\n")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--zvm.url=ftp://zvm", "--zvm.username=a"}, "--zvm.url"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--zvm.timeout=0s"}, "--zvm.timeout"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--zvm.cache-ttl=-1s"}, "--zvm.cache-ttl"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--zvm.auth=ntlm"}, "--zvm.auth"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--log.level=loud"}, "--log.level"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--zvm.password-file=/nonexistent"}, "--zvm.password-file"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--config.file=" + badCfg}, "sla[0]"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--config.file=/nonexistent.yml"}, "config file"},
		{[]string{"--zvm.url=https://zvm"}, "--zvm.username"},
		{[]string{}, "--zvm.url is required"},
		{[]string{"--no-such-flag"}, "no-such-flag"},
		{[]string{"--config.check"}, "--config.check needs --config.file"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--web.telemetry-path=/probe"}, "--web.telemetry-path"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--web.telemetry-path=metrics"}, "--web.telemetry-path"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--web.timeout-offset=-1s"}, "--web.timeout-offset"},
		{[]string{"--zvm.url=https://u:hunter2@zvm", "--zvm.username=a"}, "--zvm.url"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--collector.vsphere"}, "--collector.vsphere needs --vsphere.url"},
		{[]string{"--config.file=" + probeOnly, "--zvm.timeout=-1s"}, "--zvm.timeout"},
		{[]string{"--config.file=" + probeOnly, "--vsphere.url=https://vc", "--vsphere.username=u"}, "--vsphere.url"},
		// One URL rule for the ZVM and vCenter: a scheme, a host, no credentials, query or fragment.
		{[]string{"--zvm.url=https://zvm/#x", "--zvm.username=a"}, "--zvm.url: \"https://zvm/#x\" must be a base URL without a query or fragment"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--vsphere.url=vc.example.com", "--vsphere.username=u"}, "--vsphere.url: \"vc.example.com\" is not an http:// or https:// URL with a host"},
		{[]string{"--zvm.url=https://zvm", "--zvm.username=a", "--vsphere.url=https://u:hunter2@vc", "--vsphere.username=u"}, "--vsphere.url: \"https://u:xxxxx@vc\" must be a URL without credentials"},
	}
	for _, tc := range cases {
		var out bytes.Buffer
		err := run(context.Background(), tc.args, &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run(%q) = %v, want an error naming %q", tc.args, err, tc.want)
		}
	}
}

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	good := testutil.WriteFile(t, dir, "good.yml", "sla:\n  - match: 'prod-.*'\n    rto_target: 10m\n")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--config.file=" + good, "--config.check"}, &out); err != nil {
		t.Fatalf("--config.check on a good file: %v", err)
	}
	if !strings.Contains(out.String(), "OK") {
		t.Errorf("--config.check printed %q", out.String())
	}
}

// TestMain keeps run's --runtime.memory-limit from capping the test process itself: run applies
// it only when GOMEMLIMIT is not set.
func TestMain(m *testing.M) {
	os.Setenv("GOMEMLIMIT", "off")
	os.Exit(m.Run())
}

// TestEffectiveConfigHidesSecrets: /config shows the --zvm.url target as the module it is, with
// the secrets the environment holds as <secret>, and a secret file by its path only.
func TestEffectiveConfigHidesSecrets(t *testing.T) {
	t.Setenv("ZERTO_EXPORTER_ZVM_PASSWORD", "zvm-hunter2")
	t.Setenv("ZERTO_EXPORTER_ZVM_CLIENT_SECRET", "client-hunter2")
	t.Setenv("ZERTO_EXPORTER_VSPHERE_PASSWORD", "vc-hunter2")
	f, err := parseFlags([]string{"--zvm.url=https://zvm.example.com", "--zvm.username=svc", "--zvm.client-id=c",
		"--vsphere.url=https://vc.example.com", "--vsphere.username=ro"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	page := effectiveConfig(f, watched{zvm: flagModule(f), vcenter: &f.vsphere}, true, &config.Config{})
	for _, want := range []string{"zvm:\n", "- https://zvm.example.com\n", "username: svc\n", "password: <secret>\n",
		"client_secret: <secret>\n", "timeout: 10s\n", "vsphere:\n", "url: https://vc.example.com\n"} {
		if !strings.Contains(page, want) {
			t.Errorf("/config lacks %q:\n%s", want, page)
		}
	}
	if strings.Count(page, "<secret>") != 3 || strings.Contains(page, "hunter2") {
		t.Errorf("/config shows a secret, or not each as <secret>:\n%s", page)
	}
}
