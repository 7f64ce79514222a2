// Recording rules, named level:metric:operations.
//
// vpg:zerto_vpg_rpo_compliance:bool is 1 while a VPG's actual RPO is within its target and 0 while
// above it. It has no sample while Zerto has no calculated RPO (ActualRPO -1, so the exporter
// sends no zerto_vpg_actual_rpo_seconds): that time counts neither for nor against compliance.
// Both ZVMs of a pair report each VPG; the worst view wins (highest actual RPO, lowest target).
//
// The ratios are avg_over_time of that series: the fraction of time with a calculated RPO that was
// within target. They feed the burn-rate alerts (5m to 3d) and the SLA report (30d).
{
  local utils = import '../lib/utils.libsonnet',
  local c = $._config,
  local vpgBy = utils.by(c, c.vpgLabels),
  local vpgOn = utils.on(c, c.vpgLabels),
  local ratio(window) = {
    record: 'vpg:zerto_vpg_rpo_compliance:ratio' + window,
    expr: 'avg_over_time(vpg:zerto_vpg_rpo_compliance:bool[%s])' % window,
  },
  local fleet(window) = {
    record: ':zerto_vpg_rpo_compliance:ratio' + window,
    expr: '%s(vpg:zerto_vpg_rpo_compliance:ratio%s)' % [utils.fleet(c, 'avg'), window],
  },

  prometheusRules+:: {
    groups+: [
      {
        name: 'zerto-rpo-compliance.rules',
        rules: [
          {
            record: 'vpg:zerto_vpg_rpo_compliance:bool',
            expr: |||
              max %(by)s (zerto_vpg_actual_rpo_seconds{%(sel)s})
              <= bool %(on)s
              min %(by)s (zerto_vpg_rpo_target_seconds{%(sel)s})
            ||| % { by: vpgBy, on: vpgOn, sel: c.zertoSelector },
          },
        ] + [ratio(w) for w in ['5m', '30m', '1h', '2h', '6h']] + [
          // Share of VPGs (with a calculated RPO) within target right now, and over the last hour.
          {
            record: ':zerto_vpg_rpo_compliance:avg',
            expr: utils.fleet(c, 'avg') + '(vpg:zerto_vpg_rpo_compliance:bool)',
          },
          fleet('1h'),
        ],
      },
      {
        // The long windows read up to 30 days of samples per VPG; evaluate them less often.
        name: 'zerto-rpo-compliance-long.rules',
        interval: c.longWindowInterval,
        rules: [ratio(w) for w in ['1d', '3d', '30d']] + [fleet(w) for w in ['1d', '30d']],
      },
    ],
  },
}
