// Small helpers shared by alerts, rules and dashboards.
{
  // The `for` of an alert: the per-alert value from _config.forDuration, or _config.forOverride
  // when a test wants every alert to fire quickly.
  forOf(config, name)::
    if config.forOverride != null then config.forOverride else config.forDuration[name],

  // Same for a duration that is not in forDuration (burn-rate alerts, never-tested wait).
  forOr(config, value)::
    if config.forOverride != null then config.forOverride else value,

  // Grouping and matching clauses that keep _config.clusterLabels in front of `labels` (a
  // comma-separated string such as _config.vpgLabels), so that series of two clusters never
  // merge: by(c, 'vpg') is 'by (vpg)' for one Prometheus and 'by (cluster, vpg)' with
  // clusterLabels ['cluster'].
  by(config, labels):: 'by (%s)' % std.join(', ', config.clusterLabels + [labels]),
  on(config, labels):: 'on (%s)' % std.join(', ', config.clusterLabels + [labels]),

  // An aggregation over a whole fleet: 'avg' for one Prometheus, 'avg by (cluster) ' with
  // clusterLabels, to be followed by the parenthesised argument.
  fleet(config, op)::
    if config.clusterLabels == [] then op else '%s by (%s) ' % [op, std.join(', ', config.clusterLabels)],

  // Extra matchers `,cluster="%s"` for the printf-style queries of queryValue and queryLabel, and
  // the alert labels that fill them (clusterArgs): a description looks values up in the alert's
  // own cluster.
  clusterMatchers(config):: std.join('', [',%s="%%s"' % l for l in config.clusterLabels]),
  clusterArgs(config):: config.clusterLabels,

  // 'a|b|c' for a regex matcher from a list of enum names.
  regex(list):: std.join('|', list),

  // A Go-template snippet for an alert description that queries Prometheus for one value and
  // formats it, e.g. the RPO target of the VPG the alert is about. `expr` is a printf format
  // whose %s placeholders are filled with the alert labels named in `args`.
  queryValue(expr, args, format)::
    '{{ with printf `' + expr + '` ' + std.join(' ', ['$labels.' + a for a in args]) +
    ' | query }}{{ . | first | value | ' + format + ' }}{{ end }}',

  // Same, returning a label of the first result instead of its value.
  queryLabel(expr, args, label)::
    '{{ with printf `' + expr + '` ' + std.join(' ', ['$labels.' + a for a in args]) +
    ' | query }}{{ . | first | label "' + label + '" }}{{ end }}',

  // Seconds in a Prometheus duration string such as '30d' or '1h' (single unit only).
  seconds(d)::
    local units = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
    local n = std.parseInt(std.substr(d, 0, std.length(d) - 1));
    n * units[d[std.length(d) - 1]],
}
