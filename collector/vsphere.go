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
		notes: map[string]string{
			"zerto_vra_network_transmit_bytes_per_second": vsphereVM + " Real-time 20 s samples of the aggregate instance, in KBps ×1024: KB taken as 1024 bytes.",
			"zerto_vra_network_receive_bytes_per_second":  vsphereVM + " Real-time 20 s samples of the aggregate instance, in KBps ×1024: KB taken as 1024 bytes.",
			"zerto_vra_cpu_usage_ratio":                   vsphereVM + " 0–1 of its configured vCPUs. Real-time 20 s samples, in hundredths of a percent ÷10000.",
			"zerto_vra_memory_usage_ratio":                vsphereVM + " Active memory as a ratio of its configured memory. Real-time 20 s samples, in hundredths of a percent ÷10000.",
			"zerto_vra_host_connected":                    "1 when connected, 0 when disconnected or notResponding. " + vsphereHost,
			"zerto_vra_host_maintenance_mode":             "1 in maintenance mode, else 0. " + vsphereHost,
		},
	})
}

// kilobyte is the factor assumed for vCenter's KBps (kiloBytesPerSecond) counters. VMware's
// documentation does not settle 1000 or 1024; esxtop and the vSphere client treat network KB as
// 1024 bytes, and so does this exporter. The metrics' notes say so.
const kilobyte = 1024

// percentHundredths converts vCenter's percent counters (hundredths of a percent) to a ratio.
const percentHundredths = 10000

type vsphereCollector struct {
	logger log.Logger

	transmit, receive, cpu, memory *prometheus.Desc
	hostConnected, hostMaintenance *prometheus.Desc
}

// The notes of the vsphere metrics: which vCenter object each reads.
const (
	vsphereVM   = "The vCenter VM is the one named like the VRA (/v1/vras VraName)."
	vsphereHost = "The ESXi host is the one running the VRA VM; host is the VRA's host as the ZVM names it."
)

func newVSphereCollector(cfg Config) Collector {
	id := []string{"vra", "host"}
	return &vsphereCollector{
		logger: cfg.Logger,
		transmit: desc("vra", "network_transmit_bytes_per_second",
			"Network data sent by the VRA VM, from vCenter PerformanceManager net.transmitted.average.", id...),
		receive: desc("vra", "network_receive_bytes_per_second",
			"Network data received by the VRA VM, from vCenter PerformanceManager net.received.average.", id...),
		cpu: desc("vra", "cpu_usage_ratio",
			"CPU usage of the VRA VM, from vCenter PerformanceManager cpu.usage.average.", id...),
		memory: desc("vra", "memory_usage_ratio",
			"Active memory of the VRA VM, from vCenter PerformanceManager mem.usage.average.", id...),
		hostConnected: desc("vra", "host_connected",
			"Whether the ESXi host of the VRA VM is connected, from vCenter HostSystem runtime.connectionState.", id...),
		hostMaintenance: desc("vra", "host_maintenance_mode",
			"Whether the ESXi host of the VRA VM is in maintenance mode, from vCenter HostSystem runtime.inMaintenanceMode.", id...),
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
