package zvm

import (
	"context"
	"fmt"
	"net/http/httptrace"
	"sync"
	"time"
)

// ServerTime is the ZVM's clock read by GET /v1/serverDateTime/serverDateTimeUtc, with the local
// clock at the moment the ZVM is taken to have read its own: the middle of the request's round trip
// (from the request written to the first byte of the response).
type ServerTime struct {
	Server    time.Time
	Local     time.Time
	RoundTrip time.Duration
}

// Skew is how far the ZVM's clock is ahead of the local one (negative: behind). Its error is at
// most half the round trip.
func (t *ServerTime) Skew() time.Duration { return t.Server.Sub(t.Local) }

// serverTime reads the ZVM's UTC clock. The response is a JSON string (ISO 8601; a value without a
// zone is UTC). Only the attempt that answered is timed: a login or a retry before it does not
// widen the round trip.
func serverTime(ctx context.Context, c *Client, _ Request) (any, error) {
	var (
		mu           sync.Mutex
		wrote, first time.Time
	)
	trace := &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) {
			mu.Lock()
			wrote, first = c.now(), time.Time{}
			mu.Unlock()
		},
		GotFirstResponseByte: func() {
			mu.Lock()
			first = c.now()
			mu.Unlock()
		},
	}
	server, err := get(httptrace.WithClientTrace(ctx, trace), c, resource{ep: EndpointServerTime}, scalar[Time]())
	if err != nil {
		return nil, err
	}
	if !server.Valid() {
		return nil, fmt.Errorf("GET %s: not a date: %q", EndpointServerTime, server.Raw)
	}
	mu.Lock()
	defer mu.Unlock()
	if wrote.IsZero() || first.Before(wrote) {
		return nil, fmt.Errorf("GET %s: the round trip was not timed", EndpointServerTime)
	}
	rtt := first.Sub(wrote)
	return &ServerTime{Server: server.Time, Local: wrote.Add(rtt / 2), RoundTrip: rtt}, nil
}
