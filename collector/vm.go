package collector

import (
	"slices"
	"strings"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/fastexpo"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name:      "vm",
		defaultOn: true,
		help:      "protected VMs: RPO, throughput, journal usage and limits, cumulative counters, from /v1/vms and /v1/statistics/vms",
		owns:      []zvm.Endpoint{zvm.EndpointVMs, zvm.EndpointVMStatistics},
		borrows:   []zvm.Endpoint{zvm.EndpointVRAs},
		build:     newVMCollector,
		notes: map[string]string{
			"zerto_vm_info": "One series per VM and VPG. protected_host from OwningHostName, else OwningHostIdentifier; " +
				"recovery_host from RecoveryHostName, else RecoveryHostIdentifier. source_vra/recovery_vra are the /v1/vras VraName " +
				"of the local VRA on that host (HostDisplayName or HostIdentifier), empty when no local VRA matches or /v1/vras failed.",
			"zerto_vm_actual_rpo_seconds":              "In seconds. Absent while the ZVM has not calculated it (-1 or null).",
			"zerto_vm_throughput_bytes_per_second":     "×1048576 (MiB/s).",
			"zerto_vm_journal_used_bytes":              "The journal at the recovery site. ×1048576 (MiB).",
			"zerto_vm_journal_hard_limit_bytes":        vmJournalLimit,
			"zerto_vm_journal_warning_threshold_bytes": vmJournalLimit,
			"zerto_vm_network_traffic_bytes_total":     "×1048576 (MiB). " + vmStatistics,
			"zerto_vm_write_bytes_total":               "×1048576 (MiB). " + vmStatistics,
			"zerto_vm_sync_bytes_total":                "Initial, delta and bitmap syncs. ×1048576 (MiB). " + vmStatistics,
			"zerto_vm_io_operations_total":             vmStatistics,
		},
	})
}

// The notes several VM metrics share.
const (
	vmJournalLimit = "LimitType 1: LimitValue ×1048576 (MiB); LimitType 2: LimitValue % of ProvisionedStorageInMB ×1048576. " +
		"Absent when unlimited (LimitType 0) or unknown."
	vmStatistics = "Resets when the ZVM restarts. Absent on ZVMs without /v1/statistics/vms."
)

type vmCollector struct {
	logger log.Logger

	info, actualRPO, throughput, iops          *prometheus.Desc
	journalUsed, journalHard, journalWarning   *prometheus.Desc
	networkBytes, writeBytes, syncBytes, ioOps *prometheus.Desc
}

func newVMCollector(cfg Config) Collector {
	id := []string{"vm", "vm_id", "vpg"}
	return &vmCollector{
		logger: cfg.Logger,
		info: desc("vm", "info",
			"A protected VM in a VPG, from /v1/vms VmName, VmIdentifier, VpgName, OwningHostName and RecoveryHostName with /v1/vras VraName.",
			"vm", "vm_id", "vpg", "protected_host", "recovery_host", "source_vra", "recovery_vra"),
		actualRPO: desc("vm", "actual_rpo_seconds",
			"Actual RPO of the VM in the VPG, from /v1/vms ActualRPO.",
			id...),
		throughput: desc("vm", "throughput_bytes_per_second",
			"Replication throughput of the VM, from /v1/vms ThroughputInMB.",
			id...),
		iops: desc("vm", "iops",
			"Write IO operations per second of the VM, from /v1/vms IOPs.",
			id...),
		journalUsed: desc("vm", "journal_used_bytes",
			"Journal size used by the VM, from /v1/vms JournalUsedStorageMb.",
			id...),
		journalHard: desc("vm", "journal_hard_limit_bytes",
			"Journal hard size limit of the VM, from /v1/vms JournalHardLimit.",
			id...),
		journalWarning: desc("vm", "journal_warning_threshold_bytes",
			"Journal size warning threshold of the VM, from /v1/vms JournalWarningThreshold.",
			id...),
		networkBytes: prometheus.NewDesc("zerto_vm_network_traffic_bytes_total",
			"WAN traffic of the VM's replication, from /v1/statistics/vms NetworkTrafficCounterInMBs.",
			id, nil),
		writeBytes: prometheus.NewDesc("zerto_vm_write_bytes_total",
			"Data written by the VM and replicated, from /v1/statistics/vms WriteCounterInMBs.",
			id, nil),
		syncBytes: prometheus.NewDesc("zerto_vm_sync_bytes_total",
			"Data synchronised for the VM, from /v1/statistics/vms SyncCounterInMBs.",
			id, nil),
		ioOps: prometheus.NewDesc("zerto_vm_io_operations_total",
			"IO operations of the VM, from /v1/statistics/vms IoOperationsCounter.",
			id, nil),
	}
}

// vmKey identifies a /v1/vms row: the ZVM sends one per (VM, VPG) pair.
type vmKey struct{ vm, vpg string }

func (c *vmCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	vras := newVRAIndex(s)
	// rows maps (VmIdentifier, VpgIdentifier) to the row used, for the statistics join.
	rows := make(map[vmKey]*zvm.VM, len(s.VMs))
	seen := make(map[vmKey]bool, len(s.VMs))
	kept := make([]*zvm.VM, 0, len(s.VMs))
	for i := range s.VMs {
		v := &s.VMs[i]
		if _, ok := rows[vmKey{v.VmIdentifier, v.VpgIdentifier}]; !ok {
			rows[vmKey{v.VmIdentifier, v.VpgIdentifier}] = v
		}
		// The series identity is (vm, vm_id, vpg name): skip a repeat rather than break the scrape.
		k := vmKey{v.VmIdentifier, v.VpgName}
		if seen[k] {
			level.Debug(c.logger).Log("msg", "skipping duplicate VM row", "vm", v.VmName, "vm_id", v.VmIdentifier, "vpg", v.VpgName)
			continue
		}
		seen[k] = true
		kept = append(kept, v)
	}
	sortVMRows(kept, func(v *zvm.VM) *zvm.VM { return v })
	for _, v := range kept {
		lv := []string{v.VmName, v.VmIdentifier, v.VpgName}

		protectedHost := firstNonEmpty(v.OwningHostName, v.OwningHostIdentifier)
		recoveryHost := firstNonEmpty(v.RecoveryHostName, v.RecoveryHostIdentifier)
		gauge(ch, c.info, 1, append(lv, protectedHost, recoveryHost,
			vras.name(v.OwningHostName, v.OwningHostIdentifier),
			vras.name(v.RecoveryHostName, v.RecoveryHostIdentifier))...)
		if rpo, ok := v.ActualRPO.Value(); ok && rpo >= 0 {
			gauge(ch, c.actualRPO, rpo, lv...)
		}
		gaugeOf(ch, c.throughput, v.ThroughputInMB, zvm.MiB, lv...)
		gaugeOf(ch, c.iops, v.IOPs, 1, lv...)
		gaugeOf(ch, c.journalUsed, v.JournalUsedStorageMb, zvm.MiB, lv...)
		if b, ok := journalLimitBytes(v.JournalHardLimit, v.ProvisionedStorageInMB); ok {
			gauge(ch, c.journalHard, b, lv...)
		}
		if b, ok := journalLimitBytes(v.JournalWarningThreshold, v.ProvisionedStorageInMB); ok {
			gauge(ch, c.journalWarning, b, lv...)
		}
	}

	// Unsupported (Windows ZVM) or not fetched: no counters, and no failure.
	if !s.OK(zvm.EndpointVMStatistics) {
		return nil
	}
	unmatched := 0
	seenStats := make(map[vmKey]bool, len(s.VMStatistics))
	type statRow struct {
		v  *zvm.VM
		st *zvm.VMStatistics
	}
	stats := make([]statRow, 0, len(s.VMStatistics))
	for i := range s.VMStatistics {
		st := &s.VMStatistics[i]
		v, ok := rows[vmKey{st.VmIdentifier, st.VpgIdentifier}]
		if !ok {
			unmatched++
			continue
		}
		k := vmKey{v.VmIdentifier, v.VpgName}
		if seenStats[k] {
			continue
		}
		seenStats[k] = true
		stats = append(stats, statRow{v, st})
	}
	sortVMRows(stats, func(r statRow) *zvm.VM { return r.v })
	for _, r := range stats {
		v, st := r.v, r.st
		lv := []string{v.VmName, v.VmIdentifier, v.VpgName}
		counterOf(ch, c.networkBytes, st.NetworkTrafficCounterInMBs, zvm.MiB, lv...)
		counterOf(ch, c.writeBytes, st.WriteCounterInMBs, zvm.MiB, lv...)
		counterOf(ch, c.syncBytes, st.SyncCounterInMBs, zvm.MiB, lv...)
		counterOf(ch, c.ioOps, st.IoOperationsCounter, 1, lv...)
	}
	if unmatched > 0 {
		level.Debug(c.logger).Log("msg", "skipped /v1/statistics/vms rows without a matching /v1/vms row", "rows", unmatched)
	}
	return nil
}

// sortVMRows orders rows, stably, as the exposition orders the series labelled vm, vm_id, vpg:
// by VmName, VmIdentifier, VpgName. The collector sends them in that order, so that each such
// family arrives sorted and internal/fastexpo only checks it, one sort of the rows instead of one
// per family.
func sortVMRows[T any](rows []T, vm func(T) *zvm.VM) {
	slices.SortStableFunc(rows, func(a, b T) int {
		x, y := vm(a), vm(b)
		if c := strings.Compare(x.VmName, y.VmName); c != 0 {
			return c
		}
		if c := strings.Compare(x.VmIdentifier, y.VmIdentifier); c != 0 {
			return c
		}
		return strings.Compare(x.VpgName, y.VpgName)
	})
}

// counter emits a counter sample.
func counter(ch chan<- prometheus.Metric, d *prometheus.Desc, v float64, labels ...string) {
	ch <- fastexpo.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
}

// journalLimitBytes resolves a journal limit to bytes: LimitType 1 is MiB, LimitType 2 a
// percentage of the VM's provisioned size (unknown while that size is not known). Unlimited,
// unknown types and null limits, types or values have no value.
func journalLimitBytes(l *zvm.JournalLimit, provisionedMB zvm.Null[float64]) (float64, bool) {
	if l == nil || !l.LimitType.Valid || !l.LimitValue.Valid {
		return 0, false
	}
	switch l.LimitType.V {
	case zvm.LimitMegabytes:
		return l.LimitValue.V * zvm.MiB, true
	case zvm.LimitPercentage:
		if !provisionedMB.Valid || provisionedMB.V <= 0 {
			return 0, false
		}
		return l.LimitValue.V * provisionedMB.V * zvm.MiB / 100, true
	}
	return 0, false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// vraIndex finds the local VRA on an ESXi host, by host name or host identifier.
type vraIndex struct {
	byName, byID map[string]int
	vras         []zvm.VRA
}

// newVRAIndex indexes the snapshot's VRAs; it is empty when /v1/vras was not read in this refresh.
func newVRAIndex(s *snapshot.Snapshot) *vraIndex {
	if !s.OK(zvm.EndpointVRAs) {
		return indexVRAs(nil)
	}
	return indexVRAs(s.VRAs)
}

// indexVRAs indexes vras by host name and host identifier; the first VRA on a host wins.
func indexVRAs(vras []zvm.VRA) *vraIndex {
	x := &vraIndex{byName: map[string]int{}, byID: map[string]int{}, vras: vras}
	for i := range vras {
		if n := vras[i].HostDisplayName; n != "" {
			if _, dup := x.byName[n]; !dup {
				x.byName[n] = i
			}
		}
		if id := vras[i].HostIdentifier; id != "" {
			if _, dup := x.byID[id]; !dup {
				x.byID[id] = i
			}
		}
	}
	return x
}

// lookup returns the index of the VRA on the host with this name or identifier, or -1.
func (x *vraIndex) lookup(hostName, hostID string) int {
	if hostName != "" {
		if i, ok := x.byName[hostName]; ok {
			return i
		}
	}
	if hostID != "" {
		if i, ok := x.byID[hostID]; ok {
			return i
		}
	}
	return -1
}

// name returns the VraName of the VRA on the host, or "".
func (x *vraIndex) name(hostName, hostID string) string {
	if i := x.lookup(hostName, hostID); i >= 0 {
		return x.vras[i].VraName
	}
	return ""
}
