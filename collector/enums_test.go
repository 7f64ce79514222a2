package collector

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil/simtest"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestEnumNamesFromZVM: codes past the built-in tables (VPG sub-status 36..42, VRA status 10)
// are exported with the names of the ZVM's lists, and join the VRA status state set; a code
// nobody names is Unknown and counted.
func TestEnumNamesFromZVM(t *testing.T) {
	snap := richSnapshot(t)
	snap.Enums = snapshot.NewEnumNames(log.NewNopLogger(), map[zvm.EnumField][]string{
		zvm.FieldVPGSubStatus: append(append([]string{}, zvm.VPGSubStatuses...), "S36", "S37", "ScratchVolumeError"),
		zvm.FieldVRAStatus:    append(append([]string{}, zvm.VRAStatuses...), "UpgradingVra"),
	})
	snap.VPGs[0].SubStatus = zvm.Some(38)
	snap.VPGs[1].SubStatus = zvm.Some(41) // not in the ZVM's list either
	snap.VRAs[0].Status = zvm.Some(10)
	snap.Enums.Count(zvm.FieldVPGSubStatus, 41)
	mfs := scrapeAll(t, snap, nil, "vpg", "vra")
	if got := value(t, mfs, "zerto_vpg_substatus_info", map[string]string{"vpg_id": erpID, "substatus": "ScratchVolumeError"}); got != 1 {
		t.Errorf("sub-status 38: %v", got)
	}
	if got := value(t, mfs, "zerto_vpg_substatus_info", map[string]string{"vpg_id": webID, "substatus": zvm.Unknown}); got != 1 {
		t.Errorf("sub-status 41: %v", got)
	}
	if got := value(t, mfs, "zerto_vra_status", map[string]string{"host": esx01, "status": "UpgradingVra"}); got != 1 {
		t.Errorf("VRA status 10: %v", got)
	}
	// Every VRA's state set has the new state (0 where it is not current) and Unknown.
	if got := value(t, mfs, "zerto_vra_status", map[string]string{"host": esx02, "status": "UpgradingVra"}); got != 0 {
		t.Errorf("esx02 UpgradingVra: %v", got)
	}
	if got := len(find(mfs, "zerto_vra_status", map[string]string{"host": esx01})); got != len(zvm.VRAStatuses)+2 {
		t.Errorf("%d VRA states, want %d", got, len(zvm.VRAStatuses)+2)
	}
	if got := value(t, mfs, "zerto_exporter_unknown_enum_values_total", map[string]string{"field": "vpg_substatus", "code": "41"}); got != 1 {
		t.Errorf("unknown count %v", got)
	}
}

// TestEnumNamesFromSimulator: a ZVM that sends VPG sub-status 38 and VRA status 10 (codes the
// 10.0 U6 spec has without names, past the exporter's tables) gets them exported with the names
// its own /v1/vpgs/substatuses and /v1/vras/statuses give, and nothing counted as unknown.
func TestEnumNamesFromSimulator(t *testing.T) {
	sim := simtest.New(t, zvmsim.Options{Profile: "demo", Seed: 3})
	client, err := zvm.New(zvm.Config{URL: simtest.Serve(t, sim, zvmsim.Protected), Username: zvmsim.DefaultUsername, Password: zvmsim.DefaultPassword, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	vpgs, err := zvm.ReadAs[[]zvm.VPG](ctx, client, zvm.Request{Endpoint: zvm.EndpointVPGs})
	if err != nil || len(vpgs) == 0 {
		t.Fatalf("%d VPGs, %v", len(vpgs), err)
	}
	vras, err := zvm.ReadAs[[]zvm.VRA](ctx, client, zvm.Request{Endpoint: zvm.EndpointVRAs})
	if err != nil || len(vras) == 0 {
		t.Fatalf("%d VRAs, %v", len(vras), err)
	}
	simtest.Inject(t, sim, zvmsim.Fault{Kind: zvmsim.KindVPGSubStatus, VPG: vpgs[0].VpgName, Status: 38},
		zvmsim.Fault{Kind: zvmsim.KindVRADown, VRA: vras[0].VraName, Status: 10})

	got, _ := gatherSet(ctx, t, client, []string{"vpg", "vra"}, snapshot.Options{})
	for _, want := range []string{
		`zerto_vpg_substatus_info{substatus="SimulatedSubStatusError38",vpg="` + vpgs[0].VpgName + `",vpg_id="` + vpgs[0].VpgIdentifier + `"}`,
		`zerto_vra_status{host="` + vras[0].Host() + `",status="SimulatedVraStatus10",vra="` + vras[0].VraName + `"}`,
	} {
		if got[want] != 1 {
			t.Errorf("%s = %v, want 1", want, got[want])
		}
	}
	for k := range got {
		if strings.HasPrefix(k, "zerto_exporter_unknown_enum_values_total") {
			t.Errorf("counted as unknown: %s", k)
		}
	}
}
