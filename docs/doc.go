// Package docs holds the project's documentation. Its tests check the example configurations
// under docs/scaling/ with promtool, the exporter's config parser, and real Prometheus servers
// scraping a built exporter and the in-process ZVM simulator.
package docs
