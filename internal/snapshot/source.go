package snapshot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	"golang.org/x/sync/singleflight"

	"github.com/zerto-exporter/zerto_exporter/internal/vsphere"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// Client is the part of *zvm.Client a Source reads from.
type Client interface {
	LocalSite(ctx context.Context) (*zvm.LocalSite, error)
	PeerSites(ctx context.Context) ([]zvm.PeerSite, error)
	VPGs(ctx context.Context) ([]zvm.VPG, error)
	VMs(ctx context.Context) ([]zvm.VM, error)
	VRAs(ctx context.Context) ([]zvm.VRA, error)
	Alerts(ctx context.Context) ([]zvm.Alert, error)
	Datastores(ctx context.Context) ([]zvm.Datastore, error)
	License(ctx context.Context) (*zvm.License, error)
	Tasks(ctx context.Context, startedAfter time.Time) ([]zvm.Task, error)
	RecoveryReports(ctx context.Context, q zvm.RecoveryQuery) ([]zvm.RecoveryReport, error)
	VMStatistics(ctx context.Context) ([]zvm.VMStatistics, error)
	Volumes(ctx context.Context) ([]zvm.Volume, error)
	ServerTime(ctx context.Context) (*zvm.ServerTime, error)
	UnprotectedVMs(ctx context.Context, siteID string) ([]zvm.UnprotectedVM, error)
	ServiceProfiles(ctx context.Context) ([]zvm.ServiceProfile, error)
	CheckpointStats(ctx context.Context, vpgID string) (*zvm.CheckpointStats, error)
	Checkpoints(ctx context.Context, vpgID string, since time.Time) ([]zvm.Checkpoint, error)
	EnumNames(ctx context.Context, ep zvm.Endpoint) ([]string, error)
	EncryptionState(ctx context.Context) (*zvm.EncryptionDetectionState, error)
	SuspectedVPGs(ctx context.Context) ([]zvm.SuspectedVPG, error)
	SuspectedVMs(ctx context.Context) ([]zvm.SuspectedVM, error)
	EncryptionMetricsVPGs(ctx context.Context) ([]zvm.VPGEncryptionMetrics, error)
	EJCHealth(ctx context.Context) ([]zvm.EJCVPGHealth, error)
	EJCRepositories(ctx context.Context) ([]zvm.EJCRepository, error)
}

// VSphereReader reads the vCenter side of the VRAs: their VMs, found by name (the VRAs' VraName),
// and the ESXi hosts they run on. Names it does not find are absent from the result.
type VSphereReader interface {
	ReadVRAs(ctx context.Context, names []string) (map[string]vsphere.VRA, error)
}

// Options configure a Source.
type Options struct {
	// Endpoints to read besides /v1/localsite, which is always read first.
	Endpoints []zvm.Endpoint
	// CacheTTL is how long a snapshot is served before a scrape triggers a refresh.
	CacheTTL time.Duration
	// RefreshTimeout bounds a refresh that no scrape deadline bounds.
	RefreshTimeout time.Duration
	// Concurrency bounds the endpoints read at once after /v1/localsite.
	Concurrency int
	// RecoveryLookback is how far back the first read of the recovery reports goes.
	RecoveryLookback time.Duration
	// TaskLookback is how far back /v1/tasks is read, to find operations still running.
	TaskLookback time.Duration
	// VSphere, when set, is read right after /v1/vras (it needs the VRA names) if Endpoints
	// includes EndpointVCenter.
	VSphere VSphereReader
	// Gate, shared by the Sources of one process, bounds the refreshes running at once; nil for
	// no bound.
	Gate   *Gate
	Logger log.Logger
	Now    func() time.Time
}

// minRefreshTime is the time a refresh gets when the scrape that started it leaves it less than
// minScrapeBudget: that scrape gives up waiting anyway, and the refresh finishes for the scrapes
// that share or follow it. Any other scrape's deadline bounds the refresh it starts, so that the
// scrape answers in time with what was read (zerto_up 1, the slow endpoints' collectors failed)
// rather than with nothing.
const (
	minRefreshTime  = time.Second
	minScrapeBudget = 250 * time.Millisecond
)

// deadlineMargin is kept from a scrape's deadline for building and encoding the exposition.
const deadlineMargin = 250 * time.Millisecond

// Source serves the snapshot of one ZVM, refreshing it when it is older than the cache TTL.
// Concurrent callers share one refresh, so two Prometheus replicas do not double the ZVM's load.
type Source struct {
	client Client
	opts   Options
	group  singleflight.Group

	mu  sync.Mutex
	cur *Snapshot

	// refreshing state, touched only inside the single-flight refresh
	recovery    *recoveryTracker
	tagged      map[string]*taggedState // by VPG id, for the checkpoints collector
	lastErrs    map[zvm.Endpoint]string
	unsupported map[zvm.Endpoint]bool
	enums       *EnumNames
	warnings    *DecodeWarnings
}

// NewSource returns a Source reading from client.
func NewSource(client Client, opts Options) *Source {
	if opts.Logger == nil {
		opts.Logger = log.NewNopLogger()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.RefreshTimeout <= 0 {
		opts.RefreshTimeout = time.Minute
	}
	if opts.TaskLookback <= 0 {
		opts.TaskLookback = 7 * 24 * time.Hour
	}
	return &Source{
		client:      client,
		opts:        opts,
		recovery:    newRecoveryTracker(opts.RecoveryLookback),
		lastErrs:    map[zvm.Endpoint]string{},
		unsupported: map[zvm.Endpoint]bool{},
		enums:       NewEnumNames(opts.Logger, nil),
		warnings:    NewDecodeWarnings(opts.Logger),
	}
}

// Get returns a snapshot no older than the cache TTL, refreshing it if needed. It returns early
// with ctx's error if ctx ends before a refresh completes; the refresh itself goes on for the
// callers that share it, bounded by the first caller's deadline.
func (s *Source) Get(ctx context.Context) (*Snapshot, error) {
	s.mu.Lock()
	cur := s.cur
	s.mu.Unlock()
	if cur != nil && s.opts.Now().Sub(cur.Taken) < s.opts.CacheTTL {
		return cur, nil
	}
	now := s.opts.Now()
	deadline := now.Add(s.opts.RefreshTimeout)
	if d, ok := ctx.Deadline(); ok {
		sd := d.Add(-deadlineMargin)
		if sd.Sub(now) < minScrapeBudget {
			sd = now.Add(minRefreshTime)
		}
		deadline = earlier(deadline, sd)
	}
	ch := s.group.DoChan("refresh", func() (any, error) {
		rctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
		defer cancel()
		if err := s.opts.Gate.Acquire(rctx); err != nil {
			// No slot before the deadline: this scrape reports the ZVM down, and the next one
			// tries again.
			snap := &Snapshot{Taken: s.opts.Now(), UpErr: err, Fetches: map[zvm.Endpoint]Fetch{}}
			return snap, nil
		}
		defer s.opts.Gate.ReleaseAfter(rctx)
		// The expired snapshot is served no more: let it go before the new one is decoded, so
		// that the two are not both in memory.
		s.mu.Lock()
		s.cur = nil
		s.mu.Unlock()
		snap := s.refresh(rctx)
		s.mu.Lock()
		s.cur = snap
		s.mu.Unlock()
		return snap, nil
	})
	select {
	case r := <-ch:
		return r.Val.(*Snapshot), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for ZVM refresh: %w", ctx.Err())
	}
}

// refresh reads /v1/localsite, then the other endpoints concurrently.
func (s *Source) refresh(ctx context.Context) *Snapshot {
	start := s.opts.Now()
	snap := &Snapshot{Taken: start, Fetches: make(map[zvm.Endpoint]Fetch, len(s.opts.Endpoints)+1)}
	ls, err := s.client.LocalSite(ctx)
	snap.Fetches[zvm.EndpointLocalSite] = Fetch{Err: err, Duration: s.opts.Now().Sub(start)}
	s.logTransition(zvm.EndpointLocalSite, err)
	if err != nil {
		snap.UpErr = err
		snap.Duration = s.opts.Now().Sub(start)
		return snap
	}
	snap.LocalSite = ls

	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		sem = make(chan struct{}, s.opts.Concurrency)
	)
	wantVCenter := slices.Contains(s.opts.Endpoints, EndpointVCenter)
	wantCheckpoints := slices.Contains(s.opts.Endpoints, zvm.EndpointCheckpointStats)
	for _, ep := range s.opts.Endpoints {
		switch ep {
		case zvm.EndpointLocalSite, EndpointVCenter, zvm.EndpointCheckpointStats, zvm.EndpointCheckpoints:
			continue // read first, or after the endpoint they depend on
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			t0 := s.opts.Now()
			apply, err := s.fetch(ctx, ep, start, ls)
			f := Fetch{Err: err, Duration: s.opts.Now().Sub(t0)}
			if errors.Is(err, zvm.ErrNotSupported) {
				f = Fetch{Unsupported: true, Duration: f.Duration}
			}
			mu.Lock()
			snap.Fetches[ep] = f
			if f.Err == nil && apply != nil {
				apply(snap)
			}
			mu.Unlock()
			if ep == zvm.EndpointVRAs && wantVCenter {
				s.fetchVCenter(ctx, snap, &mu, f.Err)
			}
			if ep == zvm.EndpointVPGs && wantCheckpoints {
				s.fetchCheckpoints(ctx, snap, &mu, f.Err)
			}
		})
	}
	wg.Wait()
	s.enums.resolve(ctx, s.client, enumCodes(snap))
	snap.Enums = s.enums
	s.warnings.checkDates(snap)
	snap.Warnings = s.warnings
	if f, ok := snap.Fetches[zvm.EndpointTasks]; ok && f.Err == nil {
		s.recovery.noteTasks(snap.Tasks)
	}
	for _, ep := range s.opts.Endpoints {
		f := snap.Fetches[ep]
		if f.Unsupported {
			s.logUnsupported(ep)
			continue
		}
		s.logTransition(ep, f.Err)
	}
	snap.Duration = s.opts.Now().Sub(start)
	return snap
}

// fetch reads one endpoint and returns how to store it in the snapshot. Storing happens under the
// caller's lock, so fetches run concurrently while the snapshot is written by one at a time.
func (s *Source) fetch(ctx context.Context, ep zvm.Endpoint, now time.Time, local *zvm.LocalSite) (func(*Snapshot), error) {
	switch ep {
	case zvm.EndpointVolumes:
		v, err := s.client.Volumes(ctx)
		return func(sn *Snapshot) { sn.Volumes = v }, err
	case zvm.EndpointServerTime:
		v, err := s.client.ServerTime(ctx)
		return func(sn *Snapshot) { sn.ServerTime = v }, err
	case zvm.EndpointUnprotectedVMs:
		v, err := s.client.UnprotectedVMs(ctx, local.ID())
		return func(sn *Snapshot) { sn.UnprotectedVMs = v }, err
	case zvm.EndpointServiceProfiles:
		v, err := s.client.ServiceProfiles(ctx)
		return func(sn *Snapshot) { sn.ServiceProfiles = v }, err
	case zvm.EndpointPeerSites:
		v, err := s.client.PeerSites(ctx)
		return func(sn *Snapshot) { sn.PeerSites = v }, err
	case zvm.EndpointVPGs:
		v, err := s.client.VPGs(ctx)
		return func(sn *Snapshot) { sn.VPGs = v }, err
	case zvm.EndpointVMs:
		v, err := s.client.VMs(ctx)
		return func(sn *Snapshot) { sn.VMs = v }, err
	case zvm.EndpointVRAs:
		v, err := s.client.VRAs(ctx)
		return func(sn *Snapshot) { sn.VRAs = v }, err
	case zvm.EndpointAlerts:
		v, err := s.client.Alerts(ctx)
		return func(sn *Snapshot) { sn.Alerts = v }, err
	case zvm.EndpointDatastores:
		v, err := s.client.Datastores(ctx)
		return func(sn *Snapshot) { sn.Datastores = v }, err
	case zvm.EndpointLicense:
		v, err := s.client.License(ctx)
		return func(sn *Snapshot) { sn.License = v }, err
	case zvm.EndpointTasks:
		v, err := s.client.Tasks(ctx, now.Add(-s.opts.TaskLookback))
		return func(sn *Snapshot) { sn.Tasks = v }, err
	case zvm.EndpointVMStatistics:
		v, err := s.client.VMStatistics(ctx)
		return func(sn *Snapshot) { sn.VMStatistics = v }, err
	case zvm.EndpointEncryptionState:
		v, err := s.client.EncryptionState(ctx)
		return func(sn *Snapshot) { sn.EncryptionState = v }, err
	case zvm.EndpointSuspectedVPGs:
		v, err := s.client.SuspectedVPGs(ctx)
		return func(sn *Snapshot) { sn.SuspectedVPGs = v }, err
	case zvm.EndpointSuspectedVMs:
		v, err := s.client.SuspectedVMs(ctx)
		return func(sn *Snapshot) { sn.SuspectedVMs = v }, err
	case zvm.EndpointEncryptionMetricsVPG:
		v, err := s.client.EncryptionMetricsVPGs(ctx)
		return func(sn *Snapshot) { sn.EncryptionMetrics = v }, err
	case zvm.EndpointEJCHealth:
		v, err := s.client.EJCHealth(ctx)
		return func(sn *Snapshot) { sn.EJCHealth = v }, err
	case zvm.EndpointEJCRepositories:
		v, err := s.client.EJCRepositories(ctx)
		return func(sn *Snapshot) { sn.EJCRepositories = v }, err
	case zvm.EndpointRecoveryReports:
		q := s.recovery.query(now)
		v, err := s.client.RecoveryReports(ctx, q)
		if err != nil {
			return nil, err
		}
		h := s.recovery.add(s.warnings.usableReports(v), now)
		return func(sn *Snapshot) { sn.Recovery = h }, nil
	}
	return nil, fmt.Errorf("endpoint %s: no reader", ep)
}

// fetchVCenter reads the VRAs' VMs and hosts from vCenter once /v1/vras is in snap, and records
// the read under EndpointVCenter.
func (s *Source) fetchVCenter(ctx context.Context, snap *Snapshot, mu *sync.Mutex, vrasErr error) {
	t0 := s.opts.Now()
	var (
		v   map[string]vsphere.VRA
		err error
	)
	switch {
	case s.opts.VSphere == nil:
		err = errors.New("no vCenter configured (--vsphere.url)")
	case vrasErr != nil:
		err = fmt.Errorf("VRA names unknown: %w", vrasErr)
	default:
		names := make([]string, 0, len(snap.VRAs))
		seen := make(map[string]bool, len(snap.VRAs))
		for i := range snap.VRAs {
			if n := snap.VRAs[i].VraName; n != "" && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
		v, err = s.opts.VSphere.ReadVRAs(ctx, names)
	}
	mu.Lock()
	defer mu.Unlock()
	snap.Fetches[EndpointVCenter] = Fetch{Err: err, Duration: s.opts.Now().Sub(t0)}
	if err == nil {
		snap.VSphere = v
	}
}

// logTransition logs an endpoint's failure when it starts or changes, and its recovery, so a ZVM
// that stays broken yields one line rather than one per scrape.
func (s *Source) logTransition(ep zvm.Endpoint, err error) {
	prev, failing := s.lastErrs[ep]
	switch {
	case err == nil && failing:
		delete(s.lastErrs, ep)
		level.Info(s.opts.Logger).Log("msg", "ZVM endpoint recovered", "endpoint", ep)
	case err != nil && failureKey(err) != prev:
		s.lastErrs[ep] = failureKey(err)
		level.Warn(s.opts.Logger).Log("msg", "ZVM endpoint failed", "endpoint", ep, "err", err)
	case err != nil:
		level.Debug(s.opts.Logger).Log("msg", "ZVM endpoint still failing", "endpoint", ep, "err", err)
	}
}

// failureKey tells failures apart for logTransition by kind, not text, so that a ZVM whose error
// message changes on every refresh (a timestamp, a request id) is logged once, not per refresh: a
// rejected login (one failure however its error reads: while logins back off the error names the
// time of the next attempt; the client logs each rejection itself, once per back-off period), an
// HTTP status, a timeout, a network error, or else the type of the innermost error.
func failureKey(err error) string {
	switch {
	case errors.As(err, new(*zvm.AuthError)):
		return "login"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	if ae, ok := errors.AsType[*zvm.APIError](err); ok {
		return fmt.Sprintf("HTTP %d", ae.StatusCode)
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return "network"
	}
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			return fmt.Sprintf("%T", err)
		}
		err = inner
	}
}

// logUnsupported says once, at info level, that this ZVM lacks an endpoint.
func (s *Source) logUnsupported(ep zvm.Endpoint) {
	if s.unsupported[ep] {
		return
	}
	s.unsupported[ep] = true
	level.Info(s.opts.Logger).Log("msg", "ZVM does not have this endpoint; its metrics are left out", "endpoint", ep)
}
