package exporter

import (
	"fmt"
	"time"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// SecretSources says how errors name a target's secret files and which environment variables
// hold the secrets when no file is named.
type SecretSources struct {
	PasswordKey, ClientSecretKey string // the module key or flag that names the file
	PasswordEnv, ClientSecretEnv string // read when no file is named; "" for none
}

// ModuleSecrets are the secret sources of a /probe module: its files, never the environment.
var ModuleSecrets = SecretSources{PasswordKey: "password_file", ClientSecretKey: "client_secret_file"}

// ClientConfig assembles the client configuration of the ZVM at url reached through m: the one
// place that does so, for the single target of the --zvm.* flags (given as a module) and for
// /probe targets. timeout applies when m sets none. The secrets are read from m's files, or from
// the environment as src says.
func ClientConfig(url string, m config.Module, timeout time.Duration, src SecretSources) (zvm.Config, error) {
	c := zvm.Config{
		URL:                url,
		Auth:               zvm.AuthMode(m.Auth),
		SessionAuthMethod:  zvm.SessionAuthMethod(m.SessionAuthMethod),
		Username:           m.Username,
		ClientID:           m.ClientID,
		CAFile:             m.TLSConfig.CAFile,
		InsecureSkipVerify: m.TLSConfig.InsecureSkipVerify,
		Timeout:            timeout,
	}
	if c.Auth == "" {
		c.Auth = zvm.AuthAuto
	}
	if m.Timeout > 0 {
		c.Timeout = time.Duration(m.Timeout)
	}
	c.MaxResponseBytes = int64(m.MaxResponseSize) // 0: the caller's default, else the client's
	var err error
	if c.Password, err = config.ReadSecret(m.PasswordFile, src.PasswordEnv); err != nil {
		return c, fmt.Errorf("%s: %w", src.PasswordKey, err)
	}
	if c.ClientSecret, err = config.ReadSecret(m.ClientSecretFile, src.ClientSecretEnv); err != nil {
		return c, fmt.Errorf("%s: %w", src.ClientSecretKey, err)
	}
	return c, nil
}
