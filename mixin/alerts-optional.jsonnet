// Renders mixin/alerts-optional.yaml: the alerts that _config leaves out by default, turned on, for
// those who load rule files instead of rendering the mixin (and for their promtool tests).
function(config={})
  local optionalAlerts = ['ZertoEjcRepositoryNotImmutable'];
  local mixin = (import 'mixin.libsonnet') + { _config+:: { ejcRepositoryNotImmutableAlert: true } + config };
  local groups = [
    g { name: g.name + '-optional', rules: [r for r in g.rules if std.member(optionalAlerts, r.alert)] }
    for g in mixin.prometheusAlerts.groups
  ];
  std.manifestYamlDoc({ groups: [g for g in groups if g.rules != []] }, indent_array_in_object=true, quote_keys=false)
