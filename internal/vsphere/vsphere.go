// Package vsphere holds what vCenter says about the VRA VMs and their ESXi hosts, as plain data.
//
// It has no vCenter client of its own (that is internal/vsphere/vcenter, built on govmomi), so the
// snapshot can carry these readings without depending on govmomi.
package vsphere

// The PerformanceManager counters read for each VRA VM: real-time (20 s) interval, one sample,
// aggregate instance "". The values are raw, in vCenter's units.
const (
	// CounterNetTransmitted is the VM's transmitted network rate in KBps (kiloBytesPerSecond).
	CounterNetTransmitted = "net.transmitted.average"
	// CounterNetReceived is the VM's received network rate in KBps (kiloBytesPerSecond).
	CounterNetReceived = "net.received.average"
	// CounterCPUUsage is the VM's CPU usage in hundredths of a percent (2500 = 25%).
	CounterCPUUsage = "cpu.usage.average"
	// CounterMemUsage is the VM's memory usage in hundredths of a percent (2500 = 25%).
	CounterMemUsage = "mem.usage.average"
)

// Counters lists the counters read for each VRA VM, in query order.
var Counters = []string{CounterNetTransmitted, CounterNetReceived, CounterCPUUsage, CounterMemUsage}

// VRA is what one vCenter read found about a VRA's VM and the ESXi host it runs on.
type VRA struct {
	// VM is the VM's managed object id (e.g. vm-42), for logs.
	VM string
	// Host is the ESXi host's name in vCenter; empty when the VM has no host.
	Host string
	// Counters holds the newest real-time sample of each counter vCenter returned, raw, by
	// counter name. A counter it did not return (VM powered off, host not connected, no sample
	// yet) is absent.
	Counters map[string]int64
	// HostKnown is set when the host's runtime state below was read.
	HostKnown bool
	// HostConnectionState is the host's runtime.connectionState: connected, disconnected or
	// notResponding.
	HostConnectionState string
	// HostMaintenance is the host's runtime.inMaintenanceMode.
	HostMaintenance bool
}

// HostConnected reports whether vCenter sees the VRA's host as connected.
func (v VRA) HostConnected() bool { return v.HostConnectionState == "connected" }
