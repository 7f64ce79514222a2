package collector

import (
	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "encryption",
		defaultOn: true,
		help:      "Zerto 10 encryption (ransomware) detection: suspected VPGs and VMs, encrypted writes, detection on or off, from /v1/encryptionDetection (absent on Windows ZVMs and before 10.0)",
		owns: []zvm.Endpoint{zvm.EndpointEncryptionState, zvm.EndpointSuspectedVPGs, zvm.EndpointSuspectedVMs,
			zvm.EndpointEncryptionMetricsVPG},
		borrows: []zvm.Endpoint{zvm.EndpointVPGs},
		build:   newEncryptionCollector,
		notes: map[string]string{
			"zerto_encryption_detection_enabled": "1 when on, 0 when off. Absent when the ZVM has no such endpoint " +
				"(404: before 10.0, Windows ZVMs, or after its deprecation in favour of the site settings API).",
			"zerto_vpg_encryption_suspected": "1 for the VPGs the endpoint lists (Link.identifier, Link.name), 0 for the other VPGs of /v1/vpgs; " +
				"only the suspected ones appear when /v1/vpgs failed.",
			"zerto_vpg_encryption_suspicion_level": encryptionLevelNote,
			"zerto_vm_encryption_suspected": "1 for each suspected VM (Link.identifier, Link.name), per VPG it belongs to (AssociatedVpgs[].Name); " +
				"vpg is empty when none is listed. Absent for VMs not suspected.",
			"zerto_vpg_encrypted_data_bytes": encryptionBlockNote + " The API does not say whether the value is cumulative, so it is a gauge: " +
				"compare it with zerto_vpg_unencrypted_data_bytes rather than taking rate().",
			"zerto_vpg_unencrypted_data_bytes": encryptionBlockNote + " A gauge, as zerto_vpg_encrypted_data_bytes.",
			"zerto_vpg_encryption_trend_level": "The change in the VPG's share of encrypted writes. " + encryptionLevelNote,
		},
	})
}

var encryptionLevels = zvm.StateSet(zvm.EncryptionLevels)

// The notes of the encryption metrics that several share.
const (
	encryptionLevelNote = "The API gives the levels as numbers without names: the level label is the number as sent, Unknown outside 0-3 or when null."
	encryptionBlockNote = "×512: 512-byte logical blocks, inferred."
)

// logicalBlock is the size of the logical blocks in which Zerto counts encrypted and unencrypted
// data (EncryptedDataInLBs on ZVM 9.5-9.7; 10.x's EncryptedData keeps the unit, which its spec
// does not name).
const logicalBlock = 512

type encryptionCollector struct {
	logger log.Logger

	enabled, suspected, suspicionLevel, vmSuspected *prometheus.Desc
	encrypted, unencrypted, trend                   *prometheus.Desc
}

func newEncryptionCollector(cfg Config) Collector {
	id := []string{"vpg", "vpg_id"}
	return &encryptionCollector{
		logger: cfg.Logger,
		enabled: desc("encryption_detection", "enabled",
			"Whether the ZVM's encryption detection is on, from /v1/encryptionDetection/state EncryptionDetectionEnabled.",
		),
		suspected: desc("vpg", "encryption_suspected",
			"Whether the ZVM suspects an encryption (ransomware) event on the VPG, from /v1/encryptionDetection/suspected/vpgs.",
			id...),
		suspicionLevel: desc("vpg", "encryption_suspicion_level",
			"Suspicion level of a suspected VPG, from /v1/encryptionDetection/suspected/vpgs SuspicionLevel.",
			"vpg", "vpg_id", "level"),
		vmSuspected: desc("vm", "encryption_suspected",
			"A VM the ZVM suspects of an encryption event, from /v1/encryptionDetection/suspected/vms.",
			"vm", "vm_id", "vpg"),
		encrypted: desc("vpg", "encrypted_data_bytes",
			"Data written to the VPG that looked encrypted, from /v1/encryptionDetection/metrics/vpgs EncryptionMetrics.EncryptedData.",
			id...),
		unencrypted: desc("vpg", "unencrypted_data_bytes",
			"Data written to the VPG that did not look encrypted, from /v1/encryptionDetection/metrics/vpgs EncryptionMetrics.NonEncryptedData.",
			id...),
		trend: desc("vpg", "encryption_trend_level",
			"Trend of the VPG's encrypted writes, from /v1/encryptionDetection/metrics/vpgs EncryptionMetrics.TrendChangeLevel.",
			"vpg", "vpg_id", "level"),
	}
}

// levelName names a SuspicionLevel or TrendChangeLevel code; null is Unknown.
func levelName(code *int) string {
	if code == nil {
		return zvm.Unknown
	}
	return zvm.EnumName(zvm.EncryptionLevels, *code)
}

func (c *encryptionCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	if st := s.EncryptionState; s.OK(zvm.EndpointEncryptionState) && st != nil && st.EncryptionDetectionEnabled != nil {
		gauge(ch, c.enabled, boolValue(*st.EncryptionDetectionEnabled))
	}
	if s.OK(zvm.EndpointSuspectedVPGs) {
		c.suspectedVPGs(s, ch)
	}
	seen := map[[2]string]bool{}
	for i := range s.SuspectedVMs {
		vm := &s.SuspectedVMs[i]
		if vm.Link == nil || vm.Link.Identifier == "" {
			level.Debug(c.logger).Log("msg", "skipping suspected VM without a link identifier")
			continue
		}
		vpgs := vm.AssociatedVpgs
		if len(vpgs) == 0 {
			vpgs = []zvm.NamedRef{{}}
		}
		for _, p := range vpgs {
			if k := [2]string{vm.Link.Identifier, p.Name}; !seen[k] {
				seen[k] = true
				gauge(ch, c.vmSuspected, 1, vm.Link.Name, vm.Link.Identifier, p.Name)
			}
		}
	}
	seenMetrics := map[string]bool{}
	for i := range s.EncryptionMetrics {
		m := &s.EncryptionMetrics[i]
		if m.Link == nil || m.Link.Identifier == "" || seenMetrics[m.Link.Identifier] {
			level.Debug(c.logger).Log("msg", "skipping encryption metrics without a link identifier, or listed twice")
			continue
		}
		seenMetrics[m.Link.Identifier] = true
		em := m.EncryptionMetrics
		if em == nil {
			continue
		}
		if em.EncryptedData != nil {
			gauge(ch, c.encrypted, float64(*em.EncryptedData)*logicalBlock, m.Link.Name, m.Link.Identifier)
		}
		if em.NonEncryptedData != nil {
			gauge(ch, c.unencrypted, float64(*em.NonEncryptedData)*logicalBlock, m.Link.Name, m.Link.Identifier)
		}
		stateSet(ch, c.trend, encryptionLevels, levelName(em.TrendChangeLevel), m.Link.Name, m.Link.Identifier)
	}
	return nil
}

// suspectedVPGs emits the suspected VPGs with 1 and their levels, and the other VPGs of /v1/vpgs
// with 0.
func (c *encryptionCollector) suspectedVPGs(s *snapshot.Snapshot, ch chan<- prometheus.Metric) {
	suspected := make(map[string]bool, len(s.SuspectedVPGs))
	for i := range s.SuspectedVPGs {
		v := &s.SuspectedVPGs[i]
		if v.Link == nil || v.Link.Identifier == "" || suspected[v.Link.Identifier] {
			level.Debug(c.logger).Log("msg", "skipping suspected VPG without a link identifier, or listed twice")
			continue
		}
		suspected[v.Link.Identifier] = true
		gauge(ch, c.suspected, 1, v.Link.Name, v.Link.Identifier)
		stateSet(ch, c.suspicionLevel, encryptionLevels, levelName(v.SuspicionLevel), v.Link.Name, v.Link.Identifier)
	}
	if !s.OK(zvm.EndpointVPGs) {
		return
	}
	for i := range s.VPGs {
		v := &s.VPGs[i]
		if v.VpgIdentifier == "" || suspected[v.VpgIdentifier] {
			continue
		}
		suspected[v.VpgIdentifier] = true
		gauge(ch, c.suspected, 0, v.VpgName, v.VpgIdentifier)
	}
}
