package collector

import (
	"slices"
	"strings"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "vpg",
		defaultOn: true,
		help:      "VPG status, RPO, journal history, throughput and storage, from /v1/vpgs",
		owns:      []zvm.Endpoint{zvm.EndpointVPGs},
		borrows:   []zvm.Endpoint{zvm.EndpointPeerSites, zvm.EndpointServiceProfiles},
		build:     newVPGCollector,
		notes: map[string]string{
			"zerto_vpg_info": "protected_site/recovery_site from ProtectedSiteName/RecoverySiteName, else SourceSite/TargetSite, " +
				"else the site links resolved against /v1/localsite and /v1/peersites. " +
				"site_role is \"protected\" when the scraped ZVM's local site protects the VPG, else \"recovery\". " +
				"priority from Priority, zorg from OrganizationName, service_profile from ServiceProfileName.",
			"zerto_vpg_status":         "Absent when Status is null.",
			"zerto_vpg_substatus_info": "One series, always 1; Unknown for codes outside the known list. Absent when SubStatus is null.",
			"zerto_vpg_actual_rpo_seconds": "The age of the newest checkpoint at the recovery site, in seconds. " +
				"Absent while the ZVM has not calculated it (-1 or null).",
			"zerto_vpg_rpo_target_seconds":      "The exporter's SLA override applies when an sla rule matches the VPG name; the service profile's Rpo is a TimeSpan.",
			"zerto_vpg_zvm_rpo_target_seconds":  "Ignores the exporter's SLA configuration. Absent when 0 or less.",
			"zerto_vpg_rto_target_seconds":      "The ZVM has no RTO target. Absent when none is configured for the VPG.",
			"zerto_vpg_test_interval_seconds":   "The service profile's TestInterval is a TimeSpan. Absent when neither sets one.",
			"zerto_vpg_journal_history_seconds": "×60 (minutes). Absent when HistoryStatusApi is null.",
			"zerto_vpg_journal_history_target_seconds": "The service profile's History is a TimeSpan; ConfiguredHistoryInMinutes ×60. " +
				"Absent when HistoryStatusApi is null.",
			"zerto_vpg_throughput_bytes_per_second":           "×1048576 (MiB/s).",
			"zerto_vpg_storage_provisioned_bytes":             "×1048576 (MiB).",
			"zerto_vpg_storage_used_bytes":                    "×1048576 (MiB).",
			"zerto_vpg_last_test_timestamp_seconds":           "Absent when never tested (null).",
			"zerto_vpg_failover_test_running":                 "1 while RunningFailOverTestApi is not null, else 0.",
			"zerto_vpg_earliest_checkpoint_timestamp_seconds": "The furthest back the VPG can be recovered to. Absent when the ZVM sends no earliest checkpoint.",
			"zerto_vpg_failsafe_history_seconds":              "×60 (minutes). " + vpgFailSafeAbsent,
			"zerto_vpg_failsafe_history_target_seconds":       "×60 (minutes). " + vpgFailSafeAbsent,
			"zerto_vpg_sync_progress_ratio":                   "Initial, delta or full sync. ProgressPercentage ÷100.",
			"zerto_sla_rule_vpgs": "rule is the rule's place in --config.file, match its anchored pattern. " +
				"0 for a rule that matches no VPG of this ZVM, e.g. a pattern with a typo. Absent without sla rules.",
		},
	})
}

var alertStates = zvm.StateSet(zvm.AlertStatuses)

// vpgFailSafeAbsent says when the fail-safe history metrics are absent.
const vpgFailSafeAbsent = "Absent when fail-safe history is not configured (FailSafeHistory null or ConfiguredFailSafeHistory 0)."

// Values of the site_role label.
const (
	roleProtected = "protected"
	roleRecovery  = "recovery"
)

type vpgCollector struct {
	logger log.Logger
	sla    SLAResolver

	info, status, substatus                  *prometheus.Desc
	actualRPO, rpoTarget, rtoTarget, zvmRPO  *prometheus.Desc
	testInterval                             *prometheus.Desc
	history, historyTarget                   *prometheus.Desc
	throughput, iops, provisioned, used, vms *prometheus.Desc
	lastTest, testRunning                    *prometheus.Desc
	slaRuleVPGs                              *prometheus.Desc
	earliestCheckpoint, alertStatus          *prometheus.Desc
	failSafe, failSafeTarget, syncProgress   *prometheus.Desc
}

func newVPGCollector(cfg Config) Collector {
	id := []string{"vpg", "vpg_id"}
	return &vpgCollector{
		logger: cfg.Logger,
		sla:    cfg.SLA,
		info: desc("vpg", "info",
			"A VPG, from /v1/vpgs VpgName, VpgIdentifier, ProtectedSiteName, RecoverySiteName, Priority, OrganizationName and ServiceProfileName.",
			"vpg", "vpg_id", "protected_site", "recovery_site", "site_role", "priority", "zorg", "service_profile"),
		status: desc("vpg", "status",
			"VPG status, from /v1/vpgs Status.",
			"vpg", "vpg_id", "status"),
		substatus: desc("vpg", "substatus_info",
			"Current VPG sub-status, from /v1/vpgs SubStatus.",
			"vpg", "vpg_id", "substatus"),
		actualRPO: desc("vpg", "actual_rpo_seconds",
			"Actual RPO of the VPG, from /v1/vpgs ActualRPO.",
			id...),
		rpoTarget: desc("vpg", "rpo_target_seconds",
			"RPO target of the VPG, from the exporter's sla[].rpo_target (else /v1/serviceprofiles Rpo, else /v1/vpgs ConfiguredRpoSeconds).",
			id...),
		zvmRPO: desc("vpg", "zvm_rpo_target_seconds",
			"RPO target configured in Zerto for the VPG, from /v1/vpgs ConfiguredRpoSeconds.",
			id...),
		rtoTarget: desc("vpg", "rto_target_seconds",
			"RTO target of the VPG, from the exporter's sla[].rto_target for the /v1/vpgs VpgName.",
			id...),
		testInterval: desc("vpg", "test_interval_seconds",
			"Required interval between failover tests of the VPG, from the exporter's sla[].test_interval (else /v1/serviceprofiles TestInterval).",
			id...),
		history: desc("vpg", "journal_history_seconds",
			"Journal history currently available for the VPG, from /v1/vpgs HistoryStatusApi.ActualHistoryInMinutes.",
			id...),
		historyTarget: desc("vpg", "journal_history_target_seconds",
			"Journal history target of the VPG, from /v1/serviceprofiles History (else /v1/vpgs HistoryStatusApi.ConfiguredHistoryInMinutes).",
			id...),
		throughput: desc("vpg", "throughput_bytes_per_second",
			"Replication throughput of the VPG, from /v1/vpgs ThroughputInMB.",
			id...),
		iops: desc("vpg", "iops",
			"Write IO operations per second of the VPG's VMs, from /v1/vpgs IOPs.",
			id...),
		provisioned: desc("vpg", "storage_provisioned_bytes",
			"Storage provisioned for the VPG at the recovery site, from /v1/vpgs ProvisionedStorageInMB.",
			id...),
		used: desc("vpg", "storage_used_bytes",
			"Storage used by the VPG at the recovery site, from /v1/vpgs UsedStorageInMB.",
			id...),
		vms: desc("vpg", "vms",
			"Number of VMs in the VPG, from /v1/vpgs VmsCount.",
			id...),
		lastTest: desc("vpg", "last_test_timestamp_seconds",
			"Time of the VPG's last failover test, from /v1/vpgs LastTest.",
			id...),
		testRunning: desc("vpg", "failover_test_running",
			"Whether a failover test of the VPG runs, from /v1/vpgs ActiveProcessesApi.RunningFailOverTestApi.",
			id...),
		earliestCheckpoint: desc("vpg", "earliest_checkpoint_timestamp_seconds",
			"Time of the oldest checkpoint in the VPG's journal, from /v1/vpgs HistoryStatusApi.EarliestCheckpoint.TimeStamp.",
			id...),
		failSafe: desc("vpg", "failsafe_history_seconds",
			"Fail-safe history currently available for the VPG, from /v1/vpgs FailSafeHistory.ActualFailSafeHistory.",
			id...),
		failSafeTarget: desc("vpg", "failsafe_history_target_seconds",
			"Fail-safe history configured for the VPG, from /v1/vpgs FailSafeHistory.ConfiguredFailSafeHistory.",
			id...),
		alertStatus: desc("vpg", "alert_status",
			"Alert status of the VPG, from /v1/vpgs AlertStatus.",
			"vpg", "vpg_id", "status"),
		syncProgress: desc("vpg", "sync_progress_ratio",
			"Progress of the VPG's current synchronisation, from /v1/vpgs ProgressPercentage.",
			id...),
		slaRuleVPGs: desc("sla", "rule_vpgs",
			"VPGs whose /v1/vpgs VpgName the exporter's sla rule is the first to match.",
			"rule", "match"),
	}
}

func (c *vpgCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	vpgStates := s.Enums.States(zvm.FieldVPGStatus)
	sites := siteNamesByID(s)
	profiles := serviceProfiles(s)
	seen := make(map[string]bool, len(s.VPGs))
	matched := map[string]float64{} // VPGs per SLA rule
	slaRules := c.sla
	if h, ok := slaRules.(SLAHolder); ok {
		slaRules = h.Current()
	}
	kept := make([]*zvm.VPG, 0, len(s.VPGs))
	for i := range s.VPGs {
		v := &s.VPGs[i]
		if seen[v.VpgIdentifier] {
			level.Debug(c.logger).Log("msg", "skipping duplicate VPG row", "vpg", v.VpgName, "vpg_id", v.VpgIdentifier)
			continue
		}
		seen[v.VpgIdentifier] = true
		kept = append(kept, v)
	}
	// In the order of the series labelled vpg, vpg_id (most of this collector's), so that those
	// families arrive sorted and internal/fastexpo only checks them (sortVMRows).
	slices.SortStableFunc(kept, func(a, b *zvm.VPG) int {
		if c := strings.Compare(a.VpgName, b.VpgName); c != 0 {
			return c
		}
		return strings.Compare(a.VpgIdentifier, b.VpgIdentifier)
	})
	for _, v := range kept {
		name, id := v.VpgName, v.VpgIdentifier

		protected, recovery := vpgSites(v, sites)
		gauge(ch, c.info, 1, name, id, protected, recovery, vpgRole(v, s.LocalSite, protected),
			priority(v.Priority), v.OrganizationName, v.ServiceProfileName)
		if v.Status.Valid {
			stateSet(ch, c.status, vpgStates, s.Enums.Name(zvm.FieldVPGStatus, v.Status.V), name, id)
		}
		if v.SubStatus.Valid {
			gauge(ch, c.substatus, 1, name, id, s.Enums.Name(zvm.FieldVPGSubStatus, v.SubStatus.V))
		}
		if v.AlertStatus.Valid {
			stateSet(ch, c.alertStatus, alertStates, zvm.EnumName(zvm.AlertStatuses, v.AlertStatus.V), name, id)
		}
		gaugeOf(ch, c.syncProgress, v.ProgressPercentage, 0.01, name, id)
		if rpo, ok := v.ActualRPO.Value(); ok && rpo >= 0 {
			gauge(ch, c.actualRPO, rpo, name, id)
		}
		var sla SLATargets
		if slaRules != nil {
			sla = slaRules.Targets(name)
			matched[sla.Rule]++
		}
		zvmRPO, ok := v.ConfiguredRpoSeconds.Value()
		zvmRPOSet := ok && zvmRPO > 0
		if zvmRPOSet {
			gauge(ch, c.zvmRPO, zvmRPO, name, id)
		}
		profile := profiles.of(v)
		switch {
		case sla.RPO > 0:
			gauge(ch, c.rpoTarget, sla.RPO.Seconds(), name, id)
		case profile.Rpo.Set && profile.Rpo.Duration > 0:
			gauge(ch, c.rpoTarget, profile.Rpo.Seconds(), name, id)
		case zvmRPOSet:
			gauge(ch, c.rpoTarget, zvmRPO, name, id)
		}
		if sla.RTO > 0 {
			gauge(ch, c.rtoTarget, sla.RTO.Seconds(), name, id)
		}
		switch {
		case sla.TestInterval > 0:
			gauge(ch, c.testInterval, sla.TestInterval.Seconds(), name, id)
		case profile.TestInterval.Set && profile.TestInterval.Duration > 0:
			gauge(ch, c.testInterval, profile.TestInterval.Seconds(), name, id)
		}
		if h := v.HistoryStatusApi; h != nil {
			gaugeOf(ch, c.history, h.ActualHistoryInMinutes, 60, name, id)
			if profile.History.Set && profile.History.Duration > 0 {
				gauge(ch, c.historyTarget, profile.History.Seconds(), name, id)
			} else {
				gaugeOf(ch, c.historyTarget, h.ConfiguredHistoryInMinutes, 60, name, id)
			}
			if cp := h.EarliestCheckpoint; cp != nil && cp.TimeStamp.Valid() {
				gauge(ch, c.earliestCheckpoint, unixSeconds(cp.TimeStamp), name, id)
			}
		}
		if f := v.FailSafeHistory; f != nil && f.ConfiguredFailSafeHistory.Valid && f.ConfiguredFailSafeHistory.V > 0 {
			gaugeOf(ch, c.failSafe, f.ActualFailSafeHistory, 60, name, id)
			gaugeOf(ch, c.failSafeTarget, f.ConfiguredFailSafeHistory, 60, name, id)
		}
		gaugeOf(ch, c.throughput, v.ThroughputInMB, zvm.MiB, name, id)
		gaugeOf(ch, c.iops, v.IOPs, 1, name, id)
		gaugeOf(ch, c.provisioned, v.ProvisionedStorageInMB, zvm.MiB, name, id)
		gaugeOf(ch, c.used, v.UsedStorageInMB, zvm.MiB, name, id)
		gaugeOf(ch, c.vms, v.VmsCount, 1, name, id)
		if v.LastTest.Valid() {
			gauge(ch, c.lastTest, unixSeconds(v.LastTest), name, id)
		} else if v.LastTest.Raw != "" {
			level.Debug(c.logger).Log("msg", "unparseable LastTest", "vpg", name, "value", v.LastTest.Raw)
		}
		running := 0.0
		if v.ActiveProcessesApi != nil && v.ActiveProcessesApi.RunningFailOverTestApi != nil {
			running = 1
		}
		gauge(ch, c.testRunning, running, name, id)
	}
	if slaRules != nil {
		for _, r := range slaRules.Rules() {
			gauge(ch, c.slaRuleVPGs, matched[r.Name], r.Name, r.Match)
		}
	}
	return nil
}

// profileIndex finds the service profile of a VPG among those /v1/serviceprofiles listed in the
// refresh.
type profileIndex struct {
	byID, byName map[string]*zvm.ServiceProfile
}

// noProfile is the profile of a VPG that has none, or whose profile is unknown: no targets set.
var noProfile = &zvm.ServiceProfile{}

// serviceProfiles indexes the refresh's service profiles; it is empty when /v1/serviceprofiles
// was not read. A name two profiles share identifies neither.
func serviceProfiles(s *snapshot.Snapshot) profileIndex {
	idx := profileIndex{byID: map[string]*zvm.ServiceProfile{}, byName: map[string]*zvm.ServiceProfile{}}
	if !s.OK(zvm.EndpointServiceProfiles) {
		return idx
	}
	for i := range s.ServiceProfiles {
		p := &s.ServiceProfiles[i]
		if id := p.ID(); id != "" {
			idx.byID[id] = p
		}
		if p.ServiceProfileName == "" {
			continue
		}
		if _, dup := idx.byName[p.ServiceProfileName]; dup {
			idx.byName[p.ServiceProfileName] = noProfile
		} else {
			idx.byName[p.ServiceProfileName] = p
		}
	}
	return idx
}

// of returns v's service profile: by the ServiceProfile link's identifier, else by
// ServiceProfileIdentifier, else by ServiceProfileName; noProfile when none matches.
func (idx profileIndex) of(v *zvm.VPG) *zvm.ServiceProfile {
	if v.ServiceProfile != nil {
		if p, ok := idx.byID[v.ServiceProfile.Identifier]; ok {
			return p
		}
	}
	if p, ok := idx.byID[v.ServiceProfileIdentifier]; ok && v.ServiceProfileIdentifier != "" {
		return p
	}
	if p, ok := idx.byName[v.ServiceProfileName]; ok && v.ServiceProfileName != "" {
		return p
	}
	return noProfile
}

// priority is the priority label of a VPG: Zerto's name, Unknown for a code outside the table, ""
// when the ZVM sent none.
func priority(p zvm.Null[int]) string {
	if !p.Valid {
		return ""
	}
	return zvm.EnumName(zvm.VPGPriorities, p.V)
}

// siteNamesByID maps site identifiers to names: the local site always, the peer sites when
// /v1/peersites was read in this refresh.
func siteNamesByID(s *snapshot.Snapshot) map[string]string {
	m := map[string]string{}
	if s.LocalSite != nil && s.LocalSite.ID() != "" {
		m[s.LocalSite.ID()] = s.LocalSite.SiteName
	}
	if s.OK(zvm.EndpointPeerSites) {
		for _, p := range s.PeerSites {
			if p.SiteIdentifier != "" {
				m[p.SiteIdentifier] = p.PeerSiteName
			}
		}
	}
	return m
}

// vpgSites returns the names of a VPG's protected and recovery sites: the 10.x name fields, else
// the 7.x–9.x SourceSite/TargetSite, else the site links resolved by identifier ("" if unknown).
func vpgSites(v *zvm.VPG, byID map[string]string) (protected, recovery string) {
	pick := func(name10, name9 string, link *zvm.Link) string {
		switch {
		case name10 != "":
			return name10
		case name9 != "":
			return name9
		case link != nil:
			return byID[link.Identifier]
		}
		return ""
	}
	return pick(v.ProtectedSiteName, v.SourceSite, v.ProtectedSite),
		pick(v.RecoverySiteName, v.TargetSite, v.RecoverySite)
}

// vpgRole says whether the scraped ZVM's local site protects the VPG: by the protected site link's
// identifier, or where the ZVM sends no such link (or no local site id) by the protected site's name.
func vpgRole(v *zvm.VPG, local *zvm.LocalSite, protectedName string) string {
	if local == nil {
		return roleRecovery
	}
	if v.ProtectedSite != nil && v.ProtectedSite.Identifier != "" && local.ID() != "" {
		if v.ProtectedSite.Identifier == local.ID() {
			return roleProtected
		}
		return roleRecovery
	}
	if protectedName != "" && protectedName == local.SiteName {
		return roleProtected
	}
	return roleRecovery
}

// unixSeconds returns t as Unix seconds with millisecond precision.
func unixSeconds(t zvm.Time) float64 {
	return float64(t.UnixMilli()) / 1000
}
