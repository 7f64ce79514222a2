// Renders mixin/alerts.yaml. `config` overrides _config, e.g. for fast end-to-end tests:
//   jsonnet -S --tla-code 'config={forOverride: "10s"}' mixin/alerts.jsonnet
function(config={})
  local mixin = (import 'mixin.libsonnet') + { _config+:: config };
  std.manifestYamlDoc(mixin.prometheusAlerts, indent_array_in_object=true, quote_keys=false)
