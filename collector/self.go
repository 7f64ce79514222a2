package collector

import "github.com/prometheus/client_golang/prometheus"

// The exporter's process-level metrics that the collectors do not emit and whose code cannot
// declare them (the refresh gate, the ZVM client and the web server sit below this package);
// docs/metrics.md lists them with the rest.

// RefreshSlotTimeoutsDesc describes zerto_exporter_refresh_slot_timeouts_total.
var RefreshSlotTimeoutsDesc = prometheus.NewDesc("zerto_exporter_refresh_slot_timeouts_total",
	"ZVM refreshes cut by their scrape's deadline, by stage (wait for a refresh slot, or hold one).",
	[]string{"stage"}, nil)

// TokenLifetimeFlooredDesc describes zerto_exporter_token_lifetime_floored_total.
var TokenLifetimeFlooredDesc = prometheus.NewDesc("zerto_exporter_token_lifetime_floored_total",
	"Keycloak tokens whose expires_in was below the 30 s floor, renewed as if it were the floor.",
	nil, nil)

// HTTPConnectionsClosedDesc describes zerto_exporter_http_idle_connections_closed_total.
var HTTPConnectionsClosedDesc = prometheus.NewDesc("zerto_exporter_http_idle_connections_closed_total",
	"Idle HTTP connections to the exporter closed to stay within --web.max-connections.",
	nil, nil)
