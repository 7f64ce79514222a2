// Zerto / Overview: is every site up and is every VPG within its RPO? Per-VPG numbers are taken
// as the worst of the two ZVMs' views (both sites report every VPG).
local d = import '../lib/dashboard.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local s = d.sel(c),
    local pctSteps = [
      { color: 'red', value: null },
      { color: 'orange', value: c.rpoComplianceObjective - 0.01 },
      { color: 'green', value: c.rpoComplianceObjective },
    ],

    'zerto-overview.json': d.dashboard(
      c,
      'zerto-overview.json',
      'Overview',
      'Zerto sites, VPG status, RPO compliance, Zerto alerts, VRA health and replication throughput.',
      variables=[],
      panels=[
        d.row('Sites'),
        d.stat(
          'ZVMs up',
          'Selected ZVMs that the exporter can log in to and read (zerto_up == 1).',
          'none',
          [d.target('sum(zerto_up{%s})' % s)],
          w=4,
        ),
        d.stat(
          'ZVMs down',
          'ZVMs the exporter cannot read (zerto_up == 0). See the ZertoZvmUnreachable runbook.',
          'none',
          [d.target('count(zerto_up{%s} == 0) or vector(0)' % s)],
          w=4,
          thresholds=[{ color: 'green', value: null }, { color: 'red', value: 1 }],
        ),
        d.stat(
          'Failing collectors',
          'Exporter collectors whose last scrape failed (zerto_scrape_collector_success == 0), across the selected ZVMs.',
          'none',
          [d.target('count(zerto_scrape_collector_success{%s} == 0) or vector(0)' % s)],
          w=4,
          thresholds=[{ color: 'green', value: null }, { color: 'orange', value: 1 }],
        ),
        d.table(
          'Sites',
          'The local site of each ZVM: name, Zerto version, type and location (zerto_site_info).',
          'none',
          [d.target('max by (instance, site_name, version, site_type, location) (zerto_site_info{%s})' % s, instant=true)],
          ['Value'],
          w=12,
          h=4,
          hide=['Value'],
        ),
        d.table(
          'Peer sites',
          'Pairing status of the peer sites as each ZVM sees them (zerto_peer_site_pairing_status). Anything but Paired stops replication between the two sites.',
          'none',
          [d.target('max by (instance, peer_site, status) (zerto_peer_site_pairing_status{%s} == 1)' % s, instant=true)],
          ['Value'],
          w=12,
          h=5,
          hide=['Value'],
        ),
        d.timeseries(
          'Peer-site throughput',
          'Incoming throughput and outgoing bandwidth between each ZVM and its peer sites, as the ZVM reports them.',
          'Bps',
          [
            d.target('max by (instance, peer_site) (zerto_peer_site_incoming_throughput_bytes_per_second{%s})' % s, '{{instance}} from {{peer_site}}'),
            d.target('max by (instance, peer_site) (zerto_peer_site_outgoing_bandwidth_bytes_per_second{%s})' % s, '{{instance}} to {{peer_site}}'),
          ],
          h=5,
        ),

        d.row('VPGs and RPO'),
        d.stat(
          'VPGs',
          'Distinct VPGs reported by the selected ZVMs (zerto_vpg_info, counted once per VPG id).',
          'none',
          [d.target('count(max by (vpg_id) (zerto_vpg_info{%s}))' % s)],
          w=4,
        ),
        d.stat(
          'VPGs by status',
          'VPGs per Zerto status (zerto_vpg_status). NotMeetingSLA, RpoNotMeetingSLA and HistoryNotMeetingSLA mean Zerto itself sees an SLA breach.',
          'none',
          [d.target('count by (status) (max by (vpg_id, status) (zerto_vpg_status{%s}) == 1)' % s, '{{status}}')],
          w=8,
          textMode='value_and_name',
        ),
        d.stat(
          'VPGs within RPO target now',
          'Share of VPGs with a calculated RPO whose actual RPO is at or below their RPO target.',
          'percentunit',
          [d.target(|||
            avg(
              max by (vpg_id) (zerto_vpg_actual_rpo_seconds{%(s)s})
              <= bool on (vpg_id)
              min by (vpg_id) (zerto_vpg_rpo_target_seconds{%(s)s})
            )
          ||| % { s: s })],
          w=6,
          thresholds=[{ color: 'red', value: null }, { color: 'green', value: 1 }],
        ),
        d.stat(
          'RPO compliance, 30 days',
          'Mean over all VPGs of the share of time within the RPO target over 30 days (recording rule :zerto_vpg_rpo_compliance:ratio30d, all Zerto jobs). The objective is %g %%.' % (c.rpoComplianceObjective * 100),
          'percentunit',
          [d.target(':zerto_vpg_rpo_compliance:ratio30d' + d.recordedSel(c))],
          w=6,
          thresholds=pctSteps,
          decimals=3,
        ),
        d.table(
          'Worst actual RPO',
          'The ten VPGs with the highest actual RPO (age of the newest checkpoint at the recovery site), with their RPO target.',
          's',
          [
            d.target('topk(10, max by (vpg) (zerto_vpg_actual_rpo_seconds{%s}))' % s, instant=true),
            d.target('min by (vpg) (zerto_vpg_rpo_target_seconds{%s}) and on (vpg) topk(10, max by (vpg) (zerto_vpg_actual_rpo_seconds{%s}))' % [s, s], instant=true),
          ],
          ['Actual RPO', 'RPO target'],
          w=12,
          sortBy='Actual RPO',
        ),
        d.timeseries(
          'Actual RPO, worst 10 VPGs',
          'Actual RPO over time of the VPGs that are currently worst.',
          's',
          [d.target('max by (vpg) (zerto_vpg_actual_rpo_seconds{%s}) and on (vpg) topk(10, max by (vpg) (zerto_vpg_actual_rpo_seconds{%s}))' % [s, s], '{{vpg}}')],
        ),

        d.row('Alerts and VRAs'),
        d.table(
          'Active Zerto alerts',
          'Active, undismissed alerts in each ZVM by level, entity type and help identifier (zerto_alerts). Look the help identifier up in the ZVM UI under Monitoring > Alerts.',
          'none',
          [d.target('sum by (instance, level, entity, help_id) (zerto_alerts{%s}) > 0' % s, instant=true)],
          ['Alerts'],
          w=12,
          sortBy='Alerts',
        ),
        d.stat(
          'VRAs by status',
          'VRAs per status (zerto_vra_status). Everything but Installed needs a look.',
          'none',
          [d.target('count by (status) (zerto_vra_status{%s} == 1)' % s, '{{status}}')],
          w=12,
          h=8,
          textMode='value_and_name',
        ),

        d.row('Throughput'),
        d.timeseries(
          'Replication throughput',
          'Total write throughput of all protected VPGs, as Zerto reports it (zerto_vpg_throughput_bytes_per_second, once per VPG).',
          'Bps',
          [d.target('sum(max by (vpg_id) (zerto_vpg_throughput_bytes_per_second{%s}))' % s, 'throughput')],
        ),
        d.timeseries(
          'Replication IOPS',
          'Total write IOPS of all protected VPGs (zerto_vpg_iops, once per VPG).',
          'iops',
          [d.target('sum(max by (vpg_id) (zerto_vpg_iops{%s}))' % s, 'IOPS')],
        ),
      ],
    ),
  },
}
