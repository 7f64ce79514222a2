package zvmsim

import (
	"testing"
)

// TestNullablesInDemoAndSmall: the demo and small profiles send null where
// the API allows it, so that every consumer meets nulls: a datastore Zerto
// uses with null Health, FreeInBytes and ProvisionedInBytes, datastores
// Zerto does not use with Stats.Usage.Zerto null, an alert affecting no VPG
// with AffectedVpgs null, VPGs without fail-safe history, and the
// initialising VPG's null LastTest and ActualRPO (its VMs send -1).
func TestNullablesInDemoAndSmall(t *testing.T) {
	for _, profile := range []string{"demo", "small"} {
		for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
			t.Run(profile+"/"+flavour, func(t *testing.T) {
				h := newHarness(t, Options{Profile: profile, Flavour: flavour})
				for _, role := range []Role{Protected, Recovery} {
					var unreported, zertoNull int
					for _, d := range h.list(role, "/v1/datastores") {
						stats := objField(t, d, "Stats")
						usage := objField(t, stats, "Usage", "Datastore")
						used := intField(t, stats, "NumVRAs")+intField(t, stats, "NumIncomingVMs")+intField(t, stats, "NumOutgoingVMs") > 0
						if field(t, stats, "Usage", "Zerto") == nil {
							zertoNull++
							if used {
								t.Errorf("%s: Zerto usage null on a datastore Zerto uses", d["DatastoreName"])
							}
						}
						if used && d["Health"] == nil && field(t, usage, "FreeInBytes") == nil && field(t, usage, "ProvisionedInBytes") == nil {
							unreported++
							intField(t, usage, "CapacityInBytes")
							intField(t, usage, "UsedInBytes")
						}
					}
					if unreported != 1 || zertoNull < 2 {
						t.Errorf("%s: %d used datastores with null health and space, %d with null Zerto usage; want 1 and 2+", role, unreported, zertoNull)
					}
				}
				var noVPG int
				for _, a := range h.list(Protected, "/v1/alerts") {
					if field(t, a, "AffectedVpgs") == nil {
						noVPG++
					}
				}
				if noVPG == 0 {
					t.Error("no alert with AffectedVpgs null")
				}
				var noFailSafe, neverTested, noRPO int
				for _, v := range h.list(Protected, "/v1/vpgs") {
					if field(t, v, "FailSafeHistory") == nil {
						noFailSafe++
					}
					if field(t, v, "LastTest") == nil {
						neverTested++
					}
					if field(t, v, "ActualRPO") == nil {
						noRPO++
					}
				}
				if noFailSafe == 0 || neverTested != 1 || noRPO != 1 {
					t.Errorf("%d VPGs with FailSafeHistory null, %d with LastTest null, %d with ActualRPO null; want some, 1 and 1",
						noFailSafe, neverTested, noRPO)
				}
			})
		}
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
