package zvmsim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// route is one ZVM endpoint: either a login/logout handler or a /v1 resource
// rendered from the model behind the flavour's credential check.
type route struct {
	method string
	// counted is the path template a templated route's requests are counted under; empty means
	// the path itself.
	counted string
	handle  func(w http.ResponseWriter, r *http.Request, role Role)
	render  func(v *view, q url.Values) error
}

// newRoutes builds the flavour's route table, keyed by lower-case path:
// Zerto matches paths case-insensitively.
func (s *Sim) newRoutes() map[string]route {
	routes := map[string]route{}
	api := func(path string, render func(*view) error) {
		routes[path] = route{method: http.MethodGet, render: func(v *view, _ url.Values) error { return render(v) }}
	}
	filtered := func(path string, filter filterFunc, render func(*view) error) {
		routes[path] = route{method: http.MethodGet, render: withFilter(filter, render)}
	}
	api("/v1/localsite", (*view).localSite)
	filtered("/v1/peersites", (*view).peerSiteFilter, (*view).peerSites)
	filtered("/v1/vpgs", (*view).vpgFilter, (*view).vpgList)
	filtered("/v1/vms", (*view).vmFilter, (*view).vmList)
	filtered("/v1/vras", (*view).vraFilter, (*view).vraList)
	filtered("/v1/alerts", (*view).alertFilter, (*view).alertList)
	filtered("/v1/events", (*view).eventFilter, (*view).eventList)
	filtered("/v1/tasks", (*view).taskFilter, (*view).taskList)
	api("/v1/datastores", (*view).datastoreList)
	routes["/v1/volumes"] = route{method: http.MethodGet, render: (*view).volumeList}
	filtered("/v1/serviceprofiles", (*view).serviceProfileFilter, (*view).serviceProfiles)
	api("/v1/serverdatetime/serverdatetimeutc", (*view).serverTimeUTC)
	api("/v1/serverdatetime/serverdatetimelocal", (*view).serverTimeLocal)
	for i := range s.model.vpgs {
		id := s.model.vpgs[i].id
		routes[canonicalPath("/v1/vpgs/"+id+"/checkpoints/stats")] = route{method: http.MethodGet,
			counted: "/v1/vpgs/{vpgidentifier}/checkpoints/stats",
			render:  func(v *view, _ url.Values) error { return v.checkpointStats(i) }}
		routes[canonicalPath("/v1/vpgs/"+id+"/checkpoints")] = route{method: http.MethodGet,
			counted: "/v1/vpgs/{vpgidentifier}/checkpoints",
			render:  func(v *view, q url.Values) error { return v.checkpointList(i, q) }}
	}
	// perSite routes a path under each site's identifier, counted under its template.
	perSite := func(prefix, suffix string, render func(v *view, r Role) error) {
		for _, site := range s.model.sites {
			r := site.role
			routes[canonicalPath(prefix+site.id+suffix)] = route{method: http.MethodGet,
				counted: canonicalPath(prefix + "{siteIdentifier}" + suffix),
				render:  func(v *view, _ url.Values) error { return render(v, r) }}
		}
	}
	perSite("/v1/virtualizationsites/", "/vms", (*view).siteVMs)
	api("/v1/license", (*view).license)
	routes["/v1/reports/recovery"] = route{method: http.MethodGet, render: (*view).recoveryReports}
	for path, names := range nameLists() {
		api(path, func(v *view) error { return v.out.value(names) })
	}
	if s.opts.Flavour == FlavourWindows {
		routes[sessionAddPath] = route{method: http.MethodPost, handle: s.sessionAdd}
		routes[sessionPath] = route{method: http.MethodDelete, handle: s.sessionDelete}
	} else {
		routes[tokenPath] = route{method: http.MethodPost, handle: s.token}
		api("/v1/statistics/vms", (*view).vmStatistics)
		api("/v1/encryptiondetection/state", (*view).encryptionState)
		api("/v1/encryptiondetection/suspected/vpgs", (*view).suspectedVPGs)
		api("/v1/encryptiondetection/suspected/vms", (*view).suspectedVMs)
		api("/v1/encryptiondetection/metrics/vpgs", (*view).encryptionMetricsVPGs)
		api("/v1/ltr/health/vpgs", (*view).ltrHealth)
		filtered("/v1/ltr/repositories", (*view).repositoryFilter, (*view).ltrRepositories)
		s.applianceRoutes(routes, api, perSite)
	}
	return routes
}

// maxUnknownPaths bounds the distinct unknown paths counted per site; later
// new ones are counted together under overflowPath.
const (
	maxUnknownPaths = 256
	overflowPath    = "(other)"
)

// canonicalPath lower-cases a request path and drops a trailing slash.
func canonicalPath(p string) string {
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	return strings.ToLower(p)
}

// siteHandler serves one site's ZVM.
type siteHandler struct {
	s    *Sim
	role Role
}

func (h siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s, path := h.s, canonicalPath(r.URL.Path)
	if path == "/_sim" || strings.HasPrefix(path, "/_sim/") {
		s.control(w, r, path)
		return
	}
	rt, endpoint, known := s.lookup(path, r.URL.Path)
	switch {
	case known && rt.counted != "":
		s.counts[h.role].add(rt.counted)
	case known:
		s.counts[h.role].add(endpoint)
	default:
		s.counts[h.role].add("unknown")
		s.unknown[h.role].addBounded(path, maxUnknownPaths)
	}
	if s.opts.Flavour == FlavourWindows {
		w.Header().Set("Server", "Microsoft-HTTPAPI/2.0")
		w.Header().Set("Cache-Control", "no-cache")
	}
	nf := s.model.netFaultsFor(endpoint, s.opts.Clock())
	if nf.delay > 0 {
		t := time.NewTimer(nf.delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if nf.status != 0 {
		if nf.status == http.StatusTooManyRequests || nf.status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "1")
		}
		writeJSONError(w, nf.status, "Simulated failure: "+http.StatusText(nf.status))
		return
	}
	switch {
	case !known:
		writeJSONError(w, http.StatusNotFound, "No HTTP resource was found that matches the request URI '"+r.URL.Path+"'.")
	case r.Method != rt.method:
		w.Header().Set("Allow", rt.method)
		writeJSONError(w, http.StatusMethodNotAllowed, "The requested resource does not support http method '"+r.Method+"'.")
	case rt.handle != nil:
		rt.handle(w, r, h.role)
	case !s.auth.authorize(r, h.role):
		writeJSONError(w, http.StatusUnauthorized, "Authorization has been denied for this request.")
	case nf.huge != nil:
		writeHugeBody(w, nf.huge.Shape, int64(nf.huge.MB)<<20)
	default:
		s.renderAPI(w, r, h.role, rt.render, nf)
	}
}

// renderAPI streams a /v1 resource into the response. A malformed or set
// fault renders into a buffer instead: malformed sends only the first half of
// it, set changes members first.
func (s *Sim) renderAPI(w http.ResponseWriter, r *http.Request, role Role, render func(*view, url.Values) error, nf netFaults) {
	buffered := nf.malformed || len(nf.sets) > 0
	now := s.opts.Clock()
	s.model.catchUp(now)
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	var body bytes.Buffer
	bw := s.bufs.Get().(*bufio.Writer)
	defer s.bufs.Put(bw)
	if buffered {
		bw.Reset(&body)
	} else {
		bw.Reset(w)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	v := &view{m: s.model, role: role, windows: s.opts.Flavour == FlavourWindows, now: now,
		base: scheme + "://" + r.Host, out: newJSONStream(bw)}
	s.model.mu.RLock()
	err := render(v, r.URL.Query())
	s.model.mu.RUnlock()
	if bad, ok := errors.AsType[*apiError](err); ok {
		// Renderers validate before writing, so nothing has been sent yet.
		writeJSONError(w, bad.status, bad.msg)
		return
	}
	if err != nil || bw.Flush() != nil {
		return // the client went away; nothing more can be said to it
	}
	if len(nf.sets) > 0 {
		b, err := applySets(body.Bytes(), nf.sets)
		if err != nil {
			writeJSONError(w, http.StatusInternalServerError, "set fault: "+err.Error())
			return
		}
		body.Reset()
		body.Write(b)
	}
	if nf.malformed {
		truncated := body.Bytes()[:body.Len()/2]
		w.Header().Set("Content-Length", strconv.Itoa(len(truncated)))
		w.Write(truncated)
	} else if buffered {
		w.Write(body.Bytes())
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the status is sent: a failed write has no one to tell
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, wireError{Message: msg})
}

// requestCounter counts requests per endpoint path for one site.
type requestCounter struct {
	mu     sync.Mutex
	counts map[string]int64
}

func (c *requestCounter) add(path string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = map[string]int64{}
	}
	c.counts[path]++
}

// addBounded counts path like add while fewer than limit paths are known,
// and under overflowPath after that, so that a client probing random paths
// cannot grow the map without bound.
func (c *requestCounter) addBounded(path string, limit int) {
	c.mu.Lock()
	_, seen := c.counts[path]
	full := len(c.counts) >= limit
	c.mu.Unlock()
	if !seen && full {
		path = overflowPath
	}
	c.add(path)
}

func (c *requestCounter) snapshot() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int64, len(c.counts))
	maps.Copy(out, c.counts)
	return out
}

// netFaults is what the transport faults do to one request.
type netFaults struct {
	delay     time.Duration
	status    int
	malformed bool
	huge      *Fault // a huge_body fault: its body replaces the resource
	sets      []Fault
}

// netFaultsFor applies the http_error, latency, malformed and huge_body faults that
// match path, using up one of each counted fault's requests.
func (m *model) netFaultsFor(path string, now time.Time) netFaults {
	var nf netFaults
	if !m.hasNet.Load() {
		return nf
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var spent []*ActiveFault
	for _, af := range m.fx.net {
		f := af.Fault
		endpoint := canonicalPath(f.Endpoint)
		switch {
		case f.Kind == KindLatency && (endpoint == "" || endpoint == "*" || endpoint == path):
			nf.delay = max(nf.delay, time.Duration(f.MS)*time.Millisecond)
			continue
		case endpoint != path:
			continue
		case f.Kind == KindHTTPError && nf.status == 0:
			nf.status = f.Status
		case f.Kind == KindMalformed && !nf.malformed:
			nf.malformed = true
		case f.Kind == KindHugeBody && nf.huge == nil:
			nf.huge = &f
		case f.Kind == KindSet:
			nf.sets = append(nf.sets, f)
			continue
		default:
			continue
		}
		if af.Remaining > 0 {
			if af.Remaining--; af.Remaining == 0 {
				spent = append(spent, af)
			}
		}
	}
	if len(spent) > 0 {
		m.remove(now, func(af *ActiveFault) bool { return slices.Contains(spent, af) })
	}
	return nf
}
