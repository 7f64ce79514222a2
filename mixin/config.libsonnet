// Every knob of the Zerto mixin. Override with `_config+::` from your own jsonnet, for example
//
//   (import 'zerto_exporter/mixin/mixin.libsonnet') + {
//     _config+:: { zertoSelector: 'job="zerto-probe"' },
//   }
//
// or, without writing a file, through the top-level argument of the render entries in this folder:
//
//   jsonnet -S -J mixin --tla-code 'config={forOverride: "10s"}' mixin/alerts.jsonnet
{
  _config+:: {
    local cfg = self,

    // Label selector that matches the exporter's series (every zerto_* series and `up`). Change it
    // when your scrape job has another name or when several jobs scrape Zerto, e.g.
    // 'job=~"zerto-.*"'. It is pasted into every alert, recording rule and the job variable.
    zertoSelector: 'job="zerto"',

    // Label selector of the exporter's own /metrics (zerto_exporter_* series such as the config
    // reload gauge). With a single ZVM that is the `zerto` job; with /probe, /metrics is scraped by
    // a job of its own (`zerto_exporter` in the exporter README), since probe answers do not carry
    // the exporter's own series.
    exporterSelector: 'job=~"zerto|zerto_exporter"',

    // Labels that tell one Prometheus (or Kubernetes cluster, or data centre) from another where
    // several feed one global view (Thanos, Mimir, federation) and VPG names may repeat between
    // them, e.g. ['cluster'] (kubernetes-mixin's clusterLabel). Every aggregation and vector
    // match of the alerts and recording rules keeps them, the alert descriptions look values up
    // within the alert's own cluster, and each dashboard gets a single-select variable per label
    // that every query filters on. Empty (the default) for one Prometheus: nothing is added. See
    // docs/scaling.md.
    clusterLabels: [],

    // Labels that identify one VPG across both ZVMs of a pair. Alerts and recording rules aggregate
    // every per-VPG series `by (...)` these labels, which removes `instance` (and `job`): both ZVMs
    // report the same VPG and it must page once, and still page when only one ZVM answers. Add a
    // target label here (e.g. 'vpg, vpg_id, zerto_pair') if you run several independent Zerto
    // installations in one Prometheus and VPG names may repeat between them.
    vpgLabels: 'vpg, vpg_id',
    // The same for per-VM series (a VM is listed once per VPG it belongs to).
    vmLabels: 'vm, vm_id, vpg',

    // Severity of the alerts that page. Some teams route 'page' or 'P1' instead of 'critical'.
    criticalSeverity: 'critical',
    warningSeverity: 'warning',

    // Runbook links: `%s` is replaced with the lower-cased alert name, which is the GitHub anchor of
    // the alert's section in mixin/runbook.md. Point it at your wiki if you keep a copy there.
    runbookURLPattern: 'https://github.com/zerto-exporter/zerto_exporter/blob/main/mixin/runbook.md#%s',

    // RPO compliance objective: the fraction of time (with a calculated RPO) that every VPG must be
    // within its RPO target, over the fixed 30 day SLA window. 0.999 leaves an error budget of
    // 43 minutes per VPG and month. Lower it if your contracts promise less; the burn-rate alerts
    // scale with it.
    rpoComplianceObjective: 0.999,

    // Multi-window, multi-burn-rate alerts on the RPO error budget (Google SRE workbook, ch. 5). A
    // burn rate of 1 spends exactly the budget in 30 days; 14.4 spends 2 % of it in one hour. Both
    // windows must burn faster than the factor. `for` rides over single bad evaluations. Keep the
    // windows to those recorded in rules.libsonnet (5m, 30m, 1h, 2h, 6h, 1d, 3d).
    rpoBurnRateAlerts: [
      { long: '1h', short: '5m', factor: 14.4, 'for': '2m', severity: cfg.criticalSeverity },
      { long: '6h', short: '30m', factor: 6, 'for': '15m', severity: cfg.criticalSeverity },
      { long: '1d', short: '2h', factor: 3, 'for': '1h', severity: cfg.warningSeverity },
      { long: '3d', short: '6h', factor: 1, 'for': '3h', severity: cfg.warningSeverity },
    ],

    // Evaluation interval of the rule group that computes the 1d, 3d and 30d compliance ratios. A
    // 30d avg_over_time reads ~43k samples per VPG, so it runs less often than the short windows.
    // Raise it for very large fleets, but keep it well below the 5m lookback delta, or the alerts
    // that read these ratios see gaps and reset their `for`.
    longWindowInterval: '2m',

    // Journal history: a VPG whose history is below this fraction of its configured history is in
    // breach (Zerto's own error threshold is 75 %; its warning threshold is 85 %).
    journalHistoryRatio: 0.75,

    // VM journal usage as a fraction of its hard limit. At the hard limit Zerto starts dropping the
    // oldest checkpoints, so the recoverable history shrinks. Lower the thresholds when journals
    // grow fast, raise them for small journals that run close to their limit by design.
    journalUsageWarningRatio: 0.9,
    journalUsageCriticalRatio: 0.98,

    // Free space on datastores Zerto uses (journals, recovery volumes), as a fraction of capacity.
    // A full journal datastore pauses replication of every VM journalling there.
    datastoreFreeWarningRatio: 0.15,
    datastoreFreeCriticalRatio: 0.05,

    // Scratch volumes (written by a failover test's VMs) as a fraction of the size they may grow
    // to, above which ZertoScratchVolumeNearFull warns: a full scratch volume stops the test.
    scratchVolumeFullRatio: 0.8,

    // Largest tolerated difference, in seconds, between a ZVM's clock and the exporter's
    // (zerto_zvm_clock_skew_seconds) before ZertoZvmClockSkew warns. The measurement is off by at
    // most half a request's round trip; keep it well above that.
    clockSkewMaxSeconds: 30,

    // Licence expiry lead times, in days: warning for a renewal ticket, critical before protection
    // stops. Raise the warning lead time if your purchasing takes longer.
    licenseExpiryWarningDays: 30,
    licenseExpiryCriticalDays: 7,

    // Share of the licensed VM count in use above which ZertoLicenseVmsNearLimit warns: time to
    // buy more before a new VM cannot be protected.
    licenseUsageWarningRatio: 0.9,

    // Zerto 10 Extended Journal Copy repositories: labels that identify one repository across the
    // two ZVMs of a pair (add a target label like vpgLabels if names repeat between
    // installations), and the fill levels of ZertoEjcRepositoryNearFull.
    repositoryLabels: 'repository',
    ejcRepositoryUsageWarningRatio: 0.85,
    ejcRepositoryUsageCriticalRatio: 0.95,

    // ZertoEjcRepositoryNotImmutable warns about repositories that do not lock their copies
    // (anything but immutable S3, S3-compatible or Azure storage). Off by default: many sites keep
    // their copies on SMB or NFS by choice. mixin/alerts-optional.yaml holds the rule for those
    // who load rule files rather than render the mixin.
    ejcRepositoryNotImmutableAlert: false,

    // Failover-test interval used for VPGs without zerto_vpg_test_interval_seconds (i.e. without an
    // `sla` entry with test_interval in the exporter config). Zerto failover tests run in an
    // isolated bubble network without stopping replication, so monthly testing is cheap; set '90d'
    // if your DR policy only asks for quarterly tests. Also the `for` of the never-tested alert.
    defaultTestInterval: '30d',

    // VPG sub-statuses (zerto_vpg_substatus_info) in which replication runs or a deliberate
    // operation (sync, failover, move, deletion) is under way. ZertoVpgReplicationStopped fires for
    // every other one: the pauses, disconnections and errors of the exporter's table, and any
    // sub-status it has no name for (a newer ZVM's, named from the ZVM's own list, or Unknown), so
    // that a new error state is never silent. Add a new healthy state here once you know it is one.
    // User-initiated pauses are not listed: a forgotten pause is the classic silent RPO breach.
    replicationRunningSubstatuses: [
      'None',
      'InitialSync',
      'Creating',
      'VolumeInitialSync',
      'Sync',
      'RecoveryPossible',
      'DeltaSync',
      'EmptyProtectionGroup',
      'FullSync',
      'VolumeDeltaSync',
      'VolumeFullSync',
      'FailingOverCommitting',
      'FailingOverBeforeCommit',
      'FailingOverRollingBack',
      'Promoting',
      'MovingCommitting',
      'MovingBeforeCommit',
      'MovingRollingBack',
      'Deleting',
      'PendingRemove',
      'BitmapSync',
      'Backup',
      'RollingBack',
      'AddedVmsInInitialSync',
    ],

    // VPG statuses (zerto_vpg_status) that mean Zerto itself says the SLA is not met.
    vpgNotMeetingSlaStatuses: ['NotMeetingSLA', 'RpoNotMeetingSLA', 'HistoryNotMeetingSLA'],

    // VRA statuses (zerto_vra_status) that are healthy. Add 'HostInMaintenanceMode' if hosts go
    // into maintenance routinely and their VMs are moved off first.
    vraHealthyStatuses: ['Installed'],

    // How long a condition must hold before the alert fires, per alert. Tune single alerts with
    // `forDuration+: { ZertoVpgRpoAboveTarget: '10m' }`. The burn-rate alerts carry their own `for`
    // in rpoBurnRateAlerts; the never-tested case of ZertoFailoverTestOverdue uses
    // defaultTestInterval.
    forDuration: {
      ZertoExporterDown: '5m',
      ZertoZvmUnreachable: '5m',
      ZertoCollectorFailing: '15m',
      ZertoVpgRpoAboveTarget: '5m',
      ZertoVpgNotMeetingSla: '15m',
      ZertoVpgReplicationStopped: '10m',
      ZertoJournalHistoryBelowTarget: '1h',
      ZertoVmJournalNearHardLimit: '15m',
      ZertoVraNotHealthy: '15m',
      ZertoPeerSiteNotPaired: '10m',
      ZertoRtoAboveTarget: '5m',
      ZertoFailoverTestFailed: '5m',
      ZertoFailoverTestOverdue: '1h',
      ZertoLicenseExpiring: '1h',
      ZertoLicenseVmsNearLimit: '1h',
      ZertoExporterConfigReloadFailed: '10m',
      ZertoErrorAlertsActive: '15m',
      ZertoJournalDatastoreLow: '15m',
      // Failover tests are short: a scratch volume filling during one must warn within it.
      ZertoScratchVolumeNearFull: '2m',
      ZertoFailSafeHistoryBelowTarget: '1h',
      ZertoZvmClockSkew: '10m',
      // A ransomware suspicion pages at once: every minute of encrypted writes pushes the last
      // clean checkpoint towards the edge of the journal.
      ZertoEncryptionSuspected: '0s',
      ZertoEncryptionDetectionDisabled: '1h',
      ZertoEjcJobFailed: '15m',
      ZertoEjcRetentionBelowExpected: '6h',
      ZertoEjcRepositoryNearFull: '30m',
      ZertoEjcRepositoryNotImmutable: '1h',
    },

    // When set (e.g. '0s' or '10s'), replaces every `for` above, the burn-rate `for`s and the
    // never-tested wait: for end-to-end tests that need alerts to fire within seconds. Leave null
    // in production.
    forOverride: null,

    // Grafana: title prefix, tags and refresh of the generated dashboards.
    dashboardNamePrefix: 'Zerto / ',
    dashboardTags: ['zerto', 'zerto-mixin'],
    dashboardRefresh: '1m',
    dashboardTimeFrom: 'now-6h',
    // Name of the Prometheus datasource selected by default in the datasource variable.
    dashboardDatasource: 'prometheus',
  },
}
