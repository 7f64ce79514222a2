package zvmsim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

// vpgView finds a VPG by name in role's /v1/vpgs.
func vpgView(h *harness, role sim.Role, name string) map[string]any {
	h.t.Helper()
	return byName(h.t, h.list(role, "/v1/vpgs"), "VpgName")[name]
}

func activeAlerts(h *harness, role sim.Role) []map[string]any {
	var out []map[string]any
	for _, a := range h.list(role, "/v1/alerts") {
		if a["IsDismissed"] != true {
			out = append(out, a)
		}
	}
	return out
}

func TestRPOBreach(t *testing.T) {
	h := newHarness(t, Options{})
	vpgID := strField(t, vpgView(h, sim.Protected, "SAP-ERP"), "VpgIdentifier")
	id := h.inject(sim.Protected, `{"kind":"rpo_breach","vpg":"sap-erp","rpo_seconds":900}`)
	for _, role := range []sim.Role{sim.Protected, sim.Recovery} {
		v := vpgView(h, role, "SAP-ERP")
		if intField(t, v, "ActualRPO") != 900 || intField(t, v, "Status") != sim.VPGRpoNotMeetingSLA || intField(t, v, "AlertStatus") != sim.AlertError {
			t.Errorf("%s: RPO %v status %v alert status %v", role, v["ActualRPO"], v["Status"], v["AlertStatus"])
		}
		for _, vm := range h.list(role, "/v1/vms") {
			if strField(t, vm, "VpgName") == "SAP-ERP" && intField(t, vm, "ActualRPO") != 900 {
				t.Errorf("%s: VM %v RPO %v", role, vm["VmName"], vm["ActualRPO"])
			}
		}
		alerts := activeAlerts(h, role)
		if len(alerts) != 1 {
			t.Fatalf("%s: %d active alerts, want 1", role, len(alerts))
		}
		a := alerts[0]
		affected := field(t, a, "AffectedVpgs").([]any)
		if strField(t, a, "Entity") != "Vpg" || strField(t, a, "HelpIdentifier") != "VPG0011" || strField(t, a, "Level") != "Error" ||
			len(affected) != 1 || affected[0].(map[string]any)["identifier"] != vpgID {
			t.Errorf("%s: alert %v", role, a)
		}
	}
	st := h.sim.State()
	if len(st.Faults) != 1 || st.Faults[0].ID != id {
		t.Errorf("state faults %+v", st.Faults)
	}
	if resp, _ := h.do(sim.Recovery, http.MethodDelete, "/_sim/faults/"+id, nil, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("delete fault: %s", resp.Status)
	}
	v := vpgView(h, sim.Protected, "SAP-ERP")
	if intField(t, v, "Status") != sim.VPGMeetingSLA || intField(t, v, "ActualRPO") > 30 || len(activeAlerts(h, sim.Protected)) != 0 {
		t.Errorf("after healing: %v", v)
	}
	events := h.list(sim.Protected, "/v1/events")
	on, off := events[len(events)-2], events[len(events)-1]
	if intField(t, on, "EventType") != sim.EventAlertTurnedOn || intField(t, off, "EventType") != sim.EventAlertTurnedOff {
		t.Errorf("alert events %v %v", on["EventType"], off["EventType"])
	}
}

func TestHistoryAndJournalFaults(t *testing.T) {
	h := newHarness(t, Options{})
	h.inject(sim.Recovery, `{"kind":"history_shortfall","vpg":"Jira","history_minutes":90}`)
	v := vpgView(h, sim.Protected, "Jira")
	if intField(t, v, "Status") != sim.VPGHistoryNotMeetingSLA || intField(t, v, "HistoryStatusApi", "ActualHistoryInMinutes") != 90 {
		t.Errorf("history shortfall: %v %v", v["Status"], v["HistoryStatusApi"])
	}
	vm := h.list(sim.Protected, "/v1/vms")[5]
	name := strField(t, vm, "VmName")
	h.inject(sim.Protected, `{"kind":"journal_fill","vm":"`+name+`","ratio":0.9}`)
	for _, row := range h.list(sim.Recovery, "/v1/vms") {
		if strField(t, row, "VmName") != name {
			continue
		}
		hard := intField(t, row, "JournalHardLimit", "LimitValue")
		if got := intField(t, row, "JournalUsedStorageMb"); got != hard*9/10 {
			t.Errorf("journal used %d, want 90%% of %d", got, hard)
		}
		if intField(t, vpgView(h, sim.Recovery, strField(t, row, "VpgName")), "AlertStatus") != sim.AlertWarning {
			t.Errorf("VPG of a journal above its warning threshold has no warning")
		}
	}
	h.clear(sim.Recovery)
	if v := vpgView(h, sim.Protected, "Jira"); intField(t, v, "Status") != sim.VPGMeetingSLA {
		t.Errorf("after clearing: status %v", v["Status"])
	}
	for _, row := range h.list(sim.Recovery, "/v1/vms") {
		if strField(t, row, "VmName") == name && intField(t, row, "JournalUsedStorageMb") >= intField(t, row, "JournalWarningThreshold", "LimitValue") {
			t.Errorf("journal still full after clearing")
		}
	}
}

func TestVRADown(t *testing.T) {
	h := newHarness(t, Options{TokenTTL: time.Hour})
	vra := h.list(sim.Protected, "/v1/vras")[0]
	host := strField(t, vra, "HostDisplayName")
	h.inject(sim.Recovery, `{"kind":"vra_down","vra":"`+strField(t, vra, "VraName")+`"}`)
	h.clock.Advance(10 * time.Minute)
	down := byName(t, h.list(sim.Protected, "/v1/vras"), "HostDisplayName")[host]
	if intField(t, down, "Status") != sim.VRANotInstalled || intField(t, down, "VraAlerts", "VraAlertsStatus") != sim.AlertError {
		t.Errorf("VRA after vra_down: %v %v", down["Status"], down["VraAlerts"])
	}
	degraded := map[string]bool{}
	for _, vm := range h.list(sim.Protected, "/v1/vms") {
		if strField(t, vm, "OwningHostName") == host {
			degraded[strField(t, vm, "VpgName")] = true
		}
	}
	for _, v := range h.list(sim.Recovery, "/v1/vpgs") {
		name := strField(t, v, "VpgName")
		if degraded[name] && (intField(t, v, "Status") != sim.VPGNotMeetingSLA || intField(t, v, "ActualRPO") < 600) {
			t.Errorf("VPG %s on the down VRA: status %v RPO %v", name, v["Status"], v["ActualRPO"])
		}
	}
	if len(activeAlerts(h, sim.Protected)) != 1 || len(activeAlerts(h, sim.Recovery)) != 0 {
		t.Errorf("the VRA alert should show on the VRA's site only")
	}
	h.clear(sim.Protected)
	if intField(t, byName(t, h.list(sim.Protected, "/v1/vras"), "HostDisplayName")[host], "Status") != sim.VRAInstalled {
		t.Errorf("VRA not restored")
	}
}

func TestUnpair(t *testing.T) {
	h := newHarness(t, Options{})
	for _, peer := range []string{"Denver-DR", "boston-prod"} {
		h.inject(sim.Protected, `{"kind":"unpair","peer_site":"`+peer+`"}`)
		for _, role := range []sim.Role{sim.Protected, sim.Recovery} {
			if p := h.list(role, "/v1/peersites")[0]; intField(t, p, "PairingStatus") == sim.PairingPaired {
				t.Errorf("%s still paired after unpairing %s", role, peer)
			}
			if v := h.list(role, "/v1/vpgs")[0]; intField(t, v, "SubStatus") != sim.SubDisconnectedFromPeer {
				t.Errorf("%s: VPG substatus %v", role, v["SubStatus"])
			}
		}
		h.clear(sim.Recovery)
		if p := h.list(sim.Recovery, "/v1/peersites")[0]; intField(t, p, "PairingStatus") != sim.PairingPaired {
			t.Errorf("not paired again after clearing")
		}
	}
}

func TestZertoAlertAndRecoveryReport(t *testing.T) {
	h := newHarness(t, Options{})
	h.inject(sim.Protected, `{"kind":"zerto_alert","level":"error","entity":"Vra","help_id":"VRA0030","description":"Host unreachable"}`)
	alerts := activeAlerts(h, sim.Recovery)
	if len(alerts) != 1 || strField(t, alerts[0], "Level") != "Error" || strField(t, alerts[0], "Entity") != "Vra" ||
		strField(t, alerts[0], "HelpIdentifier") != "VRA0030" || strField(t, alerts[0], "Description") != "Host unreachable" {
		t.Errorf("alerts %v", alerts)
	}
	h.clock.Advance(time.Hour)
	h.inject(sim.Recovery, `{"kind":"recovery_report","vpg":"CRM","type":"FailoverTest","rto_seconds":1234,"result":"Success"}`)
	reports := h.list(sim.Protected, "/v1/reports/recovery?vpgName=CRM")
	last := reports[len(reports)-1]
	if strField(t, last, "General", "RTOInSeconds") != "1234" || !parseISO(t, strField(t, last, "General", "EndTime")).Equal(h.clock.Now()) {
		t.Errorf("new report %v", last["General"])
	}
	if got := parseISO(t, strField(t, vpgView(h, sim.Protected, "CRM"), "LastTest")); !got.Equal(h.clock.Now()) {
		t.Errorf("LastTest %v, want now", got)
	}
	h.clear(sim.Protected)
	if n := len(h.list(sim.Protected, "/v1/reports/recovery?vpgName=CRM")); n != len(reports)-1 {
		t.Errorf("%d CRM reports after clearing, want %d", n, len(reports)-1)
	}
}

func TestHTTPFaults(t *testing.T) {
	h := newHarness(t, Options{})
	h.inject(sim.Protected, `{"kind":"http_error","endpoint":"/v1/VPGs","status":503,"count":2}`)
	for _, role := range []sim.Role{sim.Recovery, sim.Protected} {
		resp, _ := h.get(role, "/v1/vpgs")
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: %s, Retry-After %q", role, resp.Status, resp.Header.Get("Retry-After"))
		}
	}
	if resp, _ := h.get(sim.Protected, "/v1/vpgs"); resp.StatusCode != http.StatusOK {
		t.Errorf("third request: %s, want the fault used up", resp.Status)
	}
	if len(h.sim.State().Faults) != 0 {
		t.Errorf("a used-up fault is still listed")
	}

	h.inject(sim.Protected, `{"kind":"http_error","endpoint":"/v1/vms","status":500}`)
	for range 3 {
		if resp, _ := h.get(sim.Protected, "/v1/vms"); resp.StatusCode != http.StatusInternalServerError {
			t.Errorf("count 0: %s", resp.Status)
		}
	}
	if resp, _ := h.get(sim.Protected, "/v1/vpgs"); resp.StatusCode != http.StatusOK {
		t.Errorf("other endpoint: %s", resp.Status)
	}
	h.clear(sim.Protected)

	h.inject(sim.Protected, `{"kind":"malformed","endpoint":"/v1/vras"}`)
	resp, body := h.get(sim.Recovery, "/v1/vras")
	var v any
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &v) == nil {
		t.Errorf("malformed: %s, body parses = %v", resp.Status, json.Unmarshal(body, &v) == nil)
	}
	h.clear(sim.Protected)
	h.list(sim.Recovery, "/v1/vras")

	// huge_body: each shape is a JSON array that is valid whole, of about mb MiB.
	for _, shape := range sim.HugeShapes {
		h.inject(sim.Protected, `{"kind":"huge_body","endpoint":"/v1/vms","mb":2,"count":1,"shape":"`+shape+`"}`)
		resp, body := h.get(sim.Protected, "/v1/vms")
		var elems []map[string]any
		if err := json.Unmarshal(body, &elems); resp.StatusCode != http.StatusOK || err != nil ||
			len(body) < 2<<20 || len(body) > 2<<20+128<<10 {
			t.Errorf("huge_body %s: %s, %d bytes, %v", shape, resp.Status, len(body), err)
		}
		if shape == sim.HugeLongString && (len(elems) != 1 || len(elems[0]["VmName"].(string)) < 2<<20-32) {
			t.Errorf("huge_body long_string: %d elements", len(elems))
		}
		if shape != sim.HugeLongString && len(elems) < 20000 {
			t.Errorf("huge_body %s: %d elements", shape, len(elems))
		}
	}
	if len(h.sim.State().Faults) != 0 {
		t.Errorf("used-up huge_body faults are still listed")
	}

	h.inject(sim.Protected, `{"kind":"latency","endpoint":"*","ms":150}`)
	start := time.Now()
	h.get(sim.Recovery, "/v1/localsite")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("request took %v with 150 ms latency", d)
	}
	h.clear(sim.Protected)
}

func TestFaultValidation(t *testing.T) {
	h := newHarness(t, Options{Flavour: FlavourWindows})
	for body, want := range map[string]string{
		`{"kind":"meteor"}`:                  "unknown fault kind",
		`{}`:                                 "needs a",
		`not json`:                           "not a JSON object",
		`{"kind":"rpo_breach","vpg":"Nope"}`: "unknown VPG",
		`{"kind":"rpo_breach","vpg":"CRM","ratio":1}`:                             "does not apply",
		`{"kind":"rpo_breach","vpg":"CRM","rpo_seconds":"x"}`:                     "bad field",
		`{"kind":"journal_fill","vm":"nope","ratio":0.5}`:                         "unknown VM",
		`{"kind":"journal_fill","vm":"crm-vm01","ratio":2}`:                       "ratio",
		`{"kind":"vra_down","vra":"Z-VRA-nowhere"}`:                               "unknown VRA",
		`{"kind":"unpair","peer_site":"Atlantis"}`:                                "unknown peer site",
		`{"kind":"zerto_alert","level":"Fatal","entity":"Vpg","help_id":"X"}`:     "unknown alert level",
		`{"kind":"recovery_report","vpg":"CRM","type":"Restore","rto_seconds":5}`: "unknown recovery type",
		`{"kind":"http_error","endpoint":"/v1/vpgs","status":200}`:                "not an HTTP error status",
		`{"kind":"http_error","endpoint":"/v1/statistics/vms","status":500}`:      "unknown endpoint",
		`{"kind":"latency","ms":0}`:                                               "ms 0",
		`{"kind":"huge_body","endpoint":"/v1/vms","shape":"round"}`:               "unknown shape",
		`{"kind":"huge_body","endpoint":"/v1/vms","mb":5000}`:                     "mb 5000",
		`{"kind":"huge_body"}`:                                                    "needs an endpoint",
		`{"kind":"down","site":"recovery"}`:                                       "no listener",
		`{"kind":"down","site":"moon"}`:                                           "unknown site",
	} {
		resp, b := h.do(sim.Protected, http.MethodPost, "/_sim/faults", strings.NewReader(body), nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), want) {
			t.Errorf("%s: %s %s, want 400 mentioning %q", body, resp.Status, b, want)
		}
	}
	if resp, _ := h.do(sim.Protected, http.MethodDelete, "/_sim/faults/f999", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleting an unknown fault: %s", resp.Status)
	}
	if resp, _ := h.do(sim.Protected, http.MethodGet, "/_sim/nothing", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown control path: %s", resp.Status)
	}
}

func TestStateEndpoint(t *testing.T) {
	h := newHarness(t, Options{})
	h.get(sim.Protected, "/v1/vpgs")
	h.inject(sim.Protected, `{"kind":"rpo_breach","vpg":"CRM","rpo_seconds":700}`)
	resp, body := h.do(sim.Recovery, http.MethodGet, "/_sim/state", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("state: %s", resp.Status)
	}
	var st State
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Sites) != 2 || len(st.VPGs) != 24 || len(st.VMs) != 121 || len(st.VRAs) != 8 || len(st.Faults) != 1 {
		t.Fatalf("state sizes: %d sites %d VPGs %d VMs %d VRAs %d faults", len(st.Sites), len(st.VPGs), len(st.VMs), len(st.VRAs), len(st.Faults))
	}
	if st.RequestCounts["protected"]["/v1/vpgs"] != 1 {
		t.Errorf("request counts %v", st.RequestCounts)
	}
	for _, v := range st.VPGs {
		if v.Name == "CRM" && (v.ActualRPO != 700 || v.StatusName != "RpoNotMeetingSLA") {
			t.Errorf("CRM in state: %+v", v)
		}
	}
	api := byName(t, h.list(sim.Protected, "/v1/vpgs"), "VpgName")
	for _, v := range st.VPGs {
		if int64(v.ActualRPO) != rpoOf(t, api[v.Name]) || int64(v.Status) != intField(t, api[v.Name], "Status") {
			t.Errorf("state and API disagree on %s", v.Name)
		}
	}
	if !strings.Contains(string(body), `"journal_hard_limit_mb":null`) {
		t.Errorf("state lacks the unlimited journal")
	}
}
