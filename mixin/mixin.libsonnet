// The Zerto monitoring mixin: alerts, recording rules and Grafana dashboards for zerto_exporter.
// Render with `make mixin`; customise through `_config+::` (see config.libsonnet).
(import 'config.libsonnet') +
(import 'alerts/alerts.libsonnet') +
(import 'alerts/recoverable.libsonnet') +
(import 'rules/rules.libsonnet') +
(import 'dashboards/dashboards.libsonnet')
