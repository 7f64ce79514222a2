package zvmsim

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Sim is a simulated pair of ZVMs. Create it with New, then either Start its
// listeners or mount Handler in an httptest server.
type Sim struct {
	opts   Options
	model  *model
	auth   *authStore
	routes map[string]route
	// objects serves <collection>/{id}, keyed by the collection's path.
	objects map[string]objectRoute
	counts  [2]requestCounter
	// unknown counts the requests to paths that are not ZVM endpoints, per
	// path, so that an endpoint a client needs and the simulator lacks shows.
	unknown [2]requestCounter
	bufs    sync.Pool // *bufio.Writer, reused across responses
	cert    tls.Certificate
	caPEM   []byte

	mu        sync.Mutex // guards listeners and closed
	listeners [2]*listener
	closed    bool
}

// listener is one site's socket and server. A down fault closes both and
// keeps addr, so that the site comes back on the same address.
type listener struct {
	addr  string
	srv   *http.Server
	ln    net.Listener
	down  bool
	timer *time.Timer // ends a timed down fault
}

// New validates opts and builds the simulator's model.
func New(opts Options) (*Sim, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("zvmsim: %w", err)
	}
	sz, err := lookupProfile(opts.Profile, opts.VMs)
	if err != nil {
		return nil, fmt.Errorf("zvmsim: %w", err)
	}
	s := &Sim{
		opts:  opts,
		model: build(opts.Seed, sz, opts.Clock()),
		auth:  newAuthStore(opts),
		bufs:  sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }},
	}
	s.model.recompute()
	s.routes = s.newRoutes()
	s.objects = objectRoutes(opts.Flavour)
	if opts.TLS {
		if s.cert, s.caPEM, err = selfSignedCert(); err != nil {
			return nil, fmt.Errorf("zvmsim: TLS certificate: %w", err)
		}
	}
	return s, nil
}

// Handler serves role's ZVM, including the /_sim/ control API, for use
// without listeners (httptest). Down faults need listeners.
func (s *Sim) Handler(role Role) http.Handler { return siteHandler{s: s, role: role} }

// Start listens for the protected site on protectedAddr and, unless
// recoveryAddr is empty, for the recovery site on recoveryAddr. Port 0 picks
// a free port; URL tells which.
func (s *Sim) Start(protectedAddr, recoveryAddr string) error {
	if protectedAddr == "" {
		return errors.New("zvmsim: start: the protected site needs an address")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listeners[Protected] != nil {
		return errors.New("zvmsim: start: already started")
	}
	for _, l := range []struct {
		role Role
		addr string
	}{{Protected, protectedAddr}, {Recovery, recoveryAddr}} {
		if l.addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", l.addr)
		if err != nil {
			_ = s.closeLocked() // the listen error is the one to report
			return fmt.Errorf("zvmsim: start %s site: %w", l.role, err)
		}
		s.listeners[l.role] = &listener{addr: ln.Addr().String()}
		s.serve(l.role, ln)
	}
	return nil
}

// serve runs role's HTTP server on ln. The caller holds s.mu.
func (s *Sim) serve(role Role, ln net.Listener) {
	l := s.listeners[role]
	if s.opts.TLS {
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12})
	}
	l.ln, l.down = ln, false
	srv := &http.Server{Handler: s.Handler(role), ReadHeaderTimeout: 10 * time.Second}
	l.srv = srv
	go func() { _ = srv.Serve(ln) }() // returns when the listener closes (down fault or Close)
}

// URL is the base URL of role's listener, or "" when it has none.
func (s *Sim) URL(role Role) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.listeners[role]
	if l == nil {
		return ""
	}
	scheme := "http"
	if s.opts.TLS {
		scheme = "https"
	}
	return scheme + "://" + l.addr
}

// CACertPEM is the PEM of the certificate the listeners serve (its own CA),
// or nil without TLS.
func (s *Sim) CACertPEM() []byte { return s.caPEM }

// RequestCounts returns how many requests role's ZVM received per endpoint
// path (lower case; single-object URLs as /v1/vpgs/{id}; "unknown" for paths
// that are not ZVM endpoints).
func (s *Sim) RequestCounts(role Role) map[string]int64 { return s.counts[role].snapshot() }

// UnknownPaths returns how many requests role's ZVM received per path that is
// not a ZVM endpoint (lower case, without the query). After maxUnknownPaths
// distinct paths, further new ones are counted together under "(other)".
func (s *Sim) UnknownPaths(role Role) map[string]int64 { return s.unknown[role].snapshot() }

// Close stops both listeners.
func (s *Sim) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeLocked()
}

func (s *Sim) closeLocked() error {
	s.closed = true
	var errs []error
	for _, l := range s.listeners {
		if l == nil {
			continue
		}
		if l.timer != nil {
			l.timer.Stop()
		}
		if !l.down {
			if err := l.srv.Close(); err != nil {
				errs = append(errs, err)
			}
			l.down = true
		}
	}
	return errors.Join(errs...)
}

// InjectFault applies a fault to the shared model (or to the listeners) and
// returns its id.
func (s *Sim) InjectFault(f Fault) (string, error) {
	now := s.opts.Clock()
	s.model.mu.Lock()
	f, err := s.model.validate(f)
	s.model.mu.Unlock()
	if err != nil {
		return "", err
	}
	switch f.Kind {
	case KindExpireCredentials:
		s.auth.expireAll()
		s.model.mu.Lock()
		defer s.model.mu.Unlock()
		s.model.nextID++
		return fmt.Sprintf("f%d", s.model.nextID), nil
	case KindDown:
		return s.takeDown(f, now)
	case KindEncryptionSuspected, KindEJCFailure, KindRepositoryFull:
		if s.opts.Flavour == FlavourWindows {
			return "", fmt.Errorf("%s: a Windows ZVM has no encryption detection or Extended Journal Copy API", f.Kind)
		}
	case KindHTTPError, KindMalformed, KindHugeBody, KindLatency, KindSet:
		if err := s.checkEndpoint(f.Endpoint, f.Kind == KindLatency); err != nil {
			return "", err
		}
	}
	s.model.mu.Lock()
	defer s.model.mu.Unlock()
	return s.model.inject(f, now, randomUUID()).ID, nil
}

// checkEndpoint rejects endpoints this flavour does not serve, which would
// make a fault that never fires.
func (s *Sim) checkEndpoint(endpoint string, wildcard bool) error {
	p := canonicalPath(endpoint)
	if wildcard && (p == "" || p == "*") {
		return nil
	}
	if collection, isObject := strings.CutSuffix(p, "/{id}"); isObject && s.objects[collection] != nil {
		return nil
	}
	if _, ok := s.routes[p]; !ok {
		return fmt.Errorf("unknown endpoint %q for a %s ZVM (want a path such as /v1/vpgs or /v1/vpgs/{id})", endpoint, s.opts.Flavour)
	}
	return nil
}

// takeDown closes a site's listener and its connections; the site comes
// back on the same address after f.Seconds, or when the fault is cleared.
func (s *Sim) takeDown(f Fault, now time.Time) (string, error) {
	role, err := parseRole(f.Site)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.listeners[role]
	switch {
	case l == nil:
		return "", fmt.Errorf("the %s site has no listener (start the simulator with an address for it)", role)
	case l.down:
		return "", fmt.Errorf("the %s site is already down", role)
	}
	s.model.mu.Lock()
	af := s.model.inject(f, now, "")
	s.model.mu.Unlock()
	// Close the socket and the idle keep-alive connections now, so that no request is served
	// after this returns (as a stopped ZVM resets them), but let in-flight requests (maybe the
	// one injecting this fault) finish; their connections close after the response.
	l.ln.Close()
	l.down = true
	srv := l.srv
	srv.SetKeepAlivesEnabled(false)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			srv.Close()
		}
	}()
	if f.Seconds > 0 {
		l.timer = time.AfterFunc(time.Duration(f.Seconds)*time.Second, func() { _ = s.RemoveFault(af.ID) }) // an error: healed already
	}
	return af.ID, nil
}

// bringUp rebinds a down site's address. The caller holds s.mu.
func (s *Sim) bringUp(role Role) error {
	l := s.listeners[role]
	if l == nil || !l.down || s.closed {
		return nil
	}
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	// The old socket may take a moment to release the port.
	var err error
	for range 50 {
		var ln net.Listener
		if ln, err = net.Listen("tcp", l.addr); err == nil {
			s.serve(role, ln)
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("zvmsim: rebind %s site on %s: %w", role, l.addr, err)
}

// RemoveFault clears one fault by id and undoes its effects.
func (s *Sim) RemoveFault(id string) error {
	removed := s.removeFaults(func(af *ActiveFault) bool { return af.ID == id })
	if len(removed) == 0 {
		return fmt.Errorf("no active fault %q", id)
	}
	return s.restore(removed)
}

// ClearFaults clears every fault: the model is healthy again and down sites
// are back.
func (s *Sim) ClearFaults() {
	// A rebind failure leaves the site down; there is nobody to tell but the
	// caller of RemoveFault, and /_sim/state shows it.
	_ = s.restore(s.removeFaults(func(*ActiveFault) bool { return true }))
}

func (s *Sim) removeFaults(drop func(*ActiveFault) bool) []*ActiveFault {
	now := s.opts.Clock()
	s.model.mu.Lock()
	defer s.model.mu.Unlock()
	return s.model.remove(now, drop)
}

// restore brings back the sites of removed down faults.
func (s *Sim) restore(removed []*ActiveFault) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, af := range removed {
		if af.Fault.Kind == KindDown {
			role, _ := parseRole(af.Fault.Site) // validated when injected
			errs = append(errs, s.bringUp(role))
		}
	}
	return errors.Join(errs...)
}
