// Zerto / Cyber resilience: would we notice ransomware, and to which point could we recover? The
// encryption suspicions over time, the recoverable window of each VPG (earliest checkpoint to
// latest, the tagged checkpoints in between, fail-safe history), Extended Journal Copy for the long
// term, the scratch and journal volumes, and the hygiene that keeps it honest (unprotected VMs, ZVM
// clocks). Per-VPG numbers are the worst of the two ZVMs' views.
local d = import '../lib/dashboard.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local s = d.sel(c),

    'zerto-cyber-resilience.json': d.dashboard(
      c,
      'zerto-cyber-resilience.json',
      'Cyber resilience',
      'Ransomware suspicions, how far back each VPG can be recovered (earliest, latest and latest tagged checkpoints, fail-safe history), Extended Journal Copy, the scratch and journal volumes that bound recovery, unprotected VMs and ZVM clock skew.',
      variables=[],
      panels=[
        d.row('Ransomware suspicions'),
        d.stat(
          'VPGs suspected now',
          "VPGs on which Zerto's encryption detection suspects an encryption (ransomware) event (zerto_vpg_encryption_suspected). See the ZertoEncryptionSuspected runbook: isolate, and recover to a checkpoint before the first suspicion.",
          'none',
          [d.target('sum(max by (vpg) (zerto_vpg_encryption_suspected{%s}))' % s)],
          thresholds=[{ color: 'green', value: null }, { color: 'red', value: 1 }],
        ),
        d.stat(
          'Encryption detection',
          'Whether encryption detection is on, per ZVM (zerto_encryption_detection_enabled: 1 on, 0 off); the lowest of the selected ZVMs. No value: the ZVM has no encryption detection (before 10.0, Windows ZVMs).',
          'none',
          [d.target('min(zerto_encryption_detection_enabled{%s})' % s)],
          thresholds=[{ color: 'red', value: null }, { color: 'green', value: 1 }],
        ),
        d.timeseries(
          'Encryption suspicions over time',
          'Suspected VPGs over time (zerto_vpg_encryption_suspected, stacked: the height is the number of VPGs suspected). The first suspicion of a VPG bounds the checkpoint to recover to; compare it with the recoverable window below.',
          'none',
          [d.target('max by (vpg) (zerto_vpg_encryption_suspected{%s})' % s, '{{vpg}}')],
          stack=true,
        ),
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
        d.row('Extended Journal Copy'),
        d.timeseries(
          'EJC retention sets copied',
          "Share of the retention sets that each VPG's Extended Journal Copy policy expects and that were copied successfully (zerto_vpg_ejc_successful_retention_sets / zerto_vpg_ejc_expected_retention_sets). Below 100 %, long-term recovery points are missing; see ZertoEjcRetentionBelowExpected.",
          'percentunit',
          [d.target('min by (vpg) (zerto_vpg_ejc_successful_retention_sets{%s}) / max by (vpg) (zerto_vpg_ejc_expected_retention_sets{%s} > 0)' % [s, s], '{{vpg}}')],
        ),
        d.timeseries(
          'EJC repository capacity',
          'Space used in each Extended Journal Copy repository against its capacity (zerto_ejc_repository_used_bytes, zerto_ejc_repository_capacity_bytes; repositories that report no capacity, e.g. Azure, have no capacity line).',
          'bytes',
          [
            d.target('max by (repository) (zerto_ejc_repository_used_bytes{%s})' % s, '{{repository}} used'),
            d.target('max by (repository) (zerto_ejc_repository_capacity_bytes{%s} > 0)' % s, '{{repository}} capacity'),
          ],
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
