package zvmsim

import (
	"strings"
	"testing"
)

// TestSetFault: the set fault gives consumers the nulls the API allows, on any member of any
// endpoint: every element, or those a match selects, and only those.
func TestSetFault(t *testing.T) {
	for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			h := newHarness(t, Options{Profile: "demo", Flavour: flavour})
			ds := h.list(Protected, "/v1/datastores")
			target, free := strField(t, ds[0], "DatastoreName"), field(t, ds[0], "Stats", "Usage", "Datastore", "FreeInBytes")
			before := map[any]any{}
			for _, d := range ds {
				before[d["DatastoreName"]] = field(t, d, "Stats", "Usage", "Datastore", "FreeInBytes")
			}
			h.inject(Protected, `{"kind":"set","endpoint":"/v1/datastores","field":"Stats.Usage.Datastore.FreeInBytes","match":"DatastoreName=`+target+`"}`)
			h.inject(Protected, `{"kind":"set","endpoint":"/v1/datastores","field":"health"}`)
			h.inject(Protected, `{"kind":"set","endpoint":"/v1/vpgs","field":"ActualRPO"}`)
			for _, d := range h.list(Protected, "/v1/datastores") {
				if d["Health"] != nil {
					t.Errorf("%s: Health %v, want null on every datastore", d["DatastoreName"], d["Health"])
				}
				got, want := field(t, d, "Stats", "Usage", "Datastore", "FreeInBytes"), before[d["DatastoreName"]]
				if d["DatastoreName"] == target {
					want = nil
				}
				if got != want {
					t.Errorf("%s: FreeInBytes %v, want %v (null on %s only)", d["DatastoreName"], got, want, target)
				}
			}
			for _, v := range h.list(Protected, "/v1/vpgs") {
				if field(t, v, "ActualRPO") != nil {
					t.Errorf("%s: ActualRPO not null", v["VpgName"])
				}
			}
			h.clear(Protected)
			if d := h.list(Protected, "/v1/datastores")[0]; field(t, d, "Stats", "Usage", "Datastore", "FreeInBytes") != free {
				t.Errorf("FreeInBytes %v after the fault was cleared, want %v", field(t, d, "Stats", "Usage", "Datastore", "FreeInBytes"), free)
			}
			if resp, body := h.do(Protected, "POST", "/_sim/faults", strings.NewReader(`{"kind":"set","endpoint":"/v1/vpgs","field":"X","match":"VpgName"}`), nil); resp.StatusCode != 400 {
				t.Errorf("a match without =: %s %s, want 400", resp.Status, body)
			}
		})
	}
}

// rpoOf is a VPG's ActualRPO, or -1 when it is null (not calculated), as
// /_sim/state reports it.
func rpoOf(t *testing.T, v map[string]any) int64 {
	t.Helper()
	if field(t, v, "ActualRPO") == nil {
		return -1
	}
	return intField(t, v, "ActualRPO")
}
