// Package webserver builds the exporter's HTTP server with the bounds an outsider who reaches
// its port cannot exceed: timeouts on reading a request, writing an answer and idling between
// requests, and a connection bound that, when reached, closes the oldest idle connections, so
// that a crowd of idle clients never keeps Prometheus's scrape from being answered.
package webserver

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/zerto-exporter/zerto_exporter/collector"
)

// Timeouts of the server. WriteTimeout bounds a whole answer, so it is longer than any scrape
// timeout Prometheus is given (its default is 10 s; the exporter caps a scrape at the timeout it
// is sent, see exporter.ScrapeContext).
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 5 * time.Minute
	IdleTimeout       = 2 * time.Minute
)

// DefaultMaxConnections is the default of --web.max-connections, as Prometheus's: half the
// usual 1,024-descriptor limit, leaving the rest to the ZVM clients and files.
const DefaultMaxConnections = 512

// New returns a server for handler whose connections Limit bounds to max (0: no bound).
func New(handler http.Handler, max int) (*http.Server, *Limit) {
	l := &Limit{max: max, conns: map[net.Conn]*conn{}}
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		ConnState:         l.connState,
	}, l
}

// Limit keeps the server's open connections within max. A connection that would pass it
// closes the oldest connection that is idle or has not sent a request yet; connections that
// are answering a request are never closed.
type Limit struct {
	max    int
	closed atomic.Uint64

	mu    sync.Mutex
	conns map[net.Conn]*conn
}

type conn struct {
	active bool
	since  time.Time // when it last became idle or opened
}

func (l *Limit) connState(c net.Conn, st http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch st {
	case http.StateNew:
		l.conns[c] = &conn{since: time.Now()}
		if l.max > 0 && len(l.conns) > l.max {
			l.closeOldestIdleLocked(c)
		}
	case http.StateActive:
		if e, ok := l.conns[c]; ok {
			e.active = true
		}
	case http.StateIdle:
		if e, ok := l.conns[c]; ok {
			e.active, e.since = false, time.Now()
		}
	case http.StateHijacked, http.StateClosed:
		delete(l.conns, c)
	}
}

// closeOldestIdleLocked closes the oldest connection not answering a request, other than
// keep. It is forgotten at once; the server sees it closed on its next read.
func (l *Limit) closeOldestIdleLocked(keep net.Conn) {
	var oldest net.Conn
	var since time.Time
	for c, e := range l.conns {
		if c != keep && !e.active && (oldest == nil || e.since.Before(since)) {
			oldest, since = c, e.since
		}
	}
	if oldest == nil {
		return // every other connection is busy: this one is served too, over the bound
	}
	delete(l.conns, oldest)
	_ = oldest.Close()
	l.closed.Add(1)
}

// Open returns how many connections are open.
func (l *Limit) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

// Describe implements prometheus.Collector.
func (l *Limit) Describe(ch chan<- *prometheus.Desc) { ch <- collector.HTTPConnectionsClosedDesc }

// Collect implements prometheus.Collector.
func (l *Limit) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(collector.HTTPConnectionsClosedDesc, prometheus.CounterValue, float64(l.closed.Load()))
}
