package zvmsim

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestVolumeTypeFilter: /v1/volumes?volumeType= keeps one type, in any case, as the ZVM's
// filters do; an unknown type is a 400; the journals are on the recovery site only.
func TestVolumeTypeFilter(t *testing.T) {
	for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			h := newHarness(t, Options{Flavour: flavour})
			all := h.list(Recovery, "/v1/volumes")
			perType := map[string]int{}
			for _, v := range all {
				perType[strField(t, v, "VolumeType")]++
			}
			if perType["journal"] == 0 || perType["recovery"] == 0 || perType["appliance"] == 0 {
				t.Fatalf("recovery site volumes by type: %v", perType)
			}
			for _, q := range []string{"journal", "JOURNAL", "Journal"} {
				got := h.list(Recovery, "/v1/volumes?volumeType="+q)
				if len(got) != perType["journal"] {
					t.Errorf("volumeType=%s: %d volumes, want the %d journals", q, len(got), perType["journal"])
				}
				for _, v := range got {
					if strField(t, v, "VolumeType") != "journal" {
						t.Errorf("volumeType=%s returned a %s volume", q, v["VolumeType"])
					}
				}
			}
			if got := h.list(Protected, "/v1/volumes?volumetype=journal"); len(got) != 0 {
				t.Errorf("protected site: %d journal volumes, want none", len(got))
			}
			if got := h.list(Recovery, "/v1/volumes?volumeType=scratch"); len(got) != 0 {
				t.Errorf("%d scratch volumes with no failover test running, want none", len(got))
			}
			if resp, body := h.get(Recovery, "/v1/volumes?volumeType=snapshot"); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("volumeType=snapshot: %s %s, want 400", resp.Status, body)
			}
		})
	}
}

// TestScratchFill: scratch_fill gives the VPG's VMs a scratch volume each on the recovery site,
// used to percent of its provisioned size (the journal hard limit), and clearing it takes them
// away; the running failover test has scratch volumes too.
func TestScratchFill(t *testing.T) {
	h := newHarness(t, Options{})
	id := h.inject(Protected, `{"kind":"scratch_fill","vpg":"sql-prod","percent":92}`)
	vols := h.list(Recovery, "/v1/volumes?volumeType=scratch")
	if len(vols) == 0 {
		t.Fatal("no scratch volume under scratch_fill")
	}
	var used, provisioned int64
	for _, v := range vols {
		if strField(t, v, "Vpg", "Name") != "SQL-Prod" {
			t.Errorf("scratch volume of VPG %v, want SQL-Prod", v["Vpg"])
		}
		used += intField(t, v, "Size", "UsedInBytes")
		provisioned += intField(t, v, "Size", "ProvisionedInBytes")
	}
	if r := float64(used) / float64(provisioned); r < 0.9199 || r > 0.9201 {
		t.Errorf("scratch used/provisioned = %v, want 0.92", r)
	}
	for _, v := range h.sim.State().VPGs {
		if v.Name == "SQL-Prod" && (v.ScratchVolumes == nil || v.ScratchVolumes.UsedBytes != used || v.ScratchVolumes.ProvisionedBytes != provisioned) {
			t.Errorf("state scratch volumes %+v, want used %d provisioned %d", v.ScratchVolumes, used, provisioned)
		}
	}
	// The recovery site's datastores count the same scratch space as Zerto's.
	var dsScratch int64
	for _, d := range h.list(Recovery, "/v1/datastores") {
		if z, ok := objField(t, d, "Stats", "Usage")["Zerto"].(map[string]any); ok {
			dsScratch += intField(t, z, "Scratch", "UsedInBytes")
		}
	}
	if dsScratch != used {
		t.Errorf("datastores' Zerto scratch use %d, volumes %d", dsScratch, used)
	}
	if resp, _ := h.do(Protected, http.MethodDelete, "/_sim/faults/"+id, nil, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("delete fault: %s", resp.Status)
	}
	if n := len(h.list(Recovery, "/v1/volumes?volumeType=scratch")); n != 0 {
		t.Errorf("%d scratch volumes after clearing the fault", n)
	}

	h.clock.Advance(testOffset + time.Minute) // the first periodic failover test runs
	h.login(Recovery)                         // the token expired meanwhile
	tested := map[string]bool{}
	for _, v := range h.list(Recovery, "/v1/volumes?volumeType=scratch") {
		tested[strField(t, v, "Vpg", "Name")] = true
		if u, p := intField(t, v, "Size", "UsedInBytes"), intField(t, v, "Size", "ProvisionedInBytes"); u <= 0 || u >= p {
			t.Errorf("test scratch volume used %d of %d", u, p)
		}
	}
	var running []string
	for _, v := range h.sim.State().VPGs {
		if v.FailoverTestRunning {
			running = append(running, v.Name)
		}
	}
	if len(running) != 1 || len(tested) != 1 || !tested[running[0]] {
		t.Errorf("scratch volumes of %v while %v is tested", tested, running)
	}
}

// TestClockSkew: clock_skew moves a site's /v1/serverDateTime clock (both sites without site);
// clearing it puts the clocks back.
func TestClockSkew(t *testing.T) {
	for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			h := newHarness(t, Options{Flavour: flavour})
			utc := func(role Role) time.Time {
				s, ok := h.getJSON(role, "/v1/serverDateTime/serverDateTimeUtc").(string)
				if !ok {
					t.Fatalf("serverDateTimeUtc is not a JSON string")
				}
				return parseISO(t, s)
			}
			if got := utc(Protected); !got.Equal(h.clock.Now()) {
				t.Errorf("serverDateTimeUtc %v, want %v", got, h.clock.Now())
			}
			h.inject(Protected, `{"kind":"clock_skew","seconds":-95,"site":"recovery"}`)
			if got, want := utc(Recovery), h.clock.Now().Add(-95*time.Second); !got.Equal(want) {
				t.Errorf("recovery clock %v, want %v", got, want)
			}
			if got := utc(Protected); !got.Equal(h.clock.Now()) {
				t.Errorf("protected clock moved by a recovery-site fault: %v", got)
			}
			if st := h.sim.State(); st.Sites[Recovery].ClockSkewSeconds != -95 || st.Sites[Protected].ClockSkewSeconds != 0 {
				t.Errorf("state skews %v, %v", st.Sites[Protected].ClockSkewSeconds, st.Sites[Recovery].ClockSkewSeconds)
			}
			local, _ := h.getJSON(Recovery, "/v1/serverDateTime/serverDateTimeLocal").(string)
			want := h.clock.Now().Add(-95*time.Second - 7*time.Hour).Format("2006-01-02T15:04:05.000")
			if !h.windows() {
				want += "-07:00"
			}
			if local != want {
				t.Errorf("serverDateTimeLocal %q, want %q (UTC-7)", local, want)
			}
			h.clear(Protected)
			if got := utc(Recovery); !got.Equal(h.clock.Now()) {
				t.Errorf("recovery clock %v after clearing, want %v", got, h.clock.Now())
			}
			for _, bad := range []string{
				`{"kind":"clock_skew"}`,
				`{"kind":"clock_skew","seconds":40000000}`,
				`{"kind":"clock_skew","seconds":5,"site":"mars"}`,
				`{"kind":"clock_skew","seconds":5,"vpg":"SQL-Prod"}`,
				`{"kind":"scratch_fill","vpg":"SQL-Prod"}`,
				`{"kind":"scratch_fill","vpg":"SQL-Prod","percent":101}`,
				`{"kind":"scratch_fill","vpg":"nope","percent":50}`,
			} {
				if resp, body := h.do(Protected, http.MethodPost, "/_sim/faults", strings.NewReader(bad), nil); resp.StatusCode != http.StatusBadRequest {
					t.Errorf("%s: %s %s, want 400", bad, resp.Status, body)
				}
			}
		})
	}
}

// TestUnprotectedVMsAndServiceProfiles: each site lists its own unprotected VMs under its
// identifier (an unknown identifier is a 404), the count /_sim/state reports; the service
// profiles' targets are TimeSpans, and the VPGs that use one link it.
func TestUnprotectedVMsAndServiceProfiles(t *testing.T) {
	for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			h := newHarness(t, Options{Flavour: flavour})
			st := h.sim.State()
			for _, role := range []Role{Protected, Recovery} {
				site := st.Sites[role]
				vms := h.list(role, "/v1/virtualizationsites/"+site.Identifier+"/vms")
				if len(vms) != site.UnprotectedVMs || len(vms) < 2 {
					t.Errorf("%s: %d unprotected VMs, state says %d", role, len(vms), site.UnprotectedVMs)
				}
				for _, vm := range vms {
					if strField(t, vm, "VmIdentifier") == "" || strField(t, vm, "VmName") == "" {
						t.Errorf("%s: unprotected VM %v", role, vm)
					}
				}
			}
			if resp, _ := h.get(Protected, "/v1/virtualizationsites/no-such-site/vms"); resp.StatusCode != http.StatusNotFound {
				t.Errorf("unknown site: %s, want 404", resp.Status)
			}
			profiles := byName(t, h.list(Protected, "/v1/serviceprofiles"), "ServiceProfileName")
			gold := profiles["Gold"]
			if gold == nil || strField(t, gold, "Rpo") != "00:05:00" || strField(t, gold, "History") != "1.00:00:00" || strField(t, gold, "TestInterval") != "30.00:00:00" {
				t.Fatalf("Gold profile %v", gold)
			}
			goldID := strField(t, gold, "Link", "identifier")
			users := 0
			for _, v := range h.list(Protected, "/v1/vpgs") {
				if v["ServiceProfile"] == nil {
					continue
				}
				users++
				if strField(t, v, "ServiceProfile", "identifier") != goldID || strField(t, v, "ServiceProfileName") != "Gold" ||
					intField(t, v, "ConfiguredRpoSeconds") != 300 || intField(t, v, "HistoryStatusApi", "ConfiguredHistoryInMinutes") != 1440 {
					t.Errorf("%s: profile %v, RPO %v, history %v; want Gold's", v["VpgName"], v["ServiceProfile"], v["ConfiguredRpoSeconds"], v["HistoryStatusApi"])
				}
				if h.windows() && strField(t, v, "ServiceProfileIdentifier") != goldID {
					t.Errorf("%s: ServiceProfileIdentifier %v, want %s", v["VpgName"], v["ServiceProfileIdentifier"], goldID)
				}
			}
			if users == 0 {
				t.Error("no VPG uses a service profile")
			}
		})
	}
}

// TestCheckpointEndpoints: /v1/vpgs/{id}/checkpoints/stats gives the journal's earliest and latest
// checkpoints (the latest ActualRPO back), the list runs between them with startDate and endDate
// filters and tags every sixth hour; the VPG in initial sync has none; an unknown VPG is a 404.
func TestCheckpointEndpoints(t *testing.T) {
	for _, flavour := range []string{FlavourAppliance, FlavourWindows} {
		t.Run(flavour, func(t *testing.T) {
			h := newHarness(t, Options{Flavour: flavour})
			now := h.clock.Now()
			for _, v := range h.list(Protected, "/v1/vpgs") {
				id := strField(t, v, "VpgIdentifier")
				stats := h.object(Protected, "/v1/vpgs/"+id+"/checkpoints/stats")
				rpo := rpoOf(t, v)
				if rpo < 0 {
					if stats["Latest"] != nil || stats["Earliest"] != nil {
						t.Errorf("%s (initial sync): stats %v, want nulls", v["VpgName"], stats)
					}
					continue
				}
				latest := parseISO(t, strField(t, stats, "Latest", "TimeStamp"))
				earliest := parseISO(t, strField(t, stats, "Earliest", "TimeStamp"))
				if want := now.Add(-time.Duration(rpo) * time.Second); !latest.Equal(want) {
					t.Errorf("%s: latest checkpoint %v, want ActualRPO %ds back (%v)", v["VpgName"], latest, rpo, want)
				}
				if want := parseISO(t, strField(t, v, "HistoryStatusApi", "EarliestCheckpoint", "TimeStamp")); !earliest.Equal(want) {
					t.Errorf("%s: earliest checkpoint %v, /v1/vpgs says %v", v["VpgName"], earliest, want)
				}
				list := h.list(Protected, "/v1/vpgs/"+id+"/checkpoints")
				first, last := parseISO(t, strField(t, list[0], "TimeStamp")), parseISO(t, strField(t, list[len(list)-1], "TimeStamp"))
				if !first.Equal(earliest) || !last.Equal(latest) {
					t.Errorf("%s: list from %v to %v, stats %v to %v", v["VpgName"], first, last, earliest, latest)
				}
				tagged := 0
				for _, c := range list {
					if c["Tag"] != nil {
						tagged++
						if at := parseISO(t, strField(t, c, "TimeStamp")); !at.Equal(at.Truncate(taggedSpacing)) {
							t.Errorf("tagged checkpoint at %v", at)
						}
					}
				}
				if hist := latest.Sub(earliest); hist >= taggedSpacing && tagged == 0 {
					t.Errorf("%s: %v of journal and no tagged checkpoint", v["VpgName"], hist)
				}
				from := latest.Add(-10 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
				if got := h.list(Protected, "/v1/vpgs/"+id+"/checkpoints?startDate="+from); len(got) < 10 || len(got) > 11 {
					t.Errorf("%s: %d checkpoints in the last 10 minutes, want 10 or 11", v["VpgName"], len(got))
				}
			}
			if resp, _ := h.get(Protected, "/v1/vpgs/no-such-vpg/checkpoints/stats"); resp.StatusCode != http.StatusNotFound {
				t.Errorf("unknown VPG: %s, want 404", resp.Status)
			}
			id := h.sim.State().VPGs[0].Identifier
			if resp, _ := h.get(Protected, "/v1/vpgs/"+id+"/checkpoints?startDate=yesterday"); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("bad startDate: %s, want 400", resp.Status)
			}
		})
	}
}
