// Zerto / VPG: one VPG in detail. Values are the worst of the two ZVMs' views. The vpg variable
// is single-select and matched with = so VPG names with regex characters need no escaping.
local d = import '../lib/dashboard.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local s = d.sel(c) + ', vpg="$vpg"',
    local vpgSel = d.recordedSel(c, 'vpg="$vpg"'),

    'zerto-vpg.json': d.dashboard(
      c,
      'zerto-vpg.json',
      'VPG',
      'One Zerto VPG: RPO against target, journal history against target, throughput and IOPS, and the journals of its VMs.',
      variables=[
        d.queryVariable('vpg', 'VPG', 'label_values(zerto_vpg_info{%s}, vpg)' % d.sel(c), all=false),
      ],
      panels=[
        d.stat(
          'Status',
          'Zerto status of the VPG (zerto_vpg_status), as the ZVM UI shows it.',
          'none',
          [d.target('max by (status) (zerto_vpg_status{%s}) == 1' % s, '{{status}}')],
          textMode='name',
        ),
        d.stat(
          'Sub-status',
          'Zerto sub-status of the VPG (zerto_vpg_substatus_info): what replication is doing right now.',
          'none',
          [d.target('max by (substatus) (zerto_vpg_substatus_info{%s})' % s, '{{substatus}}')],
          textMode='name',
        ),
        d.stat(
          'RPO compliance, 1 day',
          'Share of the last day within the RPO target, counting only time with a calculated RPO (recording rule vpg:zerto_vpg_rpo_compliance:ratio1d).',
          'percentunit',
          [d.target('vpg:zerto_vpg_rpo_compliance:ratio1d' + vpgSel)],
          decimals=3,
        ),
        d.stat(
          'RPO compliance, 30 days',
          'Share of the last 30 days within the RPO target (recording rule vpg:zerto_vpg_rpo_compliance:ratio30d). The objective is %g %%.' % (c.rpoComplianceObjective * 100),
          'percentunit',
          [d.target('vpg:zerto_vpg_rpo_compliance:ratio30d' + vpgSel)],
          decimals=3,
          thresholds=[{ color: 'red', value: null }, { color: 'green', value: c.rpoComplianceObjective }],
        ),
        d.timeseries(
          'Actual RPO against target',
          'Actual RPO (age of the newest checkpoint at the recovery site) and the RPO target. Gaps mean Zerto has no calculated RPO.',
          's',
          [
            d.target('max by (vpg) (zerto_vpg_actual_rpo_seconds{%s})' % s, 'actual RPO'),
            d.target('min by (vpg) (zerto_vpg_rpo_target_seconds{%s})' % s, 'RPO target'),
          ],
        ),
        d.timeseries(
          'Journal history against target',
          'How far back the VPG can be recovered (journal history) against its configured history, and the breach line at %g %% of it.' % (c.journalHistoryRatio * 100),
          's',
          [
            d.target('min by (vpg) (zerto_vpg_journal_history_seconds{%s})' % s, 'history'),
            d.target('max by (vpg) (zerto_vpg_journal_history_target_seconds{%s})' % s, 'target'),
            d.target('%g * max by (vpg) (zerto_vpg_journal_history_target_seconds{%s})' % [c.journalHistoryRatio, s], 'breach threshold'),
          ],
        ),
        d.timeseries(
          'Throughput',
          'Write throughput of the VPG as Zerto reports it (zerto_vpg_throughput_bytes_per_second).',
          'Bps',
          [d.target('max by (vpg) (zerto_vpg_throughput_bytes_per_second{%s})' % s, 'throughput')],
        ),
        d.timeseries(
          'IOPS',
          'Write IOPS of the VPG as Zerto reports it (zerto_vpg_iops).',
          'iops',
          [d.target('max by (vpg) (zerto_vpg_iops{%s})' % s, 'IOPS')],
        ),
        d.timeseries(
          'VM journal use against hard limit',
          'Journal used by each VM of the VPG as a share of its journal hard limit. At 100 % Zerto drops the oldest checkpoints. VMs with an unlimited journal are not shown.',
          'percentunit',
          [d.target(|||
            max by (vm) (zerto_vm_journal_used_bytes{%(s)s})
            / on (vm)
            min by (vm) (zerto_vm_journal_hard_limit_bytes{%(s)s} > 0)
          ||| % { s: s }, '{{vm}}')],
        ),
        d.table(
          'VM journals',
          'Journal used, warning threshold and hard limit per VM of the VPG.',
          'bytes',
          [
            d.target('max by (vm) (zerto_vm_journal_used_bytes{%s})' % s, instant=true),
            d.target('min by (vm) (zerto_vm_journal_warning_threshold_bytes{%s})' % s, instant=true),
            d.target('min by (vm) (zerto_vm_journal_hard_limit_bytes{%s})' % s, instant=true),
          ],
          ['Used', 'Warning threshold', 'Hard limit'],
          w=12,
          sortBy='Used',
        ),
        d.timeseries(
          'VM actual RPO',
          'Actual RPO of each VM of the VPG (zerto_vm_actual_rpo_seconds).',
          's',
          [d.target('max by (vm) (zerto_vm_actual_rpo_seconds{%s})' % s, '{{vm}}')],
        ),
        d.timeseries(
          'Storage',
          'Storage provisioned for and used by the VPG at the recovery site.',
          'bytes',
          [
            d.target('max by (vpg) (zerto_vpg_storage_used_bytes{%s})' % s, 'used'),
            d.target('max by (vpg) (zerto_vpg_storage_provisioned_bytes{%s})' % s, 'provisioned'),
          ],
        ),
        d.table(
          'Last recoveries',
          'RTO of the newest recovery report per operation (Failover, FailoverTest, Move), and the RTO target from the exporter SLA config.',
          's',
          [
            d.target('max by (vpg, operation) (zerto_recovery_last_rto_seconds{%s})' % s, instant=true),
            d.target('min by (vpg) (zerto_vpg_rto_target_seconds{%s})' % s, instant=true),
          ],
          ['RTO', 'RTO target'],
          w=12,
        ),
      ],
    ),
  },
}
