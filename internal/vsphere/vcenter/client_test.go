package vcenter

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/vsphere"
	"github.com/zerto-exporter/zerto_exporter/internal/vsphere/vcsimtest"
)

var vraNames = []string{"Z-VRA-esx01", "Z-VRA-esx02", "Z-VRA-esx03", "Z-VRA-esx04"}

func newClient(t *testing.T, s *vcsimtest.Server, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{URL: s.URL, Username: s.Username, Password: s.Password, CAFile: s.CAFile, Timeout: 10 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

func read(t *testing.T, c *Client, names ...string) map[string]vsphere.VRA {
	t.Helper()
	got, err := c.ReadVRAs(context.Background(), names)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestReadVRAs(t *testing.T) {
	s := vcsimtest.Start(t, vcsimtest.Options{VRAs: vraNames, TLS: true})
	c := newClient(t, s, nil)
	s.SetCounters("Z-VRA-esx02", map[string]int64{
		vsphere.CounterNetTransmitted: 7, vsphere.CounterNetReceived: 8, vsphere.CounterCPUUsage: 9, vsphere.CounterMemUsage: 10,
	})
	s.SetMaintenance(t, "Z-VRA-esx03", true)

	got := read(t, c, append([]string{"Z-VRA-missing"}, vraNames...)...)
	if len(got) != len(vraNames) {
		t.Fatalf("read %d VRAs, want %d (the missing one absent): %v", len(got), len(vraNames), got)
	}
	if _, ok := got["Z-VRA-missing"]; ok {
		t.Error("a VRA with no VM in vCenter is in the result")
	}
	for _, n := range vraNames {
		v := got[n]
		if v.VM == "" || v.Host != s.HostName(t, n) || !v.HostKnown || !v.HostConnected() {
			t.Errorf("%s: %+v, want VM on connected host %s", n, v, s.HostName(t, n))
		}
		want := vcsimtest.DefaultCounters
		if n == "Z-VRA-esx02" {
			want = map[string]int64{vsphere.CounterNetTransmitted: 7, vsphere.CounterNetReceived: 8, vsphere.CounterCPUUsage: 9, vsphere.CounterMemUsage: 10}
		}
		for k, w := range want {
			if v.Counters[k] != w {
				t.Errorf("%s %s = %d, want %d", n, k, v.Counters[k], w)
			}
		}
		if v.HostMaintenance != (n == "Z-VRA-esx03") {
			t.Errorf("%s maintenance = %v", n, v.HostMaintenance)
		}
	}
	if q := s.PerfQueries(); q != 1 {
		t.Errorf("%d QueryPerf calls for one read, want 1", q)
	}
}

func TestDisconnectedHostHasNoCounters(t *testing.T) {
	s := vcsimtest.Start(t, vcsimtest.Options{VRAs: vraNames[:2]})
	c := newClient(t, s, nil)
	s.SetConnected(t, "Z-VRA-esx01", false)
	s.SetCounters("Z-VRA-esx02", map[string]int64{vsphere.CounterCPUUsage: 100})
	got := read(t, c, vraNames[:2]...)
	if v := got["Z-VRA-esx01"]; !v.HostKnown || v.HostConnected() || v.HostConnectionState != "disconnected" || len(v.Counters) != 0 {
		t.Errorf("VRA on a disconnected host: %+v, want state disconnected and no counters", v)
	}
	if v := got["Z-VRA-esx02"]; len(v.Counters) != 1 || v.Counters[vsphere.CounterCPUUsage] != 100 {
		t.Errorf("counters vCenter did not send should be absent: %+v", v.Counters)
	}
}

func TestSessionKeptAndRenewed(t *testing.T) {
	s := vcsimtest.Start(t, vcsimtest.Options{VRAs: vraNames[:1]})
	c := newClient(t, s, nil)
	for range 5 {
		read(t, c, vraNames[0])
	}
	if n := s.Logins(); n != 1 {
		t.Fatalf("%d logins over 5 reads, want 1", n)
	}
	s.TerminateSessions(t)
	if got := read(t, c, vraNames[0]); len(got) != 1 {
		t.Fatalf("read after session expiry: %v", got)
	}
	if n := s.Logins(); n != 2 {
		t.Fatalf("%d logins after one session expiry, want 2", n)
	}
}

func TestVCenterDown(t *testing.T) {
	s := vcsimtest.Start(t, vcsimtest.Options{VRAs: vraNames[:1]})
	c := newClient(t, s, func(c *Config) { c.Timeout = 15 * time.Second })
	read(t, c, vraNames[0])
	s.Close()
	if _, err := c.ReadVRAs(context.Background(), vraNames[:1]); err == nil {
		t.Fatal("no error with vCenter down")
	}
}

func TestBadLoginBacksOff(t *testing.T) {
	s := vcsimtest.Start(t, vcsimtest.Options{VRAs: vraNames[:1]})
	now := time.Unix(1_700_000_000, 0)
	c := newClient(t, s, func(c *Config) {
		c.Password = "wrong"
		c.Now = func() time.Time { return now }
	})
	_, err := c.ReadVRAs(context.Background(), vraNames[:1])
	if err == nil || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("bad login: err = %v, want an error without the password", err)
	}
	if _, err := c.ReadVRAs(context.Background(), vraNames[:1]); err == nil || !strings.Contains(err.Error(), "next attempt") {
		t.Fatalf("second read right after a rejected login: %v, want back-off", err)
	}
	if n := s.Logins(); n != 1 {
		t.Fatalf("%d login attempts, want 1 during back-off", n)
	}
	now = now.Add(31 * time.Second)
	_, _ = c.ReadVRAs(context.Background(), vraNames[:1])
	if n := s.Logins(); n != 2 {
		t.Fatalf("%d login attempts after the back-off, want 2", n)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{URL: "ftp://vc", Username: "u"},
		{URL: "https://vc.example.com", Username: ""},
		{URL: "https://vc.example.com", Username: "u", CAFile: "/nonexistent/ca.pem"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	if _, err := New(Config{URL: "vc.example.com", Username: "u"}); err == nil {
		t.Error("New accepted a host without a scheme")
	}
	c, err := New(Config{URL: "https://vc.example.com", Username: "u"})
	if err != nil || c.URL() != "https://vc.example.com/sdk" {
		t.Errorf("URL without the SDK path: %v %v", c, err)
	}
}
