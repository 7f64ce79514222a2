package zvm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/jsonstream"
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
	largePayloads []simPayload
	largeErr      error
)

// simPayload is one response body of a refresh.
type simPayload struct {
	ep    Endpoint
	query url.Values
	body  []byte
}

func largeSimPayloads(b *testing.B) []simPayload {
	b.Helper()
	largeOnce.Do(func() { largePayloads, largeErr = fetchSimPayloads(zvmsim.Options{Profile: "large"}) })
	if largeErr != nil {
		b.Fatal(largeErr)
	}
	return largePayloads
}

// largeSimBody is the (first) body of ep at the large profile.
func largeSimBody(b *testing.B, ep Endpoint) []byte {
	for _, p := range largeSimPayloads(b) {
		if p.ep == ep {
			return p.body
		}
	}
	b.Fatalf("no payload of %s", ep)
	return nil
}

// payloadOf is the (first) body of ep in ps.
func payloadOf(ps []simPayload, ep Endpoint) []byte {
	for _, p := range ps {
		if p.ep == ep {
			return p.body
		}
	}
	return nil
}

// fetchSimPayloads logs in to a simulated appliance and reads every body a steady refresh of the
// default collectors reads, with its queries (the recovery reports of the last 30 days, one page;
// the journal and the scratch volumes).
func fetchSimPayloads(o zvmsim.Options) ([]simPayload, error) {
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
	get := func(path string, q url.Values) ([]byte, error) {
		u := srv.URL + path
		if q != nil {
			u += "?" + q.Encode()
		}
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return b, err
	}
	ls, err := get(string(EndpointLocalSite), nil)
	if err != nil {
		return nil, err
	}
	var site LocalSite
	if err := json.Unmarshal(ls, &site); err != nil {
		return nil, err
	}
	now := time.Now()
	reads := []simPayload{
		{ep: EndpointPeerSites}, {ep: EndpointVPGs}, {ep: EndpointVMs}, {ep: EndpointVRAs},
		{ep: EndpointAlerts}, {ep: EndpointDatastores}, {ep: EndpointLicense},
		{ep: EndpointTasks, query: url.Values{"startedAfterDate": {filterTime(now.Add(-7 * 24 * time.Hour))}}},
		{ep: EndpointRecoveryReports, query: url.Values{"pageSize": {"1000"}, "pageNumber": {"1"}, "startTime": {filterTime(now.Add(-30 * 24 * time.Hour))}}},
		{ep: EndpointVMStatistics},
		{ep: EndpointVolumes, query: url.Values{"volumeType": {VolumeTypeJournal}}},
		{ep: EndpointVolumes, query: url.Values{"volumeType": {VolumeTypeScratch}}},
		{ep: EndpointServerTime}, {ep: EndpointUnprotectedVMs}, {ep: EndpointServiceProfiles},
		{ep: EndpointEncryptionState}, {ep: EndpointSuspectedVPGs}, {ep: EndpointSuspectedVMs},
		{ep: EndpointEncryptionMetricsVPG}, {ep: EndpointEJCHealth}, {ep: EndpointEJCRepositories},
	}
	out := []simPayload{{ep: EndpointLocalSite, body: ls}}
	for _, r := range reads {
		path, err := expand(r.ep, site.ID())
		if err != nil {
			path = string(r.ep)
		}
		if r.body, err = get(path, r.query); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// benchDecode decodes ep's large payload into a fresh target per iteration.
func benchDecode(b *testing.B, ep Endpoint, target func() any) {
	body := largeSimBody(b, ep)
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

// hw is fresh for the types with a hand-written decoder.
func hw[T any, P interface {
	*T
	member
}](fields *jsonstream.Fields) func() any {
	return fresh(func() *handwrittenShape[T, P] { return handwritten[T, P](fields) })
}

// clientTargets are what the client decodes each endpoint into (api.go and the endpoints' files).
var clientTargets = map[Endpoint]func() any{
	EndpointLocalSite:            fresh(object[LocalSite]),
	EndpointPeerSites:            fresh(list[PeerSite]),
	EndpointVPGs:                 hw[VPG](vpgFields),
	EndpointVMs:                  hw[VM](vmFields),
	EndpointVRAs:                 fresh(list[VRA]),
	EndpointAlerts:               fresh(list[Alert]),
	EndpointDatastores:           fresh(list[Datastore]),
	EndpointLicense:              fresh(object[License]),
	EndpointTasks:                fresh(list[Task]),
	EndpointRecoveryReports:      fresh(list[RecoveryReport]),
	EndpointVMStatistics:         hw[VMStatistics](vmStatisticsFields),
	EndpointVolumes:              fresh(list[Volume]),
	EndpointServerTime:           fresh(scalar[Time]),
	EndpointUnprotectedVMs:       fresh(list[UnprotectedVM]),
	EndpointServiceProfiles:      fresh(list[ServiceProfile]),
	EndpointEncryptionState:      fresh(object[EncryptionDetectionState]),
	EndpointSuspectedVPGs:        fresh(list[SuspectedVPG]),
	EndpointSuspectedVMs:         fresh(list[SuspectedVM]),
	EndpointEncryptionMetricsVPG: fresh(list[VPGEncryptionMetrics]),
	EndpointEJCHealth:            fresh(object[ejcHealth]),
	EndpointEJCRepositories:      fresh(list[EJCRepository]),
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
func BenchmarkDecodeVolumes(b *testing.B)         { benchClient(b, EndpointVolumes) }
func BenchmarkDecodeUnprotectedVMs(b *testing.B)  { benchClient(b, EndpointUnprotectedVMs) }
func BenchmarkDecodeSuspectedVMs(b *testing.B)    { benchClient(b, EndpointSuspectedVMs) }
func BenchmarkDecodeEncryptionMetrics(b *testing.B) {
	benchClient(b, EndpointEncryptionMetricsVPG)
}
func BenchmarkDecodeEJCHealth(b *testing.B) { benchClient(b, EndpointEJCHealth) }

// BenchmarkDecodeVMsEncodingJSON decodes /v1/vms with encoding/json, as the client did before
// decode_stream.go: the "before" of docs/performance.md.
func BenchmarkDecodeVMsEncodingJSON(b *testing.B) { benchDecode(b, EndpointVMs, fresh(list[VM])) }

// benchAll runs decode over every payload of one refresh per iteration.
func benchAll(b *testing.B, decode func(ep Endpoint, body []byte) error) {
	ps := largeSimPayloads(b)
	var n int64
	for _, p := range ps {
		n += int64(len(p.body))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range ps {
			if err := decode(p.ep, p.body); err != nil {
				b.Fatal(p.ep, err)
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
	body := largeSimBody(b, EndpointVMs)
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
