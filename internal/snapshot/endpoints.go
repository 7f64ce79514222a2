package snapshot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// ReadMode is how a refresh reads an endpoint.
type ReadMode string

// The read modes, as docs/metrics.md names them.
const (
	// ReadProbe is /v1/localsite, read first: when it fails, nothing else is read.
	ReadProbe ReadMode = "probe"
	// ReadWhole reads the whole resource once per refresh.
	ReadWhole ReadMode = "whole"
	// ReadIncremental reads what is new since the previous refresh (the first read goes back a
	// lookback).
	ReadIncremental ReadMode = "incremental"
	// ReadPerVPG reads once per VPG of /v1/vpgs, right after it.
	ReadPerVPG ReadMode = "per VPG"
	// ReadAfter reads right after the endpoint whose answer it needs (the vCenter read needs the
	// VRA names).
	ReadAfter ReadMode = "after"
)

// endpointSpec is how a refresh reads one endpoint and where the snapshot keeps its answer.
type endpointSpec struct {
	ep   zvm.Endpoint
	mode ReadMode
	// after is the endpoint whose answer the read needs (ReadPerVPG, ReadAfter): it is read right
	// after it, in the same worker, and only when after is read too.
	after zvm.Endpoint
	// also is recorded in Fetches with ep's outcome: one read answers both (the checkpoints).
	also zvm.Endpoint
	read readFunc
}

// A readFunc reads one endpoint and returns how to store its answer in the snapshot. Storing
// happens under the refresh's lock, so reads run concurrently while the snapshot is written by
// one at a time.
type readFunc func(ctx context.Context, s *Source, in readInput) (func(*Snapshot), error)

// readInput is what a read may use besides the client: the endpoint, the refresh's start, the
// probe's answer, and for a read after another endpoint, that endpoint's outcome (snap's field of
// that endpoint is set, and only that one may be read).
type readInput struct {
	ep       zvm.Endpoint
	start    time.Time
	local    *zvm.LocalSite
	snap     *Snapshot
	afterErr error
}

// endpoints is every endpoint a refresh can read: adding one is an entry here with its Snapshot
// field, its path and model in internal/zvm (endpoints.go), and the collector that owns it.
var endpoints = []endpointSpec{
	{ep: zvm.EndpointLocalSite, mode: ReadProbe, read: whole(func(s *Snapshot) **zvm.LocalSite { return &s.LocalSite })},
	{ep: zvm.EndpointPeerSites, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.PeerSite { return &s.PeerSites })},
	{ep: zvm.EndpointVPGs, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.VPG { return &s.VPGs })},
	{ep: zvm.EndpointVMs, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.VM { return &s.VMs })},
	{ep: zvm.EndpointVRAs, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.VRA { return &s.VRAs })},
	{ep: zvm.EndpointAlerts, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.Alert { return &s.Alerts })},
	{ep: zvm.EndpointDatastores, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.Datastore { return &s.Datastores })},
	{ep: zvm.EndpointLicense, mode: ReadWhole, read: whole(func(s *Snapshot) **zvm.License { return &s.License })},
	{ep: zvm.EndpointTasks, mode: ReadWhole, read: readTasks},
	{ep: zvm.EndpointRecoveryReports, mode: ReadIncremental, read: readRecoveryReports},
	{ep: zvm.EndpointVMStatistics, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.VMStatistics { return &s.VMStatistics })},
	{ep: zvm.EndpointVolumes, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.Volume { return &s.Volumes })},
	{ep: zvm.EndpointServerTime, mode: ReadWhole, read: whole(func(s *Snapshot) **zvm.ServerTime { return &s.ServerTime })},
	{ep: zvm.EndpointUnprotectedVMs, mode: ReadWhole, read: readUnprotectedVMs},
	{ep: zvm.EndpointServiceProfiles, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.ServiceProfile { return &s.ServiceProfiles })},
	{ep: zvm.EndpointCheckpointStats, also: zvm.EndpointCheckpoints, mode: ReadPerVPG, after: zvm.EndpointVPGs, read: readCheckpoints},
	{ep: zvm.EndpointEncryptionState, mode: ReadWhole, read: whole(func(s *Snapshot) **zvm.EncryptionDetectionState { return &s.EncryptionState })},
	{ep: zvm.EndpointSuspectedVPGs, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.SuspectedVPG { return &s.SuspectedVPGs })},
	{ep: zvm.EndpointSuspectedVMs, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.SuspectedVM { return &s.SuspectedVMs })},
	{ep: zvm.EndpointEncryptionMetricsVPG, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.VPGEncryptionMetrics { return &s.EncryptionMetrics })},
	{ep: zvm.EndpointEJCHealth, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.EJCVPGHealth { return &s.EJCHealth })},
	{ep: zvm.EndpointEJCRepositories, mode: ReadWhole, read: whole(func(s *Snapshot) *[]zvm.EJCRepository { return &s.EJCRepositories })},
	{ep: EndpointVCenter, mode: ReadAfter, after: zvm.EndpointVRAs, read: readVCenter},
}

// spec returns the table's entry for ep: the entry that reads it, or records it (also).
func spec(ep zvm.Endpoint) (endpointSpec, bool) {
	for _, e := range endpoints {
		if e.ep == ep || e.also == ep {
			return e, true
		}
	}
	return endpointSpec{}, false
}

// Mode returns how a refresh reads ep, the endpoint it is read after (ReadPerVPG, ReadAfter), and
// false when no refresh can read it.
func Mode(ep zvm.Endpoint) (mode ReadMode, after zvm.Endpoint, ok bool) {
	e, ok := spec(ep)
	return e.mode, e.after, ok
}

// whole reads an endpoint whole and stores the answer in the field that field points to.
func whole[T any](field func(*Snapshot) *T) readFunc {
	return func(ctx context.Context, s *Source, in readInput) (func(*Snapshot), error) {
		v, err := zvm.ReadAs[T](ctx, s.client, zvm.Request{Endpoint: in.ep})
		return func(sn *Snapshot) { *field(sn) = v }, err
	}
}

// readTasks reads the tasks started within the task lookback, to find operations still running.
func readTasks(ctx context.Context, s *Source, in readInput) (func(*Snapshot), error) {
	v, err := zvm.ReadAs[[]zvm.Task](ctx, s.client, zvm.Request{Endpoint: in.ep, Since: in.start.Add(-s.opts.TaskLookback)})
	return func(sn *Snapshot) { sn.Tasks = v }, err
}

// readUnprotectedVMs reads the VMs of the local site that no VPG protects.
func readUnprotectedVMs(ctx context.Context, s *Source, in readInput) (func(*Snapshot), error) {
	v, err := zvm.ReadAs[[]zvm.UnprotectedVM](ctx, s.client, zvm.Request{Endpoint: in.ep, ID: in.local.ID()})
	return func(sn *Snapshot) { sn.UnprotectedVMs = v }, err
}

// readRecoveryReports reads the reports since the previous read (recovery.go) and adds them to
// the history.
func readRecoveryReports(ctx context.Context, s *Source, in readInput) (func(*Snapshot), error) {
	v, err := zvm.ReadAs[[]zvm.RecoveryReport](ctx, s.client, zvm.Request{Endpoint: in.ep, Since: s.recovery.since(in.start)})
	if err != nil {
		return nil, err
	}
	h := s.recovery.add(s.warnings.usableReports(v), in.start)
	return func(sn *Snapshot) { sn.Recovery = h }, nil
}

// readVCenter reads the VRAs' VMs and hosts from vCenter, by the VRA names of /v1/vras.
func readVCenter(ctx context.Context, s *Source, in readInput) (func(*Snapshot), error) {
	switch {
	case s.opts.VSphere == nil:
		return nil, errors.New("no vCenter configured (--vsphere.url)")
	case in.afterErr != nil:
		return nil, fmt.Errorf("VRA names unknown: %w", in.afterErr)
	}
	vras := in.snap.VRAs
	names := make([]string, 0, len(vras))
	seen := make(map[string]bool, len(vras))
	for i := range vras {
		if n := vras[i].VraName; n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	v, err := s.opts.VSphere.ReadVRAs(ctx, names)
	return func(sn *Snapshot) { sn.VSphere = v }, err
}

// Endpoints returns every endpoint a refresh can read, in the table's order.
func Endpoints() []zvm.Endpoint {
	out := make([]zvm.Endpoint, 0, len(endpoints)+1)
	for _, e := range endpoints {
		out = append(out, e.ep)
		if e.also != "" {
			out = append(out, e.also)
		}
	}
	return out
}
