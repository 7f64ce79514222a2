package zvmsim

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var wcfDate = regexp.MustCompile(`^/Date\(\d+\)/$`)

func TestLocalSitesDiffer(t *testing.T) {
	h := newHarness(t, Options{})
	prot, rec := h.object(Protected, "/v1/localsite"), h.object(Recovery, "/v1/localsite")
	if strField(t, prot, "SiteIdentifier") == strField(t, rec, "SiteIdentifier") || strField(t, prot, "SiteName") == strField(t, rec, "SiteName") {
		t.Fatalf("both sites have the same identity: %v", prot["SiteName"])
	}
	for _, site := range []map[string]any{prot, rec} {
		intField(t, site, "UtcOffsetInMinutes")
		strField(t, site, "SiteType")
		if strField(t, site, "Link", "identifier") != strField(t, site, "SiteIdentifier") {
			t.Errorf("Link.identifier differs from SiteIdentifier")
		}
		if site["Link"].(map[string]any)["rel"] != nil {
			t.Errorf("Link.rel = %v, want null", site["Link"].(map[string]any)["rel"])
		}
	}
	// Each peer list points at the other site, paired.
	for _, role := range []Role{Protected, Recovery} {
		peers := h.list(role, "/v1/peersites")
		other := h.object(role.other(), "/v1/localsite")
		if len(peers) != 1 || strField(t, peers[0], "SiteIdentifier") != strField(t, other, "SiteIdentifier") ||
			strField(t, peers[0], "PeerSiteName") != strField(t, other, "SiteName") {
			t.Fatalf("%s peers = %v, want the other site", role, peers)
		}
		if intField(t, peers[0], "PairingStatus") != pairingPaired {
			t.Errorf("%s PairingStatus = %v, want 0", role, peers[0]["PairingStatus"])
		}
	}
}

func TestVPGsAppliance(t *testing.T) {
	h := newHarness(t, Options{})
	local := [2]string{strField(t, h.object(Protected, "/v1/localsite"), "SiteIdentifier"),
		strField(t, h.object(Recovery, "/v1/localsite"), "SiteIdentifier")}
	views := [2][]map[string]any{h.list(Protected, "/v1/vpgs"), h.list(Recovery, "/v1/vpgs")}
	if len(views[0]) != 24 || len(views[1]) != 24 {
		t.Fatalf("demo has %d/%d VPGs, want 24 on both sites", len(views[0]), len(views[1]))
	}
	for role, vpgs := range views {
		var initialising, tested, profiled int
		for i, v := range vpgs {
			if strField(t, v, "VpgIdentifier") != strField(t, views[0][i], "VpgIdentifier") {
				t.Fatalf("sites list different VPGs")
			}
			if strField(t, v, "ProtectedSite", "identifier") != local[Protected] || strField(t, v, "RecoverySite", "identifier") != local[Recovery] {
				t.Errorf("%s: ProtectedSite/RecoverySite do not name the pair", v["VpgName"])
			}
			wantType := map[bool]string{true: "LocalSiteApi", false: "PeerSiteApi"}
			if strField(t, v, "ProtectedSite", "type") != wantType[role == int(Protected)] {
				t.Errorf("%s view: ProtectedSite.type = %v", Role(role), v["ProtectedSite"])
			}
			rpoOf(t, v)
			for _, k := range []string{"Status", "SubStatus", "Priority", "AlertStatus", "ConfiguredRpoSeconds", "IOPs", "VmsCount", "ProvisionedStorageInMB"} {
				intField(t, v, k)
			}
			intField(t, v, "HistoryStatusApi", "ActualHistoryInMinutes")
			parseISO(t, strField(t, v, "HistoryStatusApi", "EarliestCheckpoint", "TimeStamp"))
			if _, ok := v["Link_{0}"]; ok {
				t.Errorf("appliance VPG has Link_{0}")
			}
			if strField(t, v, "ProtectedSiteName") == "" || strField(t, v, "RecoverySiteName") == "" {
				t.Errorf("appliance VPG lacks site names")
			}
			// A VPG has a service profile link and name, or neither; the appliance sends no
			// ServiceProfileIdentifier.
			if v["ServiceProfileIdentifier"] != nil {
				t.Errorf("%s: ServiceProfileIdentifier %v, want null on the appliance", v["VpgName"], v["ServiceProfileIdentifier"])
			}
			if (v["ServiceProfile"] == nil) != (v["ServiceProfileName"] == "") {
				t.Errorf("%s: ServiceProfile %v with ServiceProfileName %q", v["VpgName"], v["ServiceProfile"], v["ServiceProfileName"])
			} else if v["ServiceProfile"] != nil {
				profiled++
			}
			if _, ok := v["FailSafeHistory"]; !ok {
				t.Errorf("FailSafeHistory missing (want an object or null)")
			}
			if v["LastTest"] == nil {
				if intField(t, v, "ActualRPO") != -1 || intField(t, v, "Status") != vpgInitializing || intField(t, v, "SubStatus") != subInitialSync {
					t.Errorf("%s: never tested but not the initialising VPG: %v", v["VpgName"], v)
				}
				initialising++
			} else if age := h.clock.Now().Sub(parseISO(t, strField(t, v, "LastTest"))); age < 0 || age > 20*24*time.Hour {
				t.Errorf("%s LastTest is %v old, want within 20 days", v["VpgName"], age)
			} else {
				tested++
			}
		}
		if initialising != 1 || tested != 23 {
			t.Errorf("%d initialising and %d tested VPGs, want 1 and 23", initialising, tested)
		}
		if profiled == 0 {
			t.Errorf("no VPG uses a service profile")
		}
	}
}

func TestInitialSyncEndsInMeetingSLA(t *testing.T) {
	h := newHarness(t, Options{})
	initialising := func() map[string]any {
		vpgs := h.list(Recovery, "/v1/vpgs")
		return vpgs[len(vpgs)-1]
	}
	if v := initialising(); intField(t, v, "ActualRPO") != -1 || intField(t, v, "Status") != vpgInitializing {
		t.Fatalf("new VPG at start: RPO %v status %v, want -1 (the spec's integer is not nullable) and 0", v["ActualRPO"], v["Status"])
	}
	for _, vm := range h.list(Recovery, "/v1/vms") {
		if strField(t, vm, "VpgName") == strField(t, initialising(), "VpgName") && intField(t, vm, "ActualRPO") != -1 {
			t.Errorf("VM %v of the initialising VPG has RPO %v, want -1", vm["VmName"], vm["ActualRPO"])
		}
	}
	h.clock.Advance(90 * time.Second)
	v := initialising()
	if intField(t, v, "Status") != vpgMeetingSLA || intField(t, v, "SubStatus") != subNone {
		t.Fatalf("after 90 s: status %v/%v, want 1/0", v["Status"], v["SubStatus"])
	}
	if rpo := intField(t, v, "ActualRPO"); rpo < 1 || rpo > 30 {
		t.Fatalf("after 90 s: RPO %d, want a few seconds", rpo)
	}
}

func TestHealthyByDefault(t *testing.T) {
	for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			h := newHarness(t, Options{Flavour: flavour, Profile: "small"})
			h.clock.Advance(2 * time.Minute) // past the initial sync
			for _, role := range []Role{Protected, Recovery} {
				for _, v := range h.list(role, "/v1/vpgs") {
					rpo, target := intField(t, v, "ActualRPO"), intField(t, v, "ConfiguredRpoSeconds")
					if intField(t, v, "Status") != vpgMeetingSLA || rpo < 1 || rpo > target/4 {
						t.Errorf("%v: status %v RPO %d target %d", v["VpgName"], v["Status"], rpo, target)
					}
					if intField(t, v, "HistoryStatusApi", "ActualHistoryInMinutes") != intField(t, v, "HistoryStatusApi", "ConfiguredHistoryInMinutes") {
						t.Errorf("%v: history below its configured value", v["VpgName"])
					}
				}
				for _, vra := range h.list(role, "/v1/vras") {
					if intField(t, vra, "Status") != vraInstalled {
						t.Errorf("VRA %v status %v", vra["VraName"], vra["Status"])
					}
				}
				for _, a := range h.list(role, "/v1/alerts") {
					if strField(t, a, "Level") == "Error" && a["IsDismissed"] != true {
						t.Errorf("active Error alert: %v", a)
					}
				}
				for _, vm := range h.list(role, "/v1/vms") {
					warn := field(t, vm, "JournalWarningThreshold").(map[string]any)
					if intField(t, warn, "LimitType") == limitMegabytes && intField(t, vm, "JournalUsedStorageMb") >= intField(t, warn, "LimitValue") {
						t.Errorf("VM %v journal above its warning threshold", vm["VmName"])
					}
				}
				lic := h.object(role, "/v1/license")
				if until := parseISO(t, strField(t, lic, "Details", "ExpiryTime")).Sub(h.clock.Now()); until < 90*24*time.Hour {
					t.Errorf("license expires in %v", until)
				}
				if intField(t, lic, "Usage", "TotalVmsCount") > intField(t, lic, "Details", "MaxVms") {
					t.Errorf("license over-used")
				}
			}
		})
	}
}

func TestVMs(t *testing.T) {
	h := newHarness(t, Options{})
	vras := map[Role]map[string]bool{Protected: {}, Recovery: {}}
	for _, role := range []Role{Protected, Recovery} {
		for _, v := range h.list(role, "/v1/vras") {
			vras[role][strField(t, v, "HostDisplayName")] = true
			if strField(t, v, "VraName") != "Z-VRA-"+strField(t, v, "HostDisplayName") {
				t.Errorf("VraName %v does not follow Z-VRA-<host>", v["VraName"])
			}
		}
	}
	prot, rec := h.list(Protected, "/v1/vms"), h.list(Recovery, "/v1/vms")
	if len(prot) != len(rec) || len(prot) <= 120 {
		t.Fatalf("%d and %d VM rows, want the same on both sites and more than 120 (a VM in two VPGs)", len(prot), len(rec))
	}
	vpgsOf := map[string][]string{}
	limitTypes := map[int64]bool{}
	for _, vm := range prot {
		id := strField(t, vm, "VmIdentifier")
		vpgsOf[id] = append(vpgsOf[id], strField(t, vm, "VpgIdentifier"))
		limitTypes[intField(t, vm, "JournalHardLimit", "LimitType")] = true
		intField(t, vm, "JournalHardLimit", "LimitValue")
		intField(t, vm, "JournalUsedStorageMb")
		if _, err := strconv.ParseFloat(string(field(t, vm, "ThroughputInMB").(json.Number)), 64); err != nil {
			t.Errorf("ThroughputInMB not a number")
		}
		if !vras[Protected][strField(t, vm, "OwningHostName")] {
			t.Errorf("OwningHostName %v is no protected-site VRA's host", vm["OwningHostName"])
		}
		if !vras[Recovery][strField(t, vm, "RecoveryHostName")] {
			t.Errorf("RecoveryHostName %v is no recovery-site VRA's host", vm["RecoveryHostName"])
		}
		strField(t, vm, "OwningHostIdentifier")
		if !strings.HasPrefix(strField(t, vm, "Link", "identifier"), id+"?VpgIdentifier=") {
			t.Errorf("VM link identifier %v does not embed the VPG", vm["Link"])
		}
	}
	twice := 0
	for id, vpgs := range vpgsOf {
		if len(vpgs) > 1 {
			twice++
		}
		if distinct := slices.Compact(slices.Sorted(slices.Values(vpgs))); len(distinct) != len(vpgs) {
			t.Errorf("VM %s listed twice in the same VPG", id)
		}
	}
	if twice == 0 {
		t.Error("no VM is listed twice (in two VPGs)")
	}
	for _, lt := range []int64{limitUnlimited, limitMegabytes, limitPercentage} {
		if !limitTypes[lt] {
			t.Errorf("no VM with journal LimitType %d", lt)
		}
	}
}

func TestVRAIdentifierIsExactBigInteger(t *testing.T) {
	h := newHarness(t, Options{})
	_, body := h.get(Recovery, "/v1/vras")
	ids := regexp.MustCompile(`"VraIdentifier":(\d+),`).FindAllSubmatch(body, -1)
	strs := regexp.MustCompile(`"VraIdentifierStr":"(\d+)"`).FindAllSubmatch(body, -1)
	if len(ids) != 4 || len(strs) != len(ids) {
		t.Fatalf("found %d VraIdentifier and %d VraIdentifierStr, want 4 each", len(ids), len(strs))
	}
	for i := range ids {
		if string(ids[i][1]) != string(strs[i][1]) {
			t.Errorf("VraIdentifier %s != VraIdentifierStr %s", ids[i][1], strs[i][1])
		}
		if n, err := strconv.ParseInt(string(ids[i][1]), 10, 64); err != nil || n <= 1<<53 {
			t.Errorf("VraIdentifier %s is not an int64 above 2^53", ids[i][1])
		}
	}
}

func TestDatesAndFlavourShapes(t *testing.T) {
	for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			h := newHarness(t, Options{Flavour: flavour})
			windows := flavour == FlavourWindows
			h.inject(Protected, `{"kind":"zerto_alert","level":"Warning","entity":"Vpg","help_id":"VPG0035","vpg":"Exchange"}`)
			checkDate := func(what, s string) {
				t.Helper()
				if windows && !wcfDate.MatchString(s) {
					t.Errorf("%s = %q, want /Date(ms)/", what, s)
				}
				if !windows {
					parseISO(t, s)
				}
			}
			tasks := h.list(Protected, "/v1/tasks")
			if len(tasks) == 0 {
				t.Fatal("no tasks")
			}
			for _, task := range tasks {
				checkDate("task Started", strField(t, task, "Started"))
				checkDate("task Completed", strField(t, task, "Completed"))
				strField(t, task, "Type")
				intField(t, task, "Status", "State")
			}
			alerts := h.list(Protected, "/v1/alerts")
			for _, a := range alerts {
				checkDate("alert TurnedOn", strField(t, a, "TurnedOn"))
			}
			events := h.list(Protected, "/v1/events")
			for _, e := range events {
				checkDate("event OccurredOn", strField(t, e, "OccurredOn"))
				intField(t, e, "EventType")
				intField(t, e, "EntityType")
			}
			for _, v := range h.list(Protected, "/v1/vpgs")[:23] {
				parseISO(t, strField(t, v, "LastTest")) // ISO on both flavours
			}
			resp, _ := h.get(Protected, "/v1/statistics/vms")
			if windows != (resp.StatusCode == http.StatusNotFound) {
				t.Errorf("/v1/statistics/vms: %s", resp.Status)
			}
			for path, typ := range map[string]string{"/v1/vpgs": "VpgApi", "/v1/vms": "VmApi", "/v1/vras": "VraApi"} {
				for _, o := range h.list(Protected, path) {
					self, ok := o["Link_{0}"].(map[string]any)
					if windows != ok {
						t.Fatalf("%s: Link_{0} present = %v on %s", path, ok, flavour)
					}
					if ok && (self["rel"] != "self" || self["type"] != typ || self["identifier"] != nil) {
						t.Errorf("%s: Link_{0} = %v", path, self)
					}
				}
			}
			vm := h.list(Protected, "/v1/vms")[0]
			vra := h.list(Protected, "/v1/vras")[0]
			vpg := h.list(Protected, "/v1/vpgs")[0]
			for obj, names := range map[*map[string]any][]string{
				&vm:  {"OwningHostName", "OwningHostIdentifier", "RecoveryHostName"},
				&vra: {"HostDisplayName"},
				&vpg: {"ProtectedSiteName", "RecoverySiteName"},
			} {
				for _, n := range names {
					if _, ok := (*obj)[n]; ok == windows {
						t.Errorf("%s present = %v on %s", n, ok, flavour)
					}
				}
			}
		})
	}
}

func TestDatastoresAndVolumes(t *testing.T) {
	h := newHarness(t, Options{})
	for _, role := range []Role{Protected, Recovery} {
		var unused, noStatus int
		for _, d := range h.list(role, "/v1/datastores") {
			n := intField(t, d, "Stats", "NumVRAs") + intField(t, d, "Stats", "NumIncomingVMs") + intField(t, d, "Stats", "NumOutgoingVMs")
			if n == 0 {
				unused++
			} else if used, capacity := intField(t, d, "Stats", "Usage", "Datastore", "UsedInBytes"), intField(t, d, "Stats", "Usage", "Datastore", "CapacityInBytes"); used <= 0 || used >= capacity {
				t.Errorf("%v: used %d of %d", d["DatastoreName"], used, capacity)
			}
			if objField(t, d, "Health")["Status"] == nil {
				noStatus++
			}
		}
		if unused < 2 || noStatus != 1 {
			t.Errorf("%s: %d unused datastores and %d with null Health.Status, want 2+ and 1 (the one without figures)", role, unused, noStatus)
		}
		types := map[string]bool{}
		for _, v := range h.list(role, "/v1/volumes") {
			types[strField(t, v, "VolumeType")] = true
			intField(t, v, "Size", "UsedInBytes")
			strField(t, v, "Datastore", "Identifier")
		}
		if role == Recovery && (!types["journal"] || !types["recovery"] || !types["appliance"]) || role == Protected && !types["protected"] {
			t.Errorf("%s volume types %v", role, types)
		}
	}
}

func TestStatisticsCountersGrow(t *testing.T) {
	h := newHarness(t, Options{})
	before := h.list(Protected, "/v1/statistics/vms")
	h.clock.Advance(45 * time.Second)
	after := h.list(Recovery, "/v1/statistics/vms")
	if len(before) != len(after) || len(before) != len(h.list(Protected, "/v1/vms")) {
		t.Fatalf("statistics rows %d/%d, want one per /v1/vms row", len(before), len(after))
	}
	for i := range before {
		for _, k := range []string{"IoOperationsCounter", "WriteCounterInMBs", "NetworkTrafficCounterInMBs", "SyncCounterInMBs"} {
			if intField(t, after[i], k) < intField(t, before[i], k) {
				t.Errorf("row %d %s went down", i, k)
			}
		}
		if intField(t, after[i], "IoOperationsCounter") <= intField(t, before[i], "IoOperationsCounter") {
			t.Errorf("row %d IoOperationsCounter did not grow in 45 s", i)
		}
		parseISO(t, strField(t, after[i], "SampleTime"))
	}
}

func TestNameLists(t *testing.T) {
	h := newHarness(t, Options{})
	for path, want := range map[string]string{
		"/v1/vpgs/statuses":             "Initializing,MeetingSLA,NotMeetingSLA,RpoNotMeetingSLA,HistoryNotMeetingSLA,FailingOver,Moving,Deleting,Recovered",
		"/v1/vpgs/priorities":           "Low,Medium,High",
		"/v1/peersites/pairingstatuses": "Paired,Pairing,Unpairing",
		"/v1/alerts/levels":             "Warning,Error",
	} {
		var got []string
		for _, s := range h.getJSON(Protected, path).([]any) {
			got = append(got, s.(string))
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s = %v", path, got)
		}
	}
	subs := h.getJSON(Protected, "/v1/vpgs/substatuses").([]any)
	if subs[subDisconnectedFromPeer] != "DisconnectedFromPeer" || subs[28] != "Backup" {
		t.Errorf("substatuses out of enum order: %v", subs)
	}
	if vra := h.getJSON(Protected, "/v1/vras/statuses").([]any); vra[vraNotInstalled] != "NotInstalled" {
		t.Errorf("VRA statuses out of order: %v", vra)
	}
	for _, path := range []string{"/v1/alerts/entities", "/v1/alerts/helpidentifiers", "/v1/tasks/types"} {
		if len(h.getJSON(Protected, path).([]any)) == 0 {
			t.Errorf("%s is empty", path)
		}
	}
}

func TestRouting(t *testing.T) {
	h := newHarness(t, Options{})
	if resp, _ := h.get(Protected, "/V1/VPGs/"); resp.StatusCode != http.StatusOK {
		t.Errorf("mixed-case path: %s", resp.Status)
	}
	resp, body := h.get(Protected, "/v1/nothing")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"Message"`) {
		t.Errorf("unknown path: %s %s", resp.Status, body)
	}
	if resp, _ := h.do(Protected, http.MethodPost, "/v1/vpgs", nil, h.authHeader(Protected)); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /v1/vpgs: %s", resp.Status)
	}
	counts := h.sim.RequestCounts(Protected)
	if counts["/v1/vpgs"] != 2 || counts["unknown"] != 1 || counts[tokenPath] != 1 {
		t.Errorf("request counts %v", counts)
	}
	if len(h.sim.RequestCounts(Recovery)) != 0 {
		t.Errorf("recovery counts %v, want none", h.sim.RequestCounts(Recovery))
	}
}

func TestEventsCappedAt1000(t *testing.T) {
	h := newHarness(t, Options{Profile: "large"})
	if n := len(h.list(Protected, "/v1/events")); n != maxServedEvents {
		t.Errorf("large profile serves %d events, want the last %d", n, maxServedEvents)
	}
}

func TestPeriodicFailoverTest(t *testing.T) {
	h := newHarness(t, Options{TokenTTL: time.Hour})
	running := func() (tasks, vpgs int) {
		for _, task := range h.list(Protected, "/v1/tasks") {
			if task["Completed"] == nil {
				tasks++
				if strField(t, task, "Type") != "FailOverTest" || intField(t, task, "Status", "State") != taskInProgress {
					t.Errorf("running task %v", task)
				}
			}
		}
		for _, v := range h.list(Protected, "/v1/vpgs") {
			if field(t, v, "ActiveProcessesApi", "RunningFailOverTestApi") != nil {
				vpgs++
			}
		}
		return tasks, vpgs
	}
	if tasks, vpgs := running(); tasks != 0 || vpgs != 0 {
		t.Fatalf("at start: %d running tasks, %d VPGs testing", tasks, vpgs)
	}
	reports := len(h.list(Protected, "/v1/reports/recovery"))
	h.clock.Advance(testOffset + time.Minute)
	if tasks, vpgs := running(); tasks != 1 || vpgs != 1 {
		t.Fatalf("during the test: %d running tasks, %d VPGs testing, want 1 and 1", tasks, vpgs)
	}
	h.clock.Advance(testLength)
	if tasks, _ := running(); tasks != 0 {
		t.Fatalf("after the test: %d running tasks", tasks)
	}
	if n := len(h.list(Protected, "/v1/reports/recovery")); n != reports+1 {
		t.Errorf("%d reports after the test, want %d", n, reports+1)
	}
	tested := h.list(Protected, "/v1/vpgs")[h.sim.model.testedVPG(0)]
	if got := parseISO(t, strField(t, tested, "LastTest")); !got.Equal(h.sim.model.start.Add(testOffset + testLength)) {
		t.Errorf("tested VPG's LastTest = %v", got)
	}
}
