// Renders mixin/rules.yaml. `config` overrides _config (see alerts.jsonnet).
function(config={})
  local mixin = (import 'mixin.libsonnet') + { _config+:: config };
  std.manifestYamlDoc(mixin.prometheusRules, indent_array_in_object=true, quote_keys=false)
