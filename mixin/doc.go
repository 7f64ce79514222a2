// Package mixin holds the zerto_exporter monitoring mixin: jsonnet sources for the Prometheus
// alerts, recording rules and Grafana dashboards, their rendered output (alerts.yaml, rules.yaml,
// ../dashboards/*.json), the runbook and the promtool unit tests.
//
// The package has no Go code of its own; lint_test.go checks the rendered output against the
// monitoring-mixins conventions (mixtool's alert rules, grafana/dashboard-linter's dashboard
// rules) and validates every dashboard query with promtool. Render with `make mixin`.
package mixin
