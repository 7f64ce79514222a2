// Command zvmsim serves a simulated pair of Zerto Virtual Managers (the
// protected and the recovery site) for demos, dashboards and tests. See
// internal/zvmsim/README.md.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

type config struct {
	listen, peerListen string
	opts               zvmsim.Options
	certOut            string
	incidentsEvery     time.Duration
	incidentDuration   time.Duration
	// frozenAt is the time the simulated clock stands still at; zero for real time.
	frozenAt time.Time
}

func parseFlags(args []string) (config, error) {
	var c config
	app := kingpin.New("zvmsim", "Simulated Zerto Virtual Manager pair (protected and recovery site).")
	app.HelpFlag.Short('h')
	app.Flag("listen", "Address of the protected site's ZVM.").Default("127.0.0.1:9669").StringVar(&c.listen)
	app.Flag("peer-listen", "Address of the recovery site's ZVM; empty for none.").Default("127.0.0.1:9670").StringVar(&c.peerListen)
	app.Flag("flavour", "ZVM flavour: appliance (Keycloak tokens, 10.x) or windows (sessions, 7.x).").
		Default(zvmsim.FlavourAppliance).EnumVar(&c.opts.Flavour, zvmsim.FlavourAppliance, zvmsim.FlavourWindows)
	app.Flag("profile", "Model size: demo, small or large.").Default("demo").EnumVar(&c.opts.Profile, "demo", "small", "large")
	app.Flag("vms", "Scale the profile to about this many VMs (0 = the profile's size).").Default("0").IntVar(&c.opts.VMs)
	app.Flag("seed", "Seed of the generated model; the same seed gives the same model.").Default("1").Int64Var(&c.opts.Seed)
	app.Flag("username", "User accepted by the login.").Default(zvmsim.DefaultUsername).StringVar(&c.opts.Username)
	app.Flag("password", "Password accepted by the login.").Default(zvmsim.DefaultPassword).StringVar(&c.opts.Password)
	app.Flag("session-account", "Kind of account --username is on a windows ZVM: windows (logs in with no body) or vcenter (only with {\"AuthenticationMethod\":1}).").Default(zvmsim.AccountWindows).EnumVar(&c.opts.SessionAccount, zvmsim.AccountWindows, zvmsim.AccountVCenter)
	app.Flag("client-id", "Keycloak client for the client_credentials grant (appliance).").StringVar(&c.opts.ClientID)
	app.Flag("client-secret", "Secret of --client-id.").StringVar(&c.opts.ClientSecret)
	app.Flag("token-ttl", "Access-token lifetime (appliance).").Default(zvmsim.DefaultTokenTTL.String()).DurationVar(&c.opts.TokenTTL)
	app.Flag("session-idle-timeout", "Sliding idle expiry of sessions (windows).").
		Default(zvmsim.DefaultSessionIdleTimeout.String()).DurationVar(&c.opts.SessionIdleTimeout)
	app.Flag("tls", "Serve HTTPS with a self-signed certificate generated at start.").BoolVar(&c.opts.TLS)
	app.Flag("tls-cert-out", "Write the certificate (PEM, its own CA) to this file.").StringVar(&c.certOut)
	app.Flag("incidents", "Breach one VPG's RPO this often (every third time: an encryption suspicion on the appliance; 0 = never), as the demo does.").Default("0").DurationVar(&c.incidentsEvery)
	app.Flag("incident-duration", "How long each scripted incident lasts.").Default("2m").DurationVar(&c.incidentDuration)
	var clock string
	app.Flag("clock", "Freeze the simulated clock at this time (RFC 3339, e.g. 2026-11-25T12:00:00Z); empty = real time.").StringVar(&clock)
	if _, err := app.Parse(args); err != nil {
		return c, err
	}
	if clock != "" {
		at, err := time.Parse(time.RFC3339, clock)
		if err != nil {
			return c, fmt.Errorf("--clock: %q is not an RFC 3339 time such as 2026-11-25T12:00:00Z", clock)
		}
		c.frozenAt = at
		c.opts.Clock = func() time.Time { return at }
	}
	if c.certOut != "" && !c.opts.TLS {
		return c, fmt.Errorf("--tls-cert-out needs --tls")
	}
	return c, nil
}

func run(ctx context.Context, c config, out io.Writer) (err error) {
	sim, err := zvmsim.New(c.opts)
	if err != nil {
		return err
	}
	if err := sim.Start(c.listen, c.peerListen); err != nil {
		return err
	}
	defer func() {
		if cerr := sim.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("shut down: %w", cerr)
		}
	}()
	if c.certOut != "" {
		if err := os.WriteFile(c.certOut, sim.CACertPEM(), 0o644); err != nil { //nolint:gosec // a CA certificate is public
			return fmt.Errorf("write certificate: %w", err)
		}
	}
	printSettings(out, c, sim)
	if c.incidentsEvery > 0 {
		go sim.RunIncidents(ctx, c.incidentsEvery, c.incidentDuration)
	}
	<-ctx.Done()
	fmt.Fprintln(out, "zvmsim: shutting down")
	return nil
}

// printSettings shows the effective settings, never the secrets' values.
func printSettings(out io.Writer, c config, sim *zvmsim.Sim) {
	secret := func(s string) string {
		if s == "" {
			return "(none)"
		}
		return "<secret>"
	}
	o := c.opts
	fmt.Fprintf(out, "zvmsim: flavour=%s profile=%s vms=%d seed=%d tls=%t\n", o.Flavour, o.Profile, o.VMs, o.Seed, o.TLS)
	fmt.Fprintf(out, "zvmsim: username=%s password=%s client-id=%s client-secret=%s\n",
		o.Username, secret(o.Password), o.ClientID, secret(o.ClientSecret))
	fmt.Fprintf(out, "zvmsim: token-ttl=%s session-idle-timeout=%s\n", o.TokenTTL, o.SessionIdleTimeout)
	if !c.frozenAt.IsZero() {
		fmt.Fprintf(out, "zvmsim: clock frozen at %s\n", c.frozenAt.Format(time.RFC3339))
	}
	fmt.Fprintf(out, "zvmsim: protected site ZVM at %s\n", sim.URL(zvmsim.Protected))
	if u := sim.URL(zvmsim.Recovery); u != "" {
		fmt.Fprintf(out, "zvmsim: recovery site ZVM at %s\n", u)
	}
	if c.certOut != "" {
		fmt.Fprintf(out, "zvmsim: certificate written to %s\n", c.certOut)
	}
	fmt.Fprintf(out, "zvmsim: control API at %s/_sim/state and %s/_sim/faults\n", sim.URL(zvmsim.Protected), sim.URL(zvmsim.Protected))
}

func main() {
	c, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "zvmsim:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "zvmsim:", err)
		os.Exit(1)
	}
}
