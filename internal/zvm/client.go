package zvm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/zerto-exporter/zerto_exporter/internal/baseurl"
	"github.com/zerto-exporter/zerto_exporter/internal/boundedfile"
	"github.com/zerto-exporter/zerto_exporter/internal/jsonstream"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
)

// AuthMode selects how the client logs in to the ZVM.
type AuthMode string

// The authentication flavours (docs/zvm-api.md, Authentication).
const (
	AuthAuto     AuthMode = "auto"     // detect on first login and remember
	AuthSession  AuthMode = "session"  // Windows ZVM: POST /v1/session/add, x-zerto-session header
	AuthKeycloak AuthMode = "keycloak" // ZVM Appliance: Keycloak token, Bearer header
)

// Defaults of Config.
const (
	DefaultTimeout = 10 * time.Second
	// DefaultMaxResponseBytes holds the largest list, /v1/vms, of about 30,000 VMs (a real row
	// is about 1.6 KB of JSON, the simulator's 2 KB); see docs/reliability.md.
	DefaultMaxResponseBytes = 64 << 20
	DefaultClientID         = "zerto-client"
)

// Config configures a Client. Password and ClientSecret are secrets: the client never logs them
// or puts them in errors.
type Config struct {
	URL  string   // http:// or https:// base, e.g. https://zvm:443
	Auth AuthMode // default AuthAuto
	// SessionAuthMethod is how a Windows ZVM checks the account: SessionWindows (default) or
	// SessionVCenter for a vCenter (SSO) account.
	SessionAuthMethod  SessionAuthMethod
	Username           string
	Password           string
	ClientID           string           // Keycloak client; default "zerto-client" for the password grant
	ClientSecret       string           // non-empty selects the client_credentials grant
	CAFile             string           // PEM roots that replace the system pool for the ZVM
	InsecureSkipVerify bool             // TLS verification is on unless this is set
	Timeout            time.Duration    // cap of each HTTP attempt (also bounded by ctx); default 10s
	MaxResponseBytes   int64            // default 64 MiB
	Logger             log.Logger       // nil = nop
	Observer           Observer         // nil = none
	Now                func() time.Time // clock for token expiry, login back-off and the clock-skew reading; default time.Now
	// Logins is the process's login back-off, shared by the clients of one ZVM and account;
	// nil for one of the client's own.
	Logins *Logins
}

// Observer is told about every HTTP attempt, logins included. code is the HTTP status as a string,
// or "error" when no response came.
type Observer interface {
	ObserveRequest(endpoint Endpoint, code string, d time.Duration)
}

// Client reads one ZVM. It is safe for concurrent use; concurrent callers share one login.
type Client struct {
	base     *url.URL
	hc       *http.Client
	cfg      Config
	logger   log.Logger
	obs      Observer
	now      func() time.Time
	timeout  time.Duration
	maxBytes int64

	retryBase  time.Duration // first retry delay, doubled per retry
	maxRetries int

	auth authState
}

// Retry policy. Zerto documents no rate limits; two extra attempts absorb a restarting ZVM
// without tripling the load of a broken one.
const (
	defaultRetryBase  = 500 * time.Millisecond
	defaultMaxRetries = 2
	maxRetryAfter     = 30 * time.Second // a longer Retry-After gives up this refresh instead
	maxDrain          = 64 << 10         // bytes read from an unused body so the connection is reused
)

// New validates cfg and builds a client. It does not contact the ZVM.
func New(cfg Config) (*Client, error) {
	u, err := baseurl.Parse(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("zvm: URL %w", err)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""

	if cfg.Auth == "" {
		cfg.Auth = AuthAuto
	}
	if !slices.Contains(AuthModes, cfg.Auth) {
		return nil, fmt.Errorf("zvm: unknown auth mode %q (want one of %v)", cfg.Auth, AuthModes)
	}
	if cfg.SessionAuthMethod == "" {
		cfg.SessionAuthMethod = SessionWindows
	}
	if !slices.Contains(SessionAuthMethods, cfg.SessionAuthMethod) {
		return nil, fmt.Errorf("zvm: unknown session auth method %q (want one of %v)", cfg.SessionAuthMethod, SessionAuthMethods)
	}
	clientCreds := cfg.ClientSecret != ""
	switch {
	case cfg.Auth == AuthSession && (cfg.Username == "" || cfg.Password == ""):
		return nil, errors.New("zvm: session auth needs a username and a password")
	case cfg.Auth == AuthSession && clientCreds:
		return nil, errors.New("zvm: a client secret needs keycloak or auto auth")
	case clientCreds && cfg.ClientID == "":
		return nil, errors.New("zvm: a client secret needs a client id")
	case !clientCreds && (cfg.Username == "" || cfg.Password == ""):
		return nil, errors.New("zvm: a username and a password (or a client id and secret) are required")
	}
	if cfg.ClientID == "" {
		cfg.ClientID = DefaultClientID
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = log.NewNopLogger()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}

	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify} //nolint:gosec // explicit opt-in
	if cfg.CAFile != "" {
		pem, err := boundedfile.Read(cfg.CAFile, boundedfile.MaxCA)
		if err != nil {
			return nil, fmt.Errorf("zvm: reading CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("zvm: CA file %s holds no PEM certificate", cfg.CAFile)
		}
		tlsCfg.RootCAs = pool
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsCfg,
		TLSHandshakeTimeout:   10 * time.Second,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		// Lists are megabytes: read them from the socket in 64 KiB rather than the default 4 KiB,
		// a sixteenth of the read calls.
		ReadBufferSize: 64 << 10,
	}
	hc := &http.Client{
		Transport: tr,
		// The session header is not one Go strips on a cross-host redirect: refuse those.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
				return fmt.Errorf("refusing redirect to another host or scheme %q", req.URL.Redacted())
			}
			return nil
		},
	}
	c := &Client{
		base:       u,
		hc:         hc,
		cfg:        cfg,
		logger:     cfg.Logger,
		obs:        cfg.Observer,
		now:        cfg.Now,
		timeout:    cfg.Timeout,
		maxBytes:   cfg.MaxResponseBytes,
		retryBase:  defaultRetryBase,
		maxRetries: defaultMaxRetries,
	}
	c.auth.init(c)
	return c, nil
}

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

// get fetches ep with credentials and decodes the body into out (see decodeBody).
func (c *Client) get(ctx context.Context, ep Endpoint, q url.Values, out any) error {
	return c.getPath(ctx, ep, "", q, out)
}

// getPath is get for a templated endpoint: path is the URL path, ep names it in errors and metrics.
func (c *Client) getPath(ctx context.Context, ep Endpoint, path string, q url.Values, out any) error {
	rq := call{ep: ep, path: path, query: q}
	return c.authed(ctx, rq, func(resp *http.Response) error {
		if err := decodeBody(resp.Body, c.maxBytes, out); err != nil {
			return fmt.Errorf("%s %s: %w", rq.verb(), ep, err)
		}
		return nil
	})
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

// jsonListDecoder decodes a JSON array one element at a time with encoding/json, under the
// budget of b.
type jsonListDecoder interface {
	decodeJSON(dec *json.Decoder, b *body) error
}

// jsonList streams a JSON array (or null) into *items, so a 10,000-VM list never sits in memory
// twice.
type jsonList[T any] struct{ items *[]T }

// A response is decoded within the budget of its size cap (limit, --zvm.max-response-size), so
// that no body, whatever its shape, costs much more memory than the cap:
//   - the body is read as a stream, at most limit bytes of it;
//   - no single value (list element, object, string) may span more than a quarter of it, since
//     a decoder buffers the value it is reading whole, and grows its buffer by doubling;
//   - a list's decoded elements may take at most half of it, since the slice holding them briefly
//     holds its old and its new array while it grows: a body of empty objects ("[{},{},…]")
//     would otherwise decode to a hundred times its own size.
//
// The strings of the elements are copied from the body, so they take no more than the bytes
// read. Real data is far from these bounds: a VM row is about 2 KB of JSON and 256 bytes decoded
// plus its strings, and no element or object is bigger than some kilobytes.
var (
	errDecodedTooBig = errors.New("too many elements")
	errValueTooBig   = errors.New("value too big")
)

// minDecodedList is the least budget for decoded elements and single values, for tiny caps.
const minDecodedList = 1 << 20

// decodedBudget is how many bytes of decoded elements a response of at most limit bytes may hold.
func decodedBudget(limit int64) int64 { return max(limit/2, minDecodedList) }

// valueBudget is how many bytes one value of a response of at most limit bytes may span.
func valueBudget(limit int64) int64 { return max(limit/4, minDecodedList) }

// overBudget returns errDecodedTooBig when n decoded elements of T take more than the budget for
// a response of at most limit bytes.
func overBudget[T any](n int, limit int64) error {
	elem := max(int64(unsafe.Sizeof(*new(T))), 1) //nolint:gosec // a type's size fits an int64
	if int64(n)*elem > decodedBudget(limit) {
		return fmt.Errorf("%w: %d decoded elements of %d bytes", errDecodedTooBig, n, elem)
	}
	return nil
}

// appendWithin appends item to *items. The slice grows by doubling, which leaves half the garbage
// append's growth by a quarter does at this size, but never past the decoded budget of limit, so
// that a slice at its budget and its copy together take at most one and a half times it.
func appendWithin[T any](items *[]T, item T, limit int64) {
	s := *items
	if len(s) == cap(s) {
		elem := max(int64(unsafe.Sizeof(item)), 1) //nolint:gosec // a type's size fits an int64
		n := min(max(2*len(s), 16), int(decodedBudget(limit)/elem))
		grown := make([]T, len(s), max(n, len(s)+1))
		copy(grown, s)
		s = grown
	}
	*items = append(s, item)
}

// body reads a response of at most limit bytes (one more, to tell that it is bigger), and at most
// valueBudget(limit) bytes past the start of the value being decoded (startValue): reading
// further fails with errValueTooBig. Decoders read ahead, so a value may span up to one read
// buffer more.
type body struct {
	lr    io.LimitedReader
	limit int64
	mark  int64 // bytes read when the current value started
}

func newBody(r io.Reader, limit int64) *body {
	return &body{lr: io.LimitedReader{R: r, N: limit + 1}, limit: limit}
}

func (b *body) read() int64 { return b.limit + 1 - b.lr.N }

// tooBig reports whether the body is longer than limit.
func (b *body) tooBig() bool { return b.lr.N <= 0 }

// startValue starts the budget of one value (a list element) at the bytes read so far.
func (b *body) startValue() { b.mark = b.read() }

func (b *body) Read(p []byte) (int, error) {
	room := b.mark + valueBudget(b.limit) - b.read()
	if room <= 0 {
		return 0, fmt.Errorf("%w: over %d bytes", errValueTooBig, valueBudget(b.limit))
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	return b.lr.Read(p)
}

func (l jsonList[T]) decodeJSON(dec *json.Decoder, b *body) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil // null
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("want a JSON array, got %s", tokenKind(tok))
	}
	for dec.More() {
		if err := overBudget[T](len(*l.items)+1, b.limit); err != nil {
			return err
		}
		b.startValue()
		var item T
		if err := dec.Decode(&item); err != nil {
			return fmt.Errorf("element %d: %w", len(*l.items), eofIsUnexpected(err))
		}
		appendWithin(l.items, item, b.limit)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return eofIsUnexpected(err)
	}
	return nil
}

func tokenKind(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		return "an object"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", tok)
}

func eofIsUnexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// handwrittenListDecoder decodes a JSON array with a hand-written decoder (decode_stream.go),
// under the same budget as jsonListDecoder.
type handwrittenListDecoder interface {
	decodeHandwritten(d *jsonstream.Decoder, b *body) error
}

// decodeBody decodes one JSON value from r into out (a pointer, a jsonListDecoder or a
// handwrittenListDecoder), reading at most limit bytes, and rejects anything but whitespace after
// it. It never panics. The decoded data is held to the budget of limit (see body).
func decodeBody(r io.Reader, limit int64, out any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("decoding response: internal error: %v", p)
		}
	}()
	b := newBody(r, limit)
	tooBig := b.tooBig
	var trailing func() bool // reports whether more than whitespace follows the value
	switch out := out.(type) {
	case handwrittenListDecoder:
		d := jsonstream.NewDecoder(b)
		err = out.decodeHandwritten(d, b)
		trailing = func() bool { d.End(); return d.Err() != nil }
	case jsonListDecoder:
		dec := json.NewDecoder(b)
		err = out.decodeJSON(dec, b)
		trailing = func() bool { _, err := dec.Token(); return !errors.Is(err, io.EOF) }
	default:
		dec := json.NewDecoder(b)
		err = dec.Decode(out)
		trailing = func() bool { _, err := dec.Token(); return !errors.Is(err, io.EOF) }
	}
	switch {
	case tooBig():
		return fmt.Errorf("response exceeds %d bytes", limit)
	case errors.Is(err, errDecodedTooBig):
		return fmt.Errorf("response of at most %d bytes decodes to over %d: %w", limit, decodedBudget(limit), err)
	case errors.Is(err, errValueTooBig):
		return fmt.Errorf("response of at most %d bytes: %w", limit, err)
	case errors.Is(err, io.EOF):
		return errors.New("empty response body")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("truncated response: %w", err)
	case err != nil:
		return fmt.Errorf("decoding response: %w", err)
	}
	if trailing() {
		if tooBig() {
			return fmt.Errorf("response exceeds %d bytes", limit)
		}
		return errors.New("decoding response: unexpected data after the JSON value")
	}
	return nil
}
