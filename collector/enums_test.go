package collector

import (
	"testing"

	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
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
