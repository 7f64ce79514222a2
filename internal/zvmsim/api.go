package zvmsim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

// route is one ZVM endpoint: either a login/logout handler or a /v1 resource
// rendered from the model behind the flavour's credential check.
type route struct {
	method string
	// counted is the path template a templated route's requests are counted under; empty means
	// the path itself.
	counted string
	handle  func(w http.ResponseWriter, r *http.Request, role sim.Role)
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
	for i := range s.model.Vpgs {
		id := s.model.Vpgs[i].ID
		routes[sim.CanonicalPath("/v1/vpgs/"+id+"/checkpoints/stats")] = route{method: http.MethodGet,
			counted: "/v1/vpgs/{vpgidentifier}/checkpoints/stats",
			render:  func(v *view, _ url.Values) error { return v.checkpointStats(i) }}
		routes[sim.CanonicalPath("/v1/vpgs/"+id+"/checkpoints")] = route{method: http.MethodGet,
			counted: "/v1/vpgs/{vpgidentifier}/checkpoints",
			render:  func(v *view, q url.Values) error { return v.checkpointList(i, q) }}
	}
	// perSite routes a path under each site's identifier, counted under its template.
	perSite := func(prefix, suffix string, render func(v *view, r sim.Role) error) {
		for _, site := range s.model.Sites {
			r := site.Role
			routes[sim.CanonicalPath(prefix+site.ID+suffix)] = route{method: http.MethodGet,
				counted: sim.CanonicalPath(prefix + "{siteIdentifier}" + suffix),
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

// siteHandler serves one site's ZVM.
type siteHandler struct {
	s    *Sim
	role sim.Role
}

func (h siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s, path := h.s, sim.CanonicalPath(r.URL.Path)
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
	nf := s.model.NetFaultsFor(endpoint, s.opts.Clock())
	if nf.Delay > 0 {
		t := time.NewTimer(nf.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if nf.Status != 0 {
		if nf.Status == http.StatusTooManyRequests || nf.Status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "1")
		}
		writeJSONError(w, nf.Status, "Simulated failure: "+http.StatusText(nf.Status))
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
	case nf.Huge != nil:
		writeHugeBody(w, nf.Huge.Shape, int64(nf.Huge.MB)<<20)
	default:
		s.renderAPI(w, r, h.role, rt.render, nf)
	}
}

// renderAPI streams a /v1 resource into the response. A malformed or set
// fault renders into a buffer instead: malformed sends only the first half of
// it, set changes members first.
func (s *Sim) renderAPI(w http.ResponseWriter, r *http.Request, role sim.Role, render func(*view, url.Values) error, nf sim.NetFaults) {
	buffered := nf.Malformed || len(nf.Sets) > 0
	now := s.opts.Clock()
	s.model.CatchUp(now)
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
	s.model.Mu.RLock()
	err := render(v, r.URL.Query())
	s.model.Mu.RUnlock()
	if bad, ok := errors.AsType[*apiError](err); ok {
		// Renderers validate before writing, so nothing has been sent yet.
		writeJSONError(w, bad.status, bad.msg)
		return
	}
	if err != nil || bw.Flush() != nil {
		return // the client went away; nothing more can be said to it
	}
	if len(nf.Sets) > 0 {
		b, err := applySets(body.Bytes(), nf.Sets)
		if err != nil {
			writeJSONError(w, http.StatusInternalServerError, "set fault: "+err.Error())
			return
		}
		body.Reset()
		body.Write(b)
	}
	if nf.Malformed {
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
