package zvm

// Endpoint is the path template of a ZVM API resource. It names the resource in errors and in the
// exporter's zerto_exporter_api_requests_total{endpoint} label.
type Endpoint string

// The endpoints the exporter reads. Each is fetched at most once per refresh (once per page for the
// recovery reports).
const (
	EndpointLocalSite       Endpoint = "/v1/localsite"
	EndpointPeerSites       Endpoint = "/v1/peersites"
	EndpointVPGs            Endpoint = "/v1/vpgs"
	EndpointVMs             Endpoint = "/v1/vms"
	EndpointVRAs            Endpoint = "/v1/vras"
	EndpointAlerts          Endpoint = "/v1/alerts"
	EndpointDatastores      Endpoint = "/v1/datastores"
	EndpointLicense         Endpoint = "/v1/license"
	EndpointTasks           Endpoint = "/v1/tasks"
	EndpointRecoveryReports Endpoint = "/v1/reports/recovery"
	EndpointVMStatistics    Endpoint = "/v1/statistics/vms"
	EndpointVolumes         Endpoint = "/v1/volumes"
	EndpointServerTime      Endpoint = "/v1/serverDateTime/serverDateTimeUtc"
	EndpointUnprotectedVMs  Endpoint = "/v1/virtualizationsites/{siteIdentifier}/vms"
	EndpointServiceProfiles Endpoint = "/v1/serviceprofiles"
	// Per-VPG endpoints, read only by the opt-in checkpoints collector: one request per VPG each.
	EndpointCheckpointStats Endpoint = "/v1/vpgs/{vpgIdentifier}/checkpoints/stats"
	EndpointCheckpoints     Endpoint = "/v1/vpgs/{vpgIdentifier}/checkpoints"
)

// Requests is how many GETs one read of ep makes in a refresh: one per volume type read for
// /v1/volumes, one for any other endpoint. The recovery reports take one per page, and the per-VPG
// endpoints one per VPG.
func (ep Endpoint) Requests() int {
	if ep == EndpointVolumes {
		return len(volumeTypesRead)
	}
	return 1
}

// The name lists of the enumerations: arrays of names, indexed by code. They are read once per
// target, and only when a code outside the built-in tables appears.
const (
	EndpointVPGStatusNames     Endpoint = "/v1/vpgs/statuses"
	EndpointVPGSubStatusNames  Endpoint = "/v1/vpgs/substatuses"
	EndpointVRAStatusNames     Endpoint = "/v1/vras/statuses"
	EndpointPairingStatusNames Endpoint = "/v1/peersites/pairingstatuses"
)

// The authentication endpoints. They name login and logout calls in errors and in the Observer.
const (
	EndpointSessionAdd    Endpoint = "/v1/session/add"                                  // Windows ZVM login (POST)
	EndpointSession       Endpoint = "/v1/session"                                      // Windows ZVM logout (DELETE)
	EndpointKeycloakToken Endpoint = "/auth/realms/zerto/protocol/openid-connect/token" //nolint:gosec // a path, not a credential
)
