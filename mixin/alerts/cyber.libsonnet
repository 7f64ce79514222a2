// Zerto 10 cyber-resilience alerts: encryption (ransomware) suspicions and Extended Journal Copy.
// A function of the mixin's _config returning the alert group; alerts.libsonnet adds it. Per-VPG
// and per-repository alerts aggregate away `instance`: both ZVMs of a pair may report them.
local utils = import '../lib/utils.libsonnet';

function(c)
  local forOf(name) = utils.forOf(c, name);
  local vpgBy = utils.by(c, c.vpgLabels);
  local vpgOn = utils.on(c, c.vpgLabels);
  local repoBy = utils.by(c, c.repositoryLabels);
  local repoOn = utils.on(c, c.repositoryLabels);
  local cm = utils.clusterMatchers(c);
  local ca = utils.clusterArgs(c);
  local pct(x) = '%g%%' % (x * 100);
  local vpgValue(metric, agg, format) =
    utils.queryValue('%s(%s{%s,vpg_id="%%s"%s})' % [agg, metric, c.zertoSelector, cm], ['vpg_id'] + ca, format);
  // Like vpgValue, with a fallback text when the query returns nothing.
  local vpgValueOr(metric, agg, format, otherwise) =
    '{{ with printf `%s(%s{%s,vpg_id="%%s"%s})` %s | query }}{{ . | first | value | %s }}{{ else }}%s{{ end }}' % [
      agg,
      metric,
      c.zertoSelector,
      cm,
      std.join(' ', ['$labels.' + a for a in ['vpg_id'] + ca]),
      format,
      otherwise,
    ];
  {
    name: 'zerto-cyber',
    rules: [
      {
        alert: 'ZertoEncryptionSuspected',
        expr: 'max %s (zerto_vpg_encryption_suspected{%s}) == 1' % [vpgBy, c.zertoSelector],
        'for': forOf('ZertoEncryptionSuspected'),
        labels: { severity: c.criticalSeverity },
        annotations: {
          summary: 'Zerto suspects ransomware encryption on a VPG.',
          description: 'Zerto suspects an encryption (ransomware) event on VPG {{ $labels.vpg }} (suspicion level %s). Isolate its VMs, and recover from a checkpoint taken before the first suspicion; the oldest checkpoint still in the journal is from %s.' % [
            utils.queryLabel('max by (level) (zerto_vpg_encryption_suspicion_level{%s,vpg_id="%%s"%s} == 1)' % [c.zertoSelector, cm], ['vpg_id'] + ca, 'level'),
            vpgValueOr('zerto_vpg_earliest_checkpoint_timestamp_seconds', 'min', 'humanizeTimestamp', 'an unknown time'),
          ],
        },
      },
      {
        alert: 'ZertoEncryptionDetectionDisabled',
        expr: 'zerto_encryption_detection_enabled{%s} == 0' % c.zertoSelector,
        'for': forOf('ZertoEncryptionDetectionDisabled'),
        labels: { severity: c.warningSeverity },
        annotations: {
          summary: 'Zerto encryption detection is turned off.',
          description: 'Encryption (ransomware) detection has been off on the ZVM {{ $labels.instance }} for more than %s; an encryption attack on its VPGs would not be flagged.' % forOf('ZertoEncryptionDetectionDisabled'),
        },
      },
      {
        alert: 'ZertoEjcJobFailed',
        // The latest run is newer than the latest success (or nothing ever succeeded), and Zerto
        // reports errors: a run still under way is newer than the last success too, but has none.
        expr: |||
          (
            max %(by)s (zerto_vpg_ejc_last_run_timestamp_seconds{%(sel)s})
            > %(on)s
            max %(by)s (zerto_vpg_ejc_last_success_timestamp_seconds{%(sel)s})
            or
            max %(by)s (zerto_vpg_ejc_last_run_timestamp_seconds{%(sel)s})
            unless %(on)s
            max %(by)s (zerto_vpg_ejc_last_success_timestamp_seconds{%(sel)s})
          )
          and %(on)s
          max %(by)s (zerto_vpg_ejc_errors{%(sel)s}) > 0
        ||| % { by: vpgBy, on: vpgOn, sel: c.zertoSelector },
        'for': forOf('ZertoEjcJobFailed'),
        labels: { severity: c.warningSeverity },
        annotations: {
          summary: 'An Extended Journal Copy run of a VPG failed.',
          description: 'The Extended Journal Copy run of VPG {{ $labels.vpg }} that started at {{ $value | humanizeTimestamp }} did not succeed (%s error(s)); the last successful copy is from %s.' % [
            vpgValue('zerto_vpg_ejc_errors', 'max', 'printf "%.0f"'),
            vpgValueOr('zerto_vpg_ejc_last_success_timestamp_seconds', 'max', 'humanizeTimestamp', 'never'),
          ],
        },
      },
      {
        alert: 'ZertoEjcRetentionBelowExpected',
        expr: |||
          min %(by)s (zerto_vpg_ejc_successful_retention_sets{%(sel)s})
          < %(on)s
          max %(by)s (zerto_vpg_ejc_expected_retention_sets{%(sel)s})
        ||| % { by: vpgBy, on: vpgOn, sel: c.zertoSelector },
        'for': forOf('ZertoEjcRetentionBelowExpected'),
        labels: { severity: c.warningSeverity },
        annotations: {
          summary: 'A VPG has fewer Extended Journal Copy retention sets than its policy expects.',
          description: 'VPG {{ $labels.vpg }} has had only {{ $value }} successful Extended Journal Copy retention set(s) of the %s its policy expects for more than %s; the long-term restore points it promises are missing.' % [
            vpgValue('zerto_vpg_ejc_expected_retention_sets', 'max', 'printf "%.0f"'),
            forOf('ZertoEjcRetentionBelowExpected'),
          ],
        },
      },
    ] + [
      {
        alert: 'ZertoEjcRepositoryNearFull',
        expr: |||
          max %(by)s (zerto_ejc_repository_used_bytes{%(sel)s})
          / %(on)s
          max %(by)s (zerto_ejc_repository_capacity_bytes{%(sel)s})
          > %(ratio)g
        ||| % { by: repoBy, on: repoOn, sel: c.zertoSelector, ratio: t.ratio },
        'for': forOf('ZertoEjcRepositoryNearFull'),
        labels: { severity: t.severity },
        annotations: {
          summary: 'An Extended Journal Copy repository is running out of space.',
          description: 'Extended Journal Copy repository {{ $labels.repository }} has been {{ $value | humanizePercentage }} full for more than %s (threshold %s); when it is full, new copies fail.' % [forOf('ZertoEjcRepositoryNearFull'), pct(t.ratio)],
        },
      }
      for t in [
        { ratio: c.ejcRepositoryUsageWarningRatio, severity: c.warningSeverity },
        { ratio: c.ejcRepositoryUsageCriticalRatio, severity: c.criticalSeverity },
      ]
    ] + (
      if c.ejcRepositoryNotImmutableAlert then [
        {
          alert: 'ZertoEjcRepositoryNotImmutable',
          expr: 'max %s (zerto_ejc_repository_immutable{%s}) == 0' % [repoBy, c.zertoSelector],
          'for': forOf('ZertoEjcRepositoryNotImmutable'),
          labels: { severity: c.warningSeverity },
          annotations: {
            summary: 'An Extended Journal Copy repository does not lock its copies.',
            description: 'Extended Journal Copy repository {{ $labels.repository }} has not been immutable for more than %s: an attacker with its credentials can delete or encrypt the long-term copies.' % forOf('ZertoEjcRepositoryNotImmutable'),
          },
        },
      ] else []
    ),
  }
