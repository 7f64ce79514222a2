package zvm

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseTimeSpan(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"00:05:00":         5 * time.Minute,
		"1.00:00:00":       24 * time.Hour,
		"30.00:00:00":      30 * 24 * time.Hour,
		"02:03:04.5":       2*time.Hour + 3*time.Minute + 4500*time.Millisecond,
		"00:00:00.0000001": 100 * time.Nanosecond,
		"PT5M":             5 * time.Minute,
		"PT12H":            12 * time.Hour,
		"P7D":              7 * 24 * time.Hour,
		"P1DT2H3M4.5S":     26*time.Hour + 3*time.Minute + 4500*time.Millisecond,
		"-00:01:00":        -time.Minute,
	} {
		got, err := ParseTimeSpan(in)
		if err != nil || got != want {
			t.Errorf("ParseTimeSpan(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "5", "00:60:00", "24:00:00", "P", "PT", "1.2.3", "P5W", "99999999.00:00:00"} {
		if d, err := ParseTimeSpan(bad); err == nil {
			t.Errorf("ParseTimeSpan(%q) = %v, want an error", bad, d)
		}
	}
}

// TestServerTimeSkew: the skew is the ZVM's clock minus the local clock at the middle of the
// request's round trip. The fake ZVM reads its clock 100 ms into a 200 ms answer and reports it
// 30 s ahead; a slow login before the request does not count.
func TestServerTimeSkew(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.loginDelay = 400 * time.Millisecond
	f.handle(EndpointServerTime, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		at := time.Now().Add(30 * time.Second)
		time.Sleep(100 * time.Millisecond)
		fmt.Fprintf(w, "%q", at.UTC().Format("2006-01-02T15:04:05.0000000"))
	})
	c := newTestClient(t, f, nil)
	st, err := ReadAs[*ServerTime](testCtx(t), c, Request{Endpoint: EndpointServerTime})
	if err != nil {
		t.Fatal(err)
	}
	if st.RoundTrip < 200*time.Millisecond || st.RoundTrip > 390*time.Millisecond {
		t.Errorf("round trip %v, want the request's 200 ms and not the 400 ms login", st.RoundTrip)
	}
	if d := math.Abs((st.Skew() - 30*time.Second).Seconds()); d > 0.05 {
		t.Errorf("skew %v, want 30s within 50 ms", st.Skew())
	}

	f.setBody(EndpointServerTime, `"tomorrow"`)
	f.handle(EndpointServerTime, nil)
	if _, err := ReadAs[*ServerTime](testCtx(t), c, Request{Endpoint: EndpointServerTime}); err == nil || !strings.Contains(err.Error(), "not a date") {
		t.Errorf("a non-date answer: %v, want an error saying so", err)
	}
}

// TestVolumesFiltered: Volumes asks for journal and scratch volumes, one request each, and keeps
// only the asked-for type from each answer, so a ZVM that ignores the filter counts nothing twice.
func TestVolumesFiltered(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.setBody(EndpointVolumes, `[
		{"VolumeType":"Journal","VolumeIdentifier":"j1","Size":{"UsedInBytes":1,"ProvisionedInBytes":2},"Vpg":{"Identifier":"v1","Name":"A"}},
		{"VolumeType":"scratch","VolumeIdentifier":"s1","Size":{"UsedInBytes":3,"ProvisionedInBytes":4},"Vpg":{"Identifier":"v1","Name":"A"}},
		{"VolumeType":"recovery","VolumeIdentifier":"r1","Size":{"UsedInBytes":5,"ProvisionedInBytes":6},"Vpg":{"Identifier":"v1","Name":"A"}}]`)
	c := newTestClient(t, f, nil)
	vols, err := ReadAs[[]Volume](testCtx(t), c, Request{Endpoint: EndpointVolumes})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vols {
		got = append(got, v.VolumeType+":"+v.VolumeIdentifier)
	}
	if strings.Join(got, ",") != "journal:j1,scratch:s1" {
		t.Errorf("volumes %v, want journal:j1 and scratch:s1 once each", got)
	}
	var filters []string
	for _, r := range f.requestsTo(EndpointVolumes) {
		filters = append(filters, r.URL.Query().Get("volumeType"))
	}
	if strings.Join(filters, ",") != "journal,scratch" {
		t.Errorf("volumeType filters %v, want journal then scratch", filters)
	}
}

// TestTemplatedEndpoint: a templated endpoint's request goes to the path with the id filled in,
// is observed under the template, and an id that would leave its path segment is never sent.
func TestTemplatedEndpoint(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.setBody("/v1/virtualizationsites/site-1/vms", `[{"VmIdentifier":"vc.vm-1","VmName":"tmpl"}]`)
	rec := &recorder{}
	c := newTestClient(t, f, func(cfg *Config) { cfg.Observer = rec })
	vms, err := ReadAs[[]UnprotectedVM](testCtx(t), c, Request{Endpoint: EndpointUnprotectedVMs, ID: "site-1"})
	if err != nil || len(vms) != 1 || vms[0].VmName != "tmpl" {
		t.Fatalf("UnprotectedVMs = %v, %v", vms, err)
	}
	if calls := rec.all(); calls[len(calls)-1] != string(EndpointUnprotectedVMs)+" 200" {
		t.Errorf("observed %v, want the template path with 200 last", calls)
	}
	before := len(rec.all())
	for _, bad := range []string{"", "..", "a/../../v1/license", `a\b`} {
		if _, err := ReadAs[[]UnprotectedVM](testCtx(t), c, Request{Endpoint: EndpointUnprotectedVMs, ID: bad}); err == nil {
			t.Errorf("UnprotectedVMs(%q) succeeded", bad)
		}
	}
	if n := len(rec.all()); n != before {
		t.Errorf("%d requests sent for unusable ids", n-before)
	}
}
