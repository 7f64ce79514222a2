package zvm

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Recorded shapes of both flavours, written by the project after the 10.x appliance's and a
// Windows ZVM's answers (testdata/shapes): the client must read them the same way.

func readShape(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "shapes", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestVMShapes: the appliance sends no top-level VmIdentifier or VpgIdentifier, only the link
// "<vm>?VpgIdentifier=<vpg>"; the Windows ZVM sends both. Either way the rows carry the ids the
// statistics join needs.
func TestVMShapes(t *testing.T) {
	for _, c := range []struct {
		mode    AuthMode
		file    string
		want    [][2]string // VmIdentifier, VpgIdentifier per row
		nullRPO []bool
	}{
		{AuthKeycloak, "vms-appliance-10x.json", [][2]string{
			{"5f0c1e2d-1111-4a4a-9b9b-000000000001.vm-201", "a3c6e9f2-2222-4b4b-8c8c-000000000010"},
			{"5f0c1e2d-1111-4a4a-9b9b-000000000001.vm-202", "a3c6e9f2-2222-4b4b-8c8c-000000000010"},
		}, []bool{false, true}},
		{AuthSession, "vms-windows.json", [][2]string{
			{"7d1e2f3a-3333-4c4c-9d9d-000000000002.vm-31", "b4d7f0a3-4444-4d4d-8e8e-000000000020"},
		}, []bool{false}},
	} {
		t.Run(c.file, func(t *testing.T) {
			f := newFake(t, c.mode)
			f.setBody(EndpointVMs, readShape(t, c.file))
			vms, err := ReadAs[[]VM](testCtx(t), newTestClient(t, f, nil), Request{Endpoint: EndpointVMs})
			if err != nil {
				t.Fatal(err)
			}
			if len(vms) != len(c.want) {
				t.Fatalf("%d rows, want %d", len(vms), len(c.want))
			}
			for i, v := range vms {
				if got := [2]string{v.VmIdentifier, v.VpgIdentifier}; got != c.want[i] {
					t.Errorf("row %d: ids %q, want %q", i, got, c.want[i])
				}
				if v.ActualRPO.Valid == c.nullRPO[i] {
					t.Errorf("row %d: ActualRPO %+v, null on the wire: %v", i, v.ActualRPO, c.nullRPO[i])
				}
			}
		})
	}
}

func TestIDsFromLink(t *testing.T) {
	for _, c := range []struct {
		vm      VM
		wantVM  string
		wantVPG string
	}{
		{VM{Link: &Link{Identifier: "vm-1?VpgIdentifier=vpg-1"}}, "vm-1", "vpg-1"},
		{VM{Link: &Link{Identifier: "vm-1?x=1&VPGIDENTIFIER=vpg-2"}}, "vm-1", "vpg-2"},
		{VM{VmIdentifier: "a", VpgIdentifier: "b", Link: &Link{Identifier: "vm-1?VpgIdentifier=vpg-1"}}, "a", "b"}, // top level wins
		{VM{Link: &Link{Identifier: "vm-1"}}, "vm-1", ""},
		{VM{Link: &Link{Identifier: "vm-1?VpgIdentifier=%zz"}}, "vm-1", ""}, // bad escape: no VPG
		{VM{}, "", ""},
	} {
		v := c.vm
		v.idsFromLink()
		if v.VmIdentifier != c.wantVM || v.VpgIdentifier != c.wantVPG {
			t.Errorf("%+v: %q, %q; want %q, %q", c.vm.Link, v.VmIdentifier, v.VpgIdentifier, c.wantVM, c.wantVPG)
		}
	}
}

// TestVPGShapes: an initialising appliance VPG sends null RPO, history and used storage (no
// value, not 0) and a sub-status past the built-in table; a Windows VPG sends /Date(ms)/ dates
// and the 7.x site names.
func TestVPGShapes(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.setBody(EndpointVPGs, readShape(t, "vpgs-appliance-10x.json"))
	vpgs, err := ReadAs[[]VPG](testCtx(t), newTestClient(t, f, nil), Request{Endpoint: EndpointVPGs})
	if err != nil || len(vpgs) != 2 {
		t.Fatalf("%d VPGs, %v", len(vpgs), err)
	}
	initialising, billing := vpgs[0], vpgs[1]
	if initialising.ActualRPO.Valid || initialising.UsedStorageInMB.Valid || initialising.HistoryStatusApi == nil || initialising.HistoryStatusApi.ActualHistoryInMinutes.Valid {
		t.Errorf("initialising VPG: nulls decoded as values: %+v", initialising)
	}
	if initialising.Status != Some(0) || initialising.ProvisionedStorageInMB != Some(81920.0) || initialising.LastTest.Valid() {
		t.Errorf("initialising VPG: %+v", initialising)
	}
	if billing.SubStatus != Some(38) || billing.ActualRPO != Some(915.0) ||
		!billing.LastTest.Equal(time.Date(2026, 10, 1, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("Billing: %+v", billing)
	}

	w := newFake(t, AuthSession)
	w.setBody(EndpointVPGs, readShape(t, "vpgs-windows.json"))
	vpgs, err = ReadAs[[]VPG](testCtx(t), newTestClient(t, w, nil), Request{Endpoint: EndpointVPGs})
	if err != nil || len(vpgs) != 1 {
		t.Fatalf("%d VPGs, %v", len(vpgs), err)
	}
	v := vpgs[0]
	if !v.LastTest.Equal(time.UnixMilli(1764580800000)) || v.SourceSite != "London" || v.ActualRPO != Some(9.0) ||
		v.HistoryStatusApi == nil || !v.HistoryStatusApi.EarliestCheckpoint.TimeStamp.Equal(time.UnixMilli(1764500000000)) {
		t.Errorf("Files: %+v", v)
	}
}
