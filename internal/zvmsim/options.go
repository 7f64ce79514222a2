package zvmsim

import (
	"fmt"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

// Flavours of ZVM the simulator can impersonate.
const (
	// FlavourAppliance is the Linux ZVM Appliance (9.5 U1+, all of 10.x):
	// Keycloak bearer tokens, ISO 8601 dates, the 10.x object shapes.
	FlavourAppliance = "appliance"
	// FlavourWindows is the Windows ZVM (up to 9.7): session tokens,
	// /Date(ms)/ dates on tasks, alerts and events, the 7.x object shapes.
	FlavourWindows = "windows"
)

// Defaults applied by New to empty Options fields.
const (
	DefaultUsername           = sim.DefaultUser
	DefaultPassword           = "zerto"
	DefaultTokenTTL           = 300 * time.Second
	DefaultSessionIdleTimeout = 30 * time.Minute
)

// Session account kinds (Options.SessionAccount).
const (
	AccountWindows = "windows"
	AccountVCenter = "vcenter"
)

// keycloakPublicClient is the built-in public client that accepts the
// password grant on a ZVM Appliance.
const keycloakPublicClient = "zerto-client"

// Options configure a simulator. The zero value is a valid demo appliance.
type Options struct {
	// Flavour is FlavourAppliance (default) or FlavourWindows.
	Flavour string
	// Profile is demo (default), small or large.
	Profile string
	// VMs scales the profile to about this many VMs (VPGs and VRAs in
	// proportion); 0 keeps the profile's size.
	VMs int
	// Seed makes the model deterministic: the same seed gives the same model.
	Seed int64
	// Username and Password are accepted by the session login (windows) and
	// the password grant (appliance).
	Username, Password string
	// SessionAccount is the kind of account Username is on a windows ZVM: AccountWindows
	// (default) logs in with no body, AccountVCenter (a vCenter/SSO account) only with
	// {"AuthenticationMethod":1}; the wrong method is refused with 401.
	SessionAccount string
	// ClientID and ClientSecret enable the client_credentials grant on the
	// appliance; both or neither.
	ClientID, ClientSecret string
	// TokenTTL is the appliance access-token lifetime (default 300 s).
	TokenTTL time.Duration
	// SessionIdleTimeout is the windows session's sliding idle expiry
	// (default 30 minutes).
	SessionIdleTimeout time.Duration
	// TLS serves HTTPS with a self-signed certificate generated at start.
	TLS bool
	// Clock replaces time.Now, for tests that move time by hand.
	Clock func() time.Time
}

// withDefaults validates opts and fills in the defaults.
func (opts Options) withDefaults() (Options, error) {
	if opts.Flavour == "" {
		opts.Flavour = FlavourAppliance
	}
	if opts.Flavour != FlavourAppliance && opts.Flavour != FlavourWindows {
		return opts, fmt.Errorf("unknown flavour %q (want %s or %s)", opts.Flavour, FlavourAppliance, FlavourWindows)
	}
	if opts.SessionAccount == "" {
		opts.SessionAccount = AccountWindows
	}
	if opts.SessionAccount != AccountWindows && opts.SessionAccount != AccountVCenter {
		return opts, fmt.Errorf("unknown session account kind %q (want %s or %s)", opts.SessionAccount, AccountWindows, AccountVCenter)
	}
	if opts.Profile == "" {
		opts.Profile = "demo"
	}
	if _, err := sim.LookupProfile(opts.Profile, opts.VMs); err != nil {
		return opts, err
	}
	if opts.Username == "" {
		opts.Username = DefaultUsername
	}
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if (opts.ClientID == "") != (opts.ClientSecret == "") {
		return opts, fmt.Errorf("client id and client secret must be given together")
	}
	if opts.ClientID == keycloakPublicClient {
		return opts, fmt.Errorf("client id %q is the built-in public client; choose another name for client credentials", keycloakPublicClient)
	}
	switch {
	case opts.TokenTTL < 0:
		return opts, fmt.Errorf("token TTL %v is negative", opts.TokenTTL)
	case opts.TokenTTL == 0:
		opts.TokenTTL = DefaultTokenTTL
	}
	switch {
	case opts.SessionIdleTimeout < 0:
		return opts, fmt.Errorf("session idle timeout %v is negative", opts.SessionIdleTimeout)
	case opts.SessionIdleTimeout == 0:
		opts.SessionIdleTimeout = DefaultSessionIdleTimeout
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	return opts, nil
}
