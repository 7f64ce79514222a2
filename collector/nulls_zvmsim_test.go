package collector_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// simRaw reads path from role's ZVM of a simulator built as simScrape builds its own (simServer:
// same seed, clock and faults, so the same model), decoded generically so that a JSON null
// stays nil whatever the exporter's client makes of it.
func simRaw(t *testing.T, flavour string, role zvmsim.Role, at time.Time, path string, prepare func(*zvmsim.Sim)) []map[string]any {
	t.Helper()
	_, srv := simServer(t, flavour, role, at, prepare)
	header := http.Header{}
	if flavour == zvmsim.FlavourWindows {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/session/add", nil)
		req.SetBasicAuth("admin", "zerto")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		header.Set("x-zerto-session", resp.Header.Get("x-zerto-session"))
	} else {
		form := url.Values{"grant_type": {"password"}, "client_id": {"zerto-client"}, "username": {"admin"}, "password": {"zerto"}}
		resp, err := http.PostForm(srv.URL+"/auth/realms/zerto/protocol/openid-connect/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil {
			t.Fatal(err)
		}
		header.Set("Authorization", "Bearer "+tok.AccessToken)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	var list []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	return list
}

// hasSeries says whether the exposition has a series of name with the label.
func hasSeries(got map[string]float64, name, label, value string) bool {
	for k := range got {
		if strings.HasPrefix(k, name+"{") && strings.Contains(k, label+`="`+value+`"`) {
			return true
		}
	}
	return false
}

// nullAt says whether the generically decoded object has null at path.
func nullAt(obj map[string]any, path ...string) bool {
	var v any = obj
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[k]; !ok {
			return false
		}
	}
	return v == nil
}

// TestSimulatorNullsAreAbsent: every null the demo simulator sends in a field
// the exporter reads makes that series absent (never 0), while the same
// series of an object with a value is present, in both flavours and on both
// sites.
func TestSimulatorNullsAreAbsent(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	// The simulator sends the nulls the spec allows (free space of a datastore without figures);
	// set faults add those a ZVM sends where the spec does not say so.
	nulls := func(sim *zvmsim.Sim) {
		vpg := sim.State().VPGs[0].Name
		for _, f := range []zvmsim.Fault{
			{Endpoint: "/v1/datastores", Field: "Health", Match: "DatastoreName=bos-prod-ds01"},
			{Endpoint: "/v1/datastores", Field: "Health", Match: "DatastoreName=den-dr-ds01"},
			{Endpoint: "/v1/vpgs", Field: "FailSafeHistory", Match: "VpgName=" + vpg},
			{Endpoint: "/v1/vpgs", Field: "ActualRPO", Match: "VpgName=" + vpg},
			{Endpoint: "/v1/vpgs", Field: "LastTest", Match: "VpgName=" + vpg},
		} {
			f.Kind = zvmsim.KindSet
			if _, err := sim.InjectFault(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, flavour := range []string{zvmsim.FlavourAppliance, zvmsim.FlavourWindows} {
		for _, role := range []zvmsim.Role{zvmsim.Protected, zvmsim.Recovery} {
			t.Run(flavour+"/"+role.String(), func(t *testing.T) {
				got, _ := simScrape(t, flavour, role, at, []string{"datastore", "vpg"}, nulls)
				type check struct {
					name, label, value string
					present            bool
				}
				var checks []check
				var nullObjects int
				for _, d := range simRaw(t, flavour, role, at, "/v1/datastores", nulls) {
					name := d["DatastoreName"].(string)
					st, _ := d["Stats"].(map[string]any)
					if st["NumVRAs"].(float64)+st["NumIncomingVMs"].(float64)+st["NumOutgoingVMs"].(float64) == 0 {
						continue // not a datastore Zerto uses: not exported at all
					}
					free, health := nullAt(d, "Stats", "Usage", "Datastore", "FreeInBytes"), nullAt(d, "Health")
					if free || health {
						nullObjects++
					}
					checks = append(checks,
						check{"zerto_datastore_capacity_bytes", "datastore", name, true},
						check{"zerto_datastore_free_bytes", "datastore", name, !free},
						check{"zerto_datastore_health_status", "datastore", name, !health})
				}
				for _, v := range simRaw(t, flavour, role, at, "/v1/vpgs", nulls) {
					id := v["VpgIdentifier"].(string)
					failSafe, lastTest, rpo := nullAt(v, "FailSafeHistory"), nullAt(v, "LastTest"), nullAt(v, "ActualRPO")
					// A fail-safe history that is not configured (zeros) is absent too.
					noFailSafe := failSafe || v["FailSafeHistory"].(map[string]any)["ConfiguredFailSafeHistory"].(float64) == 0
					// So is the sentinel -1 of an RPO not calculated yet (the initialising VPG).
					noRPO := rpo || v["ActualRPO"] == -1.0
					if failSafe || lastTest || rpo {
						nullObjects++
					}
					checks = append(checks,
						check{"zerto_vpg_rpo_target_seconds", "vpg_id", id, true},
						check{"zerto_vpg_actual_rpo_seconds", "vpg_id", id, !noRPO},
						check{"zerto_vpg_failsafe_history_seconds", "vpg_id", id, !noFailSafe},
						check{"zerto_vpg_last_test_timestamp_seconds", "vpg_id", id, !lastTest})
				}
				if nullObjects < 3 {
					t.Fatalf("the demo simulator sent %d objects with nulls the exporter reads, want 3 or more", nullObjects)
				}
				for _, c := range checks {
					if has := hasSeries(got, c.name, c.label, c.value); has != c.present {
						t.Errorf("%s{%s=%q} present = %v, want %v", c.name, c.label, c.value, has, c.present)
					}
				}
			})
		}
	}
}
