package zvmsim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// objectRoute serves one object of a collection at <collection>/{id}.
type objectRoute func(v *view, id string, q url.Values) error

// objectRoutes maps each collection path to the renderer of one of its
// objects. The collection's exact routes (/v1/vpgs/statuses and the like)
// take precedence over these.
func objectRoutes(flavour string) map[string]objectRoute {
	routes := map[string]objectRoute{
		"/v1/vpgs":             one((*view).findVPG, (*view).vpgList),
		"/v1/vms":              one((*view).findVM, (*view).vmList),
		"/v1/vras":             one((*view).findVRA, (*view).vraList),
		"/v1/alerts":           one((*view).findAlert, (*view).alertList),
		"/v1/events":           one((*view).findEvent, (*view).eventList),
		"/v1/datastores":       one((*view).findDatastore, (*view).datastoreList),
		"/v1/peersites":        one((*view).findPeerSite, (*view).peerSites),
		"/v1/tasks":            one((*view).findTask, (*view).taskList),
		"/v1/reports/recovery": (*view).recoveryReport,
	}
	if flavour == FlavourAppliance {
		routes["/v1/serviceprofiles"] = one((*view).findServiceProfile, (*view).serviceProfiles)
		routes["/v1/ltr/repositories"] = one((*view).findRepository, (*view).ltrRepositories)
		routes["/v1/zorgs"] = noObject("ZORG")
		routes["/v1/zsspsessions"] = noObject("ZSSP session")
		routes["/v1/flrs"] = noObject("File-level restore session")
		routes["/v1/vpgsettings"] = noObject("VPG settings")
	}
	return routes
}

// one serves the object that find locates by rendering the collection's list
// with only that element, as a bare object.
func one(find func(v *view, id string, q url.Values) (int, error), list func(*view) error) objectRoute {
	return func(v *view, id string, q url.Values) error {
		i, err := find(v, id, q)
		if err != nil {
			return err
		}
		v.out.single = true
		v.pick = func(j int) bool { return j == i }
		return list(v)
	}
}

// lookup finds the route of a canonical path: an exact route, or a
// collection's object URL, whose endpoint is <collection>/{id}. rawPath is
// the request's path as sent, from which the identifier keeps its case. An
// unknown path is its own endpoint.
func (s *Sim) lookup(path, rawPath string) (rt route, endpoint string, ok bool) {
	if rt, ok := s.routes[path]; ok {
		return rt, path, true
	}
	slash := strings.LastIndexByte(path, '/')
	if slash <= 0 {
		return route{}, path, false
	}
	object, ok := s.objects[path[:slash]]
	raw := strings.TrimSuffix(rawPath, "/")
	id := raw[strings.LastIndexByte(raw, '/')+1:]
	if !ok || id == "" {
		return route{}, path, false
	}
	return route{method: http.MethodGet, render: func(v *view, q url.Values) error { return object(v, id, q) }},
		objectEndpoint(path[:slash]), true
}

// objectEndpoint names a collection's object URL in request counts and
// faults.
func objectEndpoint(collection string) string { return collection + "/{id}" }

// Identifiers match case-insensitively: Zerto's are GUIDs and vSphere
// references, which the ZVM parses without regard to case.

func (v *view) findVPG(id string, _ url.Values) (int, error) {
	for i := range v.m.vpgs {
		if strings.EqualFold(v.m.vpgs[i].id, id) {
			return i, nil
		}
	}
	return 0, notFoundf("VPG with identifier '%s' was not found.", id)
}

// findVM finds the /v1/vms row of a VM, which the vpgIdentifier parameter
// must choose when the VM is protected by more than one VPG. The VM link's
// href carries it as VpgIdentifier=; parameter names ignore case.
func (v *view) findVM(id string, q url.Values) (int, error) {
	if err := includeFlags(q); err != nil {
		return 0, err
	}
	vpgID := queryValue(q, "vpgIdentifier")
	found, n := 0, 0
	for r := range v.m.rows {
		row := &v.m.rows[r]
		if strings.EqualFold(row.vmID, id) && (vpgID == "" || strings.EqualFold(v.m.vpgs[row.vpg].id, vpgID)) {
			found, n = r, n+1
		}
	}
	switch {
	case n == 0 && vpgID != "":
		return 0, notFoundf("VM with identifier '%s' protected by VPG '%s' was not found.", id, vpgID)
	case n == 0:
		return 0, notFoundf("VM with identifier '%s' was not found.", id)
	case n > 1:
		return 0, badRequestf("VM with identifier '%s' is protected by more than one VPG: specify vpgIdentifier.", id)
	}
	return found, nil
}

func (v *view) findVRA(id string, _ url.Values) (int, error) {
	for i := range v.m.vras {
		if a := &v.m.vras[i]; a.role == v.role && strconv.FormatInt(a.id, 10) == id {
			return i, nil
		}
	}
	return 0, notFoundf("VRA with identifier '%s' was not found.", id)
}

func (v *view) findAlert(id string, _ url.Values) (int, error) {
	for i, a := range v.alertsFor() {
		if strings.EqualFold(a.id, id) {
			return i, nil
		}
	}
	return 0, notFoundf("Alert with identifier '%s' was not found.", id)
}

func (v *view) findEvent(id string, _ url.Values) (int, error) {
	for i := range v.m.events {
		if strings.EqualFold(v.m.events[i].id, id) {
			return i, nil
		}
	}
	return 0, notFoundf("Event with identifier '%s' was not found.", id)
}

func (v *view) findDatastore(id string, _ url.Values) (int, error) {
	for i := range v.m.datastores {
		if d := &v.m.datastores[i]; d.role == v.role && strings.EqualFold(d.id, id) {
			return i, nil
		}
	}
	return 0, notFoundf("Datastore with identifier '%s' was not found.", id)
}

// findPeerSite accepts the one peer of the site; peerSites renders no index.
func (v *view) findPeerSite(id string, _ url.Values) (int, error) {
	if strings.EqualFold(v.m.sites[v.role.other()].id, id) {
		return 0, nil
	}
	return 0, notFoundf("Peer site with identifier '%s' was not found.", id)
}

// findTask finds a task of this site: task identifiers end in the
// identifier of the site that reports them.
func (v *view) findTask(id string, _ url.Values) (int, error) {
	local := v.m.sites[v.role].id
	for i, t := range v.tasks() {
		if strings.EqualFold(t.id+"."+local, id) {
			return i, nil
		}
	}
	return 0, notFoundf("Task with identifier '%s' was not found.", id)
}

// recoveryReport serves /v1/reports/recovery/{recoveryOperationIdentifier}.
func (v *view) recoveryReport(id string, _ url.Values) error {
	for i := range v.m.reports {
		if r := &v.m.reports[i]; strings.EqualFold(r.id, id) {
			return v.out.value(v.reportWire(r))
		}
	}
	return notFoundf("Recovery report with identifier '%s' was not found.", id)
}

func (v *view) findServiceProfile(id string, _ url.Values) (int, error) {
	for i := range v.m.profiles {
		if strings.EqualFold(v.m.profiles[i].id, id) {
			return i, nil
		}
	}
	return 0, notFoundf("Service profile with identifier '%s' was not found.", id)
}

func (v *view) findRepository(id string, _ url.Values) (int, error) {
	for i := range repositories {
		if strings.EqualFold(repositories[i].id, id) {
			return i, nil
		}
	}
	return 0, notFoundf("Repository with identifier '%s' was not found.", id)
}
