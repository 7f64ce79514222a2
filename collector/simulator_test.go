package collector

import (
	"context"
	"encoding/json"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// simServer serves role's ZVM of a demo simulator (seed 7) whose clock stands still at at, after
// prepare (fault injection) ran on it, until the test ends; it returns the simulator and the URL.
func simServer(t *testing.T, flavour string, role zvmsim.Role, at time.Time, prepare func(testing.TB, *zvmsim.Sim)) (*zvmsim.Sim, string) {
	t.Helper()
	sim := simtest.New(t, zvmsim.Options{Flavour: flavour, Profile: "demo", Seed: 7, Username: "admin", Password: "zerto",
		Clock: func() time.Time { return at }})
	if prepare != nil {
		prepare(t, sim)
	}
	return sim, simtest.Serve(t, sim, role)
}

// simScrape is one refresh of the named collectors against one site of a simulator whose clock
// stands still at at, after prepare (fault injection) ran on it. It returns the exposition as
// name{label="value",...} → value, and the simulator's truth at the same instant.
func simScrape(t *testing.T, flavour string, role zvmsim.Role, at time.Time, names []string, prepare func(testing.TB, *zvmsim.Sim)) (map[string]float64, zvmsim.State) {
	t.Helper()
	sim, base := simServer(t, flavour, role, at, prepare)
	// The exporter's clock stands still at the simulator's, so the clock skew it measures is the
	// simulated one exactly.
	client, err := zvm.New(zvm.Config{URL: base, Username: "admin", Password: "zerto", Timeout: 5 * time.Second,
		Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, snap := gatherSet(ctx, t, client, names, snapshot.Options{Concurrency: 4})
	for _, n := range names {
		if got[`zerto_scrape_collector_success{collector="`+n+`"}`] != 1 {
			t.Fatalf("%s collector failed: %v", n, snap.Err(slices.Collect(maps.Keys(snap.Fetches))...))
		}
	}
	return got, sim.State()
}

// gatherSet is one refresh of the named collectors through client, gathered through a pedantic
// registry: the samples as name{label="value",...} → value, and the snapshot they came from.
func gatherSet(ctx context.Context, t *testing.T, client *zvm.Client, names []string, opts snapshot.Options) (map[string]float64, *snapshot.Snapshot) {
	t.Helper()
	mfs, snap := refreshSet(ctx, t, client, names, opts)
	return testutil.Samples(mfs), snap
}

// refreshSet is gatherSet's refresh, returning the gathered families.
func refreshSet(ctx context.Context, t *testing.T, client *zvm.Client, names []string, opts snapshot.Options) ([]*dto.MetricFamily, *snapshot.Snapshot) {
	t.Helper()
	set, err := NewSet(names, Config{})
	if err != nil {
		t.Fatal(err)
	}
	opts.Endpoints = set.Endpoints()
	snap, err := snapshot.NewSource(client, opts).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(set.CollectorFor(snap))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	return mfs, snap
}

// expectSample fails unless got holds key with value want (to a relative 1e-9), or, for a NaN
// want, does not hold key.
func expectSample(t *testing.T, got map[string]float64, key string, want float64) {
	t.Helper()
	g, ok := got[key]
	switch {
	case math.IsNaN(want) && ok:
		t.Errorf("%s = %v, want absent", key, g)
	case math.IsNaN(want):
	case !ok:
		t.Errorf("%s absent, want %v", key, want)
	case math.Abs(g-want) > 1e-9*math.Max(1, math.Abs(want)):
		t.Errorf("%s = %v, want %v", key, g, want)
	}
}

var flavours = []string{zvmsim.FlavourAppliance, zvmsim.FlavourWindows}

// simRaw reads path from role's ZVM of a simulator built as simScrape builds its own (simServer:
// same seed, clock and faults, so the same model), decoded generically so that a JSON null
// stays nil whatever the exporter's client makes of it.
func simRaw(t *testing.T, flavour string, role zvmsim.Role, at time.Time, path string, prepare func(testing.TB, *zvmsim.Sim)) []map[string]any {
	t.Helper()
	_, base := simServer(t, flavour, role, at, prepare)
	var list []map[string]any
	simGet(t, flavour, base, path, &list)
	return list
}

// simGet reads path from the simulated ZVM at base (user admin, password zerto) with a credential
// of its own, and decodes the JSON into v: the expectation comes from what the ZVM sends, not from
// the exporter's decoders.
func simGet(t *testing.T, flavour, base, path string, v any) {
	t.Helper()
	header := http.Header{}
	if flavour == zvmsim.FlavourWindows {
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/session/add", nil)
		req.SetBasicAuth("admin", "zerto")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		header.Set("x-zerto-session", resp.Header.Get("x-zerto-session"))
	} else {
		form := url.Values{"grant_type": {"password"}, "client_id": {"zerto-client"}, "username": {"admin"}, "password": {"zerto"}}
		resp, err := http.PostForm(base+"/auth/realms/zerto/protocol/openid-connect/token", form)
		if err != nil {
			t.Fatal(err)
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		err = json.NewDecoder(resp.Body).Decode(&tok)
		resp.Body.Close()
		if err != nil || tok.AccessToken == "" {
			t.Fatalf("token: %v", err)
		}
		header.Set("Authorization", "Bearer "+tok.AccessToken)
	}
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}
