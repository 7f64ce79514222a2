package zvmsim

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// where keeps the elements of list that keep says to keep.
func where(list []map[string]any, keep func(map[string]any) bool) []map[string]any {
	out := []map[string]any{}
	for _, o := range list {
		if keep(o) {
			out = append(out, o)
		}
	}
	return out
}

// checkFilter compares GET path?query with the unfiltered list filtered by
// want, and requires at least min elements so that a filter that keeps
// nothing cannot pass by accident.
func checkFilter(t *testing.T, h *harness, role Role, path, query string, min int, want func(map[string]any) bool) {
	t.Helper()
	expected := where(h.list(role, path), want)
	got := h.list(role, path+"?"+query)
	if !reflect.DeepEqual(got, expected) {
		t.Errorf("%s?%s: %d elements, want %d", path, query, len(got), len(expected))
	}
	if len(expected) < min {
		t.Errorf("%s?%s: the model has %d matching elements, the test needs %d", path, query, len(expected), min)
	}
}

func TestVPGFilters(t *testing.T) {
	h := newHarness(t, Options{})
	h.inject(Protected, `{"kind":"rpo_breach","vpg":"CRM","rpo_seconds":900}`)
	named := func(name string) func(map[string]any) bool {
		return func(o map[string]any) bool { return strField(t, o, "VpgName") == name }
	}
	checkFilter(t, h, Protected, "/v1/vpgs", "name=crm", 1, named("CRM"))
	checkFilter(t, h, Protected, "/v1/vpgs", "NAME=CRM", 1, named("CRM"))
	checkFilter(t, h, Protected, "/v1/vpgs", "name=CR", 0, named("CR")) // whole names only
	status := func(code int64) func(map[string]any) bool {
		return func(o map[string]any) bool { return intField(t, o, "Status") == code }
	}
	for _, q := range []string{"status=3", "status=RpoNotMeetingSLA", "Status=rponotmeetingsla"} {
		checkFilter(t, h, Recovery, "/v1/vpgs", q, 1, status(vpgRpoNotMeetingSLA))
	}
	checkFilter(t, h, Protected, "/v1/vpgs", "status=MeetingSLA", 20, status(vpgMeetingSLA))
	checkFilter(t, h, Protected, "/v1/vpgs", "status=0", 1, status(vpgInitializing))
	checkFilter(t, h, Protected, "/v1/vpgs", "subStatus=InitialSync", 1,
		func(o map[string]any) bool { return intField(t, o, "SubStatus") == subInitialSync })
	checkFilter(t, h, Protected, "/v1/vpgs", "priority=high", 1,
		func(o map[string]any) bool { return intField(t, o, "Priority") == 2 })
	// Filters combine with AND; nothing matching is an empty array.
	if got, body := h.get(Protected, "/v1/vpgs?name=CRM&status=MeetingSLA"); got.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("no match: %s %s, want 200 []", got.Status, body)
	}
	for _, q := range []string{"status=Bogus", "subStatus=NotASubStatus", "priority=urgent"} {
		resp, body := h.get(Protected, "/v1/vpgs?"+q)
		wantZertoError(t, q, resp, body, http.StatusBadRequest)
	}
	// Parameters the simulator does not know are ignored, as the ZVM does.
	checkFilter(t, h, Protected, "/v1/vpgs", "notAZertoFilter=x", 24, func(map[string]any) bool { return true })
}

func TestVMFilters(t *testing.T) {
	h := newHarness(t, Options{})
	vms := h.list(Protected, "/v1/vms")
	var twice string
	seen := map[string]bool{}
	for _, vm := range vms {
		id := strField(t, vm, "VmIdentifier")
		if seen[id] {
			twice = id
		}
		seen[id] = true
	}
	vm := vms[7]
	vpgName, vmName := strField(t, vm, "VpgName"), strField(t, vm, "VmName")
	checkFilter(t, h, Protected, "/v1/vms", "vpgName="+url.QueryEscape(strings.ToUpper(vpgName)), 1,
		func(o map[string]any) bool { return strField(t, o, "VpgName") == vpgName })
	checkFilter(t, h, Recovery, "/v1/vms", "VMNAME="+url.QueryEscape(strings.ToUpper(vmName)), 1,
		func(o map[string]any) bool { return strField(t, o, "VmName") == vmName })
	checkFilter(t, h, Protected, "/v1/vms", "vmIdentifier="+twice, 2,
		func(o map[string]any) bool { return strField(t, o, "VmIdentifier") == twice })
	checkFilter(t, h, Protected, "/v1/vms", "vpgName="+url.QueryEscape(vpgName)+"&vmName="+url.QueryEscape(vmName), 1,
		func(o map[string]any) bool {
			return strField(t, o, "VmName") == vmName && strField(t, o, "VpgName") == vpgName
		})
	checkFilter(t, h, Protected, "/v1/vms", "status=initializing", 1,
		func(o map[string]any) bool { return intField(t, o, "Status") == vpgInitializing })
	resp, body := h.get(Protected, "/v1/vms?status=sideways")
	wantZertoError(t, "bad VM status", resp, body, http.StatusBadRequest)
}

func TestAlertFilters(t *testing.T) {
	h := newHarness(t, Options{})
	h.inject(Protected, `{"kind":"zerto_alert","level":"Error","entity":"Vpg","help_id":"VPG0011","vpg":"CRM"}`)
	h.clock.Advance(time.Hour)
	h.inject(Protected, `{"kind":"zerto_alert","level":"Warning","entity":"Vra","help_id":"VRA0001"}`)
	dismissed := func(want bool) func(map[string]any) bool {
		return func(o map[string]any) bool { return field(t, o, "IsDismissed") == want }
	}
	// PowerShell sends True and False.
	for _, q := range []string{"isDismissed=true", "isDismissed=True", "ISDISMISSED=TRUE"} {
		checkFilter(t, h, Protected, "/v1/alerts", q, 1, dismissed(true))
	}
	checkFilter(t, h, Protected, "/v1/alerts", "isDismissed=False", 2, dismissed(false))
	level := func(want string) func(map[string]any) bool {
		return func(o map[string]any) bool { return strField(t, o, "Level") == want }
	}
	for _, q := range []string{"level=Error", "level=error", "level=1"} {
		checkFilter(t, h, Recovery, "/v1/alerts", q, 1, level("Error"))
	}
	checkFilter(t, h, Protected, "/v1/alerts", "level=warning&isDismissed=false", 1,
		func(o map[string]any) bool { return level("Warning")(o) && dismissed(false)(o) })
	checkFilter(t, h, Protected, "/v1/alerts", "entity=VRA", 1,
		func(o map[string]any) bool { return strField(t, o, "Entity") == "Vra" })
	checkFilter(t, h, Protected, "/v1/alerts", "helpIdentifier=vpg0011", 1,
		func(o map[string]any) bool { return strField(t, o, "HelpIdentifier") == "VPG0011" })
	crm := strField(t, vpgView(h, Protected, "CRM"), "VpgIdentifier")
	checkFilter(t, h, Protected, "/v1/alerts", "vpgIdentifier="+crm, 1, func(o map[string]any) bool {
		affected, _ := o["AffectedVpgs"].([]any) // null when no VPG
		return len(affected) == 1 && affected[0].(map[string]any)["identifier"] == crm
	})
	// The second alert turned on at the clock's current instant.
	since := h.clock.Now().Add(-time.Minute).Format("2006-01-02T15:04:05Z")
	checkFilter(t, h, Protected, "/v1/alerts", "startDate="+since, 1,
		func(o map[string]any) bool { return strField(t, o, "HelpIdentifier") == "VRA0001" })
	checkFilter(t, h, Protected, "/v1/alerts", "endDate="+since, 2,
		func(o map[string]any) bool { return strField(t, o, "HelpIdentifier") != "VRA0001" })
	for _, q := range []string{"isDismissed=yes", "level=Critical", "level=7", "startDate=yesterday"} {
		resp, body := h.get(Protected, "/v1/alerts?"+q)
		wantZertoError(t, q, resp, body, http.StatusBadRequest)
	}
}

func TestEventFilters(t *testing.T) {
	for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			h := newHarness(t, Options{Flavour: flavour})
			h.inject(Protected, `{"kind":"zerto_alert","level":"Error","entity":"Vpg","help_id":"VPG0011","vpg":"CRM"}`)
			occurred := func(o map[string]any) time.Time {
				s := strField(t, o, "OccurredOn")
				if h.windows() {
					return parseWCF(t, s)
				}
				return parseISO(t, s)
			}
			now := h.clock.Now()
			from, until := now.Add(-10*24*time.Hour), now.Add(-2*24*time.Hour)
			inWindow := func(o map[string]any) bool {
				at := occurred(o)
				return !at.Before(from) && !at.After(until)
			}
			utc := "startDate=" + from.Format("2006-01-02T15:04:05.000Z") + "&endDate=" + until.Format("2006-01-02T15:04:05Z")
			checkFilter(t, h, Protected, "/v1/events", utc, 3, inWindow)
			// Without Z the dates are the ZVM's local time (Boston-Prod is UTC-5,
			// Denver-DR UTC-7); Zerto's Python SDK sends microseconds.
			for role, offset := range map[Role]time.Duration{Protected: -5 * time.Hour, Recovery: -7 * time.Hour} {
				local := "startDate=" + from.Add(offset).Format("2006-01-02T15:04:05.000000") + "&endDate=" + until.Add(offset).Format("2006-01-02T15:04:05")
				checkFilter(t, h, role, "/v1/events", local, 3, inWindow)
			}
			crm := strField(t, vpgView(h, Protected, "CRM"), "VpgIdentifier")
			aboutCRM := func(o map[string]any) bool {
				return slices.ContainsFunc(o["RelatedEntities"].(map[string]any)["Vpgs"].([]any),
					func(l any) bool { return l.(map[string]any)["identifier"] == crm })
			}
			checkFilter(t, h, Protected, "/v1/events", "vpgIdentifier="+strings.ToUpper(crm), 2, aboutCRM)
			checkFilter(t, h, Protected, "/v1/events", "vpg="+crm, 2, aboutCRM)
			alertEvent := func(o map[string]any) bool { return strField(t, o, "EventCategory") == "Alerts" }
			checkFilter(t, h, Protected, "/v1/events", "category=Alerts", 1, alertEvent)
			checkFilter(t, h, Protected, "/v1/events", "eventCategory=2", 1, alertEvent)
			checkFilter(t, h, Protected, "/v1/events", "category=events", 20, func(o map[string]any) bool { return !alertEvent(o) })
			checkFilter(t, h, Protected, "/v1/events", "category=All&entityType=vpg", 20,
				func(o map[string]any) bool { return intField(t, o, "EntityType") == eventEntityVPG })
			checkFilter(t, h, Protected, "/v1/events", "eventType=4&userName="+strings.ToUpper(DefaultUsername), 20,
				func(o map[string]any) bool { return intField(t, o, "EventType") == eventFailOverTest })
			for _, q := range []string{"startDate=10/03/2025", "eventType=FailOverTestish", "category=Some", "entityType=9x"} {
				resp, body := h.get(Protected, "/v1/events?"+q)
				wantZertoError(t, q, resp, body, http.StatusBadRequest)
			}
		})
	}
}

// parseWCF parses a /Date(ms)/ date.
func parseWCF(t *testing.T, s string) time.Time {
	t.Helper()
	ms, ok := strings.CutPrefix(s, "/Date(")
	if ok {
		ms, ok = strings.CutSuffix(ms, ")/")
	}
	if !ok {
		t.Fatalf("%q is not a /Date(ms)/ date", s)
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return time.UnixMilli(n)
}

// TestTaskFilters covers the filters the exporter itself sends
// (startedAfterDate) and the other task filters.
func TestTaskFilters(t *testing.T) {
	h := newHarness(t, Options{Flavour: FlavourWindows})
	h.clock.Advance(21 * time.Minute) // a failover test is running
	now := h.clock.Now()
	started := func(o map[string]any) time.Time { return parseWCF(t, strField(t, o, "Started")) }
	running := func(o map[string]any) bool { return intField(t, o, "Status", "State") == taskInProgress }
	since := now.Add(-5 * 24 * time.Hour)
	checkFilter(t, h, Protected, "/v1/tasks", "startedAfterDate="+since.UTC().Format("2006-01-02T15:04:05.000Z"), 3,
		func(o map[string]any) bool { return !started(o).Before(since) })
	checkFilter(t, h, Protected, "/v1/tasks", "startedBeforeDate="+since.UTC().Format("2006-01-02T15:04:05Z"), 3,
		func(o map[string]any) bool { return !started(o).After(since) })
	checkFilter(t, h, Recovery, "/v1/tasks", "completedBeforeDate="+now.UTC().Format("2006-01-02T15:04Z"), 10,
		func(o map[string]any) bool { return !running(o) })
	for _, q := range []string{"status=1", "status=inprogress"} {
		checkFilter(t, h, Protected, "/v1/tasks", q, 1, running)
	}
	checkFilter(t, h, Protected, "/v1/tasks", "status=Completed&type=FAILOVERTEST", 10,
		func(o map[string]any) bool { return !running(o) && strField(t, o, "Type") == "FailOverTest" })
	for _, q := range []string{"status=Done", "startedAfterDate=last-week"} {
		resp, body := h.get(Protected, "/v1/tasks?"+q)
		wantZertoError(t, q, resp, body, http.StatusBadRequest)
	}
}

// TestDocumentedFilters: each documented list filter, its name in upper case and a value taken
// from the list in lower case, keeps a non-empty subset of the list whose member equals the
// value (ignoring case), and a value that selects nothing keeps nothing.
func TestDocumentedFilters(t *testing.T) {
	h := newHarness(t, Options{Flavour: FlavourAppliance})
	for _, f := range []struct {
		path, param string
		member      []string
	}{
		{"/v1/vpgs", "protectedSiteIdentifier", []string{"ProtectedSite", "identifier"}},
		{"/v1/vpgs", "recoverySiteIdentifier", []string{"RecoverySite", "identifier"}},
		{"/v1/vpgs", "serviceProfileIdentifier", []string{"ServiceProfile", "identifier"}},
		{"/v1/vpgs", "zorgIdentifier", []string{"Zorg", "identifier"}},
		{"/v1/vpgs", "sourceSite", []string{"ProtectedSiteName"}},
		{"/v1/vpgs", "targetSite", []string{"RecoverySiteName"}},
		{"/v1/vms", "protectedSiteIdentifier", []string{"ProtectedSite", "identifier"}},
		{"/v1/vms", "recoverySiteIdentifier", []string{"RecoverySite", "identifier"}},
		{"/v1/vras", "vraName", []string{"VraName"}},
		{"/v1/vras", "ipAddress", []string{"VraNetworkDataApi", "VraIPAddress"}},
		{"/v1/vras", "datastoreName", []string{"DatastoreName"}},
		{"/v1/vras", "vraVersion", []string{"VraVersion"}},
		{"/v1/vras", "hostVersion", []string{"HostVersion"}},
		{"/v1/vras", "vraGroup", []string{"VraGroup"}},
		{"/v1/vras", "networkName", []string{"NetworkName"}},

		{"/v1/volumes", "vpgIdentifier", []string{"Vpg", "Identifier"}},
		{"/v1/volumes", "datastoreIdentifier", []string{"Datastore", "Identifier"}},
		{"/v1/volumes", "protectedVmIdentifier", []string{"ProtectedVm", "Identifier"}},
		{"/v1/volumes", "owningVmIdentifier", []string{"OwningVm", "Identifier"}},
		{"/v1/alerts", "siteIdentifier", []string{"Site", "identifier"}},
		{"/v1/events", "siteIdentifier", nil},
		{"/v1/events", "siteName", nil},
		{"/v1/peersites", "peerName", []string{"PeerSiteName"}},
		{"/v1/peersites", "location", []string{"Location"}},
		{"/v1/peersites", "hostName", []string{"HostName"}},
		{"/v1/ltr/repositories", "repositoryName", []string{"RepositoryName"}},
		{"/v1/reports/resources", "vpgName", []string{"Vpg", "VpgName"}},
		{"/v1/reports/resources", "vmName", []string{"ProtectedSite", "VmInfo", "VmName"}},
		{"/v1/reports/resources", "protectedHostName", []string{"ProtectedSite", "Compute", "HostName"}},
		{"/v1/reports/resources", "recoveryHostName", []string{"RecoverySite", "Compute", "HostName"}},
		{"/v1/reports/resources", "protectedClusterName", []string{"ProtectedSite", "Compute", "ClusterName"}},
	} {
		t.Run(f.path+"?"+f.param, func(t *testing.T) {
			list := func(path string) []any {
				resp, body := h.get(Protected, path)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: %s %s", path, resp.Status, body)
				}
				l, _ := decodeGeneric(t, body).([]any)
				return l
			}
			all := list(f.path)
			var want string
			switch f.param {
			case "siteIdentifier":
				want = strField(t, h.object(Protected, "/v1/localsite"), "SiteIdentifier")
			case "siteName":
				want = strField(t, h.object(Protected, "/v1/localsite"), "SiteName")
			default:
				for _, e := range all { // the last element with a value: not always the first
					if s, ok := memberAt(e, f.member); ok && s != nil {
						want = s.(string)
					}
				}
			}
			if want == "" {
				t.Fatalf("no element has %v", f.member)
			}
			got := list(f.path + "?" + strings.ToUpper(f.param) + "=" + url.QueryEscape(strings.ToLower(want)))
			if len(got) == 0 {
				t.Fatalf("%s=%s kept nothing of %d", f.param, want, len(all))
			}
			for _, e := range got {
				if m, _ := memberAt(e, f.member); f.member != nil && !strings.EqualFold(fmt.Sprint(m), want) {
					t.Errorf("%s=%s kept an element with %v %v", f.param, want, f.member, m)
				}
			}
			if none := list(f.path + "?" + f.param + "=no-such-value"); len(none) != 0 {
				t.Errorf("%s=no-such-value kept %d elements", f.param, len(none))
			}
		})
	}
}

// TestFilterBadValues: typed filters answer 400 to a value that does not parse.
func TestFilterBadValues(t *testing.T) {
	h := newHarness(t, Options{Flavour: FlavourAppliance})
	for _, path := range []string{
		"/v1/vpgs?backupEnabled=maybe", "/v1/vms?includeBackupedVms=maybe", "/v1/vms?includeMountedVms=2",
		"/v1/vras?status=Sleeping", "/v1/vras?vraIpConfigurationTypeApi=Manual", "/v1/peersites?pairingStatus=Married",
		"/v1/peersites?port=http", "/v1/ltr/repositories?connectionType=smb", "/v1/reports/resources?pageSize=0",
		"/v1/reports/resources?startTime=yesterday",
	} {
		if resp, body := h.get(Protected, path); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %s %s, want 400", path, resp.Status, body)
		}
	}
	if got := h.list(Protected, "/v1/vpgs?BackupEnabled=FALSE"); len(got) != len(h.list(Protected, "/v1/vpgs")) {
		t.Errorf("backupEnabled=false kept %d VPGs, want all (none has backups)", len(got))
	}
	if got := h.list(Protected, "/v1/vras?STATUS=installed"); len(got) == 0 {
		t.Error("status=installed kept no VRA")
	}
	if got := h.list(Protected, "/v1/vras?vraIpConfigurationTypeApi=dhcp"); len(got) != 0 {
		t.Errorf("vraIpConfigurationTypeApi=dhcp kept %d VRAs with static addresses", len(got))
	}
	if got := h.list(Protected, "/v1/peersites?port=9081&pairingStatus=0"); len(got) != 1 {
		t.Errorf("port=9081&pairingStatus=0 kept %d peers, want 1", len(got))
	}
}
