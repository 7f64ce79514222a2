package zvm

import (
	"context"
	"fmt"
	"time"
)

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
	// Zerto 10 cyber resilience: absent (404) on Windows ZVMs and before 10.0.
	EndpointEncryptionState      Endpoint = "/v1/encryptionDetection/state"
	EndpointSuspectedVPGs        Endpoint = "/v1/encryptionDetection/suspected/vpgs"
	EndpointSuspectedVMs         Endpoint = "/v1/encryptionDetection/suspected/vms"
	EndpointEncryptionMetricsVPG Endpoint = "/v1/encryptionDetection/metrics/vpgs"
	EndpointEJCHealth            Endpoint = "/v1/ltr/health/vpgs"
	EndpointEJCRepositories      Endpoint = "/v1/ltr/repositories"
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

// Request is one read of an endpoint: for a templated endpoint the identifier that fills its
// placeholder, and for a read bounded in time (tasks, recovery reports, checkpoints) where it
// starts.
type Request struct {
	Endpoint Endpoint
	ID       string
	Since    time.Time
}

// A Reader reads one endpoint and returns its answer: *Client, or a stand-in for it in tests.
type Reader interface {
	Read(ctx context.Context, r Request) (any, error)
}

// ReadAs reads r with c and returns its answer as V, which must be the model of r.Endpoint (the
// reads table); another V is an error, not a silent zero.
func ReadAs[V any](ctx context.Context, c Reader, r Request) (V, error) {
	a, err := c.Read(ctx, r)
	v, ok := a.(V)
	if !ok && a != nil {
		return v, fmt.Errorf("GET %s: the answer is a %T, not a %T", r.Endpoint, a, v)
	}
	return v, err
}

// Read reads r.Endpoint and returns its answer decoded into the model reads gives for it.
func (c *Client) Read(ctx context.Context, r Request) (any, error) {
	read, ok := reads[r.Endpoint]
	if !ok {
		return nil, fmt.Errorf("GET %s: not an endpoint the client reads", r.Endpoint)
	}
	return read(ctx, c, r)
}

// A reader reads one endpoint and decodes its answer.
type reader func(ctx context.Context, c *Client, r Request) (any, error)

// reads is how each endpoint's answer decodes, and into which model: the type a caller of Read
// gets for that endpoint.
var reads = map[Endpoint]reader{
	EndpointLocalSite:       decoded(object[LocalSite]),
	EndpointPeerSites:       decoded(list[PeerSite]),
	EndpointVPGs:            streamed[VPG](vpgFields),
	EndpointVMs:             vms,
	EndpointVRAs:            decoded(list[VRA]),
	EndpointAlerts:          decoded(list[Alert]),
	EndpointDatastores:      decoded(list[Datastore]),
	EndpointLicense:         decoded(object[License]),
	EndpointTasks:           tasks,
	EndpointRecoveryReports: recoveryReports,
	EndpointVMStatistics:    streamed[VMStatistics](vmStatisticsFields),
	EndpointVolumes:         volumes,
	EndpointServerTime:      serverTime,
	EndpointUnprotectedVMs:  decoded(list[UnprotectedVM]),
	EndpointServiceProfiles: decoded(list[ServiceProfile]),
	EndpointCheckpointStats: decoded(object[CheckpointStats]),
	EndpointCheckpoints:     checkpoints,
	// The Zerto 10 answers; /v1/ltr/repositories has no response schema in the spec, and the list
	// of RepositoriesSettingsApi (the POST body) is inferred.
	EndpointEncryptionState:      decoded(object[EncryptionDetectionState]),
	EndpointSuspectedVPGs:        decoded(list[SuspectedVPG]),
	EndpointSuspectedVMs:         decoded(list[SuspectedVM]),
	EndpointEncryptionMetricsVPG: decoded(list[VPGEncryptionMetrics]),
	EndpointEJCHealth:            ejcHealthVPGs,
	EndpointEJCRepositories:      decoded(list[EJCRepository]),
	// The enumerations' name lists: list[code] is the code's name.
	EndpointVPGStatusNames:     decoded(list[string]),
	EndpointVPGSubStatusNames:  decoded(list[string]),
	EndpointVRAStatusNames:     decoded(list[string]),
	EndpointPairingStatusNames: decoded(list[string]),
}

// The authentication endpoints. They name login and logout calls in errors and in the Observer.
const (
	EndpointSessionAdd    Endpoint = "/v1/session/add"                                  // Windows ZVM login (POST)
	EndpointSession       Endpoint = "/v1/session"                                      // Windows ZVM logout (DELETE)
	EndpointKeycloakToken Endpoint = "/auth/realms/zerto/protocol/openid-connect/token" //nolint:gosec // a path, not a credential
)
