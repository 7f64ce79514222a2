// Alerting rules. Per-VPG and per-VM alerts aggregate `by` the VPG (or VM) labels and so drop
// `instance` and `job`: both ZVMs of a pair report every VPG, a breach must page once, and it must
// still page when only one of the two ZVMs (e.g. the recovery site during a protected-site outage)
// is reporting. Alerts about a ZVM itself (reachability, collectors, licence, its own alerts,
// VRAs, datastores, pairing) stay per instance.
local utils = import '../lib/utils.libsonnet';

{
  local c = $._config,
  local forOf(name) = utils.forOf(c, name),
  local vpgBy = utils.by(c, c.vpgLabels),
  local vpgOn = utils.on(c, c.vpgLabels),
  local vmBy = utils.by(c, c.vmLabels),
  local vmOn = utils.on(c, c.vmLabels),
  // The RTO and test alerts join with the exporter's SLA series, which are keyed by VPG name.
  local byName = utils.by(c, 'vpg'),
  local onName = utils.on(c, 'vpg'),
  local cm = utils.clusterMatchers(c),
  local ca = utils.clusterArgs(c),
  local pct(x) = '%g%%' % (x * 100),

  // The VPG-level value (RPO target, history target, ...) for the description of a VPG alert.
  local vpgValue(metric, agg, format) =
    utils.queryValue('%s(%s{%s,vpg_id="%%s"%s})' % [agg, metric, c.zertoSelector, cm], ['vpg_id'] + ca, format),
  // The SLA value from the exporter config, which is keyed by VPG name.
  local vpgNameValue(metric, agg, format) =
    utils.queryValue('%s(%s{%s,vpg="%%s"%s})' % [agg, metric, c.zertoSelector, cm], ['vpg'] + ca, format),

  local alertGroups = [
    {
      name: 'zerto-exporter',
      rules: [
        {
          alert: 'ZertoExporterDown',
          expr: 'up{%(zertoSelector)s} == 0 or absent(up{%(zertoSelector)s})' % c,
          'for': forOf('ZertoExporterDown'),
          labels: { severity: c.criticalSeverity },
          annotations: {
            summary: 'The Zerto exporter cannot be scraped.',
            description: 'Prometheus has not scraped the Zerto exporter{{ with $labels.instance }} at {{ . }}{{ end }} (job {{ $labels.job }}) successfully for more than %s; no RPO or RTO alert can fire while it is down.' % forOf('ZertoExporterDown'),
          },
        },
        {
          alert: 'ZertoZvmUnreachable',
          expr: 'zerto_up{%(zertoSelector)s} == 0' % c,
          'for': forOf('ZertoZvmUnreachable'),
          labels: { severity: c.criticalSeverity },
          annotations: {
            summary: 'The exporter cannot read a Zerto Virtual Manager.',
            description: 'The exporter has failed to log in to the ZVM {{ $labels.instance }} or to read its /v1/localsite for more than %s; none of its VPG, VRA or recovery data is collected.' % forOf('ZertoZvmUnreachable'),
          },
        },
        {
          alert: 'ZertoCollectorFailing',
          expr: 'zerto_scrape_collector_success{%(sel)s} == 0 unless %(on)s zerto_up{%(sel)s} == 0' % {
            sel: c.zertoSelector,
            on: utils.on(c, 'job, instance'),
          },
          'for': forOf('ZertoCollectorFailing'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'A Zerto exporter collector is failing.',
            description: 'The {{ $labels.collector }} collector has failed on every scrape of the ZVM {{ $labels.instance }} for more than %s; its series are missing and the alerts built on them cannot fire.' % forOf('ZertoCollectorFailing'),
          },
        },
        {
          alert: 'ZertoErrorAlertsActive',
          expr: 'zerto_alerts{%(zertoSelector)s,level="Error"} > 0' % c,
          'for': forOf('ZertoErrorAlertsActive'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'Zerto reports active Error alerts.',
            description: 'The ZVM {{ $labels.instance }} has had {{ $value }} active Error alert(s) {{ $labels.help_id }} on {{ $labels.entity }} for more than %s.' % forOf('ZertoErrorAlertsActive'),
          },
        },
      ] + [
        {
          alert: 'ZertoLicenseExpiring',
          expr: 'zerto_license_expiry_timestamp_seconds{%s} - time() < %d * 86400' % [c.zertoSelector, t.days],
          'for': forOf('ZertoLicenseExpiring'),
          labels: { severity: t.severity },
          annotations: {
            summary: 'The Zerto licence expires soon.',
            description: 'The Zerto licence of the ZVM {{ $labels.instance }} expires in {{ $value | humanizeDuration }} (less than %d days).' % t.days,
          },
        }
        for t in [
          { days: c.licenseExpiryWarningDays, severity: c.warningSeverity },
          { days: c.licenseExpiryCriticalDays, severity: c.criticalSeverity },
        ]
      ] + [
        {
          alert: 'ZertoLicenseVmsNearLimit',
          expr: 'zerto_license_protected_vms{%(sel)s} / (zerto_license_max_vms{%(sel)s} > 0) > %(ratio)g' % {
            sel: c.zertoSelector,
            ratio: c.licenseUsageWarningRatio,
          },
          'for': forOf('ZertoLicenseVmsNearLimit'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'The Zerto licence is almost fully used.',
            description: 'The ZVM {{ $labels.instance }} protects {{ $value | humanizePercentage }} of the VMs its licence allows (more than %s); new VMs cannot be protected once it is full.' % pct(c.licenseUsageWarningRatio),
          },
        },
        {
          alert: 'ZertoExporterConfigReloadFailed',
          expr: 'zerto_exporter_config_last_reload_successful{%(exporterSelector)s} == 0' % c,
          'for': forOf('ZertoExporterConfigReloadFailed'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'The Zerto exporter could not load its changed config file.',
            description: 'The last reload of the config file of the exporter {{ $labels.instance }} failed more than %s ago; it still runs on the previous config, so SLA targets and modules changed since are not in effect.' % forOf('ZertoExporterConfigReloadFailed'),
          },
        },
      ],
    },
    {
      name: 'zerto-rpo',
      rules: [
        {
          alert: 'ZertoVpgRpoAboveTarget',
          expr: |||
            max %(by)s (zerto_vpg_actual_rpo_seconds{%(sel)s})
            > %(on)s
            min %(by)s (zerto_vpg_rpo_target_seconds{%(sel)s})
          ||| % { by: vpgBy, on: vpgOn, sel: c.zertoSelector },
          'for': forOf('ZertoVpgRpoAboveTarget'),
          labels: { severity: c.criticalSeverity },
          annotations: {
            summary: 'A VPG is above its RPO target.',
            description: 'VPG {{ $labels.vpg }} has an actual RPO of {{ $value | humanizeDuration }}, above its RPO target of %s, for more than %s.' % [
              vpgValue('zerto_vpg_rpo_target_seconds', 'min', 'humanizeDuration'),
              forOf('ZertoVpgRpoAboveTarget'),
            ],
          },
        },
      ] + [
        {
          alert: 'ZertoVpgRpoBudgetBurn',
          local threshold = '(%g * (1 - %g))' % [b.factor, c.rpoComplianceObjective],
          expr: |||
            (1 - vpg:zerto_vpg_rpo_compliance:ratio%(long)s) > %(threshold)s
            and
            (1 - vpg:zerto_vpg_rpo_compliance:ratio%(short)s) > %(threshold)s
          ||| % { long: b.long, short: b.short, threshold: threshold },
          'for': utils.forOr(c, b['for']),
          labels: { severity: b.severity, long_window: b.long, short_window: b.short },
          annotations: {
            summary: 'A VPG is burning its RPO error budget too fast.',
            description: 'VPG {{ $labels.vpg }} was above its RPO target {{ $value | humanizePercentage }} of the time over the last %s (and still in the last %s): it is spending its error budget %gx as fast as its 30d objective of %s within target allows.' % [b.long, b.short, b.factor, pct(c.rpoComplianceObjective)],
          },
        }
        for b in c.rpoBurnRateAlerts
      ] + [
        {
          alert: 'ZertoVpgNotMeetingSla',
          local statuses = utils.regex(c.vpgNotMeetingSlaStatuses),
          expr: 'max %s (zerto_vpg_status{%s,status=~"%s"}) == 1' % [vpgBy, c.zertoSelector, statuses],
          'for': forOf('ZertoVpgNotMeetingSla'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'Zerto reports that a VPG is not meeting its SLA.',
            description: 'VPG {{ $labels.vpg }} has been in status %s in the ZVM for more than %s.' % [
              utils.queryLabel('max by (status) (zerto_vpg_status{%s,vpg_id="%%s"%s,status=~"%s"} == 1)' % [c.zertoSelector, cm, statuses], ['vpg_id'] + ca, 'status'),
              forOf('ZertoVpgNotMeetingSla'),
            ],
          },
        },
        {
          alert: 'ZertoVpgReplicationStopped',
          local running = utils.regex(c.replicationRunningSubstatuses),
          expr: 'max %s (zerto_vpg_substatus_info{%s,substatus!~"%s"}) == 1' % [vpgBy, c.zertoSelector, running],
          'for': forOf('ZertoVpgReplicationStopped'),
          labels: { severity: c.criticalSeverity },
          annotations: {
            summary: 'Replication of a VPG is paused, disconnected or failing.',
            description: 'VPG {{ $labels.vpg }} has been in sub-status %s for more than %s; no new checkpoints reach the recovery site and its RPO keeps growing.' % [
              utils.queryLabel('max by (substatus) (zerto_vpg_substatus_info{%s,vpg_id="%%s"%s,substatus!~"%s"})' % [c.zertoSelector, cm, running], ['vpg_id'] + ca, 'substatus'),
              forOf('ZertoVpgReplicationStopped'),
            ],
          },
        },
        {
          alert: 'ZertoJournalHistoryBelowTarget',
          // The first `unless` leaves out journals that are still filling up (history growing at
          // more than half real time over the last hour, by linear regression), e.g. after a VPG's
          // history target was raised; the second, VPGs still in their initial sync, which keep
          // no history yet. Both are expected, not a breach.
          expr: |||
            min %(by)s (zerto_vpg_journal_history_seconds{%(sel)s})
            < %(on)s
            %(ratio)g * max %(by)s (zerto_vpg_journal_history_target_seconds{%(sel)s})
            unless %(on)s
            max %(by)s (deriv(zerto_vpg_journal_history_seconds{%(sel)s}[1h])) > 0.5
            unless %(on)s
            max %(by)s (zerto_vpg_status{%(sel)s,status="Initializing"}) == 1
          ||| % { by: vpgBy, on: vpgOn, sel: c.zertoSelector, ratio: c.journalHistoryRatio },
          'for': forOf('ZertoJournalHistoryBelowTarget'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'A VPG keeps less journal history than its target.',
            description: 'VPG {{ $labels.vpg }} can only be recovered to points up to {{ $value | humanizeDuration }} back, below %s of its journal history target of %s, for more than %s.' % [
              pct(c.journalHistoryRatio),
              vpgValue('zerto_vpg_journal_history_target_seconds', 'max', 'humanizeDuration'),
              forOf('ZertoJournalHistoryBelowTarget'),
            ],
          },
        },
      ] + [
        {
          alert: 'ZertoVmJournalNearHardLimit',
          expr: |||
            max %(by)s (zerto_vm_journal_used_bytes{%(sel)s})
            / %(on)s
            min %(by)s (zerto_vm_journal_hard_limit_bytes{%(sel)s} > 0)
            > %(ratio)g
          ||| % { by: vmBy, on: vmOn, sel: c.zertoSelector, ratio: t.ratio },
          'for': forOf('ZertoVmJournalNearHardLimit'),
          labels: { severity: t.severity },
          annotations: {
            summary: 'A VM journal is close to its hard limit.',
            description: 'The journal of VM {{ $labels.vm }} in VPG {{ $labels.vpg }} has been at {{ $value | humanizePercentage }} of its hard limit of %sB for more than %s (threshold %s); at the limit Zerto drops the oldest checkpoints.' % [
              utils.queryValue('min(zerto_vm_journal_hard_limit_bytes{%s,vm_id="%%s",vpg="%%s"%s})' % [c.zertoSelector, cm], ['vm_id', 'vpg'] + ca, 'humanize1024'),
              forOf('ZertoVmJournalNearHardLimit'),
              pct(t.ratio),
            ],
          },
        }
        for t in [
          { ratio: c.journalUsageWarningRatio, severity: c.warningSeverity },
          { ratio: c.journalUsageCriticalRatio, severity: c.criticalSeverity },
        ]
      ],
    },
    {
      name: 'zerto-infrastructure',
      rules: [
        {
          alert: 'ZertoVraNotHealthy',
          expr: 'zerto_vra_status{%s,status!~"%s"} == 1' % [c.zertoSelector, utils.regex(c.vraHealthyStatuses)],
          'for': forOf('ZertoVraNotHealthy'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'A Zerto VRA is not healthy.',
            description: 'VRA {{ $labels.vra }} on host {{ $labels.host }} (ZVM {{ $labels.instance }}) has been in status {{ $labels.status }} for more than %s; VMs on that host are not replicated, or cannot receive replicated writes.' % forOf('ZertoVraNotHealthy'),
          },
        },
        {
          alert: 'ZertoPeerSiteNotPaired',
          // First branch: the peer is listed with a status other than Paired. Second branch: a
          // peer that was Paired within the last day is no longer listed at all, while the
          // peersite collector of that ZVM works (so the list is current, not just missing).
          expr: |||
            zerto_peer_site_pairing_status{%(sel)s,status!="Paired"} == 1
            or
            (
              label_replace(
                max_over_time(zerto_peer_site_pairing_status{%(sel)s,status="Paired"}[1d]) == 1
                unless %(onPeer)s
                zerto_peer_site_pairing_status{%(sel)s},
                "status", "Missing", "", ""
              )
              and %(onInstance)s
              zerto_scrape_collector_success{%(sel)s,collector="peersite"} == 1
            )
          ||| % {
            sel: c.zertoSelector,
            onPeer: utils.on(c, 'job, instance, peer_site'),
            onInstance: utils.on(c, 'job, instance'),
          },
          'for': forOf('ZertoPeerSiteNotPaired'),
          labels: { severity: c.criticalSeverity },
          annotations: {
            summary: 'A Zerto peer site is not paired.',
            description: 'The ZVM {{ $labels.instance }} has reported its peer site {{ $labels.peer_site }} as {{ $labels.status }} instead of Paired for more than %s; no VPG between the two sites replicates.' % forOf('ZertoPeerSiteNotPaired'),
          },
        },
      ] + [
        {
          alert: 'ZertoJournalDatastoreLow',
          expr: 'zerto_datastore_free_bytes{%s} / zerto_datastore_capacity_bytes{%s} < %g' % [c.zertoSelector, c.zertoSelector, t.ratio],
          'for': forOf('ZertoJournalDatastoreLow'),
          labels: { severity: t.severity },
          annotations: {
            summary: 'A datastore used by Zerto is running out of space.',
            description: 'Datastore {{ $labels.datastore }} used by Zerto at the ZVM {{ $labels.instance }} has had only {{ $value | humanizePercentage }} of its capacity free for more than %s (threshold %s).' % [forOf('ZertoJournalDatastoreLow'), pct(t.ratio)],
          },
        }
        for t in [
          { ratio: c.datastoreFreeWarningRatio, severity: c.warningSeverity },
          { ratio: c.datastoreFreeCriticalRatio, severity: c.criticalSeverity },
        ]
      ],
    },
    {
      name: 'zerto-rto',
      rules: [
        {
          alert: 'ZertoRtoAboveTarget',
          // No RTO target configured for a VPG means no right-hand side, hence no alert.
          expr: |||
            max %(byOp)s (zerto_recovery_last_rto_seconds{%(sel)s})
            > %(on)s group_left ()
            min %(by)s (zerto_vpg_rto_target_seconds{%(sel)s})
          ||| % { sel: c.zertoSelector, by: byName, on: onName, byOp: utils.by(c, 'vpg, operation') },
          'for': forOf('ZertoRtoAboveTarget'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'The last recovery of a VPG took longer than its RTO target.',
            description: 'The last {{ $labels.operation }} of VPG {{ $labels.vpg }} took {{ $value | humanizeDuration }}, above its RTO target of %s.' % vpgNameValue('zerto_vpg_rto_target_seconds', 'min', 'humanizeDuration'),
          },
        },
        {
          alert: 'ZertoFailoverTestFailed',
          // Fires only when the failed report is the newest FailoverTest report either ZVM knows.
          expr: |||
            max %(byResult)s (zerto_recovery_last_timestamp_seconds{%(sel)s,operation="FailoverTest",result!="Success"})
            >= %(on)s group_left ()
            max %(by)s (zerto_recovery_last_timestamp_seconds{%(sel)s,operation="FailoverTest"})
          ||| % { sel: c.zertoSelector, by: byName, on: onName, byResult: utils.by(c, 'vpg, result') },
          'for': forOf('ZertoFailoverTestFailed'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'The last failover test of a VPG did not succeed.',
            description: 'The newest failover test of VPG {{ $labels.vpg }}, which ended at {{ $value | humanizeTimestamp }}, has result {{ $labels.result }}.',
          },
        },
        {
          alert: 'ZertoFailoverTestOverdue',
          expr: |||
            time() - max %(by)s (zerto_vpg_last_test_timestamp_seconds{%(sel)s})
            > %(on)s group_left ()
            (
              max %(byName)s (zerto_vpg_test_interval_seconds{%(sel)s})
              or
              max %(byName)s (zerto_vpg_info{%(sel)s}) * 0 + %(default)d
            )
          ||| % { by: vpgBy, on: onName, byName: byName, sel: c.zertoSelector, default: utils.seconds(c.defaultTestInterval) },
          'for': forOf('ZertoFailoverTestOverdue'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'A VPG has not been failover-tested within its test interval.',
            description: 'VPG {{ $labels.vpg }} was last failover-tested {{ $value | humanizeDuration }} ago, longer than its test interval (zerto_vpg_test_interval_seconds, or %s where none is configured).' % c.defaultTestInterval,
          },
        },
        {
          alert: 'ZertoFailoverTestOverdue',
          // Never tested: Zerto sends no LastTest, so only the VPG's info series exists. `for`
          // is the default test interval: the VPG has been seen untested for that long. Both
          // sides use last_over_time so a scrape gap neither fires nor resets the alert.
          expr: |||
            max %(by)s (last_over_time(zerto_vpg_info{%(sel)s}[1h]))
            unless %(on)s
            max %(byName)s (last_over_time(zerto_vpg_last_test_timestamp_seconds{%(sel)s}[1h]))
          ||| % { by: vpgBy, on: onName, byName: byName, sel: c.zertoSelector },
          'for': utils.forOr(c, c.defaultTestInterval),
          // The extra label keeps the two rules of this alert apart (promtool's duplicate check).
          labels: { severity: c.warningSeverity, last_test: 'never' },
          annotations: {
            summary: 'A VPG has not been failover-tested within its test interval.',
            description: 'VPG {{ $labels.vpg }} has no failover test on record and has been protected without one for more than %s.' % utils.forOr(c, c.defaultTestInterval),
          },
        },
      ],
    },
  ],

  local allGroups = alertGroups + [(import 'cyber.libsonnet')(c)],

  prometheusAlerts+:: {
    groups+: [
      group {
        rules: [
          rule {
            annotations+: {
              runbook_url: c.runbookURLPattern % std.asciiLower(rule.alert),
            },
          }
          for rule in group.rules
        ],
      }
      for group in allGroups
    ],
  },
}
