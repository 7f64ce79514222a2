// Package snapshot holds what one refresh read from a ZVM, and refreshes it on demand.
//
// A Snapshot is immutable once built: collectors read it while a newer refresh may be running, and
// a late response can only ever land in the refresh that asked for it.
package snapshot

import (
	"errors"
	"fmt"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/vsphere"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// EndpointVCenter is the pseudo endpoint under which the vCenter read (Options.VSphere) is
// recorded in Fetches; the vsphere collector owns it, so a vCenter failure fails only that one.
const EndpointVCenter zvm.Endpoint = "vcenter"

// Fetch records how reading one endpoint went during a refresh.
type Fetch struct {
	Err      error
	Duration time.Duration
	// Unsupported is set when this ZVM does not have the endpoint (HTTP 404). That is not a
	// failure: the owning collector emits nothing and reports success.
	Unsupported bool
}

// Snapshot is the decoded state of one ZVM at one refresh.
type Snapshot struct {
	Taken    time.Time
	Duration time.Duration
	// UpErr is non-nil when the refresh could not authenticate or read /v1/localsite; then no
	// other endpoint was read and every collector fails.
	UpErr     error
	LocalSite *zvm.LocalSite
	Fetches   map[zvm.Endpoint]Fetch

	PeerSites    []zvm.PeerSite
	VPGs         []zvm.VPG
	VMs          []zvm.VM
	VRAs         []zvm.VRA
	Alerts       []zvm.Alert
	Datastores   []zvm.Datastore
	License      *zvm.License
	Tasks        []zvm.Task
	VMStatistics []zvm.VMStatistics
	// Volumes are the site's journal and scratch volumes.
	Volumes         []zvm.Volume
	ServerTime      *zvm.ServerTime
	UnprotectedVMs  []zvm.UnprotectedVM
	ServiceProfiles []zvm.ServiceProfile
	// Checkpoints are the checkpoints collector's per-VPG reads, by VpgIdentifier.
	Checkpoints map[string]VPGCheckpoints
	Recovery    *RecoveryHistory
	// Warnings counts the values of the ZVM's answers the exporter could not use (nil: none kept).
	Warnings *DecodeWarnings
	// Enums names the codes of the ZVM's enumerations (nil: the built-in tables only).
	Enums *EnumNames
	// Zerto 10 cyber resilience (absent on Windows ZVMs and before 10.0).
	EncryptionState   *zvm.EncryptionDetectionState
	SuspectedVPGs     []zvm.SuspectedVPG
	SuspectedVMs      []zvm.SuspectedVM
	EncryptionMetrics []zvm.VPGEncryptionMetrics
	EJCHealth         []zvm.EJCVPGHealth
	EJCRepositories   []zvm.EJCRepository
	// VSphere is what vCenter said about the VRA VMs, by VraName; VRAs it did not find are absent.
	VSphere map[string]vsphere.VRA
}

// Up reports whether the ZVM answered the probe endpoint in this refresh.
func (s *Snapshot) Up() bool { return s != nil && s.UpErr == nil }

// errNotFetched marks an endpoint that this refresh did not read (its collector was not enabled).
var errNotFetched = errors.New("not fetched in this refresh")

// Err returns the first failure among endpoints, or nil when every one of them was read (or is
// absent on this ZVM).
func (s *Snapshot) Err(endpoints ...zvm.Endpoint) error {
	if s == nil {
		return errors.New("no snapshot")
	}
	if !s.Up() {
		return fmt.Errorf("ZVM unreachable: %w", s.UpErr)
	}
	for _, ep := range endpoints {
		f, ok := s.Fetches[ep]
		if !ok {
			return fmt.Errorf("%s: %w", ep, errNotFetched)
		}
		if f.Err != nil {
			return f.Err
		}
	}
	return nil
}

// OK reports whether endpoint was read successfully with data (not failed, not absent). Collectors
// use it for data they only borrow.
func (s *Snapshot) OK(endpoint zvm.Endpoint) bool {
	if !s.Up() {
		return false
	}
	f, ok := s.Fetches[endpoint]
	return ok && f.Err == nil && !f.Unsupported
}
