// Package docs holds the project's documentation. Its tests check the example configurations
// under docs/scaling/ with promtool, the exporter's config parser and a real Prometheus.
package docs
