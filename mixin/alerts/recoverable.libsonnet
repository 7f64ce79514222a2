// Alerting rules on the recoverable window and the hygiene around it: scratch volumes of failover
// tests, fail-safe history, and the ZVM's clock. Per-VPG alerts aggregate `by` the VPG labels like
// those of alerts.libsonnet, so both ZVMs of a pair page once; the clock alert stays per ZVM.
local utils = import '../lib/utils.libsonnet';

{
  local c = $._config,
  local forOf(name) = utils.forOf(c, name),
  local vpgBy = utils.by(c, c.vpgLabels),
  local vpgOn = utils.on(c, c.vpgLabels),
  local cm = utils.clusterMatchers(c),
  local ca = utils.clusterArgs(c),
  local pct(x) = '%g%%' % (x * 100),
  local vpgValue(metric, agg, format) =
    utils.queryValue('%s(%s{%s,vpg_id="%%s"%s})' % [agg, metric, c.zertoSelector, cm], ['vpg_id'] + ca, format),

  local group = {
    name: 'zerto-recoverable-window',
    rules: [
      {
        alert: 'ZertoScratchVolumeNearFull',
        // Scratch volumes exist at the recovery site while a failover test runs; a VPG without
        // any reports 0 provisioned bytes and is left out.
        expr: |||
          max %(by)s (zerto_vpg_scratch_volume_used_bytes{%(sel)s})
          / %(on)s
          max %(by)s (zerto_vpg_scratch_volume_provisioned_bytes{%(sel)s} > 0)
          > %(ratio)g
        ||| % { by: vpgBy, on: vpgOn, sel: c.zertoSelector, ratio: c.scratchVolumeFullRatio },
        'for': forOf('ZertoScratchVolumeNearFull'),
        labels: { severity: c.warningSeverity },
        annotations: {
          summary: "A failover test's scratch volumes are nearly full.",
          description: 'The scratch volumes of VPG {{ $labels.vpg }} are {{ $value | humanizePercentage }} full (over %s) for more than %s; when they fill up, Zerto stops the failover test and its test VMs.' % [
            pct(c.scratchVolumeFullRatio),
            forOf('ZertoScratchVolumeNearFull'),
          ],
        },
      },
      {
        alert: 'ZertoFailSafeHistoryBelowTarget',
        // Left out, as for ZertoJournalHistoryBelowTarget: history still growing (at more than
        // half real time over the last hour), and VPGs in their initial sync.
        expr: |||
          min %(by)s (zerto_vpg_failsafe_history_seconds{%(sel)s})
          < %(on)s
          max %(by)s (zerto_vpg_failsafe_history_target_seconds{%(sel)s})
          unless %(on)s
          max %(by)s (deriv(zerto_vpg_failsafe_history_seconds{%(sel)s}[1h])) > 0.5
          unless %(on)s
          max %(by)s (zerto_vpg_status{%(sel)s,status="Initializing"}) == 1
        ||| % { by: vpgBy, on: vpgOn, sel: c.zertoSelector },
        'for': forOf('ZertoFailSafeHistoryBelowTarget'),
        labels: { severity: c.warningSeverity },
        annotations: {
          summary: 'A VPG keeps less fail-safe history than configured.',
          description: 'VPG {{ $labels.vpg }} keeps {{ $value | humanizeDuration }} of fail-safe history, less than the %s configured, for more than %s; its journal cannot hold the guaranteed recovery window.' % [
            vpgValue('zerto_vpg_failsafe_history_target_seconds', 'max', 'humanizeDuration'),
            forOf('ZertoFailSafeHistoryBelowTarget'),
          ],
        },
      },
      {
        alert: 'ZertoZvmClockSkew',
        expr: 'abs(zerto_zvm_clock_skew_seconds{%(sel)s}) > %(max)g' % { sel: c.zertoSelector, max: c.clockSkewMaxSeconds },
        'for': forOf('ZertoZvmClockSkew'),
        labels: { severity: c.warningSeverity },
        annotations: {
          summary: "A ZVM's clock is off.",
          description: "The clock of the ZVM {{ $labels.instance }} is {{ $value | humanizeDuration }} off the exporter's (more than %ds either way) for more than %s; checkpoints, alerts and reports are misdated, and token validation and pairing can fail." % [
            c.clockSkewMaxSeconds,
            forOf('ZertoZvmClockSkew'),
          ],
        },
      },
    ],
  },

  prometheusAlerts+:: {
    groups+: [
      group {
        rules: [
          rule { annotations+: { runbook_url: c.runbookURLPattern % std.asciiLower(rule.alert) } }
          for rule in group.rules
        ],
      },
    ],
  },
}
