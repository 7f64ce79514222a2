package zvmsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

// relative strips role's base URL from an href the simulator sent.
func (h *harness) relative(role sim.Role, href string) string {
	h.t.Helper()
	p, ok := strings.CutPrefix(href, h.srv[role].URL)
	if !ok {
		h.t.Fatalf("href %q is not on %s", href, h.srv[role].URL)
	}
	return p
}

// wantZertoError checks a /v1 error: status and a body that is exactly
// {"Message": <non-empty string>}.
func wantZertoError(t *testing.T, what string, resp *http.Response, body []byte, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("%s: %s %s, want %d", what, resp.Status, body, status)
		return
	}
	var e map[string]any
	if err := json.Unmarshal(body, &e); err != nil {
		t.Errorf("%s: body %s is not a JSON object: %v", what, body, err)
		return
	}
	if msg, ok := e["Message"].(string); !ok || msg == "" || len(e) != 1 {
		t.Errorf("%s: body %s, want only a non-empty Message", what, body)
	}
}

// TestSingleObjectGETs fetches every object of every collection through its
// own URL (the link's href, as clients follow it) and compares it with the
// list's element, on both sites and in both flavours.
func TestSingleObjectGETs(t *testing.T) {
	for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			h := newHarness(t, Options{Flavour: flavour})
			// A running failover test adds a task that only exists for a while.
			h.clock.Advance(21 * time.Minute)
			h.sim.InjectFault(sim.Fault{Kind: sim.KindZertoAlert, Level: "Error", Entity: "Vpg", HelpID: "VPG0011", Description: "x", VPG: "CRM"})
			for _, role := range []sim.Role{sim.Protected, sim.Recovery} {
				for _, c := range []struct {
					list string
					url  func(obj map[string]any) string
				}{
					{"/v1/vpgs", func(o map[string]any) string { return h.relative(role, strField(t, o, "Link", "href")) }},
					{"/v1/vms", func(o map[string]any) string { return h.relative(role, strField(t, o, "Link", "href")) }},
					{"/v1/vras", func(o map[string]any) string { return h.relative(role, strField(t, o, "Link", "href")) }},
					{"/v1/alerts", func(o map[string]any) string { return h.relative(role, strField(t, o, "Link", "href")) }},
					// Zerto's Python SDK fetches an event by its EventIdentifier.
					{"/v1/events", func(o map[string]any) string { return "/v1/events/" + strField(t, o, "EventIdentifier") }},
					{"/v1/tasks", func(o map[string]any) string { return "/v1/tasks/" + strField(t, o, "TaskIdentifier") }},
					{"/v1/peersites", func(o map[string]any) string { return h.relative(role, strField(t, o, "Link", "href")) }},
					{"/v1/datastores", func(o map[string]any) string { return "/v1/datastores/" + strField(t, o, "DatastoreIdentifier") }},
					{"/v1/reports/recovery", func(o map[string]any) string {
						return "/v1/reports/recovery/" + strField(t, o, "RecoveryOperationIdentifier")
					}},
				} {
					list := h.list(role, c.list)
					if len(list) == 0 {
						t.Fatalf("%s %s is empty", role, c.list)
					}
					for _, want := range list {
						u := c.url(want)
						if got := h.object(role, u); !reflect.DeepEqual(got, want) {
							t.Fatalf("%s GET %s:\n got %v\nwant %v", role, u, got, want)
						}
					}
				}
			}
			counts := h.sim.RequestCounts(sim.Protected)
			for _, endpoint := range []string{"/v1/vpgs/{id}", "/v1/vms/{id}", "/v1/reports/recovery/{id}", "/v1/peersites/{id}"} {
				if counts[endpoint] == 0 {
					t.Errorf("request counts %v lack %s", counts, endpoint)
				}
			}
		})
	}
}

func TestSingleObjectNotFound(t *testing.T) {
	h := newHarness(t, Options{})
	for _, u := range []string{
		"/v1/vpgs/00000000-0000-0000-0000-000000000001",
		"/v1/vms/" + h.sim.model.Sites[sim.Protected].VcenterID + ".vm-99999",
		"/v1/vras/12345",
		"/v1/alerts/no-such-alert",
		"/v1/events/no-such-event",
		"/v1/datastores/no-such-datastore",
		"/v1/peersites/" + h.sim.model.Sites[sim.Protected].ID, // the site itself is not its own peer
		"/v1/tasks/no-such-task",
		"/v1/reports/recovery/no-such-report",
	} {
		resp, body := h.get(sim.Protected, u)
		wantZertoError(t, "GET "+u, resp, body, http.StatusNotFound)
	}
	// The credential is checked first: no credential is 401, not 404.
	resp, body := h.do(sim.Protected, http.MethodGet, "/v1/vpgs/00000000-0000-0000-0000-000000000001", nil, nil)
	wantZertoError(t, "no credential", resp, body, http.StatusUnauthorized)
	// The other site's VRAs and tasks are not this site's.
	other := h.list(sim.Recovery, "/v1/vras")[0]
	resp, body = h.get(sim.Protected, "/v1/vras/"+strField(t, other, "VraIdentifierStr"))
	wantZertoError(t, "recovery VRA on the protected site", resp, body, http.StatusNotFound)
	task := h.list(sim.Recovery, "/v1/tasks")[0]
	resp, body = h.get(sim.Protected, "/v1/tasks/"+strField(t, task, "TaskIdentifier"))
	wantZertoError(t, "recovery task on the protected site", resp, body, http.StatusNotFound)
	// Identifiers ignore case, as GUIDs do.
	vpg := h.list(sim.Protected, "/v1/vpgs")[3]
	if got := h.object(sim.Protected, "/v1/vpgs/"+strings.ToUpper(strField(t, vpg, "VpgIdentifier"))); !reflect.DeepEqual(got, vpg) {
		t.Errorf("upper-case VPG identifier: got %v", got["VpgName"])
	}
}

// TestSingleVMInTwoVPGs: /v1/vms/{id} needs vpgIdentifier exactly when the VM
// is protected by more than one VPG.
func TestSingleVMInTwoVPGs(t *testing.T) {
	h := newHarness(t, Options{})
	rows := map[string][]map[string]any{}
	for _, vm := range h.list(sim.Protected, "/v1/vms") {
		id := strField(t, vm, "VmIdentifier")
		rows[id] = append(rows[id], vm)
	}
	var twice, once string
	for id, r := range rows {
		switch len(r) {
		case 1:
			once = id
		case 2:
			twice = id
		}
	}
	if twice == "" || once == "" {
		t.Fatalf("demo model lacks a VM in one VPG or in two")
	}
	if got := h.object(sim.Protected, "/v1/vms/"+once); !reflect.DeepEqual(got, rows[once][0]) {
		t.Errorf("VM in one VPG without vpgIdentifier: got %v", got)
	}
	resp, body := h.get(sim.Protected, "/v1/vms/"+twice)
	wantZertoError(t, "VM in two VPGs without vpgIdentifier", resp, body, http.StatusBadRequest)
	for _, want := range rows[twice] {
		vpgID := strField(t, want, "VpgIdentifier")
		for _, param := range []string{"vpgIdentifier", "VpgIdentifier", "VPGIDENTIFIER"} {
			if got := h.object(sim.Protected, fmt.Sprintf("/v1/vms/%s?%s=%s", twice, param, vpgID)); !reflect.DeepEqual(got, want) {
				t.Errorf("?%s=%s: got the row of VPG %v", param, vpgID, got["VpgName"])
			}
		}
	}
	// A VPG that does not protect the VM.
	var other string
	for _, vpg := range h.list(sim.Protected, "/v1/vpgs") {
		if id := strField(t, vpg, "VpgIdentifier"); id != strField(t, rows[twice][0], "VpgIdentifier") && id != strField(t, rows[twice][1], "VpgIdentifier") {
			other = id
		}
	}
	resp, body = h.get(sim.Protected, "/v1/vms/"+twice+"?vpgIdentifier="+other)
	wantZertoError(t, "VM with a VPG that does not protect it", resp, body, http.StatusNotFound)
}

// TestUnknownPathsCounted: requests to paths that are not ZVM endpoints are
// counted per path in /_sim/state, bounded in number.
func TestUnknownPathsCounted(t *testing.T) {
	h := newHarness(t, Options{})
	for _, u := range []string{"/v1/nothing", "/V1/Nothing/", "/v1/vpgs/x/checkpoints", "/v1/session/add"} {
		resp, body := h.get(sim.Protected, u)
		wantZertoError(t, u, resp, body, http.StatusNotFound)
	}
	h.get(sim.Protected, "/v1/vpgs")
	resp, body := h.do(sim.Protected, http.MethodGet, "/_sim/state", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("state: %s", resp.Status)
	}
	var st State
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"/v1/nothing": 2, "/v1/vpgs/x/checkpoints": 1, "/v1/session/add": 1}
	if got := st.UnknownPaths["protected"]; !reflect.DeepEqual(got, want) {
		t.Errorf("unknown paths %v, want %v", got, want)
	}
	if got := st.UnknownPaths["recovery"]; len(got) != 0 {
		t.Errorf("recovery unknown paths %v, want none", got)
	}
	if n := st.RequestCounts["protected"]["unknown"]; n != 4 {
		t.Errorf("unknown request count %d, want 4", n)
	}

	for i := range maxUnknownPaths + 10 {
		h.do(sim.Recovery, http.MethodGet, fmt.Sprintf("/v1/probe-%d", i), nil, nil)
	}
	h.do(sim.Recovery, http.MethodGet, "/v1/probe-0", nil, nil)
	got := h.sim.UnknownPaths(sim.Recovery)
	if len(got) != maxUnknownPaths+1 || got[overflowPath] != 10 || got["/v1/probe-0"] != 2 {
		t.Errorf("%d distinct unknown paths (overflow %d, probe-0 %d), want %d, 10 and 2",
			len(got), got[overflowPath], got["/v1/probe-0"], maxUnknownPaths+1)
	}
}

// TestObjectEndpointFaults: transport faults can target object URLs, and
// do not spill onto the list.
func TestObjectEndpointFaults(t *testing.T) {
	h := newHarness(t, Options{})
	h.inject(sim.Protected, `{"kind":"http_error","endpoint":"/v1/vpgs/{id}","status":503}`)
	vpg := h.list(sim.Protected, "/v1/vpgs")[0]
	resp, body := h.get(sim.Protected, "/v1/vpgs/"+strField(t, vpg, "VpgIdentifier"))
	wantZertoError(t, "faulted object URL", resp, body, http.StatusServiceUnavailable)
	if _, err := h.sim.InjectFault(sim.Fault{Kind: sim.KindHTTPError, Endpoint: "/v1/nothing/{id}", Status: 500}); err == nil {
		t.Error("a fault on an unknown collection's object URL was accepted")
	}
}
