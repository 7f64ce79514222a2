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
		name:      "ejc",
		defaultOn: true,
		help:      "Zerto 10 Extended Journal Copy: copy status, retention sets and last runs per VPG, repository capacity and immutability, from /v1/ltr (absent on Windows ZVMs and before 10.0)",
		owns:      []zvm.Endpoint{zvm.EndpointEJCHealth, zvm.EndpointEJCRepositories},
		build:     newEJCCollector,
		notes: map[string]string{
			"zerto_vpg_ejc_status": "The API gives the statuses as numbers without names: the status label is the number as sent, " +
				"Unknown outside 0-2 or when null.",
			"zerto_vpg_ejc_expected_retention_sets":        "Absent when null.",
			"zerto_vpg_ejc_successful_retention_sets":      "Absent when null.",
			"zerto_vpg_ejc_last_run_timestamp_seconds":     "Absent when it never ran (null or year 1).",
			"zerto_vpg_ejc_last_success_timestamp_seconds": "Absent when none succeeded (null or year 1).",
			"zerto_vpg_ejc_errors":                         "Absent when null.",
			"zerto_vpg_ejc_warnings":                       "Absent when null.",
			"zerto_ejc_repository_capacity_bytes":          ejcGiB + " Absent when the ZVM reports none (cloud storage).",
			"zerto_ejc_repository_used_bytes":              ejcGiB + " Absent when not reported.",
			"zerto_ejc_repository_free_bytes":              ejcGiB + " Absent when not reported.",
			"zerto_ejc_repository_immutable": "1 when the repository locks its copies against change and deletion; 0 for the others " +
				"(SMB, NFS and Catalyst cannot be immutable). Absent when the ZVM sends no storage settings.",
			"zerto_ejc_repository_immutability_seconds": "ImmutabilityDays ×86400. Absent when the repository is not immutable.",
		},
	})
}

var ejcStates = zvm.StateSet(zvm.EJCStatuses)

// ejcGiB is the unit note of the repository sizes.
const ejcGiB = "×1073741824 (GiB assumed)."

type ejcCollector struct {
	logger log.Logger

	status, expected, successful, lastRun, lastSuccess, errors, warnings *prometheus.Desc
	capacity, used, free, immutable, immutability                        *prometheus.Desc
}

func newEJCCollector(cfg Config) Collector {
	id := []string{"vpg", "vpg_id"}
	repo := "repository"
	return &ejcCollector{
		logger: cfg.Logger,
		status: desc("vpg", "ejc_status",
			"Extended Journal Copy status of the VPG, from /v1/ltr/health/vpgs Vpgs[].LtrVpgStatus.",
			"vpg", "vpg_id", "status"),
		expected: desc("vpg", "ejc_expected_retention_sets",
			"Retention sets the VPG's Extended Journal Copy policy expects, from /v1/ltr/health/vpgs SuccessRate.ExpectedRetentionSets.",
			id...),
		successful: desc("vpg", "ejc_successful_retention_sets",
			"Retention sets of the VPG that were copied successfully, from /v1/ltr/health/vpgs SuccessRate.ActualSuccessfulRetentionSets.",
			id...),
		lastRun: desc("vpg", "ejc_last_run_timestamp_seconds",
			"Start of the VPG's latest Extended Journal Copy run, from /v1/ltr/health/vpgs DateOfLastRun.",
			id...),
		lastSuccess: desc("vpg", "ejc_last_success_timestamp_seconds",
			"Time of the VPG's latest successful Extended Journal Copy run, from /v1/ltr/health/vpgs TimeOfLastSuccessfulRun.",
			id...),
		errors: desc("vpg", "ejc_errors",
			"Errors of the VPG's Extended Journal Copy, from /v1/ltr/health/vpgs AlertTips.TotalNumberOfErrors.",
			id...),
		warnings: desc("vpg", "ejc_warnings",
			"Warnings of the VPG's Extended Journal Copy, from /v1/ltr/health/vpgs AlertTips.TotalNumberOfWarnings.",
			id...),
		capacity: desc("ejc_repository", "capacity_bytes",
			"Capacity of the Extended Journal Copy repository, from /v1/ltr/repositories TotalCapacityGB (else RepositoryState.AllocatedSpaceInGB).",
			repo),
		used: desc("ejc_repository", "used_bytes",
			"Space used in the Extended Journal Copy repository, from /v1/ltr/repositories UsedCapacityGB (else RepositoryState.UsedSpaceInGB).",
			repo),
		free: desc("ejc_repository", "free_bytes",
			"Free space in the Extended Journal Copy repository, from /v1/ltr/repositories FreeCapacityGB (else RepositoryState.AvailableSpaceInGB).",
			repo),
		immutable: desc("ejc_repository", "immutable",
			"Whether the repository is immutable, from /v1/ltr/repositories S3, S3-Compatible or Azure .IsImmutable.",
			repo),
		immutability: desc("ejc_repository", "immutability_seconds",
			"How long a copy stays immutable in the repository, from /v1/ltr/repositories S3, S3-Compatible or Azure .ImmutabilityDays.",
			repo),
	}
}

func (c *ejcCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	seen := make(map[string]bool, len(s.EJCHealth))
	for i := range s.EJCHealth {
		h := &s.EJCHealth[i]
		if h.VpgId == "" || seen[h.VpgId] {
			level.Debug(c.logger).Log("msg", "skipping EJC health row without a VpgId, or listed twice", "vpg", h.VpgName)
			continue
		}
		seen[h.VpgId] = true
		lv := []string{h.VpgName, h.VpgId}
		status := zvm.Unknown
		if h.LtrVpgStatus != nil {
			status = zvm.EnumName(zvm.EJCStatuses, *h.LtrVpgStatus)
		}
		stateSet(ch, c.status, ejcStates, status, lv...)
		if r := h.SuccessRate; r != nil {
			optGauge(ch, c.expected, r.ExpectedRetentionSets, lv...)
			optGauge(ch, c.successful, r.ActualSuccessfulRetentionSets, lv...)
		}
		if everSet(h.DateOfLastRun) {
			gauge(ch, c.lastRun, unixSeconds(h.DateOfLastRun), lv...)
		}
		if everSet(h.TimeOfLastSuccessfulRun) {
			gauge(ch, c.lastSuccess, unixSeconds(h.TimeOfLastSuccessfulRun), lv...)
		}
		if t := h.AlertTips; t != nil {
			optGauge(ch, c.errors, t.TotalNumberOfErrors, lv...)
			optGauge(ch, c.warnings, t.TotalNumberOfWarnings, lv...)
		}
	}
	seenRepos := make(map[string]bool, len(s.EJCRepositories))
	for i := range s.EJCRepositories {
		r := &s.EJCRepositories[i]
		if r.RepositoryName == "" || seenRepos[r.RepositoryName] {
			level.Debug(c.logger).Log("msg", "skipping repository without a name, or listed twice", "repository_id", r.RepositoryIdentifier)
			continue
		}
		seenRepos[r.RepositoryName] = true
		total, used, free := r.TotalCapacityGB, r.UsedCapacityGB, r.FreeCapacityGB
		if st := r.RepositoryState; st != nil {
			total, used, free = orElse(total, st.AllocatedSpaceInGB), orElse(used, st.UsedSpaceInGB), orElse(free, st.AvailableSpaceInGB)
		}
		optGiB(ch, c.capacity, total, r.RepositoryName)
		optGiB(ch, c.used, used, r.RepositoryName)
		optGiB(ch, c.free, free, r.RepositoryName)
		if immutable, days, ok := r.Immutable(); ok {
			gauge(ch, c.immutable, boolValue(immutable), r.RepositoryName)
			if immutable {
				if days != nil {
					gauge(ch, c.immutability, float64(*days)*secondsPerDay, r.RepositoryName)
				}
			}
		}
	}
	return nil
}

const secondsPerDay = 24 * 60 * 60

// everSet reports whether a ZVM date is set: .NET sends year 1 (DateTime.MinValue) for never.
func everSet(t zvm.Time) bool { return t.Valid() && t.Year() > 1 }

func optGauge(ch chan<- prometheus.Metric, d *prometheus.Desc, v *int, labels ...string) {
	if v != nil {
		gauge(ch, d, float64(*v), labels...)
	}
}

func optGiB(ch chan<- prometheus.Metric, d *prometheus.Desc, v *int64, labels ...string) {
	if v != nil {
		gauge(ch, d, float64(*v)*zvm.GiB, labels...)
	}
}

func orElse[T any](v, alt *T) *T {
	if v != nil {
		return v
	}
	return alt
}
