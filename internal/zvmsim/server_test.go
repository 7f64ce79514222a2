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
)

func startSim(t *testing.T, opts Options, recovery bool) *Sim {
	t.Helper()
	sim, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	recoveryAddr := ""
	if recovery {
		recoveryAddr = "127.0.0.1:0"
	}
	if err := sim.Start("127.0.0.1:0", recoveryAddr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
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
	sim := startSim(t, Options{}, true)
	for _, role := range []Role{Protected, Recovery} {
		resp, err := http.Get(sim.URL(role) + "/_sim/state")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", role, resp.Status)
		}
	}
	if err := sim.Start("127.0.0.1:0", ""); err == nil {
		t.Error("second Start succeeded")
	}
	if single := startSim(t, Options{}, false); single.URL(Recovery) != "" {
		t.Errorf("recovery URL without a recovery listener: %q", single.URL(Recovery))
	}
}

func TestDownRefusesThenRebindsSameAddress(t *testing.T) {
	sim := startSim(t, Options{}, true)
	prot, rec := hostOf(t, sim.URL(Protected)), hostOf(t, sim.URL(Recovery))

	// Timed: the site comes back by itself.
	if _, err := sim.InjectFault(Fault{Kind: KindDown, Site: "protected", Seconds: 1}); err != nil {
		t.Fatal(err)
	}
	if reachable(prot) {
		t.Fatal("protected site still accepts connections while down")
	}
	if !reachable(rec) {
		t.Fatal("recovery site went down too")
	}
	if sim.State().Sites[Protected].Up {
		t.Error("state says the down site is up")
	}
	eventually(t, 5*time.Second, func() bool { return reachable(prot) }, "protected site did not come back on its address")
	if sim.URL(Protected) != "http://"+prot {
		t.Errorf("URL changed to %s", sim.URL(Protected))
	}

	// Until cleared, through the other site's control API.
	resp, err := http.Post(sim.URL(Protected)+"/_sim/faults", "application/json", strings.NewReader(`{"kind":"down","site":"recovery"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if reachable(rec) {
		t.Fatal("recovery site still accepts connections while down")
	}
	req, _ := http.NewRequest(http.MethodDelete, sim.URL(Protected)+"/_sim/faults", nil)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !reachable(rec) {
		t.Fatal("recovery site not back after clearing")
	}
	resp, err = http.Get(sim.URL(Recovery) + "/_sim/state")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// TestDownDropsKeptAliveConnections: once the fault is injected, a client's kept-alive connection
// is answered no more than a new one is, as when a ZVM stops.
func TestDownDropsKeptAliveConnections(t *testing.T) {
	sim := startSim(t, Options{}, false)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	get := func() (reused bool, err error) {
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, sim.URL(Protected)+"/_sim/state", nil)
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
	if _, err := sim.InjectFault(Fault{Kind: KindDown, Site: "protected"}); err != nil {
		t.Fatal(err)
	}
	if _, err := get(); err == nil {
		t.Fatal("a request on a connection kept alive from before the down fault was answered")
	}
}

func TestDownThroughItsOwnListenerAnswersFirst(t *testing.T) {
	sim := startSim(t, Options{}, true)
	resp, err := http.Post(sim.URL(Protected)+"/_sim/faults", "application/json", strings.NewReader(`{"kind":"down","site":"protected"}`))
	if err != nil {
		t.Fatalf("the request taking its own site down got no answer: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"id"`) {
		t.Fatalf("%s %s", resp.Status, body)
	}
	if reachable(hostOf(t, sim.URL(Protected))) {
		t.Fatal("still reachable")
	}
	sim.ClearFaults()
	if !reachable(hostOf(t, sim.URL(Protected))) {
		t.Fatal("not back after ClearFaults")
	}
}

func TestTLS(t *testing.T) {
	sim := startSim(t, Options{TLS: true}, true)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(sim.CACertPEM()) {
		t.Fatal("CACertPEM is not a PEM certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, role := range []Role{Protected, Recovery} {
		u := sim.URL(role)
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
			if string(pem) != string(sim.CACertPEM()) {
				t.Errorf("/_sim/ca.pem differs from CACertPEM")
			}
		}
	}
	if _, err := http.Get(sim.URL(Protected) + "/v1/vpgs"); err == nil {
		t.Error("a client without the CA trusted the self-signed certificate")
	}
	plain := startSim(t, Options{}, false)
	if plain.CACertPEM() != nil {
		t.Error("CACertPEM without TLS")
	}
}

func TestRunIncidents(t *testing.T) {
	sim, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	stop := runIncidents(sim, 10*time.Millisecond, 200*time.Millisecond)
	var breached string
	eventually(t, 3*time.Second, func() bool {
		for _, v := range sim.State().VPGs {
			if v.Status == VPGRpoNotMeetingSLA {
				breached = v.Name
			}
		}
		return breached != ""
	}, "no incident within 3 s")
	eventually(t, 3*time.Second, func() bool { return len(sim.State().Faults) == 0 }, "incident did not heal")
	stop()
	if len(sim.State().Faults) != 0 {
		t.Error("faults left after RunIncidents returned")
	}
}

// runIncidents runs sim's demo incidents in the background; stop ends them and waits for
// RunIncidents to return.
func runIncidents(sim *Sim, every, hold time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		sim.RunIncidents(ctx, every, hold)
		close(done)
	}()
	return func() { cancel(); <-done }
}

// eventually polls cond every millisecond until it holds, and fails the test with msg if it does
// not within d.
func eventually(t *testing.T, d time.Duration, cond func() bool, msg string) {
	t.Helper()
	for deadline := time.Now().Add(d); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal(msg)
		}
	}
}
