// Zerto / VRA: the replication appliances, one per ESXi host. VRAs are site-local, so these
// panels are per ZVM (instance).
local d = import '../lib/dashboard.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local s = d.sel(c) + ', vra=~"$vra"',
    // Per-VRA rate of a per-VM counter: join each VM's counter with the VRA that replicates it
    // (source_vra on zerto_vm_info of the same ZVM), keep one copy per VM when both ZVMs report
    // it, then sum per VRA.
    local perVra(counter) = |||
      sum by (source_vra) (
        max by (vm_id, vpg, source_vra) (
          rate(%(counter)s{%(sel)s}[$__rate_interval])
          * on (job, instance, vm_id, vpg) group_left (source_vra)
          zerto_vm_info{%(sel)s, source_vra=~"$vra"}
        )
      )
    ||| % { counter: counter, sel: d.sel(c) },

    'zerto-vra.json': d.dashboard(
      c,
      'zerto-vra.json',
      'VRA',
      'Zerto Virtual Replication Appliances: status, throughput and IOPS, per-VRA rates from the VM statistics counters, vSphere CPU and network, and the VMs they protect or receive.',
      variables=[
        d.queryVariable('vra', 'VRA', 'label_values(zerto_vra_info{%s}, vra)' % d.sel(c)),
      ],
      panels=[
        d.table(
          'VRA status',
          'Status, host and version of each VRA (zerto_vra_status, zerto_vra_info). Everything but Installed needs a look.',
          'none',
          [
            d.target('max by (instance, vra, host, status) (zerto_vra_status{%s} == 1)' % s, instant=true),
            d.target('max by (instance, vra, host, vra_version, host_version, ip) (zerto_vra_info{%s})' % s, instant=true),
          ],
          ['Value #A', 'Value #B'],
          hide=['Value #A', 'Value #B'],
        ),
        d.timeseries(
          'Throughput per VRA',
          "Write throughput of the VMs whose protected host is the VRA's host, as Zerto reports it (zerto_vra_throughput_bytes_per_second). Absent when the ZVM sends no owning host.",
          'Bps',
          [d.target('max by (instance, vra) (zerto_vra_throughput_bytes_per_second{%s})' % s, '{{vra}}')],
        ),
        d.timeseries(
          'IOPS per VRA',
          "Write IOPS of the VMs on the VRA's host (zerto_vra_iops).",
          'iops',
          [d.target('max by (instance, vra) (zerto_vra_iops{%s})' % s, '{{vra}}')],
        ),
        d.timeseries(
          'Write rate per source VRA',
          'Rate of bytes written by protected VMs, summed per source VRA, from the VM statistics counters (zerto_vm_write_bytes_total; ZVM Appliance only).',
          'Bps',
          [d.target(perVra('zerto_vm_write_bytes_total'), '{{source_vra}}')],
        ),
        d.timeseries(
          'Network rate per source VRA',
          'Rate of replication network traffic, summed per source VRA, from the VM statistics counters (zerto_vm_network_traffic_bytes_total).',
          'Bps',
          [d.target(perVra('zerto_vm_network_traffic_bytes_total'), '{{source_vra}}')],
        ),
        d.timeseries(
          'Sync rate per source VRA',
          'Rate of bytes sent by initial, delta or bitmap syncs, summed per source VRA (zerto_vm_sync_bytes_total). Sustained sync traffic means volumes are being resynchronised.',
          'Bps',
          [d.target(perVra('zerto_vm_sync_bytes_total'), '{{source_vra}}')],
        ),
        d.timeseries(
          'IO operations per source VRA',
          'Rate of write IO operations, summed per source VRA (zerto_vm_io_operations_total).',
          'iops',
          [d.target(perVra('zerto_vm_io_operations_total'), '{{source_vra}}')],
        ),
        d.timeseries(
          'VRA CPU and memory',
          'CPU and memory usage of the VRA VM from vCenter (zerto_vra_cpu_usage_ratio, zerto_vra_memory_usage_ratio; only with the vsphere collector).',
          'percentunit',
          [
            d.target('max by (instance, vra) (zerto_vra_cpu_usage_ratio{%s})' % s, '{{vra}} CPU'),
            d.target('max by (instance, vra) (zerto_vra_memory_usage_ratio{%s})' % s, '{{vra}} memory'),
          ],
        ),
        d.timeseries(
          'VRA network',
          'Network transmit and receive rates of the VRA VM from vCenter (only with the vsphere collector).',
          'Bps',
          [
            d.target('max by (instance, vra) (zerto_vra_network_transmit_bytes_per_second{%s})' % s, '{{vra}} transmit'),
            d.target('max by (instance, vra) (zerto_vra_network_receive_bytes_per_second{%s})' % s, '{{vra}} receive'),
          ],
        ),
        d.timeseries(
          'Protected and recovery VMs',
          'VMs each VRA protects (source side) and receives (recovery side).',
          'none',
          [
            d.target('max by (instance, vra) (zerto_vra_protected_vms{%s})' % s, '{{vra}} protected'),
            d.target('max by (instance, vra) (zerto_vra_recovery_vms{%s})' % s, '{{vra}} recovery'),
          ],
        ),
      ],
    ),
  },
}
