// Renders dashboards/*.json (multi-file output: jsonnet -S -m dashboards mixin/dashboards.jsonnet).
function(config={})
  local mixin = (import 'mixin.libsonnet') + { _config+:: config };
  {
    [name]: std.manifestJsonEx(mixin.grafanaDashboards[name], '  ') + '\n'
    for name in std.objectFields(mixin.grafanaDashboards)
  }
