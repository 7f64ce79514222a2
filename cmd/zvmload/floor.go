package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// payload is one ZVM response body as the exporter reads it in a steady-state refresh.
type payload struct {
	path string
	body []byte
}

// fetchPayloads logs in to the simulator as the exporter does (Keycloak password grant) and
// fetches, once, every body a steady-state refresh of the collectors that ran reads: the endpoints
// they declare (eps, /v1/localsite first), with the exporter's paths and query windows (tasks of
// the last 7 days; recovery reports since the newest report's end minus the 10-minute overlap,
// page by page; /v1/volumes once per volume type).
func fetchPayloads(base string, eps []zvm.Endpoint) ([]payload, error) {
	form := url.Values{"grant_type": {"password"}, "client_id": {"zerto-client"},
		"username": {simUser}, "password": {simPassword}}
	resp, err := http.PostForm(base+"/auth/realms/zerto/protocol/openid-connect/token", form)
	if err != nil {
		return nil, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		return nil, fmt.Errorf("login: %v (status %d)", err, resp.StatusCode) //nolint:errorlint // err may be nil here (an empty token)
	}
	get := func(path string, q url.Values) ([]byte, error) {
		u := base + path
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Accept", "application/json")
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

	now := time.Now().UTC()
	const layout = "2006-01-02T15:04:05Z"
	ls, err := get(string(zvm.EndpointLocalSite), nil)
	if err != nil {
		return nil, err
	}
	var site zvm.LocalSite
	if err := json.Unmarshal(ls, &site); err != nil {
		return nil, fmt.Errorf("localsite: %w", err)
	}
	out := []payload{{string(zvm.EndpointLocalSite), ls}}
	for _, ep := range eps {
		var qs []url.Values
		path := string(ep)
		switch ep {
		case zvm.EndpointLocalSite:
			continue
		case zvm.EndpointRecoveryReports:
			rs, err := recoveryPayloads(get, now)
			if err != nil {
				return nil, err
			}
			out = append(out, rs...)
			continue
		case zvm.EndpointTasks:
			qs = []url.Values{{"startedAfterDate": {now.Add(-7 * 24 * time.Hour).Format(layout)}}}
		case zvm.EndpointVolumes:
			for _, typ := range zvm.VolumeTypesRead() {
				qs = append(qs, url.Values{"volumeType": {typ}})
			}
		case zvm.EndpointUnprotectedVMs:
			path = strings.Replace(path, "{siteIdentifier}", site.ID(), 1)
		}
		if strings.Contains(path, "{") {
			return nil, fmt.Errorf("%s: a per-VPG endpoint, which the floor does not cover", ep)
		}
		if qs == nil {
			qs = []url.Values{nil}
		}
		for _, q := range qs {
			b, err := get(path, q)
			if err != nil {
				return nil, err
			}
			out = append(out, payload{string(ep), b})
		}
	}
	return out, nil
}

// recoveryPayloads reads the recovery reports as a steady refresh does: the exporter reads the
// 30-day window once, then from the newest end time less 10 minutes. It finds the newest end time
// the way the exporter does, then reads that window.
func recoveryPayloads(get func(string, url.Values) ([]byte, error), now time.Time) ([]payload, error) {
	const layout = "2006-01-02T15:04:05Z"
	newest := time.Time{}
	for page := 1; ; page++ {
		b, err := get("/v1/reports/recovery", url.Values{"pageSize": {"1000"}, "pageNumber": {strconv.Itoa(page)},
			"startTime": {now.Add(-30 * 24 * time.Hour).Format(layout)}})
		if err != nil {
			return nil, err
		}
		var reps []struct{ General struct{ EndTime string } }
		if err := json.Unmarshal(b, &reps); err != nil {
			return nil, fmt.Errorf("recovery reports: %w", err)
		}
		for _, r := range reps {
			if t, err := time.Parse(time.RFC3339, r.General.EndTime); err == nil && t.After(newest) {
				newest = t
			}
		}
		if len(reps) < 1000 {
			break
		}
	}
	start := now.Add(-30 * 24 * time.Hour)
	if !newest.IsZero() {
		start = newest.Add(-10 * time.Minute)
	}
	var out []payload
	for page := 1; ; page++ {
		b, err := get("/v1/reports/recovery", url.Values{"pageSize": {"1000"}, "pageNumber": {strconv.Itoa(page)},
			"startTime": {start.UTC().Format(layout)}})
		if err != nil {
			return nil, err
		}
		out = append(out, payload{"/v1/reports/recovery", b})
		if strings.Count(string(b), "RecoveryOperationIdentifier") < 1000 {
			return out, nil
		}
	}
}

// measureFloor returns the CPU time (this process's utime+stime from /proc/self/stat, so GC and
// all threads are counted, as they are for the exporter) of one json.Unmarshal into `any` of every
// payload, averaged over at least minRuns rounds and at least two seconds of CPU.
func measureFloor(ps []payload, minRuns int) (time.Duration, int64) {
	var bytes int64
	for _, p := range ps {
		bytes += int64(len(p.body))
	}
	decodeAll := func() {
		for _, p := range ps {
			var v any
			if err := json.Unmarshal(p.body, &v); err != nil {
				fatalf("floor: %s: %v", p.path, err)
			}
		}
	}
	decodeAll() // warm up
	c0 := selfCPU()
	runs := 0
	for runs < minRuns || selfCPU()-c0 < 2*time.Second {
		decodeAll()
		runs++
	}
	return (selfCPU() - c0) / time.Duration(runs), bytes
}
