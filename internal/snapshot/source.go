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
	client zvm.Reader
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
func NewSource(client zvm.Reader, opts Options) *Source {
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

// refresh reads /v1/localsite, then the other endpoints concurrently, each endpoint that needs
// another's answer right after it.
func (s *Source) refresh(ctx context.Context) *Snapshot {
	start := s.opts.Now()
	snap := &Snapshot{Taken: start, Fetches: make(map[zvm.Endpoint]Fetch, len(s.opts.Endpoints)+1)}
	probe, _ := spec(zvm.EndpointLocalSite)
	store, err := probe.read(ctx, s, readInput{ep: probe.ep, start: start})
	snap.Fetches[zvm.EndpointLocalSite] = Fetch{Err: err, Duration: s.opts.Now().Sub(start)}
	s.logTransition(zvm.EndpointLocalSite, err)
	if err != nil {
		snap.UpErr = err
		snap.Duration = s.opts.Now().Sub(start)
		return snap
	}
	store(snap)

	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		sem = make(chan struct{}, s.opts.Concurrency)
	)
	in := readInput{start: start, local: snap.LocalSite, snap: snap}
	for _, ep := range s.opts.Endpoints {
		e, known := spec(ep)
		switch {
		case !known:
			snap.Fetches[ep] = Fetch{Err: fmt.Errorf("endpoint %s: no reader", ep)}
			continue
		case e.mode == ReadProbe || e.after != "" || e.also == ep:
			continue // read first, or after the endpoint it needs
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			f := s.read(ctx, e, in, &mu)
			for _, d := range endpoints {
				if d.after == ep && slices.Contains(s.opts.Endpoints, d.ep) {
					s.read(ctx, d, readInput{start: start, local: in.local, snap: snap, afterErr: f.Err}, &mu)
				}
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

// read reads one endpoint, records how it went in snap.Fetches (under e.also too) and stores its
// answer, and returns how it went.
func (s *Source) read(ctx context.Context, e endpointSpec, in readInput, mu *sync.Mutex) Fetch {
	t0 := s.opts.Now()
	in.ep = e.ep
	store, err := e.read(ctx, s, in)
	f := Fetch{Err: err, Duration: s.opts.Now().Sub(t0)}
	if errors.Is(err, zvm.ErrNotSupported) {
		f = Fetch{Unsupported: true, Duration: f.Duration}
	}
	mu.Lock()
	defer mu.Unlock()
	in.snap.Fetches[e.ep] = f
	if e.also != "" {
		in.snap.Fetches[e.also] = f
	}
	if f.Err == nil && store != nil {
		store(in.snap)
	}
	return f
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
