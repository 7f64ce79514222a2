// Small helpers shared by alerts, rules and dashboards.
{
  // The `for` of an alert: the per-alert value from _config.forDuration, or _config.forOverride
  // when a test wants every alert to fire quickly.
  forOf(config, name)::
    if config.forOverride != null then config.forOverride else config.forDuration[name],

  // Same for a duration that is not in forDuration (burn-rate alerts, never-tested wait).
  forOr(config, value)::
    if config.forOverride != null then config.forOverride else value,

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
