package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// ---------------------------------------------------------------------------------------------
// Webhook receiver

// notification is one Alertmanager webhook payload (version 4).
type notification struct {
	Received          time.Time         `json:"-"`
	Status            string            `json:"status"`
	Receiver          string            `json:"receiver"`
	GroupKey          string            `json:"groupKey"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	Alerts            []webhookAlert    `json:"alerts"`
}

type webhookAlert struct {
	Status      string            `json:"status"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	EndsAt      time.Time         `json:"endsAt"`
	Fingerprint string            `json:"fingerprint"`
}

// receiver is the webhook Alertmanager notifies; it keeps every payload.
type receiver struct {
	srv  *httptest.Server
	got  syncList[notification]
	errs syncList[string]
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		var n notification
		if err == nil {
			err = json.Unmarshal(body, &n)
		}
		if err != nil {
			r.errs.add(fmt.Sprintf("%v: %s", err, body))
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n.Received = time.Now()
		r.got.add(n)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// sent is one alert as it reached the receiver, with the notification's own status.
type sent struct {
	notification int // index of the payload
	status       string
	alert        webhookAlert
	received     time.Time
}

// alerts returns every alert of every notification whose labels include match.
func (r *receiver) alerts(match map[string]string) []sent {
	var out []sent
	for i, n := range r.got.all() {
		for _, a := range n.Alerts {
			if hasLabels(a.Labels, match) {
				out = append(out, sent{notification: i, status: a.Status, alert: a, received: n.Received})
			}
		}
	}
	return out
}

// count returns how many alerts matching match reached the receiver with status.
func (r *receiver) count(match map[string]string, status string) int {
	n := 0
	for _, s := range r.alerts(match) {
		if s.status == status {
			n++
		}
	}
	return n
}

// dump lists every notification received so far, for failure messages.
func (r *receiver) dump() string {
	var b strings.Builder
	for i, n := range r.got.all() {
		for _, a := range n.Alerts {
			fmt.Fprintf(&b, "  #%d %s %s %s\n", i, n.Received.Format("15:04:05.000"), a.Status, labelString(a.Labels))
		}
	}
	for _, e := range r.errs.all() {
		fmt.Fprintf(&b, "  bad payload: %s\n", e)
	}
	if b.Len() == 0 {
		return "  (none)\n"
	}
	return b.String()
}

func hasLabels(labels, match map[string]string) bool {
	for k, v := range match {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func labelString(l map[string]string) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, l[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// ---------------------------------------------------------------------------------------------
// Prometheus HTTP API

type promAPI struct {
	base   string
	client *http.Client
}

// sample is one series of an instant vector.
type sample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// rangeSeries is one series of a range query.
type rangeSeries struct {
	Metric map[string]string `json:"metric"`
	Values [][2]any          `json:"values"`
}

func (p *promAPI) get(ctx context.Context, path string, params url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+path+"?"+params.Encode(), nil)
	if err != nil {
		return err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var env struct {
		Status string          `json:"status"`
		Error  string          `json:"error"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("GET %s: %s: %w", path, resp.Status, err)
	}
	if env.Status != "success" {
		return fmt.Errorf("GET %s %s: %s", path, params.Get("query"), env.Error)
	}
	return json.Unmarshal(env.Data, out)
}

// query runs an instant query and returns its vector (a scalar comes back as one sample).
func (p *promAPI) query(ctx context.Context, q string) ([]sample, error) {
	var data struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := p.get(ctx, "/api/v1/query", url.Values{"query": {q}}, &data); err != nil {
		return nil, err
	}
	switch data.ResultType {
	case "vector":
		var v []sample
		return v, json.Unmarshal(data.Result, &v)
	case "scalar":
		var s [2]any
		return []sample{{Metric: map[string]string{}, Value: s}}, json.Unmarshal(data.Result, &s)
	default:
		return nil, fmt.Errorf("query %s: result type %s", q, data.ResultType)
	}
}

// queryRange runs a range query.
func (p *promAPI) queryRange(ctx context.Context, q string, start, end time.Time, step time.Duration) ([]rangeSeries, error) {
	var data struct {
		Result []rangeSeries `json:"result"`
	}
	params := url.Values{"query": {q}, "start": {fmt.Sprint(start.Unix())}, "end": {fmt.Sprint(end.Unix())},
		"step": {fmt.Sprint(step.Seconds())}}
	err := p.get(ctx, "/api/v1/query_range", params, &data)
	return data.Result, err
}

// rules lists the loaded rule groups' names and rule counts, and any rule in error.
func (p *promAPI) rules(ctx context.Context) (groups map[string]int, unhealthy []string, err error) {
	var data struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []struct {
				Name      string `json:"name"`
				Health    string `json:"health"`
				LastError string `json:"lastError"`
			} `json:"rules"`
		} `json:"groups"`
	}
	if err := p.get(ctx, "/api/v1/rules", url.Values{}, &data); err != nil {
		return nil, nil, err
	}
	groups = map[string]int{}
	for _, g := range data.Groups {
		groups[g.Name] = len(g.Rules)
		for _, r := range g.Rules {
			if r.Health == "err" {
				unhealthy = append(unhealthy, fmt.Sprintf("%s/%s: %s", g.Name, r.Name, r.LastError))
			}
		}
	}
	return groups, unhealthy, nil
}

// firing returns the firing alerts (ALERTS series) whose labels include match.
func (p *promAPI) firing(ctx context.Context, match map[string]string) ([]map[string]string, error) {
	samples, err := p.query(ctx, `ALERTS{alertstate="firing"}`)
	if err != nil {
		return nil, err
	}
	var out []map[string]string
	for _, s := range samples {
		if hasLabels(s.Metric, match) {
			out = append(out, s.Metric)
		}
	}
	return out, nil
}

// ---------------------------------------------------------------------------------------------
// Simulator control API

type simControl struct {
	client *http.Client
}

// inject posts a fault to the control API at base (either site's listener) and returns its id.
func (s simControl) inject(ctx context.Context, base string, fault map[string]any) (string, error) {
	body, _ := json.Marshal(fault)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/_sim/faults", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		ID    string `json:"id"`
		Error string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", fmt.Errorf("POST /_sim/faults %s: %s: %w", body, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("POST /_sim/faults %s: %s: %s", body, resp.Status, out.Error)
	}
	return out.ID, nil
}

// clear removes one fault (id) or, with an empty id, every fault.
func (s simControl) clear(ctx context.Context, base, id string) error {
	u := base + "/_sim/faults"
	if id != "" {
		u += "/" + id
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, u, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("DELETE %s: %s: %s", u, resp.Status, b)
	}
	return nil
}

// simState is the part of GET /_sim/state the tests read.
type simState struct {
	Sites []struct {
		Role string `json:"role"`
		Name string `json:"name"`
		URL  string `json:"url"`
		Up   bool   `json:"up"`
	} `json:"sites"`
	VPGs []struct {
		Name          string `json:"name"`
		StatusName    string `json:"status_name"`
		ActualRPO     int    `json:"actual_rpo"`
		ConfiguredRPO int    `json:"configured_rpo"`
	} `json:"vpgs"`
	VRAs []struct {
		Name string `json:"name"`
		Site string `json:"site"`
		Host string `json:"host"`
	} `json:"vras"`
	Faults []struct {
		ID string `json:"id"`
	} `json:"faults"`
	// RequestCounts are the requests each site's ZVM received, by endpoint.
	RequestCounts map[string]map[string]int64 `json:"request_counts"`
}

func (s simControl) state(ctx context.Context, base string) (simState, error) {
	var st simState
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_sim/state", nil)
	if err != nil {
		return st, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("GET /_sim/state: %s", resp.Status)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}
