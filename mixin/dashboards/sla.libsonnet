// Zerto / SLA report: RPO compliance, RTO and failover tests per VPG, for the monthly review.
local d = import '../lib/dashboard.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local s = d.sel(c) + ', vpg=~"$vpg"',
    local budget = 1 - c.rpoComplianceObjective,
    local vpgSel = d.recordedSel(c, 'vpg=~"$vpg"'),

    'zerto-sla.json': d.dashboard(
      c,
      'zerto-sla.json',
      'SLA report',
      'Per-VPG RPO compliance over 30 days, last RTO against target, and age and result of the last failover test.',
      variables=[
        d.queryVariable('vpg', 'VPG', 'label_values(zerto_vpg_info{%s}, vpg)' % d.sel(c)),
      ],
      panels=[
        d.stat(
          'Fleet RPO compliance, 30 days',
          'Mean over all VPGs of the share of the last 30 days within the RPO target (recording rule :zerto_vpg_rpo_compliance:ratio30d). The objective is %g %%.' % (c.rpoComplianceObjective * 100),
          'percentunit',
          [d.target(':zerto_vpg_rpo_compliance:ratio30d' + d.recordedSel(c))],
          w=8,
          decimals=3,
          thresholds=[{ color: 'red', value: null }, { color: 'green', value: c.rpoComplianceObjective }],
        ),
        d.stat(
          'VPGs below objective',
          'VPGs whose 30-day RPO compliance is below the %g %% objective.' % (c.rpoComplianceObjective * 100),
          'none',
          [d.target('count(vpg:zerto_vpg_rpo_compliance:ratio30d%s < %g) or vector(0)' % [vpgSel, c.rpoComplianceObjective])],
          w=8,
          thresholds=[{ color: 'green', value: null }, { color: 'red', value: 1 }],
        ),
        d.stat(
          'VPGs with a failed last test',
          'VPGs whose newest failover test did not end in Success.',
          'none',
          [d.target(|||
            count(
              max by (vpg) (zerto_recovery_last_timestamp_seconds{%(s)s, operation="FailoverTest", result!="Success"})
              >= on (vpg)
              max by (vpg) (zerto_recovery_last_timestamp_seconds{%(s)s, operation="FailoverTest"})
            ) or vector(0)
          ||| % { s: s })],
          w=8,
          thresholds=[{ color: 'green', value: null }, { color: 'red', value: 1 }],
        ),
        d.table(
          'RPO compliance per VPG',
          'Share of time within the RPO target over 30 days and 1 day (time without a calculated RPO is not counted), and the share of the 30-day error budget (%g %% of the time) left; negative means the budget is overspent.' % (budget * 100),
          'percentunit',
          [
            d.target('vpg:zerto_vpg_rpo_compliance:ratio30d' + vpgSel, instant=true),
            d.target('vpg:zerto_vpg_rpo_compliance:ratio1d' + vpgSel, instant=true),
            d.target('1 - (1 - vpg:zerto_vpg_rpo_compliance:ratio30d%s) / %g' % [vpgSel, budget], instant=true),
            d.target('max by (vpg, vpg_id) (zerto_vpg_rpo_target_seconds{%s})' % s, instant=true),
          ],
          ['30 days', '1 day', 'Error budget left', 'RPO target'],
          units={ 'RPO target': 's' },
          h=10,
        ),
        d.timeseries(
          'RPO compliance over the last day',
          'Rolling 1-day RPO compliance per VPG (recording rule vpg:zerto_vpg_rpo_compliance:ratio1d).',
          'percentunit',
          [d.target('vpg:zerto_vpg_rpo_compliance:ratio1d' + vpgSel, '{{vpg}}')],
          w=24,
          min=null,
        ),
        d.table(
          'Last RTO against target',
          'RTO of the newest recovery report per VPG and operation, and the RTO target from the exporter SLA config (empty: no target configured).',
          's',
          [
            d.target('max by (vpg, operation) (zerto_recovery_last_rto_seconds{%s})' % s, instant=true),
            d.target('min by (vpg) (zerto_vpg_rto_target_seconds{%s})' % s, instant=true),
          ],
          ['RTO', 'RTO target'],
          w=12,
          h=10,
          sortBy='RTO',
        ),
        d.table(
          'Failover tests',
          "Time since the last failover test per VPG (from the VPG's LastTest), the test interval from the exporter SLA config (default %s), and the end time and result of the newest failover-test report." % c.defaultTestInterval,
          's',
          [
            d.target('time() - max by (vpg) (zerto_vpg_last_test_timestamp_seconds{%s})' % s, instant=true),
            d.target('max by (vpg) (zerto_vpg_test_interval_seconds{%s})' % s, instant=true),
            d.target('1000 * max by (vpg, result) (zerto_recovery_last_timestamp_seconds{%s, operation="FailoverTest"})' % s, instant=true),
          ],
          ['Since last test', 'Test interval', 'Last test report'],
          units={ 'Last test report': 'dateTimeAsIso' },
          w=12,
          h=10,
          sortBy='Since last test',
        ),
      ],
    ),
  },
}
