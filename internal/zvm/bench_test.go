package zvm

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// Decoding benchmarks at the simulator's large profile (2,000 VPGs, 10,000 VMs, 500 VRAs). The
// payloads are produced once, in-process, by zvmsim; each benchmark then decodes one endpoint's
// body as the client does (decodeBody, streaming lists), next to BenchmarkFloor*, the same body
// decoded generically with json.Unmarshal into any: the floor of docs/performance.md.
//
//	go test ./internal/zvm -run '^$' -bench . -benchmem

var (
	largeOnce     sync.Once
	largePayloads map[Endpoint][]byte
	largeErr      error
)

func largeSimPayloads(b *testing.B) map[Endpoint][]byte {
	b.Helper()
	largeOnce.Do(func() { largePayloads, largeErr = fetchSimPayloads(zvmsim.Options{Profile: "large"}) })
	if largeErr != nil {
		b.Fatal(largeErr)
	}
	return largePayloads
}

// fetchSimPayloads logs in to a simulated appliance and reads every endpoint the exporter reads,
// with the queries of a steady refresh (the recovery reports of the last 30 days, one page).
func fetchSimPayloads(o zvmsim.Options) (map[Endpoint][]byte, error) {
	sim, err := zvmsim.New(o)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(sim.Handler(zvmsim.Protected))
	defer srv.Close()
	resp, err := http.PostForm(srv.URL+string(EndpointKeycloakToken), url.Values{"grant_type": {"password"},
		"client_id": {DefaultClientID}, "username": {zvmsim.DefaultUsername}, "password": {zvmsim.DefaultPassword}})
	if err != nil {
		return nil, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	queries := map[Endpoint]url.Values{
		EndpointTasks:           {"startedAfterDate": {filterTime(now.Add(-7 * 24 * time.Hour))}},
		EndpointRecoveryReports: {"pageSize": {"1000"}, "pageNumber": {"1"}, "startTime": {filterTime(now.Add(-30 * 24 * time.Hour))}},
	}
	out := map[Endpoint][]byte{}
	for _, ep := range []Endpoint{EndpointLocalSite, EndpointPeerSites, EndpointVPGs, EndpointVMs, EndpointVRAs,
		EndpointAlerts, EndpointDatastores, EndpointLicense, EndpointTasks, EndpointRecoveryReports, EndpointVMStatistics} {
		u := srv.URL + string(ep)
		if q := queries[ep]; q != nil {
			u += "?" + q.Encode()
		}
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		out[ep], err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// benchDecode decodes ep's large payload into a fresh target per iteration.
func benchDecode(b *testing.B, ep Endpoint, target func() any) {
	body := largeSimPayloads(b)[ep]
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := decodeBody(bytes.NewReader(body), DefaultMaxResponseBytes, target()); err != nil {
			b.Fatal(err)
		}
	}
}

// fresh makes a decode target of the shape newShape makes, as get does for each request.
func fresh[S interface{ target() any }](newShape func() S) func() any {
	return func() any { return newShape().target() }
}

// clientTargets are what the client decodes each endpoint into (api.go).
var clientTargets = map[Endpoint]func() any{
	EndpointLocalSite:       fresh(object[LocalSite]),
	EndpointPeerSites:       fresh(list[PeerSite]),
	EndpointVPGs:            fresh(func() *handwrittenShape[VPG, *VPG] { return handwritten[VPG](vpgFields) }),
	EndpointVMs:             fresh(func() *handwrittenShape[VM, *VM] { return handwritten[VM](vmFields) }),
	EndpointVRAs:            fresh(list[VRA]),
	EndpointAlerts:          fresh(list[Alert]),
	EndpointDatastores:      fresh(list[Datastore]),
	EndpointLicense:         fresh(object[License]),
	EndpointTasks:           fresh(list[Task]),
	EndpointRecoveryReports: fresh(list[RecoveryReport]),
	EndpointVMStatistics: fresh(func() *handwrittenShape[VMStatistics, *VMStatistics] {
		return handwritten[VMStatistics](vmStatisticsFields)
	}),
}

func benchClient(b *testing.B, ep Endpoint) { benchDecode(b, ep, clientTargets[ep]) }

func BenchmarkDecodeLocalSite(b *testing.B)       { benchClient(b, EndpointLocalSite) }
func BenchmarkDecodePeerSites(b *testing.B)       { benchClient(b, EndpointPeerSites) }
func BenchmarkDecodeVPGs(b *testing.B)            { benchClient(b, EndpointVPGs) }
func BenchmarkDecodeVMs(b *testing.B)             { benchClient(b, EndpointVMs) }
func BenchmarkDecodeVRAs(b *testing.B)            { benchClient(b, EndpointVRAs) }
func BenchmarkDecodeAlerts(b *testing.B)          { benchClient(b, EndpointAlerts) }
func BenchmarkDecodeDatastores(b *testing.B)      { benchClient(b, EndpointDatastores) }
func BenchmarkDecodeLicense(b *testing.B)         { benchClient(b, EndpointLicense) }
func BenchmarkDecodeTasks(b *testing.B)           { benchClient(b, EndpointTasks) }
func BenchmarkDecodeRecoveryReports(b *testing.B) { benchClient(b, EndpointRecoveryReports) }
func BenchmarkDecodeVMStatistics(b *testing.B)    { benchClient(b, EndpointVMStatistics) }

// BenchmarkDecodeVMsEncodingJSON decodes /v1/vms with encoding/json, as the client did before
// decode_stream.go: the "before" of docs/performance.md.
func BenchmarkDecodeVMsEncodingJSON(b *testing.B) { benchDecode(b, EndpointVMs, fresh(list[VM])) }

// benchAll runs decode over every payload of one refresh per iteration.
func benchAll(b *testing.B, decode func(ep Endpoint, body []byte) error) {
	ps := largeSimPayloads(b)
	var n int64
	for _, p := range ps {
		n += int64(len(p))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for ep, body := range ps {
			if err := decode(ep, body); err != nil {
				b.Fatal(ep, err)
			}
		}
	}
}

// BenchmarkDecodeAll decodes every payload of one refresh, as the client's typed decoder does.
func BenchmarkDecodeAll(b *testing.B) {
	benchAll(b, func(ep Endpoint, body []byte) error {
		return decodeBody(bytes.NewReader(body), DefaultMaxResponseBytes, clientTargets[ep]())
	})
}

// BenchmarkFloor decodes every payload of one refresh with json.Unmarshal into any: the generic
// decode the refresh's CPU is compared with.
func BenchmarkFloor(b *testing.B) {
	benchAll(b, func(_ Endpoint, body []byte) error {
		var v any
		return json.Unmarshal(body, &v)
	})
}

// BenchmarkFloorVMs is BenchmarkFloor for /v1/vms alone.
func BenchmarkFloorVMs(b *testing.B) {
	body := largeSimPayloads(b)[EndpointVMs]
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecoveryFirstRead is the exporter's first read of the recovery reports with the default
// --collector.recovery.lookback of 365 days, at the large profile, through the client (login, every
// page, decoding): the cost a restart pays to keep quarterly and yearly tests' RTO series.
func BenchmarkRecoveryFirstRead(b *testing.B) {
	sim, err := zvmsim.New(zvmsim.Options{Profile: "large", Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(zvmsim.Protected))
	defer srv.Close()
	c, err := New(Config{URL: srv.URL, Username: zvmsim.DefaultUsername, Password: zvmsim.DefaultPassword, Auth: AuthKeycloak})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	since := time.Now().Add(-365 * 24 * time.Hour)
	var n int
	for b.Loop() {
		reports, err := c.RecoveryReports(ctx, RecoveryQuery{StartTime: since})
		if err != nil {
			b.Fatal(err)
		}
		n = len(reports)
	}
	b.ReportMetric(float64(n), "reports")
}
