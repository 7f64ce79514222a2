// Zerto / Cyber resilience: could we recover from ransomware, and to which point? The recoverable
// window of each VPG (earliest checkpoint to latest, the tagged checkpoints in between, fail-safe
// history), the scratch and journal volumes that bound it, and the hygiene that keeps it honest
// (unprotected VMs, ZVM clocks). Per-VPG numbers are the worst of the two ZVMs' views.
local d = import '../lib/dashboard.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local s = d.sel(c),

    'zerto-cyber-resilience.json': d.dashboard(
      c,
      'zerto-cyber-resilience.json',
      'Cyber resilience',
      'How far back each VPG can be recovered (earliest, latest and latest tagged checkpoints, fail-safe history), the scratch and journal volumes that bound it, unprotected VMs and ZVM clock skew.',
      variables=[],
      panels=[
        d.row('Recoverable window'),
        d.timeseries(
          'Recoverable window per VPG',
          'How far back each VPG can be recovered: the age of the oldest checkpoint in its journal (now minus zerto_vpg_earliest_checkpoint_timestamp_seconds). A recovery to before an incident needs the incident to be younger than this.',
          's',
          [d.target('time() - min by (vpg) (zerto_vpg_earliest_checkpoint_timestamp_seconds{%s})' % s, '{{vpg}}')],
        ),
        d.timeseries(
          'Age of the latest tagged checkpoint',
          'Time since the newest tagged checkpoint (one inserted by a user or a script, e.g. before a change) still in the journal (zerto_vpg_latest_tagged_checkpoint_timestamp_seconds; needs the opt-in checkpoints collector). A VPG without a line has no tagged checkpoint left.',
          's',
          [d.target('time() - max by (vpg) (zerto_vpg_latest_tagged_checkpoint_timestamp_seconds{%s})' % s, '{{vpg}}')],
        ),
        d.table(
          'Recovery points per VPG',
          'Per VPG: the oldest and newest checkpoints (the newest needs the checkpoints collector), the journal history against its target and the fail-safe history against its target (absent where none is configured).',
          's',
          [
            d.target('time() - min by (vpg) (zerto_vpg_earliest_checkpoint_timestamp_seconds{%s})' % s, instant=true),
            d.target('time() - max by (vpg) (zerto_vpg_latest_checkpoint_timestamp_seconds{%s})' % s, instant=true),
            d.target('min by (vpg) (zerto_vpg_journal_history_seconds{%s}) / max by (vpg) (zerto_vpg_journal_history_target_seconds{%s} > 0)' % [s, s], instant=true),
            d.target('min by (vpg) (zerto_vpg_failsafe_history_seconds{%s}) / max by (vpg) (zerto_vpg_failsafe_history_target_seconds{%s} > 0)' % [s, s], instant=true),
          ],
          ['Oldest checkpoint age', 'Newest checkpoint age', 'History of target', 'Fail-safe of target'],
          units={ 'History of target': 'percentunit', 'Fail-safe of target': 'percentunit' },
          sortBy='Oldest checkpoint age',
        ),
        d.row('Volumes'),
        d.timeseries(
          'Scratch volumes',
          'Scratch volume space used by failover tests, per VPG (zerto_vpg_scratch_volume_used_bytes), and what it may grow to (zerto_vpg_scratch_volume_provisioned_bytes). A test stops when its scratch volumes are full; see ZertoScratchVolumeNearFull. Zero outside failover tests.',
          'bytes',
          [
            d.target('max by (vpg) (zerto_vpg_scratch_volume_used_bytes{%s})' % s, '{{vpg}} used'),
            d.target('max by (vpg) (zerto_vpg_scratch_volume_provisioned_bytes{%s})' % s, '{{vpg}} limit'),
          ],
        ),
        d.timeseries(
          'Journal volumes',
          'Journal volume space used per VPG at the recovery site (zerto_vpg_journal_volume_used_bytes). The journal holds the recoverable window: a journal that stops growing at its limit shortens it.',
          'bytes',
          [d.target('max by (vpg) (zerto_vpg_journal_volume_used_bytes{%s})' % s, '{{vpg}}')],
          stack=true,
        ),
        d.row('Hygiene'),
        d.stat(
          'Unprotected VMs',
          'VMs of each site that are eligible for protection and in no VPG (zerto_site_unprotected_vms), templates included. A new VM nobody added to a VPG is not recoverable at all.',
          'none',
          [d.target('max by (site_name) (zerto_site_unprotected_vms{%s})' % s, '{{site_name}}')],
          w=8,
        ),
        d.timeseries(
          'ZVM clock skew',
          "How far each ZVM's clock is ahead of the exporter's (zerto_zvm_clock_skew_seconds; negative: behind). Beyond %ds, ZertoZvmClockSkew warns: checkpoint times and the recoverable window are off by the skew." % c.clockSkewMaxSeconds,
          's',
          [d.target('zerto_zvm_clock_skew_seconds{%s}' % s, '{{instance}}')],
          w=16,
          min=null,
        ),
      ],
    ),
  },
}
