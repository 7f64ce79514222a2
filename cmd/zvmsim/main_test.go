package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"--flavour=windows", "--profile=small", "--vms=50", "--seed=9",
		"--password=pw", "--client-id=id", "--client-secret=sec", "--token-ttl=1m", "--session-idle-timeout=5m", "--peer-listen="})
	if err != nil {
		t.Fatal(err)
	}
	o := c.opts
	if o.Flavour != "windows" || o.Profile != "small" || o.VMs != 50 || o.Seed != 9 || o.Password != "pw" ||
		o.ClientID != "id" || o.ClientSecret != "sec" || o.TokenTTL != time.Minute || o.SessionIdleTimeout != 5*time.Minute ||
		c.peerListen != "" || c.listen != "127.0.0.1:9669" {
		t.Errorf("parsed %+v", c)
	}
	for _, bad := range [][]string{{"--flavour=linux"}, {"--profile=huge"}, {"--tls-cert-out=x.pem"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestRunPrintsSettingsAndServes(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "ca.pem")
	c, err := parseFlags([]string{"--listen=127.0.0.1:0", "--peer-listen=127.0.0.1:0", "--password=hunter2",
		"--client-id=exporter", "--client-secret=topsecret", "--tls", "--tls-cert-out=" + certFile})
	if err != nil {
		t.Fatal(err)
	}
	out, _, stop := startRun(t, c)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	printed := out.String()
	if strings.Contains(printed, "hunter2") || strings.Contains(printed, "topsecret") || !strings.Contains(printed, "<secret>") {
		t.Errorf("secrets not hidden:\n%s", printed)
	}
	if !strings.Contains(printed, "https://127.0.0.1:") {
		t.Errorf("no https URL:\n%s", printed)
	}
	if pem, err := os.ReadFile(certFile); err != nil || !bytes.Contains(pem, []byte("BEGIN CERTIFICATE")) {
		t.Errorf("certificate file: %v", err)
	}
	if _, err := http.Get("http://" + strings.Fields(printed[strings.Index(printed, "127.0.0.1:"):])[0]); err == nil {
		t.Error("still serving after shutdown")
	}
}

// TestClockFlag: --clock freezes the simulated clock at the time given, which /_sim/state then
// shows, and a time that does not parse is refused with the flag named; without it the clock is
// real time.
func TestClockFlag(t *testing.T) {
	if c, err := parseFlags(nil); err != nil || c.opts.Clock != nil {
		t.Fatalf("without --clock: clock set (%v) or error %v", c.opts.Clock != nil, err)
	}
	for _, bad := range []string{"yesterday", "2026-11-25", "2026-11-25 12:00:00"} {
		if _, err := parseFlags([]string{"--clock=" + bad}); err == nil || !strings.Contains(err.Error(), "--clock") {
			t.Errorf("--clock=%s: error %v, want one naming --clock", bad, err)
		}
	}
	c, err := parseFlags([]string{"--clock=2026-11-25T12:00:00Z", "--listen=127.0.0.1:0", "--peer-listen="})
	if err != nil {
		t.Fatal(err)
	}
	frozen := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	out, base, stop := startRun(t, c)
	if !strings.Contains(out.String(), "clock frozen at 2026-11-25T12:00:00Z") {
		t.Errorf("the frozen clock is not among the settings printed:\n%s", out.String())
	}
	for range 2 {
		resp, err := http.Get(base + "/_sim/state")
		if err != nil {
			t.Fatal(err)
		}
		var st struct {
			Now time.Time `json:"now"`
		}
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !st.Now.Equal(frozen) {
			t.Errorf("/_sim/state now = %s, want %s", st.Now, frozen)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// startRun runs the simulator with c in the background until it has printed its settings, and
// returns what it printed and the protected site's URL; stop ends the run and returns its error.
func startRun(t *testing.T, c config) (out *testutil.SyncBuffer, base string, stop func() error) {
	t.Helper()
	out = &testutil.SyncBuffer{}
	errc := make(chan error, 1)
	stopRun := testutil.Background(t, func(ctx context.Context) { errc <- run(ctx, c, out) })
	const marker = "control API at "
	if !testutil.Poll(5*time.Second, func() bool { return strings.Contains(out.String(), marker) }) {
		t.Fatalf("no settings printed: %s", out)
	}
	_, after, _ := strings.Cut(out.String(), "protected site ZVM at ")
	base, _, _ = strings.Cut(after, "\n")
	return out, base, func() error {
		stopRun()
		select {
		case err := <-errc:
			return err
		default:
			return errors.New("run did not return")
		}
	}
}
