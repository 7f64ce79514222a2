// All dashboards; rendered to dashboards/<name> by mixin/dashboards.jsonnet.
(import 'overview.libsonnet') +
(import 'vpg.libsonnet') +
(import 'vra.libsonnet') +
(import 'sla.libsonnet') +
(import 'cyber.libsonnet')
