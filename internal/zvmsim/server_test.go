package zvmsim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

func startSim(t *testing.T, opts Options, recovery bool) *Sim {
	t.Helper()
	zs, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	recoveryAddr := ""
	if recovery {
		recoveryAddr = "127.0.0.1:0"
	}
	if err := zs.Start("127.0.0.1:0", recoveryAddr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { zs.Close() })
	return zs
}

func hostOf(t *testing.T, u string) string {
	t.Helper()
	return strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
}

func reachable(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
	}
	return err == nil
}

func TestStartListensOnBothSites(t *testing.T) {
	zs := startSim(t, Options{}, true)
	for _, role := range []sim.Role{sim.Protected, sim.Recovery} {
		resp, err := http.Get(zs.URL(role) + "/_sim/state")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", role, resp.Status)
		}
	}
	if err := zs.Start("127.0.0.1:0", ""); err == nil {
		t.Error("second Start succeeded")
	}
	if single := startSim(t, Options{}, false); single.URL(sim.Recovery) != "" {
		t.Errorf("recovery URL without a recovery listener: %q", single.URL(sim.Recovery))
	}
}

func TestDownRefusesThenRebindsSameAddress(t *testing.T) {
	zs := startSim(t, Options{}, true)
	prot, rec := hostOf(t, zs.URL(sim.Protected)), hostOf(t, zs.URL(sim.Recovery))

	// Timed: the site comes back by itself.
	if _, err := zs.InjectFault(sim.Fault{Kind: sim.KindDown, Site: "protected", Seconds: 1}); err != nil {
		t.Fatal(err)
	}
	if reachable(prot) {
		t.Fatal("protected site still accepts connections while down")
	}
	if !reachable(rec) {
		t.Fatal("recovery site went down too")
	}
	if zs.State().Sites[sim.Protected].Up {
		t.Error("state says the down site is up")
	}
	testutil.Eventually(t, 5*time.Second, func() bool { return reachable(prot) }, "protected site did not come back on its address")
	if zs.URL(sim.Protected) != "http://"+prot {
		t.Errorf("URL changed to %s", zs.URL(sim.Protected))
	}

	// Until cleared, through the other site's control API.
	resp, err := http.Post(zs.URL(sim.Protected)+"/_sim/faults", "application/json", strings.NewReader(`{"kind":"down","site":"recovery"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if reachable(rec) {
		t.Fatal("recovery site still accepts connections while down")
	}
	req, _ := http.NewRequest(http.MethodDelete, zs.URL(sim.Protected)+"/_sim/faults", nil)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !reachable(rec) {
		t.Fatal("recovery site not back after clearing")
	}
	resp, err = http.Get(zs.URL(sim.Recovery) + "/_sim/state")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// TestDownDropsKeptAliveConnections: once the fault is injected, a client's kept-alive connection
// is answered no more than a new one is, as when a ZVM stops.
func TestDownDropsKeptAliveConnections(t *testing.T) {
	zs := startSim(t, Options{}, false)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	get := func() (reused bool, err error) {
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, zs.URL(sim.Protected)+"/_sim/state", nil)
		resp, err := c.Do(req)
		if err != nil {
			return reused, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return reused, resp.Body.Close()
	}
	for range 2 {
		if _, err := get(); err != nil {
			t.Fatal(err)
		}
	}
	if reused, _ := get(); !reused {
		t.Fatal("the client did not keep its connection alive: nothing to check")
	}
	if _, err := zs.InjectFault(sim.Fault{Kind: sim.KindDown, Site: "protected"}); err != nil {
		t.Fatal(err)
	}
	if _, err := get(); err == nil {
		t.Fatal("a request on a connection kept alive from before the down fault was answered")
	}
}

func TestDownThroughItsOwnListenerAnswersFirst(t *testing.T) {
	zs := startSim(t, Options{}, true)
	resp, err := http.Post(zs.URL(sim.Protected)+"/_sim/faults", "application/json", strings.NewReader(`{"kind":"down","site":"protected"}`))
	if err != nil {
		t.Fatalf("the request taking its own site down got no answer: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"id"`) {
		t.Fatalf("%s %s", resp.Status, body)
	}
	if reachable(hostOf(t, zs.URL(sim.Protected))) {
		t.Fatal("still reachable")
	}
	zs.ClearFaults()
	if !reachable(hostOf(t, zs.URL(sim.Protected))) {
		t.Fatal("not back after ClearFaults")
	}
}

func TestTLS(t *testing.T) {
	zs := startSim(t, Options{TLS: true}, true)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(zs.CACertPEM()) {
		t.Fatal("CACertPEM is not a PEM certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, role := range []sim.Role{sim.Protected, sim.Recovery} {
		u := zs.URL(role)
		if !strings.HasPrefix(u, "https://127.0.0.1:") {
			t.Fatalf("URL %s", u)
		}
		for _, host := range []string{u, strings.Replace(u, "127.0.0.1", "localhost", 1)} {
			resp, err := client.Get(host + "/_sim/ca.pem")
			if err != nil {
				t.Fatalf("verified TLS to %s: %v", host, err)
			}
			pem, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(pem) != string(zs.CACertPEM()) {
				t.Errorf("/_sim/ca.pem differs from CACertPEM")
			}
		}
	}
	if _, err := http.Get(zs.URL(sim.Protected) + "/v1/vpgs"); err == nil {
		t.Error("a client without the CA trusted the self-signed certificate")
	}
	plain := startSim(t, Options{}, false)
	if plain.CACertPEM() != nil {
		t.Error("CACertPEM without TLS")
	}
}

func TestRunIncidents(t *testing.T) {
	zs, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	stop := testutil.Background(t, func(ctx context.Context) { zs.RunIncidents(ctx, 10*time.Millisecond, 200*time.Millisecond) })
	var breached string
	testutil.Eventually(t, 3*time.Second, func() bool {
		for _, v := range zs.State().VPGs {
			if v.Status == sim.VPGRpoNotMeetingSLA {
				breached = v.Name
			}
		}
		return breached != ""
	}, "no incident within 3 s")
	testutil.Eventually(t, 3*time.Second, func() bool { return len(zs.State().Faults) == 0 }, "incident did not heal")
	stop()
	if len(zs.State().Faults) != 0 {
		t.Error("faults left after RunIncidents returned")
	}
}
