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
		name:      "vra",
		defaultOn: true,
		help:      "VRAs: status, workload counts, memory, and throughput summed over the VMs on their hosts, from /v1/vras and /v1/vms",
		owns:      []zvm.Endpoint{zvm.EndpointVRAs},
		borrows:   []zvm.Endpoint{zvm.EndpointVMs},
		build:     newVRACollector,
		notes: map[string]string{
			"zerto_vra_info":         "host from HostDisplayName, else HostIdentifier; ip from VraNetworkDataApi.VraIPAddress, else IpAddress.",
			"zerto_vra_status":       "Absent when Status is null.",
			"zerto_vra_memory_bytes": "×1073741824 (GiB). Absent when the ZVM does not send it.",
			"zerto_vra_alert_status": "Absent when VraAlerts is null.",
			"zerto_vra_cpus":         "Absent when the ZVM does not send it (before 10.x).",
			"zerto_vra_upgrade_status": "Sent from 10.x. The names of codes 0-4 follow an older Zerto UI enum; codes 5-7 (unnamed in the API) and any other are Unknown. " +
				"Absent when the ZVM does not send it.",
			"zerto_vra_throughput_bytes_per_second": "×1048576 (MiB/s). " + vraSumRule,
			"zerto_vra_iops":                        vraSumRule,
		},
	})
}

var vraUpgradeStates = zvm.StateSet(zvm.VRAUpgradeStatuses)

// gib is the byte factor of MemoryInGB.
const gib = 1 << 30

type vraCollector struct {
	logger log.Logger

	info, status                                       *prometheus.Desc
	protectedVMs, protectedVPGs, protectedVolumes      *prometheus.Desc
	recoveryVMs, recoveryVPGs, recoveryVolumes, memory *prometheus.Desc
	throughput, iops                                   *prometheus.Desc
	alertStatus, cpus, upgradeStatus                   *prometheus.Desc
}

// vraSumRule is the note of the metrics summed over the VMs on a VRA's host.
const vraSumRule = "Summed over the VMs whose owning host (/v1/vms OwningHostName = HostDisplayName, or OwningHostIdentifier = HostIdentifier) is the VRA's host; " +
	"0 when no VM runs on this VRA's host. Absent for every VRA when no /v1/vms row carries an owning host (older ZVMs) or /v1/vms failed, " +
	"and when one of the summed values is null."

func newVRACollector(cfg Config) Collector {
	id := []string{"vra", "host"}
	return &vraCollector{
		logger: cfg.Logger,
		info: desc("vra", "info",
			"A VRA of the local site, from /v1/vras VraName, VraIdentifierStr, HostDisplayName, VraVersion, HostVersion and VraNetworkDataApi.VraIPAddress.",
			"vra", "vra_id", "host", "vra_version", "host_version", "ip"),
		status: desc("vra", "status",
			"VRA status, from /v1/vras Status.",
			"vra", "host", "status"),
		protectedVMs: desc("vra", "protected_vms",
			"VMs the VRA protects, from /v1/vras ProtectedCounters.Vms.", id...),
		protectedVPGs: desc("vra", "protected_vpgs",
			"VPGs the VRA protects, from /v1/vras ProtectedCounters.Vpgs.", id...),
		protectedVolumes: desc("vra", "protected_volumes",
			"Volumes the VRA protects, from /v1/vras ProtectedCounters.Volumes.", id...),
		recoveryVMs: desc("vra", "recovery_vms",
			"VMs the VRA recovers, from /v1/vras RecoveryCounters.Vms.", id...),
		recoveryVPGs: desc("vra", "recovery_vpgs",
			"VPGs the VRA recovers, from /v1/vras RecoveryCounters.Vpgs.", id...),
		recoveryVolumes: desc("vra", "recovery_volumes",
			"Volumes the VRA recovers, from /v1/vras RecoveryCounters.Volumes.", id...),
		memory: desc("vra", "memory_bytes",
			"Memory configured for the VRA VM, from /v1/vras MemoryInGB.", id...),
		alertStatus: desc("vra", "alert_status",
			"Alert status of the VRA, from /v1/vras VraAlerts.VraAlertsStatus.",
			"vra", "host", "status"),
		cpus: desc("vra", "cpus",
			"Virtual CPUs configured for the VRA VM, from /v1/vras NumOfCpus.", id...),
		upgradeStatus: desc("vra", "upgrade_status",
			"Upgrade status of the VRA, from /v1/vras UpgradeStatus.",
			"vra", "host", "status"),
		throughput: desc("vra", "throughput_bytes_per_second",
			"Replication throughput through the VRA, from /v1/vms ThroughputInMB of the VMs on its host.", id...),
		iops: desc("vra", "iops",
			"Write IO operations per second through the VRA, from /v1/vms IOPs of the VMs on its host.", id...),
	}
}

type vraSum struct{ throughputMB, iops sum }

func (c *vraCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	vraStates := s.Enums.States(zvm.FieldVRAStatus)
	sums := vraSums(s)
	seen := make(map[[2]string]bool, len(s.VRAs))
	for i := range s.VRAs {
		v := &s.VRAs[i]
		host := v.Host()
		k := [2]string{v.VraName, host}
		if seen[k] {
			level.Debug(c.logger).Log("msg", "skipping duplicate VRA row", "vra", v.VraName, "host", host)
			continue
		}
		seen[k] = true
		gauge(ch, c.info, 1, v.VraName, v.VraIdentifierStr, host, v.VraVersion, v.HostVersion, v.IP())
		if v.Status.Valid {
			stateSet(ch, c.status, vraStates, s.Enums.Name(zvm.FieldVRAStatus, v.Status.V), v.VraName, host)
		}
		if p := v.ProtectedCounters; p != nil {
			gaugeOf(ch, c.protectedVMs, p.Vms, 1, v.VraName, host)
			gaugeOf(ch, c.protectedVPGs, p.Vpgs, 1, v.VraName, host)
			gaugeOf(ch, c.protectedVolumes, p.Volumes, 1, v.VraName, host)
		}
		if r := v.RecoveryCounters; r != nil {
			gaugeOf(ch, c.recoveryVMs, r.Vms, 1, v.VraName, host)
			gaugeOf(ch, c.recoveryVPGs, r.Vpgs, 1, v.VraName, host)
			gaugeOf(ch, c.recoveryVolumes, r.Volumes, 1, v.VraName, host)
		}
		if a := v.VraAlerts; a != nil && a.VraAlertsStatus.Valid {
			stateSet(ch, c.alertStatus, alertStates, zvm.EnumName(zvm.AlertStatuses, a.VraAlertsStatus.V), v.VraName, host)
		}
		if n, ok := v.NumOfCpus.Value(); ok && n > 0 {
			gauge(ch, c.cpus, n, v.VraName, host)
		}
		if u := v.UpgradeStatus; u != nil {
			stateSet(ch, c.upgradeStatus, vraUpgradeStates, zvm.EnumName(zvm.VRAUpgradeStatuses, *u), v.VraName, host)
		}
		if m, ok := v.MemoryInGB.Value(); ok && m > 0 {
			gauge(ch, c.memory, m*gib, v.VraName, host)
		}
		if sums != nil {
			sum := sums[i]
			sum.throughputMB.scaled(zvm.MiB).emit(ch, c.throughput, v.VraName, host)
			sum.iops.emit(ch, c.iops, v.VraName, host)
		}
	}
	return nil
}

// vraSums sums the VMs' throughput and IOPs per VRA (indexed like s.VRAs) by owning host. It
// returns nil when the sums are unknown: /v1/vms not read in this refresh, or no VM row carries
// an owning host. A VM listed in two VPGs is replicated twice, so both rows count.
func vraSums(s *snapshot.Snapshot) []vraSum {
	if !s.OK(zvm.EndpointVMs) {
		return nil
	}
	hasOwner := false
	for i := range s.VMs {
		if s.VMs[i].OwningHostName != "" || s.VMs[i].OwningHostIdentifier != "" {
			hasOwner = true
			break
		}
	}
	if !hasOwner {
		return nil
	}
	idx := indexVRAs(s.VRAs)
	sums := make([]vraSum, len(s.VRAs))
	for i := range s.VMs {
		vm := &s.VMs[i]
		if j := idx.lookup(vm.OwningHostName, vm.OwningHostIdentifier); j >= 0 {
			sums[j].throughputMB.add(vm.ThroughputInMB)
			sums[j].iops.add(vm.IOPs)
		}
	}
	return sums
}
