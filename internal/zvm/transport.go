package zvm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-kit/log/level"
)

// Retry policy. Zerto documents no rate limits; two extra attempts absorb a restarting ZVM
// without tripling the load of a broken one.
const (
	defaultRetryBase  = 500 * time.Millisecond
	defaultMaxRetries = 2
	maxRetryAfter     = 30 * time.Second // a longer Retry-After gives up this refresh instead
	maxDrain          = 64 << 10         // bytes read from an unused body so the connection is reused
)

// call describes one logical request; do may send it several times.
type call struct {
	method string // empty means GET
	ep     Endpoint
	path   string // the URL path when ep is a template (/v1/vpgs/{vpgIdentifier}/...); empty means ep
	query  url.Values
	form   url.Values          // form-encoded POST body
	json   string              // JSON POST body, when form is nil
	auth   func(*http.Request) // sets credentials; nil for none
}

func (r *call) verb() string {
	if r.method == "" {
		return http.MethodGet
	}
	return r.method
}

// authed sends rq with the current credential. A 401 drops that credential, logs in again and
// repeats the request once; a second 401 is returned as it is.
func (c *Client) authed(ctx context.Context, rq call, ok func(*http.Response) error) error {
	for reauth := false; ; reauth = true {
		cred, err := c.auth.credential(ctx)
		if err != nil {
			return fmt.Errorf("%s %s: %w", rq.verb(), rq.ep, err)
		}
		rq.auth = cred.apply
		err = c.do(ctx, rq, ok)
		var ae *APIError
		if !reauth && errors.As(err, &ae) && ae.StatusCode == http.StatusUnauthorized {
			level.Debug(c.logger).Log("msg", "ZVM rejected the credential; logging in again", "endpoint", rq.ep)
			c.auth.invalidate(cred)
			continue
		}
		return err
	}
}

// do sends rq, retrying 429, 502, 503, 504 and connection errors at most maxRetries times, and
// only while ctx leaves time for the wait. A 2xx response goes to ok; any other is an *APIError.
func (c *Client) do(ctx context.Context, rq call, ok func(*http.Response) error) error {
	for attempt := 0; ; attempt++ {
		wait, retry, err := c.once(ctx, rq, ok, attempt)
		if !retry || attempt >= c.maxRetries || ctx.Err() != nil {
			return err
		}
		if dl, has := ctx.Deadline(); has && time.Until(dl) <= wait {
			level.Debug(c.logger).Log("msg", "not retrying: the deadline is too close", "endpoint", rq.ep, "wait", wait, "err", err)
			return err
		}
		level.Debug(c.logger).Log("msg", "retrying ZVM request", "endpoint", rq.ep, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// once performs one HTTP attempt. It returns the wait before a retry and whether one is allowed.
func (c *Client) once(ctx context.Context, rq call, ok func(*http.Response) error, attempt int) (time.Duration, bool, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := c.newRequest(actx, rq)
	if err != nil {
		return 0, false, err
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.observe(rq.ep, "error", time.Since(start))
		err = fmt.Errorf("%s %s: %w", rq.verb(), rq.ep, stripURL(err))
		return c.backoff(attempt), retryable(ctx, actx, err), err
	}
	defer drainClose(resp.Body)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		err := ok(resp)
		if err != nil && actx.Err() != nil && !errors.Is(err, actx.Err()) {
			// The deadline cut the body short; the read error itself would only say that the
			// connection was closed.
			err = fmt.Errorf("%s %s: reading the response: %w", rq.verb(), rq.ep, actx.Err())
		}
		c.observe(rq.ep, strconv.Itoa(resp.StatusCode), time.Since(start))
		return 0, false, err
	}
	msg, oauth := errorMessage(resp.Body)
	c.observe(rq.ep, strconv.Itoa(resp.StatusCode), time.Since(start))
	apiErr := &APIError{Method: rq.method, Endpoint: rq.ep, StatusCode: resp.StatusCode, Message: msg, oauth: oauth}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		wait := c.backoff(attempt)
		if s := resp.Header.Get("Retry-After"); s != "" {
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n >= 0 {
				wait = time.Duration(n) * time.Second
				if wait > maxRetryAfter {
					return 0, false, apiErr
				}
			}
		}
		return wait, true, apiErr
	}
	return 0, false, apiErr
}

func (c *Client) newRequest(ctx context.Context, rq call) (*http.Request, error) {
	u := *c.base
	if rq.path != "" {
		u.Path += rq.path
	} else {
		u.Path += string(rq.ep)
	}
	u.RawQuery = rq.query.Encode()
	var body io.Reader
	switch {
	case rq.form != nil:
		body = strings.NewReader(rq.form.Encode())
	case rq.json != "":
		body = strings.NewReader(rq.json)
	}
	req, err := http.NewRequestWithContext(ctx, rq.verb(), u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", rq.verb(), rq.ep, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "zerto_exporter")
	switch {
	case rq.form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case rq.json != "":
		req.Header.Set("Content-Type", "application/json")
	}
	if rq.auth != nil {
		rq.auth(req)
	}
	return req, nil
}

// backoff is the delay before retry attempt+1: retryBase doubled per attempt, with 20% jitter.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retryBase << attempt
	return d + time.Duration(rand.Int64N(int64(d)/5+1)) //nolint:gosec // jitter needs no cryptographic randomness
}

func (c *Client) observe(ep Endpoint, code string, d time.Duration) {
	if c.obs != nil {
		c.obs.ObserveRequest(ep, code, d)
	}
}

// retryable says whether a transport error is a connection failure that may go away on its own
// (refused, reset, dropped). Timeouts are not retried, since a slow ZVM would only get more load;
// nor are certificate errors or refused redirects.
func retryable(ctx, attemptCtx context.Context, err error) bool {
	if ctx.Err() != nil || attemptCtx.Err() != nil {
		return false
	}
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) {
		return false
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED)
}

// stripURL drops the URL from a *url.Error: the endpoint is named already, and a query could
// be long.
func stripURL(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}

// drainClose reads a little of what is left of a body, so that the connection can be reused,
// and closes it. A body bigger than that is dropped with its connection.
func drainClose(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, maxDrain)
	_ = body.Close()
}
