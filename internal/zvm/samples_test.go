package zvm

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// readSample reads a file of the third-party sample corpus (see testutil.ZVMSamples), skipping the
// test where there is none.
func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.ZVMSamples(t), filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("sample %s: %v", name, err)
	}
	return b
}

// jsonArray joins JSON values into an array.
func jsonArray(items ...[]byte) string {
	return "[" + string(bytes.Join(items, []byte(","))) + "]"
}

// fixedTasksSample is the 7.0 docs' tasks example with the comma the docs omit after "Vpgs".
func fixedTasksSample(t testing.TB) []byte {
	raw := readSample(t, "official-docs-examples/zvm7.0-docs-v1-tasks-example.txt")
	fixed := bytes.Replace(raw, []byte(`] "FlrSessions"`), []byte(`], "FlrSessions"`), 1)
	if bytes.Equal(fixed, raw) {
		t.Fatal("tasks sample: the documented missing comma was not found")
	}
	return fixed
}

func TestSamples(t *testing.T) {
	f := newFake(t, AuthSession)
	f.setBody(EndpointLocalSite, string(readSample(t, "zertoapiwrapper-mocks/LocalSiteInfo.json")))
	f.setBody(EndpointVPGs, jsonArray(readSample(t, "zertoapiwrapper-mocks/GetVpg.json"), readSample(t, "zertoapiwrapper-mocks/VPGInfo.json")))
	f.setBody(EndpointVMs, string(readSample(t, "zertoapiwrapper-mocks/ProtectedVms.json")))
	f.setBody(EndpointVRAs, jsonArray(readSample(t, "zertoapiwrapper-mocks/GetSingleVra.json"), readSample(t, "zertoapiwrapper-mocks/GetDhcpVra.json")))
	f.setBody(EndpointTasks, jsonArray(fixedTasksSample(t)))
	c := newTestClient(t, f, nil)
	ctx := testCtx(t)

	t.Run("localsite", func(t *testing.T) {
		s, err := ReadAs[*LocalSite](ctx, c, Request{Endpoint: EndpointLocalSite})
		if err != nil {
			t.Fatal(err)
		}
		if s.ID() != "63a62dc2-ef6f-45aa-809f-9dbaeb8c06cf" || s.SiteName != "vSphere-Site01 at Zerto" ||
			s.Version != "7.0.0" || s.SiteType != "VCenter" || s.UtcOffsetInMinutes != Some(-240) ||
			s.BandwidthThrottlingInMBs != Some[float64](-1) || s.Link == nil || s.Link.Type != "LocalSiteApi" {
			t.Errorf("%+v", s)
		}
	})
	t.Run("vpgs", func(t *testing.T) {
		vpgs, err := ReadAs[[]VPG](ctx, c, Request{Endpoint: EndpointVPGs})
		if err != nil {
			t.Fatal(err)
		}
		if len(vpgs) != 2 {
			t.Fatalf("%d VPGs", len(vpgs))
		}
		v := vpgs[0]
		if v.VpgName != "ExportStuff" || v.ActualRPO != Some[float64](7) || v.ConfiguredRpoSeconds != Some[float64](300) || v.Priority != Some(1) ||
			v.Status != Some(1) || v.IOPs != Some[float64](13) || v.ThroughputInMB != Some[float64](0.27197265625) || v.VmsCount != Some[float64](4) ||
			v.UsedStorageInMB != Some[float64](245465) || v.ProvisionedStorageInMB != Some[float64](336118) || v.SourceSite != "WCHL - NC" {
			t.Errorf("ExportStuff: %+v", v)
		}
		if v.FailSafeHistory == nil || v.FailSafeHistory.ConfiguredFailSafeHistory != Some[float64](240) {
			t.Errorf("FailSafeHistory = %+v", v.FailSafeHistory)
		}
		h := v.HistoryStatusApi
		if h == nil || h.ActualHistoryInMinutes != Some[float64](92) || h.ConfiguredHistoryInMinutes != Some[float64](1440) || h.EarliestCheckpoint == nil ||
			!h.EarliestCheckpoint.TimeStamp.Equal(time.Date(2019, 7, 20, 19, 30, 19, 0, time.UTC)) {
			t.Errorf("HistoryStatusApi = %+v", h)
		}
		if v.LastTest.Valid() || v.LastTest.Raw != "" {
			t.Errorf("null LastTest = %+v, want zero", v.LastTest)
		}
		if v.ActiveProcessesApi == nil || v.ActiveProcessesApi.RunningFailOverTestApi != nil {
			t.Errorf("ActiveProcessesApi = %+v", v.ActiveProcessesApi)
		}
		if v.ProtectedSite == nil || v.ProtectedSite.Identifier != "9e09efa0-0d00-46ed-929b-f86273b28205" {
			t.Errorf("ProtectedSite = %+v", v.ProtectedSite)
		}
		e := vpgs[1]
		if e.VpgName != "Exchange" || !e.LastTest.Equal(time.Date(2019, 7, 11, 16, 51, 7, 22e6, time.UTC)) || e.ThroughputInMB != Some[float64](58.55859375) {
			t.Errorf("Exchange: %+v", e)
		}
	})
	t.Run("vms", func(t *testing.T) {
		vms, err := ReadAs[[]VM](ctx, c, Request{Endpoint: EndpointVMs})
		if err != nil {
			t.Fatal(err)
		}
		if len(vms) != 4 {
			t.Fatalf("%d VMs", len(vms))
		}
		v := vms[0]
		if v.VmName != "ncesx3.nc.lab" || v.VmIdentifier != "d4a6a1d5-79e9-4308-990a-7c3e616f0908.vm-38" ||
			v.VpgName != "ExportStuff" || v.ActualRPO != Some[float64](7) || v.IOPs != Some[float64](2) || v.JournalUsedStorageMb != Some[float64](640) ||
			v.ProvisionedStorageInMB != Some[float64](77906) ||
			v.RecoveryHostIdentifier != "f45d81e4-4ff5-4376-a5c8-20ffe8d52431.host-15" || v.LastTest.Valid() {
			t.Errorf("%+v", v)
		}
		if v.JournalHardLimit == nil || *v.JournalHardLimit != (JournalLimit{LimitType: Some(LimitMegabytes), LimitValue: Some[float64](153600)}) {
			t.Errorf("JournalHardLimit = %+v", v.JournalHardLimit)
		}
		if v.JournalWarningThreshold == nil || *v.JournalWarningThreshold != (JournalLimit{Some(1), Some[float64](115200)}) {
			t.Errorf("JournalWarningThreshold = %+v", v.JournalWarningThreshold)
		}
	})
	t.Run("vras", func(t *testing.T) {
		vras, err := ReadAs[[]VRA](ctx, c, Request{Endpoint: EndpointVRAs})
		if err != nil {
			t.Fatal(err)
		}
		if len(vras) != 2 {
			t.Fatalf("%d VRAs", len(vras))
		}
		v := vras[0]
		if v.VraIdentifierStr != "5377857665828093654" || v.VraName != "Z-VRA-ncesx2.nc.lab" || v.Host() != "d4a6a1d5-79e9-4308-990a-7c3e616f0908.host-15" ||
			v.IP() != "192.168.10.15" || v.VraVersion != "7.0" || v.HostVersion != "6.7" || v.VraGroup != "default_group" ||
			v.MemoryInGB != Some[float64](1) || v.Status != Some(0) || v.VraAlerts == nil || v.ProtectedCounters == nil {
			t.Errorf("%+v", v)
		}
		if d := vras[1]; d.VraIdentifierStr != "5377857665828094938" || d.IP() != "192.168.10.110" {
			t.Errorf("DHCP VRA: %+v", d)
		}
	})
	t.Run("tasks", func(t *testing.T) {
		var raw []Task
		if err := json.Unmarshal(jsonArrayBytes(readSample(t, "official-docs-examples/zvm7.0-docs-v1-tasks-example.txt")), &raw); err == nil {
			t.Fatal("the tasks sample as printed decoded; the comma fix is stale")
		}
		tasks, err := ReadAs[[]Task](ctx, c, Request{Endpoint: EndpointTasks, Since: time.Time{}})
		if err != nil {
			t.Fatal(err)
		}
		if len(tasks) != 1 {
			t.Fatalf("%d tasks", len(tasks))
		}
		k := tasks[0]
		if k.Type != "FlrJournalUnmount" || k.TaskIdentifier != "0c66b743-01d3-42c5-844b-bf5d4283ddb1.6b5b30d6-c090-4233-8466-5fe18bf39a4c" ||
			k.Status == nil || k.Status.Progress != Some[float64](100) || k.Status.State != Some(6) {
			t.Errorf("%+v", k)
		}
		if !k.Started.Equal(time.UnixMilli(1520423876840)) || !k.Completed.Equal(time.UnixMilli(1520423877045)) {
			t.Errorf("Started %v, Completed %v", k.Started, k.Completed)
		}
		if k.Started.Location() != time.UTC {
			t.Errorf("Started not in UTC: %v", k.Started.Location())
		}
		if k.RelatedEntities == nil || len(k.RelatedEntities.Vpgs) != 1 || k.RelatedEntities.Vpgs[0].Identifier != "b797d92a-a65a-4e00-9410-1a3aff93480b" {
			t.Errorf("RelatedEntities = %+v", k.RelatedEntities)
		}
	})
	t.Run("docs vms example", func(t *testing.T) {
		var vms []VM
		if err := decodeBody(bytes.NewReader(readSample(t, "official-docs-examples/zvm7.0-docs-v1-vms-example.json")), 1<<20, jsonList[VM]{&vms}); err != nil {
			t.Fatal(err)
		}
		if len(vms) != 1 || vms[0].ActualRPO != Some[float64](4) || vms[0].ThroughputInMB != Some[float64](9) ||
			vms[0].JournalHardLimit == nil || vms[0].JournalHardLimit.LimitValue != Some[float64](153600) || vms[0].ProvisionedStorageInMB != Some[float64](11938) {
			t.Errorf("%+v", vms)
		}
	})
}

// The malformed samples (as printed in the docs) fail with an error naming the endpoint, never a
// panic or a partial success.
func TestMalformedSamples(t *testing.T) {
	for ep, name := range map[Endpoint]string{
		EndpointDatastores: "official-docs-examples/zvm7.0-docs-v1-datastores-example-partial.txt",
		EndpointPeerSites:  "official-docs-examples/zvm6.0-docs-v1-peersites-example-partial.txt",
		EndpointLocalSite:  "official-docs-examples/zvm6.0-docs-v1-localsite-example.txt",
		EndpointTasks:      "official-docs-examples/zvm7.0-docs-v1-tasks-example.txt",
	} {
		f := newFake(t, AuthKeycloak)
		f.setBody(ep, string(readSample(t, name)))
		c := newTestClient(t, f, nil)
		var err error
		switch ep {
		case EndpointDatastores:
			_, err = ReadAs[[]Datastore](testCtx(t), c, Request{Endpoint: EndpointDatastores})
		case EndpointPeerSites:
			_, err = ReadAs[[]PeerSite](testCtx(t), c, Request{Endpoint: EndpointPeerSites})
		case EndpointLocalSite:
			_, err = ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite})
		case EndpointTasks:
			_, err = ReadAs[[]Task](testCtx(t), c, Request{Endpoint: EndpointTasks, Since: time.Time{}})
		}
		if err == nil || !bytes.HasPrefix([]byte(err.Error()), []byte("GET "+string(ep)+": ")) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// Go's decoder matches field names case-insensitively, which the hand-made ZAW mock exercises.
func TestCaseInsensitiveFields(t *testing.T) {
	var vms []VM
	if err := decodeBody(bytes.NewReader(readSample(t, "zertoapiwrapper-mocks/Private-ProtectedVMs.json")), 1<<20, jsonList[VM]{&vms}); err != nil {
		t.Fatal(err)
	}
	if len(vms) != 3 || vms[0].VmName != "ExchangeMailbox" || vms[0].VmIdentifier != "vmid.12" {
		t.Errorf("%+v", vms)
	}
}

func jsonArrayBytes(b []byte) []byte { return []byte(jsonArray(b)) }
