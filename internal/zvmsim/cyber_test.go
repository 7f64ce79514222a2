package zvmsim

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

var cyberPaths = []string{
	"/v1/encryptionDetection/state", "/v1/encryptionDetection/suspected/vpgs", "/v1/encryptionDetection/suspected/vms",
	"/v1/encryptionDetection/metrics/vpgs", "/v1/ltr/health/vpgs", "/v1/ltr/repositories",
}

func TestEncryptionDetection(t *testing.T) {
	h := newHarness(t, Options{})
	if v := h.object(sim.Protected, "/v1/encryptionDetection/state"); v["EncryptionDetectionEnabled"] != true {
		t.Errorf("state %v", v)
	}
	vpgs := h.list(sim.Protected, "/v1/vpgs")
	for _, role := range []sim.Role{sim.Protected, sim.Recovery} {
		if n := len(h.list(role, "/v1/encryptionDetection/suspected/vpgs")) + len(h.list(role, "/v1/encryptionDetection/suspected/vms")); n != 0 {
			t.Errorf("%s: %d suspicions on a healthy site", role, n)
		}
		metrics := h.list(role, "/v1/encryptionDetection/metrics/vpgs")
		if len(metrics) != len(vpgs) {
			t.Fatalf("%s: metrics for %d VPGs, want %d", role, len(metrics), len(vpgs))
		}
		for i, m := range metrics {
			if strField(t, m, "Link", "identifier") != strField(t, vpgs[i], "VpgIdentifier") || strField(t, m, "Link", "name") != strField(t, vpgs[i], "VpgName") {
				t.Errorf("%s: metrics link %v, VPG %v", role, m["Link"], vpgs[i]["VpgName"])
			}
			enc, plain := intField(t, m, "EncryptionMetrics", "EncryptedData"), intField(t, m, "EncryptionMetrics", "NonEncryptedData")
			if intField(t, m, "EncryptionMetrics", "TrendChangeLevel") != 0 || enc < 0 || plain < 0 || enc > (enc+plain)/20 {
				t.Errorf("%s: healthy %v has metrics %v", role, vpgs[i]["VpgName"], m["EncryptionMetrics"])
			}
		}
	}

	crm := vpgView(h, sim.Protected, "CRM")
	id := h.inject(sim.Protected, `{"kind":"encryption_suspected","vpg":"crm","level":"2"}`)
	for _, role := range []sim.Role{sim.Protected, sim.Recovery} {
		sus := h.list(role, "/v1/encryptionDetection/suspected/vpgs")
		if len(sus) != 1 || strField(t, sus[0], "Link", "identifier") != strField(t, crm, "VpgIdentifier") ||
			strField(t, sus[0], "Link", "name") != "CRM" || intField(t, sus[0], "SuspicionLevel") != 2 {
			t.Errorf("%s: suspected VPGs %v", role, sus)
		}
		vms := h.list(role, "/v1/encryptionDetection/suspected/vms")
		if want := intField(t, crm, "VmsCount"); int64(len(vms)) != want {
			t.Errorf("%s: %d suspected VMs, want the %d of CRM", role, len(vms), want)
		}
		for _, vm := range vms {
			assoc := field(t, vm, "AssociatedVpgs").([]any)
			if intField(t, vm, "SuspicionLevel") != 2 || len(assoc) != 1 || assoc[0].(map[string]any)["Name"] != "CRM" ||
				!strings.HasPrefix(strField(t, vm, "Link", "name"), "crm-") {
				t.Errorf("%s: suspected VM %v", role, vm)
			}
		}
		m := byName(t, metricsLinks(t, h.list(role, "/v1/encryptionDetection/metrics/vpgs")), "Name")["CRM"]
		enc, plain := intField(t, m, "EncryptionMetrics", "EncryptedData"), intField(t, m, "EncryptionMetrics", "NonEncryptedData")
		if intField(t, m, "EncryptionMetrics", "TrendChangeLevel") != 2 || enc <= plain {
			t.Errorf("%s: suspected CRM metrics %v", role, m["EncryptionMetrics"])
		}
	}
	if resp, _ := h.do(sim.Protected, http.MethodDelete, "/_sim/faults/"+id, nil, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("delete: %s", resp.Status)
	}
	if n := len(h.list(sim.Protected, "/v1/encryptionDetection/suspected/vpgs")); n != 0 {
		t.Errorf("%d suspicions after clearing", n)
	}
}

// metricsLinks lifts each metrics/vpgs element's Link.name to "Name", for byName.
func metricsLinks(t *testing.T, list []map[string]any) []map[string]any {
	for _, m := range list {
		m["Name"] = strField(t, m, "Link", "name")
	}
	return list
}

func TestExtendedJournalCopy(t *testing.T) {
	h := newHarness(t, Options{})
	vpgs := byName(t, h.list(sim.Protected, "/v1/vpgs"), "VpgName")
	health := field(t, h.object(sim.Recovery, "/v1/ltr/health/vpgs"), "Vpgs").([]any)
	if len(health) == 0 {
		t.Fatal("no VPG has Extended Journal Copy")
	}
	var target string
	for _, e := range health {
		v := e.(map[string]any)
		name := strField(t, v, "VpgName")
		if vpgs[name] == nil || strField(t, v, "VpgId") != strField(t, vpgs[name], "VpgIdentifier") {
			t.Errorf("EJC VPG %s %s is not a VPG of /v1/vpgs", name, v["VpgId"])
		}
		run, ok := parseISO(t, strField(t, v, "DateOfLastRun")), parseISO(t, strField(t, v, "TimeOfLastSuccessfulRun"))
		if intField(t, v, "LtrVpgStatus") != sim.LTRStatusHealthy || !run.Equal(ok) || run.After(h.clock.Now()) ||
			intField(t, v, "SuccessRate", "ExpectedRetentionSets") != intField(t, v, "SuccessRate", "ActualSuccessfulRetentionSets") ||
			intField(t, v, "AlertTips", "TotalNumberOfErrors") != 0 {
			t.Errorf("healthy EJC VPG %v", v)
		}
		target = name
	}

	h.inject(sim.Protected, fmt.Sprintf(`{"kind":"ejc_failure","vpg":%q}`, target))
	h.inject(sim.Protected, `{"kind":"repository_full","repository":"ejc-nas-smb","percent":97}`)
	h.clock.Advance(time.Minute)
	for _, e := range field(t, h.object(sim.Protected, "/v1/ltr/health/vpgs"), "Vpgs").([]any) {
		v := e.(map[string]any)
		if strField(t, v, "VpgName") != target {
			continue
		}
		run, ok := parseISO(t, strField(t, v, "DateOfLastRun")), parseISO(t, strField(t, v, "TimeOfLastSuccessfulRun"))
		if intField(t, v, "LtrVpgStatus") != sim.LTRStatusFailed || !run.After(ok) || intField(t, v, "AlertStatus") != sim.AlertError ||
			intField(t, v, "SuccessRate", "ActualSuccessfulRetentionSets") != sim.EJCRetentionSets-1 ||
			intField(t, v, "AlertTips", "TotalNumberOfErrors") != 1 {
			t.Errorf("failed EJC VPG %v", v)
		}
	}
	repos := byName(t, h.list(sim.Protected, "/v1/ltr/repositories"), "RepositoryName")
	smb := repos["ejc-nas-smb"]
	if intField(t, smb, "TotalCapacityGB") != 20480 || intField(t, smb, "UsedCapacityGB") != 19866 || intField(t, smb, "FreeCapacityGB") != 20480-19866 {
		t.Errorf("full repository %v", smb)
	}
	if strField(t, repos["ejc-minio-immutable"], "S3-Compatible", "S3SecretKey") != sim.SimS3SecretKey ||
		field(t, repos["ejc-minio-immutable"], "S3-Compatible", "IsImmutable") != true || repos["ejc-azure-archive"]["TotalCapacityGB"] != nil {
		t.Errorf("repositories %v", repos)
	}
	h.clear(sim.Protected)
	smb = byName(t, h.list(sim.Protected, "/v1/ltr/repositories"), "RepositoryName")["ejc-nas-smb"]
	if used := intField(t, smb, "UsedCapacityGB"); used > 20480*62/100 {
		t.Errorf("repository still full after clearing: %d GB used", used)
	}
}

func TestCyberFaultValidation(t *testing.T) {
	h := newHarness(t, Options{})
	noEJC := h.sim.model.Vpgs[1].Name
	for body, want := range map[string]string{
		`{"kind":"encryption_suspected"}`:                                          "needs a vpg",
		`{"kind":"encryption_suspected","vpg":"CRM","level":"9"}`:                  "not a suspicion level",
		`{"kind":"encryption_suspected","vpg":"CRM","level":2}`:                    "bad field",
		`{"kind":"encryption_suspected","vpg":"Nope"}`:                             "unknown VPG",
		`{"kind":"ejc_failure","vpg":"` + noEJC + `"}`:                             "has no Extended Journal Copy",
		`{"kind":"repository_full","repository":"tape","percent":90}`:              "unknown repository",
		`{"kind":"repository_full","repository":"ejc-azure-archive","percent":90}`: "reports no capacity",
		`{"kind":"repository_full","repository":"ejc-nas-smb","percent":120}`:      "outside",
	} {
		resp, b := h.do(sim.Protected, http.MethodPost, "/_sim/faults", strings.NewReader(body), nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), want) {
			t.Errorf("%s: %s %s, want 400 mentioning %q", body, resp.Status, b, want)
		}
	}
}

func TestCyberEndpointsWindows(t *testing.T) {
	h := newHarness(t, Options{Flavour: FlavourWindows})
	for _, p := range cyberPaths {
		if resp, _ := h.get(sim.Protected, p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("Windows %s: %s, want 404", p, resp.Status)
		}
	}
	resp, b := h.do(sim.Protected, http.MethodPost, "/_sim/faults", strings.NewReader(`{"kind":"encryption_suspected","vpg":"CRM"}`), nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "Windows ZVM has no") {
		t.Errorf("encryption_suspected on Windows: %s %s", resp.Status, b)
	}
}

func TestRunIncidentsEncryption(t *testing.T) {
	zs, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	testutil.Background(t, func(ctx context.Context) { zs.RunIncidents(ctx, time.Millisecond, 20*time.Millisecond) })
	suspected := func() bool {
		for _, f := range zs.State().Faults {
			if f.Fault.Kind == sim.KindEncryptionSuspected {
				return true
			}
		}
		return false
	}
	testutil.Eventually(t, 5*time.Second, suspected, "no encryption suspicion among the incidents within 5 s")
	testutil.Eventually(t, 5*time.Second, func() bool { return !suspected() }, "the encryption suspicion did not clear")
}
