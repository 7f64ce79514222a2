package zvm

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/baseurl"
	"github.com/zerto-exporter/zerto_exporter/internal/boundedfile"

	"github.com/go-kit/log"
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
