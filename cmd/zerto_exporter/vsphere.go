package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/baseurl"
	"github.com/zerto-exporter/zerto_exporter/internal/snapshot"
	"github.com/zerto-exporter/zerto_exporter/internal/vsphere/vcenter"
)

// vsphereCollector is the collector that --vsphere.url turns on.
const vsphereCollector = "vsphere"

// vspherePasswordEnv holds the vCenter password when no --vsphere.password-file is given.
const vspherePasswordEnv = "ZERTO_EXPORTER_VSPHERE_PASSWORD" //nolint:gosec // a variable's name

// vsphereFlags are the --vsphere.* flags: the optional vCenter read by the vsphere collector.
type vsphereFlags struct {
	url, username, passwordFile, caFile string
	insecure                            bool
	timeout                             time.Duration

	client *vcenter.Client // set by reader
}

// addVSphereFlags registers the --vsphere.* flags. The password comes from a file or
// ZERTO_EXPORTER_VSPHERE_PASSWORD, never from the command line.
func addVSphereFlags(app *kingpin.Application, f *vsphereFlags) {
	app.Flag("vsphere.url", "vCenter URL, e.g. https://vcenter.example.com; turns the vsphere collector on (VRA VM network, CPU and memory, host state).").Envar("ZERTO_EXPORTER_VSPHERE_URL").StringVar(&f.url)
	app.Flag("vsphere.username", "vCenter user name (read-only is enough).").Envar("ZERTO_EXPORTER_VSPHERE_USERNAME").StringVar(&f.username)
	app.Flag("vsphere.password-file", "File holding the vCenter password; or set ZERTO_EXPORTER_VSPHERE_PASSWORD.").Envar("ZERTO_EXPORTER_VSPHERE_PASSWORD_FILE").StringVar(&f.passwordFile)
	app.Flag("vsphere.ca-file", "PEM file of the CA that signed vCenter's certificate.").Envar("ZERTO_EXPORTER_VSPHERE_CA_FILE").StringVar(&f.caFile)
	app.Flag("vsphere.insecure-skip-verify", "Do not verify vCenter's TLS certificate (prefer --vsphere.ca-file).").Envar("ZERTO_EXPORTER_VSPHERE_INSECURE_SKIP_VERIFY").BoolVar(&f.insecure)
	app.Flag("vsphere.timeout", "Timeout of one vCenter read (all its calls) within a refresh.").Envar("ZERTO_EXPORTER_VSPHERE_TIMEOUT").Default("10s").DurationVar(&f.timeout)
}

// reader validates the flags and returns the vCenter reader, or nil when --vsphere.url is empty.
// Nothing is requested from vCenter until the first refresh.
func (f *vsphereFlags) reader(logger log.Logger) (snapshot.VSphereReader, error) {
	if f.url == "" {
		return nil, nil
	}
	if _, err := baseurl.Parse(f.url); err != nil {
		return nil, fmt.Errorf("--vsphere.url: %w", err)
	}
	if f.username == "" {
		return nil, errors.New("--vsphere.username is required with --vsphere.url")
	}
	if f.timeout <= 0 {
		return nil, fmt.Errorf("--vsphere.timeout: must be positive, got %s", f.timeout)
	}
	password, err := config.ReadSecret(f.passwordFile, vspherePasswordEnv)
	if err != nil {
		return nil, fmt.Errorf("--vsphere.password-file: %w", err)
	}
	if password == "" {
		return nil, errors.New("--vsphere.url needs a password: --vsphere.password-file or ZERTO_EXPORTER_VSPHERE_PASSWORD")
	}
	c, err := vcenter.New(vcenter.Config{
		URL:                f.url,
		Username:           f.username,
		Password:           password,
		CAFile:             f.caFile,
		InsecureSkipVerify: f.insecure,
		Timeout:            f.timeout,
		Logger:             log.With(logger, "vcenter", baseurl.Redact(f.url)),
	})
	if err != nil {
		return nil, fmt.Errorf("--vsphere.url: %w", err)
	}
	f.client = c
	return c, nil
}

// collectors returns enabled plus the vsphere collector when --vsphere.url is set: the vsphere
// collector is off by default and on exactly when there is a vCenter to read.
func (f *vsphereFlags) collectors(enabled []string) []string {
	if f.url == "" || slices.Contains(enabled, vsphereCollector) {
		return enabled
	}
	out := append(slices.Clone(enabled), vsphereCollector)
	slices.Sort(out)
	return out
}

// vsphereView is how /config shows the --vsphere.* flags.
type vsphereView struct {
	URL                string          `yaml:"url"`
	Username           string          `yaml:"username,omitempty"`
	PasswordFile       string          `yaml:"password_file,omitempty"`
	Password           config.Secret   `yaml:"password,omitempty"`
	CAFile             string          `yaml:"ca_file,omitempty"`
	InsecureSkipVerify bool            `yaml:"insecure_skip_verify,omitempty"`
	Timeout            config.Duration `yaml:"timeout"`
}

// view returns the flags as /config shows them, or nil without --vsphere.url.
func (f *vsphereFlags) view() *vsphereView {
	if f.url == "" {
		return nil
	}
	v := &vsphereView{URL: baseurl.Redact(f.url), Username: f.username, PasswordFile: f.passwordFile,
		CAFile: f.caFile, InsecureSkipVerify: f.insecure, Timeout: config.Duration(f.timeout)}
	if f.passwordFile == "" {
		v.Password = config.Secret(os.Getenv(vspherePasswordEnv))
	}
	return v
}

// close ends the vCenter session, if one was opened.
func (f *vsphereFlags) close(ctx context.Context) error {
	if f.client == nil {
		return nil
	}
	return f.client.Close(ctx)
}
