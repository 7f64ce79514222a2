package collector

import (
	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/vsphere"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func init() {
	register(registration{
		name: "vsphere",
		// Off unless --vsphere.url is set: main enables it then, with a vCenter reader.
		defaultOn: false,
		help:      "VRA VMs and their ESXi hosts from vCenter: network rates, CPU and memory usage, host connection and maintenance mode; needs --vsphere.url",
		owns:      []zvm.Endpoint{snapshot.EndpointVCenter},
		borrows:   []zvm.Endpoint{zvm.EndpointVRAs},
		build:     newVSphereCollector,
	})
}

// kilobyte is the factor assumed for vCenter's KBps (kiloBytesPerSecond) counters. VMware's
// documentation does not settle 1000 or 1024; esxtop and the vSphere client treat network KB as
// 1024 bytes, and so does this exporter. The HELP texts say so.
const kilobyte = 1024

// percentHundredths converts vCenter's percent counters (hundredths of a percent) to a ratio.
const percentHundredths = 10000

type vsphereCollector struct {
	logger log.Logger

	transmit, receive, cpu, memory *prometheus.Desc
	hostConnected, hostMaintenance *prometheus.Desc
}

const vsphereSource = "from vCenter for the VM named like the VRA (/v1/vras VraName); "

func newVSphereCollector(cfg Config) Collector {
	id := []string{"vra", "host"}
	return &vsphereCollector{
		logger: cfg.Logger,
		transmit: desc("vra", "network_transmit_bytes_per_second",
			"Network data sent by the VRA VM, "+vsphereSource+"PerformanceManager net.transmitted.average (real-time 20 s, aggregate instance) in KBps ×1024, KB taken as 1024 bytes.", id...),
		receive: desc("vra", "network_receive_bytes_per_second",
			"Network data received by the VRA VM, "+vsphereSource+"PerformanceManager net.received.average (real-time 20 s, aggregate instance) in KBps ×1024, KB taken as 1024 bytes.", id...),
		cpu: desc("vra", "cpu_usage_ratio",
			"CPU usage of the VRA VM (0–1 of its configured vCPUs), "+vsphereSource+"PerformanceManager cpu.usage.average (real-time 20 s) in hundredths of a percent ÷10000.", id...),
		memory: desc("vra", "memory_usage_ratio",
			"Active memory of the VRA VM as a ratio of its configured memory, "+vsphereSource+"PerformanceManager mem.usage.average (real-time 20 s) in hundredths of a percent ÷10000.", id...),
		hostConnected: desc("vra", "host_connected",
			"1 when vCenter sees the ESXi host running the VRA VM as connected (HostSystem runtime.connectionState = connected), 0 when disconnected or notResponding; "+
				"host is the VRA's host as the ZVM names it.", id...),
		hostMaintenance: desc("vra", "host_maintenance_mode",
			"1 when the ESXi host running the VRA VM is in maintenance mode (HostSystem runtime.inMaintenanceMode), else 0; host is the VRA's host as the ZVM names it.", id...),
	}
}

func (c *vsphereCollector) Update(s *snapshot.Snapshot, ch chan<- prometheus.Metric) error {
	seen := make(map[[2]string]bool, len(s.VRAs))
	for i := range s.VRAs {
		v := &s.VRAs[i]
		host := v.Host()
		k := [2]string{v.VraName, host}
		if v.VraName == "" || seen[k] {
			continue
		}
		seen[k] = true
		r, ok := s.VSphere[v.VraName]
		if !ok {
			level.Debug(c.logger).Log("msg", "VRA VM not found in vCenter; no vsphere series for it", "vra", v.VraName, "host", host)
			continue
		}
		counter := func(d *prometheus.Desc, name string, mul, div float64) {
			if raw, ok := r.Counters[name]; ok {
				gauge(ch, d, float64(raw)*mul/div, v.VraName, host)
			}
		}
		counter(c.transmit, vsphere.CounterNetTransmitted, kilobyte, 1)
		counter(c.receive, vsphere.CounterNetReceived, kilobyte, 1)
		counter(c.cpu, vsphere.CounterCPUUsage, 1, percentHundredths)
		counter(c.memory, vsphere.CounterMemUsage, 1, percentHundredths)
		if r.HostKnown {
			gauge(ch, c.hostConnected, boolValue(r.HostConnected()), v.VraName, host)
			gauge(ch, c.hostMaintenance, boolValue(r.HostMaintenance), v.VraName, host)
		}
	}
	return nil
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
