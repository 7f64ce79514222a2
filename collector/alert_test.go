package collector

import (
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func TestVPGAlerts(t *testing.T) {
	// One alert naming Finance-DB twice and an unknown VPG, one naming Finance-DB once, one
	// dismissed: Finance-DB counts 2, the unknown id 1 with no name.
	snap := richSnapshot(t)
	finance := zvm.Link{Identifier: financeID}
	snap.Alerts = []zvm.Alert{
		{Level: "Error", Entity: "Vpg", HelpIdentifier: "VPG0010", AffectedVpgs: []zvm.Link{finance, finance, {Identifier: "gone"}}},
		{Level: "Error", Entity: "Vpg", HelpIdentifier: "VPG0010", AffectedVpgs: []zvm.Link{finance}},
		{Level: "Error", Entity: "Vpg", HelpIdentifier: "VPG0010", AffectedVpgs: []zvm.Link{finance}, IsDismissed: true},
	}
	mfs := scrapeAll(t, snap, nil, "alert")
	if got := value(t, mfs, "zerto_vpg_alerts", map[string]string{"vpg": "Finance-DB", "vpg_id": financeID, "level": "Error", "help_id": "VPG0010"}); got != 2 {
		t.Errorf("Finance-DB: %v alerts, want 2", got)
	}
	if got := value(t, mfs, "zerto_vpg_alerts", map[string]string{"vpg": "", "vpg_id": "gone", "level": "Error", "help_id": "VPG0010"}); got != 1 {
		t.Errorf("unknown VPG: %v alerts, want 1", got)
	}
	if n := len(mfs["zerto_vpg_alerts"].GetMetric()); n != 2 {
		t.Errorf("%d zerto_vpg_alerts series, want 2", n)
	}
}

// The fixture's active alerts counted by level, entity and help identifier; dismissed ones left
// out.
func TestAlertConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), fixtureSLA, "alert")
	expectSamples(t, mfs, wantSample{"zerto_alerts", map[string]string{"level": "Warning", "entity": "Vpg", "help_id": "VPG0009"}, 2})
	absent(t, mfs, "zerto_alerts", map[string]string{"entity": "Zvm"}) // dismissed only
}
